"""GC019: a record of prints (.gridctl/printed.json) that cannot be read, found by validate.

A merge committed with conflict markers in the record passed validate, so CI and the pre-commit
hook, and only `print stale` stopped on it later. The record lies in a hidden folder, outside the
record files validate lists and keys its kept result by: validate reads it here (one small file),
keys its result by its content too (`mark`), and reports it as an error, since what it held of the
prints is lost to `print stale` and to every next print.
"""

from __future__ import annotations

import hashlib

from gridctl.history.prints import MANIFEST, damage_at, repair
from gridctl.ledger.files import Files
from gridctl.problem import Problem


def record_of_prints(files: Files) -> bytes | None:
    """The record of prints as `files` hold it (the working tree, a commit, a write's result); None
    when there is none, or it is a link out of the ledger (never read: its words would go to CI's log)."""
    try:
        if not files.exists(MANIFEST) or files.outside_link(MANIFEST):
            return None
        return files.read(MANIFEST)
    except OSError:  # gone meanwhile, or not ours to read: print stale names that itself
        return None


def mark(blob: bytes | None) -> str:
    """The record's content, for the key of a kept validation (its size and time could stay the same)."""
    return "-" if blob is None else hashlib.sha1(blob, usedforsecurity=False).hexdigest()


def unreadable(blob: bytes | None) -> Problem | None:
    """GC019 at the line to blame, with the words `print stale` stops with; None for a sound record or none."""
    found = damage_at(blob) if blob is not None else None
    if blob is None or found is None:
        return None
    advice = repair(blob)
    args = {"reason": found.why.en, "reason_zh": found.why.zh, "advice": advice.en, "advice_zh": advice.zh}
    return Problem("GC019", MANIFEST, args, line=found.line, column=found.column, width=found.width)
