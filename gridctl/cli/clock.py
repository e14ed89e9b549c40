"""The CLI's side of the ledger's clock: --date/--at, else GRIDCTL_TODAY, else now — in the ledger's zone.

Only the CLI reads the environment; the library is always given the clock or the day
(gridctl.ledger.clock), so a PC in China and CI in UTC see the same dates.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata

import typer

from gridctl.errors import GridctlError
from gridctl.i18n import Text

ENV = "GRIDCTL_TODAY"


def clock(ctx: typer.Context, lenient: bool = False):  # type: ignore[no-untyped-def]
    """The ledger's clock (made once per command): its zone from gridctl.yaml, pinned by GRIDCTL_TODAY.

    `lenient`: an unknown zone in gridctl.yaml falls back to the default (validate reports it as
    GC014) instead of stopping the command.
    """
    from gridctl.cli.common import ledger_root, state
    from gridctl.ledger.clock import DEFAULT_ZONE, Clock, zone
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.profiles import zone_name

    st = state(ctx)
    if st.clock is not None:
        return st.clock
    name = zone_name(WorkTree(ledger_root(ctx)))
    try:
        zone(name)
    except ValueError as exc:
        if not lenient:
            raise GridctlError(
                Text(f"gridctl.yaml 的时区设置有误: {exc}", f"gridctl.yaml: {exc}"), hint="timezone: Asia/Shanghai"
            ) from None
        name = DEFAULT_ZONE
    pinned = os.environ.get(ENV)
    st.clock = Clock.system(name)
    if pinned:
        st.clock = Clock(st.clock.zone, _parse(st.clock, pinned, ENV).replace(tzinfo=st.clock.zone))
    return st.clock


def judged(ctx: typer.Context, lenient: bool = False):  # type: ignore[no-untyped-def]
    """The clock what is due or overdue is judged on: with --as-of, standing at the moment it names
    (the end of that day or minute, or the commit's time), never later than now; else `clock`.

    The ledger as it stood on 15 March is judged on 15 March: an event due on the 20th was not yet
    late then, though it is today. Only the reads that judge time use it: a print's date and the
    reveal log keep the real clock.
    """
    from gridctl.cli.common import ledger_root, state
    from gridctl.errors import GridctlError
    from gridctl.history.revisions import moment as named
    from gridctl.ledger.clock import Clock

    clk = clock(ctx, lenient)
    when = state(ctx).as_of
    if not when:
        return clk
    try:
        at = named(ledger_root(ctx), when, clk).astimezone(clk.zone)
    except GridctlError:  # reading the ledger at --as-of says what is wrong with it
        return clk
    if at.replace(tzinfo=None) >= clk.now():
        return clk  # a day still to come reads the latest commit, today
    return Clock(clk.zone, at)


def _parse(clk, text: str, what: str) -> dt.datetime:  # type: ignore[no-untyped-def]
    """A day in any of the clerk's ways (2026-03-05, 2026/3/5, 2026年3月5日, 20260305), or a time on the
    ledger's clock (`2026-03-05 09:30`; an offset, as in `2026-03-05T01:30+00:00`, converted into its zone)."""
    return clk.parse(text, what)


def today(ctx: typer.Context, date: str | None = None, what: str = "--date", clk=None) -> dt.date:  # type: ignore[no-untyped-def]
    """--date (or the option `what`), else today on the ledger's clock (or on `clk`: `judged`)."""
    clk = clk or clock(ctx)
    return _parse(clk, date, what).date() if date else clk.today()


def moment(ctx: typer.Context, date: str | None = None, at: str | None = None, clk=None) -> dt.datetime:  # type: ignore[no-untyped-def]
    """--at wins; --date keeps the clock's time of day; else now (on `clk`, default the ledger's
    clock). An offset in --at is converted."""
    clk = clk or clock(ctx)
    if at:
        return _parse(clk, at, "--at")
    now = clk.now()
    if date:
        return dt.datetime.combine(_parse(clk, date, "--date").date(), now.time())
    return now


def done_at(ctx: typer.Context, date: str | None = None, at: str | None = None) -> dt.datetime:
    """When a step, an inspection or a visit was done: `moment`, never on a day still to come.

    A timeline is append-only and each step must come after the last: a step dated 2027 by a slip
    of the keyboard would leave the event unable to move until then.
    """
    when = moment(ctx, date, at)
    not_ahead(ctx, when.date(), "--at" if at else "--date")
    now = clock(ctx).now()
    if at and when > now and _knows_the_time(ctx):  # 23:59 typed in the morning: every step today "before" it
        raise GridctlError(
            Text(
                f"--at {when:%Y-%m-%d %H:%M} 晚于现在 ({now:%H:%M}): 还没到的时刻不能记录",
                f"--at {when:%Y-%m-%d %H:%M} is later than now ({now:%H:%M})",
            ),
            hint=Text("补录以前的时刻用 --at；记现在的不用写时间", "give a past time to record late, none for now"),
        )
    return when


def step_at(ctx: typer.Context, date: str | None = None, at: str | None = None) -> dt.date | dt.datetime:
    """When an event's step was taken: --at as given; --date alone is that day, with no time of day.

    The clock's time on a day typed later is no time the step was taken at: a step dated the report's
    day was "before" it when typed in the morning, and a back-dated one got the hour it was typed.
    """
    if at or not date:
        return done_at(ctx, date, at)
    return done_on(ctx, date)


def _knows_the_time(ctx: typer.Context) -> bool:
    """The clock tells the time of day: the real one, or GRIDCTL_TODAY with a time (a bare day is any time of it)."""
    pinned = os.environ.get(ENV)
    return not pinned or clock(ctx).day(unicodedata.normalize("NFKC", pinned).strip()) is None


def done_on(ctx: typer.Context, date: str | None = None) -> dt.date:
    """The day something was done (an activity, a visit, a document sent): `today`, never a day to come."""
    day = today(ctx, date)
    not_ahead(ctx, day, "--date")
    return day


def not_ahead(ctx: typer.Context, day: dt.date, what: str) -> None:
    now = clock(ctx).today()
    if day > now:
        raise GridctlError(
            Text(f"{what} {day} 晚于今天 ({now}): 还没到的日子不能记录", f"{what} {day} is after today ({now})"),
            hint=Text(
                f"补录以前的日子用 {what}；记今天的不用写日期", f"give {what} a past day to record late, none for today"
            ),
        )


def month(value: str | None, day: dt.date, what: str = "--month") -> str:
    """YYYY-MM from any of the clerk's ways (2026-03, 2026/3, 2026年3月, 202603); default: the month of `day`."""
    from gridctl.ledger.clock import month as parse_month

    if not value:
        return f"{day.year:04d}-{day.month:02d}"
    value = value.strip()
    if len(value) == 4 and value.isdigit():
        raise GridctlError(
            Text(
                f"{what} {value}: 月报按月统计，请写月份，如 {what} {value}-03",
                f"{what} {value}: the monthly report is for one month; write it as {what} {value}-03",
            ),
            hint=Text(
                f"全年的考核: gridctl report assessment --period {value}",
                f"the year's assessment: gridctl report assessment --period {value}",
            ),
        )
    found = parse_month(value)
    if found is None:
        raise GridctlError(
            Text(
                f"{what}: “{value}” 不是月份，可以写成 2026-03、2026/3、2026年3月 或 202603",
                f"{what}: {value!r} is not a month; write it as 2026-03, 2026/3, 2026年3月 or 202603",
            )
        )
    return found


def period(value: str | None, day: dt.date) -> str:
    """YYYY (a year) or YYYY-MM (a month, any of the clerk's ways); default: the month of `day`."""
    if not value:
        return f"{day.year:04d}-{day.month:02d}"
    year = value.strip().rstrip("年")
    if len(year) == 4 and year.isdigit() and 1900 < int(year) < 2200:
        return year
    from gridctl.ledger.clock import month as parse_month

    found = parse_month(value)
    if found is None:
        raise GridctlError(
            Text(
                f"--period {value}: 应为年份或月份，如 --period 2026（全年）或 --period 2026-03",
                f"--period {value}: not a year (2026) or a month (2026-03)",
            )
        )
    return found
