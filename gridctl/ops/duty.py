"""Whether a staff member could act for a grid on a given day: one rule for every record dated a day.

An inspection, an event step, a visit or an activity is the act of a person on a day, often typed in
later from paper: the sheet of a worker who has since left is his, and a newcomer cannot have acted
on a day before he began. So each is judged by the day it was done, never by who holds the grid now.
"""

from __future__ import annotations

import datetime as dt

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model import Staff
from gridctl.ops.records import find


class NotOnDuty(GridctlError):
    """The person named did not hold the post, or the grid, on the day given. Nothing was written."""

    exit_code = 1


def roles_in(ledger: Ledger, staff: str, grid: str, day: dt.date | None = None) -> set[str]:
    """The roles `staff` holds in `grid` or any grid above it (on `day`: held then, former ones too)."""
    grids = ledger.grids()
    roles: set[str] = set()
    seen: set[str] = set()
    node: str | None = grid
    while node is not None and node in grids and node not in seen:
        seen.add(node)
        held = grids[node].responsible if day is None else grids[node].held(day)
        roles |= {r.role for r in held if r.staff == staff}
        node = grids[node].parent
    return roles


def responsible_on(ledger: Ledger, grid: str, day: dt.date) -> Text:
    """Who was responsible for `grid` (or a grid above) on `day`, for the clerk to put on the sheet."""
    grids = ledger.grids()
    staff = {s.id: s.name for s, _ in ledger.records(Staff)}
    people: list[str] = []
    seen: set[str] = set()
    node: str | None = grid
    while node is not None and node in grids and node not in seen:
        seen.add(node)
        people += [f"{r.role} {r.staff} {staff.get(r.staff, '')}".rstrip() for r in grids[node].held(day)]
        node = grids[node].parent
    people = list(dict.fromkeys(people))
    if not people:
        return Text(f"{day} 网格 {grid} 没有责任人", f"nobody was responsible for grid {grid} on {day}")
    return Text(f"{day} 负责的是: {'、'.join(people)}", f"responsible on {day}: {', '.join(people)}")


def in_post_on(record: object, day: dt.date) -> bool:
    """Still there on `day`: retired after it, or not at all (staff marked inactive with no day: never)."""
    retired = getattr(record, "retired", None)
    if retired is not None:
        return bool(day < retired.date)
    return bool(getattr(record, "is_active", True))


def in_post(ledger: Ledger, by: str, day: dt.date, doing: Text, grid: str | None = None) -> Staff:
    """`by` as staff in post on `day`: retired after it is fine, on or before it not; `doing` says what
    for ("不能{doing}" / "not in post on {day} {doing}"); `grid` adds who was responsible there that day."""
    staff = find(ledger, by, ["staff"]).record
    if not isinstance(staff, Staff):
        raise NotOnDuty(Text(f"{by} 不是在岗工作人员", f"{by} is not active staff"))
    if staff.retired is not None and not in_post_on(staff, day):
        left = staff.retired.date.isoformat()
        raise NotOnDuty(
            Text(
                f"{by} {staff.name} 已于 {left} 注销，{day} 不在岗，不能{doing.zh}",
                f"{by} ({staff.name}) left on {left}: not in post on {day} {doing.en}",
            ),
            hint=responsible_on(ledger, grid, day) if grid else None,
        )
    if not in_post_on(staff, day):  # marked inactive with no day
        raise NotOnDuty(Text(f"{by} 不是在岗工作人员", f"{by} is not active staff"))
    return staff


def within(ledger: Ledger, staff: str, grid: str, day: dt.date) -> bool:
    """Whether `staff` held a role on `day` in a grid below `grid` (a school's 政教主任 is responsible
    for one of its parts, and holds the school's drills)."""
    grids = ledger.grids()
    for g in grids.values():
        if not any(r.staff == staff for r in g.held(day)):
            continue
        seen: set[str] = set()
        node = g.parent
        while node is not None and node in grids and node not in seen:
            if node == grid:
                return True
            seen.add(node)
            node = grids[node].parent
    return False


def on_duty(ledger: Ledger, by: str, grid: str, day: dt.date, doing: Text, *, below: bool = False) -> Staff:
    """`by` in post on `day` and responsible then for `grid` or a grid above it, in any role (with
    `below`, for a grid within it too: what a unit holds is organised by any of its people)."""
    staff = in_post(ledger, by, day, doing, grid)
    if not roles_in(ledger, by, grid, day) and not (below and within(ledger, by, grid, day)):
        raise NotOnDuty(
            Text(
                f"{by} {staff.name} 在 {day} 不是网格 {grid} 的责任人",
                f"{by} was not responsible for grid {grid} on {day}",
            ),
            hint=responsible_on(ledger, grid, day),
        )
    return staff
