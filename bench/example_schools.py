"""The bundled school examples: school-safety, education and fire-safety, written from a plan each.

    python bench/example_schools.py examples      # writes examples/{school-safety,education,fire-safety}

Each plan is a tree of grids with their responsible people (by post), key sites and a week of
inspection records, in the words of the seed plans; phones come from a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path
from random import Random
from typing import Any

import synth
from synth import Flow, Q, write_record

Node = dict[str, Any]
WEEK = [dt.date(2026, 3, d) for d in (2, 3, 4, 5, 6)]


def n(gid: str, name: str, level: str, people: list[tuple[str, str, str]], *children: Node, **more: Any) -> Node:
    """A grid: people are (role, staff key, duty; duty; …)."""
    return {"id": gid, "name": name, "level": level, "people": people, "children": list(children), **more}


SCHOOL_STAFF = {  # key: name, gender, position
    "校长": ("刘建华", "男", "校长"),
    "副校长": ("陈丽萍", "女", "分管安全副校长"),
    "教学副校长": ("周志明", "男", "分管教学副校长"),
    "法制": ("吴海涛", "男", "法治副校长（龙城派出所副所长）"),
    "政教": ("杨晓燕", "女", "政教主任"),
    "总务": ("黄德明", "男", "总务主任"),
    "七年级": ("赵春梅", "女", "七年级组长"),
    "八年级": ("孙建伟", "男", "八年级组长"),
    "九年级": ("郭丽华", "女", "九年级组长"),
    "班主任1": ("林静", "女", "七(1)班班主任"),
    "班主任2": ("何磊", "男", "七(2)班班主任"),
    "食堂": ("罗桂兰", "女", "食堂管理员"),
    "门卫": ("谢永刚", "男", "门卫"),
    "宿管": ("唐秀英", "女", "宿舍管理员"),
    "校医": ("韩雪梅", "女", "校医"),
}
SCHOOL = "龙城镇第一初级中学"
SCHOOL_PLAN = n(
    "WG01",
    SCHOOL,
    "学校",
    [
        ("第一责任人", "校长", "对学校安全工作负总责，落实安全校长负责制；事故按“四不放过”原则处理"),
        ("直接责任人", "副校长", "组织隐患排查整改和安全督查，按月总结；超出处置能力的隐患及时上报"),
        ("法治副校长", "法制", "开展法治和安全教育，协助处理校园周边治安问题"),
    ],
    n(
        "WG0101",
        "七年级",
        "年级",
        [
            ("第一责任人", "教学副校长", "一岗双责：分管教学同时负责七、八年级安全"),
            ("直接责任人", "七年级", "每天至少到本年级检查一次，填写学校安全隐患督查记录表"),
        ],
        n("WG010101", "七(1)班", "班级", [("班主任", "班主任1", "班级安全教育进课堂；上下学安全提醒；因病缺课追踪")]),
        n("WG010102", "七(2)班", "班级", [("班主任", "班主任2", "班级安全教育进课堂；上下学安全提醒；因病缺课追踪")]),
    ),
    n(
        "WG0102",
        "八年级",
        "年级",
        [
            ("第一责任人", "教学副校长", "一岗双责：分管教学同时负责七、八年级安全"),
            ("直接责任人", "八年级", "每天至少到本年级检查一次，填写学校安全隐患督查记录表"),
        ],
    ),
    n(
        "WG0103",
        "九年级",
        "年级",
        [
            ("第一责任人", "副校长", "负责九年级和集体活动安全，大型外出活动报上级备案"),
            ("直接责任人", "九年级", "每天至少到本年级检查一次，填写学校安全隐患督查记录表"),
        ],
    ),
    n(
        "WG0104",
        "政教处",
        "处室",
        [
            ("第一责任人", "副校长", "分管学生安全教育和应急疏散演练"),
            ("直接责任人", "政教", "组织“学生安全教育日/周”和紧急疏散演练；校园周边安全排查"),
        ],
        places=[("校门", "学校南大门", "校门")],
    ),
    n(
        "WG0105",
        "总务处",
        "处室",
        [
            ("第一责任人", "副校长", "分管后勤安全：校舍、设施设备、食堂、宿舍"),
            ("直接责任人", "总务", "校舍和设施设备安全检查维护；危险化学品存放管理"),
        ],
        n(
            "WG010501",
            "食堂岗",
            "岗位",
            [("食堂管理员", "食堂", "食品留样、索证索票、从业人员晨检"), ("校医", "校医", "晨午检和传染病防控")],
            places=[("食堂", "学生食堂", "食堂")],
        ),
        n("WG010502", "门卫岗", "岗位", [("门卫", "门卫", "来访登记，上下学时段护学岗")]),
        n(
            "WG010503",
            "宿舍岗",
            "岗位",
            [("宿管员", "宿管", "学生宿舍查寝和用电安全")],
            places=[("学生宿舍", "男生宿舍楼", "学生宿舍"), ("学生宿舍", "女生宿舍楼", "学生宿舍")],
        ),
    ),
)

BUREAU_STAFF = {
    "局长": ("蒋国强", "男", "县教育局局长"),
    "副局长甲": ("邓玉梅", "女", "县教育局副局长"),
    "副局长乙": ("曹立新", "男", "县教育局副局长"),
    "安办": ("彭晓东", "男", "县教育局安全办公室主任"),
    "小学校长": ("谭文华", "男", "龙城镇中心小学校长"),
    "小学安办": ("廖敏", "女", "龙城镇中心小学安全办主任"),
    "一年级": ("田海燕", "女", "一年级组长"),
    "小学总务": ("梁永强", "男", "总务主任"),
    "中学校长": ("刘建华", "男", "龙城镇第一初级中学校长"),
    "中学安办": ("陈丽萍", "女", "分管安全副校长"),
    "七年级": ("赵春梅", "女", "七年级组长"),
    "食堂": ("罗桂兰", "女", "食堂管理员"),
    "园长": ("夏红梅", "女", "龙城镇中心幼儿园园长"),
    "保教": ("万丽娟", "女", "保教主任"),
    "大班": ("莫婷", "女", "大班年级组长"),
    "门卫": ("谢德福", "男", "幼儿园门卫"),
}
BUREAU = "宁乡县教育局"
BUREAU_PLAN = n(
    "JY01",
    BUREAU,
    "县教育局",
    [
        ("第一责任人", "局长", "主要领导对全县教育系统安全生产网格化管理负总责"),
        ("直接责任人", "安办", "制定本级网格化方案，划分下级网格，建立信息台账；受理各校(园)备案"),
    ],
    n(
        "JY0101",
        "龙城镇中心小学",
        "学校",
        [
            ("第一责任人", "小学校长", "学校安全生产第一责任人，对安全生产负总责"),
            ("直接责任人", "小学安办", "具体负责网格化管理，编制责任图，责任人或重点部位变动随时报县教育局安全办备案"),
            ("联系点领导", "副局长甲", "分片联系点：督查和指导本校网格化管理工作"),
        ],
        n(
            "JY010101",
            "一年级",
            "年级",
            [("第一责任人", "小学校长", "一岗双责"), ("直接责任人", "一年级", "每天检查本年级教室、楼道和上下学秩序")],
        ),
        n(
            "JY010102",
            "总务处",
            "处室",
            [("第一责任人", "小学安办", "分管后勤安全"), ("直接责任人", "小学总务", "校舍、锅炉、电气设施检查维护")],
            places=[("配电室", "教学楼配电室", "配电室")],
        ),
    ),
    n(
        "JY0102",
        "龙城镇第一初级中学",
        "学校",
        [
            ("第一责任人", "中学校长", "学校安全生产第一责任人，对安全生产负总责"),
            ("直接责任人", "中学安办", "具体负责网格化管理，编制责任图，变动随时报备案"),
            ("联系点领导", "副局长甲", "分片联系点：督查和指导本校网格化管理工作"),
        ],
        n(
            "JY010201",
            "七年级",
            "年级",
            [("第一责任人", "中学安办", "一岗双责"), ("直接责任人", "七年级", "每天检查本年级")],
        ),
        n(
            "JY010202",
            "总务处",
            "处室",
            [("第一责任人", "中学安办", "分管后勤安全"), ("直接责任人", "中学安办", "校舍和食堂安全")],
            n(
                "JY01020201",
                "食堂岗",
                "岗位",
                [("食堂管理员", "食堂", "食品留样、索证索票、从业人员晨检")],
                places=[("食堂", "学生食堂", "食堂")],
            ),
        ),
    ),
    n(
        "JY0103",
        "龙城镇中心幼儿园",
        "幼儿园",
        [
            ("第一责任人", "园长", "幼儿园安全生产第一责任人，对安全生产负总责"),
            ("直接责任人", "保教", "具体负责网格化管理，编制责任图，变动随时报备案"),
            ("联系点领导", "副局长乙", "分片联系点：督查和指导本园网格化管理工作"),
        ],
        n(
            "JY010301",
            "大班",
            "年级",
            [("第一责任人", "园长", "一岗双责"), ("直接责任人", "大班", "每天检查活动室和午睡室")],
        ),
        n(
            "JY010302",
            "保教处",
            "处室",
            [("第一责任人", "园长", "分管保教安全"), ("直接责任人", "保教", "晨午检和接送管理")],
            n(
                "JY01030201",
                "门卫岗",
                "岗位",
                [("门卫", "门卫", "接送时段门岗值守，来访登记")],
                places=[("校门", "幼儿园大门", "校门")],
            ),
        ),
    ),
)

FIRE_STAFF = {
    "中心校长": ("王德胜", "男", "瓦屋中心校校长、消防安全网格化管理工作领导小组组长"),
    "副组长": ("李春华", "女", "瓦屋中心校副校长"),
    "包校甲": ("张志强", "男", "中心校包校人员"),
    "包校乙": ("陈玉兰", "女", "中心校包校人员"),
    "小学校长": ("刘永红", "男", "瓦屋小学校长"),
    "小学管理人": ("胡建军", "男", "瓦屋小学总务主任"),
    "小学安全员": ("周海燕", "女", "瓦屋小学安全员"),
    "教学楼": ("吴立新", "男", "教学楼消防责任区负责人"),
    "宿舍楼": ("郑秀英", "女", "宿舍楼消防责任区负责人"),
    "中学校长": ("马国庆", "男", "瓦屋中学校长"),
    "中学管理人": ("孙丽", "女", "瓦屋中学政教主任"),
    "园长": ("朱桂芳", "女", "瓦屋幼儿园园长"),
    "园管理人": ("高婷", "女", "瓦屋幼儿园保教主任"),
}
LETTER = {"responsibility_letter": {"signed": dt.date(2026, 8, 20), "with": "瓦屋中心校"}}
FIRE_PLAN = n(
    "XF01",
    "瓦屋中心校",
    "中心校",
    [
        ("第一责任人", "中心校长", "本单位消防安全第一责任人；与辖区学校、幼儿园签订消防安全责任书"),
        ("消防安全管理人", "副组长", "每月召开一次消防安全例会，组织消防演练，考核执行情况"),
    ],
    n(
        "XF0101",
        "瓦屋小学",
        "中小学",
        [
            ("第一责任人", "小学校长", "本校消防安全第一责任人；层层签订消防安全责任书"),
            ("消防安全管理人", "小学管理人", "组织教师天天巡查、每月总结；每月至少一次消防演练"),
            ("包校人员", "包校甲", "对分管学校具有监管领导责任"),
        ],
        n(
            "XF010101",
            "教学楼责任区",
            "消防责任区",
            [("责任区负责人", "教学楼", "每天巡查疏散通道、安全出口和灭火器")],
            places=[("教学楼", "教学楼", "教学楼")],
        ),
        n(
            "XF010102",
            "宿舍楼责任区",
            "消防责任区",
            [("责任区负责人", "宿舍楼", "每天巡查宿舍用电和疏散通道"), ("消防安全员", "小学安全员", "夜间查寝")],
            places=[("学生宿舍", "学生宿舍楼", "学生宿舍")],
        ),
        extra=LETTER,
    ),
    n(
        "XF0102",
        "瓦屋中学",
        "中小学",
        [
            ("第一责任人", "中学校长", "本校消防安全第一责任人；层层签订消防安全责任书"),
            ("消防安全管理人", "中学管理人", "组织教师天天巡查、每月总结；每月至少一次消防演练"),
            ("包校人员", "包校甲", "对分管学校具有监管领导责任"),
        ],
        places=[("实验室", "化学实验室", "实验室"), ("食堂", "学生食堂", "食堂")],
        extra=LETTER,
    ),
    n(
        "XF0103",
        "瓦屋幼儿园",
        "幼儿园",
        [
            ("第一责任人", "园长", "本园消防安全第一责任人；层层签订消防安全责任书"),
            ("消防安全管理人", "园管理人", "组织教师天天巡查、每月总结；每月至少一次消防演练"),
            ("包校人员", "包校乙", "对分管幼儿园具有监管领导责任"),
        ],
        places=[("重点部位", "幼儿午睡室", "重点部位")],
        extra=LETTER,
    ),
)

EXAMPLES = {
    "school-safety": (
        SCHOOL_PLAN,
        SCHOOL_STAFF,
        f"{SCHOOL}安全网格化管理台账",
        "学校安全隐患督查记录表",
        {"年级", "处室"},
    ),
    "education": (
        BUREAU_PLAN,
        BUREAU_STAFF,
        f"{BUREAU}安全生产网格化管理台账",
        "学校安全隐患督查记录表",
        {"年级", "处室"},
    ),
    "fire-safety": (
        FIRE_PLAN,
        FIRE_STAFF,
        "瓦屋中心校消防安全网格化管理台账",
        "消防安全日常巡查",
        {"中小学", "幼儿园"},
    ),
}
MONTHLY = {"fire-safety": [("消防演练", dt.date(2026, 3, 18)), ("消防安全例会", dt.date(2026, 3, 31))]}


class Builder:
    def __init__(self, out: Path, profile: str) -> None:
        self.out, self.profile = out, profile
        self.rng = Random(len(profile))
        self.staff_ids: dict[str, str] = {}
        self.counter = {"place": 0, "inspection": 0}

    def build(self) -> None:
        plan, staff, name, checklist, inspected = EXAMPLES[self.profile]
        from gridctl.ledger.config import profile_defaults

        settings = profile_defaults(self.profile) or {}
        items = {c["name"]: c["items"] for c in settings["checklists"]}
        write_record(
            self.out / "gridctl.yaml",
            {"name": name, "region_code": Q("430124"), "profile": self.profile},
            comment=f"{name} (bench/example_schools.py)",
        )
        for i, (key, (person, gender, position)) in enumerate(staff.items()):
            sid = f"S{i + 1:04d}"
            self.staff_ids[key] = sid
            write_record(
                self.out / "staff" / f"{sid}.yaml",
                {
                    "kind": "staff",
                    "id": Q(sid),
                    "name": person,
                    "gender": gender,
                    "phone": Q(synth.mobile(self.rng)),
                    "position": position,
                    "employment": "在编",
                },
            )
        grids: list[Node] = []
        self.grid(plan, None, grids)
        for grid in grids:
            if grid["level"] in inspected:
                for day in WEEK:
                    self.inspection(grid, day, checklist, items[checklist])
                for task, day in MONTHLY.get(self.profile, []):
                    self.inspection(grid, day, task, items[task])

    def grid(self, node: Node, parent: str | None, out: list[Node]) -> None:
        sites = []
        for place_type, place_name, _ in node.get("places", []):
            self.counter["place"] += 1
            pid = f"PL{self.counter['place']:05d}"
            who = self.staff_ids[node["people"][-1][1]]
            write_record(
                self.out / "places" / node["id"] / f"{pid}.yaml",
                {
                    "kind": "place",
                    "id": Q(pid),
                    "grid": Q(node["id"]),
                    "type": place_type,
                    "name": place_name,
                    "responsible": Q(who),
                },
            )
            sites.append(pid)
        record = {
            "kind": "grid",
            "id": Q(node["id"]),
            "name": node["name"],
            "level": node["level"],
            "parent": Q(parent) if parent else None,
            "key_sites": Flow(Q(s) for s in sites) or None,
            "responsible": [
                {
                    "role": role,
                    "staff": Q(self.staff_ids[key]),
                    "duties": duties.split("；"),
                    "since": dt.date(2026, 2, 24),
                }
                for role, key, duties in node["people"]
            ],
            "extra": node.get("extra"),
        }
        write_record(self.out / "grids" / f"{node['id']}.yaml", record)
        out.append(node)
        for child in node["children"]:
            self.grid(child, node["id"], out)

    def inspection(self, node: Node, day: dt.date, checklist: str, items: list[str]) -> None:
        self.counter["inspection"] += 1
        iid = f"I{day:%Y%m}-{self.counter['inspection']:04d}"
        people = node["people"]
        record = {
            "kind": "inspection",
            "id": Q(iid),
            "grid": Q(node["id"]),
            "date": day,
            "inspector": Q(self.staff_ids[people[-1][1] if len(people) < 3 else people[1][1]]),
            "checklist": checklist,
            "items": [{"item": text, "result": "ok"} for text in items],
            "signed_by": Q(self.staff_ids[people[0][1]]),
        }
        write_record(self.out / "inspections" / f"{day:%Y}" / f"{day:%m}" / f"{iid}.yaml", record)


def build_schools(root: Path) -> None:
    for profile in EXAMPLES:
        out = root / profile
        if out.exists():
            shutil.rmtree(out)
        Builder(out, profile).build()
        (out / "photos").mkdir(exist_ok=True)


if __name__ == "__main__":
    build_schools(Path(sys.argv[1] if len(sys.argv) > 1 else "examples"))
