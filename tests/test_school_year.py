"""A school's year: the term calendar, activities and documents, in a real git ledger with a fixed clock.

The ledger is a small 中心校 (fire-safety profile): one school with its 第一责任人, 消防安全管理人 and
包校人员, a spring term and the summer vacation.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import AUTHOR_ENV, make_repo, write

SETTINGS = """\
name: 瓦屋中心校消防安全网格化管理台账
profile: fire-safety
calendar:
  terms:
    - {name: 2025—2026学年第二学期, start: 2026-03-02, end: 2026-07-10}
    - {name: 2026—2027学年第一学期, start: 2026-09-01, end: 2027-01-22}
  vacations:
    - {name: 暑假, start: 2026-07-11, end: 2026-08-31}
"""
CENTRE = """\
kind: grid
id: XF01
name: 瓦屋中心校
level: 中心校
responsible:
  - {role: 第一责任人, staff: S0001, duties: [本单位消防安全第一责任人], since: 2026-03-02}
"""
SCHOOL = """\
kind: grid
id: XF0101
name: 瓦屋小学
level: 中小学
parent: XF01
responsible:
  - {role: 第一责任人, staff: S0002, duties: [本校消防安全第一责任人], since: 2026-03-02}
  - {role: 消防安全管理人, staff: S0003, duties: [组织教师天天巡查], since: 2026-03-02}
  - {role: 包校人员, staff: S0001, duties: [对分管学校具有监管领导责任], since: 2026-03-02}
