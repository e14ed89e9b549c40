"""Registering the record merge with git: `.gitattributes` (committed) and the clone's git config.

`.gitattributes` says which files merge by record (`*.yaml merge=gridctl`); it travels with the
ledger. What program that is lives in each clone's `.git/config` (git never takes a program to run
from a repository), so `init`, `gridctl setup` and every `gridctl sync` write it there.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gridctl.ledger.gitrepo import GitFailed, run_git

DRIVER = "gridctl"
ATTRIBUTE_LINES = ("*.yaml merge=gridctl", "*.yml merge=gridctl")
ATTRIBUTES_BLOCK = "# 台账文件按记录和字段合并 (gridctl setup)\n" + "\n".join(ATTRIBUTE_LINES) + "\n"


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
    """`.gitattributes` with the merge lines added, or None when it already has them."""
    have = {line.strip() for line in text.splitlines()}
    if all(line in have for line in ATTRIBUTE_LINES):
        return None
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ATTRIBUTES_BLOCK


def configured(root: Path) -> bool:
    try:
        return bool(run_git(root, "config", "--local", "--get", f"merge.{DRIVER}.driver").strip())
    except GitFailed:
        return False
