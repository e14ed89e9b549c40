"""Events that go up and come back down: a school hazard escalated to the county bureau and closed
there, time limits in hours for an accident, and 事故四不放过 before it may close."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import AUTHOR_ENV, make_repo, write

SETTINGS = """\
name: 宁乡市教育局安全生产网格化管理台账
region_code: "430182"
profile: education
calendar:
  terms: [{name: 2025—2026学年第二学期, start: 2026-03-02, end: 2026-07-10}]
"""
GRIDS = {
    "JY01": ("宁乡市教育局", "县教育局", None, [("第一责任人", "S0001"), ("直接责任人", "S0002")]),
    "JY0101": (
        "龙城镇中心小学",
        "学校",
        "JY01",
        [("第一责任人", "S0003"), ("直接责任人", "S0004"), ("联系点领导", "S0002")],
    ),
    "JY010101": ("一年级", "年级", "JY0101", [("第一责任人", "S0003"), ("直接责任人", "S0005")]),
    "JY010102": ("总务处", "处室", "JY0101", [("第一责任人", "S0004"), ("直接责任人", "S0006")]),
}
STAFF = {
    "S0001": "蒋国强",  # 局长
    "S0002": "彭晓东",  # 安全办主任
    "S0003": "谭文华",  # 校长
    "S0004": "廖敏",  # 安全办主任 (学校)
    "S0005": "田海燕",  # 一年级组长
    "S0006": "梁永强",  # 总务主任
}


@pytest.fixture
def bureau(tmp_path: Path) -> Path:
    root = tmp_path / "jy"
    write(root, "gridctl.yaml", SETTINGS)
    for gid, (name, level, parent, people) in GRIDS.items():
        doc = {"kind": "grid", "id": gid, "name": name, "level": level, "parent": parent}
        doc["responsible"] = [{"role": r, "staff": s, "duties": ["见方案"], "since": "2026-03-02"} for r, s in people]
        write(root, f"grids/{gid}.yaml", yaml.safe_dump({k: v for k, v in doc.items() if v}, allow_unicode=True))
    for n, (sid, name) in enumerate(STAFF.items()):
        write(root, f"staff/{sid}.yaml", f'kind: staff\nid: {sid}\nname: {name}\nphone: "1390731000{n}"\n')
    return make_repo(root, "2026-02-20T09:00:00")


@pytest.fixture
def run(cli, bureau: Path):  # type: ignore[no-untyped-def]
    def go(at: str, *args: str):  # type: ignore[no-untyped-def]
        when = at[:10] + "T18:00:00+08:00"
        env = {**AUTHOR_ENV, "GRIDCTL_TODAY": at, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        result = cli("-C", str(bureau), "--lang", "zh", *args, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return go


def event_of(bureau: Path, event_id: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((bureau / f"events/2026/03/{event_id}.yaml").read_text(encoding="utf-8"))


def ok(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output


def test_a_hazard_escalated_to_the_bureau_closes_there(run, bureau: Path) -> None:  # type: ignore[no-untyped-def]
    # 立即整改: a hazard the school can fix itself is due the same day
    ok(run("2026-03-03 09:00", "inspect", "一年级", "--by", "田海燕", "--all-ok", "--hazard", "3: 教学楼二楼栏杆松动"))
    assert event_of(bureau, "E202603-0001")["deadline"].isoformat() == "2026-03-03"
    # beyond the school: 较大, escalated to the bureau
    ok(
        run(
            "2026-03-04 09:00",
            "inspect",
            "JY010102",
            "--by",
            "S0006",
            "--all-ok",
            "--grade",
            "较大",
            "--hazard",
            "校舍: 锅炉房墙体开裂，需专业鉴定",
        )
    )
    ev = "E202603-0002"
    assert event_of(bureau, ev)["deadline"].isoformat() == "2026-03-09"
    ok(run("2026-03-04 10:00", "event", "accept", ev, "--by", "S0004"))
    up = ("--to", "县教育局", "--reason", "超出处置能力")
    ok(run("2026-03-04 11:00", "event", "escalate", ev, "--by", "S0003", *up))
    assert event_of(bureau, ev)["timeline"][-1]["to"] == "JY01"
    items = json.loads(run("2026-03-05 08:00", "due", "--grid", "JY01", "--format", "json").stdout)["items"]
    assert any(i["record"] == ev and "待宁乡市教育局受理" in i["zh"] for i in items)
    # the school may no longer decide it; the bureau's 第一责任人 accepts, with a new time limit
    r = run("2026-03-05 09:00", "event", "accept", ev, "--by", "S0003")
    assert r.exit_code == 1 and "S0003 谭文华 2026-03-05 在网格 JY01 无权受理" in r.output
    ok(run("2026-03-05 09:30", "event", "accept", ev, "--by", "蒋国强"))
    record = event_of(bureau, ev)
    assert record["deadline"].isoformat() == "2026-03-09"  # the school's stays
    assert record["timeline"][-1]["deadline"].isoformat() == "2026-03-10"
    assert "上级受理，期限 2026-03-10" in record["timeline"][-1]["note"]
    # dispatched to the school's 总务主任, who handles and answers though he holds no role at the bureau
    ok(run("2026-03-05 10:00", "event", "dispatch", ev, "--by", "S0001", "--to", "梁永强"))
    assert event_of(bureau, ev)["timeline"][-1]["to"] == "S0006"
    r = run("2026-03-06 10:00", "event", "handle", ev, "--by", "S0005", "--note", "看了一下")
    assert r.exit_code == 1  # not the one dispatched, no role at the bureau
    ok(run("2026-03-06 15:00", "event", "handle", ev, "--by", "S0006", "--note", "请住建部门鉴定并加固"))
    ok(run("2026-03-09 16:00", "event", "feedback", ev, "--by", "S0006"))
    ok(run("2026-03-10 09:00", "event", "verify", ev, "--by", "S0001"))
    ok(run("2026-03-10 09:30", "event", "close", ev, "--by", "S0001"))
    assert event_of(bureau, ev)["status"] == "已结案"
    report = json.loads(run("2026-03-31", "report", "monthly", "--month", "2026-03", "--format", "json").stdout)
    units = next(s for s in report["sections"] if s["key"] == "units")
    row = next(r for r in units["rows"] if r["unit"] == "龙城镇中心小学")
    counted = [row[k] for k in ("hazards", "rectified", "rectified_on_time", "overdue")]
    assert counted == [2, 1, 1, 1]  # found, rectified, on time; overdue: the same-day one was never closed
    assert row["escalated"] == 1


def test_an_accident_is_reported_up_within_hours_and_closes_with_its_review(run, bureau: Path) -> None:  # type: ignore[no-untyped-def]
    ok(
        run(
            "2026-03-12 10:20",
            "event",
            "report",
            "--grid",
            "一年级",
            "--type",
            "安全事故",
            "--grade",
            "较大",
            "--title",
            "课间追逐摔伤，学生右臂骨折",
            "--by",
            "S0005",
            "--occurred",
            "2026-03-12 10:05",
        )
    )
    ev = "E202603-0001"
    items = json.loads(run("2026-03-12 11:00", "due", "--format", "json").stdout)["items"]
    assert next((i["section"], i["overdue"]) for i in items if "上报上级" in i["zh"]) == ("event", False)
    assert any("须于 2026-03-12 12:05 前上报上级（剩 1.1 小时）" in i["zh"] for i in items)
    items = json.loads(run("2026-03-12 13:00", "due", "--format", "json").stdout)["items"]
    assert any(i["overdue"] and "应于 2026-03-12 12:05 前上报上级，已超 0.9 小时" in i["zh"] for i in items)
    items = json.loads(run("2026-03-18 13:00", "due", "--format", "json").stdout)["items"]  # not "已超 144.9 小时"
    assert any(i["overdue"] and "前上报上级，已超 6 天 1 小时" in i["zh"] and i["hours_late"] == 144.9 for i in items)
    for at, cmd, by, *extra in [
        ("2026-03-12 10:30", "accept", "S0003"),
        ("2026-03-12 10:40", "dispatch", "S0003", "--to", "S0005"),
        ("2026-03-12 11:00", "handle", "S0005", "--note", "送医治疗，通知家长"),
        ("2026-03-13 09:00", "feedback", "S0005"),
        ("2026-03-16 09:00", "verify", "S0003"),
    ]:
        ok(run(at, "event", cmd, ev, "--by", by, *extra))
    r = run("2026-03-16 10:00", "event", "close", ev, "--by", "S0003")
    assert r.exit_code == 1 and "安全事故结案须逐项填写事故四不放过" in r.output
    assert "4. 有关人员未受到教育不放过" in r.output
    ok(run("2026-03-16 10:30", "event", "review", ev, "--by", "S0003", "--review", "1: 课间追逐，走廊地面湿滑"))
    r = run("2026-03-16 11:00", "event", "close", ev, "--by", "S0003", "--review", "2: 值日教师未到岗，已批评")
    assert r.exit_code == 1 and "3. 整改措施未落实不放过" in r.output and "1. " not in r.output
    answers = ["2: 值日教师未到岗，已批评", "整改措施: 走廊铺防滑垫，增设课间值守", "4: 全校开展课间安全教育"]
    ok(run("2026-03-16 11:30", "event", "close", ev, "--by", "S0003", *[x for a in answers for x in ("--review", a)]))
    record = event_of(bureau, ev)
    assert record["status"] == "已结案" and record["review"][0]["note"] == "课间追逐，走廊地面湿滑"
    assert len(record["review"]) == 4
    # closed by hand without it: validate says so (GC412)
    path = bureau / f"events/2026/03/{ev}.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("review:")[0], encoding="utf-8")
    r = run("2026-03-17", "validate")
    assert r.exit_code == 1 and "GC412" in r.output and "gridctl event review E202603-0001" in r.output
