"""GC400: an event's timeline is append-only — no commit may rewrite or delete an earlier step.

Every committed version of each event is compared with its versions in that commit's parents (all
of them for a merge, walked as a graph, not as one line of commits); the ledger as read (working
tree, or a write about to happen) is compared with HEAD's, and with the other side's too while a
merge is under way. A commit keeps a parent's timeline when it only appends to it; a merge when
each parent's steps are all still there, in order (the other side's may come between). A rewrite
later put back is healed and not reported; one that stays is reported with the commit that made it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from gridctl.errors import GridctlError
from gridctl.ledger.gitrepo import DubiousOwnership
from gridctl.ledger.index import Ledger
from gridctl.model.settings import Settings
from gridctl.problem import Problem

StepKey = tuple[str, str, str, str]
Steps = tuple[StepKey, ...]
Broken = tuple[str, int, StepKey]
"""The commit that rewrote a timeline, and the step it lost: where (from 0) and which."""
Kept = tuple[tuple[Steps, ...], Broken | None]
"""An event as of one commit: the timelines every later version must keep (one; several after a
merge that lost steps of a side), and the rewrite, if one stands."""

SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def _key(at: Any, by: Any, action: Any, note: Any) -> StepKey:
    return (str(at).replace("T", " "), str(by), str(action), "" if note is None else str(note))


def _raw_steps(doc: Any) -> Steps | None:
    timeline = doc.get("timeline") if isinstance(doc, dict) else None
    if not isinstance(timeline, list):
        return () if isinstance(doc, dict) else None
    out = []
    for step in timeline:
        if not isinstance(step, dict):
            return None
        out.append(_key(step.get("at"), step.get("by"), step.get("action"), step.get("note")))
    return tuple(out)


def _events_in(path: str, data: bytes) -> list[tuple[str, Steps]]:
    from gridctl.ledger.reader import parse

    docs, _problems = parse(path, data.decode("utf-8-sig", "replace"))
    out = []
    for doc in docs:
        data_ = doc.data
        if isinstance(data_, dict) and data_.get("kind") == "event" and data_.get("id") is not None:
            steps = _raw_steps(data_)
            if steps is not None:
                out.append((str(data_["id"]), steps))
    return out


def _tips(ledger: Ledger) -> tuple[str, ...]:
    """The commits the ledger as read follows: the revision it was read from, else HEAD and, while a
    merge is under way, the commits it brings in."""
    from gridctl.ledger.cache import git_dir_of
    from gridctl.ledger.files import GitTree, Overlay
    from gridctl.ledger.gitrepo import merging_in

    source = ledger.source
    while isinstance(source, Overlay):
        source = source.base
    if isinstance(source, GitTree):
        return (source.commit,)
    git_dir = git_dir_of(ledger.root)
    return ("HEAD", *(sha for sha in merging_in(git_dir) if SHA.fullmatch(sha))) if git_dir else ("HEAD",)


def _history(ledger: Ledger, revs: Sequence[str]) -> list[dict[str, Kept]]:
    """Each event as of each commit `revs` name (the newest listed of each's line), walking the
    commits that changed events oldest first, each against its parents."""
    from gridctl.history.gitlog import cat_blobs, log

    commits = list(log(ledger.root, revs=revs, paths=("events",), graph=True))
    commits.reverse()  # parents before children
    wanted = (c.new for commit in commits for c in commit.files if c.new and c.path.endswith((".yaml", ".yml")))
    blobs = cat_blobs(ledger.root, wanted)
    children: dict[str, int] = {}
    for commit in commits:
        for parent in commit.parents:
            children[parent] = children.get(parent, 0) + 1
    states: dict[str, dict[str, Kept]] = {}
    read: dict[str, list[tuple[str, Steps]]] = {}
    for commit in commits:
        written: dict[str, Steps] = {}
        for change in commit.files:
            if change.new is None or change.new not in blobs or not change.path.endswith((".yaml", ".yml")):
                continue
            if change.new not in read:
                read[change.new] = _events_in(change.path, blobs[change.new])
            written.update(read[change.new])
        parents = [states.get(p, {}) for p in commit.parents]
        merge = len(parents) > 1
        after = {
            rid: _after(commit.sha, steps, [p[rid] for p in parents if rid in p], merge)
            for rid, steps in written.items()
        }
        # built on the first parent's: an event the merged files hold otherwise than a parent does
        # is in that parent's diff, so written here, with no walk over every event at each merge
        state = _inherit(commit.parents, states, children)
        state.update(after)
        for parent in commit.parents:
            children[parent] -= 1
            if children[parent] == 0:
                states.pop(parent, None)
        states[commit.sha] = state
    return [state for sha, state in states.items()]  # what no listed commit has as a parent: the tips


def _inherit(parents: list[str], states: dict[str, dict[str, Kept]], children: dict[str, int]) -> dict[str, Kept]:
    """The first parent's events to build on: taken over when no other commit still needs them."""
    if not parents or parents[0] not in states:
        return {}
    first = parents[0]
    if children[first] == 1 and parents.count(first) == 1:
        return states.pop(first)
    return dict(states[first])


def _after(sha: str, steps: Steps, before: list[Kept], merge: bool) -> Kept:
    """The event as of commit `sha`, which wrote `steps`, over its parents' `before`."""
    if not before:
        return ((steps,), None)
    kept = tuple(dict.fromkeys(seq for seqs, _broken in before for seq in seqs))
    lost = _lost(kept, steps, interleaved=merge or len(kept) > 1)
    if lost is None:
        return ((steps,), None)
    standing = next((broken for _seqs, broken in before if broken is not None), None)
    return (kept, standing or (sha, lost[1], lost[0][lost[1]]))


def _lost(kept: Iterable[Steps], steps: Sequence[StepKey], interleaved: bool) -> tuple[Steps, int] | None:
    """The first kept timeline `steps` does not keep, and its first step lost; None when all are kept.
    One side's steps are kept when `steps` begins with them; a merge's (`interleaved`), when they are
    all there, in order, with the other side's among them."""
    for seq in kept:
        index = _missing(seq, steps) if interleaved else _first_difference(seq, steps)
        if index < len(seq):
            return seq, index
    return None


def timeline_history(ledger: Ledger, settings: Settings) -> Iterable[Problem]:
    current = {entry.id: (steps, entry.source) for entry, steps in _events(ledger)}
    if not current or not (ledger.root / ".git").exists():
        return []
    try:
        tips = _history(ledger, _tips(ledger))
    except DubiousOwnership:
        raise  # history exists but git will not read it: never report "no rewrites" unchecked
    except GridctlError:  # not a repository, or no commit yet
        return []
    out = []
    for rid, (now, source) in sorted(current.items()):
        before = [tip[rid] for tip in tips if rid in tip]
        kept = tuple(dict.fromkeys(seq for seqs, _broken in before for seq in seqs))
        lost = _lost(kept, now, interleaved=len(kept) > 1)
        if lost is None:
            continue
        standing = next((broken for _seqs, broken in before if broken is not None), None)
        sha, index, step = standing or ("", lost[1], lost[0][lost[1]])
        path: tuple[str | int, ...] = ("timeline", index) if index < len(now) else ("timeline",)
        args = {
            "event": rid,
            "step": index + 1,
            "action": step[2],
            "at": step[0],
            "commit": sha[:10] if sha else "working tree",
        }
        out.append(Problem("GC400", source.file, args, doc=source.doc, path=path, record=rid))
    return out


def _events(ledger: Ledger) -> Iterator[tuple[Any, list[StepKey]]]:
    for handle, steps in ledger.timelines():
        yield ledger.entry_at(handle), steps


def _first_difference(before: Sequence[StepKey], after: Sequence[StepKey]) -> int:
    for i, step in enumerate(before):
        if i >= len(after) or after[i] != step:
            return i
    return len(before)


def _missing(before: Sequence[StepKey], after: Sequence[StepKey]) -> int:
    """The first step of `before` that `after` does not hold in order (len(before) when it holds all)."""
    at = 0
    for i, step in enumerate(before):
        while at < len(after) and after[at] != step:
            at += 1
        if at == len(after):
            return i
        at += 1
    return len(before)
