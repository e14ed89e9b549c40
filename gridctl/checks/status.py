"""An event whose status no step of its timeline set: `status: 已结案` typed by hand, or taken while
settling a merge, with no 结案 step by anyone. It drops off `due` as closed (GC100 on `status`)."""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.model import Event
from gridctl.model.settings import Settings
from gridctl.problem import Problem
from gridctl.supervision.status import statuses_after


def status_follows_timeline(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    lc = settings.supervision.lifecycle
    if lc is None:
        return
    for event, src in ledger.records(Event):
        allowed = statuses_after(lc, [(step.at, step.action) for step in event.timeline])
        if allowed is None or event.status in allowed:
            continue
        last = event.timeline[-1]
        may, may_en = "或".join(sorted(allowed)), " or ".join(sorted(allowed))
        args = {
            "field": "status",
            "detail": f"{event.status} is not what the timeline leaves the event in ({may_en}, after its last "
            f"step {last.action}): a status follows the steps taken; take the step (gridctl event steps "
            f"{event.id}) or write {may_en}",
            "detail_zh": f"{event.status} 不是处置记录所到的状态 (最后一步{last.action}之后是 {may})："
            f"状态随办理环节而定；请办理相应环节 (gridctl event steps {event.id})，或改回 {may}",
        }
        yield Problem("GC100", src.file, args, doc=src.doc, path=(*src.path, "status"), record=event.id)
