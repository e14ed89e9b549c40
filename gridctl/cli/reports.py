"""`gridctl report monthly|registers|assessment`: printable reports, frozen by --publish."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, load_ledger, read_files, state
from gridctl.errors import GridctlError
from gridctl.i18n import Text

app = typer.Typer(
    help="Reports (报表): the monthly summary, the registers (台账), the assessment and the bulletin.",
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
    typer.Option("-o", "--output", metavar="FILE", help="File to write (default: the screen; a PDF needs one)."),
]
Date = Annotated[str | None, typer.Option("--date", help="Count up to this day (default: today).")]
Publish = Annotated[bool, typer.Option("--publish", help="Commit the rendered report and tag it report/….")]


GROUNDED = ("monthly", "assessment")
"""The reports computed from who was responsible for each grid, and when (gridctl.supervision.grounds)."""


def counted(build, ledger, kind: str = ""):  # type: ignore[no-untyped-def]
    """build(ledger), naming the records the ledger holds but could not read (in none of its figures),
    and for a report of GROUNDED, the errors of the grid and staff records it is computed from."""
    from gridctl.ledger.unread import unread

    report = build(ledger)
    report.unread = [*report.unread, *(("", p) for p in unread(ledger))]  # a town's: its units' first
    if kind in GROUNDED:
        from gridctl.supervision.grounds import grounds_errors

        report.errors = [("", p) for p in grounds_errors(ledger)]
    return report


def emit(ctx: typer.Context, report, fmt: Format, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    """Show or write the report; exit 1 when it is short of records it could not read, or computed from
    records with errors (a figure sent on must never be short or wrong without a word: said in the
    report, and on stderr for whoever reads its file)."""
    from gridctl.supervision.units import empty

    _show(ctx, report, fmt, out)
    if empty(report):
        echo(str(EMPTY(state(ctx).lang)) + "\n", err=True)
    if report.unread:
        n = len(report.unread)
        said = Text(
            f"注意: {n} 处错误使记录无法读取，未计入本报表 (gridctl validate 查看)",
            f"note: {n} error(s) kept records unread, not counted in this report (see gridctl validate)",
        )
        echo(said(state(ctx).lang) + "\n", err=True)
    if report.errors:
        n = len(report.errors)
        said = Text(
            f"注意: 本报表据以计算的网格责任或工作人员记录有 {n} 处错误，数字可能不对 (gridctl validate 查看)",
            f"note: {n} error(s) in the grid responsibility or staff records this report is computed from; "
            "its figures may be wrong (see gridctl validate)",
        )
        echo(said(state(ctx).lang) + "\n", err=True)
    if report.unread or report.errors:
        raise typer.Exit(1)


EMPTY = Text(
    "注意: 本期没有单位有可统计的数据 (应巡查、事件、活动、文件均无)，排名为空，不能作为通报发布",
    "note: no unit has anything to count in this period (no inspections due, events, activities or documents): "
    "the ranking is empty and is no bulletin to publish",
)
EMPTY_HINT = Text(
    "换一个有数据的期间 (--period)；镇里汇总各单位用 --units (先 gridctl sync --units)",
    "choose a period with data (--period); a town ranks its units with --units (after gridctl sync --units)",
)


def _show(ctx: typer.Context, report, fmt: Format, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    import json

    from gridctl.errors import PDF_NEEDS_FILE, GridctlError
    from gridctl.supervision.table import to_html, to_text

    if out is not None:  # any format: -o with text or JSON was dropped, the report shown on the screen
        _write(ctx, report, out, _rendered(ctx, report, fmt))
    elif fmt is Format.text:
        echo(to_text(report))
    elif fmt is Format.json:
        emit_data(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.html:
        emit_data(to_html(report, ledger_root(ctx), f"{report.title} · gridctl"))
    else:
        raise GridctlError(PDF_NEEDS_FILE)


def _rendered(ctx: typer.Context, report, fmt: Format) -> bytes:  # type: ignore[no-untyped-def]
    """The report as the file -o asks for; a PDF whose characters no font has is refused here."""
    import json

    from gridctl.cli.common import make_pdf
    from gridctl.cli.progress import working
    from gridctl.supervision.table import to_html, to_text

    if fmt is Format.text:
        return to_text(report).encode("utf-8")
    if fmt is Format.json:
        return (json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    root = ledger_root(ctx)
    html = to_html(report, root, f"{report.title} · gridctl")
    if fmt is not Format.pdf:
        return html.encode("utf-8")
    with working(ctx, "pdf"):
        return make_pdf(root, html, root)


def _write(ctx: typer.Context, report, out: Path, data: bytes) -> None:  # type: ignore[no-untyped-def]
    from gridctl.output import write_output

    write_output(out, data, private=report.kind == "registers")  # the registers name residents
    echo(("已写入 " if state(ctx).lang == "zh" else "wrote ") + str(out) + "\n")


class EmptyRanking(GridctlError):
    """An empty ranking asked to be published: refused, nothing written (exit 1: the data has nothing to rank)."""

    exit_code = 1

    def __init__(self) -> None:
        said = Text("不发布: " + EMPTY.zh.removeprefix("注意: "), "not published: " + EMPTY.en.removeprefix("note: "))
        super().__init__(said, hint=EMPTY_HINT)


def _frozen(  # type: ignore[no-untyped-def]
    ctx: typer.Context, kind: str, period: str, build, fmt: Format, out: Path | None, publish: bool, part=None
) -> None:
    """Publish, or show a published period with its correction sheet, or just show it.

    `part` (a 乡镇): a view of some units only — shown, never published or compared.
    """
    from gridctl.cli.common import change, refuse_as_of
    from gridctl.supervision import publish as pub

    if part is not None:
        if publish:
            raise GridctlError(
                Text("--township 只用于查看，不能发布", "a --township view cannot be published"),
                hint=Text("发布全部: 去掉 --township 再加 --publish", "to publish all: drop --township, add --publish"),
            )
        root = ledger_root(ctx)
        emit(ctx, counted(build, load_ledger(root, read_files(ctx, root)), kind), fmt, out)
        return
    if publish:
        refuse_as_of(ctx)
        from gridctl.errors import PDF_NEEDS_FILE

        if fmt is Format.pdf and out is None:
            raise GridctlError(PDF_NEEDS_FILE)
        asked: list[tuple[object, bytes]] = []
        """The HTML or PDF file -o asks for, rendered before anything is committed: a PDF refused for a
        character no font has publishes nothing, and one published is written as asked, not dropped."""

        def plan(ledger):  # type: ignore[no-untyped-def]
            if pub.published(ledger.root, kind, period) is not None:
                from gridctl.errors import GridctlError

                tag = pub.tag_name(kind, period)
                raise GridctlError(
                    Text(f"该期报表已发布 ({tag})，不能重复发布", f"{tag} is already published"),
                    hint=Text("不加 --publish 查看更正表", "run it without --publish to see the correction sheet"),
                )
            report = counted(build, ledger, kind)
            from gridctl.supervision.units import empty

            if empty(report):
                raise EmptyRanking()
            planned = pub.publish_change(report, ledger.root)
            if out is not None:
                asked[:] = [(report, _rendered(ctx, report, fmt))]
            return planned

        done = change(ctx, plan)
        root = ledger_root(ctx)
        commit = done.commit or (pub.last_commit_of(root, kind, period) if done.unchanged else None)
        if commit is not None:  # unchanged: a publish cut short after its commit is tagged now
            pub.tag(root, commit, kind, period)
            zh = state(ctx).lang == "zh"
            echo(("已发布 " if zh else "published ") + f"{commit[:10]}: {pub.tag_name(kind, period)}\n")
            if asked and out is not None:
                report, data = asked[0]
                _write(ctx, report, out, data)
        return
    root = ledger_root(ctx)
    from gridctl.cli.progress import working

    with working(ctx, "report"):
        current = counted(build, load_ledger(root, read_files(ctx, root)), kind)
    from gridctl.cli.clock import clock

    published = pub.published(root, kind, period, clock(ctx))
    if published is not None:
        current = pub.with_corrections(published, current)
    emit(ctx, current, fmt, out)


Period = Annotated[
    str | None,
    typer.Option(
        "--period", metavar="PERIOD", help="A year (2026) or a month (2026-03, 2026年3月); default: this month."
    ),
]
Units = Annotated[bool, typer.Option("--units", help="A town: every unit in gridctl.yaml, each line naming it.")]
Township = Annotated[
    str | None, typer.Option("--township", help="Only the units of this township (乡镇, 属地): the town's view.")
]


def _units_report(ctx: typer.Context, build, args: tuple, fmt: Format, out: Path | None, publish: bool) -> None:  # type: ignore[no-untyped-def]
    """A town's view over its units: shown, never published (each unit publishes its own report, frozen
    in its own ledger; the town's copy of a unit is only fetched). Refused in words before anything is made."""
    if publish:
        from gridctl.errors import GridctlError

        raise GridctlError(
            Text(
                "--units 报表只用于查看，不能发布: 各单位在自己的台账里发布本单位的报表",
                "a --units report is a view and cannot be published: "
                "each unit publishes its own report in its own ledger",
            ),
            hint=Text(
                "在各单位的台账里运行同一命令 (去掉 --units) 加 --publish；镇里去掉 --publish 查看汇总",
                "run the same command with --publish in each unit's ledger (without --units); "
                "here, drop --publish to view",
            ),
        )
    from gridctl.cli.units import report

    report(ctx, build, args, fmt, out)


