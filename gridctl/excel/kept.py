"""Cells of a register read back that keep the ledger's value: a masked cell as the export showed it,
and a blank cell (listed, never a clear: the clerk types （清空） to clear a value).

Staff, place and organization registers; households do the same in gridctl.excel.masked and
gridctl.excel.households.
"""

from __future__ import annotations

import re
from typing import Any

from gridctl.excel.masked import MASKED, Exported
from gridctl.excel.rows import Issue, Layout, ParsedRow, get_path, set_dotted
from gridctl.excel.values import blank, text
from gridctl.model.masking import SEALED_SHOWN

SHOWS_MASK = re.compile(r"\d{6}\*{8,12}|(?<!\d)\d{3}\*{2,}\d{4}(?!\d)|^\*+$|" + re.escape(SEALED_SHOWN))
"""What a masked export writes for an ID number, a phone, a masked word, or a value no key opened."""


def shows_mask(value: Any) -> bool:
    return isinstance(value, str) and SHOWS_MASK.search(value) is not None


def unmask_cells(
    kind: str,
    record: dict[str, Any] | None,
    values: dict[str, Any],
    extra: dict[str, str],
    row: int,
    lay: Layout,
    exported: Exported | None = None,
) -> list[Issue]:
    """Drop the cells that still show what the masked export showed for `record` (the ledger's record, as
    a dict; None for a new row): unchanged. With `exported` (a sheet with a stamp), so is the mask of
    the value at the export's commit: changed in the ledger since, the cell left alone, the ledger's
    value kept. A cell showing a mask of anything else is refused, never written into the record."""
    out = []
    cells = [(k, v, values) for k, v in values.items()] + [(f"extra.{k}", v, extra) for k, v in extra.items()]
    for key, value, held_in in cells:
        if not shows_mask(value):
            continue
        if not _as_shown(kind, key, value, record, exported):
            out.append(Issue(row, lay.header(key) or (key[6:] if key.startswith("extra.") else key), *MASKED))
        del held_in[key if held_in is values else key[6:]]
    return out


def _as_shown(kind: str, key: str, value: Any, record: dict[str, Any] | None, exported: Exported | None) -> bool:
    """Whether a masked cell is what an export showed for the record: now, or at the export's commit."""
    from gridctl.excel.export import shown_masked

    if record is None:
        return False
    if text(shown_masked(kind, key, record)) == text(value):
        return True
    if exported is None:
        return False
    known, then = exported(key)
    if not known:
        return True  # the record's history is read and the plan made again
    data: dict[str, Any] = {}
    set_dotted(data, key, then)
    return then is not None and text(shown_masked(kind, key, data)) == text(value)


def blanks(row: ParsedRow, lay: Layout, record: Any, skipped: tuple[str, ...]) -> list[tuple[int, str]]:
    """(row, column) of every blank cell whose field holds a value in the ledger: kept, and listed."""
    extra = getattr(record, "extra", None) or {}
    cells = [(i, h, extra.get(k[6:]) if k.startswith("extra.") else get_path(record, k))
             for k, (i, _c, h) in lay.fields.items() if k not in skipped]  # fmt: skip
    cells += [(i, h, extra.get(h)) for i, h in lay.extras]
    return blank_cells(row, cells)


def blank_cells(row: ParsedRow, cells: list[tuple[int, str, Any]]) -> list[tuple[int, str]]:
    """(row, column) of the blank ones of `cells` (index, header, the ledger's value) that hold a value."""
    return [(row.number, header) for index, header, held in cells if _blank(row, index) and _held(held)]


def _blank(row: ParsedRow, index: int) -> bool:
    return index >= len(row.raw) or blank(row.raw[index])


def _held(value: Any) -> bool:
    return value not in (None, "", [], ()) and not isinstance(value, bool)  # a yes/no has a value always
