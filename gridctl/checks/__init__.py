"""Ledger-wide checks. Each is `check(ledger, settings) -> Iterable[Problem]`, listed in REGISTRY.

A check that crashes becomes a GC900 problem, never a traceback; codes switched off in
gridctl.yaml (`disabled:`) are dropped after all checks ran.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from gridctl.checks import (
    ahead,
    assignments,
    attachments,
    closing,
    community,
    deadlines,
    folders,
    households,
    identity,
    names,
    people,
    photos,
    policy,
    references,
    responsibility,
    retired,
    status,
    timeline,
    tree,
)
from gridctl.ledger.index import Ledger
from gridctl.model.settings import Settings
from gridctl.problem import Problem

Check = Callable[[Ledger, Settings], Iterable[Problem]]

LOCAL: list[tuple[str, Check]] = [
    ("id_formats", identity.id_formats),
    ("resident_ids", people.resident_ids),
    ("phones", people.phones),
    ("credit_codes", people.credit_codes),
    ("rentals", community.rentals),
    ("floating_people", community.floating_people),
    ("closing_reviews", closing.closing_reviews),
    ("status_follows_timeline", status.status_follows_timeline),
    ("deadlines_in_order", deadlines.deadlines_in_order),
    ("buildings_without_head", community.buildings_without_head),
    ("households_without_head", households.households_without_head),
    ("households_with_two_heads", households.households_with_two_heads),
    ("lost_characters", names.lost_characters),
]
"""Checks whose findings depend on one record alone: run per file, and cached with the file."""

GLOBAL: list[tuple[str, Check]] = [
    ("unique_ids", identity.unique_ids),
    ("grid_codes", identity.grid_codes),
    ("references", references.references),
    ("photos", photos.photos),
    ("attached_files", attachments.attached_files),
    ("grid_tree", tree.grid_tree),
    ("leaf_grids", tree.leaf_grids),
    ("grid_folders", folders.grid_folders),
    ("retired_grids", retired.retired_grids),
    ("month_folders", folders.month_folders),
    ("responsibility", responsibility.responsibility),
    ("required_roles", responsibility.required_roles),
    ("assignments", assignments.assignments),
    ("one_person_one_record", people.one_person_one_record),
    ("grid_size", policy.grid_size),
    ("households_per_staff", policy.households_per_staff),
    ("natural_villages", policy.natural_villages),
    ("building_heads", community.building_heads),
    ("timeline_history", timeline.timeline_history),
    ("times_ahead", ahead.times_ahead),
]
"""Checks over the whole ledger: they read the index and its facts (and the few grids and staff)."""

REGISTRY: list[tuple[str, Check]] = [*LOCAL, *GLOBAL]

WARNINGS_ONLY = frozenset(
    {"grid_size", "households_per_staff", "natural_villages", "building_heads", "times_ahead", "assignments"}
)
"""Checks that can only warn (tests/test_checks.py reads their codes): a write, which asks only
whether its result adds an error, does not run them."""


def erring(checks: list[tuple[str, Check]]) -> list[tuple[str, Check]]:
    """The checks that can find an error."""
    return [(name, check) for name, check in checks if name not in WARNINGS_ONLY]


WARNING = WARNINGS_ONLY | {"responsibility", "required_roles"}
"""Checks that can warn (tests/test_checks.py finds every other check's findings errors, in every
golden case): the warnings a write adds are theirs and its files' own (gridctl.added)."""


def warning(checks: list[tuple[str, Check]]) -> list[tuple[str, Check]]:
    """The checks that can find a warning."""
    return [(name, check) for name, check in checks if name in WARNING]


GONE = "(a file gone)"
"""Not a kind: what a write that removes a file (a move renames one) touches, for the check that
asks whether a file a record names (a photo, an attachment) is there: any file, a record's too."""

READS: dict[str, frozenset[str]] = {
    "grid_codes": frozenset({"grid"}),
    "grid_tree": frozenset({"grid"}),
    "responsibility": frozenset({"grid", "staff"}),
    "required_roles": frozenset({"grid"}),
    "timeline_history": frozenset({"event"}),
    "times_ahead": frozenset({"event"}),
    "photos": frozenset({"staff", "place", GONE}),
    "attached_files": frozenset({"activity", "document", GONE}),
    "month_folders": frozenset({"event", "inspection", "visit", "activity"}),
    "building_heads": frozenset({"staff", "grid", "place"}),
    "assignments": frozenset({"household", "person", "staff", "grid"}),
}
"""The kinds of records a check reads, for the checks that read only some (the others read the
whole ledger). tests/test_checks.py changes records of every other kind and finds each of these
checks saying the same."""


