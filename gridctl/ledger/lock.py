"""One writer at a time: an OS lock on a file in .git that dies with its process.

The lock is `filelock` (flock on Unix, LockFileEx on Windows): a gridctl killed by `kill -9`, a
power cut or a closed window leaves no lock behind, so there is nothing to clear by hand. Who holds
the lock is written beside it only so the message to a waiting clerk can name the other command.
A second writer waits (``--wait``, default about 10 s) before it gives up.
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
from gridctl.i18n import Text

LOCK_NAME = "gridctl.lock"
OWNER_NAME = "gridctl.lock.owner"
DEFAULT_WAIT = 10.0


class LockHeld(GridctlError):
    """Another gridctl kept the ledger busy for longer than this one was willing to wait."""


def wait_seconds(given: float | None) -> float:
    """--wait, else GRIDCTL_WAIT, else the default; never negative."""
    if given is None:
        try:
            given = float(os.environ.get("GRIDCTL_WAIT", DEFAULT_WAIT))
        except ValueError:
            given = DEFAULT_WAIT
    return max(0.0, given)


@contextlib.contextmanager
def ledger_lock(git_dir: Path, command: str, wait: float | None = None) -> Iterator[None]:
    """Hold the ledger's write lock; wait up to `wait` seconds for another writer to finish."""
    from filelock import FileLock, Timeout

    seconds = wait_seconds(wait)
    lock = FileLock(str(git_dir / LOCK_NAME), timeout=seconds, thread_local=False, is_singleton=False)
    try:
        lock.acquire()
    except Timeout:
        raise _held(git_dir, seconds) from None
    except OSError as exc:
        where, reason = git_dir / LOCK_NAME, exc.strerror or exc
        raise GridctlError(
            Text(f"无法加写入锁 {where}: {reason}", f"cannot take the write lock {where}: {reason}"),
            hint=Text("检查台账文件夹是否可写", "check that the ledger folder can be written"),
        ) from None
    owner = git_dir / OWNER_NAME
    try:
        with contextlib.suppress(OSError):
            owner.write_text(
                json.dumps(
                    {
                        "pid": os.getpid(),
                        "host": socket.gethostname(),
                        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
                        "command": command,
                    },
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
        yield
    finally:
        with contextlib.suppress(OSError):
            owner.unlink()
        lock.release()


def _held(git_dir: Path, seconds: float) -> LockHeld:
    try:
        owner = json.loads((git_dir / OWNER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        owner = {}
    if not isinstance(owner, dict):
        owner = {}
    if owner.get("command"):
        who = (
            f"{owner.get('command')} (pid {owner.get('pid', '?')}, {owner.get('host', '?')}, {owner.get('since', '?')})"
        )
    else:
        who = ""
    return LockHeld(
        Text(
            f"台账正在被另一个 gridctl 写入{': ' + who if who else ''}，等了 {seconds:g} 秒仍未完成",
            f"the ledger is busy: {who or 'another gridctl'} is still writing after {seconds:g} s",
        ),
        hint=Text(
            "等它完成后重试，或用 --wait 秒数 多等一会儿",
            "wait for it to finish and run the command again, or give it longer with --wait SECONDS",
        ),
    )
