"""Nothing lost, nothing silently wrong: a real gridctl killed at every step of a write and at random.

After each kill the next command (a read, then a write) must see the whole change or none of it:
the working tree equals HEAD, every record equals HEAD's, and nothing committed is ever reverted
by a later write. The kills are real (SIGKILL of a gridctl subprocess, at a step named through
GRIDCTL_TEST_CRASH, or after a random delay), on the bundled example community.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import git
from typer.testing import CliRunner

from gridctl.cli.main import app
from gridctl.ledger import cache as cache_module
from gridctl.ledger.crash import STEPS
from gridctl.ledger.files import GitTree
from gridctl.ledger.index import load
from gridctl.ledger.transaction import JOURNAL

from conftest import id_number

GRID_A, GRID_B = "110105017006001", "110105017006002"
LANDS = {"head", "file", "files", "index"}
"""Steps after HEAD moved: a kill there leaves a committed change that the next command finishes."""


def run(root: Path, *args: str, crash: str | None = None, env: dict[str, str] | None = None):
    full = {**os.environ, "GRIDCTL_WAIT": "60", **(env or {})}
    full.pop("GRIDCTL_TEST_CRASH", None)
    if crash:
        full["GRIDCTL_TEST_CRASH"] = crash
    return subprocess.run(
        [sys.executable, "-m", "gridctl", *args], cwd=root, env=full, capture_output=True, timeout=120, text=True
    )


def head(root: Path) -> str:
    return git.Repo(root).head.commit.hexsha


def assert_whole(root: Path) -> None:
    """The working tree is exactly HEAD (nothing half-written, no journal, no temp files)."""
    repo = git.Repo(root)
    assert repo.git.status("--porcelain", "--untracked-files=all") == ""
    assert not (Path(repo.git_dir) / JOURNAL).exists()


@dataclass
class Expected:
    """What HEAD must hold, given the writes that landed."""

    room: str = ""
    unit: str = ""
    grid: str = GRID_A
    people: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)
    retired: set[str] = field(default_factory=set)

    def check(self, root: Path) -> None:
        ledger, _ = load(root, GitTree(root, head(root)))
        assert ledger is not None
        h1 = ledger.get("H000001")
        assert h1 is not None and h1.record is not None
        address = h1.record.address  # type: ignore[union-attr]
        if self.room:
            assert address.room == self.room
        if self.unit:
            assert address.unit == self.unit
        h3 = ledger.get("H000003")
        assert h3 is not None and h3.record.grid == self.grid  # type: ignore[union-attr]
        assert h3.source.file == f"households/{self.grid}/H000003.yaml"
        names = {p.name for p, hid, _ in ledger.people()}
        assert self.people <= names and self.imported <= names
        titles = [e.record.title for e in ledger.by_kind["event"] if e.record is not None]  # type: ignore[union-attr]
        assert self.events <= set(titles)
        for hid in self.retired:
            gone = ledger.get(hid)
            assert gone is not None and gone.record.retired is not None, hid  # type: ignore[union-attr]
        ids = [e.id for e in ledger.entries]
        assert len(ids) == len(set(ids)), "an id was allocated twice"


def register(tmp: Path, n: int) -> Path:
    """A GBK register with one new household, as a clerk's sheet would bring it."""
    seq = f"{n:02d}1"  # odd: a man
    number = id_number("110105", "19900101", seq)
    path = tmp / f"register{n}.csv"
    path.write_bytes(
        (
            "所属网格,小区,楼栋,单元,房号,姓名,与户主关系,性别,公民身份号码,出生日期,人员类型\r\n"
            f"第一网格,幸福里小区,9号楼,1单元,{100 + n},导入{n},户主,男,{number},1990-01-01,户籍\r\n"
        ).encode("gbk")
    )
    return path


