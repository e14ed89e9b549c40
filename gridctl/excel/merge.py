"""Three-way import: a register's value against the ledger's and against what the register was made from.

For every field a row would change (register R ≠ ledger L):

- with a base (the export's stamp, or `--base REV|DATE`), B is the field at that revision:
  R = B means the register did not touch it and the ledger is newer (kept); L = B means only the
  register changed it (an update); otherwise both changed it (a conflict);
- without a base, R equal to a value the field held before is a revert (a stale register),
  anything else is the register's news (an update).

Conflicts and reverts are findings; the import writes nothing while one is open, unless the
clerk chose `--prefer ledger` or `--prefer register` for the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridctl.history.versions import Dated, commits_since, record_versions

HOUSEHOLD = "@household"
"""A person's pseudo-field: the household they are a member of."""

SAME, UPDATE, KEPT, CONFLICT, REVERT = "same", "update", "kept", "conflict", "revert"


@dataclass(frozen=True)
class Verdict:
    what: str
    since: str | None = None
    """The day the ledger's value was committed (conflicts, reverts, kept)."""
    base: Any = None
    """The field at the base (conflicts)."""


def comparable(value: Any) -> Any:
    """Values as compared: text, dates as ISO text, lists as tuples, blanks as None."""
    if value is None or value == "" or value == [] or value == ():
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(comparable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), comparable(v)) for k, v in value.items()))
    return str(value).strip()


def field_of(data: dict[str, Any] | None, key: str, household: str | None = None) -> Any:
    if key == HOUSEHOLD:
        return household
    if key == "household_tags":  # a household register's 家庭类别: the household file's tags
        key = "tags"
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


class Merge:
    """History of the records a register would change, asked for once, and the verdict per field."""

    def __init__(self, root: Path, folders: tuple[str, ...], base: str | None = None, vault: Any = None) -> None:
        self.root, self.folders, self.base = root, folders, base
        self.vault = vault
        """An encrypted ledger's vault: the history's sealed values are opened to be compared."""
        self.after: set[str] = commits_since(root, base) if base else set()
        self.wanted: set[str] = set()
        self.history: dict[str, list[Dated]] = {}
        self.loaded: set[str] = set()

    @property
    def pending(self) -> bool:
        """Records asked about whose history is not read yet (the plan must be made again)."""
        return bool(self.wanted - self.loaded)

    def load(self) -> None:
        todo = self.wanted - self.loaded
        self.history.update(record_versions(self.root, todo, self.folders))
        self.loaded |= todo

    def _opened(self, rid: str, key: str, value: Any) -> Any:
        if self.vault is None or not self.vault.can_open or value is None:
            return value
        name = key.rsplit(".", 1)[-1]
        if isinstance(value, list):
            return [_open_one(self.vault, rid, name, v) for v in value]
        return _open_one(self.vault, rid, name, value)

    def at_base(self, rid: str, key: str) -> tuple[bool, Any]:
        """(known, value): field `key` of record `rid` at the base, the value its export showed (masked).
        Not known until the record's history is read: asked for, and the plan is made again."""
        if rid not in self.loaded:
            self.wanted.add(rid)
            return False, None
        then = [d for d in self.history.get(rid, []) if d.sha not in self.after]
        version = then[-1].version if then else None
        if version is None:
            return True, None
        return True, self._opened(rid, key, field_of(version.data, key, version.household))

    def field(self, rid: str, key: str, register: Any, ledger: Any) -> Verdict:
        r, current = comparable(register), comparable(ledger)
        if r == current:
            return Verdict(SAME)
        if rid not in self.loaded:
            self.wanted.add(rid)
            return Verdict(UPDATE)
        versions = self.history.get(rid, [])
        values = [(d, comparable(self._opened(rid, key, field_of(d.version.data, key, d.version.household)
                                              if d.version else None))) for d in versions]  # fmt: skip
        since = _since(values, current)
        if self.base is not None:
            at_base = [v for d, v in values if d.sha not in self.after]
            b = at_base[-1] if at_base else None
            if r == b:
                return Verdict(KEPT, since)
            if current == b:
                return Verdict(UPDATE)
            return Verdict(CONFLICT, since, b)
        if any(v == r for _d, v in values):
            return Verdict(REVERT, since)
        return Verdict(UPDATE)


def _open_one(vault: Any, rid: str, name: str, value: Any) -> Any:
    from gridctl.ledger.vault import SealBroken
    from gridctl.model.masking import is_sealed

    if not is_sealed(value):
        return value
    try:
        return vault.open(value, rid, name)
    except SealBroken:
        return value  # sealed under an older data key: it compares as different


def _since(values: list[tuple[Dated, Any]], current: Any) -> str | None:
    """The day the field took the value it holds now."""
    day = None
    for d, v in values:
        day = (day or d.day) if v == current else None
    return day


GATES = {"renames": "--accept-renames", "moves": "--accept-moves", "address": "--accept-address"}
PREFER = "--prefer ledger|register"


@dataclass(frozen=True)
class Choices:
    """What the clerk decided for this run, after seeing the findings."""

    prefer: str | None = None
    """ledger or register: how conflicts and reverts are settled."""
    renames: bool = False
    moves: bool = False
    address: bool = False

    def settle(self, what: str, gate: str | None = None) -> tuple[str | None, str | None, str | None]:
        """(group, settled, option that settles it) for a verdict; no group for a value the ledger keeps."""
        from gridctl.excel.findings import ACCEPTED, LEDGER, OPEN, REGISTER

        if what in (SAME, KEPT):
            return None, None, None
        if what == UPDATE:
            group = "moved" if gate == "moves" else "updated"
            if gate is None:
                return group, None, None
            if getattr(self, gate):
                return group, ACCEPTED, None
            return group, LEDGER if self.prefer == "ledger" else OPEN, GATES[gate]
        group = "conflicts" if what == CONFLICT else "reverts"
        return group, {"ledger": LEDGER, "register": REGISTER}.get(self.prefer or "", OPEN), PREFER


def merge_fields(
    merge: Merge,
    choices: Choices,
    rid: str,
    label: str,
    row: int,
    candidates: dict[str, tuple[Any, Any]],
    column_of: Any,
    gates: dict[str, str] | None = None,
) -> tuple[dict[str, Any], list[Any]]:
    """The register's values to write for one record (key → new) and the findings, one per group."""
    from gridctl.excel.findings import FieldChange, Finding

    applied: dict[str, Any] = {}
    found: dict[tuple[str, str | None], Finding] = {}
    for key, (new, old) in candidates.items():
        verdict = merge.field(rid, key, new, old)
        group, settled, needs = choices.settle(verdict.what, (gates or {}).get(key))
        if group is None:
            continue
        finding = found.get((group, settled))
        if finding is None:
            finding = found[(group, settled)] = Finding(group, row, rid, label, settled=settled, needs=needs)
        finding.changes.append(FieldChange(key, column_of(key) or key, old, new, verdict.base, verdict.since))
        if finding.applied:
            applied[key] = new
    return applied, list(found.values())
