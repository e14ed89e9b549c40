"""Adversary's findings on a day written wrong, Ctrl-C, a log of a partial clone, and encrypt's cache."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import AUTHOR_ENV, gridctl


def _head(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_a_day_with_spaces_or_without_its_year_is_told_rightly(repo: Path) -> None:
    """A day written with spaces (which the day forms allow) is told as a day written wrong, also
    with a time after it; a day without its year never suggests a day that is not one; year 0 is
    no year; a one-digit hour (9:30) is a time."""
    before = _head(repo)
    cases = {
        "2026 - 02 - 30": ("2026年2月没有30日", "2026-02 has no day 30"),
        "2026 年 2 月 30 日 09:30": ("2026年2月没有30日", "2026-02 has no day 30"),
        "2月30日": ("2026年2月没有30日", "2026-02 has no day 30"),
        "12-32": ("2026年12月没有32日", "2026-12 has no day 32"),
        "0000-01-01": ("没有0年", "there is no year 0"),
    }
    env = {"GRIDCTL_TODAY": "2026-03-05", "PYTHONIOENCODING": "gbk"}
    for when, (zh, en) in cases.items():
        code, _out, err = gridctl("--lang", "zh", "log", "--since", when, cwd=repo, env=env, encoding="gbk")
        assert code == 2 and zh in err and "Traceback" not in err, (when, err)
        assert "2026年2月30日 这样" not in err and "2026年12月32日" not in err, err
        code, _out, err = gridctl("--lang", "en", "retire", "H000001", "--reason", "x", "--date", when,
                                  cwd=repo, env=env, encoding="gbk")  # fmt: skip
        assert code == 2 and en in err and "--date" in err, (when, err)
        assert "write it as 2026-02-30" not in err and "2026-12-32" not in err, err
    for when in ("2026/3/5 9:30", "2026 年 3 月 5 日 9:30"):
        code, _out, err = gridctl("--lang", "en", "log", "--since", when, cwd=repo, env=env, encoding="gbk")
        assert code == 0, (when, err)
    assert _head(repo) == before
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == ""


def test_ctrl_c_after_the_commit_landed_is_said_once(repo: Path) -> None:
    """Ctrl-C while a write's files are written: the commit is in, and the clerk is told so, not
    also "已中止" (which says the change was not made, so a clerk would make it again)."""
    env = {"GRIDCTL_TEST_CRASH": "head@INT"}
    code, _out, err = gridctl("--lang", "zh", "edit", "H000001", "--set", "address.room=302", cwd=repo, env=env)
    assert code == 130 and "已提交" in err and "Traceback" not in err, err
    assert "已中止" not in err, err
    code, _out, err = gridctl("--lang", "en", "status", cwd=repo)  # finishes the files
    assert "Aborted" not in err
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == ""


def test_ctrl_c_at_a_prompt_is_a_stop_like_any_other(repo: Path) -> None:
    """inspect asks for the items not answered on a terminal; Ctrl-C there exits 130 with "Aborted."
    (it said "Aborted!" and exited 1, as if the command had found problems) and writes nothing."""
    import os
    import pty
    import sys
    import time

    before = _head(repo)
    for lang, word in (("en", b"Aborted."), ("zh", "已中止".encode())):
        pid, fd = pty.fork()
        if pid == 0:  # the child: gridctl on a terminal
            os.chdir(repo)
            from stopping import DUMPS  # where it sits, should it not answer (see _read_until)

            main = DUMPS + "import runpy; runpy.run_module('gridctl', run_name='__main__', alter_sys=True)"
            os.execv(sys.executable, [sys.executable, "-c", main, "--lang", lang, "inspect", "110105001001001",
                                      "--by", "S0001"])  # fmt: skip
        said = _read_until(fd, pid, lambda got: b"[o=" in got)
        time.sleep(0.3)  # as a clerk reads the question: a Ctrl-C in the microseconds between the question
        # and Python's input() beginning to read is only seen once a line is typed (CPython; 1 in 25 here)
        _reading(pid)  # and on a loaded machine, 0.3 s may not be enough: until it waits on the terminal
        os.write(fd, b"\x03")  # Ctrl-C typed at the prompt: the terminal sends SIGINT
        said += _read_until(fd, pid, lambda got: False)  # to the end of its output
        _pid, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 130, said
        assert said.count(word) == 1 and b"Aborted!" not in said and b"Traceback" not in said, said
    assert _head(repo) == before


def _reading(pid: int, seconds: float = 30) -> None:
    """Wait until the process sleeps in a read of its terminal (/proc/PID/wchan), or `seconds` pass."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/wchan", encoding="ascii") as handle:
                where = handle.read()
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state == "S" and ("tty" in where or "wait_woken" in where or "poll" in where or "select" in where):
            return
        time.sleep(0.02)


