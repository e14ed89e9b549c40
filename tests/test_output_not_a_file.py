"""`-o` naming a device or a pipe: `report monthly -o /dev/null` (as one silences a command) replaced
the system's /dev/null with a plain file of the report, since an output file is written whole by a
rename; every program after that wrote to /dev/null filled that file, and git failed reading it."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_output_into_a_pipe_writes_into_it_and_leaves_it_a_pipe(demo: Path, cli, tmp_path: Path) -> None:
    pipe = tmp_path / "out.csv"
    os.mkfifo(pipe)
    got: list[bytes] = []

    def read() -> None:
        with open(pipe, "rb") as fifo:
            got.append(fifo.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = cli("-C", str(demo), "export", "household", "-o", str(pipe))
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(pipe).st_mode), "the pipe was replaced by a file"
    reader.join(timeout=30)
    assert got and "户编号".encode() in got[0]
