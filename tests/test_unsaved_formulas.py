"""A workbook written by a program (openpyxl, Apache POI, a platform's export) holds its formulas
without their values, which Excel or WPS computes on opening: read as it is, such a cell was blank,
and a new person's ID number and another's phone were dropped with "rejected 0"."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook
from test_import import GRID, LIU, ZHAO, load, run_import, snapshot

HEADERS = ["姓名", "性别", "身份证号", "与户主关系", "手机号", "小区", "楼栋", "单元", "房号", "备注"]


def register(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["刘洋", "男", LIU, "户主", '="135"&"12345678"', "阳光小区", "8", "1", "101", None])
    ws.append(["赵敏", "女", f'="{ZHAO}"', "配偶", "13712345678", "阳光小区", "8", "1", "101", "=1+1"])
    wb.save(path)
    return path


def test_each_formula_cell_without_a_value_is_named_and_nothing_is_imported(repo: Path, cli, tmp_path: Path) -> None:
    sheet = register(tmp_path / "平台导出.xlsx")
    assert b"<f>" in zipfile.ZipFile(sheet).read("xl/worksheets/sheet1.xml")  # the formulas, with no value
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[:3] == [
        "平台导出.xlsx:row 2: 列 手机号: 单元格 E2 的公式没有保存的值：请在 Excel/WPS 中打开后保存再导入",
        "平台导出.xlsx:row 3: 列 身份证号: 单元格 C3 的公式没有保存的值：请在 Excel/WPS 中打开后保存再导入",
        "平台导出.xlsx:row 3: 列 备注: 单元格 J3 的公式没有保存的值：请在 Excel/WPS 中打开后保存再导入",
    ]
    assert snapshot(repo) == before
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID, lang="en")
    said = "平台导出.xlsx:row 2: column 手机号: cell E2: the formula has no saved value; open the file in Excel or WPS"
    assert said in result.output
    assert result.exit_code == 1 and snapshot(repo) == before


def test_a_row_of_formulas_alone_is_no_blank_row(repo: Path, cli, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["刘洋", "男", LIU, "户主", "13512345678", "阳光小区", "8", "1", "101"])
    ws.append(['="赵"&"敏"', '="女"', f'="{ZHAO}"', '="配偶"'])
    wb.save(tmp_path / "公式.xlsx")
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(tmp_path / "公式.xlsx"), "--grid", GRID)
    assert result.exit_code == 1 and "单元格 A3 的公式没有保存的值" in result.output, result.output
    assert snapshot(repo) == before


def test_formulas_excel_saved_with_their_values_import(repo: Path, cli, tmp_path: Path) -> None:
    """The same workbook once opened and saved: each formula keeps its value, which is imported."""
    sheet = register(tmp_path / "平台导出.xlsx")
    saved = tmp_path / "保存后.xlsx"
    with zipfile.ZipFile(sheet) as src, zipfile.ZipFile(saved, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for cell, value in (("E2", "13512345678"), ("C3", ZHAO), ("J3", "2")):
                    head, _, rest = text.partition(f'<c r="{cell}"')
                    inner, _, tail = rest.partition("<v />")
                    kind = ' t="str"' if cell != "J3" else ""
                    text = f'{head}<c r="{cell}"{kind}{inner}<v>{value}</v>{tail}'
                data = text.encode()
            out.writestr(item, data)
    result = run_import(cli, repo, "household", str(saved), "--grid", GRID)
    assert result.exit_code == 0, result.output
    house = load(repo, f"households/{GRID}/H000002.yaml")
    assert [(m["name"], m.get("id_number"), m.get("phones")) for m in house["members"]] == [
        ("刘洋", LIU, ["13512345678"]),
        ("赵敏", ZHAO, ["13712345678"]),
    ]
