"""An accident closed without its 四不放过: the closing checklist (lifecycle.review) answered item by item.

`gridctl event close` refuses to close one without it; this finds the ones closed by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.model import Event
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def closing_reviews(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    lc = settings.supervision.lifecycle
    if lc is None or not lc.review:
        return
    checklists = {c.name: c.items for c in settings.checklists}
    for event, src in ledger.records(Event):
        name = lc.review.get(event.type)
        if name is None or name not in checklists or event.status not in lc.closed:
            continue
        answered = {a.item for a in event.review if a.note.strip()}
        left = [f"{n}. {item}" for n, item in enumerate(checklists[name], 1) if item not in answered]
        if left:
            args = {"type": event.type, "event": event.id, "checklist": name, "missing": "；".join(left)}
            path = (*src.path, "review") if event.review else (*src.path, "status")
            yield Problem("GC412", src.file, args, doc=src.doc, path=path, record=event.id)
