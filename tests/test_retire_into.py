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

from tests.conftest import AUTHOR_ENV, GRID, household, id_number, make_ledger, make_repo, write

PARENT = "110105001001001"  # 第一网格
MICRO = "11010500100100100001"  # 第一微网格, under it
SIBLING = "110105001001002"  # 第二网格
ENV = {**AUTHOR_ENV, "GRIDCTL_TODAY": "2026-05-10"}


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


def gc(cli, root: Path, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), "--lang", lang, *args, env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def head(root: Path) -> str:
    return git.Repo(root).head.commit.hexsha


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
