"""A masked export read back (no --reveal): a masked cell equal to the ledger's value, masked, means
"as before" and changes nothing; one that stands for no value of the ledger cannot be imported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gridctl.excel.grouping import Item
from gridctl.excel.rows import Issue, Layout
from gridctl.model.masking import SEALED_SHOWN, mask_date, mask_id_number, mask_phone


def unmask(item: Item, lay: Layout) -> list[Issue]:
    """A masked export read back: a masked value equal to the ledger's, masked, means 'as before'.

    So does (已加密), what an export made where no key opens an encrypted ledger holds, for a
    person who has such a value in the ledger (sealed, or opened here)."""
    out = []
    person, match, row = item.person, item.match, item.row.number
    number = person.get("id_number")
    if number and _hidden(number):
        if match is None or not _as_before(number, match.id_number, mask_id_number):
            out.append(Issue(row, lay.header("id_number"), *MASKED))
        del person["id_number"]
    born = person.get("birth_date")
    if isinstance(born, str) and _hidden(born):
        if match is None or not _as_before(born, match.birth_date, mask_date):
            out.append(Issue(row, lay.header("birth_date"), *MASKED))
        del person["birth_date"]
    shown = person.get("phones", [])
    if any(_hidden(p) for p in shown):
        ledger = match.phones if match is not None else []
        same = len(ledger) == len(shown) and all(
            _as_before(p, q, mask_phone) for p, q in zip(shown, ledger, strict=True)
        )
        if not same:
            out.append(Issue(row, lay.header("phones"), *MASKED))
        del person["phones"]
    return out


def unmask_words(item: Item, lay: Layout, house_tags: list[str] | None) -> list[Issue]:
    """*** (or (已加密)) for care groups and 管理类别: 'as before' where the ledger has them; typed for a
    person or household that has none (a new row, copied from a masked export), it stands for nothing.

    Called once the row's person is known by 人员编号 or ID number; `house_tags` are the care groups of
    the household the row goes to (None for a new one)."""
    out = []
    match, row = item.match, item.row.number
    known = (
        (item.person, "tags", match.tags if match is not None else None),
        (item.person, "category", match.category if match is not None else None),
        (item.house, "household_tags", house_tags),
    )
    for values, key, current in known:
        value = values.get(key)
        if value and all(w in ("***", SEALED_SHOWN) for w in (value if isinstance(value, list) else [value])):
            if not current:
                out.append(Issue(row, lay.header(key), *MASKED))
            del values[key]
    return out


def _hidden(value: str) -> bool:
    return "*" in value or value == SEALED_SHOWN


def _as_before(shown: str, current: Any, mask: Callable[[Any], str]) -> bool:
    """A masked cell stands for the ledger's value: it masks to it, or reads (已加密) where the ledger has one."""
    if current in (None, ""):
        return False
    return shown == SEALED_SHOWN or mask(current) == shown


MASKED = (
    "是脱敏后的值 (含 * 或为 (已加密))，无法导入；请使用有密钥时 --reveal 导出的表格，或填写完整值",
    "holds a masked value (with *, or (已加密)); import a sheet exported with --reveal where a key opens the "
    "ledger, or type the full value",
)
