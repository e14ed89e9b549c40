"""The status an event's timeline leaves it in, by the cycle of gridctl.yaml (supervision.lifecycle).

Each step sets its status (gridctl.supervision.lifecycle.take), so a status is always what the last
step set. Two clones' steps merged are written one side's after the other's; either side's last step
then stands for the event. A status typed by hand, or taken while settling a merge, that no last step
sets is wrong: 已结案 with no 结案 step closed an overdue event nobody closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from gridctl.model.supervision import Lifecycle


def statuses_after(lc: Lifecycle, steps: Iterable[tuple[Any, Any]]) -> set[str] | None:
    """The statuses a timeline (each step's time and action, as written) can leave its event in: what
    its last status-setting step sets, the last as written or the latest in time. None when a step's
    action is not the cycle's, or it has none: that timeline says nothing."""
    targets: dict[str, set[str]] = {str(lc.report_action): {str(lc.initial)}}
    for t in lc.steps:
        targets.setdefault(str(t.action), set()).update({str(t.to)} if t.to is not None else set())
    listed = [(n, at, str(action)) for n, (at, action) in enumerate(steps)]
    if not listed or any(action not in targets for _n, _at, action in listed):
        return None
    setting = [s for s in listed if targets[s[2]]]
    if not setting:
        return {str(lc.initial)}
    latest = max(setting, key=lambda s: (_moment(s[1]), s[0]))
    return targets[setting[-1][2]] | targets[latest[2]]


def _moment(at: Any) -> dt.datetime:
    """A step's time to order by; a day alone as its start."""
    if isinstance(at, dt.datetime):
        return at.replace(tzinfo=None)
    if isinstance(at, dt.date):
        return dt.datetime.combine(at, dt.time())
    try:
        return dt.datetime.fromisoformat(str(at).replace("T", " ")).replace(tzinfo=None)
    except ValueError:
        return dt.datetime.min
