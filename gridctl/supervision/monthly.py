"""每月总结: per grid and per worker — inspections against required, hazards, events, allowances."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from gridctl.ledger.index import Ledger
from gridctl.model import Event
from gridctl.supervision.calendar import month_bounds
from gridctl.supervision.facts import Facts, gather, step_day
from gridctl.supervision.limits import closed_on, deadline_of, is_escalated, light
from gridctl.supervision.table import Report, Section


def percent(done: float, total: float) -> str:
    return "—" if not total else f"{100 * done / total:.1f}%"


def period_end(month: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The month's first day and the last day counted: its end, or today within the month."""
    first, last = month_bounds(month)
    return first, min(last, today)


@dataclass
class HazardCount:
    found: int = 0
    rectified: int = 0
    on_time: int = 0
    escalated: int = 0


def hazards(facts: Facts, events: list[Event], end: dt.date) -> HazardCount:
    out = HazardCount()
    for event in events:
        if event.type != facts.sup.time_limits.hazard_type:
            continue
        out.found += 1
        closed = closed_on(event, facts.sup)
        if closed is not None and closed <= end:
            out.rectified += 1
            deadline = deadline_of(event, facts.sup)
            if deadline is None or closed <= deadline:
                out.on_time += 1
        if is_escalated(event, facts.sup):
            out.escalated += 1
    return out


def events_in(facts: Facts, first: dt.date, end: dt.date) -> list[Event]:
    return [e for e, _ in facts.events if first <= step_day(e.reported.at) <= end]


def allowance(facts: Facts, staff: str) -> tuple[int, float, float]:
    """(包户 households, household allowance, role allowance) for one month, in 元."""
    rates = facts.sup.allowances
    count = sum(1 for h in facts.households if h.assigned_to == staff)
    roles = {r.role for g in facts.grids.values() if g.is_active for r in g.responsible if r.staff == staff}
    role_money = sum(round(a.yearly / 12, 2) for role, a in rates.roles.items() if role in roles)
    return count, round(count * rates.household_rate, 2), role_money


def monthly(ledger: Ledger, month: str, today: dt.date) -> Report:
    facts = gather(ledger)
    first, end = period_end(month, today)
    done = facts.inspected()
    month_events = events_in(facts, first, end)
    report = Report(f"{ledger.settings.name} 网格化服务管理月报 {month}", f"统计至 {end}", kind="monthly", period=month)

    grid_rows = []
    total_required = total_done = 0
    month_visits = [v for v in facts.visits if first <= v.date <= end]
    home = {h.id: h.grid for h in facts.households}
    for grid in facts.inspected_grids():
        required = facts.required_days(first, end, grid.id)
        days = [d for d in required if d in done.get(grid.id, set())]
        evs = [e for e in month_events if e.grid == grid.id]
        h = hazards(facts, evs, end)
        grid_rows.append(
            [
                grid.id,
                grid.name,
                len(required),
                len(days),
                percent(len(days), len(required)),
                h.found,
                h.rectified,
                h.on_time,
                h.escalated,
                len(evs),
                len({v.household for v in month_visits if home.get(v.household) == grid.id}),
            ]
        )
        total_required += len(required)
        total_done += len(days)
    report.sections.append(
        Section(
            "网格",
            [
                "网格",
                "名称",
                "应巡查(天)",
                "已巡查(天)",
                "完成率",
                "发现隐患",
                "已整改",
                "按期整改",
                "上报上级",
                "事件",
                "走访户数",
            ],
            grid_rows,
            key="grids",
        )
    )

    workers = _workers(facts)
    worker_rows = []
    money = 0.0
    for sid in workers:
        inspections = sum(1 for i, _ in facts.inspections if i.inspector == sid and first <= i.date <= end)
        reported = sum(1 for e in month_events if e.reported.by == sid)
        steps = sum(
            1
            for e, _ in facts.events
            for s in e.timeline
            if s.by == sid and first <= step_day(s.at) <= end and s.action != _report_action(facts)
        )
        count, household_money, role_money = allowance(facts, sid)
        visited = len({v.household for v in month_visits if v.by == sid})
        money += household_money + role_money
        worker_rows.append(
            [
                sid,
                facts.staff_name(sid),
                "、".join(g.name for g in facts.grids_of(sid)),
                inspections,
                reported,
                steps,
                visited,
                count,
                household_money,
                role_money,
                round(household_money + role_money, 2),
            ]
        )
    report.sections.append(
        Section(
            "工作人员",
            [
                "人员",
                "姓名",
                "负责网格",
                "巡查次数",
                "上报事件",
                "处置环节",
                "走访户数",
                "包户户数",
                "包户补助(元)",
                "岗位补贴(元)",
                "合计(元)",
            ],
            worker_rows,
            [f"包户补助按每户每月 {facts.sup.allowances.household_rate:g} 元计"],
            key="workers",
        )
    )

    by_type: Counter[str] = Counter(e.type for e in month_events)
    type_rows = []
    for event_type in ledger.settings.vocabularies.get("event_types", []):
        evs = [e for e in month_events if e.type == event_type]
        if not evs:
            continue
        closed = [e for e in evs if (c := closed_on(e, facts.sup)) is not None and c <= end]
        late_open = [e for e in evs if light(e, facts.sup, end).colour == "red"]
        on_time = [e for e in closed if light(e, facts.sup, end).colour == "on_time"]
        type_rows.append([event_type, by_type[event_type], len(closed), len(on_time), len(late_open)])
    report.sections.append(
        Section("事件分类", ["类型", "上报", "办结", "按期办结", "逾期未结"], type_rows, key="types")
    )

    h = hazards(facts, month_events, end)
    summary = [
        f"本月应巡查 {total_required} 网格·天，实际 {total_done}，完成率 {percent(total_done, total_required)}。",
        f"上报事件 {len(month_events)} 件；发现隐患 {h.found} 处，已整改 {h.rectified} 处（按期 {h.on_time} 处），"
        f"上报上级 {h.escalated} 处。",
        f"入户走访 {len(month_visits)} 次，{len({v.household for v in month_visits})} 户。",
        f"本月补助合计 {money:.2f} 元。",
    ]
    report.sections.append(Section("每月总结", [], [], summary, key="summary"))
    report.sections[-1].rows = [
        ["应巡查", total_required],
        ["已巡查", total_done],
        ["事件", len(month_events)],
        ["隐患", h.found],
        ["已整改", h.rectified],
        ["按期整改", h.on_time],
        ["上报上级", h.escalated],
        ["入户走访(户)", len({v.household for v in month_visits})],
        ["补助合计(元)", round(money, 2)],
    ]
    report.sections[-1].columns = ["项目", "数量"]
    return report


def _report_action(facts: Facts) -> str:
    lc = facts.sup.lifecycle
    return lc.report_action if lc else "上报"


def _workers(facts: Facts) -> list[str]:
    """Staff counted in the report: worker or chief roles, allowance roles, or 包户 households."""
    roles = set(facts.ledger.settings.policy.staff_roles) | set(facts.sup.allowances.roles)
    out = {r.staff for g in facts.grids.values() if g.is_active for r in g.responsible if r.role in roles}
    out |= {h.assigned_to for h in facts.households if h.assigned_to}
    return sorted(s for s in out if s in facts.staff and facts.staff[s].is_active)