"""
STAFF = 'kind: staff\nid: {id}\nname: {name}\nphone: "{phone}"\n'


@pytest.fixture
def school(tmp_path: Path) -> Path:
    root = tmp_path / "wawu"
    write(root, "gridctl.yaml", SETTINGS)
    write(root, "grids/XF01.yaml", CENTRE)
    write(root, "grids/XF0101.yaml", SCHOOL)
    for sid, name, phone in (("S0001", "王德胜", "13907310001"), ("S0002", "刘永红", "13907310002")):
        write(root, f"staff/{sid}.yaml", STAFF.format(id=sid, name=name, phone=phone))
    write(root, "staff/S0003.yaml", STAFF.format(id="S0003", name="胡建军", phone="13907310003"))
    return make_repo(root, "2026-02-20T09:00:00")


@pytest.fixture
def run(cli, school: Path):  # type: ignore[no-untyped-def]
    def go(day: str, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
        when = day[:10] + "T18:00:00+08:00"
        env = {**AUTHOR_ENV, "GRIDCTL_TODAY": day, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        result = cli("-C", str(school), "--lang", lang, *args, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return go


def due_items(run, day: str) -> list[tuple[str, bool, str]]:  # type: ignore[no-untyped-def]
    r = run(day, "due", "--format", "json")
    return [(i["section"], i["overdue"], i["zh"]) for i in json.loads(r.stdout)["items"]]


def test_working_days_come_from_chinesecalendar() -> None:
    from gridctl.model.supervision import Calendar
    from gridctl.supervision.calendar import WorkCalendar

    cal = WorkCalendar(Calendar(holidays=[dt.date(2026, 3, 6)], workdays=[dt.date(2026, 3, 7)]))
    assert cal.is_workday(dt.date(2026, 2, 14))  # a Saturday worked for the Spring Festival (调休)
    assert not cal.is_workday(dt.date(2026, 2, 18)) and not cal.is_workday(dt.date(2026, 10, 1))
    assert not cal.is_workday(dt.date(2026, 4, 6))  # 清明 on a Monday
    assert not cal.is_workday(dt.date(2026, 3, 6)) and cal.is_workday(dt.date(2026, 3, 7))  # the ledger's own days
    assert cal.add(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)


def test_a_day_past_the_holiday_data_warns_and_names_the_package(run) -> None:  # type: ignore[no-untyped-def]
    from gridctl.supervision.calendar import data_years

    later = f"{data_years()[1] + 1}-01-05"
    r = run(later, "due")
    assert "chinesecalendar" in r.stderr and "pip install -U chinesecalendar" in r.stderr
    r = run(later, "due", "--format", "json")
    assert any("chinesecalendar" in n for n in json.loads(r.stdout)["notes"])
    r = run(later, "report", "monthly", "--month", later[:7])
    assert "pip install -U chinesecalendar" in r.stdout


def test_no_inspection_is_due_on_vacation_weekends_or_holidays(run) -> None:  # type: ignore[no-untyped-def]
    assert not [i for i in due_items(run, "2026-08-05") if i[0] == "inspection"]  # 暑假
    for day in ("2026-04-04", "2026-04-06"):  # a Saturday, 清明: nothing due today, Friday's miss still shown
        found = [i for i in due_items(run, day) if i[0] == "inspection"]
        assert found == [("inspection", True, "瓦屋小学 04-03 未巡查")]
    items = due_items(run, "2026-04-07")
    assert ("inspection", True, "瓦屋小学 04-03 未巡查") in items  # Friday before the holiday
    assert ("inspection", False, "瓦屋小学 今日尚未巡查") in items
    # the first day of the autumn term: July's last day is not "yesterday"
    assert [i for i in due_items(run, "2026-09-01") if i[0] == "inspection"] == [
        ("inspection", False, "瓦屋小学 今日尚未巡查")
    ]


def test_the_monthly_report_counts_school_days_from_since(run, school: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("2026-07-31", "report", "monthly", "--month", "2026-07", "--format", "json")
    rows = {
        row["grid"]: row for row in next(s for s in json.loads(r.stdout)["sections"] if s["key"] == "grids")["rows"]
    }
    assert rows["XF0101"]["due_days"] == 8  # 1–10 July: eight school days, then the vacation
    # a school whose people were assigned on 16 March is not missed before
    text = (school / "grids/XF0101.yaml").read_text(encoding="utf-8").replace("2026-03-02", "2026-03-16")
    (school / "grids/XF0101.yaml").write_text(text, encoding="utf-8")
    r = run("2026-03-31", "report", "monthly", "--month", "2026-03", "--format", "json")
    rows = {
        row["grid"]: row for row in next(s for s in json.loads(r.stdout)["sections"] if s["key"] == "grids")["rows"]
    }
    assert rows["XF0101"]["due_days"] == 12  # 16–31 March
    assert not [i for i in due_items(run, "2026-03-16") if i[0] == "inspection" and i[1]]


def test_an_activity_is_one_commit_with_its_photos(run, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    photo = tmp_path / "演练现场.JPG"
    photo.write_bytes(b"\xff\xd8\xff\xe0 drill photo")
    r = run(
        "2026-03-18 10:00",
        "activity",
        "瓦屋小学",
        "--type",
        "消防演练",
        "--by",
        "胡建军",
        "--participants",
        "420",
        "--summary",
        "全校师生紧急疏散，用时 3 分 10 秒",
        "--photo",
        str(photo),
    )
    assert r.exit_code == 0, r.output
    log = subprocess.run(
        ["git", "log", "-1", "--name-only", "--format=%s"], cwd=school, capture_output=True, text=True
    ).stdout.splitlines()
    assert log == [
        "录入活动 A202603-0001：消防演练 瓦屋小学 2026-03-18",
        "",
        "activities/2026/03/A202603-0001.yaml",
        "photos/activities/A202603-0001-1.jpg",
    ]
    assert (school / "photos/activities/A202603-0001-1.jpg").read_bytes() == photo.read_bytes()
    r = run("2026-03-31", "report", "registers")
    assert "消防演练和例会台账" in r.stdout and "全校师生紧急疏散" in r.stdout
    # a type outside the vocabulary is refused with the choices, nothing written
    r = run("2026-03-19", "activity", "XF0101", "--type", "演习")
    assert r.exit_code != 0 and "消防演练" in r.output
    assert not (school / "activities/2026/03/A202603-0002.yaml").exists()


def test_due_reminds_what_the_plan_requires(run) -> None:  # type: ignore[no-untyped-def]
    assert ("activity", False, "瓦屋小学 2026年03月尚未开展消防演练（03-31 前）") in due_items(run, "2026-03-18")
    run("2026-03-18", "activity", "XF0101", "--type", "消防演练", "--by", "S0003")
    run("2026-03-31", "activity", "XF01", "--type", "消防安全例会", "--by", "S0001")
    items = due_items(run, "2026-04-01")
    assert ("activity", True, "瓦屋小学 2026年03月（03-01–03-31）未开展消防安全例会") in items
    assert not [i for i in items if "瓦屋中心校" in i[2] and "03月" in i[2]]  # the centre held its meeting
    # July (ten school days) wanted its drill; August, all vacation, none
    assert ("activity", True, "瓦屋小学 2026年07月（07-01–07-31）未开展消防演练") in due_items(run, "2026-08-20")
    assert not [i for i in due_items(run, "2026-09-02") if "08月" in i[2]]
    assert ("activity", False, "瓦屋小学 2026年11月尚未开展119消防宣传月活动（11-30 前）") in due_items(
        run, "2026-11-02"
    )
    # the 119 month, and education before the summer vacation: the fortnight before 11 July
    assert ("activity", False, "瓦屋小学 暑假前尚未开展放假前消防安全教育（07-10 前）") in due_items(run, "2026-07-01")
    assert ("activity", True, "瓦屋小学 暑假前（06-27–07-10）未开展放假前消防安全教育") in due_items(run, "2026-07-15")
    run("2026-07-08", "activity", "XF0101", "--type", "消防安全教育", "--occasion", "放假前")
    assert not [i for i in due_items(run, "2026-07-15") if "放假前" in i[2]]


def test_documents_are_tracked_to_their_due_date(run, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    items = due_items(run, "2026-08-01")
    assert ("document", False, "瓦屋小学 消防安全网格化管理工作实施方案须于 2026-08-20 前报中心校（19 天后）") in items
    assert ("document", True, "瓦屋小学 消防安全网格化管理工作实施方案应于 2026-08-20 前报中心校，已超 1 天") in (
        due_items(run, "2026-08-21")
    )
    scan = tmp_path / "实施方案.pdf"
    scan.write_bytes(b"%PDF-1.4\nplan\n%%EOF\n")
    r = run(
        "2026-08-18",
        "document",
        "add",
        "瓦屋小学",
        "--type",
        "实施方案",
        "--title",
        "瓦屋小学消防安全网格化管理工作实施方案",
        "--date",
        "2026-08-18",
        "--to",
        "瓦屋中心校",
        "--file",
        str(scan),
    )
    assert r.exit_code == 0, r.output
    assert (school / "documents/XF0101/D2026-0001.pdf").read_bytes() == scan.read_bytes()
    shown = run("2026-08-18", "show", "D2026-0001").stdout  # the record's own file and its attachment
    assert "附件: documents/XF0101/D2026-0001.pdf" in shown and "文件: documents/XF0101/D2026-0001.yaml" in shown
    assert not [i for i in due_items(run, "2026-08-21") if "实施方案" in i[2]]
    # a clerk's clone on Windows (core.autocrlf=true) gets the scan byte for byte, as gridctl init sets it up
    from gridctl.ops.init import GITATTRIBUTES

    (school / ".gitattributes").write_text(GITATTRIBUTES, encoding="utf-8")
    clone = tmp_path / "clone"
    git = ["git", "-c", "core.autocrlf=true", "-c", "user.name=x", "-c", "user.email=x@x"]
    subprocess.run([*git, "add", ".gitattributes"], cwd=school, check=True)
    subprocess.run([*git, "commit", "-qm", "attributes as gridctl init writes them"], cwd=school, check=True)
    subprocess.run([*git, "clone", "-q", str(school), str(clone)], check=True)
    assert (clone / "documents/XF0101/D2026-0001.pdf").read_bytes() == scan.read_bytes()
    # a letter to sign by the end of September, recorded before it is signed
    r = run(
        "2026-09-01",
        "document",
        "add",
        "XF0101",
        "--type",
        "安全责任书",
        "--title",
        "2026—2027学年消防安全责任书",
        "--due",
        "2026-09-30",
        "--signed-with",
        "瓦屋中心校",
    )
    assert r.exit_code == 0, r.output
    assert ("document", True, "D2026-0002 瓦屋小学 2026—2027学年消防安全责任书 应于 2026-09-30 完成，已逾期") in (
        due_items(run, "2026-10-08")
    )
    letter = tmp_path / "责任书.jpg"
    letter.write_bytes(b"\xff\xd8 signed")
    r = run("2026-09-28", "document", "submit", "D2026-0002", "--file", str(letter))
    assert r.exit_code == 0, r.output
    record = (school / "documents/XF0101/D2026-0002.yaml").read_text(encoding="utf-8")
    assert "date: 2026-09-28" in record and "attachment: documents/XF0101/D2026-0002.jpg" in record
    assert not [i for i in due_items(run, "2026-10-08") if i[0] == "document"]


def test_a_calendar_that_cannot_be_is_a_settings_error_naming_it(run, school: Path) -> None:  # type: ignore[no-untyped-def]
    settings = school / "gridctl.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("end: 2026-07-10", "end: 2026-02-10"), encoding="utf-8")
    r = run("2026-03-10", "validate")
    assert r.exit_code == 1 and "GC014" in r.output
    assert "2025—2026学年第二学期 的结束日期 2026-02-10 早于开始日期 2026-03-02" in r.output
    r = run("2026-03-10", "due")
    assert r.exit_code == 2 and "gridctl.yaml" in r.output  # no traceback, the clerk is sent to validate
    rule = 'supervision:\n  documents: [{name: 方案, type: 实施方案, due: "02-30"}]\n'
    settings.write_text(text + rule, encoding="utf-8")
    r = run("2026-03-10", "validate")
    assert r.exit_code == 1 and "方案 的期限 02-30 不是一年中的日期" in r.output
