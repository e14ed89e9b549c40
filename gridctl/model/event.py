"""事: hazards, accidents, disputes, public sentiment, appeals, with their append-only timeline."""

from __future__ import annotations

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
    to: Code | None = Field(default=None, description="派遣: the staff sent; 上报上级: the grid it went up to")
    deadline: Moment | None = Field(
        default=None, description="上级受理: the time limit of the grid that took it on; the event's own stays"
    )
    note: Note | None = None


class Answer(Strict):
    """One item of a closing checklist (事故四不放过), answered in words."""

    item: Text
    note: Text


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
    occurred: Moment | None = Field(default=None, description="发生时间, when it is not the time of the report")
    reported: Reported
    deadline: Moment | None = Field(default=None, description="a day, or a day and time for an hours limit")
    status: vocab("event_statuses")  # type: ignore[valid-type]
    timeline: list[Step] = Field(default_factory=list)
    review: list[Answer] = Field(default_factory=list, description="事故四不放过: answered before 结案")
