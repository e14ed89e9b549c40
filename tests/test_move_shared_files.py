"""`gridctl move` of a record kept in a file with other records (design.md §2: a file may hold
several): the record leaves that file for a file of its own in its new grid's folder, in one
validated commit, as an import that moves it does (tests/test_import_shared_files.py)."""

from __future__ import annotations

from pathlib import Path

import git
import pytest
from test_import import snapshot
from test_import_shared_files import COMMUNITY, HEAD, SCHEMA, records, share, split_killed

from gridctl.ledger.crash import STEPS

GRID_A, GRID_B = "110105017006001", "110105017006002"
AUTHOR = ("--author", "李娜 <lina@example.cn>")


def changed_files(root: Path) -> list[str]:
    """What the last commit changed, a file moved whole as its two paths."""
    return sorted(git.Repo(root).git.show("--name-only", "--no-renames", "--format=", "HEAD").split())


def commit(root: Path, message: str) -> str:
    repo = git.Repo(root)
    repo.git.add("-A")
    repo.git.commit("-qm", message)
    return repo.head.commit.hexsha


def test_a_file_of_one_record_ending_in_a_document_marker_moves_whole(cli, demo: Path) -> None:
    """H000002's file ending in `---` (an empty document after it, as an editor or a copy leaves it) passes
    validate, but move refused it: 含有多条记录；请先拆分再迁移, and there was nothing to split."""
    rel = f"households/{GRID_A}/H000002.yaml"
    with (demo / rel).open("a", encoding="utf-8") as handle:
        handle.write("---\n")
    before = commit(demo, "文件末尾多了 ---")
    assert cli("-C", str(demo), "validate").exit_code == 0
    result = cli("-C", str(demo), "--lang", "zh", *AUTHOR, "-m", "搬家", "move", "H000002", "--to", GRID_B)
    assert result.exit_code == 0, result.output
    own = f"households/{GRID_B}/H000002.yaml"
    assert changed_files(demo) == sorted([rel, own])
    assert git.Repo(demo).head.commit.parents[0].hexsha == before
    assert not (demo / rel).exists()
    assert [r["id"] for r in records(demo, own) if r] == ["H000002"]
    assert cli("-C", str(demo), "validate").exit_code == 0


SHARED = f"households/{GRID_A}/building-1.yaml"


def test_a_household_kept_with_others_leaves_the_shared_file_in_one_commit(cli, demo: Path) -> None:
    """H000003 kept in one file with H000002 and H000004: move H000003 --to 第二网格 refused (含有多条记录；
    请先拆分再迁移) and did not say how; the clerk was stuck. It now leaves the file for one of its own in
    第二网格's folder, its comment with it; the others stay, under the file's own head."""
    share(demo, f"households/{GRID_A}", ("H000002", "H000003", "H000004"), "building-1.yaml")
    h2, h3, h4 = records(demo, SHARED)
    before = git.Repo(demo).head.commit.hexsha
    result = cli("-C", str(demo), "--lang", "zh", *AUTHOR, "-m", "搬家", "move", "H000003", "--to", "第二网格")
    assert result.exit_code == 0, result.output
    own = f"households/{GRID_B}/H000003.yaml"
    lines = result.output.splitlines()
    assert lines[0].startswith("已提交 ") and lines[0].endswith(": 迁移户 H000003：第一网格 → 第二网格"), lines
    assert lines[1] == f"  H000003 从 {SHARED} 拆出，单独存为 {own}；其余 2 条记录留在原文件"
    repo = git.Repo(demo)
    assert repo.head.commit.parents[0].hexsha == before
    assert changed_files(demo) == sorted([SHARED, own])
    assert f"H000003 从 {SHARED} 拆出" in repo.head.commit.message
    assert records(demo, own) == [h3 | {"grid": GRID_B}]
    assert records(demo, SHARED) == [h2, h4]
    assert (demo / own).read_text(encoding="utf-8").startswith(SCHEMA.format(kind="household") + "# H000003 的说明\n")
    kept = (demo / SHARED).read_text(encoding="utf-8")
    assert kept.startswith(f"{HEAD}# H000002 的说明\n")
    assert "H000003" not in kept and "---\n# H000004 的说明\n" in kept
    assert repo.git.status("--porcelain") == ""
    assert cli("-C", str(demo), "validate").exit_code == 0
    history = cli("-C", str(demo), "--lang", "zh", "history", "H000003")
    assert f"文件: {SHARED} → {own}" in history.output, history.output


def test_the_first_record_leaves_and_the_file_keeps_its_head(cli, demo: Path) -> None:
    share(demo, f"households/{GRID_A}", ("H000002", "H000003"), "building-1.yaml")
    h2, h3 = records(demo, SHARED)
    result = cli("-C", str(demo), "--lang", "en", *AUTHOR, "move", "H000002", "--to", GRID_B)
    assert result.exit_code == 0, result.output
    own = f"households/{GRID_B}/H000002.yaml"
    assert f"  H000002 left {SHARED} for a file of its own, {own}; the 1 other record(s) stay there" in result.output
    assert records(demo, SHARED) == [h3]
    assert (demo / SHARED).read_text(encoding="utf-8").startswith(f"{HEAD}# H000003 的说明\n")
    assert (
        (demo / own).read_text(encoding="utf-8").startswith(SCHEMA.format(kind="household") + "# H000002 的说明\nkind:")
    )
    assert records(demo, own) == [h2 | {"grid": GRID_B}]
    assert cli("-C", str(demo), "validate").exit_code == 0


