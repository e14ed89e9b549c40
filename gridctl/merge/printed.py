"""The record of prints (.gridctl/printed.json) merged entry by entry.

Two clerks who each print a board both add an entry to the one JSON file; merged as lines, the
file stopped in conflict (add/add), and the clerk who kept one side lost the other's prints, which
`print stale` then never listed. Merged here: every entry of both sides; an entry only one side
changed is that side's; one both sides changed is the later print (the later date; on the same day
the print from the later revision, else this side's). A side that is not a record gridctl wrote is
left to git's line merge, so the damage is seen (gridctl.render.manifest refuses to read it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gridctl.history.prints import MANIFEST, damage, dump

Later = Callable[[str, str], bool]
"""later(a, b): whether revision b descends from revision a."""


def _read(blob: bytes) -> dict[str, Any] | None:
    if damage(blob) is not None:
        return None
    data: dict[str, Any] = json.loads(blob.decode("utf-8-sig"))
    return data


def merged(base: bytes, mine: bytes, theirs: bytes, descends: Later | None = None) -> bytes | None:
    """The merged record; None when a side cannot be read (git's line merge then). An empty base is a
    file both sides added."""
    sides = [_read(b) for b in (mine, theirs)]
    if sides[0] is None or sides[1] is None:
        return None
    old = _read(base) if base.strip() else {"printed": {}}
    if old is None:
        return None
    m, t, b = sides[0]["printed"], sides[1]["printed"], old["printed"]
    out: dict[str, Any] = {}
    for key in dict.fromkeys([*m, *t]):
        entry = _pick(b.get(key), m.get(key), t.get(key), descends)
        if entry is not None:
            out[key] = entry
    result = {**sides[1], **sides[0], "printed": dict(sorted(out.items()))}
    return dump(result)


def _pick(base: Any, mine: Any, theirs: Any, descends: Later | None) -> Any:
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs
    if mine is None or theirs is None:  # taken out on one side, printed again on the other: the print
        return mine if theirs is None else theirs
    return theirs if _later(mine, theirs, descends) else mine


def _later(mine: dict[str, Any], theirs: dict[str, Any], descends: Later | None) -> bool:
    """Whether their print of the item is the later one."""
    a, b = str(mine.get("date", "")), str(theirs.get("date", ""))
    if a != b:
        return b > a  # ISO dates
    ca, cb = mine.get("commit"), theirs.get("commit")
    return bool(descends and isinstance(ca, str) and isinstance(cb, str) and ca != cb and descends(ca, cb))


def descends_in(root: Path) -> Later:
    """Revision ancestry in the ledger's repository (an unknown revision is no descendant)."""
    from gridctl.ledger.gitrepo import GitFailed, run_git

    def descends(a: str, b: str) -> bool:
        try:
            run_git(root, "merge-base", "--is-ancestor", a, b)
            return True
        except GitFailed:
            return False

    return descends


def settle_prints(root: Path) -> bool:
    """The record of prints merged and staged when git left it in conflict (a ledger whose
    .gitattributes predates its merge line, or a merge git began before `gridctl setup`);
    False when it was not in conflict or a side cannot be read (the conflict stays, for the clerk)."""
    from gridctl.ledger.gitrepo import GitFailed, run_git
    from gridctl.ledger.transaction import atomic_write
    from gridctl.merge.conflicts import stages

    if not {"2", "3"} <= stages(root).get(MANIFEST, set()):
        return False

    def stage(n: int) -> bytes:
        try:
            return run_git(root, "show", f":{n}:{MANIFEST}")
        except GitFailed:  # no base: both sides added it
            return b""

    data = merged(stage(1), stage(2), stage(3), descends_in(root))
    if data is None:
        return False
    atomic_write(root / MANIFEST, data)
    run_git(root, "add", "--", MANIFEST)
    return True
