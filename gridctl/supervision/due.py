"""`gridctl due`: what a grid chief must see in the morning, overdue first within each section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridctl.ledger.index import Ledger
from gridctl.model.masking import mask_text
from gridctl.supervision.facts import Facts, gather, step_day
from gridctl.supervision.limits import light

SECTIONS = {
    "inspection": ("巡查", "inspections"),
    "event": ("事件", "events"),
    "monthly": ("每月任务", "monthly tasks"),
    "idle": ("人员活动", "staff activity"),
    "contract": ("聘用合同", "contracts"),
}


@dataclass(frozen=True)
class DueItem:
    section: str
    overdue: bool
    record: str
    zh: str
    en: str

    def as_json(self) -> dict[str, object]:
        return {"section": self.section, "overdue": self.overdue, "record": self.record, "zh": self.zh, "en": self.en}


def due_list(ledger: Ledger, today: dt.date, under: str | None = None) -> list[DueItem]:
    facts = gather(ledger)
    grids = facts.inspected_grids(under)
    items = [
        *_inspections(facts, grids, today),
        *_events(facts, {g.id for g in grids} if under else None, today),
        *_monthly(facts, grids, today),
        *_idle(facts, grids, today),
        *_contracts(facts, grids if under else None, today),
    ]
    order = list(SECTIONS)
    return sorted(items, key=lambda i: (order.index(i.section), not i.overdue, i.record))


def _inspections(facts: Facts, grids, today: dt.date) -> list[DueItem]:  # type: ignore[no-untyped-def]
    done = facts.inspected()
    cal = facts.calendar
    every_day = facts.sup.inspections.on == "every_day"
    yesterday = today - dt.timedelta(days=1) if every_day else cal.previous(today)
    out = []
    for grid in grids:
        days = done.get(grid.id, set())
        if yesterday not in days:
            out.append(
                DueItem(
                    "inspection",
                    True,
                    grid.id,
                    f"{grid.name} {yesterday:%m-%d} 未巡查",
                    f"{grid.name} not inspected on {yesterday:%m-%d}",
                )
            )
        if (every_day or cal.is_workday(today)) and today not in days:
            out.append(
                DueItem(
                    "inspection", False, grid.id, f"{grid.name} 今日尚未巡查", f"{grid.name} not inspected today yet"
                )
            )
    return out


def _events(facts: Facts, grids: set[str] | None, today: dt.date) -> list[DueItem]:
    out = []
    for event, _ in facts.events:
        if grids is not None and event.grid not in grids:
            continue
        if step_day(event.reported.at) > today:
            continue
        lt = light(event, facts.sup, today)
        where = f"{event.id} {facts.name(event.grid)} {mask_text(event.title)}"  # a title may quote a phone
        late = -(lt.left or 0)
        if lt.colour == "red":
            out.append(
                DueItem(
                    "event",
                    True,
                    event.id,
                    f"{where}（{event.status}）期限 {lt.deadline}，已超 {late} 个工作日",
                    f"{where} ({event.status}) due {lt.deadline}, {late} working day(s) late",
                )
            )
        elif lt.colour == "yellow":
            out.append(
                DueItem(
                    "event",
                    False,
                    event.id,
                    f"{where}（{event.status}）期限 {lt.deadline}，剩 {lt.left} 个工作日",
                    f"{where} ({event.status}) due {lt.deadline}, {lt.left} working day(s) left",
                )
            )
    return out


def _monthly(facts: Facts, grids, today: dt.date) -> list[DueItem]:  # type: ignore[no-untyped-def]
    out = []
    first = today.replace(day=1)
    for task in facts.sup.inspections.monthly:
        held = {i.grid for i, _ in facts.inspections if i.checklist == task.checklist and first <= i.date <= today}
        for grid in grids:
            if grid.id not in held:
                out.append(
                    DueItem(
                        "monthly",
                        False,
                        grid.id,
                        f"{grid.name} 本月尚未进行{task.name}",
                        f"{grid.name}: no {task.name} yet this month",
                    )
                )
    return out


def _idle(facts: Facts, grids, today: dt.date) -> list[DueItem]:  # type: ignore[no-untyped-def]
    days = facts.sup.inspections.idle_days
    since = today - dt.timedelta(days=days - 1)
    active: set[str] = set()
    for ins, _ in facts.inspections:
        if since <= ins.date <= today:
            active.add(ins.inspector)
    for event, _ in facts.events:
        for step in event.timeline:
            if since <= step_day(step.at) <= today:
                active.add(step.by)
    staff = dict.fromkeys(s for g in grids for s in facts.workers(g))
    out = []
    for sid in staff:
        person = facts.staff.get(sid)
        if person is None or not person.is_active or sid in active:
            continue
        out.append(
            DueItem(
                "idle",
                False,
                sid,
                f"{sid} {person.name} 近 {days} 天无巡查或处置记录",
                f"{sid} {person.name}: no inspection or event step in {days} days",
            )
        )
    return out


def _contracts(facts: Facts, grids, today: dt.date) -> list[DueItem]:  # type: ignore[no-untyped-def]
    warn = facts.sup.inspections.contract_warn_days
    wanted = None if grids is None else {s for g in grids for sid in [g.id] for s in facts.workers(g)}
    out = []
    for sid, person in sorted(facts.staff.items()):
        if not person.is_active or person.contract_end is None or (wanted is not None and sid not in wanted):
            continue
        left = (person.contract_end - today).days
        if left < 0:
            out.append(
                DueItem(
                    "contract",
                    True,
                    sid,
                    f"{sid} {person.name} 聘用合同已于 {person.contract_end} 到期",
                    f"{sid} {person.name}: contract ended {person.contract_end}",
                )
            )
        elif left <= warn:
            out.append(
                DueItem(
                    "contract",
                    False,
                    sid,
                    f"{sid} {person.name} 聘用合同 {person.contract_end} 到期（{left} 天后）",
                    f"{sid} {person.name}: contract ends {person.contract_end} (in {left} days)",
                )
            )
    return out


def render_text(items: list[DueItem], today: dt.date, lang: str) -> str:
    zh = lang == "zh"
    late = sum(1 for i in items if i.overdue)
    if not items:
        return f"{today} 无待办事项\n" if zh else f"{today}: nothing due\n"
    head = (
        f"{today} 待办: 逾期 {late} 项，提醒 {len(items) - late} 项"
        if zh
        else f"{today}: {late} overdue, {len(items) - late} to watch"
    )
    lines = [head]
    section = None
    for item in items:
        if item.section != section:
            section = item.section
            lines.append(SECTIONS[section][0 if zh else 1])
        mark = ("逾期" if item.overdue else "提醒") if zh else ("overdue" if item.overdue else "watch  ")
        lines.append(f"  {mark}  {item.zh if zh else item.en}")
    return "\n".join(lines) + "\n"
