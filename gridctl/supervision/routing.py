"""Where an event is handled: the grid it was reported in, or the grid it was escalated (上报) to.

An escalated event belongs to the upper grid: its people accept, dispatch, verify and close it
there, and the person it is dispatched to — in any grid, a school's 总务主任 under the bureau —
handles it and answers (反馈). Both are recorded on the step (`to:`), so the route is data.
"""

from __future__ import annotations

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model import Event
from gridctl.model.supervision import Lifecycle


def _commands(lc: Lifecycle, command: str) -> set[str]:
    return {t.action for t in lc.steps if t.command == command}


def escalated_to(lc: Lifecycle, event: Event) -> str | None:
    """The grid of the last 上报上级 that named one, if any."""
    actions = _commands(lc, "escalate")
    for step in reversed(event.timeline):
        if step.action in actions:
            return step.to
    return None


def acting_grid(ledger: Ledger, lc: Lifecycle, event: Event) -> str:
    """The grid whose people decide the event's steps: the upper grid once escalated there."""
    upper = escalated_to(lc, event)
    return upper if upper is not None and upper in ledger.grids() else event.grid


def dispatched_to(lc: Lifecycle, event: Event) -> str | None:
    """The staff member of the last 派遣 (structured `to:`, or the `至 S…` of an older note)."""
    actions = _commands(lc, "dispatch")
    for step in reversed(event.timeline):
        if step.action in actions:
            if step.to:
                return step.to
            if step.note and step.note.startswith("至 "):
                return step.note[2:].split("；", 1)[0].strip()
            return None
    return None


def escalated_outside(lc: Lifecycle, event: Event) -> str | None:
    """The body outside the ledger (派出所, 街道综治中心) the last 上报上级 went to, as its note names it."""
    actions = _commands(lc, "escalate")
    for step in reversed(event.timeline):
        if step.action in actions:
            if step.to is None and step.note and step.note.startswith("至 "):
                return step.note[2:].split("；", 1)[0].strip()
            return None
    return None


def upper_grid(ledger: Ledger, grid: str, to: str) -> str | None:
    """`--to` of an escalation: a grid above (by id or name) or a level name; None for a level above
    that this ledger holds no grid of (a 街道 above a community's own ledger). Anything else is refused:
    a body outside the ledger is named with --outside."""
    grids = ledger.grids()
    chain: list[str] = []
    node: str | None = grids[grid].parent if grid in grids else None
    while node is not None and node in grids and node not in chain:
        chain.append(node)
        node = grids[node].parent
    for gid in chain:
        g = grids[gid]
        if to in (g.id, g.name, g.level):
            return gid
    if to in grids or any(g.name == to for g in grids.values()):
        above = "、".join(f"{grids[g].name} ({grids[g].id})" for g in chain)
        raise GridctlError(
            Text(f"--to {to}: {to} 不是网格 {grid} 的上级", f"--to {to} is not above grid {grid}"),
            hint=Text(f"上级: {above}", f"above it: {above}") if chain else None,
        )
    tiers = ledger.settings.level_index()
    own = tiers.get(grids[grid].level) if grid in grids else None
    if to in tiers and own is not None and tiers[to] < own:
        return None  # the level above, outside this ledger
    above = "、".join(f"{grids[g].name} ({grids[g].id})" for g in chain) or "-"
    raise GridctlError(
        Text(
            f"--to {to}: 不是网格 {grid} 的上级网格或上级层级",
            f"--to {to} is not a grid or level above grid {grid}",
        ),
        hint=Text(
            f'上级: {above}；上报台账外的单位 (街道综治中心、派出所、教育局) 用 --outside "名称"',
            f"above it: {above}; to escalate to a body outside the ledger (街道综治中心, 派出所, 教育局) "
            'give --outside "NAME"',
        ),
    )


def dispatch_target(ledger: Ledger, to: str) -> str:
    """`--to` of a dispatch: a staff member or an organization, by id or by name."""
    if ledger.kind_of(to) in ("staff", "org"):
        return to
    from gridctl.ledger.names import resolve

    return resolve(ledger, to, ["staff", "org"])
