"""The deadlines an event carries, which one holds now, and how a light reads: `event steps` and `due`.

An event has its own deadline (办理期限: set when it was reported, or the rule's when the record has
none) and perhaps steps with their own (本环节期限: set when an escalation was accepted). The last
one by now holds, as `deadline_of` decides and `due` and `status` count; the ones it replaced bind
no more and are never overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridctl.model.event import Event
from gridctl.model.supervision import Supervision
from gridctl.supervision.limits import Light, Moment, counted_past_data, day_of, deadline_for, light


@dataclass(frozen=True)
class Held:
    """One deadline of an event: its own (step None) or a step's."""

    step: int | None
    """The timeline step (1 = the report) that set it; None for the event's own."""
    action: str | None
    at: Moment
    """When it runs from: the report, or the step."""
    deadline: Moment
    by_rule: bool
    """Not in the record: the time limits in gridctl.yaml give it."""
    in_force: bool
    overdue: bool


@dataclass(frozen=True)
class Deadlines:
    light: Light
    held: list[Held]
    notes: tuple[tuple[str, str], ...] = ()
    """(zh, en): deadlines counted in working days past the holidays the installed calendar knows."""

    @property
    def in_force(self) -> Held | None:
        return next((h for h in self.held if h.in_force), None)

    def as_json(self) -> dict[str, object]:
        """The deadline that holds and how it stands (as `due` gives it), then every deadline."""
        lt, holds = self.light, self.in_force
        counted = lt.colour in ("red", "yellow", "green")
        return {
            "deadline": holds.deadline.isoformat() if holds else None,
            "light": lt.colour,
            "overdue": lt.overdue,
            **dict.fromkeys(("days_left", "days_late", "hours_left", "hours_late")),
            **(lateness(lt.left, lt.hours, lt.colour == "red") if counted else {}),
            "notes": [en for _zh, en in self.notes],
            "deadlines": [
                {
                    "step": h.step,
                    "action": h.action,
                    "from": h.at.isoformat(),
                    "deadline": h.deadline.isoformat(),
                    "by_rule": h.by_rule,
                    "in_force": h.in_force,
                    "overdue": h.overdue,
                }
                for h in self.held
            ],
        }


def deadlines(event: Event, sup: Supervision, today: dt.date, now: dt.datetime | None = None) -> Deadlines:
    """The event's deadlines on `today` (at `now`, for hours limits), the one that holds marked. An
    event reported on a day still to come (a slip of the year, GC402) is no one's to be late with
    yet, as `status` and `due` read it: its light is `ahead`, none of its deadlines in force."""
    lt = light(event, sup, today, now)
    if day_of(event.reported.at) > today:
        lt = Light("ahead", None, None)
    found: list[tuple[int | None, str | None, Moment, Moment, bool]] = []
    own = event.deadline or deadline_for(sup, event.type, event.grade, event.reported.at)
    if own is not None:
        found.append((None, None, event.reported.at, own, event.deadline is None))
    for n, step in enumerate(event.timeline, 1):
        if step.deadline is not None:
            found.append((n, str(step.action), step.at, step.deadline, False))
    holds = None
    if lt.deadline is not None:  # the last one set by today: deadline_of's choice
        holds = max((i for i, f in enumerate(found) if f[0] is None or day_of(f[2]) <= today), default=None)
    held = [Held(*f, in_force=i == holds, overdue=i == holds and lt.overdue) for i, f in enumerate(found)]
    notes = (counted_past_data(sup, f[2], f[3]) for f in found)
    return Deadlines(lt, held, tuple(dict.fromkeys(n for n in notes if n is not None)))


def light_words(lt: Light) -> tuple[str, str]:
    """(zh, en) of how the light stands: 剩 2 个工作日, 已超 3 小时, 已过期限, 按期结案 …"""
    late = lt.colour == "red"
    if lt.colour in ("on_time", "late"):
        return ("按期结案", "closed on time") if lt.colour == "on_time" else ("超期结案", "closed late")
    if lt.colour == "escalated":
        return "已上报上级，待上级受理", "escalated, waiting to be accepted above"
    if lt.colour == "ahead":
        return "上报时间还没到，不算逾期 (上报时间有误？见 validate 的 GC402)", (
            "reported on a day still to come: not overdue (a wrong year? see validate's GC402)"
        )
    if lt.hours is not None:
        return hours_late(-lt.hours) if late else (f"剩 {lt.hours:g} 小时", f"{lt.hours:g} hour(s) left")
    if lt.left is None:
        return "", ""
    if late and not lt.left:  # due on a Friday, read on the Saturday: no working day lost yet
        return "已过期限", "past its deadline"
    if late:
        return f"已超 {-lt.left} 个工作日", f"{-lt.left} working day(s) late"
    return f"剩 {lt.left} 个工作日", f"{lt.left} working day(s) left"


def hours_late(hours: float) -> tuple[str, str]:
    """How late a limit in hours is: in days and hours past two days ("已超 3997.8 小时" was read by nobody)."""
    if hours < 48:
        return f"已超 {hours:g} 小时", f"{hours:g} hour(s) late"
    days, rest = divmod(round(hours), 24)
    return f"已超 {days} 天 {rest} 小时", f"{days} day(s) {rest} hour(s) late"


def lateness(days: int | None, hours: float | None, late: bool = False) -> dict[str, float | int | None]:
    """days_late/days_left (or hours_…) of a light: a negative amount left is late (as is none left
    when `late`: due on a Friday, read on the Saturday)."""
    if hours is not None:
        return {"hours_late": -hours} if hours < 0 else {"hours_left": hours}
    if days is not None:
        return {"days_late": -days} if days < 0 or (late and days == 0) else {"days_left": days}
    return {}
