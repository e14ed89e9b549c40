"""分片包户: a household's 包户人 (assigned_to) serves the grid the household lives in.

The monthly report pays a 包户人 per household (每月每户按3-5元补助), so a household left with one
who no longer serves its grid (the household moved to another grid, the grid was folded into
another, the worker was unassigned or left) is paid for without anyone's knowing. Serving means
holding some role in the household's grid or in a grid above it: a 网格员 of a 网格 serves the
households of its 楼栋 and 微网格, a 社区 or 街道 cadre those of the whole 社区 (街道干部和社区专职
工作人员分片包户). One named who is not on the staff list is a missing reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.ledger.tree import GridTree
from gridctl.model import Staff
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def assignments(ledger: Ledger, settings: Settings, today: dt.date | None = None) -> Iterator[Problem]:
    """`today`: the ledger's day; a role that begins later does not serve yet (the monthly report,
    which pays 包户, counts the roles held in the month)."""
    assigned = {handle: staff for handle, path, staff, kind in ledger.refs() if path == ("assigned_to",)}
    if not assigned:
        return
    staff = {s.id: s for s, _ in ledger.records(Staff)}
    grids = ledger.grids()
    tree = GridTree.build(grids, ledger.grid_parents())
    serving: dict[str, set[str]] = {}
    later: dict[str, dict[str, dt.date]] = {}  # a role that begins after today, by grid

    def served_by(grid_id: str) -> set[str]:
        """Who holds a role in the grid or above it (the grids of a ledger are few: kept per grid)."""
        if grid_id not in serving:
            chain = [grid_id, *tree.ancestors(grid_id)]
            held = [r for g in chain if g in grids for r in grids[g].responsible]
            serving[grid_id] = {r.staff for r in held if today is None or r.held_on(today)}
            later[grid_id] = {}
            for r in held:  # the day they begin to serve: their first role in the grid or above it
                if r.staff not in serving[grid_id] and r.since is not None:
                    later[grid_id][r.staff] = min(r.since, later[grid_id].get(r.staff, r.since))
        return serving[grid_id]

    for handle, grid_id, active in ledger.holdings():
        who = assigned.get(handle)
        if who is None or not active or who not in staff:
            continue
        grid = grids.get(grid_id)
        if grid is None or grid.retired is not None:
            continue  # a grid that is missing or gone: its own finding
        member = staff[who]
        if member.is_active and who in served_by(grid_id):
            continue
        entry = ledger.entry_at(handle)
        args = {"id": entry.id, "staff": who, "name": member.name, "grid": grid_id}
        if not member.is_active:  # nothing to assign them to: they are to be replaced
            args |= {"state": "已不在岗", "state_en": "is no longer in post", "also_zh": "", "also": ""}
        elif who in later[grid_id]:  # assigned ahead of the role: GC235 says when it begins
            where, since = f"{grid.name} ({grid_id})", later[grid_id][who]
            args |= {
                "state": f"{since} 起才在{where} 及其上级网格任职",
                "state_en": f"serves {where} only from {since}",
            }
            args |= {"also_zh": "；或到那天再让其包户", "also": "; or make them its 包户人 on that day"}
        else:
            where = f"{grid.name} ({grid_id})"  # 第一网格 is the name of a grid in every 社区
            args |= {"state": f"不在{where} 及其上级网格任职", "state_en": f"holds no role in {where} or above it"}
            assign = f"gridctl assign {grid_id} --role 网格员 --staff {who} --duty"
            args |= {
                "also_zh": f"；其人在岗、确在本网格包户的，让其任职: {assign} 职责",
                "also": f"; if they are in post and do serve it: {assign} DUTY",
            }
        src = entry.source
        yield Problem("GC236", src.file, args, doc=src.doc, path=(*src.path, "assigned_to"), record=entry.id)
