"""The ways a clerk writes a date (1942-7-16, 1942.7.16, 1942/7/16, 1942年7月16日, 19420716), one rule
for every door: import and `edit --set` read them and write 1942-07-16; a ledger file holds only that
shape (what YAML, the JSON schema and every other reader of the file know as a date), so a file that
holds another is told the date as it is to be written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from gridctl.model.quotes import unquoted

WRITTEN = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
"""A date, perhaps with a time of day, with any of the separators a clerk types."""
_TIMED = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*[ T]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_UNDASHED = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def as_written(value: Any) -> tuple[str, bool] | None:
    """How a date (or a date and time) a clerk wrote by hand is to be written in a ledger file
    (`1942-07-16`, `2026-03-03 09:40:00`), and whether it was written without dashes (19420716);
    None when it is no such date (or no real day). Only asked of a value that failed."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    raw = unicodedata.normalize("NFKC", str(value)).strip()
    raw = unquoted(raw) or raw
    undashed = _UNDASHED.match(raw)
    found = undashed or _TIMED.match(raw)
    if found is None:
        return None
    try:
        day = dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        if undashed is None and found.group(4) is not None:
            at = dt.time(int(found.group(4)), int(found.group(5)), int(found.group(6) or 0))
            return f"{day.isoformat()} {at.isoformat()}", False
    except ValueError:
        return None
    return day.isoformat(), undashed is not None
