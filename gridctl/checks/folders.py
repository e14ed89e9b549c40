"""A record file lies in the folder of the grid it names (design.md §2: households/<grid>/ …), and
a dated record's in the folder of its month (events/<yyyy>/<mm>/, inspections/…, visits/…, activities/…).

The loader finds records wherever they are, so a file dragged into another grid's folder in the
file explorer still reads; but the clerk who opens that folder sees a household gridctl counts in
another grid, and nothing says which of the two is meant. So it is with an inspection dragged
into another month's folder, or one whose date was changed by hand with the file left where it
was: the month's folder shows it where the monthly report does not count it. Both are errors, as
GC221 is: either side may be the one meant, and the clerk decides (GC222's way to agree is an edit
of the date, which files the record by it: gridctl.ops.months). Checked over the whole ledger on
every run: a file's own findings are kept by its content, and a moved file keeps its content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.ledger.layout import BY_GRID, BY_MONTH, DATED_BY
from gridctl.messages import KIND_ZH
from gridctl.model.labels import label
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def grid_folders(ledger: Ledger, settings: Settings, slots: set[int] | None = None) -> Iterator[Problem]:
    """`slots`: only the records of these files (a write's, gridctl.checks.SCOPED)."""
    c = ledger.cols
    grids = set(ledger.grids())
    for handle, path, grid, _kind in ledger.refs(slots):
        kind = c.e_kind[handle]
        top = BY_GRID.get(kind)
        if top is None or tuple(path) != ("grid",) or c.e_member[handle] >= 0:
            continue
        rel = c.files[c.slot_of_entry(handle)]
        folder, expected = rel.rpartition("/")[0], f"{top}/{grid}"
        if folder == expected or grid not in grids:
            continue  # a grid that is not there is GC202's to name
        entry = ledger.entry_at(handle)
        args = {"folder": folder or ".", "expected": expected, "grid": grid, "id": entry.id, "kind": kind}
        args.update(kind_zh=KIND_ZH.get(kind, kind), **_or_the_folders(entry.id, top, folder, grids))
        yield Problem("GC221", rel, args, doc=entry.source.doc, path=("grid",), record=entry.id)


def _or_the_folders(rid: str, top: str, folder: str, grids: set[str]) -> dict[str, str]:
    """The other way to agree, when the folder is a grid's: the record belongs to that grid (its
    grid: was changed by hand), and a move to it sets grid: and leaves the file where it is."""
    parent, _slash, name = folder.rpartition("/")
    if parent != top or name not in grids:
        return {"also": "", "also_zh": ""}
    return {
        "also": f"; if it belongs to {name}, gridctl move {rid} --to {name} (its grid: becomes {name})",
        "also_zh": f"；它属于 {name}，就用 gridctl move {rid} --to {name} (grid 改为 {name})",
    }


def month_folders(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    for kind, top in BY_MONTH.items():
        field = DATED_BY[kind]
        for rel, entry_of, month in ledger.months(kind):
            folder, expected = rel.rpartition("/")[0], f"{top}/{month}"
            if folder == expected:
                continue
            entry = entry_of()
            when = _shown(entry.record, field)
            again = f"{'.'.join(field)}={when}"
            args = {"folder": folder or ".", "expected": expected, "id": entry.id, "kind": kind, "date": when}
            args.update(kind_zh=KIND_ZH.get(kind, kind), field=".".join(field), field_zh=label(kind, field))
            args["again"] = f'"{again}"' if " " in again else again
            yield Problem("GC222", rel, args, doc=entry.source.doc, path=field, record=entry.id)


def _shown(record: object, field: tuple[str, ...]) -> str:
    """The date as a clerk types it back: 2026-03-03, or 2026-03-03 09:40."""
    value = record
    for step in field:
        value = getattr(value, step)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" + ("" if value.second == 0 else f":{value:%S}")
    return str(value)
