"""The supervision loop under attack: deadlines of escalated events, steps out of order or by
people who left, past months read later, and typed JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests import test_escalation as esc
from tests.test_escalation import event_of, ok

bureau, run = esc.bureau, esc.run  # the county bureau's ledger and its clock-fixed runner


def _school_hazard_escalated(run) -> str:  # type: ignore[no-untyped-def]
    """A 较大 hazard at the school (its limit: 2026-03-09), escalated to the bureau on 03-04."""
    hazard = ("--grade", "较大", "--hazard", "校舍: 锅炉房墙体开裂，需专业鉴定")
    ok(run("2026-03-04 09:00", "inspect", "JY010102", "--by", "S0006", "--all-ok", *hazard))
    ev = "E202603-0001"
    ok(run("2026-03-04 10:00", "event", "accept", ev, "--by", "S0004"))
    up = ("--to", "县教育局", "--reason", "超出处置能力")
    ok(run("2026-03-04 11:00", "event", "escalate", ev, "--by", "S0003", *up))
    return ev


def test_accepting_an_escalation_keeps_both_deadlines(run, bureau: Path) -> None:  # type: ignore[no-untyped-def]
    ev = _school_hazard_escalated(run)
    ok(run("2026-03-05 09:30", "event", "accept", ev, "--by", "蒋国强"))
    record = event_of(bureau, ev)
    # the school's deadline, set when it was reported, stays; the bureau's is on its acceptance
    assert record["deadline"].isoformat() == "2026-03-09"
    accepted = record["timeline"][-1]
    assert accepted["deadline"].isoformat() == "2026-03-10"
    assert "上级受理，期限 2026-03-10" in accepted["note"]
    # what is due now is the bureau's deadline, everywhere
    items = json.loads(run("2026-03-10 08:00", "due", "--grid", "JY01", "--format", "json").stdout)["items"]
    assert [i["due"] for i in items if i["record"] == ev] == ["2026-03-10"]
    listed = json.loads(run("2026-03-10 08:00", "list", "event", "--format", "json").stdout)
    assert [r["deadline"] for r in listed if r["id"] == ev] == ["2026-03-10"]
    status = json.loads(run("2026-03-10 08:00", "status", "--format", "json").stdout)
    assert status["overdue"] == 0
    status = json.loads(run("2026-03-11 08:00", "status", "--format", "json").stdout)
    assert status["overdue"] == 1
    ok(run("2026-03-05 10:00", "validate"))


def _school_row(run, at: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    report = json.loads(run(at, "report", "monthly", "--month", "2026-03", "--format", "json").stdout)
    units = next(s for s in report["sections"] if s["key"] == "units")
    return next(r for r in units["rows"] if r["unit"] == "龙城镇中心小学")


def test_march_read_in_april_keeps_its_late_hazard_late(run, bureau: Path) -> None:  # type: ignore[no-untyped-def]
    hazard = ("--grade", "较大", "--hazard", "校舍: 锅炉房墙体开裂")
    ok(run("2026-03-04 09:00", "inspect", "JY010102", "--by", "S0006", "--all-ok", *hazard))
    ev = "E202603-0001"  # due 2026-03-09, closed 03-13: late
    for at, cmd, by, *extra in [
        ("2026-03-04 10:00", "accept", "S0004"),
        ("2026-03-04 10:40", "dispatch", "S0003", "--to", "S0006"),
        ("2026-03-11 11:00", "handle", "S0006", "--note", "加固"),
        ("2026-03-12 09:00", "feedback", "S0006"),
        ("2026-03-13 09:00", "verify", "S0003"),
        ("2026-03-13 10:00", "close", "S0003"),
    ]:
        ok(run(at, "event", cmd, ev, "--by", by, *extra))
    march = _school_row(run, "2026-03-31")
    assert (march["rectified"], march["rectified_on_time"]) == (1, 0)
    # reopened in April, escalated, and accepted by the bureau with its own deadline (2026-04-07)
    ok(run("2026-04-01 09:00", "event", "reopen", ev, "--by", "S0003", "--reason", "又裂了"))
    up = ("--to", "县教育局", "--reason", "超出处置能力")
    ok(run("2026-04-01 09:20", "event", "escalate", ev, "--by", "S0003", *up))
    ok(run("2026-04-01 09:30", "event", "accept", ev, "--by", "S0001"))
    assert event_of(bureau, ev)["timeline"][-1]["deadline"].isoformat() == "2026-04-07"
    assert _school_row(run, "2026-04-02") == march  # April's deadline does not make March's closing on time


def test_steps_of_an_event_whose_file_breaks_the_schema_is_a_message(run, bureau: Path) -> None:  # type: ignore[no-untyped-def]
    hazard = ("--grade", "较大", "--hazard", "校舍: 锅炉房墙体开裂")
    ok(run("2026-03-04 09:00", "inspect", "JY010102", "--by", "S0006", "--all-ok", *hazard))
    path = bureau / "events/2026/03/E202603-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("grade: 较大", "grade: 巨大"), encoding="utf-8")
    r = run("2026-03-04 10:00", "event", "steps", "E202603-0001")  # was an AssertionError, exit 3
    assert r.exit_code == 2 and "E202603-0001 的内容有误；请先运行 gridctl validate 并改正" in r.output
