"""Which ledger revision a page was printed from, for its footer and the print manifest.

A print from the working tree names HEAD and says "(含未提交的修改)" when ledger files (records,
settings, photos or templates) differ from HEAD; a print with --as-of names that commit.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gridctl.ledger.files import GitTree
from gridctl.ledger.gitrepo import git_failed, is_dubious

_LEDGER_SUFFIXES = (".yaml", ".yml")
_LEDGER_DIRS = ("photos/", "templates/")


@dataclass(frozen=True)
class Revision:
    commit: str | None
    """The commit printed from; None outside a git repository or before the first commit."""
    dirty: bool
    """The working tree had ledger changes git has not recorded."""
    printed: dt.date

    @property
    def short(self) -> str:
        return self.commit[:10] if self.commit else ""

    def footer(self) -> str:
        if self.commit is None:
            where = "台账版本: 未纳入 git 版本管理"
        else:
            where = f"台账版本 {self.short}" + ("（含未提交的修改）" if self.dirty else "")
        return f"{where} · 打印日期 {self.printed.isoformat()}"


def _git(root: Path, *args: str) -> str | None:
    from gridctl.errors import GridctlError
    from gridctl.ledger.tools import git_exe

    try:
        proc = subprocess.run([git_exe(), *args], cwd=root, capture_output=True, check=False)
    except (OSError, GridctlError):  # no git on this machine: the page says the ledger is not versioned
        return None
    said = proc.stderr.decode("utf-8", "replace").strip()
    if is_dubious(said):  # a versioned ledger git will not read: never print "not versioned" on it
        raise git_failed("git", said)
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else None


def _is_ledger_path(path: str) -> bool:
    if path.startswith(".") or "/." in path:
        return False
    return path.endswith(_LEDGER_SUFFIXES) or any(f"/{d}" in f"/{path}" for d in _LEDGER_DIRS)


def revision_of(root: Path, files: object, today: dt.date | None = None) -> Revision:
    """The revision `files` show: a GitTree's commit, or HEAD plus whether the working tree differs.

    `today` is the print date, on the ledger's clock (default: its zone, now).
    """
    if today is None:
        from gridctl.history.revisions import ledger_clock

        today = ledger_clock(root).today()
    printed = today
    if isinstance(files, GitTree):
        return Revision(files.commit, False, printed)
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    if head is None:
        return Revision(None, False, printed)
    status = _git(root, "-c", "core.quotepath=off", "status", "--porcelain=v1", "-z", "--untracked-files=all", ".")
    dirty = False
    for item in (status or "").split("\0"):
        if len(item) > 3 and _is_ledger_path(item[3:]):
            dirty = True
            break
    return Revision(head.strip(), dirty, printed)
