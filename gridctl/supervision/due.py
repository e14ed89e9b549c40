"""`gridctl due`: what a grid chief must see in the morning, overdue first within each section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridctl.ledger.index import Ledger
from gridctl.model.masking import mask_text
from gridctl.supervision import requirements, upkeep
from gridctl.supervision.deadlines import hours_late, lateness, light_words
from gridctl.supervision.facts import Facts, gather, step_day
from gridctl.supervision.limits import closed_on, end_of, escalate_deadline, is_escalated, light, when
from gridctl.supervision.routing import escalated_outside, escalated_to

SECTIONS = {
    "inspection": ("巡查", "inspections"),
    "event": ("事件", "events"),
    "monthly": ("每月任务", "monthly tasks"),
    "activity": ("活动", "activities"),
    "document": ("文件", "documents"),
    "visit": ("重点人群走访", "care-group visits"),
    "thing": ("设施", "things"),
    "idle": ("人员活动", "staff activity"),
    "contract": ("聘用合同", "contracts"),
}


RECENT = 14
"""A missed day is listed while it is the last one due within this many days (not after a vacation)."""


@dataclass(frozen=True)
class DueItem:
    section: str
    overdue: bool
    record: str
    zh: str
    en: str
    due: dt.date | None = None
    """The day (or, for a limit in hours, the time) it is or was due."""
    days_late: int | None = None
    """How late: working days for an event, days otherwise; None when not late."""
    days_left: int | None = None
    """How long until due (working days for an event), when not late."""
    hours_late: float | None = None
    """For a limit in hours: how late."""
    hours_left: float | None = None
    """For a limit in hours: how long until due."""

    def as_json(self) -> dict[str, object]:
        return {
            "section": self.section,
            "overdue": self.overdue,
            "record": self.record,
            "due": self.due.isoformat() if self.due else None,
            "days_late": self.days_late,
            "days_left": self.days_left,
            "hours_late": self.hours_late,
            "hours_left": self.hours_left,
            "zh": self.zh,
            "en": self.en,
        }


def _item(i: upkeep.Item) -> DueItem:
    return DueItem(i.section, i.overdue, i.record, i.zh, i.en, due=i.due, **lateness(i.left, None))


def due_notes(ledger: Ledger, today: dt.date) -> list[tuple[str, str]]:
    """(zh, en) warnings for the morning list: the holiday data, the school calendar, care groups no key opens."""
    from gridctl.ledger.vault import tags_closed

    facts = gather(ledger)
    notes = facts.notes(today, today)
    if facts.sup.visits and tags_closed(ledger):  # without a word, no visit due would read "all visited"
        notes.append(
            (
                "人员标签已加密，本机没有能解开的密钥：重点人群走访是否到期无法判断，未列出",
                "care-group tags are encrypted and no key here opens them: care-group visits due cannot be told "
                "and are not listed",
            )
        )
    return notes


def due_list(
    ledger: Ledger, today: dt.date, under: str | None = None, now: dt.datetime | None = None, reveal: bool = False
) -> list[DueItem]:
    """What is due on `today` (at `now`, for limits in hours), for the grids under `under`.

    Care groups are named only with `reveal`."""
    facts = gather(ledger)
    grids = facts.inspected_grids(under)
    items = [
        *_inspections(facts, grids, today),
        *_events(facts, under, today, now),
        *_monthly(facts, grids, today),
        *_activities(facts, under, today),
        *_documents(facts, under, today),
        *(_item(i) for i in upkeep.visits(facts, under, today, reveal)),
        *(_item(i) for i in upkeep.things(facts, under, today)),
        *_idle(facts, grids, today),
        *_contracts(facts, grids if under else None, today),
    ]
    order = list(SECTIONS)
    return sorted(items, key=lambda i: (order.index(i.section), not i.overdue, i.record))


def _inspections(facts: Facts, grids, today: dt.date) -> list[DueItem]:  # type: ignore[no-untyped-def]
    done = facts.inspected()
    yesterday = facts.previous_due_day(today, RECENT)
    out = []
    for grid in grids:
        days = done.get(grid.id, set())
        begin = facts.start_of(grid.id)
        if yesterday is not None and yesterday not in days and (begin is None or begin <= yesterday):
            out.append(
                DueItem(
                    "inspection",
                    True,
                    grid.id,
                    f"{facts.name(grid.id)} {yesterday:%m-%d} 未巡查",
                    f"{facts.name(grid.id)} not inspected on {yesterday:%m-%d}",
                    due=yesterday,
                    days_late=(today - yesterday).days,
                )
            )
        if facts.is_due_day(today) and today not in days and (begin is None or begin <= today):
            out.append(
                DueItem(
                    "inspection",
                    False,
                    grid.id,
                    f"{facts.name(grid.id)} 今日尚未巡查",
                    f"{facts.name(grid.id)} not inspected today yet",
                    due=today,
                    days_left=0,
                )
            )
    return out


def _events(facts: Facts, under: str | None, today: dt.date, now: dt.datetime | None) -> list[DueItem]:
    out = []
    lc = facts.sup.lifecycle
    for event, _ in facts.events:
        upper = escalated_to(lc, event) if lc else None
        if under is not None and under not in facts.chain(event.grid) and under not in facts.chain(upper or ""):
            continue
        if step_day(event.reported.at) > today:
            continue
        lt = light(event, facts.sup, today, now)
        where = f"{event.id} {facts.name(event.grid)} {mask_text(event.title)}"  # a title may quote a phone
        due = when(lt.deadline)
        if lt.colour in ("red", "yellow"):
            late = lt.colour == "red"
            zh, en = light_words(lt)
            out.append(
                DueItem(
                    "event",
                    late,
                    event.id,
                    f"{where}（{event.status}）期限 {due}，{zh}",
                    f"{where} ({event.status}) due {due}, {en}",
                    due=lt.deadline,
                    **lateness(lt.left, lt.hours, late),
                )
            )
        elif lt.colour == "escalated" and upper in facts.grids:
            name = facts.name(upper)
            out.append(
                DueItem(
                    "event",
                    False,
                    event.id,
                    f"{where} 已上报{name}，待{name}受理",
                    f"{where}: escalated to {name}, to accept",
                )
            )
        elif lt.colour == "escalated" and lc is not None and upper not in facts.grids:
            out += _outside(facts, event, where, escalated_outside(lc, event), today, now)
        out += _escalation(facts, event, where, today, now)
    return out


def _outside(
    facts: Facts, event, where: str, body: str | None, today: dt.date, now: dt.datetime | None
) -> list[DueItem]:  # type: ignore[no-untyped-def]
    """上报台账外的单位 (派出所, 教育局): nobody in the ledger accepts it, so it stays on the grid's list
    to follow up, a reminder and never overdue: the grid did its part when it handed it up, and what
    the body outside takes is not the grid's lateness (its own deadline is said beside it)."""
    lt = light(event, facts.sup, today, now, handed_up=False)
    body = body or "上级"
    zh = f"{where} 已上报{body}（台账外），由本网格跟进"
    en = f"{where}: escalated to {body} (outside the ledger), to follow up"
    if lt.deadline is None:
        return [DueItem("event", False, event.id, zh, en)]
    due = when(lt.deadline)
    return [DueItem("event", False, event.id, f"{zh}，原期限 {due}", f"{en}, first due {due}", due=lt.deadline)]


