"""Time limits per event type and grade, and the traffic light of an event on a given day.

A limit is working days (an int; 0 = the same day, 立即整改) or clock hours ("4h": an accident is
handled within hours, nights and holidays included). An accident type may also have to be
reported upward within hours of when it happened (`escalate_within`, 事故报告制度).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gridctl.model.supervision import Supervision
from gridctl.supervision.calendar import WorkCalendar, data_warning

if TYPE_CHECKING:  # list and status read rows through row_deadline: no event model built for them
    from gridctl.model.event import Event

_HOURS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*h\s*$")
Moment = dt.date | dt.datetime


def parse_limit(value: int | str | None) -> int | dt.timedelta | None:
    """3 → 3 working days; "4h" → four hours; None → no limit."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    m = _HOURS.match(str(value))
    if m:
        return dt.timedelta(hours=float(m.group(1)))
    return int(str(value))


def limit_of(sup: Supervision, event_type: str, grade: str | None) -> int | dt.timedelta | None:
    grade = grade or sup.time_limits.hazard_grade
    by_type = sup.time_limits.by_type.get(event_type, {})
    return parse_limit(by_type.get(grade, sup.time_limits.default.get(grade)))


def limit_days(sup: Supervision, event_type: str, grade: str | None) -> int | None:
    """The limit in working days, or None for none (or for an hours limit)."""
    limit = limit_of(sup, event_type, grade)
    return limit if isinstance(limit, int) else None


def deadline_for(sup: Supervision, event_type: str, grade: str | None, reported: Moment) -> Moment | None:
    limit = limit_of(sup, event_type, grade)
    if limit is None:
        return None
    if isinstance(limit, dt.timedelta):
        return moment(reported) + limit
    return WorkCalendar(sup.calendar).add(day_of(reported), limit)


def counted_past_data(sup: Supervision, start: Moment, deadline: Moment | None) -> tuple[str, str] | None:
    """(zh, en) for a deadline in working days that run past the holidays the installed calendar knows:
    said where it is written (event report, 上级受理) and shown (event steps), not only later by `due`."""
    if deadline is None or isinstance(deadline, dt.datetime):
        return None
    warning = data_warning(WorkCalendar(sup.calendar), day_of(start), deadline)
    if warning is None:
        return None
    zh, en = warning
    return f"办理期限 {deadline}：{zh.removeprefix('注意: ')}", f"deadline {deadline}: {en.removeprefix('note: ')}"


def escalate_deadline(sup: Supervision, event: Event) -> dt.datetime | None:
    """By when an accident must be 上报上级: hours from when it happened (or was reported)."""
    hours = sup.time_limits.escalate_within.get(event.type, {})
    limit = parse_limit(hours.get(event.grade or sup.time_limits.hazard_grade))
    if limit is None:
        return None
    if isinstance(limit, int):
        limit = dt.timedelta(hours=limit)
    return moment(event.occurred or event.reported.at) + limit


def day_of(value: Moment) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def moment(value: Moment) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59))


def closing_step(event: Event, sup: Supervision, until: dt.date | None = None):  # type: ignore[no-untyped-def]
    """The timeline step that closed the event, if it is closed now (or at the end of `until`).

    A report for a past month reads the event as it stood then: closed in the next month, it was
    still open (and perhaps overdue) at the month's end; closed then and reopened since, it was closed.
    """
    lc = sup.lifecycle
    if lc is None:
        return None
    if until is not None and any(day_of(s.at) > until for s in event.timeline):
        return _closing_then(event, sup, until)
    if event.status not in lc.closed:
        return None
    closing = {s.action for s in lc.steps if s.to in lc.closed}
    for step in reversed(event.timeline):
        if step.action in closing:
            return step
    return event.timeline[-1] if event.timeline else None


def status_at(event: Event, sup: Supervision, until: dt.date) -> str:
    """The event's status at the end of `until`, replayed from its timeline (its status when nothing came after)."""
    lc = sup.lifecycle
    if lc is None or not any(day_of(s.at) > until for s in event.timeline):
        return event.status
    moves = {t.action: t.to for t in lc.steps if t.to is not None}
    status = lc.initial
    for step in event.timeline:
        if day_of(step.at) > until:
            break
        status = moves.get(step.action, status)
    return status


def _closing_then(event: Event, sup: Supervision, until: dt.date):  # type: ignore[no-untyped-def]
    lc = sup.lifecycle
    assert lc is not None
    if status_at(event, sup, until) not in lc.closed:
        return None
    closing = {s.action for s in lc.steps if s.to in lc.closed}
    return next((s for s in reversed(event.timeline) if day_of(s.at) <= until and s.action in closing), None)


def closed_on(event: Event, sup: Supervision, until: dt.date | None = None) -> dt.date | None:
    """The day the event reached a closed status, if it is closed now (or at the end of `until`)."""
    step = closing_step(event, sup, until)
    return day_of(step.at) if step is not None else None


