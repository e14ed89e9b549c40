"""The household register in and out keeps what the clerk's sheet says: 户籍性质, a blank 出生日期 beside a
checked ID number, 管理类别 (masked unless --reveal), and a register edited in Excel and imported back."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import git
import yaml
from openpyxl import Workbook, load_workbook

from conftest import id_number

GRID = "110105001001001"
WANG = id_number(born="19900101", seq="121")  # 男, 1990-01-01
LI = id_number(born="19920202", seq="242")  # 女, 1992-02-02
HEADERS = ["姓名", "性别", "公民身份号码", "出生日期", "与户主关系", "所属网格", "小区", "楼栋", "单元", "房号",
           "户籍性质", "管理类别", "重点人群类别"]  # fmt: skip


def run(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", "zh", "--author", "李娜 <lina@example.cn>", *args)


def members(repo: Path, hid: str) -> list[dict]:  # type: ignore[type-arg]
    text = (repo / f"households/{GRID}/{hid}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["members"]


def gbk_csv(path: Path, rows: list[list[object]]) -> Path:
    """As Excel on a Chinese Windows saves a sheet as CSV: GBK, CRLF, no BOM."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("gbk"))
    return path


def head(repo: Path) -> str:
    return git.Repo(repo).head.commit.hexsha


def test_a_registers_residence_column_and_blank_birth_date(repo: Path, cli, tmp_path: Path) -> None:
    """户籍性质 (流动人口) went to extra, and the re-export had it twice (人员类型 empty, 户籍性质 beside it);
    a blank 出生日期 stayed blank beside an 18-digit number that says it. Now 流动人口 is the person's
    residence, and a person the sheet adds gets the birth date (and gender) off a checked number, said so."""
    sheet = gbk_csv(tmp_path / "登记.csv", [
        HEADERS,
        ["王五", "", WANG, "", "户主", GRID, "阳光小区", "7", "1", "101", "流动人口", "放心人员", "空巢老人"],
        ["李梅", "女", LI + "0", "", "配偶", GRID, "阳光小区", "7", "1", "101", "寄住", "", ""],
    ])  # fmt: skip
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 1, result.output  # 李梅's number has 19 digits; 寄住 is no word of this ledger
    assert "row 3: 列 公民身份号码" in result.output and "row 3: 列 户籍性质" in result.output, result.output
    assert "row 2" not in result.output, result.output
    sheet = gbk_csv(tmp_path / "登记.csv", [
        HEADERS,
        ["王五", "", WANG, "", "户主", GRID, "阳光小区", "7", "1", "101", "流动人口", "放心人员", "空巢老人"],
        ["李梅", "女", LI, "", "配偶", GRID, "阳光小区", "7", "1", "101", "户籍人口", "", ""],
    ])  # fmt: skip
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("新增 1 户 2 人, 更新 0, 未变 0, 拒绝 0；2 人的出生日期/性别按身份证号补填")
    wang, li = members(repo, "H000002")
    assert (wang["residence"], wang["category"], wang["birth_date"].isoformat(), wang["gender"]) == (
        "流动", "放心人员", "1990-01-01", "男"
    )  # fmt: skip
    assert (li["residence"], li["birth_date"].isoformat()) == ("户籍", "1992-02-02")
    assert "extra" not in wang and "extra" not in li
    out = tmp_path / "导出.xlsx"
    assert run(cli, repo, "export", "household", "-o", str(out)).exit_code == 0
    headers = [c.value for c in load_workbook(out).active[1]]
    assert headers.count("人员类型") == 1 and "户籍性质" not in headers and headers.count("管理类别") == 1
    again = run(cli, repo, "import", "household", str(sheet))
    assert again.exit_code == 0 and "没有变化" in again.output and "补填" not in again.output, again.output


def test_a_known_persons_blank_birth_date_is_not_changed_by_a_sheet(repo: Path, cli, tmp_path: Path) -> None:
    """Only a person the sheet adds is filled: a known person's record stays as the clerk left it."""
    rel = repo / f"households/{GRID}/H000001.yaml"
    rel.write_text(rel.read_text(encoding="utf-8").replace("    birth_date: 1980-03-15\n", ""), encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "无出生日期")
    out = tmp_path / "导出.csv"
    assert run(cli, repo, "export", "household", "-o", str(out), "--reveal").exit_code == 0
    before = head(repo)
    result = run(cli, repo, "import", "household", str(out))
    assert result.exit_code == 0 and "没有变化" in result.output, result.output
    assert head(repo) == before and "birth_date" not in members(repo, "H000001")[0]


