"""注销网格, second round: a retired grid still counts for the days it served, takes nothing new,
can be taken back when retired by mistake, and leaves the policy warnings."""

from __future__ import annotations

import json
from pathlib import Path

import git
import test_retire_grid
from test_retire_grid import NEW, OLD, gc

from tests.conftest import GRID, write

two_grids = test_retire_grid.two_grids
"""The first round's ledger: 第一网格 merged into 第二网格."""


def head(root: Path) -> str:
    return git.Repo(root).head.commit.hexsha


def retire(cli, root: Path, date: str = "2026-04-15") -> None:  # type: ignore[no-untyped-def]
    """第一网格 emptied into 第二网格 and retired on `date`."""
    assert gc(cli, root, "move", "H000001", "--to", "第二网格").exit_code == 0
    done = gc(cli, root, "retire", "第一网格", "--reason", "并入第二网格", "--date", date)
    assert done.exit_code == 0, done.output


def report(cli, root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = gc(cli, root, "report", *args, "-f", "json")
    return json.loads(result.stdout)


def rows(doc: dict, key: str) -> list[dict]:  # type: ignore[type-arg]
    return next(s["rows"] for s in doc["sections"] if s.get("key") == key)


def test_a_retired_grid_counts_in_past_reports_up_to_the_day_before_its_retirement(cli, two_grids: Path) -> None:
    march = report(cli, two_grids, "monthly", "--month", "2026-03")
    retire(cli, two_grids, "2026-04-15")
    assert report(cli, two_grids, "monthly", "--month", "2026-03")["totals"] == march["totals"]
    april = report(cli, two_grids, "monthly", "--month", "2026-04")
    days = {r["grid"]: r["due_days"] for r in rows(april, "grids")}
    assert days == {OLD: 9, NEW: 21}  # 04-01..04-14 less 清明: nine working days served
    assert april["totals"]["due_days"] == 30
    scores = rows(report(cli, two_grids, "assessment", "--period", "2026-04"), "scores")
    assert [(r["staff"], r["grids"], r["inspection_rate"]) for r in scores] == [
        ("S0002", "第一网格、第二网格", {"done": 0, "total": 30})
    ]
    may = report(cli, two_grids, "monthly", "--month", "2026-05")
    assert [r["grid"] for r in rows(may, "grids")] == [NEW]  # not served in May at all
    due = gc(cli, two_grids, "due")
    assert OLD not in due.output and "第一网格" not in due.output


def test_a_retired_grid_takes_no_inspection_activity_or_document_from_its_retirement_on(cli, two_grids: Path) -> None:
    owed = gc(
        cli,
        two_grids,
        "document",
        "add",
        "第一网格",
        "--type",
        "工作计划",
        "--title",
        "四月计划",
        "--due",
        "2026-05-30",
    )
    assert owed.exit_code == 0, owed.output
    assert gc(cli, two_grids, "move", "H000001", "--to", "第二网格").exit_code == 0
    before = head(two_grids)
    refused = gc(cli, two_grids, "retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-04-15")
    assert refused.exit_code == 2, refused.output
    assert "文件 D2026-0001 四月计划: 报送或签订后登记: gridctl document submit D2026-0001" in refused.output
    assert head(two_grids) == before
    assert gc(cli, two_grids, "document", "submit", "D2026-0001", "--date", "2026-04-10").exit_code == 0
    assert gc(cli, two_grids, "retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-04-15").exit_code == 0
    before = head(two_grids)
    for args in (
        ("inspect", "第一网格", "--by", "S0002", "--all-ok"),
        ("inspect", "第一网格", "--by", "S0002", "--all-ok", "--date", "2026-04-15"),
        ("activity", "第一网格", "--type", "工作例会", "--by", "S0001"),
        ("document", "add", "第一网格", "--type", "工作计划", "--title", "五月计划", "--due", "2026-05-30"),
    ):
        result = gc(cli, two_grids, *args, lang="en")
        assert result.exit_code == 2, (args, result.output)
        assert f"grid {OLD} 第一网格 was retired on 2026-04-15" in result.output
        assert "a record of a day before 2026-04-15 still goes in (--date)" in result.output
    assert head(two_grids) == before
    assert gc(cli, two_grids, "due").output.count("第一网格") == 0
    # a late entry of a day it was still served goes in
    late = gc(cli, two_grids, "inspect", "第一网格", "--by", "S0002", "--all-ok", "--date", "2026-04-14")
    assert late.exit_code == 0, late.output
    assert gc(cli, two_grids, "activity", "第一网格", "--type", "工作例会", "--date", "2026-04-14").exit_code == 0
    assert gc(cli, two_grids, "validate").exit_code == 0
    # one typed by hand on the retirement's day is GC223
    rel = next(p for p in (two_grids / "inspections").rglob("*.yaml"))
    rel.write_text(rel.read_text(encoding="utf-8").replace("2026-04-14", "2026-04-15"), encoding="utf-8")
    checked = gc(cli, two_grids, "validate", lang="en")
    assert checked.exit_code == 1, checked.output
    assert "error[GC223] inspection" in checked.output
    assert "it is dated on or after the retirement (2026-04-15)" in checked.output


def test_a_retired_grid_leaves_the_policy_warnings(cli, two_grids: Path) -> None:
    """GC302 counted the retired grid's declared households for a 社区 whose staff it no longer had;
    without a declared count, GC301 warned of it as a basic grid of 0 households."""
    grid = two_grids / f"grids/{OLD}.yaml"
    grid.write_text(grid.read_text(encoding="utf-8") + "households_declared: 527\n", encoding="utf-8")
    repo = git.Repo(two_grids)
    repo.index.add([f"grids/{OLD}.yaml"])
    repo.index.commit("申报户数")
    assert "GC302" in gc(cli, two_grids, "validate", lang="en").output  # 527 households, 2 staff
    retire(cli, two_grids)
    checked = gc(cli, two_grids, "validate", "--strict", lang="en")
    assert checked.exit_code == 0, checked.output
    assert gc(cli, two_grids, "edit", OLD, "--unset", "households_declared").exit_code == 0
    checked = gc(cli, two_grids, "validate", "--strict", lang="en")
    assert checked.exit_code == 0, checked.output
    assert "GC30" not in checked.output


def test_a_grid_retired_by_mistake_is_reinstated_whole(cli, two_grids: Path) -> None:
    """The hint of every refusal says `gridctl edit GRID --unset retired`; it was refused (GC230/GC231)
    because retire had moved the grid's people to former, and assign was refused as the grid was
    retired: a dead end. Reinstating brings back the people retire ended, in the same commit."""
    text = (two_grids / f"grids/{OLD}.yaml").read_text(encoding="utf-8")
    retire(cli, two_grids, "2026-05-10")
    back = gc(cli, two_grids, "-m", "注销有误", "edit", "第一网格", "--unset", "retired")
    assert back.exit_code == 0, back.output
    assert "责任人 网格长 S0001、网格员 S0002 恢复负责" in back.output
    assert (two_grids / f"grids/{OLD}.yaml").read_text(encoding="utf-8") == text
    commit = git.Repo(two_grids).head.commit
    assert commit.summary == f"撤销注销网格 {OLD}" and len(commit.parents) == 1
    assert gc(cli, two_grids, "validate").exit_code == 0
    assert gc(cli, two_grids, "move", "H000001", "--to", "第一网格").exit_code == 0  # it takes records again
    assert gc(cli, two_grids, "validate").exit_code == 0


def test_a_person_who_took_the_grid_on_the_day_it_was_retired_by_mistake_comes_back_too(cli, two_grids: Path) -> None:
    """retire left out of `former` whoever began on the retirement's day (never served a day), so the
    undo, which brings back those `former` holds until that day, lost them: the grid came back
    without its 网格员, and a validate error (GC231) the clerk had not made."""
    path = two_grids / f"grids/{OLD}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    staff: S0002\n", "    staff: S0002\n    since: 2026-05-10\n"),
        encoding="utf-8",
    )
    repo = git.Repo(two_grids)
    repo.git.add("-A")
    repo.git.commit("-q", "-m", "网格员 S0002 今日到岗")
    text = path.read_text(encoding="utf-8")
    retire(cli, two_grids, "2026-05-10")
    back = gc(cli, two_grids, "-m", "注销有误", "edit", "第一网格", "--unset", "retired")
    assert back.exit_code == 0, back.output
    assert "责任人 网格长 S0001、网格员 S0002 恢复负责" in back.output
    assert path.read_text(encoding="utf-8") == text
    assert gc(cli, two_grids, "validate").exit_code == 0


