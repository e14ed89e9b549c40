"""The event cycle as a state machine read from gridctl.yaml: who may take which step from where.

Each step appends one entry to the event's timeline and sets its status; nothing earlier in
the timeline is touched (validate checks that in history, GC400).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Entry, Ledger
from gridctl.ledger.layout import path_for
from gridctl.ledger.yamlfile import dump_new
from gridctl.model import Event
from gridctl.model.supervision import Lifecycle, Transition
from gridctl.ops.duty import in_post, in_post_on, responsible_on, roles_in
from gridctl.ops.records import Change, Edit, allocate, find
from gridctl.supervision.limits import counted_past_data, day_of, deadline_for, when
from gridctl.supervision.review import closing_review
from gridctl.supervision.routing import acting_grid, dispatch_target, dispatched_to, escalated_to, upper_grid

CARDS = {"yellow": "黄牌", "red": "红牌"}


class StepRefused(GridctlError):
    """An illegal step: wrong status, wrong person, or missing detail. Nothing was written."""

    exit_code = 1


def lifecycle(ledger: Ledger) -> Lifecycle:
    lc = ledger.settings.supervision.lifecycle
    if lc is None:
        raise GridctlError(
            Text(
                "gridctl.yaml 没有配置事件处置流程 (supervision.lifecycle)",
                "gridctl.yaml has no supervision.lifecycle",
            ),
            hint=Text("参考 community 模板", "see the community profile"),
        )
    return lc


def allowed(lc: Lifecycle, status: str) -> list[Transition]:
    return [t for t in lc.steps if status in t.source]


def transition(lc: Lifecycle, command: str) -> Transition:
    for t in lc.steps:
        if t.command == command or t.action == command:
            return t
    raise GridctlError(
        Text(
            f"没有 {command} 这个环节；可用: {'、'.join(f'{t.command} ({t.action})' for t in lc.steps)}",
            f"no event step {command}; known: {', '.join(t.command for t in lc.steps)}",
        )
    )


def event_entry(ledger: Ledger, event_id: str) -> tuple[Entry, Event]:
    """The event (by id) and its entry; one whose file breaks the schema is named, never read half."""
    entry = find(ledger, event_id, ["event"])
    if not isinstance(entry.record, Event):
        raise GridctlError(
            Text(
                f"{entry.id} 的内容有误；请先运行 gridctl validate 并改正",
                f"{entry.id} has schema errors; run gridctl validate and fix it first",
            )
        )
    return entry, entry.record


def check_roles(ledger: Ledger, t: Transition, by: str, grid: str, day: dt.date) -> None:
    """`by` in post on the step's day and holding one of its roles in `grid` (or above) that day."""
    staff = in_post(ledger, by, day, Text(t.action, f"to {t.command} ({t.action})"), grid)
    if not t.roles:
        return
    held = roles_in(ledger, by, grid, day)
    if not held & set(t.roles):
        need = "、".join(t.roles)
        roles = "、".join(sorted(held))
        who = responsible_on(ledger, grid, day)
        raise StepRefused(
            Text(
                f"{by} {staff.name} {day} 在网格 {grid} 无权{t.action}，需由{need}办理",
                f"{by} ({staff.name}) may not {t.command} ({t.action}) in grid {grid} on {day}: needs {need}",
            ),
            hint=Text(f"{by} 当天的角色: {roles or '无'}；", f"roles of {by} that day: {roles or 'none'}; ") + who,
        )


def _note(t: Transition, note: str | None, to: str | None, reason: str | None, card: str | None) -> str | None:
    parts: list[str] = []
    if card:
        parts.append(f"{CARDS[card]}督办")
    if to:
        parts.append(f"至 {to}")
    if reason:
        parts.append(f"原因：{reason}")
    if note:
        parts.append(note)
    return "；".join(parts) or None


def _check_options(
    ledger: Ledger, t: Transition, note: str | None, to: str | None, reason: str | None, card: str | None
) -> str | None:
    """Refuse a step missing what it needs; returns --to as an id (a staff member or organization by name too)."""
    given = {"note": note, "to": to, "reason": reason, "card": card}
    missing = [f"--{k}" for k in t.needs if not given.get(k)]
    if missing:
        raise StepRefused(Text(f"{t.action}需要 {' '.join(missing)}", f"{t.command} needs {' '.join(missing)}"))
    if card is not None and card not in CARDS:
        raise StepRefused(
            Text(
                f"--card 只能是 yellow (黄牌) 或 red (红牌)，不能是 {card}",
                f"--card is yellow or red, not {card}",
            )
        )
    if to and "to" in t.needs and t.command != "escalate":  # an escalation may go outside the ledger
        from gridctl.ledger.names import UnknownName, resolve

        levels = ledger.settings.level_index()
        if to not in levels and ledger.kind_of(to) not in ("staff", "org"):
            try:
                to = resolve(ledger, to, ["staff", "org"])
            except UnknownName:
                raise StepRefused(
                    Text(
                        f"--to {to}: 没有这个名称的人员、组织或层级",
                        f"--to {to}: no staff, organization or level of that name",
                    )
                ) from None
    return to


