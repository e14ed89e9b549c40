"""`gridctl log`: the ledger's changes as sentences, newest first, from the content of each commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.history.approvals import Approval, approvals
from gridctl.history.describe import RecordChange
from gridctl.history.describing import BATCH, Describer
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
    prints: list[tuple[str, str]] = field(default_factory=list)
    """What the commit noted as printed in the print manifest: (board|cards|chart, grid or "all")."""


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
    whole: bool = True
    """False when a version of a file was missing from the clone: told as a changed file, and
    nothing of it kept."""
    approvals: dict[str, Approval] = field(default_factory=dict)
    """Commit id → the approval (`review --approve`) that brought it into the ledger; an approval's
    merge maps to itself."""


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
    found: list[tuple[Commit, Described | None]] = []
    last: Commit | None = None
    kept = LogCache(root)
    edge = shallow_boundary(root)  # described as if created there: never kept, a fetch may bring their parents
    describer = Describer(root, kept)
    whole = True
    merges: list[int] = []
    with gc_paused():  # tens of thousands of small objects and no cycles: see gridctl.validate
        try:
            names = grid_names(root, describer.reader)
            for n, commit in enumerate(log_stream(root, ["HEAD"], extra=extra, merges=True), 1):
                last = commit
                if progress is not None and n % BATCH == 0:
                    progress("history", n, None)
                described = kept.get(commit.sha) if commit.sha not in edge else None
                found.append((commit, described))
                if described is not None:
                    continue  # a commit never changes: described before, described the same
                if len(commit.parents) > 1:
                    merges.append(len(found) - 1)  # what a merge settled: all of them together, below
                else:
                    describer.add(len(found) - 1, commit)
            for i, (described, encoded, complete) in describer.finish().items():
                commit = found[i][0]
                found[i] = (commit, described)
                whole = whole and complete
                if commit.sha in edge or not complete:
                    continue
                if encoded is None:
                    kept.put(commit.sha, described)
                else:
                    kept.put_encoded(commit.sha, encoded)  # as the worker made it
            told, unsure = _merges(root, [found[i][0] for i in merges], [c for c, _ in found], bool(edge))
            for i, described in told.items():
                commit = found[i][0]
                found[i] = (commit, described)
                if commit.sha not in edge and commit.sha not in unsure:
                    kept.put(commit.sha, described)
        except BaseException:
            describer.close(stopped=True)
            raise
        describer.close()
        kept.save()
        entries = [e for c, d in found if d is not None for e in [_entry(c, d, names, kind, grid)] if e is not None]
    approved = approvals(root, None if extra else [c for c, _ in found])
    truncated = last is not None and last.sha in edge
    return ChangeLog(_with_approvals(entries, found, approved), names, truncated, whole, approved)


def _with_approvals(
    entries: list[Entry], found: list[tuple[Commit, Described | None]], approved: dict[str, Approval]
) -> list[Entry]:
    """The entries, with a line of its own for each approval that brought a change shown (a clean
    approval changes nothing of its own: its commits tell the changes, it tells who let them in)."""
    if not approved:
        return entries
    shown = {e.commit.sha for e in entries}
    wanted = {a.merge for sha in shown for a in [approved.get(sha)] if a is not None and a.merge != sha}
    out, at = [], {e.commit.sha: e for e in entries}
    for commit, _described in found:
        if commit.sha in at:
            out.append(at[commit.sha])
        elif commit.sha in wanted:
            out.append(Entry(commit))
    return out


def _merges(
    root: Path, merges: list[Commit], history: list[Commit], shallow: bool
) -> tuple[dict[int, Described], set[str]]:
    """(Position (in `history`'s order of `merges`) → what each merge settled, as the log keeps it;
    the merges a shallow clone cannot tell, not to be kept: a fetch of older commits tells them)."""
    if not merges:
        return {}, set()
    from gridctl.history.describing import _told, is_record
    from gridctl.history.merges import describe_merges

    settled, unsure = describe_merges(root, merges, history, is_record, shallow)
    where = {c.sha: i for i, c in enumerate(history)}
    return {where[m.sha]: ([_told(c) for c in settled[m.sha]], [], None, []) for m in merges}, unsure


def _entry(
    commit: Commit, described: Described, names: dict[str, str], kind: str | None, grid: str | None
) -> Entry | None:
    """One commit's changes, as the options ask (only records of a kind, or of a grid)."""
    changes, others, bulk, prints = described
    if kind or grid:  # a print is no record: shown unfiltered, or under --grid for the grid printed
        prints = [(what, gid) for what, gid in prints if not kind and gid == grid]
    if bulk is not None:
        return _bulk(commit, bulk, kind, grid, prints)
    for change in changes:
        for version in (change.before, change.after):
            if version is not None and version.kind == "grid" and version.data.get("name"):
                names.setdefault(version.id, str(version.data["name"]))
    if kind:
        changes = [c for c in changes if c.kind == kind]
    if grid:
        changes = [c for c in changes if grid in c.grids() or grid in _household_grids(c)]
    if kind or grid:  # a file told as a file (its version missing from the clone) by where it lies
        others = [(path, what) for path, what in others if _lies_in(path, kind, grid)]
    return Entry(commit, changes, others, prints=prints) if changes or others or prints else None


def _lies_in(path: str, kind: str | None, grid: str | None) -> bool:
    """Whether a record file's path is of `kind` and in `grid` (households/<grid>/…, grids/<grid>.yaml)."""
    parts = path.split("/")
    if kind and FOLDER_KIND.get(parts[0], "other") != kind:
        return False
    return not grid or (len(parts) > 2 and parts[1] == grid) or (parts[0] == "grids" and grid in parts[-1])


def _bulk(
    commit: Commit, files: dict[tuple[str, str], int], kind: str | None, grid: str | None, prints: list[tuple[str, str]]
) -> Entry | None:
    """A large commit in summary: record files per kind, by what happened to them."""
    counts: dict[tuple[str, str], int] = {}
    for (path, what), n in files.items():
        if not _lies_in(path, kind, grid):
            continue
        folder_kind = FOLDER_KIND.get(path.split("/")[0], "other")
        counts[(folder_kind, what)] = counts.get((folder_kind, what), 0) + n
    return Entry(commit, bulk=counts, prints=prints) if counts or prints else None


def _household_grids(change: RecordChange) -> set[str]:
    """A person's grid is their household's, which the file path names (households/<grid>/…)."""
    out = set()
    for version in (change.before, change.after):
        if version is not None and version.file.startswith("households/"):
            parts = version.file.split("/")
            if len(parts) > 2:
                out.add(parts[1])
    return out


def grid_names(root: Path, reader: BlobReader | None = None) -> dict[str, str]:
    """Grid id → name at HEAD, for sentences that name places the way a clerk does (read through
    `reader` when one is open: one git process fewer)."""
    return {gid: name for gid, (name, _parent) in grid_tree(root, "HEAD", reader).items() if name}


def grid_tree(root: Path, revision: str = "HEAD", reader: BlobReader | None = None) -> dict[str, tuple[str, object]]:
    """Grid id → (name, parent id) at `revision`: what a register exported then called each grid."""
    try:
        listing = git(root, "ls-tree", "-r", "-z", revision, "--", "grids").decode("utf-8")
    except Exception:  # no HEAD yet
        return {}
    shas = {}
    for item in listing.split("\0"):
        if item:
            meta, path = item.split("\t", 1)
            shas[path] = meta.split()[2]
    blobs = reader.read(shas.values()) if reader is not None else cat_blobs(root, shas.values())
    tree: dict[str, tuple[str, object]] = {}
    for path, sha in shas.items():
        for version in records_in(path, blobs.get(sha)).values():
            if version.kind == "grid":
                name = version.data.get("name")
                tree[version.id] = (str(name) if name else "", version.data.get("parent"))
    return tree
