"""The supervision loop in a real git ledger with a fixed clock: a clerk's March, step by step."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import AUTHOR_ENV, gridctl, make_repo

GRID = "110105001001001"


@pytest.fixture
def repo(ledger: Path) -> Path:
    """The small ledger, committed on 5 January 2026: its grid is supervised from then on."""
    return make_repo(ledger, "2026-01-05T09:00:00")


@pytest.fixture
def run(cli, repo: Path):  # type: ignore[no-untyped-def]
    """gridctl in the repo on a given morning; commits are dated that day (or `committed`)."""

    def go(day: str, *args: str, committed: str | None = None):  # type: ignore[no-untyped-def]
        when = (committed or day)[:10] + "T18:00:00+08:00"
        env = {**AUTHOR_ENV, "GRIDCTL_TODAY": day, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        result = cli("-C", str(repo), "--lang", "zh", *args, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return go


def inspect_all_ok(run, day: str, checklist: str = "社区日常巡查", committed: str | None = None):  # type: ignore[no-untyped-def]
    result = run(day, "inspect", GRID, "--by", "S0002", "--checklist", checklist, "--all-ok", committed=committed)
    assert result.exit_code == 0, result.output
    return result


def march(run) -> None:  # type: ignore[no-untyped-def]
    """Inspections on 2, 3 (a hazard), 5 and 9 March; three events taken through their steps."""
    inspect_all_ok(run, "2026-03-02 09:00")
    r = run(
        "2026-03-03 09:30",
        "inspect",
        GRID,
        "--by",
        "S0002",
        "--hazard",
        "1: 3号楼楼道堆放纸箱",
        "--ok",
        "2",
        "--ok",
        "3",
        "--ok",
        "4",
        "--ok",
        "5",
        "--ok",
        "6",
        "--na",
        "7",
    )
    assert r.exit_code == 0, r.output
    for day, cmd, by, *extra in [
        ("2026-03-03 10:00", "accept", "S0001"),
        ("2026-03-03 10:05", "dispatch", "S0001", "--to", "S0002"),
        ("2026-03-04 15:00", "handle", "S0002", "--note", "联系住户清理"),
        ("2026-03-04 16:00", "feedback", "S0002"),
        ("2026-03-05 09:00", "verify", "S0001"),
        ("2026-03-05 09:10", "close", "S0001"),
    ]:
        r = run(day, "event", cmd, "E202603-0001", "--by", by, *extra)
        assert r.exit_code == 0, r.output
    inspect_all_ok(run, "2026-03-05 17:00")
    r = run(
        "2026-03-05 11:00",
        "event",
        "report",
        "--grid",
        GRID,
        "--type",
        "矛盾纠纷",
        "--title",
        "邻里漏水纠纷",
        "--by",
        "S0002",
    )
    assert r.exit_code == 0, r.output
    inspect_all_ok(run, "2026-03-09 09:00", "消防安全检查")
    r = run(
        "2026-03-09 10:00",
        "event",
        "report",
        "--grid",
        GRID,
        "--type",
        "安全隐患",
        "--grade",
        "重大",
        "--title",
        "地下室违规存放液化气罐",
        "--by",
        "S0002",
    )
    assert r.exit_code == 0, r.output
    assert (
        run("2026-03-10 09:00", "event", "supervise", "E202603-0003", "--by", "S0001", "--card", "red").exit_code == 0
    )
    r = run(
        "2026-03-10 09:30",
        "event",
        "escalate",
        "E202603-0003",
        "--by",
        "S0001",
        "--to",
        "街道",
        "--reason",
        "需消防部门处置",
    )
    assert r.exit_code == 0, r.output
    # recorded a week late: flagged in the assessment, still counted
    inspect_all_ok(run, "2026-03-10 16:00", committed="2026-03-17")


def test_inspection_refuses_unanswered_items(run, repo: Path) -> None:
    r = run("2026-03-02 09:00", "inspect", GRID, "--by", "S0002", "--ok", "1")
    assert r.exit_code == 1
    assert "有 6 项未填写检查结果" in r.output and "电动车是否违规入户或飞线充电" in r.output
    assert not (repo / "inspections").exists()


def test_inspection_with_hazard_is_one_commit_with_its_event(run, repo: Path) -> None:
    r = run("2026-03-03 09:30", "inspect", GRID, "--by", "S0002", "--hazard", "消防通道: 楼道堆放纸箱", "--all-ok")
    assert r.exit_code == 0, r.output
    log = subprocess.run(
        ["git", "log", "-1", "--name-only", "--format=%s"], cwd=repo, capture_output=True, text=True
    ).stdout
    assert log.splitlines() == [
        f"巡查网格 {GRID}：社区日常巡查 2026-03-03，发现隐患 1 处",
        "",
        "events/2026/03/E202603-0001.yaml",
        "inspections/2026/03/I202603-0001.yaml",
    ]
    event = (repo / "events/2026/03/E202603-0001.yaml").read_text(encoding="utf-8")
    assert "deadline: 2026-03-06\n" in event  # 安全隐患/一般: 3 working days
    assert "status: 已上报\n" in event and "&" not in event
    inspection = (repo / "inspections/2026/03/I202603-0001.yaml").read_text(encoding="utf-8")
    assert "result: hazard\n    note: 楼道堆放纸箱\n    event: E202603-0001\n" in inspection


def test_every_transition(run, repo: Path) -> None:
    inspect_all_ok(run, "2026-03-02 09:00")
    assert (
        run(
            "2026-03-02 10:00",
            "event",
            "report",
            "--grid",
            GRID,
            "--type",
            "安全隐患",
            "--title",
            "井盖缺失",
            "--by",
            "S0002",
        ).exit_code
        == 0
    )
    ev = "E202603-0001"

    def step(cmd: str, by: str, *extra: str) -> tuple[int, str]:
        r = run("2026-03-02 11:00", "event", cmd, ev, "--by", by, *extra)
        return r.exit_code, r.output

    code, out = step("close", "S0001")
    assert code == 1
    assert "当前为已上报，不能结案；可以: accept (受理), escalate (上报上级), supervise (督办)" in out
    code, out = step("accept", "S0002")
    assert code == 1 and "S0002 李强 2026-03-02 在网格 110105001001001 无权受理，需由网格长、总网格长办理" in out
    assert step("accept", "S0001")[0] == 0
    code, out = step("dispatch", "S0001")
    assert code == 1 and "派遣需要 --to" in out
    assert step("dispatch", "S0001", "--to", "S9999")[0] == 1
    assert step("dispatch", "S0001", "--to", "S0002")[0] == 0
    assert step("handle", "S0002")[0] == 1  # needs --note
    assert step("handle", "S0002", "--note", "已设置警示")[0] == 0
    assert step("handle", "S0002", "--note", "已补装井盖")[0] == 0  # 处置中 → 处置中
    assert step("feedback", "S0002")[0] == 0
    assert step("return", "S0001")[0] == 1  # needs --reason
    assert step("return", "S0001", "--reason", "照片不清")[0] == 0
    code, out = step("dispatch", "S0001", "--to", "S0002")
    assert code == 1 and "当前为已回退，不能派遣；可以: accept (受理), supervise (督办)" in out
    for cmd, by, *extra in [
        ("accept", "S0001"),
        ("dispatch", "S0001", "--to", "S0002"),
        ("handle", "S0002", "--note", "复查完成"),
        ("feedback", "S0002"),
        ("supervise", "S0001", "--card", "yellow"),
        ("verify", "S0001"),
        ("close", "S0001"),
    ]:
        code, out = step(cmd, by, *extra)
        assert code == 0, out
    code, out = step("supervise", "S0001", "--card", "red")
    assert code == 1 and "当前为已结案，不能督办；可以: reopen (重新打开)" in out
    assert step("reopen", "S0001", "--reason", "居民反映又丢失")[0] == 0
    r = run("2026-03-02 12:00", "event", "steps", ev)
    assert r.output.splitlines()[0] == "当前状态: 已受理"
    lines = r.output.splitlines()
    assert lines[1].startswith("办理期限: ")
    assert [line.split()[0] for line in lines[2:]] == ["dispatch", "return", "escalate", "supervise"]
    text = (repo / "events/2026/03/E202603-0001.yaml").read_text(encoding="utf-8")
    assert text.count("  - at: ") == 15 and "status: 已受理\n" in text
    assert "note: 黄牌督办\n" in text and "note: 原因：照片不清\n" in text and "note: 至 S0002\n" in text
    # a step dated before the last one is refused
    r = run("2026-03-01 08:00", "event", "dispatch", ev, "--by", "S0001", "--to", "S0002")
    assert r.exit_code == 1 and "早于上一环节的时间" in r.output
    commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True).stdout
    assert int(commits) == 1 + 1 + 1 + 14  # initial, inspection, report, 14 steps


def test_due_list(run, repo: Path) -> None:
    inspect_all_ok(run, "2026-03-02 09:00")
    r = run("2026-03-03 09:30", "inspect", GRID, "--by", "S0002", "--hazard", "1: 3号楼楼道堆放纸箱", "--all-ok")
    assert r.exit_code == 0
    r = run("2026-03-05 08:00", "due")
    assert r.exit_code == 1
    assert r.output == (
        "2026-03-05 待办: 逾期 1 项，提醒 4 项\n"
        "巡查\n"
        "  逾期  第一网格 03-04 未巡查\n"
        "  提醒  第一网格 今日尚未巡查\n"
        "事件\n"
        "  提醒  E202603-0001 第一网格 第一网格: 3号楼楼道堆放纸箱（已上报）期限 2026-03-06，剩 1 个工作日\n"
        "每月任务\n"
        "  提醒  第一网格 本月尚未进行消防安全检查\n"
        "人员活动\n"
        "  提醒  S0001 王芳 近 7 天无巡查或处置记录\n"
    )
    # Monday 9 March: the hazard is past its limit; Friday's missing inspection is "yesterday"
    r = run("2026-03-09 08:00", "due", "--format", "json")
    assert r.exit_code == 1
    import json

    items = json.loads(r.output)["items"]
    assert [(i["section"], i["overdue"], i["record"]) for i in items] == [
        ("inspection", True, GRID),
        ("inspection", False, GRID),
        ("event", True, "E202603-0001"),
        ("monthly", False, GRID),
        ("idle", False, "S0001"),
    ]
    assert items[0]["zh"] == "第一网格 03-06 未巡查"
    assert items[2]["zh"].endswith("期限 2026-03-06，已超 1 个工作日")


def test_due_is_clean_after_the_days_work(run, repo: Path) -> None:
    write_contract(repo)
    inspect_all_ok(run, "2026-03-09 09:00", "消防安全检查")
    inspect_all_ok(run, "2026-03-10 09:00")
    r = run("2026-03-10 18:00", "due")
    assert r.output == (
        "2026-03-10 待办: 逾期 0 项，提醒 2 项\n"
        "人员活动\n"
        "  提醒  S0001 王芳 近 7 天无巡查或处置记录\n"
        "聘用合同\n"
        "  提醒  S0002 李强 聘用合同 2026-03-31 到期（21 天后）\n"
    )
    assert r.exit_code == 0


def write_contract(repo: Path) -> None:
    path = repo / "staff/S0002.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "contract_end: 2026-03-31\n", encoding="utf-8")
    subprocess.run(
        ["git", "commit", "-qam", "合同"], cwd=repo, check=True, env={**__import__("os").environ, **AUTHOR_ENV}
    )


def test_working_days_and_holidays() -> None:
    import datetime as dt

    from gridctl.ledger.profiles import profile_defaults
    from gridctl.model.settings import Settings
    from gridctl.supervision.calendar import WorkCalendar

    settings = Settings.model_validate({**profile_defaults("community"), "name": "x"})
    cal = WorkCalendar(settings.supervision.calendar)
    d = dt.date.fromisoformat
    assert cal.add(d("2026-02-12"), 3) == d("2026-02-24")  # 14 Feb (Sat) is worked, 15–23 Feb 春节
    assert cal.is_workday(d("2026-02-14")) and not cal.is_workday(d("2026-02-16"))
    assert cal.add(d("2026-09-30"), 1) == d("2026-10-08")
    assert cal.add(d("2026-03-07"), 0) == d("2026-03-09")  # reported on Saturday: Monday


def rows(output: str, section: str) -> list[list[str]]:
    """The rows (header first) of one section of a text report."""
    lines = output.split(f"== {section} ==\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [line.split() for line in lines]


def test_monthly_report_and_assessment(run, repo: Path) -> None:
    march(run)
    r = run("2026-04-01 09:00", "report", "monthly", "--month", "2026-03")
    assert r.exit_code == 0, r.output
    assert rows(r.output, "网格")[1] == [GRID, "第一网格", "22", "5", "22.7%", "2", "1", "1", "1", "3", "0"]
    assert rows(r.output, "工作人员")[2] == ["S0002", "李强", "第一网格", "5", "3", "2", "0", "0", "0", "0", "0"]
    assert rows(r.output, "事件分类")[1:] == [["安全隐患", "2", "1", "1", "0"], ["矛盾纠纷", "1", "0", "0", "1"]]
    assert "上报事件 3 件；发现隐患 2 处，已整改 1 处（按期 1 处），上报上级 1 处。" in r.output

    r = run("2026-04-01 09:00", "report", "assessment", "--period", "2026-03")
    assert r.exit_code == 0, r.output
    assert rows(r.output, "考核得分")[1] == [
        "S0002",
        "李强",
        "第一网格",
        "5/22",
        "1/2",
        "1/3",
        "1/1",
        "40.76",
        "24.5",
        "16.26",
    ]
    trace = rows(r.output, "扣分明细")[1:]
    assert sum(1 for t in trace if t[1] == "缺巡查") == 17
    head = subprocess.run(
        ["git", "log", "--format=%h %s", "--abbrev=10"], cwd=repo, capture_output=True, text=True
    ).stdout
    reported = next(line.split()[0] for line in head.splitlines() if "上报事件 E202603-0002" in line)
    late = next(line.split()[0] for line in head.splitlines() if "社区日常巡查 2026-03-10" in line)
    assert ["S0002", "事件超期", "2", "E202603-0002", reported, "邻里漏水纠纷，期限", "2026-03-12"] in trace
    assert ["S0002", "红牌督办", "5", "E202603-0003", "2026-03-10", "红牌督办"] in trace
    assert rows(r.output, "补录记录")[1] == ["I202603-0005", late, "巡查日期", "2026-03-10，2026-03-17", "才录入"]


def handover(run, day: str, on: str) -> None:  # type: ignore[no-untyped-def]
    """赵六 takes 李强's place as 网格员 from `on`; the clerk records it on `day`, 李强 leaving that day."""
    steps = [
        ("add", "staff", "--set", "name=赵六", "--set", "phone=13700137000", "--set", "gender=男"),
        ("assign", GRID, "--role", "网格员", "--staff", "赵六", "--duty", "每日巡查", "--since", on),
        ("unassign", GRID, "--role", "网格员", "--staff", "李强", "--date", on),
        ("retire", "李强", "--reason", "调离", "--date", on),
    ]
    for args in steps:
        r = run(day, *args)
        assert r.exit_code == 0, r.output


