"""The reveal log: who saw personal data in full (`--reveal`), when, with which command.

PIPL Art. 51 asks for access to sensitive personal information to be controlled and traceable.
The log lives in the ledger's .git folder (never in the working tree, never committed, never
pushed): one JSON line per use, readable by the ledger's owner alone, appended under an OS lock
so two commands never interleave a line. `gridctl audit reveals` reads it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

LOG = "gridctl/reveals.log"


@dataclass(frozen=True)
class Reveal:
    at: str
    """Local time on the ledger's clock, `YYYY-MM-DD HH:MM:SS`."""
    who: str
    command: str
    user: str = ""
    """The computer's account that ran it (a shared office PC has one git identity and several clerks)."""


def log_path(root: Path) -> Path | None:
    from gridctl.ledger.cache import git_dir_of

    git_dir = git_dir_of(root)
    return git_dir / LOG if git_dir is not None else None


def record(root: Path, reveal: Reveal) -> bool:
    """Append one use; False when the ledger has no .git folder to keep it in."""
    path = log_path(root)
    if path is None:
        return False
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(reveal.__dict__, ensure_ascii=False) + "\n"
    with FileLock(str(path) + ".lock", timeout=10):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(line)
    return True


def read(root: Path, since: dt.date | None = None) -> list[Reveal]:
    """Every use recorded (on or after `since`), oldest first; a damaged line is skipped, not fatal."""
    path = log_path(root)
    if path is None or not path.is_file():
        return []
    out: list[Reveal] = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            with contextlib.suppress(ValueError, TypeError):
                data = json.loads(line)
                item = Reveal(str(data["at"]), str(data["who"]), str(data["command"]), str(data.get("user", "")))
                if since is None or item.at[:10] >= since.isoformat():
                    out.append(item)
    return out


def os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""
