"""注销并入: `retire GRID --into OTHER` moves what a grid holds into the grid taking it over and
retires it in one commit; a 微网格 folded back into its 网格 needs it (a record sits in a leaf grid,
and a grid is not retired while it holds records)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import git
import pytest
import yaml
from test_retire_grid import gc, head

from tests.conftest import GRID, household, id_number, make_ledger, make_repo, write

PARENT = "110105001001001"  # 第一网格
MICRO = "11010500100100100001"  # 第一微网格, under it
SIBLING = "110105001001002"  # 第二网格


@pytest.fixture
def folded(tmp_path: Path) -> Path:
    """第一网格 split into one 微网格 holding the ledger's household and a second one."""
    root = make_ledger(tmp_path / "ledger")
    micro = GRID.replace(f'id: "{PARENT}"', f'id: "{MICRO}"').replace('parent: "110105001001"', f'parent: "{PARENT}"')
    write(root, f"grids/{MICRO}.yaml", micro.replace("第一网格", "第一微网格").replace("level: 网格", "level: 微网格"))
    write(root, f"grids/{SIBLING}.yaml", GRID.replace(PARENT, SIBLING).replace("第一网格", "第二网格"))
    (root / f"households/{PARENT}/H000001.yaml").unlink()
    write(root, f"households/{MICRO}/H000001.yaml", household().replace(f'grid: "{PARENT}"', f'grid: "{MICRO}"'))
    second = household("H000002", "P0000002", id_number(seq="455")).replace(f'grid: "{PARENT}"', f'grid: "{MICRO}"')
    write(root, f"households/{MICRO}/H000002.yaml", second)
    return make_repo(root, "2026-01-05T09:00:00")


def event_grids(root: Path) -> dict[str, str]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))["grid"] for p in (root / "events").rglob("*.yaml")}


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.yaml") if ".git" not in p.parts}


