"""The ledger's one clock: every "today" and every date boundary in the ledger's zone, never the computer's.

A clerk's PC in China and the ledger's CI in UTC disagree about the date for eight hours a day; a
ledger has one zone (`timezone:` in gridctl.yaml, default Asia/Shanghai) and every day is read on
this clock. Times kept in records are local to that zone (naive); a time given with an offset is
converted into the zone, never dropped. The library never reads the environment: the CLI builds
the clock (with GRIDCTL_TODAY, if set) and passes it, or the day, down.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gridctl.errors import GridctlError
from gridctl.i18n import Text

DEFAULT_ZONE = "Asia/Shanghai"
_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$|^(\d{4})(\d{2})$")
DAY_FORMS = "2026-11-01、2026/11/01、2026年11月1日、20261101"


def day(text: str) -> dt.date | None:
    """A day as a clerk types it (2026-11-01, 2026/11/01, 2026.11.01, 2026年11月1日, 20261101), else None.

    The same forms `--set` and import take; every date option of the command line reads them here.
    """
    m = _DAY.match(unicodedata.normalize("NFKC", text).strip())
    if not m:
        return None
    year, month, mday = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    try:
        return dt.date(year, month, mday)
    except ValueError:
        return None


_NO_YEAR = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def why_not_a_day(text: str, year_now: int, before: str = "") -> Text | None:
    """What is wrong with text a clerk meant as a day, when it is not one (no such month or day, a
    day without its year: `year_now` is suggested), said after `before` (the option); None when it
    does not look like a day at all."""
    plain = unicodedata.normalize("NFKC", text).strip()
    m = _DAY.match(plain)
    if m:
        year, number, mday = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        if year < dt.MINYEAR:
            return Text(
                f"{before}{text} 不是日期: 没有{year}年", f"{before}{text} is not a date: there is no year {year}"
            )
        if not 1 <= number <= 12:
            return Text(
                f"{before}{text} 不是日期: 没有{number}月", f"{before}{text} is not a date: there is no month {number}"
            )
        return Text(
            f"{before}{text} 不是日期: {year}年{number}月没有{mday}日",
            f"{before}{text} is not a date: {year}-{number:02d} has no day {mday}",
        )
    m = _NO_YEAR.match(plain)
    if m and 1 <= int(m.group(1)) <= 12:
        number, mday = int(m.group(1)), int(m.group(2))
        if day(f"{year_now}-{number}-{mday}") is None:  # never suggest a day that is not one
            return Text(
                f"{before}{text} 不是日期: 缺少年份，而且{year_now}年{number}月没有{mday}日",
                f"{before}{text} is not a date: it has no year, and {year_now}-{number:02d} has no day {mday}",
            )
        return Text(
            f"{before}{text} 缺少年份: 写成 {year_now}年{number}月{mday}日 这样",
            f"{before}{text} has no year: write it as {year_now}-{number:02d}-{mday:02d}",
        )
    return None


def month(text: str) -> str | None:
    """A month as a clerk types it (2026-03, 2026/3, 2026年3月, 202603) as YYYY-MM, else None."""
    m = _MONTH.match(unicodedata.normalize("NFKC", text).strip())
    if not m:
        return None
    year, number = (int(g) for g in (m.groups()[:2] if m.group(1) else m.groups()[2:]))
    return f"{year:04d}-{number:02d}" if 1 <= number <= 12 and year >= 1 else None


DAY_HINT = Text(f"日期可以写成 {DAY_FORMS}", "write a day as 2026-11-01 or 2026年11月1日")


def not_a_day(what: str, text: str) -> GridctlError:
    return GridctlError(
        Text(
            f"{what}: “{text}” 不是日期，可以写成 {DAY_FORMS}、昨天，或带时间 2026-03-05 09:30",
            f"{what}: {text!r} is not a date; write it as 2026-11-01, 2026/11/01, 2026年11月1日, 20261101 or "
            "yesterday, or with a time, 2026-03-05 09:30",
        )
    )


_AT = re.compile(r"^(.+?)(?:\s+|T)(\d{1,2})(:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$")


def _split_time(given: str) -> tuple[str, str]:
    """A day and the time after it (`2026 年 3 月 5 日 9:30` too: spaces inside the day, a one-digit
    hour, as a clerk types them); the time in the form datetime.fromisoformat reads."""
    m = _AT.match(given)
    if m:
        return m.group(1).strip(), f"{int(m.group(2)):02d}{m.group(3)}"
    head, _sep, clock_time = given.replace("T", " ", 1).partition(" ")
    return head, clock_time


RELATIVE = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2}
"""Days a clerk names by where they lie from today (`--date 昨天`), read on the ledger's clock."""


