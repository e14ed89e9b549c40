"""What the plan asks of every unit besides daily 巡查: activities by period, documents by a date.

A period is a month, a term, one month of the year (11 月 "119" 消防宣传月), the days before a
vacation, or the first days of a term. The current period is a reminder while it runs; a period
that ended without the activity is overdue for a month after (then it is history, in the monthly
report). An activity held anywhere in a unit's subtree counts for the unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from gridctl.model import Activity, Document, Grid
from gridctl.model.supervision import ActivityRule, DocumentRule
from gridctl.supervision.calendar import DAY, month_bounds
from gridctl.supervision.facts import Facts

GRACE = dt.timedelta(days=31)
"""How long an ended period without its activity stays on the morning list."""


@dataclass(frozen=True)
class Window:
    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Missing:
    unit: Grid
    rule: str
    window: Window
    overdue: bool


def units(facts: Facts, levels: list[str]) -> list[Grid]:
    """Active grids of `levels`, or of the 村/社区 tier (学校, 中小学 …) when none are named."""
    wanted = set(levels) or {n for level in facts.ledger.settings.levels if level.community for n in level.names}
    return sorted((g for g in facts.grids.values() if g.level in wanted and g.is_active), key=lambda g: g.id)


def subtree(facts: Facts, unit: str) -> set[str]:
    return {g for g in facts.grids if unit in facts.chain(g)}


def activities(facts: Facts) -> list[Activity]:
    return sorted((a for a, _ in facts.ledger.records(Activity)), key=lambda a: (a.date, a.id))


def documents(facts: Facts) -> list[Document]:
    return sorted((d for d, _ in facts.ledger.records(Document)), key=lambda d: d.id)


def windows(facts: Facts, rule: ActivityRule, today: dt.date) -> Iterator[tuple[Window, bool]]:
    """(window, ended) pairs that matter on `today`: the running one and one that ended lately."""
    if rule.every == "month":
        first = today.replace(day=1)
        last_month = month_bounds(f"{(first - DAY):%Y-%m}")
        yield Window(f"{last_month[0]:%Y年%m月}", *last_month), True
        yield Window(f"{first:%Y年%m月}", *month_bounds(f"{first:%Y-%m}")), False
    elif rule.every == "quarter":
        q = (today.month - 1) // 3
        start = dt.date(today.year, 3 * q + 1, 1)
        before = dt.date(today.year - 1, 10, 1) if q == 0 else dt.date(today.year, 3 * q - 2, 1)
        yield Window(f"{before.year}年第{(before.month + 2) // 3}季度", before, start - DAY), True
        end = month_bounds(f"{today.year}-{3 * q + 3:02d}")[1]
        yield Window(f"{today.year}年第{q + 1}季度", start, end), False
    elif rule.every == "year" and rule.month:
        for year in (today.year - 1, today.year):
            start, end = month_bounds(f"{year}-{rule.month:02d}")
            if start <= today:
                yield Window(f"{year}年{rule.month}月", start, end), end < today
    elif rule.every == "term":
        for term in facts.ledger.settings.calendar.terms:
            if term.start <= today:
                yield Window(term.name, term.start, term.end), term.end < today
    elif rule.every == "term_start":
        for term in facts.ledger.settings.calendar.terms:
            end = term.start + dt.timedelta(days=rule.days - 1)
            if term.start <= today:
                yield Window(f"{term.name}开学初", term.start, end), end < today
    elif rule.every == "before_break":
        for name, start in facts.school.breaks():
            begin = start - dt.timedelta(days=rule.days)
            if begin <= today:
                yield Window(f"{name}前", begin, start - DAY), start <= today


def missing_activities(facts: Facts, today: dt.date) -> list[Missing]:
    held = activities(facts)
    out: list[Missing] = []
    for rule in facts.sup.activities:
        types = set(rule.types)
        for unit in units(facts, rule.levels):
            grids = subtree(facts, unit.id)
            began = facts.start_of(unit.id)
            for window, ended in windows(facts, rule, today):
                if ended and today > window.end + GRACE:
                    continue
                if rule.every in ("month", "quarter", "year") and not facts.has_due_days(window.start, window.end):
                    continue  # a month of vacation (or before the calendar's terms): nobody to drill
                if began is not None and began > window.end:
                    continue
                done = any(
                    a.type in types and a.grid in grids and window.start <= a.date <= min(window.end, today)
                    for a in held
                )
                if not done:
                    out.append(Missing(unit, rule.name, window, ended))
    return out


def held_in(facts: Facts, rule: ActivityRule, unit: Grid, start: dt.date, end: dt.date) -> list[Activity]:
    grids = subtree(facts, unit.id)
    return [a for a in activities(facts) if a.type in set(rule.types) and a.grid in grids and start <= a.date <= end]


@dataclass(frozen=True)
class DocumentDue:
    unit: Grid
    rule: DocumentRule
    due: dt.date
    done: Document | None


def document_dues(facts: Facts, today: dt.date) -> list[DocumentDue]:
    """Each unit's documents the profile asks for whose due date is near or lately past."""
    docs = documents(facts)
    out = []
    for rule in facts.sup.documents:
        month, day = (int(x) for x in rule.due.split("-"))
        dues = [dt.date(y, month, day) for y in (today.year - 1, today.year, today.year + 1)]
        due = next(d for d in dues if d + GRACE >= today)
        if today < due - dt.timedelta(days=rule.warn_days):
            continue
        for unit in units(facts, rule.levels):
            began = facts.start_of(unit.id)
            if began is not None and began > due:
                continue
            grids = subtree(facts, unit.id)
            done = next(
                (
                    d
                    for d in docs
                    if d.type == rule.type and d.grid in grids and d.date and due - dt.timedelta(days=365) < d.date
                ),
                None,
            )
            out.append(DocumentDue(unit, rule, due, done))
    return out


def open_documents(facts: Facts, today: dt.date, warn_days: int = 30) -> list[tuple[Document, bool]]:
    """Recorded documents with a due date and no date done: (document, overdue)."""
    out = []
    for doc in documents(facts):
        if doc.due is None or doc.date is not None or not doc.is_active:
            continue
        if doc.due < today:
            out.append((doc, True))
        elif (doc.due - today).days <= warn_days:
            out.append((doc, False))
    return out
