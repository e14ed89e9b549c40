"""The territory of a synthetic ledger: grids, staff, places, organizations and things.

Grids and staff are kept in memory and written at the end (a grid's responsible people and key
sites are known only once it is filled); places, organizations and things are written as they
are made, so 100,000 households never sit in memory.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

import synth
from synth import Flow, Q, write_record

ID_FORMATS = {"staff": "S{:04d}", "household": "H{:06d}", "person": "P{:07d}", "place": "PL{:05d}",
              "org": "O{:05d}", "thing": "T{:05d}"}
"""The community profile's id formats (S####, H###### …), as format strings."""

DUTIES = {
    "网格长": ["负责网格内网格化服务管理工作的组织协调和督促检查",
            "定期召开网格工作例会，及时处理网格员反馈的动态问题",
            "深入辖区网格，跟踪掌握工作进度、存在问题和困难"],
    "专职网格员": ["全面采集、动态掌握并及时上报网格内人口、房屋、社保、诉求、就业、收入、安全、稳定等情况",
              "每日巡查网格，排查安全隐患和矛盾纠纷苗头，及时上报",
              "做好民生服务、困难群众、社会稳定“三本台账”",
              "落实分片包户，定期走访空巢老人、残疾人、低保家庭等重点服务对象"],
    "兼职网格员": ["协助专职网格员开展入户走访和基础信息采集",
              "参与矛盾纠纷排查化解和政策法规宣传"],
    "楼栋长": ["收集本楼栋社情民意，及时向网格员反映",
            "协助做好出租房屋和流动人口登记",
            "发现楼道堆物、飞线充电等安全隐患及时报告"],
    "社区民警": ["落实“一区一警”，负责辖区治安防范和流动人口、出租房屋管理",
             "参与矛盾纠纷调处，协助网格员做好重点人员服务管理"],
    "第一责任人": ["对社区网格化服务管理工作负总责",
              "统筹社区“两委”成员、社区工作者下沉网格，落实每100户配备1名工作人员"],
    "网格指导员": ["指导网格开展基础信息采集、隐患排查和矛盾纠纷化解",
              "督促网格落实巡查和考核"],
    "包片领导": ["负责联系社区网格化服务管理工作的督查和指导",
             "协调解决网格上报的疑难问题"],
}
"""Written duties per role, in the words of the seed plans (定人、定责)."""

COMMUNITY_WORDS = ["安华", "和平", "光明", "幸福", "团结", "惠新", "望春", "芍药", "松榆", "金台", "百子", "红庙",
                   "延静", "甘露", "石佛", "青年", "高井", "六里", "关东", "南湖", "北苑", "康乐", "安贞", "德胜",
                   "华严", "花园", "东湖", "紫竹", "双桥", "平房"]
COMMUNITY_SUFFIX = ["里", "苑", "园", "北里", "南里", "东里", "西里", "家园"]
ROADS_NS = ["光华", "东大桥", "工体", "三里屯", "农展馆", "团结湖", "朝阳公园", "姚家园", "石佛营", "甜水园",
            "六里屯", "十里堡", "青年", "黄杉木店", "金台", "八里庄"]
"""North–south roads (…路), west to east."""
ROADS_EW = ["幸福", "和平", "安和", "惠新", "北辰", "安华", "小关", "芍药居", "望春", "花家地", "南湖", "大屯"]
"""East–west streets (…街), north to south."""
ZH_DIGITS = "零一二三四五六七八九"
FIRM_WORDS = ["科技", "信息技术", "文化传媒", "商贸", "餐饮管理", "建筑装饰", "教育咨询", "健康管理"]
SHOPS = ["便民超市", "水果店", "理发店", "早餐店", "洗衣店", "药店", "五金店", "快递驿站", "修车铺", "花店"]
SLOTS = 8
"""Lattice columns per community: its basic grids are strips between north–south roads."""
ORIGIN = (116.44, 39.96)
"""North-west corner of the synthetic street (lon, lat), near 朝阳区."""


