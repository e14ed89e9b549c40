"""A ledger on a USB stick or a shared folder belongs to another user, and git refuses it ("dubious
ownership"). Every command says so with git's own safe.directory advice (exit 2) — never "not a git
repository", never an internal error — and works again once the clerk follows the advice.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_ENV, another_users, gridctl


@pytest.fixture
def foreign(repo: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The ledger as another user's folder, and an environment with its own (empty) global git config."""
    return repo, {**AUTHOR_ENV, **another_users(repo, tmp_path)}


COMMANDS = [
    ("validate",),
    ("status",),
    ("show", "H000001"),
    ("-m", "核实", "edit", "P0000001", "--set", "phones=13912345670"),
    ("add", "staff", "--set", "name=赵六", "--set", "phone=13800138002", "--set", "gender=男"),
    ("history", "P0000001"),
    ("log",),
    ("diff",),
    ("--as-of", "HEAD", "list", "household"),
    ("--as-of", "2030-01-01", "status"),
    ("print", "chart"),
    ("due",),
    ("filing",),
]


def test_every_command_gives_gits_advice_with_exit_2(cli, foreign: tuple[Path, dict[str, str]]) -> None:
    root, env = foreign
    for args in COMMANDS:
        result = cli("-C", str(root), *args, env=env)
        said = result.output
        assert result.exit_code == 2, f"{args}: {said} {result.exception!r}"
        assert "another user" in said, args
        assert f"git config --global --add safe.directory {root}" in said, args
        assert "not a git repository" not in said, args


def test_following_the_advice_makes_the_ledger_work(foreign: tuple[Path, dict[str, str]]) -> None:
    root, env = foreign
    code, _out, err = gridctl("-C", str(root), "history", "P0000001", env=env)
    assert code == 2
    advice = next(line.split("run: ", 1)[1] for line in err.splitlines() if "safe.directory" in line)
    subprocess.run(advice.split(), check=True, env={**os.environ, **env})
    code, out, err = gridctl("-C", str(root), "history", "P0000001", env=env)
    assert code == 0, out + err


def test_a_broken_repository_is_never_an_internal_error(cli, repo: Path) -> None:
    """git's objects gone (a half-copied USB stick): what needs history says git's words, exit 2, never exit 3."""
    import shutil

    subprocess.run(["git", "gc", "-q"], cwd=repo, check=True)
    shutil.rmtree(repo / ".git/objects/pack")
    (repo / ".git/objects/pack").mkdir()
    for args in COMMANDS:
        result = cli("-C", str(repo), *args, env=AUTHOR_ENV)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        assert result.exit_code in (0, 1, 2), (args, result.output)
        if args[0] in ("history", "log", "diff", "--as-of", "-m", "add", "filing"):
            assert result.exit_code == 2 and ("git" in result.output or "revision" in result.output), args
