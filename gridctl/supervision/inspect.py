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
from gridctl.ops.duty import on_duty
from gridctl.ops.records import Change, allocate
from gridctl.supervision.items import checklist_items, match_item, split_hazard
from gridctl.supervision.lifecycle import new_event

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
    from gridctl.ops.gridretire import open_grid

    grids = ledger.grids()
    grid, by = resolve(ledger, grid, ["grid"]), resolve(ledger, by, ["staff"])
    day = when.date()
    open_grid(ledger, grid, day)
    on_duty(ledger, by, grid, day, Text("记为巡查人", "to inspect"))
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
