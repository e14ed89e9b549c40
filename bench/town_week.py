"""龙城镇's first week of grid work (23–27 March 2026): daily rounds, events, care-group visits, a
training and a meeting, the plan itself on file. Written as gridctl would (story.Story)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from random import Random

from story import Story, settings_of
from synth import Q, write_record
from world import Grid, World

DAYS = [dt.date(2026, 3, d) for d in (23, 24, 25, 26, 27)]
MISSED = {"青山村第一网格": [25], "新华社区第一网格": [27]}


def write(out: Path, world: World, town: Grid, rng: Random) -> None:
    settings = settings_of("town")
    story = Story(out, settings, {})
    basic = {g.name: g for g in world.grids if g.level == "网格"}
    chief, leader = town.responsible[0]["staff"], town.responsible[1]["staff"]

    def hired(name: str) -> str:
        return basic[name].workers[0]

    def head(name: str) -> str:
        return basic[name].chief

    g = basic["城东社区第一网格"]
    story.hazard(g.id, "2026-03-23", 2, "2栋一单元楼道电动车停放充电", "E202603-0001")
    story.event("E202603-0001", g.id, "安全隐患", "一般", "城东小区2栋一单元楼道电动车停放充电", hired(g.name),
                "2026-03-23 10:10", [
                    ("2026-03-23 10:30", head(g.name), "accept", None, None),
                    ("2026-03-23 10:35", head(g.name), "dispatch", None, hired(g.name)),
                    ("2026-03-23 16:00", hired(g.name), "handle", "劝导车主移至集中充电棚，张贴禁停提示", None),
                    ("2026-03-23 16:30", hired(g.name), "feedback", None, None),
                    ("2026-03-24 09:00", head(g.name), "verify", "楼道畅通", None),
                    ("2026-03-24 09:05", head(g.name), "close", "办结归档", None),
                ], via="巡查")
    g = basic["双凫村第一网格"]
    story.event("E202603-0002", g.id, "矛盾纠纷", "一般", "上屋场两户因宅基地界址发生争执", hired(g.name),
                "2026-03-24 15:20", [
                    ("2026-03-24 16:00", head(g.name), "accept", None, None),
                    ("2026-03-24 16:10", head(g.name), "dispatch", "会同村调解委员会调处", hired(g.name)),
                    ("2026-03-26 10:00", hired(g.name), "handle", "现场查看界址，约双方下周到村部调解", None),
                ], via="群众反映")
    g = basic["金鸡村第二网格"]
    story.event("E202603-0003", g.id, "环境污染", "一般", "鸡公岭有村民焚烧秸秆", hired(g.name), "2026-03-25 11:00", [
        ("2026-03-25 11:10", head(g.name), "accept", None, None),
        ("2026-03-25 11:15", head(g.name), "dispatch", None, hired(g.name)),
        ("2026-03-25 11:40", hired(g.name), "handle", "现场扑灭，宣传秸秆禁烧和还田政策", None),
        ("2026-03-25 12:00", hired(g.name), "feedback", None, None),
        ("2026-03-25 15:00", head(g.name), "verify", None, None),
        ("2026-03-25 15:05", head(g.name), "close", "办结归档", None),
    ], via="巡查")
    g = basic["白鹤村第一网格"]
    story.hazard(g.id, "2026-03-24", 5, "白鹤塘塘坝护坡出现裂缝", "E202603-0004")
    story.event("E202603-0004", g.id, "安全隐患", "较大", "白鹤塘塘坝护坡出现裂缝，汛期有溃坝风险", hired(g.name),
                "2026-03-24 09:40", [
                    ("2026-03-24 10:00", head(g.name), "accept", None, None),
                    ("2026-03-24 10:30", head(g.name), "escalate",
                     "至 龙城镇；原因：超出村级处置能力，需水利站鉴定加固", town.id),
                    ("2026-03-25 09:00", chief, "accept", "镇网格化服务管理中心受理，协调水利站", None),
                    ("2026-03-25 09:10", chief, "dispatch", "配合水利站现场处置", hired(g.name)),
                    ("2026-03-26 16:00", hired(g.name), "handle",
                     "水利站鉴定为护坡浅层裂缝，已抛石加固，设警示牌", None),
                    ("2026-03-27 09:00", hired(g.name), "feedback", None, None),
                    ("2026-03-27 10:00", chief, "verify", "镇水利站复核", None),
                    ("2026-03-27 10:10", chief, "close", "办结归档", None),
                ], via="巡查")
    g = basic["城南社区第一网格"]
    story.event("E202603-0005", g.id, "民生服务", "一般", "独居老人申请居家养老上门服务", hired(g.name),
                "2026-03-25 14:00", [
                    ("2026-03-25 14:20", head(g.name), "accept", None, None),
                    ("2026-03-25 14:30", head(g.name), "dispatch", None, hired(g.name)),
                    ("2026-03-26 10:00", hired(g.name), "handle", "代办申请，养老服务站每周上门两次", None),
                    ("2026-03-26 11:00", hired(g.name), "feedback", None, None),
                    ("2026-03-27 09:00", head(g.name), "verify", None, None),
                    ("2026-03-27 09:05", head(g.name), "close", "办结归档", None),
                ], via="网格员走访")
    g = basic["龙潭社区第一网格"]
    story.event("E202603-0006", g.id, "社情民意", "一般", "居民反映小区北门路灯不亮", hired(g.name),
                "2026-03-26 19:30", [
        ("2026-03-27 08:40", head(g.name), "accept", None, None),
        ("2026-03-27 08:50", head(g.name), "dispatch", "报镇城管办维修", hired(g.name)),
    ], via="群众反映")
    for grid in basic.values():
        checklist = "涉农网格巡查" if getattr(grid, "area", None) == "农村" else "社区日常巡查"
        days = [d for d in DAYS if d.day not in MISSED.get(grid.name, [])]
        story.inspections(grid.id, days, checklist, grid.workers[0], grid.chief)
        fire = DAYS[2] if checklist == "社区日常巡查" else DAYS[3]  # 每月消防安全检查
        story.inspections(grid.id, [fire], "消防安全检查", grid.workers[0], grid.chief)
    visits = 0
    for grid in basic.values():
        for hid, tags in grid.homes:  # type: ignore[attr-defined]
            if not tags & set(settings.supervision.visits):
                continue
            visits += 1
            day = DAYS[visits % len(DAYS)]
            record = {"kind": "visit", "id": Q(f"V202603-{visits:04d}"), "household": Q(hid), "date": day,
                      "by": Q(grid.workers[0]), "purpose": "重点人群走访", "note": "建档后首次走访，情况稳定"}
            write_record(out / "visits" / "2026" / "03" / f"V202603-{visits:04d}.yaml", record)
    story.activity(town.id, "2026-03-23", "培训", title="网格员岗前培训：“1+5+N”信息采集和事件上报", host=leader,
                   participants=len(basic) * 3, summary="网格化服务管理中心组织，购买服务网格员全部参加")
    story.activity(town.id, "2026-03-27", "工作例会", title="网格化服务管理第一周工作例会", host=chief,
                   attendees=[leader, *sorted({g.chief for g in basic.values()})[:6]],
                   summary="通报首周巡查和事件处置情况；部署重点人群走访建档")
    story.document(town.id, "实施方案", "龙城镇网格化服务管理实施方案", date="2026-03-16", file="pdf")
    story.document(town.id, "管理制度", "龙城镇网格员考核奖惩办法", date="2026-03-20", file="pdf")
