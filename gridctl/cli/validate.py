"""`gridctl validate`: every problem in the ledger, for a clerk (text) or for CI (json, github)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, state


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def validate(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, json (one document) or github.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show ID numbers, residents' phones and tags.")] = False,
    rev: Annotated[str | None, typer.Option("--rev", help="Validate a commit (read from git, not the files).")] = None,
    changed_since: Annotated[
        str | None,
        typer.Option("--changed-since", help="Only problems in records changed since REV, and those they cause."),
    ] = None,
    units: Annotated[
        bool | None, typer.Option("--units/--no-units", help="A town: its units too (default: when it lists any).")
    ] = None,
) -> None:
    """Check every record and the ledger-wide rules. Exit 0 clean, 1 problems, 2 usage error."""
    from gridctl.cli.clock import clock
    from gridctl.cli.progress import working
    from gridctl.render.problems import rendered

    root = ledger_root(ctx)
    clk = clock(ctx, lenient=True)  # an unknown zone is reported as GC014, not a stop

    with working(ctx, "validate"):
        result = _validate(ctx, root, clk, rev, changed_since)
    from gridctl.ledger.cache import drop_columns

    drop_columns()  # the report needs none of the ledger's columns
    if units is not False and not rev and result.settings_ok and _has_units(root):
        from gridctl.cli.units import validate as with_units

        result = with_units(ctx, result)
    (echo if fmt is Format.text else emit_data)(rendered(result, fmt.value, state(ctx).lang, reveal))
    _say_locked(ctx, result)
    raise typer.Exit(1 if result.failed(strict) else 0)


def _validate(ctx: typer.Context, root, clk, rev: str | None, changed_since: str | None):  # type: ignore[no-untyped-def]
    from gridctl.validate import validate as run

    if rev:
        from gridctl.history.revisions import resolve
        from gridctl.ledger.files import GitTree

        return run(root, GitTree(root, resolve(root, rev, clk)), clk.today())
    if changed_since:
        from gridctl.history.review import changed_since as review

        return review(root, changed_since, clk)
    from gridctl.cli.clock import judged
    from gridctl.cli.common import consistently

    day = judged(ctx, lenient=True).today()  # --as-of: checked as of that day (as status counts it)
    return consistently(ctx, root, lambda files: run(root, files, day))


def _say_locked(ctx: typer.Context, result) -> None:  # type: ignore[no-untyped-def]
    """An encrypted ledger and no key here: say which checks did not run (CI without a key is fine)."""
    from gridctl.ledger.vault import vault_of
    from gridctl.render.problems import needs_key

    vault = vault_of(result.source)
    if vault is not None and not vault.can_open:
        echo(needs_key(state(ctx).lang), err=True)


def _has_units(root) -> bool:  # type: ignore[no-untyped-def]
    """Whether gridctl.yaml lists units (only gridctl.yaml does: `gridctl unit add`), read without
    building the settings: every validate asks."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.reader import own_settings

    own = own_settings(WorkTree(root))
    return own is not None and bool(own.get("units"))


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
