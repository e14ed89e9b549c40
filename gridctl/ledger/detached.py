"""A detached HEAD (an old revision checked out): which branch to go back to.

A ledger may be on main, master or any other branch name, so the hint is worked out from the
repository, never assumed.
"""

from __future__ import annotations

from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.gitrepo import GitFailed, run_git


def local_branches(root: Path) -> list[str]:
    return run_git(root, "for-each-ref", "--format=%(refname:short)", "refs/heads").decode("utf-8", "replace").split()


def branch_left(root: Path, branches: list[str]) -> str | None:
    """The branch a detached HEAD came from: the last one HEAD's reflog moved away from that still
    exists, else the only local branch, else None. A ledger may be on main, master or any other name."""
    import re

    try:
        moves = run_git(root, "log", "-g", "--format=%gs", "HEAD", "--").decode("utf-8", "replace")
    except GitFailed:
        moves = ""  # a reflog git cannot read: the branches alone say it
    for line in moves.splitlines():
        found = re.match(r"checkout: moving from (\S+) to ", line)
        if found and found.group(1) in branches:
            return found.group(1)
    return branches[0] if len(branches) == 1 else None


def detached(root: Path) -> GridctlError:
    """A write or a sync refused in a detached HEAD, with the `git switch` that really goes back."""
    what = Text("当前不在任何分支上 (检出的是旧版本)", "HEAD is detached (an old revision is checked out)")
    branches = local_branches(root)
    name = branch_left(root, branches)
    if name is None and branches:  # no reflog to tell them apart (`git switch -` would need one): name them all
        return GridctlError(
            what,
            hint=Text(
                f"先回到分支: git switch 分支名 (本地分支: {'、'.join(branches)})",
                f"go back to a branch first: git switch BRANCH (the branches: {', '.join(branches)})",
            ),
        )
    name = name or "-"
    return GridctlError(
        what,
        hint=Text(
            f"先回到分支: git switch {name} (或 git checkout {name})",
            f"go back to the branch first: git switch {name} (or git checkout {name})",
        ),
    )