def test_a_past_month_reads_the_same_after_a_later_handover(run, repo: Path) -> None:
    """March belongs to 李强, who left on 1 April: the April handover changes nothing of March."""
    inspect_all_ok(run, "2026-03-02 09:00")
    inspect_all_ok(run, "2026-03-03 09:00")
    reports = [("assessment", "--period", "2026-03"), ("monthly", "--month", "2026-03")]
    before = [run("2026-04-01 08:00", "report", *args).output for args in reports]
    assert rows(before[0], "考核得分")[1][:4] == ["S0002", "李强", "第一网格", "2/22"]
    handover(run, "2026-04-10 09:00", "2026-04-01")
    after = [run("2026-04-10 09:30", "report", *args).output for args in reports]
    assert after == before
    assert "赵六" not in after[0] and "赵六" not in after[1]
    # April is 赵六's: 李强 left on its first day
    april = run("2026-04-10 09:30", "report", "assessment", "--period", "2026-04")
    scores = [r[:3] for r in rows(april.output, "考核得分")[1:] if r[0].startswith("S")]
    assert scores == [["S0003", "赵六", "第一网格"]]


def test_a_handover_mid_month_splits_the_days_between_the_two(run, repo: Path) -> None:
    inspect_all_ok(run, "2026-03-02 09:00")
    handover(run, "2026-03-16 09:00", "2026-03-16")
    r = run("2026-03-17 09:00", "inspect", GRID, "--by", "赵六", "--all-ok")
    assert r.exit_code == 0, r.output
    r = run("2026-04-01 09:00", "report", "assessment", "--period", "2026-03")
    scores = {row[0]: row for row in rows(r.output, "考核得分")[1:] if row[0].startswith("S")}
    # 2..13 March: 10 working days for 李强; 16..31 March: 12 for 赵六, 22 in all as the grid's row
    assert scores["S0002"][3] == "1/10" and scores["S0003"][3] == "1/12", r.output
    monthly = run("2026-04-01 09:00", "report", "monthly", "--month", "2026-03")
    assert rows(monthly.output, "网格")[1][2:4] == ["22", "2"]
    people = {row[0]: row[2] for row in rows(monthly.output, "工作人员")[1:]}
    assert people["S0002"] == "第一网格" and people["S0003"] == "第一网格"


