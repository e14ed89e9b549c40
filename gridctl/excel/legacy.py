"""Excel 97–2003 (.xls, what many platforms still export) and OpenDocument (.ods) through python-calamine.

calamine (Rust) reads both formats, with merged ranges and dates as dates; openpyxl reads
neither. Rows keep the numbers Excel shows, merged ranges are filled like an xlsx's, so the rest
of the import cannot tell the formats apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gridctl.excel.tables import TableError, fill_merged, no_sheet
from gridctl.i18n import Text


def read_calamine(path: Path, sheet: str | None) -> tuple[list[tuple[int, list[Any]]], str]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every unreadable file
        raise TableError(
            Text(
                f"{path.name}: 无法读取该表格文件 ({type(exc).__name__})",
                f"{path.name}: not a readable workbook ({type(exc).__name__})",
            ),
            hint=Text("用 Excel 或 WPS 打开后重新另存为 .xlsx", "open it in Excel or WPS and save it again as .xlsx"),
        ) from None
    try:
        names = list(wb.sheet_names)
        if sheet is None:
            visible = [m.name for m in wb.sheets_metadata if "Visible" in str(m.visible) and "Work" in str(m.typ)]
            name = (visible or names or [""])[0]
        elif sheet in names:
            name = sheet
        else:
            raise no_sheet(path.name, sheet, names)
        data = wb.get_sheet_by_name(name)
        rows = [(n, [None if v == "" else v for v in values])
                for n, values in enumerate(data.to_python(skip_empty_area=False), start=1)]  # fmt: skip
        merged = getattr(data, "merged_cell_ranges", None) or []
        fill_merged(rows, [(c0 + 1, r0 + 1, c1 + 1, r1 + 1) for (r0, c0), (r1, c1) in merged])
        return rows, name
    finally:
        wb.close()
