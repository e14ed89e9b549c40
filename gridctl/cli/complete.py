"""Shell completion of what a clerk types most: record ids (with their names) and grid names.

Typer completes commands and options in bash, zsh, fish and PowerShell (`gridctl
--install-completion`); these functions add the ledger's own words. They read the ledger the
way every command does (the cache makes it quick) and never fail: a completion that cannot
read the ledger offers nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

KINDS = (
    "grid",
    "staff",
    "household",
    "person",
    "place",
    "org",
    "thing",
    "event",
    "inspection",
    "visit",
    "activity",
    "document",
)
"""The kinds `gridctl list` lists (gridctl.listing.KINDS; kept here so completing does not import the ledger)."""


def kinds(incomplete: str) -> list[str]:
    return [k for k in KINDS if k.startswith(incomplete)]


def _ledger(ctx: typer.Context) -> Any:
    """The ledger the command line names (-C) or the one around the current folder; None if there is none."""
    from gridctl.ledger.files import find_root
    from gridctl.ledger.index import load

    given = ctx.find_root().params.get("ledger")
    root = find_root(Path(given) if given else Path.cwd())
    ledger, _problems = load(root)
    return ledger


def candidates(ctx: typer.Context, incomplete: str, wanted: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(id, name) of the records of `wanted` kinds (any kind when empty) whose id or name starts with
    `incomplete`. A name is offered as the value only where a command takes it (gridctl.ledger.names):
    an event's title describes its id, and typed in its place it named no record."""
    try:
        ledger = _ledger(ctx)
        from gridctl.ledger.names import NAMED, TITLED
    except Exception:  # completion never breaks the clerk's shell
        return []
    if ledger is None:
        return []
    out: list[tuple[str, str]] = []
    for kind in wanted or KINDS:
        for entry, row in ledger.rows(kind):
            name = row.get("name") or row.get("title") or ""
            if entry.id.startswith(incomplete):
                out.append((entry.id, str(name) or kind))
            elif incomplete and name and kind in NAMED and kind not in TITLED and str(name).startswith(incomplete):
                out.append((str(name), entry.id))
    return sorted(out)[:200]


RECORD_HELP = "The record: its id or name (a name, 张伟户, a household's address with its room, a title)."
"""Every argument that takes any record says what names it (gridctl.ledger.names)."""


def record_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return candidates(ctx, incomplete)


def ids_of(*wanted: str) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """A completion of ids and names of records of these kinds (grid → grid codes and grid names)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        return candidates(ctx, incomplete, wanted)

    complete.kinds = wanted  # type: ignore[attr-defined]  # what the value names: its help says id, or id or name
    return complete
