"""The `git merge` of a sync or an approval, as a process that a Ctrl-C never stops half-way and that
the next command always knows is still running.

git runs in a process group of its own: a terminal's Ctrl-C (and a closed window's signal) goes to
gridctl's group only, so git is never stopped while it writes the ledger; gridctl waits for it and
then undoes the merge (gridctl.ledger.mergeguard). git also inherits an OS lock (.git/gridctl-merging.lock)
that is released only when git and everything it runs have ended. The next command waits on that
lock before it looks at what the merge left: a Ctrl-C that reached gridctl the instant after it
started git, before it knew git's process id, made it stop without waiting, and the next command
"put back" the ledger under a git still writing it and deleted git's index lock.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.crash import ENV as CRASH_ENV
from gridctl.ledger.crash import GROUP_ENV

MERGE_LOCK = "gridctl-merging.lock"


@dataclass
class CtrlC:
    """Whether the clerk pressed Ctrl-C while it was held back."""

    pressed: bool = False


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[CtrlC]:
    """Hold a Ctrl-C back while git is started and its process id written down; the caller acts on
    it once it knows the process. Only the main thread can; elsewhere it comes as usual."""
    seen = CtrlC()
    before = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() else None
    if before is None:  # not the main thread, or a handler Python did not set: left as it is
        yield seen
        return

    def hold(_signum: int, _frame: object) -> None:
        seen.pressed = True

    signal.signal(signal.SIGINT, hold)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, before)
    if before == signal.SIG_IGN:
        seen.pressed = False  # started with Ctrl-C ignored (a background job): it stays ignored


@contextlib.contextmanager
def merge_lock(git_dir: Path, wait: float | None = None) -> Iterator[int | None]:
    """The merge's lock, held; the file descriptor for git to inherit (None where a child cannot
    inherit such a lock: Windows, where the next command waits on git's process id instead)."""
    if os.name == "nt":
        yield None
        return
    fd = _take(git_dir, wait)
    try:
        yield fd
    finally:
        os.close(fd)


def wait_for_merge(git_dir: Path, pid: object, wait: float | None) -> None:
    """Return once no git of an earlier merge is running: its lock free, and its process (where
    named) gone; a refusal naming it after `wait` seconds."""
    if os.name != "nt":
        os.close(_take(git_dir, wait, pid))
    if not isinstance(pid, int) or pid <= 0:
        return
    deadline = _deadline(wait)
    while _alive(pid):
        if time.monotonic() > deadline:
            raise _still_running(pid)
        time.sleep(0.1)


def start(args: list[str], root: Path, env: dict[str, str], lock: int | None) -> subprocess.Popen[bytes]:
    """git in a process group of its own, holding the merge's lock, reading nothing from the terminal."""
    own: dict[str, object] = {}
    if os.name == "nt":
        own["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        own["process_group"] = 0
    if lock is not None:
        own["pass_fds"] = (lock,)
    if env.get(CRASH_ENV):
        env = {**env, GROUP_ENV: str(os.getpgrp()) if hasattr(os, "getpgrp") else ""}
    return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
        args, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **own
    )


def _take(git_dir: Path, wait: float | None, pid: object = None) -> int:
    import fcntl

    fd = os.open(git_dir / MERGE_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = _deadline(wait)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise _still_running(pid) from None
            time.sleep(0.1)
        except OSError:
            return fd  # a file system without locks: git's process id is all there is to go on


def _deadline(wait: float | None) -> float:
    from gridctl.ledger.lock import wait_seconds

    return time.monotonic() + wait_seconds(wait)


def _still_running(pid: object) -> GridctlError:
    which = f" (进程 {pid})" if isinstance(pid, int) else ""
    named = f" (process {pid})" if isinstance(pid, int) else ""
    return GridctlError(
        Text(f"上次同步的 git 合并仍在运行{which}", f"the last sync's git merge is still running{named}"),
        hint=Text(
            "等它结束后再运行，或用 --wait 秒数 多等一会儿",
            "run again when it ends, or give it longer with --wait SECONDS",
        ),
    )


def _alive(pid: int) -> bool:
    if os.name == "nt":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return False
        try:
            return bool(kernel.WaitForSingleObject(handle, 0) == 0x102)  # WAIT_TIMEOUT: still running
        finally:
            kernel.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (its parent, gridctl, was killed and nobody reaped it yet) is not running
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True
