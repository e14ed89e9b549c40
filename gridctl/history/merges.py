"""What a merge settled, as the log tells it: the values it decided where both sides had changed a field.

A clean merge only brings the other side's commits, which the log tells already, each by its
author. A merge whose conflicts were settled (`gridctl resolve … --take mine|theirs`, a value typed
in) decided a value no commit told: without it, the log showed 李强 setting 房号 201 and 赵敏
setting 301, and not which one the ledger kept. A field is the merge's own when both sides had
changed it differently since their common commit, or when the merge holds a value neither side
had. Fields combined from the two sides without a conflict are not. A record removed on one side
and changed on the other is the merge's too: kept (合并时保留) or removed (合并时删除). After a
criss-cross (each side merged the other) the sides have several common commits: a field changed
since any of them counts as changed, as git's merge of those commits reads it.

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
    root: Path,
    merges: list[Commit],
    history: Iterable[Commit],
    is_record: Callable[[str], bool],
    shallow: bool = False,
) -> tuple[dict[str, list[RecordChange]], set[str]]:
    """(Merge id → the values it decided (RecordChange `settled`: `before` the first parent's version,
    `after` the merge's, `changes` the fields decided), the merges whose common commits this clone
    lacks (`shallow`: told as deciding nothing, to be read again once a fetch brings them)).
    `history`: the commits read with them."""
    two = [m for m in merges if len(m.parents) == 2]  # an octopus merge takes no conflict
    out: dict[str, list[RecordChange]] = {m.sha: [] for m in merges}
    if not two:
        return out, set()
    bases = _bases(root, {c.sha: c.parents for c in history}, [(m.parents[0], m.parents[1]) for m in two], shallow)
    unknown = {m.sha for m in two if bases[(m.parents[0], m.parents[1])] is None}
    pairs: list[tuple[str, str]] = []
    for m in two:
        for base in bases[(m.parents[0], m.parents[1])] or ():
            pairs += [(base, m.parents[0]), (base, m.parents[1])]
        pairs.append((m.parents[1], m.sha))
    changed = _changed(root, pairs)
    wanted: dict[str, list[str]] = {}
    for m in two:
        ours, theirs = m.parents
        found = bases[(ours, theirs)]
        if not found:
            continue  # no common commit (unrelated histories): nothing was changed on both sides
        # a criss-cross merge has several common commits: changed since any of them, as git's merge of them reads
        mine = set().union(*(changed[(b, ours)] for b in found))
        other = set().union(*(changed[(b, theirs)] for b in found))
        typed = {f.path for f in m.files} & changed[(theirs, m.sha)]
        wanted[m.sha] = sorted(p for p in (mine & other) | typed if is_record(p))
    blobs = cat_blobs(root, [f"{r}:{p}" for m in two for p in wanted.get(m.sha, []) for r in _revs(m, bases)])
    held = {m.sha: _held(m, bases, wanted.get(m.sha, []), blobs) for m in two}
    # a record that left one of these files on one side (a person moved to another household) is
    # read where it went: the merge may have kept that side's file whole and dropped the other's edit
    more = {m.sha: _went(m, bases, held[m.sha], changed, is_record, wanted.get(m.sha, [])) for m in two}
    blobs |= cat_blobs(root, [f"{r}:{p}" for m in two for p in more[m.sha] for r in _revs(m, bases)])
    for m in two:
        if more[m.sha]:
            strays = _strays(held[m.sha])
            for rev, found in zip(held[m.sha], _held(m, bases, more[m.sha], blobs), strict=True):
                rev.update({rid: v for rid, v in found.items() if rid in strays and rid not in rev})
        if held[m.sha]:
            *base, ours_, theirs_, merged = held[m.sha]
            out[m.sha] += _settled(base, ours_, theirs_, merged)
        out[m.sha] = [c for c in out[m.sha] if c.after is not None or not _still_there(root, m.sha, c)]
    return out, unknown


def _held(
    m: Commit, bases: dict[tuple[str, str], tuple[str, ...] | None], paths: list[str], blobs: dict[str, bytes]
) -> list[dict[str, Version]]:
    """The records of `paths` by id, in each of the merge's revisions (bases…, ours, theirs, merge)."""
    out: list[dict[str, Version]] = []
    for r in _revs(m, bases):
        records: dict[str, Version] = {}
        for path in paths:
            records.update(records_in(path, blobs.get(f"{r}:{path}")))
        out.append(records)
    return out if paths else []


def _strays(held: list[dict[str, Version]]) -> set[str]:
    """Ids some revision holds in these files and another does not (moved, added or removed)."""
    every = set().union(*held) if held else set()
    return {rid for rid in every if any(rid not in rev for rev in held)}


def _went(
    m: Commit,
    bases: dict[tuple[str, str], tuple[str, ...] | None],
    held: list[dict[str, Version]],
    changed: dict[tuple[str, str], set[str]],
    is_record: Callable[[str], bool],
    wanted: list[str],
) -> list[str]:
    """The other record files of the folders a stray record left, changed on either side or by the merge."""
    strays = _strays(held)
    if not strays:
        return []
    folders = {v.file.split("/")[0] for rev in held for rid, v in rev.items() if rid in strays}
    ours, theirs = m.parents
    touched = set(changed[(theirs, m.sha)]).union(
        *(changed[(b, side)] for b in bases[(ours, theirs)] or () for side in (ours, theirs))
    )
    return sorted(p for p in touched - set(wanted) if is_record(p) and p.split("/")[0] in folders)


def _revs(m: Commit, bases: dict[tuple[str, str], tuple[str, ...] | None]) -> tuple[str, ...]:
    ours, theirs = m.parents
    return *(bases[(ours, theirs)] or ()), ours, theirs, m.sha


def _settled(
    base: list[dict[str, Version]], ours: dict[str, Version], theirs: dict[str, Version], merged: dict[str, Version]
) -> list[RecordChange]:
    out = []
    for rid in dict.fromkeys([*merged, *ours, *theirs]):
        now, mine, other = merged.get(rid), ours.get(rid), theirs.get(rid)
        was = [b[rid] for b in base if rid in b]
        if now is None and mine is None:
            if other is not None and was and any(other.data != b.data for b in was):
                out.append(RecordChange(rid, other.kind, "settled", other, None))  # changed there, removed here
            continue
        if now is not None and mine is None:
            if was and other is not None:  # removed on this side, changed on the other: the merge kept it
                out.append(RecordChange(rid, now.kind, "settled", None, now))
            continue  # else a record the other side added: its own commit tells it
        if mine is None:
            continue
        if now is None:
            if other is not None or (was and any(mine.data != b.data for b in was)):
                out.append(RecordChange(rid, mine.kind, "settled", mine, None))  # changed here, removed there
            continue
        decided = _decided(was, mine, other, now)
        if decided:
            out.append(RecordChange(rid, now.kind, "settled", mine, now, decided))
    return out


def _still_there(root: Path, merge: str, change: RecordChange) -> bool:
    """Whether a record the merge took out of its file is still in the merge's ledger (moved, not
    removed): its id in any file of its folder. Rare (a change on one side, a removal on the other)."""
    folder = change.before.file.split("/")[0] if change.before is not None else ""
    try:
        git(root, "grep", "-q", "-F", "-e", change.id, merge, "--", f"{folder}/")
    except Exception:  # git grep finds nothing: exit 1
        return False
    return True


def _decided(base: list[Version], ours: Version, theirs: Version | None, merged: Version) -> list[FieldChange]:
    """The fields the merge decided: changed on both sides to different values, a value neither had, or
    the unchanged side's value where one side alone changed it (a file kept whole, as `resolve` may)."""
    kind = merged.kind
    bases = [b.data for b in base] or [{}]
    mine = {c.path for b in bases for c in field_changes(b, ours.data, kind, members=False)}
    other = {c.path for b in bases for c in field_changes(b, _data(theirs), kind, members=False)}
    now = {c.path for c in field_changes(ours.data, merged.data, kind, members=False)}
    out = []
    for path in dict.fromkeys([*mine, *other, *now]):
        value, a, b = _at(merged.data, path), _at(ours.data, path), _at(_data(theirs), path)
        # one side alone changed it, yet the merge kept the other's value: a file taken whole
        alone = value if theirs is None else a if path not in other else b if path not in mine else value
        if (path in mine and path in other and a != b) or (value != a and value != b) or value != alone:
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
    root: Path, parents: dict[str, list[str]], pairs: list[tuple[str, str]], shallow: bool = False
) -> dict[tuple[str, str], tuple[str, ...] | None]:
    """Each pair's best common commits (several after a criss-cross), walked in the history read
    (as git's merge-base does); `git merge-base --all` for a pair whose walk leaves it (a log cut by
    --since or --author). None where a shallow clone cannot tell (its history stops before them)."""
    depth = _generations(parents)
    out: dict[tuple[str, str], tuple[str, ...] | None] = {}
    for pair in dict.fromkeys(pairs):
        found = _walk(parents, depth, *pair)
        if found is False or (shallow and not found):
            try:
                found = tuple(git(root, "merge-base", "--all", *pair).decode().split())
            except Exception:  # no common commit
                found = ()
        out[pair] = None if shallow and not found else tuple(found)
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


def _walk(parents: dict[str, list[str]], depth: dict[str, int], a: str, b: str) -> tuple[str, ...] | bool:
    """The newest commits both reach, none of them reaching another (() when there is none, two or
    more after a criss-cross), or False when the walk needs a commit not read. Commits are taken in
    order of generation, so a common commit's mark (stale) reaches its ancestors before they are taken."""
    if a not in depth or b not in depth:
        return False
    if a == b:
        return (a,)
    stale = 4
    flags = {a: 1, b: 2}
    queue = [(-depth[a], a), (-depth[b], b)]
    found: list[str] = []
    live = 2  # queued commits not stale: the walk ends when none is left
    while queue and live:
        _, c = heapq.heappop(queue)
        if not flags[c] & stale:
            live -= 1
            if flags[c] == 3:
                found.append(c)
                flags[c] |= stale
        for p in parents.get(c, []):
            if p not in depth:
                return False
            old = flags.get(p, 0)
            new = old | flags[c]
            if new != old:
                flags[p] = new
                if not old:
                    heapq.heappush(queue, (-depth[p], p))
                    live += 0 if new & stale else 1
                elif new & stale and not old & stale:
                    live -= 1  # queued, now stale
    return tuple(found)
