"""`gridctl show / list / status`: reading the ledger, personal data masked unless --reveal."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, load_ledger, read_files, state

RevealOption = Annotated[bool, typer.Option("--reveal", help="Show ID numbers, residents' phones and care-group tags.")]


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def show(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID")],
    reveal: RevealOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of YAML.")] = False,
) -> None:
    """One record (a person with their household)."""
    import json

    from gridctl.views import show as view

    root = ledger_root(ctx)
    data = view(load_ledger(root, read_files(ctx, root)), record_id, reveal)
    if as_json:
        emit_data(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    y = YAML()
    y.allow_unicode = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.dump(data, out)
    echo(out.getvalue())


def list_(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="grid, staff, household, person, place, org, thing, event, inspection")],
    grid: Annotated[str | None, typer.Option("--grid", help="Only this grid (for grids: its children).")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only this care group (needs --reveal).")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    reveal: RevealOption = False,
) -> None:
    """Records of one kind as a table, JSON or CSV."""
    from gridctl.views import listing

    root = ledger_root(ctx)
    table = listing(load_ledger(root, read_files(ctx, root)), kind, grid, tag, reveal)
    if fmt is ListFormat.json:
        import json

        rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
        emit_data(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt is ListFormat.csv:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([[_cell(v) for v in row] for row in table.rows])
        emit_data(out.getvalue())
    else:
        from gridctl.render.columns import columns

        echo(columns(table.columns, table.rows))
        echo((f"{len(table.rows)} 条" if state(ctx).lang == "zh" else f"{len(table.rows)} rows") + "\n")


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def status(
    ctx: typer.Context,
    units: Annotated[
        bool, typer.Option("--units", help="A town: every unit in gridctl.yaml, each line naming it.")
    ] = False,
) -> None:
    """The ledger on one screen: grids, households, people, staff, rentals, open problems."""
    if units:
        from gridctl.cli.units import status as town

        town(ctx)
        return
    from gridctl.cli.clock import today
    from gridctl.cli.common import consistently
    from gridctl.validate import validate
    from gridctl.views import kept_status

    root = ledger_root(ctx)
    day = today(ctx)

    def read(files):  # type: ignore[no-untyped-def]
        result = validate(root, files, day)
        return kept_status(lambda: load_ledger(root, files, settled=True), result, day)

    s = consistently(ctx, root, read)
    zh = state(ctx).lang == "zh"

    def counts(c: Any) -> str:
        return "、".join(f"{k} {v}" for k, v in c.most_common()) or "-"

    lines = [
        f"{s.name}",
        f"  {'网格' if zh else 'grids'}: {counts(s.grids)}",
        f"  {'户' if zh else 'households'}: {s.households}    {'人' if zh else 'people'}: {s.people}",
        f"  {'人员类型' if zh else 'residence'}: {counts(s.residence)}",
        f"  {'重点人群' if zh else 'care groups'}: {counts(s.care_groups)}",
        f"  {'工作人员' if zh else 'staff'}: {s.staff}    {'出租房屋' if zh else 'rentals'}: {s.rentals}",
        f"  {'未结事件' if zh else 'open events'}: {counts(s.open_events)}"
        + (f"  ({'已超期' if zh else 'overdue'} {s.overdue})" if s.overdue else ""),
        f"  {'校验' if zh else 'validation'}: "
        + (f"{s.errors} 个错误、{s.warnings} 个警告" if zh else f"{s.errors} errors, {s.warnings} warnings"),
    ]
    echo("\n".join(lines) + "\n")


def register(app: typer.Typer) -> None:
    app.command("show")(show)
    app.command("list")(list_)
    app.command("status")(status)
