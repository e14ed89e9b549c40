"""`gridctl unit add NAME URL`, `unit list`, and the `--units` form of status, due, report, print chart, validate."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from gridctl.cli.common import change, echo, emit_data, ledger_root, load_ledger, read_files, state
from gridctl.cli.show import Format
from gridctl.i18n import Text

app = typer.Typer(help="Units (下级单位): the unit ledgers a town or bureau reads.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="A short code for the unit, e.g. xingfuli.")],
    url: Annotated[str, typer.Argument(metavar="URL", help="Its git remote (a server, or a shared folder).")],
    branch: Annotated[
        str | None, typer.Option("--branch", help="The unit's main branch (default: the one its HEAD names).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The unit's name as printed.")] = None,
) -> None:
    """List a unit ledger in gridctl.yaml (one commit); gridctl sync --units fetches it."""
    from gridctl.units.fetch import add_unit, drop_fetched

    def plan(ledger):  # type: ignore[no-untyped-def]
        planned = add_unit(ledger.root, name, url, branch, title)
        # a copy under this code was fetched for an earlier listing (taken out by hand): not this unit's.
        # Dropped before the commit, under the lock: after it, a kill between the two left the old copy
        # read under the new unit's name (the code is listed nowhere, so nothing reads the copy now)
        drop_fetched(ledger.root, name)
        return planned

    change(ctx, plan)


@app.command("remove")
def remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The unit's code (or its name as printed).")],
) -> None:
    """Take a unit out of gridctl.yaml (one commit) and drop the copy of it fetched into this repository."""
    from gridctl.units.fetch import NotListed, drop_fetched, remove_unit

    removed: list[str] = []

    def plan(ledger):  # type: ignore[no-untyped-def]
        planned, code = remove_unit(ledger.root, name)
        removed.append(code)
        return planned

    try:
        done = change(ctx, plan)
    except NotListed:
        # taken out of gridctl.yaml already (by hand, or a remove stopped before its last step): its copy may be left
        if not drop_fetched(ledger_root(ctx), name):
            raise
        zh = state(ctx).lang == "zh"
        echo(f"已删除下级单位 {name} 的抓取副本\n" if zh else f"dropped the fetched copy of unit {name}\n")
        return
    if removed and done.commit is not None:
        drop_fetched(ledger_root(ctx), removed[0])  # never fetched: nothing to drop


@app.command("list")
def list_units(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """The units listed in gridctl.yaml: source, profile, and the copy held here (its last commit, when fetched)."""
    from gridctl.cli.clock import clock
    from gridctl.errors import settings_broken
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.files import WorkTree
    from gridctl.render.columns import columns
    from gridctl.units.copies import commit_said, copy_said, listing
    from gridctl.units.fetch import no_units

    root = ledger_root(ctx)
    settings, _problems = load_settings(WorkTree(root))
    if settings is None:
        raise settings_broken()
    if not settings.units:
        raise no_units()
    clk = clock(ctx, lenient=True)
    now = clk.now().replace(tzinfo=clk.zone)
    rows = listing(root, settings.units, now)
    if fmt is Format.json:
        doc = {"name": settings.name, "units": [row for _copy, row in rows]}
        emit_data(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    zh = state(ctx).lang == "zh"
    head = ["代码", "名称", "模板", "来源", "副本的最后提交", "副本"] if zh else [
        "code", "name", "profile", "source", "copy's last commit", "copy"]  # fmt: skip
    cells = [
        [
            str(row["unit"]),
            str(row["name"]),
            str(row["profile"] or "-"),
            f"{c.unit.url} ({c.unit.branch})" if c.unit.branch else c.unit.url,
            commit_said(c, now),
            copy_said(c, now, zh),
        ]
        for c, row in rows
    ]
    echo(columns(head, cells))


def as_of(ctx: typer.Context, root):  # type: ignore[no-untyped-def]
    """The moment --as-of names, for the units (None without it): each unit as it was then, as
    the town's own ledger is; they were read as last fetched whatever --as-of said."""
    when = state(ctx).as_of
    if not when:
        return None
    from gridctl.cli.clock import clock
    from gridctl.history.revisions import moment

    return moment(root, when, clock(ctx))


