"""Ctrl-C while a cold read's workers are being forked: a worker forked but not yet ignoring Ctrl-C
(gridctl.ledger.workers.started) died of it with a traceback on the clerk's screen, and the main
process could take it inside Python's fork hooks, which drop it (the command then ran to its end,
exit 0). Found by an adversarial test, 1 run in 40 of a Ctrl-C in the first half second; here the
worker waits a second before it ignores Ctrl-C, so the Ctrl-C lands in that window every time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from stopping import stopped

DRIVER = """
import os, sys, time
from gridctl import prefetch
from gridctl.ledger import workers

prefetch.MIN_FILES = 5
prefetch.CHUNK = 4
real = workers.started


def slow(main, then=None):  # a worker forked, not yet ignoring Ctrl-C
    os.write(1, b"paused\\n")
    time.sleep(1)
    real(main, then)


workers.started = slow
on_workers = prefetch._on_workers


def told(*args):  # what the main process saw, should a Ctrl-C be lost (once: SIGINT ignored, handler 1)
    for chunk, packed in on_workers(*args):
        if packed is None:
            os.write(2, b"[a chunk no worker made]\\n")
        yield chunk, packed


prefetch._on_workers = told


def at_exit():
    import signal, threading
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    os.write(2, f"[exit: handler {signal.getsignal(signal.SIGINT)}, blocked {sorted(mask)}, "
                f"threads {[t.name for t in threading.enumerate()]}]\\n".encode())


import atexit
atexit.register(at_exit)
sys.argv = ["gridctl", "--lang", "en", *sys.argv[1:]]
from gridctl.cli.main import run

run()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes of a session: Linux /proc")
def test_ctrl_c_while_the_workers_start_stops_the_read_without_a_traceback(demo: Path) -> None:
    code, err, left, _said = stopped(demo, DRIVER, ["validate"], "Ctrl-C")
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert code == 130 and "Aborted." in err, err  # the driver says at exit what it saw
    assert left == []
