"""`gridctl history / log / diff`: git as the audit trail."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from gridctl.cli.common import echo, emit_data, ledger_root, state
from gridctl.cli.complete import RECORD_HELP, ids_of, record_ids


class Format(str, Enum):
    text = "text"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="text or json")]
RevealOption = Annotated[bool, typer.Option("--reveal", help="Show ID numbers, residents' phones and tags.")]


def history(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help=RECORD_HELP, autocompletion=record_ids)],
    fmt: FormatOption = Format.text,
    reveal: RevealOption = False,
) -> None:
    """Every version of one record, newest first, followed by id across moves and files."""
    from gridctl.cli.clock import clock
    from gridctl.cli.pager import page
    from gridctl.cli.progress import working
    from gridctl.history.follow import NoHistory
    from gridctl.history.follow import history as follow
    from gridctl.render.history import history_json, history_text

    root = ledger_root(ctx)
    with working(ctx, "history"):
        try:
            steps = follow(root, record_id)
        except NoHistory:
            named = _named(root, record_id)  # 黄磊户, 王芳: the id it names now (an id always wins)
            if named is None:
                raise
            record_id, steps = named, follow(root, named)
    if reveal:
        from gridctl.history.opened import opened
        from gridctl.history.resealing import keyring

        vault = keyring(root)
        for step in steps if vault is not None else ():
            version = step.after or step.before
            step.changes = opened(step.changes, version.kind if version else "", record_id, vault)
    from gridctl.history.approvals import approvals

    approved = approvals(root)  # who let each version into the ledger (review --approve)
    lang = state(ctx).lang
    if fmt is Format.json:
        emit_data(history_json(record_id, steps, reveal, approved))
    else:
        page(history_text(record_id, steps, lang, reveal, clock(ctx), approved))


def _named(root, value: str) -> str | None:  # type: ignore[no-untyped-def]
    """The id of the record `value` names in the ledger now; None when no record has that name."""
    from gridctl.cli.common import load_ledger
    from gridctl.ledger.names import NAMED, UnknownName, resolve

    try:
        return resolve(load_ledger(root), value, NAMED)
    except UnknownName:
        return None


def log(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="From this day, e.g. 2026-11-01 or 2026年11月1日.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Up to this day, e.g. 2026-11-30 or 2026年11月30日.")
    ] = None,
    grid: Annotated[
        str | None,
        typer.Option("--grid", help="Only changes in this grid (id or name).", autocompletion=ids_of("grid")),
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind of record.")] = None,
    author: Annotated[str | None, typer.Option("--author-filter", "--by", help="Only changes by this person.")] = None,
    fmt: FormatOption = Format.text,
) -> None:
    """The ledger's changes as sentences, derived from the content of each commit."""
    from gridctl.cli.clock import clock
    from gridctl.history.changelog import changelog
    from gridctl.render.history import log_json, log_text

    clk = clock(ctx)
    root = ledger_root(ctx)
    if grid is not None:
        grid = _grid(root, grid)
    from gridctl.cli.pager import page
    from gridctl.cli.progress import working

    lang = state(ctx).lang

    whole = [True]

    def shown() -> str:
        with working(ctx, "history") as tick:
            result = changelog(root, since, until, author, grid, kind, clk, progress=tick)
        whole[0] = result.whole  # a version missing from the clone: this run's text alone
        return log_json(result, lang) if fmt is Format.json else log_text(result, lang, clk)

    asked = f"log:{since}:{until}:{grid}:{kind}:{author}:{fmt.value}:{lang}:{clk.zone}:{clk.today()}"
    text = _kept_log(root, asked, shown, lambda: whole[0])
    if fmt is Format.json:
        emit_data(text)
    else:
        page(text)


def _kept_log(root, name: str, shown, whole):  # type: ignore[no-untyped-def]
    """The log as printed for this HEAD and these options, kept by the cache (the whole history of
    5,000 commits: described from kept descriptions, 0.4 s; read back, milliseconds). Not kept
    where a key opens an encrypted ledger."""
    from gridctl.history.gitlog import git, shallow_boundary
    from gridctl.history.opened import vault_here
    from gridctl.ledger.cache import open_cache_for
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.gitrepo import Repo

    vault = vault_here(root)
    head = Repo(root).head()
    if head is None or (vault is not None and vault.can_open):
        return shown()
    # the history behind HEAD changes without HEAD when a shallow clone is deepened or a commit replaced
    edge = ",".join(sorted(shallow_boundary(root)))
    replaced = git(root, "for-each-ref", "--format=%(refname) %(objectname)", "refs/replace").decode()
    return open_cache_for(root, WorkTree(root)).kept(name, f"{head}:{edge}:{replaced}", shown, whole)


def _grid(root, value: str) -> str:  # type: ignore[no-untyped-def]
    """A grid of HEAD by code or name, or the code of a grid the history once had."""
    from gridctl.history.changelog import grid_names
    from gridctl.history.gitlog import git
    from gridctl.ledger.names import UnknownName, pick

    names = grid_names(root)
    try:
        return pick(value, {g: [n] for g, n in names.items()}, ["grid"])
    except UnknownName:
        if git(root, "log", "-1", "--format=%H", "HEAD", "--", f"grids/{value}.yaml").strip():
            return value
        raise


def diff(
    ctx: typer.Context,
    rev1: Annotated[str | None, typer.Argument(metavar="REV1", help="Base revision (default HEAD).")] = None,
    rev2: Annotated[
        str | None, typer.Argument(metavar="REV2", help="Other revision (default: the files as they are).")
    ] = None,
    fmt: FormatOption = Format.text,
    reveal: RevealOption = False,
) -> None:
    """Records added, removed, moved and changed between two revisions (default: HEAD and the files)."""
    from gridctl.cli.clock import clock
    from gridctl.history.revisions import resolve
    from gridctl.history.semdiff import semantic_diff
    from gridctl.render.history import diff_json, diff_text

    root = ledger_root(ctx)
    a = resolve(root, rev1, clock(ctx)) if rev1 else None
    b = resolve(root, rev2, clock(ctx)) if rev2 else None
    changes, names = semantic_diff(root, a, b)
    if reveal:
        from gridctl.history.opened import opened
        from gridctl.history.resealing import keyring

        vault = keyring(root, [r for r in (a, b) if r])
        for change in changes if vault is not None else ():
            change.changes = opened(change.changes, change.kind, change.id, vault)
        changes = [c for c in changes if c.changes or c.what != "changed"]  # only sealed again: no change
    if fmt is Format.json:
        emit_data(diff_json(changes, reveal))
    else:
        echo(diff_text(changes, names, state(ctx).lang, reveal))


def register(app: typer.Typer) -> None:
    app.command("history")(history)
    app.command("log")(log)
    app.command("diff")(diff)
