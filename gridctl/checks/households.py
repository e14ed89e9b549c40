"""A household still in the register with no one living in it, or with no living 户主 (GC263).

A warning: the people died or left (注销) one by one, and nobody retired the household or named
a new head. Status, lists and reports already count only households someone lives in
(gridctl.model.household.lived_in); the warning says which ones and what to do.
"""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.model import Household
from gridctl.model.household import HEAD
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def households_without_head(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """Active households whose members are all retired (or none listed), or none of the living is 户主.

    A household whose register records no relation at all (no member says 与户主关系) is not asked
    for a head: nothing in it says who the head was.
    """
    heads = HEAD in settings.vocabularies.get("relations", [HEAD])
    for household, src in ledger.records(Household):
        if not household.is_active:
            continue
        state = _state(household, heads)
        if state is None:
            continue
        listed = "members" in household.model_fields_set
        path = (*src.path, "members") if listed else (*src.path, "id")
        args = {"id": household.id, "state": state[0], "state_en": state[1]}
        yield Problem("GC263", src.file, args, doc=src.doc, path=path, record=household.id, key=listed)


def _state(household: Household, heads: bool) -> tuple[str, str] | None:
    """(zh, en) of what is missing, or None when someone lives there under a 户主."""
    members = household.members
    living = [m for m in members if m.retired is None]
    gone = "、".join(m.id for m in members if m.retired is not None)
    if not members:
        return "没有登记任何成员", "lists no members"
    if not living:
        return (
            f"的成员均已注销 ({gone})，户内已无在册人员",
            f"has no one living in it: every member is retired ({gone})",
        )
    if not heads or any(m.relation == HEAD for m in living) or not any(m.relation for m in members):
        return None
    former = [m.id for m in members if m.retired is not None and m.relation == HEAD]
    if former:
        return (
            f"没有在册的户主 (原户主 {'、'.join(former)} 已注销)",
            f"has no living 户主 (the head, {', '.join(former)}, is retired)",
        )
    return "没有在册的户主 (成员中没有与户主关系为“户主”的人)", "has no 户主 (no member's relation is 户主)"


def households_with_two_heads(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """GC264: two or more living members whose relation is 户主 (a register's rows, a head moved in)."""
    for household, src in ledger.records(Household):
        heads = [(i, m) for i, m in enumerate(household.members) if m.retired is None and m.relation == HEAD]
        if len(heads) < 2:
            continue
        people = "、".join(f"{m.name} ({m.id})" for _i, m in heads)
        args = {"id": household.id, "count": len(heads), "people": people}
        second = heads[1][0]
        yield Problem("GC264", src.file, args, doc=src.doc, path=(*src.path, "members", second, "relation"),
                      record=household.id)  # fmt: skip
