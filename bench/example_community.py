"""The bundled example ledger: 幸福里社区 (朝阳区安和街道), four basic urban grids.

    python bench/gen_ledger.py examples/community --example

The register is partly entered (40 households of about 2,270), so every grid states its
`households_declared`; staffing follows 每100户配备1名工作人员 over the declared counts. Residents
are drawn with a fixed seed; grids, staff, places, events and inspections are written out here.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path
from random import Random
from typing import Any

import synth
from residents import Residents
from synth import Flow, Q, write_record
from world import DUTIES, ID_FORMATS

REGION = synth.HOME_REGION
COMMUNITY_ID = "110105017006"
COMMUNITY = "幸福里社区"
STREET = "安和街道"
OFFICE = f"{STREET}{COMMUNITY}居委会"
ADDRESS = f"北京市朝阳区{STREET}{COMMUNITY}"
SINCE = dt.date(2025, 7, 1)
"""The grids were redrawn in the 2025 adjustment; most assignments date from then."""

# west, north, east, south (lon/lat) and the roads on each side
BOX = (116.4620, 39.9360, 116.4700, 39.9300)
MID = (116.4660, 39.9330)
GRIDS = [  # code suffix, name, declared households, area (west, north, east, south roads), what it covers
    ("001", "第一网格", 612, ("光华西路", "安和北街", "幸福中路", "和平街"), "幸福里小区1—6号楼"),
    ("002", "第二网格", 548, ("幸福中路", "安和北街", "幸福东路", "和平街"), "幸福里小区7—12号楼及社区服务站"),
    ("003", "第三网格", 583, ("光华西路", "和平街", "幸福中路", "团结南街"), "和园小区1—4号楼"),
    ("004", "第四网格", 527, ("幸福中路", "和平街", "幸福东路", "团结南街"), "光华里平房区及幸福商业街"),
]

STAFF = [  # name, gender, position, organization, employment, party member
    ("王秀兰", "女", "社区党委书记、居委会主任", OFFICE, "专职", True),
    ("陈建华", "男", "社区居委会副主任", OFFICE, "专职", True),
    ("刘志刚", "男", "社区建设科科长", f"{STREET}办事处", None, True),
    # 第一网格
    ("李静", "女", "社区工作者", OFFICE, "专职", True), ("张丽娟", "女", "社区工作者", OFFICE, "专职", False),
    ("赵磊", "男", "社区工作者", OFFICE, "专职", False), ("孙艳", "女", "社区工作者", OFFICE, "专职", True),
    ("周敏", "女", "社区工作者", OFFICE, "专职", False), ("吴桂英", "女", "社区居委会委员", OFFICE, "兼职", True),
    # 第二网格
    ("郑伟", "男", "社区工作者", OFFICE, "专职", True), ("冯晓燕", "女", "社区工作者", OFFICE, "专职", False),
    ("何婷", "女", "社区工作者", OFFICE, "专职", False), ("黄海涛", "男", "社区工作者", OFFICE, "专职", False),
    ("马俊", "男", "社区居委会委员", OFFICE, "兼职", True),
    # 第三网格
    ("林雪", "女", "社区工作者", OFFICE, "专职", False), ("高鹏", "男", "社区工作者", OFFICE, "专职", True),
    ("罗佳", "女", "社区工作者", OFFICE, "专职", False), ("梁志强", "男", "社区工作者", OFFICE, "专职", False),
    ("谢芳", "女", "社区工作者", OFFICE, "专职", True), ("宋玉梅", "女", "社区居委会委员", OFFICE, "兼职", True),
    # 第四网格
    ("唐明", "男", "社区工作者", OFFICE, "专职", False), ("许丹", "女", "社区工作者", OFFICE, "专职", True),
    ("韩雪梅", "女", "社区工作者", OFFICE, "专职", False), ("曹宇", "男", "公益性岗位", OFFICE, "公益岗位", False),
    ("彭淑珍", "女", "社区居委会委员", OFFICE, "兼职", True),
    # 楼栋长: every building has one (each looks after two or three neighbouring buildings)
    ("田德福", "男", "退休职工、1—3号楼楼栋长", "幸福里小区居民", "志愿者", True),
    ("董桂兰", "女", "退休教师、7—9号楼楼栋长", "幸福里小区居民", "志愿者", True),
    ("袁立新", "男", "和园小区业主委员会委员、1—2号楼楼栋长", "和园小区居民", "志愿者", False),
    ("潘秀云", "女", "居民代表、光华里1—2排巷道长", "光华里居民", "志愿者", True),
    # 社区民警
    ("杨帆", "男", "社区民警", "朝阳分局安和派出所", None, True),
    ("高建军", "男", "社区民警", "朝阳分局安和派出所", None, True),
    # the second 楼栋长 of each grid, added in the March 2026 review (选齐配强楼栋长)
    ("蒋春生", "男", "退休职工、4—6号楼楼栋长", "幸福里小区居民", "志愿者", True),
    ("沈玉珍", "女", "退休干部、10—12号楼楼栋长", "幸福里小区居民", "志愿者", True),
    ("韦国庆", "男", "和园小区居民代表、3—4号楼楼栋长", "和园小区居民", "志愿者", False),
    ("姜淑芬", "女", "居民代表、光华里3—4排巷道长", "光华里居民", "志愿者", False),
]
# Who does what where (staff numbers as in STAFF, 1-based): 网格长, workers, part-time workers,
# 楼栋长 (each with the buildings, in the order places() finds them, they look after), 社区民警.
ASSIGNMENTS = [
    (1, [4, 5, 6, 7, 8], [9], [(26, 3), (32, 3)], 30),
    (1, [10, 11, 12, 13], [14], [(27, 3), (33, 3)], 30),
    (2, [15, 16, 17, 18, 19], [20], [(28, 2), (34, 2)], 31),
    (2, [21, 22, 23, 24], [25], [(29, 2), (35, 2)], 31),
]
ORIGINAL_STAFF = 31
"""Staff of the first edition of the example; later ones keep the random draws of the rest unchanged."""
HEADS_SINCE = {26: dt.date(2025, 9, 1), 27: dt.date(2025, 9, 1), 28: dt.date(2025, 9, 1), 29: dt.date(2025, 9, 1)}
"""When each 楼栋长 took the post (the second ones on 1 March 2026)."""
CATEGORY = {"放心户": "放心人员", "基本放心户": "基本放心人员", "不放心户": "不放心人员", "重点户": "重点人员"}
"""四类管理: a floating resident is classified with the rental they live in."""

# Each grid's households: (estate, building, unit, room, residence, shape, rental category or None)
HOUSEHOLDS = [
    [("幸福里小区", "1号楼", "1单元", "101", "户籍", "独居老人", None),
     ("幸福里小区", "1号楼", "2单元", "302", "户籍", "三代同堂", None),
     ("幸福里小区", "2号楼", "1单元", "201", "户籍", "三口之家", None),
     ("幸福里小区", "2号楼", "3单元", "502", "流动", "夫妻", "放心户"),
     ("幸福里小区", "3号楼", "2单元", "401", "户籍", "老年夫妇", None),
     ("幸福里小区", "3号楼", "2单元", "402", "户籍", "四口之家", None),
     ("幸福里小区", "4号楼", "1单元", "602", "人户分离", "三口之家", None),
     ("幸福里小区", "5号楼", "1单元", "102", "户籍", "老年夫妇", None),
     ("幸福里小区", "5号楼", "3单元", "301", "户籍", "夫妻", None),
     ("幸福里小区", "6号楼", "2单元", "202", "流动", "单身", "基本放心户")],
    [("幸福里小区", "7号楼", "1单元", "101", "户籍", "三代同堂", None),
     ("幸福里小区", "7号楼", "2单元", "501", "户籍", "单亲", None),
     ("幸福里小区", "8号楼", "1单元", "302", "户籍", "三口之家", None),
     ("幸福里小区", "8号楼", "3单元", "601", "户籍", "独居老人", None),
     ("幸福里小区", "9号楼", "1单元", "402", "户籍", "三口之家", None),
     ("幸福里小区", "9号楼", "1单元", "502", "户籍", "夫妻", None),
     ("幸福里小区", "10号楼", "2单元", "201", "境外", "单身", "放心户"),
     ("幸福里小区", "11号楼", "1单元", "301", "户籍", "老年夫妇", None),
     ("幸福里小区", "11号楼", "3单元", "602", "流动", "合租", "不放心户"),
     ("幸福里小区", "12号楼", "2单元", "102", "户籍", "四口之家", None)],
    [("和园小区", "1号楼", "1单元", "1502", "户籍", "三口之家", None),
     ("和园小区", "1号楼", "2单元", "802", "户籍", "三代同堂", None),
     ("和园小区", "2号楼", "1单元", "1201", "流动", "三口之家", "基本放心户"),
     ("和园小区", "2号楼", "1单元", "603", "户籍", "夫妻", None),
     ("和园小区", "2号楼", "2单元", "1704", "人户分离", "夫妻", None),
     ("和园小区", "3号楼", "1单元", "2101", "户籍", "四口之家", None),
     ("和园小区", "3号楼", "2单元", "901", "户籍", "单身", None),
     ("和园小区", "4号楼", "1单元", "303", "户籍", "老年夫妇", None),
     ("和园小区", "4号楼", "1单元", "1102", "境外", "夫妻", None),
     ("和园小区", "4号楼", "2单元", "1602", "户籍", "三口之家", None)],
    [("光华里", "1排", None, "3号", "户籍", "三代同堂", None),
     ("光华里", "1排", None, "8号", "户籍", "独居老人", None),
     ("光华里", "2排", None, "2号", "流动", "夫妻", "重点户"),
     ("光华里", "2排", None, "11号", "户籍", "老年夫妇", None),
     ("光华里", "3排", None, "5号", "户籍", "三口之家", None),
     ("光华里", "3排", None, "9号", "人户分离", "单身", None),
     ("光华里", "4排", None, "1号", "户籍", "四口之家", None),
     ("光华里", "4排", None, "6号", "户籍", "三口之家", None),
     ("幸福商业街", None, None, "12号", "户籍", "夫妻", None),
     ("幸福商业街", None, None, "18号", "流动", "单身", "放心户")],
]
# (grid, household) → tags the clerk recorded after home visits
HOUSEHOLD_TAGS = {(0, 5): ["低保家庭"], (1, 3): ["特困人员"]}
PERSON_TAGS = {(0, 7, 0): ["残疾人"], (1, 7, 0): ["优抚对象"], (3, 5, 0): ["社区矫正"]}
COMMENTS = {(0, 0): "2026年3月入户核实，独居，子女在外地，每周电话回访",
            (0, 3): "租户2025年10月入住，已登记居住信息",
            (1, 6): "境外人员，已办理住宿登记",
            (2, 2): "2026年3月入户核实",
            (3, 0): "2026年3月入户核实",
            (3, 5): "社区矫正对象，每月走访，信息由司法所提供"}

HAND_EXT = "手提式干粉灭火器 4kg"
MARCH_WORKDAYS = [dt.date(2026, 3, d) for d in range(2, 32) if dt.date(2026, 3, d).isoweekday() < 6]
"""No public holiday falls in March 2026."""
PHOTO_MASK = ["........", "..####..", "..####..", "..####..", "...##...",
              ".######.", "########", "########", "########", "########"]
"""Head and shoulders on a blue ID-photo background, one character per 8×8 block."""


class Example:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.rng = Random(20260301)
        self.counters: Counter[str] = Counter()
        self.residents = Residents(self.rng, lambda: self.next_id("person"))
        self.grid_ids = [COMMUNITY_ID + g[0] for g in GRIDS]
        self.staff_ids = [self.next_id("staff") for _ in STAFF]
        self.buildings: dict[tuple[str, str], str] = {}
        self.rentals: dict[tuple[int, int], str] = {}
        self.people: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self.households_ids: dict[tuple[int, int], Q] = {}
        self.household_tags: dict[tuple[int, int], list[str]] = {}
        self.things: dict[str, str] = {}
        self.key_sites: list[list[str]] = [[] for _ in GRIDS]

    def next_id(self, kind: str) -> str:
        self.counters[kind] += 1
        return ID_FORMATS[kind].format(self.counters[kind])

    def staff(self, number: int) -> Q:
        return Q(self.staff_ids[number - 1])

    def write(self, folder: str, record: dict[str, Any], comment: str | None = None) -> None:
        grid = record.get("grid")
        parts = [folder, str(grid)] if folder in ("households", "places", "orgs", "things") else [folder]
        write_record(self.out.joinpath(*parts, f"{record['id']}.yaml"), record, comment)

    def build(self) -> None:
        settings = {"name": f"{COMMUNITY}网格化管理台账", "region_code": Q(REGION), "profile": "community",
                    "supervision_phone": Q("010-65071234")}
        write_record(self.out / "gridctl.yaml", settings,
                     comment=f"{COMMUNITY}网格化服务管理台账\n网格划分依据《{STREET}网格化服务管理实施方案》(2025年调整)")
        self.write_staff()
        self.places()
        self.households()
        self.orgs()
        self.write_things()
        self.grids()
        self.events()
        self.inspections()
        self.visits()

    # --- people ---------------------------------------------------------------------------

    def write_staff(self) -> None:
        photos = self.out / "photos"
        photos.mkdir(parents=True, exist_ok=True)
        for sid, (name, gender, position, org, employment, party) in zip(self.staff_ids, STAFF, strict=True):
            # staff added later draw their phones apart, so the residents drawn after them stay as they were
            rng = self.rng if int(sid[1:]) <= ORIGINAL_STAFF else Random(sid)
            record = {"kind": "staff", "id": Q(sid), "name": name, "gender": gender,
                      "phone": Q(synth.mobile(rng)), "photo": f"photos/{sid}.jpg", "organization": org,
                      "position": position, "party_member": party, "employment": employment}
            comment = "2025年7月网格调整后兼任第一、第二网格网格长" if sid == "S0001" else None
            self.write("staff", record, comment)
            figure = (236, 236, 236) if gender == "女" else (214, 218, 222)
            (photos / f"{sid}.jpg").write_bytes(synth.placeholder_jpeg(PHOTO_MASK, (67, 142, 219), figure, 60))

    def households(self) -> None:
        for g, rows in enumerate(HOUSEHOLDS):
            workers = ASSIGNMENTS[g][1] + ASSIGNMENTS[g][2]
            for h, (estate, building, unit, room, residence, shape, category) in enumerate(rows):
                drawn = self.residents.household(residence, shape)
                members = drawn["members"]
                for (gi, hi, mi), tags in PERSON_TAGS.items():
                    if (gi, hi) == (g, h):
                        members[mi]["tags"] = Flow([*members[mi]["tags"], *tags])
                for member in members:
                    if member["residence"] == "流动":
                        member["category"] = CATEGORY.get(category or "", "基本放心人员")
                housing = "租住" if category else drawn["housing"].replace("租住", "自有")
                hid = self.next_id("household")
                record = {
                    "kind": "household", "id": Q(hid), "grid": Q(self.grid_ids[g]),
                    "address": {"community": COMMUNITY, "estate": estate, "building": building, "unit": unit,
                                "room": Q(room) if room.isdigit() else room},
                    "place": self.rentals.get((g, h)), "housing": housing,
                    "tags": Flow(drawn["tags"] + HOUSEHOLD_TAGS.get((g, h), [])),
                    "assigned_to": self.staff(workers[h % len(workers)]), "members": members,
                }
                self.people[(g, h)] = members
                self.households_ids[(g, h)] = Q(hid)
                self.household_tags[(g, h)] = list(record["tags"])
                self.write("households", record, COMMENTS.get((g, h)))

    # --- places, organizations, things ----------------------------------------------------

    def place(self, g: int, type_: str, name: str, address: str, comment: str | None = None,
              **more: Any) -> Q:
        pid = Q(self.next_id("place"))
        record = {"kind": "place", "id": pid, "grid": Q(self.grid_ids[g]), "type": type_, "name": name,
                  "address": f"{ADDRESS}{address}", **more}
        self.write("places", record, comment)
        if type_ in ("重点部位", "重点场所"):
            self.key_sites[g].append(pid)
        return pid

    def places(self) -> None:
        for g, rows in enumerate(HOUSEHOLDS):
            heads = [number for number, count in ASSIGNMENTS[g][3] for _ in range(count)]
            for n, (estate, building) in enumerate(dict.fromkeys((r[0], r[1]) for r in rows if r[1])):
                self.buildings[(estate, building)] = self.place(
                    g, "楼栋", f"{estate}{building}", f"{estate}{building}", responsible=self.staff(heads[n])
                )
        plate = 0
        for g, rows in enumerate(HOUSEHOLDS):
            for h, (estate, building, unit, room, _res, shape, category) in enumerate(rows):
                if not category:
                    continue
                plate += 1
                where = f"{estate}{building or ''}{unit or ''}{room}{'室' if room.isdigit() else ''}"
                rental = {"landlord": synth.full_name(self.rng, self.rng.choice("男女")),
                          "landlord_phone": Q(synth.mobile(self.rng)),
                          "plate_number": f"幸福里出租第{plate:03d}号",
                          "filing_number": f"京朝房租备〔2025〕{self.rng.randrange(10**6):06d}号",
                          "max_occupants": {"单身": 2, "夫妻": 3, "合租": 4}.get(shape, 4),
                          "hazard_level": {"不放心户": "中", "重点户": "高"}.get(category, "低"),
                          "category": category}
                comment = {"不放心户": "2026年3月复查：发现群租苗头，已约谈房东整改",
                           "重点户": "2026年3月复查：私拉电线、楼道堆放易燃物，列为重点户每周检查"}.get(category)
                self.rentals[(g, h)] = self.place(g, "出租房屋", where, where, comment, rental=rental)
        self.place(0, "重点部位", "幸福里小区电动车集中充电棚", "幸福里小区3号楼北侧", responsible=self.staff(4))
        self.place(1, "重点场所", "幸福里社区卫生服务站", "幸福里小区7号楼底商", responsible=self.staff(10))
        self.place(1, "重点部位", "幸福里社区配电室", "幸福里小区12号楼东侧", responsible=self.staff(11))
        self.place(2, "重点部位", "和园小区地下车库", "和园小区地下一层", responsible=self.staff(15))
        self.place(3, "重点场所", "幸福便民市场", "幸福商业街20号", responsible=self.staff(21))
        for name in ("幸福商业街3号 百姓便利店", "幸福商业街7号 老李修车铺", "幸福商业街15号 鑫鑫快递驿站"):
            address, shop = name.split(" ")
            self.place(3, "商铺", shop, address)

    def orgs(self) -> None:
        used: set[str] = set()
        rows = [  # grid, type, name, address, contact position, with first responsible
            (1, "党组织", f"中共{STREET}{COMMUNITY}委员会", "幸福里小区7号楼社区服务站", "党委书记", False),
            (0, "物业公司", "北京幸福里物业管理有限公司", "幸福里小区1号楼底商", "项目经理", False),
            (2, "物业公司", "北京和园物业服务有限公司", "和园小区1号楼一层", "项目经理", False),
            (1, "医疗机构", "北京市朝阳区幸福里社区卫生服务站", "幸福里小区7号楼底商", "站长", True),
            (2, "幼儿园", "北京市朝阳区和园幼儿园", "和园小区4号楼南侧", "园长", True),
            (3, "个体工商户", "北京市朝阳区百姓便利店", "幸福商业街3号", "经营者", False),
            (3, "个体工商户", "北京市朝阳区老李修车铺", "幸福商业街7号", "经营者", False),
            (1, "社会组织", "北京市朝阳区幸福里居家养老服务驿站", "幸福里小区8号楼一层", "站长", True),
        ]
        for g, type_, name, address, position, first in rows:
            rng = self.rng
            record = {
                "kind": "org", "id": Q(self.next_id("org")), "grid": Q(self.grid_ids[g]), "name": name,
                "type": type_,
                "credit_code": Q(synth.credit_code(rng, type_, REGION, used)) if type_ != "党组织" else None,
                "address": f"{ADDRESS}{address}",
                "contact": {"name": synth.full_name(rng, rng.choice("男女")), "position": position,
                            "phone": Q(synth.landline(rng) if rng.random() < 0.5 else synth.mobile(rng))},
                "first_responsible": {"name": synth.full_name(rng, rng.choice("男女")), "position": "法定代表人",
                                      "phone": Q(synth.mobile(rng))} if first else None,
            }
            if type_ == "党组织":
                record["contact"] = {"name": STAFF[0][0], "position": position, "phone": None}
            self.write("orgs", record)

    def write_things(self) -> None:
        rows = [  # key, grid, type, name, location, building of 幸福里小区, status, next inspection
            ("ext1", 0, "灭火器", HAND_EXT, "幸福里小区1号楼1单元一层楼道", "1号楼", "正常", "2026-04-01"),
            ("ext5", 0, "灭火器", HAND_EXT, "幸福里小区5号楼2单元一层楼道", "5号楼", "过期", "2026-03-20"),
            ("charger", 0, "电动车充电桩", "十路智能充电桩", "幸福里小区电动车集中充电棚", None, "正常", "2026-06-01"),
            ("cam1", 0, "监控摄像头", "小区北门摄像头", "幸福里小区北门", None, "正常", None),
            ("hydrant1", 0, "消火栓", "室外消火栓1号", "幸福里小区2号楼西侧", None, "正常", "2026-05-15"),
            ("ext8", 1, "灭火器", HAND_EXT, "幸福里小区8号楼1单元一层楼道", "8号楼", "正常", "2026-04-01"),
            ("cam2", 1, "监控摄像头", "小区东门摄像头", "幸福里小区东门", None, "正常", None),
            ("light2", 1, "应急照明", None, "幸福里社区卫生服务站走廊", None, "正常", "2026-06-01"),
            ("ext_h1", 2, "灭火器", "推车式灭火器 35kg", "和园小区地下车库B区", None, "正常", "2026-04-10"),
            ("hydrant3", 2, "消火栓", "室外消火栓3号", "和园小区2号楼北侧", None, "正常", "2026-05-15"),
            ("cam3", 2, "监控摄像头", "地下车库入口摄像头", "和园小区地下车库入口", None, "正常", None),
            ("exit3", 2, "疏散指示", None, "和园小区地下车库", None, "正常", "2026-06-01"),
            ("post", 3, "治安岗亭", "幸福商业街治安岗亭", "幸福商业街与幸福东路路口", None, "正常", None),
            ("ext_m", 3, "灭火器", HAND_EXT, "幸福便民市场入口", None, "正常", "2026-04-01"),
            ("lamp", 3, "路灯", "光华里西侧路灯3号", "光华里1排西侧", None, "损坏", None),
            ("cover", 3, "井盖", "雨水井盖", "光华里2排与3排之间", None, "正常", None),
            ("cam4", 3, "监控摄像头", "光华里口摄像头", "光华里东口", None, "正常", None),
        ]
        for key, g, type_, name, location, place, status, due in rows:
            tid = Q(self.next_id("thing"))
            self.things[key] = tid
            record = {"kind": "thing", "id": tid, "grid": Q(self.grid_ids[g]), "type": type_, "name": name,
                      "location": location, "place": self.buildings[("幸福里小区", place)] if place else None,
                      "status": status, "next_inspection": dt.date.fromisoformat(due) if due else None}
            comment = "2026年3月10日消防检查发现压力表指针在红区，已报更换" if key == "ext5" else None
            self.write("things", record, comment)

    # --- grids ----------------------------------------------------------------------------

    def grids(self) -> None:
        west, north, east, south = BOX
        community = {
            "kind": "grid", "id": Q(COMMUNITY_ID), "name": COMMUNITY, "level": "社区", "area": "城市",
            "boundary": {"east": "幸福东路", "west": "光华西路", "south": "团结南街", "north": "安和北街",
                         "polygon": polygon(west, north, east, south)},
            "responsible": [
                responsibility("第一责任人", self.staff(1), SINCE),
                responsibility("网格指导员", self.staff(3), SINCE),
            ],
        }
        write_record(self.out / "grids" / f"{COMMUNITY_ID}.yaml", community,
                     comment=f"{COMMUNITY}：{STREET}第六社区，辖4个基础网格")
        for g, (suffix, name, declared, roads, covers) in enumerate(GRIDS):
            chief, workers, part_time, building_head, police = ASSIGNMENTS[g]
            col, row = g % 2, g // 2
            x0, x1 = (west, MID[0]) if col == 0 else (MID[0], east)
            y0, y1 = (north, MID[1]) if row == 0 else (MID[1], south)
            record = {
                "kind": "grid", "id": Q(COMMUNITY_ID + suffix), "name": name, "level": "网格",
                "type": "基础网格", "area": "城市", "parent": Q(COMMUNITY_ID),
                "boundary": {"east": roads[2], "west": roads[0], "south": roads[3], "north": roads[1],
                             "polygon": polygon(x0, y0, x1, y1)},
                "households_declared": declared,
                "key_sites": Flow(self.key_sites[g]),
                "responsible": [
                    responsibility("网格长", self.staff(chief), SINCE),
                    *(responsibility("专职网格员", self.staff(w), SINCE) for w in workers),
                    *(responsibility("兼职网格员", self.staff(w), SINCE) for w in part_time),
                    *(
                        responsibility("楼栋长", self.staff(head), HEADS_SINCE.get(head, dt.date(2026, 3, 1)))
                        for head, _count in building_head
                    ),
                    responsibility("社区民警", self.staff(police), SINCE),
                ],
            }
            comment = f"范围：{covers}；申报户数为2025年底人口普查底数，台账逐户录入中"
            write_record(self.out / "grids" / f"{COMMUNITY_ID}{suffix}.yaml", record, comment=comment)

    # --- events and inspections -----------------------------------------------------------

    def events(self) -> None:
        head = {key: Q(members[0]["id"]) for key, members in self.people.items()}
        b = self.buildings
        events = [
            ("E202603-0001", 0, "安全隐患", "消防安全", "幸福里小区3号楼2单元楼道堆放杂物，占用消防通道",
             "3号楼2单元一至三层楼道堆放旧家具、纸箱，影响疏散。",
             {"places": [b[("幸福里小区", "3号楼")]]}, (4, "2026-03-03 09:40", "巡查"), "2026-03-06", [
                 ("2026-03-03 09:40", 4, "上报", "巡查发现，拍照上报"),
                 ("2026-03-03 10:15", 1, "受理", "社区网格化服务管理中心受理"),
                 ("2026-03-03 10:20", 1, "派遣", "派第一网格网格员会同物业清理"),
                 ("2026-03-04 15:30", 4, "处置", "联系住户自行清理，物业清运旧家具2件、纸箱若干"),
                 ("2026-03-04 16:00", 4, "反馈", "已向反映问题的居民反馈"),
                 ("2026-03-05 09:30", 1, "核查", "网格长现场核查，楼道畅通"),
                 ("2026-03-05 09:35", 1, "结案", "办结归档")]),
            ("E202603-0002", 1, "安全隐患", "消防安全", "幸福里小区8号楼有住户从窗口飞线为电动车充电",
             "8号楼1单元二层住户从窗口拉电线到楼下为电动自行车充电，夜间存在火灾隐患。",
             {"places": [b[("幸福里小区", "8号楼")]]}, (10, "2026-03-04 14:20", "巡查"), "2026-03-09", [
                 ("2026-03-04 14:20", 10, "上报", "巡查发现，拍照上报"),
                 ("2026-03-04 14:50", 1, "受理", "社区网格化服务管理中心受理"),
                 ("2026-03-04 15:00", 1, "派遣", "派网格员会同社区民警上门劝导"),
                 ("2026-03-05 10:30", 30, "处置", "已上门劝导，住户承诺拆除飞线、到充电棚充电，待复查")]),
            ("E202603-0003", 1, "矛盾纠纷", "邻里纠纷", "9号楼502住户卫生间漏水，与楼下402住户发生纠纷",
             "402住户反映卫生间顶部渗水已两周，与502住户多次协商未果。",
             {"people": [head[(1, 5)], head[(1, 4)]]}, (12, "2026-03-07 10:05", "群众反映"), "2026-03-14", [
                 ("2026-03-07 10:05", 12, "上报", "402住户向网格员反映"),
                 ("2026-03-07 10:30", 1, "受理", "社区网格化服务管理中心受理"),
                 ("2026-03-07 10:40", 1, "派遣", "网格员会同人民调解员、物业调处"),
                 ("2026-03-09 15:00", 12, "处置", "现场查看为502卫生间防水层老化；双方达成调解协议，502负责维修"),
                 ("2026-03-12 16:20", 12, "反馈", "维修完成，已向双方反馈"),
                 ("2026-03-13 10:00", 1, "核查", "回访双方，无渗水"),
                 ("2026-03-13 10:05", 1, "结案", "办结归档")]),
            ("E202603-0004", 2, "矛盾纠纷", "租赁纠纷", "和园小区2号楼1单元1201室租户与房东因押金退还发生纠纷",
             None, {"places": [self.rentals[(2, 2)]], "people": [head[(2, 2)]]}, (15, "2026-03-09 16:30", "来访"),
             "2026-03-16", [
                 ("2026-03-09 16:30", 15, "上报", "租户到社区来访反映"),
                 ("2026-03-10 09:00", 2, "受理", "社区网格化服务管理中心受理"),
                 ("2026-03-10 09:10", 2, "派遣", "请社区民警参与调处"),
                 ("2026-03-11 14:00", 31, "处置", "社区民警与网格员共同调解，房东同意退还押金"),
                 ("2026-03-12 11:00", 15, "反馈", "租户确认已收到押金"),
                 ("2026-03-12 11:30", 2, "核查", "电话回访双方"),
                 ("2026-03-12 11:35", 2, "结案", "办结归档")]),
            ("E202603-0005", 0, "安全隐患", "消防安全", "幸福里小区5号楼2单元灭火器压力不足、已过期",
             None, {"places": [b[("幸福里小区", "5号楼")]], "things": [self.things["ext5"]]},
             (5, "2026-03-10 10:50", "巡查"), "2026-03-20", [
                 ("2026-03-10 10:50", 5, "上报", "消防安全检查发现"),
                 ("2026-03-10 11:20", 1, "受理", "社区网格化服务管理中心受理"),
                 ("2026-03-10 11:30", 1, "派遣", "通知物业更换"),
                 ("2026-03-11 09:30", 5, "处置", "物业已报采购，3月20日前更换")]),
            ("E202603-0006", 3, "社情民意", "市政设施", "居民反映光华里1排西侧路灯不亮，夜间出行不便",
             None, {"things": [self.things["lamp"]]}, (21, "2026-03-13 15:10", "巡查"), "2026-03-20", [
                 ("2026-03-13 15:10", 21, "上报", "巡查时居民反映，现场核实"),
                 ("2026-03-13 15:40", 2, "受理", "社区网格化服务管理中心受理"),
                 ("2026-03-13 16:00", 2, "派遣", "已报街道城管科协调路灯管理所维修")]),
        ]
        statuses = {"上报": "已上报", "受理": "已受理", "派遣": "已派遣", "处置": "处置中", "反馈": "已反馈",
                    "核查": "已核查", "结案": "已结案"}
        for eid, g, type_, category, title, description, refs, (by, at, via), deadline, steps in events:
            record = {
                "kind": "event", "id": Q(eid), "grid": Q(self.grid_ids[g]), "type": type_, "category": category,
                "grade": "一般", "title": title, "description": description,
                "refs": {k: Flow(v) for k, v in refs.items()},
                "reported": {"by": self.staff(by), "at": when(at), "via": via},
                "deadline": dt.date.fromisoformat(deadline),
                "status": statuses[steps[-1][2]],
                "timeline": [{"at": when(t), "by": self.staff(s), "action": a, "note": n} for t, s, a, n in steps],
            }
            write_record(self.out / "events" / "2026" / "03" / f"{eid}.yaml", record)

    def inspections(self) -> None:
        """A round of every grid on every working day of March (第四网格 missed two), and each grid's
        monthly 消防安全检查; hazards found on a round became the events above."""
        from activity import checklist_items

        daily, fire = checklist_items("社区日常巡查"), checklist_items("消防安全检查")
        marks = {  # (grid, day, checklist) → inspector, {item index: (result, note, event)}
            (0, "2026-03-03", "社区日常巡查"): (4, {0: ("hazard", "3号楼2单元楼道堆放杂物", "E202603-0001")}),
            (1, "2026-03-04", "社区日常巡查"): (10, {1: ("hazard", "8号楼1单元二层飞线充电", "E202603-0002")}),
            (2, "2026-03-05", "社区日常巡查"): (16, {5: ("ok", "走访4号楼303老年夫妇，身体状况良好", None)}),
            (3, "2026-03-06", "社区日常巡查"): (22, {2: ("ok", "光华里出租房屋均已挂牌，租住人员已登记", None)}),
            (0, "2026-03-10", "消防安全检查"): (5, {2: ("hazard", "5号楼2单元灭火器压力不足", "E202603-0005")}),
            (1, "2026-03-11", "社区日常巡查"): (11, {5: ("na", "本次未安排走访", None)}),
            (1, "2026-03-11", "消防安全检查"): (12, {}),
            (2, "2026-03-12", "消防安全检查"): (17, {}),
            (3, "2026-03-13", "社区日常巡查"): (21, {6: ("hazard", "光华里1排西侧路灯不亮", "E202603-0006")}),
            (3, "2026-03-13", "消防安全检查"): (23, {}),
        }
        missed = {(3, "2026-03-16"), (3, "2026-03-17")}
        number = 0
        for day in MARCH_WORKDAYS:
            for g in range(len(GRIDS)):
                chief, workers = ASSIGNMENTS[g][0], ASSIGNMENTS[g][1]
                for checklist, items in (("社区日常巡查", daily), ("消防安全检查", fire)):
                    key = (g, day.isoformat(), checklist)
                    if (checklist == "消防安全检查" and key not in marks) or (g, day.isoformat()) in missed:
                        continue
                    inspector, found = marks.get(key, (workers[day.day % len(workers)], {}))
                    rows = []
                    for i, text in enumerate(items):
                        result, note, event = found.get(i, ("ok", None, None))
                        rows.append({"item": text, "result": result, "note": note,
                                     "event": Q(event) if event else None})
                    number += 1
                    iid = f"I202603-{number:04d}"
                    record = {"kind": "inspection", "id": Q(iid), "grid": Q(self.grid_ids[g]), "date": day,
                              "inspector": self.staff(inspector), "checklist": checklist, "items": rows,
                              "signed_by": self.staff(chief)}
                    write_record(self.out / "inspections" / "2026" / "03" / f"{iid}.yaml", record)

    def visits(self) -> None:
        """重点人群走访 in March: every household of a care group, by the worker it is assigned to."""
        from gridctl.ledger.profiles import profile_defaults

        every = (profile_defaults("community") or {})["supervision"]["visits"]
        number = 0
        for (g, h), members in sorted(self.people.items()):
            tags = set(self.household_tags[(g, h)]) | {t for m in members for t in m.get("tags") or []}
            if not tags & set(every):
                continue
            workers = ASSIGNMENTS[g][1] + ASSIGNMENTS[g][2]
            weekly = min(every[t] for t in tags if t in every) <= 7
            number += 1
            day = dt.date(2026, 3, 27 if weekly else 12 + number % 8)
            record = {"kind": "visit", "id": Q(f"V202603-{number:04d}"), "household": self.households_ids[(g, h)],
                      "date": day, "by": self.staff(workers[h % len(workers)]),
                      "purpose": "重点人群走访", "note": "了解生活和身体状况，宣传政策"}
            write_record(self.out / "visits" / "2026" / "03" / f"V202603-{number:04d}.yaml", record)


def responsibility(role: str, staff: Q, since: dt.date) -> dict[str, Any]:
    return {"role": role, "staff": staff, "duties": list(DUTIES[role]), "since": since}


def polygon(west: float, north: float, east: float, south: float) -> dict[str, Any]:
    ring = [(west, north), (east, north), (east, south), (west, south), (west, north)]
    return {"type": "Polygon", "coordinates": Flow([Flow(Flow([x, y]) for x, y in ring)])}


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def build_example(out: Path) -> None:
    """Write the example into `out`, replacing an earlier copy (never a folder that is not a ledger)."""
    if out.exists() and any(out.iterdir()):
        if not (out / "gridctl.yaml").is_file():
            raise SystemExit(f"{out} is not empty and is not a ledger; refusing to overwrite it")
        shutil.rmtree(out)
    Example(out).build()
