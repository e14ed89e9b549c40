"""`gridctl check-files FILE…`: the per-file check of the pre-commit hook (pass_filenames)."""

from __future__ import annotations

from typing import Annotated

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, state
from gridctl.cli.validate import Format


def check_files(
    ctx: typer.Context,
    files: Annotated[list[str] | None, typer.Argument(metavar="FILE...", help="Record files to check.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, json (one document) or github.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
) -> None:
    """Check only these files: YAML, schema, ids, ID numbers, phones. Exit 0 clean, 1 problems."""
    from gridctl.filecheck import check_files as run
    from gridctl.render.problems import FORMATS

    root = ledger_root(ctx)
    result = run(root, files or [])
    (echo if fmt is Format.text else emit_data)(FORMATS[fmt.value](result, state(ctx).lang, False))
    raise typer.Exit(1 if result.failed(strict) else 0)


def register(app: typer.Typer) -> None:
    app.command("check-files")(check_files)
