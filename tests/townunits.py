"""Golden cases of a town: unit ledgers as git repositories beside the town's, fetched into it as
`gridctl sync --units` would (refs/units/<name>); the town's own folder becomes a repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

IDENTITY = ["-c", "user.name=王芳", "-c", "user.email=wf@example.cn"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=cwd, check=True, capture_output=True)


def make_town(ledger_dir: Path, units: Path) -> None:
    for source in sorted(units.iterdir()):
        unit = ledger_dir.parent / source.name
        shutil.copytree(source, unit)
        git(unit, "init", "-q", "-b", "main")
        git(unit, "add", "-A")
        git(unit, "commit", "-q", "-m", "台账")
    git(ledger_dir, "init", "-q", "-b", "main")
    git(ledger_dir, "add", "-A")
    git(ledger_dir, "commit", "-q", "-m", "镇台账")
    for source in sorted(units.iterdir()):
        git(ledger_dir, "fetch", "-q", f"../{source.name}", f"+refs/heads/main:refs/units/{source.name}")