def test_a_late_inspection_is_listed_once_and_charged_to_who_did_it(run, repo: Path) -> None:
    """Two 网格员 on one grid: 李强's sheet of 10 March, entered on the 17th, was listed twice under 补录记录
    and charged 0.5 to 赵六 as well, who did not do it. It is listed once and charged to 李强 alone; the
    网格长's late sheet, charged to no 网格员, is still listed."""
    staff = ("add", "staff", "--set", "name=赵六", "--set", "phone=13700137000", "--set", "gender=男")
    assert run("2026-03-01 09:00", *staff).exit_code == 0
    r = run("2026-03-01 09:00", "assign", GRID, "--role", "网格员", "--staff", "赵六", "--duty", "每日巡查")
    assert r.exit_code == 0, r.output
    for by, day in (("李强", "2026-03-10"), ("S0001", "2026-03-11")):
        r = run("2026-03-17 09:00", "inspect", GRID, "--by", by, "--checklist", "社区日常巡查", "--date", day,
                "--all-ok")  # fmt: skip
        assert r.exit_code == 0, r.output
    r = run("2026-04-01 09:00", "report", "assessment", "--period", "2026-03")
    assert r.exit_code == 0, r.output
    late = [row for row in rows(r.output, "扣分明细")[1:] if row[1] == "补录"]
    assert [(row[0], row[3]) for row in late] == [("S0002", "I202603-0001")], r.output
    listed = [row[0] for row in rows(r.output, "补录记录")[1:] if row[0].startswith("I")]
    assert listed == ["I202603-0001", "I202603-0002"], r.output
    scores = {row[0]: row for row in rows(r.output, "考核得分")[1:] if row[0].startswith("S")}
    assert scores["S0002"][3] == scores["S0003"][3] == "2/22", r.output


