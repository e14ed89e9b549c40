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
