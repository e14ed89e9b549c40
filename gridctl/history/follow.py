"""`gridctl history ID`: every version of one record, followed by id across files.

Start from the file that holds the record at HEAD (found with `git grep`), walk that file's
commits newest first, and where the record entered the file, look in the same commit for the
file it came from (a move between grids, a person changing household) and carry on there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.history.describe import retirement
from gridctl.history.gitlog import Commit, cat_blobs, git, log, require_history, shallow_boundary
from gridctl.history.records import FieldChange, Version, field_changes, find
from gridctl.history.resealing import encrypting, keyring, sealed_now, settle
from gridctl.i18n import Text
from gridctl.ledger.message import renumbered_ids


@dataclass
class Step:
    """One commit in a record's life."""

    commit: Commit
    what: str
    """created, changed, retired, reinstated, moved, renumbered (given a new id, its old one in
    `before`), removed, resealed (values sealed again under a new
    data key, none changed), or unknown-before (a shallow clone's edge)."""
    before: Version | None
    after: Version | None
    changes: list[FieldChange] = field(default_factory=list)


def locate(root: Path, record_id: str) -> str | None:
    """The file that holds the record at HEAD."""
    # -z: a name with a line break or a tab came quoted ("H0\n1.yaml"), and git found no such file
    grep = ("grep", "-z", "-l", "-F", "-w", "-e", record_id, "HEAD", "--", "*.yaml", "*.yml")
    try:
        out = git(root, "-c", "core.quotepath=off", *grep)
    except GridctlError:
        return None  # git grep exits 1 when nothing matches
    paths = [name.split(":", 1)[1] for name in out.decode("utf-8", "surrogateescape").split("\0") if ":" in name]
    blobs = {p: git(root, "cat-file", "blob", f"HEAD:{p}") for p in paths} if len(paths) > 1 else {}
    for path in paths:
        blob = blobs.get(path) if blobs else git(root, "cat-file", "blob", f"HEAD:{path}")
        if find(path, blob, record_id) is not None:
            return path
    return None


class NoHistory(GridctlError):
    """No record with this id is in the ledger's history (exit 2)."""


def history(root: Path, record_id: str) -> list[Step]:
    require_history(root)
    steps: list[Step] = []
    shallow = shallow_boundary(root)
    path = locate(root, record_id)
    start = "HEAD"
    if path is None:
        removed = _removal(root, record_id)
        if removed is None:
            raise NoHistory(Text(f"台账历史中没有 {record_id}", f"no record {record_id} in this ledger's history"))
        step, path = removed
        steps.append(step)
        start = f"{step.commit.sha}^"
    seen: set[tuple[str, str]] = set()
    rid = record_id
    while path is not None and (path, start) not in seen:
        seen.add((path, start))
        path, start, rid = _walk(root, rid, path, start, steps, shallow)
    return _resealed(root, record_id, steps)


def _resealed(root: Path, record_id: str, steps: list[Step]) -> list[Step]:
    """Steps whose values were only sealed (the ledger encrypted) or sealed again under a new data
    key (a key rotation) told so: `encrypted` or `resealed`, with the changes of value alone
    (gridctl.history.resealing)."""
    keys = keyring(root) if any(s.changes for s in steps) else None
    if keys is None:
        return steps
    for step in steps:
        version = step.after or step.before
        if not step.changes or version is None:
            continue
        one_commit = len(step.commit.parents) <= 1  # a merge's version may stand for many commits
        sha = step.commit.sha
        encrypts = (
            one_commit
            and any(sealed_now(c.old, c.new) for c in step.changes)
            and encrypting(root, f"{sha}^", sha)  # the commit that encrypted the ledger
        )
        kept, sealed = settle(step.changes, version.kind, version.id, keys, one_commit, encrypts)
        if sealed is not None:
            step.changes = kept
            step.what = sealed if step.what == "changed" and not kept else step.what
    return steps


