"""A key rotation, or a ledger's encryption, told as what it is: values sealed, not changed.

`keys remove` rotates the data key and seals every personal value again: each token (and each ID
number's `id_hash`, keyed by the data key) differs, every value is the same. Read token by token,
the audit trail said that every resident's ID number, birth date, phones and tags changed that day.

A field whose sealed value went from one data key to another is compared by value where a key
here opens both sides (the `Keyring`: every data key this computer's identity was given, the
history's included). Where none does, one commit's own change (a log line, a history step, a
diff of a commit against its parent) is taken as sealed again: gridctl seals under a new key only
when it rotates, and then changes no value. Across several commits nothing is assumed: a value may
have changed before the rotation, and only a key can tell.

`encrypt` is the same kind of change: every plain value sealed, none changed. A plain value
followed by a sealed one is compared by value where a key here opens it; where none does, it is
taken as sealed unchanged only in the one commit that encrypted the ledger (it added
`.gridctl/recipients`). Any other write on an encrypted ledger seals the household it writes, a
plain value left in it included, and may give that value a new one in the same commit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.history.describe import RecordChange
from gridctl.history.records import FieldChange
from gridctl.ledger.vault import RECIPIENTS, TOKEN, SealBroken, Vault, vault_from

RESEALED = "resealed"
"""What a record whose only changes were values sealed again under a new data key reads as."""
ENCRYPTED = "encrypted"
"""What a record whose only changes were plain values sealed (the ledger encrypted) reads as."""


class KeyNotHeld(SealBroken):
    """A value sealed with a data key no identity here was given."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"sealed with data key {key_id}, which no key here opens")
        self.key_id = key_id


class Keyring:
    """The data keys an identity here opens, by key id: the ledger's now, and each one a version of
    `.gridctl/recipients` in the history wrapped for it (whoever held a key reads what it sealed)."""

    def __init__(self, vaults: Iterable[Vault]) -> None:
        self.vaults = {v.key_id: v for v in vaults if v.can_open}

    @property
    def can_open(self) -> bool:
        return bool(self.vaults)

    def open(self, token: str, record: str, name: str) -> Any:
        """The value a token holds; KeyNotHeld when its data key is not here, SealBroken when it does not open."""
        m = TOKEN.match(token)
        if m is None:
            raise SealBroken("not a sealed value")
        vault = self.vaults.get(m.group(1))
        if vault is None:
            raise KeyNotHeld(m.group(1))
        return vault.open(token, record, name)


def keyring(root: Path, revs: Iterable[str] = ()) -> Keyring | None:
    """The keys this computer holds for the ledger at `root` (None for a plain ledger)."""
    from gridctl.history.gitlog import ZERO, cat_blobs, git

    disk = root / RECIPIENTS
    if not disk.is_file():
        return None
    versions: list[bytes] = [disk.read_bytes()]
    try:
        raw = git(root, "log", "--format=", "--raw", "--no-abbrev", "--no-renames", "HEAD", *revs, "--", RECIPIENTS)
    except GridctlError:  # no commit yet, or a revision git lacks: what the files hold
        raw = b""
    shas = [s for line in raw.decode("utf-8", "replace").splitlines() if line.startswith(":")
            for s in line.split("\t")[0].split()[2:4] if s != ZERO]  # fmt: skip
    versions += cat_blobs(root, shas).values()
    vaults = []
    for data in dict.fromkeys(versions):
        try:
            vaults.append(vault_from(data))
        except GridctlError:  # a damaged version of the file: no key from it
            continue
    return Keyring(vaults)


def key_of(value: Any) -> str | None:
    """The data key id a sealed value names (None for anything else)."""
    m = TOKEN.match(value) if isinstance(value, str) else None
    return m.group(1) if m else None


def rekeyed(old: Any, new: Any) -> bool:
    """Both sides sealed, under different data keys (a list item by item: the same length, each
    item the same or sealed under another key)."""
    if isinstance(old, list) and isinstance(new, list):
        pairs = list(zip(old, new, strict=False))
        return len(old) == len(new) and old != new and all(o == n or rekeyed(o, n) for o, n in pairs)
    before, after = key_of(old), key_of(new)
    return before is not None and after is not None and before != after


