"""`gridctl log` stopped half-way (Ctrl-C, a killed process) and `--as-of` where the ledger is not
its own repository: nothing left running, no traceback, no history of another repository."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import stopping

from conftest import COMMUNITY, GRID, SETTINGS, STAFF, gridctl, household, id_number, make_ledger

GRID_ID = "110105001001001"

DRIVER = """
import sys, time
from concurrent.futures import wait
from gridctl.history import describing

describing.BATCH = 2
describing.FORKED_FROM = 2
where = sys.argv[1]
name = "_send" if where == "first batch" else "finish"
real = getattr(describing.Describer, name)


def paused(self, *args):
    done = real(self, *args) if where == "first batch" else None
    if where == "first batch" and not done:
        return done
    wait([f for _, f in self.sent])  # the worker has done its batches and waits for more
    print("paused", len(self.sent), flush=True)
    time.sleep(600)
    return done if where == "first batch" else real(self, *args)


setattr(describing.Describer, name, paused)
sys.argv = ["gridctl", "--lang", "en", "log"]
from gridctl.cli.main import run

run()
"""


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 commits, each with a long reason: git log writes far more than a pipe holds."""
    root = tmp_path_factory.mktemp("long") / "ledger"
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    stream = []

    def blob(path: str, text: str) -> None:
        data = text.encode()
        stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    files = {
        "gridctl.yaml": SETTINGS,
        "grids/110105001001.yaml": COMMUNITY,
        f"grids/{GRID_ID}.yaml": GRID,
        "staff/S0001.yaml": STAFF.format(id="S0001", name="王芳", gender="女", phone="13800138000"),
        "staff/S0002.yaml": STAFF.format(id="S0002", name="李强", gender="男", phone="13900139000"),
    }
    for n in range(1, 601):
        message = (f"登记 H{n:06d}\n\n" + "入户核实，材料齐全。" * 20).encode()
        when = 1767225600 + n * 60
        stream.append(f"commit refs/heads/main\ncommitter 王芳 <wf@example.cn> {when} +0800\n".encode())
        stream.append(f"data {len(message)}\n".encode() + message + b"\n")
        for path, text in files.items() if n == 1 else ():
            blob(path, text)
        blob(f"households/{GRID_ID}/H{n:06d}.yaml", household(f"H{n:06d}", f"P{n:07d}", id_number(seq=f"{n:03d}")))
        stream.append(b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=root, check=True)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=root, check=True)
    return root


def stopped(root: Path, where: str, how: str) -> tuple[int, str, list[str]]:
    """A real `gridctl log` paused with its worker started, then signalled; (exit code, stderr,
    processes of its session still running once its output ended)."""
    code, err, left, said = stopping.stopped(root, DRIVER, [where], how)
    assert int(said[1]) > 0, said  # batches really went to a worker
    return code, err, left


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a forked worker: Linux")
def test_ctrl_c_while_the_worker_waits_shows_no_traceback(long_history: Path) -> None:
    code, err, left = stopped(long_history, "finish", "Ctrl-C")
    assert "Traceback" not in err, err
    assert code == 130
    assert left == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a forked worker: Linux")
def test_a_log_stopped_while_git_still_writes_ends(long_history: Path) -> None:
    """An interrupt to gridctl alone (an editor's stop button, `kill -INT`): git log is still
    writing; the worker must not hold git's pipe, or closing it never ends git and gridctl waits forever."""
    code, err, left = stopped(long_history, "first batch", "SIGINT")
    assert code == 130 and "Traceback" not in err, err
    assert left == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a forked worker: Linux")
def test_a_killed_log_leaves_no_worker_running(long_history: Path) -> None:
    """The main process killed outright (the OOM killer, a CI timeout): its worker and the git
    processes end too, and whoever reads gridctl's output sees it end."""
    code, _err, left = stopped(long_history, "first batch", "SIGKILL")
    assert code == -signal.SIGKILL
    assert left == []


STUCK_DRIVER = """
import sys, time
from gridctl.history import describing

describing.BATCH = 2
describing.FORKED_FROM = 2


def stuck(root, commits):  # a worker that never finishes its batch (as one deadlocked at its fork)
    print("paused", 1, flush=True)
    time.sleep(600)


describing.describe_elsewhere = stuck
sys.argv = ["gridctl", "--lang", "en", "log"]
from gridctl.cli.main import run

run()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a forked worker: Linux")
def test_ctrl_c_ends_a_log_whose_worker_is_busy(long_history: Path) -> None:
    """Ctrl-C in a log whose worker was describing a batch (here one it never finishes): the log said
    Aborted. and then waited for the worker to finish it, the terminal held. The worker is now ended
    with the log."""
    code, err, left, _said = stopping.stopped(long_history, STUCK_DRIVER, [], "Ctrl-C")
    assert code == 130 and err.endswith("Aborted.\n") and "Traceback" not in err, err
    assert left == []


def test_as_of_in_a_ledger_inside_another_repository(tmp_path: Path) -> None:
    """A ledger folder without its own .git inside another repository (a documents folder kept in
    git): a revision is not looked up in the history of the repository around it."""
    outer = tmp_path / "documents"
    outer.mkdir()
    (outer / "notes.txt").write_text("会议记录\n", encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@example.cn"}
    env |= {"GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@example.cn"}
    subprocess.run(["git", "init", "-q"], cwd=outer, check=True)
    subprocess.run(["git", "add", "-A"], cwd=outer, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "notes"], cwd=outer, check=True, env={**os.environ, **env})
    ledger = make_ledger(outer / "ledger")
    for args in (
        ("diff", "HEAD"),
        ("list", "grid", "--as-of", "HEAD"),
        ("list", "grid", "--as-of", "2099-01-01"),
        ("validate", "--changed-since", "HEAD"),
    ):
        code, out, err = gridctl("--lang", "en", *args, cwd=ledger)
        assert code == 2, (args, out, err)
        assert "is not a git repository" in err, (args, err)
    code, _out, err = gridctl("--lang", "zh", "list", "grid", "--as-of", "2026-01-05", cwd=ledger)
    assert code == 2 and "不是 git 仓库" in err


def test_a_date_in_a_ledger_without_commits_says_so(ledger: Path) -> None:
    """Not "no such revision: 2026-01-05 — write a date": the clerk did; there is no commit yet."""
    subprocess.run(["git", "init", "-q"], cwd=ledger, check=True)
    for args in (("list", "grid", "--as-of", "2026年1月5日"), ("diff", "HEAD")):
        code, _out, err = gridctl("--lang", "zh", *args, cwd=ledger)
        assert code == 2 and "台账还没有任何提交" in err, (args, err)
        assert "没有这个版本" not in err
