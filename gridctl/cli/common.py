"""Helpers every command shares: the ledger folder and language, global or per command."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gridctl.i18n import Text

if TYPE_CHECKING:
    from gridctl.problem import Problem


class Lang(str, Enum):
    zh = "zh"
    en = "en"


LedgerOption = Annotated[
    Path | None, typer.Option("-C", "--ledger", help="Ledger folder (default: search upward for gridctl.yaml).")
]
LangOption = Annotated[Lang | None, typer.Option("--lang", help="Message language (default: from the locale).")]


def state(ctx: typer.Context):  # type: ignore[no-untyped-def]
    return ctx.find_root().obj


def ledger_root(ctx: typer.Context) -> Path:
    """The ledger folder, after any interrupted write there was finished (design.md §3, invariant 1)."""
    from gridctl.ledger.files import find_root
    from gridctl.ledger.transaction import settle

    st = state(ctx)
    if st.root is not None:
        return st.root
    root = find_root(st.ledger if st.ledger is not None else Path.cwd())
    check_ownership(root)
    say_recovery(settle(root, st.wait), st.lang)
    st.root = root
    return root


def say_recovery(recovery, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Tell the clerk that an interrupted write was finished, and which hand edits were kept."""
    if recovery is None or not (recovery.finished or recovery.kept or recovery.merge_undone):
        return
    zh = lang == "zh"
    if recovery.merge_undone:
        echo(
            (
                "上次同步 (或审核通过) 在 git 合并时被中断: 已把台账复原到合并前，再运行 gridctl sync 即可重新合并"
                if zh
                else "the last sync (or approval) was interrupted while git merged: the ledger is back as before "
                "the merge; run gridctl sync to merge again"
            )
            + "\n",
            err=True,
        )
    if recovery.finished:
        what = recovery.subject or "-"
        echo((f"已补完上次中断的写入: {what}" if zh else f"finished the interrupted write: {what}") + "\n", err=True)
    if recovery.kept:
        files = ", ".join(recovery.kept)
        echo(
            (
                f"  以下文件在中断后被手工修改，已保留手工版本 (git status 显示为已修改): {files}"
                if zh
                else f"  kept your hand edits made since (git status shows them changed): {files}"
            )
            + "\n",
            err=True,
        )


def check_ownership(root: Path) -> None:
    """A ledger git refuses (another user's folder) stops every command with git's safe.directory advice."""
    if not (root / ".git").exists():
        return
    from gridctl.ledger.gitrepo import DubiousOwnership, GitFailed, located

    try:
        located(root)
    except DubiousOwnership:
        raise
    except GitFailed:
        return  # something else is wrong; the command that needs git says what


