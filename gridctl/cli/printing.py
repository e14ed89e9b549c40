"""`gridctl print chart|board|cards|form|stale`: the pages gridctl puts on walls and in hands.

HTML always works (one self-contained file); `--format pdf` needs WeasyPrint and one of the
ledger's Chinese fonts (`fonts:` in gridctl.yaml). Printing a board, cards or a chart to a file notes it in the ledger's
print manifest (one commit), so `gridctl print stale` can say what to reprint.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, state
from gridctl.cli.complete import ids_of
from gridctl.cli.progress import working
from gridctl.i18n import Text


class Format(str, Enum):
    html = "html"
    pdf = "pdf"


class StaleFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"


class Size(str, Enum):
    A4 = "A4"
    A3 = "A3"


class Layout(str, Enum):
    auto = "auto"
    graphviz = "graphviz"
    table = "table"


Out = Annotated[
    Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write here (default: HTML to stdout).")
]
Fmt = Annotated[Format, typer.Option("--format", "-f", help="html (default) or pdf (needs WeasyPrint).")]
SizeOpt = Annotated[Size, typer.Option("--size", help="Paper size.")]
NoRecord = Annotated[bool, typer.Option("--no-record", help="Do not note this print in the print manifest.")]
GridArg = Annotated[str | None, typer.Argument(metavar="GRID", help="Grid id or name.", autocompletion=ids_of("grid"))]
AllOpt = Annotated[bool, typer.Option("--all", help="Every grid with responsible people.")]

app = typer.Typer(
    help="Print the responsibility chart, notice boards, contact cards and inspection forms.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _printer(ctx: typer.Context, size: str = "A4"):  # type: ignore[no-untyped-def]
    from gridctl.cli.clock import today
    from gridctl.cli.common import load_ledger, read_files
    from gridctl.render.pages import Printer
    from gridctl.render.revision import revision_of

    root = ledger_root(ctx)
    files = read_files(ctx, root)
    return Printer(root, load_ledger(root, files), files, revision_of(root, files, today(ctx)), size)


def _emit(ctx: typer.Context, printer, doc, out: Path | None, fmt: Format, record: bool) -> None:  # type: ignore[no-untyped-def]
    from gridctl.cli.common import paged_pdf
    from gridctl.errors import PDF_NEEDS_FILE, GridctlError

    if fmt is Format.pdf:
        if out is None:
            raise GridctlError(PDF_NEEDS_FILE)
        from gridctl.cli.progress import working

        with working(ctx, "pdf"):
            data, pages = paged_pdf(printer.root, doc.html, ledger=printer.ledger)
        if doc.pages_hint and pages > doc.pages_hint:  # text too long for its page: never found on the wall
            echo(
                Text(
                    f"注意: PDF 有 {pages} 页，本应 {doc.pages_hint} 页: 有文字太长，一页放不下 "
                    "(请看一下 PDF；缩短职责或四至，或用 --size A3)\n",
                    f"warning: the PDF takes {pages} pages where it is meant to take {doc.pages_hint}: some text is "
                    "too long for its page (look at the PDF; shorten duties or the boundary, or use --size A3)\n",
                ),
                err=True,
            )
    else:
        data = doc.html.encode("utf-8")
    from gridctl.render.chart import LEGIBLE_PT

    if doc.smallest_pt is not None and doc.smallest_pt < LEGIBLE_PT:  # fits its page, too small to read there
        pt = f"{doc.smallest_pt:.1f}"
        echo(
            Text(
                f"注意: 责任图缩小到一页后，最小的字只有约 {pt} 磅，贴出来看不清 "
                "(用 --size A3，或用 --root 按年级/分区分张打印，或用 --layout table)\n",
                f"warning: scaled into one page the chart's smallest words print at about {pt} pt, too small to "
                "read on a wall (use --size A3, or print each part with --root, or --layout table)\n",
            ),
            err=True,
        )
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from gridctl.output import write_output

    write_output(out, data)
    echo(f"已生成 {out}\n" if state(ctx).lang == "zh" else f"wrote {out}\n")
    if record and doc.items:
        _record(ctx, printer, doc.items, fmt.value)


def _record(ctx: typer.Context, printer, items, fmt: str) -> None:  # type: ignore[no-untyped-def]
    from gridctl.cli.common import author, command_line, reason
    from gridctl.errors import GridctlError
    from gridctl.ledger.message import Message
    from gridctl.ledger.transaction import Interrupted, KeptEdits, Unfinished
    from gridctl.ops.write import transaction
    from gridctl.render import manifest

    root, rev = printer.root, printer.revision
    if rev.commit is None and not (root / ".git").exists():
        return  # not a git ledger: nothing to compare against later
    what = items[0].what
    named = ["全部网格" if i.id == "all" else i.id for i in items[:3]]  # a whole-tree chart's key is "all"
    ids = "、".join(named) + (f" 等 {len(items)} 项" if len(items) > 3 else "")
    subject = f"打印{manifest.WHAT_ZH[what]} {ids}"  # the ledger's language
    command = command_line(ctx=ctx)
    try:
        who = author(ctx, root)
        with transaction(root, command, state(ctx).wait) as txn:
            path = root / manifest.MANIFEST
            before = path.read_bytes() if path.is_file() else None  # read under the lock: no lost entries
            data = manifest.updated(before, items, rev.commit, rev.dirty, rev.printed.isoformat(), fmt)
            txn.commit({manifest.MANIFEST: data}, Message(subject, reason(ctx, root), command), who)
    except (Unfinished, Interrupted, KeptEdits) as exc:  # the print is recorded; only its files lag
        echo(f"{exc.message}\n", err=True)
    except GridctlError as exc:
        hint = f"  {'提示' if state(ctx).lang == 'zh' else 'hint'}: {exc.hint}\n" if exc.hint else ""
        echo(
            Text(
                f"注意: 已生成，但没有记入打印清单 ({manifest.MANIFEST}): {exc.message}\n{hint}",
                f"note: printed, but not noted in the print manifest ({manifest.MANIFEST}): {exc.message}\n{hint}",
            ),
            err=True,
        )


@app.command("chart")
def chart(
    ctx: typer.Context,
    root: Annotated[
        str | None,
        typer.Option(
            "--root", metavar="GRID", help="Start the tree at this grid (id or name).", autocompletion=ids_of("grid")
        ),
    ] = None,
    size: SizeOpt = Size.A4,
    layout: Annotated[Layout, typer.Option("--layout", help="auto: Graphviz where installed.")] = Layout.auto,
    out: Out = None,
    fmt: Fmt = Format.html,
    no_record: NoRecord = False,
    units: Annotated[
        bool, typer.Option("--units", help="A town: every unit in gridctl.yaml, each line naming it.")
    ] = False,
) -> None:
    """The responsibility chart (网格管理责任图): the grid tree with every node's responsible people and phones."""
    if units:
        from gridctl.cli.units import chart as town

        printer, doc = town(ctx, size.value, layout.value)
        _emit(ctx, printer, doc, out, fmt, False)
        return
    printer = _printer(ctx, size.value)
    _refuse_errors(ctx, printer, printer.chart_grids(root), sites=printer.settings.labels.chart_details)
    with working(ctx, "print"):
        doc = printer.chart(root, layout.value)
    _emit(ctx, printer, doc, out, fmt, not no_record)


