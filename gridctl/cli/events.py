"""`gridctl event report|accept|dispatch|handle|feedback|verify|close|return|escalate|supervise|reopen`.

Each step is one commit; the verbs and who may take them come from gridctl.yaml.
"""

from __future__ import annotations

from typing import Annotated

import typer

from gridctl.cli.common import change, echo, ledger_root, load_ledger, state

By = Annotated[str, typer.Option("--by", help="Staff id of who takes the step.")]
Date = Annotated[str | None, typer.Option("--date", help="Day of the step (default: today).")]
At = Annotated[str | None, typer.Option("--at", help='Date and time, e.g. "2026-03-05 09:30".')]

app = typer.Typer(help="事件处置: report an event and take it through its cycle.", no_args_is_help=True)

STEP_HELP = {
    "accept": "受理",
    "dispatch": "派遣 --to STAFF|ORG",
    "handle": "处置 --note",
    "feedback": "反馈",
    "verify": "核查",
    "close": "结案 (事故: --review 四不放过 each item)",
    "return": "回退 --reason",
    "escalate": "上报上级 --to GRID|LEVEL --reason: the upper grid then accepts and handles it",
    "supervise": "督办 --card yellow|red",
    "reopen": "重新打开 --reason",
}


@app.command("report")
def report(
    ctx: typer.Context,
    grid: Annotated[str, typer.Option("--grid", help="Grid id.")],
    type_: Annotated[str, typer.Option("--type", help="Event type (event_types), e.g. 安全隐患.")],
    title: Annotated[str, typer.Option("--title", help="A short title.")],
    by: By,
    grade: Annotated[str | None, typer.Option("--grade", help="一般/较大/重大 (event_grades).")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    via: Annotated[str | None, typer.Option("--via", help="巡查/群众反映/电话 …")] = None,
    occurred: Annotated[
        str | None, typer.Option("--occurred", help='发生时间, e.g. "2026-03-05 08:10" (an accident\'s report clock).')
    ] = None,
    date: Date = None,
    at: At = None,
) -> None:
    """上报: a new event, its deadline from the time limits in gridctl.yaml."""
    from gridctl.cli.clock import moment
    from gridctl.supervision.lifecycle import report as report_event

    when = moment(ctx, date, at)
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
        event_id: Annotated[str, typer.Argument(metavar="EVENT")],
        by: By,
        note: Annotated[str | None, typer.Option("--note", help="What was done.")] = None,
        to: Annotated[str | None, typer.Option("--to", help="Staff/org id (dispatch) or level (escalate).")] = None,
        reason: Annotated[str | None, typer.Option("--reason")] = None,
        card: Annotated[str | None, typer.Option("--card", help="yellow or red (督办).")] = None,
        review: Annotated[
            list[str] | None, typer.Option("--review", help='结案: "ITEM: 说明" for each item of 事故四不放过.')
        ] = None,
        date: Date = None,
        at: At = None,
    ) -> None:
        from gridctl.cli.clock import moment
        from gridctl.supervision.lifecycle import take

        when = moment(ctx, date, at)
        given = dict(note=note, to=to, reason=reason, card=card, answers=review or [])
        change(ctx, lambda ledger: take(ledger, event_id, command, by, when, **given))

    run.__doc__ = f"{STEP_HELP.get(command, command)} (who may, and from which status: gridctl.yaml)."
    return run


for _command in STEP_HELP:
    app.command(_command)(_step(_command))


@app.command("review")
def review(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(metavar="EVENT")],
    by: By,
    answers: Annotated[
        list[str] | None, typer.Option("--review", help='"ITEM: 说明", e.g. "1: 原因：线路老化".')
    ] = None,
) -> None:
    """事故四不放过: fill in the items as the investigation goes; 结案 needs every one."""
    from gridctl.supervision.review import record_review

    change(ctx, lambda ledger: record_review(ledger, event_id, by, answers or []))


@app.command("steps")
def steps(ctx: typer.Context, event_id: Annotated[str, typer.Argument(metavar="EVENT")]) -> None:
    """The steps allowed now for an event, and who may take them."""
    from gridctl.model import Event
    from gridctl.ops.records import find
    from gridctl.supervision.lifecycle import allowed, lifecycle

    ledger = load_ledger(ledger_root(ctx))
    entry = find(ledger, event_id, ["event"])
    assert isinstance(entry.record, Event)
    zh = state(ctx).lang == "zh"
    echo(("当前状态: " if zh else "status: ") + entry.record.status + "\n")
    for t in allowed(lifecycle(ledger), entry.record.status):
        who = "、".join(t.roles) or ("任何人" if zh else "anyone")
        echo(f"  {t.command:<10} {t.action}  → {t.to or entry.record.status}  ({who})\n")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="event")
