"""Personal numbers written into free text: an ID number or a resident's mobile in a note, a title, an extra field.

A person's ID number and phones have their own fields: there they are checked, masked in every
output and, on an encrypted ledger, kept encrypted. Typed into a note they are none of that: the
note is plain text in every clone and every old commit. The ledger's own leak guard (the
pre-commit hook) refuses such a file, but gridctl's writes commit without hooks, so an `edit
--set extra.备注=…` or an imported 备注 column put there what a hand commit could not, and every
later hand edit of that file was refused. So reading a file finds them (GC115, GC116), and a write
that adds one is refused like any other error, at the field (or spreadsheet cell) it came from.

Each record is looked over once without paths (cheap); only one that may hold such a number is
walked again, with paths, to say where. A mobile the ledger makes public elsewhere (a staff member's
phone quoted in a household's note) is no resident's: a file alone cannot know it, so validate
settles it over the whole ledger (gridctl.validate.public_quoted).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gridctl.model.masking import ids_in, is_sealed, mask_phone, mobiles_in, valid_id_number
from gridctl.problem import Problem

NUMBER_FIELDS = frozenset({"id_number", "phones", "phone", "landlord_phone", "id_hash"})
"""The fields made to hold a person's number (GC107/GC108 check them; masks and encryption know them),
and an encrypted ID number's keyed hash (hex: one in a hundred holds 11 digits in a row)."""
CODE_FIELDS = frozenset(
    {
        "id", "grid", "place", "assigned_to", "parent", "staff", "key_sites", "responsible", "host",
        "attendees", "signed_by", "places", "people", "orgs", "things", "by", "to", "event", "inspector",
        "household", "credit_code",
    }
)  # fmt: skip
"""Fields that hold ids and codes (gridctl.model.types.Code): an id is never a person's number,
whatever its format (tests/test_mentions.py keeps this list equal to the models')."""
PUBLIC_PHONES = ("phone",)
"""A record's phones that are public (a staff member's, an organisation contact's; not a landlord's,
a private person's): its own notes may repeat them, as the leak guard lets them stand anywhere."""

_SKIPPED = NUMBER_FIELDS | CODE_FIELDS
_ELEVEN = re.compile(r"\d(?:[ .\-]?\d){10}")
"""Eleven digits, perhaps with separators: more than either pattern finds, never less."""


def personal_in_text(rel: str, docs: list[Any]) -> list[Problem]:
    """GC115 (an ID number) and GC116 (a mobile) for each one written in a free-text value of the file's records."""
    out: list[Problem] = []
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict) or data.get("id") is None or not _may_hold(data):
            continue
        rid = str(data["id"])
        public = _public_phones(data)
        for path, value in _free_values(data, ()):
            if path[:1] == ("members",) and len(path) > 2:
                member = data["members"][path[1]]
                record = str(member.get("id")) if isinstance(member, dict) and member.get("id") is not None else rid
            else:
                record = rid
            for code, shown, number in _numbers(value, public):
                args = {"value": shown} if code == "GC115" else {"value": shown, "number": number}
                out.append(Problem(code, rel, args, doc=doc.index, path=path, record=record))
    return out


def public_mentions(problems: list[Problem], public: set[str]) -> list[Problem]:
    """The problems without the GC116 of a mobile the ledger makes public elsewhere (a staff member's
    phone quoted in a household's note): what a file alone cannot know, the whole ledger settles."""
    return [p for p in problems if p.code != "GC116" or p.args.get("number") not in public]


def _may_hold(value: Any) -> bool:
    """Whether a parsed document may hold a number in free text: a walk without paths (3 µs a file;
    a regular expression over the text, passing over the number lines, took 12 µs)."""
    kind = type(value)
    if kind is dict:  # (loops, not any(): this runs for every record of a cold read)
        for key, item in value.items():
            if key == "extra":
                if _may_hold_free(item):
                    return True
            elif (key not in _SKIPPED or _holds_records(item)) and type(item) is not bool and _may_hold(item):
                return True
        return False
    if kind is list:
        for item in value:  # noqa: SIM110
            if _may_hold(item):
                return True
        return False
    if kind is str:
        return len(value) >= 11 and _ELEVEN.search(value) is not None
    return (kind is int or kind is float) and abs(value) >= 10_000_000_000


def _holds_records(value: Any) -> bool:
    """Whether a value under an id field's name is records, not ids: a grid's `responsible` is a list of
    duties (their written duties are free text, printed on every board), a place's is a staff id."""
    return type(value) is dict or (type(value) is list and any(type(item) is dict for item in value))


def _may_hold_free(value: Any) -> bool:
    """`_may_hold` for a clerk's own fields (`extra`): every key and value there is free text."""
    if type(value) is dict:
        return any(_may_hold(key) or _may_hold_free(item) for key, item in value.items())
    if type(value) is list:
        return any(_may_hold_free(item) for item in value)
    return type(value) is not bool and _may_hold(value)


def _free_values(
    value: Any, path: tuple[str | int, ...], free: bool = False
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path, value) of every text or number in a record outside the number and id fields. Under
    `extra` (free: the clerk's own fields) nothing is an id or a number field, whatever its key is
    named (`extra: {phone: …}` is neither masked nor encrypted), and a key is text too."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not free and isinstance(key, str) and key in _SKIPPED and not _holds_records(item):
                continue
            at = (*path, key if isinstance(key, str | int) else str(key))
            if free and isinstance(key, str | int) and not isinstance(key, bool):
                yield at, key
            yield from _free_values(item, at, free or key == "extra")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _free_values(item, (*path, i), free)
    elif isinstance(value, str | int | float) and not isinstance(value, bool) and not is_sealed(value):
        yield path, value


def _numbers(value: Any, public: set[str]) -> Iterator[tuple[str, str, str]]:
    """(code, the number masked, the number) of each one in the value ("number" stays in the cache
    with the file's findings, which holds no more than the file does; no message shows it)."""
    if isinstance(value, float):
        if not value.is_integer():
            return
        value = int(value)
    text = str(value)
    if len(text) < 11:
        return
    for _at, number in ids_in(text):
        if valid_id_number(number):
            yield "GC115", number[:6] + "*" * 12, number
    for _at, digits in mobiles_in(text):
        if digits not in public:
            yield "GC116", mask_phone(digits), digits


def _public_phones(data: dict[str, Any]) -> set[str]:
    """The record's own public phones (staff, organisation contacts), as digits: the model's
    fields, not a `phone` the clerk put under `extra`."""
    found: set[str] = set()
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in PUBLIC_PHONES and isinstance(value, str | int):
                    found.update(digits for _at, digits in mobiles_in(str(value)))
                elif key not in ("members", "extra") and isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found
