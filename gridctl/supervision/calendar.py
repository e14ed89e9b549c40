"""Working days and school days.

Public holidays and 调休 working days come from the `chinesecalendar` package, which follows the
State Council's yearly notice (国务院办公厅关于部分节假日安排的通知); gridctl.yaml only adds local
days (`supervision.calendar.holidays/workdays`) and the weekend. A day past the package's data is
counted by the weekend and the holidays fixed by date (元旦, 劳动节, 国庆节: the Spring Festival and a
year's 调休 can't be known), and `beyond_data` says so, so every report and every deadline written
can warn and name the package to update. School days are working days inside a term and outside its vacations
(`calendar:` in gridctl.yaml).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache

from chinese_calendar import constants as official

from gridctl.model.supervision import Calendar, SchoolCalendar

DAY = dt.timedelta(days=1)
PACKAGE = "chinesecalendar"
FIXED = frozenset({(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)})
"""(month, day) of the statutory holidays fixed by date (全国年节及纪念日放假办法): 元旦, 劳动节, 国庆节."""
FIXED_NAMES = ("元旦、劳动节、国庆节", "New Year's Day, 1 May and 1–3 October")


@cache
def data_years() -> tuple[int, int]:
    """The first and last year the installed chinesecalendar knows."""
    years = [d.year for d in official.holidays]
    return min(years), max(years)


class WorkCalendar:
    def __init__(self, calendar: Calendar) -> None:
        self.weekend = frozenset(calendar.weekend)
        self.holidays = frozenset(calendar.holidays)
        self.workdays = frozenset(calendar.workdays)
        self.first_year, self.last_year = data_years()

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if self.first_year <= day.year <= self.last_year:
            if day in official.workdays:
                return True
            if day in official.holidays:
                return False
        elif (day.month, day.day) in FIXED:
            return False
        return day.isoweekday() not in self.weekend

    def beyond_data(self, day: dt.date) -> bool:
        """Past (or before) the holidays the installed package knows: counted by weekends and FIXED only."""
        return not self.first_year <= day.year <= self.last_year

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


class SchoolDays:
    """Working days inside a term and outside its vacations; without terms, every working day."""

    def __init__(self, work: WorkCalendar, school: SchoolCalendar) -> None:
        self.work = work
        self.school = school

    @property
    def has_terms(self) -> bool:
        return bool(self.school.terms)

    def in_session(self, day: dt.date) -> bool:
        if not self.has_terms:
            return True
        if any(v.start <= day <= v.end for v in self.school.vacations):
            return False
        return any(t.start <= day <= t.end for t in self.school.terms)

    def is_school_day(self, day: dt.date) -> bool:
        return self.work.is_workday(day) and self.in_session(day)

    def previous(self, day: dt.date, limit: int = 400) -> dt.date | None:
        """The last school day before `day` (None when there is none within `limit` days)."""
        for _ in range(limit):
            day -= DAY
            if self.is_school_day(day):
                return day
        return None

    def term_of(self, day: dt.date):  # type: ignore[no-untyped-def]
        return next((t for t in self.school.terms if t.start <= day <= t.end), None)

    def breaks(self) -> list[tuple[str, dt.date]]:
        """Where each vacation starts (listed vacations, and the day after each term ends), by date."""
        out = {v.start: v.name for v in self.school.vacations}
        for term in self.school.terms:
            start = term.end + DAY
            if not any(v.start <= start <= v.end + DAY for v in self.school.vacations):
                out.setdefault(start, f"{term.name}结束")
        return sorted(((name, day) for day, name in out.items()), key=lambda x: x[1])


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


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """'2026-03' → that month; '2026' → the whole year."""
    if len(period) == 4:
        return dt.date(int(period), 1, 1), dt.date(int(period), 12, 31)
    return month_bounds(period)


def data_warning(cal: WorkCalendar, start: dt.date, end: dt.date) -> tuple[str, str] | None:
    """(zh, en) when part of start..end lies past the holidays the installed package knows."""
    if not (cal.beyond_data(start) or cal.beyond_data(end)):
        return None
    first, last = cal.first_year, cal.last_year
    span = f"{start}" if start == end else f"{start}–{end}"
    zh, en = FIXED_NAMES
    return (
        f"注意: 已安装的 {PACKAGE} 只有 {first}–{last} 年的法定节假日和调休数据，"
        f"{span} 中超出的日期只按周末和{zh}计算 (春节等假日和调休无从得知)；请更新: pip install -U {PACKAGE}",
        f"note: the installed {PACKAGE} knows public holidays for {first}–{last} only; days of {span} "
        f"outside them count weekends and {en} only (not the Spring Festival and other holidays, nor "
        f"makeup working days). Update it: pip install -U {PACKAGE}",
    )
