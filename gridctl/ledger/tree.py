"""The grid tree as the ledger's records describe it, tolerant of the breaks checks report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from gridctl.model import Grid
from gridctl.model.settings import Settings


@dataclass
class GridTree:
    grids: dict[str, Grid]
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, grids: dict[str, Grid], parents: dict[str, str | None] | None = None) -> GridTree:
        """The tree of valid grids; `parents` adds children whose own record failed its schema,
        so their parent is not mistaken for a leaf."""
        tree = cls(grids)
        links = parents if parents is not None else {g.id: g.parent for g in grids.values()}
        for gid, parent in links.items():
            if parent is not None and parent in grids:
                tree.children[parent].append(gid)
        return tree

    @classmethod
    def in_use(cls, grids: dict[str, Grid], parents: dict[str, str | None]) -> GridTree:
        """The tree of the grids in use: a retired child no longer splits its parent, so a 微网格
        folded back into its 网格 (retire --into) leaves a leaf that holds records and needs people."""
        return cls.build(grids, {g: p for g, p in parents.items() if g not in grids or grids[g].retired is None})

    def is_leaf(self, grid_id: str) -> bool:
        return grid_id in self.grids and not self.children.get(grid_id)

    def ancestors(self, grid_id: str) -> list[str]:
        """Parents upward from grid_id (exclusive); stops at a missing parent or a cycle."""
        out: list[str] = []
        seen = {grid_id}
        current = self.grids.get(grid_id)
        while current is not None and current.parent is not None and current.parent not in seen:
            out.append(current.parent)
            seen.add(current.parent)
            current = self.grids.get(current.parent)
        return out

    def descendants(self, grid_id: str) -> list[str]:
        out: list[str] = []
        stack = list(self.children.get(grid_id, ()))
        seen = {grid_id}
        while stack:
            gid = stack.pop()
            if gid in seen:
                continue
            seen.add(gid)
            out.append(gid)
            stack.extend(self.children.get(gid, ()))
        return out

    def community_of(self, grid_id: str, settings: Settings) -> list[str]:
        """The 村/社区 nodes at or above grid_id (normally exactly one below the town tier)."""
        tiers = _community_names(settings)
        chain = [grid_id, *self.ancestors(grid_id)]
        return [g for g in chain if g in self.grids and self.grids[g].level in tiers]


def _community_names(settings: Settings) -> set[str]:
    return {name for level in settings.levels if level.community for name in level.names}


def community_tier(settings: Settings) -> int | None:
    for i, level in enumerate(settings.levels):
        if level.community:
            return i
    return None
