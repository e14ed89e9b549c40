"""What a merge settled, as the log tells it: the values it gave records that its first parent had not.

A clean merge only brings the other side's commits, which the log tells already, each by its
author. A merge whose conflicts were settled (`gridctl resolve … --take theirs`, a value typed in)
decided a value neither commit told: without it, the log showed 李强 setting 房号 201 and 赵敏
setting 301, and not which one the ledger kept. A field is the merge's own when the merged value
differs from its first parent's and either no other parent had it or the first parent had
changed it too (a conflict). Fields combined from both sides without a conflict are not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gridctl.history.describe import RecordChange, record_changes
from gridctl.history.gitlog import Commit, FileChange, cat_blobs, git
from gridctl.history.records import FieldChange, Version, records_in


def merge_changes(root: Path, commit: Commit, is_record) -> list[RecordChange]:  # type: ignore[no-untyped-def]
    """The changes `commit` (a merge) made of its own, record by record, fields as the log tells them."""
    ours, others = commit.parents[0], commit.parents[1:]
    files = [f for f in commit.files if is_record(f.path)]
    if not files or not others:
        return []
    try:
        base = git(root, "merge-base", ours, others[0]).decode().strip() if len(others) == 1 else None
    except Exception:  # no common ancestor (unrelated histories): every value was the other side's
        base = None
    files = _candidates(root, commit, files, base)
    if not files:
        return []
    names = [f"{p}:{f.path}" for f in files for p in others] + ([f"{base}:{f.path}" for f in files] if base else [])
    blobs = cat_blobs(root, [*names, *(s for f in files for s in (f.old, f.new) if s)])
    out: list[RecordChange] = []
    for change in record_changes([(f.path, blobs.get(f.old or ""), blobs.get(f.new or "")) for f in files]):
        path = (change.after or change.before).file  # type: ignore[union-attr]
        theirs = [records_in(path, blobs.get(f"{p}:{path}")).get(change.id) for p in others]
        was = records_in(path, blobs.get(f"{base}:{path}")).get(change.id) if base else None
        own = _own(change, theirs, was)
        if own is not None:
            out.append(own)
    return out


def _candidates(root: Path, commit: Commit, files: list[FileChange], base: str | None) -> list[FileChange]:
    """The files that may hold a settled value: the merge differs from the other side there, or this
    side had changed them too. A merge bringing thousands of the other side's files reads none."""
    if base is None or len(commit.parents) != 2:
        return files
    differ = _paths(root, commit.parents[1], commit.sha) | _paths(root, base, commit.parents[0])
    return [f for f in files if f.path in differ]


def _paths(root: Path, a: str, b: str) -> set[str]:
    out = git(root, "-c", "core.quotepath=off", "diff-tree", "-r", "-z", "--no-renames", "--name-only", a, b)
    return {p for p in out.decode("utf-8", "replace").split("\0") if p}


def _same(a: Version | None, b: Version | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.data == b.data and a.household == b.household


def _own(change: RecordChange, theirs: list[Version | None], base: Version | None) -> RecordChange | None:
    """`change` (first parent → merge) narrowed to what the merge decided, or None."""
    ours, merged = change.before, change.after
    if change.what != "changed" or ours is None or merged is None:
        settled = not any(_same(t, merged) for t in theirs) or not _same(base, ours)
        return change if settled else None
    kept = [c for c in change.changes if _decided(c, ours, merged, theirs, base)]
    return RecordChange(change.id, change.kind, change.what, ours, merged, kept) if kept else None


def _decided(
    c: FieldChange, ours: Version, merged: Version, theirs: list[Version | None], base: Version | None
) -> bool:
    value = _at(merged.data, c.path)
    if not any(t is not None and _at(t.data, c.path) == value for t in theirs):
        return True  # a value no parent had: typed in
    return base is None or _at(base.data, c.path) != _at(ours.data, c.path)  # both sides changed it


_MISSING = object()


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        if (isinstance(data, dict) and step in data) or (
            isinstance(data, list) and isinstance(step, int) and -len(data) <= step < len(data)
        ):
            data = data[step]
        else:
            return _MISSING
    return data
