"""`gridctl keys init|add|remove|list` and `gridctl encrypt`: encryption at rest of residents' personal fields."""

from __future__ import annotations

from typing import Annotated

import typer

from gridctl.cli.common import echo, state

app = typer.Typer(
    help="Keys (密钥): your identity and who can open this ledger's encrypted personal data.", no_args_is_help=True
)


def _zh(ctx: typer.Context) -> bool:
    return state(ctx).lang == "zh"


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Make your identity (once per computer account), kept in your config folder, never in a ledger."""
    from gridctl.ops.keys import init_identity

    path, public, made = init_identity()
    zh = _zh(ctx)
    if made:
        echo(
            f"已生成密钥: {path} (只有你能读；不要放进台账、不要发给别人)\n"
            if zh
            else f"identity made: {path} (yours alone; never put it in a ledger)\n"
        )
    else:
        echo(f"已有密钥: {path}\n" if zh else f"identity exists: {path}\n")
    echo(
        f"你的公钥 (可以公开，交给台账负责人 gridctl keys add 你的名字 公钥):\n{public}\n"
        if zh
        else f"your public key (share it; a recipient runs gridctl keys add YOUR_NAME KEY):\n{public}\n"
    )


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Who the key belongs to, e.g. 李强.")],
    public_key: Annotated[str, typer.Argument(metavar="AGE_PUBLIC_KEY", help="Their public key (age1…).")],
) -> None:
    """Let one more person open this ledger's encrypted data (one commit)."""
    from gridctl.cli.common import change
    from gridctl.ops.keys import add as plan

    change(ctx, lambda ledger: plan(ledger, name, public_key))


@app.command("remove")
def remove(
    ctx: typer.Context, name: Annotated[str, typer.Argument(metavar="NAME", help="The recipient to remove.")]
) -> None:
    """Remove a recipient: a new data key, every value encrypted again, in one commit."""
    from gridctl.cli.common import change
    from gridctl.ops.keys import remove as plan

    change(ctx, lambda ledger: plan(ledger, name))
    echo(
        f"注意: {name} 仍能解开此前提交中的信息 (git 保留旧提交)；若担心泄漏，请更换其中的敏感信息。\n"
        if _zh(ctx)
        else f"note: {name} can still open what older commits hold (git keeps them) with the old key.\n"
    )


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Who can open this ledger's encrypted data, and whether a key here can."""
    from gridctl.cli.common import ledger_root
    from gridctl.errors import GridctlError
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.vault import identities, vault_of

    vault = vault_of(WorkTree(ledger_root(ctx)))
    if vault is None:
        from gridctl.ops.keys import NOT_ENCRYPTED

        raise GridctlError(NOT_ENCRYPTED, hint="gridctl encrypt")
    mine = {str(i.to_public()) for i in identities()}
    zh = _zh(ctx)
    for r in vault.recipients:
        me = (" (本机)" if zh else " (this computer)") if r.public_key in mine else ""
        echo(f"{r.name}  {r.public_key}{me}\n")
    state_line = (
        ("本机可以解开" if vault.can_open else "本机无法解开")
        if zh
        else ("opens here" if vault.can_open else "does not open here")
    )
    echo(f"{'数据密钥' if zh else 'data key'} {vault.key_id}: {state_line}\n")


def encrypt(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Option("--name", help="Your name as a recipient (default: the author's).")
    ] = None,
) -> None:
    """Encrypt the personal fields of every household (gridctl.yaml privacy.encrypt), in one commit."""
    from gridctl.cli.common import author, change, ledger_root, load_ledger
    from gridctl.ledger.cache import forget_the_plain
    from gridctl.ops.keys import encrypt as plan
    from gridctl.ops.keys import init_identity, plain_mentions

    root = ledger_root(ctx)
    path, public, made = init_identity()
    zh = _zh(ctx)
    if made:
        echo(f"已生成你的密钥: {path}\n" if zh else f"made your identity: {path}\n")
    who = name or author(ctx, root).name
    change(ctx, lambda ledger: plan(ledger, who, public))
    forget_the_plain(root)
    mentions = plain_mentions(load_ledger(root))  # the files as sealed: what encryption left in plain words
    if mentions:
        echo(
            "注意: 以下注释或备注仍以明文写着重点人群、身份证号码或手机号 (加密只覆盖字段)，请改写:\n"
            if zh
            else "note: these comments or notes still name a care group, an ID number or a mobile in plain text "
            "(encryption covers the fields only); reword them:\n"
        )
        echo("".join(f"  {m}\n" for m in mentions))
    echo(
        "注意: 此前提交中的个人信息仍是明文，每个克隆都保留着。若要彻底清除，需要改写 git 历史 (如 git filter-repo) "
        "并让所有人重新克隆。\n"
        if zh
        else "note: commits before this one still hold the personal data in plain text, in every clone; removing it "
        "means rewriting git history (e.g. git filter-repo) and everyone cloning again.\n"
    )


def start_encrypted(ctx: typer.Context, target, name: str) -> None:  # type: ignore[no-untyped-def]
    """`gridctl init --encrypt`: the new ledger's data key, wrapped for this user (made now if needed)."""
    from gridctl.cli.common import change, state
    from gridctl.ops.keys import encrypt as plan
    from gridctl.ops.keys import init_identity

    st = state(ctx)
    st.ledger, st.root = target, None
    path, public, made = init_identity()
    if made:
        echo(f"已生成你的密钥: {path}\n" if _zh(ctx) else f"made your identity: {path}\n")
    change(ctx, lambda ledger: plan(ledger, name, public))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="keys")
    root.command("encrypt")(encrypt)
