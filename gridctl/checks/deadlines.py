"""A deadline set before the time it runs from: an event's before its report, a step's before the step.

gridctl sets both from the time limits, so neither can be early; a hand-edited one can, and would
make the event overdue from the moment it was reported (or taken on above).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.model import Event
from gridctl.model.settings import Settings
from gridctl.problem import Problem

Moment = dt.date | dt.datetime


def deadlines_in_order(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    for event, src in ledger.records(Event):
        if event.deadline is not None and _early(event.deadline, event.reported.at):
            what = ("办理期限", "the deadline", "上报时间", "the report")
            yield _problem(event, src, (*src.path, "deadline"), event.deadline, event.reported.at, what)
        for n, step in enumerate(event.timeline):
            if step.deadline is not None and _early(step.deadline, step.at):
                what = (f"第 {n + 1} 步（{step.action}）的本环节期限", f"the deadline of step {n + 1} ({step.action})")
                path = (*src.path, "timeline", n, "deadline")
                yield _problem(event, src, path, step.deadline, step.at, (*what, "该环节的时间", "that step"))


def _early(deadline: Moment, start: Moment) -> bool:
    """Before the start: a day deadline lasts the whole day, a day start is any time of it."""
    if isinstance(deadline, dt.datetime):
        return deadline < (start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time()))
    return deadline < (start.date() if isinstance(start, dt.datetime) else start)


def _problem(event: Event, src, path, deadline: Moment, start: Moment, what: tuple[str, ...]) -> Problem:  # type: ignore[no-untyped-def]
    what_zh, what_en, since_zh, since_en = what
    args = {
        "event": event.id,
        "what": what_zh,
        "what_en": what_en,
        "deadline": _shown(deadline),
        "since": since_zh,
        "since_en": since_en,
        "start": _shown(start),
    }
    return Problem("GC401", src.file, args, doc=src.doc, path=path, record=event.id)


def _shown(value: Moment) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, dt.datetime) else value.isoformat()
