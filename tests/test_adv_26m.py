"""Today's write paths killed at their steps (a real gridctl, SIGKILL): unit add, sync --bundle,
review --approve on the shared main, resolve. After each kill the clerk's next command must find
the ledger as before or as after, and say what to do where the clerk must act."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from teamwork import git, run
from test_units import town


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
    settings = root / "gridctl.yaml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("- name: heping")
    settings.write_text(text[:start] + text[text.index("\n", text.index("url:", start)) + 1 :], encoding="utf-8")
    git(root, "commit", "-qam", "去掉和平里")
    done = killed(root, "unit", "add", "heping", str(tmp_path / "xingfuli"), "--title", "东城", crash="index")
    assert done.returncode == -9, done.stderr
    code, out = run(root, "status", "--units")
    assert code == 0 and "东城" not in out and "单位 heping 尚未获取" in out, out
    assert "heping" in git(root, "show", "HEAD:gridctl.yaml")
