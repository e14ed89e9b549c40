"""Commits made in one second (an approval bringing a worker's edits, a script): `history` and the
record's versions list them all, in the order they were made.

git lists commits of equal time in any order: the creation came before the edit a merge brought,
and the history, which stops at the creation, said "1 个版本" for a household edited and approved."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import AUTHOR_ENV

HOUSE = "households/110105001001001/H000001.yaml"
SAME = "2026-03-02T09:00:00+08:00"


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **AUTHOR_ENV, "GIT_AUTHOR_DATE": SAME, "GIT_COMMITTER_DATE": SAME}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True, text=True).stdout


def test_an_edit_merged_in_the_second_it_was_made_is_in_the_history(cli, ledger: Path) -> None:
    git(ledger, "init", "-q", "-b", "main")
    git(ledger, "add", "-A")
    git(ledger, "commit", "-q", "-m", "初始台账")
    (ledger / "notes.txt").write_text("设置\n", encoding="utf-8")
    git(ledger, "add", "notes.txt")
    git(ledger, "commit", "-q", "-m", "设置")
    git(ledger, "switch", "-q", "-c", "review/S0002")
    house = ledger / HOUSE
    house.write_text(house.read_text(encoding="utf-8").replace('room: "501"', 'room: "201"'), encoding="utf-8")
    git(ledger, "commit", "-q", "-am", "修改户 H000001：地址")
    (ledger / "notes.txt").write_text("设置\n备注\n", encoding="utf-8")
    git(ledger, "commit", "-q", "-am", "备注")
    git(ledger, "switch", "-q", "main")
    git(ledger, "merge", "-q", "--no-ff", "-m", "审核通过 review/S0002", "review/S0002")
    listed = git(ledger, "log", "--diff-merges=first-parent", "--format=%s", "--", HOUSE).split()
    assert listed[-1] != "初始台账"  # the case: git itself lists the creation before the edit

    result = cli("-C", str(ledger), "--lang", "zh", "history", "H000001")
    assert result.exit_code == 0, result.output
    assert "2 个版本" in result.output and "房号: 501 → 201" in result.output, result.output
    result = cli("-C", str(ledger), "--lang", "zh", "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
