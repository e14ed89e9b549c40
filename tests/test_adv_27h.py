"""Attacks on the teamwork changes of one day: a killed merge undone, the office's bundle, approvals in the log."""

from __future__ import annotations

import json
from pathlib import Path

from teamwork import git, run, team

NOTE = "gridctl-merging.json"


def test_a_merge_note_naming_no_commit_of_this_clone_is_dropped_not_a_dead_end(tmp_path: Path) -> None:
    """A note left (or damaged) naming HEAD and a commit this clone lacks: every command stopped on
    "git diff-tree 失败: unknown revision" (exit 2), with no way out the clerk could see."""
    w2 = team(tmp_path)["w2"]
    head = git(w2, "rev-parse", "HEAD")
    for target in ("1" * 40, "nosuchthing", "--output=x"):
        (w2 / ".git" / NOTE).write_text(json.dumps({"head": head, "target": target}), encoding="utf-8")
        code, out = run(w2, "status")
        assert code == 0 and "diff-tree" not in out, (target, out)
        assert not (w2 / ".git" / NOTE).exists()
        assert not (w2 / "x").exists()
    assert git(w2, "rev-parse", "HEAD") == head and git(w2, "status", "--porcelain") == ""
