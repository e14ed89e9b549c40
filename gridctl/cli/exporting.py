"""`gridctl export KIND`: the ledger as the clerk's register (xlsx, csv or json), masked unless --reveal."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, ledger_root, state
from gridctl.cli.importing import Kind
from gridctl.i18n import Text


class Format(str, Enum):
    xlsx = "xlsx"
    csv = "csv"
    json = "json"


def export(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(metavar="KIND", help="household (one row per person), staff, place or org.")],
    out: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE", help="Where to write; - for stdout (csv, json).")
    ],
    fmt: Annotated[
        Format | None, typer.Option("--format", "-f", help="xlsx, csv or json (default: from the file name).")
    ] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Export ID numbers, residents' phones and tags in full.")
    ] = False,
) -> None:
    """Export a register with the Chinese headers `gridctl import` reads back."""
    import sys

    from gridctl.cli.common import consistently, load_ledger, read_files
    from gridctl.errors import GridctlError
    from gridctl.excel.export import export as render
    from gridctl.excel.export import stamp_of
    from gridctl.excel.report import export_text
    from gridctl.output import write_output

    root = ledger_root(ctx)
    chosen = fmt.value if fmt else {".csv": "csv", ".json": "json"}.get(out.suffix.lower(), "xlsx")
    to_terminal = str(out) == "-"
    if to_terminal and chosen == "xlsx":
        raise GridctlError(
            Text("xlsx 不能输出到终端；请用 -o 文件.xlsx", "xlsx cannot go to stdout; give -o FILE.xlsx")
        )
    if not to_terminal:
        from gridctl.ops.privacy import refuse_inside_ledger

        refuse_misnamed(out, chosen)
        refuse_inside_ledger(root, out)
    files = read_files(ctx, root)
    stamp = stamp_of(root, files)  # --as-of: the register as it was, stamped so

    def made(files):  # type: ignore[no-untyped-def]
        return render(load_ledger(root, files, settled=True), kind.value, chosen, reveal, stamp)

    if to_terminal:
        data, _count = consistently(ctx, root, made)
        sys.stdout.buffer.write(data)
        return
    from gridctl.cli.progress import working

    with working(ctx, "export"):
        data, count = consistently(ctx, root, made)
        write_output(out, data, private=True)  # residents' data, even masked: the owner alone reads it
    echo(export_text(kind.value, count, str(out), reveal, state(ctx).lang, closed=reveal and _closed(files)))


WORKBOOKS = (".xlsx", ".xls", ".xlsm", ".xlsb", ".et", ".ods")
"""Names Excel or WPS opens as a workbook of its own format."""


def refuse_misnamed(out: Path, chosen: str) -> None:
    """A file whose name says another format than its bytes: Excel calls such a file damaged (户.xls holding
    xlsx), or nothing opens it (户 without .xlsx). Refused, not renamed: the clerk finds the file they named."""
    from gridctl.errors import GridctlError

    suffix = out.suffix.lower()
    if chosen == "xlsx" and suffix != ".xlsx":
        named = out.with_suffix(".xlsx") if suffix in WORKBOOKS else out.with_name(out.name + ".xlsx")
        raise GridctlError(
            Text(
                f"{out}: 导出的是 xlsx 工作簿，文件名要以 .xlsx 结尾 (gridctl 不写旧的 .xls 格式)",
                f"{out}: the export is an xlsx workbook; its name must end in .xlsx "
                "(gridctl does not write the old .xls format)",
            ),
            hint=Text(f"-o {named}；要文本表格: --format csv", f"-o {named}; for a text table: --format csv"),
        )
    if chosen != "xlsx" and suffix in WORKBOOKS:
        raise GridctlError(
            Text(
                f"{out}: 导出的是 {chosen} 文本，文件名却是工作簿 ({out.suffix})",
                f"{out}: the export is {chosen} text, but the name is a workbook's ({out.suffix})",
            ),
            hint=Text(
                f"-o {out.with_suffix('.' + chosen)}；要工作簿: 去掉 --format，用 -o {out.with_suffix('.xlsx')}",
                f"-o {out.with_suffix('.' + chosen)}; for a workbook: no --format, -o {out.with_suffix('.xlsx')}",
            ),
        )


def _closed(files) -> bool:  # type: ignore[no-untyped-def]
    """An encrypted ledger that no key here opens: a revealed export still holds (已加密)."""
    from gridctl.ledger.vault import vault_of

    vault = vault_of(files)
    return vault is not None and not vault.can_open


def register(app: typer.Typer) -> None:
    app.command("export")(export)
