"""`gridctl export KIND`: the ledger as the clerk's register, with the headers import reads back.

xlsx keeps ID numbers and phones as text cells (a number would lose digits and the leading 0 of
a landline); CSV is UTF-8 with a BOM so Excel opens it, ID numbers and phones start with a tab
so Excel does not turn them into numbers, and cells that Excel would run as a formula are
neutralised with an apostrophe. Personal data is masked unless `reveal`. Both carry the commit
they show (gridctl.excel.stamp), so importing the file back later is three-way.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.excel.mapping import DEFAULTS, Column
from gridctl.excel.rows import get_path
from gridctl.excel.stamp import Stamp, csv_line, put_xlsx
from gridctl.excel.values import FORMULA_START, csv_cells
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model import KINDS
from gridctl.model.masking import mask_date, mask_free, mask_id_number, mask_phone, mask_value
from gridctl.model.sensitive import is_sensitive, unsealed

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
    rows: Iterable[list[Any]]
    """Made as they are written (once): 100,000 households' 275,000 rows held at once took 600 MB."""
    records: int = 0

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def sheet(ledger: Ledger, kind: str, reveal: bool = False) -> Sheet:
    """The kind's active records as rows, one per person for households.

    Read from the rows the cache keeps (each record's fields, gridctl.ledger.rows), not from typed
    records: building 100,000 households took the export 1.9 GB."""
    if kind not in KINDS_EXPORTED:
        raise GridctlError(
            Text(
                f"不能导出 {kind!r}；可选: {'、'.join(KINDS_EXPORTED)}",
                f"cannot export {kind!r}; choose one of: {', '.join(KINDS_EXPORTED)}",
            )
        )
    columns = [c for c in DEFAULTS[kind] if c.key != "extra.备注"]
    grids = {gid: grid.name for gid, grid in ledger.grids().items()}
    people, mixed = _people_rows(ledger) if kind == "household" else ({}, set())
    records = sorted(
        (_holders(entry, data, people, mixed) for entry, data in ledger.plain_rows(kind) if _active(data)),
        key=lambda held: _order(held[0]),
    )
    extras = _extra_keys(records, kind)
    columns += [Column(f"extra.{name}", (name,)) for name in extras]
    days = [c.parse == "date" for c in columns]

    def rows() -> Iterator[list[Any]]:
        for record, members in records:
            for person in _people(record, members):
                yield [_cell(c.key, record, person, grids, reveal, d) for c, d in zip(columns, days, strict=True)]

    return Sheet(kind, columns, rows(), len(records))


def exported_ids(ledger: Ledger, kind: str) -> dict[str, str]:
    """id → name of what an export of `kind` lists, row by row (a household's register: its active
    households' members who are not retired), in the export's order."""
    if kind != "household":
        return {str(d["id"]): str(d.get("name") or "") for _e, d in ledger.plain_rows(kind) if _active(d)}
    houses = {d["id"] for _e, d in ledger.plain_rows("household") if _active(d)}
    return {
        str(d["id"]): str(d.get("name") or "")
        for house, d in ledger.row_dicts("person")
        if house in houses and d.get("retired") is None
    }


def _active(data: dict[str, Any]) -> bool:
    return data.get("retired") is None and data.get("active", True) is not False


def _order(record: dict[str, Any]) -> tuple[str, str]:
    return (str(record.get("grid") or ""), str(record["id"]))


Held = tuple[dict[str, Any], list[dict[str, Any]]]
"""A record's row and, for a household, its members' rows in the order of its file."""


def _people_rows(ledger: Ledger) -> tuple[dict[tuple[str | None, str], dict[str, Any]], set[str | None]]:
    """Every person's row by (household id, person id), and the households where that pair is
    not one person (a person id twice, a household file copied without a new id): theirs are
    read from the typed household, or one household's row would show another's person."""
    people: dict[tuple[str | None, str], dict[str, Any]] = {}
    mixed: set[str | None] = set()
    for house, data in ledger.row_dicts("person"):
        key = (house, data["id"])
        if key in people:
            mixed.add(house)
        people[key] = data
    return people, mixed


