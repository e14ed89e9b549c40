"""A sync interrupted after git's merge returned, while gridctl validated the merged ledger before
its commit (crash step `merged`): the merge is undone, as for an interruption while git ran.

Before, git's merge note was gone by then: a Ctrl-C printed only "Aborted." and left MERGE_HEAD and
the merged files staged; the next command put nothing back, `status` said nothing of a merge, and a
write was refused with conflict advice though there was no conflict. A kill left the same."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from teamwork import git, run
from test_merge_killed import HOUSE, clean, office_and_worker_both_changed


def sync_stopped(clone: Path, crash: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRIDCTL_TEST_CRASH": crash}
    return subprocess.run(
        [sys.executable, "-m", "gridctl", "--lang", lang, "sync"], cwd=clone, env=env, capture_output=True, text=True
    )


def merges_again(w2: Path) -> None:
    code, out = run(w2, "sync")
    assert code == 0, out
    merged = (w2 / HOUSE.format(1)).read_text(encoding="utf-8")
    assert "502" in merged and "租赁" in merged
    assert 'room: "601"' in (w2 / HOUSE.format(2)).read_text(encoding="utf-8")
    assert clean(w2) == []


def as_before(w2: Path, before: str) -> None:
    assert git(w2, "rev-parse", "HEAD") == before
    assert clean(w2) == []
    assert not (w2 / ".git" / "MERGE_HEAD").exists()
    assert not (w2 / ".git" / "gridctl-merging.json").exists()
    assert 'room: "501"' in (w2 / HOUSE.format(2)).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", ("合并被中断 (Ctrl-C)", "台账与合并前相同")),
        ("en", ("merge interrupted (Ctrl-C)", "the ledger is as before the merge")),
    ],
)
def test_a_ctrl_c_while_the_merged_ledger_is_validated_undoes_the_merge(
    tmp_path: Path, lang: str, said: tuple[str, str]
) -> None:
    t = office_and_worker_both_changed(tmp_path, others=3)
    w2 = t["w2"]
    before = git(w2, "rev-parse", "HEAD")
    done = sync_stopped(w2, "merged@INT", lang)
    assert done.returncode == 130, done.stderr
    assert all(s in done.stderr for s in said), done.stderr
    assert "Aborted" not in done.stderr, done.stderr
    as_before(w2, before)

    code, out = run(w2, "status")
    assert code == 0 and "合并" not in out, out
    merges_again(w2)


def test_a_kill_while_the_merged_ledger_is_validated_is_undone_by_the_next_command(tmp_path: Path) -> None:
    t = office_and_worker_both_changed(tmp_path, others=3)
    w2 = t["w2"]
    before = git(w2, "rev-parse", "HEAD")
    done = sync_stopped(w2, "merged")
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert (w2 / ".git" / "MERGE_HEAD").exists()  # as git left it: the next command puts it back

    code, out = run(w2, "status")
    assert code == 0, out
    assert "在 git 合并时被中断" in out and "已把台账复原到合并前" in out, out
    as_before(w2, before)
    merges_again(w2)


KILL_AT_COMMIT = """#!/bin/sh
# git runs this while it moves a branch; "committed": the branch has moved, git still holds its index lock
[ "$1" = committed ] || exit 0
grep -q " refs/heads/" || exit 0
[ -f kill-at-commit ] || exit 0  # a hook runs at the top of the work tree
rm -f kill-at-commit
gridctl=$(cut -d' ' -f4 "/proc/$PPID/stat")  # git's parent
kill -9 "$gridctl" "$PPID"  # the window closed: gridctl and the git committing the merge
"""


def test_a_kill_while_git_commits_the_merge_leaves_it_committed_and_nothing_locked(tmp_path: Path) -> None:
    """Killed with its window while `git commit` made the merge commit, after the branch moved and
    before git let go of its index lock: the merge was committed, but .git/index.lock stayed, and every
    later write (gridctl's or a plain git commit) was refused over it."""
    t = office_and_worker_both_changed(tmp_path, others=3)
    w2 = t["w2"]
    before = git(w2, "rev-parse", "HEAD")
    hooks = git(w2, "rev-parse", "--git-path", "hooks").strip()
    hook = (w2 / hooks) / "reference-transaction"
    hook.write_text(KILL_AT_COMMIT, encoding="utf-8")
    hook.chmod(0o755)
    (w2 / "kill-at-commit").touch()
    git(w2, "config", "--add", "core.excludesFile", str(tmp_path / "ignored"))
    (tmp_path / "ignored").write_text("kill-at-commit\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "gridctl", "sync"], cwd=w2, capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert not (w2 / "kill-at-commit").exists(), "the hook never ran"
    merged = git(w2, "rev-parse", "HEAD")
    assert merged != before and git(w2, "rev-parse", "HEAD^1") == before  # the branch had moved

    code, out = run(w2, "status")
    assert code in (0, 1), out
    assert not (w2 / ".git" / "index.lock").exists(), out
    assert not (w2 / ".git" / "MERGE_HEAD").exists(), out
    assert git(w2, "rev-parse", "HEAD") == merged
    assert clean(w2) == []
    hook.unlink()
    code, out = run(w2, "sync")  # sends the merge
    assert code == 0, out