def test_a_micro_grid_folded_back_takes_its_households_up_to_its_grid_in_one_commit(cli, folded: Path) -> None:
    assert gc(cli, folded, "validate").exit_code == 0
    # one at a time it cannot be done: the 网格 has a child, and the child holds households
    moved = gc(cli, folded, "move", "H000001", "--to", "第一网格")
    assert moved.exit_code == 1 and "GC220" in moved.output
    refused = gc(cli, folded, "retire", "第一微网格", "--reason", "并入第一网格", "--date", "2026-05-01")
    assert refused.exit_code == 2
    assert f"gridctl retire {MICRO} --into 网格" in refused.output  # the way out is named
    report = ("event", "report", "--grid", "第一微网格", "--type", "安全隐患", "--title", "楼道堆物", "--by", "S0001")
    assert gc(cli, folded, *report).exit_code == 0
    before = head(folded)

    retire = ("retire", "第一微网格", "--reason", "并入第一网格", "--date", "2026-05-01")
    done = gc(cli, folded, *retire, "--into", "第一网格")
    assert done.exit_code == 0, done.output
    assert "并入 第一网格 (110105001001001)：户 2、事件 1" in done.output
    repo = git.Repo(folded)
    assert repo.head.commit.parents[0].hexsha == before  # one commit
    message = repo.head.commit.message
    assert message.startswith(f"注销网格 {MICRO}：并入第一网格")
    assert "户 2" in message and id_number() not in message and "张伟" not in message
    assert not (folded / f"households/{MICRO}").exists()
    for hid in ("H000001", "H000002"):
        record = yaml.safe_load((folded / f"households/{PARENT}/{hid}.yaml").read_text(encoding="utf-8"))
        assert record["grid"] == PARENT
    assert (
        (folded / f"households/{PARENT}/H000001.yaml").read_text(encoding="utf-8").startswith("# 2026年3月入户核实")
    )  # the clerk's comment goes with it
    event = next((folded / "events").rglob("*.yaml"))
    assert yaml.safe_load(event.read_text(encoding="utf-8"))["grid"] == PARENT
    grid = yaml.safe_load((folded / f"grids/{MICRO}.yaml").read_text(encoding="utf-8"))
    assert grid["retired"]["reason"] == "并入第一网格"
    # the 网格 is a leaf again: the households sit there with validate clean, and history follows them
    checked = gc(cli, folded, "validate", "-f", "json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["summary"]["errors"] == 0
    follow = subprocess.run(
        ["git", "log", "--follow", "--format=%s", "--", f"households/{PARENT}/H000001.yaml"],
        cwd=folded,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(follow) == 2 and follow[0].startswith(f"注销网格 {MICRO}")


def test_two_households_sharing_a_file_each_get_their_own_in_the_grid_taking_over(cli, folded: Path) -> None:
    shared = folded / f"households/{MICRO}/H000001.yaml"
    other = folded / f"households/{MICRO}/H000002.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "---\n" + other.read_text(encoding="utf-8"), "utf-8")
    other.unlink()
    repo = git.Repo(folded)
    repo.git.add("-A")
    repo.git.commit("-q", "-m", "两户合在一个文件")
    assert gc(cli, folded, "validate").exit_code == 0
    done = gc(cli, folded, "retire", MICRO, "--reason", "并入第二网格", "--date", "2026-05-01", "--into", SIBLING)
    assert "跨村/社区" not in done.output  # the same 社区
    assert done.exit_code == 0, done.output
    for hid in ("H000001", "H000002"):
        record = yaml.safe_load((folded / f"households/{SIBLING}/{hid}.yaml").read_text(encoding="utf-8"))
        assert (record["id"], record["grid"]) == (hid, SIBLING)
    assert not shared.exists()
    assert gc(cli, folded, "validate").exit_code == 0


@pytest.mark.parametrize(
    ("record", "into", "said"),
    [
        (MICRO, MICRO, f"--into 不能是 {MICRO} 本身"),
        (MICRO, "第九网格", "第九网格"),
        ("H000001", "第一网格", "--into 只用于注销网格"),
        (PARENT, SIBLING, "不能注销"),  # its child grid does not move with it
    ],
)
def test_a_retirement_into_a_grid_that_cannot_take_over_changes_nothing(
    cli, folded: Path, record: str, into: str, said: str
) -> None:
    before, text = head(folded), files(folded)
    result = gc(cli, folded, "retire", record, "--reason", "并入", "--date", "2026-05-01", "--into", into)
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert head(folded) == before and files(folded) == text


def test_a_retirement_into_a_retired_grid_is_refused(cli, folded: Path) -> None:
    empty = gc(cli, folded, "retire", SIBLING, "--reason", "撤销", "--date", "2026-04-01")
    assert empty.exit_code == 0, empty.output
    before, text = head(folded), files(folded)
    result = gc(cli, folded, "retire", MICRO, "--reason", "并入", "--date", "2026-05-01", "--into", SIBLING)
    assert result.exit_code == 2
    assert f"网格 {SIBLING} 第二网格 已于 2026-04-01 注销" in result.output
    assert head(folded) == before and files(folded) == text


def test_a_grid_folded_back_needs_its_own_grid_worker_before_it_takes_the_households(cli, folded: Path) -> None:
    """A 网格 split into 微网格 need not have a 网格员 of its own (its 微网格 have them); folded back, it
    serves the households itself. The fold-back used to leave it without one and validate clean."""
    path = folded / f"grids/{PARENT}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  - role: 网格员")], encoding="utf-8")
    repo = git.Repo(folded)
    repo.git.commit("-qam", "网格员只在微网格")
    assert gc(cli, folded, "validate").exit_code == 0
    before, kept = head(folded), files(folded)
    retire = ("retire", MICRO, "--reason", "并入第一网格", "--date", "2026-05-01", "--into", PARENT)
    refused = gc(cli, folded, *retire)
    assert refused.exit_code == 1, refused.output
    assert f"grids/{PARENT}.yaml" in refused.output and "GC231" in refused.output
    assert head(folded) == before and files(folded) == kept
    assign = gc(cli, folded, "assign", PARENT, "--role", "网格员", "--staff", "S0002", "--duty", "每天巡查网格一次")
    assert assign.exit_code == 0, assign.output
    done = gc(cli, folded, *retire)
    assert done.exit_code == 0, done.output
    assert gc(cli, folded, "validate").exit_code == 0


def test_a_community_whose_last_grid_is_retired_is_not_asked_for_grid_workers(cli, tmp_path: Path) -> None:
    """幸福里社区's one grid merged into another community's: the community serves nobody now and is
    retired next; it is no leaf grid to staff (it has a 网格长, no 网格员)."""
    root = make_ledger(tmp_path / "ledger")
    other = "110105001002"
    write(root, "grids/110105001.yaml", 'kind: grid\nid: "110105001"\nname: 安和街道\nlevel: 街道\n')
    own = root / "grids/110105001001.yaml"
    own.write_text(own.read_text(encoding="utf-8") + 'parent: "110105001"\n', encoding="utf-8")
    write(root, f"grids/{other}.yaml", f'kind: grid\nid: "{other}"\nname: 和平社区\nlevel: 社区\nparent: "110105001"\n')
    write(root, f"grids/{other}001.yaml", GRID.replace(PARENT, f"{other}001").replace('"110105001001"', f'"{other}"')
          .replace("第一网格", "和平第一网格"))  # fmt: skip
    make_repo(root, "2026-01-05T09:00:00")
    checked = gc(cli, root, "validate")
    assert checked.exit_code == 0, checked.output
    done = gc(
        cli, root, "retire", "第一网格", "--reason", "并入和平社区", "--date", "2026-05-01", "--into", "和平第一网格"
    )
    assert done.exit_code == 0, done.output
    # its households change community: said, not done silently (a 微网格 folded back never does)
    assert "注意: 和平第一网格 属于和平社区，第一网格 属于幸福里社区 (跨村/社区并入" in done.output
    assert yaml.safe_load((root / f"households/{other}001/H000001.yaml").read_text(encoding="utf-8"))["grid"] == (
        f"{other}001"
    )
    assert gc(cli, root, "validate").exit_code == 0


