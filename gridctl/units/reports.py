"""The town's view of its units: status, the due list and reports, each line naming its unit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from gridctl.model.settings import Labels
from gridctl.problem import Problem
from gridctl.supervision.due import DueItem
from gridctl.supervision.table import Report, Section, cell, rate
from gridctl.supervision.units import UnitRow
from gridctl.units.rollup import UnitLedger


def unit_status(u: UnitLedger, now: dt.datetime) -> tuple[str, Counter[str]]:
    """One unit's code and numbers for the town's status at `now` (run in a worker process)."""
    from gridctl.validate import validate
    from gridctl.views import status

    v = validate(u.files.root, u.files, now.date())
    s = status(u.ledger, v.errors, v.warnings, now.date()).at(now)
    return u.unit.name, Counter(
        grids=sum(s.grids.values()),
        households=s.households,
        people=s.people,
        staff=s.staff,
        events=sum(s.open_events.values()),
        overdue=s.overdue,
        errors=s.errors,
        warnings=s.warnings,
    )


StatusRows = list[tuple[str, tuple[str, Counter[str]]]]
"""(unit label, (unit code, its numbers)) per unit."""


def status_json(
    town: str, rows: StatusRows, copies: dict[str, dict[str, Any]], own: Counter[str] | None = None
) -> dict[str, Any]:
    """The town's status as data: each unit's numbers, how old the town's copy of it is (`copies`, by
    unit code), the problems of the town's own files (`own`), and the total, by field name."""
    total: Counter[str] = Counter(own or {})
    for _label, (_code, row) in rows:
        total.update(row)
    units = [{"unit": label, **_counts(row), **copies.get(code, {})} for label, (code, row) in rows]
    mine = {"errors": (own or Counter())["errors"], "warnings": (own or Counter())["warnings"]}
    return {"name": town, "units": units, "own": mine, "total": _counts(total)}


def _counts(c: Counter[str]) -> dict[str, int]:
    return {k: c[k] for k in ("grids", "households", "people", "staff", "events", "overdue", "errors", "warnings")}


def status_lines(
    rows: StatusRows,
    lang: str,
    labels: Labels | None = None,
    notes: dict[str, str] | None = None,
    own: Counter[str] | None = None,
) -> list[str]:
    """One line per unit (grids, households, people, staff, open events, problems) and the total,
    in the town's words: a bureau over schools (labels.households false) counts no 户 and 人. Under a
    unit, its note (`notes`, by unit code): how old a copy is that may have missed the unit's work.
    The problems of the town's own files (`own`) have a line of their own when there are any."""
    zh = lang == "zh"
    total: Counter[str] = Counter(own or {})
    lines = []
    for label, (code, row) in rows:
        total.update(row)
        lines.append(_line(label, row, zh, labels or Labels()))
        if (notes or {}).get(code):
            lines.append(f"  {'注意' if zh else 'note'}: {(notes or {})[code]}")
    if own and (own["errors"] or own["warnings"]):
        said = "本级台账" if zh else "own files"
        lines.append(
            f"{said}: 校验 {own['errors']} 错误 {own['warnings']} 警告"
            if zh
            else f"{said}: {own['errors']} errors {own['warnings']} warnings"
        )
    lines.append(_line("合计" if zh else "total", total, zh, labels or Labels()))
    return lines


def _line(label: str, c: Counter[str], zh: bool, labels: Labels) -> str:
    if zh:
        people = f"户 {c['households']}  人 {c['people']}  " if labels.households else ""
        return (
            f"{label}: 网格 {c['grids']}  {people}{labels.staff} {c['staff']}  "
            f"未结事件 {c['events']} (超期 {c['overdue']})  校验 {c['errors']} 错误 {c['warnings']} 警告"
        )
    people = f"households {c['households']}  people {c['people']}  " if labels.households else ""
    return (
        f"{label}: grids {c['grids']}  {people}staff {c['staff']}  "
        f"open events {c['events']} ({c['overdue']} overdue)  {c['errors']} errors {c['warnings']} warnings"
    )


UnitRanked = tuple[list[UnitRow], list[str], list[Problem]]
"""A unit's rows for the town's 通报, its report notes, and the records it could not read."""

UnitDue = tuple[list[DueItem], list[tuple[str, str]]]
"""A unit's morning list and its (zh, en) notes."""


def unit_due(u: UnitLedger, day: dt.date, now: dt.datetime | None = None) -> UnitDue:
    """One unit's morning list, as `gridctl due` gives it in the unit (run in a worker process).

    `now` (aware; None with --date): the moment hours limits (`4h`, 上报上级 within 2 h) are judged
    at, on the unit's own clock, and its day there; without it they were judged at the day's end."""
    from gridctl.supervision.due import due_list, due_notes

    local = None if now is None else now.astimezone(u.ledger.settings.zone()).replace(tzinfo=None)
    if local is not None:
        day = local.date()
    return due_list(u.ledger, day, now=local), due_notes(u.ledger, day)