def _outside(t: Transition, to: str | None, outside: str | None) -> None:
    """--outside names a body outside the ledger, for an escalation alone, never beside --to."""
    if outside is None:
        return
    if t.command != "escalate":
        raise StepRefused(
            Text(
                f"--outside 只用于上报上级 (escalate)，不用于{t.action}", f"--outside is for escalate, not {t.command}"
            )
        )
    if to:
        raise StepRefused(
            Text(
                "--to 和 --outside 只能给一个: 上级网格用 --to，台账外的单位用 --outside",
                "give --to or --outside, not both: --to for a grid above, --outside for a body outside the ledger",
            )
        )
    if not outside.strip():
        raise StepRefused(Text("--outside 需要单位名称", "--outside needs the body's name"))


def _route(
    ledger: Ledger, lc: Lifecycle, t: Transition, event: Event, to: str | None, day: dt.date
) -> tuple[str | None, str | None]:
    """(the step's structured `to:`, the words for its note) for a dispatch or an escalation; a dispatch
    goes to someone still there on its day (a paper dispatch to a worker who left since is his)."""
    if not to:
        return None, None
    grids = ledger.grids()
    if t.command == "escalate":
        upper = upper_grid(ledger, acting_grid(ledger, lc, event), to)
        if upper is None:
            return None, to  # an office outside this ledger (宁乡市教育局 above a school's own ledger)
        return upper, grids[upper].name
    if t.command == "dispatch":
        target = dispatch_target(ledger, to)
        record = find(ledger, target, ["staff", "org"]).record
        if not in_post_on(record, day):  # retired: nobody would handle and answer it
            name = getattr(record, "name", "")
            raise StepRefused(
                Text(
                    f"--to {target} ({name}) 在 {day} 已不在岗或已注销，不能派遣",
                    f"--to {target} ({name}) is retired on {day}",
                ),
                hint=Text("派遣给在岗人员或现有组织", "dispatch to active staff or an existing organization"),
            )
        return target, target
    return None, to


def take(
    ledger: Ledger,
    event_id: str,
    command: str,
    by: str,
    at: dt.date | dt.datetime,
    *,
    note: str | None = None,
    to: str | None = None,
    reason: str | None = None,
    card: str | None = None,
    answers: list[str] | None = None,
    outside: str | None = None,
) -> Change:
    """One step of the cycle on one event, or StepRefused naming the steps that are allowed.

    An escalation goes `to` a grid above (id, name or level) or `outside` the ledger (派出所, 教育局);
    one outside stays the grid's to follow up (gridctl.supervision.due).

    The people of the grid the event is in (or was escalated to) decide it; whoever it was
    dispatched to may handle it and answer, whatever grid they work in.
    """
    from gridctl.ledger.names import resolve

    lc = lifecycle(ledger)
    entry, event = event_entry(ledger, event_id)
    event_id = entry.id  # the event may be named by its title
    counted: tuple[str, str] | None = None
    by = resolve(ledger, by, ["staff"])
    t = transition(lc, command)
    if event.status not in t.source:
        ok = allowed(lc, event.status)
        listed = ", ".join(f"{s.command} ({s.action})" for s in ok)
        raise StepRefused(
            Text(
                f"事件 {event_id} 当前为{event.status}，不能{t.action}；可以: {listed or '无'}",
                f"{event_id} is {event.status}: {t.command} ({t.action}) is not allowed; allowed: {listed or 'none'}",
            )
        )
    day = day_of(at)
    grid = acting_grid(ledger, lc, event)
    if t.command in ("handle", "feedback") and by == dispatched_to(lc, event):
        in_post(ledger, by, day, Text(t.action, f"to {t.command} ({t.action})"), grid)
    else:
        check_roles(ledger, t, by, grid, day)
    _outside(t, to, outside)
    to = _check_options(ledger, t, note, to or outside, reason, card)
    target, words = (None, outside) if outside else _route(ledger, lc, t, event, to, day)
    review = closing_review(ledger, lc, t, event, answers or [])
    last = event.timeline[-1].at if event.timeline else None
    if last is not None and _earlier(at, last):
        raise StepRefused(
            Text(
                f"{when(at)} 早于上一环节的时间 ({when(last)})",
                f"{when(at)} is before the last step ({when(last)})",
            ),
            hint=Text(
                '环节按先后记录；只写 --date 记的是那一天，同一天的具体时刻用 --at，如 --at "2026-03-05 15:30"',
                "steps are recorded in order; --date alone records the day, --at the time of day, "
                'e.g. --at "2026-03-05 15:30"',
            ),
        )
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    step = CommentedMap([("at", at), ("by", by), ("action", t.action)])
    if target:
        step["to"] = target
    if event.status in lc.escalated and t.to is not None and t.to not in lc.escalated:
        # taken on after 上报: by the upper grid, or again by this one when it went outside the ledger;
        # its own time limit runs from today, kept on this step: the deadline it was reported with stays
        deadline = deadline_for(ledger.settings.supervision, event.type, event.grade, at)
        if deadline is not None:
            step["deadline"] = deadline
            counted = counted_past_data(ledger.settings.supervision, at, deadline)
            who = "上级受理" if escalated_to(lc, event) in ledger.grids() else "重新受理"
            note = "；".join(x for x in (note, f"{who}，期限 {when(deadline)}") if x)
    text = _note(t, note, words, reason, card)
    if text:
        step["note"] = text
    node.setdefault("timeline", []).append(step)
    if review:
        node["review"] = CommentedSeq(CommentedMap([("item", i), ("note", n)]) for i, n in review)
    if t.to is not None:
        node["status"] = t.to
    subject = Text(
        f"{t.action}事件 {event_id}：{event.title}",
        f"{t.command} event {event_id}: {t.action} {event.title}",
    )
    return Change(subject, {doc.rel: doc.dump()}, event_id, shown=Text(*counted) if counted else None)