def _walk(
    root: Path, rid: str, path: str, start: str, steps: list[Step], shallow: set[str]
) -> tuple[str | None, str, str]:
    """Where to go on from: the file, the commit and the id the record had before it entered `path`
    (a move, or an id collision settled by giving it a new one)."""
    # --topo-order: commits of one second (an approval, a script) came in any order, the creation
    # before the edit, and the walk, stopping at the creation, left the edit out of the history
    commits = list(log(root, [start], [path], extra=["--topo-order"], merges=True))
    mine = {c.sha: next(f for f in c.files if f.path == path) for c in commits if any(f.path == path for f in c.files)}
    blobs = cat_blobs(root, [s for f in mine.values() for s in (f.old, f.new) if s])
    for commit in commits:
        change = mine.get(commit.sha)
        if change is None:
            continue
        before = find(path, blobs.get(change.old or ""), rid)
        after = find(path, blobs.get(change.new or ""), rid)
        if len(commit.parents) > 1:
            if before is not None and after is not None and _settled(root, commit, path, rid, before, after):
                steps.append(Step(commit, "changed", before, after, field_changes(before.data, after.data, after.kind)))
            continue
        if before is None and after is None:
            continue
        if before is not None and after is not None:
            if before.data != after.data or before.household != after.household:
                what = retirement(before.data, after.data) or "changed"
                steps.append(Step(commit, what, before, after, field_changes(before.data, after.data, after.kind)))
            continue
        if after is None:
            steps.append(Step(commit, "removed", before, None))
            continue
        old = renumbered_ids(commit.message).get(rid)
        if old is not None:
            origin = find(path, blobs.get(change.old or ""), old) or _origin(root, commit, old, path)
            if origin is not None:
                # members=False: its people's new ids are their own renumbering, told in their history
                changes = field_changes(origin.data, after.data, after.kind, members=False)
                steps.append(Step(commit, "renumbered", origin, after, changes))
                return origin.file, f"{commit.sha}^", old
        origin = _origin(root, commit, rid, path)
        if origin is not None:
            steps.append(Step(commit, "moved", origin, after, field_changes(origin.data, after.data, after.kind)))
            return origin.file, f"{commit.sha}^", rid
        what = "unknown-before" if commit.sha in shallow else "created"
        steps.append(Step(commit, what, None, after))
        return None, "", rid
    return None, "", rid


def _same(a: Version | None, b: Version | None) -> bool:
    return a is not None and b is not None and a.data == b.data and a.household == b.household


def _settled(root: Path, merge: Commit, path: str, rid: str, ours: Version, merged: Version) -> bool:
    """A merge gave the record a version of its own: one no parent had (a value typed into
    `gridctl resolve`), or the other side's where this side had changed it too (`--take theirs`).
    A clean merge only brings the other side's commits, which the history shows already."""
    if _same(ours, merged):
        return False
    names = [f"{p}:{path}" for p in merge.parents[1:]]
    base = git(root, "merge-base", *merge.parents[:2]).decode().strip()
    blobs = cat_blobs(root, [*names, f"{base}:{path}"])
    if not any(_same(find(path, blobs.get(n), rid), merged) for n in names):
        return True
    return not _same(find(path, blobs.get(f"{base}:{path}"), rid), ours)


def _origin(root: Path, commit: Commit, rid: str, path: str) -> Version | None:
    """The record as it was, in the same commit, in the file it left."""
    whole = next(log(root, [commit.sha], extra=["-1"]), commit)  # the path-limited log showed one file
    others = [f for f in whole.files if f.path != path and f.old]
    blobs = cat_blobs(root, [f.old for f in others if f.old])
    for f in others:
        found = find(f.path, blobs.get(f.old or ""), rid)
        if found is not None:
            return found
    return None


def _removal(root: Path, rid: str) -> tuple[Step, str] | None:
    """A record no longer at HEAD: the last commit whose diff mentions it, and the file it left."""
    for commit in log(root, ["HEAD"], extra=["--topo-order", f"-S{rid}", "-1"]):
        blobs = cat_blobs(root, [f.old for f in commit.files if f.old])
        for f in commit.files:
            found = find(f.path, blobs.get(f.old or ""), rid)
            if found is not None:
                return Step(commit, "removed", found, None), f.path
    return None
