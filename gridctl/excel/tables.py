"""A clerk's spreadsheet as a table: header labels and numbered rows.

Registers come as xlsx (a title row merged across the top, two-row headers with merged group
cells, blank rows between households) or as CSV saved by Excel (UTF-8 with a BOM, or GBK/
GB18030 from a Chinese Windows). Row numbers are the ones Excel shows, so a clerk can find them.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.excel.stamp import Stamp, from_csv, from_xlsx
from gridctl.i18n import Text

HEADER_SCAN = 20
"""Header rows are looked for among the first rows that have any content."""


class TableError(GridctlError):
    """The file cannot be read as a table: missing, not a workbook, unknown sheet, no header."""


def no_sheet(name: str, sheet: str, names: list[str]) -> TableError:
    listed = "、".join(names)
    return TableError(
        Text(f"{name}: 没有名为“{sheet}”的工作表", f"{name}: no sheet named {sheet!r}"),
        hint=Text(f"该工作簿中的工作表: {listed}", f"sheets in this workbook: {listed}"),
    )


@dataclass(slots=True)
class Row:
    number: int
    """The row number Excel shows (1-based, counting title and header rows)."""
    values: list[Any]

    def get(self, index: int) -> Any:
        return self.values[index] if index < len(self.values) else None


@dataclass
class Table:
    name: str
    """The file name as the clerk knows it, for messages."""
    headers: list[str]
    """One label per column as written (whitespace tidied); "" where a column has no header."""
    rows: list[Row] = field(default_factory=list)
    epoch: dt.datetime | None = None
    """The workbook's date system (1900 or 1904) for Excel serial numbers."""
    sheet: str | None = None
    stamp: Stamp | None = None
    """The revision an export was made from (gridctl.excel.stamp), when the file is one."""
    positions: dict[str, int] = field(default_factory=dict)
    """Column index of each header label, for listing findings in the sheet's column order."""
    footers: list[int] = field(default_factory=list)
    """Rows left out as not a person's: 合计/小计 lines and 填表人：… 审核人：… lines (see _footer)."""
    unsaved: dict[tuple[int, int], str] = field(default_factory=dict)
    """The cell name (E2) of each formula cell without a saved value, by (row number, column index):
    a workbook written by a program (openpyxl, Apache POI) holds the formula only, which Excel or WPS
    computes when it opens the file; read here, the cell would be blank."""


def label(value: Any) -> str:
    """A header cell as text, newlines and runs of spaces tidied (`公民身份\\n号码` → `公民身份号码`)."""
    if value is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_table(path: Path, key_of: Callable[[str], str | None], sheet: str | None = None) -> Table:
    """Read a workbook sheet or a CSV file; `key_of` names the field a header label stands for."""
    if not path.is_file():
        raise TableError(
            Text(f"找不到文件: {path}", f"no such file: {path}"),
            hint=Text("检查路径和文件名", "check the path and the file name"),
        )
    suffix = path.suffix.lower()
    stamp = None
    unsaved: dict[tuple[int, int], str] = {}
    if suffix in (".xlsx", ".xlsm"):
        raw, epoch, sheet_name, stamp = _read_xlsx(path, sheet, unsaved)
    elif suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:
            raise TableError(
                Text(
                    f"--sheet 只用于工作簿；{path.name} 没有工作表",
                    f"--sheet applies to workbooks, not to {path.name}",
                )
            )
        (raw, stamp), epoch, sheet_name = _read_csv(path), None, None
    elif suffix in (".xls", ".ods"):
        from gridctl.excel.legacy import read_calamine

        raw, sheet_name = read_calamine(path, sheet)
        epoch = None
    elif suffix in (".et", ".ett", ".wps"):
        raise TableError(
            Text(f"{path.name}: 不能直接读取 WPS 格式 (.et)", f"{path.name}: a WPS file cannot be read"),
            hint=Text(
                "用 WPS 打开，另存为 → Excel 工作簿 (.xlsx)，再导入 .xlsx",
                "open it in WPS and save as Excel (另存为 → Excel 工作簿 .xlsx), then import the .xlsx",
            ),
        )
    else:
        raise TableError(
            Text(
                f"{path.name}: 只能导入 .xlsx、.xls、.ods 或 .csv 文件",
                f"{path.name}: expected .xlsx, .xls, .ods or .csv",
            ),
            hint=Text(
                "在 Excel 中把登记表另存为 .xlsx 或 CSV (UTF-8)",
                "save the register from Excel as .xlsx or as CSV (UTF-8)",
            ),
        )
    headers, start = _find_header(raw, key_of, path.name)
    computed = {n for n, _i in unsaved}  # a row of formulas alone is no blank row
    rows = [Row(n, values) for n, values in raw[start:] if not _blank(values) or n in computed]
    positions: dict[str, int] = {}
    for i, h in enumerate(headers):
        positions.setdefault(h, i)
    footers = [r.number for r in rows if _footer(r.values)]
    rows = [r for r in rows if r.number not in footers]
    return Table(path.name, headers, rows, epoch, sheet_name, stamp, positions, footers, unsaved)


