"""现住址 read against the address parts (小区/楼栋/单元/房号) of one register row.

An export writes both; a clerk who edits one and not the other leaves a row that says two
addresses. Neither may win silently: the row is refused, naming both columns.
"""

from __future__ import annotations

import re
from typing import Any

from gridctl.excel.grouping import ADDRESS
from gridctl.excel.plan import norm_key

_SUFFIX = re.compile(r"(号楼|号院|栋|幢|座|楼|单元|室|号|小区)$")
"""What a part may carry that the text may write otherwise (3号楼, 3栋, 3幢 are one building)."""
_ALNUM = re.compile(r"[0-9a-z]")
_NUMERAL = re.compile("[〇零一二两三四五六七八九十百]+")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def _plain(text: Any) -> str:
    """Text compared as an address: a register's 一号楼二单元 reads as 1号楼2单元 (十一 = 11, 一〇一 = 101),
    full-width digits as ASCII ones; both sides are read so, an estate named 三里屯 included."""
    return _NUMERAL.sub(_number, norm_key(text))


def _number(m: re.Match[str]) -> str:
    run = m.group(0)
    if "十" not in run and "百" not in run:
        return "".join(str(_DIGITS[c]) for c in run)
    total = current = 0
    for c in run:
        if c in "十百":
            total += (current or 1) * (10 if c == "十" else 100)
            current = 0
        else:
            current = _DIGITS[c]
    return str(total + current)


def unsaid(text: str, parts: dict[str, Any], keys: tuple[str, ...] = ADDRESS) -> list[str]:
    """The part keys (of `keys`) whose values `text` does not say, in order: 阳光小区3栋2单元501室
    says 阳光小区, 3, 2 and 501; it does not say room 502."""
    written, start, out = _plain(text), 0, []
    for key in keys:
        value = parts.get(key)
        if value in (None, ""):
            continue
        whole = _plain(value)
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
    without its 小区) are not asked of the row's; with no text in the ledger (an export leaves 现住址
    blank, the clerk fills it in), every part is: 小区, 楼栋, 单元 and 房号, in that order."""

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
    keys = tuple(k for k in ADDRESS if k not in unsaid(before, held)) if before else ADDRESS
    return unsaid(text, mine, keys)
