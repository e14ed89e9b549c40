"""Ctrl-C while gridctl is still starting (importing typer and the rest, before its own Ctrl-C
handling): a bare traceback reached the clerk (an adversarial test found it, once even exit 3 and a
crash log). Here the import of typer waits five seconds, so the Ctrl-C lands in it every time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from stopping import stopped

DRIVER = """
import importlib.abc, os, sys, time


class Slow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "typer":
            os.write(1, b"paused\\n")
            time.sleep(5)
        return None


sys.meta_path.insert(0, Slow())
sys.argv = ["gridctl", *sys.argv[1:]]
from gridctl.cli.entry import run

run()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes of a session: Linux /proc")
@pytest.mark.parametrize(("lang", "word"), [("zh", "已中止"), ("en", "Aborted.")])
def test_ctrl_c_while_gridctl_starts_is_a_stop_like_any_other(ledger: Path, lang: str, word: str) -> None:
    code, err, left, _said = stopped(ledger, DRIVER, ["--lang", lang, "validate"], "Ctrl-C")
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert code == 130 and err == f"{word}\n", err
    assert left == []
