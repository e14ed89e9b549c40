"""督查记录: one grid's daily inspection against a checklist from gridctl.yaml."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from gridctl.model.base import Record, Strict
from gridctl.model.types import Code, Note, Text, vocab


class Item(Strict):
    item: Text
    result: Literal["ok", "hazard", "na"]
    note: Note | None = None
    event: Code | None = Field(default=None, description="event id when a hazard was logged")


class Inspection(Record):
    kind_name = "inspection"
    kind: Literal["inspection"]
    grid: Code
    date: dt.date
    inspector: Code
    checklist: vocab("checklists")  # type: ignore[valid-type]
    items: list[Item] = Field(default_factory=list)
    signed_by: Code | None = None
