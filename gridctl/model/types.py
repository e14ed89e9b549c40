"""Field types shared by the record kinds.

Two ideas live here. *Vocabulary* fields hold Chinese values whose allowed set comes from the
ledger's gridctl.yaml, so they are checked against the validation context rather than a fixed
enum. *Sensitive* fields (resident ID numbers, residents' phones, care-group tags) are marked
in the schema so that every output can find and mask them.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    WithJsonSchema,
    WrapSerializer,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from gridctl.model.masking import SEALED_PREFIX
from gridctl.model.patterns import NO_CONTROL, ONE_LINE, SAFE_CODE, SCIENTIFIC
from gridctl.model.quotes import OPENING, unquoted
from gridctl.model.sensitive import SENSITIVE_KEY

VOCAB_KEY = "x-vocabulary"


def to_text(value: Any) -> Any:
    """Codes and numbers typed without quotes arrive as int; keep their digits as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


def plain(value: Any) -> Any:
    """`to_text`, and a value wrapped in typographic quotes (“101”) refused: a code or a word is never
    quoted so (gridctl.model.quotes); free text is not asked. One character test on the happy path."""
    if type(value) is str:
        if value and value[0] in OPENING and unquoted(value) is not None:
            raise PydanticCustomError(
                "typographic_quotes", "the value is wrapped in typographic quotes: {value}", {"value": value}
            )
        return value
    return to_text(value)


def takes_plain(annotation: Any) -> bool:
    """Whether a field holds a code, a number or a word (`plain`), never free text: where a door
    (edit --set, import) takes the value inside a clerk's typographic quotes."""
    stack = [annotation]
    while stack:
        item = stack.pop()
        origin = typing.get_origin(item)
        if origin is Annotated:
            found = typing.get_args(item)
            if any(getattr(m, "func", None) is plain for m in found[1:]):
                return True
            stack.append(found[0])
        elif origin in (typing.Union, types.UnionType, list):
            stack.extend(typing.get_args(item))
    return False


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


NAME_MAX = 50

Code = Annotated[str, BeforeValidator(plain), Field(min_length=1, pattern=SAFE_CODE)]
"""An identifier or code: digits written without quotes are taken as text."""

Text = Annotated[str, BeforeValidator(_strip), Field(min_length=1, pattern=NO_CONTROL)]
"""Free text that must not be blank."""

Name = Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=NAME_MAX, pattern=ONE_LINE)]
"""A name (of a person, a grid, a place): one line, at most 50 characters."""

Short = Annotated[str, BeforeValidator(to_text), Field(pattern=ONE_LINE)]
"""A short field (a position, a title, a boundary): one line, no control characters. Free text: a
title may be “安全生产月” in a word processor's quotes, and keeps them."""

Label = Annotated[str, BeforeValidator(plain), Field(pattern=ONE_LINE)]
"""A short code-like field (a building, a room, a plate number, a photo's path): one line; a word
processor's quotes around it are no part of it (gridctl.model.quotes)."""

Note = Annotated[str, Field(pattern=NO_CONTROL)]
"""Free text that may be blank: newlines allowed, other control characters not."""


