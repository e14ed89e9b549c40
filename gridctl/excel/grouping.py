"""Which rows make one household, and which household of the ledger that is.

A row belongs, in this order: to its 户编号's household or its matched person's (人员编号, else
公民身份号码); to the household at its address (the grid + 小区/楼栋/单元/房号, or 现住址), where
a second 户主 row starts a second household; or, with no address, to the nearest 户主 row above.
A household not found by a match is looked up by its address, or by its grid and 户主's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridctl.excel.plan import Plan, norm_key
from gridctl.excel.rows import Issue, Layout, ParsedRow
from gridctl.model import Household, Person

HEAD = "户主"
ADDRESS = ("address.estate", "address.building", "address.unit", "address.room")


@dataclass
class Item:
    row: ParsedRow
    house: dict[str, Any]
    person: dict[str, Any]
    match: Person | None = None
    anchor: str | None = None
    """The existing household this row must go to (its 户编号, or its matched person's)."""
    key: tuple[Any, ...] | None = None
    bad: bool = False
    """Rejected: still shapes the grouping (a rejected 户主 row keeps its members from drifting)."""
    skip: bool = False
    """Left out without an error: its person is someone else in the ledger (an identity conflict)."""
    pinned: bool = False
    """Its household was given by 户编号: the row's address is that household's, never a 迁户."""
    moved_from: str | None = None
    """The household a known person leaves (an accepted 迁户)."""
    derived: set[str] = field(default_factory=set)
    """Fields the row left blank and its ID number gave (gridctl.excel.derived): never a change to a known value."""

    @property
    def head(self) -> bool:
        return self.person.get("relation") == HEAD

    @property
    def nobody(self) -> bool:
        """A row with only household fields (an export lists a household without members so)."""
        return not self.person and not self.row.extra


@dataclass
class Group:
    items: list[Item] = field(default_factory=list)
    anchor: str | None = None
    key: tuple[Any, ...] | None = None
    chained: bool = False
    """Held together only by its 户主 row (no address, no match): without that row it falls apart."""

    @property
    def has_head(self) -> bool:
        return any(i.head for i in self.items)


def address_key(grid: str | None, values: dict[str, Any]) -> tuple[Any, ...] | None:
    parts = tuple(norm_key(values[k]) if values.get(k) is not None else "" for k in ADDRESS)
    if any(parts):
        return (grid, *parts)
    if values.get("address.text"):
        return (grid, "", "", "", "", norm_key(values["address.text"]))
    return None


def head_key(grid: str | None, name: str) -> tuple[Any, ...]:
    """A household without an address is known by its grid and its 户主's name."""
    return (grid, HEAD, norm_key(name))


@dataclass
class Known:
    """The ledger's active households by address key (or by grid and 户主 name), and their 户主."""

    by_key: dict[tuple[Any, ...], list[str]] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, households: dict[str, Household]) -> Known:
        out = cls()
        for hid, hh in households.items():
            if not hh.is_active:
                continue
            out.heads[hid] = _head_name(hh)
            key = address_key(hh.grid, _flat_address(hh)) or head_key(hh.grid, out.heads[hid])
            out.by_key.setdefault(key, []).append(hid)
        return out


def group_rows(items: list[Item], lay: Layout, plan: Plan, excluded: set[int]) -> list[Group]:
    """Rows into households-to-be (see the module docstring); duplicates and strays become findings."""
    groups: list[Group] = []
    anchored: dict[str, Group] = {}
    keyed: dict[tuple[Any, ...], list[Group]] = {}
    last_head: Group | None = None
    seen: dict[str, int] = {}
    for item in items:
        if item.skip:
            continue
        ident = item.match.id if item.match else item.person.get("id_number")
        if ident and ident in seen and not item.bad:
            column = lay.header("id_number") or lay.header("person_id")
            first = seen[ident]
            plan.issues.append(
                Issue(item.row.number, column, f"与第 {first} 行是同一人", f"same person as row {first}")
            )
            continue
        if ident and not item.bad:
            seen[ident] = item.row.number
        group: Group | None
        if item.anchor is not None:
            group = anchored.get(item.anchor)
            if group is None:
                group = anchored[item.anchor] = Group(anchor=item.anchor)
                groups.append(group)
            if item.key is not None and group not in keyed.setdefault(item.key, []):
                keyed[item.key].append(group)
        elif item.key is not None:
            same = keyed.setdefault(item.key, [])
            group = same[-1] if same and not (item.head and same[-1].has_head) else None
            if group is None:
                group = Group(key=item.key)
                same.append(group)
                groups.append(group)
        elif item.head:
            group = Group(key=head_key(item.house.get("grid"), item.person.get("name", "")), chained=True)
            groups.append(group)
        elif last_head is not None:
            group = last_head
        else:
            if not item.bad:
                plan.issues.append(Issue(item.row.number, None, *NO_HOUSEHOLD))
            continue
        group.items.append(item)
        if item.head:
            last_head = group
    for group in groups:
        head = next((i for i in group.items if i.head), None)
        rejected = head is not None and head.row.number in excluded
        if rejected and group.chained:
            zh, en = _dependent(head.row.number)  # type: ignore[union-attr]
            plan.issues.extend(Issue(i.row.number, None, zh, en) for i in group.items if not i.bad)
            group.items = []
        group.items = [i for i in group.items if not i.bad]
    return [g for g in groups if g.items]


def targets(groups: list[Group], known: Known, lay: Layout, plan: Plan) -> list[tuple[str | None, list[Item]]]:
    """Each group's household: existing (by id) or None for new; groups of one household merge."""
    existing: dict[str, list[Item]] = {}
    out: list[tuple[str | None, list[Item]]] = []
    for group in groups:
        hid = group.anchor
        if hid is None and group.key is not None:
            found = known.by_key.get(group.key, [])
            if len(found) > 1:
                heads = {norm_key(i.person.get("name", "")) for i in group.items if i.head}
                found = [h for h in found if known.heads[h] in heads] or found
            if len(found) > 1:
                zh, en = _ambiguous(found)
                column = lay.header("household_id") or lay.header("address.room")
                plan.issues.extend(Issue(i.row.number, column, zh, en) for i in group.items)
                continue
            hid = found[0] if found else None
        if hid is None:
            out.append((None, group.items))
        elif hid in existing:
            existing[hid].extend(group.items)
        else:
            existing[hid] = list(group.items)
            out.append((hid, existing[hid]))
    return out


NO_HOUSEHOLD = (
    "无法确定所属的户：请填写地址 (小区/楼栋/单元/房号) 或户编号，或把此人排在其户主行之后",
    "cannot tell which household this is: fill in the address or 户编号, or list the person after their 户主 row",
)


def _ambiguous(found: list[str]) -> tuple[str, str]:
    ids = "、".join(sorted(found))
    return (
        f"该地址有多户 ({ids})，无法确定是哪一户；请增加“户编号”列",
        f"several households live at this address ({ids}); add a 户编号 column",
    )


def _dependent(head: int) -> tuple[str, str]:
    return (
        f"所在户的户主行 (第 {head} 行) 被拒绝，此行一并拒绝",
        f"the 户主 row of this household (row {head}) was rejected, so this row is too",
    )


def _flat_address(hh: Household) -> dict[str, Any]:
    a = hh.address
    if a is None:
        return {}
    return {"address.estate": a.estate, "address.building": a.building, "address.unit": a.unit,
            "address.room": a.room, "address.text": a.text}  # fmt: skip


def _head_name(hh: Household) -> str:
    return next((norm_key(m.name) for m in hh.members if m.relation == HEAD), "")
