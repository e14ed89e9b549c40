"""`gridctl setup`, `gridctl sync`, `gridctl bundle`, `gridctl resolve`: many hands on one ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import author, command_line, echo, ledger_root, refuse_as_of, state
from gridctl.cli.complete import ids_of, record_ids
from gridctl.i18n import Text


def setup(
    ctx: typer.Context,
    worker: Annotated[
        str | None,
        typer.Option(
            "--worker", help="This clone is this grid worker's: staff id or name.", autocompletion=ids_of("staff")
        ),
    ] = None,
    office: Annotated[
        bool | None,
        typer.Option(
            "--office/--no-office",
            help="This clone is the office's: its bundles carry the approved main branch (--no-office: it is not).",
        ),
    ] = None,
) -> None:
    """Set up this clone: ledger files merge by record; a grid worker's clone gets its own new ids.

    The merge driver goes into git config and .gitattributes; a worker's own range of new ids means
    offline additions never collide."""
    from gridctl.cli.common import change
    from gridctl.merge.setup import configure
    from gridctl.merge.workers import attributes_change, set_worker

    refuse_as_of(ctx)
    root = ledger_root(ctx)
    zh = state(ctx).lang == "zh"
    configure(root)
    echo("已设置按记录合并 (git config merge.gridctl)\n" if zh else "merge by record: set (git config merge.gridctl)\n")
    if attributes_change(root) is not None:
        change(ctx, lambda ledger: attributes_change(ledger.root))
    if worker:
        staff, slot = set_worker(root, worker)
        echo(
            f"本机为 {staff} 的台账；新编号从第 {slot} 段分配\n"
            if zh
            else f"this clone belongs to {staff}; new ids come from range {slot}\n"
        )
    else:
        _shared_range(root, zh)
    if office is not None:
        from gridctl.merge.bundle import set_office

        set_office(root, office)
    if office:
        echo(
            "本机为办公室的台账: gridctl bundle 写出已审核的主分支，供网格员同步\n"
            if zh
            else "this clone is the office's: gridctl bundle writes the approved main branch, for the workers\n"
        )
    elif office is False:
        echo(
            "本机不是办公室的台账: gridctl bundle 写出本机的工作，送办公室审核\n"
            if zh
            else "this clone is not the office's: gridctl bundle writes this clone's work, for review in the office\n"
        )


def _shared_range(root: Path, zh: bool) -> None:
    """A clone of a shared ledger without its own id range numbers new records as every such clone
    does (two office PCs): said once, with how to prevent it, since sync then renumbers its records."""
    from gridctl.ledger.ids import worker_slot
    from gridctl.merge.sync import has_remote

    if worker_slot(root) or not has_remote(root, "origin"):
        return
    echo(
        "注意: 本机没有自己的编号段 (未用 --worker)，与其他这样设置的电脑编号相同；离线新增的记录如与对方编号"
        "重复，同步时本机的记录会换用新编号。多台电脑共用台账时，每台 gridctl setup --worker 人员编号\n"
        if zh
        else "note: this clone has no id range of its own (no --worker): it numbers new records as other such "
        "clones do; a record added offline under an id the other side also added gets a new id when this clone "
        "syncs. Where several computers share the ledger, run gridctl setup --worker STAFF_ID on each\n"
    )


def sync(
    ctx: typer.Context,
    remote: Annotated[str, typer.Option("--remote", help="The shared repository's git remote.")] = "origin",
    bundle: Annotated[
        Path | None, typer.Option("--bundle", metavar="FILE", help="Sync through a file instead of a network.")
    ] = None,
    units: Annotated[bool, typer.Option("--units", help="A town: fetch every unit ledger in gridctl.yaml.")] = False,
) -> None:
    """Bring this clone up to date with the shared ledger and send its changes (for review)."""
    from gridctl.merge.sync import sync as run
    from gridctl.ops.write import WriteRejected

    refuse_as_of(ctx)
    root = ledger_root(ctx)
    if units:
        _sync_units(ctx, root)
        return
    zh = state(ctx).lang == "zh"
    try:
        done = run(root, author(ctx, root), command_line(ctx=ctx), remote, bundle, state(ctx).wait)
    except WriteRejected as exc:
        refused(ctx, exc)
    renumbered(ctx, done.merged.renumbered)
    for r in done.rejections:
        echo(
            f"审核退回 ({r.by} {r.date}): {r.reason}\n  修改后再运行 gridctl sync\n"
            if zh
            else f"returned by review ({r.by} {r.date}): {r.reason}\n  fix it and run gridctl sync again\n"
        )
    merged = done.merged
    if merged.conflicts or merged.files:
        _show_conflicts(ctx, merged)
        raise typer.Exit(1)
    if merged.commit:
        how = ("快进到 " if zh else "fast-forward to ") if merged.fast_forward else ("已合并 " if zh else "merged ")
        echo(f"{how}{merged.commit[:10]}\n")
    if done.pushed:
        echo(
            (f"已提交审核: {done.pushed}\n" if zh else f"sent for review: {done.pushed}\n")
            if done.pushed.startswith("review/")
            else (f"已推送: {done.pushed}\n" if zh else f"pushed: {done.pushed}\n")
        )
    for name in done.branches:
        echo(f"待审核: {name}\n" if zh else f"waiting for review: {name}\n")
    if not merged.commit and not done.pushed and not done.branches:
        echo("已是最新\n" if zh else "up to date\n")


def renumbered(ctx: typer.Context, found: list) -> None:  # type: ignore[type-arg]
    """This side's records that got new ids before the merge (the other side added the same ids)."""
    from gridctl.merge.collide import said

    if found:
        echo(said(found, state(ctx).lang))


