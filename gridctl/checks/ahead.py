"""A time still to come on an event: its report, or a step, dated after the ledger's day.

gridctl takes no such time (`--date`/`--at` on a day to come are refused); one written by hand or
imported is a slip of the year (2027, or 2062, for 2026). Until it is corrected the event is read as
it stands on the day: reported ahead, it is open and never overdue; a step dated ahead has not been
taken, so a 结案 dated ahead closes nothing. Said once per event, at the first such time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.model import Event
from gridctl.model.settings import Settings
from gridctl.problem import Problem

Moment = dt.date | dt.datetime


def times_ahead(ledger: Ledger, settings: Settings, today: dt.date | None = None) -> Iterator[Problem]:
    """`today`: the ledger's day (its clock)."""
    if today is None:
        from gridctl.ledger.clock import Clock

        today = Clock.system(settings.timezone).today()
    day = today.isoformat()
    for entry_of, data in ledger.plain_rows("event"):
        if not _any_after(data, day):  # the kept row's times, as ISO text: no typed event built for each
            continue
        entry = entry_of()
        event, src = entry.record, entry.source
        if not isinstance(event, Event):
            continue
        if _day(event.reported.at) > today:
            what = ("上报时间", "the report", "改正前这个事件不算逾期", "until then the event is not overdue")
            yield _problem(event, src, (*src.path, "reported", "at"), event.reported.at, what)
            continue  # its steps run from the report: the first one is said
        for n, step in enumerate(event.timeline):
            if _day(step.at) > today:
                what = (
                    f"第 {n + 1} 步（{step.action}）的时间",
                    f"step {n + 1} ({step.action})",
                    "改正前这一步和它之后的各步都不算已办",
                    "until then this step and those after it count as not yet taken",
                )
                yield _problem(event, src, (*src.path, "timeline", n, "at"), step.at, what)
                break


def _any_after(row: dict, day: str) -> bool:
    """A time in an event's row (report or step) on a day after `day` (both ISO: the date is its first 10)."""
    reported = row.get("reported")
    times = [reported.get("at")] if isinstance(reported, dict) else []
    times += [step.get("at") for step in row.get("timeline") or () if isinstance(step, dict)]
    return any(isinstance(at, str) and at[:10] > day for at in times)


def _day(value: Moment) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _problem(event: Event, src, path, at: Moment, what: tuple[str, str, str, str]) -> Problem:  # type: ignore[no-untyped-def]
    what_zh, what_en, then_zh, then_en = what
    shown = f"{at:%Y-%m-%d %H:%M}" if isinstance(at, dt.datetime) else at.isoformat()
    args = {"event": event.id, "what": what_zh, "what_en": what_en, "at": shown, "then": then_zh, "then_en": then_en}
    return Problem("GC402", src.file, args, doc=src.doc, path=path, record=event.id)