def command(kind: str, n: int, root: Path, expected: Expected) -> tuple[list[str], callable]:  # type: ignore[valid-type]
    """The command of a case and how it changes what HEAD must hold if it lands."""
    if kind == "edit":
        return ["edit", "H000001", "--set", f"address.room={700 + n}"], lambda: setattr(expected, "room", str(700 + n))
    if kind == "add person":
        args = ["add", "person", "--household", "H000002", "--set", f"name=新人{n}", "--set", "relation=子"]
        return args, lambda: expected.people.add(f"新人{n}")
    if kind == "move":
        to = GRID_B if expected.grid == GRID_A else GRID_A
        return ["move", "H000003", "--to", to], lambda: setattr(expected, "grid", to)
    if kind == "event report":
        args = ["event", "report", "--grid", GRID_A, "--type", "安全隐患", "--title", f"隐患{n}", "--by", "S0003"]
        return args, lambda: expected.events.add(f"隐患{n}")
    if kind == "retire":  # a household of its own each time, none of H000001-4 the others use
        hid = f"H{9 + n % 30:06d}"
        return ["retire", hid, "--reason", "全户迁出", "--date", "2026-11-01"], lambda: expected.retired.add(hid)
    if kind == "import":
        return ["import", "household", str(register(root.parent, n))], lambda: expected.imported.add(f"导入{n}")
    raise AssertionError(kind)


KINDS = ("edit", "add person", "move", "event report", "retire", "import")


def next_write(root: Path, n: int, expected: Expected) -> None:
    """The write after a kill: it must build on what landed, never revert it. It runs in this
    process, as a new one would (the packs read from disk): the command before it, a new gridctl,
    has already met the killed write."""
    cache_module._OPEN.clear()
    args = ["-C", str(root), "edit", "H000001", "--set", f"address.unit={n}单元"]
    done = CliRunner().invoke(app, args, env={"GRIDCTL_WAIT": "60", "GRIDCTL_TEST_CRASH": None})
    assert done.exit_code == 0, done.output
    expected.unit = f"{n}单元"


def test_a_kill_at_every_step_of_every_write_loses_nothing(demo: Path) -> None:
    expected = Expected()
    n = 0
    for kind in KINDS:
        for step in STEPS:
            n += 1
            before = head(demo)
            args, lands = command(kind, n, demo, expected)
            killed = run(demo, *args, crash=step)
            assert killed.returncode == -signal.SIGKILL, (kind, step, killed.stdout, killed.stderr)
            landed = head(demo) != before
            assert landed == (step in LANDS), (kind, step)
            if landed:
                lands()
            read = run(demo, "status")  # the next command, a read, finishes the write first
            assert read.returncode == 0, read.stderr
            assert_whole(demo)
            expected.check(demo)
            next_write(demo, n, expected)
            assert_whole(demo)
            expected.check(demo)
    assert run(demo, "validate").returncode == 0
    assert "error" not in git.Repo(demo).git.fsck("--full", with_extended_output=True)[2].lower()


def test_kills_at_random_moments_lose_nothing(demo: Path) -> None:
    rng = random.Random(20261130)
    expected = Expected()
    env = {**os.environ, "GRIDCTL_WAIT": "60"}
    env.pop("GRIDCTL_TEST_CRASH", None)
    for n in range(1, 21):
        kind = KINDS[n % len(KINDS)]
        before = head(demo)
        args, lands = command(kind, 100 + n, demo, expected)
        proc = subprocess.Popen(
            [sys.executable, "-m", "gridctl", *args],
            cwd=demo,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 0.6))
        proc.kill()
        proc.wait()
        read = run(demo, "validate")
        assert read.returncode == 0, read.stdout
        if head(demo) != before:
            lands()
        assert_whole(demo)
        expected.check(demo)
        next_write(demo, 100 + n, expected)
        expected.check(demo)