def _escalation(facts: Facts, event, where: str, today: dt.date, now: dt.datetime | None) -> list[DueItem]:  # type: ignore[no-untyped-def]
    """事故报告: an accident not yet 上报上级 within its hours."""
    deadline = escalate_deadline(facts.sup, event)
    if deadline is None or is_escalated(event, facts.sup, today) or closed_on(event, facts.sup, today) is not None:
        return []
    at = now if now is not None and now.date() == today else end_of(today)
    hours = round((deadline - at).total_seconds() / 3600, 1)
    if hours < 0:
        late_zh, late_en = hours_late(-hours)
        zh = f"{where} 应于 {when(deadline)} 前上报上级，{late_zh}"
        en = f"{where}: to be escalated by {when(deadline)}, {late_en}"
    else:
        zh = f"{where} 须于 {when(deadline)} 前上报上级（剩 {hours:g} 小时）"
        en = f"{where}: escalate by {when(deadline)} ({hours:g} hour(s) left)"
    return [DueItem("event", hours < 0, event.id, zh, en, due=deadline, **lateness(None, hours))]


def _monthly(facts: Facts, grids, today: dt.date) -> list[DueItem]:  # type: ignore[no-untyped-def]
    out = []
    first = today.replace(day=1)
    end = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
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
                        due=end,
                        days_left=(end - today).days,
                    )
                )
    return out


