"""What every record kind shares: `kind`, a stable `id`, retirement and `extra:`."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from gridctl.model.types import Code, Text


class Strict(BaseModel):
    """Unknown keys are mistakes (a typo loses data silently); extras belong under `extra:`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


class Retirement(Strict):
    """注销/迁出: the record stays for the history, marked inactive with date and reason."""

    date: dt.date
    reason: Text


class Record(Strict):
    """A ledger document. Ids are stable for life and never reused."""

    kind_name: ClassVar[str] = ""
    kind: str
    id: Code = Field(description="Stable id, never reused.")
    retired: Retirement | None = Field(default=None, description="注销/迁出: date and reason.")
    extra: dict[str, Any] = Field(default_factory=dict, description="The ledger's own extra fields.")

    @property
    def is_active(self) -> bool:
        """Not retired (and, for staff, not marked inactive)."""
        return self.retired is None and getattr(self, "active", True) is not False
