"""`gridctl assign / unassign`: 定人、定责 for a grid."""

from __future__ import annotations

from typing import Annotated

import typer

from gridctl.cli.common import change
from gridctl.cli.complete import ids_of


def assign(
    ctx: typer.Context,
    grid: Annotated[str, typer.Argument(metavar="GRID", help="Grid id or name.", autocompletion=ids_of("grid"))],
    role: Annotated[str, typer.Option("--role", help="One of the ledger's roles (网格长, 网格员, 楼栋长 …).")],
    staff: Annotated[str, typer.Option("--staff", help="Staff id or name.", autocompletion=ids_of("staff"))],
    duties: Annotated[list[str] | None, typer.Option("--duty", help="A written duty (repeatable)")] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="The first day responsible, e.g. 2026-11-01: today or a day past, never one to come (default: today)",
        ),
    ] = None,
) -> None:
    """Make a staff member responsible for a grid, with written duties."""
    from gridctl.cli.clock import not_ahead, today
    from gridctl.ops.responsibility import assign as do

    when = today(ctx, since, "--since")
    not_ahead(ctx, when, "--since")  # boards, GC231 and the assessment read `responsible` as holding now
    change(ctx, lambda ledger: do(ledger, grid, role, staff, duties or [], when))


def unassign(
    ctx: typer.Context,
    grid: Annotated[str, typer.Argument(metavar="GRID", help="Grid id or name.", autocompletion=ids_of("grid"))],
    role: Annotated[str, typer.Option("--role", help="The role they hold there (网格长, 网格员 …).")],
    staff: Annotated[str, typer.Option("--staff", help="Staff id or name.", autocompletion=ids_of("staff"))],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "--until",
            help="The first day no longer responsible, e.g. 2026-05-01, the successor's --since (default: today)",
        ),
    ] = None,
) -> None:
    """Remove a responsible person from a grid."""
    from gridctl.cli.clock import not_ahead, today
    from gridctl.ops.responsibility import unassign as do

    until = today(ctx, date, "--date")
    not_ahead(ctx, until, "--date")
    change(ctx, lambda ledger: do(ledger, grid, role, staff, until))


def register(app: typer.Typer) -> None:
    app.command("assign")(assign)
    app.command("unassign")(unassign)