def zh_number(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十 (grid names: 第十二网格)."""
    if n < 10:
        return ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (ZH_DIGITS[tens] if tens > 1 else "") + "十" + (ZH_DIGITS[ones] if ones else "")


class Ids:
    def __init__(self) -> None:
        self.counters: Counter[str] = Counter()

    def next(self, kind: str) -> str:
        self.counters[kind] += 1
        return ID_FORMATS[kind].format(self.counters[kind])

    def person(self) -> str:
        return self.next("person")


@dataclass
class Grid:
    id: str
    name: str
    level: str
    parent: Grid | None
    box: tuple[float, float, float, float]
    """west, north, east, south in degrees."""
    roads: tuple[str, str, str, str]
    """west, north, east, south boundary roads."""
    cell: tuple[int, int] = (0, 0)
    """Column and row of the grid's north-west corner on the lattice of boundary roads."""
    responsible: list[dict[str, Any]] = field(default_factory=list)
    households_declared: int | None = None
    chief: str = ""
    workers: list[str] = field(default_factory=list)
    per_worker: int = 100
    assigned: int = 0
    key_sites: list[str] = field(default_factory=list)
    buildings: list[tuple[str, str]] = field(default_factory=list)
    rentals: list[tuple[str, str]] = field(default_factory=list)
    things: list[tuple[str, str, str]] = field(default_factory=list)
    property_orgs: list[str] = field(default_factory=list)
    estate_head: str = ""
    """The 楼栋长 of the estate being built (its buildings name them)."""
    people: list[tuple[str, str, int]] = field(default_factory=list)
    """A sample of residents (id, name, age) that events can name."""

    @property
    def community(self) -> Grid:
        grid = self
        while grid.level != "社区" and grid.parent is not None:
            grid = grid.parent
        return grid

    def assignee(self) -> str:
        """分片包户: consecutive households go to the same worker, at most `per_worker` each."""
        worker = self.workers[min(self.assigned // self.per_worker, len(self.workers) - 1)]
        self.assigned += 1
        return worker

    def remember_people(self, members: list[dict[str, Any]], rng: Random) -> None:
        if len(self.people) < 40 or rng.random() < 0.01:
            person = members[0]
            age = 2026 - person["birth_date"].year
            entry = (str(person["id"]), person["name"], age)
            if len(self.people) < 40:
                self.people.append(entry)
            else:
                self.people[rng.randrange(40)] = entry

    def responsibility(self, role: str, staff: str, since: Any = None) -> None:
        self.responsible.append({"role": role, "staff": Q(staff), "duties": list(DUTIES[role]), "since": since})


class World:
    def __init__(self, rng: Random, out: Path) -> None:
        self.rng = rng
        self.out = out
        self.ids = Ids()
        self.counts: Counter[str] = Counter()
        self.grids: list[Grid] = []
        self.staff: list[dict[str, Any]] = []
        self.credit_codes: set[str] = set()
        self.community_names: set[str] = set()
        self.plate = 0
        self.region = synth.HOME_REGION
        """The county code in organizations' credit codes."""
        self.categories: dict[str, str] = {}
        """Rental place id → its 四类管理 category (its tenants are classified alike)."""

    # --- staff ----------------------------------------------------------------------------

    def person_staff(self, position: str, organization: str, employment: str | None, party: float) -> str:
        rng = self.rng
        gender = "女" if rng.random() < 0.6 else "男"
        sid = self.ids.next("staff")
        self.staff.append({
            "kind": "staff", "id": Q(sid), "name": synth.full_name(rng, gender), "gender": gender,
            "phone": Q(synth.mobile(rng)), "organization": organization, "position": position,
            "party_member": rng.random() < party, "employment": employment,
        })
        return sid

    # --- grids ----------------------------------------------------------------------------

    def street(self, name: str, code: str, communities: int) -> Grid:
        cols = math.ceil(math.sqrt(communities))
        rows = math.ceil(communities / cols)
        west, north = ORIGIN
        box = (west, north, west + 0.012 * cols, north - 0.01 * rows)
        grid = Grid(code, name, "街道", None, box, self._roads(0, 0, cols * SLOTS, rows))
        leader = self.person_staff("街道办事处副主任", f"{name}办事处", None, 0.95)
        grid.responsibility("包片领导", leader)
        self.grids.append(grid)
        return grid

    def community(self, street: Grid, index: int, total: int) -> Grid:
        cols = math.ceil(math.sqrt(total))
        row, col = divmod(index, cols)
        west, north = ORIGIN[0] + 0.012 * col, ORIGIN[1] - 0.01 * row
        name = ""
        for attempt in range(100):
            name = self.rng.choice(COMMUNITY_WORDS) + self.rng.choice(COMMUNITY_SUFFIX) + "社区"
            if attempt == 99:
                name = f"{name[:-2]}{zh_number(len(self.community_names) % 99 + 1)}社区"
            if name not in self.community_names:
                break
        self.community_names.add(name)
        grid = Grid(f"{street.id}{index + 1:03d}", name, "社区", street, (west, north, west + 0.012, north - 0.01),
                    self._roads(col * SLOTS, row, (col + 1) * SLOTS, row + 1), (col * SLOTS, row))
        office = f"{street.name}{name}居委会"
        secretary = self.person_staff("社区党委书记、居委会主任", office, "专职", 1.0)
        police = self.person_staff("社区民警", f"{street.name[:-2]}派出所", None, 0.9)
        grid.responsibility("第一责任人", secretary)
        grid.responsibility("社区民警", police)
        self.grids.append(grid)
        return grid

    def basic_grid(self, community: Grid, index: int, total: int, households: int) -> Grid:
        rng = self.rng
        west, north, east, south = community.box
        width = (east - west) / total
        box = (west + width * index, north, west + width * (index + 1), south)
        col, row = community.cell
        east_col = col + index + 1 if index + 1 < total else col + SLOTS  # the last grid reaches the community's edge
        roads = self._roads(col + index, row, east_col, row + 1)
        grid = Grid(f"{community.id}{index + 1:03d}", f"第{zh_number(index + 1)}网格", "网格", community, box, roads)
        if households < 500:  # the register is still being entered; the grid's size is declared
            grid.households_declared = rng.randint(max(500, households), 800)
        counted = max(households, grid.households_declared or 0)
        office = f"{community.name}居委会"
        position = rng.choice(["社区居委会委员", "社区党委委员", "社区居委会副主任"])
        grid.chief = self.person_staff(position, office, "专职", 0.8)
        grid.responsibility("网格长", grid.chief)
        workers = math.ceil(counted / 100)
        for k in range(workers):
            part_time = k == workers - 1 and workers > 2 and rng.random() < 0.5
            role = "兼职网格员" if part_time else "专职网格员"
            sid = self.person_staff("社区居委会委员" if part_time else "社区工作者", office,
                                    "兼职" if part_time else "专职", 0.5)
            grid.workers.append(sid)
            grid.responsibility(role, sid)
        grid.per_worker = math.ceil(max(households, 1) / workers)
        self.grids.append(grid)
        return grid

    def _roads(self, west: int, north: int, east: int, south: int) -> tuple[str, str, str, str]:
        """Boundary roads of a lattice cell: north–south roads at columns, east–west streets at rows."""

        def road(names: list[str], k: int, kind: str) -> str:
            return names[k % len(names)] + ("" if k < len(names) else zh_number(k // len(names) + 1)) + kind

        return road(ROADS_NS, west, "路"), road(ROADS_EW, north, "街"), road(ROADS_NS, east, "路"), \
            road(ROADS_EW, south, "街")

    # --- places, organizations, things ----------------------------------------------------

    def place(self, grid: Grid, type_: str, name: str, address: str, **more: Any) -> str:
        pid = self.ids.next("place")
        record = {"kind": "place", "id": Q(pid), "grid": Q(grid.id), "type": type_, "name": name,
                  "address": address, **more}
        write_record(self.out / "places" / grid.id / f"{pid}.yaml", record)
        self.counts["place"] += 1
        return pid

    def org(self, grid: Grid, type_: str, name: str, address: str, contact_position: str,
            first_responsible: bool = False) -> str:
        rng = self.rng
        oid = self.ids.next("org")
        phone = synth.landline(rng) if rng.random() < 0.5 else synth.mobile(rng)
        record = {
            "kind": "org", "id": Q(oid), "grid": Q(grid.id), "name": name, "type": type_,
            "credit_code": Q(synth.credit_code(rng, type_, self.region, self.credit_codes))
            if type_ != "党组织" else None,
            "address": address,
            "contact": {"name": synth.full_name(rng, rng.choice("男女")), "position": contact_position,
                        "phone": Q(phone)},
            "first_responsible": {"name": synth.full_name(rng, rng.choice("男女")), "position": "法定代表人",
                                  "phone": Q(synth.mobile(rng))} if first_responsible else None,
        }
        write_record(self.out / "orgs" / grid.id / f"{oid}.yaml", record)
        self.counts["org"] += 1
        return oid

    def thing(self, grid: Grid, type_: str, location: str, place: str | None = None, name: str | None = None) -> None:
        rng = self.rng
        tid = self.ids.next("thing")
        status = rng.choices(["正常", "待维修", "损坏", "过期"] if type_ == "灭火器" else ["正常", "待维修", "损坏"],
                             [90, 5, 2, 3] if type_ == "灭火器" else [92, 6, 2])[0]
        due = None
        if type_ in ("灭火器", "消火栓", "应急照明", "电动车充电桩"):
            due = dt.date(2026, rng.randint(4, 9), rng.randint(1, 28))
        record = {"kind": "thing", "id": Q(tid), "grid": Q(grid.id), "type": type_, "name": name,
                  "location": location, "place": Q(place) if place else None, "status": status,
                  "next_inspection": due}
        write_record(self.out / "things" / grid.id / f"{tid}.yaml", record)
        grid.things.append((tid, type_, location))
        self.counts["thing"] += 1

    def address(self, grid: Grid, rest: str = "") -> str:
        community = grid.community
        street = community.parent.name if community.parent else ""
        return f"北京市朝阳区{street}{community.name}{rest}"

    def estate(self, grid: Grid, estate: str, kind: str) -> None:
        rng = self.rng
        company = estate[:2] + rng.choice(["物业管理有限公司", "物业服务有限公司"])
        grid.property_orgs.append(self.org(grid, "物业公司", f"北京{company}", self.address(grid, estate), "项目经理"))
        for gate in ("东门", "西门", "南门")[: rng.randint(1, 3)]:
            self.thing(grid, "监控摄像头", f"{estate}{gate}", name=f"{estate}{gate}摄像头")
        for k in range(rng.randint(1, 3)):
            self.thing(grid, "消火栓", f"{estate}{'东西南北'[k]}侧绿地", name=f"室外消火栓{k + 1}号")
        if kind != "老旧小区":
            garage = self.place(grid, "重点部位", f"{estate}地下车库", self.address(grid, f"{estate}地下一层"),
                                responsible=Q(rng.choice(grid.workers)))
            grid.key_sites.append(garage)
            self.thing(grid, "应急照明", f"{estate}地下车库入口", place=garage)
        else:
            shed = self.place(grid, "重点部位", f"{estate}电动车集中充电棚", self.address(grid, f"{estate}北侧"),
                              responsible=Q(rng.choice(grid.workers)))
            grid.key_sites.append(shed)
            self.thing(grid, "电动车充电桩", f"{estate}电动车集中充电棚", place=shed, name="十路智能充电桩")
        lead = self.person_staff("楼栋长", f"{estate}居民", "志愿者", 0.6)
        grid.responsibility("楼栋长", lead)
        grid.estate_head = lead

    def building(self, grid: Grid, estate: str, number: int) -> dict[str, Any]:
        label = f"{number}号楼"
        head = Q(grid.estate_head) if grid.estate_head else None  # the estate's 楼栋长 looks after its buildings
        pid = self.place(grid, "楼栋", f"{estate}{label}", self.address(grid, f"{estate}{label}"), responsible=head)
        grid.buildings.append((pid, f"{estate}{label}"))
        self.thing(grid, "灭火器", f"{estate}{label}1单元一层楼道", place=pid, name="手提式干粉灭火器 4kg")
        return {"id": pid, "label": label}

    def rental(self, grid: Grid, estate: str, building: dict[str, Any], unit: int, room: str, people: int) -> str:
        rng = self.rng
        self.plate += 1
        year = rng.choice([2023, 2024, 2025, 2026])
        category = rng.choices(["放心户", "基本放心户", "不放心户", "重点户"], [62, 28, 8, 2])[0]
        hazard = "低" if category in ("放心户", "基本放心户") else rng.choice(["中", "高"])
        name = f"{estate}{building['label']}{unit}单元{room}室"
        street = grid.community.parent.name if grid.community.parent else "街道"
        rental = {
            "landlord": synth.full_name(rng, rng.choice("男女")),
            "landlord_phone": Q(synth.mobile(rng)),
            "plate_number": f"{street[:2]}租字第{self.plate:05d}号",
            "filing_number": f"京朝房租备〔{year}〕{rng.randrange(10**6):06d}号" if rng.random() < 0.8 else None,
            "max_occupants": people + rng.randint(0, 2),
            "hazard_level": hazard,
            "category": category,
        }
        pid = self.place(grid, "出租房屋", name, self.address(grid, name), rental=rental)
        grid.rentals.append((pid, name))
        self.categories[pid] = category
        return pid

    def grid_extras(self, grid: Grid) -> None:
        """Shops, a substation, and for the community's first grid its shared sites and bodies."""
        rng = self.rng
        for shop in rng.sample(SHOPS, rng.randint(2, 5)):
            name = f"{grid.community.name[:2]}{shop}"
            self.org(grid, "个体工商户", name, self.address(grid, "底商"), "经营者")
            self.place(grid, "商铺", name, self.address(grid, "底商"))
        room = self.place(grid, "重点部位", f"{grid.name}配电室", self.address(grid, f"{grid.name}配电室"),
                          responsible=Q(grid.chief))
        grid.key_sites.append(room)
        if rng.random() < 0.3:
            self.org(grid, "企业", f"北京{rng.choice(COMMUNITY_WORDS)}{rng.choice(FIRM_WORDS)}有限公司",
                     self.address(grid, "写字楼"), "行政主管")
        if not grid.id.endswith("001"):
            return
        community = grid.community
        self.org(grid, "党组织", f"{community.name}党委", self.address(grid, "社区服务站"), "书记")
        self.org(grid, "社会组织", f"{community.name[:-2]}居家养老服务驿站", self.address(grid, "社区服务站"), "站长")
        self.org(grid, "医疗机构", f"{community.name[:-2]}社区卫生服务站", self.address(grid, "社区服务站"), "站长",
                 first_responsible=True)
        if rng.random() < 0.5:
            self.org(grid, "幼儿园", f"北京市朝阳区{community.name[:-2]}幼儿园", self.address(grid), "园长",
                     first_responsible=True)
        market = self.place(grid, "重点场所", f"{community.name[:-2]}便民市场", self.address(grid, "便民市场"),
                            responsible=Q(grid.chief))
        grid.key_sites.append(market)
        self.thing(grid, "治安岗亭", f"{community.name[:-2]}便民市场入口", place=market, name="治安岗亭")
        self.thing(grid, "路灯", f"{community.name[:-2]}便民市场西侧", name="路灯")
        self.thing(grid, "井盖", f"{community.name[:-2]}便民市场北侧人行道", name="污水井盖")

    # --- writing --------------------------------------------------------------------------

    def write(self) -> None:
        out = self.out
        for grid in self.grids:
            write_record(out / "grids" / f"{grid.id}.yaml", self.grid_record(grid))
        for staff in self.staff:
            write_record(out / "staff" / f"{staff['id']}.yaml", staff)
        self.counts["grid"] += len(self.grids)
        self.counts["staff"] += len(self.staff)

    def grid_record(self, grid: Grid) -> dict[str, Any]:
        west, north, east, south = grid.box
        ring = Flow(Flow([round(x, 6), round(y, 6)]) for x, y in
                    ((west, north), (east, north), (east, south), (west, south), (west, north)))
        area = "城市"
        return {
            "kind": "grid", "id": Q(grid.id), "name": grid.name, "level": grid.level,
            "type": "基础网格" if grid.level == "网格" else None, "area": area,
            "parent": Q(grid.parent.id) if grid.parent else None,
            "boundary": {"east": grid.roads[2], "west": grid.roads[0], "south": grid.roads[3],
                         "north": grid.roads[1], "polygon": {"type": "Polygon", "coordinates": Flow([ring])}},
            "households_declared": grid.households_declared,
            "key_sites": Flow(Q(k) for k in grid.key_sites),
            "responsible": grid.responsible,
        }
