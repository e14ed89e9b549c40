"""Counting shared by the monthly report, the unit summary and the assessment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridctl.model import Event
from gridctl.supervision.calendar import period_bounds
from gridctl.supervision.facts import Facts, step_day
from gridctl.supervision.limits import before, closing_step, deadline_of, is_escalated
from gridctl.supervision.table import rate


def percent(done: float, total: float) -> str:
    """done/total as a sentence says it (9.1%, or — when there was nothing to do); a table's cell is a `rate`."""
    share = rate(done, total)
    return "—" if share is None else str(share)  # 0.0% is a share, not nothing to do


def period_end(period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period's first day and the last day counted: its end, or today within the period.

    A period is a month (2026-03) or a year (2026).
    """
    first, last = period_bounds(period)
    return first, min(last, today)


@dataclass
class HazardCount:
    found: int = 0
    rectified: int = 0
    on_time: int = 0
    escalated: int = 0


def hazards(facts: Facts, events: list[Event], end: dt.date) -> HazardCount:
    out = HazardCount()
    for event in events:
        if event.type != facts.sup.time_limits.hazard_type:
            continue
        out.found += 1
        step = closing_step(event, facts.sup, end)  # as it stood at the end: closed later, still open then
        if step is not None:
            out.rectified += 1
            deadline = deadline_of(event, facts.sup, end)
            if deadline is None or before(step.at, deadline):
                out.on_time += 1
        if is_escalated(event, facts.sup, end):
            out.escalated += 1
    return out


def events_in(facts: Facts, first: dt.date, end: dt.date) -> list[Event]:
    return [e for e, _ in facts.events if first <= step_day(e.reported.at) <= end]


def formula(measures) -> str:  # type: ignore[no-untyped-def]
    """40×巡查完成率 + 30×… : how a score is made, printed under it."""
    return " + ".join(f"{m.weight:g}×{m.name}" for m in measures)