def due_text(rows: list[tuple[str, UnitDue]], day: dt.date, lang: str) -> tuple[str, bool]:
    """Every unit's morning list, each line starting with the unit; True when something is overdue."""
    from gridctl.supervision.due import render_text

    out, late = [], False
    for label, (items, _notes) in rows:
        late = late or any(i.overdue for i in items)
        out += [f"{label}: {line}" for line in render_text(items, day, lang).splitlines() if line.strip()]
    return "\n".join(out) + "\n", late


def unit_report(build: Callable[..., Report], args: tuple[Any, ...], u: UnitLedger) -> tuple[str, Report]:
    """`build(ledger, *args)` for one unit, with the unit ledger's name (run in a worker process), and the
    records of the unit it could not read, named by their path in the town (units/<name>/…)."""
    from gridctl.ledger.unread import unread

    report = build(u.ledger, *args)
    report.unread = [("", dataclasses.replace(p, file=u.path(p.file))) for p in unread(u.ledger)]
    return u.ledger.settings.name, report


def unit_ranked(first: dt.date, end: dt.date, township: str | None, u: UnitLedger) -> UnitRanked:
    """One unit's rows for the town's 通报 (its 村/社区 or schools, counted as its own 通报 counts them),
    its report notes, and the records it could not read, named by their path in the town (run in a
    worker process)."""
    from gridctl.ledger.unread import unread
    from gridctl.supervision.facts import gather
    from gridctl.supervision.units import unit_rows

    facts = gather(u.ledger)
    unreadable = [dataclasses.replace(p, file=u.path(p.file)) for p in unread(u.ledger)]
    return unit_rows(facts, first, end, township), facts.warnings(first, end), unreadable


SUB = "sub_unit"
"""A unit's own column named `unit` (the school or 处室 inside it that held an activity), in a report of
all units: the unit in front is `unit`, and one dict of a row held one of the two."""


def combined(rows: list[tuple[str, tuple[str, Report]]], town: str, lang: str) -> Report:
    """One report of all units: every section's rows with the unit in front."""
    first: Report | None = None
    sections: dict[str, Section] = {}
    head = "单位" if lang == "zh" else "unit"

    def inner(name: str, header: str) -> str:
        return ("下属单位" if lang == "zh" else "sub-unit") if name == "unit" else header

    unit_name = ""
    for label, (name, report) in rows:
        if first is None:
            first, unit_name = report, name
        for s in report.sections:
            key = s.key or s.title
            if key not in sections:
                sections[key] = Section(
                    s.title, [head, *map(inner, s.fields, s.columns)] if s.fields else [head, *s.columns],
                    key=s.key, fields=["unit", *(SUB if f == "unit" else f for f in s.fields)] if s.fields else [],
                )  # fmt: skip
            sections[key].rows += [[label, *row] for row in s.rows]
            sections[key].notes += [f"{label}: {note}" for note in s.notes]
    if first is None:
        return Report(town)
    title = first.title.replace(unit_name, town, 1) if unit_name else first.title
    title = title if town in title else f"{town} {title}"
    notes = list(dict.fromkeys(note for _label, (_name, report) in rows for note in report.notes))
    unread = [(label, p) for label, (_name, report) in rows for _own, p in report.unread]
    totals = town_totals([report.totals for _label, (_name, report) in rows])
    for section in sections.values():
        if section.fields == ["unit", "item", "count"]:  # the month in numbers: the town's, under the units'
            section.notes.append(_summed(section.rows, "合计" if lang == "zh" else "total", totals.get("rate")))
    return Report(
        title, first.subtitle, list(sections.values()), first.kind, first.period, notes, totals, unread=unread
    )


RATES = {"rate": ("done_days", "due_days")}
"""Each rate among a report's totals, and the two sums the town's is recomputed from."""


def town_totals(each: list[dict[str, Any]]) -> dict[str, Any]:
    """The town's headline numbers: the units' counts and sums of money added up, each rate recomputed
    from the added-up numbers it is made of (the mean of the units' rates weighs a unit of one grid as
    much as one of forty). A rate of unknown make is left out, never averaged."""
    out: dict[str, Any] = {}
    for totals in each:
        for key, value in totals.items():
            if key.endswith("rate") or isinstance(value, bool) or not isinstance(value, int | float):
                out.setdefault(key, None)  # its place, in the units' order
                continue
            out[key] = (out.get(key) or 0) + value
    for key, (done, total) in RATES.items():
        if key in out:
            out[key] = rate(out.get(done) or 0, out.get(total) or 0)
    return {k: round(v, 2) if isinstance(v, float) and not k.endswith("rate") else v for k, v in out.items()
            if v is not None or k in RATES}  # fmt: skip


def _summed(rows: list[list[Any]], label: str, done: Any = None) -> str:
    """The items of (unit, item, count) rows added up over the units, in their order, as one line (a
    row would put the town among its units, in the rows that each name one); `done`: the town's rate."""
    sums: dict[str, Any] = {}
    for _unit, item, count in rows:
        if isinstance(count, int | float) and not isinstance(count, bool):
            sums[item] = round(sums.get(item, 0) + count, 2)
    shown = [f"{item} {cell(total)}" for item, total in sums.items()]
    if done is not None:
        shown.insert(2, f"完成率 {cell(done)}")
    return f"{label}: " + "，".join(shown)
