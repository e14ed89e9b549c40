"""One way to write an address: 阳光小区3号楼2单元501, whether the parts were typed `3` or `3号楼`.

Lists, commit subjects, import findings and printed pages all write an address through here, so
a register's `1号楼` never becomes 1号楼号楼 and a bare `3` never runs into the room (阳光小区32501).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

PARTS = ("community", "estate", "building", "unit", "room", "text")

_BARE = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]$")
"""A part that ends in a digit or letter (`3`, `12A`) says no 号楼/单元 of its own."""


def _get(address: Any, part: str) -> str:
    if address is None:
        return ""
    if isinstance(address, dict):
        value = address.get(part)
        if value is None:  # a register row's flat address.x
            value = address.get("address." + part)
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


def dwelling(address: Any) -> list[str]:
    """What a household answers to by where it lives: its room address as `list` prints it (also
    after its community), and its written 现住址. Nothing without a room: a building's address
    is every household's in it, never one's (see `around`)."""
    community, estate, block, door, room, text = (_get(address, p) for p in PARTS)
    out: list[str] = []
    if room:
        held = _held(estate, block, door) + room
        out += [held, community + held] if community else [held]
    if text:
        out.append(text)
    return out


def around(address: Any) -> tuple[str, ...]:
    """The addresses of what holds a dwelling: its estate, building and unit (幸福里, 幸福里3幢,
    幸福里3幢2单元), also after its community. Each names every household there, so none of them."""
    return _around(*(_get(address, p) for p in PARTS[:4]))


@lru_cache(maxsize=4096)
def _held(estate: str, block: str, door: str) -> str:
    """Estate, building and unit as written before the room (a city's thousands of households share a few hundred)."""
    return "".join((estate, building(block), unit(door)))


@lru_cache(maxsize=4096)
def _around(community: str, estate: str, block: str, door: str) -> tuple[str, ...]:
    levels: list[str] = []
    held = ""
    for piece in (estate, building(block), unit(door)):
        if piece:
            held += piece
            levels.append(held)
    return tuple(levels + [community + level for level in levels if community])
