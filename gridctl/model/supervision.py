"""The `supervision:` block of gridctl.yaml: the event cycle, time limits, calendar, allowances, 考核.

All of it is configuration (design.md §1): a school system, a town and a fire-safety grid run
the same loop with other states, limits and weights. The community profile supplies defaults.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from gridctl.model.base import Strict
from gridctl.model.types import Text


class Transition(Strict):
    """One step of the event cycle: the CLI verb, the timeline action, where it may start and end."""

    command: str = Field(description="the CLI verb: gridctl event <command>")
    action: Text = Field(description="the timeline action (event_actions vocabulary)")
    source: list[Text] = Field(alias="from", description="statuses the step may start from")
    to: Text | None = Field(default=None, description="the status after the step; empty keeps it")
    roles: list[Text] = Field(default_factory=list, description="roles in the event's grid (or above); empty: anyone")
    needs: list[str] = Field(default_factory=list, description="options the step requires: to, reason, card, note")


class Lifecycle(Strict):
    initial: Text = Field(description="status of a newly reported event")
    report_action: Text = "上报"
    closed: list[Text] = Field(default_factory=list, description="statuses that end the clock")
    escalated: list[Text] = Field(default_factory=list, description="statuses meaning handed upward")
    steps: list[Transition] = Field(default_factory=list)
    review: dict[str, Text] = Field(
        default_factory=dict,
        description="event type → the checklist answered item by item before it may close (事故: 四不放过)",
    )


Limit = Annotated[
    int | str,
    Field(description='working days (0 = the same day, 立即整改) or clock hours, e.g. "4h"'),
    AfterValidator(lambda v: _limit(v)),
]


def _limit(value: int | str) -> int | str:
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a time limit cannot be negative")
        return value
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?\s*h", text):
        return text
    raise PydanticCustomError(
        "settings",
        "{en}",
        {
            "zh": f"时限 {value!r} 应为工作日数 (如 3) 或小时数 (如 4h)",
            "en": f"limit {value!r}: working days (3) or hours (4h)",
        },
    )


class TimeLimits(Strict):
    """From the report to 结案, per event type and grade: working days, or hours ("4h")."""

    default: dict[str, Limit] = Field(default_factory=dict, description="grade → limit")
    by_type: dict[str, dict[str, Limit]] = Field(default_factory=dict, description="type → grade → limit")
    escalate_within: dict[str, dict[str, Limit]] = Field(
        default_factory=dict,
        description="事故报告: type → grade → hours from when it happened to 上报上级 (e.g. 安全事故: {重大: 1h})",
    )
    warn_days: int = Field(default=1, ge=0, description="yellow when this many working days or fewer are left")
    hazard_type: Text = Field(default="安全隐患", description="event type of a hazard found on inspection")
    hazard_grade: Text = Field(default="一般", description="grade of a hazard found on inspection")


class Calendar(Strict):
    """Local days on top of the national calendar (法定节假日 and 调休 come from chinesecalendar)."""

    weekend: list[int] = Field(default_factory=lambda: [6, 7], description="ISO weekdays off (6 = Saturday)")
    holidays: list[dt.date] = Field(default_factory=list, description="local days off besides the national holidays")
    workdays: list[dt.date] = Field(default_factory=list, description="local days worked besides the national 调休")


class Period(Strict):
    """A term (学期) or a vacation (寒假, 暑假): a name and its first and last day."""

    name: Text
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise PydanticCustomError(
                "settings",
                "{en}",
                {
                    "zh": f"{self.name} 的结束日期 {self.end} 早于开始日期 {self.start}",
                    "en": f"{self.name} ends ({self.end}) before it starts ({self.start})",
                },
            )
        return self


class SchoolCalendar(Strict):
    """校历: terms and vacations. Daily inspections are due on working days inside a term only."""

    terms: list[Period] = Field(default_factory=list, description="学期: school days lie inside one")
    vacations: list[Period] = Field(default_factory=list, description="寒暑假 and other breaks: no school days")


class Monthly(Strict):
    """A task the profile asks for every month in every inspected grid (每月至少一次演练)."""

    name: Text
    checklist: Text = Field(description="an inspection with this checklist counts as the task held")


class Inspections(Strict):
    levels: list[Text] = Field(default_factory=lambda: ["网格"], description="grid levels inspected daily")
    on: str = Field(
        default="workdays",
        pattern="^(workdays|school_days|every_day)$",
        description="workdays; school_days (working days in a term of `calendar:`); every_day",
    )
    default_checklist: Text | None = None
    monthly: list[Monthly] = Field(default_factory=list)
    idle_days: int = Field(default=7, ge=1, description="staff with no record for this many days are listed")
    contract_warn_days: int = Field(default=30, ge=0)
    thing_warn_days: int = Field(
        default=30, ge=0, description="a thing's next inspection or expiry this close is listed"
    )


class RoleAllowance(Strict):
    yearly: float = Field(ge=0, description="元 a year (e.g. 楼栋长 at least 500)")


class Allowances(Strict):
    household_rate: float = Field(default=4, ge=0, description="元 per 包户 household per month")
    household_rate_min: float = Field(default=3, ge=0)
    household_rate_max: float = Field(default=5, ge=0)
    roles: dict[str, RoleAllowance] = Field(default_factory=dict)


class Measure(Strict):
    name: Text
    measure: str = Field(
        pattern="^(inspection_rate|on_time_rate|closed_rate|feedback_rate|activity_rate|document_rate)$",
        description="a rate 0–1; activity_rate and document_rate are for units (通报)",
    )
    weight: float = Field(ge=0)


class Assessment(Strict):
    """score = Σ weight × measure (0–1) − Σ deduction × count, never below `floor`."""

    measures: list[Measure] = Field(default_factory=list)
    deductions: dict[str, float] = Field(
        default_factory=dict, description="missing_inspection, overdue_event, late_entry, yellow_card, red_card"
    )
    late_after_days: int = Field(default=3, ge=0, description="a record committed this long after its date is late")
    floor: float = 0
    units: list[Measure] = Field(default_factory=list, description="通报: each unit's score, Σ weight × rate")


class Register(Strict):
    name: Text
    event_types: list[Text] = Field(default_factory=list)
    care_groups: list[Text] = Field(default_factory=list)
    activity_types: list[Text] = Field(default_factory=list, description="activities listed (演练, 例会, 安全教育)")


class ActivityRule(Strict):
    """An activity the plan asks of every unit: 每月一次消防演练, 每学期疏散演练, 放假前安全教育, "119" 宣传月."""

    name: Text
    types: list[Text] = Field(min_length=1, description="activity types that count")
    every: Literal["month", "quarter", "term", "year", "before_break", "term_start"]
    month: int | None = Field(default=None, ge=1, le=12, description="every: year — the month it is held in")
    days: int = Field(default=14, ge=1, description="before_break / term_start: the window in days")
    levels: list[Text] = Field(default_factory=list, description="levels whose grids hold it (default: the units)")


class DocumentRule(Strict):
    """A document every unit owes each year by a date: 实施方案 by 8月20日, 安全责任书 at the start of a year."""

    name: Text
    type: Text
    due: str = Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", description="MM-DD, every year")
    levels: list[Text] = Field(default_factory=list, description="levels whose grids owe it (default: the units)")
    to: Text | None = Field(default=None, description="报送对象")
    warn_days: int = Field(default=30, ge=0, description="listed in due this many days before")

    @model_validator(mode="after")
    def _a_day_of_the_year(self) -> DocumentRule:
        month, day = (int(x) for x in self.due.split("-"))
        try:
            dt.date(2000, month, day)  # a leap year: 02-29 is a day (it falls on 02-28 in other years)
        except ValueError:
            raise PydanticCustomError(
                "settings",
                "{en}",
                {"zh": f"{self.name} 的期限 {self.due} 不是一年中的日期", "en": f"{self.name}: {self.due} is no day"},
            ) from None
        return self

    def due_in(self, year: int) -> dt.date:
        """The due date in `year` (02-29 is 02-28 in a common year)."""
        month, day = (int(x) for x in self.due.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return dt.date(year, month, day - 1)


class Supervision(Strict):
    lifecycle: Lifecycle | None = None
    time_limits: TimeLimits = Field(default_factory=TimeLimits)
    calendar: Calendar = Field(default_factory=Calendar)
    inspections: Inspections = Field(default_factory=Inspections)
    allowances: Allowances = Field(default_factory=Allowances)
    assessment: Assessment = Field(default_factory=Assessment)
    registers: list[Register] = Field(default_factory=list)
    activities: list[ActivityRule] = Field(default_factory=list, description="activities the plan requires")
    visits: dict[str, int] = Field(
        default_factory=dict, description="重点人群 care group → days between visits (社区矫正: 30)"
    )
    documents: list[DocumentRule] = Field(default_factory=list, description="documents the plan requires")