def town(ctx: typer.Context):  # type: ignore[no-untyped-def]
    """(root, the town's ledger, its fetched units); units not fetched yet are named on stderr."""
    from gridctl.units.rollup import read_units

    root = ledger_root(ctx)
    ledger = load_ledger(root, read_files(ctx, root))
    units, missing = read_units(root, ledger.settings, as_of(ctx, root))
    warn_missing(ctx, missing)
    return root, ledger, units


def each_unit(ctx: typer.Context, work):  # type: ignore[no-untyped-def]
    """(the town's ledger, [(unit label, work(unit))]): units read in parallel, results in order."""
    from gridctl.units.rollup import per_unit

    root = ledger_root(ctx)
    ledger = load_ledger(root, read_files(ctx, root))
    rows, missing = per_unit(root, ledger.settings, work, as_of(ctx, root))
    warn_missing(ctx, missing)
    return ledger, rows


def warn_missing(ctx: typer.Context, missing) -> None:  # type: ignore[no-untyped-def]
    """Each unit left out, on stderr, with why."""
    from gridctl.units.rollup import BROKEN, LATER

    when = state(ctx).as_of
    for name, why in missing:
        if why == LATER:
            said = Text(
                f"注意: 单位 {name} 在 {when} 之前没有提交", f"note: unit {name} has no commit on or before {when}"
            )
        elif why == BROKEN:
            said = Text(
                f"注意: 单位 {name} 的 gridctl.yaml 有误，未读取", f"note: unit {name}: its gridctl.yaml is broken"
            )
        else:
            said = Text(f"注意: 单位 {name} 尚未获取 (gridctl sync --units)", f"note: unit {name} not fetched yet")
        echo(said(state(ctx).lang) + "\n", err=True)


