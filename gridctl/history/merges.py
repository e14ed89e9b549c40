"""What a merge settled, as the log tells it: the values it decided where both sides had changed a field.

A clean merge only brings the other side's commits, which the log tells already, each by its
author. A merge whose conflicts were settled (`gridctl resolve … --take mine|theirs`, a value typed
in) decided a value no commit told: without it, the log showed 李强 setting 房号 201 and 赵敏
setting 301, and not which one the ledger kept. A field is the merge's own when both sides had
changed it differently since their common commit, or when the merge holds a value neither side
had. Fields combined from the two sides without a conflict are not.

A ledger merges every day (each sync), so the merges of a first log are read together: their
common commits from the history already read (a walk like git's own, from the newest), every
file list from one `git diff-tree --stdin`, every version from one `git cat-file --batch`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from gridctl.history.describe import RecordChange
from gridctl.history.gitlog import Commit, cat_blobs, git
from gridctl.history.records import FieldChange, Version, field_changes, records_in


def describe_merges(
    root: Path, merges: list[Commit], history: Iterable[Commit], is_record: Callable[[str], bool]
) -> dict[str, list[RecordChange]]:
    """Merge id → the values it decided (RecordChange `settled`: `before` the first parent's version,
    `after` the merge's, `changes` the fields decided). `history`: the commits read with them."""
    two = [m for m in merges if len(m.parents) == 2]  # an octopus merge takes no conflict
    out: dict[str, list[RecordChange]] = {m.sha: [] for m in merges}
    if not two:
        return out
    bases = _bases(root, {c.sha: c.parents for c in history}, [(m.parents[0], m.parents[1]) for m in two])
    pairs: list[tuple[str, str]] = []
    for m in two:
        base = bases.get((m.parents[0], m.parents[1]))
        if base is not None:
            pairs += [(base, m.parents[0]), (base, m.parents[1]), (m.parents[1], m.sha)]
    changed = _changed(root, pairs)
    wanted: dict[str, list[str]] = {}
    for m in two:
        ours, theirs = m.parents
        base = bases.get((ours, theirs))
        if base is None:
            continue  # no common commit (unrelated histories): nothing was changed on both sides
        both = changed[(base, ours)] & changed[(base, theirs)]
        typed = {f.path for f in m.files} & changed[(theirs, m.sha)]
        wanted[m.sha] = sorted(p for p in both | typed if is_record(p))
    blobs = cat_blobs(root, [f"{r}:{p}" for m in two for p in wanted.get(m.sha, []) for r in _revs(m, bases)])
    for m in two:
        for path in wanted.get(m.sha, []):
            out[m.sha] += _settled(path, [records_in(path, blobs.get(f"{r}:{path}")) for r in _revs(m, bases)])
    return out


def _revs(m: Commit, bases: dict[tuple[str, str], str | None]) -> tuple[str, str, str, str]:
    ours, theirs = m.parents
    return bases[(ours, theirs)] or "", ours, theirs, m.sha


def _settled(path: str, versions: list[dict[str, Version]]) -> list[RecordChange]:
    base, ours, theirs, merged = versions
    out = []
    for rid, now in merged.items():
        mine = ours.get(rid)
        if mine is None:
            continue  # a record the other side added: its own commit tells it
        decided = _decided(base.get(rid), mine, theirs.get(rid), now)
        if decided:
            out.append(RecordChange(rid, now.kind, "settled", mine, now, decided))
    return out


def _decided(base: Version | None, ours: Version, theirs: Version | None, merged: Version) -> list[FieldChange]:
    """The fields the merge decided: changed on both sides to different values, or a value neither had."""
    kind = merged.kind
    mine = {c.path for c in field_changes(_data(base), ours.data, kind, members=False)}
    other = {c.path for c in field_changes(_data(base), _data(theirs), kind, members=False)}
    now = {c.path for c in field_changes(ours.data, merged.data, kind, members=False)}
    out = []
    for path in dict.fromkeys([*mine, *other, *now]):
        value, a, b = _at(merged.data, path), _at(ours.data, path), _at(_data(theirs), path)
        if (path in mine and path in other and a != b) or (value != a and value != b):
            out.append(FieldChange(path, a, value))
    return out


def _data(version: Version | None) -> dict[str, Any]:
    return version.data if version is not None else {}


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


def _changed(root: Path, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """The paths that differ between each pair of commits, from one `git diff-tree --stdin`."""
    pairs = list(dict.fromkeys(pairs))
    out: dict[tuple[str, str], set[str]] = {p: set() for p in pairs}
    if not pairs:
        return out
    said = git(
        root,
        *("-c", "core.quotepath=off", "diff-tree", "--stdin", "--always", "-r", "-z", "--no-renames", "--name-only"),
        stdin="".join(f"{a} {b}\n" for a, b in pairs).encode(),
    ).decode("utf-8", "replace")
    at = -1
    for token in said.split("\0"):
        if at + 1 < len(pairs) and token == pairs[at + 1][0]:
            at += 1  # each pair's output opens with its first commit's id (--always: even with no change)
        elif token and at >= 0:
            out[pairs[at]].add(token)
    return out


def _bases(
    root: Path, parents: dict[str, list[str]], pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], str | None]:
    """Each pair's common commit, walked in the history read (as git's merge-base does); `git
    merge-base` for a pair whose walk leaves it (a log cut by --since or --author)."""
    depth = _generations(parents)
    out: dict[tuple[str, str], str | None] = {}
    for pair in dict.fromkeys(pairs):
        found = _walk(parents, depth, *pair)
        if found is False:
            try:
                found = git(root, "merge-base", *pair).decode().strip() or None
            except Exception:  # no common commit
                found = None
        out[pair] = found or None
    return out


def _generations(parents: dict[str, list[str]]) -> dict[str, int]:
    """1 + the longest path to a root, for each commit whose every ancestor was read."""
    depth: dict[str, int] = {}
    unknown: set[str] = set()
    for start in parents:
        stack = [(start, False)]
        while stack:
            c, expanded = stack.pop()
            if c in depth or c in unknown:
                continue
            ps = parents.get(c)
            if ps is None:
                unknown.add(c)  # outside the history read
            elif not expanded:
                stack.append((c, True))
                stack += [(p, False) for p in ps if p not in depth and p not in unknown]
            elif all(p in depth for p in ps):
                depth[c] = 1 + max((depth[p] for p in ps), default=0)
            else:
                unknown.add(c)
    return depth


def _walk(parents: dict[str, list[str]], depth: dict[str, int], a: str, b: str) -> str | bool | None:
    """The newest commit both reach (None: none), or False when the walk needs a commit not read."""
    if a not in depth or b not in depth:
        return False
    if a == b:
        return a
    flags = {a: 1, b: 2}
    queue = [(-depth[a], a), (-depth[b], b)]
    while queue:
        _, c = heapq.heappop(queue)
        if flags[c] == 3:
            return c
        for p in parents.get(c, []):
            if p not in depth:
                return False
            if flags.get(p, 0) | flags[c] != flags.get(p, 0):
                new = p not in flags
                flags[p] = flags.get(p, 0) | flags[c]
                if new:
                    heapq.heappush(queue, (-depth[p], p))
    return None
