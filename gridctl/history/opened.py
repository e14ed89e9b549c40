"""What `--reveal` shows of history and diffs on an encrypted ledger: values opened, never ciphertext.

History reads old blobs as they are (and its cache keeps them so: sealed), so a change of a phone
on an encrypted ledger is two tokens. Revealed, each is opened with whichever data key sealed it
when an identity here was given that key (gridctl.history.resealing.Keyring: a key since rotated
away included), bound to its person or household and field, as sealed; else named `(已加密)`, and
where this computer holds keys but not that one, said so with the key's id (`Closed`). Opened in
memory, for the output only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gridctl.history.records import FieldChange
from gridctl.history.resealing import KeyNotHeld, Keyring, bound_to
from gridctl.model.masking import SEALED_SHOWN, is_sealed


class Closed(str):
    """A sealed value whose data key this computer was never given (reads `(已加密)` where compared;
    the output names the key: the clerk sees why, not a value that seems to come from nothing)."""

    key_id: str

    def __new__(cls, key_id: str) -> Closed:
        made = super().__new__(cls, SEALED_SHOWN)
        made.key_id = key_id
        return made


def vault_here(root: Path) -> Any:
    """The ledger's vault as the working tree names it (None for a plain ledger)."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.vault import vault_of

    return vault_of(WorkTree(root))


def opened(changes: Iterable[FieldChange], kind: str, record: str, vault: Keyring) -> list[FieldChange]:
    """The changes of one record (`kind`, `record` its id) with every sealed value opened or named."""
    out = []
    for change in changes:
        owner, name = bound_to(change, kind, record)
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


def _open(value: Any, owner: str, name: str, vault: Keyring) -> Any:
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
    except KeyNotHeld as exc:  # a data key this computer was never given
        return Closed(exc.key_id)
    except Exception:  # moved, damaged: named, never printed
        return SEALED_SHOWN
    return shown.isoformat() if hasattr(shown, "isoformat") else shown
