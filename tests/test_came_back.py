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
    assert "   = 提示: 同一人只保留一条记录：迁户时把人员移到新户，并从原户删除；" in moved.output
    assert snapshot(repo) == before


def test_adding_a_member_of_a_retired_household_again_is_told_to_reinstate_the_household(
    repo: Path, cli, tmp_path: Path
) -> None:
    """His household retired as a whole (注销), he himself never was: GC240 gave a move's advice ("take
    the person out of the old household"), where the import names the household to take back."""
    imported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "retire", "H000004", "--reason", "全户迁出至朝阳区", "--date", "2026-11-01")
    before = snapshot(repo)
    added = cli("-C", str(repo), "--lang", "zh", "add", "person", "--household", "H000002",
                "--set", "name=李明", "--set", f"id_number={LI}", "--set", "relation=其他")  # fmt: skip
    assert added.exit_code == 1, added.output
    hint = "同一人只保留一条记录：P0000004 所在的户 H000004 已注销 (迁出)；这户迁回的，恢复原户，不再新增一条: "
    assert f"   = 提示: {hint}gridctl edit H000004 --unset retired -m 原因" in added.output.splitlines()
    assert "迁户时把人员移到新户" not in added.output
    assert snapshot(repo) == before
    english = cli("-C", str(repo), "--lang", "en", "add", "person", "--household", "H000002",
                  "--set", "name=李明", "--set", f"id_number={LI}")  # fmt: skip
    hint = "keep one record per person: P0000004 is in household H000004, retired (moved out): a household that "
    assert (
        f"   = hint: {hint}came back is reinstated, not added a second time: gridctl edit H000004 --unset retired "
        "-m REASON" in english.output.splitlines()
    )
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


def test_a_row_with_only_household_fields_of_a_retired_household_is_refused_too(
    repo: Path, cli, tmp_path: Path
) -> None:
    """A row giving the household and its address, no person (as an export lists a household without
    members): the import said "unchanged" and the household stayed retired, out of every count."""
    imported(repo, cli, tmp_path)
    gridctl_cmd(cli, repo, "retire", "H000004", "--reason", "全户迁出至朝阳区", "--date", "2026-11-01")
    sheet = tmp_path / "户.csv"
    sheet.write_bytes("户编号,姓名,楼栋,单元,房号\r\nH000004,,3,1,303\r\n".encode("gbk"))
    before = snapshot(repo)
    result = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert result.exit_code == 1, result.output
    assert (
        "户.csv:row 2: 列 户编号: 户 H000004 已于 2026-11-01 注销 (全户迁出至朝阳区)，表中又登记了这户；"
        "如这户已迁回，先撤销注销: gridctl edit H000004 --unset retired -m 原因，再导入"
    ) in result.output.splitlines()
    assert "未变" not in result.output
    assert snapshot(repo) == before
    english = run_import(cli, repo, "household", str(sheet), "--grid", GRID, lang="en")
    assert english.exit_code == 1
    assert (
        "户.csv:row 2: column 户编号: household H000004 was retired on 2026-11-01 (全户迁出至朝阳区) and the "
        "register lists it again; if the household is back, reinstate it first: gridctl edit H000004 --unset "
        "retired -m REASON, then import again"
    ) in english.output.splitlines()
    assert snapshot(repo) == before
    gridctl_cmd(cli, repo, "-m", "全户迁回", "edit", "H000004", "--unset", "retired")
    again = run_import(cli, repo, "household", str(sheet), "--grid", GRID)
    assert again.exit_code == 0, again.output


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