def _read_until(fd: int, pid: int, done, seconds: float = 60) -> bytes:  # type: ignore[no-untyped-def]
    """What a process on a terminal says until `done(said)` or its end; a process that neither ends
    nor says it within `seconds` is killed and the test fails (it hung the whole suite once)."""
    import contextlib
    import os
    import select
    import signal
    import time

    said, end = b"", time.monotonic() + seconds
    while not done(said):
        ready, _w, _x = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            from stopping import kernel_state

            state = kernel_state(pid)
            os.kill(pid, signal.SIGUSR1)  # its Python stacks, to its terminal (stopping.DUMPS)
            time.sleep(1)
            with contextlib.suppress(OSError):
                state += "\n" + os.read(fd, 65536).decode("utf-8", "replace")
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"no answer in {seconds} s: {said!r}\n{state}")
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        said += chunk
    return said


def test_a_filtered_log_of_a_partial_clone_still_tells_the_change(repo: Path, tmp_path: Path) -> None:
    """A household's earlier version missing from the clone (clone --filter=blob:none, offline):
    `log --kind household` and `log --grid G` tell the commit as a changed file, as `log` does;
    they left it out, as if the household had never changed."""
    code, _out, err = gridctl("edit", "H000001", "--set", "address.room=302", cwd=repo, env=AUTHOR_ENV)
    assert code == 0, err
    subprocess.run(["git", "config", "uploadpack.allowFilter", "true"], cwd=repo, check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{repo}", str(clone)], check=True)
    subprocess.run(["git", "config", "remote.origin.url", f"file://{tmp_path}/gone"], cwd=clone, check=True)
    said = "changed file households/110105001001001/H000001.yaml"
    for options in ((), ("--kind", "household"), ("--grid", "110105001001001")):
        code, out, err = gridctl("--lang", "en", "log", *options, cwd=clone)
        assert code == 0 and said in out, (options, out, err)
    code, out, _err = gridctl("--lang", "en", "log", "--kind", "staff", cwd=clone)
    assert said not in out


def test_a_read_running_while_encrypt_seals_keeps_nothing_plain(demo: Path) -> None:
    """A long read began before `gridctl encrypt` (another window) and saves its cache after
    encrypt dropped the plain one: what it made of the plain files (rows with residents' numbers)
    must not come back under .git/gridctl."""
    from test_encryption import secrets_of

    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load

    from conftest import env, identity

    secrets = secrets_of(demo)
    ledger, _ = load(demo, WorkTree(demo))  # opened before encrypt, as the other window's status
    assert ledger is not None
    assert any(row.get("id_number") for _house, row in ledger.row_dicts("person"))  # its rows, of the plain files
    private, _public = identity()
    sealed = gridctl("-C", str(demo), "encrypt", "--name", "王芳", env=env({"GRIDCTL_IDENTITY": private}))
    assert sealed[0] == 0, sealed
    ledger.remember()  # and the other window saves its cache once encrypt is done
    kept = [p for p in (demo / ".git" / "gridctl").rglob("*") if p.is_file() and not p.name.startswith("log-")]
    leaked = [(s, p.name) for p in kept for s in secrets if s.encode() in p.read_bytes()]
    assert not leaked, leaked[:3]