def test_a_grid_is_not_retired_on_a_day_to_come(cli, two_grids: Path) -> None:
    """retire GRID --date 2026-12-31 was committed: the grid retired now, its people responsible until
    December. Refused as unassign --date refuses it, in the same words."""
    assert gc(cli, two_grids, "move", "H000001", "--to", "第二网格").exit_code == 0
    before = head(two_grids)
    text = (two_grids / f"grids/{OLD}.yaml").read_bytes()
    result = gc(cli, two_grids, "retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-12-31", lang="en")
    assert result.exit_code == 2, result.output
    assert "--date 2026-12-31 is after today (2026-05-10)" in result.output
    unassign = gc(
        cli, two_grids, "unassign", NEW, "--role", "网格员", "--staff", "S0002", "--date", "2026-12-31", lang="en"
    )
    assert unassign.output == result.output
    assert head(two_grids) == before and (two_grids / f"grids/{OLD}.yaml").read_bytes() == text


def test_a_name_a_retired_grid_shares_with_a_grid_in_use_names_the_one_in_use(cli, two_grids: Path) -> None:
    """第一网格 merged away and a new 第一网格 drawn: the name listed the same line twice, for ever (the
    community's name before it did not help: both are in 幸福里社区). It names the grid in use; an
    ambiguity that stays marks the retired one."""
    retire(cli, two_grids, "2026-04-15")
    third = "110105001001003"
    write(two_grids, f"grids/{third}.yaml", GRID.replace(OLD, third))
    repo = git.Repo(two_grids)
    repo.index.add([f"grids/{third}.yaml"])
    repo.index.commit("新划第一网格")
    moved = gc(cli, two_grids, "move", "H000001", "--to", "第一网格")
    assert moved.exit_code == 0, moved.output
    assert (two_grids / f"households/{third}/H000001.yaml").exists()
    fourth = "110105001001004"
    write(two_grids, f"grids/{fourth}.yaml", GRID.replace(OLD, fourth))
    repo.index.add([f"grids/{fourth}.yaml"])
    repo.index.commit("又一个第一网格")
    before = head(two_grids)
    again = gc(cli, two_grids, "move", "H000001", "--to", "第一网格", lang="en")
    assert again.exit_code == 2, again.output
    assert f"{OLD} 第一网格 (幸福里社区, retired 2026-04-15)" in again.output
    assert f"{fourth} 第一网格 (幸福里社区)" in again.output
    assert head(two_grids) == before