def _holders(entry: Callable[[], Any], record: dict[str, Any], people: dict[Any, Any], mixed: set[Any]) -> Held:
    """The record's row and its members' rows; read typed when the rows cannot tell: members
    shared with another household, or an extra value that may be a day (a row keeps a day and a
    text that reads like one alike, and a day is a date cell)."""
    household = record.get("kind") == "household"
    members = [] if not household or record["id"] in mixed else _members(record, people)
    if (household and record["id"] in mixed) or any(_day_like(h) for h in (record, *members)):
        typed = entry().record
        record = {**record, "extra": dict(typed.extra)}
        if household:
            members = [{**p.model_dump(mode="json"), "extra": dict(p.extra)} for p in typed.members]
    return record, members


def _day_like(holder: dict[str, Any]) -> bool:
    return any(isinstance(v, str) and _DAY.match(v) for v in (holder.get("extra") or {}).values())


_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _members(record: dict[str, Any], people: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    """A household's members' rows, in the order of its file (each household's own, by person id)."""
    house = record["id"]
    return [people[(house, m["id"])] for m in record.get("members") or [] if (house, m.get("id")) in people]


def _people(record: dict[str, Any], members: list[dict[str, Any]]) -> list[Any]:
    if record.get("kind") == "household":
        return [p for p in members if p.get("retired") is None] or [None]
    return [None]


def _extra_keys(records: list[Held], kind: str) -> list[str]:
    """Extra fields become columns; 户籍地址 and 备注 have their own place already."""
    own = {c.key[6:] for c in DEFAULTS[kind] if c.key.startswith("extra.")} - {"备注"}
    seen: dict[str, None] = {}
    for record, members in records:
        for holder in members if kind == "household" else [record]:
            for name in holder.get("extra") or {}:
                if name not in own:
                    seen.setdefault(name, None)
    seen.pop("备注", None)
    return [*seen, "备注"]


def _cell(key: str, record: dict[str, Any], person: Any, grids: dict[str, str], reveal: bool, day: bool) -> Any:
    household = record.get("kind") == "household"
    if key in ("household_id", "id"):
        return record["id"]
    if key == "person_id":
        return person["id"] if person else None
    if key == "grid_name":
        return grids.get(record.get("grid") or "")
    if household and key == "household_tags":
        return _tags(record.get("tags") or [], reveal)
    holder = person if household and key not in _HOUSEHOLD_KEYS else record
    if key.startswith("extra."):
        value = (holder.get("extra") or {}).get(key[6:]) if holder is not None else None
        value = value if reveal else mask_free(value)  # an ID number or a mobile kept in an extra field
        if isinstance(value, list | dict):  # a list or a mapping in one cell: as JSON text (xlsx had no cell for it)
            return json.dumps(value, ensure_ascii=False, default=str)
        return value
    value = get_path(holder, key) if holder is not None else None
    if value is None:
        return None
    if day and isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value)  # a row keeps a day as its ISO text
    if reveal:
        value = unsealed(value)  # no key here opens it: named (已加密), never the ciphertext
    if key == "id_number":
        return value if reveal else mask_id_number(value)
    if key == "phones":
        return "、".join(value if reveal or not household else [mask_phone(p) for p in value]) or None
    if key == "tags":
        return _tags(value, reveal)
    if key == "category" and not reveal:
        return "***"  # 四类管理 (不放心人员, 重点人员) says as much as a care group: masked as a whole
    if key == "birth_date" and not reveal:
        return mask_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if not reveal and is_sensitive(tuple(key.split("."))):  # a landlord's phone (rental.landlord_phone)
        return mask_value(key, str(value))
    if not reveal and not key.endswith("phone"):
        return mask_free(value)  # an ID number or a mobile typed into a note, an address or an extra
    return value


def shown_masked(kind: str, key: str, record: dict[str, Any]) -> Any:
    """The cell a masked export of `kind` shows for `record`'s field `key` (import reads it back as unchanged)."""
    return _cell(key, {"kind": kind, **record}, None, {}, False, False)


_HOUSEHOLD_KEYS = {"grid", "housing"} | {f"address.{p}" for p in ("estate", "building", "unit", "room", "text")}


def _tags(tags: list[str], reveal: bool) -> str | None:
    if not tags:
        return None
    return "、".join(unsealed(tags)) if reveal else "***"


# --- writing --------------------------------------------------------------------------------


