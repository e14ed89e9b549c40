"""The town's view of its units: status, the due list and reports, each line naming its unit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from gridctl.supervision.table import Report, Section
from gridctl.units.rollup import UnitLedger


def status_lines(units: list[UnitLedger], lang: str, today: dt.date) -> list[str]:
    """One line per unit (grids, households, people, staff, open events, problems) and the total."""
    from gridctl.validate import validate
    from gridctl.views import status

    zh = lang == "zh"
    lines = []
    total: Counter[str] = Counter()
    for u in units:
        v = validate(u.files.root, u.files)
        s = status(u.ledger, v.errors, v.warnings, today)
        row = Counter(
            grids=sum(s.grids.values()),
            households=s.households,
            people=s.people,
            staff=s.staff,
            events=sum(s.open_events.values()),
            overdue=s.overdue,
            errors=s.errors,
            warnings=s.warnings,
        )
        total.update(row)
        lines.append(_line(u.label, row, zh))
    lines.append(_line("合计" if zh else "total", total, zh))
    return lines


def _line(label: str, c: Counter[str], zh: bool) -> str:
    if zh:
        return (
            f"{label}: 网格 {c['grids']}  户 {c['households']}  人 {c['people']}  工作人员 {c['staff']}  "
            f"未结事件 {c['events']} (超期 {c['overdue']})  校验 {c['errors']} 错误 {c['warnings']} 警告"
        )
    return (
        f"{label}: grids {c['grids']}  households {c['households']}  people {c['people']}  staff {c['staff']}  "
        f"open events {c['events']} ({c['overdue']} overdue)  {c['errors']} errors {c['warnings']} warnings"
    )


def due_text(units: list[UnitLedger], day: dt.date, lang: str) -> tuple[str, bool]:
    """Every unit's morning list, each line starting with the unit; True when something is overdue."""
    from gridctl.supervision.due import due_list, render_text

    out, late = [], False
    for u in units:
        items = due_list(u.ledger, day)
        late = late or any(i.overdue for i in items)
        out += [f"{u.label}: {line}" for line in render_text(items, day, lang).splitlines() if line.strip()]
    return "\n".join(out) + "\n", late


def combined(units: list[UnitLedger], build: Callable[[UnitLedger], Report], town: str, lang: str) -> Report:
    """One report of all units: every section's rows with the unit in front."""
    first: Report | None = None
    sections: dict[str, Section] = {}
    head = "单位" if lang == "zh" else "unit"
    for u in units:
        report = build(u)
        first = first or report
        for s in report.sections:
            key = s.key or s.title
            if key not in sections:
                sections[key] = Section(s.title, [head, *s.columns], key=s.key)
            sections[key].rows += [[u.label, *row] for row in s.rows]
            sections[key].notes += [f"{u.label}: {note}" for note in s.notes]
    if first is None:
        return Report(town)
    title = first.title.replace(units[0].ledger.settings.name, town, 1)
    title = title if town in title else f"{town} {title}"
    return Report(title, first.subtitle, list(sections.values()), first.kind, first.period)
