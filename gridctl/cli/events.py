"""`gridctl event report|accept|dispatch|handle|feedback|verify|close|return|escalate|supervise|reopen`.

Each step is one commit; the verbs and who may take them come from gridctl.yaml.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from gridctl.cli.common import change, echo, ledger_root, load_ledger, read_files, state
from gridctl.cli.complete import ids_of

if TYPE_CHECKING:
    from gridctl.model import Event
    from gridctl.model.supervision import Transition
    from gridctl.supervision.deadlines import Deadlines

By = Annotated[str, typer.Option("--by", help="Who takes the step: staff id or name.", autocompletion=ids_of("staff"))]
StepDate = Annotated[
    str | None,
    typer.Option("--date", help="Day of the step, recorded as the day with no time; a time with --at (default: now)."),
]
At = Annotated[str | None, typer.Option("--at", help='Date and time, e.g. "2026-03-05 09:30".')]

app = typer.Typer(help="Events (事件处置): report an event and take it through its cycle.", no_args_is_help=True)

STEP_HELP = {
    "accept": "Accept the event (受理).",
    "dispatch": "Dispatch it (派遣) --to STAFF|ORG.",
    "handle": "Handle it (处置) --note.",
    "feedback": "Report back (反馈).",
    "verify": "Verify the result (核查).",
    "close": "Close it (结案); an accident with --review, one answer per item of the four-nots review (事故四不放过).",
    "return": "Return it (回退) --reason.",
    "escalate": "Escalate it (上报上级) --to GRID|LEVEL --reason: the upper grid then accepts and handles it; "
    '--outside "NAME" for a body outside the ledger (派出所), which the grid still follows up.',
    "supervise": "Supervise it (督办) --card yellow|red.",
    "reopen": "Reopen it (重新打开) --reason.",
}


@app.command("report")
def report(
    ctx: typer.Context,
    grid: Annotated[str, typer.Option("--grid", help="Grid id or name.", autocompletion=ids_of("grid"))],
    type_: Annotated[str, typer.Option("--type", help="Event type (event_types), e.g. 安全隐患.")],
    title: Annotated[str, typer.Option("--title", help="A short title.")],
    by: By,
    grade: Annotated[str | None, typer.Option("--grade", help="The grade, from event_grades (一般/较大/重大).")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    via: Annotated[str | None, typer.Option("--via", help="How it came in, e.g. 巡查, 群众反映, 电话.")] = None,
    occurred: Annotated[
        str | None,
        typer.Option("--occurred", help='When it happened, e.g. "2026-03-05 08:10" (an accident\'s report clock).'),
    ] = None,
    date: StepDate = None,
    at: At = None,
) -> None:
    """Report a new event (上报); its deadline comes from the time limits in gridctl.yaml."""
    from gridctl.cli.clock import moment, step_at
    from gridctl.supervision.lifecycle import report as report_event

    when = step_at(ctx, date, at)  # --date alone: the day, as on every later step
    happened = moment(ctx, None, occurred) if occurred else None
    change(
        ctx,
        lambda ledger: report_event(
            ledger,
            grid=grid,
            type=type_,
            grade=grade,
            title=title,
            by=by,
            at=when,
            via=via,
            description=description,
            occurred=happened,
        ),
    )


def _step(command: str):  # type: ignore[no-untyped-def]
    def run(
        ctx: typer.Context,
        event_id: Annotated[
            str, typer.Argument(metavar="EVENT", help="The event: its id or title.", autocompletion=ids_of("event"))
        ],
        by: By,
        note: Annotated[str | None, typer.Option("--note", help="What was done.")] = None,
        to: Annotated[
            str | None,
            typer.Option(
                "--to",
                help="Dispatch: a staff member or org (id or name); escalate: the grid above (id or name) "
                "or its level.",
                autocompletion=ids_of("staff", "org", "grid"),
            ),
        ] = None,
        reason: Annotated[str | None, typer.Option("--reason")] = None,
        outside: Annotated[
            str | None,
            typer.Option(
                "--outside",
                help='Escalate: a body outside the ledger instead of a grid above, e.g. "派出所"; the grid '
                "still follows it up.",
            ),
        ] = None,
        card: Annotated[str | None, typer.Option("--card", help="A yellow or red card (督办).")] = None,
        review: Annotated[
            list[str] | None,
            typer.Option(
                "--review",
                help='Closing an accident: "ITEM: answer" for each item of the four-nots review (事故四不放过).',
            ),
        ] = None,
        date: StepDate = None,
        at: At = None,
    ) -> None:
        from gridctl.cli.clock import step_at
        from gridctl.supervision.lifecycle import take

        when = step_at(ctx, date, at)
        given = dict(note=note, to=to, reason=reason, card=card, answers=review or [], outside=outside)
        change(ctx, lambda ledger: take(ledger, event_id, command, by, when, **given))

    run.__doc__ = f"{STEP_HELP.get(command, command)} Who may, and from which status: gridctl.yaml."
    return run


for _command in STEP_HELP:
    app.command(_command)(_step(_command))


@app.command("review")
def review(
    ctx: typer.Context,
    event_id: Annotated[
        str, typer.Argument(metavar="EVENT", help="The event: its id or title.", autocompletion=ids_of("event"))
    ],
    by: By,
    answers: Annotated[
        list[str] | None, typer.Option("--review", help='"ITEM: 说明", e.g. "1: 原因：线路老化".')
    ] = None,
) -> None:
    """The four-nots review of an accident (事故四不放过): fill in the items as the investigation goes; closing
    (结案) needs every one."""
    from gridctl.supervision.review import record_review

    change(ctx, lambda ledger: record_review(ledger, event_id, by, answers or []))


class Format(str, Enum):
    text = "text"
    json = "json"


@app.command("steps")
def steps(
    ctx: typer.Context,
    event_id: Annotated[
        str, typer.Argument(metavar="EVENT", help="The event: its id or title.", autocompletion=ids_of("event"))
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """The steps allowed now for an event, and who may take them; its deadlines, and whether they have passed."""
    from gridctl.cli.clock import judged, moment
    from gridctl.supervision.deadlines import deadlines
    from gridctl.supervision.lifecycle import allowed, event_entry, lifecycle

    root = ledger_root(ctx)
    ledger = load_ledger(root, read_files(ctx, root))  # --as-of: the steps that were open then
    _entry, event = event_entry(ledger, event_id)
    now = moment(ctx, clk=judged(ctx))  # --as-of: how its deadlines stood then
    held = deadlines(event, ledger.settings.supervision, now.date(), now)
    moves = allowed(lifecycle(ledger), event.status)
    if fmt is Format.json:
        import json

        from gridctl.cli.common import emit_data

        doc = steps_json(event, held, moves, now)
        emit_data(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    zh = state(ctx).lang == "zh"
    echo(("当前状态: " if zh else "status: ") + event.status + "\n")
    for line in deadline_lines(held, zh):
        echo(line + "\n")
    for t in moves:
        who = "、".join(t.roles) or ("任何人" if zh else "anyone")
        echo(f"  {t.command:<10} {t.action}  → {t.to or event.status}  ({who})\n")


def deadline_lines(held: Deadlines, zh: bool) -> list[str]:
    """办理期限 and each 本环节期限, the one that holds with how it stands (剩 2 个工作日, 已超 3 小时 …)."""
    from gridctl.supervision.deadlines import light_words
    from gridctl.supervision.limits import when

    words = light_words(held.light)[0 if zh else 1]
    holds = held.in_force
    out = []
    for h in held.held:
        if h.step is None:
            label = "办理期限" if zh else "deadline"
        else:
            at = when(h.at)
            label = (
                f"第 {h.step} 步{h.action}（{at}）的本环节期限" if zh else f"step {h.step} {h.action} ({at}) deadline"
            )
        notes = []
        if h.by_rule:
            notes.append("按 gridctl.yaml 的时限" if zh else "by the time limits in gridctl.yaml")
        if not h.in_force and holds is not None:  # it binds no more
            if zh:
                notes.append(
                    "已由" + ("办理期限" if holds.step is None else f"第 {holds.step} 步的本环节期限") + "取代"
                )
            else:
                notes.append("replaced by " + ("the event's" if holds.step is None else f"step {holds.step}'s"))
        text = f"{label}: {when(h.deadline)}"
        if notes:
            text += f"（{'；'.join(notes)}）" if zh else f" ({'; '.join(notes)})"
        if h.in_force and words:
            text += f"，{words}" if zh else f", {words}"
        out.append(text)
    if held.light.colour == "ahead":
        out.append(words)
    out += [zh_note if zh else en_note for zh_note, en_note in held.notes]
    if not held.held:
        out.append(
            "办理期限: 无 (gridctl.yaml 没有这类事件的时限)" if zh else "deadline: none (no time limit in gridctl.yaml)"
        )
    return out


def steps_json(event: Event, held: Deadlines, moves: list[Transition], now: dt.datetime) -> dict[str, object]:
    """`event steps -f json`: field names and typed values (ISO dates and times, booleans, numbers)."""
    return {
        "event": event.id,
        "status": event.status,
        "now": now.isoformat(),
        **held.as_json(),
        "allowed": [
            {"command": t.command, "action": t.action, "to": t.to or event.status, "roles": list(t.roles)}
            for t in moves
        ],
    }


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="event")
