"""The records supervision reads, gathered once: events, inspections, staff, the grids to inspect."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from gridctl.ledger.index import Ledger, Source
from gridctl.model import Event, Grid, Household, Inspection, Staff, Visit
from gridctl.supervision.calendar import WorkCalendar, days


@dataclass
class Facts:
    ledger: Ledger
    events: list[tuple[Event, Source]] = field(default_factory=list)
    inspections: list[tuple[Inspection, Source]] = field(default_factory=list)
    staff: dict[str, Staff] = field(default_factory=dict)
    grids: dict[str, Grid] = field(default_factory=dict)
    households: list[Household] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)

    @property
    def sup(self):  # type: ignore[no-untyped-def]
        return self.ledger.settings.supervision

    @property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.sup.calendar)

    def inspected_grids(self, under: str | None = None) -> list[Grid]:
        """Active grids of the levels inspected daily, optionally only those below `under`."""
        levels = set(self.sup.inspections.levels)
        out = [g for g in self.grids.values() if g.level in levels and g.is_active]
        if under is not None:
            out = [g for g in out if under in self.chain(g.id)]
        return sorted(out, key=lambda g: g.id)

    def chain(self, grid: str) -> list[str]:
        """The grid and every grid above it."""
        out: list[str] = []
        node: str | None = grid
        while node is not None and node in self.grids and node not in out:
            out.append(node)
            node = self.grids[node].parent
        return out

    def required_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        if self.sup.inspections.on == "every_day":
            return list(days(start, end))
        cal = self.calendar
        return [d for d in days(start, end) if cal.is_workday(d)]

    def inspected(self) -> dict[str, set[dt.date]]:
        """Days each grid was inspected (any checklist)."""
        out: dict[str, set[dt.date]] = defaultdict(set)
        for ins, _ in self.inspections:
            out[ins.grid].add(ins.date)
        return out

    def workers(self, grid: Grid) -> list[str]:
        """Staff holding a worker or chief role in the grid itself."""
        roles = set(self.ledger.settings.policy.staff_roles)
        return list(dict.fromkeys(r.staff for r in grid.responsible if r.role in roles))

    def grids_of(self, staff: str) -> list[Grid]:
        """Inspected grids where `staff` holds a worker role (policy.worker_roles)."""
        roles = set(self.ledger.settings.policy.worker_roles)
        return [g for g in self.inspected_grids() if any(r.staff == staff and r.role in roles for r in g.responsible)]

    def name(self, grid: str) -> str:
        g = self.grids.get(grid)
        return g.name if g else grid

    def staff_name(self, staff: str) -> str:
        s = self.staff.get(staff)
        return s.name if s else staff


def gather(ledger: Ledger) -> Facts:
    facts = Facts(ledger)
    facts.events = sorted(ledger.records(Event), key=lambda r: r[0].id)
    facts.inspections = sorted(ledger.records(Inspection), key=lambda r: (r[0].date, r[0].id))
    facts.staff = {s.id: s for s, _ in ledger.records(Staff)}
    facts.grids = ledger.grids()
    facts.households = [h for h, _ in ledger.records(Household) if h.is_active]
    facts.visits = sorted((v for v, _ in ledger.records(Visit)), key=lambda v: (v.date, v.id))
    return facts


def step_day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
