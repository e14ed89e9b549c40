"""Known people at another address: a household's new address, or a 迁户 into another household.

A row that matches a person of the ledger but gives an address other than their household's
means one of two things. When every listed member of that household, its 户主 among them, gives
the same new address and no other household lives there, the household changed address (its
own fields, applied with --accept-address). Otherwise the person moves (迁户) to the household
at that address or to a new one, applied with --accept-moves. Either is first checked against
history: going back to a household the person left is a revert, not news.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gridctl.excel.findings import FieldChange, Finding
from gridctl.excel.grouping import HEAD, Item, address_key
from gridctl.excel.merge import HOUSEHOLD
from gridctl.excel.plan import Plan, norm_key
from gridctl.model import Household

if TYPE_CHECKING:
    from gridctl.excel.households import HouseholdImport

NEW = "new"
"""The register value of a person's household when the row's address is no household's yet."""


def address_text(values: dict[str, Any]) -> str:
    """A register row's address as a clerk writes it (gridctl.model.address): 阳光小区5栋1单元101, or its 现住址."""
    from gridctl.model.address import address_text as written

    return written(values)


def household_address(hh: Household) -> dict[str, Any]:
    a = hh.address
    if a is None:
        return {}
    out = {"address.estate": a.estate, "address.building": a.building, "address.unit": a.unit,
           "address.room": a.room, "address.text": a.text}  # fmt: skip
    return {k: v for k, v in out.items() if v is not None}


def differs(house: dict[str, Any], hh: Household) -> bool:
    """The row names another place than the household: a grid, or an address part both give, disagrees."""
    if house.get("grid") is not None and house["grid"] != hh.grid:
        return True
    mine = household_address(hh)
    return any(k in mine and norm_key(v) != norm_key(mine[k]) for k, v in house.items() if k.startswith("address."))


def household_label(imp: HouseholdImport, hid: str) -> str:
    found = imp.households.get(hid)
    head = next((m.name for m in found[0].members if m.relation == HEAD), "") if found else ""
    return f"{hid}（{head}户）" if head else hid


def place(imp: HouseholdImport, items: list[Item], plan: Plan) -> None:
    """Settle every matched row whose address is not their household's (see the module docstring)."""
    by_home: dict[str, list[Item]] = {}
    for item in items:
        if item.match is not None and item.anchor is not None and not (item.bad or item.skip or item.pinned):
            by_home.setdefault(item.anchor, []).append(item)
    for hid, listed in by_home.items():
        hh = imp.households[hid][0]
        away = [i for i in listed if differs(i.house, hh)]
        if not away:
            continue
        keys = {i.key for i in away}
        moving = {i.match.id for i in away if i.match is not None}
        head = any(m.relation == HEAD and m.id in moving for m in hh.members)
        there = [h for h in imp.known.by_key.get(next(iter(keys)), []) if h != hid] if len(keys) == 1 else []
        if len(away) == len(listed) and len(keys) == 1 and head and not there:
            continue  # the household's new address: its own fields, settled in _existing
        for item in away:
            _move(imp, item, hid, plan)


def _move(imp: HouseholdImport, item: Item, hid: str, plan: Plan) -> None:
    assert item.match is not None
    person = item.match
    grid = item.house.get("grid") or imp.households[hid][0].grid
    key = address_key(grid, item.house)
    found = [h for h in imp.known.by_key.get(key, []) if h != hid] if key is not None else []
    target = found[0] if len(found) == 1 else NEW
    verdict = imp.merge.field(person.id, HOUSEHOLD, target, hid)
    group, settled, needs = imp.choices.settle(verdict.what, "moves")
    column = imp.lay.header("address.text") or "住址"
    where = address_text(item.house)
    if group == "moved":
        old, new = household_label(imp, hid), (household_label(imp, target) if target != NEW else f"新户 {where}")
        what = "move"
    else:
        old, new, what = household_label(imp, hid), where, "household"
    if group is not None:
        finding = Finding(group, item.row.number, person.id, person.name, what, settled=settled, needs=needs)
        finding.changes.append(FieldChange(HOUSEHOLD, column, old, new, since=verdict.since))
        plan.findings.append(finding)
    if group is not None and finding.applied:
        item.anchor, item.moved_from = None, hid
        item.house["grid"], item.key = grid, key
    else:
        item.house = {}  # the person stays; their row's address must not move the household either
