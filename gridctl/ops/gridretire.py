"""注销网格: a grid merged away or abolished, and the refusal of every write into one.

A grid is retired only once it is empty: whatever still lives in it (households, places, things,
orgs, open events, child grids) is listed and the clerk moves it first, so no record is left in a
grid nobody serves. Its responsible people end on the retirement's day (under `former`, as
unassign keeps them), so a month before it is still judged by who held the grid then.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Entry, Ledger
from gridctl.model import Grid
from gridctl.ops.records import Change, Edit


def retire_grid(ledger: Ledger, entry: Entry, reason: str, date: dt.date, into: str | None = None) -> Change:
    """The grid marked retired on `date`, its responsible people moved to `former` until that day;
    `into`: the grid that takes over what it still holds (gridctl.ops.gridmerge), in the same commit."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from gridctl.checks.retired import held_by

    grid = entry.record
    if not isinstance(grid, Grid):
        raise GridctlError(
            Text(
                f"网格 {entry.id} 的内容有误；请先运行 gridctl validate 并改正",
                f"grid {entry.id} has schema errors; run gridctl validate and fix it first",
            )
        )
    if grid.retired is not None:
        when = grid.retired.date.isoformat()
        raise GridctlError(Text(f"{entry.id} 已于 {when} 注销", f"{entry.id} was already retired on {when}"))
    inside = [h for h in held_by(ledger, {entry.id}, {entry.id: date})[entry.id] if h.kind != "responsible"]
    moved: dict[str, bytes | None] = {}
    counts: Counter[str] = Counter()
    if into is not None:
        from gridctl.ops.gridmerge import MOVABLE, closed_from, into_grid, take_over

        target = into_grid(ledger, entry, into)
        moved, counts = take_over(ledger, entry, target, [*inside, *closed_from(ledger, entry.id, date)])
        places = {h.id for h in inside if h.kind == "place"}
        inside = [h for h in inside if h.kind not in MOVABLE]
    if inside:
        listed = [f"  {h.said()('zh')}: {h.fix.zh}" for h in inside]
        listed_en = [f"  {h.said()('en')}: {h.fix.en}" for h in inside]
        raise GridctlError(
            Text(
                f"网格 {entry.id} {grid.name} 还有 {len(inside)} 条在用的记录，不能注销:\n" + "\n".join(listed),
                f"grid {entry.id} {grid.name} still holds {len(inside)} record(s) in use; not retired:\n"
                + "\n".join(listed_en),
            ),
            hint=Text(
                "先把它们迁到现有网格 (事件办结或改网格)，再注销；或注销时一并迁入接替的网格: "
                f"gridctl retire {entry.id} --into 网格",
                "move them to a grid in use first (close an event or give it another grid), then retire the grid; "
                "or move them with the retirement into the grid that takes over: "
                f"gridctl retire {entry.id} --into GRID",
            ),
        )
    for r in grid.responsible:
        if r.since is not None and r.since > date:
            raise GridctlError(
                Text(
                    f"--date {date.isoformat()} 早于 {r.staff} 任网格 {entry.id} {r.role}的日期 {r.since.isoformat()}",
                    f"--date {date.isoformat()} is before {r.staff} became {r.role} of {entry.id} "
                    f"({r.since.isoformat()})",
                ),
                hint=Text("核对注销日期", "check the day the grid was retired"),
            )
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    ended = list(node.get("responsible") or [])
    # all of them, even one who began that day (served no day: until == since): the undo brings back
    # whoever `former` holds until the retirement's day (reinstate_people)
    kept = ended
    if kept:
        if node.get("former") is None:
            node["former"] = CommentedSeq()
        for r in kept:
            former = CommentedMap((k, v) for k, v in r.items() if k != "until")
            former["until"] = date
            node["former"].append(former)
    if "responsible" in node:
        del node["responsible"]
    node["retired"] = CommentedMap([("date", date), ("reason", reason)])
    carried = _key_sites(ledger, doc, target, [p for p in grid.key_sites if p in places], moved) if into else []
    subject = Text(f"注销网格 {entry.id}：{reason}", f"retire grid {entry.id}: {reason}")
    shown: list[Text] = []
    if ended:
        who = "、".join(f"{r.role} {r.staff}" for r in grid.responsible)
        shown.append(
            Text(
                f"责任人 {who} 自 {date.isoformat()} 起不再负责 (记入历任责任人 former)",
                f"{who} no longer responsible from {date.isoformat()} (kept under former)",
            )
        )
    if into is not None:
        from gridctl.ops.gridmerge import said

        if doc.rel in moved:
            raise GridctlError(
                Text(
                    f"{doc.rel} 里除了网格 {entry.id} 还有要迁走的记录；请先把它们拆到各自的文件",
                    f"{doc.rel} holds records to move besides grid {entry.id}; give them files of their own first",
                )
            )
        name = ledger.grids()[target].name
        shown.append(Text(f"并入 {name} ({target})：{said(counts).zh}", f"into {name} ({target}): {said(counts).en}"))
        elsewhere = _other_community(ledger, entry.id, target)
        if elsewhere is not None:
            shown.append(
                Text(
                    f"注意: {name} 属于{elsewhere[1]}，{grid.name} 属于{elsewhere[0]}"
                    " (跨村/社区并入，核对是否有区划调整文件)",
                    f"note: {name} is in {elsewhere[1]}, {grid.name} in {elsewhere[0]} (a merge across "
                    "communities: check the boundary change is decided)",
                )
            )
        if carried:
            sites = "、".join(carried)
            shown.append(Text(f"重点部位 {sites} 列入 {name}", f"key site(s) {sites} now listed by {name}"))
    told = Text("\n".join(t.zh for t in shown), "\n".join(t.en for t in shown)) if shown else None
    return Change(subject, {**moved, doc.rel: doc.dump()}, entry.id, shown=told)


