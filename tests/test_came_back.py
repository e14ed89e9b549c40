"""A resident who moved out (retire, 迁出) and came back (迁回): never "unchanged", never a second record."""

from __future__ import annotations

from pathlib import Path

import git
from test_import import GRID, load, run_import, snapshot
from test_register_merge import LI, WANG, gbk_register, gridctl_cmd, imported

BACK = "P0000004"  # 李明, alone in H000004


def moved_out(repo: Path, cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    sheet = imported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "retire", BACK, "--reason", "迁出至朝阳区", "--date", "2026-11-01")
    return sheet


def test_a_register_listing_a_retired_person_again_names_the_row_and_how_to_reinstate(
    repo: Path, cli, tmp_path: Path
) -> None:
    """The next month's register lists him at his address again: import said "unchanged" and left him
    out of every count."""
    sheet = moved_out(repo, cli, tmp_path)
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1
    assert (
        "十一月登记.csv:row 4: 列 姓名: 李明 (P0000004) 已于 2026-11-01 注销 (迁出至朝阳区)，表中又登记了此人；"
        "如已迁回，先撤销注销: gridctl edit P0000004 --unset retired -m 原因，再导入"
    ) in result.output.splitlines()
    assert snapshot(repo) == before
    english = run_import(cli, repo, "household", str(sheet), "--grid", GRID, lang="en")
    assert (
        "十一月登记.csv:row 4: column 姓名: 李明 (P0000004) was retired on 2026-11-01 (迁出至朝阳区) and the register "
        "lists them again; if they are back, reinstate the record first: gridctl edit P0000004 --unset retired "
        "-m REASON, then import again"
    ) in english.output.splitlines()
    # the clerk takes his record back, the reason in the commit; the register then goes in as it is
    gridctl_cmd(cli, repo, "-m", "迁回本社区", "edit", BACK, "--unset", "retired")
    commit = git.Repo(repo).head.commit
    assert commit.message.splitlines()[:3] == ["撤销注销人员 P0000004", "", "迁回本社区"]
    assert "retired" not in load(repo, f"households/{GRID}/H000004.yaml")["members"][0]
    again = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert again.exit_code == 0, again.output
    assert "  户: 4    人: 4" in gridctl_cmd(cli, repo, "status").output.splitlines()


def test_a_row_without_an_id_number_matched_by_name_is_named_too(repo: Path, cli, tmp_path: Path) -> None:
    moved_out(repo, cli, tmp_path)
    sheet = gbk_register(tmp_path, ["李明,男,,,,户主,流动,3,1,303"], "无号码.csv")
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1
    assert "无号码.csv:row 2: 列 姓名: 李明 (P0000004) 已于 2026-11-01 注销" in result.output
    assert snapshot(repo) == before


def test_an_export_made_before_the_retirement_keeps_it(repo: Path, cli, tmp_path: Path) -> None:
    """Read against its base, the export lists him as he was then: the ledger's retirement is newer and stands."""
    imported(repo, cli, tmp_path)
    out = tmp_path / "导出.xlsx"
    gridctl_cmd(cli, repo, "export", "household", "--reveal", "-o", str(out))
    gridctl_cmd(cli, repo, "retire", BACK, "--reason", "迁出至朝阳区", "--date", "2026-11-01")
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(out))
    assert result.exit_code == 0, result.output
    assert snapshot(repo) == before


