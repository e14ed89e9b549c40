"""The community plan's controls: 出租房屋全部挂牌, 四类管理 for rentals and floating people, 楼栋长 everywhere.

Warnings (the register is often being completed); each is switched on by the profile's policy
(`rental_type`, `floating_residence`, `building_head`).
"""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.ledger.index import Ledger, Source
from gridctl.model import Grid, Place, Staff
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def rentals(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """A rental without its plate (GC260) or its 四类管理 category (GC261)."""
    kind = settings.policy.rental_type
    if kind is None:
        return
    for place, src in ledger.records(Place):
        if not place.is_active or (place.type != kind and place.rental is None):
            continue
        rental = place.rental
        where = ("rental",) if rental is not None else ("type",)
        if rental is None or not rental.plate_number:
            args = {"name": place.name, "id": place.id}
            yield Problem("GC260", src.file, args, doc=src.doc, path=where, record=place.id)
        if rental is None or not rental.category:
            args = {"what": f"出租房屋 {place.name}", "what_en": f"rental {place.name}", "id": place.id}
            yield Problem("GC261", src.file, args, doc=src.doc, path=where, record=place.id)


def floating_people(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """流动人口 under 四类管理: each needs a category (GC261)."""
    floating = set(settings.policy.floating_residence)
    if not floating:
        return
    for person, _household, src in ledger.people():
        if person.retired is None and person.residence in floating and not person.category:
            args = {"what": f"流动人口 {person.id}", "what_en": f"floating resident {person.id}", "id": person.id}
            yield Problem("GC261", src.file, args, doc=src.doc, path=(*src.path, "residence"), record=person.id)


def buildings_without_head(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """A building that names no one at all (one record alone: checked per file, GC262)."""
    rule = settings.policy.building_head
    if rule is None:
        return
    for place, src in ledger.records(Place):
        if place.is_active and place.type == rule.place_type and not place.responsible:
            yield _no_head(place, src, rule.role)


def building_heads(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """A building whose responsible holds no 楼栋长 role in an active grid (GC262).

    Read from the index's references: only a place whose responsible is not a 楼栋长 is built to
    see whether it is a building, so a warm check does not build every place of the ledger.
    """
    rule = settings.policy.building_head
    if rule is None:
        return
    staff = {s.id: s for s, _ in ledger.records(Staff)}
    heads = {
        r.staff
        for g, _ in ledger.records(Grid)
        if g.is_active
        for r in g.responsible
        if r.role == rule.role and r.staff in staff and staff[r.staff].is_active
    }
    for handle, path, target, _kind in ledger.refs():
        if target in heads or len(path) != 1 or path[0] != "responsible":  # 280,000 references: no tuple made
            continue
        entry = ledger.entry_at(handle)
        if entry.kind != "place":
            continue
        place = entry.record
        if isinstance(place, Place) and place.is_active and place.type == rule.place_type:
            yield _no_head(place, entry.source, rule.role)


def _no_head(place: Place, src: Source, role: str) -> Problem:
    args = {"name": place.name, "id": place.id, "role": role, "grid": place.grid}
    path = (*src.path, "responsible") if place.responsible else (*src.path, "type")
    return Problem("GC262", src.file, args, doc=src.doc, path=path, record=place.id)
