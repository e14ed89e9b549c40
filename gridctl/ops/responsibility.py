"""定人、定责: who is responsible for a grid, in which role, with which written duties."""

from __future__ import annotations

import datetime as dt

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model import Staff
from gridctl.ops.records import Change, Edit, find


def assign(ledger: Ledger, grid_id: str, role: str, staff_id: str, duties: list[str], since: dt.date) -> Change:
    """Add a responsible person to a grid, or rewrite the duties of one already there."""
    grid = find(ledger, grid_id, ["grid"])
    person = find(ledger, staff_id, ["staff"])
    grid_id, staff_id = grid.id, person.id
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    doc = Edit(ledger, grid.source.file)
    node = doc.node(grid)
    if node.get("responsible") is None:
        node["responsible"] = CommentedSeq()
    existing = [r for r in node["responsible"] if r.get("role") == role and str(r.get("staff")) == staff_id]
    if existing:
        if not duties:
            raise GridctlError(
                Text(
                    f"{staff_id} 已是网格 {grid_id} 的{role}；要改职责请给出 --duty",
                    f"{staff_id} is already {role} of {grid_id}; give --duty to change the duties",
                )
            )
        existing[0]["duties"] = CommentedSeq(duties)
    else:
        entry = CommentedMap([("role", role), ("staff", staff_id), ("duties", CommentedSeq(duties)), ("since", since)])
        node["responsible"].append(entry)
    name = person.record.name if isinstance(person.record, Staff) else ""
    subject = Text(
        f"网格 {grid_id} 指定{role}：{staff_id} {name}".rstrip(),
        f"assign grid {grid_id}: {role} {staff_id} {name}".rstrip(),
    )
    return Change(subject, {doc.rel: doc.dump()}, grid_id)


def unassign(ledger: Ledger, grid_id: str, role: str, staff_id: str) -> Change:
    grid = find(ledger, grid_id, ["grid"])
    grid_id, staff_id = grid.id, find(ledger, staff_id, ["staff"]).id
    doc = Edit(ledger, grid.source.file)
    node = doc.node(grid)
    people = node.get("responsible") or []
    keep = [r for r in people if not (r.get("role") == role and str(r.get("staff")) == staff_id)]
    if len(keep) == len(people):
        raise GridctlError(Text(f"{staff_id} 不是网格 {grid_id} 的{role}", f"{staff_id} is not {role} of {grid_id}"))
    for r in [r for r in people if r not in keep]:
        people.remove(r)
    subject = Text(f"网格 {grid_id} 免去{role}：{staff_id}", f"unassign grid {grid_id}: {role} {staff_id}")
    return Change(subject, {doc.rel: doc.dump()}, grid_id)