def _days_back(text: str) -> int | None:
    return RELATIVE.get(unicodedata.normalize("NFKC", text).strip().lower())


def with_time(text: str) -> bool:
    """Whether `text` is a day followed by a time (`2026-03-01 09:30`, `昨天 17:00`), as Clock.parse reads one."""
    head, clock_time = _split_time(unicodedata.normalize("NFKC", text).strip())
    return bool(clock_time.strip()) and (day(head) is not None or _days_back(head) is not None)


@functools.cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name` (the tzdata package supplies the data where the OS has none, as on Windows)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as {DEFAULT_ZONE}") from None


@dataclass(frozen=True)
class Clock:
    """Now and today in one zone; `fixed` pins the moment (GRIDCTL_TODAY, or a test)."""

    zone: ZoneInfo
    fixed: dt.datetime | None = None
    """An aware moment that "now" always is."""

    @classmethod
    def system(cls, name: str = DEFAULT_ZONE) -> Clock:
        return cls(zone(name))

    @classmethod
    def pinned(cls, name: str, when: str, what: str = "GRIDCTL_TODAY") -> Clock:
        """A clock that stands at `when` (a date, or a date and time with or without offset)."""
        at = cls(zone(name)).parse(when, what)
        return cls(zone(name), at.replace(tzinfo=zone(name)))

    def now(self) -> dt.datetime:
        """The local time in the ledger's zone, to the minute (naive, as records keep times)."""
        moment = self.fixed if self.fixed is not None else dt.datetime.now(self.zone)
        return moment.astimezone(self.zone).replace(second=0, microsecond=0, tzinfo=None)

    def today(self) -> dt.date:
        return self.now().date()

    def local(self, value: dt.datetime) -> dt.datetime:
        """A time as the ledger keeps it: an offset converted into the zone; a naive time is already local."""
        if value.tzinfo is None:
            return value
        return value.astimezone(self.zone).replace(tzinfo=None)

    def day(self, text: str) -> dt.date | None:
        """A day as `day` reads it, or 今天/昨天/前天 (today, yesterday) on this clock."""
        back = _days_back(text)
        return self.today() - dt.timedelta(days=back) if back is not None else day(text)

    def parse(self, text: str, what: str) -> dt.datetime:
        """A day in any of the clerk's forms (`day`, 昨天), or one with a time (`2026-03-05 09:30`,
        `2026/3/5 09:30`, `2026-03-05T09:30+00:00`, `昨天 17:00`) as a local time in the zone."""
        given = unicodedata.normalize("NFKC", text).strip()
        whole = self.day(given)
        if whole is not None:
            return dt.datetime.combine(whole, dt.time())
        head, clock_time = _split_time(given)
        first = self.day(head)
        try:
            if first is None or not clock_time.strip():
                raise ValueError(given)
            moment = dt.datetime.fromisoformat(f"{first.isoformat()}T{clock_time.strip()}")
            return self.local(moment).replace(second=0, microsecond=0)
        except ValueError:
            if first is not None and clock_time.strip():  # the day is right: the time is not
                said = clock_time.strip()
                raise GridctlError(
                    Text(f"{what}: {said} 不是时刻", f"{what}: {said} is not a time of day"),
                    hint=Text("时刻写成 09:30 这样 (0:00 到 23:59)", "write a time as 09:30 (0:00 to 23:59)"),
                ) from None
            meant = head if first is None and clock_time.strip() else given
            why = why_not_a_day(given, self.today().year, f"{what}: ") or why_not_a_day(
                meant, self.today().year, f"{what}: "
            )
            if why is not None:  # meant as a day, written wrong: say what is wrong
                raise GridctlError(why, hint=DAY_HINT) from None
            raise not_a_day(what, text) from None

    def start(self, day: dt.date) -> dt.datetime:
        """The first moment of `day` in the zone (aware)."""
        return dt.datetime.combine(day, dt.time(), self.zone)

    def end(self, day: dt.date) -> dt.datetime:
        """The last second of `day` in the zone (aware)."""
        return self.start(day + dt.timedelta(days=1)) - dt.timedelta(seconds=1)

    def day_of(self, stamp: str) -> dt.date:
        """The ledger's day of an ISO time with offset, e.g. a commit's `%aI`."""
        return self.moment_of(stamp).date()

    def moment_of(self, stamp: str) -> dt.datetime:
        """An ISO time with offset (git's `%aI`) as a local time in the zone."""
        return self.local(dt.datetime.fromisoformat(stamp))


def git_time(moment: dt.datetime) -> str:
    """An aware time as git's date options read it without the computer's zone."""
    return moment.isoformat(timespec="seconds")
