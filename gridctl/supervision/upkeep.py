"""What needs a regular look besides grids: 重点人群 to visit, things to check before they expire.

Care groups are personal data: the morning list names the household and how late its visit is,
and names the group only with --reveal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gridctl.model import Thing
from gridctl.supervision.facts import Facts

SOON = 7
"""A visit due within this many days is listed to watch."""


@dataclass(frozen=True)
class Item:
    section: str
    overdue: bool
    record: str
    zh: str
    en: str
    due: dt.date | None = None
    left: int | None = None
    """Days until due (negative: late)."""


def visits(facts: Facts, under: str | None, today: dt.date, reveal: bool) -> list[Item]:
    """Households of a care group whose last visit is older than the group's frequency.

    A group's first visit falls due one interval after the day the household entered it (its
    commit, gridctl.history.caregroups), not after the grid's start: the groups of the ledger's
    first commit count from the grid's start (or the last visit), as they always did.
    """
    every = facts.sup.visits
    if not every:
        return []
    last: dict[str, dt.date] = {}
    for v in facts.visits:
        if v.date <= today:
            last[v.household] = max(v.date, last.get(v.household, v.date))
    maybe = []
    for h in facts.households:
        if under is not None and under not in facts.chain(h.grid):
            continue
        groups = {t for t in h.tags} | {t for p in h.members if p.retired is None for t in p.tags}
        wanted = {g: every[g] for g in groups if g in every}
        if not wanted:
            continue
        base = last.get(h.id) or facts.start_of(h.grid)
        # the group's own day only ever moves a visit later: one not due by the grid's start is not due
        if base is None or (base + dt.timedelta(days=min(wanted.values())) - today).days <= SOON:
            maybe.append((h, wanted, base))
    out = []
    for h, wanted, base in maybe:
        dues = {g: _due(base, facts.care_began.get(h.id, {}).get(g), days, today) for g, days in wanted.items()}
        due = min(d for d, _since in dues.values())
        left = (due - today).days
        if left > SOON:
            continue
        first = [g for g, (d, _since) in dues.items() if d == due]
        days = min(wanted[g] for g in first)
        named = sorted(g for g in first if wanted[g] == days)
        since = dues[named[0]][1]
        who = "、".join(named) if reveal else "重点人群"
        seen = f"上次 {last[h.id]}" if h.id in last else "尚无走访记录"
        seen_en = f"last {last[h.id]}" if h.id in last else "never visited"
        if since is not None:
            seen, seen_en = f"{since} 起，{seen}", f"since {since}, {seen_en}"
        where = f"{h.id} {facts.name(h.grid)}"
        if left < 0:
            zh = f"{where} {who}走访已逾期 {-left} 天（每 {days} 天一次，{seen}）"
            en = f"{where}: visit ({who}) {-left} day(s) late (every {days} days, {seen_en})"
        else:
            zh = f"{where} {who}须于 {due} 前走访（每 {days} 天一次，{seen}）"
            en = f"{where}: visit ({who}) due {due} (every {days} days, {seen_en})"
        out.append(Item("visit", left < 0, h.id, zh, en, due, left))
    return out


def _due(base: dt.date | None, began: str | None, days: int, today: dt.date) -> tuple[dt.date, dt.date | None]:
    """(when a group's next visit is due, the day the group began when that is what it counts from).

    From the last visit (else the grid's start), or from the day the household entered the group
    when that came later; with neither, today."""
    since = dt.date.fromisoformat(began) if began else None
    if since is not None and (base is None or since > base):
        return since + dt.timedelta(days=days), since
    return (base + dt.timedelta(days=days)) if base else today, None


def things(facts: Facts, under: str | None, today: dt.date) -> list[Item]:
    """Things whose next inspection or expiry is past or near, and things broken or expired."""
    warn = facts.sup.inspections.thing_warn_days
    out = []
    for thing, _ in facts.ledger.records(Thing):
        if not thing.is_active or (under is not None and under not in facts.chain(thing.grid)):
            continue
        what = f"{thing.id} {thing.type} {thing.name or ''}（{thing.location}）".replace(" （", "（")
        for day, zh_what, en_what in (
            (thing.next_inspection, "下次检查", "next inspection"),
            (thing.expires, "有效期至", "expires"),
        ):
            if day is None:
                continue
            left = (day - today).days
            if left < 0:
                out.append(
                    Item(
                        "thing",
                        True,
                        thing.id,
                        f"{what} {zh_what} {day}，已过 {-left} 天",
                        f"{what}: {en_what} {day}, {-left} day(s) ago",
                        day,
                        left,
                    )
                )
            elif left == 0:
                zh, en = f"{what} {zh_what} {day}（今天）", f"{what}: {en_what} today"
                out.append(Item("thing", False, thing.id, zh, en, day, left))
            elif left <= warn:
                out.append(
                    Item(
                        "thing",
                        False,
                        thing.id,
                        f"{what} {zh_what} {day}（{left} 天后）",
                        f"{what}: {en_what} {day} (in {left} days)",
                        day,
                        left,
                    )
                )
        if thing.status in ("损坏", "过期", "待维修"):
            out.append(Item("thing", False, thing.id, f"{what} 状态: {thing.status}", f"{what}: {thing.status}"))
    return out
