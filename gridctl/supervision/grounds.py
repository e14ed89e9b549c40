"""The errors in what an assessment or a monthly report is computed from: who was responsible for
each grid, and when (the grids' `responsible` and `former`), and the staff themselves.

Such a record is read, so no report leaves it out (gridctl.ledger.unread); but read wrong it is
counted as if right: a `former` tenure typed ending before it began (GC234) took 李强 and his due
days out of April's assessment without a word. A report names these errors, and is not published.
"""

from __future__ import annotations

from gridctl.ledger.index import Ledger
from gridctl.problem import Problem

KINDS = frozenset({"grid", "staff"})
"""The kinds of records whose errors put a report's figures in doubt."""


def grounds_errors(ledger: Ledger) -> list[Problem]:
    """Every error validate finds in the ledger's grid and staff files (their own and the ledger-wide
    checks'), sorted, except those that kept a record unread (the report names those already)."""
    from gridctl.ledger.unread import unread
    from gridctl.validate import errors_of

    told = {(p.file, p.line, p.code) for p in unread(ledger)}
    return [
        p
        for p in errors_of(ledger)
        if (p.file, p.line, p.code) not in told and KINDS.intersection(ledger.kinds_in(p.file) or ())
    ]