@app.command("board")
def board(
    ctx: typer.Context,
    grid: GridArg = None,
    every: AllOpt = False,
    size: SizeOpt = Size.A4,
    out: Out = None,
    fmt: Fmt = Format.html,
    no_record: NoRecord = False,
) -> None:
    """Notice boards (网格公示牌): one page per grid with boundary, map, people, photos, phones and duties."""
    from gridctl.render.readiness import gaps

    printer = _printer(ctx, size.value)
    grids = printer.grid_ids(grid, every)
    _refuse_errors(ctx, printer, grids)
    lang = state(ctx).lang
    for gap in gaps(printer.ledger, grids):  # a board two thirds empty is never a surprise on the wall
        echo(("注意: " if lang == "zh" else "warning: ") + gap.text(lang) + "\n", err=True)
    with working(ctx, "print"):
        doc = printer.boards(grids)
    _unreadable_photos(ctx, printer, grids)
    _emit(ctx, printer, doc, out, fmt, not no_record)


def _unreadable_photos(ctx: typer.Context, printer, grids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A photo file that is no image prints as the 照片 placeholder: said, as every gap of a board is."""
    from gridctl.render.readiness import Gap

    lang = state(ctx).lang
    bad = set(printer.staffing.photos.unreadable)
    for gid in grids:
        grid = printer.staffing.grids.get(gid)
        for duty in grid.responsible if grid is not None else []:
            person = printer.staffing.staff.get(duty.staff)
            if person is not None and person.photo in bad:
                bad.discard(person.photo)  # once per photo
                gap = Gap("photo_unreadable", gid, grid.name, person.id, person.name, path=person.photo)
                echo(("注意: " if lang == "zh" else "warning: ") + gap.text(lang) + "\n", err=True)


@app.command("cards")
def cards(
    ctx: typer.Context,
    grid: GridArg = None,
    every: AllOpt = False,
    out: Out = None,
    fmt: Fmt = Format.html,
    no_record: NoRecord = False,
) -> None:
    """Contact cards (服务联系卡): 10 per A4 with cut lines, each with a QR code that saves the contact."""
    printer = _printer(ctx)
    grids = printer.grid_ids(grid, every)
    _refuse_errors(ctx, printer, grids)
    with working(ctx, "print"):
        doc = printer.cards(grids)
    _emit(ctx, printer, doc, out, fmt, not no_record)


def _refuse_errors(ctx: typer.Context, printer, grids: list[str], sites: bool = False) -> None:  # type: ignore[no-untyped-def]
    """A public page is posted on a wall: printed from records with errors it shows what the ledger
    does not mean (a landline typed without quotes, its 0 lost; a 网格员 who is not in the ledger, left
    off the wall). Any error validate finds in the grids printed or the staff posted, their own or
    across records: named, nothing printed, exit 1."""
    from gridctl.render.problems import to_text
    from gridctl.validate import errors_of
    from gridctl.validation import Validation

    files = printer.ledger.source
    rels = printer.sources(grids, sites)
    errors = errors_of(printer.ledger, rels)
    if not errors:
        return
    lang = state(ctx).lang
    echo(to_text(Validation(printer.root, files, errors, files=len(rels), records=len(rels)), lang), err=True)
    echo(
        Text(
            "未打印: 上面的记录有错误，印出来的内容会与台账不符；改正后再打印 (gridctl validate 列出全部问题)\n",
            "nothing printed: the records above have errors, so the page would not say what the ledger means; "
            "fix them and print again (gridctl validate lists every problem)\n",
        ),
        err=True,
    )
    raise typer.Exit(1)


def _date(ctx: typer.Context, value: str | None) -> dt.date | None:
    """--date in any of the clerk's forms (2026-03-01, 2026/3/1, 2026年3月1日, 20260301)."""
    from gridctl.cli.clock import clock

    return clock(ctx).parse(value, "--date").date() if value is not None else None


@app.command("form")
def form(
    ctx: typer.Context,
    grid: Annotated[
        str | None,
        typer.Argument(metavar="GRID", help="Grid id or name.", autocompletion=ids_of("grid")),
    ] = None,
    inspection: Annotated[
        str | None,
        typer.Option(
            "--inspection",
            metavar="ID",
            help="Print a recorded inspection filled in: its id, or its grid and day (第一网格 2026-03-02).",
            autocompletion=ids_of("inspection"),
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Pre-fill the date, e.g. 2026-03-01 or 2026年3月1日.")
    ] = None,
    checklist: Annotated[str | None, typer.Option("--checklist", help="A checklist from gridctl.yaml.")] = None,
    inspector: Annotated[
        str | None,
        typer.Option("--inspector", metavar="STAFF", help="Staff id or name.", autocompletion=ids_of("staff")),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            help="Daily sheets over this many days from --date (default today): one a day an inspection is due.",
        ),
    ] = None,
    out: Out = None,
    fmt: Fmt = Format.html,
) -> None:
    """Inspection forms (督查记录表): blank, pre-filled with grid, inspector and the numbered checklist items,
    or a recorded inspection filled in."""
    from gridctl.errors import GridctlError
    from gridctl.render.forms import filled
    from gridctl.render.forms import form as make_form

    printer = _printer(ctx)
    if inspection is not None:
        if grid is not None or date or days or checklist or inspector:
            raise GridctlError(
                Text(
                    "--inspection 按原样打印那次督查记录: 不要再给网格、--date、--days 或 --checklist",
                    "--inspection prints that record as it is: give no GRID, --date, --days or --checklist",
                )
            )
        doc = filled(printer, inspection)
    elif grid is None:
        raise GridctlError(Text("请指定网格，或用 --inspection 指定督查记录", "give a GRID, or --inspection ID"))
    else:
        from gridctl.supervision.facts import Facts

        due = Facts(printer.ledger).is_due_day  # a sheet for each day an inspection is due: none for days off
        doc = make_form(printer, grid, _date(ctx, date), days, checklist, inspector, due)
    _emit(ctx, printer, doc, out, fmt, record=False)


@app.command("stale")
def stale(
    ctx: typer.Context,
    fmt: Annotated[StaleFormat, typer.Option("--format", "-f", help="text (default), json, html or pdf.")] = (
        StaleFormat.text
    ),
    out: Out = None,
) -> None:
    """Printed boards, cards and charts that no longer match the ledger (exit 1 if any)."""
    import json

    from gridctl.render import manifest
    from gridctl.render.pages import Document
    from gridctl.render.stale import stale as find_stale
    from gridctl.render.stale import stale_html, stale_text

    printer = _printer(ctx)
    path = printer.root / manifest.MANIFEST
    data = path.read_bytes() if path.is_file() else None
    found = find_stale(printer, data)
    if fmt in (StaleFormat.html, StaleFormat.pdf):
        _emit(ctx, printer, Document(stale_html(printer, found)), out, Format(fmt.value), record=False)
    else:
        printed = len(manifest.load(data)["printed"])
        if fmt is StaleFormat.json:
            lang = state(ctx).lang
            items = [{**vars(s.said(lang)), "command": s.command()} for s in found]
            text = json.dumps({"printed": printed, "stale": items}, ensure_ascii=False, indent=2) + "\n"
        else:
            text = stale_text(found, printed, state(ctx).lang)
        if out is None:
            (emit_data if fmt is StaleFormat.json else echo)(text)
        else:
            from gridctl.output import write_output

            write_output(out, text.encode("utf-8"))
    if found:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="print")
