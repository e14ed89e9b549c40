"""How gridctl's worker processes start (a cold read on every core, a long log on two).

Ctrl-C reaches every process of the terminal, and a worker waiting for its next job would die of
it with a traceback on the clerk's screen: the main process stops its workers itself. A forked
worker never learns that the main process was killed (it holds both ends of its job queue), and
would run on holding the caller's output open: Linux ends it then.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import Any


def pool(workers: int, initializer: Any = None) -> Any:
    """A process pool of `workers` that start as below (forked on Linux, spawned elsewhere)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return ProcessPoolExecutor(
        workers, mp_context=get_context(method), initializer=started, initargs=(os.getpid(), initializer)
    )


def end(executor: Any) -> None:
    """Stop a pool now, its work wanted no more (Ctrl-C, or its reader gone): its workers are killed
    and the jobs not done dropped. Shutting it down as usual waits for every job handed to it, and
    for ever for a worker that never finishes its job; after "Aborted." the clerk's terminal stayed held."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()  # the pool then fails what was left to it (not cancelled: Python 3.11 trips on that)


def started(main: int, then: Any = None) -> None:
    """In a worker, first: Ctrl-C is the main process's to handle, and the worker ends with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != main:  # the main process was gone before that
            os._exit(0)
    if then is not None:
        then()
