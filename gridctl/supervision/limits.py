"""Time limits per event type and grade, and the traffic light of an event on a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridctl.model.event import Event
from gridctl.model.supervision import Supervision
from gridctl.supervision.calendar import WorkCalendar


def limit_days(sup: Supervision, event_type: str, grade: str | None) -> int | None:
    grade = grade or sup.time_limits.hazard_grade
    by_type = sup.time_limits.by_type.get(event_type, {})
    return by_type.get(grade, sup.time_limits.default.get(grade))


def deadline_for(sup: Supervision, event_type: str, grade: str | None, reported: dt.date) -> dt.date | None:
    days = limit_days(sup, event_type, grade)
    return None if days is None else WorkCalendar(sup.calendar).add(reported, days)


def day_of(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def closed_on(event: Event, sup: Supervision) -> dt.date | None:
    """The day the event reached a closed status, if it is closed now."""
    lc = sup.lifecycle
    if lc is None or event.status not in lc.closed:
        return None
    closing = {s.action for s in lc.steps if s.to in lc.closed}
    for step in reversed(event.timeline):
        if step.action in closing:
            return day_of(step.at)
    return day_of(event.timeline[-1].at) if event.timeline else None


def deadline_of(event: Event, sup: Supervision) -> dt.date | None:
    """The stored deadline (it may have been set by hand), else the rule's."""
    return event.deadline or deadline_for(sup, event.type, event.grade, day_of(event.reported.at))


@dataclass(frozen=True)
class Light:
    colour: str
    """green, yellow or red (open); escalated (handed upward); on_time or late (closed); none (no limit)."""
    deadline: dt.date | None
    left: int | None
    """Working days left (negative: overdue by), for open events with a deadline."""

    @property
    def overdue(self) -> bool:
        return self.colour in ("red", "late")


def light(event: Event, sup: Supervision, today: dt.date) -> Light:
    deadline = deadline_of(event, sup)
    closed = closed_on(event, sup)
    if deadline is None:
        return Light("none", None, None)
    if closed is not None:
        return Light("on_time" if closed <= deadline else "late", deadline, None)
    if sup.lifecycle is not None and event.status in sup.lifecycle.escalated:
        return Light("escalated", deadline, None)
    cal = WorkCalendar(sup.calendar)
    if today > deadline:
        return Light("red", deadline, -cal.between(deadline, today))
    left = cal.between(today, deadline)
    return Light("yellow" if left <= sup.time_limits.warn_days else "green", deadline, left)


def is_escalated(event: Event, sup: Supervision) -> bool:
    lc = sup.lifecycle
    if lc is None:
        return False
    actions = {s.action for s in lc.steps if s.to in lc.escalated}
    return event.status in lc.escalated or any(s.action in actions for s in event.timeline)
