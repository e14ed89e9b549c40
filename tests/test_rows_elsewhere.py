"""The rows of a whole kind made on every core (gridctl.prefetch.parallel_rows) when no cache holds
them, as after gridctl changed: what `status` and `list` print must be what one core prints.

The workers start only for thousands of files; here the thresholds are lowered so the bundled
example takes the same path a town of 100,000 households does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gridctl import prefetch
from gridctl.ledger import index

READS = (
    ("status", "--format", "json"),
    ("list", "household", "--format", "json"),
    ("list", "person", "--format", "json"),
    ("list", "place", "--format", "json"),
)


def cache_of(root: Path) -> Path:
    return root / ".git" / "gridctl"


def run_all(cli, root: Path, env: dict[str, str] | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for args in READS:
        result = cli("-C", str(root), "--lang", "en", *args, env=env)
        assert result.exit_code in (0, 1), result.output
        out.append(result.stdout)
    return out


def test_rows_made_on_every_core_are_the_rows_made_here(
    demo: Path, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    one_core = run_all(cli, demo, {"GRIDCTL_WORKERS": "1", "GRIDCTL_NO_CACHE": "1"})
    monkeypatch.setattr(prefetch, "MIN_FILES", 5)
    monkeypatch.setattr(index, "RELEASE", 5)
    asked: list[int] = []
    real = prefetch.parallel_rows

    def counted(root, files, *settings):  # type: ignore[no-untyped-def]
        reader = real(root, files, *settings)
        return None if reader is None else (lambda rels: asked.append(len(rels)) or reader(rels))

    monkeypatch.setattr(prefetch, "parallel_rows", counted)
    with_rows: list[str] = []
    reading = prefetch.parallel_reader

    def reads(root, files, rows=False, *settings):  # type: ignore[no-untyped-def]
        reader = reading(root, files, rows, *settings)
        if reader is None:
            return None

        def read(rels):  # type: ignore[no-untyped-def]
            for item in reader(rels):
                if item[3] is not None:
                    with_rows.append(item[0])
                yield item

        return read

    monkeypatch.setattr(prefetch, "parallel_reader", reads)
    for first in ("validate", "status"):  # rows asked after a validate, and by the first command itself
        copy = tmp_path / first  # a ledger this process never opened: its cache is new on disk and here
        shutil.copytree(demo, copy, symlinks=True)
        shutil.rmtree(cache_of(copy), ignore_errors=True)
        asked.clear()
        with_rows.clear()
        cli("-C", str(copy), "--lang", "en", first, env={"GRIDCTL_WORKERS": "2"})
        assert run_all(cli, copy, {"GRIDCTL_WORKERS": "2"}) == one_core
        if first == "validate":  # a validate makes the rows its checks read; the reads after it, the rest
            made = {rel.split("/")[0] for rel in with_rows}
            assert made == {"places", "staff", "events", "inspections", "visits"}, made  # (prefetch.ROW_KINDS)
            households = len(list((copy / "households").rglob("*.yaml")))
            assert asked and sum(asked) >= households, asked
        else:  # the first status makes them as it reads each file for its checks
            assert len(with_rows) > 200 and sum(asked) < 10, (len(with_rows), asked)
        assert run_all(cli, copy) == one_core  # read back from what the workers made


@pytest.mark.parametrize("workers", [True, False])
def test_rows_of_a_file_edited_mid_read_are_not_kept(
    demo: Path, monkeypatch: pytest.MonkeyPatch, workers: bool
) -> None:
    """A clerk saves a household in an editor while a long `status` reads rows: what that run read
    of the file is its own, never kept under the content id listed before (put back with `git
    checkout`, the file would have shown the edit's values from the cache ever after)."""
    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load

    from conftest import gridctl

    monkeypatch.setattr(prefetch, "MIN_FILES", 5 if workers else 10**9)
    monkeypatch.setattr(index, "RELEASE", 5)
    target = next(p for p in (demo / "households").rglob("*.yaml") if "housing: 自有" in p.read_text("utf-8"))
    before = target.read_bytes()
    cold = gridctl("--lang", "en", "list", "household", "--format", "json", cwd=demo, env={"GRIDCTL_NO_CACHE": "1"})
    assert gridctl("--lang", "en", "validate", cwd=demo)[0] in (0, 1)  # columns kept, no rows yet
    ledger, _ = load(demo, WorkTree(demo))
    assert ledger is not None
    target.write_bytes(before.replace("housing: 自有".encode(), "housing: 租住".encode()))  # saved in the editor
    assert any(row.get("housing") == "租住" for _house, row in ledger.row_dicts("household"))
    ledger.remember()
    target.write_bytes(before)  # and put back
    warm = gridctl("--lang", "en", "list", "household", "--format", "json", cwd=demo)
    assert warm == cold


def test_status_counts_people_as_their_person_rows_would(demo: Path) -> None:
    """`status` counts people from their households' rows: the same numbers as from every person's
    own row, with a member moved out, a household retired, one broken and tags on both."""
    from collections import Counter

    from gridctl.ledger.files import WorkTree
    from gridctl.ledger.index import load
    from gridctl.views import status

    files = sorted((demo / "households").rglob("*.yaml"))
    moved_out, retired, broken = files[1], files[2], files[3]
    text = moved_out.read_text("utf-8")
    at = text.index("    residence:", text.index("  - id:", text.index("  - id:") + 1))
    moved_out.write_text(text[:at] + "    retired: {date: 2026-05-01, reason: 迁出}\n" + text[at:], "utf-8")
    retired.write_text(retired.read_text("utf-8") + "retired: {date: 2026-05-02, reason: 整户迁出}\n", "utf-8")
    broken.write_text(broken.read_text("utf-8").replace("housing:", "housing: [不是一个值]\nx_housing:"), "utf-8")
    tagged = files[4]
    with_tag = tagged.read_text("utf-8").replace("    residence: 户籍", "    residence: 户籍\n    tags: [独居老人]", 1)
    tagged.write_text(with_tag, "utf-8")

    ledger, _ = load(demo, WorkTree(demo))
    assert ledger is not None
    told = status(ledger, 0, 0, "2026-11-30")

    active = {h["id"] for _house, h in ledger.row_dicts("household") if h.get("retired") is None}
    people = [p for house, p in ledger.row_dicts("person") if p.get("retired") is None and house in active]
    assert told.people == len(people) > 0
    assert told.residence == Counter(p.get("residence") or "未填" for p in people)
    tags = Counter(t for p in people for t in p.get("tags") or ())
    assert tags["独居老人"] >= 1
    assert all(told.care_groups[t] >= n for t, n in tags.items())
    assert any(p["id"] for house, p in ledger.row_dicts("person") if p.get("retired"))  # the member moved out


DRIVER_HEAD = """
import sys, time
from gridctl import prefetch

prefetch.MIN_FILES = 5
prefetch.CHUNK = 4
real = prefetch._on_workers
"""
DRIVER_TAIL = """
prefetch._on_workers = paused
sys.argv = ["gridctl", "--lang", "en", *sys.argv[1:]]
from gridctl.cli.main import run

run()
"""
"""How the drivers below start (a cold read on every core, in small chunks) and end (run gridctl)."""

READ_DRIVER = (
    DRIVER_HEAD
    + """

def paused(*args):
    for n, done in enumerate(real(*args)):
        if n == 1:
            print("paused", flush=True)
            time.sleep(600)
        yield done

"""
    + DRIVER_TAIL
)


@pytest.mark.parametrize("how", ["Ctrl-C", "SIGKILL"])
def test_a_read_stopped_on_every_core_leaves_nothing_running(demo: Path, how: str) -> None:
    """A cold read on every core, stopped by Ctrl-C or killed outright (a CI timeout): no traceback,
    and its workers end with it."""
    import signal

    from stopping import stopped

    code, err, left, _said = stopped(demo, READ_DRIVER, ["validate"], how)
    assert left == []
    assert "Traceback" not in err
    assert code == (130 if how == "Ctrl-C" else -signal.SIGKILL)
    assert ("Aborted." in err) == (how == "Ctrl-C")  # the clerk is told the command stopped


STUCK_DRIVER = (
    DRIVER_HEAD
    + """STUCK = set()
TASK = []


def stuck(job):
    if repr(job[-1][0]) in STUCK:  # a worker that never finishes its chunk (as one deadlocked at its fork)
        time.sleep(600)
    return TASK[0](job)


def paused(root, read, rels, task):
    TASK.append(task)
    STUCK.update(repr(rels[i]) for i in range(8, len(rels), 4))  # every chunk but the first two
    for n, done in enumerate(real(root, read, rels, stuck)):
        if n == 1:
            print("paused", flush=True)
            time.sleep(600)
        yield done

"""
    + DRIVER_TAIL
)


def test_ctrl_c_ends_a_read_whose_workers_are_stuck(demo: Path) -> None:
    """Ctrl-C in a cold read whose workers never finish their chunks (the full suite once saw a worker
    hang so): the command said Aborted. and then waited for them for ever, the terminal held. Its
    workers are now ended with it."""
    from stopping import stopped

    code, err, left, _said = stopped(demo, STUCK_DRIVER, ["validate"], "Ctrl-C")
    assert code == 130 and "Aborted." in err and "Traceback" not in err, err
    assert left == []


def test_a_link_out_of_the_ledger_is_never_read_on_every_core(
    demo: Path, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A household file that is a symlink to a file outside the ledger: the workers of a cold read
    read through it (the outside file's people entered the ledger, and validate said GC240 where
    one core said GC008). They leave such a file to the main process, which refuses it."""
    folder = next((demo / "households").iterdir())
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(
        next(folder.glob("*.yaml")).read_text("utf-8").replace('id: "H0', 'id: "H9').replace('id: "P0', 'id: "P9'),
        "utf-8",
    )
    (folder / "H999999.yaml").symlink_to(outside)
    alone = cli("-C", str(demo), "--lang", "en", "validate", env={"GRIDCTL_WORKERS": "1", "GRIDCTL_NO_CACHE": "1"})
    assert "GC008" in alone.stdout
    monkeypatch.setattr(prefetch, "MIN_FILES", 5)
    monkeypatch.setattr(index, "RELEASE", 5)
    shared = cli("-C", str(demo), "--lang", "en", "validate", env={"GRIDCTL_WORKERS": "2", "GRIDCTL_NO_CACHE": "1"})
    assert shared.stdout == alone.stdout and shared.exit_code == alone.exit_code
    listed = cli("-C", str(demo), "--lang", "en", "list", "household", env={"GRIDCTL_WORKERS": "2"})
    assert "H9" not in listed.stdout
