"""Staff, rental housing and organisation registers as a clerk keeps them: GBK CSV and xlsx from
Excel, imported, exported, edited and imported again. Every row is accounted for."""

from __future__ import annotations

from pathlib import Path

import yaml
from openpyxl import load_workbook

GRID = "110105001001001"


def _run(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", "zh", *args)


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def _load(repo: Path, rel: str) -> dict:
    return yaml.safe_load((repo / rel).read_text(encoding="utf-8"))


def test_a_register_marking_a_retired_staff_member_in_post_is_refused_at_the_row(repo: Path, cli, tmp_path) -> None:
    """赵六 resigned (注销) in the ledger; the town's roster still says 是否在岗 是. The import said
    "更新 是否在岗 否 → 是" and wrote `active: true` beside `retired:`: a record both retired and in
    post, still counted nowhere, while the clerk believed 赵六 back at work."""
    assert _run(cli, repo, "add", "staff", "--set", "name=赵六", "--set", "phone=13800138002").exit_code == 0
    assert _run(cli, repo, "retire", "S0003", "--reason", "辞职").exit_code == 0
    rows = ["序号,姓名,手机号码,是否在岗", "1,赵六,13800138002,是", "2,李强,13900139000,是"]
    sheet = _csv(tmp_path / "花名册.csv", rows)
    result = _run(cli, repo, "import", "staff", str(sheet))
    assert result.exit_code == 1, result.output
    line = result.output.splitlines()[0]
    assert line.startswith("花名册.csv:row 2: 列 是否在岗: 工作人员 S0003 (赵六) 已于 "), line
    assert "辞职" in line and "gridctl edit S0003 --unset retired --set active=是" in line, line
    assert _load(repo, "staff/S0003.yaml")["active"] is False
    same = _csv(tmp_path / "在职.csv", ["姓名,手机号码,是否在岗", "赵六,13800138002,否"])
    assert _run(cli, repo, "import", "staff", str(same)).exit_code == 0  # the roster agrees: nothing to say


def test_the_same_new_person_twice_in_one_register_is_not_added_twice(repo: Path, cli, tmp_path) -> None:
    """A roster pasted together from two grids lists 孙七 (same phone) twice: both rows were added,
    S0003 and S0004, one person twice in the ledger and on every notice board."""
    sheet = _csv(
        tmp_path / "花名册.csv",
        ["姓名,手机号码,职务", "孙七,13712345670,网格员", "周八,13712345671,楼栋长", "孙七,13712345670,网格员",
         "吴九,,楼栋长", "吴九,,楼栋长"],
    )  # fmt: skip
    result = _run(cli, repo, "import", "staff", str(sheet), "--dry-run")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "花名册.csv:row 4: 列 手机号码: 与第 2 行是同一条记录" in lines, result.output
    assert "花名册.csv:row 6: 列 姓名: 与第 5 行是同一条记录" in lines, result.output
    two = _csv(tmp_path / "两人.csv", ["姓名,手机号码", "孙七,13712345670", "孙七,13712345672"])
    result = _run(cli, repo, "import", "staff", str(two))  # two people of one name, each with a phone
    assert result.exit_code == 0 and "新增 2" in result.output, result.output
    assert _run(cli, repo, "import", "staff", str(two)).output.endswith("未变 2, 拒绝 0\n")
    places = _csv(tmp_path / "出租房屋.csv", ["房屋名称,类型", "阳光小区5-1-101,出租房屋", "阳光小区5-1-101,出租房屋"])
    result = _run(cli, repo, "import", "place", str(places), "--grid", "第一网格")
    assert result.exit_code == 1 and "row 3: 列 房屋名称: 与第 2 行是同一条记录" in result.output, result.output


def test_a_credit_code_typed_in_lower_case_is_kept_in_capitals(repo: Path, cli, tmp_path) -> None:
    """统一社会信用代码 are capitals (GB 32100). A register with `92110105ma01xycw8h` was kept so; the
    next register in capitals "updated" it back, and one in lower case turned the ledger's capitals
    into lower case, as if the organisation had a new code."""
    sheet = _csv(
        tmp_path / "辖区单位.csv",
        ["单位名称,单位类型,所属网格,统一社会信用代码", "张记小吃,个体工商户,第一网格,9211 0105 ma01 xycw 8h"],
    )
    assert _run(cli, repo, "import", "org", str(sheet)).exit_code == 0
    assert _load(repo, f"orgs/{GRID}/O00001.yaml")["credit_code"] == "92110105MA01XYCW8H"
    capitals = _csv(tmp_path / "单位.csv", ["单位名称,统一社会信用代码", "张记小吃,92110105MA01XYCW8H"])
    assert _run(cli, repo, "import", "org", str(capitals)).output.endswith("未变 1, 拒绝 0\n")
    assert _run(cli, repo, "import", "org", str(sheet)).output.endswith("未变 1, 拒绝 0\n")


def test_two_phones_in_one_cell_separated_by_a_space_are_two_phones(repo: Path, cli, tmp_path) -> None:
    """`13912345678 13812345678` in 联系电话 (two numbers, one space) was read as one 22-digit number
    and refused as 电话号码无效; in the landlord's column, which holds one, it should say so."""
    sheet = _csv(
        tmp_path / "户籍.csv",
        ["姓名,公民身份号码,与户主关系,小区,楼栋,单元,房号,联系电话",
         f"张伟,{_id()},户主,阳光小区,3,2,501,13912345678 13812345678"],
    )  # fmt: skip
    result = _run(cli, repo, "import", "household", str(sheet))
    assert result.exit_code == 0, result.output
    assert _load(repo, f"households/{GRID}/H000001.yaml")["members"][0]["phones"] == ["13912345678", "13812345678"]
    spaced = _csv(tmp_path / "户籍2.csv", ["姓名,公民身份号码,与户主关系,联系电话", f"张伟,{_id()},户主,139 1234 5678"])
    result = _run(cli, repo, "import", "household", str(spaced), "--dry-run")  # one number written in groups
    assert "联系电话 表中 139****5678 是旧值" in result.output, result.output  # the old list of one
    rentals = _csv(
        tmp_path / "出租房屋.csv",
        ["房屋名称,类型,房东,房东电话", "阳光小区3-2-501,出租房屋,张伟,13912345678 13812345678"],
    )
    result = _run(cli, repo, "import", "place", str(rentals), "--grid", GRID)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "出租房屋.csv:row 2: 列 房东电话: 只能填写一个电话号码", result.output


def _id() -> str:
    from conftest import id_number

    return id_number()


def test_a_renamed_rental_in_an_export_without_its_id_column_names_the_old_one_as_absent(
    repo: Path, cli, tmp_path
) -> None:
    """The clerk deleted the 编号 column of the rental export and wrote one house's name out in full:
    the row was added as a new place and the old one stayed, unnamed. The register held 2 rentals,
    `status` said 3, and nothing told the clerk why."""
    rows = ["房屋名称,类型,房东,挂牌编号,管理类别", "阳光小区3-2-501,出租房屋,张伟,阳光出租第001号,放心户",
            "阳光小区5-1-101,出租房屋,刘洋,阳光出租第002号,放心户"]  # fmt: skip
    assert _run(cli, repo, "import", "place", str(_csv(tmp_path / "出租.csv", rows)), "--grid", GRID).exit_code == 0
    out = tmp_path / "出租房屋.xlsx"
    assert _run(cli, repo, "export", "place", "-o", str(out)).exit_code == 0
    wb = load_workbook(out)
    ws = wb.active
    assert ws["A1"].value == "编号"
    ws.delete_cols(1)
    name = [c.value for c in ws[1]].index("名称") + 1
    ws.cell(2, name).value = "阳光小区3号楼2单元501室"
    wb.save(out)
    result = _run(cli, repo, "import", "place", str(out), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "新增 (1):\n  第2行 PL00003: 阳光小区3号楼2单元501室" in result.output
    assert "登记表中没有了，台账中仍在 (导入不会注销): 阳光小区3-2-501 (PL00001)" in result.output, result.output
    assert "PL00002" not in result.output  # matched by its name


def test_status_counts_the_rentals_the_monthly_report_counts(repo: Path, cli, tmp_path) -> None:
    """A rental register with only 房屋名称 and 类型 (the landlord still to be visited): the monthly
    report said 出租房屋 2 处, `status` said 出租房屋: 1 — it counted only places with rental details."""
    rows = ["房屋名称,类型,房东", "阳光小区3-2-501,出租房屋,张伟", "阳光小区7-1-101,出租房屋,"]
    assert _run(cli, repo, "import", "place", str(_csv(tmp_path / "出租.csv", rows)), "--grid", GRID).exit_code == 0
    assert "rental" not in _load(repo, f"places/{GRID}/PL00002.yaml")
    assert "出租房屋: 2" in _run(cli, repo, "status").output
    assert "出租房屋 2 处，已挂牌 0 处" in _run(cli, repo, "report", "monthly").output


def test_list_marks_a_retired_place_and_org_as_it_marks_a_household(demo: Path, cli) -> None:
    """`list place` showed a demolished place like any other (3 rows where status counted 2)."""
    import json

    assert cli("-C", str(demo), "retire", "PL00001", "--reason", "拆除").exit_code == 0
    rows = json.loads(cli("-C", str(demo), "list", "place", "-f", "json").output)
    assert [r["retired"] for r in rows if r["id"] == "PL00001"] == [True]
    assert not any(r["retired"] for r in rows if r["id"] != "PL00001")
    table = cli("-C", str(demo), "--lang", "zh", "list", "org").output
    assert table.splitlines()[0].endswith("注销"), table
