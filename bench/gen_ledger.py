"""Generate a synthetic ledger (one 街道, its 社区 and basic grids) that validates clean.

    python bench/gen_ledger.py OUT_DIR --households 12000 [--seed 1] [--communities C]
    python bench/gen_ledger.py examples/community --example
    python bench/gen_ledger.py examples/town --example town     # 龙城镇: 18 社区, 7 村, small scale

Grids hold 500–800 households each (a grid whose share is smaller states `households_declared`),
every basic grid has one 网格长 and enough 网格员 that no 社区 has more than 100 households per
counted staff member, and households are assigned (分片包户) to the grid's workers. The output is
the same for the same seed; 12,000 households take a few seconds.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from random import Random
from typing import Any

import synth
from activity import CHECKLIST, Activity, checklist_items
from residents import Residents
from synth import Flow, Q, write_record
from world import Grid, World

DEFAULT_HOUSEHOLDS = 12_000
PER_COMMUNITY = 3_000
STREETS = ["安和街道", "和平里街道", "望京街道", "潘家园街道", "双井街道", "劲松街道", "团结湖街道"]
ESTATE_WORDS = ["金茂", "华润", "远洋", "阳光", "绿地", "富力", "保利", "星河", "锦绣", "翠城", "嘉铭", "温馨",
                "宜居", "兴隆", "康城", "欣园", "华威", "天鹅", "枫林", "紫薇", "百合", "丽景", "融科", "东润",
                "北辰", "安苑", "和谐", "朝来", "畅园", "静安"]
ESTATE_SUFFIX = ["小区", "家园", "花园", "嘉园", "佳苑", "公寓", "新城", "雅居"]
PERSON_CATEGORY = {"放心户": "放心人员", "基本放心户": "基本放心人员", "不放心户": "不放心人员", "重点户": "重点人员"}
BUILDING_KINDS = {  # units, floors, rooms per floor
    "老旧小区": ((3, 6), (5, 6), (2, 3)),
    "商品房": ((1, 3), (11, 28), (2, 4)),
    "回迁房": ((2, 4), (16, 24), (4, 6)),
}


def household_plan(total: int, communities: int) -> list[list[int]]:
    """Households per basic grid, per community: as even as possible, 500–800 where the numbers allow."""
    plan = []
    for c in range(communities):
        share = total // communities + (1 if c < total % communities else 0)
        grids = max(1, round(share / 650))
        while share / grids > 800:
            grids += 1
        plan.append([share // grids + (1 if g < share % grids else 0) for g in range(grids)])
    return plan


class SyntheticLedger:
    """Writes one synthetic ledger into `out`."""

    def __init__(self, out: Path, households: int, seed: int, communities: int | None) -> None:
        self.out = out
        self.rng = Random(seed)
        self.world = World(self.rng, out)
        self.residents = Residents(self.rng, self.world.ids.person)
        self.plan = household_plan(households, communities or max(1, round(households / PER_COMMUNITY)))
        self.estate_names: set[str] = set()

    def run(self) -> dict[str, int]:
        rng, world = self.rng, self.world
        synth.confirm_phones(Random(0))
        street_name = rng.choice(STREETS)
        settings = {"name": f"{street_name}网格化管理台账", "region_code": Q(synth.HOME_REGION),
                    "profile": "community", "supervision_phone": Q(synth.landline(rng))}
        write_record(self.out / "gridctl.yaml", settings, comment="合成台账，供性能测试使用 (bench/gen_ledger.py)")
        street = world.street(street_name, f"{synth.HOME_REGION}{rng.randrange(1, 40):03d}", len(self.plan))
        for c, sizes in enumerate(self.plan):
            community = world.community(street, c, len(self.plan))
            for g, size in enumerate(sizes):
                grid = world.basic_grid(community, g, len(sizes), size)
                self.fill(grid, size)
                world.grid_extras(grid)
        activity = Activity(world, rng)
        activity.generate(max(10, sum(map(sum, self.plan)) // 100), checklist_items(CHECKLIST))
        activity.write(self.out)
        world.write()
        (self.out / "photos").mkdir(exist_ok=True)
        return dict(world.counts)

    def fill(self, grid: Grid, size: int) -> None:
        """Estates, buildings and households of one basic grid, written as they are made."""
        rng, world = self.rng, self.world
        made = 0
        while made < size:
            estate, kind = self.estate_name(), rng.choice(list(BUILDING_KINDS))
            world.estate(grid, estate, kind)
            for number in range(1, rng.randint(6, 16) + 1):
                building = world.building(grid, estate, number)
                for unit, room in self.rooms(kind):
                    if made >= size:
                        break
                    self.household(grid, estate, building, unit, room)
                    made += 1
                if made >= size:
                    break

    def rooms(self, kind: str) -> list[tuple[int, str]]:
        units, floors, per_floor = (self.rng.randint(*r) for r in BUILDING_KINDS[kind])
        out = []
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for k in range(1, per_floor + 1):
                    if self.rng.random() < 0.9:  # one flat in ten is empty or not yet registered
                        out.append((unit, f"{floor}{k:02d}"))
        return out

    def estate_name(self) -> str:
        while True:
            name = self.rng.choice(ESTATE_WORDS) + self.rng.choice(ESTATE_SUFFIX)
            if name in self.estate_names:
                name += self.rng.choice(["二期", "三期", "东区", "西区"])
            if name not in self.estate_names:
                self.estate_names.add(name)
                return name

    def household(self, grid: Grid, estate: str, building: dict[str, Any], unit: int, room: str) -> None:
        world, rng = self.world, self.rng
        drawn = self.residents.household()
        hid = world.ids.next("household")
        place = None
        if drawn["housing"] == "租住":
            place = world.rental(grid, estate, building, unit, room, len(drawn["members"]))
        for member in drawn["members"]:
            if member["residence"] == "流动":  # 四类管理: classified with the rental they live in
                member["category"] = PERSON_CATEGORY[world.categories.get(place or "", "基本放心户")]
        record = {
            "kind": "household",
            "id": Q(hid),
            "grid": Q(grid.id),
            "address": {"community": grid.community.name, "estate": estate, "building": building["label"],
                        "unit": f"{unit}单元", "room": Q(room)},
            "place": Q(place) if place else None,
            "housing": drawn["housing"],
            "tags": Flow(drawn["tags"]),
            "assigned_to": Q(grid.assignee()),
            "members": drawn["members"],
        }
        write_record(self.out / "households" / grid.id / f"{hid}.yaml", record)
        world.counts["household"] += 1
        world.counts["person"] += len(drawn["members"])
        grid.remember_people(drawn["members"], rng)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic gridctl ledger.")
    parser.add_argument("out", type=Path, help="folder to write the ledger into (emptied first)")
    parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--communities", type=int, default=None, help="default: one per ~3,000 households")
    parser.add_argument("--example", nargs="?", const="community", choices=["community", "town"], default=None,
                        help="write a bundled example instead: community (default) or town (龙城镇)")
    args = parser.parse_args(argv)
    if args.example == "town":
        from example_town import build_town

        build_town(args.out)
        print(f"example town written to {args.out}")
        return 0
    if args.example:
        from example_community import build_example

        build_example(args.out)
        print(f"example community written to {args.out}")
        return 0
    if args.households < 1 or (args.communities is not None and args.communities < 1):
        parser.error("--households and --communities must be positive")
    if args.out.exists():
        if any(args.out.iterdir()) and not (args.out / "gridctl.yaml").is_file():
            parser.error(f"{args.out} is not empty and is not a ledger; refusing to overwrite it")
        shutil.rmtree(args.out)
    started = time.perf_counter()
    counts = SyntheticLedger(args.out, args.households, args.seed, args.communities).run()
    took = time.perf_counter() - started
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"{args.out}: {summary} ({took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