def refused(ctx: typer.Context, exc) -> None:  # type: ignore[no-untyped-def]
    """A merge that would add errors: the errors, and that nothing moved (exit 1)."""
    from gridctl.render.problems import to_text

    lang = state(ctx).lang
    renumbers = getattr(exc, "renumbered", [])
    renumbered(ctx, renumbers)
    echo(to_text(exc.validation, lang))
    if renumbers:  # taken back unless the branch moved on meanwhile: then a commit of its own, valid alone
        echo(
            "未合并: 取来的修改会给台账带来上述错误；合并未进行。本方记录的新编号已提交 (见上)，未能撤回: "
            "分支在此期间有了其他提交；新编号本身有效，可以保留。请对方改正后再同步\n"
            if lang == "zh"
            else "not merged: what came in would add the errors above; the merge was not made. This side's new ids "
            "are committed (above) and could not be taken back: the branch had other commits meanwhile; the new ids "
            "are valid on their own and can stay. Ask for it to be corrected, then sync again\n"
        )
        raise typer.Exit(1)
    echo(
        "未写入: 取来的修改会给台账带来上述错误 (合并或快进都未进行)，台账和 git 均未改动；请对方改正后再同步\n"
        if lang == "zh"
        else "nothing written: what came in would add the errors above (no merge, no fast-forward was made); "
        "ledger and git unchanged: ask for it to be corrected, then sync again\n"
    )
    raise typer.Exit(1)


def _choice_refused(ctx: typer.Context, exc, take: str) -> None:  # type: ignore[no-untyped-def]
    """A resolve whose choice makes the merged ledger invalid: that conflict is open again, the merge
    and every other choice stay (exit 1)."""
    from gridctl.merge.conflicts import explain, live, opener
    from gridctl.render.problems import to_text

    lang = state(ctx).lang
    root = ledger_root(ctx)
    echo(to_text(exc.validation, lang))
    echo(
        f"未提交: 选择 {take} 会产生上述错误；这处冲突仍未解决，合并和其他已做的选择都保留。"
        "请另选 (mine、theirs 或新值)，或 git merge --abort 放弃整个合并\n"
        if lang == "zh"
        else f"nothing committed: taking {take} would add the errors above; this conflict is open again, the "
        "merge and every other choice stay. Choose again (mine, theirs or a value), or git merge --abort\n"
    )
    vault = opener(root)
    for entry in live(root):
        echo(explain(entry, lang, vault=vault))
    raise typer.Exit(1)


