"""网格: a node of the grid tree, with its boundary and its responsible people (定格、定人、定责)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from gridctl.model.base import Record, Strict
from gridctl.model.types import Code, Name, Short, Text, vocab


class Boundary(Strict):
    """四至 as posted on the notice board, plus an optional GeoJSON polygon for maps."""

    east: Short | None = Field(default=None, description="东至")
    west: Short | None = Field(default=None, description="西至")
    south: Short | None = Field(default=None, description="南至")
    north: Short | None = Field(default=None, description="北至")
    polygon: dict[str, Any] | None = Field(default=None, description="GeoJSON Polygon, lon/lat")


class Responsibility(Strict):
    """One responsible person of a grid: role, staff member, written duties, since when."""

    role: vocab("roles")  # type: ignore[valid-type]
    staff: Code
    duties: list[Text] = Field(default_factory=list)
    since: dt.date | None = None

    def held_on(self, day: dt.date) -> bool:
        """Whether the role was held on `day`: from `since` (unknown: as far back as asked)."""
        return self.since is None or self.since <= day


class Former(Responsibility):
    """历任: a responsibility that ended. Kept so a past month is judged by who held the grid then,
    not by who holds it now; `until` is the first day it was no longer held (the successor's since)."""

    until: dt.date = Field(description="卸任日期: the first day no longer responsible")

    def held_on(self, day: dt.date) -> bool:
        return super().held_on(day) and day < self.until


class Grid(Record):
    kind_name = "grid"
    kind: Literal["grid"]
    name: Name
    level: vocab("levels")  # type: ignore[valid-type]
    type: vocab("grid_types") | None = None  # type: ignore[valid-type]
    area: vocab("areas") | None = Field(default=None, description="城市/农村")  # type: ignore[valid-type]
    parent: Code | None = None
    boundary: Boundary | None = None
    households_declared: int | None = Field(default=None, ge=0, description="申报户数")
    natural_villages: list[Text] = Field(default_factory=list, description="自然村 (rural grids)")
    township: Name | None = Field(default=None, description="属地乡镇: the 乡(镇) a school belongs to")
    key_sites: list[Code] = Field(default_factory=list, description="重点部位/场所: place ids")
    responsible: list[Responsibility] = Field(default_factory=list)
    former: list[Former] = Field(default_factory=list, description="历任责任人: who was responsible, until when")

    def held(self, day: dt.date) -> list[Responsibility]:
        """Who was responsible on `day`: current people from their `since`, former ones until `until`."""
        return [r for r in (*self.responsible, *self.former) if r.held_on(day)]

    def held_between(self, first: dt.date, end: dt.date) -> list[Responsibility]:
        """Everyone responsible on some day of first..end."""
        return [
            r
            for r in (*self.responsible, *self.former)
            if (r.since is None or r.since <= end) and (not isinstance(r, Former) or r.until > first)
        ]
