"""`gridctl inspect`, `gridctl due`, `gridctl spot-check`: the daily loop of a grid."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import change, echo, emit_data, ledger_root, load_ledger, read_files, state
from gridctl.cli.complete import ids_of
from gridctl.cli.reports import Format
from gridctl.i18n import Text

Many = Annotated[list[str] | None, typer.Option()]


class DueFormat(str, Enum):
    text = "text"
    json = "json"


def inspect(
    ctx: typer.Context,
    grid: Annotated[str, typer.Argument(metavar="GRID", help="Grid id or name.", autocompletion=ids_of("grid"))],
    by: Annotated[str, typer.Option("--by", help="The inspector: staff id or name.", autocompletion=ids_of("staff"))],
    date: Annotated[str | None, typer.Option("--date", help="Day of the inspection (default: today).")] = None,
    at: Annotated[str | None, typer.Option("--at", help='Date and time, e.g. "2026-03-05 09:30".')] = None,
    checklist: Annotated[str | None, typer.Option("--checklist", help="Checklist name (gridctl.yaml).")] = None,
    ok: Annotated[list[str] | None, typer.Option("--ok", help="An item found in order (text or number).")] = None,
    hazard: Annotated[
        list[str] | None,
        typer.Option("--hazard", help='"ITEM: description" (e.g. "4: 3号楼监控损坏"); it becomes an event.'),
    ] = None,
    na: Annotated[list[str] | None, typer.Option("--na", help="An item that does not apply.")] = None,
    all_ok: Annotated[bool, typer.Option("--all-ok", help="Every item not otherwise answered is ok.")] = False,
    grade: Annotated[
        str | None,
        typer.Option("--grade", help="Grade of the hazards found (default: 一般; 立即整改 where the profile has it)."),
    ] = None,
) -> None:
    """Record an inspection (督查记录) as one commit; each hazard becomes an event with its deadline."""
    from gridctl.cli.clock import done_at
    from gridctl.errors import GridctlError
    from gridctl.supervision.inspect import Answer, answers, checklist_items, missing, record

    root = ledger_root(ctx)
    ledger = load_ledger(root)
    name = checklist or ledger.settings.supervision.inspections.default_checklist
    if not name:
        raise GridctlError(Text("用哪张检查表？请用 --checklist 名称", "which checklist? --checklist NAME"))
    items = checklist_items(ledger, name)
    given = answers(items, ok or [], hazard or [], na or [])
    left = missing(items, given)
    if left and all_ok:
        given.update({item: Answer("ok") for item in left})
    elif left and sys.stdin.isatty():
        given.update(_ask(left, state(ctx).lang == "zh"))
    when = done_at(ctx, date, at)
    if grade is not None and grade not in ledger.settings.vocabularies.get("event_grades", [grade]):
        raise GridctlError(f"--grade {grade}: 可选 " + "、".join(ledger.settings.vocabularies["event_grades"]))
    change(ctx, lambda now: record(now, grid, by, when, name, given, grade))


def _ask(items: list[str], zh: bool) -> dict:  # type: ignore[type-arg]
    from gridctl.supervision.inspect import Answer

    out = {}
    for item in items:
        while True:
            reply = typer.prompt(
                f"{item} [o={'正常' if zh else 'ok'} / h={'隐患' if zh else 'hazard'} / n={'不适用' if zh else 'n/a'}]"
            )
            key = reply.strip().lower()[:1]
            if key in ("o", "n"):
                out[item] = Answer("ok" if key == "o" else "na")
                break
            if key == "h":
                out[item] = Answer("hazard", typer.prompt("描述" if zh else "description"))
                break
    return out


def due(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option("--date", help="The morning of (default: today).")] = None,
    grid: Annotated[
        str | None,
        typer.Option(
            "--grid", help="Only this grid (id or name) and the grids below it.", autocompletion=ids_of("grid")
        ),
    ] = None,
    fmt: Annotated[DueFormat, typer.Option("--format", "-f", help="text or json.")] = DueFormat.text,
    reveal: Annotated[bool, typer.Option("--reveal", help="Name the care group of a household to visit.")] = False,
    units: Annotated[
        bool, typer.Option("--units", help="A town: every unit in gridctl.yaml, each line naming it.")
    ] = False,
) -> None:
    """The morning list: what is to do today and what is late. Exit 1 when something is overdue.

    Grids not inspected, events near or past their limit, activities and documents the plan asks for,
    care groups (重点人群) to visit, things to check, idle staff, contracts ending."""
    import json

    from gridctl.cli.clock import judged, today
    from gridctl.supervision.due import due_list, due_notes

    clk = judged(ctx)  # --as-of: the morning list of that day, not of today
    day = today(ctx, date, clk=clk)
    # another day is judged at its end; today (--date 今天, or today's date) at this moment: a 4-hour
    # hazard with two hours left was "11 hours late" under --date of the day the clerk is living in
    at_now = date is None or day == clk.today()
    if units:
        from gridctl.cli.units import due as town

        now = clk.now().replace(tzinfo=clk.zone) if at_now else None  # each unit judges hours on its own clock
        town(ctx, day, now, fmt is DueFormat.json)
        return
    root = ledger_root(ctx)
    ledger = load_ledger(root, read_files(ctx, root))
    if grid is not None:
        from gridctl.ledger.names import resolve

        grid = resolve(ledger, grid, ["grid"])
    items = due_list(ledger, day, grid, clk.now() if at_now else None, reveal)
    notes = due_notes(ledger, day)
    lang = state(ctx).lang
    if fmt is DueFormat.json:
        doc = {"date": day.isoformat(), "items": [i.as_json() for i in items], "notes": [en for _zh, en in notes]}
        emit_data(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        from gridctl.supervision.due import render_text

        for zh, en in notes:
            echo((zh if lang == "zh" else en) + "\n", err=True)
        echo(render_text(items, day, lang))
    if any(i.overdue for i in items):
        raise typer.Exit(1)


def spot_check(
    ctx: typer.Context,
    month: Annotated[str, typer.Option("--month", metavar="MONTH", help="The month, e.g. 2026-03 or 2026年3月.")],
    sample: Annotated[int, typer.Option("--sample", min=1, help="How many inspection records to draw.")],
    seed: Annotated[int | None, typer.Option("--seed", help="Draw the same sample again with the same seed.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, html, pdf or json.")] = Format.text,
    out: Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE", help="File for html/pdf.")] = None,
) -> None:
    """Spot-check (随机抽查): a reproducible sample of the month's inspection records, with a checking sheet."""
    import secrets

    from gridctl.cli.clock import month as parse_month
    from gridctl.cli.clock import today
    from gridctl.cli.reports import counted, emit
    from gridctl.render.revision import revision_of
    from gridctl.supervision.spotcheck import spot_check as draw

    root = ledger_root(ctx)
    files = read_files(ctx, root)
    ledger = load_ledger(root, files)
    chosen = seed if seed is not None else secrets.randbelow(10**6)
    drawn = revision_of(root, files, today(ctx))
    when = parse_month(month, today(ctx))
    report = counted(lambda led: draw(led, when, sample, chosen, drawn.short or None, drawn.dirty), ledger)
    emit(ctx, report, fmt, out)


