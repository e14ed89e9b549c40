"""`gridctl review [BRANCH] [--approve | --reject -m REASON]`: the chief's 审核 of a worker's changes."""

from __future__ import annotations

from typing import Annotated

import typer

from gridctl.cli.common import author, command_line, echo, ledger_root, reason, refuse_as_of, state
from gridctl.i18n import Text


def review(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(metavar="BRANCH", help="review/S0002, or the worker: staff id or name.")
    ] = None,
    approve: Annotated[bool, typer.Option("--approve", help="Merge it into the main branch (Reviewed-by).")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Return it to the worker with -m REASON.")] = False,
) -> None:
    """Without BRANCH: the branches waiting. With it: what it changes and what the merge would break."""
    from gridctl.merge import review as lib

    root = ledger_root(ctx)
    st = state(ctx)
    zh = st.lang == "zh"
    if name is None:
        found = lib.waiting(root)
        for w in found:
            echo(
                f"{w.name}  {w.commits} 个提交  {w.author} {w.date}\n"
                if zh
                else f"{w.name}  {w.commits} commits  {w.author} {w.date}\n"
            )
        if not found:
            echo("没有待审核的分支\n" if zh else "no branch waiting for review\n")
        return
    if approve and reject:
        from gridctl.errors import GridctlError

        raise GridctlError(Text("--approve 和 --reject 只能选一个", "--approve or --reject, not both"))
    if reject:
        refuse_as_of(ctx)
        tag = lib.reject(root, name, reason(ctx, root) or "", author(ctx, root))
        echo(f"已退回 {name}: {st.message} ({tag})\n" if zh else f"returned {name}: {st.message} ({tag})\n")
        return
    if approve:
        _approve(ctx, root, name)
        return
    _show(ctx, root, name)


def _show(ctx: typer.Context, root, name: str) -> None:  # type: ignore[no-untyped-def]
    from gridctl.history.describe import file_sentence, sentence
    from gridctl.history.prints import sentences as print_sentences
    from gridctl.merge.review import preview
    from gridctl.render.problems import to_text

    lang = state(ctx).lang
    zh = lang == "zh"
    p = preview(root, name)
    w = p.waiting
    echo(
        f"{w.name}: {w.commits} 个提交，最后 {w.author} {w.date}\n"
        if zh
        else f"{w.name}: {w.commits} commits, last {w.author} {w.date}\n"
    )
    for change in p.changes:
        echo(f"  {sentence(change, p.names, lang)}\n")
    for said in print_sentences(p.prints, p.names, lang):
        echo(f"  {said}\n")
    for path, what in p.files:
        echo(f"  {file_sentence(path, what, lang)}\n")
    if p.conflicts:
        echo(
            "与主分支有冲突: 请提交人先运行 gridctl sync 处理\n"
            if zh
            else "conflicts with the main branch: the worker should run gridctl sync and settle them\n"
        )
    if p.problems is not None and p.problems.problems:
        echo("合并后会有以下问题:\n" if zh else "after the merge the ledger would have:\n")
        echo(to_text(p.problems, lang))
        raise typer.Exit(1)
    if p.problems is not None:
        echo("合并后没有新问题\n" if zh else "the merge adds no problem\n")
    if p.conflicts:
        raise typer.Exit(1)


def _approve(ctx: typer.Context, root, name: str) -> None:  # type: ignore[no-untyped-def]
    from gridctl.cli.sync import _show_conflicts, refused, renumbered
    from gridctl.merge.review import approve
    from gridctl.ops.write import WriteRejected

    refuse_as_of(ctx)
    st = state(ctx)
    zh = st.lang == "zh"
    try:
        done = approve(root, name, author(ctx, root), command_line(ctx=ctx), reason(ctx, root))
    except WriteRejected as exc:
        refused(ctx, exc)
    if done.commit:
        echo(f"已审核通过并合并 {done.commit[:10]}\n" if zh else f"approved and merged {done.commit[:10]}\n")
    merged = done.merged
    renumbered(ctx, merged.renumbered)
    if done.local_error is not None or (done.commit and (merged.conflicts or merged.files)):
        echo("本机台账尚未合并主分支的最新内容:\n" if zh else "this clone has not yet taken in the main branch:\n")
    if done.local_error is not None:
        _not_taken(ctx, done.local_error)
    if merged.conflicts or merged.files:
        _show_conflicts(ctx, merged)
        raise typer.Exit(1)
    if not done.commit:
        echo("没有需要合并的内容\n" if zh else "nothing to merge\n")


def _not_taken(ctx: typer.Context, exc) -> None:  # type: ignore[no-untyped-def]
    """An approval pushed whose merge into the office's clone did not happen: why, and that sync does it."""
    from gridctl.ops.write import WriteRejected
    from gridctl.render.problems import to_text

    lang = state(ctx).lang
    if isinstance(exc, WriteRejected):
        echo(to_text(exc.validation, lang))
    else:
        echo(f"{exc.message}\n" + (f"  {exc.hint}\n" if exc.hint else ""))
    echo(
        "主分支已更新；本机台账和 git 未改动。处理后运行 gridctl sync\n"
        if lang == "zh"
        else "the main branch is updated; this clone's ledger and git are unchanged. Fix it, then run gridctl sync\n"
    )
    raise typer.Exit(exc.exit_code)


def register(app: typer.Typer) -> None:
    app.command("review")(review)
