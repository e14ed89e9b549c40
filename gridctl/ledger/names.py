"""One vocabulary for the clerk: wherever an id is asked for, the record's exact name works too.

A grid, a staff member, a person, a place or an organization is named by its `name`; a
household by its 户主 (张桂英户; also 张桂英 where no person could be meant). An id always wins.
A name several records carry lists them (exit 2); a name no record carries is an error (exit 2),
never an empty answer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Entry, Ledger

WHAT = {
    "grid": ("网格", "grid"),
    "staff": ("工作人员", "staff member"),
    "household": ("户", "household"),
    "person": ("人员", "person"),
    "place": ("场所", "place"),
    "org": ("组织", "organization"),
    "event": ("事件", "event"),
}
NAMED = ("grid", "staff", "household", "person", "place", "org")


class UnknownName(GridctlError):
    """No record has this id or name (exit 2)."""


class AmbiguousName(GridctlError):
    """Several records carry this name: the clerk must say which (exit 2)."""


def fold(text: str) -> str:
    """Names compare without spaces and with full-width letters and digits folded."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def names_of(entry: Entry, people_too: bool = False) -> list[str]:
    """The names a record answers to; a household is 张桂英户, and also 张桂英 where no person is meant."""
    record = entry.record
    if record is None:
        return [str(entry.raw.get("name"))] if entry.raw and entry.raw.get("name") else []
    if entry.kind == "household":
        head = next((m.name for m in getattr(record, "members", []) if m.relation == "户主"), None)
        return ([head + "户"] if people_too else [head, head + "户"]) if head else []
    name = getattr(record, "name", None)
    return [name] if isinstance(name, str) else []


def pick(value: str, candidates: Mapping[str, Iterable[str]], kinds: Iterable[str], describe=None) -> str:  # type: ignore[no-untyped-def]
    """The id among `candidates` (id → names) that `value` is, or its name is; else UnknownName/AmbiguousName."""
    kinds = tuple(kinds)
    if value in candidates:
        return value
    key = fold(value)
    found = sorted(rid for rid, names in candidates.items() if any(fold(n) == key for n in names if n))
    if len(found) == 1:
        return found[0]
    zh = "或".join(WHAT.get(k, (k, k))[0] for k in kinds)
    en = " or ".join(WHAT.get(k, (k, k))[1] for k in kinds)
    if found:
        listed = "; ".join(describe(rid) if describe else rid for rid in found)
        raise AmbiguousName(
            Text(f"“{value}”对应 {len(found)} 个{zh}，请写编号", f"{value!r} names {len(found)} {en}s; give the id"),
            hint=listed,
        )
    raise UnknownName(
        Text(f"台账中没有{zh}“{value}”", f"no {en} {value!r} in the ledger"),
        hint=Text(f"用 gridctl list {kinds[0]} 查看编号和名称", f"gridctl list {kinds[0]} shows ids and names"),
    )


def resolve(ledger: Ledger, value: str, kinds: Iterable[str]) -> str:
    """The id of the record of one of `kinds` that `value` is (an id) or names."""
    kinds = tuple(kinds)
    found = ledger.by_id.get(value)
    if found and found[0].kind in kinds:
        return value
    entries = {e.id: e for k in kinds for e in ledger.by_kind.get(k, ())}
    candidates = {rid: names_of(e, "person" in kinds) for rid, e in entries.items()}
    return pick(value, candidates, kinds, lambda rid: describe(ledger, entries[rid]))


def describe(ledger: Ledger, entry: Entry) -> str:
    """A candidate as the clerk tells them apart: id, name, and where (grid or household)."""
    names = names_of(entry)
    where = entry.household or str(getattr(entry.record, "grid", None) or getattr(entry.record, "parent", None) or "")
    grids = ledger.grids()
    where = grids[where].name if where in grids else where
    return f"{entry.id} {names[0] if names else ''}" + (f" ({where})" if where else "")
