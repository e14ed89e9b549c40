"""The community plan's controls: rentals plated and classified, 四类管理 for floating people, 楼栋长 in
every building, 重点人群 visited on time, things checked before they expire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import AUTHOR_ENV, household, id_number, make_repo, write

RENTAL = """\
kind: place
id: PL00002
grid: "110105001001001"
type: 出租房屋
name: 阳光小区3号楼2单元402室
rental: {landlord: 韩立新, max_occupants: 3}
"""
BUILDING = """\
kind: place
id: PL00001
grid: "110105001001001"
type: 楼栋
name: 阳光小区3号楼
"""
THING = """\
kind: thing
id: T00001
grid: "110105001001001"
type: 灭火器
name: 手提式干粉灭火器 4kg
location: 阳光小区3号楼1单元一层
next_inspection: 2026-03-01
expires: 2026-04-10
"""


@pytest.fixture
def community(ledger: Path) -> Path:
    write(ledger, "places/110105001001001/PL00001.yaml", BUILDING)
    write(ledger, "places/110105001001001/PL00002.yaml", RENTAL)
    write(ledger, "things/110105001001001/T00001.yaml", THING)
    tenant = "  - {id: P0000002, name: 马小军, relation: 租户, residence: 流动, id_number: '%s'}\n"
    text = household(extra=tenant % id_number("412726", "19980517", "001")) + "tags: [社区矫正]\n"
    write(ledger, "households/110105001001001/H000001.yaml", text)
    return make_repo(ledger, "2026-01-05T09:00:00")


def run(cli, root: Path, day: str, *args: str):  # type: ignore[no-untyped-def]
    when = day + "T18:00:00"
    env = {**AUTHOR_ENV, "GRIDCTL_TODAY": day, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return cli("-C", str(root), "--lang", "zh", *args, env=env)


def test_the_controls_are_warnings_with_the_command_that_fixes_them(cli, community: Path) -> None:
    r = run(cli, community, "2026-03-10", "validate", "--format", "json", "--lang", "en")
    found = {(p["code"], p["record"]) for p in json.loads(r.stdout)["problems"]}
    assert found == {("GC260", "PL00002"), ("GC261", "PL00002"), ("GC261", "P0000002"), ("GC262", "PL00001")}
    for args in (
        ["edit", "PL00002", "--set", "rental.plate_number=阳光出租第012号", "--set", "rental.category=基本放心户"],
        ["edit", "P0000002", "--set", "category=放心人员"],
        ["add", "staff", "--set", "name=赵德顺", "--set", "phone=13512345678"],
        ["assign", "110105001001001", "--role", "楼栋长", "--staff", "S0003", "--duty", "收集本楼栋社情民意"],
        ["edit", "PL00001", "--set", "responsible=S0003"],
    ):
        assert run(cli, community, "2026-03-10", *args).exit_code == 0
    assert run(cli, community, "2026-03-10", "validate", "--strict").exit_code == 0


def test_the_monthly_report_counts_rentals_and_floating_people(cli, community: Path) -> None:
    r = run(cli, community, "2026-03-31", "report", "monthly", "--month", "2026-03")
    assert "出租房屋 1 处，已挂牌 0 处，未挂牌 1 处；流动人口 1 人，已落实四类管理 0 人。" in r.stdout


def test_due_lists_care_group_visits_masked_and_things_to_check(cli, community: Path) -> None:
    r = run(cli, community, "2026-03-10", "due", "--format", "json")
    items = [(i["section"], i["overdue"], i["zh"]) for i in json.loads(r.stdout)["items"]]
    # 社区矫正 monthly: the grid began on 5 January, never visited since
    assert ("visit", True, "H000001 第一网格 重点人群走访已逾期 34 天（每 30 天一次，尚无走访记录）") in items
    assert "社区矫正" not in r.stdout
    assert "社区矫正走访已逾期" in run(cli, community, "2026-03-10", "due", "--reveal").stdout
    thing = "T00001 灭火器 手提式干粉灭火器 4kg（阳光小区3号楼1单元一层）"
    assert ("thing", True, f"{thing} 下次检查 2026-03-01，已过 9 天") in items
    assert ("thing", False, f"{thing} 有效期至 2026-04-10（31 天后）") not in items  # beyond 30 days
    assert run(cli, community, "2026-03-10", "visit", "H000001", "--by", "S0002", "--purpose", "谈话").exit_code == 0
    items = json.loads(run(cli, community, "2026-04-01", "due", "--format", "json").stdout)["items"]
    assert not [i for i in items if i["section"] == "visit"]
    assert ("thing", False, f"{thing} 有效期至 2026-04-10（9 天后）") in [
        (i["section"], i["overdue"], i["zh"]) for i in items
    ]
    items = json.loads(run(cli, community, "2026-04-06", "due", "--format", "json").stdout)["items"]
    assert any(i["section"] == "visit" and not i["overdue"] and "须于 2026-04-09 前走访" in i["zh"] for i in items)
