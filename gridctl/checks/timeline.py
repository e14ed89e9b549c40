"""GC400: an event's timeline is append-only — no commit may rewrite or delete an earlier step.

Every committed version of each event is compared with the one before it; the ledger as read
(working tree, or a write about to happen) is the last version. A rewrite later put back is
healed and not reported; one that stays is reported with the commit that made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from gridctl.errors import GridctlError
from gridctl.ledger.gitrepo import DubiousOwnership
from gridctl.ledger.index import Ledger
from gridctl.model.settings import Settings
from gridctl.problem import Problem

StepKey = tuple[str, str, str, str]


def _key(at: Any, by: Any, action: Any, note: Any) -> StepKey:
    return (str(at).replace("T", " "), str(by), str(action), "" if note is None else str(note))


def _raw_steps(doc: Any) -> list[StepKey] | None:
    timeline = doc.get("timeline") if isinstance(doc, dict) else None
    if not isinstance(timeline, list):
        return [] if isinstance(doc, dict) else None
    out = []
    for step in timeline:
        if not isinstance(step, dict):
            return None
        out.append(_key(step.get("at"), step.get("by"), step.get("action"), step.get("note")))
    return out


def _versions(ledger: Ledger) -> Iterator[tuple[str, str, list[StepKey]]]:
    """(commit, event id, timeline) for every committed version of every event, oldest first."""
    from gridctl.history.gitlog import cat_blobs, log
    from gridctl.ledger.reader import parse

    commits = list(log(ledger.root, paths=("events",)))
    commits.reverse()
    blobs = cat_blobs(ledger.root, (c.new for commit in commits for c in commit.files if c.new))
    for commit in commits:
        for change in commit.files:
            if change.new is None or not change.path.endswith((".yaml", ".yml")) or change.new not in blobs:
                continue
            docs, _problems = parse(change.path, blobs[change.new].decode("utf-8-sig", "replace"))
            for doc in docs:
                data = doc.data
                if isinstance(data, dict) and data.get("kind") == "event" and data.get("id") is not None:
                    steps = _raw_steps(data)
                    if steps is not None:
                        yield commit.sha, str(data["id"]), steps


def timeline_history(ledger: Ledger, settings: Settings) -> Iterable[Problem]:
    current = {entry.id: (steps, entry.source) for entry, steps in _events(ledger)}
    if not current or not (ledger.root / ".git").exists():
        return []
    canonical: dict[str, list[StepKey]] = {}
    broken: dict[str, tuple[str, int]] = {}
    try:
        versions = list(_versions(ledger))
    except DubiousOwnership:
        raise  # history exists but git will not read it: never report "no rewrites" unchecked
    except GridctlError:  # not a repository, or no commit yet
        return []
    for sha, rid, steps in versions:
        before = canonical.get(rid)
        if before is None or steps[: len(before)] == before:
            canonical[rid] = steps
        elif rid not in broken:
            broken[rid] = (sha, _first_difference(before, steps))
    out = []
    for rid, (now, source) in sorted(current.items()):
        before = canonical.get(rid)
        if before is None or now[: len(before)] == before:
            continue
        sha, index = broken.get(rid, ("", _first_difference(before, now)))
        path: tuple[str | int, ...] = ("timeline", index) if index < len(now) else ("timeline",)
        args = {
            "event": rid,
            "step": index + 1,
            "action": before[index][2],
            "at": before[index][0],
            "commit": sha[:10] if sha else "working tree",
        }
        out.append(Problem("GC400", source.file, args, doc=source.doc, path=path, record=rid))
    return out


def _events(ledger: Ledger) -> Iterator[tuple[Any, list[StepKey]]]:
    for handle, steps in ledger.timelines():
        yield ledger.entry_at(handle), steps


def _first_difference(before: list[StepKey], after: list[StepKey]) -> int:
    for i, step in enumerate(before):
        if i >= len(after) or after[i] != step:
            return i
    return len(before)
