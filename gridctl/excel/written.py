"""现住址 read against the address parts (小区/楼栋/单元/房号) of one register row.

An export writes both; a clerk who edits one and not the other leaves a row that says two
addresses. Neither may win silently: the row is refused, naming both columns.
"""

from __future__ import annotations

import re
from typing import Any

from gridctl.excel.grouping import ADDRESS
from gridctl.excel.plan import norm_key

_SUFFIX = re.compile(r"(号楼|号院|栋|幢|座|楼|单元|室|号)$")
"""What a part may carry that the text may write otherwise (3号楼, 3栋, 3幢 are one building)."""
_ALNUM = re.compile(r"[0-9a-z]")


def unsaid(text: str, parts: dict[str, Any], keys: tuple[str, ...] = ADDRESS) -> list[str]:
    """The part keys (of `keys`) whose values `text` does not say, in order: 阳光小区3栋2单元501室
    says 阳光小区, 3, 2 and 501; it does not say room 502."""
    written, start, out = norm_key(text), 0, []
    for key in keys:
        value = parts.get(key)
        if value in (None, ""):
            continue
        whole = norm_key(value)
        core = _SUFFIX.sub("", whole) or whole
        found = _find(written, core, start)
        if found is None:
            out.append(key)
        else:
            start = found
    return out


def _find(text: str, core: str, start: int) -> int | None:
    """The end of `core` in `text` after `start`; a number never inside another (5 is not in 501)."""
    before = "(?<![0-9a-z])" if _ALNUM.match(core[0]) else ""
    after = "(?![0-9a-z])" if _ALNUM.match(core[-1]) else ""
    found = re.compile(before + re.escape(core) + after).search(text, start)
    return found.end() if found else None


def contradicted(row: dict[str, Any], cleared: set[str], held: dict[str, Any]) -> list[str]:
    """The parts a row's 现住址 contradicts, when the row edited the text or a part of a household
    whose address is `held` (flat address.x); [] when it edited neither. A blank cell is the
    ledger's value kept, （清空） (`cleared`) none. Parts the ledger's own text never said (a 现住址
    without its 小区) are not asked of the row's; with no text in the ledger, the building, unit and
    room are."""

    def now(key: str) -> Any:
        return None if key in cleared else row.get(key, held.get(key))

    text = now("address.text")
    if not text:
        return []
    mine = {k: now(k) for k in ADDRESS}
    edited = any(norm_key(mine[k] or "") != norm_key(held.get(k) or "") for k in ADDRESS)
    if not edited and norm_key(text) == norm_key(held.get("address.text") or ""):
        return []
    before = held.get("address.text")
    keys = tuple(k for k in ADDRESS if k not in unsaid(before, held)) if before else ADDRESS[1:]
    return unsaid(text, mine, keys)