def test_the_next_command_removes_only_the_index_lock_the_killed_write_took(demo: Path) -> None:
    """A write killed after taking git's index lock and before its journal named it (a random kill
    under load found it) left an index.lock no command removed: every later write said "git left a
    lock file". Now the journal comes first and the lock holds its token; a lock git itself took
    since (holding an index) is left alone."""
    before = head(demo)
    killed = run(demo, "edit", "H000001", "--set", "address.room=811", crash="gitlock")
    assert killed.returncode == -signal.SIGKILL
    assert (demo / ".git" / "index.lock").exists()
    assert run(demo, "status").returncode == 0
    assert not (demo / ".git" / "index.lock").exists() and head(demo) == before
    assert_whole(demo)

    killed = run(demo, "edit", "H000001", "--set", "address.room=812", crash="journal")
    assert killed.returncode == -signal.SIGKILL and (demo / ".git" / JOURNAL).exists()
    (demo / ".git" / "index.lock").write_bytes(b"DIRC\x00\x00\x00\x02")  # a git command of the clerk's, busy
    assert run(demo, "status").returncode == 0
    assert (demo / ".git" / "index.lock").exists() and not (demo / ".git" / JOURNAL).exists()
    refused = run(demo, "--lang", "en", "edit", "H000001", "--set", "address.room=813")
    assert refused.returncode == 2 and "index.lock" in refused.stderr
    (demo / ".git" / "index.lock").unlink()
    next_write(demo, 814, Expected())
    assert_whole(demo)


def test_ctrl_c_after_the_commit_is_finished_by_the_next_command(demo: Path) -> None:
    before = head(demo)
    stopped = run(demo, "edit", "H000001", "--set", "address.room=808", crash="head@INT")
    assert stopped.returncode == 130
    assert head(demo) != before
    assert run(demo, "show", "H000001").returncode == 0
    assert_whole(demo)
    assert "808" in (demo / "households" / GRID_A / "H000001.yaml").read_text(encoding="utf-8")


def test_a_full_disk_after_the_commit_says_so_and_the_next_command_finishes(demo: Path) -> None:
    before = head(demo)
    failed = run(demo, "--lang", "en", "edit", "H000001", "--set", "address.room=809", crash="file@ENOSPC")
    assert failed.returncode == 2
    assert "committed" in failed.stderr and "could not all be written" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert head(demo) != before
    nxt = run(demo, "edit", "H000002", "--set", "address.room=810")
    assert nxt.returncode == 0, nxt.stderr
    assert_whole(demo)
    assert "809" in (demo / "households" / GRID_A / "H000001.yaml").read_text(encoding="utf-8")


def big_register(tmp: Path, n: int, count: int) -> Path:
    """A GBK register of `count` new one-person households: a write of that many files at once."""
    path = tmp / f"big{n}.csv"
    lines = ["所属网格,小区,楼栋,单元,房号,姓名,与户主关系,性别,公民身份号码,出生日期,人员类型"]
    for k in range(count):
        number = id_number("110105", "19850101", f"{n}{2 * k + 1:02d}")  # odd: a man
        lines.append(f"第一网格,幸福里小区,12号楼,{n}单元,{100 + k},批量{n}号{k},户主,男,{number},1985-01-01,户籍")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def test_a_kill_while_a_big_import_writes_its_files_loses_nothing(demo: Path) -> None:
    """From 32 files a write stages them all, flushes once and renames them in turn (gridctl.ledger.
    durable): killed between two renames, or out of room at one, the next command finishes every
    file and leaves no temp file behind."""
    count = 40
    for n, crash in enumerate(("file:1", "file:20", f"file:{count}", "files", "file:7@ENOSPC"), start=1):
        before = head(demo)
        killed = run(demo, "--lang", "en", "import", "household", str(big_register(demo.parent, n, count)),
                     crash=crash)  # fmt: skip
        if crash.endswith("@ENOSPC"):
            assert killed.returncode == 2 and "could not all be written" in killed.stderr, killed.stderr
        else:
            assert killed.returncode == -signal.SIGKILL, (crash, killed.stdout, killed.stderr)
        assert head(demo) != before, crash
        if crash in ("file:1", "file:20"):  # the files after it were staged, to be finished
            assert list(demo.rglob(".gridctl-*.tmp")), crash
        read = run(demo, "status")
        assert read.returncode == 0, read.stderr
        assert_whole(demo)
        assert not list(demo.rglob(".gridctl-*.tmp"))
        ledger, _ = load(demo, GitTree(demo, head(demo)))
        assert ledger is not None
        names = {p.name for p, _hid, _ in ledger.people()}
        assert {f"批量{n}号{k}" for k in range(count)} <= names, crash
        on_disk = sum(f"批量{n}号" in p.read_text(encoding="utf-8") for p in (demo / "households").rglob("H*.yaml"))
        assert on_disk == count, crash
    assert run(demo, "validate").returncode == 0


