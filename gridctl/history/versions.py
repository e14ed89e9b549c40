"""Every committed version of some records, by id, for a three-way import.

An import asks about the records whose fields a register would change: what each field held
before, when the ledger set its current value, and what it was at a base revision. One
`git log --raw` over the folders those records live in and one `cat-file --batch` answer that
for all of them; only blobs that mention a wanted id are parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gridctl.history.gitlog import cat_blobs, git, log
from gridctl.history.records import Version, records_in
from gridctl.history.revisions import ledger_clock
from gridctl.ledger.clock import Clock

_ID = re.compile(rb"\bid:[ \t]*['\"]?([A-Za-z0-9_-]+)")


@dataclass(frozen=True, slots=True)
class Dated:
    """One version of a record: the commit that made it, its day, and the record (None: removed)."""

    sha: str
    day: str
    version: Version | None


def record_versions(
    root: Path, ids: Iterable[str], folders: Iterable[str], clock: Clock | None = None
) -> dict[str, list[Dated]]:
    """The versions of each record in `ids`, oldest first (records never committed are absent).

    A version's day is read on the ledger's `clock` (default: its zone), whatever zone the committer had.
    """
    wanted = set(ids)
    clock = clock or ledger_clock(root)
    out: dict[str, list[Dated]] = {}
    if not wanted or not _has_head(root):
        return out
    commits = list(log(root, ["HEAD"], list(folders), extra=["--topo-order"]))  # a second's commits in order
    commits.reverse()
    blobs = cat_blobs(root, [f.new for c in commits for f in c.files if f.new and f.path.endswith((".yaml", ".yml"))])
    where: dict[str, str] = {}
    """The file each wanted record was last seen in."""
    for commit in commits:
        touched = {f.path for f in commit.files}
        found: dict[str, Version] = {}
        for f in commit.files:
            blob = blobs.get(f.new or "")
            if not blob or not wanted.intersection(m.decode() for m in _ID.findall(blob)):
                continue
            for rid, version in records_in(f.path, blob).items():
                if rid in wanted:
                    found[rid] = version
        for rid, version in found.items():
            history = out.setdefault(rid, [])
            last = history[-1].version if history else None
            if last is None or last.data != version.data or last.household != version.household:
                history.append(Dated(commit.sha, clock.day_of(commit.date).isoformat(), version))
            where[rid] = version.file
        for rid, file in list(where.items()):
            if file in touched and rid not in found:
                out[rid].append(Dated(commit.sha, clock.day_of(commit.date).isoformat(), None))
                del where[rid]
    return out


def commits_since(root: Path, base: str) -> set[str]:
    """Commits on HEAD's side after `base` (what the ledger did since the register was made)."""
    return set(git(root, "rev-list", f"{base}..HEAD").decode().split())


def _has_head(root: Path) -> bool:
    try:
        git(root, "rev-parse", "--verify", "-q", "HEAD")
    except Exception:
        return False
    return True