_TOTAL = re.compile(r"^(合计|总计|小计|共计|累计)")


def _footer(values: list[Any]) -> bool:
    """A totals line (合计 | 4人 …, its first cell 合计/小计/总计) or a signature line whose every cell
    is 填表人：… 审核人：…: a register's bottom, read as a person it added "4人" to the last household."""
    # each cell's label only as far as needed: every row of a 10,000-row register is asked (0.7 s)
    cells = (label(v) for v in values if not (v is None or (isinstance(v, str) and not v.strip())))
    first = next(cells, None)
    if first is None:
        return False
    return bool(_TOTAL.match(first)) or (bool(_FORM.search(first)) and all(_FORM.search(c) for c in cells))


# --- xlsx -----------------------------------------------------------------------------------


def _read_xlsx(
    path: Path, sheet: str | None, unsaved: dict[tuple[int, int], str]
) -> tuple[list[tuple[int, list[Any]]], dt.datetime | None, str, Stamp | None]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with _unsized_sheets():
            wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableError(
            Text(
                f"{path.name}: 无法读取该 Excel 文件 ({type(exc).__name__})",
                f"{path.name}: not a readable xlsx workbook ({type(exc).__name__})",
            ),
            hint=Text(
                "用 Excel 打开后重新另存为 .xlsx；有密码保护的工作簿需先取消保护",
                "open it in Excel and save it again as .xlsx; a password-protected workbook must be unprotected",
            ),
        ) from None
    try:
        names = [ws.title for ws in wb.worksheets]
        if sheet is None:
            visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
            ws = (visible or wb.worksheets)[0]
        elif sheet in names:
            ws = wb[sheet]
        else:
            raise no_sheet(path.name, sheet, names)
        if not hasattr(ws, "_get_source"):
            raise TableError(
                Text(
                    f"{path.name}: 工作表“{ws.title}”是图表，不是表格",
                    f"{path.name}: sheet {ws.title!r} is a chart, not a table",
                )
            )
        rows = _sheet_rows(wb, ws, unsaved)
        return rows, wb.epoch, ws.title, from_xlsx(wb)
    finally:
        wb.close()


@contextlib.contextmanager
def _unsized_sheets() -> Iterator[None]:
    """openpyxl's read-only workbook without each sheet's size read up front: a sheet with no
    `<dimension>` at its top (openpyxl's own write-only files, gridctl's exports among them) was
    parsed whole for it, 0.6 s of a 10,000-row register, and the rows are counted as they are read."""
    from openpyxl.reader import excel

    plain = excel.ReadOnlyWorksheet

    class Unsized(plain):  # type: ignore[misc, valid-type]
        def _get_size(self) -> None:
            return None

    excel.ReadOnlyWorksheet = Unsized
    try:
        yield
    finally:
        excel.ReadOnlyWorksheet = plain