def visit(
    ctx: typer.Context,
    household: Annotated[
        str,
        typer.Argument(
            metavar="HOUSEHOLD",
            help="The household visited (id or name, e.g. 张桂英户).",
            autocompletion=ids_of("household"),
        ),
    ],
    by: Annotated[str, typer.Option("--by", help="The visitor: staff id or name.", autocompletion=ids_of("staff"))],
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="The day, e.g. 2026-11-01 or 2026年11月1日 (default: today)."),
    ] = None,
    purpose: Annotated[
        str | None, typer.Option("--purpose", help="The purpose of the visit, e.g. 慰问, 信息核实.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What was found or done.")] = None,
) -> None:
    """Record a visit to a household (入户走访) as one commit; the monthly report counts them."""
    from gridctl.cli.clock import done_on
    from gridctl.ops.duty import on_duty
    from gridctl.ops.records import add, allocate, find

    when = done_on(ctx, date)

    def plan(ledger):  # type: ignore[no-untyped-def]
        home, who = find(ledger, household, ["household"]), find(ledger, by, ["staff"]).id
        grid = getattr(home.record, "grid", None)
        if grid is not None:  # a household whose file breaks the schema is refused by validation
            on_duty(ledger, who, grid, when, Text("记为走访人", "to visit"))
        home = home.id
        values = [(("household",), home), (("by",), who), (("date",), when.isoformat())]
        values += [((k,), v) for k, v in (("purpose", purpose), ("note", note)) if v]
        return add(ledger, "visit", values, {"id": allocate(ledger, "visit", when=when)[0]})

    change(ctx, plan)


def register(app: typer.Typer) -> None:
    app.command("visit")(visit)
    app.command("inspect")(inspect)
    app.command("due")(due)
    app.command("spot-check")(spot_check)
