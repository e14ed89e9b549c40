"""The bundled town example: 龙城镇 as its plan describes it, at a small scale.

    python bench/gen_ledger.py examples/town --example town

18 communities (城区网格 of 500–800 households, declared: the register is only begun) and 7
administrative villages (涉农网格 drawn by natural village, never splitting one). Each
村(社区)'s 书记/主任 is 网格长 of its grids, "两委" members and 计生/扶贫专干 sink into the grids as
网格员, hired 网格员 (购买服务) fill the rest, and every grid has a 楼栋长 or 信息员. A few
households per grid are entered, with residents drawn as for the community example.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from random import Random
from typing import Any

import synth
from residents import Residents
from synth import Flow, Q, write_record
from world import Grid, World, zh_number

REGION = "430124"  # a county code the GB/T 2260 table knows; the town is fictional
TOWN_ID = f"{REGION}101"
TOWN = "龙城镇"
COUNTY = "湖南省长沙市宁乡县"
COMMUNITIES = [
    "城东",
    "城西",
    "城南",
    "城北",
    "龙泉",
    "龙潭",
    "玉龙",
    "金龙",
    "文昌",
    "育才",
    "春城",
    "香山",
    "新华",
    "建设",
    "花明",
    "东门",
    "西门",
    "滨河",
]
VILLAGES = [  # village, its natural villages (自然村), how many grids
    ("双凫村", ["上屋组", "下屋组", "塘湾组", "枫树组"], 2),
    ("金鸡村", ["金鸡冲", "鸡公岭", "大屋场"], 2),
    ("石门村", ["石门口", "麻石桥", "新屋"], 1),
    ("白鹤村", ["白鹤塘", "荷叶坝", "杨家湾", "刘家冲"], 2),
    ("青山村", ["青山铺", "茶园", "竹山湾"], 1),
    ("桃林村", ["桃林坳", "李家湾", "周家塅", "黄泥坡"], 2),
    ("莲花村", ["莲花坪", "水口", "大塘"], 1),
]
DUTIES = {
    "网格长": ["全面负责本网格服务管理工作，定期召开网格工作例会", "及时处理网格员反馈的动态问题，跟踪掌握工作进度"],
    "网格员": [
        "全面采集、动态掌握并及时上报网格内人口、房屋、社保、诉求、就业、收入、安全、稳定等情况",
        "每日巡查网格，排查安全隐患和矛盾纠纷苗头",
        "做好民生服务、困难群众、社会稳定“三本台账”",
    ],
    "专职网格员": ["每日巡查网格，采集更新“1+5+N”基础信息", "协助化解矛盾纠纷，代办居民事务"],
    "楼栋长": ["收集本楼栋社情民意，及时向网格员反映", "发现安全隐患及时报告"],
    "信息员": ["收集本组社情民意和矛盾纠纷苗头，及时向网格员反映", "协助走访留守儿童、空巢老人等重点服务对象"],
    "包片领导": ["负责联系村(社区)网格化服务管理工作的督查和指导"],
}


class TownExample:
    def __init__(self, out: Path, seed: int = 7) -> None:
        self.out = out
        self.rng = Random(seed)
        self.world = World(self.rng, out)
        self.residents = Residents(self.rng, self.world.ids.person)

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
            "依据《龙城镇网格化服务管理实施方案》: 18个社区、7个行政村",
        )
        town = self.grid(TOWN_ID, TOWN, "镇", None, None)
        self.responsible(
            town, "包片领导", self.world.person_staff("镇党委副书记、政法委员", f"{TOWN}人民政府", None, 1.0)
        )
        for i, word in enumerate(COMMUNITIES):
            community = self.grid(f"{TOWN_ID}{i + 1:03d}", f"{word}社区", "社区", town, None)
            self.units(community, "社区", [None, None] if i % 3 == 0 else [None])
        for j, (name, naturals, grids) in enumerate(VILLAGES):
            village = self.grid(f"{TOWN_ID}{200 + j + 1:03d}", name, "村", town, None)
            split = [naturals[k::grids] for k in range(grids)]
            self.units(village, "村", split)
        self.world.write()
        (self.out / "photos").mkdir(exist_ok=True)

    def grid(self, gid: str, name: str, level: str, parent: Grid | None, area: str | None) -> Grid:
        grid = Grid(gid, name, level, parent, (0.0, 0.0, 0.0, 0.0), ("", "", "", ""))
        grid.area = area  # type: ignore[attr-defined]
        grid.naturals = []  # type: ignore[attr-defined]
        self.world.grids.append(grid)
        return grid

    def responsible(self, grid: Grid, role: str, staff: str) -> None:
        grid.responsible.append({"role": role, "staff": Q(staff), "duties": list(DUTIES[role])})

    def units(self, parent: Grid, level: str, plan: list[list[str] | None]) -> None:
        """The basic grids of one 社区 or 村: its 书记/主任 leads them all (兼任网格长)."""
        rng, world = self.rng, self.world
        office = f"{TOWN}{parent.name}{'居委会' if level == '社区' else '村委会'}"
        secretary = world.person_staff(
            f"{parent.name}党总支书记、{'居委会' if level == '社区' else '村委会'}主任", office, "专职", 1.0
        )
        cadres = [
            world.person_staff(post, office, "兼职", 0.7)
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
            hired = world.person_staff("网格员", f"{TOWN}网格化服务管理中心", "购买服务", 0.3)
            grid.workers = [hired]
            self.responsible(grid, "专职网格员", hired)
            helper = world.person_staff("村民小组长" if rural else "退休干部", office, "志愿者", 0.6)
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
