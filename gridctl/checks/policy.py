"""Policy thresholds from gridctl.yaml (warnings): grid size, staffing, natural villages.

A grid's household count is its declared count when the ledger states one (the register may
still be incomplete), otherwise the households recorded in it. A retired grid (注销) counts for
nothing and is warned of for nothing: it no longer exists.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.ledger.tree import GridTree
from gridctl.model import Grid
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def household_counts(ledger: Ledger) -> dict[str, int]:
    """Households per grid, subtree included: declared where stated, else recorded (active ones).

    A basic grid split into 楼栋/微网格 holds its households in its children, so its count is
    theirs; a declared count stands for the whole subtree.
    """
    kinds = ledger.cols.e_kind
    recorded = Counter(grid for handle, grid, active in ledger.holdings() if active and kinds[handle] == "household")
    grids = ledger.grids()
    tree = GridTree.build(grids, ledger.grid_parents())
    counts: dict[str, int] = {}

    def count(gid: str, seen: frozenset[str]) -> int:
        if gid not in counts:
            grid = grids[gid]
            if grid.retired is not None:  # 注销: what it declared was its past, nobody lives there now
                counts[gid] = 0
            elif grid.households_declared is not None:
                counts[gid] = grid.households_declared
            else:
                children = [c for c in tree.children.get(gid, ()) if c in grids and c not in seen]
                counts[gid] = recorded.get(gid, 0) + sum(count(c, seen | {c}) for c in children)
        return counts[gid]

    for gid in grids:
        count(gid, frozenset({gid}))
    return counts


def grid_size(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    policy = settings.policy
    bounds = policy.urban_grid_households
    if bounds is None:
        return
    counts = household_counts(ledger)
    for grid, src in ledger.records(Grid):
        if grid.type != policy.basic_grid_type or grid.area != policy.urban_area or grid.retired is not None:
            continue
        count = counts.get(grid.id, 0)
        if not bounds.min <= count <= bounds.max:
            path = ("households_declared",) if grid.households_declared is not None else ("type",)
            yield Problem(
                "GC301",
                src.file,
                {"count": count, "min": bounds.min, "max": bounds.max},
                doc=src.doc,
                path=path,
                record=grid.id,
            )


def households_per_staff(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """每100户居民配备1名工作人员, counted per 村/社区 over its whole subtree."""
    ratio = settings.policy.households_per_staff
    if ratio is None:
        return
    grids = ledger.grids()
    tree = GridTree.build(grids, ledger.grid_parents())
    counts = household_counts(ledger)
    sources = {g.id: s for g, s in ledger.records(Grid)}
    community_names = {n for level in settings.levels if level.community for n in level.names}
    for community in (g for g in grids.values() if g.level in community_names and g.retired is None):
        subtree = [community.id, *tree.descendants(community.id)]
        households = counts.get(community.id, 0)
        roles = settings.policy.staff_roles
        staff = {r.staff for g in subtree if g in grids for r in grids[g].responsible if r.role in roles}
        if households > ratio * len(staff):
            src = sources[community.id]
            args = {"count": households, "staff": len(staff), "ratio": ratio}
            yield Problem("GC302", src.file, args, doc=src.doc, path=("id",), record=community.id)


def natural_villages(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """涉农网格以自然村为基础划分单元格，原则上不拆分自然村."""
    grids = ledger.grids()
    tree = GridTree.build(grids, ledger.grid_parents())
    where: dict[tuple[str, str], list[tuple[Grid, int]]] = defaultdict(list)
    sources = {g.id: s for g, s in ledger.records(Grid)}
    for grid in grids.values():
        if grid.area != settings.policy.rural_area:
            continue
        community = tuple(tree.community_of(grid.id, settings))
        for i, village in enumerate(grid.natural_villages):
            where[(community[0] if community else "", village)].append((grid, i))
    for (_community, village), holders in where.items():
        if len({g.id for g, _ in holders}) < 2:
            continue
        names = "、".join(sorted({f"{g.name} ({g.id})" for g, _ in holders}))
        for grid, i in holders:
            src = sources[grid.id]
            yield Problem(
                "GC303",
                src.file,
                {"village": village, "grids": names},
                doc=src.doc,
                path=("natural_villages", i),
                record=grid.id,
            )