def _activities(facts: Facts, under: str | None, today: dt.date) -> list[DueItem]:
    out = []
    for m in requirements.missing_activities(facts, today):
        if under is not None and under not in facts.chain(m.unit.id):
            continue
        w = m.window
        if m.overdue:
            zh = f"{m.unit.name} {w.label}（{w.start:%m-%d}–{w.end:%m-%d}）未开展{m.rule}"
            en = f"{m.unit.name}: no {m.rule} in {w.label} ({w.start:%m-%d}–{w.end:%m-%d})"
        else:
            zh = f"{m.unit.name} {w.label}尚未开展{m.rule}（{w.end:%m-%d} 前）"
            en = f"{m.unit.name}: {m.rule} not held yet in {w.label} (by {w.end:%m-%d})"
        out.append(DueItem("activity", m.overdue, m.unit.id, zh, en, due=w.end, **lateness((w.end - today).days, None)))
    return out


def _documents(facts: Facts, under: str | None, today: dt.date) -> list[DueItem]:
    out = []
    for d in requirements.document_dues(facts, today):
        if d.done is not None or (under is not None and under not in facts.chain(d.unit.id)):
            continue
        to = f"报{d.rule.to}" if d.rule.to else ""
        left = (d.due - today).days
        if left < 0:
            zh = f"{d.unit.name} {d.rule.name}应于 {d.due} 前{to}，已超 {-left} 天"
            en = f"{d.unit.name}: {d.rule.name} was due {d.due}, {-left} day(s) late"
        else:
            zh = f"{d.unit.name} {d.rule.name}须于 {d.due} 前{to}（{left} 天后）"
            en = f"{d.unit.name}: {d.rule.name} due {d.due} (in {left} days)"
        out.append(DueItem("document", left < 0, d.unit.id, zh, en, due=d.due, **lateness(left, None)))
    for doc, overdue in requirements.open_documents(facts, today):
        if under is not None and under not in facts.chain(doc.grid):
            continue
        where = f"{doc.id} {facts.name(doc.grid)} {mask_text(doc.title)}"
        if overdue:
            zh, en = f"{where} 应于 {doc.due} 完成，已逾期", f"{where}: was due {doc.due}"
        else:
            zh, en = f"{where} 须于 {doc.due} 前完成", f"{where}: due {doc.due}"
        left = (doc.due - today).days if doc.due else None
        out.append(DueItem("document", overdue, doc.id, zh, en, due=doc.due, **lateness(left, None)))
    return out


def _idle(facts: Facts, grids, today: dt.date) -> list[DueItem]:  # type: ignore[no-untyped-def]
    days = facts.sup.inspections.idle_days
    since = today - dt.timedelta(days=days - 1)
    if not facts.has_due_days(since, today):
        return []  # a vacation: nobody is expected to inspect
    term = facts.school.term_of(today) if facts.sup.inspections.on == "school_days" else None
    if term is not None and term.start > since:
        return []  # the term began within the window: the vacation before it is no idle time
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
        began = [facts.start_of(g.id, sid) for g in grids if sid in facts.workers(g)]
        if began and all(b is not None and b > since for b in began):
            continue  # newly responsible: not idle yet
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
                    due=person.contract_end,
                    days_late=-left,
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
                    due=person.contract_end,
                    days_left=left,
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
