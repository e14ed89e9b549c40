"""Names with characters lost on the way (GC119): `?`, `？` or U+FFFD where a character stood.

A register saved as GBK CSV from a UTF-8 sheet, or a rare character (堃, 旸) GBK has no code for,
comes back with a question mark or a replacement character in the name: the person is then listed,
searched and printed under a name that is not theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gridctl.ledger.index import Ledger
from gridctl.model import Household, Org, Place, Staff
from gridctl.model.settings import Settings
from gridctl.problem import Problem

LOST = ("?", "？", "\ufffd")


def lost(name: Any) -> bool:
    return isinstance(name, str) and any(c in name for c in LOST)


def lost_characters(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    """Every resident's, staff member's, landlord's and contact's name holding a lost character."""
    for household, src in ledger.records(Household):
        for i, person in enumerate(household.members):
            if lost(person.name):
                yield _problem(src, ("members", i, "name"), person.name, household.id)
    named: list[tuple[type[Any], tuple[tuple[str, ...], ...]]] = [
        (Staff, NAMED["staff"]),
        (Place, NAMED["place"]),
        (Org, NAMED["org"]),
    ]
    for model, paths in named:
        for record, src in ledger.records(model):
            for path in paths:
                value: Any = record
                for step in path:
                    value = getattr(value, step, None)
                if lost(value):
                    yield _problem(src, path, value, record.id)


NAMED = {
    "staff": (("name",),),
    "place": (("rental", "landlord"),),
    "org": (("contact", "name"), ("first_responsible", "name")),
}
"""The names each kind of record is checked for (a resident's: `name` of each member)."""


def lost_at(file: str, path: tuple[Any, ...], name: str) -> Problem:
    """GC119 for a name read from somewhere other than a ledger file (a register's row: `file` is its number)."""
    return Problem("GC119", file, {"name": name}, path=path)


def _problem(src: Any, path: tuple[Any, ...], name: str, record: str) -> Problem:
    return Problem("GC119", src.file, {"name": name}, doc=src.doc, path=(*src.path, *path), record=record)