def _show_conflicts(ctx: typer.Context, merged) -> None:  # type: ignore[no-untyped-def]
    from gridctl.ledger.files import pasteable
    from gridctl.merge.conflicts import explain, opener, stages

    lang = state(ctx).lang
    vault = opener(ledger_root(ctx)) if merged.conflicts else None
    for entry in merged.conflicts:
        echo(explain(entry, lang, vault=vault))
    held = stages(ledger_root(ctx)) if merged.files else {}
    for rel in merged.files:
        shown = pasteable(rel)  # a tab or an escape character in the name written out as git does
        if {"2", "3"} <= held.get(rel, set()):  # changed on both sides, and git merged it line by line
            echo(
                f"冲突: {shown} 两边都改了，git 未能合并 (文件里有 <<<<<<< 冲突标记)：改好后 git add {shown}。"
                "台账文件按记录合并需要 gridctl setup 写入的 .gitattributes\n"
                if lang == "zh"
                else f"conflict: {shown} was changed on both sides and git could not merge it (conflict markers "
                f"<<<<<<< in the file): edit it, then git add {shown}. Record files merge by record once "
                "gridctl setup has written .gitattributes\n"
            )
            continue
        echo(
            f"冲突: {shown} 一方删除、另一方修改，请用 git 处理 (git add 或 git rm)\n"
            if lang == "zh"
            else f"conflict: {shown} was deleted on one side and changed on the other: git add or git rm it\n"
        )
    n = len(merged.conflicts) + len(merged.files)
    echo(f"合并未完成: {n} 处冲突\n" if lang == "zh" else f"merge not finished: {n} conflicts\n")


def bundle(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("-o", "--output", metavar="FILE", help="The file to write (e.g. on a USB stick).")
    ],
) -> None:
    """Write this clone's work (or, in the office, the approved main branch) to a file for gridctl sync --bundle."""
    from gridctl.merge.bundle import bundle as make

    root = ledger_root(ctx)
    made = make(root, out)
    zh = state(ctx).lang == "zh"
    for r in made.returned:
        echo(
            f"审核退回 ({r.by} {r.date}): {r.reason}\n  未改动，原样写入；修改后再 gridctl bundle\n"
            if zh
            else f"returned by review ({r.by} {r.date}): {r.reason}\n  unchanged, written as it was; "
            "fix it and run gridctl bundle again\n"
        )
    if made.ref.startswith("review/"):
        what = f"{made.ref}，送办公室审核" if zh else f"{made.ref}, for review in the office"
    elif made.shared:
        what = (
            f"{made.ref}: 共享仓库中已审核的主分支" if zh else f"{made.ref}: the approved main of the shared repository"
        )
    else:
        what = made.ref
    echo(f"已写入 {out} ({what})\n" if zh else f"wrote {out} ({what})\n")


def resolve(
    ctx: typer.Context,
    record: Annotated[
        str,
        typer.Argument(metavar="ID", help="The record with the conflict: its id or name.", autocompletion=record_ids),
    ],
    field: Annotated[
        str | None,
        typer.Argument(metavar="FIELD", help='The field, e.g. address.room ("-" for the whole record).'),
    ] = None,
    take: Annotated[str | None, typer.Option("--take", help="mine, theirs, or the value to keep.")] = None,
    renumber: Annotated[
        str | None,
        typer.Option(
            "--renumber", metavar="mine", help="An id collision: this side's record gets the next free id; both kept."
        ),
    ] = None,
) -> None:
    """Settle one conflict of a merge; the last one validates and commits the merge."""
    from gridctl.merge.conflicts import explain, opener
    from gridctl.merge.resolve import resolve as run
    from gridctl.ops.write import WriteRejected

    refuse_as_of(ctx)
    root = ledger_root(ctx)
    lang = state(ctx).lang
    if renumber is not None or take is None or field is None:
        _resolve_usage(ctx, record, field, take, renumber)
        _renumber(ctx, root, record)
        return
    try:
        done = run(root, record, field, take, author(ctx, root), state(ctx).wait)
    except WriteRejected as exc:
        _choice_refused(ctx, exc, take)
    echo(("已处理 " if lang == "zh" else "settled ") + f"{done.entry.get('record', record)} {field}\n")
    if done.left:
        vault = opener(root)
        for entry in done.left:
            echo(explain(entry, lang, vault=vault))
        raise typer.Exit(1)
    if done.merged is not None and done.merged.commit:
        echo(("合并已提交 " if lang == "zh" else "merge committed ") + done.merged.commit[:10] + "\n")
        from gridctl.merge.sync import has_remote

        if has_remote(root, "origin"):  # an approval or a sync stopped by the conflict: main is shared by the next sync
            echo(
                "下一步: gridctl sync (把合并结果送到共享仓库)\n"
                if lang == "zh"
                else "next: gridctl sync (sends the merge to the shared repository)\n"
            )


