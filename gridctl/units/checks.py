"""Checks across a town's units: what no single unit can see.

GC600 one person (by ID number) registered in two units; GC601 one staff member (by phone)
responsible in more units than the plan allows (`policy.units_per_staff` in the town's gridctl.yaml).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from gridctl.model import Grid, Household, Staff
from gridctl.model.settings import Settings
from gridctl.problem import Problem
from gridctl.units.rollup import UnitLedger


def cross_unit(units: list[UnitLedger], settings: Settings) -> Iterator[tuple[str, Problem]]:
    yield from _people(units)
    yield from _staff(units, settings.policy.units_per_staff)


def _people(units: list[UnitLedger]) -> Iterator[tuple[str, Problem]]:
    seen: dict[str, list[tuple[UnitLedger, str, int, tuple[str | int, ...], str]]] = defaultdict(list)
    for u in units:
        retired = {h.id for h, _ in u.ledger.records(Household) if h.retired is not None}
        for person, household, src in u.ledger.people():
            if person.id_number and person.retired is None and household not in retired:
                seen[person.id_number.upper()].append((u, src.file, src.doc, src.path, person.id))
    for number, where in seen.items():
        if len({w[0].unit.name for w in where}) < 2:
            continue
        for u, file, doc, path, pid in where:
            other = next(w for w in where if w[0].unit.name != u.unit.name)
            args = {"value": number, "unit": u.label, "other_unit": other[0].label, "other": other[0].path(other[1])}
            yield u.unit.name, Problem("GC600", file, args, doc=doc, path=(*path, "id_number"), record=pid)


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
