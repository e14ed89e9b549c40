"""The README's commands are what a clerk copies: run them exactly as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import git

from conftest import AUTHOR_ENV, REPO, gridctl


def readme_block(first: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        if block.startswith(first):
            return [ln for ln in block.splitlines() if ln.strip()]
    raise AssertionError(f"no README block starting with {first!r}")


def test_the_clerks_commands_in_the_readme_work(tmp_path: Path) -> None:
    cwd = tmp_path
    for line in readme_block("gridctl init"):
        args = shlex.split(line)
        if args[0] == "cd":
            cwd = cwd / args[1]
            continue
        assert args[0] == "gridctl"
        code, out, err = gridctl(*args[1:], cwd=cwd, env={**AUTHOR_ENV, "LANG": "zh_CN.UTF-8"})
        assert code == 0, f"{line}\n{out}\n{err}"
    assert out.startswith("没有发现问题")
    writes = [ln for ln in readme_block("gridctl init") if ln.split()[1] not in ("show", "list", "status", "validate")
              and not ln.startswith("cd ")]
    assert len(list(git.Repo(cwd).iter_commits())) == len(writes)
