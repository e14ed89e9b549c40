"""Helpers every command shares: the ledger folder and language, global or per command."""

from __future__ import annotations

import contextlib
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class Lang(str, Enum):
    zh = "zh"
    en = "en"


LedgerOption = Annotated[
    Path | None, typer.Option("-C", "--ledger", help="Ledger folder (default: search upward for gridctl.yaml).")
]
LangOption = Annotated[Lang | None, typer.Option("--lang", help="Message language (default: from the locale).")]


def state(ctx: typer.Context):  # type: ignore[no-untyped-def]
    return ctx.find_root().obj


def override(ctx: typer.Context, ledger: Path | None, lang: Lang | None) -> None:
    """`gridctl validate -C X --lang zh` works as well as `gridctl -C X --lang zh validate`."""
    st = state(ctx)
    if ledger is not None:
        st.ledger = ledger
    if lang is not None:
        st.lang = lang.value


def ledger_root(ctx: typer.Context) -> Path:
    from gridctl.ledger.files import find_root

    st = state(ctx)
    return find_root(st.ledger if st.ledger is not None else Path.cwd())


def echo(text: str, err: bool = False) -> None:
    typer.echo(text, nl=False, err=err)


def author(ctx: typer.Context, root: Path):  # type: ignore[no-untyped-def]
    """The clerk making the change: --author, else git config; an error if neither."""
    from gridctl.ledger.transaction import default_author, parse_author

    given = state(ctx).author
    return parse_author(given) if given else default_author(root)


def command_line(argv: list[str] | None = None, ctx: typer.Context | None = None) -> str:
    """The command as typed, for the Gridctl-Command trailer, with personal data masked."""
    import re
    import shlex
    import sys

    from gridctl.model.masking import mask_value

    def clean(arg: str) -> str:
        m = re.match(r"^(?P<key>[\w.\[\]]*(id_number|phones|tags)[\w.\[\]]*)=(?P<value>.*)$", arg)
        if not m:
            return arg
        parts = re.split(r"([,，、])", m.group("value"))
        masked = "".join(p if re.fullmatch(r"[,，、]", p) else mask_value(m.group("key"), p) for p in parts)
        return f"{m.group('key')}={masked}"

    if argv is None:
        argv = ctx.meta.get("gridctl.argv") if ctx is not None else None
    args = sys.argv[1:] if argv is None else argv
    return "gridctl " + " ".join(shlex.quote(clean(a)) for a in args)


def read_files(ctx: typer.Context, root: Path):  # type: ignore[no-untyped-def]
    """What read commands read: the working tree, or with --as-of the committed ledger of that day."""
    from gridctl.ledger.files import GitTree, WorkTree

    when = state(ctx).as_of
    if not when:
        return WorkTree(root)
    from gridctl.history.revisions import resolve

    return GitTree(root, resolve(root, when))


def refuse_as_of(ctx: typer.Context) -> None:
    from gridctl.errors import GridctlError

    if state(ctx).as_of:
        raise GridctlError("--as-of is for reading; a change is always made to the ledger as it is now")


def load_ledger(root: Path, files=None, ctx: typer.Context | None = None):  # type: ignore[no-untyped-def]
    """The ledger as read from `files` (default: the working tree); broken settings stop it.

    Given the context of a command that will change the ledger, remember the commit it read, so
    the write can refuse if someone else committed in between (commit() passes it on).
    """
    from gridctl.errors import GridctlError
    from gridctl.ledger.index import load

    if ctx is not None:
        from gridctl.errors import GridctlError as _Error
        from gridctl.ledger.transaction import Repo

        with contextlib.suppress(_Error):
            ctx.meta["gridctl.base_head"] = Repo(root).head()
    ledger, _problems = load(root, files)
    if ledger is None:
        raise GridctlError("gridctl.yaml has errors / gridctl.yaml 有误", hint="run gridctl validate and fix it first")
    return ledger


def commit(ctx: typer.Context, root: Path, change, dry_run: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Write one Change as one commit and say so; print the problems and exit 1 if refused."""
    from gridctl.ledger.transaction import Message
    from gridctl.ops.write import WriteRejected, write
    from gridctl.render.problems import to_text

    refuse_as_of(ctx)
    st = state(ctx)
    message = Message(change.subject, st.message, command_line(ctx=ctx))
    who = author(ctx, root)
    try:
        done = write(
            root,
            change.files,
            message,
            who,
            dry_run=dry_run,
            deferrable=change.deferrable,
            expect_head=ctx.meta.get("gridctl.base_head"),
        )
    except WriteRejected as exc:
        echo(to_text(exc.validation, st.lang))
        echo(
            "未写入: 修改会产生上述错误，台账和 git 均未改动\n"
            if st.lang == "zh"
            else "nothing written: the change would add the errors above; ledger and git unchanged\n"
        )
        raise typer.Exit(1) from None
    if done.unchanged:
        echo(
            ("没有变化，未提交: " if st.lang == "zh" else "nothing changes, nothing committed: ")
            + change.subject
            + "\n"
        )
    elif done.commit is None:
        echo(("试运行，未写入: " if st.lang == "zh" else "dry run, nothing written: ") + change.subject + "\n")
    else:
        echo(("已提交 " if st.lang == "zh" else "committed ") + f"{done.commit[:10]}: {change.subject}\n")
    for problem in done.todo:
        head = "待办" if st.lang == "zh" else "to do"
        echo(f"  {head}: {problem.record} — {problem.message(st.lang)} ({problem.code})\n")
