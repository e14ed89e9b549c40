"""`gridctl export KIND`: the ledger as the clerk's register, with the headers import reads back.

xlsx keeps ID numbers and phones as text cells (a number would lose digits and the leading 0 of
a landline); CSV is UTF-8 with a BOM so Excel opens it, ID numbers and phones start with a tab
so Excel does not turn them into numbers, and cells that Excel would run as a formula are
neutralised with an apostrophe. Personal data is masked unless `reveal`. Both carry the commit
they show (gridctl.excel.stamp), so importing the file back later is three-way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError, settings_broken
from gridctl.excel.mapping import DEFAULTS, Column
from gridctl.excel.rows import get_path
from gridctl.excel.stamp import Stamp, csv_line, put_xlsx
from gridctl.excel.values import FORMULA_START, csv_cells
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model import KINDS, Household, Record
from gridctl.model.masking import mask_date, mask_id_number, mask_phone, mask_text, mask_value
from gridctl.model.sensitive import is_sensitive

FORMATS = ("xlsx", "csv", "json")
KINDS_EXPORTED = tuple(DEFAULTS)
TEXT_KEYS = {"id_number", "phones", "phone", "rental.landlord_phone", "contact.phone", "first_responsible.phone"}
TEXT_KEYS |= {"household_id", "person_id", "id", "grid", "credit_code", "address.building", "address.unit"}
TEXT_KEYS |= {"address.room"}
"""Columns written as text cells: numbers here are codes, and Excel would mangle them."""


@dataclass
class Sheet:
    kind: str
    columns: list[Column]
    rows: list[list[Any]]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def sheet(ledger: Ledger, kind: str, reveal: bool = False) -> Sheet:
    """The kind's active records as rows, one per person for households."""
    if kind not in KINDS_EXPORTED:
        raise GridctlError(
            Text(
                f"不能导出 {kind!r}；可选: {'、'.join(KINDS_EXPORTED)}",
                f"cannot export {kind!r}; choose one of: {', '.join(KINDS_EXPORTED)}",
            )
        )
    columns = [c for c in DEFAULTS[kind] if c.key != "extra.备注"]
    grids = ledger.grids()
    records = sorted((r for r, _ in ledger.records(KINDS[kind]) if r.is_active), key=_order)
    extras = _extra_keys(records, kind)
    columns += [Column(f"extra.{name}", (name,)) for name in extras]
    rows = []
    for record in records:
        for person in _people(record):
            rows.append([_cell(c.key, record, person, grids, reveal) for c in columns])
    return Sheet(kind, columns, rows)


def _order(record: Record) -> tuple[str, str]:
    return (str(getattr(record, "grid", "")), record.id)


def _people(record: Record) -> Iterable[Any]:
    if isinstance(record, Household):
        return [p for p in record.members if p.retired is None] or [None]
    return [None]


def _extra_keys(records: list[Record], kind: str) -> list[str]:
    """Extra fields become columns; 户籍地址 and 备注 have their own place already."""
    own = {c.key[6:] for c in DEFAULTS[kind] if c.key.startswith("extra.")} - {"备注"}
    seen: dict[str, None] = {}
    for record in records:
        holders = [p for p in record.members] if isinstance(record, Household) else [record]
        for holder in holders:
            for name in holder.extra:
                if name not in own:
                    seen.setdefault(name, None)
    seen.pop("备注", None)
    return [*seen, "备注"]


def _cell(key: str, record: Record, person: Any, grids: dict[str, Any], reveal: bool) -> Any:
    household = isinstance(record, Household)
    if key in ("household_id", "id"):
        return record.id
    if key == "person_id":
        return person.id if person else None
    if key == "grid_name":
        grid = grids.get(getattr(record, "grid", ""))
        return grid.name if grid else None
    if household and key == "household_tags":
        return _tags(record.tags, reveal)
    holder = person if household and key not in _HOUSEHOLD_KEYS else record
    if key.startswith("extra."):
        return holder.extra.get(key[6:]) if holder is not None else None
    value = get_path(holder, key) if holder is not None else None
    if value is None:
        return None
    if key == "id_number":
        return value if reveal else mask_id_number(value)
    if key == "phones":
        return "、".join(value if reveal or not household else [mask_phone(p) for p in value]) or None
    if key == "tags":
        return _tags(value, reveal)
    if key == "birth_date" and not reveal:
        return mask_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and not reveal and not key.endswith("phone"):
        return mask_text(value)  # an ID number or a mobile typed into a note or an address
    return value


