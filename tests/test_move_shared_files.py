"""`gridctl move` of a record kept in a file with other records (design.md §2: a file may hold
several): the record leaves that file for a file of its own in its new grid's folder, in one
validated commit, as an import that moves it does (tests/test_import_shared_files.py)."""

from __future__ import annotations

from pathlib import Path

import git
from test_import_shared_files import records

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