def test_an_inspection_is_checked_against_who_was_responsible_on_its_day(run, repo: Path) -> None:
    """李强 left on 1 April; his paper sheet of 30 March is entered on 3 April and is his. 赵六 began on
    1 April: a sheet of his for 30 March is refused, naming the day and who was responsible then."""
    handover(run, "2026-04-02 09:00", "2026-04-01")
    r = run("2026-04-03 09:00", "inspect", GRID, "--by", "李强", "--date", "2026-03-30", "--hazard", "1: 楼道堆物",
            "--all-ok")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "巡查网格 110105001001001：社区日常巡查 2026-03-30，发现隐患 1 处" in r.output
    sheet = (repo / "inspections/2026/03/I202603-0001.yaml").read_text(encoding="utf-8")
    assert "inspector: S0002" in sheet and "date: 2026-03-30" in sheet
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout
    r = run("2026-04-03 09:00", "inspect", GRID, "--by", "赵六", "--date", "2026-03-30", "--all-ok")
    assert r.exit_code == 1
    assert "S0003 赵六 在 2026-03-30 不是网格 110105001001001 的责任人" in r.output
    assert "2026-03-30 负责的是: 网格长 S0001 王芳、网格员 S0002 李强" in r.output
    r = run("2026-04-03 09:00", "inspect", GRID, "--by", "李强", "--date", "2026-04-01", "--all-ok")
    assert r.exit_code == 1
    assert "S0002 李强 已于 2026-04-01 注销，2026-04-01 不在岗" in r.output
    assert "2026-04-01 负责的是: 网格长 S0001 王芳、网格员 S0003 赵六" in r.output
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout == head
    r = run("2026-04-03 09:00", "inspect", GRID, "--by", "赵六", "--date", "2026-04-01", "--all-ok")
    assert r.exit_code == 0, r.output
    assert run("2026-04-03 09:00", "validate").exit_code == 0


