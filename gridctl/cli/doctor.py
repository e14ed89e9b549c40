"""`gridctl doctor`: what this computer has and lacks for gridctl, and the fix for each."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gridctl.cli.common import echo, emit_data, state
from gridctl.i18n import say

MARKS = {"ok": ("正常", "ok"), "missing": ("缺少", "MISSING"), "warn": ("注意", "check"), "info": ("说明", "info")}


class Format(str, Enum):
    text = "text"
    json = "json"


def doctor(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text or json.")] = Format.text,
) -> None:
    """This computer (git, time zones, PDF, fonts) and the ledger here: exit 1 if something needed is missing."""
    import json

    from gridctl import __version__
    from gridctl.doctor import examine, failed
    from gridctl.errors import LedgerNotFound
    from gridctl.ledger.files import find_root

    st = state(ctx)
    try:
        root: Path | None = find_root(st.ledger if st.ledger is not None else Path.cwd())
    except LedgerNotFound:
        root = None  # the computer alone
    findings = examine(root)
    if fmt is Format.json:
        body = {"version": __version__, "ledger": str(root) if root else None, "ok": not failed(findings)}
        body["findings"] = [f.as_json(st.lang) for f in findings]
        emit_data(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    else:
        zh = st.lang == "zh"
        where = str(root) if root else ("（不在台账中，只检查本机）" if zh else "(no ledger here: this computer only)")
        lines = [f"gridctl {__version__} doctor: {where}"]
        for f in findings:
            mark = MARKS[f.status][0 if zh else 1]
            optional = ("（非必需）" if zh else " (optional)") if not f.needed else ""
            pad = " " * (9 - sum(2 if ord(c) > 0x2E80 else 1 for c in mark))  # 正常 is as wide as 4 letters
            what, found = say(f.what, st.lang), say(f.found, st.lang)
            lines.append(f"  {mark}{pad}{what}: {found}{optional if f.status != 'ok' else ''}")
            if f.fix and f.status != "ok":
                lines.append(f"           {'解决' if zh else 'fix'}: {say(f.fix, st.lang)}")
        bad = failed(findings)
        if zh:
            lines.append("缺少必需的部分，见上" if bad else "必需的部分齐全")
        else:
            lines.append("something needed is missing (above)" if bad else "everything needed is here")
        echo("\n".join(lines) + "\n")
    if failed(findings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
