"""When each record entered the ledger: the commit that added its file (for 考核 traces and late entries)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gridctl.errors import GridctlError


@dataclass(frozen=True)
class Entered:
    sha: str
    day: str
    """The commit's date, YYYY-MM-DD."""


def entered(root: Path, folders: tuple[str, ...] = ("events", "inspections")) -> dict[str, Entered]:
    """Path → the oldest commit that added it; empty outside a git repository."""
    from gridctl.history.gitlog import log

    out: dict[str, Entered] = {}
    try:
        for commit in log(root, paths=folders, extra=("--date=iso-strict",)):
            for change in commit.files:
                if change.old is None and change.new is not None:
                    out[change.path] = Entered(commit.sha, _committed(commit))
    except GridctlError:
        return {}
    return out


def _committed(commit) -> str:  # type: ignore[no-untyped-def]
    return commit.date[:10]
