"""When each record entered the ledger: the commit that added its file (for 考核 traces and late entries)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.ledger.clock import Clock
from gridctl.ledger.gitrepo import DubiousOwnership


@dataclass(frozen=True)
class Entered:
    sha: str
    day: str
    """The commit's day on the ledger's clock, YYYY-MM-DD."""


def entered(root: Path, clock: Clock, folders: tuple[str, ...] = ("events", "inspections")) -> dict[str, Entered]:
    """Path → the oldest commit that added it, dated in the ledger's zone; empty outside a git repository."""
    from gridctl.history.gitlog import log

    out: dict[str, Entered] = {}
    try:
        for commit in log(root, paths=folders):
            for change in commit.files:
                if change.old is None and change.new is not None:
                    out[change.path] = Entered(commit.sha, clock.day_of(commit.date).isoformat())
    except DubiousOwnership:
        raise  # history exists but git will not read it: never score as if nothing was late
    except GridctlError:
        return {}
    return out
