"""Long output a person reads (log, history, list) through a pager on a terminal, as git does.

Only when stdout is a terminal and the text is longer than the screen; never when piped or
redirected. GRIDCTL_PAGER, else PAGER, names the pager (`less`, `more`; empty or `cat` turns
it off); without either, `less -FRX` where installed, else `more` (Windows has it).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from gridctl.cli.common import echo


def pager_command() -> list[str] | None:
    """The pager to run, or None for none."""
    for var in ("GRIDCTL_PAGER", "PAGER"):
        if var in os.environ:
            value = os.environ[var].strip()
            if not value or value == "cat":
                return None
            try:
                return shlex.split(value, posix=os.name != "nt")
            except ValueError:
                return None
    if shutil.which("less"):
        return ["less", "-FRX"]
    return ["more"] if shutil.which("more") else None


def page(text: str) -> None:
    """`text` for a person: through the pager when it does not fit the terminal, else printed."""
    if not _terminal() or text.count("\n") < shutil.get_terminal_size().lines - 1:
        echo(text)
        return
    command = pager_command()
    program = shutil.which(command[0]) if command else None
    if command is None or program is None:
        echo(text)
        return
    from gridctl.model.chars import visible

    env = {**os.environ}
    env.setdefault("LESSCHARSET", "utf-8")
    encoding = "utf-8" if os.name != "nt" else (sys.stdout.encoding or "utf-8")
    try:
        subprocess.run([program, *command[1:]], input=visible(text).encode(encoding, "replace"), env=env, check=False)
    except KeyboardInterrupt:
        return
    except OSError:
        echo(text)


def _terminal() -> bool:
    try:
        return sys.stdout.isatty() and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
