"""The address of a building names no household.

A household answers to its own dwelling (幸福里3幢2单元101, or its written 现住址). The address of
what holds it — its estate, building or unit, or a place's name or address — is every household's
there: `show 幸福里3幢` is the place of that name, or the households in it to choose from, never one
of them picked because it is alone there or because its address was written without a room.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model.address import around

SHOWN = 20
"""Households listed when a building's address is given for one: enough to find one's own."""


@dataclass
class Around:
    """What the households' addresses say of one name (folded) as names.named reads them."""

    key: str
    inside: list[str] = field(default_factory=list)
    """Households whose estate, building or unit has this address."""
    written: list[str] = field(default_factory=list)
    """Households whose 现住址 is this address: their own, unless it is a building's."""

    def sees(self, rid: str, address: dict[str, Any]) -> bool:
        """Note the household at `address`; True when the name may be its own address (its room ends
        the name, or its 现住址 is the name): only those have their addresses worked out."""
        from gridctl.ledger.names import fold

        key = self.key
        g = address.get
        if key in _keys(g("community"), g("estate"), g("building"), g("unit")):
            self.inside.append(rid)
        room, text = g("room"), g("text")
        if text and fold(str(text)) == key:
            self.written.append(rid)
            return True
        if not room:
            return False
        plain = isinstance(room, str) and room.isascii() and room.isalnum()  # 501: nothing to fold
        return key.endswith(room if plain else fold(str(room)))

    def is_building(self, ledger: Ledger) -> bool:
        """The name is the address of households' building, unit or estate, or a place's name or address."""
        return bool(self.inside) or _a_place(ledger, self.key)

    @property
    def households(self) -> list[str]:
        return sorted(set(self.inside + self.written))


@lru_cache(maxsize=4096)
def _keys(community: Any, estate: Any, block: Any, door: Any) -> frozenset[str]:
    """The estate's, building's and unit's addresses, folded (shared by the households of one unit)."""
    from gridctl.ledger.names import fold

    parts = {"community": community, "estate": estate, "building": block, "unit": door}
    return frozenset(fold(a) for a in around(parts))


def _a_place(ledger: Ledger, key: str) -> bool:
    """Some place (a building, a house, a site) has this name or address."""
    from gridctl.ledger.names import fold

    for _entry_of, data in ledger.every_row("place"):
        if data is not None and any(
            isinstance(v, str) and fold(v) == key for v in (data.get("name"), data.get("address"))
        ):
            return True
    return False


def not_one(ledger: Ledger, value: str, inside: list[str]) -> GridctlError:
    """The households at a building's address, to choose one from (exit 2)."""
    from gridctl.ledger.names import AmbiguousName, describe, listing

    shown = [describe(ledger, ledger.by_id[rid][0]) for rid in inside[:SHOWN]]
    n = len(inside)
    return AmbiguousName(
        Text(
            f"“{value}”是楼栋、单元或小区的地址，不是一户的门牌；其中有 {n} 户，请写编号或带房号的地址",
            f"{value!r} is the address of a building, unit or estate, not of one household; {n} households "
            "live there: give the id, or the address with the room",
        ),
        hint=listing(shown, n - len(shown)),
    )
