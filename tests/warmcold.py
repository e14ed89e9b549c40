"""Warm runs against cold ones, for the adversarial tests of the cache: a warm run (the packs as
a new process reads them from disk, git's listing forced) must print what a cold run prints
(no cache, the folder walked)."""

from __future__ import annotations

import subprocess
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path

from typer.testing import CliRunner

from gridctl.cli.main import app
from gridctl.ledger import cache as cache_module

WARM = {"GRIDCTL_NO_CACHE": "", "GRIDCTL_WALK": "0"}
COLD = {"GRIDCTL_NO_CACHE": "1", "GRIDCTL_WALK": "1"}


def run(root: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    """One CLI run as a new process would make it (packs read from disk); a traceback is part of the output."""
    cache_module._OPEN.clear()
    result = CliRunner().invoke(app, ["-C", str(root), "--lang", "en", *args], env=env)
    out = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        out += "".join(traceback.format_exception(result.exception))
    return result.exit_code, out


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def differences(root: Path, commands: Iterable[Sequence[str]]) -> list[str]:
    """Each command whose warm output (run twice: writing the cache, then reading it) is not the
    cold one's; a cold run that ends in a traceback is a failure of its own."""
    out = []
    for command in commands:
        cold = run(root, COLD, *command)
        assert "Traceback" not in cold[1], cold
        for attempt in ("warm", "warm again"):
            warm = run(root, WARM, *command)
            if warm != cold:
                out.append(f"{' '.join(command)} ({attempt}):\n--- cold {cold}\n+++ warm {warm}")
    return out


def read_on_workers(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The files gridctl.prefetch's workers read from now on (appended as they come)."""
    from gridctl import prefetch

    read: list[str] = []
    made = prefetch.parallel_reader

    def counted(root, files, *rows):  # type: ignore[no-untyped-def]
        reader = made(root, files, *rows)
        if reader is None:
            return None

        def reading(rels):  # type: ignore[no-untyped-def]
            for item in reader(rels):
                read.append(item[0])
                yield item

        return reading

    monkeypatch.setattr(prefetch, "parallel_reader", counted)
    return read