def vocab(name: str, *, sensitive: bool = False) -> Any:
    """A str field whose value must be in the ledger's vocabulary `name`."""

    def check(value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and value.startswith(SEALED_PREFIX):
            return value  # encrypted (gridctl.ledger.vault): checked once opened, by whoever holds the key
        ctx = info.context
        allowed = ctx.get("vocabularies", {}).get(name) if isinstance(ctx, Mapping) else None
        if allowed is not None and value not in allowed:
            word = ctx.get("aliases", {}).get(name, {}).get(value) if isinstance(value, str) else None
            if word is not None:
                return word  # a synonym is its word (gridctl.model.aliases)
            from gridctl.model.aliases import nearest

            raise PydanticCustomError(
                "vocabulary",
                "{value} is not in vocabulary {vocabulary}",
                {
                    "value": value,
                    "vocabulary": name,
                    "allowed": "、".join(allowed),
                    "nearest": (nearest(value, allowed) or "") if isinstance(value, str) else "",
                },
            )
        return value

    extra: dict[str, Any] = {VOCAB_KEY: name}
    if sensitive:
        extra[SENSITIVE_KEY] = True
    return Annotated[str, BeforeValidator(plain), AfterValidator(check), Field(json_schema_extra=extra)]


def sensitive(tp: Any) -> Any:
    """Mark a field's type as personal data that outputs mask unless revealed."""
    return Annotated[tp, Field(json_schema_extra={SENSITIVE_KEY: True})]


ZONE_KEY = "zone"
"""The validation context's ledger zone (a tzinfo): times with an offset are converted into it."""
CHINA = dt.timezone(dt.timedelta(hours=8))


def _naive(value: Any, info: ValidationInfo) -> Any:
    """Times are local to the ledger's zone; an offset is converted into that zone, then dropped."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        ctx = info.context
        zone = ctx.get(ZONE_KEY) if isinstance(ctx, Mapping) else None
        return value.astimezone(zone or CHINA).replace(tzinfo=None)
    return value


def _not_a_number(value: Any) -> Any:
    """A number is no moment: pydantic took `deadline: 20260306` for seconds since 1970 (1970-08-23 19:51),
    and the deadline passed without a word. It is a date written without dashes (gridctl.model.dates)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("date_type", "Input should be a date such as 2026-01-31")
    return value


Moment = Annotated[
    dt.datetime | dt.date,
    BeforeValidator(_not_a_number),
    AfterValidator(_naive),
    WithJsonSchema({"type": "string", "description": "date or local date-time, e.g. 2026-11-03 09:30"}),
]
"""When something happened: a date, or a local date and time."""


IdNumber = Annotated[
    str,
    BeforeValidator(plain),
    BeforeValidator(_strip),
    Field(min_length=1, pattern=ONE_LINE, json_schema_extra={SENSITIVE_KEY: True}),
]
"""A resident's identity document number; validity is checked ledger-wide (GC103–GC107)."""


def _not_scientific(value: Any) -> Any:
    """A phone pasted from a CSV Excel saved (1.39123E+10, or the number YAML reads from it unquoted):
    its last digits are gone, which "invalid phone number" did not say."""
    if isinstance(value, float) or (isinstance(value, str) and _SCIENTIFIC.match(value.strip())):
        raise PydanticCustomError(
            "phone_scientific",
            "the phone number is in scientific notation, as Excel shows a long number: its last digits are lost; "
            "re-enter it from the original, in quotes",
        )
    return value


_SCIENTIFIC = re.compile(SCIENTIFIC, re.IGNORECASE)

PublicPhone = Annotated[
    str,
    BeforeValidator(plain),
    BeforeValidator(_strip),
    BeforeValidator(_not_scientific),
    Field(min_length=1, pattern=ONE_LINE),
]
"""A staff or organization phone: public on notice boards."""

ResidentPhone = Annotated[
    str,
    BeforeValidator(plain),
    BeforeValidator(_strip),
    BeforeValidator(_not_scientific),
    Field(min_length=1, pattern=ONE_LINE, json_schema_extra={SENSITIVE_KEY: True}),
]
"""A resident's (or a landlord's: a private person's) phone: personal data."""


def _sealed_or(value: Any, handler: Any) -> Any:
    """An encrypted value (gridctl.ledger.vault) read without the key passes as it is; anything else is checked."""
    if isinstance(value, str) and value.startswith(SEALED_PREFIX):
        return value
    return handler(value)


def _sealed_as_is(value: Any, handler: Any) -> Any:
    return value if isinstance(value, str) else handler(value)


BirthDate = Annotated[
    dt.date,
    WrapValidator(_sealed_or),
    WrapSerializer(_sealed_as_is),
    Field(json_schema_extra={SENSITIVE_KEY: True}),
]
"""A resident's birth date: with the region it gives away most of the ID number, so it is masked to its year."""
