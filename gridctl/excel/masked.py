"""A masked export read back (no --reveal): a masked cell equal to the ledger's value, masked, means
"as before" and changes nothing; one that stands for no value of the ledger cannot be imported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gridctl.excel.grouping import Item
from gridctl.excel.rows import Issue, Layout
from gridctl.model.masking import SEALED_SHOWN, mask_date, mask_id_number, mask_phone

Exported = Callable[[str], tuple[bool, Any]]
"""key → (known, value): the row's person's field at the commit the sheet was exported from (its stamp)."""


def unmask(item: Item, lay: Layout, exported: Exported | None = None) -> list[Issue]:
    """A masked export read back: a masked value equal to the ledger's, masked, means 'as before'.

    So does (已加密), what an export made where no key opens an encrypted ledger holds, for a
    person who has such a value in the ledger (sealed, or opened here). With `exported` (a sheet
    with a stamp), so does the mask of the value at the export's commit: the ledger changed it
    since and the clerk left the cell alone, and the ledger's newer value is kept."""
    out = []
    person, match, row = item.person, item.match, item.row.number
    checks = (("id_number", mask_id_number), ("birth_date", mask_date), ("phones", mask_phone))
    for key, mask in checks:
        shown = person.get(key)
        if key == "phones":
            if not any(_hidden(p) for p in shown or []):
                continue
        elif not (isinstance(shown, str) and shown and _hidden(shown)):
            continue
        if not _stands_for(shown, match, key, mask, exported):
            out.append(Issue(row, lay.header(key), *MASKED))
        del person[key]
    return out


def _stands_for(shown: Any, match: Any, key: str, mask: Callable[[Any], str], exported: Exported | None) -> bool:
    """Whether the masked cell is the ledger's value now, or (a stamped sheet) the one it was exported with."""
    if match is None:
        return False
    if _shows(shown, getattr(match, key), mask):
        return True
    if exported is None:
        return False
    known, then = exported(key)
    if isinstance(then, list):
        then = [str(v) for v in then]
    elif then is not None:
        then = str(then)  # history as read from YAML: a number or a date not yet text
    return not known or _shows(shown, then, mask)  # not known yet: the plan is made again once it is


def _shows(shown: Any, value: Any, mask: Callable[[Any], str]) -> bool:
    if isinstance(shown, list):  # phones: each in its place
        held = value if isinstance(value, list) else []
        return len(held) == len(shown) and all(_as_before(p, q, mask) for p, q in zip(shown, held, strict=True))
    return _as_before(shown, value, mask)


def unmask_words(
    item: Item,
    lay: Layout,
    house_tags: list[str] | None,
    exported: Exported | None = None,
    house_exported: Exported | None = None,
) -> list[Issue]:
    """*** (or (已加密)) for care groups and 管理类别: 'as before' where the ledger has them; typed for a
    person or household that has none (a new row, copied from a masked export), it stands for nothing.

    Called once the row's person is known by 人员编号 or ID number; `house_tags` are the care groups of
    the household the row goes to (None for a new one). `exported`, `house_exported`: the person's
    and the household's fields at the export's commit (a stamped sheet): words they had then, and the
    ledger removed since, were masked so too."""
    out = []
    match, row = item.match, item.row.number
    known = (
        (item.person, "tags", match.tags if match is not None else None, exported),
        (item.person, "category", match.category if match is not None else None, exported),
        (item.house, "household_tags", house_tags, house_exported),
    )
    for values, key, current, then in known:
        value = values.get(key)
        if value and all(w in ("***", SEALED_SHOWN) for w in (value if isinstance(value, list) else [value])):
            if not current and not _had(then, "tags" if key == "household_tags" else key):
                out.append(Issue(row, lay.header(key), *MASKED))
            del values[key]
    return out


def _had(exported: Exported | None, key: str) -> bool:
    """Whether the field held a value at the export's commit (not known yet: the plan is made again)."""
    if exported is None:
        return False
    known, then = exported(key)
    return not known or then not in (None, "", [])


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
