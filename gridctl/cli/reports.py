"""`gridctl report monthly|registers|assessment`: printable reports, frozen by --publish."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, load_ledger, read_files, state
from gridctl.i18n import Text

app = typer.Typer(
    help="Reports (报表): the monthly summary, the three registers and N-group lists, the assessment.",
    no_args_is_help=True,
)


class Format(str, Enum):
    text = "text"
    html = "html"
    pdf = "pdf"
    json = "json"


Fmt = Annotated[Format, typer.Option("--format", "-f", help="text, html, pdf or json.")]
Out = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="FILE", help="File to write (html/pdf; default: stdout for html)."),
]
Date = Annotated[str | None, typer.Option("--date", help="Count up to this day (default: today).")]
Publish = Annotated[bool, typer.Option("--publish", help="Commit the rendered report and tag it report/….")]


def emit(ctx: typer.Context, report, fmt: Format, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    import json

    from gridctl.errors import PDF_NEEDS_FILE, GridctlError
    from gridctl.supervision.table import to_html, to_text

    if fmt is Format.text:
        echo(to_text(report))
    elif fmt is Format.json:
        emit_data(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        root = ledger_root(ctx)
        html = to_html(report, root, f"{report.title} · gridctl")
        if fmt is Format.html and out is None:
            emit_data(html)
            return
        from gridctl.cli.common import make_pdf
        from gridctl.output import write_output

        if out is None:
            raise GridctlError(PDF_NEEDS_FILE)
        from gridctl.cli.progress import working

        with working(ctx, "pdf"):
            data = make_pdf(root, html, root) if fmt is Format.pdf else html.encode("utf-8")
        write_output(out, data, private=report.kind == "registers")  # the registers name residents
        echo(("已写入 " if state(ctx).lang == "zh" else "wrote ") + str(out) + "\n")


def _frozen(ctx: typer.Context, kind: str, period: str, build, fmt: Format, out: Path | None, publish: bool) -> None:  # type: ignore[no-untyped-def]
    """Publish, or show a published period with its correction sheet, or just show it."""
    from gridctl.cli.common import change, refuse_as_of
    from gridctl.supervision import publish as pub

    if publish:
        refuse_as_of(ctx)

        def plan(ledger):  # type: ignore[no-untyped-def]
            if pub.published(ledger.root, kind, period) is not None:
                from gridctl.errors import GridctlError

                tag = pub.tag_name(kind, period)
                raise GridctlError(
                    Text(f"该期报表已发布 ({tag})，不能重复发布", f"{tag} is already published"),
                    hint=Text("不加 --publish 查看更正表", "run it without --publish to see the correction sheet"),
                )
            return pub.publish_change(build(ledger), ledger.root)

        done = change(ctx, plan)
        root = ledger_root(ctx)
        commit = done.commit or (pub.last_commit_of(root, kind, period) if done.unchanged else None)
        if commit is not None:  # unchanged: a publish cut short after its commit is tagged now
            pub.tag(root, commit, kind, period)
            zh = state(ctx).lang == "zh"
            echo(("已发布 " if zh else "published ") + f"{commit[:10]}: {pub.tag_name(kind, period)}\n")
        return
    root = ledger_root(ctx)
    from gridctl.cli.progress import working

    with working(ctx, "report"):
        current = build(load_ledger(root, read_files(ctx, root)))
    from gridctl.cli.clock import clock

    published = pub.published(root, kind, period, clock(ctx))
    if published is not None:
        current = pub.with_corrections(published, current)
    emit(ctx, current, fmt, out)


@app.command("monthly")
def monthly(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="MONTH", help="The month, e.g. 2026-03 or 2026年3月 (default: this month)."),
    ] = None,
    date: Date = None,
    fmt: Fmt = Format.text,
    out: Out = None,
    publish: Publish = False,
    units: Annotated[
        bool, typer.Option("--units", help="A town: every unit in gridctl.yaml, each line naming it.")
    ] = False,
) -> None:
    """Monthly summary (每月总结): per grid and per worker; allowances from the rates in gridctl.yaml."""
    from gridctl.cli.clock import month as parse_month
    from gridctl.cli.clock import today
    from gridctl.supervision.monthly import monthly as build

    day = today(ctx, date)
    period = parse_month(month, day)
    if units:
        from gridctl.cli.units import report

        report(ctx, build, (period, day), fmt, out)
        return
    _frozen(ctx, "monthly", period, lambda ledger: build(ledger, period, day), fmt, out, publish)


@app.command("assessment")
def assessment(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="MONTH", help="The month, e.g. 2026-03 or 2026年3月 (default: this month)."),
    ] = None,
    date: Date = None,
    fmt: Fmt = Format.text,
    out: Out = None,
    publish: Publish = False,
    units: Annotated[
        bool, typer.Option("--units", help="A town: every unit in gridctl.yaml, each line naming it.")
    ] = False,
) -> None:
    """Assessment (考核): scores from the formula in gridctl.yaml, each deduction traced to records and commits."""
    from gridctl.cli.clock import month as parse_month
    from gridctl.cli.clock import today
    from gridctl.supervision.assessment import assessment as build

    day = today(ctx, date)
    month = parse_month(period, day, "--period")
    if units:
        from gridctl.cli.units import report

        report(ctx, build, (month, day), fmt, out)
        return
    _frozen(ctx, "assessment", month, lambda ledger: build(ledger, month, day), fmt, out, publish)


@app.command("registers")
def registers(
    ctx: typer.Context,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show names, ID numbers and phones unmasked.")] = False,
    date: Date = None,
    fmt: Fmt = Format.text,
    out: Out = None,
) -> None:
    """The three registers (三本台账: 民生服务, 困难群众, 社会稳定) and the N-group lists, masked unless --reveal."""
    from gridctl.cli.clock import today
    from gridctl.supervision.registers import registers as build

    root = ledger_root(ctx)
    ledger = load_ledger(root, read_files(ctx, root))
    from gridctl.cli.progress import working

    with working(ctx, "report"):
        report = build(ledger, today(ctx, date), reveal)
    emit(ctx, report, fmt, out)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report")
