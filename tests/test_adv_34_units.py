"""A town over its units: the morning list and the 通报 across units say what each unit's own say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from teamwork import git, run
from test_units import town

EVENT = """\
kind: event
id: E202603-0001
grid: "110105001001001"
type: 安全隐患
title: 楼道堆放杂物
reported: {by: S0002, at: 2026-03-02 09:00}
status: 已上报
timeline:
  - {at: 2026-03-02 09:00, by: S0002, action: 上报}
"""


def _four_hours(unit: Path) -> None:
    """The unit's plan: a hazard is put right within 4 hours; one reported at 09:00 on 2 March."""
    settings = unit / "gridctl.yaml"
    limits = "supervision:\n  time_limits:\n    by_type:\n      安全隐患: {一般: 4h}\n"
    settings.write_text(settings.read_text(encoding="utf-8") + limits, encoding="utf-8")
    (unit / "events/2026/03").mkdir(parents=True)
    (unit / "events/2026/03/E202603-0001.yaml").write_text(EVENT, encoding="utf-8")
    git(unit, "add", "-A")
    git(unit, "commit", "-q", "-m", "4 小时整改")


def _event(items: list[dict]) -> dict:  # type: ignore[type-arg]
    (item,) = [i for i in items if i["record"] == "E202603-0001"]
    return item


@pytest.mark.parametrize(("now", "late"), [("2026-03-02 11:00", False), ("2026-03-02 15:30", True)])
def test_due_across_units_keeps_a_units_hours_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: str, late: bool
) -> None:
    """`due --units` judged a 4-hour limit at the end of the day (23:59), so at 11:00 a hazard with two
    hours left was already "overdue by 11 hours": the town's list now says what the unit's own says."""
    root = town(tmp_path)
    _four_hours(tmp_path / "xingfuli")
    assert run(root, "sync", "--units")[0] == 0
    monkeypatch.setenv("GRIDCTL_TODAY", now)
    _code, mine = run(tmp_path / "xingfuli", "due", "-f", "json")
    _code, out = run(root, "due", "--units", "-f", "json")
    own = _event(json.loads(mine)["items"])
    theirs = _event(json.loads(out)["items"])
    assert theirs["unit"] == "幸福里社区"
    assert {k: v for k, v in theirs.items() if k != "unit"} == own
    assert own["due"] == "2026-03-02T13:00:00" and own["overdue"] is late
    assert (own["hours_late"] is not None) is late and (own["hours_left"] is not None) is not late
    _code, text = run(root, "due", "--units")
    (line,) = [line for line in text.splitlines() if "E202603-0001" in line]
    assert line.startswith("幸福里社区: ") and "2026-03-02 13:00" in line
    assert ("已超" in line) is late and ("剩" in line or "还剩" in line) is not late
