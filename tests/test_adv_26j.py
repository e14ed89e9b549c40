"""Staff, rental housing and organisation registers as a clerk keeps them: GBK CSV and xlsx from
Excel, imported, exported, edited and imported again. Every row is accounted for."""

from __future__ import annotations

from pathlib import Path

import yaml

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