def test_adding_a_retired_person_again_is_told_to_reinstate_him(repo: Path, cli, tmp_path: Path) -> None:
    """GC240's hint spoke of a move ("take the person out of the old household"): the old record is a
    retired one, to be taken back."""
    moved_out(repo, cli, tmp_path)
    before = snapshot(repo)
    added = cli("-C", str(repo), "--lang", "zh", "add", "person", "--household", "H000004",
                "--set", "name=李明", "--set", f"id_number={LI}", "--set", "relation=户主")  # fmt: skip
    assert added.exit_code == 1
    hint = "同一人只保留一条记录：P0000004 是此人已注销 (迁出) 的记录；迁回的人恢复原记录，不再新增一条: "
    assert f"   = 提示: {hint}gridctl edit P0000004 --unset retired -m 原因" in added.output.splitlines()
    assert snapshot(repo) == before
    english = cli("-C", str(repo), "--lang", "en", "add", "person", "--household", "H000002",
                  "--set", "name=李明", "--set", f"id_number={LI}")  # fmt: skip
    assert "   = hint: keep one record per person: P0000004 is their retired (moved-out) record" in english.output
    # two active records keep the move's advice
    moved = cli("-C", str(repo), "--lang", "zh", "add", "person", "--household", "H000003",
                "--set", "name=王志强", "--set", f"id_number={WANG}")  # fmt: skip
    assert "   = 提示: 同一人只保留一条记录：迁户时把人员移到新户，并从原户删除" in moved.output.splitlines()
    assert snapshot(repo) == before


def test_a_register_listing_a_retired_households_members_again_names_the_household(
    repo: Path, cli, tmp_path: Path
) -> None:
    """A household retired as a whole (its own 注销, its members not one by one) listed again by next
    month's register: import said "unchanged", the household stayed retired and its people out of
    every count."""
    sheet = imported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "retire", "H000004", "--reason", "全户迁出至朝阳区", "--date", "2026-11-01")
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1, result.output
    assert (
        "十一月登记.csv:row 4: 列 姓名: 李明 (P0000004) 所在的户 H000004 已于 2026-11-01 注销 (全户迁出至朝阳区)，"
        "表中又登记了此人；如这户已迁回，先撤销注销: gridctl edit H000004 --unset retired -m 原因，再导入"
    ) in result.output.splitlines()
    assert snapshot(repo) == before
    english = run_import(cli, repo, "household", str(sheet), "--grid", GRID, lang="en")
    assert english.exit_code == 1
    assert (
        "十一月登记.csv:row 4: column 姓名: 李明 (P0000004) is in household H000004, retired on 2026-11-01 "
        "(全户迁出至朝阳区), and the register lists them again; if the household is back, reinstate it first: "
        "gridctl edit H000004 --unset retired -m REASON, then import again"
    ) in english.output.splitlines()
    assert snapshot(repo) == before
    # the command it names takes the household back, the reason in the commit; the register then goes in
    gridctl_cmd(cli, repo, "-m", "全户迁回", "edit", "H000004", "--unset", "retired")
    assert git.Repo(repo).head.commit.message.splitlines()[:3] == ["撤销注销户 H000004", "", "全户迁回"]
    assert "retired" not in load(repo, f"households/{GRID}/H000004.yaml")
    again = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert again.exit_code == 0, again.output
    assert "  户: 4    人: 4" in gridctl_cmd(cli, repo, "status").output.splitlines()


def test_a_row_of_a_retired_household_found_by_its_household_id_names_that_column(
    repo: Path, cli, tmp_path: Path
) -> None:
    imported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "retire", "H000004", "--reason", "全户迁出", "--date", "2026-11-01")
    sheet = tmp_path / "户编号.csv"
    header = "户编号,姓名,性别,公民身份号码,与户主关系"
    sheet.write_bytes(f"{header}\r\nH000004,李明,男,,户主\r\n".encode("gbk"))
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1, result.output
    assert "户编号.csv:row 2: 列 户编号: 李明 (P0000004) 所在的户 H000004 已于 2026-11-01 注销" in result.output
    assert snapshot(repo) == before


def test_an_export_made_before_the_household_was_retired_keeps_it(repo: Path, cli, tmp_path: Path) -> None:
    """Read against its base, the export lists the household as it was then: its newer retirement stands."""
    imported(repo, cli, tmp_path)
    out = tmp_path / "导出.xlsx"
    gridctl_cmd(cli, repo, "export", "household", "--reveal", "-o", str(out))
    gridctl_cmd(cli, repo, "retire", "H000004", "--reason", "全户迁出", "--date", "2026-11-01")
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(out))
    assert result.exit_code == 0, result.output
    assert snapshot(repo) == before
