"""工作人员: anyone who can be responsible for a grid. Their phone is public on notice boards."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from gridctl.model.base import Record
from gridctl.model.types import PublicPhone, Text, vocab


class Staff(Record):
    kind_name = "staff"
    kind: Literal["staff"]
    name: Text
    gender: vocab("genders") | None = None  # type: ignore[valid-type]
    phone: PublicPhone | None = None
    photo: str | None = Field(default=None, description="Path inside the ledger, e.g. photos/S0001.jpg")
    organization: str | None = None
    position: str | None = None
    party_member: bool = False
    employment: vocab("employment") | None = None  # type: ignore[valid-type]
    contract_end: dt.date | None = Field(default=None, description="网格员 are hired year by year")
    active: bool = True  # type: ignore[assignment]