def deadline_of(event: Event, sup: Supervision, until: dt.date | None = None) -> Moment | None:
    """The deadline that holds now (or at the end of `until`): the one set by the last acceptance of an
    escalation (上级受理) by then, else the stored one (it may have been set by hand), else the rule's."""
    for step in reversed(event.timeline):
        if step.deadline is not None and (until is None or day_of(step.at) <= until):
            return step.deadline
    return event.deadline or deadline_for(sup, event.type, event.grade, event.reported.at)


def row_deadline(row: Any, sup: Supervision) -> str | None:
    """`deadline_of` for an event's row (its JSON form, as list and status read it), in that form:
    an event written without `deadline:` (by hand, or imported) is due when a reported one would be."""
    for step in reversed(row.get("timeline") or ()):
        if step.get("deadline") is not None:
            return str(step.get("deadline"))
    if row.get("deadline") is not None:
        return str(row.get("deadline"))
    reported = row.get("reported")
    at = reported.get("at") if reported is not None else None
    if at is None:
        return None
    start = dt.datetime.fromisoformat(at) if "T" in str(at) else dt.date.fromisoformat(str(at))
    rule = deadline_for(sup, str(row.get("type")), row.get("grade"), start)
    return None if rule is None else rule.isoformat()


def row_after(value: Any, day: dt.date) -> bool:
    """A row's time (ISO: 2027-03-24T10:00:00, or a day) on a day after `day`."""
    return value is not None and str(value)[:10] > str(day)


def row_reported_after(row: Any, day: dt.date) -> bool:
    """An event's row reported on a day after `day`: a slip of the year (GC402) that `due` lists on no
    day before it, and status never counts overdue."""
    reported = row.get("reported")
    return isinstance(reported, dict) and row_after(reported.get("at"), day)


def row_status_at(row: Any, sup: Supervision, until: dt.date) -> str:
    """`status_at` for an event's row: a step dated after `until` (2027 for 2026) has not happened by
    then, so an event closed by such a step is still open, in status as in due."""
    lc = sup.lifecycle
    steps = [s for s in row.get("timeline") or () if isinstance(s, dict)]
    if lc is None or not any(row_after(s.get("at"), until) for s in steps):
        return str(row.get("status"))
    moves = {t.action: t.to for t in lc.steps if t.to is not None}
    status = lc.initial
    for step in steps:
        if row_after(step.get("at"), until):
            break
        status = moves.get(str(step.get("action")), status)
    return status


def before(done: Moment, deadline: Moment) -> bool:
    """Done by the deadline: a day deadline lasts the whole day; an hours deadline to the minute, and a
    step known only by its day (`--date`) may have been at its last minute, so is on time only if that is."""
    if isinstance(deadline, dt.datetime):
        return (done if isinstance(done, dt.datetime) else end_of(done)) <= deadline
    return day_of(done) <= deadline


@dataclass(frozen=True)
class Light:
    colour: str
    """green, yellow or red (open); escalated (handed upward); on_time or late (closed); none (no limit);
    ahead (reported on a day still to come: `event steps`)."""
    deadline: Moment | None
    left: int | None
    """Working days left (negative: overdue by), for open events with a day deadline."""
    hours: float | None = None
    """Hours left (negative: overdue by), for open events with an hours deadline."""

    @property
    def overdue(self) -> bool:
        return self.colour in ("red", "late")


def light(
    event: Event, sup: Supervision, today: dt.date, now: dt.datetime | None = None, handed_up: bool = True
) -> Light:
    """The event's light on `today` (at `now`, for hours limits; default: the end of the day);
    `handed_up=False`: as an open event's even when escalated (one gone outside the ledger is still
    the grid's to follow up)."""
    deadline = deadline_of(event, sup, today)
    step = closing_step(event, sup, today)
    if deadline is None:
        return Light("none", None, None)
    if step is not None:
        return Light("on_time" if before(step.at, deadline) else "late", deadline, None)
    if handed_up and sup.lifecycle is not None and status_at(event, sup, today) in sup.lifecycle.escalated:
        return Light("escalated", deadline, None)
    if isinstance(deadline, dt.datetime):
        at = now if now is not None and now.date() == today else end_of(today)
        hours = round((deadline - at).total_seconds() / 3600, 1)
        colour = "red" if hours < 0 else "yellow" if hours <= 24 * sup.time_limits.warn_days else "green"
        return Light(colour, deadline, None, hours)
    cal = WorkCalendar(sup.calendar)
    if today > deadline:
        return Light("red", deadline, -cal.between(deadline, today))
    left = cal.between(today, deadline)
    return Light("yellow" if left <= sup.time_limits.warn_days else "green", deadline, left)


def is_escalated(event: Event, sup: Supervision, until: dt.date | None = None) -> bool:
    """Handed upward, now or at any time (up to the end of `until`)."""
    lc = sup.lifecycle
    if lc is None:
        return False
    actions = {s.action for s in lc.steps if s.to in lc.escalated}
    steps = [s for s in event.timeline if until is None or day_of(s.at) <= until]
    status = event.status if until is None else status_at(event, sup, until)
    return status in lc.escalated or any(s.action in actions for s in steps)


def when(value: Moment | None) -> str:
    """A deadline as a clerk reads it: 2026-03-05, or 2026-03-05 11:30."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return value.isoformat()
