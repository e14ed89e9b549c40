"""The external programs gridctl runs (git, dot), each found once on PATH, never in the ledger folder.

A `git.exe` or `dot.exe` dropped into a ledger folder must not run when a clerk works there
(GitPython's CVE-2023-40590): Windows looks in the current folder first, and Python 3.11's
shutil.which does too. So only absolute PATH entries are searched, and the result is absolute.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text


def find_program(name: str) -> str | None:
    """The absolute path of `name` from PATH's absolute entries (with PATHEXT on Windows)."""
    exts = [""]
    if sys.platform == "win32":
        exts = [e.lower() for e in os.environ.get("PATHEXT", ".COM;.EXE;.BAT;.CMD").split(";") if e] + [""]
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or not os.path.isabs(folder):
            continue  # "." or an empty entry would mean the current folder
        for ext in exts:
            candidate = Path(folder) / (name + ext)
            try:
                if candidate.is_file() and os.access(candidate, os.X_OK):
                    return str(candidate)
            except OSError:  # an entry that cannot be read (too long, another user's folder): not ours
                continue
    return None


GIT_MISSING_HINT = Text(
    "安装 Git (Windows 用 Git for Windows: https://git-scm.com/download/win)，然后打开新的终端窗口",
    "install Git (Git for Windows: https://git-scm.com/download/win) and open a new terminal",
)


@functools.cache
def git_exe() -> str:
    found = find_program("git")
    if found is None:
        raise GridctlError(
            Text(
                "未找到 git (没有安装，或不在 PATH 中)",
                "git is not installed or not on PATH",
            ),
            hint=GIT_MISSING_HINT,
        )
    return found


@functools.cache
def dot_exe() -> str | None:
    """Graphviz's `dot`, or None (the chart is then a table)."""
    return find_program("dot")


def setup_gitpython() -> None:
    """Point GitPython at the same absolute git before it is imported.

    GitPython runs `git version` when it is first imported; with only a bare "git" it would look
    it up through PATH, whose "." or empty entries mean the current folder.
    """
    if sys.platform == "win32":
        os.environ.setdefault("NoDefaultCurrentDirectoryInExePath", "1")
    found = find_program("git")
    if found is not None:
        os.environ["GIT_PYTHON_GIT_EXECUTABLE"] = found
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")


@functools.cache
def gitpython():  # type: ignore[no-untyped-def]
    """The `git` module (GitPython), running the absolute git_exe() and nothing else.

    Every use of GitPython in gridctl goes through here, so the library is as safe as the CLI.
    """
    exe = git_exe()
    if "git" not in sys.modules:
        setup_gitpython()
    import git

    if exe != git.Git.GIT_PYTHON_GIT_EXECUTABLE:
        git.refresh(exe)
    return git
