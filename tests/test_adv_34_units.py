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


def _ranked(doc: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    """The ranking's rows by unit name, without the rank (a unit's place among others differs)."""
    (section,) = [s for s in doc["sections"] if s["key"] == "ranking"]
    return {row["unit"]: {k: v for k, v in row.items() if k != "rank"} for row in section["rows"]}


def _dated(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every commit on 1 March 2026 (the grids are inspected from then), the clock at the end of March."""
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2026-03-01T09:00:00+08:00")
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-31 18:00")


def test_the_towns_bulletin_ranks_its_units_as_each_units_own_bulletin_counts_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`report bulletin --units` did not exist (no such option): the town ranked nothing of its units.
    It now ranks the units of every unit ledger with the figures their own 通报 gives, and publishes it
    in the town's ledger, tagged, as a ledger publishes its own."""
    _dated(monkeypatch)
    root = town(tmp_path)
    march = ("report", "bulletin", "--period", "2026-03", "--date", "2026-03-31")
    code, out = run(root, *march, "--units", "-f", "json")
    assert code == 0, out
    doc = json.loads(out)
    towns = _ranked(doc)
    assert set(towns) == {"幸福里社区", "和平里社区"}
    assert doc["totals"] == {"units": 2, "with_data": 2}
    for name, unit in (("幸福里社区", "xingfuli"), ("和平里社区", "heping")):
        code, own = run(tmp_path / unit, *march, "-f", "json")
        assert code == 0, own
        assert _ranked(json.loads(own)) == {name: towns[name]}
    assert towns["幸福里社区"]["inspection_rate"] == 0  # a month without one inspection
    code, out = run(root, *march, "--units")
    assert code == 0 and "幸福里社区" in out and "漏查" in out and "本期参评" in out, out
    code, out = run(root, *march, "--units", "--publish")
    assert code == 0 and "report/bulletin/2026-03" in out, out
    assert git(root, "tag", "--list", "report/bulletin/*") == "report/bulletin/2026-03"
    published = json.loads(git(root, "show", "HEAD:reports/2026-03/bulletin.json"))
    assert _ranked(published) == towns


def test_an_empty_ranking_is_never_published_as_a_bulletin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The town's `report bulletin --publish` ranked the town's own ledger, which has no 社区 of its own,
    and a period before the units began ranks units with nothing to count: both were published as a blank
    (or all-praising) 通报. An empty ranking now ranks no one and says so, and --publish refuses it (exit 1)."""
    _dated(monkeypatch)
    root = town(tmp_path)
    head = git(root, "rev-parse", "HEAD")
    for args in (("--period", "2026-03"), ("--period", "2026-02", "--units")):
        code, out = run(root, "report", "bulletin", *args, "--date", "2026-03-31", "--publish")
        assert code == 1 and "不发布" in out and "排名为空" in out and "Traceback" not in out, out
        code, out = run(root, "report", "bulletin", *args, "--date", "2026-03-31")
        assert code == 0 and "排名为空" in out and "予以表扬" not in out, out  # a view says so
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "tag", "--list") == "" and git(root, "status", "--porcelain") == ""


def test_due_for_today_by_date_judges_hours_at_this_moment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`due --date 今天` (or today's date) judged a 4-hour limit at the day's end: at 11:00 a hazard
    with two hours left was "11 hours late", exit 1. Today is judged now; another day at its end."""
    root = town(tmp_path)
    unit = tmp_path / "xingfuli"
    _four_hours(unit)
    assert run(root, "sync", "--units")[0] == 0
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-02 11:00")
    _code, plain = run(unit, "due", "-f", "json")
    for date in ("今天", "2026-03-02"):
        _code, out = run(unit, "due", "--date", date, "-f", "json")
        assert _event(json.loads(out)["items"]) == _event(json.loads(plain)["items"]), date
        assert _event(json.loads(out)["items"])["overdue"] is False
        _code, town_out = run(root, "due", "--units", "--date", date, "-f", "json")
        assert _event(json.loads(town_out)["items"])["overdue"] is False, town_out
    _code, later = run(unit, "due", "--date", "2026-03-03", "-f", "json")  # tomorrow: judged at its end
    assert _event(json.loads(later)["items"])["overdue"] is True
