"""Helpers every command shares: the ledger folder and language, global or per command."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class Lang(str, Enum):
    zh = "zh"
    en = "en"


LedgerOption = Annotated[
    Path | None, typer.Option("-C", "--ledger", help="Ledger folder (default: search upward for gridctl.yaml).")
]
LangOption = Annotated[Lang | None, typer.Option("--lang", help="Message language (default: from the locale).")]


def state(ctx: typer.Context):  # type: ignore[no-untyped-def]
    return ctx.find_root().obj


def override(ctx: typer.Context, ledger: Path | None, lang: Lang | None) -> None:
    """`gridctl validate -C X --lang zh` works as well as `gridctl -C X --lang zh validate`."""
    st = state(ctx)
    if ledger is not None:
        st.ledger = ledger
    if lang is not None:
        st.lang = lang.value


def ledger_root(ctx: typer.Context) -> Path:
    from gridctl.ledger.config import find_root

    st = state(ctx)
    return find_root(st.ledger if st.ledger is not None else Path.cwd())


def echo(text: str, err: bool = False) -> None:
    typer.echo(text, nl=False, err=err)


def author(ctx: typer.Context, root: Path):  # type: ignore[no-untyped-def]
    """The clerk making the change: --author, else git config; an error if neither."""
    from gridctl.ledger.transaction import default_author, parse_author

    given = state(ctx).author
    return parse_author(given) if given else default_author(root)


def command_line(argv: list[str] | None = None) -> str:
    """The command as typed, for the Gridctl-Command trailer, with personal data masked."""
    import re
    import shlex
    import sys

    from gridctl.model.masking import mask_value

    def clean(arg: str) -> str:
        m = re.match(r"^(?P<key>[\w.\[\]]*(id_number|phones|tags)[\w.\[\]]*)=(?P<value>.*)$", arg)
        return f"{m.group('key')}={mask_value(m.group('key'), m.group('value'))}" if m else arg

    args = sys.argv[1:] if argv is None else argv
    return "gridctl " + " ".join(shlex.quote(clean(a)) for a in args)
