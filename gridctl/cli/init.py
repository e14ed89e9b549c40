"""`gridctl init DIR --name NAME`: start a new ledger."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, pasteable, state
from gridctl.i18n import Text


class CI(str, Enum):
    gitea = "gitea"
    gitlab = "gitlab"
    github = "github"
    none = "none"


def init(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="DIR", help="New (or empty) folder for the ledger.")],
    name: Annotated[str, typer.Option("--name", help="The ledger's name, e.g. 幸福里社区网格化管理台账")],
    profile: Annotated[
        str, typer.Option("--profile", help="community (default), town, school-safety, education, fire-safety")
    ] = "community",
    code: Annotated[str | None, typer.Option("--code", help="6-digit region code, e.g. 110105")] = None,
    hooks_repo: Annotated[
        str | None,
        typer.Option(
            "--hooks-repo", metavar="URL", help="Where pre-commit gets gridctl's hooks (default: the project's home)."
        ),
    ] = None,
    hooks_rev: Annotated[
        str | None,
        typer.Option("--hooks-rev", metavar="REV", help="Tag or commit of the hooks (default: this version's tag)."),
    ] = None,
    ci: Annotated[
        CI,
        typer.Option(
            "--ci", help="CI for the ledger: gitea (default; a server inside the network), gitlab, github or none."
        ),
    ] = CI.gitea,
    gridctl_source: Annotated[
        str | None,
        typer.Option(
            "--gridctl-source",
            metavar="SOURCE",
            help="Where CI installs this gridctl from, e.g. git+https://git.example.gov.cn/tools/gridctl@v0.1.0 "
            "(default: the project's repository at this version's tag).",
        ),
    ] = None,
    encrypt: Annotated[
        bool, typer.Option("--encrypt", help="Keep residents' personal fields encrypted from the start (gridctl keys).")
    ] = False,
) -> None:
    """Create a ledger: gridctl.yaml from the profile, folders, CI for the ledger, one first commit."""
    from gridctl.ledger.message import parse_author
    from gridctl.ops.init import create_ledger

    st = state(ctx)
    who = parse_author(st.author) if st.author else _configured_author()
    sha = create_ledger(target, name, profile, code, who, hooks_repo, hooks_rev, ci.value, gridctl_source)
    zh = st.lang == "zh"
    echo(f"已创建台账 {target} (commit {sha[:10]})\n" if zh else f"created ledger {target} (commit {sha[:10]})\n")
    if encrypt:
        from gridctl.cli.keys import start_encrypted

        start_encrypted(ctx, target, who.name)
    place = pasteable(target)
    level = first_level(profile)
    digits = _code_digits(profile, level)
    given = "" if digits is None else "--set id=… "  # no id format for grids: allocate() would refuse the line
    echo(
        f"下一步: cd {place} && gridctl add grid {given}--set name=… --set level={level}\n"
        if zh
        else f"next: cd {place} && gridctl add grid {given}--set name=… --set level={level}\n"
    )
    if digits is not None:
        start = code or ("区县代码" if zh else "the county code")
        echo(
            f"  {level}的编码 {digits} 位: 以 {start} 开头 (区县 6 位 + 街道/乡镇 3 位 + {level} 3 位)\n"
            if zh
            else f"  a {level}'s code has {digits} digits: {start}, then 3 for the street or town, 3 for the {level}\n"
        )


def first_level(profile: str) -> str:
    """The level a new ledger's first grid has: a school plan's top (学校, 中心校, 县教育局 — short codes,
    no tier above the ledger), a territory plan's 社区 (its 街道 is above the ledger)."""
    from gridctl.ledger.profiles import profile_defaults

    levels = (profile_defaults(profile) or {}).get("levels") or []
    top = next((lv for lv in levels if lv.get("code_digits") is None), None)
    top = top or next((lv for lv in levels if lv.get("community")), None)
    return str(top["names"][0]) if top else "社区"


def _code_digits(profile: str, level: str) -> int | None:
    """The digits of the first grid's code when the profile allocates no grid ids (a territory plan's
    national codes, typed by the clerk), else None (a school plan's WG01 … are allocated)."""
    from gridctl.ledger.profiles import profile_defaults

    defaults = profile_defaults(profile) or {}
    if (defaults.get("id_formats") or {}).get("grid"):
        return None
    found = next((lv for lv in defaults.get("levels") or [] if level in lv.get("names", [])), None)
    return found.get("code_digits") if found else None


def _configured_author():  # type: ignore[no-untyped-def]
    """Author from the environment or the user's git config (the folder is no repository yet)."""
    import os

    from gridctl.errors import GridctlError
    from gridctl.ledger.message import Author
    from gridctl.ledger.tools import gitpython

    git = gitpython()

    def get(key: str) -> str:
        try:
            return git.Git().config("--get", key)
        except git.GitCommandError:
            return ""

    name = os.environ.get("GIT_AUTHOR_NAME") or get("user.name")
    email = os.environ.get("GIT_AUTHOR_EMAIL") or get("user.email")
    if not name or not email:
        raise GridctlError(
            Text("未设置修改人: 谁在建立这本台账？", "who is creating this ledger?"),
            hint=Text(
                '加上 --author "王芳 <wf@example.cn>"，或设置 git config --global user.name/user.email',
                'pass --author "王芳 <wf@example.cn>" or set git config --global user.name/user.email',
            ),
        )
    return Author(name, email)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
