"""`gridctl show / list / status`: reading the ledger, personal data masked unless --reveal."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, load_ledger, read_files, state
from gridctl.cli.complete import RECORD_HELP, ids_of, kinds, record_ids

RevealOption = Annotated[bool, typer.Option("--reveal", help="Show ID numbers, residents' phones and care-group tags.")]


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Format(str, Enum):
    text = "text"
    json = "json"


def show(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help=RECORD_HELP, autocompletion=record_ids)],
    reveal: RevealOption = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text (YAML) or json.")] = Format.text,
) -> None:
    """One record (a person with their household)."""
    import json

    from gridctl.views import show as view

    root = ledger_root(ctx)
    data = view(load_ledger(root, read_files(ctx, root)), record_id, reveal)
    if fmt is Format.json:
        emit_data(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    import io

    from ruamel.yaml import YAML

    if state(ctx).lang == "zh":
        from gridctl.views import labelled

        data = labelled(data)
    out = io.StringIO()
    y = YAML()
    y.allow_unicode = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.dump(data, out)
    echo(out.getvalue())


def list_(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            help="grid, staff, household, person, place, org, thing, event, inspection, visit, activity, document",
            autocompletion=kinds,
        ),
    ],
    grid: Annotated[
        str | None,
        typer.Option(
            "--grid",
            help="Only this grid and the grids below it, by id or name (staff: those responsible for them).",
            autocompletion=ids_of("grid"),
        ),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", help="Only this care group: how many per grid, or with --reveal who.")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="table, json or csv.")] = ListFormat.table,
    reveal: RevealOption = False,
) -> None:
    """Records of one kind as a table, JSON or CSV."""
    from gridctl.cli.progress import working
    from gridctl.listing import listing

    root = ledger_root(ctx)
    lang = state(ctx).lang

    def shown() -> str:
        table = listing(ledger, kind, grid, tag, reveal)
        if fmt is ListFormat.json:
            import json

            rows = [{k: v for k, v in row.items() if not k.startswith("_")} for row in table.rows]
            return json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"
        if fmt is ListFormat.csv:
            from gridctl.excel.values import csv_text

            return csv_text(table.headers, table.cells())
        from gridctl.render.columns import columns

        count = (
            f"{len(table.rows)} 条"
            if lang == "zh"
            else (f"{len(table.rows)} row" if len(table.rows) == 1 else f"{len(table.rows)} rows")
        )
        return columns(table.headers, table.cells()) + count + "\n"

    with working(ctx, "read"):
        ledger = load_ledger(root, read_files(ctx, root))
        # kept by the files' content (12,000 households: the table took longer than reading the ledger)
        text = shown() if reveal else ledger.kept(f"list:{kind}:{grid}:{tag}:{fmt.value}:{lang}", shown)
    if fmt is ListFormat.table:
        from gridctl.cli.pager import page

        page(text)
    else:
        emit_data(text)


def status(
    ctx: typer.Context,
    units: Annotated[
        bool, typer.Option("--units", help="A town: every unit in gridctl.yaml, each line naming it.")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """The ledger on one screen: grids, households, people, staff, rentals, open problems."""
    if units:
        from gridctl.cli.units import status as town

        town(ctx, fmt is Format.json)
        return
    from gridctl.cli.clock import judged, moment
    from gridctl.cli.common import consistently
    from gridctl.cli.progress import working
    from gridctl.validate import validate
    from gridctl.views import kept_status

    root = ledger_root(ctx)
    now = moment(ctx, clk=judged(ctx))  # --as-of: overdue as it stood then
    day = now.date()

    def read(files):  # type: ignore[no-untyped-def]
        result = validate(root, files, day, rows=True)  # a cold read makes the rows status counts next
        return kept_status(lambda: load_ledger(root, files, settled=True), result, day)

    with working(ctx, "validate"):
        s = consistently(ctx, root, read).at(now)  # kept per day: an hours deadline passed since is overdue
    if fmt is Format.json:
        import json

        emit_data(json.dumps(s.as_json(), ensure_ascii=False, indent=2) + "\n")
        return
    echo(status_text(s, state(ctx).lang) + _merging(root, state(ctx).lang))


def _merging(root: Any, lang: str) -> str:
    """A line for a merge under way (a sync that stopped on conflicts, or a resolve that stopped before
    its commit): every write is refused until it is finished, and status said nothing of it."""
    from gridctl.ledger.cache import git_dir_of

    git_dir = git_dir_of(root)
    if git_dir is None or not (git_dir / "MERGE_HEAD").exists():
        return ""
    from gridctl.merge.conflicts import live, unmerged

    found = live(root)  # and the files git could not merge (deleted on one side): "all settled" hid them
    n = len(found) + len(unmerged(root) - {e["file"] for e in found})
    zh = lang == "zh"
    if n:
        return (
            f"  合并未完成: {n} 处冲突未解决 (gridctl sync 列出，gridctl resolve 逐处解决)\n"
            if zh
            else f"  a merge is under way: {n} conflicts open (gridctl sync lists them, gridctl resolve settles each)\n"
        )
    return (
        "  合并未完成: 冲突都已解决，gridctl sync 校验并提交合并\n"
        if zh
        else "  a merge is under way: every conflict is settled; gridctl sync checks and commits it\n"
    )


def status_text(s: Any, lang: str) -> str:
    zh = lang == "zh"

    def counts(c: Any) -> str:
        return "、".join(f"{k} {v}" for k, v in c.most_common()) or "-"

    staff = f"  {s.staff_label if zh else 'staff'}: {s.staff}"
    # a school's ledger keeps no households, residents or rentals: no line counts them (labels.households)
    lines = [f"{s.name}", f"  {'网格' if zh else 'grids'}: {counts(s.grids)}"] + (
        [
            f"  {'户' if zh else 'households'}: {s.households}    {'人' if zh else 'people'}: {s.people}",
            f"  {'人员类型' if zh else 'residence'}: {counts(s.residence)}",
            f"  {'重点人群' if zh else 'care groups'}: {counts(s.care_groups)}",
            f"{staff}    {'出租房屋' if zh else 'rentals'}: {s.rentals}",
        ]
        if s.serves_households
        else [staff]
    )
    lines += [
        f"  {'未结事件' if zh else 'open events'}: {counts(s.open_events)}"
        + (f"  ({'已超期' if zh else 'overdue'} {s.overdue})" if s.overdue else ""),
        f"  {'校验' if zh else 'validation'}: "
        + (f"{s.errors} 个错误、{s.warnings} 个警告" if zh else f"{s.errors} errors, {s.warnings} warnings"),
    ]
    if s.todo:
        lines.append(f"  {'待办 (公示牌)' if zh else 'to do (notice boards)'}:")
        lines += [f"    - {gap.text(lang)}" for gap in s.todo]
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("list")(list_)
    app.command("status")(status)
