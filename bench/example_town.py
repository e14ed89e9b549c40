"""The bundled town example: 龙城镇 (宁乡市) as its plan describes it, at a small scale.

    python bench/gen_ledger.py examples/town --example town

18 communities (城区网格 of 500–800 households, declared: the register is only begun) and 7
administrative villages (涉农网格 drawn by natural village, never splitting one). The town's
网格化服务管理中心 is led by its 总网格长; each 村(社区)'s 书记/主任 is 网格长 of the 社区/村 and of its
grids; "两委" members and 计生/扶贫专干 sink into the grids as 网格员; hired 网格员 (购买服务, 一年一聘)
fill the rest, and every grid has a 楼栋长 or 信息员. The grid system started on 23 March 2026; its
first week has daily rounds, events taken through their steps (one escalated to the town and
closed there), visits to the care groups, and each 村(社区)'s organisations. Residents carry
Hunan ID numbers (宁乡县 430124 until 2017, 宁乡市 430182 since).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from random import Random
from typing import Any

import synth
import town_week
from residents import Residents
from synth import Flow, Q, write_record
from world import Grid, World, zh_number

REGION = "430182"  # 宁乡市 (湖南省长沙市), since 2017; 宁乡县 was 430124
HOME_CODES = ("432324", "430124", "430182")
"""宁乡's codes over the years, for residents' ID numbers: 湘潭地区宁乡县 until 1983, 长沙市宁乡县, 宁乡市."""
NEARBY = ("430102", "430103", "430104", "430105", "430111", "430121", "430181", "430302", "430902")
"""The rest of 长沙 and the neighbouring cities (湘潭, 益阳): 人户分离 residents are registered there."""
TOWN_ID = f"{REGION}101"
TOWN = "龙城镇"
COUNTY = "湖南省长沙市宁乡市"
START = dt.date(2026, 3, 23)
"""The day the grid system started: grids drawn, people assigned, 网格员 hired for a year."""
COMMUNITIES = [
    "城东", "城西", "城南", "城北", "龙泉", "龙潭", "玉龙", "金龙", "文昌",
    "育才", "春城", "香山", "新华", "建设", "花明", "东门", "西门", "滨河",
]
VILLAGES = [  # village, its natural villages (自然村), how many grids
    ("双凫村", ["上屋场", "下屋场", "塘湾里", "枫树坪"], 2),
    ("金鸡村", ["金鸡冲", "鸡公岭", "大屋场"], 2),
    ("石门村", ["石门口", "麻石桥", "新屋湾"], 1),
    ("白鹤村", ["白鹤塘", "荷叶坝", "杨家湾", "刘家冲"], 2),
    ("青山村", ["青山铺", "茶园冲", "竹山湾"], 1),
    ("桃林村", ["桃林坳", "李家湾", "周家塅", "黄泥坡"], 2),
    ("莲花村", ["莲花坪", "水口山", "大塘冲"], 1),
]
DUTIES = {
    "总网格长": ["统筹全镇网格化服务管理工作，主持镇网格化服务管理中心", "受理村(社区)上报的疑难问题，协调站所处置"],
    "网格长": ["全面负责本网格服务管理工作，定期召开网格工作例会", "及时处理网格员反馈的动态问题，跟踪掌握工作进度"],
    "网格员": [
        "全面采集、动态掌握并及时上报网格内人口、房屋、社保、诉求、就业、收入、安全、稳定等情况",
        "每日巡查网格，排查安全隐患和矛盾纠纷苗头",
        "做好民生服务、困难群众、社会稳定“三本台账”",
    ],
    "专职网格员": ["每日巡查网格，采集更新“1+5+N”基础信息", "协助化解矛盾纠纷，代办居民事务"],
    "楼栋长": ["收集本楼栋社情民意，及时向网格员反映", "发现安全隐患及时报告"],
    "信息员": ["收集本自然村社情民意和矛盾纠纷苗头，及时向网格员反映", "协助走访留守儿童、空巢老人等重点服务对象"],
    "包片领导": ["负责联系村(社区)网格化服务管理工作的督查和指导"],
}


class TownExample:
    def __init__(self, out: Path, seed: int = 7) -> None:
        self.out = out
        self.rng = Random(seed)
        self.world = World(self.rng, out)
        self.world.region = REGION
        self.residents = Residents(self.rng, self.world.ids.person, home=HOME_CODES, nearby=NEARBY)
        self.contracts: dict[str, dt.date] = {}

    def run(self) -> None:
        synth.confirm_phones(Random(0))
        settings = {
            "name": f"{TOWN}网格化服务管理台账",
            "region_code": Q(REGION),
            "profile": "town",
            "supervision_phone": Q("0731-87821234"),
        }
        write_record(
            self.out / "gridctl.yaml",
            settings,
            comment=f"{TOWN}网格化服务管理台账 (bench/gen_ledger.py --example town)\n"
            f"依据《龙城镇网格化服务管理实施方案》: 18个社区、7个行政村; {START} 起运行",
        )
        town = self.grid(TOWN_ID, TOWN, "镇", None, None)
        office = f"{TOWN}网格化服务管理中心"
        government = f"{TOWN}人民政府"
        self.responsible(town, "总网格长", self.world.person_staff("镇党委书记、总网格长", government, None, 1.0))
        self.responsible(town, "包片领导", self.world.person_staff("镇党委副书记、政法委员", government, None, 1.0))
        town.chief = town.responsible[0]["staff"]
        for i, word in enumerate(COMMUNITIES):
            community = self.grid(f"{TOWN_ID}{i + 1:03d}", f"{word}社区", "社区", town, None)
            self.units(community, "社区", [None, None] if i % 3 == 0 else [None], office)
        for j, (name, naturals, grids) in enumerate(VILLAGES):
            village = self.grid(f"{TOWN_ID}{200 + j + 1:03d}", name, "村", town, None)
            split = [naturals[k::grids] for k in range(grids)]
            self.units(village, "村", split, office)
        for staff in self.world.staff:
            if staff["employment"] == "购买服务":
                staff["contract_end"] = self.contracts[staff["id"]]
        self.world.write()
        town_week.write(self.out, self.world, town, self.rng)
        (self.out / "photos").mkdir(exist_ok=True)

    def grid(self, gid: str, name: str, level: str, parent: Grid | None, area: str | None) -> Grid:
        grid = Grid(gid, name, level, parent, (0.0, 0.0, 0.0, 0.0), ("", "", "", ""))
        grid.area = area  # type: ignore[attr-defined]
        grid.naturals = []  # type: ignore[attr-defined]
        grid.homes = []  # type: ignore[attr-defined]
        self.world.grids.append(grid)
        return grid

    def responsible(self, grid: Grid, role: str, staff: str) -> None:
        grid.responsible.append({"role": role, "staff": Q(staff), "duties": list(DUTIES[role]), "since": START})

    def units(self, parent: Grid, level: str, plan: list[list[str] | None], office: str) -> None:
        """The basic grids of one 社区 or 村: its 书记/主任 is 网格长 of the 社区/村 and of every grid."""
        rng, world = self.rng, self.world
        committee = f"{TOWN}{parent.name}{'居委会' if level == '社区' else '村委会'}"
        secretary = world.person_staff(
            f"{parent.name}党总支书记、{'居委会' if level == '社区' else '村委会'}主任", committee, "专职", 1.0
        )
        self.responsible(parent, "网格长", secretary)
        parent.chief = secretary
        cadres = [
            world.person_staff(post, committee, "兼职", 0.7)
            for post in rng.sample(["“两委”委员", "计生专干", "扶贫专干", "后备干部"], 2)
        ]
        for k, naturals in enumerate(plan):
            rural = naturals is not None
            grid = self.grid(
                f"{parent.id}{k + 1:03d}",
                f"{parent.name}第{zh_number(k + 1)}网格",
                "网格",
                parent,
                "农村" if rural else "城市",
            )
            grid.naturals = list(naturals or [])  # type: ignore[attr-defined]
            if not rural:
                grid.households_declared = rng.randint(500, 800)
            grid.chief = secretary
            self.responsible(grid, "网格长", secretary)
            self.responsible(grid, "网格员", cadres[k % len(cadres)])
            hired = world.person_staff("网格员", office, "购买服务", 0.3)
            self.contracts[hired] = START.replace(year=START.year + 1) - dt.timedelta(days=1)
            grid.workers = [hired]
            self.responsible(grid, "专职网格员", hired)
            helper = world.person_staff("村民小组长" if rural else "退休干部", committee, "志愿者", 0.6)
            self.responsible(grid, "信息员" if rural else "楼栋长", helper)
            self.households(grid, 3 if rural else 4)
            site = world.place(
                grid,
                "重点场所",
                f"{parent.name}{'文化广场' if rural else '农贸市场'}",
                f"{COUNTY}{TOWN}{parent.name}",
                responsible=Q(hired),
            )
            grid.key_sites.append(site)
            world.thing(
                grid,
                "灭火器",
                f"{parent.name}{'村部' if rural else '社区服务站'}",
                place=site,
                name="手提式干粉灭火器 4kg",
            )
        address = f"{COUNTY}{TOWN}{parent.name}"
        first = self.world.grids[-1] if level == "村" else next(g for g in self.world.grids if g.parent is parent)
        party = f"中共{TOWN}{parent.name}{'总支部委员会' if level == '社区' else '支部委员会'}"
        world.org(first, "党组织", party, address, "书记")
        if level == "社区":
            world.org(first, "个体工商户", f"{COUNTY}{parent.name}便民超市", f"{address}便民街", "经营者")
        else:
            world.org(first, "企业", f"宁乡市{parent.name[:2]}农业专业合作社", f"{address}村部旁", "理事长", True)

    def households(self, grid: Grid, count: int) -> None:
        world = self.world
        for n in range(count):
            drawn = self.residents.household(residence="户籍")
            hid = world.ids.next("household")
            parent = grid.parent.name if grid.parent else ""
            address: dict[str, Any] = {"community": parent, "room": Q(f"{n + 1}号")}
            if grid.naturals:  # type: ignore[attr-defined]
                address["estate"] = grid.naturals[n % len(grid.naturals)]  # type: ignore[attr-defined]
            else:
                address.update(estate=f"{parent[:2]}小区", building=f"{n % 3 + 1}栋")
            record = {
                "kind": "household",
                "id": Q(hid),
                "grid": Q(grid.id),
                "address": address,
                "housing": "自有",
                "tags": Flow(drawn["tags"]),
                "assigned_to": Q(grid.workers[0]),
                "members": drawn["members"],
            }
            tags = set(drawn["tags"]) | {t for m in drawn["members"] for t in m.get("tags", [])}
            grid.homes.append((hid, tags))  # type: ignore[attr-defined]
            write_record(self.out / "households" / grid.id / f"{hid}.yaml", record)


def grid_record(grid: Grid) -> dict[str, Any]:
    return {
        "kind": "grid",
        "id": Q(grid.id),
        "name": grid.name,
        "level": grid.level,
        "type": "基础网格" if grid.level == "网格" else None,
        "area": getattr(grid, "area", None),
        "parent": Q(grid.parent.id) if grid.parent else None,
        "households_declared": grid.households_declared,
        "natural_villages": Flow(getattr(grid, "naturals", [])) or None,
        "key_sites": Flow(Q(k) for k in grid.key_sites) or None,
        "responsible": grid.responsible,
    }


def build_town(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    example = TownExample(out)
    example.world.grid_record = grid_record  # type: ignore[method-assign]
    example.run()
