"""随机抽查: the bureau draws inspection records of a month; the same seed draws the same sample."""

from __future__ import annotations

import random

from gridctl.ledger.index import Ledger
from gridctl.supervision.calendar import month_bounds
from gridctl.supervision.facts import gather
from gridctl.supervision.table import Report, Section


def draw(ids: list[str], size: int, seed: int, month: str) -> list[str]:
    """A sample that depends only on the sorted ids, the month and the seed."""
    rng = random.Random(f"{month}:{seed}")
    return sorted(rng.sample(sorted(ids), min(size, len(ids))))


def spot_check(
    ledger: Ledger, month: str, size: int, seed: int, commit: str | None = None, dirty: bool = False
) -> Report:
    """The sample and its checking sheet; `commit` is the ledger revision drawn from (short id).

    An inspection recorded late (补录) into the month changes the list drawn from, so the same seed
    draws the same sample only from the same revision: the sheet names it, and how to draw it again.
    """
    facts = gather(ledger)
    first, last = month_bounds(month)
    records = {i.id: i for i, _ in facts.inspections if first <= i.date <= last}
    chosen = draw(list(records), size, seed, month)
    rows = []
    for n, rid in enumerate(chosen, 1):
        ins = records[rid]
        hazards = sum(1 for item in ins.items if item.result == "hazard")
        rows.append(
            [
                n,
                rid,
                ins.date,
                facts.name(ins.grid),
                facts.staff_name(ins.inspector),
                ins.checklist,
                hazards,
                "",
                "",
                "",
            ]
        )
    subtitle = f"随机种子 {seed}；本月巡查记录 {len(records)} 份，抽取 {len(chosen)} 份（用同一种子和台账版本可重现）"
    report = Report(f"{ledger.settings.name} 巡查记录随机抽查表 {month}", subtitle, kind="spot-check", period=month)
    if commit is not None:
        again = f"gridctl --as-of {commit} spot-check --month {month} --sample {size} --seed {seed}"
        drawn = f"抽取自台账版本 {commit}"
        report.notes.append(f"{drawn}（含未提交的修改，提交后才能重现）" if dirty else f"{drawn}；重现: {again}")
    report.sections.append(
        Section(
            "抽查记录",
            ["序号", "记录", "日期", "网格", "检查人", "检查表", "隐患", "核查结果", "核查人", "备注"],
            rows,
            ["核查结果填写：属实 / 不属实 / 记录不全"],
            key="sample",
            fields=["n", "record", "date", "grid", "inspector", "checklist", "hazards", "result", "checked_by", "note"],
        )
    )
    return report
