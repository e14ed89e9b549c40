"""Give the ledger its history: the event as first committed, then a commit that rewrote step 2."""

import os
import subprocess
from pathlib import Path

ENV = {
    "GIT_AUTHOR_NAME": "王建国",
    "GIT_AUTHOR_EMAIL": "wjg@example.cn",
    "GIT_COMMITTER_NAME": "王建国",
    "GIT_COMMITTER_EMAIL": "wjg@example.cn",
    "GIT_AUTHOR_DATE": "2026-03-04T09:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-03-04T09:00:00+08:00",
}


def git(root: Path, *args: str) -> None:
    env = {**os.environ, **ENV}
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=root, env=env, check=True, capture_output=True)


def make(ledger_dir: Path) -> None:
    event = ledger_dir / "events/2026/03/E202603-0001.yaml"
    rewritten = event.read_text(encoding="utf-8")
    event.write_text(rewritten.replace("已电话联系物业", "社区网格化服务管理中心受理"), encoding="utf-8")
    git(ledger_dir, "init", "-q")
    git(ledger_dir, "add", "-A")
    git(ledger_dir, "commit", "-q", "-m", "初始台账")
    event.write_text(rewritten, encoding="utf-8")
    git(ledger_dir, "commit", "-q", "-am", "edit event E202603-0001: timeline")
