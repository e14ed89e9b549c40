"""Every id a record points at exists, and is of the kind the field expects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gridctl.ledger.index import Ledger, Source
from gridctl.messages import KIND_ZH
from gridctl.model import Activity, Document, Event, Grid, Household, Inspection, Org, Place, Record, Thing, Visit
from gridctl.model.settings import Settings
from gridctl.problem import Problem

Ref = tuple[tuple[str | int, ...], str | None, str]
"""(field path, referenced id, expected kind)."""


def _grid_refs(g: Grid) -> Iterator[Ref]:
    yield ("parent",), g.parent, "grid"
    for i, r in enumerate(g.responsible):
        yield ("responsible", i, "staff"), r.staff, "staff"
    for i, site in enumerate(g.key_sites):
        yield ("key_sites", i), site, "place"


def _household_refs(h: Household) -> Iterator[Ref]:
    yield ("grid",), h.grid, "grid"
    yield ("place",), h.place, "place"
    yield ("assigned_to",), h.assigned_to, "staff"


def _place_refs(p: Place) -> Iterator[Ref]:
    yield ("grid",), p.grid, "grid"
    yield ("responsible",), p.responsible, "staff"


def _org_refs(o: Org) -> Iterator[Ref]:
    yield ("grid",), o.grid, "grid"


def _thing_refs(t: Thing) -> Iterator[Ref]:
    yield ("grid",), t.grid, "grid"
    yield ("place",), t.place, "place"


def _event_refs(e: Event) -> Iterator[Ref]:
    yield ("grid",), e.grid, "grid"
    for name, kind in (("places", "place"), ("people", "person"), ("orgs", "org"), ("things", "thing")):
        for i, rid in enumerate(getattr(e.refs, name)):
            yield ("refs", name, i), rid, kind
    yield ("reported", "by"), e.reported.by, "staff"
    for i, step in enumerate(e.timeline):
        yield ("timeline", i, "by"), step.by, "staff"


def _inspection_refs(x: Inspection) -> Iterator[Ref]:
    yield ("grid",), x.grid, "grid"
    yield ("inspector",), x.inspector, "staff"
    yield ("signed_by",), x.signed_by, "staff"
    for i, item in enumerate(x.items):
        yield ("items", i, "event"), item.event, "event"


def _visit_refs(v: Visit) -> Iterator[Ref]:
    yield ("household",), v.household, "household"
    yield ("by",), v.by, "staff"


def _activity_refs(a: Activity) -> Iterator[Ref]:
    yield ("grid",), a.grid, "grid"
    yield ("host",), a.host, "staff"
    for i, sid in enumerate(a.attendees):
        yield ("attendees", i), sid, "staff"


def _document_refs(d: Document) -> Iterator[Ref]:
    yield ("grid",), d.grid, "grid"
    yield ("signed_by",), d.signed_by, "staff"


REFS: dict[type[Record], Any] = {
    Grid: _grid_refs,
    Household: _household_refs,
    Place: _place_refs,
    Org: _org_refs,
    Thing: _thing_refs,
    Event: _event_refs,
    Inspection: _inspection_refs,
    Visit: _visit_refs,
    Activity: _activity_refs,
    Document: _document_refs,
}


def references(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    for entry in ledger.entries:
        refs = REFS.get(type(entry.record))
        if refs is None:
            continue
        for path, target, kind in refs(entry.record):
            if target is None or ledger.kind_of(target) == kind or target in ledger.unreadable:
                continue  # an unreadable file named like the target is already reported
            yield _missing(entry.source, entry.id, path, target, kind)


def _missing(source: Source, rid: str, path: tuple[str | int, ...], target: str, kind: str) -> Problem:
    args = {"target": target, "target_kind": kind, "target_kind_zh": KIND_ZH.get(kind, kind)}
    return Problem("GC202", source.file, args, doc=source.doc, path=(*source.path, *path), record=rid)
