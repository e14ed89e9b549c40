"""One way to write an address: 阳光小区3号楼2单元501, whether the parts were typed `3` or `3号楼`.

Lists, commit subjects, import findings and printed pages all write an address through here, so
a register's `1号楼` never becomes 1号楼号楼 and a bare `3` never runs into the room (阳光小区32501).
"""

from __future__ import annotations

import re
from typing import Any

PARTS = ("community", "estate", "building", "unit", "room", "text")

_BARE = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]$")
"""A part that ends in a digit or letter (`3`, `12A`) says no 号楼/单元 of its own."""


def _get(address: Any, part: str) -> str:
    if address is None:
        return ""
    if isinstance(address, dict):
        value = address.get(part, address.get(f"address.{part}"))
    else:
        value = getattr(address, part, None)
    return "" if value is None else str(value).strip()


def building(text: str) -> str:
    """`3` → 3号楼; `1号楼`, `5栋`, `A座`, `东楼` stay as written."""
    return f"{text}号楼" if text and _BARE.search(text) else text


def unit(text: str) -> str:
    """`2` → 2单元; `2单元`, `东单元` stay as written."""
    return f"{text}单元" if text and _BARE.search(text) else text


def address_text(address: Any) -> str:
    """The address as a clerk writes it.

    `address` is a household's address (a dict, a cached row or the model), or a register row's
    flat `address.x` values. The parts win when a building, unit or room is given; else the text
    as written (现住址), else the estate alone. The community is the grid's, not written again.
    """
    parts = {p: _get(address, p) for p in PARTS}
    if parts["text"] and not (parts["building"] or parts["unit"] or parts["room"]):
        return parts["text"]
    return "".join((parts["estate"], building(parts["building"]), unit(parts["unit"]), parts["room"]))
