"""A sheet's inline strings are read as their text (gridctl.excel.tables._plain_strings) exactly as
openpyxl's own parser reads them: plain, rich text in runs, spaces kept, empty, beside numbers,
dates, booleans, formulas and shared strings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from gridctl.excel import tables


def _rows(path: Path, stock: bool, monkeypatch) -> list[tuple[int, list[object]]]:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    if stock:
        monkeypatch.setattr(tables, "_plain_strings", lambda parser: parser)
    else:
        monkeypatch.undo()
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return tables._sheet_rows(wb, wb.worksheets[0])
    finally:
        wb.close()


def _sheet(tmp_path: Path, write_only: bool) -> Path:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("户籍") if write_only else wb.active
    rich = CellRichText(["张", TextBlock(InlineFont(b=True), "三"), TextBlock(InlineFont(i=True), " 丰 ")])
    rows = [
        ["姓名", "公民身份号码", "出生日期", "人数", "党员", "备注"],
        ["王芳", "110105199001011234", dt.datetime(1990, 1, 1), 3, True, "  前后有空格  "],
        [rich, 110105199001011234, dt.date(2001, 2, 3), 2.5, False, ""],
        [None, "=1+1", None, None, None, "第二行\n换行"],
        ["李强", " ", dt.datetime(2020, 5, 6, 7, 8), -1, None, "a\tb"],
    ]
    for row in rows:
        ws.append(row)
    path = tmp_path / f"sheet-{write_only}.xlsx"
    wb.save(path)
    return path


def test_inline_strings_read_as_openpyxl_reads_them(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    for write_only in (True, False):
        path = _sheet(tmp_path, write_only)
        xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
        assert 'inlineStr' in xml and "<r>" in xml  # what this reading is for: inline strings, rich runs
        stock = _rows(path, True, monkeypatch)
        mine = _rows(path, False, monkeypatch)
        assert mine == stock, write_only
        assert mine[2][1][0] == "张三 丰 " and mine[1][1][5] == "  前后有空格  ", mine