def _wrong_option(given: str | None, right: str, example: str) -> None:
    """A clerk who types the other report's option is told the right one."""
    if given is not None:
        from gridctl.errors import GridctlError

        raise GridctlError(
            Text(
                f"这个报表用 {right} 指定期间，如 {right} {example}",
                f"this report takes {right}, e.g. {right} {example}",
            ),
            hint=f"{right} {example}",
        )


def _period(ctx: typer.Context, period: str | None, date: str | None, wrong: str | None):  # type: ignore[no-untyped-def]
    """(the day counted to, the period: a year or a month) of a report that takes --period."""
    from gridctl.cli.clock import judged, today
    from gridctl.cli.clock import period as parse_period

    _wrong_option(wrong, "--period", "2026-03")
    day = today(ctx, date, clk=judged(ctx))  # --as-of 2026-03-15: this month is March
    return day, parse_period(period, day)


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
    township: Township = None,
    units: Units = False,
    wrong: Annotated[str | None, typer.Option("--period", hidden=True)] = None,
) -> None:
    """Monthly summary (每月总结): per grid, per person and per unit; activities; allowances where households are
    served."""
    from gridctl.cli.clock import judged, today
    from gridctl.cli.clock import month as parse_month
    from gridctl.supervision.monthly import monthly as build

    _wrong_option(wrong, "--month", "2026-03")
    day = today(ctx, date, clk=judged(ctx))  # --as-of 2026-03-15: the month counted to the 15th
    period = parse_month(month, day)
    if units:
        _units_report(ctx, build, (period, day), fmt, out, publish)
        return
    _frozen(ctx, "monthly", period, lambda ledger: build(ledger, period, day, township), fmt, out, publish, township)


