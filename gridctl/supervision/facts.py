"""The records supervision reads, gathered once: events, inspections, staff, the grids to inspect.

A grid is inspected from the day it has someone to inspect it: the earliest `since` of its chief
or workers, else the day its file entered git. Days before that are never counted as missed.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from gridctl.ledger.index import Ledger, Source
from gridctl.model import Event, Grid, Household, Inspection, Staff, Visit
from gridctl.model.household import lived_in
from gridctl.supervision.calendar import SchoolDays, WorkCalendar, data_warning, days


@dataclass
class Facts:
    ledger: Ledger
    events: list[tuple[Event, Source]] = field(default_factory=list)
    inspections: list[tuple[Inspection, Source]] = field(default_factory=list)
    staff: dict[str, Staff] = field(default_factory=dict)
    grids: dict[str, Grid] = field(default_factory=dict)
    households: list[Any] = field(default_factory=list)
    """Active households someone lives in (gridctl.model.household.lived_in), as rows
    (gridctl.ledger.rows: id, grid, tags, assigned_to, and members' id, tags, residence and
    retirement): at 100,000 households, typed records take half a minute."""
    visits: list[Visit] = field(default_factory=list)
    grid_files: dict[str, str] = field(default_factory=dict)
    activities: list[Any] | None = None
    """Read on first use (gridctl.supervision.requirements)."""
    documents: list[Any] | None = None
    subtrees: dict[str, set[str]] = field(default_factory=dict)

    @property
    def sup(self):  # type: ignore[no-untyped-def]
        return self.ledger.settings.supervision

    @cached_property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.sup.calendar)

    @cached_property
    def school(self) -> SchoolDays:
        return SchoolDays(self.calendar, self.ledger.settings.calendar)

    def inspected_grids(self, under: str | None = None, first: dt.date | None = None) -> list[Grid]:
        """Grids of the levels inspected daily, optionally only those below `under`: the ones in use,
        or given `first`, also one retired after it (a past month still counts the days it served)."""
        levels = set(self.sup.inspections.levels)
        out = [g for g in self.grids.values() if g.level in levels and self.in_use_from(g, first)]
        if under is not None:
            out = [g for g in out if under in self.chain(g.id)]
        return sorted(out, key=lambda g: g.id)

    @staticmethod
    def in_use_from(grid: Grid, first: dt.date | None = None) -> bool:
        """Whether the grid was in use on some day from `first` on (None: now). A retired grid is
        supervised up to the day before its retirement's date."""
        if first is None or grid.retired is None:
            return grid.is_active
        return first < grid.retired.date

    def chain(self, grid: str) -> list[str]:
        """The grid and every grid above it."""
        out: list[str] = []
        node: str | None = grid
        while node is not None and node in self.grids and node not in out:
            out.append(node)
            node = self.grids[node].parent
        return out

    def is_due_day(self, day: dt.date) -> bool:
        """Whether a daily inspection is due on `day` (working day, school day or every day)."""
        on = self.sup.inspections.on
        if on == "every_day":
            return True
        if on == "school_days":
            return self.school.is_school_day(day)
        return self.calendar.is_workday(day)

    def previous_due_day(self, day: dt.date, limit: int = 400) -> dt.date | None:
        for _ in range(limit):
            day -= dt.timedelta(days=1)
            if self.is_due_day(day):
                return day
        return None

    def required_days(self, start: dt.date, end: dt.date, grid: str | None = None, staff: str | None = None) -> list:
        """Days an inspection was due in start..end, from the day the grid (or `staff` there) began;
        for `staff`, only the days they held a role there and had not left."""
        begin = self.start_of(grid, staff) if grid else None
        if begin is not None and begin > start:
            start = begin
        retired = self.grids[grid].retired if grid in self.grids else None
        if retired is not None and retired.date <= end:  # its last day is the one before
            end = retired.date - dt.timedelta(days=1)
        due = [d for d in days(start, end) if self.is_due_day(d)]
        if grid is None or staff is None or grid not in self.grids:
            return due
        return [d for d in due if self.serving(self.grids[grid], staff, d)]

    def serving(self, grid: Grid, staff: str, day: dt.date, roles: set[str] | None = None) -> bool:
        """Whether `staff` held one of `roles` (default: chief and worker roles) in `grid` on `day` and
        had not left (their retirement's date): a past day is judged by who was responsible then."""
        if not self.here_on(staff, day):
            return False
        roles = roles if roles is not None else self._duty_roles
        return any(r.staff == staff and r.role in roles for r in grid.held(day))

    def here_on(self, staff: str, day: dt.date) -> bool:
        """Whether `staff` was still in post on `day`: retired on a later day (retiring also sets
        `active: false`), or active and not retired."""
        s = self.staff.get(staff)
        if s is None:
            return False
        if s.retired is not None:
            return day < s.retired.date
        return s.is_active

    def served(self, staff: str, first: dt.date) -> bool:
        """Whether `staff` was in post on some day from `first` on (a report on a month before they left)."""
        s = self.staff.get(staff)
        if s is None:
            return False
        return s.retired.date > first if s.retired is not None else s.is_active

    @cached_property
    def _duty_roles(self) -> set[str]:
        policy = self.ledger.settings.policy
        return {policy.chief_role, *policy.worker_roles}

    def start_of(self, grid: str, staff: str | None = None) -> dt.date | None:
        """When supervision of the grid (or of `staff` in it) begins; None: as far back as asked."""
        g = self.grids.get(grid)
        if g is None:
            return None
        roles = {self.ledger.settings.policy.chief_role, *self.ledger.settings.policy.worker_roles}
        held = [r for r in (*g.responsible, *g.former) if r.role in roles and (staff is None or r.staff == staff)]
        known = [r.since for r in held if r.since is not None]
        if held and len(known) == len(held):
            return min(known)
        entered = self._entered.get(self.grid_files.get(grid, ""))
        return dt.date.fromisoformat(entered.day) if entered else None

    @cached_property
    def _entered(self):  # type: ignore[no-untyped-def]
        from gridctl.ledger.clock import Clock
        from gridctl.supervision.entries import entered, history_of

        clock = Clock.system(self.ledger.settings.timezone)
        return entered(self.ledger.root, clock, ("grids",), history_of(self.ledger))

    @cached_property
    def care_began(self) -> dict[str, dict[str, str | None]]:
        """The day each household's care groups began (gridctl.history.caregroups), read only when
        a visit may be due: a group given yesterday is not due from the grid's start."""
        from gridctl.history.caregroups import began
        from gridctl.history.opened import vault_here
        from gridctl.ledger.clock import Clock
        from gridctl.ledger.files import GitTree
        from gridctl.model.aliases import merged

        source, revision = self.ledger.source, "HEAD"
        if isinstance(source, GitTree):
            if source.scope:  # a town's unit kept in the town's repository: no history of its own to walk
                return {}
            revision = source.commit
        settings = self.ledger.settings
        words = merged(settings.vocabularies, settings.aliases).get("care_groups", {})
        root = self.ledger.root
        return began(root, Clock.system(settings.timezone), revision, words, lambda: vault_here(root))

    def notes(self, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
        """(zh, en) warnings a report over start..end must carry: calendar data, missing terms."""
        out = []
        warning = data_warning(self.calendar, start, end)
        if warning:
            out.append(warning)
        if self.sup.inspections.on == "school_days" and not self.school.has_terms:
            out.append(
                (
                    "gridctl.yaml 未设置校历 (calendar: terms)，巡查按工作日计算，寒暑假也计入",
                    "gridctl.yaml has no school calendar (calendar: terms): inspections count every working day",
                )
            )
        elif self.school.has_terms and end > max(t.end for t in self.ledger.settings.calendar.terms):
            last = max(t.end for t in self.ledger.settings.calendar.terms)
            if not any(v.start <= end <= v.end for v in self.ledger.settings.calendar.vacations):
                out.append(
                    (
                        f"校历只到 {last}，{end} 不在任何学期内：请在 gridctl.yaml 的 calendar.terms 中添加新学期",
                        f"the school calendar ends on {last}; {end} is in no term: add the new term to calendar.terms",
                    )
                )
        return out

    def warnings(self, start: dt.date, end: dt.date) -> list[str]:
        """The notes a printed report over start..end carries (in Chinese, as the reports are)."""
        return [zh for zh, _en in self.notes(start, end)]

    def has_due_days(self, start: dt.date, end: dt.date) -> bool:
        """Whether any daily inspection was due in start..end (a month of vacation has none)."""
        return any(self.is_due_day(d) for d in days(start, end))

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

    def grids_of(self, staff: str, first: dt.date | None = None, end: dt.date | None = None) -> list[Grid]:
        """Inspected grids where `staff` holds a worker role (policy.worker_roles); given a period,
        where they held one on some day of first..end (a month before a handover is its own)."""
        roles = set(self.ledger.settings.policy.worker_roles)

        def held(g: Grid) -> list:
            return g.responsible if first is None or end is None else g.held_between(first, end)

        return [
            g for g in self.inspected_grids(first=first) if any(r.staff == staff and r.role in roles for r in held(g))
        ]

    def name(self, grid: str) -> str:
        """The grid's name, after its parent's when another grid has the same name (一年级 of two schools)."""
        g = self.grids.get(grid)
        if g is None:
            return grid
        if self._same_names.get(g.name, 0) > 1 and g.parent in self.grids:
            return f"{self.grids[g.parent].name}{g.name}"
        return g.name

    @cached_property
    def _same_names(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for g in self.grids.values():
            if g.is_active:
                counts[g.name] += 1
        return counts

    @cached_property
    def home_grids(self) -> dict[str, str]:
        """Household id → its grid, for every household (retired or emptied too): a visit made before
        its people died or left still counts for the grid that made it."""
        c = self.ledger.cols
        return {c.e_id[h]: g for h, g, _active in self.ledger.holdings() if c.e_kind[h] == "household"}

    def staff_name(self, staff: str) -> str:
        s = self.staff.get(staff)
        return s.name if s else staff


_GATHERED: weakref.WeakKeyDictionary[Ledger, tuple[int, Facts]] = weakref.WeakKeyDictionary()


def gather(ledger: Ledger) -> Facts:
    """The facts of a ledger, gathered once per ledger read: `due` asks twice (the list and its
    notes), and at 100,000 households each gathering reads 100,000 households' rows."""
    found = _GATHERED.get(ledger)
    if found is not None and found[0] == ledger.size:
        return found[1]
    facts = _gather(ledger)
    _GATHERED[ledger] = (ledger.size, facts)
    return facts


def _gather(ledger: Ledger) -> Facts:
    facts = Facts(ledger)
    facts.events = sorted(ledger.records(Event), key=lambda r: r[0].id)
    facts.inspections = sorted(ledger.records(Inspection), key=lambda r: (r[0].date, r[0].id))
    facts.staff = {s.id: s for s, _ in ledger.records(Staff)}
    facts.grids = ledger.grids()
    facts.grid_files = {g.id: src.file for g, src in ledger.records(Grid)}
    facts.households = [
        h for _e, h in ledger.rows(Household.kind_name) if h.is_active and lived_in(h.plain("members") or ())
    ]
    facts.visits = sorted((v for v, _ in ledger.records(Visit)), key=lambda v: (v.date, v.id))
    return facts


def step_day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
