"""Events (事) and inspections (督查记录) of a synthetic ledger, January to June 2026.

Every basic grid is inspected every two weeks against the profile's 社区日常巡查 checklist;
a hazard found on a round becomes an event that the inspection item names. Other events come
from residents' calls and visits. Timelines follow 上报 → 受理 → 派遣 → 处置 → 反馈 → 核查 → 结案
and stop where the matter stands.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from random import Random
from typing import Any

from synth import Flow, Q, write_record
from world import Grid, World

PERIOD = (dt.date(2026, 1, 5), dt.date(2026, 6, 30))
CHECKLIST = "社区日常巡查"
STEPS = [("上报", "已上报"), ("受理", "已受理"), ("派遣", "已派遣"), ("处置", "处置中"), ("反馈", "已反馈"),
         ("核查", "已核查"), ("结案", "已结案")]
NOTES = {"受理": "社区网格化服务管理中心受理", "派遣": "交办责任网格处置", "反馈": "处置完毕，已向居民反馈",
         "核查": "网格长现场核查，整改到位", "结案": "办结归档"}
REPORTED = {"巡查": "网格员巡查发现，拍照上报", "群众反映": "居民向网格员反映", "电话": "居民来电反映",
            "12345热线": "12345热线转办", "来访": "居民到社区来访反映", "网格员走访": "网格员入户走访时收集"}
HANDLED = {"安全隐患": "已协调物业清理整改", "矛盾纠纷": "已组织双方调解，达成一致", "治安问题": "已移交社区民警处理"}
TYPES = [("安全隐患", 35), ("矛盾纠纷", 25), ("社情民意", 15), ("民生服务", 15), ("治安问题", 6), ("信访诉求", 4)]
ROUND_HAZARDS = {0: "楼道堆放杂物，占用消防通道", 1: "有居民飞线为电动车充电", 6: "井盖松动、存在绊倒隐患"}
"""Checklist item index → what a hazard on that item looks like."""


def checklist_items(name: str) -> list[str]:
    """The items of a checklist of the community profile, so inspections match the ledger's settings."""
    from gridctl.ledger.profiles import profile_defaults

    profile = profile_defaults("community") or {}
    return next(c["items"] for c in profile.get("checklists", []) if c["name"] == name)


