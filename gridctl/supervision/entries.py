"""When each record entered the ledger: the commit that added its file (for 考核 traces and late entries)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.ledger.clock import Clock
from gridctl.ledger.gitrepo import DubiousOwnership


@dataclass(frozen=True)
class Entered:
    sha: str
    day: str
    """The commit's day on the ledger's clock, YYYY-MM-DD."""


def entered(
    root: Path, clock: Clock, folders: tuple[str, ...] = ("events", "inspections"), revision: str = "HEAD"
) -> dict[str, Entered]:
    """Path → the oldest commit that added it (in the history of `revision`), dated in the ledger's zone;
    empty outside a git repository."""
    from gridctl.history.gitlog import log

    out: dict[str, Entered] = {}
    try:
        for commit in log(root, (revision,), paths=folders):
            for change in commit.files:
                if change.old is None and change.new is not None:
                    out[change.path] = Entered(commit.sha, clock.day_of(commit.date).isoformat())
    except DubiousOwnership:
        raise  # history exists but git will not read it: never score as if nothing was late
    except GridctlError:
        return {}
    return out


def history_of(ledger: Any) -> str:
    """The revision whose history tells when the ledger's records entered it: a town's unit, read from
    its fetched commit (refs/units/<name>), has its own history there, not the town's HEAD; the town's
    HEAD never held the unit's files, so every unit grid read as supervised since forever."""
    from gridctl.ledger.files import GitTree

    source = ledger.source
    return source.commit if isinstance(source, GitTree) and source.scope else "HEAD"
