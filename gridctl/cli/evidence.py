"""`gridctl activity` and `gridctl document add|submit`: what a unit held and what it filed.

Each is one commit, with its photos or file committed beside the record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import change

Day = Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")]

documents = typer.Typer(help="文件: 工作计划、实施方案、应急预案、安全责任书、安全制度.", no_args_is_help=True)


def activity(
    ctx: typer.Context,
    grid: Annotated[str, typer.Argument(metavar="GRID", help="The unit or grid that held it (id or name).")],
    type_: Annotated[str, typer.Option("--type", help="安全教育, 疏散演练, 例会 … (activity_types).")],
    by: Annotated[str | None, typer.Option("--by", help="Staff who organised or chaired it.")] = None,
    date: Day = None,
    occasion: Annotated[str | None, typer.Option("--occasion", help="开学初, 放假前 … (activity_occasions).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="主题.")] = None,
    participants: Annotated[int | None, typer.Option("--participants", min=0, help="参加人数.")] = None,
    attendee: Annotated[list[str] | None, typer.Option("--attendee", help="A staff member who attended.")] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="内容和效果, 讲评, 纪要.")] = None,
    photo: Annotated[list[Path] | None, typer.Option("--photo", help="A photo (or PDF), committed with it.")] = None,
) -> None:
    """活动: record a drill, a meeting, a safety lesson or training (one commit, photos included)."""
    from gridctl.cli.clock import today
    from gridctl.ops.evidence import ActivityInput, record_activity

    given = ActivityInput(
        grid=grid,
        type=type_,
        date=today(ctx, date),
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
    grid: Annotated[str, typer.Argument(metavar="GRID", help="The unit it belongs to (id or name).")],
    type_: Annotated[str, typer.Option("--type", help="工作计划, 实施方案, 应急预案, 安全责任书, 安全制度.")],
    title: Annotated[str, typer.Option("--title", help="The document's title.")],
    due: Annotated[str | None, typer.Option("--due", help="报送/签订期限 YYYY-MM-DD.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Day it was issued, sent or signed.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="报送对象, e.g. 中心校.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="The PDF or photo, committed beside it.")] = None,
    signed_by: Annotated[str | None, typer.Option("--signed-by", help="安全责任书: who signed (staff).")] = None,
    signed_with: Annotated[str | None, typer.Option("--signed-with", help="安全责任书: with whom.")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Record a document (one commit, its file included); `gridctl due` tracks its due date."""
    from gridctl.cli.clock import today
    from gridctl.ops.evidence import DocumentInput, record_document

    given = DocumentInput(
        grid=grid,
        type=type_,
        title=title,
        due=today(ctx, due, "--due") if due else None,
        date=today(ctx, date) if date else None,
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
    document: Annotated[str, typer.Argument(metavar="DOCUMENT", help="Document id.")],
    file: Annotated[Path | None, typer.Option("--file", help="The PDF or photo, committed beside it.")] = None,
    date: Day = None,
) -> None:
    """报送/签订: mark a document done on a day, with its file."""
    from gridctl.cli.clock import today
    from gridctl.ops.evidence import submit_document as submit

    day = today(ctx, date)
    change(ctx, lambda ledger: submit(ledger, document, day, file))


def register(app: typer.Typer) -> None:
    app.command("activity")(activity)
    app.add_typer(documents, name="document")
