"""The warnings a write adds, told as it is made (a household moved out of its 包户人's grid, GC236).

A warning a change can add is one of its files' own findings, or a finding of a ledger-wide check
that can warn (checks.WARNING) and reads the kinds of records it changed (checks.READS): only
those are compared, on HEAD's ledger and on the result's, which the write has read already. Two
whole validations did it before, opening every file's packed warnings and running every check
twice: a move took 4 s more than an edit at 100,000 households.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gridctl.ledger.files import Overlay
from gridctl.problem import Problem


def added_warnings(base: Any, derived: Any, files: Overlay, today: dt.date) -> list[Problem]:
    """The warnings of the result (`derived`: HEAD's ledger `base` with `files.changes` read again,
    as the write's validation read it) that HEAD has not, located in the result and sorted."""
    from gridctl.checks import GLOBAL, run, touching, warning
    from gridctl.ledger.positions import locate_all
    from gridctl.ops.write import new_warnings
    from gridctl.validate import changed_kinds

    rels = sorted(files.changes)
    kinds = changed_kinds(base, derived, files)
    checks = warning(GLOBAL) if kinds is None else touching(warning(GLOBAL), kinds)
    before = _as_reported(base, [*_own(base, rels), *run(base, checks, today)])
    after = _as_reported(derived, [*_own(derived, rels), *run(derived, checks, today)])
    return sorted(locate_all(files, new_warnings(before, after)), key=Problem.sort_key)


def _own(ledger: Any, rels: list[str]) -> list[Problem]:
    """The files' own findings (YAML, schema, the per-record checks), as the ledger keeps them packed
    (validation.opened); the per-record checks are run for a file that has not had them yet."""
    from gridctl.checks import run_local
    from gridctl.ledger.columns import LOCAL
    from gridctl.ledger.index import Ledger
    from gridctl.validation import opened

    c = ledger.cols
    out: list[Problem] = []
    for rel in rels:
        slot = ledger.slot_of(rel)
        if slot is None:
            continue
        checked = bool(c.flags[slot] & LOCAL)
        out += opened(rel, tuple(t[slot] for t in ((c.problems, c.local) if checked else (c.problems,)) if slot in t))
        if not checked:
            out += run_local(lambda: Ledger(ledger.root, ledger.settings), [(rel, ledger.entries_of(rel))])[rel]
    return out


def _as_reported(ledger: Any, problems: list[Problem]) -> list[Problem]:
    """As validate reports them: codes switched off left out, a phone the ledger makes public not
    flagged where a note quotes it (GC116)."""
    from gridctl.validate import public_quoted

    disabled = set(ledger.settings.disabled)
    shown = [p for p in problems if p.code not in disabled]
    return public_quoted(ledger, shown) if any(p.code == "GC116" for p in shown) else shown
