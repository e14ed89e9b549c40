"""每月总结: per grid, per person, per unit — inspections against required, hazards, events, activities.

The office above the units (a bureau, a 中心校, a town) gets a row per unit.

Every title, column and section speaks the profile's words (`labels:`): a school's report has
年级/处室 and 责任人, its drills and meetings, and no 走访, 包户 or 补助 columns.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from gridctl.ledger.index import Ledger
from gridctl.model import Event, Place
from gridctl.model.masking import mask_text
from gridctl.supervision import requirements
from gridctl.supervision.counts import events_in, hazards, percent, period_end
from gridctl.supervision.facts import Facts, gather, step_day
from gridctl.supervision.limits import closed_on, light
from gridctl.supervision.table import Report, Section, rate
from gridctl.supervision.units import unit_rows, unit_section


def allowances(facts: Facts, first: dt.date, end: dt.date) -> dict[str, tuple[int, float, float]]:
    """Staff → (包户 households, household allowance, role allowance) for the month first..end, in 元.

    A role taken up after the month (its `since`) earns nothing in it, nor does a household of a grid
    whose supervision had not begun: a report of a month before the ledger began showed today's sums.
    A role given up before the month (its `until`) earns nothing either; one held in it still does.
    """
    rates = facts.sup.allowances
    households = Counter(h.assigned_to for h in _paid(facts, end))
    roles: dict[str, set[str]] = {}
    for g in facts.grids.values():
        if facts.in_use_from(g, first):
            for r in g.held_between(first, end):
                if r.since is not None or _begun(facts, g.id, end):
                    roles.setdefault(r.staff, set()).add(r.role)
    out = {}
    for sid in _workers(facts, first, end):
        count = households.get(sid, 0)
        role_money = sum(round(a.yearly / 12, 2) for role, a in rates.roles.items() if role in roles.get(sid, ()))
        out[sid] = (count, round(count * rates.household_rate, 2), role_money)
    return out


def unserved(facts: Facts, first: dt.date, end: dt.date) -> Counter[str]:
    """Staff → the households assigned to them (包户) in grids where they held no role on any day of
    first..end, nor above them: paid for all the same, so the report says so (validate: GC236)."""
    serving: dict[str, set[str]] = {}

    def served_by(grid: str) -> set[str]:
        if grid not in serving:
            held = (facts.grids[g].held_between(first, end) for g in facts.chain(grid))
            serving[grid] = {r.staff for rs in held for r in rs}
        return serving[grid]

    return Counter(
        h.assigned_to for h in _paid(facts, end) if h.grid in facts.grids and h.assigned_to not in served_by(h.grid)
    )


def _paid(facts: Facts, end: dt.date) -> list[Any]:
    """The households whose 包户 a month ending `end` pays: assigned, in a grid supervised by then."""
    return [h for h in facts.households if h.assigned_to and _begun(facts, h.grid, end)]


def _begun(facts: Facts, grid: str, end: dt.date) -> bool:
    """Whether supervision of the grid had begun by `end` (a month before the ledger began pays nothing)."""
    start = facts.start_of(grid)
    return start is None or start <= end


def monthly(ledger: Ledger, month: str, today: dt.date, township: str | None = None) -> Report:
    facts = gather(ledger)
    labels = ledger.settings.labels
    first, end = period_end(month, today)
    month_events = events_in(facts, first, end)
    report = Report(
        f"{ledger.settings.name} {labels.monthly} {month}",
        f"统计至 {end}" + (f"；属地 {township}" if township else ""),
        kind="monthly",
        period=month,
        notes=facts.warnings(first, end),
    )
    grids = facts.inspected_grids(first=first)
    if township is not None:
        from gridctl.supervision.units import township_of

        grids = [g for g in grids if township_of(facts, g.id) == township]
        month_events = [e for e in month_events if township_of(facts, e.grid) == township]
    visits = [v for v in facts.visits if first <= v.date <= end]
    report.sections.append(_grids(facts, grids, month_events, visits, first, end))
    report.sections.append(_people(facts, month_events, visits, first, end))
    units = unit_rows(facts, first, end, township)
    if len(units) > 1 or township is not None or any(u.unit.parent in facts.grids for u in units):
        report.sections.append(unit_section(facts, units))
    if ledger.settings.vocabularies.get("activity_types") or facts.sup.activities:
        report.sections += _activities(facts, first, end, {u.unit.id for u in units} if township else None)
    report.sections.append(_types(facts, month_events, end))
    summary, report.totals = _summary(facts, grids, month_events, visits, first, end)
    report.sections.append(summary)
    return report


def _grids(facts: Facts, grids, events: list[Event], visits, first: dt.date, end: dt.date) -> Section:  # type: ignore[no-untyped-def]
    labels = facts.ledger.settings.labels
    done = facts.inspected()
    home = facts.home_grids
    rows = []
    for grid in grids:
        required = facts.required_days(first, end, grid.id)
        days = [d for d in required if d in done.get(grid.id, set())]
        evs = [e for e in events if e.grid == grid.id]
        h = hazards(facts, evs, end)
        row: list[Any] = [grid.id, grid.name, len(required), len(days), rate(len(days), len(required))]
        row += [h.found, h.rectified, h.on_time, h.escalated, len(evs)]
        if labels.households:
            row.append(len({v.household for v in visits if home.get(v.household) == grid.id}))
        rows.append(row)
    columns = [("grid", labels.grid), ("name", "名称"), ("due_days", "应巡查(天)"), ("done_days", "已巡查(天)")]
    columns += [("rate", "完成率"), ("hazards", "发现隐患"), ("rectified", "已整改"), ("rectified_on_time", "按期整改")]
    columns += [("escalated", "上报上级"), ("events", "事件")]
    columns += [("visited_households", "走访户数")] if labels.households else []
    return Section.of(labels.grid, columns, rows, key="grids")


def _people(facts: Facts, events: list[Event], visits, first: dt.date, end: dt.date) -> Section:  # type: ignore[no-untyped-def]
    labels = facts.ledger.settings.labels
    rows = []
    report_action = facts.sup.lifecycle.report_action if facts.sup.lifecycle else "上报"
    money_of = allowances(facts, first, end) if labels.households else {}
    inspected = Counter(i.inspector for i, _ in facts.inspections if first <= i.date <= end)
    reports = Counter(e.reported.by for e in events)
    taken = Counter(
        s.by
        for e, _ in facts.events
        for s in e.timeline
        if first <= step_day(s.at) <= end and s.action != report_action
    )
    for sid in _workers(facts, first, end):
        inspections, reported, steps = inspected[sid], reports[sid], taken[sid]
        grids = "、".join(g.name for g in facts.grids_of(sid, first, end))
        row: list[Any] = [sid, facts.staff_name(sid), grids, inspections, reported, steps]
        if labels.households:
            count, household_money, role_money = money_of[sid]
            visited = len({v.household for v in visits if v.by == sid})
            row += [visited, count, household_money, role_money, round(household_money + role_money, 2)]
        rows.append(row)
    columns = [("staff", "人员"), ("name", "姓名"), ("grids", f"负责{labels.grid}"), ("inspections", "巡查次数")]
    columns += [("events_reported", "上报事件"), ("steps", "处置环节")]
    notes = []
    if labels.households:
        columns += [("visited_households", "走访户数"), ("assigned_households", "包户户数")]
        columns += [
            ("household_allowance", "包户补助(元)"),
            ("role_allowance", "岗位补贴(元)"),
            ("allowance", "合计(元)"),
        ]
        notes.append(f"包户补助按每户每月 {facts.sup.allowances.household_rate:g} 元计")
        strays = {s: n for s, n in unserved(facts, first, end).items() if money_of.get(s, (0,))[0]}  # paid ones
        if strays:
            who = "、".join(f"{facts.staff_name(s)} ({s}) {n} 户" for s, n in sorted(strays.items()))
            notes.append(f"包户人本月不在该户所在网格任职，补助照计，请核对: {who} (GC236)")
    return Section.of(labels.staff, columns, rows, notes, key="workers")


def _activities(facts: Facts, first: dt.date, end: dt.date, only: set[str] | None) -> list[Section]:
    """The month's drills, meetings and lessons, and what the plan asked that was not held."""
    held = []
    for a in requirements.activities(facts):
        unit = next((u for u in facts.chain(a.grid) if only is None or u in only), None)
        if not first <= a.date <= end or unit is None:
            continue
        host = facts.staff_name(a.host) if a.host else None
        kind = a.type + (f"（{a.occasion}）" if a.occasion else "")
        title, summary = mask_text(a.title or ""), mask_text(a.summary or "")  # a report goes up: no resident's number
        held.append(
            [a.date, facts.name(a.grid), kind, title or None, a.participants, host, summary or None, len(a.photos)]
        )
    columns = [("date", "日期"), ("unit", "单位"), ("type", "类型"), ("title", "主题"), ("participants", "参加人数")]
    columns += [("host", "组织人"), ("summary", "内容和效果"), ("photos", "照片")]
    out = [Section.of("活动（演练、例会、安全教育、培训）", columns, held, key="activities")]
    missing = []
    for unit in requirements.units(facts, []) + requirements.units(facts, _rule_levels(facts)):
        if only is not None and unit.id not in only:
            continue
        tally = requirements.tally(facts, unit, first, end)
        missing += [[unit.name, m] for m in tally.missing if [unit.name, m] not in missing]
    if facts.sup.activities:
        note = [] if missing else ["本月计划要求的活动均已开展"]
        columns = [("unit", "单位"), ("requirement", "要求（期间）")]
        out.append(Section.of("计划要求未完成", columns, missing, note, key="requirements"))
    return out


