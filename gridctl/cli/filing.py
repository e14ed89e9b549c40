"""`gridctl filing`: the 备案 change sheet since the last filing, and `--publish` to mark it filed."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, ledger_root, state

SECTIONS = {"网格": "grids", "责任人": "responsible people", "重点部位": "key sites"}
"""The sheet's sections (gridctl.history.filing.Row.section), as said in English."""


class Format(str, Enum):
    html = "html"
    pdf = "pdf"


def filing(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="REV|TAG", help="Start here (default: the newest filing/* tag, else the first commit)."
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="html (default) or pdf (needs WeasyPrint).")
    ] = Format.html,
    out: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write here (default: HTML to stdout).")
    ] = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Tag HEAD filing/YYYY-MM-DD: this sheet was filed.")
    ] = False,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="Filing date, e.g. 2026-11-01 or 2026年11月1日 (default: today)."),
    ] = None,
) -> None:
    """Filing (备案): grids, responsible people and key sites changed since the last filing, as a printable sheet."""
    from gridctl.cli.clock import clock, today
    from gridctl.cli.common import author, make_pdf
    from gridctl.errors import PDF_NEEDS_FILE, GridctlError
    from gridctl.history.filing import build_filing, render_html
    from gridctl.history.filing import publish as tag_head

    root = ledger_root(ctx)
    day = today(ctx, date)
    sheet = build_filing(root, since, day, clock(ctx))
    zh = state(ctx).lang == "zh"
    if out is not None or not publish:
        html = render_html(root, sheet, printed=clock(ctx).today())
        if fmt is Format.pdf:
            if out is None:
                raise GridctlError(PDF_NEEDS_FILE)
            data = make_pdf(root, html)
        else:
            data = html.encode("utf-8")
        if out is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            from gridctl.output import write_output

            write_output(out, data)
            if zh:
                counts = "、".join(f"{s} {sheet.count(s)} 项" for s in SECTIONS)
                echo(f"已生成 {out}: 自 {sheet.since} 起变动 {counts}\n")
            else:
                counts = ", ".join(f"{SECTIONS[s]} {sheet.count(s)}" for s in SECTIONS)
                since = "the first commit" if sheet.from_first else sheet.since
                echo(f"wrote {out}: since {since}, {counts}\n")
    if publish:
        who = author(ctx, root)
        tag = tag_head(root, sheet, (who.name, who.email))
        echo(
            f"已备案: 标签 {tag} → {sheet.head_commit[:10]}\n"
            if zh
            else f"filed: tagged {tag} at {sheet.head_commit[:10]}\n"
        )


def register(app: typer.Typer) -> None:
    app.command("filing")(filing)
