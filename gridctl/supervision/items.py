"""Checklist items as a clerk names them: by number (as printed on the form), text, or a part of it."""

from __future__ import annotations

import re

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger


def checklist_items(ledger: Ledger, name: str) -> list[str]:
    for checklist in ledger.settings.checklists:
        if checklist.name == name:
            return list(checklist.items)
    known = "、".join(c.name for c in ledger.settings.checklists)
    raise GridctlError(Text(f"没有检查表 {name}；可选: {known}", f"no checklist {name}; known: {known}"))


def match_item(items: list[str], given: str) -> str:
    """An item by its number (1-based), its full text, or a part of the text only it contains."""
    given = given.strip()
    if given.isdigit() and 1 <= int(given) <= len(items):
        return items[int(given) - 1]
    if given in items:
        return given
    category = [i for i in items if re.split("[：:]", i, maxsplit=1)[0].startswith(given)]
    if len(category) == 1:
        return category[0]  # "校舍" is item 3's area, though item 5 mentions 校舍 too
    found = [i for i in items if given in i]
    if len(found) == 1:
        return found[0]
    numbered = "; ".join(f"{n}. {i}" for n, i in enumerate(items, 1))
    raise GridctlError(
        Text(f"检查项 {given!r} 对应多项", f"{given!r} matches several items")
        if found
        else Text(f"检查项 {given!r} 不在检查表上", f"{given!r} is not on the checklist"),
        hint=Text(f"请用检查项的序号: {numbered}", f"use the item's number: {numbered}"),
    )


def split_hazard(text: str) -> tuple[str, str]:
    """'ITEM: 描述' (ASCII or full-width colon)."""
    for sep in (":", "："):
        if sep in text:
            item, note = text.split(sep, 1)
            if note.strip():
                return item.strip(), note.strip()
    raise GridctlError(
        Text(f'应写成 "检查项: 描述"，如 "1: …"，而不是 {text!r}', f'needs "ITEM: description", got {text!r}')
    )
