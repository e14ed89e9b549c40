"""`gridctl import KIND FILE`: the clerk's Excel register into the ledger, one commit or nothing."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer

from gridctl.cli.common import (
    LangOption,
    LedgerOption,
    author,
    command_line,
    echo,
    emit_data,
    ledger_root,
    override,
    reason,
    state,
)
from gridctl.cli.history import Format


class Prefer(str, Enum):
    ledger = "ledger"
    register = "register"


class Kind(str, Enum):
    household = "household"
    staff = "staff"
    place = "place"
    org = "org"


def import_(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(metavar="KIND", help="household (one row per person), staff, place or org.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A workbook (.xlsx, .xls, .ods) or a .csv file.")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", metavar="MAP.yaml", help="Column headers of this sheet: field: header.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet name (default: the first).")] = None,
    grid: Annotated[
        str | None, typer.Option("--grid", help="Grid (code or name) for rows without a 所属网格 column.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and summarise; write nothing.")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the good rows; write the bad ones to FILE.rejected.*")
    ] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show ID numbers and phones in messages.")] = False,
    base: Annotated[
        str | None,
        typer.Option("--base", metavar="REV|DATE", help="What the register was made from (an export says so itself)."),
    ] = None,
    prefer: Annotated[
        Prefer | None,
        typer.Option("--prefer", help="Settle conflicts and reverts: keep the ledger's or the register's."),
    ] = None,
    accept_renames: Annotated[
        bool, typer.Option("--accept-renames", help="A known ID number with a new name.")
    ] = False,
    accept_moves: Annotated[bool, typer.Option("--accept-moves", help="Known people into another household.")] = False,
    accept_address: Annotated[bool, typer.Option("--accept-address", help="Households at a new address.")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
    ledger: LedgerOption = None,
    lang: LangOption = None,
) -> None:
    """Import a register: exit 0 done, 1 rows rejected or the ledger would be invalid, 2 usage error."""
    from gridctl.excel.importing import ImportOptions, import_file
    from gridctl.excel.report import import_text
    from gridctl.ledger.message import Author

    override(ctx, ledger, lang)
    st = state(ctx)
    root = ledger_root(ctx)
    who = Author("dry run", "dry-run@localhost") if dry_run else author(ctx, root)
    from gridctl.cli.clock import today

    options = ImportOptions(mapping, sheet, grid, dry_run, skip_invalid, st.lang, reveal, base,
                            prefer.value if prefer else None, accept_renames, accept_moves, accept_address,
                            today(ctx))  # fmt: skip
    with _progress(st.lang if fmt is not Format.json else "") as progress:
        result = import_file(
            root,
            kind.value,
            file,
            author=who,
            reason=reason(ctx, root),
            command=command_line(ctx=ctx),
            options=options,
            progress=progress,
            wait=st.wait,
        )
    if fmt is Format.json:
        from gridctl.excel.report import import_json

        emit_data(import_json(result, st.lang, reveal))
    else:
        echo(import_text(result, st.lang, reveal))
    raise typer.Exit(1 if result.failed else 0)


class _progress:
    """A progress bar on stderr while a file is read, checked and written, only on a terminal."""

    STAGES: ClassVar[dict[str, tuple[str, str]]] = {
        "read": ("读取", "reading"),
        "check": ("检查", "checking"),
        "write": ("写入", "writing"),
    }

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self):  # type: ignore[no-untyped-def]
        if not sys.stderr.isatty() or not self.lang:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
        self.bar = Progress(*columns, console=Console(stderr=True), transient=True)
        self.bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int | None) -> None:
        zh, en = self.STAGES.get(stage, (stage, stage))
        label = zh if self.lang == "zh" else en
        if total:
            label += f" {done}/{total}" + (" 行" if self.lang == "zh" else " rows")
        if stage not in self.tasks:
            for task in self.tasks.values():  # the stage before is over
                self.bar.update(task, completed=1, total=1)
            self.tasks[stage] = self.bar.add_task(label, total=total)
        self.bar.update(self.tasks[stage], description=label, completed=done, **({"total": total} if total else {}))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
