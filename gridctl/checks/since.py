"""The ledger-wide checks after a few files changed, from each check's findings kept before them.

A validate after a hand edit of one household ran every ledger-wide check over all 49,000
records again (0.2 s of 0.6 s at 12,000 households). When the last validate kept each check's
findings for the ledger as it was read then (the same files, other content in a few of them,
the same settings, day, HEAD, attachments), a check that reads none of the changed kinds keeps
its findings (READS); a check whose findings are each about one record (SCOPED) keeps those of
the other files and reads only the changed ones (for `references`, only while the changed files
hold the same ids as before: kinds_and_ids); the others run again. The rules are the write's
(gridctl.checks.touching, narrowed), which tests/test_checks.py holds to the whole checks; and
tests/test_cache.py holds a warm validate after 200 random changes to a cold one.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from gridctl.problem import Problem

MOST = 64
"""Changed files up to which the checks are redone from the kept findings (beyond it, all run)."""


def changed_slots(before: Any, after: Any) -> list[int] | None:
    """The files whose content differs between two columns of the same files, or None."""
    if before.files != after.files:
        return None
    changed = [slot for slot, (was, now) in enumerate(zip(before.blobs, after.blobs, strict=True)) if was != now]
    return changed if 0 < len(changed) <= MOST else None


def kinds_and_ids(before: Any, after: Any, changed: list[int]) -> tuple[set[str], bool]:
    """The kinds of the records in the changed files, before and after; and whether the changed
    files hold the very same ids, of the same kinds, in the same order, and were readable before
    and after. Only then can no finding elsewhere about an id change: a write asks less (that no
    id went, gridctl.validate._changed_files), since it only asks whether an error is added, but
    a validate must also drop a finding that an id added fixed, see a file whose name excuses a
    reference become unreadable, and see which kind a twice-used id answers to first."""
    from gridctl.ledger.columns import UNREADABLE

    kinds: set[str] = set()
    same = True
    for slot in changed:
        was = [(before.e_kind[h], before.e_id[h]) for h in before.entry_range(slot)]
        now = [(after.e_kind[h], after.e_id[h]) for h in after.entry_range(slot)]
        kinds.update(kind for kind, _rid in was)
        kinds.update(kind for kind, _rid in now)
        same = same and was == now and not (before.flags[slot] | after.flags[slot]) & UNREADABLE
    return kinds, same


def checks_since(
    ledger: Any, before: Any, kept: dict[str, list[Problem]], today: dt.date
) -> dict[str, list[Problem]] | None:
    """Every ledger-wide check's findings on `ledger`, given `kept`, each check's findings on the
    ledger whose columns were `before`; None when they must all run (too many files changed, or
    other files, or a check's kept findings missing or a crash's)."""
    from gridctl.checks import GLOBAL, narrowed, run_each, touching

    changed = changed_slots(before, ledger.cols)
    if changed is None or any(name not in kept for name, _check in GLOBAL):
        return None
    kinds, same_ids = kinds_and_ids(before, ledger.cols, changed)
    plan = dict(narrowed(touching(GLOBAL, kinds), kinds, set(changed), same_ids))
    todo: list[tuple[str, Any]] = []
    for name, check in GLOBAL:
        planned = plan.get(name)
        if planned is None and not _crashed(kept[name]):
            continue  # it reads none of the changed kinds: its findings stand
        if planned is None or (isinstance(planned, partial) and _crashed(kept[name])):
            planned = check
        todo.append((name, planned))
    fresh = run_each(ledger, todo, today)
    scoped = {name for name, check in todo if isinstance(check, partial)}
    rels = {ledger.cols.files[slot] for slot in changed}
    out: dict[str, list[Problem]] = {}
    for name, _check in GLOBAL:
        if name not in fresh:
            out[name] = kept[name]
        elif name in scoped:  # the other files' findings stand; the changed files' are found again
            out[name] = [p for p in kept[name] if p.file not in rels] + fresh[name]
        else:
            out[name] = fresh[name]
    return out


def _crashed(found: list[Problem]) -> bool:
    """A check that crashed last time (GC900) runs whole again: its findings were cut short."""
    return any(p.code == "GC900" for p in found)
