"""`gridctl import KIND FILE`: the clerk's Excel register into the ledger, one commit or nothing."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import (
    author,
    command_line,
    echo,
    emit_data,
    ledger_root,
    reason,
    refuse_as_of,
    state,
)
from gridctl.cli.complete import ids_of
from gridctl.cli.history import Format


class Prefer(str, Enum):
    ledger = "ledger"
    register = "register"


class Kind(str, Enum):
    household = "household"
    staff = "staff"
    place = "place"
    org = "org"


def import_(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(metavar="KIND", help="household (one row per person), staff, place or org.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A workbook (.xlsx, .xls, .ods) or a .csv file.")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", metavar="MAP.yaml", help="Column headers of this sheet: field: header.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet name (default: the first).")] = None,
    grid: Annotated[
        str | None,
        typer.Option(
            "--grid",
            help="Grid (id or name) for rows without a grid column (所属网格).",
            autocompletion=ids_of("grid"),
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and summarise; write nothing.")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the good rows; write the bad ones to FILE.rejected.*")
    ] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show ID numbers and phones in messages.")] = False,
    base: Annotated[
        str | None,
        typer.Option("--base", metavar="REV|DATE", help="What the register was made from (an export says so itself)."),
    ] = None,
    prefer: Annotated[
        Prefer | None,
        typer.Option("--prefer", help="Settle conflicts and reverts: keep the ledger's or the register's."),
    ] = None,
    accept_renames: Annotated[
        bool, typer.Option("--accept-renames", help="A known ID number with a new name.")
    ] = False,
    accept_moves: Annotated[bool, typer.Option("--accept-moves", help="Known people into another household.")] = False,
    accept_address: Annotated[bool, typer.Option("--accept-address", help="Households at a new address.")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """Import a register: exit 0 done, 1 rows rejected or the ledger would be invalid, 2 usage error."""
    from gridctl.excel.importing import ImportOptions, import_file
    from gridctl.excel.report import import_text
    from gridctl.ledger.message import Author

    refuse_as_of(ctx)  # a register is checked against, and written into, the ledger as it is now
    st = state(ctx)
    root = ledger_root(ctx)
    who = Author("dry run", "dry-run@localhost") if dry_run else author(ctx, root)
    from gridctl.cli.clock import today

    options = ImportOptions(mapping, sheet, grid, dry_run, skip_invalid, st.lang, reveal, base,
                            prefer.value if prefer else None, accept_renames, accept_moves, accept_address,
                            today(ctx))  # fmt: skip
    from gridctl.cli.progress import Progress

    with Progress(st.lang) as progress:
        result = import_file(
            root,
            kind.value,
            file,
            author=who,
            reason=reason(ctx, root),
            command=command_line(ctx=ctx),
            options=options,
            progress=progress,
            wait=st.wait,
        )
    if fmt is Format.json:
        from gridctl.excel.report import import_json

        emit_data(import_json(result, st.lang, reveal))
    else:
        echo(import_text(result, st.lang, reveal))
    raise typer.Exit(1 if result.failed else 0)


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
