"""What the plan asks of every unit besides daily 巡查: activities by period, documents by a date.

A period is a month, a term, one month of the year (11 月 "119" 消防宣传月), the days before a
vacation, or the first days of a term. The current period is a reminder while it runs; a period
that ended without the activity is overdue for a month after (then it is history, in the monthly
report). An activity held anywhere in a unit's subtree counts for the unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gridctl.model import Activity, Document, Grid
from gridctl.model.supervision import ActivityRule, DocumentRule
from gridctl.supervision.calendar import DAY, month_bounds
from gridctl.supervision.facts import Facts

GRACE = dt.timedelta(days=31)
"""How long an ended period without its activity stays on the morning list."""
YEAR = dt.timedelta(days=365)
"""A document done within a year before its due date counts for it (this year's plan, this year's letter)."""


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
    if unit not in facts.subtrees:
        facts.subtrees[unit] = {g for g in facts.grids if unit in facts.chain(g)}
    return facts.subtrees[unit]


def activities(facts: Facts) -> list[Activity]:
    """Every activity by date (read once per Facts: the reports ask for them unit by unit)."""
    if facts.activities is None:
        facts.activities = sorted((a for a, _ in facts.ledger.records(Activity)), key=lambda a: (a.date, a.id))
    return facts.activities


def documents(facts: Facts) -> list[Document]:
    if facts.documents is None:
        facts.documents = sorted((d for d, _ in facts.ledger.records(Document)), key=lambda d: d.id)
    return facts.documents


def windows_in(facts: Facts, rule: ActivityRule, first: dt.date, last: dt.date) -> list[Window]:
    """Every window of the rule that overlaps first..last, in date order."""
    out: list[Window] = []
    if rule.every == "month":
        month = first.replace(day=1)
        while month <= last:
            start, end = month_bounds(f"{month:%Y-%m}")
            out.append(Window(f"{month:%Y年%m月}", start, end))
            month = end + DAY
    elif rule.every == "quarter":
        quarter = dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
        while quarter <= last:
            end = month_bounds(f"{quarter.year}-{quarter.month + 2:02d}")[1]
            out.append(Window(f"{quarter.year}年第{(quarter.month + 2) // 3}季度", quarter, end))
            quarter = end + DAY
    elif rule.every == "year" and rule.month:
        for year in range(first.year, last.year + 1):
            start, end = month_bounds(f"{year}-{rule.month:02d}")
            out.append(Window(f"{year}年{rule.month}月", start, end))
    elif rule.every == "term":
        out = [Window(t.name, t.start, t.end) for t in facts.ledger.settings.calendar.terms]
    elif rule.every == "term_start":
        for t in facts.ledger.settings.calendar.terms:
            out.append(Window(f"{t.name}开学初", t.start, t.start + dt.timedelta(days=rule.days - 1)))
    elif rule.every == "before_break":
        for name, start in facts.school.breaks():
            out.append(Window(f"{name}前", start - dt.timedelta(days=rule.days), start - DAY))
    return sorted((w for w in out if w.start <= last and w.end >= first), key=lambda w: w.start)


def applies(facts: Facts, rule: ActivityRule, unit: Grid, window: Window) -> bool:
    """A window asks for the activity unless it is all vacation or ended before the unit began."""
    if rule.every in ("month", "quarter", "year") and not facts.has_due_days(window.start, window.end):
        return False  # a month of vacation (or outside the calendar's terms): nobody to drill
    began = facts.start_of(unit.id)
    return began is None or began <= window.end


def held(facts: Facts, rule: ActivityRule, unit: Grid, start: dt.date, end: dt.date) -> list[Activity]:
    """The rule's activities held in the unit's subtree between start and end."""
    grids = subtree(facts, unit.id)
    types = set(rule.types)
    return [a for a in activities(facts) if a.type in types and a.grid in grids and start <= a.date <= end]


def missing_activities(facts: Facts, today: dt.date) -> list[Missing]:
    """The running windows not yet done (to watch) and those ended lately without it (overdue)."""
    out: list[Missing] = []
    for rule in facts.sup.activities:
        found = windows_in(facts, rule, today - GRACE, today)
        for unit in units(facts, rule.levels):
            for window in found:
                ended = window.end < today
                if ended and today > window.end + GRACE:
                    continue
                if not applies(facts, rule, unit, window):
                    continue
                if not held(facts, rule, unit, window.start, min(window.end, today)):
                    out.append(Missing(unit, rule.name, window, ended))
    return out


@dataclass
class Tally:
    """A unit's activities over a report period: windows owed, windows done, what is missing."""

    wanted: int = 0
    done: int = 0
    missing: list[str] = field(default_factory=list)


def tally(facts: Facts, unit: Grid, first: dt.date, end: dt.date) -> Tally:
    """Windows that ended in first..end (and running ones already done) for every rule."""
    out = Tally()
    for rule in facts.sup.activities:
        if unit.level not in (set(rule.levels) or {u.level for u in units(facts, [])}):
            continue
        for window in windows_in(facts, rule, first, end):
            if window.end < first or not applies(facts, rule, unit, window):
                continue
            done = bool(held(facts, rule, unit, window.start, min(window.end, end)))
            if window.end > end and not done:
                continue  # still running and not yet done: not owed yet
            out.wanted += 1
            out.done += done
            if not done:
                out.missing.append(f"{rule.name}（{window.label}）")
    return out


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
        dues = [rule.due_in(y) for y in (today.year - 1, today.year, today.year + 1)]
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
                    if d.type == rule.type and d.grid in grids and d.date and due - YEAR < d.date
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


def document_tally(facts: Facts, unit: Grid, first: dt.date, end: dt.date) -> Tally:
    """Documents the profile asks of the unit whose due date fell in first..end, and which were done."""
    out = Tally()
    grids = subtree(facts, unit.id)
    docs = documents(facts)
    for rule in facts.sup.documents:
        if unit.level not in (set(rule.levels) or {u.level for u in units(facts, [])}):
            continue
        for year in range(first.year, end.year + 1):
            due = rule.due_in(year)
            began = facts.start_of(unit.id)
            if not first <= due <= end or (began is not None and began > due):
                continue
            out.wanted += 1
            if any(d.type == rule.type and d.grid in grids and d.date and d.date > due - YEAR for d in docs):
                out.done += 1
            else:
                out.missing.append(f"{rule.name}（{due}）")
    return out
