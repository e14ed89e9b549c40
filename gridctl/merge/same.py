"""One record added on both sides of a merge, or two records under one id.

Two clones that number alike each add H000041 offline: for two families (two records: this side's
gets a new id, gridctl.merge.collide), or for one family typed in on both (one record added twice:
merged field by field, a conflict only where the two differ, never renumbered — renumbered, it was
the same family twice and the same person's ID number twice). Told apart by what a clerk checks
on paper, simply:

- a household: the same grid, and the same 户主 by ID number; where either head has none, the same
  address and 户主 name;
- a person: the same ID number; where either has none, the same name and birth date;
- a place, an org: the same grid and name; a thing: the same grid and name (without a name, its
  type and location);
- staff: the same name and phone (where either has no phone, the same name);
- a grid: its id is its code, given by the clerk: always one grid;
- events, inspections, visits, activities, documents: what each side saw and wrote on a day, two
  records unless written alike.

A value that is empty on either side tells nothing: the two are then two records (renumbered, both
kept, is what loses nothing). On an encrypted ledger ID numbers are compared by their `id_hash`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAMED_BY_CODE = frozenset({"grid"})
"""Kinds whose id is a code the clerk gives (a grid's national code), never allocated: the same code
added on both sides is one record, merged field by field."""


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _equal(a: Any, b: Any, *keys: str) -> bool:
    """Each of `keys` written on both sides, and alike."""
    for key in keys:
        x, y = _text(a.get(key)), _text(b.get(key))
        if not x or x != y:
            return False
    return True


def _number(person: Any) -> str:
    """A person's ID number as it can be compared: its id_hash on an encrypted ledger, else the number."""
    digest = _text(person.get("id_hash"))
    if digest:
        return "#" + digest
    number = _text(person.get("id_number")).upper()
    return "" if number.startswith("ENC[") else number


def _person(a: Any, b: Any) -> bool:
    x, y = _number(a), _number(b)
    if x and y:
        return x == y
    return _equal(a, b, "name", "birth_date")


def _head(household: Any) -> Any:
    members = household.get("members")
    for m in members if isinstance(members, list) else ():
        if isinstance(m, dict) and m.get("relation") == "户主":
            return m
    return {}


def _household(a: Any, b: Any) -> bool:
    from gridctl.model.address import address_text

    if not _equal(a, b, "grid"):
        return False
    ha, hb = _head(a), _head(b)
    x, y = _number(ha), _number(hb)
    if x and y:
        return x == y
    where = address_text(a.get("address") or {})
    return bool(where) and where == address_text(b.get("address") or {}) and _equal(ha, hb, "name")


def _thing(a: Any, b: Any) -> bool:
    if _text(a.get("name")) or _text(b.get("name")):
        return _equal(a, b, "grid", "name")
    return _equal(a, b, "grid", "type", "location")


def _staff(a: Any, b: Any) -> bool:
    if _text(a.get("phone")) and _text(b.get("phone")):
        return _equal(a, b, "name", "phone")
    return _equal(a, b, "name")


SAME: dict[str, Callable[[Any, Any], bool]] = {
    "household": _household,
    "person": _person,
    "place": lambda a, b: _equal(a, b, "grid", "name"),
    "org": lambda a, b: _equal(a, b, "grid", "name"),
    "thing": _thing,
    "staff": _staff,
}


def one_record(kind: str, mine: Any, theirs: Any) -> bool:
    """`mine` and `theirs`, added on both sides under one id, are the same record (merged field by
    field), not two (this side's renumbered)."""
    if kind in NAMED_BY_CODE:
        return True
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        return False
    same = SAME.get(kind)
    return same is not None and same(mine, theirs)