def _other_community(ledger: Ledger, grid: str, target: str) -> tuple[str, str] | None:
    """(the grid's 村/社区, the taker's) when they differ: its households change community, which a
    clerk folding a 微网格 back did not mean, and a boundary change must have decided."""
    from gridctl.ledger.tree import GridTree

    grids = ledger.grids()
    tree = GridTree.build(grids, ledger.grid_parents())
    mine, theirs = (tree.community_of(g, ledger.settings)[:1] for g in (grid, target))
    if not mine or not theirs or mine == theirs:
        return None
    return grids[mine[0]].name, grids[theirs[0]].name


def _key_sites(ledger: Ledger, doc: Edit, target: str, sites: list[str], files: dict[str, bytes | None]) -> list[str]:
    """The key sites (重点部位) that moved with the grid, listed by the grid taking over: boards and
    charts leave a retired grid out, and no grid in use would name them any more."""
    from ruamel.yaml.comments import CommentedSeq

    taker = ledger.get(target)
    if not sites or taker is None:
        return []
    same = taker.source.file == doc.rel
    if not same and taker.source.file in files:
        return []  # its file is one a moved record shares: left as it is (validate names nothing lost)
    other = doc if same else Edit(ledger, taker.source.file)
    node = other.node(taker)
    listed = node.get("key_sites")
    have = {str(s) for s in listed} if listed is not None else set()
    new = [s for s in sites if s not in have]
    if not new:
        return []
    if listed is None:
        node["key_sites"] = CommentedSeq(new)
    else:
        listed.extend(new)
    if not same:
        files[other.rel] = other.dump()
    return new


def held_before_retirement(ledger: Ledger, grid_id: str) -> set[tuple[str, str]] | None:
    """(role, staff) of each person responsible for the grid in its last version before it was
    retired, as history has it; None when history does not tell (never committed unretired)."""
    from gridctl.history.versions import record_versions

    versions = record_versions(ledger.root, [grid_id], ["grids"]).get(grid_id, [])
    seen_retired = False
    for dated in reversed(versions):
        data = dated.version.data if dated.version is not None else None
        if not isinstance(data, dict):
            continue
        if data.get("retired"):
            seen_retired = True
        elif seen_retired:
            people = data.get("responsible") or []
            return {(str(r.get("role")), str(r.get("staff"))) for r in people if isinstance(r, dict)}
    return None


def reinstate_people(node: Any, grid: Grid, held: set[tuple[str, str]] | None = None) -> Text | None:
    """The undo of retire's people: those it moved to `former` (their `until` the retirement's day)
    are responsible again, as they were, so a grid reinstated is whole at once. `held`: who held the
    grid just before it was retired (held_before_retirement): one who left on their own on that
    very day (unassign --date) stays in `former`."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if grid.retired is None:
        return None
    day = grid.retired.date.isoformat()
    former = list(node.get("former") or [])
    back = [f for f in former if str(f.get("until", ""))[:10] == day]
    if held is not None:
        back = [f for f in back if (str(f.get("role")), str(f.get("staff"))) in held]
    if not back:
        return None
    kept = [f for f in former if f not in back]
    if node.get("responsible") is None:
        node["responsible"] = CommentedSeq()
    for f in back:
        node["responsible"].append(CommentedMap((k, v) for k, v in f.items() if k != "until"))
    if kept:
        node["former"] = CommentedSeq(kept)
    else:
        del node["former"]
    who = "、".join(f"{f.get('role')} {f.get('staff')}" for f in back)
    return Text(
        f"责任人 {who} 恢复负责 (自历任责任人 former 移回)",
        f"{who} responsible again (taken back from former)",
    )


def open_grid(ledger: Ledger, grid_id: str | None, on: dt.date | None = None) -> None:
    """Refuse a write that would put a record into a retired grid, naming the grid and its day.

    A record of what was done on `on` (an inspection, an activity, a document handed in) is a late
    entry when that day is before the retirement, and goes in: the grid was still served then."""
    if not grid_id:
        return
    grid = ledger.grids().get(str(grid_id))
    if grid is None or grid.retired is None:
        return
    if on is not None and on < grid.retired.date:
        return
    when = grid.retired.date.isoformat()
    late = (
        Text(f"；{when} 以前的记录仍可补录 (--date)", f"; a record of a day before {when} still goes in (--date)")
        if on is not None
        else Text("", "")
    )
    raise GridctlError(
        Text(
            f"网格 {grid.id} {grid.name} 已于 {when} 注销 ({grid.retired.reason})，不能再放入记录或指定责任人",
            f"grid {grid.id} {grid.name} was retired on {when} ({grid.retired.reason}): "
            "nothing can be put into it and nobody assigned to it",
        ),
        hint=Text(
            f"用现有网格 (gridctl list grid 的注销一列)；注销有误时先撤销: gridctl edit {grid.id} --unset retired"
            + late.zh,
            "use a grid in use (the retired column of gridctl list grid); if it was retired by mistake: "
            f"gridctl edit {grid.id} --unset retired" + late.en,
        ),
    )