def retired_and_back(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A person, a household and a staff member each retired (注销) and reinstated (撤销注销)."""
    gridctl_cmd(cli, repo, "add", "staff", "--set", "name=赵敏", "--set", "phone=13700137000", "--set", "gender=女")
    for rid, why, more in (("P0000001", "迁出至朝阳区", ()), ("H000001", "全户迁出", ()),
                           ("S0003", "调离", ("--set", "active=是"))):  # fmt: skip
        gridctl_cmd(cli, repo, "retire", rid, "--reason", why, "--date", "2026-11-01")
        gridctl_cmd(cli, repo, "-m", "迁回本社区", "edit", rid, "--unset", "retired", *more)


def test_the_log_history_and_diff_tell_a_reinstatement_as_one(repo: Path, cli) -> None:
    """The log said "修改人员 P0000001: 注销" (changed person P0000001: retired): read as the person
    retired once more, not brought back; history tagged it [修改], as it did the retirement."""
    retired_and_back(repo, cli)
    said = [line.split(": ", 1)[1] for line in gridctl_cmd(cli, repo, "log").output.splitlines()[:6]]
    assert said == [
        "撤销注销工作人员 S0003 (赵敏)",  # active=是 given too: the reinstatement's own, not another change
        "注销工作人员 S0003 (赵敏): 调离",
        "撤销注销户 H000001",
        "注销户 H000001: 全户迁出",
        "撤销注销人员 P0000001",
        "注销人员 P0000001: 迁出至朝阳区",
    ]
    english = cli("-C", str(repo), "--lang", "en", "log")
    said = [line.split(": ", 1)[1] for line in english.output.splitlines()[:6:2]]
    assert said == [
        "reinstated staff S0003 (赵敏)",
        "reinstated household H000001",
        "reinstated person P0000001",
    ]
    history = gridctl_cmd(cli, repo, "history", "P0000001").output.splitlines()
    assert [line.rsplit("  ", 1)[1] for line in history if line.endswith("]")][:2] == ["[撤销注销]", "[注销]"]
    assert "    注销: 注销日期 2026-11-01，注销原因 迁出至朝阳区 → (空)" in history
    english = cli("-C", str(repo), "--lang", "en", "history", "H000001").output.splitlines()
    assert [line.rsplit("  ", 1)[1] for line in english if line.endswith("]")][:2] == ["[reinstated]", "[retired]"]
    assert gridctl_cmd(cli, repo, "diff", "HEAD~1", "HEAD").output.splitlines() == [
        "~ 撤销注销工作人员 S0003 (赵敏)",
        "    注销: 注销日期 2026-11-01，注销原因 调离 → (空)",
        "    是否在岗: 否 → 是",
        "撤销注销 1",
    ]
    english = cli("-C", str(repo), "--lang", "en", "diff", "HEAD~1", "HEAD").output.splitlines()
    assert (english[0], english[-1]) == ("~ reinstated staff S0003 (赵敏)", "1 reinstated")


def test_a_reinstated_staff_member_is_active_again_and_back_on_the_board(repo: Path, cli) -> None:
    """Retiring a staff member sets active: false as well; `--unset retired` left it, so the one taken
    back stayed off every board ("not active") until the clerk found the second field."""
    gridctl_cmd(cli, repo, "add", "staff", "--set", "name=赵敏", "--set", "phone=13700137000", "--set", "gender=女")
    gridctl_cmd(cli, repo, "retire", "S0003", "--reason", "调离", "--date", "2026-11-01")
    assert load(repo, "staff/S0003.yaml")["active"] is False
    done = gridctl_cmd(cli, repo, "-m", "调回本社区", "edit", "S0003", "--unset", "retired")
    assert "撤销注销工作人员 S0003" in done.output
    record = load(repo, "staff/S0003.yaml")
    assert "retired" not in record and record.get("active", True) is True, record
    assert git.Repo(repo).head.commit.summary == "撤销注销工作人员 S0003"
    assert gridctl_cmd(cli, repo, "diff", "HEAD~1", "HEAD").output.splitlines()[2] == "    是否在岗: 否 → 是"
    gridctl_cmd(cli, repo, "assign", GRID, "--role", "网格员", "--staff", "S0003", "--duty", "协助巡查")
    board = cli("-C", str(repo), "--lang", "zh", "print", "board", GRID, "--no-record")
    assert board.exit_code == 0, board.output
    assert "赵敏" in board.stdout and "13700137000" in board.stdout
    assert "已不在岗" not in board.stderr  # not said to be left off
    # taken back but kept off duty on purpose: as the clerk says
    gridctl_cmd(cli, repo, "add", "staff", "--set", "name=钱进", "--set", "phone=13600136000", "--set", "gender=男")
    gridctl_cmd(cli, repo, "retire", "S0004", "--reason", "病休", "--date", "2026-11-02")
    gridctl_cmd(cli, repo, "edit", "S0004", "--unset", "retired", "--set", "active=否")
    assert load(repo, "staff/S0004.yaml")["active"] is False


def test_a_staff_reinstatement_is_told_without_its_own_active_flag(repo: Path, cli) -> None:
    """`edit S0003 --unset retired` sets active back itself: log said "reinstated staff S0003 (赵敏);
    also changed active", a second change the clerk never made and the commit does not name."""
    gridctl_cmd(cli, repo, "add", "staff", "--set", "name=赵敏", "--set", "phone=13700137000", "--set", "gender=女")
    gridctl_cmd(cli, repo, "retire", "S0003", "--reason", "调离", "--date", "2026-11-01")
    gridctl_cmd(cli, repo, "-m", "调回", "edit", "S0003", "--unset", "retired")
    assert git.Repo(repo).head.commit.summary == "撤销注销工作人员 S0003"
    assert gridctl_cmd(cli, repo, "log").output.splitlines()[0].split(": ", 1)[1] == "撤销注销工作人员 S0003 (赵敏)"
    english = cli("-C", str(repo), "--lang", "en", "log").output.splitlines()[0]
    assert english.split(": ", 1)[1] == "reinstated staff S0003 (赵敏)", english
    diff = gridctl_cmd(cli, repo, "diff", "HEAD~1", "HEAD").output.splitlines()
    assert diff[0] == "~ 撤销注销工作人员 S0003 (赵敏)" and "    是否在岗: 否 → 是" in diff  # the detail still shows it
    # another field changed with it is still named
    gridctl_cmd(cli, repo, "retire", "S0003", "--reason", "调离", "--date", "2026-11-02")
    gridctl_cmd(cli, repo, "-m", "调回", "edit", "S0003", "--unset", "retired", "--set", "phone=13700137001")
    said = gridctl_cmd(cli, repo, "log").output.splitlines()[0].split(": ", 1)[1]
    assert (
        said
        == "撤销注销工作人员 S0003 (赵敏)，另改 联系电话"
        == git.Repo(repo).head.commit.summary.replace(" S0003", " S0003 (赵敏)")
    )


def test_a_reinstatement_with_other_fields_names_them_as_its_commit_does(repo: Path, cli) -> None:
    gridctl_cmd(cli, repo, "retire", "P0000001", "--reason", "迁出", "--date", "2026-11-01")
    gridctl_cmd(cli, repo, "edit", "P0000001", "--unset", "retired", "--set", "phones=13912340000")
    assert gridctl_cmd(cli, repo, "log").output.splitlines()[0].endswith(": 撤销注销人员 P0000001，另改 联系电话")
    english = cli("-C", str(repo), "--lang", "en", "log").output.splitlines()[0]
    assert english.endswith(": reinstated person P0000001; also changed phones")


def test_the_chief_reviewing_a_workers_branch_reads_a_reinstatement(tmp_path: Path) -> None:
    from teamwork import git as sh
    from teamwork import run, team

    t = team(tmp_path)
    assert run(t["office"], "retire", "P0000001", "--reason", "迁出", "--date", "2026-11-01")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["w2"], "-m", "迁回本社区", "edit", "P0000001", "--unset", "retired")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    sh(t["office"], "fetch", "-q", "origin")
    code, out = run(t["office"], "review", "S0002")
    assert code == 0, out
    assert "  撤销注销人员 P0000001" in out.splitlines(), out


def test_a_reinstatement_commit_names_only_the_other_fields_as_also_changed(repo: Path, cli) -> None:
    """Its subject said 撤销注销人员 P0000001，另改 联系电话、注销: the 注销 undone, named again as an edit."""
    gridctl_cmd(cli, repo, "retire", "P0000001", "--reason", "迁出", "--date", "2026-11-01")
    done = gridctl_cmd(cli, repo, "edit", "P0000001", "--unset", "retired", "--set", "phones=13912340000")
    assert git.Repo(repo).head.commit.summary == "撤销注销人员 P0000001，另改 联系电话"
    assert "撤销注销人员 P0000001，另改 联系电话" in done.output
    gridctl_cmd(cli, repo, "retire", "P0000001", "--reason", "迁出", "--date", "2026-11-02")
    english = cli("-C", str(repo), "--lang", "en", "edit", "P0000001",
                  "--unset", "retired", "--set", "phones=13912341111")  # fmt: skip
    assert english.exit_code == 0, english.output
    assert "reinstate person P0000001; also phones" in english.output
