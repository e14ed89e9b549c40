"""Which fields of a record point at other records, and what kind each must be.

The model knows its references; the ledger indexes them per file (they are cached by content) and
the reference check asks whether each target exists with the expected kind.

The models are named, not imported: a record was built by its own model, already imported, and
importing all ten (each builds its validator on import) cost about 10 ms of a write that changes
one household.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gridctl.model.activity import Activity
    from gridctl.model.document import Document
    from gridctl.model.event import Event
    from gridctl.model.grid import Grid
    from gridctl.model.household import Household
    from gridctl.model.inspection import Inspection
    from gridctl.model.org import Org
    from gridctl.model.place import Place
    from gridctl.model.thing import Thing
    from gridctl.model.visit import Visit

Ref = tuple[tuple[str | int, ...], str | None, str]
"""(field path, referenced id, expected kind)."""


def _grid_refs(g: Grid) -> Iterator[Ref]:
    yield ("parent",), g.parent, "grid"
    for i, r in enumerate(g.responsible):
        yield ("responsible", i, "staff"), r.staff, "staff"
    for i, r in enumerate(g.former):
        yield ("former", i, "staff"), r.staff, "staff"
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


REFS: dict[str, Any] = {
    "gridctl.model.grid.Grid": _grid_refs,
    "gridctl.model.household.Household": _household_refs,
    "gridctl.model.place.Place": _place_refs,
    "gridctl.model.org.Org": _org_refs,
    "gridctl.model.thing.Thing": _thing_refs,
    "gridctl.model.event.Event": _event_refs,
    "gridctl.model.inspection.Inspection": _inspection_refs,
    "gridctl.model.visit.Visit": _visit_refs,
    "gridctl.model.activity.Activity": _activity_refs,
    "gridctl.model.document.Document": _document_refs,
}
"""Each model by its module and name: the class itself, as a subclass of it has none of these."""


def references(record: Any) -> Iterator[Ref]:
    """(field path, target id, expected kind) of every reference the record makes (targets may be None)."""
    cls = type(record)
    refs = REFS.get(f"{cls.__module__}.{cls.__qualname__}")
    return refs(record) if refs is not None else iter(())
