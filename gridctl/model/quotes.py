"""Typographic quotes a word processor puts around a value: WPS and Word turn "101" into “101”.

In YAML those are no quotes but characters of the value, so a room “101” never matches 101 and an
id “H000001” names no record. For ids, references, codes, numbers, rooms and vocabulary words the
clerk meant the value inside: `edit --set` and import take it (gridctl.ops.fields, gridctl.excel),
and a ledger file that holds one is refused with the value as it is to be written, as a date in
another shape is (gridctl.model.dates). Free text (names, notes) may quote and is left as typed.
"""

from __future__ import annotations

from typing import Any

OPENING = "“”„‟‘’‚‛＂＇"
"""What a word processor opens (or, typed twice, closes) a quotation with."""
CLOSING = "”“‟’‘‛＂＇"


def unquoted(value: Any) -> str | None:
    """The value inside a pair of typographic quotes around the whole of `value`, or None."""
    if type(value) is not str or len(value) < 2 or value[0] not in OPENING or value[-1] not in CLOSING:
        return None
    inner = value[1:-1].strip()
    return inner if inner and inner[0] not in OPENING and inner[-1] not in CLOSING else None
