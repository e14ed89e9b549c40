"""`gridctl activity` and `gridctl document add|submit`: what a unit held and what it filed.

Each is one commit, with its photos or file committed beside the record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import change
from gridctl.cli.complete import ids_of

Day = Annotated[str | None, typer.Option("--date", help="The day, e.g. 2026-11-01 or 2026年11月1日 (default: today).")]

documents = typer.Typer(
    help="Documents (文件): work plans, implementation plans, emergency plans, safety pledges, rules.",
    no_args_is_help=True,
)


def activity(
    ctx: typer.Context,
    grid: Annotated[
        str,
        typer.Argument(
            metavar="GRID", help="The unit or grid that held it (id or name).", autocompletion=ids_of("grid")
        ),
    ],
    type_: Annotated[
        str, typer.Option("--type", help="The type, from activity_types (e.g. 安全教育, 疏散演练, 例会).")
    ],
    by: Annotated[
        str | None,
        typer.Option("--by", help="Who organised or chaired it: staff id or name.", autocompletion=ids_of("staff")),
    ] = None,
    date: Day = None,
    occasion: Annotated[
        str | None, typer.Option("--occasion", help="The occasion, from activity_occasions (e.g. 开学初, 放假前).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Its subject (主题).")] = None,
    participants: Annotated[
        int | None, typer.Option("--participants", min=0, help="How many took part (参加人数).")
    ] = None,
    attendee: Annotated[
        list[str] | None,
        typer.Option(
            "--attendee", help="A staff member who attended (id or name; repeatable).", autocompletion=ids_of("staff")
        ),
    ] = None,
    summary: Annotated[
        str | None, typer.Option("--summary", help="What was done and how it went (内容和效果, 讲评, 纪要).")
    ] = None,
    photo: Annotated[list[Path] | None, typer.Option("--photo", help="A photo (or PDF), committed with it.")] = None,
) -> None:
    """Activities (活动): record a drill, a meeting, a safety lesson or training (one commit, photos included)."""
    from gridctl.cli.clock import done_on
    from gridctl.ops.evidence import ActivityInput, record_activity

    given = ActivityInput(
        grid=grid,
        type=type_,
        date=done_on(ctx, date),
        host=by,
        occasion=occasion,
        title=title,
        participants=participants,
        attendees=attendee or [],
        summary=summary,
        photos=photo or [],
    )
    change(ctx, lambda ledger: record_activity(ledger, given))


@documents.command("add")
def add_document(
    ctx: typer.Context,
    grid: Annotated[
        str, typer.Argument(metavar="GRID", help="The unit it belongs to (id or name).", autocompletion=ids_of("grid"))
    ],
    type_: Annotated[
        str, typer.Option("--type", help="The type (e.g. 工作计划, 实施方案, 应急预案, 安全责任书, 安全制度).")
    ],
    title: Annotated[str, typer.Option("--title", help="The document's title.")],
    due: Annotated[
        str | None, typer.Option("--due", help="When it is due to be sent or signed, e.g. 2026-03-15 (报送/签订期限).")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="Day it was issued, sent or signed.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Who it is sent to (报送对象), e.g. 中心校.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="The PDF or photo, committed beside it.")] = None,
    signed_by: Annotated[
        str | None,
        typer.Option(
            "--signed-by",
            help="A safety pledge (安全责任书): the staff member who signed (id or name).",
            autocompletion=ids_of("staff"),
        ),
    ] = None,
    signed_with: Annotated[
        str | None, typer.Option("--signed-with", help="A safety pledge (安全责任书): with whom it was signed.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note.")] = None,
) -> None:
    """Record a document (one commit, its file included); `gridctl due` tracks its due date."""
    from gridctl.cli.clock import done_on, today
    from gridctl.ops.evidence import DocumentInput, record_document

    given = DocumentInput(
        grid=grid,
        type=type_,
        title=title,
        due=today(ctx, due, "--due") if due else None,  # a day to come: what due is for
        date=done_on(ctx, date) if date else None,  # issued or signed: never a day still to come
        to=to,
        file=file,
        signed_by=signed_by,
        signed_with=signed_with,
        note=note,
    )
    day = today(ctx)
    change(ctx, lambda ledger: record_document(ledger, given, day))


@documents.command("submit")
def submit_document(
    ctx: typer.Context,
    document: Annotated[
        str,
        typer.Argument(metavar="DOCUMENT", help="The document: its id or title.", autocompletion=ids_of("document")),
    ],
    file: Annotated[Path | None, typer.Option("--file", help="The PDF or photo, committed beside it.")] = None,
    date: Day = None,
) -> None:
    """Mark a document sent or signed (报送/签订) on a day, with its file."""
    from gridctl.cli.clock import done_on
    from gridctl.ops.evidence import submit_document as submit

    day = done_on(ctx, date)
    change(ctx, lambda ledger: submit(ledger, document, day, file))


def register(app: typer.Typer) -> None:
    app.command("activity")(activity)
    app.add_typer(documents, name="document")
