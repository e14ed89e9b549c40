"""督查记录: one grid's inspection against its checklist, every item answered, hazards become events.

An item not answered is never taken as "ok": the caller asks for it or refuses (NotAnswered).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.ledger.layout import path_for
from gridctl.ledger.yamlfile import dump_new
from gridctl.model import Staff
from gridctl.ops.records import Change, allocate, find
from gridctl.supervision.items import checklist_items, match_item, split_hazard
from gridctl.supervision.lifecycle import StepRefused, _staff, new_event, roles_in

__all__ = ["Answer", "NotAnswered", "answers", "checklist_items", "missing", "record"]

RESULTS = ("ok", "hazard", "na")


class NotAnswered(GridctlError):
    exit_code = 1

    def __init__(self, missing: list[str]) -> None:
        listed = "\n".join(f"  - {m}" for m in missing)
        super().__init__(
            Text(
                f"有 {len(missing)} 项未填写检查结果:\n{listed}",
                f"{len(missing)} checklist items not answered:\n{listed}",
            ),
            hint=Text(
                '每项用 --ok、--hazard "项目: 描述" 或 --na 回答 (项目写内容或序号)',
                'answer each with --ok, --hazard "ITEM: 描述" or --na (ITEM: its text or number)',
            ),
        )
        self.missing = missing


@dataclass
class Answer:
    result: str
    note: str | None = None


def answers(items: list[str], ok: list[str], hazards: list[str], na: list[str]) -> dict[str, Answer]:
    out: dict[str, Answer] = {}

    def put(item: str, answer: Answer) -> None:
        if item in out:
            raise GridctlError(Text(f"检查项重复填写: {item}", f"item answered twice: {item}"))
        out[item] = answer

    for given in ok:
        put(match_item(items, given), Answer("ok"))
    for given in na:
        put(match_item(items, given), Answer("na"))
    for text in hazards:
        item, note = split_hazard(text)
        put(match_item(items, item), Answer("hazard", note))
    return out


def missing(items: list[str], given: dict[str, Answer]) -> list[str]:
    return [i for i in items if i not in given]


def on_duty(ledger: Ledger, by: str, grid: str, day: dt.date) -> None:
    """`by` inspected `grid` on `day` only if in post and responsible for it (or a grid above) that day:
    a paper sheet entered after its inspector left is his; a newcomer's day before he began is not."""
    entry = find(ledger, by, ["staff"])
    staff = entry.record
    if not isinstance(staff, Staff):
        _staff(ledger, by)  # names what `by` is instead
        return
    if staff.retired is not None and day >= staff.retired.date:
        left = staff.retired.date.isoformat()
        raise StepRefused(
            Text(
                f"{by} {staff.name} 已于 {left} 注销，{day} 不在岗，不能记为巡查人",
                f"{by} ({staff.name}) left on {left}: not in post on {day} to inspect",
            ),
            hint=_who(ledger, grid, day),
        )
    if staff.retired is None and not staff.is_active:
        _staff(ledger, by)
    if not roles_in(ledger, by, grid, day):
        raise StepRefused(
            Text(
                f"{by} {staff.name} 在 {day} 不是网格 {grid} 的责任人",
                f"{by} was not responsible for grid {grid} on {day}",
            ),
            hint=_who(ledger, grid, day),
        )


def _who(ledger: Ledger, grid: str, day: dt.date) -> Text:
    """Who was responsible for `grid` (or a grid above) on `day`, for the clerk to put on the sheet."""
    grids = ledger.grids()
    staff = {s.id: s.name for s, _ in ledger.records(Staff)}
    people: list[str] = []
    seen: set[str] = set()
    node: str | None = grid
    while node is not None and node in grids and node not in seen:
        seen.add(node)
        people += [f"{r.role} {r.staff} {staff.get(r.staff, '')}".rstrip() for r in grids[node].held(day)]
        node = grids[node].parent
    people = list(dict.fromkeys(people))
    if not people:
        return Text(f"{day} 网格 {grid} 没有责任人", f"nobody was responsible for grid {grid} on {day}")
    return Text(f"{day} 负责的是: {'、'.join(people)}", f"responsible on {day}: {', '.join(people)}")


def record(
    ledger: Ledger,
    grid: str,
    by: str,
    when: dt.datetime,
    checklist: str,
    given: dict[str, Answer],
    grade: str | None = None,
) -> Change:
    """The inspection and one event per hazard (of `grade`, default the profile's), as one commit."""
    from gridctl.ledger.names import resolve

    grids = ledger.grids()
    grid, by = resolve(ledger, grid, ["grid"]), resolve(ledger, by, ["staff"])
    day = when.date()
    on_duty(ledger, by, grid, day)
    items = checklist_items(ledger, checklist)
    left = missing(items, given)
    if left:
        raise NotAnswered(left)
    sup = ledger.settings.supervision
    inspection_id = allocate(ledger, "inspection", when=day)[0]
    hazards = [i for i in items if given[i].result == "hazard"]
    event_ids = allocate(ledger, "event", count=len(hazards), when=day) if hazards else []
    files: dict[str, bytes | None] = {}
    linked = dict(zip(hazards, event_ids, strict=True))
    for item, event_id in linked.items():
        note = given[item].note or item
        data = new_event(
            ledger,
            event_id,
            grid=grid,
            type=sup.time_limits.hazard_type,
            grade=grade or sup.time_limits.hazard_grade,
            title=f"{grids[grid].name}: {note}",
            by=by,
            at=when,
            via="巡查",
            description=f"{item}（督查记录 {inspection_id}）",
        )
        rel = path_for("event", data)
        files[rel] = dump_new(rel, "event", [data])
    rows: list[dict[str, Any]] = []
    for item in items:
        row: dict[str, Any] = {"item": item, "result": given[item].result}
        if given[item].note:
            row["note"] = given[item].note
        if item in linked:
            row["event"] = linked[item]
        rows.append(row)
    data = {
        "kind": "inspection",
        "id": inspection_id,
        "grid": grid,
        "date": day,
        "inspector": by,
        "checklist": checklist,
        "items": rows,
    }
    rel = path_for("inspection", data)
    files[rel] = dump_new(rel, "inspection", [data])
    subject = Text(
        f"巡查网格 {grid}：{checklist} {day.isoformat()}" + (f"，发现隐患 {len(hazards)} 处" if hazards else ""),
        f"inspect grid {grid}: {checklist} {day.isoformat()}" + (f", {len(hazards)} hazard(s)" if hazards else ""),
    )
    return Change(subject, files, inspection_id)
