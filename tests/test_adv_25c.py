"""Grid workers' clones brought together, and numbers that must agree between commands: each test
failed before its fix.

A month with no inspection at all read 完成率 — (nothing to do) in the monthly report's sentence
while its table said 0.0%. A value settled in a merge (`gridctl resolve … --take 509`, or the other
side's value where both had changed it) was missing from `gridctl history`, whose newest version then
showed a value the record no longer held.
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


def test_history_shows_the_value_a_merge_settled_and_who_settled_it(tmp_path: Path) -> None:
    from teamwork import run, team

    t = team(tmp_path)
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["office"], "review", "S0002", "--approve")[0] == 0
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=503")[0] == 0
    assert run(t["w3"], "edit", "H000001", "--set", "housing=租住")[0] == 0
    assert run(t["w3"], "sync")[0] == 1  # 502 here, 503 there
    code, out = run(t["w3"], "resolve", "H000001", "address.room", "--take", "509")
    assert code == 0 and "合并已提交" in out, out
    code, out = run(t["w3"], "history", "H000001")
    newest = out.split("\n2026-")[1]
    assert "赵敏" in newest and "房号: 503 → 509" in newest, out
    assert out.count("房号") == 3 and "住房" in out  # 502 by 李强, 503 by 赵敏, 509 settled; the clean side not twice
