"""The README's commands are what a clerk copies: run them exactly as written."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import git
import pytest

from conftest import AUTHOR_ENV, REPO, gridctl


def readme_block(first: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        if block.startswith(first):
            return [ln for ln in block.splitlines() if ln.strip()]
    raise AssertionError(f"no README block starting with {first!r}")


Said = list[tuple[str, int, str, str]]
"""Each line of a block that ran: (line, exit code, stdout, stderr)."""


@pytest.fixture(scope="module")
def clerks_commands(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Said]:
    """The clerk's commands run once, as written: the ledger they leave, and what each line said.
    The block that shares that ledger with grid workers starts from a copy of it."""
    return _run_lines("gridctl init", tmp_path_factory.mktemp("readme"))


def test_the_clerks_commands_in_the_readme_work(clerks_commands: tuple[Path, Said]) -> None:
    cwd, said = clerks_commands
    assert [line for line, *_ in said] == [ln for ln in readme_block("gridctl init") if not ln.startswith("cd ")]
    for line, code, out, err in said:
        assert line.startswith("gridctl ")
        assert code == 0, f"{line}\n{out}\n{err}"
    assert out.startswith("没有发现问题")
    writes = [
        ln
        for ln in readme_block("gridctl init")
        if ln.split()[1] not in ("show", "list", "status", "validate") and not ln.startswith("cd ")
    ]
    assert len(list(git.Repo(cwd).iter_commits())) == len(writes)


def test_the_clerks_first_day_in_the_readme_works(tmp_path: Path) -> None:
    """The "A clerk's first day" block, line by line, in a fresh folder."""
    import os
    import subprocess
    import sys

    env = {**os.environ, **AUTHOR_ENV}
    cwd = tmp_path
    for line in readme_block("# 第一天"):
        if line.startswith("#"):
            continue
        args = shlex.split(line)
        if args[0] == "cd":
            cwd = cwd / args[1]
            continue
        proc = subprocess.run([sys.executable, "-m", "gridctl", *args[1:]], cwd=cwd, env=env, capture_output=True)
        assert proc.returncode == 0, (line, proc.stdout.decode(), proc.stderr.decode())
    assert (cwd / "责任图.html").is_file() and (cwd / "备案变动表.html").is_file()
    assert any(t.startswith("filing/") for t in git.Repo(cwd).git.tag().split())


def _run_lines(first: str, cwd: Path) -> tuple[Path, Said]:
    """Run a README block line by line (gridctl, git, cd), as a clerk types it, whatever each line
    says; returns the last folder and what each line said."""
    import subprocess

    said = []
    for line in readme_block(first):
        if line.startswith("#"):
            continue
        args = shlex.split(line)
        if args[0] == "cd":
            cwd = (cwd / args[1]).resolve()
            continue
        if args[0] == "git":
            proc = subprocess.run(args, cwd=cwd, capture_output=True)
            code, out, err = proc.returncode, proc.stdout.decode(), proc.stderr.decode()
        else:
            assert args[0] == "gridctl"
            code, out, err = gridctl(*args[1:], cwd=cwd, env={**AUTHOR_ENV, "LANG": "zh_CN.UTF-8"})
        said.append((line, code, out, err))
    return cwd, said


def _run_block(first: str, cwd: Path, allowed: dict[str, set[int]] | None = None) -> Path:
    """Run a README block line by line, each line as it is allowed to end; returns the last folder."""
    cwd, said = _run_lines(first, cwd)
    for line, code, out, err in said:
        args = shlex.split(line)
        assert code in (allowed or {}).get(args[1] if len(args) > 1 else "", {0}), f"{line}\n{out}\n{err}"
    return cwd


def test_a_community_with_several_grid_workers_in_the_readme_works(
    clerks_commands: tuple[Path, Said], tmp_path: Path
) -> None:
    made, said = clerks_commands
    assert said and all(code == 0 for _line, code, *_ in said), said
    office = tmp_path / made.name  # the clerk's ledger as the block above leaves it, in this test's folder
    shutil.copytree(made, office, symlinks=True)
    _run_block("# 多人协作", office)
    log = git.Repo(office).git.log("-1", "--format=%B")
    assert "Reviewed-by: 王芳 <wangfang@example.cn>" in log
    assert (office / "households/110105001001001/H2000001.yaml").is_file()
    town = _run_block("# 镇综治中心", tmp_path, {"due": {0, 1}})
    assert (town / "全镇责任图.html").read_text(encoding="utf-8").count("幸福里社区") >= 1


def test_the_encrypted_ledger_in_the_readme_works(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # the clerk's identity, not the tester's
    monkeypatch.delenv("GRIDCTL_IDENTITY", raising=False)
    ledger = _run_block("# 加密台账", tmp_path)
    assert (ledger / ".gridctl" / "recipients").is_file()
    assert (tmp_path / "config" / "gridctl" / "identity.txt").is_file()
    assert "encrypt" in git.Repo(ledger).head.commit.message