def status(ctx: typer.Context, as_json: bool = False) -> None:
    from functools import partial

    from gridctl.cli.clock import clock, judged, moment
    from gridctl.units.copies import copies, copy_json, copy_said
    from gridctl.units.reports import status_json, status_lines, unit_status

    now_judged = moment(ctx, clk=judged(ctx))
    ledger, rows = each_unit(ctx, partial(unit_status, now=now_judged))
    own = _problems(ctx, ledger, rows, now_judged.date())
    clk = clock(ctx, lenient=True)
    now = clk.now().replace(tzinfo=clk.zone)
    held = copies(ledger_root(ctx), ledger.settings.units)
    if as_json:
        ages = {c.unit.name: copy_json(c, now) for c in held}
        doc = status_json(ledger.settings.name, rows, ages, own)
        emit_data(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    zh = state(ctx).lang == "zh"
    notes = {c.unit.name: copy_said(c, now, zh) for c in held if c.stale(now)}
    lines = status_lines(rows, state(ctx).lang, ledger.settings.labels, notes, own)
    echo(ledger.settings.name + "\n" + "\n".join(lines) + "\n")


def _problems(ctx: typer.Context, ledger, rows, day):  # type: ignore[no-untyped-def]
    """Add to each unit's row the problems of the checks across units (GC600, GC601), and return the
    town's own files' (its gridctl.yaml): the status then counts what validate counts."""
    from collections import Counter

    from gridctl.cli.common import consistently
    from gridctl.units.checks import cross_counts
    from gridctl.units.rollup import read_units
    from gridctl.validate import validate

    root = ledger_root(ctx)
    units, _missing = read_units(root, ledger.settings, as_of(ctx, root))  # the missing: named already
    found = cross_counts(units, ledger.settings)
    for _label, (code, row) in rows:
        row.update(found.get(code, Counter()))
    mine = consistently(ctx, root, lambda files: validate(root, files, day))
    return Counter(errors=len(mine.erring()), warnings=len(mine.problems) - len(mine.erring()))


def due(ctx: typer.Context, day, now=None, as_json: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Every unit's morning list; `now` (aware, None with --date) judges hours limits as `due` does."""
    from functools import partial

    from gridctl.units.reports import due_text, unit_due

    _ledger, rows = each_unit(ctx, partial(unit_due, day=day, now=now))
    late = any(i.overdue for _label, (items, _notes) in rows for i in items)
    notes = [(label, zh, en) for label, (_items, said) in rows for zh, en in said]
    if as_json:
        items = [{"unit": label, **i.as_json()} for label, (found, _notes) in rows for i in found]
        doc = {"date": day.isoformat(), "items": items, "notes": [f"{label}: {en}" for label, _zh, en in notes]}
        emit_data(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        zh = state(ctx).lang == "zh"
        for label, said_zh, said_en in notes:
            echo(f"{label}: {said_zh if zh else said_en}\n", err=True)
        echo(due_text(rows, day, state(ctx).lang)[0])
    if late:
        raise typer.Exit(1)


def report(ctx: typer.Context, build, args: tuple, fmt: str, out) -> None:  # type: ignore[no-untyped-def, type-arg]
    """A monthly report or an assessment of every unit, the unit in front of each row."""
    from functools import partial

    from gridctl.cli.reports import emit
    from gridctl.units.reports import combined, unit_report

    ledger, rows = each_unit(ctx, partial(unit_report, build, args))
    emit(ctx, combined(rows, ledger.settings.name, state(ctx).lang), fmt, out)


def bulletin(ctx: typer.Context, ledger, period: str, first, end, township: str | None):  # type: ignore[no-untyped-def]
    """The town's 通报: the units of every unit ledger ranked together, with the town's weights; a unit
    not read is named in the report (it was not ranked), and its records that could not be read too."""
    from functools import partial

    from gridctl.supervision.units import ranking
    from gridctl.units.reports import unit_ranked
    from gridctl.units.rollup import per_unit

    rows, missing = per_unit(
        ledger.root, ledger.settings, partial(unit_ranked, first, end, township), as_of(ctx, ledger.root)
    )
    warn_missing(ctx, missing)
    ranked = [row for _label, (found, _notes, _unread) in rows for row in found]
    notes = [f"{label}: {note}" for label, (_found, said, _unread) in rows for note in said]
    notes += [f"{name}: 未能读取，未参评" for name, _why in missing]
    report = ranking(ledger.settings, ranked, period, (first, end), township, list(dict.fromkeys(notes)))
    report.unread = [(label, p) for label, (_found, _notes, unread) in rows for p in unread]
    return report


def chart(ctx: typer.Context, size: str, engine: str):  # type: ignore[no-untyped-def]
    """One responsibility chart of the town: every unit's grid tree under its own name."""
    from gridctl.cli.clock import today
    from gridctl.errors import GridctlError
    from gridctl.ledger.files import WorkTree
    from gridctl.render.pages import Printer
    from gridctl.render.revision import revision_of

    root, ledger, units = town(ctx)
    day = today(ctx)
    printer = Printer(root, ledger, WorkTree(root), revision_of(root, WorkTree(root), day), size)
    trees = [t for u in units for t in Printer(root, u.ledger, u.files, revision_of(root, u.files, day), size).trees()]
    if not trees:
        raise GridctlError(Text("下级单位还没有网格", "no unit has grids yet"), hint="gridctl sync --units")
    return printer, printer.chart_of(trees, f"{ledger.settings.name} {ledger.settings.labels.chart}", engine)


def validate(ctx: typer.Context, result):  # type: ignore[no-untyped-def]
    from gridctl.units.rollup import validate_units

    root = ledger_root(ctx)
    ledger = load_ledger(root, read_files(ctx, root))
    from gridctl.cli.clock import judged

    today = judged(ctx, lenient=True).today()
    combined, missing, locked = validate_units(root, result, ledger.settings, today, as_of(ctx, root))
    warn_missing(ctx, missing)
    for label in locked:
        said = Text(
            f"注意: 单位 {label} 已加密，本机没有能解开的密钥: 其公民身份号码未与其他单位比对 (GC600)，"
            "号码、出生日期、居民电话等也未检查 (GC102–GC108、GC702、GC703)",
            f"note: unit {label} is encrypted and no key here opens it: its ID numbers were not compared with "
            "other units' (GC600), nor were numbers, birth dates or residents' phones checked "
            "(GC102-GC108, GC702, GC703)",
        )
        echo(said(state(ctx).lang) + "\n", err=True)
    return combined


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="unit")