def test_the_key_sites_that_move_are_listed_by_the_grid_taking_over(cli, demo: Path) -> None:
    """第一网格 names 电动车集中充电棚 (PL00028) a key site; merged into 第二网格, no grid in use named it."""
    first, second = "110105017006001", "110105017006002"
    assert "PL00028" in yaml.safe_load((demo / f"grids/{first}.yaml").read_text(encoding="utf-8"))["key_sites"]
    done = gc(cli, demo, "retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-03-15", "--into", "第二网格")
    assert done.exit_code == 0, done.output
    assert "重点部位 PL00028 列入 第二网格" in done.output
    taker = yaml.safe_load((demo / f"grids/{second}.yaml").read_text(encoding="utf-8"))
    assert taker["key_sites"][-1] == "PL00028" and len(taker["key_sites"]) == len(set(taker["key_sites"]))
    assert (demo / f"places/{second}/PL00028.yaml").is_file()
    assert gc(cli, demo, "validate").exit_code == 0


def test_a_retirement_into_another_grid_is_previewed_and_says_how_to_undo_it_whole(cli, folded: Path) -> None:
    before, kept = head(folded), files(folded)
    retire = ("retire", MICRO, "--reason", "并入第一网格", "--date", "2026-05-01", "--into", PARENT)
    preview = gc(cli, folded, *retire, "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert preview.output.startswith(f"试运行，未写入: 注销网格 {MICRO}：并入第一网格")
    assert "户 2" in preview.output and "git revert" not in preview.output
    assert head(folded) == before and files(folded) == kept
    done = gc(cli, folded, *retire)
    assert done.exit_code == 0, done.output
    commit = git.Repo(folded).head.commit.hexsha[:10]
    assert done.output.splitlines()[-1] == f"  整次撤销 (连同迁入的记录): git revert {commit}"
    subprocess.run(["git", "revert", "--no-edit", commit], cwd=folded, check=True, capture_output=True)
    assert files(folded) == kept
    assert gc(cli, folded, "validate").exit_code == 0


def test_the_events_reported_from_the_day_of_the_merger_go_with_it_closed_or_open(cli, demo: Path) -> None:
    """A closed event reported after the retirement stayed in the retired grid, and the month's report
    gave it a hazard found on a day it served nobody; the inspections of those days moved."""
    grid_of = event_grids(demo)
    assert (grid_of["E202603-0001"], grid_of["E202603-0005"]) == ("110105017006001", "110105017006001")
    done = gc(cli, demo, "retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-03-04", "--into", "第二网格")
    assert done.exit_code == 0, done.output
    after = event_grids(demo)
    assert after["E202603-0001"] == "110105017006001"  # closed, reported 03-03: the day before, its grid's
    assert after["E202603-0005"] == "110105017006002"  # open: live, it goes
    again = gc(cli, demo, "-m", "注销有误", "edit", "第一网格", "--unset", "retired")
    assert again.exit_code == 0, again.output
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD~2"], cwd=demo, check=True)
    done = gc(cli, demo, "retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-03-02", "--into", "第二网格")
    assert done.exit_code == 0, done.output
    after = event_grids(demo)
    assert after["E202603-0001"] == "110105017006002"  # closed, reported 03-03: the day after, the taker's


def test_the_undo_of_a_retirement_brings_back_only_whom_the_retirement_ended(cli, demo: Path) -> None:
    """S0005 left 第一网格 on their own on the day it was merged away: the undo brought them back too,
    as it took back everyone `former` holds until that day. It now asks history who held the grid
    just before."""
    first = "110105017006001"
    steps = [
        ("assign", "第一网格", "--role", "专职网格员", "--staff", "S0010", "--duty", "巡查", "--since", "2026-03-15"),
        ("unassign", "第一网格", "--role", "专职网格员", "--staff", "S0005", "--date", "2026-03-15"),
        ("retire", "第一网格", "--reason", "并入第二网格", "--date", "2026-03-15", "--into", "第二网格"),
    ]
    for step in steps:
        done = gc(cli, demo, *step)
        assert done.exit_code == 0, (step, done.output)
    back = gc(cli, demo, "-m", "注销有误", "edit", "第一网格", "--unset", "retired")
    assert back.exit_code == 0, back.output
    grid = yaml.safe_load((demo / f"grids/{first}.yaml").read_text(encoding="utf-8"))
    holding = {r["staff"] for r in grid["responsible"]}
    assert "S0010" in holding and "S0001" in holding
    assert "S0005" not in holding
    assert [str(f["until"]) for f in grid["former"] if f["staff"] == "S0005"] == ["2026-03-15"]
    assert "S0005" not in back.output
