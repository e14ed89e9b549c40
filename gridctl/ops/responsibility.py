"""定人、定责: who is responsible for a grid, in which role, with which written duties."""

from __future__ import annotations

import datetime as dt

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model import Grid, Staff
from gridctl.ops.records import Change, Edit, find


def assign(ledger: Ledger, grid_id: str, role: str, staff_id: str, duties: list[str], since: dt.date) -> Change:
    """Add a responsible person to a grid, or rewrite the duties of one already there."""
    grid = find(ledger, grid_id, ["grid"])
    person = find(ledger, staff_id, ["staff"])
    grid_id, staff_id = grid.id, person.id
    from gridctl.ops.gridretire import open_grid

    open_grid(ledger, grid_id)
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


def unassign(ledger: Ledger, grid_id: str, role: str, staff_id: str, until: dt.date) -> Change:
    """Take a responsible person off a grid as of `until` (the first day no longer responsible).

    The entry moves to the grid's `former` with its `until`, so a month before it is still judged by
    who held the grid then. An `until` before `since` is refused (a slip that would delete the tenure);
    one on `since` (never served a day) leaves nothing to keep, and says so.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    grid = find(ledger, grid_id, ["grid"])
    grid_id, staff_id = grid.id, find(ledger, staff_id, ["staff"]).id
    record = grid.record
    doc = Edit(ledger, grid.source.file)
    node = doc.node(grid)
    people = node.get("responsible") or []
    held = record.responsible if isinstance(record, Grid) else []
    gone = [i for i, r in enumerate(people) if r.get("role") == role and str(r.get("staff")) == staff_id]
    if not gone:
        raise GridctlError(Text(f"{staff_id} 不是网格 {grid_id} 的{role}", f"{staff_id} is not {role} of {grid_id}"))
    unserved = False
    for i in reversed(gone):
        since = held[i].since if i < len(held) else None
        if since is not None and until < since:
            raise GridctlError(_before_since(grid_id, role, staff_id, since, until), hint=_UNTIL_HINT)
        entry = people.pop(i)
        if since is not None and since == until:
            unserved = True
            continue  # never served a day: no tenure to keep
        if node.get("former") is None:
            node["former"] = CommentedSeq()
        kept = CommentedMap((k, v) for k, v in entry.items() if k != "until")
        kept["until"] = until
        node["former"].append(kept)
    subject = Text(
        f"网格 {grid_id} 免去{role}：{staff_id}（{until.isoformat()} 起）",
        f"unassign grid {grid_id}: {role} {staff_id} (from {until.isoformat()})",
    )
    shown = None
    if unserved:
        shown = Text(
            f"{staff_id} 任职日期 (since) 即是 {until.isoformat()}，未到任一天：不记入历任责任人 (former)",
            f"{staff_id} started on {until.isoformat()} (since), so never served a day: not kept under former",
        )
    return Change(subject, {doc.rel: doc.dump()}, grid_id, shown=shown, warn=True)  # the 包户 and 楼栋 they leave


_UNTIL_HINT = Text(
    "--date 是不再负责的第一天 (接任者的 --since)，不能早于 since；核对任免文件后重写",
    "--date is the first day no longer responsible (the successor's --since), never before since; "
    "check the appointment papers and give it again",
)


def _before_since(grid_id: str, role: str, staff_id: str, since: dt.date, until: dt.date) -> Text:
    """Refused rather than read as "never took it up": that would delete a tenure that had days."""
    return Text(
        f"--date {until.isoformat()} 早于 {staff_id} 任网格 {grid_id} {role}的日期 (since) {since.isoformat()}："
        "这样会删掉他的整段任职，未改动",
        f"--date {until.isoformat()} is before {staff_id} became {role} of {grid_id} (since {since.isoformat()}): "
        "that would delete the whole tenure; nothing changed",
    )