def test_category_and_tags_round_trip_masked_and_revealed(repo: Path, cli, tmp_path: Path) -> None:
    """管理类别 was not exported at all (export → Excel → import could not carry it); now it is a column,
    *** without --reveal like the care groups, and a masked export read back keeps both as they were."""
    rel = repo / f"households/{GRID}/H000001.yaml"
    text = rel.read_text(encoding="utf-8").replace("    residence: 户籍\n", "    residence: 流动\n")
    rel.write_text(text + "    tags: [独居老人]\n    category: 重点人员\n", encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "类别")
    masked = tmp_path / "脱敏.xlsx"
    assert run(cli, repo, "export", "household", "-o", str(masked)).exit_code == 0
    wb = load_workbook(masked)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    row = dict(zip(headers, [c.value for c in ws[2]], strict=True))
    assert (row["重点人群类别"], row["管理类别"]) == ("***", "***")
    with zipfile.ZipFile(masked) as z:  # in no part of the file
        assert not any("重点人员".encode() in z.read(n) or "独居老人".encode() in z.read(n) for n in z.namelist())
    ws.cell(2, headers.index("民族") + 1, "汉")  # the clerk adds 民族 in Excel and saves
    wb.save(masked)
    result = run(cli, repo, "import", "household", str(masked))
    assert result.exit_code == 0, result.output
    zhang = members(repo, "H000001")[0]
    assert (zhang["ethnicity"], zhang["tags"], zhang["category"]) == ("汉族", ["独居老人"], "重点人员")
    shown = tmp_path / "完整.csv"
    assert run(cli, repo, "export", "household", "-o", str(shown), "--reveal").exit_code == 0
    rows = list(csv.reader(io.StringIO(shown.read_bytes().decode("utf-8-sig"))))[1:]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["重点人群类别"], row["管理类别"]) == ("独居老人", "重点人员")
    row["管理类别"] = "基本放心人员"
    back = gbk_csv(tmp_path / "改.csv", [rows[0], [row[h] for h in rows[0]]])
    result = run(cli, repo, "import", "household", str(back))
    assert result.exit_code == 0, result.output
    assert members(repo, "H000001")[0]["category"] == "基本放心人员"


def test_a_register_with_a_title_merged_cells_and_numbers_typed_into_id_columns(
    repo: Path, cli, tmp_path: Path
) -> None:
    """A title row over merged cells, 楼栋/单元/房号 typed as numbers, phone as a number: imported, then
    exported, edited in openpyxl, imported again: one change, and the same file again changes nothing."""
    wb = Workbook()
    ws = wb.active
    ws.append(["幸福里社区户籍人口登记表"])
    ws.merge_cells("A1:M1")
    ws.append([*HEADERS[:10], "人口类型", "联系电话", "民族"])
    ws.append(["王五", "男", WANG, None, "户主", GRID, "阳光小区", 7, 1, 101, "户籍人口", 13512345678, "汉"])
    ws.append(["李梅", None, LI, None, "配偶", GRID, "阳光小区", 7, 1, 101, "户籍", None, None])
    sheet = tmp_path / "登记.xlsx"
    wb.save(sheet)
    result = run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    wang, li = members(repo, "H000002")
    assert (wang["phones"], li["gender"], li["birth_date"].isoformat()) == (["13512345678"], "女", "1992-02-02")
    out = tmp_path / "导出.xlsx"
    assert run(cli, repo, "export", "household", "-o", str(out), "--reveal").exit_code == 0
    wb = load_workbook(out)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    names = [ws.cell(r, headers.index("姓名") + 1).value for r in range(1, ws.max_row + 1)]
    ws.cell(names.index("李梅") + 1, headers.index("联系电话") + 1, 13612345678)  # typed as a number
    wb.save(out)
    result = run(cli, repo, "import", "household", str(out))
    assert result.exit_code == 0 and "更新 1" in result.output, result.output
    assert members(repo, "H000002")[1]["phones"] == ["13612345678"]
    before = head(repo)
    for path in (out, sheet):
        again = run(cli, repo, "import", "household", str(path))
        assert again.exit_code == 0 and "没有变化" in again.output, again.output
    assert head(repo) == before
