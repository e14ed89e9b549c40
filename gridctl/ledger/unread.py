"""The records a ledger holds but could not read: a report built from it counts none of them.

A household committed by hand with `membrs:` fails its schema; the index keeps its id, but no
typed record, so every figure (its allowance, its people) leaves it out. A report must say so.
"""

from __future__ import annotations

from gridctl.ledger.columns import UNREADABLE, findings
from gridctl.ledger.facts import problem_from_tuple
from gridctl.ledger.index import Ledger
from gridctl.ledger.positions import locate_all
from gridctl.messages import CATALOG
from gridctl.problem import Problem


def unread(ledger: Ledger) -> list[Problem]:
    """The errors that kept a record out of the ledger (a file that is not YAML, a record or one of a
    household's people failing its schema), located and sorted; the errors of records that were
    read (an ID number in a note) are validate's business, not a report's."""
    out = [p for slot in sorted(ledger.cols.problems) for p in _unread_in(ledger, slot)]
    if ledger.source is not None:
        out = locate_all(ledger.source, out)
    return sorted(out, key=Problem.sort_key)


def unread_of(ledger: Ledger, rel: str) -> list[Problem]:
    """The errors that kept records of one file out of the ledger, located and sorted."""
    slot = ledger.slot_of(rel)
    out = _unread_in(ledger, slot) if slot is not None else []
    if ledger.source is not None:
        out = locate_all(ledger.source, out)
    return sorted(out, key=Problem.sort_key)


def files_unread(ledger: Ledger) -> list[str]:
    """The files holding a record the ledger could not read (their errors are not opened)."""
    c = ledger.cols
    return [c.files[slot] for slot, packed in sorted(c.problems.items()) if _errors(packed[0])]


def _errors(codes: str) -> bool:
    return any(CATALOG[code].severity == "error" for code in codes.split())


def _unread_in(ledger: Ledger, slot: int) -> list[Problem]:
    c = ledger.cols
    packed = c.problems.get(slot)
    if packed is None or not _errors(packed[0]):
        return []  # a file of warnings alone is not opened (thousands at a town's scale)
    handles = [h for h in c.entry_range(slot) if c.e_valid[h]]
    read = {c.e_id[h] for h in handles}
    docs = {c.e_doc[h] for h in handles if c.e_member[h] < 0}
    whole = bool(c.flags[slot] & UNREADABLE)
    out = []
    for t in findings(packed):
        p = problem_from_tuple(t, c.files[slot])
        if p.severity != "error":
            continue
        if whole or (p.record not in read if p.record is not None else p.doc not in docs):
            out.append(p)
    return out
