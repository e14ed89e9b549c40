"""考核: each grid worker's score from the formula in gridctl.yaml, every point traced to records.

score = Σ weight × measure − Σ deduction × count (never below the floor). Measures are rates
over the worker's grids; each deduction names the record and the commit that entered it.
Records committed long after their date are flagged (补录), not hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gridctl.ledger.clock import Clock
from gridctl.ledger.index import Ledger
from gridctl.model import Grid, Inspection
from gridctl.supervision.calendar import days
from gridctl.supervision.counts import formula, period_end
from gridctl.supervision.entries import Entered, entered, history_of
from gridctl.supervision.facts import Facts, gather, step_day
from gridctl.supervision.limits import closed_on, light
from gridctl.supervision.table import Ratio, Report, Section

CARD = {"黄牌": "yellow_card", "红牌": "red_card"}
DEDUCTION_ZH = {
    "missing_inspection": "缺巡查",
    "overdue_event": "事件超期",
    "late_entry": "补录",
    "yellow_card": "黄牌督办",
    "red_card": "红牌督办",
}


@dataclass
class Score:
    staff: str
    grids: list[str]
    measures: dict[str, tuple[int, int]] = field(default_factory=dict)
    """measure → (done, total)."""
    deductions: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(kind, record, commit, detail)."""

    def rate(self, measure: str) -> float:
        done, total = self.measures.get(measure, (0, 0))
        return 1.0 if total == 0 else done / total


def _short(sha: str | None) -> str:
    return sha[:10] if sha else "未提交"


def _late(facts: Facts, when: dt.date, rel: str, commits: dict[str, Entered]) -> Entered | None:
    found = commits.get(rel)
    if found is None:
        return None
    lag = (dt.date.fromisoformat(found.day) - when).days
    return found if lag > facts.sup.assessment.late_after_days else None


def score_worker(facts: Facts, staff: str, first: dt.date, end: dt.date, commits: dict[str, Entered]) -> Score:
    """The worker's score over first..end, each grid judged over the days they held it (a handover
    mid-period: the events and late entries of the grid before or after them are not theirs)."""
    grids = facts.grids_of(staff, first, end)
    score = Score(staff, [g.id for g in grids])
    done = facts.inspected()
    hit = wanted = 0
    held: dict[str, tuple[dt.date, dt.date]] = {}
    for grid in grids:
        window = _held(facts, grid, staff, first, end)
        if window is None:
            continue
        held[grid.id] = window
        required = facts.required_days(first, end, grid.id, staff)
        wanted += len(required)
        for day in required:
            if day in done.get(grid.id, set()):
                hit += 1
            else:
                score.deductions.append(("missing_inspection", grid.id, "", f"{grid.name} {day:%m-%d} 未巡查"))
    score.measures["inspection_rate"] = (hit, wanted)
    totals = {m: [0, 0] for m in ("on_time_rate", "closed_rate", "feedback_rate")}
    for grid, (a, b) in held.items():
        for measure, (part, whole) in _events(facts, score, grid, a, b, commits).items():
            totals[measure][0] += part
            totals[measure][1] += whole
        for ins, late in late_inspections(facts, a, b, commits):
            if ins.grid == grid and ins.inspector == staff:
                score.deductions.append(("late_entry", ins.id, _short(late.sha), _late_detail(ins, late)))
    for measure, (part, whole) in totals.items():
        score.measures[measure] = (part, whole)
    return score


def late_inspections(
    facts: Facts, first: dt.date, end: dt.date, commits: dict[str, Entered]
) -> list[tuple[Inspection, Entered]]:
    """The inspections of first..end entered late. Each is charged only to its inspector (`--by`):
    a grid's other workers did not enter it, and one by a 网格长 is listed but charged to no worker."""
    found = []
    for ins, source in facts.inspections:
        if first <= ins.date <= end and (late := _late(facts, ins.date, source.file, commits)):
            found.append((ins, late))
    return found


def _late_detail(ins: Inspection, late: Entered) -> str:
    return f"巡查日期 {ins.date}，{late.day} 才录入"


