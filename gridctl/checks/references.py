"""Every id a record points at exists, and is of the kind the field expects."""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.ledger.index import Ledger, Source
from gridctl.messages import KIND_ZH
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def references(ledger: Ledger, settings: Settings, slots: set[int] | None = None) -> Iterator[Problem]:
    """`slots`: only the references the records of these files make (a write's, gridctl.checks.SCOPED)."""
    unreadable = ledger.unreadable
    kind_of = ledger.kinds_by_id().get if slots is None else ledger.kind_of  # a few ids: no dict of them all
    for handle, path, target, kind in ledger.refs(slots):
        if kind_of(target) == kind or target in unreadable:
            continue  # an unreadable file named like the target is already reported
        entry = ledger.entry_at(handle)
        yield _missing(entry.source, entry.id, path, target, kind)


def _missing(source: Source, rid: str, path: tuple[str | int, ...], target: str, kind: str) -> Problem:
    args = {"target": target, "target_kind": kind, "target_kind_zh": KIND_ZH.get(kind, kind)}
    return Problem("GC202", source.file, args, doc=source.doc, path=(*source.path, *path), record=rid)
