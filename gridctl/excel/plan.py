"""What an import would do: the files it writes, what it counts, and which row each record came from."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.excel.findings import Finding
from gridctl.excel.rows import Issue, Layout
from gridctl.ledger.index import Ledger
from gridctl.ledger.names import full_names
from gridctl.model import Grid
from gridctl.problem import Problem

ColumnOf = Callable[[tuple[Any, ...]], str | None]


@dataclass
class Plan:
    added: int = 0
    """New records (households, for a household import)."""
    added_people: int = 0
    updated: int = 0
    """Rows that changed an existing record."""
    unchanged: int = 0
    filled: int = 0
    """People whose blank 出生日期/性别 were read off their ID number (gridctl.excel.derived)."""
    issues: list[Issue] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """What the rows do to each record, and what waits for the clerk (gridctl.excel.findings)."""
    blanks: list[tuple[int, str]] = field(default_factory=list)
    """(row, column) of blank cells whose value the ledger holds: kept, never cleared, and listed."""
    named: set[str] = field(default_factory=set)
    """Records of the ledger a row was matched to, by whatever column (staff, place and org registers)."""
    origin: dict[tuple[str, int, tuple[Any, ...]], tuple[int, ColumnOf]] = field(default_factory=dict)
    """(file, document, path prefix) → the row a record came from, and its field → column map."""

    edits: Any = field(default=None, repr=False)
    """The files opened for editing and the new ones (gridctl.excel.edit.FileEdits)."""
    _changes: dict[str, bytes | None] | None = field(default=None, repr=False)

    @property
    def changes(self) -> dict[str, bytes | None]:
        """The files to write, made when first asked for: a plan made only to learn which records'
        history to read is never written (1,000 edited files took 1.5 s to write out)."""
        if self._changes is None:
            self._changes = self.edits.changes() if self.edits is not None else {}
        return self._changes

    @changes.setter
    def changes(self, value: dict[str, bytes | None]) -> None:
        self._changes = value

    @property
    def open(self) -> list[Finding]:
        """Findings that keep the import from writing until the clerk chooses."""
        return [f for f in self.findings if f.open]

    def from_row(self, file: str, doc: int, prefix: tuple[Any, ...], row: int, column_of: ColumnOf) -> None:
        self.origin.setdefault((file, doc, prefix), (row, column_of))

    def locate(self, problem: Problem) -> Issue | None:
        """A ledger-wide problem in a written file, as a finding at the spreadsheet row it came from."""
        path = tuple(problem.path)
        for cut in (2, 0):
            if cut == 0 and path[:1] == ("members",):
                return None  # a member the sheet did not touch
            found = self.origin.get((problem.file, problem.doc, path[:cut]))
            if found is not None and len(path) >= cut:
                row, column_of = found
                return Issue(row, column_of(path[cut:]), problem=problem)
        return None


def norm_key(value: Any) -> str:
    """Text compared for matching: full-width folded, spaces dropped, case ignored."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).lower()


class Grids:
    """Grid cells name a grid by code (110105001001001) or by name (第一网格)."""

    def __init__(self, ledger: Ledger, base: str | None = None) -> None:
        self.grids: dict[str, Grid] = ledger.grids()
        parents = {g.parent for g in self.grids.values()}
        self.by_name: dict[str, list[str]] = {}
        for gid, grid in self.grids.items():
            self.by_name.setdefault(norm_key(grid.name), []).append(gid)
        self.full = full_names({gid: (g.name, g.parent) for gid, g in self.grids.items()})
        for gid, names in self.full.items():
            for name in names:
                self.by_name.setdefault(norm_key(name), []).append(gid)
        self.leaves = {gid for gid in self.grids if gid not in parents}
        self.then: dict[str, set[str]] = _names_at(ledger.root, base) if base is not None else {}
        """What the export (made at `base`, its stamp) wrote for each grid: a grid renamed since is
        still named so by the 网格名称 cells the clerk left alone."""

    def resolve(self, value: str, community: str | None = None) -> tuple[str | None, tuple[str, str] | None]:
        """(grid id, None) or (None, (zh, en) why not). `community`: the row's 社区 (or 村) cell,
        which tells apart the 第一网格 every community of a town has."""
        if value in self.grids:
            return value, None
        found = self.by_name.get(norm_key(value), [])
        if len(found) > 1:
            found = [g for g in found if g in self.leaves] or found
        if len(found) > 1 and community:
            within = self.by_name.get(norm_key(community + value), [])
            found = [g for g in found if g in within] or found
        if len(found) == 1:
            return found[0], None
        if found:
            told = "、".join(f"{self._full(g)} ({g})" for g in sorted(found))
            like = self._full(sorted(found)[0])
            return None, (
                f"网格名称“{value}”有多个: {told}；请写出全名 (如 {like})、网格编码，或加一列“社区”",
                f"grid name {value} names several grids: {told}; write the whole name "
                f"(e.g. {like}), the grid's code, or add a 社区 column",
            )
        return None, (f"台账中没有网格“{value}”", f"no grid {value} in the ledger")

    def names(self, gid: str | None) -> set[str]:
        """What a cell may say to name grid `gid`: its code, its name, its names after its community's."""
        if gid not in self.grids:
            return set()
        return {gid, norm_key(self.grids[gid].name), *(norm_key(n) for n in self.full.get(gid, ()))}

    def exported(self, gid: str | None) -> set[str]:
        """What the export's 网格名称 said for grid `gid` (its names at the export's commit), when the
        sheet carries a stamp; else nothing (a cell is read against today's names alone)."""
        return self.then.get(gid or "", set())

    def _full(self, gid: str) -> str:
        """The grid's name with its community's before it (安华西里社区第一网格)."""
        names = self.full.get(gid)
        return names[-2] if names else self.grids[gid].name