def _sheet_rows(wb: Any, ws: Any, unsaved: dict[tuple[int, int], str] | None = None) -> list[tuple[int, list[Any]]]:
    """Every row with its number, merged ranges filled with their top-left value; each formula cell
    without a saved value named in `unsaved`.

    openpyxl's read-only sheet does not expose merged ranges; its parser does, once the
    sheet is read (they sit after the cells in the XML). Without them, rows come as is.
    """
    try:
        from openpyxl.worksheet._reader import WorkSheetParser
    except ImportError:  # pragma: no cover - a future openpyxl
        WorkSheetParser = None
    out: list[tuple[int, list[Any]]] = []
    merged: list[str] = []
    if WorkSheetParser is None:
        ws.reset_dimensions()
        for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
            out.append((n, list(values)))
        return out
    with ws._get_source() as src:
        parser = _plain_strings(WorkSheetParser)(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        parser.unsaved = {} if unsaved is None else unsaved
        for n, cells in parser.parse():
            values: list[Any] = []
            for cell in cells:
                col = cell["column"]
                if col > len(values):
                    values.extend([None] * (col - len(values)))
                values[col - 1] = cell["value"]
            out.append((n, values))
        if parser.merged_cells is not None:
            merged = [m.ref for m in parser.merged_cells.mergeCell]
    if merged:
        _fill_merged(out, merged)
    return out


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _plain_strings(parser: Any) -> Any:
    """openpyxl's sheet parser, with a cell's own string (an inline string, as openpyxl and some
    tools write every text cell) taken as its text runs joined, as openpyxl's Text.content gives
    it, without building the rich-text objects: that took 40% of reading a 10,000-row register."""
    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

    inline, text, run, formula = f"{_MAIN}is", f"{_MAIN}t", f"{_MAIN}r", f"{_MAIN}f"

    class PlainStrings(parser):  # type: ignore[misc, valid-type]
        unsaved: dict[tuple[int, int], str]

        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") != "inlineStr" or not self.data_only:
                cell: dict[str, Any] = super().parse_cell(element)
                row, column = cell["row"], cell["column"]
                if cell["value"] is None and element.find(formula) is not None:
                    self.unsaved[(row, column - 1)] = f"{get_column_letter(column)}{row}"
                return cell
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            style = element.get("s", 0)
            child = element.find(inline)
            value, kind = None, "inlineStr"
            if child is not None:
                own = child.findall(text)  # one in a valid file; openpyxl keeps the last of several
                parts = [own[-1].text if own else None] + [r.findtext(text) for r in child.iterfind(run)]
                value, kind = "".join(p for p in parts if p), "s"
            return {"row": row, "column": column, "value": value, "data_type": kind,
                    "style_id": int(style) if style else 0}  # fmt: skip

    return PlainStrings


def _fill_merged(rows: list[tuple[int, list[Any]]], refs: list[str]) -> None:
    from openpyxl.utils.cell import range_boundaries

    fill_merged(rows, [range_boundaries(ref) for ref in refs])


def fill_merged(rows: list[tuple[int, list[Any]]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Each merged range (min_col, min_row, max_col, max_row; 1-based) takes its top-left value."""
    by_number = {n: values for n, values in rows}
    for min_col, min_row, max_col, max_row in ranges:
        top = by_number.get(min_row)
        value = top[min_col - 1] if top is not None and min_col - 1 < len(top) else None
        if value is None:
            continue
        for n in range(min_row, max_row + 1):
            values = by_number.get(n)
            if values is None:
                values = by_number[n] = []
                rows.append((n, values))
            if len(values) < max_col:
                values.extend([None] * (max_col - len(values)))
            for c in range(min_col, max_col + 1):
                values[c - 1] = value
    rows.sort(key=lambda item: item[0])


# --- CSV ------------------------------------------------------------------------------------


def decode(raw: bytes, name: str) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise TableError(
            Text(
                f"{name}: 无法识别文件编码 (既不是 UTF-8，也不是 GBK/GB18030)",
                f"{name}: the text encoding is neither UTF-8 nor GBK/GB18030",
            ),
            hint=Text(
                "在 Excel 中选 另存为 → CSV UTF-8 (逗号分隔)",
                "in Excel choose Save As → CSV UTF-8 (另存为 → CSV UTF-8)",
            ),
        ) from None


def _read_csv(path: Path) -> tuple[list[tuple[int, list[Any]]], Stamp | None]:
    text = decode(path.read_bytes(), path.name)
    stamp, text = from_csv(text)
    first_row = 2 if stamp else 1
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(n, list(values)) for n, values in enumerate(reader, start=first_row)], stamp
    except csv.Error as exc:
        raise TableError(
            Text(
                f"{path.name}: 无法读取该 CSV 文件 ({exc})",
                f"{path.name}: not a readable CSV file ({exc})",
            )
        ) from None


# --- the header -----------------------------------------------------------------------------


def _find_header(
    rows: list[tuple[int, list[Any]]], key_of: Callable[[str], str | None], name: str
) -> tuple[list[str], int]:
    """The header labels and the index of the first data row.

    The header is the row (among the first with content) naming the most known fields. A
    neighbouring row that adds fields is the other half of a two-row header (住址 merged over
    小区 / 楼栋 / 单元 / 房号): each column takes its known label, the lower row's first.
    """
    candidates = [i for i, _row in _content_rows(rows)][:HEADER_SCAN]
    if not candidates:
        raise TableError(Text(f"{name}: 表格是空的", f"{name}: the sheet is empty"))
    scores = {i: _fields([rows[i][1]], key_of) for i in candidates}
    best = max(candidates, key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        raise TableError(
            Text(
                f"{name}: 前 {HEADER_SCAN} 行中找不到表头 (如 姓名、公民身份号码)",
                f"{name}: no header row found in the first {HEADER_SCAN} rows",
            ),
            hint=Text(
                "表格开头几行应是列名，如 姓名、性别、公民身份号码；或在 --mapping 文件中说明各列",
                "the first rows should hold column names such as 姓名, 性别, 公民身份号码; "
                "or name your columns in a --mapping file",
            ),
        )
    block = [best]
    for other in (best - 1, best + 1):
        pair = sorted((best, other))
        if (
            other in scores
            and not _form_line(rows[other][1])
            and _fields([rows[i][1] for i in pair], key_of) > scores[best]
        ):
            block = pair
            break
    width = max(len(rows[i][1]) for i in block)
    headers = []
    for c in range(width):
        labels = [label(rows[i][1][c]) if c < len(rows[i][1]) else "" for i in block]
        known = [lb for lb in labels if lb and key_of(lb)]
        headers.append(known[-1] if known else next((lb for lb in reversed(labels) if lb), ""))
    return headers, block[-1] + 1


_FORM = re.compile(r"[:：]\s*\S|[:：]\s*$|^(填表|制表|填报|统计|单位|日期)")


def _form_line(values: list[Any]) -> bool:
    """A title block line (填表单位：…  填表日期：…  联系电话：), not half of a two-row header."""
    return any(isinstance(v, str) and _FORM.search(label(v)) for v in values)


def _fields(header_rows: list[list[Any]], key_of: Callable[[str], str | None]) -> int:
    """How many distinct fields these rows name, read as one header (the lower row first)."""
    width = max(len(r) for r in header_rows)
    keys = set()
    for c in range(width):
        for values in reversed(header_rows):
            key = key_of(label(values[c])) if c < len(values) and values[c] is not None else None
            if key:
                keys.add(key)
                break
    return len(keys)


def _content_rows(rows: list[tuple[int, list[Any]]]) -> Iterator[tuple[int, tuple[int, list[Any]]]]:
    for i, row in enumerate(rows):
        if not _blank(row[1]):
            yield i, row
