"""事故四不放过: an accident closes only with its checklist answered item by item.

原因未查清不放过, 责任人员未处理不放过, 整改措施未落实不放过, 有关人员未受到教育不放过 — the
profile names which event types close this way (`lifecycle.review`) and with which checklist.
"""

from __future__ import annotations

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model import Event
from gridctl.model.supervision import Lifecycle, Transition
from gridctl.ops.records import Change
from gridctl.supervision.items import checklist_items, match_item, split_hazard


class ReviewMissing(GridctlError):
    exit_code = 1


def answered(ledger: Ledger, name: str, event: Event, given: list[str]) -> tuple[list[str], dict[str, str]]:
    """(the checklist's items, item → answer): what the event holds, with `given` ("N: 说明") over it."""
    items = checklist_items(ledger, name)
    found = {a.item: a.note for a in event.review if a.item in items and a.note.strip()}
    seen: set[str] = set()
    for text in given:
        item, note = split_hazard(text)
        key = match_item(items, item)
        if key in seen:
            raise GridctlError(Text(f"检查项重复填写: {key}", f"item answered twice: {key}"))
        seen.add(key)
        found[key] = note
    return items, found


def closing_review(
    ledger: Ledger, lc: Lifecycle, t: Transition, event: Event, given: list[str]
) -> list[tuple[str, str]]:
    """(item, answer) for each item of the type's closing checklist, or a refusal naming what is missing.

    Answers already recorded (gridctl event review) count; only a closing step asks for them.
    """
    name = lc.review.get(event.type)
    if t.to not in lc.closed or name is None:
        if given:
            kinds = "、".join(lc.review) or "事故"
            raise GridctlError(
                Text(
                    f"--review 只在{kinds}结案时填写", f"--review is for closing a {', '.join(lc.review) or 'accident'}"
                ),
                hint=f'gridctl event review {event.id} --by STAFF --review "1: …"',
            )
        return []
    items, found = answered(ledger, name, event, given)
    left = [i for i in items if i not in found]
    if left:
        listed = "\n".join(f"  {items.index(i) + 1}. {i}" for i in left)
        raise ReviewMissing(
            Text(
                f"{event.type}结案须逐项填写{name}:\n{listed}",
                f"closing this event ({event.type}) needs ({name}) answered:\n{listed}",
            ),
            hint=Text(
                '每项一个 --review: --review "1: 原因：…" --review "2: …"',
                'one --review per item: --review "1: …" --review "2: …"',
            ),
        )
    return [(i, found[i]) for i in items]


def record_review(ledger: Ledger, event_id: str, by: str, given: list[str]) -> Change:
    """Fill in (part of) an accident's 四不放过 as the investigation goes; closing needs every item."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from gridctl.ledger.names import resolve
    from gridctl.ops.records import Edit
    from gridctl.supervision.lifecycle import event_entry

    lc = ledger.settings.supervision.lifecycle
    entry, event = event_entry(ledger, event_id)
    event_id = entry.id  # the event may be named by its title
    name = lc.review.get(event.type) if lc else None
    if name is None:
        raise GridctlError(
            Text(f"{event.type}结案不需要逐项填写", f"this type of event ({event.type}) closes without a review")
        )
    resolve(ledger, by, ["staff"])
    if not given:
        raise GridctlError(Text('请用 --review 逐项填写: --review "1: 原因：…"', 'give the answers: --review "1: …"'))
    items, found = answered(ledger, name, event, given)
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    node["review"] = CommentedSeq(CommentedMap([("item", i), ("note", found[i])]) for i in items if i in found)
    left = len(items) - len(found)
    subject = Text(
        f"填写事件 {event_id} 的{name}：{len(found)}/{len(items)}" + ("" if left else "，已填完"),
        f"review event {event_id}: {name} {len(found)}/{len(items)}" + ("" if left else " complete"),
    )
    return Change(subject, {doc.rel: doc.dump()}, event_id)
