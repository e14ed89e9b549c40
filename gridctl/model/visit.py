"""入户走访: a worker's visit to a household (分片包户), counted in the monthly report."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from gridctl.model.base import Record
from gridctl.model.types import Code, Note, Short


class Visit(Record):
    kind_name = "visit"
    kind: Literal["visit"]
    household: Code
    date: dt.date
    by: Code = Field(description="staff id of the visitor")
    purpose: Short | None = Field(default=None, description="走访事由, e.g. 慰问 / 信息核实 / 政策宣传")
    note: Note | None = None