def sealed_now(old: Any, new: Any) -> bool:
    """Plain before, sealed after (a list item by item: the same length, each item the same or
    sealed from plain)."""
    if isinstance(old, list) and isinstance(new, list):
        pairs = list(zip(old, new, strict=False))
        return len(old) == len(new) and old != new and all(o == n or sealed_now(o, n) for o, n in pairs)
    if old in (None, "") or isinstance(old, (list, dict)):
        return False
    return key_of(old) is None and key_of(new) is not None


def encrypting(root: Path, before: str, after: str | None) -> bool:
    """Whether the ledger was plain at `before` and encrypted at `after` (None: the files as they
    are): a change from one to the other holds its encryption."""
    from gridctl.history.gitlog import git

    def holds(rev: str) -> bool:
        try:
            git(root, "rev-parse", "--verify", "-q", f"{rev}:{RECIPIENTS}")
        except GridctlError:
            return False
        return True

    return not holds(before) and ((root / RECIPIENTS).is_file() if after is None else holds(after))


def bound_to(change: FieldChange, kind: str, record: str) -> tuple[str, str]:
    """The record and field a value of this change was sealed for (gridctl.ledger.sealing.slots)."""
    path = change.path
    if kind == "household" and path[:1] == ("members",) and len(path) > 2:
        label = change.label or ""
        owner = label[len("members[") : label.index("]")] if label.startswith("members[") and "]" in label else record
        return owner, str(path[2])
    return record, str(path[0]) if path else ""


def _same(change: FieldChange, kind: str, record: str, keys: Keyring | None) -> bool | None:
    """Whether both sides hold one value: None when a key here does not open both."""
    if keys is None or not keys.can_open:
        return None
    owner, name = bound_to(change, kind, record)
    olds = change.old if isinstance(change.old, list) else [change.old]
    news = change.new if isinstance(change.new, list) else [change.new]
    try:
        for old, new in zip(olds, news, strict=True):
            if old != new and _text(old, owner, name, keys) != _text(new, owner, name, keys):
                return False
    except SealBroken:
        return None
    return True


def _text(value: Any, owner: str, name: str, keys: Keyring) -> str:
    """A value as sealing takes it (a date as its ISO text), opened when sealed."""
    if key_of(value) is not None:
        value = keys.open(value, owner, name)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def settle(
    changes: list[FieldChange],
    kind: str,
    record: str,
    keys: Keyring | None,
    one_commit: bool,
    encrypts: bool = False,
) -> tuple[list[FieldChange], str | None]:
    """(the changes of value, ENCRYPTED when a plain value was only sealed, else RESEALED when one
    was only sealed again under a new data key, else None). `encrypts`: the change holds the
    ledger's encryption (`encrypting`), which seals plain values and changes none."""
    kept: list[FieldChange] = []
    sealed: set[tuple[Any, ...]] = set()
    what = None
    for change in changes:
        again, first = rekeyed(change.old, change.new), sealed_now(change.old, change.new)
        if again or first:
            same = _same(change, kind, record, keys)
            if same or (same is None and one_commit and (again or encrypts)):
                sealed.add(change.path)
                what = ENCRYPTED if first or what == ENCRYPTED else RESEALED
                continue
        kept.append(change)
    # an ID number's index is keyed by the data key: written or sealed again with its number, it goes with it
    kept = [c for c in kept if not (c.path[-1:] == ("id_hash",) and (*c.path[:-1], "id_number") in sealed)]
    return kept, what


def settle_records(
    changes: list[RecordChange], keys: Keyring | None, one_commit: bool, encrypts: bool = False
) -> list[RecordChange]:
    """Record changes with values only sealed (again) left out; a record with nothing else:
    `encrypted` or `resealed`."""
    out = []
    for change in changes:
        if not change.changes or change.what in ("added", "removed"):
            out.append(change)
            continue
        kept, sealed = settle(change.changes, change.kind, change.id, keys, one_commit, encrypts)
        if sealed is None:
            out.append(change)
            continue
        what = sealed if change.what == "changed" and not kept else change.what
        out.append(dataclasses.replace(change, what=what, changes=kept))
    return out