class Activity:
    def __init__(self, world: World, rng: Random) -> None:
        self.world = world
        self.rng = rng
        self.events: list[dict[str, Any]] = []
        self.inspections: list[dict[str, Any]] = []

    def generate(self, extra_events: int, checklist_items: list[str]) -> None:
        basic = [g for g in self.world.grids if g.level == "网格"]
        for n, grid in enumerate(basic):
            day = PERIOD[0] + dt.timedelta(days=n % 7)
            while day <= PERIOD[1]:
                self.inspection(grid, day, checklist_items)
                day += dt.timedelta(days=14)
        for _ in range(extra_events):
            grid = self.rng.choice(basic)
            when = dt.datetime.combine(PERIOD[0], dt.time(8, 30)) + dt.timedelta(
                days=self.rng.randrange((PERIOD[1] - PERIOD[0]).days), minutes=self.rng.randrange(0, 9 * 60, 5))
            self.event(grid, self.rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0], when)

    def inspection(self, grid: Grid, day: dt.date, checklist_items: list[str]) -> None:
        rng = self.rng
        inspector = rng.choice(grid.workers)
        items = []
        for i, text in enumerate(checklist_items):
            item: dict[str, Any] = {"item": text, "result": "ok"}
            if i in ROUND_HAZARDS and grid.buildings and rng.random() < 0.025:
                when = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])))
                building = rng.choice(grid.buildings)
                event = self.event(grid, "安全隐患", when, title=f"{building[1]}{ROUND_HAZARDS[i]}",
                                   reporter=inspector, refs={"places": [building[0]]}, via="巡查")
                item.update(result="hazard", note=f"{building[1]}发现隐患，已上报", event=event)
            elif i == 5 and rng.random() < 0.1:
                item.update(result="na", note="本次巡查未安排走访")
            items.append(item)
        self.inspections.append({"kind": "inspection", "id": None, "grid": Q(grid.id), "date": day,
                                 "inspector": Q(inspector), "checklist": CHECKLIST, "items": items,
                                 "signed_by": Q(grid.chief)})

    def event(self, grid: Grid, type_: str, when: dt.datetime, title: str | None = None,
              reporter: str | None = None, refs: dict[str, list[str]] | None = None,
              via: str | None = None) -> dict[str, Any]:
        rng = self.rng
        if title is None:
            title, refs, via = self.story(grid, type_)
        reporter = reporter or rng.choice(grid.workers)
        stop = len(STEPS) if rng.random() < 0.7 else rng.randint(1, len(STEPS) - 1)
        timeline, at = [], when
        for action, _status in STEPS[:stop]:
            by = reporter if action in ("上报", "处置", "反馈") else grid.chief
            note = {"上报": REPORTED.get(via or "", "上报"), "处置": HANDLED.get(type_, "已协调相关部门办理")}.get(
                action, NOTES.get(action))
            timeline.append({"at": at, "by": Q(by), "action": action, "note": note})
            at = self.later(at)
        event = {
            "kind": "event", "id": None, "grid": Q(grid.id), "type": type_,
            "grade": "一般" if rng.random() < 0.95 else "较大", "title": title,
            "refs": {k: Flow(Q(v) for v in vs) for k, vs in (refs or {}).items()},
            "reported": {"by": Q(reporter), "at": when, "via": via},
            "deadline": (when + dt.timedelta(days=7)).date(),
            "status": STEPS[stop - 1][1],
            "timeline": timeline,
        }
        self.events.append(event)
        return event

    def later(self, at: dt.datetime) -> dt.datetime:
        """The next step: an hour or more later, within office hours (8:30–17:30)."""
        at += dt.timedelta(minutes=self.rng.randrange(40, 6 * 60, 5))
        if at.time() > dt.time(17, 30) or at.time() < dt.time(8, 30):
            next_day = at.date() + dt.timedelta(days=1 if at.time() > dt.time(17, 30) else 0)
            at = dt.datetime.combine(next_day, dt.time(8, 30)) + dt.timedelta(minutes=self.rng.randrange(0, 90, 5))
        return at

    def story(self, grid: Grid, type_: str) -> tuple[str, dict[str, list[str]], str]:
        """A title and what it refers to, from what the grid holds."""
        rng = self.rng
        building = rng.choice(grid.buildings) if grid.buildings else None
        two = rng.sample(grid.people, 2) if len(grid.people) >= 2 else []
        things = [t for t in grid.things if t[1] in ("灭火器", "路灯", "井盖", "监控摄像头")]
        if type_ == "安全隐患" and things and rng.random() < 0.5:
            thing = rng.choice(things)
            return f"{thing[2]}{thing[1]}损坏或失效", {"things": [thing[0]]}, "巡查"
        if type_ == "安全隐患" and building:
            return f"{building[1]}楼道堆放杂物，占用消防通道", {"places": [building[0]]}, "巡查"
        if type_ == "矛盾纠纷" and grid.rentals and rng.random() < 0.3:
            rental = rng.choice(grid.rentals)
            return f"{rental[1]}租户与房东因押金退还发生纠纷", {"places": [rental[0]]}, "群众反映"
        if type_ == "矛盾纠纷" and two:
            what = rng.choice(["漏水", "噪音扰民", "楼道堆物", "宠物扰邻"])
            return f"{two[0][1]}与{two[1][1]}因{what}发生纠纷", {"people": [two[0][0], two[1][0]]}, "群众反映"
        if type_ == "民生服务" and two:
            person = max(two, key=lambda p: p[2])
            need = "居家养老助餐服务" if person[2] >= 60 else "就业登记"
            return f"{person[1]}申请{need}", {"people": [person[0]]}, "电话"
        if type_ == "治安问题" and building:
            return f"{building[1]}车棚电动车电瓶被盗", {"places": [building[0]]}, "群众反映"
        if type_ == "信访诉求" and building:
            return f"居民反映{building[1]}加装电梯进度", {"places": [building[0]]}, "来访"
        if grid.property_orgs and rng.random() < 0.5:
            return "居民反映物业停车收费标准不公开", {"orgs": [rng.choice(grid.property_orgs)]}, "12345热线"
        return rng.choice(["居民反映小区路灯不亮、夜间出行不便", "居民建议增设电动车充电桩"]), {}, "网格员走访"

    def write(self, out: Path) -> None:
        """Number events and inspections month by month in time order, then write them."""
        self.events.sort(key=lambda e: (e["reported"]["at"], e["grid"]))
        self.inspections.sort(key=lambda x: (x["date"], x["grid"]))
        for records, prefix, folder, day_of in (
            (self.events, "E", "events", lambda e: e["reported"]["at"].date()),
            (self.inspections, "I", "inspections", lambda x: x["date"]),
        ):
            per_month: Counter[str] = Counter()
            for record in records:
                month = day_of(record).strftime("%Y%m")
                per_month[month] += 1
                record["id"] = Q(f"{prefix}{month}-{per_month[month]:04d}")
            for record in records:
                for item in record.get("items", ()):
                    if isinstance(item.get("event"), dict):
                        item["event"] = item["event"]["id"]
                day = day_of(record)
                write_record(out / folder / f"{day:%Y}" / f"{day:%m}" / f"{record['id']}.yaml", record)
        self.world.counts["event"] += len(self.events)
        self.world.counts["inspection"] += len(self.inspections)
