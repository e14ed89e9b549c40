"""What `--reveal` shows of history and diffs on an encrypted ledger: values opened, never ciphertext.

History reads old blobs as they are (and its cache keeps them so: sealed), so a change of a phone
on an encrypted ledger is two tokens. Revealed, each is opened with the ledger's key when one here
opens it (bound to its person or household and field, as sealed), else named `(已加密)`; a value
sealed with a data key since rotated away reads `(已加密)` too. Opened in memory, for the output only.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gridctl.history.records import FieldChange
from gridctl.model.masking import SEALED_SHOWN, is_sealed

_MEMBER = re.compile(r"^members\[([^\]]+)\]")


def vault_here(root: Path) -> Any:
    """The ledger's vault as the working tree names it (None for a plain ledger)."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.vault import vault_of

    return vault_of(WorkTree(root))


def opened(changes: Iterable[FieldChange], kind: str, record: str, vault: Any) -> list[FieldChange]:
    """The changes of one record (`kind`, `record` its id) with every sealed value opened or named."""
    out = []
    for change in changes:
        owner, name = _bound_to(change, kind, record)
        old, new = (_open(v, owner, name, vault) for v in (change.old, change.new))
        if (old, new) == (change.old, change.new):
            out.append(change)
        elif _text(old) != _text(new) or _named(old):  # the same value sealed again (encrypt, a new key)
            out.append(dataclasses.replace(change, old=old, new=new))
    return out


def _text(value: Any) -> Any:
    """A value as it reads: a plain birth date (a YAML date) and its opened text are one value."""
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    return value.isoformat() if hasattr(value, "isoformat") else value


def _named(value: Any) -> bool:
    """A value (or part of one) that stayed sealed here: whether it changed cannot be told."""
    if isinstance(value, list):
        return any(_named(v) for v in value)
    if isinstance(value, dict):
        return any(_named(v) for v in value.values())
    return value == SEALED_SHOWN


def _bound_to(change: FieldChange, kind: str, record: str) -> tuple[str, str]:
    """The record and field a value of this change was sealed for (gridctl.ledger.sealing.slots)."""
    path = change.path
    if kind == "household" and path[:1] == ("members",) and len(path) > 2:
        m = _MEMBER.match(change.label or "")
        return (m.group(1) if m else record), str(path[2])
    return record, str(path[0]) if path else ""


def _open(value: Any, owner: str, name: str, vault: Any) -> Any:
    if isinstance(value, list):
        return [_open(v, owner, name, vault) for v in value]
    if isinstance(value, dict):  # a member added or removed whole
        sub = str(value.get("id", owner))
        return {k: _open(v, sub, str(k), vault) for k, v in value.items()}
    if not is_sealed(value):
        return value
    if vault is None or not vault.can_open:
        return SEALED_SHOWN
    try:
        shown = vault.open(value, owner, name)
    except Exception:  # another data key, moved, damaged: named, never printed
        return SEALED_SHOWN
    return shown.isoformat() if hasattr(shown, "isoformat") else shown
