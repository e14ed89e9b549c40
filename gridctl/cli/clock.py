"""The clock of supervision commands: --date/--at, else GRIDCTL_TODAY, else the computer's clock.

Only the CLI reads the environment; the library is always given the day (so tests fix it).
"""

from __future__ import annotations

import datetime as dt
import os

from gridctl.errors import GridctlError

ENV = "GRIDCTL_TODAY"


def _parse(text: str, what: str) -> dt.datetime:
    from gridctl.excel.values import date  # the clerk's ways of writing a date, as --set and import read them

    text = text.strip().replace("T", " ")
    try:
        if " " not in text:
            day = date(text)
            if day is None:
                raise ValueError(text)
            return dt.datetime.combine(day, dt.time())
        return dt.datetime.fromisoformat(text).replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        raise GridctlError(
            f"{what}: {text!r} is not a date like 2026-03-05 or 2026-03-05 09:30 "
            f"/ {what}: “{text}” 不是日期，应写成 2026-03-05 或 2026-03-05 09:30"
        ) from None


def now() -> dt.datetime:
    given = os.environ.get(ENV)
    if given:
        return _parse(given, ENV)
    return dt.datetime.now().replace(second=0, microsecond=0)


def today(date: str | None = None, what: str = "--date") -> dt.date:
    return _parse(date, what).date() if date else now().date()


def moment(date: str | None = None, at: str | None = None) -> dt.datetime:
    """--at wins; --date keeps the clock's time of day; else now."""
    if at:
        return _parse(at, "--at")
    clock = now()
    if date:
        return dt.datetime.combine(_parse(date, "--date").date(), clock.time())
    return clock


def month(value: str | None, day: dt.date) -> str:
    """YYYY-MM, default: the month of `day`."""
    if not value:
        return f"{day.year:04d}-{day.month:02d}"
    value = value.strip()
    if len(value) == 4 and value.isdigit():
        raise GridctlError(
            f"--month {value}: 月报按月统计，请写月份，如 --month {value}-03 / the monthly report is for one month",
            hint=f"全年的考核: gridctl report assessment --period {value}",
        )
    try:
        dt.date.fromisoformat(_two_digit_month(value) + "-01")
    except ValueError:
        raise GridctlError(
            f"--month {value}: 不是月份，应写成 2026-03 这样 / not a month like 2026-03"
        ) from None
    return _two_digit_month(value)


def period(value: str | None, day: dt.date) -> str:
    """YYYY (a year) or YYYY-MM (a month); default: the month of `day`."""
    if not value:
        return f"{day.year:04d}-{day.month:02d}"
    value = value.strip()
    if len(value) == 4 and value.isdigit() and 1900 < int(value) < 2200:
        return value
    try:
        dt.date.fromisoformat(_two_digit_month(value) + "-01")
    except ValueError:
        raise GridctlError(
            f"--period {value}: 应为年份或月份，如 --period 2026（全年）或 --period 2026-03 / "
            "not a year (2026) or a month (2026-03)"
        ) from None
    return _two_digit_month(value)


def _two_digit_month(value: str) -> str:
    """2026-3 → 2026-03 (as a clerk types it); anything else unchanged."""
    parts = value.split("-")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and len(parts[1]) == 1:
        return f"{parts[0]}-0{parts[1]}"
    return value