@app.command("assessment")
def assessment(
    ctx: typer.Context,
    period: Period = None,
    date: Date = None,
    fmt: Fmt = Format.text,
    out: Out = None,
    publish: Publish = False,
    units: Units = False,
    wrong: Annotated[str | None, typer.Option("--month", hidden=True)] = None,
) -> None:
    """Assessment (考核): scores from the formula in gridctl.yaml, each deduction traced to records and commits."""
    from gridctl.supervision.assessment import assessment as build

    day, chosen = _period(ctx, period, date, wrong)
    if units:
        _units_report(ctx, build, (chosen, day), fmt, out, publish)
        return
    _frozen(ctx, "assessment", chosen, lambda ledger: build(ledger, chosen, day), fmt, out, publish)


@app.command("bulletin")
def bulletin(
    ctx: typer.Context,
    period: Period = None,
    date: Date = None,
    fmt: Fmt = Format.text,
    out: Out = None,
    publish: Publish = False,
    township: Township = None,
    units: Units = False,
    wrong: Annotated[str | None, typer.Option("--month", hidden=True)] = None,
) -> None:
    """Bulletin (通报): every unit (school, village or community) ranked by its score, with its grade and remark."""
    from gridctl.supervision.counts import period_end
    from gridctl.supervision.units import bulletin as build

    day, chosen = _period(ctx, period, date, wrong)
    first, end = period_end(chosen, day)
    if units:  # the town's own 通报 of its units: published (tagged) in the town's ledger, as a ledger's own is
        from gridctl.cli.units import bulletin as town

        build_it = lambda ledger: town(ctx, ledger, chosen, first, end, township)  # noqa: E731
    else:
        build_it = lambda ledger: build(ledger, chosen, first, end, township)  # noqa: E731
    _frozen(ctx, "bulletin", chosen, build_it, fmt, out, publish, township)


@app.command("registers")
def registers(
    ctx: typer.Context,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show names, ID numbers and phones unmasked.")] = False,
    date: Date = None,
    fmt: Fmt = Format.text,
    out: Out = None,
) -> None:
    """The three registers (三本台账: 民生服务, 困难群众, 社会稳定) and the N-group lists, masked unless --reveal."""
    from gridctl.cli.clock import judged, today
    from gridctl.supervision.registers import registers as build

    root = ledger_root(ctx)
    ledger = load_ledger(root, read_files(ctx, root))
    from gridctl.cli.progress import working

    with working(ctx, "report"):
        report = counted(lambda ledger: build(ledger, today(ctx, date, clk=judged(ctx)), reveal), ledger)
    emit(ctx, report, fmt, out)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report")
