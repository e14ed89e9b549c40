"""The supervision loop attacked as a clerk and an inspector would: each test failed before its fix.

A month's report changed after the month: an event overdue and open at the end of March, closed in
April, left March's 逾期未结 (and the assessment's deduction, and the units' 逾期未改); `status` counted
an event handed upward as overdue while `due` (rightly) waits for the grid above.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import AUTHOR_ENV


def run(cli, root: Path, today: str, *args: str):  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), "--lang", "zh", *args, env={**AUTHOR_ENV, "GRIDCTL_TODAY": today})
    assert result.exit_code in (0, 1, 2), result.output  # never a traceback (3)
    return result


def state(root: Path) -> tuple[str, str]:
    """HEAD and the work tree's changes: what a refused command must leave as it found them."""
    git = ["git", "-C", str(root)]
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout
    return head, subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout


def march(cli, root: Path, today: str) -> dict:  # type: ignore[no-untyped-def]
    out = run(cli, root, today, "report", "monthly", "--month", "2026-03", "-f", "json").stdout
    return json.loads(out)


def section(report: dict, key: str) -> list[dict]:
    return next(s["rows"] for s in report["sections"] if s.get("key") == key)


def test_a_past_month_reads_events_as_they_stood_at_its_end(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    before = march(cli, demo, "2026-04-01")
    # E202603-0002 (安全隐患, due 03-09) was still being handled on 03-31; it is closed on 04-09
    for step, by in (("feedback", "S0010"), ("verify", "S0001"), ("close", "S0001")):
        done = run(cli, demo, "2026-04-10", "event", step, "E202603-0002", "--by", by, "--date", "2026-04-09")
        assert done.exit_code == 0, done.output
    after = march(cli, demo, "2026-04-10")
    hazards = [r for r in section(after, "types") if r["type"] == "安全隐患"]
    assert hazards == [r for r in section(before, "types") if r["type"] == "安全隐患"]
    assert hazards[0]["late_open"] == hazards[0]["reported"] - hazards[0]["closed"] == 2
    assert after["totals"] == before["totals"]
    assessed = run(cli, demo, "2026-04-10", "report", "assessment", "--period", "2026-03", "-f", "json").stdout
    assert "E202603-0002" in assessed  # overdue and open at the end of March: deducted in March


def test_a_month_counts_an_event_closed_then_and_reopened_since(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    before = march(cli, demo, "2026-04-01")
    reason = "复查发现杂物又堆回"
    done = run(cli, demo, "2026-04-02", "event", "reopen", "E202603-0001", "--by", "S0001", "--reason", reason)
    assert done.exit_code == 0, done.output
    after = march(cli, demo, "2026-04-02")
    assert after["totals"]["rectified"] == before["totals"]["rectified"]
    assert section(after, "types") == section(before, "types")


def test_status_counts_overdue_as_due_does_an_escalated_event_waits_upward(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    done = run(cli, demo, "2026-04-13", "event", "escalate", "E202603-0006", "--by", "S0002", "--to", "社区",
               "--reason", "需社区协调")  # fmt: skip
    assert done.exit_code == 0, done.output
    due = json.loads(run(cli, demo, "2026-04-13", "due", "--format", "json").stdout)
    late_events = [i for i in due["items"] if i["section"] == "event" and i["overdue"]]
    status = json.loads(run(cli, demo, "2026-04-13", "status", "--format", "json").stdout)
    assert status["overdue"] == len(late_events) == 2


def test_nothing_is_recorded_on_a_day_still_to_come(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A step typed as 2027 stuck its event: every later step "is before the last step" for a year."""
    before = state(demo)
    tries = [
        "event handle E202603-0005 --by S0001 --note 已更换 --date 2027-04-09",
        "event report --grid 第一网格 --type 安全隐患 --title 井盖缺失 --by 王秀兰 --date 2026年5月1日",
        "inspect 第一网格 --by S0004 --all-ok --date 2026-04-11",
        "visit H000001 --by S0004 --purpose 慰问 --date 2026-06-01",
        "activity 第一网格 --type 例会 --by S0001 --date 2026-04-11",
        "document add 第一网格 --type 工作计划 --title 四月计划 --date 2026-04-11",  # issued: a day gone
    ]
    at = ["event", "handle", "E202603-0005", "--by", "S0001", "--note", "已更换", "--at", "2026-04-11 08:00"]
    for args in [*(t.split() for t in tries), at]:
        refused = run(cli, demo, "2026-04-10", *args)
        assert refused.exit_code == 2, (args, refused.output)
        assert "晚于今天 (2026-04-10)" in refused.output and "Traceback" not in refused.output
    assert state(demo) == before
    done = run(cli, demo, "2026-04-10", "event", "handle", "E202603-0005", "--by", "S0001", "--note", "已更换")
    assert done.exit_code == 0, done.output


def test_an_event_is_not_dispatched_to_someone_retired(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Dispatched to a retired member, nobody may handle it: handle and feedback refuse a retired person."""
    for args in (
        "add staff --set name=周退休 --set phone=13712345678",
        "retire 周退休 --reason 退休",
        "event report --grid 第四网格 --type 矛盾纠纷 --title 噪音扰民 --by 陈建华",
        "event accept E202604-0001 --by 陈建华",
    ):
        assert run(cli, demo, "2026-04-10", *args.split()).exit_code == 0, args
    before = state(demo)
    refused = run(cli, demo, "2026-04-10", *["event", "dispatch", "E202604-0001", "--by", "陈建华", "--to", "周退休"])
    assert refused.exit_code in (1, 2) and "已不在岗或已注销" in refused.output, refused.output
    assert state(demo) == before


def test_a_deadline_passed_over_a_weekend_is_not_zero_days_late(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Due Friday 03-20, read on Saturday: it said "已超 0 个工作日" (0 working day(s) late)."""
    said = run(cli, demo, "2026-03-21", "due").output
    line = next(ln for ln in said.splitlines() if "E202603-0005" in ln)
    assert "已过期限" in line and "0 个工作日" not in line, line
    listed = json.loads(run(cli, demo, "2026-03-21", "due", "-f", "json").output)["items"]
    item = next(i for i in listed if i["record"] == "E202603-0005")
    assert item["overdue"] and item["days_late"] == 0 and item["days_left"] is None, item
    later = run(cli, demo, "2026-03-23", "due").output
    assert "已超 1 个工作日" in next(ln for ln in later.splitlines() if "E202603-0005" in ln)


def test_a_month_before_the_ledger_began_pays_no_allowance(demo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`report monthly --month 2025-01` showed 补助合计 of today's assignments for a month nobody served."""
    before = json.loads(run(cli, demo, "2026-04-10", "report", "monthly", "--month", "2025-01", "-f", "json").stdout)
    assert before["totals"]["allowance"] == 0
    assert all(row["allowance"] == 0 for row in section(before, "workers"))
    march_ = json.loads(run(cli, demo, "2026-04-10", "report", "monthly", "--month", "2026-03", "-f", "json").stdout)
    assert march_["totals"]["allowance"] > 0