def _names_at(root: Path, base: str) -> dict[str, set[str]]:
    """Each grid's names at commit `base`, as Grids.names reads them."""
    from gridctl.history.changelog import grid_tree

    tree = grid_tree(root, base)
    full = full_names(tree)
    return {
        gid: {norm_key(name), *(norm_key(n) for n in full.get(gid, ()))} for gid, (name, _p) in tree.items() if name
    }


NO_GRID = (
    "缺少所属网格：新增记录需要填写“所属网格”列，或用 --grid 指定网格",
    "no grid: a new record needs a 所属网格 column, or --grid",
)


def grid_column(lay: Layout) -> str | None:
    return lay.header("grid") or lay.header("grid_name")


COMMUNITY = ("社区", "所属社区", "社区名称", "村", "村居", "所属村居", "村社区", "村/社区", "社区/村", "所属村社区")
"""The columns that name a row's 社区 or 村: kept as the register's own (extra:) and read to tell
apart two communities' grids of one name."""


def row_grid(
    values: dict[str, Any],
    lay: Layout,
    grids: Grids,
    default: str | None,
    row: int,
    extra: dict[str, str] | None = None,
    current: str | None = None,
) -> tuple[str | None, Issue | None]:
    """The grid of a row: 所属网格 and 网格名称, else --grid. `extra`: the row's other cells, where
    a 社区 column may say which community's 第一网格 it is. `current`: the grid of the record the
    row is (None for a new one). An export writes both cells; the clerk may edit either to move
    the record, so the one that differs from `current` wins, and two that differ from it and from
    each other refuse the row (never one silently)."""
    community = next((str(v).strip() for h, v in (extra or {}).items() if norm_key(h) in COMMUNITY and v), None)
    if "grid" in values and "grid_name" in values:
        code, name = str(values["grid"]), str(values["grid_name"])
        gid, why = grids.resolve(code, community)
        if why is not None:
            return None, Issue(row, lay.header("grid"), *why)
        if norm_key(name) in grids.names(gid) | grids.exported(gid):  # as exported, whatever it is called now
            return gid, None
        if current is not None and gid == current:  # only 网格名称 was edited: the grid it names
            return _resolved(grids, "grid_name", name, community, lay, row)
        if current is not None and norm_key(name) in grids.names(current) | grids.exported(current):
            return gid, None  # only 所属网格 was edited
        column = f"{lay.header('grid')}、{lay.header('grid_name')}"
        return None, Issue(row, column, *_two_grids(lay, code, name))
    if "grid_name" in values and current is not None and norm_key(str(values["grid_name"])) in grids.exported(current):
        return current, None  # 网格名称 alone, as the export wrote it: the grid renamed since is no move
    for key in ("grid", "grid_name"):
        if key in values:
            return _resolved(grids, key, str(values[key]), community, lay, row)
    return default, None


def _resolved(
    grids: Grids, key: str, value: str, community: str | None, lay: Layout, row: int
) -> tuple[str | None, Issue | None]:
    gid, why = grids.resolve(value, community)
    if why is not None:
        return None, Issue(row, lay.header(key), *why)
    return gid, None


def _two_grids(lay: Layout, code: str, name: str) -> tuple[str, str]:
    """所属网格 and 网格名称 name two grids, and neither is the record's own: which one is meant?"""
    code_h, name_h = lay.header("grid"), lay.header("grid_name")
    return (
        f"{code_h}“{code}”与{name_h}“{name}”不是同一网格；请只改其中一列，或两列都改为同一网格",
        f"{code_h} {code} and {name_h} {name} name two grids; change one of the two columns, or both to one grid",
    )