def head_of(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout


def test_an_event_step_is_checked_against_who_was_responsible_on_its_day(run, cli, repo: Path) -> None:
    """李强 left on 1 April; the steps he took on paper in March are entered on 3 April and are his,
    a step dated his last day or later is refused. 赵六 began on 1 April: a step of his dated 31 March is
    refused, naming the day and who was responsible then; from 1 April it is his."""
    r = run("2026-03-27 09:00", "event", "report", "--grid", GRID, "--type", "矛盾纠纷", "--title", "楼上漏水",
            "--by", "李强")  # fmt: skip
    assert r.exit_code == 0, r.output
    for args in (("accept", "--by", "王芳"), ("dispatch", "--by", "王芳", "--to", "李强")):
        assert run("2026-03-27 10:00", "event", args[0], "E202603-0001", *args[1:]).exit_code == 0
    handover(run, "2026-04-02 09:00", "2026-04-01")
    r = run("2026-04-03 09:00", "event", "handle", "E202603-0001", "--by", "李强", "--date", "2026-03-30",
            "--note", "联系楼上住户维修")  # fmt: skip
    assert r.exit_code == 0, r.output
    event = (repo / "events/2026/03/E202603-0001.yaml").read_text(encoding="utf-8")
    assert "at: 2026-03-30\n    by: S0002\n    action: 处置" in event
    head = head_of(repo)
    r = run("2026-04-03 09:00", "event", "feedback", "E202603-0001", "--by", "李强", "--date", "2026-04-01")
    assert r.exit_code == 1
    assert "S0002 李强 已于 2026-04-01 注销，2026-04-01 不在岗，不能反馈" in r.output
    assert "2026-04-01 负责的是: 网格长 S0001 王芳、网格员 S0003 赵六" in r.output
    r = run("2026-04-03 09:00", "event", "feedback", "E202603-0001", "--by", "赵六", "--date", "2026-03-31")
    assert r.exit_code == 1
    assert "S0003 赵六 2026-03-31 在网格 110105001001001 无权反馈，需由网格长、网格员" in r.output
    assert "2026-03-31 负责的是: 网格长 S0001 王芳、网格员 S0002 李强" in r.output
    assert head_of(repo) == head
    r = run("2026-04-03 09:00", "event", "feedback", "E202603-0001", "--by", "赵六", "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    # his report of 31 March, and its dispatch to him that day, typed in on 3 April
    r = run("2026-04-03 09:00", "event", "report", "--grid", GRID, "--type", "矛盾纠纷", "--title", "车位纠纷",
            "--by", "李强", "--date", "2026-03-31")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = run("2026-04-03 09:00", "event", "accept", "E202603-0002", "--by", "王芳", "--date", "2026-03-31")
    assert r.exit_code == 0, r.output
    r = run("2026-04-03 09:00", "event", "dispatch", "E202603-0002", "--by", "王芳", "--to", "李强",
            "--date", "2026-03-31")  # fmt: skip
    assert r.exit_code == 0, r.output
    head = head_of(repo)
    r = run("2026-04-03 09:00", "event", "report", "--grid", GRID, "--type", "矛盾纠纷", "--title", "噪音",
            "--by", "李强", "--date", "2026-04-02")  # fmt: skip
    assert r.exit_code == 1
    assert "S0002 李强 已于 2026-04-01 注销，2026-04-02 不在岗，不能上报" in r.output
    r = run("2026-04-03 09:00", "event", "report", "--grid", GRID, "--type", "矛盾纠纷", "--title", "噪音",
            "--by", "王芳", "--date", "2026-04-01")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = run("2026-04-03 09:00", "event", "accept", "E202604-0001", "--by", "王芳", "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    head = head_of(repo)
    r = run("2026-04-03 09:00", "event", "dispatch", "E202604-0001", "--by", "王芳", "--to", "李强",
            "--date", "2026-04-01")  # fmt: skip
    assert r.exit_code == 1 and "--to S0002 (李强) 在 2026-04-01 已不在岗或已注销，不能派遣" in r.output
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": "2026-04-03 09:00"}
    said = ("event", "dispatch", "E202604-0001", "--by", "赵六", "--to", "李强")
    r = cli("-C", str(repo), "--lang", "en", *said, env=env)
    assert r.exit_code == 1
    assert "S0003 (赵六) may not dispatch (派遣) in grid 110105001001001 on 2026-04-03: needs 网格长" in r.output
    assert head_of(repo) == head
    assert run("2026-04-03 09:00", "validate").exit_code == 0


def test_a_visit_and_an_activity_are_checked_against_who_was_responsible_on_their_day(run, repo: Path) -> None:
    """The same rule for a visit (the household's grid) and for who held an activity (the unit's grid, a
    grid above it, or one of its grids): 李强's of March are his, 赵六's of March are refused."""
    handover(run, "2026-04-02 09:00", "2026-04-01")
    r = run("2026-04-03 09:00", "visit", "H000001", "--by", "李强", "--date", "2026-03-30", "--purpose", "慰问")
    assert r.exit_code == 0, r.output
    r = run("2026-04-03 09:00", "activity", GRID, "--type", "工作例会", "--by", "李强", "--date", "2026-03-31")
    assert r.exit_code == 0, r.output
    # the community's training, held by a worker of one of its grids
    r = run("2026-04-03 09:00", "activity", "110105001001", "--type", "培训", "--by", "李强", "--date", "2026-03-31")
    assert r.exit_code == 0, r.output
    head = head_of(repo)
    r = run("2026-04-03 09:00", "activity", "110105001001", "--type", "培训", "--by", "赵六", "--date", "2026-03-31")
    assert r.exit_code == 1
    assert "S0003 赵六 在 2026-03-31 不是网格 110105001001 的责任人" in r.output
    r = run("2026-04-03 09:00", "visit", "H000001", "--by", "李强", "--date", "2026-04-01")
    assert r.exit_code == 1
    assert "S0002 李强 已于 2026-04-01 注销，2026-04-01 不在岗，不能记为走访人" in r.output
    assert "2026-04-01 负责的是: 网格长 S0001 王芳、网格员 S0003 赵六" in r.output
    r = run("2026-04-03 09:00", "visit", "H000001", "--by", "赵六", "--date", "2026-03-30")
    assert r.exit_code == 1
    assert "S0003 赵六 在 2026-03-30 不是网格 110105001001001 的责任人" in r.output
    assert "2026-03-30 负责的是: 网格长 S0001 王芳、网格员 S0002 李强" in r.output
    r = run("2026-04-03 09:00", "activity", GRID, "--type", "工作例会", "--by", "赵六", "--date", "2026-03-31")
    assert r.exit_code == 1
    assert "S0003 赵六 在 2026-03-31 不是网格 110105001001001 的责任人" in r.output
    r = run("2026-04-03 09:00", "activity", GRID, "--type", "工作例会", "--by", "李强", "--date", "2026-04-02")
    assert r.exit_code == 1
    assert "S0002 李强 已于 2026-04-01 注销，2026-04-02 不在岗，不能记为组织人" in r.output
    assert head_of(repo) == head
    r = run("2026-04-03 09:00", "visit", "H000001", "--by", "赵六", "--date", "2026-04-01")
    assert r.exit_code == 0, r.output
    r = run("2026-04-03 09:00", "activity", GRID, "--type", "工作例会", "--by", "赵六")
    assert r.exit_code == 0, r.output
    assert run("2026-04-03 09:00", "validate").exit_code == 0


def test_publish_then_correction_sheet(run, repo: Path) -> None:
    march(run)
    r = run("2026-04-01 09:00", "report", "monthly", "--month", "2026-03", "--publish")
    assert r.exit_code == 0, r.output
    tags = subprocess.run(["git", "tag"], cwd=repo, capture_output=True, text=True).stdout.split()
    assert tags == ["report/2026-03"]
    files = subprocess.run(
        ["git", "show", "--name-only", "--format=%s", "report/2026-03"], cwd=repo, capture_output=True, text=True
    ).stdout.split()
    assert files[-2:] == ["reports/2026-03/monthly.html", "reports/2026-03/monthly.json"]
    again = run("2026-04-01 10:00", "report", "monthly", "--month", "2026-03", "--publish")
    assert again.exit_code == 2 and "该期报表已发布 (report/2026-03)，不能重复发布" in again.output
    r = run("2026-04-01 10:00", "report", "monthly", "--month", "2026-03")
    assert rows(r.output, "更正表") == [["部分", "行", "项目", "发布时", "现在"], ["发布后台账无变动"]]
    assert "发布后台账无变动" in r.output
    # an inspection of 11 March entered in April, an event closed late
    inspect_all_ok(run, "2026-03-11 09:00", committed="2026-04-02")
    r = run("2026-04-02 10:00", "report", "monthly", "--month", "2026-03")
    assert rows(r.output, "网格")[1][3] == "5"  # the published numbers stay
    assert rows(r.output, "更正表")[1:-1] == [
        ["网格", GRID, "已巡查(天)", "5", "6"],
        ["网格", GRID, "完成率", "22.7%", "27.3%"],
        ["工作人员", "S0002", "巡查次数", "5", "6"],
        ["每月总结", "已巡查", "数量", "5", "6"],
    ]
    assert "发布后台账有 4 处变动，以本表为准更正" in r.output
    shown = json.loads(run("2026-04-02 10:00", "report", "monthly", "--month", "2026-03", "-f", "json").stdout)
    assert shown["totals"]["done_days"] == 5 and shown["notes"] == []  # the published figures, as data
    assert "due_days" not in r.output


def test_spot_check_is_reproducible(run, repo: Path) -> None:
    march(run)
    first = run("2026-04-01 09:00", "spot-check", "--month", "2026-03", "--sample", "2", "--seed", "7")
    again = run("2026-04-20 09:00", "spot-check", "--month", "2026-03", "--sample", "2", "--seed", "7")
    assert first.exit_code == 0 and first.output == again.output
    assert [row[1] for row in rows(first.output, "抽查记录")[1:-1]] == ["I202603-0001", "I202603-0002"]
    assert "随机种子 7；本月巡查记录 5 份，抽取 2 份" in first.output
    other = run("2026-04-01 09:00", "spot-check", "--month", "2026-03", "--sample", "5", "--seed", "8")
    assert len(rows(other.output, "抽查记录")) == 7


def test_a_spot_check_names_its_revision_and_is_drawn_again_from_it_after_a_late_entry(run, repo: Path) -> None:
    """An inspection entered late (补录) changed the sample of the same seed, and the bureau could not draw
    the month's sample again: the sheet now names the revision and the command that draws it again."""
    march(run)
    first = run("2026-04-01 09:00", "spot-check", "--month", "2026-03", "--sample", "3", "--seed", "11")
    head = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=repo, capture_output=True, text=True)
    again = f"gridctl --as-of {head.stdout.strip()} spot-check --month 2026-03 --sample 3 --seed 11"
    assert f"抽取自台账版本 {head.stdout.strip()}；重现: {again}" in first.output
    for day in ("2026-03-12", "2026-03-13", "2026-03-16"):
        inspect_all_ok(run, f"{day} 09:00", committed="2026-04-02")
    later = run("2026-04-03 09:00", "spot-check", "--month", "2026-03", "--sample", "3", "--seed", "11")
    assert "本月巡查记录 8 份" in later.output
    assert rows(later.output, "抽查记录") != rows(first.output, "抽查记录")  # the same seed, another sample
    redrawn = run("2026-04-03 09:00", *again.split()[1:])
    assert rows(redrawn.output, "抽查记录") == rows(first.output, "抽查记录")


def test_registers_masked_unless_revealed(run, repo: Path) -> None:
    path = repo / "households" / GRID / "H000001.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("housing: 自有\n", "housing: 自有\ntags: [低保家庭]\n"),
        encoding="utf-8",
    )
    r = run("2026-04-01 09:00", "report", "registers")
    assert rows(r.output, "困难群众台账：服务对象")[:2] == [["网格", "户", "人"], ["第一网格", "1", "1"]]
    for secret in ("13912345678", "139****5678", "张伟", "张*", "H000001", "110105"):
        assert secret not in r.output  # counts only: no line ties a person or a household to 低保
    assert "N 类人群：低保家庭（1 人）" in r.output
    r = run("2026-04-01 09:00", "report", "registers", "--reveal")
    assert rows(r.output, "困难群众台账：服务对象")[1] == [
        "第一网格",
        "H000001",
        "张伟",
        "110105198003151234",
        "13912345678",
        "低保家庭",
    ]


def test_registers_list_a_household_under_its_living_head(run, repo: Path) -> None:
    """A 低保 household whose 户主 died was listed in the register under the dead head's name and ID number."""
    path = repo / "households" / GRID / "H000001.yaml"
    wife = (
        "  - id: P0000002\n    name: 李秀英\n    gender: 女\n    relation: 配偶\n"
        '    phones: ["13712340000"]\n    residence: 户籍\n'
    )
    text = path.read_text(encoding="utf-8").replace("housing: 自有\n", "housing: 自有\ntags: [低保家庭]\n")
    died = "    residence: 户籍\n    retired: {date: 2026-03-20, reason: 病故}\n"
    text = text.replace("    residence: 户籍\n", died, 1)
    path.write_text(text + wife, encoding="utf-8")
    r = run("2026-04-01 09:00", "report", "registers", "--reveal")
    listed = rows(r.output, "困难群众台账：服务对象")
    assert listed[1][:3] == ["第一网格", "H000001", "李秀英"], listed
    assert "张伟" not in r.output


def test_validate_flags_a_rewritten_step(run, repo: Path) -> None:
    march(run)
    path = repo / "events/2026/03/E202603-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("note: 联系住户清理", "note: 已清理"), encoding="utf-8")
    r = run("2026-04-01 09:00", "validate")
    assert r.exit_code == 1
    assert (
        "error[GC400] 事件 E202603-0001 的处置记录第 4 步（处置，2026-03-04 15:00:00）在 working tree 中被改写或删除"
        in r.output
    )
    subprocess.run(
        ["git", "commit", "-qam", "改写处置记录"], cwd=repo, check=True, env={**__import__("os").environ, **AUTHOR_ENV}
    )
    sha = subprocess.run(
        ["git", "rev-parse", "--short=10", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    r = run("2026-04-01 09:00", "validate")
    assert r.exit_code == 1 and f"在 {sha} 中被改写或删除" in r.output
    # a gridctl write cannot make it worse, and appending is fine once the step is restored
    path.write_text(path.read_text(encoding="utf-8").replace("note: 已清理", "note: 联系住户清理"), encoding="utf-8")
    subprocess.run(
        ["git", "commit", "-qam", "恢复"], cwd=repo, check=True, env={**__import__("os").environ, **AUTHOR_ENV}
    )
    assert run("2026-04-01 09:00", "validate").exit_code == 0


def test_an_event_dated_ahead_is_open_and_not_overdue_in_status_and_due_alike(demo: Path) -> None:
    """A year typed wrong (2027 for 2026). E202603-0006, due 2026-03-20, reported "2027-03-13": status
    counted it overdue while due left it out, as an event not yet reported. E202603-0003, closed, with
    every time in 2027: status counted it done. E202603-0001 closed by a step dated 2027: due had it
    open and overdue, status done. Now both read each event as it stands on the day; validate warns."""

    def shift(rel: str, old: str, new: str, count: int = -1) -> None:
        path = demo / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, count), encoding="utf-8")

    def run(*args: str) -> tuple[int, str]:
        code, out, err = gridctl("--lang", "en", *args, cwd=demo, env={"GRIDCTL_TODAY": "2026-03-25"})
        assert "Traceback" not in err, err
        return code, out

    before = json.loads(run("status", "-f", "json")[1])
    assert before["overdue"] == 3 and sum(before["open_events"].values()) == 3  # 0002, 0005, 0006
    shift("events/2026/03/E202603-0006.yaml", "  at: 2026-03-13 15:10:00\n  via", "  at: 2027-03-13 15:10:00\n  via")
    assert json.loads(run("status", "-f", "json")[1])["overdue"] == 2  # as due: 0002, 0005
    shift("events/2026/03/E202603-0003.yaml", "2026-03-", "2027-03-")
    closing = (demo / "events/2026/03/E202603-0001.yaml").read_text(encoding="utf-8").rsplit("  - at: 2026-03-", 1)
    (demo / "events/2026/03/E202603-0001.yaml").write_text("  - at: 2027-03-".join(closing), encoding="utf-8")

    status = json.loads(run("status", "-f", "json")[1])
    due = json.loads(run("due", "-f", "json")[1])
    late = sorted(i["record"] for i in due["items"] if i["section"] == "event" and i["overdue"])
    assert late == ["E202603-0001", "E202603-0002", "E202603-0005"]
    assert status["overdue"] == len(late)
    assert sum(status["open_events"].values()) == 5  # 0003 and 0006 open, 0001 not closed yet
    listed = {i["record"] for i in due["items"] if i["section"] == "event"}
    assert not listed & {"E202603-0003", "E202603-0006"}  # reported on no day before the 25th

    code, out = run("validate")
    assert code == 1  # GC400 too: steps of committed events rewritten
    found = [ln.split(": ", 1)[1] for ln in out.splitlines() if "[GC402]" in ln]
    assert [f.split(" ", 1)[0] for f in found] == ["warning[GC402]"] * 3, out
    assert "event E202603-0001: step 7 (结案) is dated 2027-03-05 09:35, after today" in out
    assert "event E202603-0003: the report is dated 2027-03-07 10:05, after today" in out
    assert "event E202603-0006: the report is dated 2027-03-13 15:10, after today" in out

    # event steps agrees: it said "deadline: 2026-03-20, 3 working day(s) late" of the event due left out
    code, out = run("event", "steps", "E202603-0006")
    assert code == 0 and "day(s) late" not in out and "reported on a day still to come: not overdue" in out, out
    code, out = run("event", "steps", "E202603-0006", "-f", "json")
    steps = json.loads(out)
    assert steps["overdue"] is False and steps["light"] == "ahead" and steps["days_late"] is None, steps
