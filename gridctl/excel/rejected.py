"""The rows `--skip-invalid` left out, written next to the input with a 原因 (reason) column.

The clerk corrects them in Excel and imports the file again: the reason column is ignored on
import, and cells keep what the clerk typed (an ID number cell stays text).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from gridctl.excel.export import csv_cells
from gridctl.excel.findings import personal as is_personal
from gridctl.excel.mapping import REASON
from gridctl.excel.rows import Issue, Layout
from gridctl.excel.tables import Table
from gridctl.model.masking import mask_date, mask_free, mask_value
from gridctl.output import write_output

TEXT_PARSERS = ("id_number", "phones", "phone", "code", "credit_code")


def rejected_path(source: Path) -> Path:
    suffix = ".xlsx" if source.suffix.lower() in (".xlsx", ".xlsm") else ".csv"
    return source.with_name(f"{source.stem}.rejected{suffix}")


def reasons(issues: list[Issue], lang: str, reveal: bool) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for issue in issues:
        where = "" if not issue.column else (f"列 {issue.column}: " if lang == "zh" else f"column {issue.column}: ")
        out.setdefault(issue.row, []).append(where + issue.message(lang, reveal))
    if lang == "zh":
        return {row: f"第 {row} 行 " + "；".join(texts) for row, texts in out.items()}
    return {row: f"row {row}: " + "; ".join(texts) for row, texts in out.items()}


def write_rejected(source: Path, table: Table, lay: Layout, issues: list[Issue], lang: str, reveal: bool) -> Path:
    why = reasons(issues, lang, reveal)
    rows = [row for row in table.rows if row.number in why]
    width = len(table.headers)
    headers = [*table.headers, REASON]
    text_columns = {index for index, column, _h in lay.fields.values() if column.parse in TEXT_PARSERS}
    body = [[*(row.get(i) for i in range(width)), why[row.number]] for row in rows]
    if not reveal:
        body = [_masked(values, lay) for values in body]
    target = rejected_path(source)
    if target.suffix == ".xlsx":
        data = _xlsx(headers, body, text_columns)
    else:
        keep = [i in text_columns for i in range(len(headers))]
        lines = io.StringIO()
        import csv

        writer = csv.writer(lines, lineterminator="\r\n")
        writer.writerow(headers)
        for values in body:
            writer.writerow(list(csv_cells(values, keep)))
        data = ("\ufeff" + lines.getvalue()).encode("utf-8")
    write_output(target, data, private=True)
    return target


def _masked(values: list[Any], lay: Layout) -> list[Any]:
    """A rejected row without --reveal: its personal cells masked (the clerk corrects the register itself)."""
    personal = {index: key for key, (index, _column, _header) in lay.fields.items() if is_personal(key)}
    out: list[Any] = []
    for i, value in enumerate(values):
        if value is None or value == "":
            out.append(value)
        elif i in personal:
            out.append(_mask_cell(personal[i], value))
        else:
            out.append(mask_free(value))  # a number typed into a column of notes too
    return out


def _mask_cell(key: str, value: Any) -> Any:
    if "tags" in key:
        return "***"
    if "birth" in key:
        return mask_date(value.isoformat() if isinstance(value, dt.date) else str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "、".join(mask_value(key, p) for p in re.split(r"[,，、;；/ ]+", str(value)) if p)


def _xlsx(headers: list[str], body: list[list[Any]], text_columns: set[int]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "未导入"
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in body:
        ws.append(values)
    for n in range(2, len(body) + 2):
        for i in text_columns:
            cell = ws.cell(row=n, column=i + 1)
            cell.number_format = "@"
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"
        for cell in ws[n]:
            if isinstance(cell.value, dt.datetime | dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    ws.column_dimensions[get_column_letter(len(headers))].width = 60
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