def _rule_levels(facts: Facts) -> list[str]:
    return [level for rule in facts.sup.activities for level in rule.levels]


def _types(facts: Facts, events: list[Event], end: dt.date) -> Section:
    by_type: Counter[str] = Counter(e.type for e in events)
    rows = []
    for event_type in facts.ledger.settings.vocabularies.get("event_types", []):
        evs = [e for e in events if e.type == event_type]
        if not evs:
            continue
        closed = [e for e in evs if closed_on(e, facts.sup, end) is not None]
        late_open = [e for e in evs if light(e, facts.sup, end).colour == "red"]
        on_time = [e for e in closed if light(e, facts.sup, end).colour == "on_time"]
        rows.append([event_type, by_type[event_type], len(closed), len(on_time), len(late_open)])
    columns = [("type", "类型"), ("reported", "上报"), ("closed", "办结"), ("closed_on_time", "按期办结")]
    return Section.of("事件分类", [*columns, ("late_open", "逾期未结")], rows, key="types")


def _summary(facts: Facts, grids, events: list[Event], visits, first: dt.date, end: dt.date):  # type: ignore[no-untyped-def]
    """The month in sentences and as (item, count) rows, and its headline numbers by name (JSON `totals`)."""
    labels = facts.ledger.settings.labels
    done = facts.inspected()
    required = done_days = 0
    for grid in grids:
        days = facts.required_days(first, end, grid.id)
        required += len(days)
        done_days += sum(1 for d in days if d in done.get(grid.id, set()))
    h = hazards(facts, events, end)
    held = sum(1 for a in requirements.activities(facts) if first <= a.date <= end)
    lines = [
        f"本月应巡查 {required} {labels.grid}·天，实际 {done_days}，完成率 {percent(done_days, required)}。",
        f"上报事件 {len(events)} 件；发现隐患 {h.found} 处，已整改 {h.rectified} 处（按期 {h.on_time} 处），"
        f"上报上级 {h.escalated} 处。",
    ]
    rows: list[list[Any]] = [
        ["应巡查", required],
        ["已巡查", done_days],
        ["事件", len(events)],
        ["隐患", h.found],
        ["已整改", h.rectified],
        ["按期整改", h.on_time],
        ["上报上级", h.escalated],
    ]
    if facts.ledger.settings.vocabularies.get("activity_types") or facts.sup.activities:
        lines.append(f"开展演练、例会、安全教育等活动 {held} 次。")
        rows.append(["活动", held])
    rentals = _rentals(facts)
    if rentals is not None:
        count, plated, floating, sorted_people = rentals
        lines.append(
            f"出租房屋 {count} 处，已挂牌 {plated} 处，未挂牌 {count - plated} 处；"
            f"流动人口 {floating} 人，已落实四类管理 {sorted_people} 人。"
        )
        rows += [["出租房屋", count], ["未挂牌", count - plated], ["流动人口未分类", floating - sorted_people]]
    totals: dict[str, Any] = {"due_days": required, "done_days": done_days, "rate": rate(done_days, required)}
    totals |= {"events": len(events), "hazards": h.found, "rectified": h.rectified, "rectified_on_time": h.on_time}
    totals["escalated"] = h.escalated
    if facts.ledger.settings.vocabularies.get("activity_types") or facts.sup.activities:
        totals["activities"] = held
    if labels.households:
        money = sum(household + role for _count, household, role in allowances(facts, first, end).values())
        lines.append(f"入户走访 {len(visits)} 次，{len({v.household for v in visits})} 户。")
        lines.append(f"本月补助合计 {money:.2f} 元。")
        rows += [["入户走访(户)", len({v.household for v in visits})], ["补助合计(元)", round(money, 2)]]
        totals |= {"visits": len(visits), "visited_households": len({v.household for v in visits})}
        totals["allowance"] = round(money, 2)
    section = Section.of("每月总结", [("item", "项目"), ("count", "数量")], rows, lines, key="summary")
    return section, totals


def _rentals(facts: Facts) -> tuple[int, int, int, int] | None:
    """(rentals, plated, floating people, classified) where the profile manages rentals (四类管理)."""
    policy = facts.ledger.settings.policy
    if policy.rental_type is None:
        return None
    places = [p for p, _ in facts.ledger.records(Place) if p.is_active and (p.type == policy.rental_type or p.rental)]
    plated = sum(1 for p in places if p.rental is not None and p.rental.plate_number)
    floating = [
        m for h in facts.households for m in h.members if m.retired is None and m.residence in policy.floating_residence
    ]
    return len(places), plated, len(floating), sum(1 for m in floating if m.category)


def _workers(facts: Facts, first: dt.date, end: dt.date) -> list[str]:
    """Staff counted in the month's report: worker or chief roles, allowance roles, or 包户 households,
    held on some day of first..end by someone who had not left before it began."""
    roles = set(facts.ledger.settings.policy.staff_roles) | set(facts.sup.allowances.roles)
    out = {
        r.staff
        for g in facts.grids.values()
        if facts.in_use_from(g, first)
        for r in g.held_between(first, end)
        if r.role in roles
    }
    out |= {h.assigned_to for h in facts.households if h.assigned_to}
    return sorted(s for s in out if facts.served(s, first))
