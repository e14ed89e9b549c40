"""A real gridctl stopped half-way (Ctrl-C to the whole command, a signal to its main process):
what it said, and what of it was still running once its output ended."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
from pathlib import Path


def stopped(root: Path, driver: str, args: list[str], how: str) -> tuple[int, str, list[str], list[bytes]]:
    """Run `driver` (Python that runs gridctl and prints a line starting "paused" once its workers
    run), then stop it `how` (Ctrl-C, SIGINT, SIGKILL); (exit code, stderr, processes of its session
    still running once its output ended, the words of the paused line)."""
    env = {**os.environ, "GRIDCTL_NO_CACHE": "1"}
    env.pop("GRIDCTL_WORKERS", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", DUMPS + driver, *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        if not select.select([proc.stdout], [], [], 120)[0]:
            raise AssertionError(f"not paused in 120 s:\n{hung(proc)}")
        said = proc.stdout.readline().split()
        assert said[:1] == [b"paused"], said
        if how == "Ctrl-C":
            os.killpg(proc.pid, signal.SIGINT)  # as a terminal delivers it: to every process of the command
        else:
            os.kill(proc.pid, signal.SIGINT if how == "SIGINT" else signal.SIGKILL)
        try:
            _out, err = proc.communicate(timeout=60)  # ends when every holder of its output is gone
        except subprocess.TimeoutExpired:
            raise AssertionError(f"no end 60 s after {how}:\n{hung(proc)}") from None
        left = running_in(proc.pid)
        return proc.returncode, err.decode("utf-8", "replace"), left, said
    finally:
        if proc.poll() is None or running_in(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


DUMPS = "import faulthandler, signal; faulthandler.register(signal.SIGUSR1, all_threads=True)\n"
"""Put before every driver: SIGUSR1 makes it write where each of its threads is (see hung)."""


def hung(proc: subprocess.Popen[bytes]) -> str:
    """Where a process that did not end sits: each thread's kernel state and signal masks, then its
    Python threads' stacks (faulthandler, on SIGUSR1), so a hang seen once in a full run is read."""
    state = kernel_state(proc.pid)
    with contextlib.suppress(OSError):
        os.kill(proc.pid, signal.SIGUSR1)
    try:
        _out, err = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _out, err = proc.communicate()
    return state + "\n" + err.decode("utf-8", "replace")


def kernel_state(pid: int) -> str:
    """Each thread of `pid`: where it sleeps in the kernel, its pending, blocked and caught signals."""
    lines = []
    for task in sorted(Path(f"/proc/{pid}/task").glob("*")):
        try:
            status = dict(line.split(":\t", 1) for line in (task / "status").read_text().splitlines() if ":\t" in line)
            wanted = ("Name", "State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt")
            masks = " ".join(f"{k}={status.get(k, '').strip()}" for k in wanted)
            lines.append(f"task {task.name} wchan={(task / 'wchan').read_text()} {masks}")
            with contextlib.suppress(OSError):
                lines.append((task / "stack").read_text())
        except OSError:
            continue
    return "\n".join(lines)


def running_in(session: int) -> list[str]:
    """Processes of a session that are still alive, waiting a while for those already ending."""
    for _ in range(300):
        alive = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:  # a process may end between any two reads (both files gone): it is not alive
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) == session and fields[0] != "Z":
                    alive.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
        if not alive:
            return []
        subprocess.run(["sleep", "0.1"], check=True)
    return alive
