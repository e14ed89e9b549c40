"""`gridctl audit reveals`: who saw personal data in full, when, with which command."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, state

app = typer.Typer(help="Audit (审计): who used --reveal on this ledger.", no_args_is_help=True)


class Format(str, Enum):
    text = "text"
    json = "json"


@app.command("reveals")
def reveals(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only uses on or after this day, e.g. 2026年3月6日.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """Every --reveal recorded in this ledger's .git folder, oldest first."""
    from gridctl.cli.clock import today
    from gridctl.ledger.reveals import read

    root = ledger_root(ctx)
    day = today(ctx, since) if since else None
    found = read(root, day)
    if fmt is Format.json:
        import json

        emit_data(json.dumps([r.__dict__ for r in found], ensure_ascii=False, indent=2) + "\n")
        return
    zh = state(ctx).lang == "zh"
    for r in found:
        user = f" [{r.user}]" if r.user else ""
        echo(f"{r.at}  {r.who}{user}  {r.command}\n")
    echo((f"共 {len(found)} 次" if zh else f"{len(found)} reveals") + "\n")


def record(ctx: typer.Context) -> None:
    """Note this command's --reveal in the ledger's log (called once the ledger folder is known)."""
    from gridctl.cli.common import command_line
    from gridctl.ledger.reveals import Reveal, os_user
    from gridctl.ledger.reveals import record as keep

    st = state(ctx)
    if st.root is None:
        return
    from gridctl.cli.clock import clock

    try:
        at = clock(ctx, lenient=True).now().strftime("%Y-%m-%d %H:%M:%S")
    except Exception:
        import datetime as dt

        at = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    who = st.author or _git_author(st.root)
    keep(st.root, Reveal(at, who, command_line(ctx=ctx), os_user()))


def _git_author(root) -> str:  # type: ignore[no-untyped-def]
    from gridctl.errors import GridctlError
    from gridctl.ledger.message import default_author

    try:
        return str(default_author(root))
    except GridctlError:
        return "(git user.name not set)"


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
