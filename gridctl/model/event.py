"""事: hazards, disputes, public sentiment, appeals. The lifecycle comes later; here it loads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from gridctl.model.base import Record, Strict
from gridctl.model.types import Code, Moment, Note, Short, Text, vocab


class Refs(Strict):
    places: list[Code] = Field(default_factory=list)
    people: list[Code] = Field(default_factory=list)
    orgs: list[Code] = Field(default_factory=list)
    things: list[Code] = Field(default_factory=list)


class Reported(Strict):
    by: Code
    at: Moment
    via: Short | None = Field(default=None, description="巡查/群众反映/电话 …")


class Step(Strict):
    """One entry of the append-only timeline."""

    at: Moment
    by: Code
    action: vocab("event_actions")  # type: ignore[valid-type]
    note: Note | None = None


class Event(Record):
    kind_name = "event"
    kind: Literal["event"]
    grid: Code
    type: vocab("event_types")  # type: ignore[valid-type]
    category: Short | None = None
    grade: vocab("event_grades") | None = None  # type: ignore[valid-type]
    title: Text
    description: Note | None = None
    refs: Refs = Field(default_factory=Refs)
    reported: Reported
    deadline: dt.date | None = None
    status: vocab("event_statuses")  # type: ignore[valid-type]
    timeline: list[Step] = Field(default_factory=list)
