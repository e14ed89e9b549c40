"""The bundled school examples: school-safety, education and fire-safety, written from a plan each.

    python bench/example_schools.py examples      # writes examples/{school-safety,education,fire-safety}

Each plan (school_plans.py) is a tree of grids with their responsible people by post and key
sites; its March 2026 (school_stories.py) is the first month of the spring term: daily
inspections on school days, hazards taken through 整改, an accident closed with 四不放过, drills,
meetings and lessons, and the documents filed. Phones come from a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import school_plans as plans
import school_stories as stories
import synth
from story import Story, school_days, settings_of
from synth import Flow, Q, write_record

REGION = "430182"  # 宁乡市 (湖南省长沙市), since 2017; 宁乡县 was 430124
SINCE = dt.date(2026, 2, 24)
"""The plans were adopted, and the people assigned, the week before the spring term."""
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
CALENDAR = {
    "terms": [
        {"name": "2025—2026学年第一学期", "start": dt.date(2025, 9, 1), "end": dt.date(2026, 1, 23)},
        {"name": "2025—2026学年第二学期", "start": dt.date(2026, 3, 2), "end": dt.date(2026, 7, 10)},
        {"name": "2026—2027学年第一学期", "start": dt.date(2026, 9, 1), "end": dt.date(2027, 1, 22)},
    ],
    "vacations": [
        {"name": "寒假", "start": dt.date(2026, 1, 24), "end": dt.date(2026, 3, 1)},
        {"name": "暑假", "start": dt.date(2026, 7, 11), "end": dt.date(2026, 8, 31)},
    ],
}


@dataclass
class Example:
    plan: dict[str, Any]
    staff: dict[str, tuple[str, str, str]]
    name: str
    checklist: str
    inspector: int
    """Index in a grid's people of who inspects it (its 直接责任人 or 消防安全管理人)."""
    missed: dict[str, list[int]]
    """Grid → days of March (school days) not inspected."""
    townships: dict[str, str]


EXAMPLES = {
    "school-safety": Example(
        plans.SCHOOL_PLAN,
        plans.SCHOOL_STAFF,
        f"{plans.SCHOOL}安全网格化管理台账",
        "学校安全隐患督查记录表",
        1,
        {"WG0102": [16, 17]},
        {"WG01": "龙城镇"},
    ),
    "education": Example(
        plans.BUREAU_PLAN,
        plans.BUREAU_STAFF,
        f"{plans.BUREAU}安全生产网格化管理台账",
        "学校安全隐患督查记录表",
        1,
        {"JY010401": [9, 10, 11, 23, 24]},
        plans.TOWNSHIPS,
    ),
    "fire-safety": Example(
        plans.FIRE_PLAN,
        plans.FIRE_STAFF,
        "瓦屋中心校消防安全网格化管理台账",
        "消防安全检查表",
        1,
        {"XF0103": [30, 31]},
        {},
    ),
}


class Builder:
    def __init__(self, out: Path, profile: str) -> None:
        self.out, self.profile = out, profile
        self.example = EXAMPLES[profile]
        self.rng = Random(len(profile))
        self.staff_ids: dict[str, str] = {}
        self.counter = {"place": 0}
        self.places: dict[str, list[str]] = {}

    def build(self) -> None:
        ex = self.example
        write_record(
            self.out / "gridctl.yaml",
            {"name": ex.name, "region_code": Q(REGION), "profile": self.profile, "calendar": calendar()},
            comment=f"{ex.name} (bench/example_schools.py)\n校历: 2025—2026学年第二学期 3月2日开学",
        )
        for i, (key, (person, gender, position)) in enumerate(ex.staff.items()):
            sid = f"S{i + 1:04d}"
            self.staff_ids[key] = sid
            record = {"kind": "staff", "id": Q(sid), "name": person, "gender": gender,
                      "phone": Q(synth.mobile(self.rng)), "position": position, "employment": "在编"}
            write_record(self.out / "staff" / f"{sid}.yaml", record)
        grids: list[dict[str, Any]] = []
        self.grid(ex.plan, None, grids)
        settings = settings_of(self.profile, {"calendar": calendar()})
        story = Story(self.out, settings, dict(self.staff_ids))
        getattr(stories, self.profile.replace("-", "_"))(story, self.places)
        days = school_days(settings, *MARCH)
        levels = set(settings.supervision.inspections.levels)
        for node in grids:
            if node["level"] not in levels:
                continue
            people = node["people"]
            missed = {dt.date(2026, 3, d) for d in ex.missed.get(node["id"], [])}
            inspector, signer = people[ex.inspector][1], people[0][1]
            story.inspections(node["id"], [d for d in days if d not in missed], ex.checklist, inspector, signer)
        (self.out / "photos").mkdir(exist_ok=True)

    def grid(self, node: dict[str, Any], parent: str | None, out: list[dict[str, Any]]) -> None:
        sites = []
        for place_type, place_name, _ in node.get("places", []):
            self.counter["place"] += 1
            pid = f"PL{self.counter['place']:05d}"
            who = self.staff_ids[node["people"][-1][1]]
            write_record(
                self.out / "places" / node["id"] / f"{pid}.yaml",
                {"kind": "place", "id": Q(pid), "grid": Q(node["id"]), "type": place_type, "name": place_name,
                 "responsible": Q(who)},
            )
            sites.append(pid)
        self.places[node["id"]] = sites
        record = {
            "kind": "grid",
            "id": Q(node["id"]),
            "name": node["name"],
            "level": node["level"],
            "parent": Q(parent) if parent else None,
            "township": self.example.townships.get(node["id"]),
            "key_sites": Flow(Q(s) for s in sites) or None,
            "responsible": [
                {"role": role, "staff": Q(self.staff_ids[key]), "duties": duties.split("；"), "since": SINCE}
                for role, key, duties in node["people"]
            ],
        }
        write_record(self.out / "grids" / f"{node['id']}.yaml", record)
        out.append(node)
        for child in node["children"]:
            self.grid(child, node["id"], out)


def calendar() -> dict[str, Any]:
    return {key: [dict(p) for p in value] for key, value in CALENDAR.items()}


def build_schools(root: Path) -> None:
    for profile in EXAMPLES:
        out = root / profile
        if out.exists():
            shutil.rmtree(out)
        Builder(out, profile).build()


if __name__ == "__main__":
    build_schools(Path(sys.argv[1] if len(sys.argv) > 1 else "examples"))
