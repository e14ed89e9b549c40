"""Registering the record merge with git: `.gitattributes` (committed) and the clone's git config.

`.gitattributes` says which files merge by record (`*.yaml merge=gridctl`), and that the record of
prints merges entry by entry (gridctl.merge.printed); it travels with the ledger. What program that
is lives in each clone's `.git/config` (git never takes a program to run from a repository), so
`init`, `gridctl setup` and every `gridctl sync` write it there; `gridctl setup` run again adds a
line a newer gridctl has, and gridctl's own merges settle the record of prints without it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gridctl.ledger.gitrepo import GitFailed, run_git

DRIVER = "gridctl"
PRINTS_DRIVER = "gridctl-prints"
"""The record of prints has a driver name of its own: a clone with a gridctl older than its merge, finding
no such driver, leaves the file to git's line merge (a conflict) instead of merging the JSON as YAML."""
ATTRIBUTE_LINES = ("*.yaml merge=gridctl", "*.yml merge=gridctl", f".gridctl/printed.json merge={PRINTS_DRIVER}")
ATTRIBUTES_HEAD = "# 台账文件按记录和字段合并 (gridctl setup)\n"
ATTRIBUTES_BLOCK = ATTRIBUTES_HEAD + "\n".join(ATTRIBUTE_LINES) + "\n"


HOOK = "pre-merge-commit"
HOOK_MARK = "# gridctl: validate the merged ledger before git makes the merge commit"


def _python() -> str:
    return sys.executable.replace("\\", "/")


def driver_command() -> str:
    """The command git runs: this very Python, so the driver is the gridctl that set it up."""
    return f'"{_python()}" -m gridctl.merge.driver %O %A %B %P'


def configure(root: Path) -> bool:
    """Write the driver into the clone's git config; True when something changed."""
    wanted = {
        f"merge.{DRIVER}.name": "gridctl: merge ledger records by id and field",
        f"merge.{DRIVER}.driver": driver_command(),
        f"merge.{PRINTS_DRIVER}.name": "gridctl: merge the record of prints entry by entry",
        f"merge.{PRINTS_DRIVER}.driver": driver_command(),
    }
    changed = False
    for key, value in wanted.items():
        try:
            now = run_git(root, "config", "--local", "--get", key).decode("utf-8", "replace").strip()
        except GitFailed:
            now = ""
        if now != value:
            run_git(root, "config", "--local", key, value)
            changed = True
    return install_hook(root) or changed


def install_hook(root: Path) -> bool:
    """A pre-merge-commit hook, so a plain `git merge` or `git pull` is validated like gridctl's own
    merges; never over a hook someone else installed, never where core.hooksPath points elsewhere."""
    try:
        if run_git(root, "config", "--get", "core.hooksPath").strip():
            return False
    except GitFailed:
        pass
    # the hooks folder git runs: in a worktree the common git folder's, not .git/worktrees/NAME/hooks
    folder = root / run_git(root, "rev-parse", "--git-path", "hooks").decode("utf-8", "replace").strip()
    path = folder / HOOK
    text = f'#!/bin/sh\n{HOOK_MARK} (gridctl setup)\nexec "{_python()}" -m gridctl merge-check\n'
    if path.exists():
        current = path.read_text(encoding="utf-8", errors="replace")
        if HOOK_MARK not in current or current == text:
            return False
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    path.chmod(0o755)
    return True


def attributes(text: str) -> str | None:
    """`.gitattributes` with the merge lines it lacks added (a ledger set up before a line was added gets
    that line alone), or None when it has them all."""
    have = {line.strip() for line in text.splitlines()}
    missing = [line for line in ATTRIBUTE_LINES if line not in have]
    if not missing:
        return None
    if text and not text.endswith("\n"):
        text += "\n"
    head = ATTRIBUTES_HEAD if len(missing) == len(ATTRIBUTE_LINES) else ""
    return text + head + "\n".join(missing) + "\n"


def configured(root: Path) -> bool:
    try:
        return bool(run_git(root, "config", "--local", "--get", f"merge.{DRIVER}.driver").strip())
    except GitFailed:
        return False