def echo(text, err: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Text for a person (a str, or a gridctl.i18n.Text in the command's language): in the console's
    encoding, what it cannot show replaced (see cli.main); control characters and terminal escapes
    from a ledger's names shown as U+FFFD, never sent raw (gridctl.model.chars)."""
    from gridctl.i18n import say
    from gridctl.model.chars import visible

    typer.echo(visible(say(text)), nl=False, err=err)


def emit_data(text: str) -> None:
    """A machine format (JSON, CSV, GitHub annotations, HTML): UTF-8 bytes, whatever the console's code page.

    A GBK console (Windows, or PYTHONIOENCODING=gbk) would otherwise turn 𠮷 into ? in a file that a
    program reads; a real Windows console takes UTF-8 bytes through its buffer too.
    """
    import sys

    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (rare): it gets text
        stream.write(text)
        stream.flush()
        return
    stream.flush()  # what was printed as text comes first
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def author(ctx: typer.Context, root: Path):  # type: ignore[no-untyped-def]
    """The clerk making the change: --author, else git config; an error if neither."""
    from gridctl.ledger.message import default_author, parse_author

    given = state(ctx).author
    return parse_author(given) if given else default_author(root)


def command_line(argv: list[str] | None = None, ctx: typer.Context | None = None) -> str:
    """The command as typed, for the Gridctl-Command trailer, with personal data masked."""
    import re
    import shlex
    import sys

    from gridctl.model.masking import mask_text, mask_value

    def clean(arg: str) -> str:
        m = re.match(
            r"^(?P<opt>--[\w-]+=)?(?P<key>[\w.\[\]]*(id_number|phones|tags|birth_date)[\w.\[\]]*)=(?P<value>.*)$",
            arg,
            re.S,
        )
        if not m:
            return mask_text(arg)  # an ID number or a mobile typed anywhere else (a note, a name)
        parts = re.split(r"([,，、])", m.group("value"))
        masked = "".join(p if re.fullmatch(r"[,，、]", p) else mask_value(m.group("key"), p) for p in parts)
        return f"{m.group('opt') or ''}{m.group('key')}={masked}"

    if argv is None:
        argv = ctx.meta.get("gridctl.argv") if ctx is not None else None
    args = list(sys.argv[1:] if argv is None else argv)
    kept: list[str] = []
    skip = False
    for arg in args:  # the reason (-m) is the commit's body already: never repeated in the trailer
        if skip:
            skip = False
            continue
        if arg in ("-m", "--message"):
            skip = True
            continue
        if arg.startswith(("--message=", "-m")) and arg not in ("-m",):
            continue
        kept.append(arg)
    return "gridctl " + " ".join(shlex.quote(clean(a)) for a in kept)


def reason(ctx: typer.Context, root: Path | None = None) -> str | None:
    """The reason (-m) for a commit, refused when it holds a resident's ID number or mobile (gridctl.ops.privacy)."""
    from gridctl.ops.privacy import has_mobile, public_phones, refuse_personal

    text = state(ctx).message
    public: set[str] = set()
    if has_mobile(text):
        public = public_phones(load_ledger(root if root is not None else ledger_root(ctx)))
    refuse_personal(text, public)
    return text


def read_files(ctx: typer.Context, root: Path):  # type: ignore[no-untyped-def]
    """What read commands read: the working tree, or with --as-of the committed ledger of that day."""
    from gridctl.ledger.files import GitTree, WorkTree

    when = state(ctx).as_of
    if not when:
        return WorkTree(root)
    from gridctl.cli.clock import clock
    from gridctl.history.revisions import resolve

    return GitTree(root, resolve(root, when, clock(ctx)))


def refuse_as_of(ctx: typer.Context) -> None:
    from gridctl.errors import GridctlError

    if state(ctx).as_of:
        raise GridctlError(
            Text(
                "--as-of 只用于查看；修改总是在台账当前的状态上进行",
                "--as-of is for reading; a change is always made to the ledger as it is now",
            )
        )


def consistently(ctx: typer.Context, root: Path, read):  # type: ignore[no-untyped-def]
    """`read(files)` of what read commands read (read_files), never of a half-written working tree."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.transaction import consistent_read

    files = read_files(ctx, root)
    if isinstance(files, WorkTree):  # each try reads afresh (a WorkTree remembers the stats it took)
        return consistent_read(root, lambda: read(WorkTree(root)), state(ctx).wait)
    return read(files)


def load_ledger(root: Path, files=None, settled: bool = False):  # type: ignore[no-untyped-def]
    """The ledger as read from `files` (default: the working tree, never half-written); broken settings stop it.

    `settled`: the caller already reads inside consistent_read (no second check needed).
    """
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load
    from gridctl.ledger.transaction import consistent_read
    from gridctl.prefetch import parallel_reader

    def read(files):  # type: ignore[no-untyped-def]
        return load(root, files, reader=parallel_reader(root, files))  # a cold read on every core

    if not settled and (files is None or isinstance(files, WorkTree)):
        ledger, _problems = consistent_read(root, lambda: read(WorkTree(root)))
    else:
        ledger, _problems = read(files if files is not None else WorkTree(root))
    if ledger is None:
        from gridctl.errors import settings_broken

        raise settings_broken()
    _sensitive_as_kept(ledger)
    return ledger


def _sensitive_as_kept(ledger) -> None:  # type: ignore[no-untyped-def]
    """Which fields are personal data, as this gridctl's last validate kept them beside its code
    (gridctl.validate): masking a shown record then builds no model's JSON schema."""
    from gridctl.model.sensitive import preload_kept

    cache = getattr(ledger, "_cache", None)
    if cache is not None and cache.enabled:
        preload_kept(cache.code.get("sensitive"))


def change(ctx: typer.Context, plan, dry_run: bool = False):  # type: ignore[no-untyped-def]
    """Plan a change against the ledger as committed now, under the lock, and write it as one commit.

    `plan(ledger)` returns a Change (gridctl.ops.records); it runs after the lock is taken and
    any interrupted write finished, so the ids it allocates and the records it edits are the
    ones the commit replaces. Prints what happened; exit 1 if the change would add errors.
    The warnings it adds are printed too when the plan asks (Change.warn: a move, an unassignment).
    """
    from gridctl.i18n import say
    from gridctl.ledger.message import Message
    from gridctl.ops.write import WriteRejected, transaction
    from gridctl.render.problems import to_text

    refuse_as_of(ctx)
    st = state(ctx)
    root = ledger_root(ctx)
    who = author(ctx, root)
    command = command_line(ctx=ctx)
    from gridctl.cli.progress import working

    why = reason(ctx, root)
    try:
        with working(ctx, "write"), transaction(root, command, st.wait) as txn:
            say_recovery(txn.recovery, st.lang)
            planned = plan(txn.ledger())
            notes = (say(planned.note, "zh"), say(planned.shown, "zh"))  # the ledger's language, as the subject
            message = Message(say(planned.subject, "zh"), "\n".join(t for t in (why, *notes) if t), command)
            done = txn.commit(
                planned.files, message, who, dry_run=dry_run, deferrable=planned.deferrable, warn=planned.warn
            )
    except WriteRejected as exc:
        echo(to_text(exc.validation, st.lang))
        echo(
            "未写入: 修改会产生上述错误，台账和 git 均未改动\n"
            if st.lang == "zh"
            else "nothing written: the change would add the errors above; ledger and git unchanged\n"
        )
        raise typer.Exit(1) from None
    from gridctl.model.masking import mask_text

    subject = mask_text(say(planned.subject, st.lang))  # as the commit has it
    if done.unchanged:
        echo(("没有变化，未提交: " if st.lang == "zh" else "nothing changes, nothing committed: ") + subject + "\n")
    elif done.commit is None:
        echo(("试运行，未写入: " if st.lang == "zh" else "dry run, nothing written: ") + subject + "\n")
    else:
        echo(("已提交 " if st.lang == "zh" else "committed ") + f"{done.commit[:10]}: {subject}\n")
    if planned.shown and not done.unchanged:
        for line in mask_text(say(planned.shown, st.lang)).splitlines():
            echo(f"  {line}\n")
    for problem in done.todo:
        head = "待办" if st.lang == "zh" else "to do"
        echo(f"  {head}: {problem.record} — {problem.message(st.lang)} ({problem.code})\n")
    say_warnings(done.warnings, st.lang)
    return done


SHOWN_WARNINGS = 20
"""New warnings a write lists one by one; the rest are counted (gridctl validate lists them all)."""


def say_warnings(found: list[Problem], lang: str) -> None:
    """The warnings a write adds, under what it did: not an error (the write is made), but news."""
    from gridctl.model.masking import mask_text

    head = "新增警告" if lang == "zh" else "new warning"
    for problem in found[:SHOWN_WARNINGS]:
        echo(mask_text(f"  {head}: {problem.record or problem.file} — {problem.message(lang)} ({problem.code})") + "\n")
    more = len(found) - SHOWN_WARNINGS
    if more > 0:
        zh, en = f"  另有 {more} 条新增警告，见 gridctl validate\n", f"  {more} more: gridctl validate\n"
        echo(zh if lang == "zh" else en)


def make_pdf(root: Path, html: str, base: Path | None = None) -> bytes:
    """HTML → PDF in the first installed of the ledger's Chinese fonts (`fonts:` in gridctl.yaml)."""
    return paged_pdf(root, html, base)[0]


def paged_pdf(root: Path, html: str, base: Path | None = None, ledger=None) -> tuple[bytes, int]:  # type: ignore[no-untyped-def]
    """`make_pdf`, and how many pages the PDF has. Refused when a character of the page is in no
    installed font (gridctl.render.glyphs), naming its records in `ledger` (default: the working tree)."""
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.files import WorkTree
    from gridctl.render import glyphs, pdf

    settings, _problems = load_settings(WorkTree(root))
    font, warnings = pdf.check(settings.fonts if settings is not None else None)
    for warning in warnings:
        echo(warning + "\n", err=True)
    missing = glyphs.uncovered(html, font)
    if missing:
        raise glyphs.refusal(glyphs.places(ledger if ledger is not None else load_ledger(root), missing))
    return pdf.paged_pdf(html, base, font)


def pasteable(path: object) -> str:
    """A path as a next step prints it, to be pasted into cmd, PowerShell or bash: quoted when a
    space or a shell's special character would split it (幸福里 社区)."""
    import re

    text = str(path)
    return f'"{text}"' if re.search(r"[\s&()^;!'`$,]", text) else text
