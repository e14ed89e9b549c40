"""定人、定责: every leaf grid has its chief and workers, every responsibility written duties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.ledger.tree import GridTree
from gridctl.model import Grid, Staff
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def responsibility(ledger: Ledger, settings: Settings, today: dt.date | None = None) -> Iterator[Problem]:
    """`today`: the ledger's day (its clock) for contracts that ended."""
    policy = settings.policy
    grids = ledger.grids()
    parents = ledger.grid_parents()
    split, tree = GridTree.build(grids, parents), GridTree.in_use(grids, parents)
    communities = {name for level in settings.levels if level.community for name in level.names}

    def leaf(grid: Grid) -> bool:
        """A leaf of the grids in use needs its people, as GC220 lets it hold records; but a 村/社区
        whose every grid is retired is no grid serving anyone: it is retired next, not staffed."""
        return tree.is_leaf(grid.id) and (split.is_leaf(grid.id) or grid.level not in communities)

    staff = {s.id: s for s, _ in ledger.records(Staff)}
    if today is None:
        from gridctl.ledger.clock import Clock

        today = Clock.system(settings.timezone).today()
    for grid, src in ledger.records(Grid):
        if grid.retired is not None:
            yield from _ahead(grid, src, today)
            continue  # nobody holds a grid that is gone: anyone left under it is GC223's
        if leaf(grid) and grid.level in policy.micro_levels:
            if not grid.responsible:
                # the hint's command must run: 责任人 is no role in any profile (a 楼栋's is its 楼栋长)
                head = policy.building_head.role if policy.building_head else None
                args = {"roles": "责任人", "role": head or (policy.worker_roles or ["网格员"])[0], "grid": grid.id}
                yield Problem("GC231", src.file, args, doc=src.doc, path=("id",), record=grid.id)
        elif leaf(grid):
            chiefs = sum(1 for r in grid.responsible if r.role == policy.chief_role)
            if chiefs != 1:
                path = ("responsible",) if grid.responsible else ("id",)
                yield Problem(
                    "GC230",
                    src.file,
                    {"role": policy.chief_role, "count": chiefs, "grid": grid.id},
                    doc=src.doc,
                    path=path,
                    record=grid.id,
                )
            if not any(r.role in policy.worker_roles for r in grid.responsible):
                path = ("responsible",) if grid.responsible else ("id",)
                role = (policy.worker_roles or ["网格员"])[0]
                args = {"roles": "/".join(policy.worker_roles) or role, "role": role, "grid": grid.id}
                yield Problem("GC231", src.file, args, doc=src.doc, path=path, record=grid.id)
        for i, r in enumerate(grid.responsible):
            if not r.duties:
                yield Problem(
                    "GC232",
                    src.file,
                    {"role": r.role, "staff": r.staff, "grid": grid.id},
                    doc=src.doc,
                    path=("responsible", i, "role"),
                    record=grid.id,
                )
            member = staff.get(r.staff)
            if member is None:
                continue  # a missing staff id is a reference problem (GC202)
            if not member.is_active:
                yield Problem(
                    "GC233",
                    src.file,
                    {"staff": r.staff, "name": member.name, "grid": grid.id, "role": r.role},
                    doc=src.doc,
                    path=("responsible", i, "staff"),
                    record=grid.id,
                )
            elif member.contract_end is not None and member.contract_end < today:
                args = {"name": member.name, "date": member.contract_end.isoformat(), "grid": grid.name}
                yield Problem("GC241", src.file, args, doc=src.doc, path=("responsible", i, "staff"), record=grid.id)

        for i, f in enumerate(grid.former):
            if f.since is not None and f.until < f.since:
                args = {"role": f.role, "staff": f.staff, "since": f.since.isoformat(), "until": f.until.isoformat()}
                yield Problem("GC234", src.file, args, doc=src.doc, path=("former", i, "until"), record=grid.id)
        yield from _ahead(grid, src, today)


_SINCE = ("since", "任职日期", "since")
_UNTIL = ("until", "卸任日期", "until")


def _ahead(grid: Grid, src, today: dt.date) -> Iterator[Problem]:  # type: ignore[no-untyped-def]
    """A since or until after today, typed by hand: gridctl takes neither (assign --since and
    unassign --date refuse a day to come), and nothing reads them as "not yet"."""
    dated = [("responsible", i, r.role, r.staff, _SINCE, r.since) for i, r in enumerate(grid.responsible)]
    for i, f in enumerate(grid.former):
        dated += [("former", i, f.role, f.staff, _SINCE, f.since), ("former", i, f.role, f.staff, _UNTIL, f.until)]
    for where, i, role, staff, (key, what, what_en), day in dated:
        if day is not None and day > today:
            args = {"role": role, "staff": staff, "what": what, "what_en": what_en, "date": day.isoformat()}
            yield Problem("GC235", src.file, args, doc=src.doc, path=(where, i, key), record=grid.id)


def required_roles(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """Each level's own responsible people (profile `required_roles`): 第一责任人 of every school …"""
    wanted = {name: level.required_roles for level in settings.levels for name in level.names if level.required_roles}
    if not wanted:
        return
    for grid, src in ledger.records(Grid):
        roles = wanted.get(grid.level)
        if not roles or not grid.is_active:
            continue
        held = {r.role for r in grid.responsible}
        for role in roles:
            if role in held:
                continue
            args = {"level": grid.level, "name": grid.name, "role": role, "required": "、".join(roles), "grid": grid.id}
            # at the grid's id, wherever responsible is: a write that assigns one role keeps the others' finding
            yield Problem("GC250", src.file, args, doc=src.doc, path=("id",), record=grid.id)
