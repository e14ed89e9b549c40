"""Where a record's file goes (design.md §2). The loader never trusts paths; writers follow these.

Every id and grid code is checked as a file or folder name before it becomes part of a path
(gridctl.ledger.safepath), so no value a clerk types can lead outside its folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from gridctl.i18n import Text
from gridctl.ledger.safepath import UnsafeName, safe_segment

BY_GRID = {"household": "households", "place": "places", "org": "orgs", "thing": "things", "document": "documents"}
BY_MONTH = {"event": "events", "inspection": "inspections", "visit": "visits", "activity": "activities"}
DATED_BY = {"event": ("reported", "at"), "inspection": ("date",), "visit": ("date",), "activity": ("date",)}
"""The field whose month files a record of a BY_MONTH kind."""


def _month(record: Mapping[str, Any]) -> str:
    reported = record.get("reported")
    when = record.get("date") or (reported.get("at") if isinstance(reported, Mapping) else None)
    if isinstance(when, str):
        try:
            when = dt.date.fromisoformat(when[:10])
        except ValueError:
            raise UnsafeName(not_a_date(when)) from None
    if when is None:
        raise UnsafeName(Text("记录缺少日期，无法归档", "the record has no date to file it under"))
    if not isinstance(when, dt.date):
        raise UnsafeName(not_a_date(when))
    return f"{when.year:04d}/{when.month:02d}"


def month_folder(kind: str, record: Mapping[str, Any]) -> str:
    """The folder a dated record's file goes in (events/2026/03): a record as written, a typed
    record's dump, or a row of the cache (its dates ISO text)."""
    return f"{BY_MONTH[kind]}/{_month(record)}"


def month_of(row: Mapping[str, Any]) -> str:
    """yyyy/mm of a dated record's row as the cache keeps it (its dates ISO text in the ledger's zone):
    the month month_folder files it under."""
    when = row.get("date") or row["reported"]["at"]
    return f"{when[:4]}/{when[5:7]}"


def not_a_date(when: object) -> Text:
    return Text(f"日期 {when!r} 格式不对，应如 2026-11-03", f"date {when!r} is not a date like 2026-11-03")


def path_for(kind: str, record: Mapping[str, Any]) -> str:
    rid = safe_segment(record["id"], "id")
    if kind == "grid":
        return f"grids/{rid}.yaml"
    if kind == "staff":
        return f"staff/{rid}.yaml"
    if kind in BY_GRID:
        return f"{BY_GRID[kind]}/{safe_segment(record['grid'], 'grid')}/{rid}.yaml"
    if kind in BY_MONTH:
        return f"{month_folder(kind, record)}/{rid}.yaml"
    raise ValueError(f"no layout for kind {kind}")