def test_a_place_kept_with_others_leaves_the_shared_file(cli, demo: Path) -> None:
    rel = share(demo, f"places/{GRID_A}", ("PL00001", "PL00002"), "buildings.yaml", SCHEMA.format(kind="place") + "\n")
    pl1, pl2 = records(demo, rel)
    result = cli("-C", str(demo), *AUTHOR, "move", "PL00002", "--to", GRID_B)
    assert result.exit_code == 0, result.output
    assert records(demo, rel) == [pl1]
    assert records(demo, f"places/{GRID_B}/PL00002.yaml") == [pl2 | {"grid": GRID_B}]
    assert git.Repo(demo).git.status("--porcelain") == ""
    assert cli("-C", str(demo), "validate").exit_code == 0


def test_a_record_leaving_a_shared_file_never_writes_over_a_file_already_there(cli, demo: Path) -> None:
    """A file at households/B/H000003.yaml, put there by hand: committed, or not yet."""
    share(demo, f"households/{GRID_A}", ("H000002", "H000003"), "building-1.yaml")
    there = demo / "households" / GRID_B / "H000003.yaml"
    there.write_text("# 手工放的\n", encoding="utf-8")
    for committed in (False, True):
        if committed:
            commit(demo, "手工放入")
        before = snapshot(demo)
        result = cli("-C", str(demo), "--lang", "zh", *AUTHOR, "move", "H000003", "--to", GRID_B)
        assert result.exit_code == 2, result.output
        assert f"households/{GRID_B}/H000003.yaml 已经存在，迁移会覆盖它" in result.output
        assert snapshot(demo) == before


def test_a_shared_file_in_the_grids_folder_already_keeps_the_record(cli, demo: Path) -> None:
    """H000003's grid: changed by hand to B in the shared file in A's folder: a move to A agrees them in
    the file, as the record's grid: was; a move to B takes it out to B's folder (归位). A move to the grid
    it is in, and whose folder holds the file, says so."""
    share(demo, f"households/{GRID_A}", ("H000002", "H000003"), "building-1.yaml")
    shared = (demo / SHARED).read_text(encoding="utf-8")
    at = shared.index(f'grid: "{GRID_A}"', shared.index("# H000003 的说明"))
    edited = shared[:at] + shared[at:].replace(GRID_A, GRID_B, 1)
    (demo / SHARED).write_text(edited, encoding="utf-8")
    commit(demo, "手改网格")
    assert [r["grid"] for r in records(demo, SHARED)] == [GRID_A, GRID_B]
    again = cli("-C", str(demo), "--lang", "zh", "move", "H000002", "--to", GRID_A)
    assert again.exit_code == 2 and f"H000002 已在 {GRID_A}" in again.output, again.output
    back = cli("-C", str(demo), "--lang", "zh", *AUTHOR, "move", "H000003", "--to", GRID_A)
    assert back.exit_code == 0, back.output
    assert changed_files(demo) == [SHARED] and (demo / SHARED).read_text(encoding="utf-8") == shared
    git.Repo(demo).git.reset("--hard", "HEAD~1")
    out = cli("-C", str(demo), "--lang", "zh", *AUTHOR, "move", "H000003", "--to", GRID_B)
    assert out.exit_code == 0, out.output
    own = f"households/{GRID_B}/H000003.yaml"
    assert f"归位户 H000003：文件 households/{GRID_A} → households/{GRID_B}" in out.output
    assert [r["id"] for r in records(demo, SHARED)] == ["H000002"]
    assert [(r["id"], r["grid"]) for r in records(demo, own)] == [("H000003", GRID_B)]
    assert cli("-C", str(demo), "validate").exit_code == 0


def test_a_move_the_ledger_refuses_leaves_the_shared_file_as_it_was(cli, demo: Path) -> None:
    """A household put under the community (it has grids below it): the new file is refused, nothing moves."""
    share(demo, f"households/{GRID_A}", ("H000002", "H000003"), "building-1.yaml")
    before = snapshot(demo)
    result = cli("-C", str(demo), "--lang", "zh", *AUTHOR, "move", "H000003", "--to", COMMUNITY)
    assert result.exit_code == 1, result.output
    assert f"households/{COMMUNITY}/H000003.yaml" in result.output
    assert "未写入: 修改会产生上述错误，台账和 git 均未改动" in result.output
    assert snapshot(demo) == before


@pytest.mark.parametrize("step", STEPS)
def test_a_move_splitting_a_file_killed_at_any_step_is_all_or_nothing(demo: Path, step: str) -> None:
    """kill -9 at each step of the write: the next command (a read) finds the file as it was, or H000003
    in its own file and H000002 in the shared one; never the record twice or gone."""
    split_killed(demo, ["move", "H000003", "--to", GRID_B], step)
