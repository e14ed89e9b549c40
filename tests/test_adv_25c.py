"""Grid workers' clones brought together, and numbers that must agree between commands: each test
failed before its fix.

A month with no inspection at all read 完成率 — (nothing to do) in the monthly report's sentence
while its table said 0.0%.
"""

from __future__ import annotations

import json
from pathlib import Path

TODAY = {"GRIDCTL_TODAY": "2026-11-30", "TZ": "Asia/Shanghai"}


def test_a_month_with_no_inspection_reads_zero_percent_in_the_sentence_as_in_the_table(demo: Path, cli) -> None:
    text = cli("-C", str(demo), "--lang", "zh", "report", "monthly", env=TODAY).output
    data = json.loads(cli("-C", str(demo), "report", "monthly", "--format", "json", env=TODAY).output)
    assert data["totals"]["due_days"] > 0 and data["totals"]["done_days"] == 0 and data["totals"]["rate"] == 0.0
    assert f"本月应巡查 {data['totals']['due_days']} 网格·天，实际 0，完成率 0.0%。" in text, text
