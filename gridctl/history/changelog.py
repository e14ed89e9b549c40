"""`gridctl log`: the ledger's changes as sentences, newest first, from the content of each commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.history.describe import RecordChange, record_changes
from gridctl.history.gitlog import Commit, cat_blobs, git, log_stream, require_history, shallow_boundary
from gridctl.history.logcache import Described, LogCache
from gridctl.history.records import records_in
from gridctl.history.revisions import ledger_clock
from gridctl.ledger.clock import Clock, git_time
from gridctl.ledger.gitrepo import BlobReader
from gridctl.validate import gc_paused


@dataclass
class Entry:
    commit: Commit
    changes: list[RecordChange] = field(default_factory=list)
    other_files: list[tuple[str, str]] = field(default_factory=list)
    """(path, added|removed|changed) of changed files that hold no records (settings, photos)."""
    bulk: dict[tuple[str, str], int] = field(default_factory=dict)
    """For a commit touching more than BULK record files (an import, a first commit): files per
    (folder, added|removed|changed) instead of one sentence per record."""


BULK = 200
BATCH = 256
"""Commits whose blobs are fetched in one round trip while git log goes on walking."""
FOLDER_KIND = {
    "grids": "grid",
    "staff": "staff",
    "households": "household",
    "places": "place",
    "orgs": "org",
    "things": "thing",
    "events": "event",
    "inspections": "inspection",
    "visits": "visit",
    "activities": "activity",
    "documents": "document",
}


@dataclass
class ChangeLog:
    entries: list[Entry]
    grid_names: dict[str, str]
    truncated: bool = False
    """True when a shallow clone hides older commits."""


def _yaml(path: str) -> bool:
    return path.endswith((".yaml", ".yml")) and path != "gridctl.yaml" and not path.startswith(".")


def changelog(
    root: Path,
    since: str | None = None,
    until: str | None = None,
    author: str | None = None,
    grid: str | None = None,
    kind: str | None = None,
    clock: Clock | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ChangeLog:
    """The changes of commits from `since` to `until` (days on the ledger's `clock`, whole days).

    `progress("history", commits read, None)` is told as the log goes on (a long history takes seconds)."""
    require_history(root)
    clock = clock or ledger_clock(root)
    extra = []
    if since:
        extra.append(f"--since={git_time(clock.start(clock.parse(since, '--since').date()))}")
    if until:
        extra.append(f"--until={git_time(clock.end(clock.parse(until, '--until').date()))}")
    if author:
        extra.append(f"--author={author}")
    names = grid_names(root)
    found: list[tuple[Commit, Described | None]] = []
    parsed: dict = {}
    last: Commit | None = None
    kept = LogCache(root)
    edge = shallow_boundary(root)  # described as if created there: never kept, a fetch may bring their parents
    reader = BlobReader(root)
    batch: list[int] = []
    waiting: list[tuple[list[int], int]] = []

    def ask() -> None:
        """Ask for a batch's blobs now; they are read while the previous batch is worked on."""
        commits = [found[i][0] for i in batch]
        wanted = [
            s for c in commits if _records(c) <= BULK for f in c.files if _yaml(f.path) for s in (f.old, f.new) if s
        ]
        waiting.append((list(batch), reader.ask(wanted)))
        batch.clear()

    def work() -> None:
        positions, count = waiting.pop(0)
        blobs = reader.collect(count)
        for i in positions:
            commit = found[i][0]
            described = _describe(commit, blobs, parsed)
            if commit.sha not in edge:
                kept.put(commit.sha, described)
            found[i] = (commit, described)

    with gc_paused():  # tens of thousands of small objects and no cycles: see gridctl.validate
        try:
            for n, commit in enumerate(log_stream(root, ["HEAD"], extra=extra), 1):
                last = commit
                if progress is not None and n % BATCH == 0:
                    progress("history", n, None)
                described = kept.get(commit.sha) if commit.sha not in edge else None
                found.append((commit, described))
                if described is not None:
                    continue  # a commit never changes: described before, described the same
                batch.append(len(found) - 1)
                if len(batch) >= BATCH:
                    ask()
                    if len(waiting) > 1:
                        work()
            if batch:
                ask()
            while waiting:
                work()
        finally:
            reader.close()
        kept.save()
        entries = [e for c, d in found if d is not None for e in [_entry(c, d, names, kind, grid)] if e is not None]
    truncated = last is not None and last.sha in edge
    return ChangeLog(entries, names, truncated)


def _records(commit: Commit) -> int:
    return sum(1 for f in commit.files if _yaml(f.path))


def _describe(commit: Commit, blobs: dict[str, bytes], parsed: dict) -> Described:
    """Everything one commit changed (kept by commit id: the same next time)."""
    record_files = [f for f in commit.files if _yaml(f.path)]
    others = [
        (f.path, "added" if f.old is None else "removed" if f.new is None else "changed")
        for f in commit.files
        if not _yaml(f.path) and not f.path.endswith(".gitkeep")
    ]
    if len(record_files) > BULK:
        return [], others, _bulk_counts(commit)
    changes = record_changes([(f.path, blobs.get(f.old or ""), blobs.get(f.new or "")) for f in record_files], parsed)
    return changes, others, None


def _entry(
    commit: Commit, described: Described, names: dict[str, str], kind: str | None, grid: str | None
) -> Entry | None:
    """One commit's changes, as the options ask (only records of a kind, or of a grid)."""
    changes, others, bulk = described
    if bulk is not None:
        return _bulk(commit, bulk, kind, grid)
    for change in changes:
        for version in (change.before, change.after):
            if version is not None and version.kind == "grid" and version.data.get("name"):
                names.setdefault(version.id, str(version.data["name"]))
    if kind:
        changes = [c for c in changes if c.kind == kind]
    if grid:
        changes = [c for c in changes if grid in c.grids() or grid in _household_grids(c)]
    if kind or grid:
        others = []
    return Entry(commit, changes, others) if changes or others else None


def _bulk_counts(commit: Commit) -> dict[tuple[str, str], int]:
    """Record files per (folder, added|removed|changed) of a commit too large to describe record by record."""
    counts: dict[tuple[str, str], int] = {}
    for f in commit.files:
        if _yaml(f.path):
            what = "added" if f.old is None else "removed" if f.new is None else "changed"
            key = (f.path, what)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _bulk(commit: Commit, files: dict[tuple[str, str], int], kind: str | None, grid: str | None) -> Entry | None:
    """A large commit in summary: record files per kind, by what happened to them."""
    counts: dict[tuple[str, str], int] = {}
    for (path, what), n in files.items():
        parts = path.split("/")
        folder_kind = FOLDER_KIND.get(parts[0], "other")
        if kind and folder_kind != kind:
            continue
        if grid and not (len(parts) > 2 and parts[1] == grid) and not (parts[0] == "grids" and grid in parts[-1]):
            continue
        counts[(folder_kind, what)] = counts.get((folder_kind, what), 0) + n
    return Entry(commit, bulk=counts) if counts else None


def _household_grids(change: RecordChange) -> set[str]:
    """A person's grid is their household's, which the file path names (households/<grid>/…)."""
    out = set()
    for version in (change.before, change.after):
        if version is not None and version.file.startswith("households/"):
            parts = version.file.split("/")
            if len(parts) > 2:
                out.add(parts[1])
    return out


def grid_names(root: Path) -> dict[str, str]:
    """Grid id → name at HEAD, for sentences that name places the way a clerk does."""
    try:
        listing = git(root, "ls-tree", "-r", "-z", "HEAD", "--", "grids").decode("utf-8")
    except Exception:  # no HEAD yet
        return {}
    shas = {}
    for item in listing.split("\0"):
        if item:
            meta, path = item.split("\t", 1)
            shas[path] = meta.split()[2]
    blobs = cat_blobs(root, shas.values())
    names: dict[str, str] = {}
    for path, sha in shas.items():
        for version in records_in(path, blobs.get(sha)).values():
            if version.kind == "grid" and version.data.get("name"):
                names[version.id] = str(version.data["name"])
    return names
