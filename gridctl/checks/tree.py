"""横向到边、纵向到底: one tree, no cycles, one step per level, every record in a leaf grid."""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.ledger.tree import GridTree, community_tier
from gridctl.messages import KIND_ZH
from gridctl.model import Grid
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def grid_tree(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    sources = {g.id: s for g, s in ledger.records(Grid)}
    grids = ledger.grids()
    if not grids:
        return
    tree = GridTree.build(grids, ledger.grid_parents())
    cycles = list(_cycles(grids, sources))
    in_cycle = {gid for p in cycles for gid in p.args["members"]}
    yield from cycles
    roots = sorted(g.id for g in grids.values() if g.parent is None)
    if len(roots) > 1:
        for root in roots:
            src = sources[root]
            yield Problem(
                "GC210",
                src.file,
                {"count": len(roots), "roots": ", ".join(roots)},
                doc=src.doc,
                path=("id",),
                record=root,
            )
    elif not roots and not cycles:
        first = min(grids)
        yield Problem(
            "GC210",
            sources[first].file,
            {"count": 0, "roots": "-"},
            doc=sources[first].doc,
            path=("parent",),
            record=first,
        )
    tiers = settings.level_index()
    community = community_tier(settings)
    for grid in grids.values():
        if grid.id in in_cycle:
            continue  # the cycle is the finding; levels along it mean nothing yet
        src = sources[grid.id]
        parent = grids.get(grid.parent) if grid.parent else None
        tier = tiers.get(grid.level)
        if parent is not None and tier is not None and parent.level in tiers and tiers[parent.level] != tier - 1:
            expected = "/".join(settings.levels[tier - 1].names) if tier > 0 else "-"
            args = {"level": grid.level, "expected": expected, "parent_level": parent.level}
            yield Problem("GC212", src.file, args, doc=src.doc, path=("parent",), record=grid.id)
            continue  # a level jump explains a missing 村/社区 too
        if community is not None and tier is not None and tier > community:
            found = len(tree.community_of(grid.id, settings))
            if found != 1 and (parent is not None or grid.parent is None):
                yield Problem("GC213", src.file, {"count": found}, doc=src.doc, path=("parent",), record=grid.id)


def _cycles(grids: dict[str, Grid], sources: dict) -> Iterator[Problem]:
    done: set[str] = set()
    for start in sorted(grids):
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = start
        while current is not None and current in grids and current not in done:
            if current in on_path:
                cycle = path[path.index(current) :]
                first = min(cycle)
                src = sources[first]
                loop = " → ".join([*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first])
                yield Problem(
                    "GC211",
                    src.file,
                    {"cycle": loop, "members": tuple(cycle)},
                    doc=src.doc,
                    path=("parent",),
                    record=first,
                )
                break
            path.append(current)
            on_path.add(current)
            current = grids[current].parent
        done.update(path)


def leaf_grids(ledger: Ledger, settings: Settings, slots: set[int] | None = None) -> Iterator[Problem]:
    """人无遗漏: households, places, orgs and things hang on a leaf grid, not on a community.
    `slots`: only the records of these files (a write's, gridctl.checks.SCOPED)."""
    held = list(ledger.holdings(slots))
    if not held:
        return  # a write of no holding: the grids are not even built
    grids = ledger.grids()
    tree = GridTree.in_use(grids, ledger.grid_parents())
    for handle, grid, _active in held:
        if grid in grids and not tree.is_leaf(grid):
            entry = ledger.entry_at(handle)
            args = {"kind": entry.kind, "kind_zh": KIND_ZH[entry.kind], "grid": grid, "grid_name": grids[grid].name}
            src = entry.source
            yield Problem("GC220", src.file, args, doc=src.doc, path=("grid",), record=entry.id)