def touching(checks: list[tuple[str, Check]], kinds: set[str]) -> list[tuple[str, Check]]:
    """The checks whose findings a change of records of these kinds may change: a write that
    edits a household need not ask whether the grid tree is still one tree (0.3 s at 100,000
    households)."""
    return [(name, check) for name, check in checks if name not in READS or READS[name] & kinds]


SCOPED: dict[str, frozenset[str]] = {
    "grid_folders": frozenset({"grid"}),
    "leaf_grids": frozenset({"grid"}),
    "references": frozenset(),
}
"""Checks each of whose findings is about one record, read against records of the kinds named
(its grid; for `references`, also every record's id and kind). A write that changes none of those
leaves every other file's findings as they were at HEAD, so these checks read only the records of
the files it changes (`slots=`): 35 ms of a one-field edit at 12,000 households. tests/test_checks.py
makes changes of every sort and finds a write's narrowed checks adding exactly the errors the whole
checks add."""


def narrowed(
    checks: list[tuple[str, Check]], kinds: set[str], slots: set[int], ids_kept: bool
) -> list[tuple[str, Check]]:
    """The checks as a write needs them, when only `kinds` of records changed, in the files at
    `slots`: the SCOPED ones read those files alone. `ids_kept`: no id a record elsewhere may point
    at went, changed kind, or came again under another kind (references reads every id otherwise)."""
    from functools import partial

    out: list[tuple[str, Check]] = []
    for name, check in checks:
        tables = SCOPED.get(name)
        if tables is None or tables & kinds or (name == "references" and not ids_kept):
            out.append((name, check))
        else:
            out.append((name, partial(check, slots=slots)))
    return out


DATED = frozenset({"responsibility", "times_ahead", "assignments"})
"""Checks about dates (a contract that ended, a time still to come, a role not yet begun): they take
the ledger's day as `today=`."""


def run(ledger: Ledger, checks: list[tuple[str, Check]], today: dt.date | None = None) -> list[Problem]:
    """The checks' problems; `today` is the ledger's day (default: today on the ledger's clock)."""
    return [p for found in run_each(ledger, checks, today).values() for p in found]


def run_each(ledger: Ledger, checks: list[tuple[str, Check]], today: dt.date | None = None) -> dict[str, list[Problem]]:
    """Each check's problems by its name (a validate keeps them to reuse those a later change
    cannot alter: gridctl.checks.since)."""
    if today is None:
        from gridctl.ledger.clock import Clock

        today = Clock.system(ledger.settings.timezone).today()
    out: dict[str, list[Problem]] = {}
    for name, check in checks:
        found = out[name] = []
        try:
            if name in DATED:
                found.extend(check(ledger, ledger.settings, today=today))  # type: ignore[call-arg]
            else:
                found.extend(check(ledger, ledger.settings))
        except Exception as exc:
            found.append(Problem("GC900", "gridctl.yaml", {"check": name, "detail": f"{type(exc).__name__}: {exc}"}))
    return out


def run_local(make: Callable[[], Ledger], files: list[tuple[str, list[Any]]]) -> dict[str, list[Problem]]:
    """The LOCAL checks' findings of each file, for many files in one run: each finding is about one
    record, so a ledger of the files' records together finds, file by file, what one of each file
    finds, in the same order. Run per file, the checks' own set-up cost a cold validate 0.08 ms a
    file and check (1.3 s of CPU at 12,000 households, 11 s at 100,000). A check that crashes
    (GC900, which names no file) is run again file by file, so its crash is each file's as before.
    `make`: an empty ledger of the ledger's root and settings."""
    together = make()
    for _rel, entries in files:
        for entry in entries:
            together.add(entry)
    found = run(together, LOCAL)
    out: dict[str, list[Problem]] = {rel: [] for rel, _entries in files}
    if all(p.code != "GC900" and p.file in out for p in found) and len(out) == len(files):
        for p in found:
            out[p.file].append(p)
        return out
    for rel, entries in files:
        alone = make()
        for entry in entries:
            alone.add(entry)
        out[rel] = run(alone, LOCAL)
    return out


def run_checks(ledger: Ledger, today: dt.date | None = None) -> list[Problem]:
    return run(ledger, REGISTRY, today)
