"""A `git` or `dot` dropped into the ledger folder never runs (GitPython's CVE-2023-40590, on every OS).

PATH with "." or an empty entry means "the current folder" to a shell and to Python's subprocess;
gridctl resolves each tool once from PATH's absolute entries, for its own calls and GitPython's.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import AUTHOR_ENV, gridctl

FAKE = """#!/bin/sh
echo "$0 $*" >> "{marker}"
exit 0
"""


def plant(folder: Path, marker: Path) -> None:
    for name in ("git", "dot"):
        tool = folder / name
        tool.write_text(FAKE.format(marker=marker), encoding="utf-8")
        tool.chmod(0o755)


@pytest.mark.parametrize("prefix", [".", ""], ids=["dot-entry", "empty-entry"])
def test_a_planted_git_or_dot_never_runs(repo: Path, tmp_path: Path, prefix: str) -> None:
    marker = tmp_path / "planted-tool-ran.txt"
    plant(repo, marker)
    env = {**AUTHOR_ENV, "PATH": prefix + os.pathsep + os.environ["PATH"], "LANG": "C.UTF-8"}

    def run(*args: str) -> str:
        code, out, err = gridctl(*args, cwd=repo, env=env)
        assert code == 0, f"{args}: {out}{err}"
        return out

    run("-m", "换号", "edit", "P0000001", "--set", "phones=13912345670")  # the write path
    assert "phones" in run("history", "P0000001")  # history's own git calls
    assert "<svg" in run("print", "chart", "--layout", "graphviz", "--no-record")  # dot
    if prefix == ".":
        assert "no problems" in run("--lang", "en", "validate")
        run("log")
        run("--as-of", "HEAD~1", "show", "H000001")  # GitPython
        run("status")
    assert not marker.exists(), marker.read_text(encoding="utf-8")


def test_the_library_runs_git_from_path_only(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitPython inside the library (GitTree, --as-of) uses the absolute git, even with "." on PATH."""
    from gridctl.ledger.files import GitTree
    from gridctl.ledger.tools import find_program, gitpython

    marker = tmp_path / "planted-tool-ran.txt"
    plant(repo, marker)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("PATH", "." + os.pathsep + os.environ["PATH"])
    assert find_program("git") not in (None, str(repo / "git"))
    git = gitpython()
    head = git.Repo(repo).git.rev_parse("HEAD")
    assert GitTree(repo, head).exists("staff/S0001.yaml")
    assert not marker.exists()
