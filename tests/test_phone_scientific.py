"""A phone number Excel shows as 1.8E+10 (a long number in a General column) and saves so into a CSV
has lost its last digits: import and validate said only "invalid phone number"; they now say why, as
they do for an ID number saved as 1.10105E+17."""

from __future__ import annotations

from pathlib import Path

import git
from test_import import GRID, LIU, run_import, snapshot

HOUSE = "households/110105001001001/H000001.yaml"


def test_a_phone_cell_saved_as_1_8e10_is_refused_with_why(repo: Path, cli, tmp_path: Path) -> None:
    sheet = tmp_path / "另存.csv"
    sheet.write_bytes(f"姓名,身份证号,与户主关系,联系电话\r\n刘洋,{LIU},户主,1.81369E+10\r\n".encode("gbk"))
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        "另存.csv:row 2: 列 联系电话: 单元格是科学计数法 (如 1.8E+10)：Excel 把电话号码存成了数字，另存后只剩前几位"
    )
    assert "请把该列设为“文本”格式，对照原件重新录入" in result.output
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID, lang="en")
    said = "另存.csv:row 2: column 联系电话: the cell is in scientific notation (like 1.8E+10)"
    assert result.output.startswith(said)
    assert result.exit_code == 1 and snapshot(repo) == before


def test_a_phone_field_in_scientific_notation_says_its_digits_are_lost(repo: Path, cli) -> None:
    for written in ("1.39123E+10", '"1.39123E+10"'):
        path = repo / HOUSE
        text = path.read_text(encoding="utf-8").replace('phones: ["13912345678"]', f"phones: [{written}]")
        path.write_text(text, encoding="utf-8")
        git.Repo(repo).git.commit("-qam", "从表格粘贴")
        result = cli("-C", str(repo), "--lang", "zh", "validate")
        assert result.exit_code == 1, result.output
        assert "error[GC100] 字段 members[0].phones[0]: 电话号码写成了科学计数法" in result.output
        assert "后几位已丢失；对照原件重新录入，加引号" in result.output
        result = cli("-C", str(repo), "--lang", "en", "check-files", str(path))
        assert "the phone number is in scientific notation, as Excel shows a long number" in result.output
        git.Repo(repo).git.checkout("HEAD~1", "--", HOUSE)
        git.Repo(repo).git.commit("-qam", "还原")
