"""A Ctrl-C that reaches gridctl but not the `git merge` it runs (a terminal's Ctrl-C arriving the
instant after gridctl started git): gridctl lets git finish and undoes the merge, and no command
undoes anything under a git still writing the ledger.

Before, gridctl stopped at once and nobody waited for git: the next `gridctl status` found the
merge's note without git's process id, said it had put the ledger back and deleted git's index
lock, all while git was still checking out. What git wrote after that stayed as the clerk's own
uncommitted edits (seen under load: HEAD before the merge, 120 households modified, no MERGE_HEAD).

git is held at its checkout by a smudge filter that waits for a gate the test opens: no timing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from stopping import running_in
from teamwork import git, run
from test_merge_killed import HOUSE, clean, office_and_worker_both_changed
from test_merge_validated import merges_again

GATE = """\
n=$(( $(cat "$GATE_DIR/count" 2>/dev/null || echo 0) + 1 ))
echo $n > "$GATE_DIR/count"
if [ "$n" = "$GATE_AT" ]; then
  if [ -n "$GATE_CLOSES_WINDOW" ]; then
    set -- $(cat /proc/$$/stat)
    kill -KILL -$6  # gridctl's process group (it leads the test's session): a window closed
  fi
  : > "$GATE_DIR/paused"
  i=0
  while [ ! -e "$GATE_DIR/open" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
fi
exec cat
"""

SYNC = """\
import os, signal, subprocess, sys

signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even under a runner that ignores it
started = subprocess.Popen


class CtrlCAsGitStarts(started):
    def __init__(self, args, *rest, **given):
        super().__init__(args, *rest, **given)
        if "merge" in args and "--no-commit" in args:
            os.kill(os.getpid(), signal.SIGINT)  # to gridctl alone: git has just started, the signal was before it


subprocess.Popen = CtrlCAsGitStarts
from gridctl.cli.main import run

sys.argv = ["gridctl", "--lang", "zh", "sync"]
run()
"""


def gated(clone: Path, gate: Path, at: int) -> dict[str, str]:
    """git's checkout of household files in `clone` waits, at the `at`-th file, for `gate`/open;
    the environment that turns the gate on (a gridctl run without it checks out as usual)."""
    gate.mkdir()
    (gate / "gate.sh").write_text(GATE, encoding="utf-8")
    git(clone, "config", "filter.gate.smudge", f"sh '{gate / 'gate.sh'}'")
    (clone / ".git" / "info" / "attributes").write_text("households/** filter=gate\n", encoding="utf-8")
    return {"GATE_DIR": str(gate), "GATE_AT": str(at)}


def paused(gate: Path) -> bool:
    """Whether git reached the gate (a bound on the wait, not a measure of time: a minute at the least)."""
    for _ in range(1200):
        if (gate / "paused").exists():
            return True
        subprocess.run(["sleep", "0.05"], check=True)
    return False


def test_a_ctrl_c_as_git_starts_lets_git_finish_and_puts_the_ledger_back(tmp_path: Path) -> None:
    t = office_and_worker_both_changed(tmp_path, others=40)
    w2 = t["w2"]
    before = git(w2, "rev-parse", "HEAD")
    gate = tmp_path / "gate"
    env = {**os.environ, **gated(w2, gate, at=10)}
    sync = subprocess.Popen(
        [sys.executable, "-c", SYNC],
        cwd=w2,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert paused(gate)  # git is writing the merged files, nine of them so far
        code, out = run(w2, "--wait", "1", "status")
        assert code == 2, out  # the merge is still being written: nothing is undone under it
        assert (w2 / ".git" / "index.lock").exists()
        (gate / "open").touch()
        _, err = sync.communicate(timeout=120)
    finally:
        (gate / "open").touch()
        if sync.poll() is None:
            os.killpg(sync.pid, signal.SIGKILL)
            sync.wait()
    assert running_in(sync.pid) == []
    said = err.decode("utf-8", "replace")
    assert sync.returncode == 130, said
    assert "合并被中断" in said and "台账与合并前相同" in said, said

    code, out = run(w2, "status")
    assert code in (0, 1), out
    assert git(w2, "rev-parse", "HEAD") == before
    assert clean(w2) == [], out
    assert not (w2 / ".git" / "MERGE_HEAD").exists()
    assert 'room: "501"' in (w2 / HOUSE.format(2)).read_text(encoding="utf-8")

    merges_again(w2)


@pytest.mark.parametrize(
    ("how", "env"),
    [("killed before it noted git", {"GRIDCTL_TEST_CRASH": "started"}), ("window closed", {"GATE_CLOSES_WINDOW": "1"})],
)
def test_a_git_that_outlived_its_gridctl_is_waited_for_then_its_merge_undone(
    tmp_path: Path, how: str, env: dict[str, str]
) -> None:
    """gridctl killed alone the instant after it started git (its process id not yet written down),
    or with its whole process group while git checked out: git goes on. The next command refuses
    while git writes, and once git has ended puts the ledger back as it was before the sync."""
    t = office_and_worker_both_changed(tmp_path, others=40)
    w2 = t["w2"]
    before = git(w2, "rev-parse", "HEAD")
    gate = tmp_path / "gate"
    sync = subprocess.Popen(
        [sys.executable, "-m", "gridctl", "--lang", "zh", "sync"],
        cwd=w2,
        env={**os.environ, **gated(w2, gate, at=10), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert paused(gate), how
        assert sync.wait(timeout=120) == -signal.SIGKILL
        code, out = run(w2, "--wait", "1", "status")
        assert code == 2 and "git 合并仍在运行" in out, out
        assert (w2 / ".git" / "index.lock").exists()  # git's, left to it
    finally:
        (gate / "open").touch()
    assert running_in(sync.pid) == []  # git finished its merge

    code, out = run(w2, "status")
    assert code in (0, 1), out
    assert "在 git 合并时被中断" in out and "已把台账复原到合并前" in out, out
    assert git(w2, "rev-parse", "HEAD") == before
    assert clean(w2) == [], out
    assert not (w2 / ".git" / "MERGE_HEAD").exists()

    code, out = run(w2, "sync")
    assert code == 0, out
    assert 'room: "601"' in (w2 / HOUSE.format(2)).read_text(encoding="utf-8")
    assert clean(w2) == []
