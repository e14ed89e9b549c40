"""Checks across a town's units: what no single unit can see.

GC600 one person (by ID number) registered in two units; GC601 one staff member (by phone)
responsible in more units than the plan allows (`policy.units_per_staff` in the town's gridctl.yaml).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from gridctl.model import Grid, Household, Staff
from gridctl.model.settings import Settings
from gridctl.problem import Problem
from gridctl.units.rollup import UnitLedger


def cross_unit(units: list[UnitLedger], settings: Settings) -> Iterator[tuple[str, Problem]]:
    """(unit name, problem) of the checks across units; a code the town's gridctl.yaml switches off
    (`disabled:`) is off here too, as in a single ledger (validate and status alike read this)."""
    disabled = set(settings.disabled)
    for name, problem in (*_people(units), *_staff(units, settings.policy.units_per_staff)):
        if problem.code not in disabled:
            yield name, problem


def cross_counts(units: list[UnitLedger], settings: Settings) -> dict[str, Counter[str]]:
    """Errors and warnings of the cross-unit checks by unit code: the town's status counts them with
    each unit's own, as validate does (they were left out: 1 error beside validate's 195)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for name, problem in cross_unit(units, settings):
        out[name]["errors" if problem.severity == "error" else "warnings"] += 1
    return dict(out)


def _people(units: list[UnitLedger]) -> Iterator[tuple[str, Problem]]:
    seen: dict[str, list[tuple[UnitLedger, str, int, tuple[str | int, ...], str]]] = defaultdict(list)
    for u in units:
        for number, src, pid in _registered(u):
            seen[number].append((u, src.file, src.doc, src.path, pid))
    for number, where in seen.items():
        if len({w[0].unit.name for w in where}) < 2:
            continue
        for u, file, doc, path, pid in where:
            other = next(w for w in where if w[0].unit.name != u.unit.name)
            args = {"value": number, "unit": u.label, "other_unit": other[0].label, "other": other[0].path(other[1])}
            yield u.unit.name, Problem("GC600", file, args, doc=doc, path=(*path, "id_number"), record=pid)


def _registered(u: UnitLedger) -> Iterator[tuple[str, Any, str]]:
    """(ID number in capitals, source, person id) of everyone living in the unit now.

    Read from the index's ID numbers and the households' cached rows: typed records of 276,000
    people of a town took half a minute. A unit whose numbers are keyed hashes (an encrypted
    ledger) is read from its typed records, whose numbers are opened where a key opens them."""
    ledger = u.ledger
    numbers = list(ledger.id_numbers())
    if any(number.startswith("hmac:") for _handle, number in numbers):
        retired = {h.id for h, _ in ledger.records(Household) if h.retired is not None}
        for person, household, src in ledger.people():
            if person.id_number and person.retired is None and household not in retired:
                yield person.id_number.upper(), src, person.id
        return
    rows = {entry.id: row for entry, row in ledger.rows(Household.kind_name)}
    for handle, number in numbers:
        entry = ledger.entry_at(handle)
        row = rows.get(entry.household or "")
        path = entry.source.path
        if row is None:  # the household failed its schema: the person as validated alone
            person = entry.record
            if person is not None and person.retired is None:
                yield number, entry.source, entry.id
            continue
        members = row.plain("members") or []
        member = members[path[1]] if len(path) == 2 and isinstance(path[1], int) and path[1] < len(members) else {}
        if row.plain("retired") is None and not member.get("retired"):
            yield number, entry.source, entry.id


def _staff(units: list[UnitLedger], allowed: int | None) -> Iterator[tuple[str, Problem]]:
    if allowed is None:
        return
    where: dict[str, dict[str, tuple[UnitLedger, Staff, str, int]]] = defaultdict(dict)
    for u in units:
        responsible = {r.staff for g, _ in u.ledger.records(Grid) for r in g.responsible}
        for staff, src in u.ledger.records(Staff):
            if staff.id in responsible and staff.phone and staff.is_active:
                where[str(staff.phone)].setdefault(u.unit.name, (u, staff, src.file, src.doc))
    for phone, by_unit in where.items():
        if len(by_unit) <= allowed:
            continue
        labels = "、".join(u.label for u, *_ in by_unit.values())
        for name, (_u, staff, file, doc) in by_unit.items():
            args = {"name": staff.name, "phone": phone, "count": len(by_unit), "units": labels, "max": allowed}
            yield name, Problem("GC601", file, args, doc=doc, path=("phone",), record=staff.id)
