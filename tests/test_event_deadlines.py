"""Event deadlines where the clerk looks: `list`, `status`, `due` and `event steps` agree on the deadline
that holds (the event's, an accepted escalation's step deadline, or the rule's for an event written
without one), and validate finds a deadline set before the time it runs from."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from tests.conftest import AUTHOR_ENV, make_repo

GRID = "110105001001001"
HAND_WRITTEN = """\
kind: event
id: E202603-0001
grid: "110105001001001"
type: 安全隐患
title: 楼道堆放杂物
reported: {{by: S0002, at: {at}}}
status: 已上报
timeline:
  - {{at: {at}, by: S0002, action: 上报}}
"""


@pytest.fixture
def repo(ledger: Path) -> Path:
    return make_repo(ledger, "2026-01-05T09:00:00")


def run(cli, repo: Path, when: str, *args: str, tz: str | None = None):  # type: ignore[no-untyped-def]
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": when, **({"TZ": tz} if tz else {})}
    result = cli("-C", str(repo), "--lang", "zh", *args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def commit(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    r = git.Repo(repo)
    r.git.add(A=True)
    r.git.commit("-qm", f"手工录入 {rel}")


def hours_rule(repo: Path) -> None:
    settings = repo / "gridctl.yaml"
    limits = "supervision:\n  time_limits:\n    by_type:\n      安全隐患: {一般: 4h}\n"
    settings.write_text(settings.read_text(encoding="utf-8") + limits, encoding="utf-8")
    git.Repo(repo).git.commit("-qam", "4 小时")


def overdue_everywhere(cli, repo: Path, when: str) -> tuple[bool, int, str]:  # type: ignore[no-untyped-def]
    """(due says E202603-0001 is overdue, status's overdue count, the deadline list event shows)."""
    items = json.loads(run(cli, repo, when, "due", "-f", "json").output)["items"]
    (late,) = [i["overdue"] for i in items if i["record"] == "E202603-0001"]
    count = json.loads(run(cli, repo, when, "status", "-f", "json").output)["overdue"]
    (row,) = json.loads(run(cli, repo, when, "list", "event", "-f", "json").output)
    return late, count, row["deadline"]


def test_an_event_written_without_a_deadline_is_due_by_the_rule_in_list_and_status(repo: Path, cli) -> None:
    """A hand-written (or imported) event without `deadline:` was overdue in `due` (which used the rule) and
    never in `status`, and `list event` showed no deadline: all three now use the rule `event report` uses."""
    commit(repo, "events/2026/03/E202603-0001.yaml", HAND_WRITTEN.format(at="2026-03-02 09:00"))
    # 安全隐患, no grade: 一般, 3 working days from Monday 2 March
    assert overdue_everywhere(cli, repo, "2026-03-05 17:00") == (False, 0, "2026-03-05")
    assert overdue_everywhere(cli, repo, "2026-03-06 09:00") == (True, 1, "2026-03-05")
    text = run(cli, repo, "2026-03-06 09:00", "status").output
    assert "未结事件: 安全隐患 1  (已超期 1)" in text
    # the same event reported through gridctl is given that very deadline
    report = ("event", "report", "--grid", GRID, "--type", "安全隐患", "--title", "楼道堆放杂物", "--by", "S0002")
    assert run(cli, repo, "2026-03-06 09:00", *report, "--at", "2026-03-02 09:00").exit_code == 0
    rows = json.loads(run(cli, repo, "2026-03-06 09:00", "list", "event", "-f", "json").output)
    assert [r["deadline"] for r in rows] == ["2026-03-05", "2026-03-05"]


def test_an_hours_rule_for_an_event_without_a_deadline(repo: Path, cli) -> None:
    hours_rule(repo)
    commit(repo, "events/2026/03/E202603-0001.yaml", HAND_WRITTEN.format(at="2026-03-10 09:00"))
    assert overdue_everywhere(cli, repo, "2026-03-10 12:00") == (False, 0, "2026-03-10T13:00:00")
    assert overdue_everywhere(cli, repo, "2026-03-10 15:00") == (True, 1, "2026-03-10T13:00:00")


def escalated_and_accepted(cli, repo: Path) -> Path:  # type: ignore[no-untyped-def]
    """A hazard reported on Monday 2 March, escalated to the community, accepted there on the 3rd."""
    report = ("event", "report", "--grid", GRID, "--type", "安全隐患", "--title", "楼道堆放杂物", "--by", "S0002")
    assert run(cli, repo, "2026-03-02 09:00", *report).exit_code == 0
    up = ("--to", "110105001001", "--reason", "需物业配合")
    assert run(cli, repo, "2026-03-02 10:00", "event", "escalate", "E202603-0001", "--by", "S0001", *up).exit_code == 0
    assert run(cli, repo, "2026-03-03 09:00", "event", "accept", "E202603-0001", "--by", "S0001").exit_code == 0
    return repo / "events/2026/03/E202603-0001.yaml"


def test_a_hand_edited_deadline_before_its_start_is_an_error_at_that_deadline(repo: Path, cli) -> None:
    """A step deadline (本环节期限) before its own step, or the event's before its report, passed validate."""
    path = escalated_and_accepted(cli, repo)
    text = path.read_text(encoding="utf-8")
    assert "deadline: 2026-03-05\n" in text and "    deadline: 2026-03-06\n" in text
    assert run(cli, repo, "2026-03-03 10:00", "validate").exit_code == 0
    same_day = text.replace("    deadline: 2026-03-06\n", "    deadline: 2026-03-03\n")  # a day lasts the whole day
    path.write_text(same_day, encoding="utf-8")
    assert run(cli, repo, "2026-03-03 10:00", "validate").exit_code == 0
    early = text.replace("    deadline: 2026-03-06\n", "    deadline: 2026-03-02\n").replace(
        "deadline: 2026-03-05\n", "deadline: 2026-03-01\n", 1
    )
    path.write_text(early, encoding="utf-8")
    lines = early.splitlines()
    event_line = lines.index("deadline: 2026-03-01") + 1
    step_line = lines.index("    deadline: 2026-03-02") + 1
    r = run(cli, repo, "2026-03-03 10:00", "validate")
    assert r.exit_code == 1
    rel = "events/2026/03/E202603-0001.yaml"
    assert (
        f"{rel}:{event_line}:11: error[GC401] 事件 E202603-0001 的办理期限 2026-03-01 早于上报时间 2026-03-02 09:00"
        in (r.output)
    )
    assert (
        f"{rel}:{step_line}:15: error[GC401] 事件 E202603-0001 的第 3 步（受理）的本环节期限 2026-03-02 "
        "早于该环节的时间 2026-03-03 09:00"
    ) in r.output
    doc = json.loads(run(cli, repo, "2026-03-03 10:00", "--lang", "en", "validate", "-f", "json").output)
    found = [(p["code"], p["line"], p["column"]) for p in doc["problems"]]
    assert found == [("GC401", event_line, 11), ("GC401", step_line, 15)]


def test_event_steps_shows_each_deadline_and_the_one_that_holds(repo: Path, cli) -> None:
    """`event steps` showed the allowed steps only; `show` had the deadlines but not which one holds."""
    escalated_and_accepted(cli, repo)
    r = run(cli, repo, "2026-03-09 09:00", "event", "steps", "E202603-0001")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[:3] == [
        "当前状态: 已受理",
        "办理期限: 2026-03-05（已由第 3 步的本环节期限取代）",
        "第 3 步受理（2026-03-03 09:00）的本环节期限: 2026-03-06，已超 1 个工作日",
    ]
    assert r.output.splitlines()[3].split()[0] == "dispatch"
    doc = json.loads(
        run(cli, repo, "2026-03-05 09:00", "--lang", "en", "event", "steps", "E202603-0001", "-f", "json").output
    )
    assert doc["deadline"] == "2026-03-06" and doc["light"] == "yellow" and doc["overdue"] is False
    assert (doc["days_left"], doc["days_late"]) == (1, None)
    assert [(d["step"], d["deadline"], d["in_force"], d["overdue"]) for d in doc["deadlines"]] == [
        (None, "2026-03-05", False, False),
        (3, "2026-03-06", True, False),
    ]
    assert doc["deadlines"][1]["from"] == "2026-03-03T09:00:00" and doc["deadlines"][1]["action"] == "受理"
    assert doc["allowed"][0]["command"] == "dispatch"
    late = json.loads(run(cli, repo, "2026-03-09 09:00", "event", "steps", "E202603-0001", "-f", "json").output)
    assert (late["overdue"], late["days_late"], late["deadlines"][1]["overdue"]) == (True, 1, True)


@pytest.mark.parametrize("tz", ["UTC", "Asia/Shanghai"])
def test_due_status_and_steps_agree_on_an_event_due_at_2330_local(repo: Path, tz: str) -> None:
    """An hours deadline at 23:30 in the ledger's zone (15:30 UTC): not yet overdue at 23:00 there, overdue at
    23:45 and the next morning, in `due`, `status` and `event steps` alike, whatever the computer's zone."""
    from tests.conftest import gridctl

    hours_rule(repo)
    commit(repo, "events/2026/03/E202603-0001.yaml", HAND_WRITTEN.format(at="2026-03-10 19:30"))
    env = {**AUTHOR_ENV, "TZ": tz, "LANG": "C.UTF-8"}

    def seen(when: str) -> tuple[bool, int, bool, str]:
        def out(*args: str) -> str:
            code, text, err = gridctl("-C", str(repo), *args, env={**env, "GRIDCTL_TODAY": when})
            assert code in (0, 1), err
            return text

        items = json.loads(out("due", "-f", "json"))["items"]
        (late,) = [i["overdue"] for i in items if i["record"] == "E202603-0001"]
        count = json.loads(out("status", "-f", "json"))["overdue"]
        steps = json.loads(out("event", "steps", "E202603-0001", "-f", "json"))
        return late, count, steps["overdue"], steps["deadline"]

    due_at = "2026-03-10T23:30:00"
    assert seen("2026-03-10T15:00:00+00:00") == (False, 0, False, due_at)  # 23:00 in Shanghai
    assert seen("2026-03-10T15:45:00+00:00") == (True, 1, True, due_at)  # 23:45
    assert seen("2026-03-10T16:10:00+00:00") == (True, 1, True, due_at)  # 00:10 on the 11th
    assert seen("2026-03-10 23:29") == (False, 0, False, due_at)
