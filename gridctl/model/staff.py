"""工作人员: anyone who can be responsible for a grid. Their phone is public on notice boards."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from gridctl.model.base import Record
from gridctl.model.types import Label, Name, PublicPhone, Short, vocab


class Staff(Record):
    kind_name = "staff"
    kind: Literal["staff"]
    name: Name
    gender: vocab("genders") | None = None  # type: ignore[valid-type]
    phone: PublicPhone | None = None
    photo: Label | None = Field(default=None, description="Path inside the ledger, e.g. photos/S0001.jpg")
    organization: Short | None = None
    position: Short | None = None
    party_member: bool = False
    employment: vocab("employment") | None = None  # type: ignore[valid-type]
    contract_end: dt.date | None = Field(default=None, description="网格员 are hired year by year")
    active: bool = True  # type: ignore[assignment]
