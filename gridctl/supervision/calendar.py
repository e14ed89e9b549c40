"""Working days: weekends off, 法定节假日 off, 调休 weekend days worked — all from gridctl.yaml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gridctl.model.supervision import Calendar

DAY = dt.timedelta(days=1)


class WorkCalendar:
    def __init__(self, calendar: Calendar) -> None:
        self.weekend = frozenset(calendar.weekend)
        self.holidays = frozenset(calendar.holidays)
        self.workdays = frozenset(calendar.workdays)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day not in self.holidays and day.isoweekday() not in self.weekend

    def add(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after start; 0 is start itself (or the next working day)."""
        day = start
        while not self.is_workday(day):
            day += DAY
        while days > 0:
            day += DAY
            if self.is_workday(day):
                days -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.between(end, start)
        return sum(1 for d in days(start + DAY, end) if self.is_workday(d))

    def previous(self, day: dt.date) -> dt.date:
        """The last working day before `day`."""
        day -= DAY
        while not self.is_workday(day):
            day -= DAY
        return day


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every day from start to end, both included."""
    day = start
    while day <= end:
        yield day
        day += DAY


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """'2026-03' → (2026-03-01, 2026-03-31)."""
    first = dt.date.fromisoformat(month + "-01")
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, nxt - DAY
