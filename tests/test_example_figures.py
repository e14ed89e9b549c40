"""Each bundled example's month, as its office reads it: the morning list, the monthly report, the
assessment and the 通报, with their figures checked one by one, in the words of its profile."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO

DAYS = {
    "community": "2026-03-31",
    "town": "2026-03-27",
    "school-safety": "2026-03-31",
    "education": "2026-03-31",
    "fire-safety": "2026-03-31",
}


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("examples")
    for name in DAYS:
        shutil.copytree(REPO / "examples" / name, root / name)
    return root


@pytest.fixture
def run(cli, examples: Path):  # type: ignore[no-untyped-def]
    def go(example: str, *args: str):  # type: ignore[no-untyped-def]
        env = {"GRIDCTL_TODAY": DAYS[example] + " 18:00"}
        result = cli("-C", str(examples / example), "--lang", "zh", *args, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return go


def report(run, example: str, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    r = run(example, "report", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    doc["by_key"] = {s["key"]: s for s in doc["sections"]}
    return doc


def summary(doc: dict, *names: str) -> list:  # type: ignore[type-arg]
    figures = {row["item"]: row["count"] for row in doc["by_key"]["summary"]["rows"]}
    return [figures[n] for n in names]


def due(run, example: str) -> tuple[int, list[tuple[str, bool, str]]]:  # type: ignore[no-untyped-def]
    r = run(example, "due", "--format", "json")
    return r.exit_code, [(i["section"], i["overdue"], i["zh"]) for i in json.loads(r.stdout)["items"]]


def test_community(run) -> None:  # type: ignore[no-untyped-def]
    month = report(run, "community", "monthly", "--month", "2026-03")
    assert month["title"] == "幸福里社区网格化管理台账 网格化服务管理月报 2026-03"
    assert summary(month, "应巡查", "已巡查", "隐患", "已整改", "按期整改") == [88, 86, 3, 1, 1]
    assert summary(month, "出租房屋", "未挂牌", "流动人口未分类", "入户走访(户)") == [7, 0, 0, 11]
    assert "走访户数" in month["by_key"]["grids"]["headers"].values()
    assert month["totals"]["visited_households"] == 11 and month["totals"]["rate"] == round(86 / 88, 4)
    code, items = due(run, "community")
    assert code == 1 and sum(1 for i in items if i[1]) == 4  # three events past their limit, one extinguisher
    assert not [i for i in items if i[0] == "visit" and i[1]]  # every care group visited in March
    assessment = report(run, "community", "assessment", "--period", "2026-03")
    scores = {row["name"]: row for row in assessment["by_key"]["scores"]["rows"]}
    assert list(scores["唐明"].values())[3] == {"done": 20, "total": 22}  # 第四网格 missed two days


def test_town(run) -> None:  # type: ignore[no-untyped-def]
    month = report(run, "town", "monthly", "--month", "2026-03")
    assert summary(month, "应巡查", "已巡查", "事件", "隐患", "上报上级") == [175, 173, 6, 2, 1]
    assert len(month["by_key"]["units"]["rows"]) == 25  # 18 社区 and 7 村, from 23 March only
    code, items = due(run, "town")
    assert code == 0 and ("inspection", False, "新华社区第一网格 今日尚未巡查") in items
    bulletin = report(run, "town", "bulletin", "--period", "2026-03")
    assert bulletin["title"] == "网格化服务管理工作通报"
    last = bulletin["by_key"]["ranking"]["rows"][-1]
    assert (last["unit"], last["score"]) == ("青山村", 92)
    remark = {"rank": 25, "unit": "青山村", "remark": "巡查完成率 80.0%，漏查 1 天次，请及时改进"}
    assert bulletin["by_key"]["remarks"]["rows"][-1] == remark


def test_school(run) -> None:  # type: ignore[no-untyped-def]
    month = report(run, "school-safety", "monthly", "--month", "2026-03")
    assert month["title"] == "龙城镇第一初级中学安全网格化管理台账 安全网格化管理月报 2026-03"
    text = json.dumps(month, ensure_ascii=False)
    for word in ("走访", "包户", "补助", "网格员", "三本台账"):
        assert word not in text, word
    assert month["by_key"]["grids"]["headers"]["grid"] == "年级/处室"
    figures = summary(month, "应巡查", "已巡查", "隐患", "已整改", "按期整改", "上报上级", "活动")
    assert figures == [110, 108, 4, 3, 2, 1, 6]
    assert month["by_key"]["requirements"]["rows"] == []  # the drill and the lessons of the term were held
    code, items = due(run, "school-safety")
    assert code == 0
    assert ("document", False, "D2026-0010 龙城镇第一初级中学 2026年防溺水专项工作方案 须于 2026-04-20 前完成") in items
    assessment = report(run, "school-safety", "assessment", "--period", "2026-03")
    assert assessment["title"] == "龙城镇第一初级中学安全网格化管理台账 安全网格责任人考核 2026-03"
    totals = {row["name"]: row["score"] for row in assessment["by_key"]["scores"]["rows"]}
    assert totals == {"杨晓燕": 50, "黄德明": 100, "赵春梅": 68, "孙建伟": 94.36, "郭丽华": 100}
    year = report(run, "school-safety", "assessment", "--period", "2026")
    assert year["period"] == "2026" and year["subtitle"] == "统计 2026-01-01 至 2026-03-31"
    registers = report(run, "school-safety", "registers")
    assert registers["title"] == "龙城镇第一初级中学安全网格化管理台账 安全管理台账"
    assert len(registers["by_key"]["安全教育台账/activities"]["rows"]) == 3


def test_education(run) -> None:  # type: ignore[no-untyped-def]
    month = report(run, "education", "monthly", "--month", "2026-03")
    units = {row["unit"]: row for row in month["by_key"]["units"]["rows"]}
    first = units["龙城镇中心小学"]
    assert (first["township"], first["due_days"], first["done_days"], first["escalated"]) == ("龙城镇", 44, 44, 1)
    last = units["双凫铺镇中心小学"]
    assert (last["township"], last["due_days"], last["done_days"], last["rate"]) == ("双凫铺镇", 22, 17, 0.7727)
    bulletin = report(run, "education", "bulletin", "--period", "2026-03")
    ranking = bulletin["by_key"]["ranking"]["rows"]
    assert [(r["unit"], r["score"], r["grade"]) for r in ranking][-1] == ("双凫铺镇中心小学", 40.91, "不合格")
    said = bulletin["by_key"]["remarks"]["rows"][-1]["remark"]
    assert said.endswith("予以通报批评") and "1 处隐患逾期未整改" in said
    assert bulletin["by_key"]["summary"]["notes"][2].startswith("通报批评: 双凫铺镇中心小学")
    town = report(run, "education", "bulletin", "--period", "2026-03", "--township", "龙城镇")
    ranked = [r["unit"] for r in town["by_key"]["ranking"]["rows"]]
    assert ranked == ["龙城镇中心小学", "龙城镇第一初级中学", "龙城镇中心幼儿园"]
    code, items = due(run, "education")
    assert code == 1 and sum(1 for i in items if i[1]) == 2


def test_fire_safety(run) -> None:  # type: ignore[no-untyped-def]
    month = report(run, "fire-safety", "monthly", "--month", "2026-03")
    assert summary(month, "应巡查", "已巡查", "隐患", "已整改", "按期整改", "活动") == [66, 64, 3, 3, 3, 9]
    kinds = [row["type"] for row in month["by_key"]["activities"]["rows"]]
    assert kinds.count("消防演练") == 2 and kinds.count("消防安全例会") == 4
    assert month["by_key"]["requirements"]["rows"] == [{"unit": "瓦屋幼儿园", "requirement": "消防演练（2026年03月）"}]
    code, items = due(run, "fire-safety")
    assert code == 1 and [i for i in items if i[1]] == [("inspection", True, "瓦屋幼儿园 03-30 未巡查")]
    extinguisher = "T00004 灭火器 手提式干粉灭火器 4kg（宿舍楼一楼值班室）"
    assert ("thing", False, f"{extinguisher} 有效期至 2026-04-20（20 天后）") in items


def test_period_errors_speak_chinese_and_name_the_option(run) -> None:  # type: ignore[no-untyped-def]
    r = run("school-safety", "report", "monthly", "--period", "2026-03")
    assert r.exit_code == 2 and "这个报表用 --month 指定期间" in r.output
    r = run("school-safety", "report", "assessment", "--month", "2026-03")
    assert r.exit_code == 2 and "--period" in r.output
    r = run("school-safety", "report", "assessment", "--period", "2026-13")
    assert r.exit_code == 2 and "应为年份或月份" in r.output
    r = run("school-safety", "report", "monthly", "--month", "2026")
    assert r.exit_code == 2 and "report assessment --period 2026" in r.output


def test_a_recorded_inspection_prints_filled_in(run) -> None:  # type: ignore[no-untyped-def]
    r = run("school-safety", "print", "form", "--inspection", "I202603-0018")
    assert r.exit_code == 0, r.output
    html = r.stdout
    assert '<h1 class="title">学校安全隐患督查记录表</h1>' in html
    assert "☑有 □无" in html and "七(2)班教室后门被课桌堵塞" in html and "调整课桌摆放，保持后门畅通" in html
    assert "E202603-0004 已结案（2026-03-26 结案）" in html and html.count("□有 ☑无") == 6
    r = run("fire-safety", "print", "form", "XF0101")
    assert '<h1 class="title">消防安全检查表</h1>' in r.stdout


def test_a_unit_with_nothing_to_count_is_neither_ranked_nor_praised(examples: Path) -> None:
    """In a 通报 where others had work to count, a unit with nothing owed and nothing done in the
    period (a school just set up) scored full marks on nothing, ranked first and was 予以表扬. It is now
    named apart as 未参评, with no rank, grade or praise."""
    import datetime as dt

    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load
    from gridctl.supervision.facts import gather
    from gridctl.supervision.units import UnitRow, ranking, unit_rows

    root = examples / "education"
    ledger, _problems = load(root, WorkTree(root))
    first, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    rows = unit_rows(gather(ledger), first, end)
    new = rows[0].unit.model_copy(update={"id": "JY0199", "name": "龙城镇新建幼儿园"})
    report = ranking(ledger.settings, [*rows, UnitRow(new, rows[0].township)], "2026-03", (first, end))
    doc = report.as_json()
    sections = {s["key"]: s for s in doc["sections"]}
    assert "龙城镇新建幼儿园" not in {r["unit"] for r in sections["ranking"]["rows"]}
    assert len(sections["ranking"]["rows"]) == len(rows)
    said = " ".join(sections["summary"]["notes"])
    assert "未参评" in said and "龙城镇新建幼儿园" in said.split("未参评")[1], said
    assert "龙城镇新建幼儿园" not in said.split("未参评")[0]  # not praised, not criticised
    assert doc["totals"] == {"units": len(rows) + 1, "with_data": len(rows)}
