"""Today's write paths killed at their steps (a real gridctl, SIGKILL): unit add, sync --bundle,
review --approve on the shared main, resolve. After each kill the clerk's next command must find
the ledger as before or as after, and say what to do where the clerk must act."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml_rs
from teamwork import git, run, team
from test_units import town, unlist_heping_by_hand

HOUSE = "households/110105001001001/H000001.yaml"


def killed(root: Path, *args: str, crash: str) -> subprocess.CompletedProcess[str]:
    """gridctl killed at the crash point `crash` (gridctl/ledger/crash.py)."""
    env = {**os.environ, "GRIDCTL_TEST_CRASH": crash}
    return subprocess.run(
        [sys.executable, "-m", "gridctl", "--lang", "zh", *args], cwd=root, env=env, capture_output=True, text=True
    )


def test_unit_add_killed_after_its_commit_never_reads_the_old_copy_under_the_new_name(tmp_path: Path) -> None:
    """The left-over copy was dropped after the commit: a kill between the two (the commit finished
    by the next command) left 和平里's copy read as 东城's figures, counted in the town's total."""
    root = town(tmp_path)
    unlist_heping_by_hand(root)
    done = killed(root, "unit", "add", "heping", str(tmp_path / "xingfuli"), "--title", "东城", crash="index")
    assert done.returncode == -9, done.stderr
    code, out = run(root, "status", "--units")
    assert code == 0 and "东城" not in out and "单位 heping 尚未获取" in out, out
    assert "heping" in git(root, "show", "HEAD:gridctl.yaml")


def offline_office_with_a_branch(tmp_path: Path) -> tuple[dict[str, Path], Path]:
    """An office without a network (no remote) and 李强's work brought on a USB stick, waiting for review."""
    t = team(tmp_path, review=True)
    git(t["office"], "remote", "remove", "origin")
    stick = tmp_path / "usb" / "w2.bundle"
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["w2"], "bundle", "-o", str(stick))[0] == 0
    code, out = run(t["office"], "sync", "--bundle", str(stick))
    assert code == 0 and "待审核: bundle/review/S0002" in out, out
    return t, stick


def test_an_approval_killed_before_its_commit_is_undone_and_approved_again_as_an_approval(tmp_path: Path) -> None:
    """A kill while the merged ledger was validated left git's own MERGE_MSG; status said to run sync,
    which committed "Merge commit '…'": the approval in the history had no subject and no Reviewed-by.
    Now the next command puts the ledger back as before the approval (as for a kill while git merged);
    the branch still waits for review, and approving it again records the approval whole."""
    t, _stick = offline_office_with_a_branch(tmp_path)
    office = t["office"]
    before = git(office, "rev-parse", "HEAD")
    done = killed(office, "review", "S0002", "--approve", crash="merged")
    assert done.returncode == -9, done.stderr
    code, out = run(office, "status")
    assert code == 0 and "已把台账复原到合并前" in out and "合并未完成" not in out, out
    assert git(office, "rev-parse", "HEAD") == before and git(office, "status", "--porcelain") == ""
    code, out = run(office, "review")
    assert code == 0 and "S0002" in out, out
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 0, out
    message = git(office, "log", "-1", "--format=%B")
    assert message.startswith("审核通过 bundle/review/S0002（1 个提交）"), message
    assert "Reviewed-by: 王芳 <" in message and "review S0002 --approve" in message
    assert git(office, "status", "--porcelain") == ""
    code, out = run(office, "review")
    assert code == 0 and "S0002" not in out, out


def test_a_resolve_killed_after_writing_its_choice_takes_the_next_choice_made(tmp_path: Path) -> None:
    """`resolve … --take theirs` killed after it wrote 502 into the file, before it marked the conflict
    settled: sync still listed the conflict open, and `--take mine` (which left the file as it was)
    committed 502 as 李强's 503, without a word."""
    t = team(tmp_path)
    assert run(t["office"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=503", "--set", "housing=租住")[0] == 0
    assert run(t["w2"], "sync")[0] == 1
    done = killed(t["w2"], "resolve", "H000001", "address.room", "--take", "theirs", crash="settled")
    assert done.returncode == -9, done.stderr
    code, out = run(t["w2"], "sync")
    assert code == 1 and "合并未完成: 1 处冲突" in out, out
    code, out = run(t["w2"], "resolve", "H000001", "address.room", "--take", "mine")
    assert code == 0 and "合并已提交" in out, out
    assert yaml_rs.loads(git(t["w2"], "show", f"HEAD:{HOUSE}"))["address"]["room"] == "503"
    assert git(t["w2"], "status", "--porcelain") == ""
