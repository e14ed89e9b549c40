"""Record models, one module per kind. Knows no files, no git, no terminal."""

from __future__ import annotations

from gridctl.model.base import Record
from gridctl.model.event import Event
from gridctl.model.grid import Grid
from gridctl.model.household import Household, Person
from gridctl.model.inspection import Inspection
from gridctl.model.org import Org
from gridctl.model.place import Place
from gridctl.model.settings import Settings
from gridctl.model.staff import Staff
from gridctl.model.thing import Thing

KINDS: dict[str, type[Record]] = {
    "grid": Grid,
    "staff": Staff,
    "household": Household,
    "place": Place,
    "org": Org,
    "thing": Thing,
    "event": Event,
    "inspection": Inspection,
}
"""Every record kind by its `kind:` value, in the order reports list them."""

__all__ = [
    "KINDS",
    "Event",
    "Grid",
    "Household",
    "Inspection",
    "Org",
    "Person",
    "Place",
    "Record",
    "Settings",
    "Staff",
    "Thing",
]
