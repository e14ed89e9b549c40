"""地: buildings, houses, rental housing (出租房屋) and key sites (重点部位/场所)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gridctl.model.base import Record, Strict
from gridctl.model.types import Code, Label, Name, ResidentPhone, Short, vocab


class Rental(Strict):
    """出租房屋 details: 挂牌, 备案 and the 四类管理 category."""

    landlord: Short | None = None
    landlord_phone: ResidentPhone | None = None  # a private person's (often a resident's): masked, never public
    plate_number: Label | None = Field(default=None, description="挂牌编号")
    filing_number: Label | None = Field(default=None, description="租赁备案号")
    max_occupants: int | None = Field(default=None, ge=0)
    hazard_level: vocab("hazard_levels") | None = None  # type: ignore[valid-type]
    category: vocab("rental_categories") | None = Field(default=None, description="四类管理")  # type: ignore[valid-type]


class Place(Record):
    kind_name = "place"
    kind: Literal["place"]
    grid: Code
    type: vocab("place_types")  # type: ignore[valid-type]
    name: Name
    address: Short | None = None
    rental: Rental | None = None
    responsible: Code | None = Field(default=None, description="staff responsible for a key site")
    photo: Label | None = Field(default=None, description="Path inside the ledger, e.g. photos/PL00001.jpg")
