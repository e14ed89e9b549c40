"""From a field test: `event report --date DAY` (a report entered late) recorded the hour it was typed.
Each test here failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest
from test_adv_31 import run

from tests.conftest import make_repo

GRID = "110105001001001"
EVENT = "events/2026/12/E202612-0001.yaml"


@pytest.fixture
def repo(ledger: Path) -> Path:
    return make_repo(ledger, "2026-11-01T09:00:00")


REPORT = ("event", "report", "--grid", GRID, "--by", "S0002")


def report_on(cli, repo: Path, typed: str, *more: str, type_: str = "安全隐患", title: str = "井盖缺失"):  # type: ignore[no-untyped-def]
    return run(cli, repo, typed, *REPORT, "--type", type_, "--title", title, "--date", "2026-12-14", *more)


def ats(repo: Path, path: str = EVENT) -> list[str]:
    """Every `at:` in the event's file as written: the report's, then each step's."""
    text = (repo / path).read_text(encoding="utf-8")
    return [line.split("at: ", 1)[1] for line in text.splitlines() if line.lstrip(" -").startswith("at: ")]


def rules(repo: Path, text: str) -> None:
    settings = repo / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + text, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "时限")


@pytest.mark.parametrize("typed", ["2026-12-18T08:30", "2026-12-18T15:30"])
def test_a_report_dated_a_day_records_the_day_and_a_step_at_any_hour_of_it_follows(cli, repo: Path, typed) -> None:  # type: ignore[no-untyped-def]
    """Typed at 15:30, `report --date 2026-12-14` was stored as 2026-12-14 15:30:00, and a 受理 at 09:00
    that day was refused as "before the last step"; typed at 08:30 it was accepted."""
    done = report_on(cli, repo, typed)
    assert done.exit_code == 0, done.output
    assert ats(repo) == ["2026-12-14", "2026-12-14"]  # reported.at and the timeline's 上报: the day alone
    done = run(cli, repo, typed, "event", "accept", "井盖缺失", "--by", "S0001", "--at", "2026-12-14 09:00")
    assert done.exit_code == 0, done.output
    assert ats(repo) == ["2026-12-14", "2026-12-14", "2026-12-14 09:00:00"]
    assert run(cli, repo, typed, "validate").exit_code == 0


def test_a_report_dated_a_day_files_under_its_month_with_its_months_id(cli, repo: Path) -> None:
    """The id (E202612-…) and the folder come from the report's day, not from the day it is typed."""
    done = run(
        cli, repo, "2027-01-05T15:30", *REPORT, "--type", "安全隐患", "--title", "井盖缺失", "--date", "2026-12-14"
    )
    assert done.exit_code == 0, done.output
    assert (repo / EVENT).exists() and ats(repo) == ["2026-12-14", "2026-12-14"]
    assert "E202612-0001" in git.Repo(repo).head.commit.message


def test_occurred_that_day_is_accepted_and_after_the_reports_day_refused(cli, repo: Path) -> None:
    done = report_on(cli, repo, "2026-12-18T08:30", "--occurred", "2026-12-14 10:10")
    assert done.exit_code == 0, done.output
    text = (repo / EVENT).read_text(encoding="utf-8")
    assert "occurred: 2026-12-14 10:10:00" in text and ats(repo) == ["2026-12-14", "2026-12-14"]
    head = git.Repo(repo).head.commit.hexsha
    done = run(
        cli, repo, "2026-12-18T08:30", *REPORT, "--type", "安全隐患", "--title", "路灯损坏",
        "--date", "2026-12-14", "--occurred", "2026-12-15 07:00",
    )  # fmt: skip
    assert done.exit_code == 1, done.output
    assert "--occurred 2026-12-15 07:00" in done.output and "晚于上报时间" in done.output
    assert git.Repo(repo).head.commit.hexsha == head


def test_an_hours_limit_from_a_report_known_by_its_day_runs_from_the_days_start(cli, repo: Path) -> None:
    """A 4h limit and a 2h 上报上级 limit from a report dated 2026-12-14: reported at some time of that
    day, they are counted from 00:00 (overdue early rather than late), not from the hour it was typed."""
    rules(
        repo,
        "supervision:\n  time_limits:\n    by_type:\n      安全隐患: {一般: 4h}\n"
        "    escalate_within:\n      安全隐患: {一般: 2h}\n",
    )
    assert report_on(cli, repo, "2026-12-14T15:30").exit_code == 0
    assert "deadline: 2026-12-14 04:00:00" in (repo / EVENT).read_text(encoding="utf-8")
    steps = json.loads(run(cli, repo, "2026-12-14T15:30", "event", "steps", "井盖缺失", "-f", "json").output)
    assert steps["deadline"] == "2026-12-14T04:00:00" and steps["light"] == "red"
    due = run(cli, repo, "2026-12-14T15:30", "due")
    assert "应于 2026-12-14 02:00 前上报上级" in due.output, due.output


def test_every_reader_takes_a_report_known_by_its_day(cli, repo: Path) -> None:
    """due, status, list, show, history, event steps and the monthly report read it."""
    rules(repo, "supervision:\n  time_limits:\n    escalate_within:\n      安全隐患: {一般: 2h}\n")
    assert report_on(cli, repo, "2026-12-18T15:30").exit_code == 0
    now = "2026-12-18T16:00"
    assert run(cli, repo, now, "event", "accept", "井盖缺失", "--by", "S0001", "--date", "2026-12-14").exit_code == 0
    for args in [
        ("due",),
        ("due", "-f", "json"),
        ("status",),
        ("status", "-f", "json"),
        ("list", "event"),
        ("list", "event", "-f", "json"),
        ("show", "E202612-0001"),
        ("show", "E202612-0001", "-f", "json"),
        ("history", "E202612-0001"),
        ("event", "steps", "井盖缺失"),
        ("event", "steps", "井盖缺失", "-f", "json"),
        ("report", "monthly", "--month", "2026-12"),
        ("report", "monthly", "--month", "2026-12", "-f", "json"),
        ("validate",),
    ]:
        done = run(cli, repo, now, *args)
        assert done.exit_code in (0, 1) and "Traceback" not in done.output, (args, done.output)
        assert done.exit_code == 0 or args[0] == "due", (args, done.output)
    shown = json.loads(run(cli, repo, now, "show", "E202612-0001", "-f", "json").output)
    record = shown[0] if isinstance(shown, list) else shown
    record = record.get("record", record)
    assert record["reported"]["at"] == "2026-12-14", shown
