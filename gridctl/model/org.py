"""组织: enterprises, social organizations, schools, party branches."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gridctl.model.base import Record, Strict
from gridctl.model.types import Code, Name, PublicPhone, Short, vocab


class Contact(Strict):
    name: Name | None = None
    position: Short | None = None
    phone: PublicPhone | None = None


class Org(Record):
    kind_name = "org"
    kind: Literal["org"]
    grid: Code
    name: Name
    type: vocab("org_types")  # type: ignore[valid-type]
    credit_code: Code | None = Field(default=None, description="统一社会信用代码 (GB 32100)")
    address: Short | None = None
    contact: Contact | None = None
    first_responsible: Contact | None = Field(default=None, description="第一责任人")
