"""Per unit (学校, 村/社区): the summary the bureau and the town read, and the 通报 that ranks them.

A unit's figures add up its subtree: the inspections its grids owed and did, the hazards found
and rectified, the activities and documents the plan asked of it. The 通报 scores each unit with
the profile's `assessment.units` weights and writes a comment a clerk can read out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gridctl.ledger.index import Ledger
from gridctl.model import Grid
from gridctl.model.settings import Settings
from gridctl.model.supervision import Supervision
from gridctl.supervision import requirements
from gridctl.supervision.counts import HazardCount, formula, hazards, percent
from gridctl.supervision.facts import Facts, gather, step_day
from gridctl.supervision.limits import light
from gridctl.supervision.table import Ratio, Report, Section, rate

GRADES = ((90, "优秀"), (80, "良好"), (60, "合格"), (0, "不合格"))
"""等次 by score; the plans name 通报表扬 and 通报批评 but no thresholds."""


@dataclass
class UnitRow:
    unit: Grid
    township: str
    required: int = 0
    inspected: int = 0
    hazards: HazardCount = field(default_factory=HazardCount)
    overdue: int = 0
    """Hazards still open past their deadline at the end of the period."""
    events: int = 0
    held: int = 0
    """Activities held in the period (any type)."""
    activities: requirements.Tally = field(default_factory=requirements.Tally)
    documents: requirements.Tally = field(default_factory=requirements.Tally)

    def rate(self, measure: str) -> float:
        done, total = {
            "inspection_rate": (self.inspected, self.required),
            "on_time_rate": (self.hazards.on_time, self.hazards.found),
            "closed_rate": (self.hazards.rectified, self.hazards.found),
            "activity_rate": (self.activities.done, self.activities.wanted),
            "document_rate": (self.documents.done, self.documents.wanted),
        }.get(measure, (0, 0))
        return 1.0 if total == 0 else done / total


def township_of(facts: Facts, grid: str) -> str:
    """The 属地乡镇 of the grid or the nearest grid above it that names one."""
    for gid in facts.chain(grid):
        township = facts.grids[gid].township
        if township:
            return township
    return ""


def unit_rows(facts: Facts, first: dt.date, end: dt.date, township: str | None = None) -> list[UnitRow]:
    done = facts.inspected()
    inspected = facts.inspected_grids(first=first)
    rows = []
    for unit in requirements.units(facts, []):
        where = township_of(facts, unit.id)
        if township is not None and where != township:
            continue
        row = UnitRow(unit, where)
        below = requirements.subtree(facts, unit.id)
        for grid in (g for g in inspected if g.id in below):
            required = facts.required_days(first, end, grid.id)
            row.required += len(required)
            row.inspected += sum(1 for d in required if d in done.get(grid.id, set()))
        mine = [e for e, _ in facts.events if e.grid in below and step_day(e.reported.at) <= end]
        in_period = [e for e in mine if first <= step_day(e.reported.at)]
        row.events = len(in_period)
        row.hazards = hazards(facts, in_period, end)
        hazard_type = facts.sup.time_limits.hazard_type
        row.overdue = sum(1 for e in mine if e.type == hazard_type and light(e, facts.sup, end).colour == "red")
        row.held = sum(1 for a in requirements.activities(facts) if a.grid in below and first <= a.date <= end)
        row.activities = requirements.tally(facts, unit, first, end)
        row.documents = requirements.document_tally(facts, unit, first, end)
        rows.append(row)
    return rows


def unit_section(facts: Facts, rows: list[UnitRow]) -> Section:
    """每所学校 (每个村/社区) 一行: the bureau's and the town's view of the month."""
    labels = facts.ledger.settings.labels
    towns = any(r.township for r in rows)
    columns = [("unit", labels.unit), *([("township", "属地")] if towns else []), ("due_days", "应巡查")]
    columns += [("done_days", "已巡查"), ("rate", "完成率"), ("hazards", "发现隐患"), ("rectified", "已整改")]
    columns += [("rectified_on_time", "按期整改"), ("overdue", "逾期未改"), ("escalated", "上报上级")]
    columns += [("activities_held", "活动"), ("planned_activities", "计划活动"), ("documents", "文件报送")]
    out = []
    for r in rows:
        out.append(
            [
                r.unit.name,
                *([r.township] if towns else []),
                r.required,
                r.inspected,
                rate(r.inspected, r.required),
                r.hazards.found,
                r.hazards.rectified,
                r.hazards.on_time,
                r.overdue,
                r.hazards.escalated,
                r.held,
                Ratio(r.activities.done, r.activities.wanted),
                Ratio(r.documents.done, r.documents.wanted),
            ]
        )
    notes = ["计划活动、文件报送: 已完成/应完成 (按 gridctl.yaml 的 supervision.activities 和 documents)"]
    return Section.of(f"各{labels.unit}汇总", columns, out, notes, key="units")


def score(sup: Supervision, row: UnitRow) -> float:
    return round(sum(m.weight * row.rate(m.measure) for m in sup.assessment.units), 2)


def has_data(row: UnitRow) -> bool:
    """Whether anything was owed or happened in the unit in the period: a unit with none scores full
    marks on nothing (every rate of nothing is 100%), which is no ground for praise."""
    return bool(row.required or row.events or row.overdue or row.held or row.activities.wanted or row.documents.wanted)


def grade(points: float, full: float) -> str:
    share = 100 * points / full if full else 100.0
    return next(name for floor, name in GRADES if share >= floor)


def comment(row: UnitRow, graded: str) -> str:
    """评语: what went well or what is to be put right, in the words of a 通报."""
    parts = []
    if row.overdue:
        parts.append(f"{row.overdue} 处隐患逾期未整改")
    if row.required and row.inspected < row.required:
        parts.append(f"巡查完成率 {percent(row.inspected, row.required)}，漏查 {row.required - row.inspected} 天次")
    if row.activities.missing:
        shown = "、".join(row.activities.missing[:3])
        more = f"等 {len(row.activities.missing)} 项" if len(row.activities.missing) > 3 else ""
        parts.append(f"未开展{shown}{more}")
    if row.documents.missing:
        parts.append("未按期报送" + "、".join(row.documents.missing))
    if not parts:
        return "各项工作按要求完成，予以表扬" if graded == GRADES[0][1] else "各项工作按要求完成"
    tail = {GRADES[-1][1]: "，予以通报批评", GRADES[-2][1]: "，限期整改"}.get(graded, "，请及时改进")
    return "；".join(parts) + tail


def bulletin(ledger: Ledger, period: str, first: dt.date, end: dt.date, township: str | None = None) -> Report:
    """通报: every unit of the ledger ranked by its score, with 等次 and 评语, and a summary to read out."""
    facts = gather(ledger)
    rows = unit_rows(facts, first, end, township)
    return ranking(ledger.settings, rows, period, (first, end), township, facts.warnings(first, end))


def ranking(
    settings: Settings,
    rows: list[UnitRow],
    period: str,
    span: tuple[dt.date, dt.date],
    township: str | None = None,
    notes: list[str] | None = None,
) -> Report:
    """The 通报 of `rows` (one ledger's units, or a town's units' rows put together), scored with the
    weights of `settings` (the ledger that ranks). Its totals say how many units were ranked and how
    many had anything to count (`with_data`): none is an empty ranking, never to be sent as a 通报."""
    first, end = span
    sup = settings.supervision
    labels = settings.labels
    full = sum(m.weight for m in sup.assessment.units)
    with_data = sum(1 for r in rows if has_data(r))
    # full marks for nothing is no ground for a rank, let alone praise: a unit with nothing owed and
    # nothing done in the period is named apart (未参评), and a ranking of none is no ranking at all
    ranked = [r for r in rows if has_data(r)]
    unranked = [r.unit.name for r in rows if not has_data(r)]
    scored = sorted(((score(sup, r), r) for r in ranked), key=lambda x: (-x[0], x[1].unit.id))
    towns = any(r.township for r in rows)
    table: list[list[Any]] = []
    remarks: list[list[Any]] = []
    praised, criticised = [], []
    for rank, (points, row) in enumerate(scored, 1):
        graded = grade(points, full)
        said = comment(row, graded)
        if said.endswith("予以表扬"):
            praised.append(row.unit.name)
        if graded == GRADES[-1][1]:
            criticised.append(row.unit.name)
        rates = [rate(row.rate(m.measure), 1) for m in sup.assessment.units]
        table.append([rank, row.unit.name, *([row.township] if towns else []), points, graded, *rates])
        remarks.append([rank, row.unit.name, said])
    where = f"（{township}）" if township else ""
    report = Report(
        f"{labels.bulletin}{where}",
        f"{settings.name} · {period} · 统计 {first} 至 {end}",
        kind="bulletin",
        period=period,
        notes=list(notes or []),
        totals={"units": len(rows), "with_data": with_data},
    )
    made = formula(sup.assessment.units)
    thresholds = "，".join(f"{name}≥{floor}" for floor, name in GRADES[:-1])
    report.sections.append(
        Section.of(
            "综合排名",
            [
                ("rank", "名次"),
                ("unit", labels.unit),
                *([("township", "属地")] if towns else []),
                ("score", "得分"),
                ("grade", "等次"),
                *((m.measure, m.name) for m in sup.assessment.units),
            ],
            table,
            [f"得分 = {made}（满分 {full:g}）；等次: {thresholds}，其余为不合格（按满分折算为百分制）"],
            key="ranking",
        )
    )
    columns = [("rank", "名次"), ("unit", labels.unit), ("remark", "评语")]
    report.sections.append(Section.of("评语", columns, remarks, key="remarks"))
    if not with_data:
        summary = [f"本期没有{labels.unit}有可统计的数据（应巡查、事件、活动、文件均无），排名为空，不作通报。"]
    else:
        counts = {name: sum(1 for row in table if row[4 if towns else 3] == name) for _f, name in GRADES}
        tally = "，".join(f"{name} {n} 个" for name, n in counts.items())
        summary = [
            f"本期参评{labels.unit} {len(table)} 个：{tally}。",
            ("予以表扬: " + "、".join(praised) + "。") if praised else "本期无表扬单位。",
            ("通报批评: " + "、".join(criticised) + "，请于收到通报后限期整改并书面报告整改情况。")
            if criticised
            else "本期无通报批评单位。",
        ]
        if unranked:
            summary.append(f"未参评（本期无应巡查、事件、活动、文件，无可统计数据）: {'、'.join(unranked)}。")
    report.sections.append(Section("通报", [], [], summary, key="summary"))
    if towns and not township:
        report.sections.append(_by_township(rows))
    return report


def empty(report: Report) -> bool:
    """A 通报 whose ranking has no unit with anything to count: nothing to rank, praise or criticise."""
    return report.kind == "bulletin" and not report.totals.get("with_data", 1)


def _by_township(rows: list[UnitRow]) -> Section:
    """属地汇总: each 乡镇 sees its own schools."""
    groups: dict[str, list[UnitRow]] = {}
    for r in rows:
        groups.setdefault(r.township or "（未填属地）", []).append(r)
    out = []
    for town, members in sorted(groups.items()):
        required = sum(r.required for r in members)
        inspected = sum(r.inspected for r in members)
        out.append(
            [
                town,
                len(members),
                rate(inspected, required),
                sum(r.hazards.found for r in members),
                sum(r.hazards.rectified for r in members),
                sum(r.overdue for r in members),
            ]
        )
    columns = [("township", "属地"), ("units", "单位数"), ("rate", "巡查完成率"), ("hazards", "发现隐患")]
    columns += [("rectified", "已整改"), ("overdue", "逾期未改")]
    return Section.of("属地汇总", columns, out, key="townships")