def _copy(at: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A fresh value of the same kind: a day stays a day (`report --date` gives no time of day)."""
    if isinstance(at, dt.datetime):
        return dt.datetime.fromisoformat(at.isoformat())
    return dt.date.fromisoformat(at.isoformat())


def _earlier(at: dt.date | dt.datetime, last: dt.date | dt.datetime) -> bool:
    """Before the last step: by the minute when both have a time; by the day when either is a day alone
    (taken at some time of it, so on the same day it comes after the steps before it)."""
    if isinstance(at, dt.datetime) and isinstance(last, dt.datetime):
        return at < last
    return day_of(at) < day_of(last)


def new_event(
    ledger: Ledger,
    event_id: str,
    *,
    grid: str,
    type: str,
    grade: str | None,
    title: str,
    by: str,
    at: dt.date | dt.datetime,
    via: str | None = None,
    description: str | None = None,
    note: str | None = None,
    occurred: dt.datetime | None = None,
) -> dict[str, Any]:
    """The document of a newly reported event, its deadline from the rules. `at` a day alone (`--date`)
    is kept as the day: an hours limit then runs from its start, late sooner rather than later."""
    lc = lifecycle(ledger)
    sup = ledger.settings.supervision
    data: dict[str, Any] = {"kind": "event", "id": event_id, "grid": grid, "type": type}
    if grade:
        data["grade"] = grade
    data["title"] = title
    if description:
        data["description"] = description
    if occurred is not None:
        if _earlier(at, occurred):
            when = f"{occurred:%Y-%m-%d %H:%M}"
            raise StepRefused(
                Text(f"--occurred {when}: 发生时间晚于上报时间", f"--occurred {when} is after the report")
            )
        data["occurred"] = _copy(occurred)
    # separate objects: the YAML writer would tie one object used twice with an &anchor
    data["reported"] = {"by": by, "at": _copy(at), **({"via": via} if via else {})}
    deadline = deadline_for(sup, type, grade, _copy(at))
    if deadline is not None:
        data["deadline"] = deadline
    data["status"] = lc.initial
    step: dict[str, Any] = {"at": _copy(at), "by": by, "action": lc.report_action}
    if note:
        step["note"] = note
    data["timeline"] = [step]
    return data


def report(ledger: Ledger, **fields: Any) -> Change:
    """上报: a new event with the next id, one file under events/<yyyy>/<mm>/; grid and staff by id or name."""
    from gridctl.ledger.names import resolve

    fields["grid"] = resolve(ledger, fields["grid"], ["grid"])
    from gridctl.ops.gridretire import open_grid

    open_grid(ledger, fields["grid"])
    fields["by"] = resolve(ledger, fields["by"], ["staff"])
    day = day_of(fields["at"])
    in_post(ledger, fields["by"], day, Text("上报", "to report"), fields["grid"])
    event_id = allocate(ledger, "event", when=day)[0]
    data = new_event(ledger, event_id, **fields)
    rel = path_for("event", data)
    subject = Text(f"上报事件 {event_id}：{fields['title']}", f"report event {event_id}: {fields['title']}")
    counted = counted_past_data(ledger.settings.supervision, fields["at"], data.get("deadline"))
    return Change(subject, {rel: dump_new(rel, "event", [data])}, event_id, shown=Text(*counted) if counted else None)
