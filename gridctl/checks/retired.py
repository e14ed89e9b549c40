"""A retired grid (注销, merged away or abolished) holds nothing still alive: GC223.

`gridctl retire GRID` refuses a grid that still holds anything and every write refuses to put a
record into one, so what this finds was typed by hand: a household whose grid: names the old grid,
an open event reported there, a 网格员 left under its responsible, a child grid still hanging on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.messages import KIND_ZH
from gridctl.model.settings import Settings
from gridctl.problem import Problem


@dataclass(frozen=True)
class Held:
    """One live thing a grid holds: what it is, where it is written, and how the clerk takes it out."""

    kind: str
    id: str
    name: str
    file: str
    doc: int
    path: tuple[str | int, ...]
    fix: Text

    def said(self) -> Text:
        zh = KIND_ZH.get(self.kind, self.kind)
        if self.kind == "responsible":
            return Text(f"责任人 {self.name}", f"responsible {self.name}")
        named = f" {self.name}" if self.name else ""
        return Text(f"{zh} {self.id}{named}", f"{self.kind} {self.id}{named}")


def held_by(ledger: Ledger, grid_ids: set[str], since: dict[str, dt.date] | None = None) -> dict[str, list[Held]]:
    """Grid id → the live records in it: active households, places, orgs and things, open events,
    documents still owed, active child grids and its responsible people; given the day each grid is
    retired from (`since`), also the inspections and activities dated on or after it."""
    from gridctl.model import Activity, Document, Event, Grid, Inspection  # only with a retired grid: each
    from gridctl.ops.records import _label  # model builds its validator on import, and a write checks few

    out: dict[str, list[Held]] = {g: [] for g in grid_ids}
    if not grid_ids:
        return out
    for handle, grid, active in ledger.holdings():
        if grid in grid_ids and active:
            entry = ledger.entry_at(handle)
            name = _label(entry.kind, _data(entry.record), ledger)
            fix = Text(
                f"迁到现有网格: gridctl move {entry.id} --to 网格",
                f"move it to a grid in use: gridctl move {entry.id} --to GRID",
            )
            out[grid].append(Held(entry.kind, entry.id, name, entry.source.file, entry.source.doc, ("grid",), fix))
    lc = ledger.settings.supervision.lifecycle
    closed = set(lc.closed) if lc is not None else set()
    for entry in ledger.by_kind["event"]:
        ev = entry.record
        if not isinstance(ev, Event) or ev.grid not in grid_ids or ev.status in closed:
            continue
        fix = Text(
            f"办结它，或改到现有网格: gridctl edit {entry.id} --set grid=现有网格",
            f"close it, or give it a grid in use: gridctl edit {entry.id} --set grid=GRID",
        )
        out[ev.grid].append(Held("event", entry.id, ev.title, entry.source.file, entry.source.doc, ("grid",), fix))
    for entry in ledger.by_kind["document"]:
        doc = entry.record
        if isinstance(doc, Document) and doc.grid in grid_ids and doc.is_active and doc.due and doc.date is None:
            fix = Text(
                f"报送或签订后登记: gridctl document submit {entry.id}，或改到现有网格: "
                f"gridctl edit {entry.id} --set grid=现有网格",
                f"record it done: gridctl document submit {entry.id}, or give it a grid in use: "
                f"gridctl edit {entry.id} --set grid=GRID",
            )
            out[doc.grid].append(
                Held("document", entry.id, doc.title, entry.source.file, entry.source.doc, ("grid",), fix)
            )
    for kind in ("inspection", "activity"):
        for entry in ledger.by_kind[kind] if since else ():
            rec = entry.record
            if not isinstance(rec, Inspection | Activity) or rec.grid not in since:  # type: ignore[operator]
                continue
            if rec.date >= since[rec.grid]:
                day = since[rec.grid].isoformat()
                fix = Text(
                    f"它的日期不早于注销日期 {day}: 核对日期，或改到接替的网格: "
                    f"gridctl edit {entry.id} --set grid=现有网格",
                    f"it is dated on or after the retirement ({day}): check its date, or give it the grid that "
                    f"took over: gridctl edit {entry.id} --set grid=GRID",
                )
                out[rec.grid].append(
                    Held(kind, entry.id, str(rec.date), entry.source.file, entry.source.doc, ("date",), fix)
                )
    for grid, src in ledger.records(Grid):
        if grid.parent in grid_ids and grid.is_active:
            fix = Text(
                f"迁到现有上级，或先注销它: gridctl move {grid.id} --to 现有网格",
                f"move it under a grid in use, or retire it first: gridctl move {grid.id} --to GRID",
            )
            out[grid.parent].append(Held("grid", grid.id, grid.name, src.file, src.doc, ("parent",), fix))
        if grid.id in grid_ids:
            for i, r in enumerate(grid.responsible):
                staff = ledger.get(r.staff)
                who = f"{r.role} {r.staff} {getattr(staff.record, 'name', '') if staff else ''}".rstrip()
                fix = Text(
                    f"gridctl unassign {grid.id} --role {r.role} --staff {r.staff} --date 卸任日期",
                    f"gridctl unassign {grid.id} --role {r.role} --staff {r.staff} --date DATE",
                )
                where = ("responsible", i, "staff")
                out[grid.id].append(Held("responsible", r.staff, who, src.file, src.doc, where, fix))
    return out


def _data(record: Any) -> dict[str, Any]:
    return record.model_dump() if record is not None else {}


def retired_grids(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """GC223: an active record whose grid is retired."""
    grids = {g.id: g for g in ledger.grids().values() if g.retired is not None}
    if not grids:
        return  # nearly every ledger: nothing built
    since = {g.id: g.retired.date for g in grids.values() if g.retired is not None}
    for grid_id, held in held_by(ledger, set(grids), since).items():
        grid = grids[grid_id]
        for h in held:
            what = h.said()
            args = {
                "grid": grid_id,
                "grid_name": grid.name,
                "date": grid.retired.date.isoformat(),  # type: ignore[union-attr]
                "what": what.en,
                "what_zh": what.zh,
                "fix": h.fix.en,
                "fix_zh": h.fix.zh,
            }
            record = grid_id if h.kind == "responsible" else h.id
            yield Problem("GC223", h.file, args, doc=h.doc, path=h.path, record=record)
