"""Ctrl-C in a command whose pool it ended, when the Ctrl-C landed inside the standard library's
locking: in the microseconds after `with future._condition` took its lock and before its block
began, the lock stays held by the main process (a Python-level __enter__: bpo-29988). The pool's
own thread, failing the killed workers' jobs, then waits for that lock for ever; the command said
"Aborted." and waited for that thread, and Python's exit waits for it too: the terminal was held.
Seen once in 40 runs of the Ctrl-C tests beside a full suite (gridctl log, its thread in
set_exception); here the lock is taken as the Ctrl-C leaves it, every time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from stopping import stopped
from test_adv_23 import STUCK_DRIVER as LOG_STUCK
from test_adv_23 import long_history  # noqa: F401  (the fixture)
from test_rows_elsewhere import STUCK_DRIVER as READ_STUCK
from test_units import STUCK_DRIVER as UNITS_STUCK
from test_units import town

HELD = """
import threading
from concurrent.futures import Future, ProcessPoolExecutor

FUTURES, HELD = [], set()
_submit, _done, _result = ProcessPoolExecutor.submit, Future.done, Future.result


def _kept(self, fn, *args, **kwargs):
    future = _submit(self, fn, *args, **kwargs)
    if getattr(fn, "__name__", "") == "stuck":  # only a job that never ends: a lock held on one that does
        FUTURES.append(future)  # would stop the pool's thread before the Ctrl-C (its other jobs)
    return future


def held():
    \"\"\"The main process keeps the lock of every job a worker has taken and not done, as a Ctrl-C
    inside `with future._condition` leaves it.\"\"\"
    for future in FUTURES:
        if id(future) not in HELD and future.running():
            future._condition.acquire()
            HELD.add(id(future))


def _done_held(self):
    if ON_USE and threading.current_thread() is threading.main_thread():
        held()
    return _done(self)


def _result_held(self, timeout=None):
    if ON_USE and threading.current_thread() is threading.main_thread():
        held()
    return _result(self, timeout)


ProcessPoolExecutor.submit, Future.done, Future.result = _kept, _done_held, _result_held
"""
"""Put before a driver: the main process keeps the lock of the jobs its workers took and did not
finish, from its next look at a job (ON_USE: for a driver whose workers never finish what they
took) or when the driver calls held()."""

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes of a session: Linux /proc")


def _ends(code: int, err: str, left: list[str]) -> None:
    assert code == 130 and "Aborted." in err and "Traceback" not in err, err
    assert left == []


def test_a_cold_read_stopped_with_a_jobs_lock_held_ends(demo: Path) -> None:
    driver = READ_STUCK.replace('print("paused", flush=True)', 'held(); print("paused", flush=True)')
    assert driver != READ_STUCK
    code, err, left, _said = stopped(demo, "ON_USE = False\n" + HELD + driver, ["validate"], "Ctrl-C")
    _ends(code, err, left)


def test_a_log_stopped_with_a_jobs_lock_held_ends(long_history: Path) -> None:  # noqa: F811
    code, err, left, _said = stopped(long_history, "ON_USE = True\n" + HELD + LOG_STUCK, [], "Ctrl-C")
    _ends(code, err, left)


def test_a_town_wide_read_stopped_with_a_jobs_lock_held_ends(tmp_path: Path) -> None:
    root = town(tmp_path)
    code, err, left, _said = stopped(root, "ON_USE = True\n" + HELD + UNITS_STUCK, ["status", "--units"], "Ctrl-C")
    _ends(code, err, left)