_HOUSEHOLD_KEYS = {"grid", "housing"} | {f"address.{p}" for p in ("estate", "building", "unit", "room", "text")}


def _tags(tags: list[str], reveal: bool) -> str | None:
    if not tags:
        return None
    return "、".join(tags) if reveal else "***"


# --- writing --------------------------------------------------------------------------------


def to_xlsx(data: Sheet, stamp: Stamp | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    if stamp is not None:
        put_xlsx(wb, stamp)
    ws = wb.create_sheet(TITLES.get(data.kind, data.kind))
    ws.freeze_panes = "A2"
    for n, column in enumerate(data.columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = WIDTHS.get(column.parse, 12)
    bold = Font(bold=True)
    header = []
    for title in data.headers:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    text_columns = [c.key in TEXT_KEYS for c in data.columns]
    for values in data.rows:
        cells = []
        for value, as_text in zip(values, text_columns, strict=True):
            cell = WriteOnlyCell(ws, value=_xlsx_value(value, as_text))
            if as_text:
                cell.number_format = "@"
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_value(value: Any, as_text: bool) -> Any:
    if value is None:
        return None
    if as_text or isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))  # a control character would abort the file
    return value


def to_csv(data: Sheet, stamp: Stamp | None = None) -> bytes:
    out = io.StringIO()
    if stamp is not None:
        out.write(csv_line(stamp) + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(data.headers)
    text_columns = [c.key in TEXT_KEYS for c in data.columns]
    for values in data.rows:
        writer.writerow(csv_cells(values, text_columns))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(ledger: Ledger, kind: str, reveal: bool) -> bytes:
    records = sorted((r for r, _ in ledger.records(KINDS[kind]) if r.is_active), key=_order)
    docs = [_mask(r.model_dump(mode="json", exclude_none=True), (), reveal) for r in records]
    return (json.dumps({"kind": kind, "records": docs}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _mask(node: Any, path: tuple[str | int, ...], reveal: bool) -> Any:
    if isinstance(node, dict):
        return {k: _mask(v, (*path, k), reveal) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask(v, (*path, i), reveal) for i, v in enumerate(node)]
    if not reveal and isinstance(node, str) and path and is_sensitive(path):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        return mask_value(name, node)
    if not reveal and isinstance(node, str):
        return mask_text(node)  # an ID number or a mobile typed into a note
    return node


def export(ledger: Ledger, kind: str, fmt: str, reveal: bool = False, stamp: Stamp | None = None) -> tuple[bytes, int]:
    """The file's bytes and how many records it holds; `stamp` names the revision it shows (for import)."""
    if fmt not in FORMATS:
        raise GridctlError(
            Text(
                f"不支持的格式 {fmt!r}；可选: {'、'.join(FORMATS)}",
                f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}",
            )
        )
    data = sheet(ledger, kind, reveal)
    count = len({row[0] for row in data.rows})
    if fmt == "json":
        return to_json(ledger, kind, reveal), count
    return (to_xlsx(data, stamp) if fmt == "xlsx" else to_csv(data, stamp)), count


def ledger_stamp(root: Path) -> Stamp | None:
    """HEAD, when the files are HEAD's: an export of uncommitted edits has no revision to name."""
    from gridctl.excel.stamp import of_ledger
    from gridctl.history.gitlog import git

    try:
        if git(root, "status", "--porcelain", "--untracked-files=no").strip():
            return None
    except Exception:
        return None
    return of_ledger(root)


def export_file(root: Path, kind: str, fmt: str, out: Path, reveal: bool = False) -> int:
    from gridctl.ledger.index import load
    from gridctl.output import write_output

    ledger, _problems = load(root)
    if ledger is None:
        raise settings_broken()
    data, count = export(ledger, kind, fmt, reveal, ledger_stamp(root))
    write_output(out, data, private=True)  # residents' data, even masked: the owner alone reads it
    return count


TITLES = {"household": "户籍人口", "staff": "工作人员", "place": "场所", "org": "组织"}
WIDTHS = {"id_number": 21, "phones": 16, "phone": 16, "date": 12, "words": 16}
