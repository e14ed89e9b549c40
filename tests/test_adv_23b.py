"""Adversarial tests of the reads on every core (gridctl.prefetch): rows made on the workers, a
status read cold, files edited while a long read runs. Warm output must be cold output.

The workers start only for thousands of files; the thresholds are lowered so the bundled example
takes the path a town of 100,000 households does.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from warmcold import COLD, run

from gridctl import prefetch
from gridctl.ledger import index

WARM = {"GRIDCTL_NO_CACHE": "", "GRIDCTL_WALK": "0", "GRIDCTL_WORKERS": "2"}


@pytest.mark.parametrize("first", ["status", "list person"])
def test_settings_edited_while_workers_read_are_never_kept_under_the_settings_before(
    demo: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """The clerk tries an alias in gridctl.yaml while a long cold `status` (or `list person`)
    runs on every core, then puts the file back. The workers read the records with the new
    settings; what they made was kept under the settings the main process had read, so every
    later status counted 本市户籍 as 流动 (and validate warned of floating residents without a
    category) for as long as gridctl.yaml stayed as before."""
    for path in (demo / "households").rglob("*.yaml"):
        path.write_text(path.read_text("utf-8").replace("residence: 户籍", "residence: 本市户籍"), "utf-8")
    settings = demo / "gridctl.yaml"
    plain = settings.read_text("utf-8")
    before = plain + "aliases: {residence_types: {本市户籍: 户籍}}\n"
    tried = plain + "aliases: {residence_types: {本市户籍: 流动}}\n"
    settings.write_text(before, "utf-8")
    subprocess.run(["git", "-C", str(demo), "commit", "-qam", "本市户籍"], check=True)
    reads = [("status", "--format", "json"), ("list", "person", "--format", "json"), ("validate",)]
    cold = [run(demo, COLD, *args) for args in reads]
    assert '"户籍": ' in cold[0][1] and "GC261" not in cold[2][1]

    monkeypatch.setattr(prefetch, "MIN_FILES", 5)
    monkeypatch.setattr(index, "RELEASE", 5)
    if first == "list person":  # the files' facts are kept first: only the rows are made on the workers
        assert run(demo, WARM, "validate")[0] == 0
    real = prefetch._on_workers

    def edited_meanwhile(*args):  # type: ignore[no-untyped-def]
        settings.write_text(tried, "utf-8")  # saved in the editor as the workers start
        yield from real(*args)

    monkeypatch.setattr(prefetch, "_on_workers", edited_meanwhile)
    assert run(demo, WARM, *first.split())[0] in (0, 1)
    monkeypatch.setattr(prefetch, "_on_workers", real)
    settings.write_text(before, "utf-8")  # and put back
    assert [run(demo, WARM, *args) for args in reads] == cold


def killed(_job: object) -> bytes:
    """A worker's task as the out-of-memory killer ends it."""
    os.kill(os.getpid(), signal.SIGKILL)
    return b""


@pytest.mark.parametrize("task", ["_read_chunk", "_rows_chunk"])
def test_a_worker_killed_mid_read_leaves_its_files_to_the_main_process(
    demo: Path, monkeypatch: pytest.MonkeyPatch, task: str
) -> None:
    """At 100,000 households the system's out-of-memory killer picks one of eight workers: the
    clerk's status ended in 'internal error: A process in the process pool was terminated
    abruptly' (exit 3). The files that worker (and those after it) had to read are read by the
    main process, as with one core, and status says what a cold run says."""
    reads = [("status", "--format", "json"), ("list", "person", "--format", "json")]
    cold = [run(demo, COLD, *args) for args in reads]
    shutil.rmtree(demo / ".git" / "gridctl", ignore_errors=True)  # as after an upgrade: nothing kept
    monkeypatch.setattr(prefetch, "MIN_FILES", 5)
    monkeypatch.setattr(index, "RELEASE", 5)
    if task == "_rows_chunk":  # the files' facts are kept first: the workers make only rows
        assert run(demo, {**WARM, "GRIDCTL_WORKERS": "1"}, "validate")[0] == 0
    monkeypatch.setattr(prefetch, task, killed)  # the workers are forked: they run this
    assert [run(demo, WARM, *args) for args in reads] == cold
