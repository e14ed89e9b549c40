"""物: facilities and components that need regular inspection."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from gridctl.model.base import Record
from gridctl.model.types import Code, Name, Text, vocab


class Thing(Record):
    kind_name = "thing"
    kind: Literal["thing"]
    grid: Code
    type: vocab("thing_types")  # type: ignore[valid-type]
    name: Name | None = None
    location: Text
    place: Code | None = None
    status: vocab("thing_statuses") | None = None  # type: ignore[valid-type]
    next_inspection: dt.date | None = Field(default=None, description="下次检查日期")
    expires: dt.date | None = Field(default=None, description="有效期至 (灭火器药剂、消防器材)")
