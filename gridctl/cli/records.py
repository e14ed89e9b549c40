"""`gridctl add / edit / move / retire / remove`: one record, one validated commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import change, echo, state
from gridctl.cli.complete import RECORD_HELP, ids_of, record_ids
from gridctl.i18n import Text

SetOption = Annotated[list[str] | None, typer.Option("--set", help="field=value (repeatable), e.g. address.room=501")]


def add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="grid, staff, household, person, place, org, thing, event, inspection")],
    sets: SetOption = None,
    file: Annotated[Path | None, typer.Option("--file", help="A YAML file with the record's fields.")] = None,
    household: Annotated[
        str | None,
        typer.Option(
            "--household",
            help="For a person: the household (id or name, e.g. 张桂英户).",
            autocompletion=ids_of("household"),
        ),
    ] = None,
) -> None:
    """Add a record; the next id in the ledger's format is allocated when none is given."""
    from gridctl.cli.clock import today
    from gridctl.errors import GridctlError
    from gridctl.ops.fields import parse_assignments
    from gridctl.ops.people import add_person
    from gridctl.ops.records import add as add_record

    values = parse_assignments(sets or [])
    day = today(ctx)  # ids with a date in their format ({yyyy}{mm}) take the ledger's day
    if kind == "person":
        if not household:
            raise GridctlError(
                Text("人员要加到户里: --household H…", "a person is added to a household: --household H…")
            )
        change(ctx, lambda ledger: add_person(ledger, household, values, day))
    else:
        given = _read_record_file(file, kind) if file else None
        change(ctx, lambda ledger: add_record(ledger, kind, values, given, day))


def _read_record_file(path: Path, kind: str) -> dict:  # type: ignore[type-arg]
    import yaml_rs

    from gridctl.errors import GridctlError
    from gridctl.ledger.reader import as_read

    try:
        text = path.read_text(encoding="utf-8-sig")
        docs = as_read(text, yaml_rs.loads(text))  # "2026-05-01" quoted stays text, as in the ledger
    except (OSError, UnicodeDecodeError, yaml_rs.YAMLDecodeError, ValueError, RecursionError) as exc:
        raise GridctlError(Text(f"无法读取 {path}: {exc}", f"cannot read {path}: {exc}")) from None
    data = docs[0] if len(docs) == 1 else docs
    if not isinstance(data, dict):
        raise GridctlError(Text(f"{path} 应只含一条记录 (字段: 值)", f"{path} must hold one record (field: value)"))
    if data.get("kind", kind) != kind:
        raise GridctlError(
            Text(f"{path} 里是 {data.get('kind')}，不是 {kind}", f"{path} holds a {data.get('kind')}, not a {kind}")
        )
    return data


def edit(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help=RECORD_HELP, autocompletion=record_ids)],
    sets: SetOption = None,
    unsets: Annotated[list[str] | None, typer.Option("--unset", help="field to remove (repeatable)")] = None,
    adds: Annotated[list[str] | None, typer.Option("--add", help="One more item of a list: phones=139…")] = None,
    removes: Annotated[list[str] | None, typer.Option("--remove", help="One item less of a list: phones=139…")] = None,
) -> None:
    """Change fields of a record (or of a person, by person id); lists: --set phones=A,B, --add, --remove."""
    from gridctl.ops.fields import parse_assignments, parse_path
    from gridctl.ops.records import edit as edit_record

    values = parse_assignments(sets or [])
    removed = [parse_path(u) for u in unsets or []]
    more, fewer = parse_assignments(adds or [], "--add"), parse_assignments(removes or [], "--remove")
    change(ctx, lambda ledger: edit_record(ledger, record_id, values, removed, more, fewer))


def move(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help=RECORD_HELP, autocompletion=record_ids)],
    to: Annotated[
        str | None, typer.Option("--to", help="The grid it moves to (id or name).", autocompletion=ids_of("grid"))
    ] = None,
    to_household: Annotated[
        str | None,
        typer.Option(
            "--to-household",
            help="For a person: the new household (id or name, e.g. 张桂英户).",
            autocompletion=ids_of("household"),
        ),
    ] = None,
    relation: Annotated[
        str | None,
        typer.Option(
            "--relation",
            help="With --to-household: the person's relation to the new household's head (与户主关系), e.g. 配偶.",
        ),
    ] = None,
) -> None:
    """Move a household, place, org or thing to another grid (its file moves, its id stays), or a person."""
    from gridctl.errors import GridctlError
    from gridctl.ops.moving import move as move_record
    from gridctl.ops.people import move_person

    if (to is None) == (to_household is None):
        raise GridctlError(
            Text("--to 网格 和 --to-household H… 二选一", "give exactly one of --to GRID or --to-household H…")
        )
    if relation is not None and not to_household:
        raise GridctlError(Text("--relation 只与 --to-household 同用", "--relation goes with --to-household"))
    if to_household:
        change(ctx, lambda ledger: move_person(ledger, record_id, to_household, relation))
    else:
        change(ctx, lambda ledger: move_record(ledger, record_id, to or ""))


def retire(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help=RECORD_HELP, autocompletion=record_ids)],
    reason: Annotated[str, typer.Option("--reason", help="Why it is retired (注销/迁出), e.g. 迁出至朝阳区.")],
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="The day, e.g. 2026-11-01 or 2026年11月1日 (default: today)."),
    ] = None,
    into: Annotated[
        str | None,
        typer.Option(
            "--into",
            metavar="GRID",
            help="A grid retired: the grid (id or name) that takes over its households, places, open events, "
            "…, moved in the same commit (并入).",
            autocompletion=ids_of("grid"),
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and say what would change; write nothing.")] = False,
) -> None:
    """Retire a record (注销/迁出): mark it inactive with date and reason; it stays for the history."""
    from gridctl.cli.clock import not_ahead, today
    from gridctl.ops.records import find
    from gridctl.ops.records import retire as retire_record

    when = today(ctx, date)

    def go(ledger):  # type: ignore[no-untyped-def]
        kind = find(ledger, record_id).kind
        if kind == "grid":  # a grid is retired on a day it is no longer served
            not_ahead(ctx, when, "--date")
        planned = retire_record(ledger, record_id, reason, when, into)
        planned.warn = kind in ("grid", "staff")  # what they leave: 包户 households, 楼栋 without their head
        return planned

    done = change(ctx, go, dry_run=dry_run)
    if into is not None and done is not None and done.commit is not None and not done.unchanged:
        zh = state(ctx).lang == "zh"  # `edit --unset retired` brings the grid back, not what moved into the other
        echo(
            f"  整次撤销 (连同迁入的记录): git revert {done.commit[:10]}\n"
            if zh
            else f"  to undo it all (the records moved too): git revert {done.commit[:10]}\n"
        )


def remove(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help=RECORD_HELP, autocompletion=record_ids)],
) -> None:
    """Delete a record added here by mistake and never shared (synced); a shared one is retired instead."""
    from gridctl.ops.removing import remove as remove_record

    change(ctx, lambda ledger: remove_record(ledger, record_id))


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("edit")(edit)
    app.command("move")(move)
    app.command("retire")(retire)
    app.command("remove")(remove)
