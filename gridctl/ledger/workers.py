"""How gridctl's worker processes start (a cold read on every core, a long log on two).

Ctrl-C reaches every process of the terminal, and a worker waiting for its next job would die of
it with a traceback on the clerk's screen: the main process stops its workers itself. A forked
worker never learns that the main process was killed (it holds both ends of its job queue), and
would run on holding the caller's output open: Linux ends it then.

A pool stopped so is not waited for, and once the clerk is told "Aborted." the process ends at once
(leave_if_stopped): the Ctrl-C may have landed inside the standard library's locking, in the
microseconds after a `with future._condition` took its lock and before it could let it go (a
Python-level `__enter__`: bpo-29988). That lock then stays held, the pool's own thread, marking the
killed workers' jobs failed, waits for it for ever, and Python's exit waits for that thread: the
terminal was held after "Aborted." (1 run in 40 of a Ctrl-C test, more under load).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

STOPPED: list[int] = []
"""The pools this process ended (end): not empty, a Ctrl-C exit leaves at once (leave_if_stopped)."""


def pool(workers: int, initializer: Any = None) -> Any:
    """A process pool of `workers` that start as below (forked on Linux, spawned elsewhere); once
    ended (end), shutting it down, as leaving its `with` block does, does not wait for it."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    class Pool(ProcessPoolExecutor):
        ended = False

        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            super().shutdown(wait=wait and not self.ended, cancel_futures=cancel_futures)

        def _spawn_process(self) -> None:
            with ctrl_c_held_back():
                super()._spawn_process()  # type: ignore[misc]

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return Pool(workers, mp_context=get_context(method), initializer=started, initargs=(os.getpid(), initializer))


def end(executor: Any) -> None:
    """Stop a pool now, its work wanted no more (Ctrl-C, or its reader gone): its workers are killed
    and the jobs not done dropped. Shutting it down as usual waits for every job handed to it, and
    for ever for a worker that never finishes its job; after "Aborted." the clerk's terminal stayed held."""
    executor.ended = True
    STOPPED.append(os.getpid())
    threading.excepthook = _quiet  # the pool's thread may trip over jobs failed and cancelled at once
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()  # the pool then fails what was left to it (not cancelled: Python 3.11 trips on that)


def _quiet(_args: Any) -> None:
    """A thread's exception after its pool was ended: the pool's thread complaining of the kill,
    no word for the clerk (who is told "Aborted.")."""


def leave_if_stopped(code: int) -> None:
    """After a Ctrl-C that ended a pool of this process, and once the clerk was told: end the
    process now, not after Python's exit waited for the pool's thread (see the module's doc). What
    a command undoes on a Ctrl-C was undone as it unwound; the output is flushed first."""
    if os.getpid() not in STOPPED:
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


@contextlib.contextmanager
def ctrl_c_held_back() -> Iterator[None]:
    """Ctrl-C waits while a worker is forked: the new worker would die of one before it ignores it
    (started), with a traceback on the clerk's screen, and this process would take it inside
    Python's fork hooks, which drop it ("Exception ignored in: _releaseLock"; the command then ran
    to its end). The worker starts with it blocked; here it comes once the fork is done."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    before = block(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, before)


def started(main: int, then: Any = None) -> None:
    """In a worker, first: Ctrl-C is the main process's to handle, and the worker ends with it
    (it was held back while the worker was forked: ctrl_c_held_back)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # one pending now is ignored
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != main:  # the main process was gone before that
            os._exit(0)
    if then is not None:
        then()
