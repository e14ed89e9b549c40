"""`gridctl demo DIR`: try gridctl on the bundled example community."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, pasteable, state

LABELS = {
    "zh": {
        "grid": "网格",
        "staff": "工作人员",
        "household": "户",
        "person": "人",
        "place": "场所",
        "org": "组织",
        "thing": "物",
        "event": "事件",
        "inspection": "检查记录",
    },
    "en": {
        "grid": "grids",
        "staff": "staff",
        "household": "households",
        "person": "people",
        "place": "places",
        "org": "organizations",
        "thing": "things",
        "event": "events",
        "inspection": "inspections",
    },
}


def demo(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="TARGET", help="New folder for the example ledger.")],
    example: Annotated[str, typer.Option("--example", help="Which bundled example.")] = "community",
) -> None:
    """Copy the example community into TARGET as a git repository, validate it, summarise it."""
    from gridctl.demo import create_demo
    from gridctl.render.problems import to_text

    lang = state(ctx).lang
    made = create_demo(target, example)
    labels = LABELS[lang]
    parts = [
        f"{labels[k]} {made.counts[k]}" if lang == "zh" else f"{made.counts[k]} {labels[k]}"
        for k in labels
        if made.counts.get(k)
    ]
    head = "示例台账已创建" if lang == "zh" else "example ledger created"
    echo(f"{head}: {made.root} (commit {made.commit})\n")
    echo(("  " + ", ".join(parts)) + "\n")
    if made.residence:
        res = ", ".join(f"{k} {v}" for k, v in sorted(made.residence.items()))
        echo(f"  {'人员类型' if lang == 'zh' else 'residence'}: {res}\n")
    echo(to_text(made.validation, lang))
    nxt = "下一步" if lang == "zh" else "next"
    echo(f"{nxt}: gridctl -C {pasteable(made.root)} validate\n")
    raise typer.Exit(1 if made.validation.failed() else 0)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
