"""Ids: unique across the ledger (for life), and in the ledger's format."""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.model import Grid
from gridctl.model.settings import Settings
from gridctl.problem import Problem

NEW_ID = {"fix": "give one of them a new id", "fix_zh": "给其中一条分配新 id"}
"""GC201's fix; a merge that brought in an id both sides added names its own (gridctl.merge.gitmerge)."""


def unique_ids(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    for rid, entries in ledger.duplicate_ids().items():
        for i, entry in enumerate(entries):
            other = entries[1] if i == 0 else entries[0]
            where = f"{other.source.file}" + (f" ({other.kind})" if other.kind != entry.kind else "")
            yield Problem(
                "GC201",
                entry.source.file,
                {"id": rid, "other": where, **NEW_ID},
                doc=entry.source.doc,
                path=(*entry.source.path, "id"),
                record=rid,
            )


def id_formats(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    patterns = settings.id_patterns()
    for entry in ledger.entries:
        pattern = patterns.get(entry.kind)
        if pattern is not None and not pattern.match(entry.id):
            args = {"kind": entry.kind, "value": entry.id, "format": settings.id_formats[entry.kind]}
            yield Problem(
                "GC110", entry.source.file, args, doc=entry.source.doc, path=(*entry.source.path, "id"), record=entry.id
            )


def grid_codes(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """Numeric codes: the level's length, the parent's code as prefix, the region as prefix."""
    tiers = {name: level for level in settings.levels for name in level.names}
    grids = ledger.grids()
    for grid, source in ledger.records(Grid):
        level = tiers.get(grid.level)
        if level is None or level.code_digits is None:
            continue
        detail: tuple[str, str] | None = None
        if not grid.id.isdigit() or len(grid.id) != level.code_digits:
            detail = (
                f"{grid.level}编码应为 {level.code_digits} 位数字",
                f"a {grid.level} code has {level.code_digits} digits",
            )
        elif settings.region_code and not grid.id.startswith(settings.region_code):
            detail = (
                f"应以区县代码 {settings.region_code} 开头",
                f"must start with the region code {settings.region_code}",
            )
        elif grid.parent in grids and grid.parent.isdigit() and not grid.id.startswith(grid.parent):
            detail = (f"应以上级编码 {grid.parent} 开头", f"must start with its parent's code {grid.parent}")
        if detail:
            args = {"value": grid.id, "detail_zh": detail[0], "detail": detail[1]}
            yield Problem("GC111", source.file, args, doc=source.doc, path=("id",), record=grid.id)
