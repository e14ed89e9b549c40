"""Where a record's file goes (design.md §2). The loader never trusts paths; writers follow these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

BY_GRID = {"household": "households", "place": "places", "org": "orgs", "thing": "things"}
BY_MONTH = {"event": "events", "inspection": "inspections", "visit": "visits"}


def _month(record: Mapping[str, Any]) -> str:
    when = record.get("date") or (record.get("reported") or {}).get("at") or dt.date.today()
    if isinstance(when, str):
        when = dt.date.fromisoformat(when[:10])
    return f"{when.year:04d}/{when.month:02d}"


def path_for(kind: str, record: Mapping[str, Any]) -> str:
    rid = str(record["id"])
    if kind == "grid":
        return f"grids/{rid}.yaml"
    if kind == "staff":
        return f"staff/{rid}.yaml"
    if kind in BY_GRID:
        return f"{BY_GRID[kind]}/{record['grid']}/{rid}.yaml"
    if kind in BY_MONTH:
        return f"{BY_MONTH[kind]}/{_month(record)}/{rid}.yaml"
    raise ValueError(f"no layout for kind {kind}")
