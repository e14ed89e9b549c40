"""Record models, one module per kind. Knows no files, no git, no terminal.

The models are imported on first use (PEP 562), so a command that only reads git history or
masks a value does not pay for pydantic's start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gridctl.model.activity import Activity
    from gridctl.model.base import Record
    from gridctl.model.document import Document
    from gridctl.model.event import Event
    from gridctl.model.grid import Grid
    from gridctl.model.household import Household, Person
    from gridctl.model.inspection import Inspection
    from gridctl.model.org import Org
    from gridctl.model.place import Place
    from gridctl.model.settings import Settings
    from gridctl.model.staff import Staff
    from gridctl.model.thing import Thing
    from gridctl.model.visit import Visit

_WHERE = {
    "Record": "base", "Event": "event", "Grid": "grid", "Household": "household", "Person": "household",
    "Inspection": "inspection", "Org": "org", "Place": "place", "Settings": "settings", "Staff": "staff",
    "Thing": "thing",
    "Visit": "visit", "Activity": "activity", "Document": "document",
}
_KIND_CLASS = {
    "grid": "Grid", "staff": "Staff", "household": "Household", "place": "Place", "org": "Org",
    "thing": "Thing", "event": "Event", "inspection": "Inspection", "visit": "Visit",
    "activity": "Activity", "document": "Document",
}
"""Every record kind by its `kind:` value, in the order reports list them (see KINDS)."""


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f"gridctl.model.{_WHERE[name]}"), name)
    elif name == "KINDS":
        value = {kind: __getattr__(cls) for kind, cls in _KIND_CLASS.items()}
    else:
        raise AttributeError(name)
    globals()[name] = value
    return value


KINDS: dict[str, type[Record]]


def model_of(kind: str) -> type[Record] | None:
    """The model of one kind (None for no kind of record), importing that kind's module alone:
    reading a household builds no event or inspection models."""
    name = _KIND_CLASS.get(kind)
    return __getattr__(name) if name is not None else None


KIND_NAMES = tuple(_KIND_CLASS)
"""Every kind, in KINDS' order, without importing a model."""

__all__ = [
    "KINDS",
    "KIND_NAMES",
    "Activity",
    "Document",
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
    "Visit",
    "model_of",
]
