"""One writer at a time: a lock file in .git, created atomically, naming its owner.

A lock whose process is gone (killed, power cut) is not silently taken over: the clerk is told
which process held it and how to clear it, because a half-finished write may need a look.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from gridctl.errors import GridctlError

LOCK_NAME = "gridctl.lock"


class LockHeld(GridctlError):
    """Another gridctl is writing to this ledger, or a dead one left its lock."""


def _alive(pid: int) -> bool:
    if os.name == "nt":  # no cheap portable probe: assume alive, the message says how to clear it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def ledger_lock(git_dir: Path, command: str) -> Iterator[None]:
    path = git_dir / LOCK_NAME
    owner = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
        "command": command,
    }
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise _held(path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(owner, handle, ensure_ascii=False)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _held(path: Path) -> LockHeld:
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        owner = {}
    pid = int(owner.get("pid", 0) or 0)
    who = f"pid {pid}, {owner.get('host', '?')}, since {owner.get('since', '?')}: {owner.get('command', '?')}"
    same_host = owner.get("host") == socket.gethostname()
    if pid and same_host and not _alive(pid):
        return LockHeld(
            f"stale lock: the gridctl that held it is gone ({who}) / 写入锁已失效，持有它的进程已不存在",
            hint=f"check `git status` in the ledger, then delete {path} / 确认台账无异常后删除该文件",
        )
    return LockHeld(
        f"another gridctl is writing to this ledger ({who}) / 另一个 gridctl 正在写入台账",
        hint=f"wait for it to finish; if no gridctl is running, delete {path}",
    )