def _held(facts: Facts, grid: Grid, staff: str, first: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day of first..end on which `staff` held `grid` (None: no day)."""
    on = [d for d in days(first, end) if facts.serving(grid, staff, d)]
    return (on[0], on[-1]) if on else None


def _events(
    facts: Facts, score: Score, grid: str, first: dt.date, end: dt.date, commits: dict[str, Entered]
) -> dict[str, tuple[int, int]]:
    """The grid's events as the worker's over first..end (their days there): rates, and deductions
    added to `score`; an event is judged as it stood on the last of those days."""
    sup = facts.sup
    events = [(e, s) for e, s in facts.events if e.grid == grid and step_day(e.reported.at) <= end]
    in_period = [(e, s) for e, s in events if first <= step_day(e.reported.at)]
    hazards = [(e, s) for e, s in in_period if e.type == sup.time_limits.hazard_type]
    on_time = [e for e, _ in hazards if light(e, sup, end).colour == "on_time"]
    closed = [e for e, _ in in_period if closed_on(e, sup, end) is not None]
    feedback = {t.action for t in (sup.lifecycle.steps if sup.lifecycle else []) if t.command == "feedback"}
    measures = {
        "on_time_rate": (len(on_time), len(hazards)),
        "closed_rate": (len(closed), len(in_period)),
        "feedback_rate": (sum(1 for e in closed if any(s.action in feedback for s in e.timeline)), len(closed)),
    }
    for event, source in events:
        lt = light(event, sup, end)
        closed_day = closed_on(event, sup, end)
        late_close = lt.colour == "late" and closed_day is not None and first <= closed_day <= end
        if lt.colour == "red" or late_close:
            commit = commits.get(source.file)
            score.deductions.append(
                (
                    "overdue_event",
                    event.id,
                    _short(commit.sha if commit else None),
                    f"{event.title}，期限 {lt.deadline}",
                )
            )
        for step in event.timeline:
            if first <= step_day(step.at) <= end and step.note:
                kind = CARD.get(step.note[:2])
                if kind and step.action == _supervise_action(facts):
                    score.deductions.append((kind, event.id, "", f"{step_day(step.at)} {step.note}"))
        rel_date = step_day(event.reported.at)
        if first <= rel_date <= end and (late := _late(facts, rel_date, source.file, commits)):
            score.deductions.append(
                ("late_entry", event.id, _short(late.sha), f"事件日期 {rel_date}，{late.day} 才录入")
            )
    return measures


def _supervise_action(facts: Facts) -> str:
    lc = facts.sup.lifecycle
    steps = [t.action for t in (lc.steps if lc else []) if t.command == "supervise"]
    return steps[0] if steps else "督办"


def total(facts: Facts, score: Score) -> tuple[float, float]:
    """(points from measures, points deducted)."""
    a = facts.sup.assessment
    points = sum(m.weight * score.rate(m.measure) for m in a.measures)
    lost = sum(a.deductions.get(kind, 0) for kind, *_ in score.deductions)
    return round(points, 2), round(lost, 2)


def assessment(ledger: Ledger, month: str, today: dt.date) -> Report:
    """The period is a month (2026-03) or a year (2026)."""
    facts = gather(ledger)
    first, end = period_end(month, today)
    commits = entered(ledger.root, Clock.system(ledger.settings.timezone), revision=history_of(ledger))
    a = facts.sup.assessment
    staff = sorted(
        {
            r.staff
            for g in facts.inspected_grids(first=first)
            for r in g.held_between(first, end)
            if r.role in set(ledger.settings.policy.worker_roles)
        }
    )
    rows: list[list[Any]] = []
    trace: list[list[Any]] = []
    late: dict[str, list[Any]] = {}
    """record → its 补录 row: once, however many workers of its grid are charged for it."""
    for sid in staff:
        if not facts.served(sid, first):
            continue
        score = score_worker(facts, sid, first, end, commits)
        points, lost = total(facts, score)
        final = round(max(a.floor, points - lost), 2)
        measures = [Ratio(d, t) for m in a.measures for d, t in [score.measures.get(m.measure, (0, 0))]]
        rows.append(
            [sid, facts.staff_name(sid), "、".join(facts.name(g) for g in score.grids), *measures, points, lost, final]
        )
        for kind, record, commit, detail in score.deductions:
            trace.append([sid, DEDUCTION_ZH.get(kind, kind), a.deductions.get(kind, 0), record, commit, detail])
            if kind == "late_entry":
                late.setdefault(record, [record, commit, detail])
    grids = {g.id for g in facts.inspected_grids(first=first)}
    for ins, entry in late_inspections(facts, first, end, commits):
        if ins.grid in grids:
            late.setdefault(ins.id, [ins.id, _short(entry.sha), _late_detail(ins, entry)])
    made = formula(a.measures)
    deductions = "，".join(f"{DEDUCTION_ZH.get(k, k)}每项扣 {v:g} 分" for k, v in a.deductions.items())
    labels = ledger.settings.labels
    report = Report(
        f"{ledger.settings.name} {labels.assessment} {month}",
        f"统计 {first} 至 {end}",
        kind="assessment",
        period=month,
        notes=facts.warnings(first, end),
    )
    report.sections.append(
        Section(
            "考核得分",
            ["人员", "姓名", f"负责{labels.grid}", *[m.name for m in a.measures], "得分", "扣分", "总分"],
            rows,
            [f"总分 = {made} - 扣分（{deductions}），不低于 {a.floor:g} 分"],
            key="scores",
            fields=["staff", "name", "grids", *[m.measure for m in a.measures], "points", "deducted", "score"],
        )
    )
    report.sections.append(
        Section(
            "扣分明细",
            ["人员", "项目", "扣分", "记录", "提交", "说明"],
            trace,
            key="deductions",
            fields=["staff", "item", "points", "record", "commit", "detail"],
        )
    )
    report.sections.append(
        Section(
            "补录记录",
            ["记录", "提交", "说明"],
            list(late.values()),
            [f"录入日期晚于记录日期 {a.late_after_days} 天以上的记录，照常计入并标出"],
            key="late",
            fields=["record", "commit", "detail"],
        )
    )
    return report
