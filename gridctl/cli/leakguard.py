"""`gridctl leak-guard FILE…`: the pre-commit hook that keeps residents' data out of commits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, state


def leak_guard(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(metavar="FILE...", help="Staged files (pre-commit passes them), or the commit message."),
    ] = None,
) -> None:
    """Refuse spreadsheets outside the allowed folder and plain ID numbers or mobiles in staged files or the message."""
    from gridctl.cli.common import ledger_root
    from gridctl.leakguard import guard_for, is_message_file
    from gridctl.ledger.files import find_root

    st = state(ctx)
    try:
        root = ledger_root(ctx)
    except Exception:
        root = find_root(Path.cwd()) if (Path.cwd() / "gridctl.yaml").exists() else Path.cwd()
    guard = guard_for(root)
    leaks = []
    for path in files or []:
        full = path if path.is_absolute() else Path.cwd() / path
        if not full.is_file():
            continue  # deleted: nothing is added
        message = is_message_file(root, full)
        try:
            rel = full.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
        leaks += guard.check("(commit message)" if message else rel, full.read_bytes(), message)
    if not leaks:
        return
    for leak in leaks:
        echo(leak.text(st.lang) + "\n", err=True)
    echo(advice(st.lang, guard.allowed_folder), err=True)
    raise typer.Exit(1)


def advice(lang: str, folder: str) -> str:
    if lang == "zh":
        return (
            "未提交: 居民个人信息不能进入台账的 git 历史 (每个克隆都会永久保留)。\n"
            f"  表格: 导出到台账文件夹以外；空白表格模板放在 {folder}/ 中；已暂存的用 git rm --cached 文件 撤下。\n"
            "  压缩文件: 不要提交；照片、文件逐个提交 (gridctl photo、gridctl document --file)。\n"
            "  号码: 身份证号码和手机号只写在人员记录的对应字段；备注和提交说明中不要写。\n"
        )
    return (
        "not committed: residents' personal data must not enter the ledger's history (every clone keeps it).\n"
        f"  spreadsheets: export outside the ledger; blank forms go in {folder}/; unstage: git rm --cached FILE.\n"
        "  compressed files: none; commit photos and files one by one (gridctl photo, gridctl document --file).\n"
        "  numbers: ID numbers and mobiles belong in a person's own fields, never in a note or a message.\n"
    )


def register(app: typer.Typer) -> None:
    app.command("leak-guard")(leak_guard)
