"""A school's safety ledger through a term, in the clerk's words: each test failed before its fix.

init told a school's clerk to add a grid at level 社区; status counted 户, 人, 重点人群 and 出租房屋 for
a school, and a bureau's `status --units` 户 and 人 for its schools; on the second day of term every
responsible person was "近 7 天无巡查" (the winter vacation counted as idle days); the assessment's
formula printed "?" for its minus sign on a GBK console.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import AUTHOR_ENV, gridctl, make_repo, write

SETTINGS = """\
name: 龙城镇第一初级中学安全网格化管理台账
profile: school-safety
calendar:
  terms:
    - {name: 2025—2026学年第二学期, start: 2026-03-02, end: 2026-07-10}
  vacations:
    - {name: 暑假, start: 2026-07-11, end: 2026-08-31}
"""
SCHOOL = """\
kind: grid
id: WG01
name: 龙城镇第一初级中学
level: 学校
responsible:
  - {role: 第一责任人, staff: S0001, duties: [对学校安全工作负总责], since: 2026-02-20}
  - {role: 直接责任人, staff: S0002, duties: [组织隐患排查整改], since: 2026-02-20}
"""
GRADE = """\
kind: grid
id: WG0101
name: 七年级
level: 年级
parent: WG01
responsible:
  - {role: 第一责任人, staff: S0001, duties: [一岗双责], since: 2026-02-20}
  - {role: 直接责任人, staff: S0002, duties: [每天至少到本年级检查一次], since: 2026-02-20}
"""
STAFF = 'kind: staff\nid: {id}\nname: {name}\nphone: "{phone}"\n'
COMMUNITY_WORDS = ("户", "居民", "社区", "出租房屋", "重点人群", "工作人员")


@pytest.fixture
def school(tmp_path: Path) -> Path:
    root = tmp_path / "D盘" / "安全 台账" / "一中"
    write(root, "gridctl.yaml", SETTINGS)
    write(root, "grids/WG01.yaml", SCHOOL)
    write(root, "grids/WG0101.yaml", GRADE)
    write(root, "staff/S0001.yaml", STAFF.format(id="S0001", name="刘建华", phone="13800138000"))
    write(root, "staff/S0002.yaml", STAFF.format(id="S0002", name="赵春梅", phone="13900139000"))
    return make_repo(root, "2026-02-20T09:00:00")


def at(day: str) -> dict[str, str]:
    return {**AUTHOR_ENV, "GRIDCTL_TODAY": day, "TZ": "UTC"}


@pytest.mark.parametrize(
    ("profile", "level"), [("school-safety", "学校"), ("education", "县教育局"), ("community", "社区")]
)
def test_init_names_the_profiles_first_level(tmp_path: Path, cli, profile: str, level: str) -> None:
    result = cli(
        "--lang",
        "zh",
        "--author",
        "陈丽萍 <clp@example.cn>",
        "init",
        str(tmp_path / "台账"),
        "--name",
        "台账",
        "--profile",
        profile,
    )
    assert result.exit_code == 0, result.output
    assert f"--set level={level}\n" in result.output


def test_a_schools_status_counts_no_households(school: Path, cli) -> None:
    result = cli("-C", str(school), "--lang", "zh", "status", env=at("2026-03-03"))
    assert result.exit_code == 0, result.output
    assert "责任人: 2" in result.output
    head = result.output.split("待办")[0]
    assert not [w for w in COMMUNITY_WORDS if w in head], head
    english = cli("-C", str(school), "--lang", "en", "status", env=at("2026-03-03"))
    assert "staff: 2" in english.output and "households" not in english.output and "rentals" not in english.output


def test_a_bureaus_unit_status_counts_no_households(school: Path, tmp_path: Path, cli) -> None:
    bureau = tmp_path / "县教育局"
    env = at("2026-03-03")
    assert (
        cli(
            "--lang", "zh", "init", str(bureau), "--name", "宁乡市教育局安全台账", "--profile", "education", env=env
        ).exit_code
        == 0
    )
    added = cli(
        "-C", str(bureau), "--lang", "zh", "unit", "add", "yizhong", str(school), "--title", "龙城一中", env=env
    )
    assert added.exit_code == 0, added.output
    assert cli("-C", str(bureau), "sync", "--units", env=env).exit_code == 0
    result = cli("-C", str(bureau), "--lang", "zh", "status", "--units", env=env)
    assert result.exit_code == 0, result.output
    assert "龙城一中: 网格 2  责任人 2  未结事件 0" in result.output, result.output
    assert " 户 " not in result.output and " 人 " not in result.output


def test_nobody_is_idle_on_the_second_day_of_term(school: Path, cli) -> None:
    import json

    for day in ("2026-03-03T23:59", "2026-03-06"):
        result = cli("-C", str(school), "due", "--format", "json", env=at(day))
        assert not [i for i in json.loads(result.stdout)["items"] if i["section"] == "idle"], (day, result.stdout)
    # a week into the term without one inspection is idle
    result = cli("-C", str(school), "due", "--format", "json", env=at("2026-03-09"))
    idle = [i["record"] for i in json.loads(result.stdout)["items"] if i["section"] == "idle"]
    assert idle == ["S0001", "S0002"], result.stdout


def test_the_assessment_formula_reads_on_a_gbk_console(school: Path) -> None:
    env = {**at("2026-04-01"), "PYTHONIOENCODING": "gbk"}
    code, out, err = gridctl(
        "-C", str(school), "--lang", "zh", "report", "assessment", "--period", "2026-03", env=env, encoding="gbk"
    )
    assert code == 0, err
    formula = next(line for line in out.splitlines() if line.startswith("总分 = "))
    assert "?" not in formula and "- 扣分" in formula, formula