def to_xlsx(data: Sheet, stamp: Stamp | None = None) -> bytes:
    """The sheet through XlsxWriter, row by row (constant memory, strings written in the cells as
    Apache POI's streaming writer does; Excel, WPS and openpyxl read them): openpyxl took 6.5 s to
    write 12,000 households' 33,000 rows and 1.9 GB at 100,000; XlsxWriter 2.8 s. Codes are text
    cells, days are dates, and a cell that starts like a formula is text with Excel's apostrophe."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gridctl-export-") as scratch:  # gone however the export ends
        return _write_xlsx(data, stamp, scratch)


def _write_xlsx(data: Sheet, stamp: Stamp | None, scratch: str) -> bytes:
    """XlsxWriter keeps the rows written so far in files of its own until it closes the workbook,
    and leaves them behind if it never does: they go to `scratch`, which the caller removes (an
    export stopped half-way left residents' rows in the system's temporary folder)."""
    import xlsxwriter

    out = io.BytesIO()
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    wb = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": scratch, **options})
    if stamp is not None:
        put_xlsx(wb, stamp)
    ws = wb.add_worksheet(TITLES.get(data.kind, data.kind))
    ws.freeze_panes(1, 0)
    for n, column in enumerate(data.columns):
        ws.set_column(n, n, WIDTHS.get(column.parse, 12))
    ws.write_row(0, 0, data.headers, wb.add_format({"bold": True}))
    text, day = wb.add_format({"num_format": "@"}), wb.add_format({"num_format": "yyyy-mm-dd"})
    inert = {as_text: wb.add_format({"quote_prefix": True} | ({"num_format": "@"} if as_text else {}))
             for as_text in (False, True)}  # fmt: skip
    text_columns = [c.key in TEXT_KEYS for c in data.columns]
    for r, values in enumerate(data.rows, start=1):
        for c, (value, as_text) in enumerate(zip(values, text_columns, strict=True)):
            cell = _xlsx_value(value, as_text)
            if cell is None:
                if as_text:
                    ws.write_blank(r, c, None, text)
            elif isinstance(cell, str):
                if len(cell) > XLSX_CELL:
                    raise _too_long(values[0], data.columns[c].header, len(cell))
                look = inert[as_text] if cell.startswith(FORMULA_START) else text if as_text else None
                ws.write_string(r, c, cell, look)
            elif isinstance(cell, bool):
                ws.write_boolean(r, c, cell)  # an extra field's yes/no: write_number made it 1
            elif isinstance(cell, dt.date):
                moment = cell if isinstance(cell, dt.datetime) else dt.datetime.combine(cell, dt.time())
                ws.write_datetime(r, c, moment, day)
            else:
                ws.write_number(r, c, cell)
    wb.close()
    return out.getvalue()


XLSX_CELL = 32_767
"""The most characters an Excel cell holds; a longer text would be cut, and importing the
register back would cut the record."""


def _too_long(record: Any, header: str, length: int) -> GridctlError:
    return GridctlError(
        Text(
            f"{record} 的“{header}”有 {length} 字，超过 Excel 单元格的上限 {XLSX_CELL} 字，未导出",
            f"{record}: {header} holds {length} characters, more than an Excel cell's {XLSX_CELL}; nothing exported",
        ),
        hint=Text("用 --format csv 导出 (不限长度)", "export with --format csv (no limit)"),
    )


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
    records = [r for r, _ in ledger.records(KINDS[kind]) if r.is_active]
    records.sort(key=lambda r: (str(getattr(r, "grid", "") or ""), r.id))
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
    if not reveal:
        return mask_free(node)  # an ID number or a mobile typed into a note or an extra
    return unsealed(node)


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
    count = data.records
    if fmt == "json":
        return to_json(ledger, kind, reveal), count
    return (to_xlsx(data, stamp) if fmt == "xlsx" else to_csv(data, stamp)), count


def stamp_of(root: Path, files: Any) -> Stamp | None:
    """The revision an export shows: the commit read (--as-of), or HEAD when the working tree's
    files are HEAD's; an export of uncommitted edits has no revision to name."""
    from gridctl.excel.stamp import of_ledger
    from gridctl.history.gitlog import git
    from gridctl.ledger.files import GitTree

    if isinstance(files, GitTree):
        return of_ledger(root, files.commit)
    try:
        if git(root, "status", "--porcelain", "--untracked-files=no").strip():
            return None
    except Exception:
        return None
    return of_ledger(root)


TITLES = {"household": "户籍人口", "staff": "工作人员", "place": "场所", "org": "组织"}
WIDTHS = {"id_number": 21, "phones": 16, "phone": 16, "date": 12, "words": 16}
