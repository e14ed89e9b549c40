"""活动: 安全教育, 疏散演练, 例会, 培训, 形势分析 — held by a unit, not a daily 巡查.

The plans ask for them by period (每月一次演练, 每学期, 放假前, "119" 宣传月); `gridctl due` and the
monthly report compare these records with the profile's `supervision.activities`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from gridctl.model.base import Record
from gridctl.model.types import Code, Label, Note, Short, vocab


class Activity(Record):
    kind_name = "activity"
    kind: Literal["activity"]
    grid: Code = Field(description="the unit or grid that held it")
    date: dt.date
    type: vocab("activity_types")  # type: ignore[valid-type]
    occasion: vocab("activity_occasions") | None = Field(  # type: ignore[valid-type]
        default=None, description="开学初, 放假前, 安全教育日 … (activity_occasions)"
    )
    title: Short | None = Field(default=None, description="主题")
    host: Code | None = Field(default=None, description="staff id of who organised or chaired it")
    participants: int | None = Field(default=None, ge=0, description="参加人数")
    attendees: list[Code] = Field(default_factory=list, description="staff who attended (例会, 培训)")
    summary: Note | None = Field(default=None, description="内容和效果 (演练讲评, 会议纪要)")
    photos: list[Label] = Field(default_factory=list, description="paths inside the ledger, e.g. photos/activities/…")