def test_a_read_after_a_move_killed_half_way_sees_the_whole_ledger(demo: Path) -> None:
    """The old file is gone and the new one not yet written: status, show and validate finish it first."""
    assert run(demo, "edit", "H000004", "--set", "assigned_to=S0003").returncode == 0  # 包户 serving both grids
    counted = run(demo, "status").stdout
    killed = run(demo, "move", "H000004", "--to", GRID_B, crash="file:1")
    assert killed.returncode == -signal.SIGKILL
    assert not (demo / "households" / GRID_A / "H000004.yaml").exists()
    assert not (demo / "households" / GRID_B / "H000004.yaml").exists()
    assert run(demo, "status").stdout == counted
    shown = run(demo, "show", "H000004")
    assert shown.returncode == 0 and GRID_B in shown.stdout
    assert run(demo, "validate").returncode == 0
    assert_whole(demo)


def test_concurrent_writers_lose_nothing_and_allocate_each_id_once(demo: Path) -> None:
    """4 writers × 25 mixed writes: every success is in HEAD, commits = successes, no id twice."""
    import threading

    start = head(demo)
    results: list[tuple[str, list[str], int]] = []
    lock = threading.Lock()

    def writer(w: int) -> None:
        for i in range(25):
            tag = f"w{w}n{i}"
            pick = (w + i) % 4
            if pick == 0:
                args = [
                    "add",
                    "person",
                    "--household",
                    f"H00001{w}",
                    "--set",
                    f"name=并发{tag}",
                    "--set",
                    "relation=子",
                ]
            elif pick == 1:
                args = ["edit", f"H00002{w}", "--set", f"address.room={tag}"]
            elif pick == 2:
                args = [
                    "event",
                    "report",
                    "--grid",
                    GRID_A,
                    "--type",
                    "安全隐患",
                    "--title",
                    f"并发{tag}",
                    "--by",
                    "S0003",
                ]
            else:
                args = ["inspect", GRID_B, "--by", "S0003", "--all-ok", "--date", "2026-11-30"]
            done = run(demo, "--wait", "120", *args)
            with lock:
                results.append((tag, args, done.returncode))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [r for r in results if r[2] == 0]
    assert len(results) == 100
    assert len(ok) == 100, [r for r in results if r[2] != 0][:3]
    commits = int(git.Repo(demo).git.rev_list("--count", f"{start}..HEAD"))
    assert commits == len(ok)
    ledger, _ = load(demo, GitTree(demo, head(demo)))
    assert ledger is not None
    names = {p.name for p, _h, _s in ledger.people()}
    titles = {e.record.title for e in ledger.by_kind["event"] if e.record is not None}  # type: ignore[union-attr]
    for tag, args, _code in ok:
        if args[0] == "add":
            assert f"并发{tag}" in names
        elif args[0] == "event":
            assert f"并发{tag}" in titles
    for w in range(4):  # each writer's last edit of its own household is what HEAD holds
        last = [tag for tag, args, _ in ok if args[0] == "edit" and args[1] == f"H00002{w}"][-1]
        entry = ledger.get(f"H00002{w}")
        assert entry is not None and entry.record.address.room == last  # type: ignore[union-attr]
    inspections = sum(1 for _t, args, _c in ok if args[0] == "inspect")
    made = [e for e in ledger.by_kind["inspection"] if e.record is not None and str(e.record.date) == "2026-11-30"]
    assert len(made) == inspections
    ids = [e.id for e in ledger.entries]
    assert len(ids) == len(set(ids))
    assert_whole(demo)
