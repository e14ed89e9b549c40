"""`gridctl validate`: every problem in the ledger, for a clerk (text) or for CI (json, github)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from gridctl.cli.common import LangOption, LedgerOption, echo, ledger_root, override, state


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, json (one document) or github.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show ID numbers, residents' phones and tags.")] = False,
    ledger: LedgerOption = None,
    lang: LangOption = None,
) -> None:
    """Check every record and the ledger-wide rules. Exit 0 clean, 1 problems, 2 usage error."""
    from gridctl.render.problems import FORMATS
    from gridctl.validate import validate as run

    override(ctx, ledger, lang)
    result = run(ledger_root(ctx))
    echo(FORMATS[fmt.value](result, state(ctx).lang, reveal))
    raise typer.Exit(1 if result.failed(strict) else 0)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
