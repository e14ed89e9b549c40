"""三本台账 (民生服务, 困难群众, 社会稳定) and the N-group lists, from the records, masked unless revealed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gridctl.ledger.index import Ledger
from gridctl.model import Household, Person
from gridctl.model.household import HEAD
from gridctl.model.masking import mask_id_number, mask_phone, mask_text
from gridctl.supervision import requirements
from gridctl.supervision.facts import gather, step_day
from gridctl.supervision.table import Report, Section

PEOPLE = ["网格", "户", "姓名", "公民身份号码", "电话", "类别"]
PEOPLE_FIELDS = ["grid", "household", "name", "id_number", "phone", "tags"]


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1)


def _head(household: Household) -> Person | None:
    """Who a household-wide care group is listed under: its living 户主, else its first living member (a head
    who died is no one to serve); the first member only when no one lives there any more (GC263 says so)."""
    living = [m for m in household.members if m.retired is None]
    return next((m for m in living if m.relation == HEAD), living[0] if living else next(iter(household.members), None))


def _row(grid: str, household: Household, person: Person | None, tags: list[str], reveal: bool) -> list[Any]:
    name = person.name if person else ""
    number = (person.id_number or "") if person else ""
    phone = person.phones[0] if person and person.phones else ""
    if not reveal:
        name, number, phone = (
            mask_name(name) if name else "",
            mask_id_number(number) if number else "",
            mask_phone(phone) if phone else "",
        )
    return [grid, household.id, name, number, phone, "、".join(tags)]


def group_rows(ledger: Ledger, groups: set[str], reveal: bool) -> list[list[Any]]:
    """One row per tagged household (its head) and per tagged person, for the groups asked."""
    facts = gather(ledger)
    rows = []
    for row in sorted(facts.households, key=lambda h: (h.grid, h.id)):
        if not set(row.tags) & groups and not any(set(p.tags) & groups for p in row.members):
            continue  # the typed record (names, numbers, phones) is built only for the households listed
        entry = ledger.get(row.id)
        household = entry.record if entry is not None else None
        if not isinstance(household, Household):
            continue
        tags = [t for t in household.tags if t in groups]
        if tags:
            rows.append(_row(facts.name(household.grid), household, _head(household), tags, reveal))
        for person in household.members:
            own = [t for t in person.tags if t in groups]
            if own and person.retired is None:
                rows.append(_row(facts.name(household.grid), household, person, own, reveal))
    return rows


COUNTS = ["网格", "户", "人"]
COUNT_FIELDS = ["grid", "households", "people"]


def _title(title: str, reveal: bool) -> str:
    return title if reveal else mask_text(title)


def group_counts(ledger: Ledger, groups: set[str]) -> list[list[Any]]:
    """How many households and people of these groups each grid has: what a list may say without --reveal.

    A name (even masked) beside 社区矫正 ties a person to a care group; counts do not.
    """
    facts = gather(ledger)
    by_grid: dict[str, list[set[str]]] = {}
    for household in facts.households:
        people = {p.id for p in household.members if p.retired is None and set(p.tags) & groups}
        tagged = bool(set(household.tags) & groups)
        if people or tagged:
            houses, persons = by_grid.setdefault(household.grid, [set(), set()])
            houses.add(household.id)
            persons.update(people if not tagged else {p.id for p in household.members if p.retired is None})
    return [[facts.name(grid), len(h), len(p)] for grid, (h, p) in sorted(by_grid.items())]


def registers(ledger: Ledger, today: dt.date, reveal: bool) -> Report:
    from gridctl.ledger.vault import tags_closed

    facts = gather(ledger)
    note = "已显示完整个人信息，注意保密" if reveal else "仅列数量；加 --reveal 列出名单 (会被记录)"
    report = Report(
        f"{ledger.settings.name} {ledger.settings.labels.registers}",
        f"截至 {today}；{note}",
        kind="registers",
        period=today.isoformat(),
    )
    closed = tags_closed(ledger)
    if closed:  # the people sections stay out: empty, they would read "nobody" where there are people
        report.notes.append("人员标签已加密，本机没有能解开的密钥：服务对象和 N 类人群无法统计，未列出")
    for register in facts.sup.registers:
        types = set(register.event_types)
        events = [
            [e.id, step_day(e.reported.at), facts.name(e.grid), e.type, _title(e.title, reveal), e.status]
            for e, _ in facts.events
            if e.type in types and step_day(e.reported.at) <= today
        ]
        if types:
            report.sections.append(
                Section(
                    f"{register.name}：事件",
                    ["事件", "日期", "网格", "类型", "标题", "状态"],
                    events,
                    key=f"{register.name}/events",
                    fields=["event", "date", "grid", "type", "title", "status"],
                )
            )
        if register.activity_types:
            kinds = set(register.activity_types)
            held = [
                [
                    a.id,
                    a.date,
                    facts.name(a.grid),
                    a.type + (f"（{a.occasion}）" if a.occasion else ""),
                    _title(a.title or "", reveal),
                    a.participants,
                    facts.staff_name(a.host) if a.host else None,
                    _title(a.summary or "", reveal),
                    len(a.photos),
                ]
                for a in requirements.activities(facts)
                if a.type in kinds and a.date <= today
            ]
            report.sections.append(
                Section(
                    register.name,
                    ["活动", "日期", "单位", "类型", "主题", "参加人数", "组织人", "内容和效果", "照片"],
                    held,
                    key=f"{register.name}/activities",
                    fields=["activity", "date", "unit", "type", "title", "participants", "host", "summary", "photos"],
                )
            )
        if closed:
            continue
        if register.care_groups and reveal:
            rows = group_rows(ledger, set(register.care_groups), reveal)
            report.sections.append(
                Section(f"{register.name}：服务对象", PEOPLE, rows, key=f"{register.name}/people", fields=PEOPLE_FIELDS)
            )
        elif register.care_groups:
            rows = group_counts(ledger, set(register.care_groups))
            report.sections.append(
                Section(f"{register.name}：服务对象", COUNTS, rows, key=f"{register.name}/counts", fields=COUNT_FIELDS)
            )
    for group in [] if closed else ledger.settings.vocabularies.get("care_groups", []):
        if reveal:
            rows = group_rows(ledger, {group}, reveal)
            if rows:
                title = f"N 类人群：{group}（{len(rows)}）"
                report.sections.append(Section(title, PEOPLE, rows, key=f"group/{group}", fields=PEOPLE_FIELDS))
            continue
        rows = group_counts(ledger, {group})
        if rows:
            people = sum(r[2] for r in rows)
            report.sections.append(
                Section(f"N 类人群：{group}（{people} 人）", COUNTS, rows, key=f"group/{group}", fields=COUNT_FIELDS)
            )
    return report
