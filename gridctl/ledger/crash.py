"""Named points in the write protocol where the crash tests interrupt a real gridctl.

`GRIDCTL_TEST_CRASH=STEP[:N][@HOW]` interrupts gridctl the N-th time (default 1) it reaches STEP:
with SIGKILL by default (a power cut, a closed window), `@GROUP` for SIGKILL to the whole process
group (gridctl and the git it runs, as a closed window kills them), `@INT` for Ctrl-C, or `@ENOSPC` /
`@EACCES` for a disk that fills up or a file that cannot be written at that moment. It is how the
tests prove that an interruption at every step leaves the ledger whole; nothing else sets it.
"""

from __future__ import annotations

import errno
import os
import signal

ENV = "GRIDCTL_TEST_CRASH"
STEPS = ("locked", "planned", "objects", "journal", "gitlock", "head", "file", "files", "index")
MERGE_STEPS = ("started", "merged", "settled", "driver")
"""Steps of gridctl's own merges, which no record write reaches: `started` is the instant after
gridctl started `git merge`, before it wrote down git's process id; `merged` is after `git merge
--no-commit`, while the merged ledger is validated before its commit (gitmerge.py); `settled` is
after a conflict's choice was written to its file, before the conflict is marked settled (resolve.py);
`driver` is in the record merge driver git runs while `git merge` holds its index lock (driver.py)."""
GROUP_ENV = "GRIDCTL_TEST_GROUP"
"""gridctl's process group, for what git runs (git has a group of its own): `@GROUP` kills both."""
_seen: dict[str, int] = {}


def crash_point(step: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    where, _, how = wanted.partition("@")
    name, _, nth = where.partition(":")
    if name != step:
        return
    _seen[step] = _seen.get(step, 0) + 1
    if _seen[step] != (int(nth) if nth.isdigit() else 1):
        return
    if how in ("ENOSPC", "EACCES"):
        code = getattr(errno, how)
        raise OSError(code, os.strerror(code), f"(test: {step})")
    if how == "GROUP" and hasattr(os, "killpg"):
        # gridctl, git and the merge driver together (git runs in a process group of its own)
        if os.environ.get(GROUP_ENV, "").isdigit():
            os.killpg(int(os.environ[GROUP_ENV]), signal.SIGKILL)
        os.killpg(os.getpgrp(), signal.SIGKILL)
    if how == "INT":
        # a Ctrl-C as a terminal delivers it, even to a process started with SIGINT ignored
        # (a shell's background job, as some CI runners start the tests)
        if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, None):
            signal.signal(signal.SIGINT, signal.default_int_handler)
        os.kill(os.getpid(), signal.SIGINT)
        return
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