def _resolve_usage(ctx: typer.Context, record: str, field: str | None, take: str | None, renumber: str | None) -> None:
    """Either FIELD --take, or --renumber mine: a usage error (exit 2) names what is missing."""
    from gridctl.errors import GridctlError

    if renumber is not None and take is None and renumber == "mine":
        return
    if renumber is not None and take is None:
        raise GridctlError(
            Text(
                "只能给本方的记录换编号: --renumber mine (对方的编号可能已在其他电脑、纸质表格上使用)",
                "only this side's record can get a new id: --renumber mine (the other side's id may already be "
                "used on other computers and on paper)",
            )
        )
    raise GridctlError(
        Text(
            f"用法: gridctl resolve {record} 字段 --take mine|theirs|新值，"
            f"或编号冲突时 gridctl resolve {record} --renumber mine",
            f"usage: gridctl resolve {record} FIELD --take mine|theirs|VALUE, or for an id collision "
            f"gridctl resolve {record} --renumber mine",
        )
    )


def _renumber(ctx: typer.Context, root: Path, record: str) -> None:
    from gridctl.merge.collide import renumber_merge
    from gridctl.ops.write import WriteRejected

    lang = state(ctx).lang
    try:
        merged = renumber_merge(root, record, author(ctx, root), command_line(ctx=ctx), state(ctx).wait)
    except WriteRejected as exc:
        if getattr(exc, "renumbered", None):
            refused(ctx, exc)
        _renumber_refused(ctx, exc)
    renumbered(ctx, merged.renumbered)
    if merged.conflicts or merged.files:
        _show_conflicts(ctx, merged)
        raise typer.Exit(1)
    if merged.commit:
        echo(("合并已提交 " if lang == "zh" else "merge committed ") + merged.commit[:10] + "\n")


def _renumber_refused(ctx: typer.Context, exc) -> None:  # type: ignore[no-untyped-def]
    """resolve --renumber mine whose merge would add errors: the new ids taken back, the merge undone (exit 1)."""
    from gridctl.render.problems import to_text

    lang = state(ctx).lang
    echo(to_text(exc.validation, lang))
    echo(
        "未提交: 合并后的台账会有上述错误；本方记录的编号未换，进行中的合并已撤销 (如同 git merge --abort)，"
        "台账回到合并前；请对方改正后再合并\n"
        if lang == "zh"
        else "nothing committed: the merged ledger would have the errors above; this side's records keep their ids "
        "and the merge under way was undone (as git merge --abort does), the ledger is as before the merge: ask for "
        "it to be corrected, then merge again\n"
    )
    raise typer.Exit(1)


def _sync_units(ctx: typer.Context, root: Path) -> None:
    from gridctl.cli.clock import clock
    from gridctl.units.fetch import fetch_units

    zh = state(ctx).lang == "zh"
    failed = 0
    clk = clock(ctx, lenient=True)
    for name, error in fetch_units(root, clk.now().replace(tzinfo=clk.zone)):
        if error:
            failed += 1
            echo(f"{name}: 获取失败 {error}\n" if zh else f"{name}: fetch failed: {error}\n")
        else:
            echo(f"{name}: 已获取\n" if zh else f"{name}: fetched\n")
    if failed:
        raise typer.Exit(2)


def merge_check(ctx: typer.Context) -> None:
    """Run by git before a merge commit (the hook gridctl setup installs): refuse new errors."""
    from gridctl.merge.gitmerge import check_merge
    from gridctl.render.problems import to_text

    root = ledger_root(ctx)
    result = check_merge(root)
    if result.errors:
        lang = state(ctx).lang
        echo(to_text(result, lang), err=True)
        echo(
            "合并未提交: 合并结果会产生上述错误。修改后再 git commit，或 git merge --abort 撤销\n"
            if lang == "zh"
            else "merge not committed: it would add the errors above; fix them and git commit, or git merge --abort\n",
            err=True,
        )
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("merge-check", hidden=True)(merge_check)
    app.command("setup")(setup)
    app.command("sync")(sync)
    app.command("bundle")(bundle)
    app.command("resolve")(resolve)
