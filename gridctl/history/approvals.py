"""Who let each change into the ledger: the approvals (`review --approve`) and the commits each brought.

With `review: required` a worker's commits reach main only through the office's approval, a merge
whose `Reviewed-by:` trailer names the approver. The commits an approval brought are those of its
second parent that its first parent did not have (git's `M^1..M^2`), found by a walk in order of
generation over the parents already read, so a long history costs one pass, not one git run each.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from pathlib import Path

from gridctl.history.gitlog import Commit, git


@dataclass(frozen=True)
class Approval:
    reviewer: str
    """The approver's name, as the trailer gives it (王芳)."""
    merge: str
    date: str
    """The approval's author date (%aI)."""
    brought: tuple[str, ...] = ()


REVIEWED = "Reviewed-by"


def reviewer_of(message: str) -> str | None:
    """The name in a merge's `Reviewed-by:` trailer (gridctl's trailer paragraph only), None without one."""
    from gridctl.ledger.message import split_message

    said = split_message(message)[2].get(REVIEWED)
    if not said:
        return None
    return said.split("<", 1)[0].strip() or said.strip()


def approver(commit: Commit) -> str | None:
    """Who approved a merge: its Reviewed-by, when that names the merge's own author (`review --approve`
    writes both from the approver). One naming someone else was typed into a plain `git commit` (a
    worker's merge made to read as the office's approval): not taken as an approval."""
    from gridctl.ledger.message import split_message

    said = split_message(commit.message)[2].get(REVIEWED)
    if not said or said.strip() != f"{commit.author} <{commit.email}>":
        return None
    return reviewer_of(commit.message)


def approvals(root: Path, history: list[Commit] | None = None) -> dict[str, Approval]:
    """Commit id → the approval that brought it into HEAD's history; an approval merge maps to itself
    (with the commits it brought). `history`: every commit of HEAD, when already read."""
    if history is None:
        history = _read(root)
    parents = {c.sha: c.parents for c in history}
    merges = [(c, r) for c in history if len(c.parents) == 2 for r in [approver(c)] if r]
    if not merges:
        return {}
    known = {c: [p for p in ps if p in parents] for c, ps in parents.items()}  # a shallow clone's edge: roots
    depth = _generations(known)
    out: dict[str, Approval] = {}
    for commit, reviewer in reversed(merges):  # oldest first: a commit brought twice keeps its first approval
        brought = _only_in(known, depth, commit.parents[1], commit.parents[0])
        approval = Approval(reviewer, commit.sha, commit.date, tuple(brought))
        out[commit.sha] = approval
        for sha in brought:
            out.setdefault(sha, approval)
    return out


def _read(root: Path) -> list[Commit]:
    said = git(root, "log", "-z", "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%B", "HEAD").decode("utf-8", "replace")
    out = []
    for chunk in said.split("\0"):
        if chunk.strip():
            sha, ps, name, email, date, message = chunk.lstrip("\n").split("\x1f", 5)
            out.append(Commit(sha, ps.split(), name, email, date, message.rstrip("\n")))
    return out


def _generations(parents: dict[str, list[str]]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for start in parents:
        stack = [start]
        while stack:
            c = stack[-1]
            if c in depth:
                stack.pop()
                continue
            todo = [p for p in parents[c] if p not in depth]
            if todo:
                stack += todo
            else:
                depth[c] = 1 + max((depth[p] for p in parents[c]), default=0)
                stack.pop()
    return depth


def _only_in(parents: dict[str, list[str]], depth: dict[str, int], tip: str, base: str) -> list[str]:
    """`base..tip`: commits `tip` reaches and `base` does not, newest first (by generation)."""
    if tip not in depth:
        return []
    flags = {tip: 1, base: 2} if base in depth else {tip: 1}
    queue = [(-depth[c], c) for c in flags]
    heapq.heapify(queue)
    live = 1  # queued commits reached from `tip` alone: the walk ends when none is left
    out = []
    while queue and live:
        _, c = heapq.heappop(queue)
        if flags[c] == 1:
            live -= 1
            out.append(c)
        for p in parents[c]:
            old = flags.get(p, 0)
            new = old | flags[c]
            if new != old:
                flags[p] = new
                if not old:
                    heapq.heappush(queue, (-depth[p], p))
                    live += new == 1
                elif old == 1:
                    live -= 1  # queued as tip's alone, now reached from base too
    return out
