"""The ledger's own CI: the real pre-commit framework runs gridctl's hooks on a real ledger repository.

The hooks repository is this checkout as it is now (copied and committed in a temp folder, so
uncommitted work is what gets tested); pre-commit builds the hook's virtualenv from it with pip,
which needs PyPI and takes well under a minute with pip's cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest

from gridctl.ops.init import PRE_COMMIT

from conftest import REPO, id_number, make_repo

PACKAGE_PARTS = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "gridctl", "examples", "schemas", "templates")


def hooks_repository(target: Path) -> str:
    """This checkout's package as a git repository with one commit; returns the commit id."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_data")
    target.mkdir(parents=True)
    for part in PACKAGE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        else:
            shutil.copy2(source, target / part)
    repo = git.Repo.init(target)
    repo.git.add(A=True)
    actor = git.Actor("gridctl", "hooks@example.cn")
    return repo.index.commit("hooks", author=actor, committer=actor).hexsha


def commit(ledger: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    subprocess.run(["git", "add", "-A"], cwd=ledger, check=True)
    return subprocess.run(
        ["git", "commit", "-m", message], cwd=ledger, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    """This checkout as a hooks repository, and one pre-commit home for the module (its virtualenv built once)."""
    folder = tmp_path_factory.mktemp("hooks")
    sha = hooks_repository(folder / "hooks")
    return (folder / "hooks").as_uri(), sha, folder / "pre-commit-home"


def installed(ledger: Path, hooks: tuple[str, str, Path]) -> dict[str, str]:
    """The ledger as a repository with gridctl's pre-commit config installed; returns the env to commit with."""
    uri, sha, home = hooks
    make_repo(ledger)
    config = PRE_COMMIT.format(repo=uri, rev=sha)
    (ledger / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
    }
    env.pop("VIRTUAL_ENV", None)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=ledger, env=env, check=True, timeout=60)
    return env


def test_pre_commit_passes_a_clean_commit_and_blocks_a_bad_id_number(hooks, ledger: Path) -> None:
    env = installed(ledger, hooks)

    household = ledger / "households/110105001001001/H000001.yaml"
    text = household.read_text(encoding="utf-8")
    household.write_text(text.replace('room: "501"', 'room: "502"'), encoding="utf-8")
    clean = commit(ledger, env, "入户核实后更正房号")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    shown = clean.stdout + clean.stderr
    assert "gridctl check-files" in shown and "gridctl validate" in shown and "Failed" not in shown

    good = id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    household.write_text(text.replace(good, bad), encoding="utf-8")
    blocked = commit(ledger, env, "录入身份证号")
    assert blocked.returncode != 0
    lines = household.read_text(encoding="utf-8").splitlines()
    line, col = next((i, s.index(bad)) for i, s in enumerate(lines, 1) if bad in s)  # 1-based: the opening quote
    shown = blocked.stdout + blocked.stderr
    assert f"households/110105001001001/H000001.yaml:{line}:{col}: error[GC103]" in shown, shown
    assert git.Repo(ledger).head.commit.message.strip() == "入户核实后更正房号"

    # a commit that only deletes a staff file a grid still names: no file to pass, validate runs all the same
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=ledger, check=True)  # the blocked change undone
    (ledger / "staff/S0002.yaml").unlink()
    deleted = commit(ledger, env, "删除工作人员")
    shown = deleted.stdout + deleted.stderr
    assert deleted.returncode != 0, shown
    assert "gridctl check-files" in shown and "(no files to check)Skipped" in shown
    assert "gridctl validate" in shown and "Failed" in shown and "S0002" in shown and "GC202" in shown
    assert git.Repo(ledger).head.commit.message.strip() == "入户核实后更正房号"


def test_the_leak_guard_keeps_spreadsheets_and_plain_numbers_out_of_commits(hooks, ledger: Path) -> None:
    env = installed(ledger, hooks)
    r = git.Repo(ledger)
    (ledger / "stray.txt").write_text("clean\n", encoding="utf-8")
    first = commit(ledger, env, "开始")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "gridctl leak-guard" in first.stdout + first.stderr
    start = r.head.commit.hexsha

    # an export made with --reveal, copied into the ledger folder
    (ledger / "户籍.xlsx").write_bytes((REPO / "tests" / "cases" / "GC001" / "expected.json").read_bytes())
    blocked = commit(ledger, env, "导出")
    shown = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "户籍.xlsx" in shown and "spreadsheet" in shown, shown
    subprocess.run(["git", "rm", "-q", "--cached", "户籍.xlsx"], cwd=ledger, check=True)
    (ledger / "户籍.xlsx").unlink()

    # a note holding a resident's ID number and mobile
    number = id_number(born="19751120", seq="456")
    (ledger / "stray.txt").write_text(f"张敏 {number} 电话 13712345678\n", encoding="utf-8")
    blocked = commit(ledger, env, "备注")
    shown = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "stray.txt:1:4: id number in plain text: 110105************" in shown, shown
    assert "mobile in plain text: 137****5678" in shown and number not in shown

    # masks pass; a blank form in the allowed folder passes; staff phones are public
    (ledger / "stray.txt").write_text("张敏 110105************ 电话 137****5678 网格员 13900139000\n", encoding="utf-8")
    (ledger / "templates").mkdir()
    (ledger / "templates" / "登记表.csv").write_text("姓名,公民身份号码,联系电话\n", encoding="utf-8")
    ok = commit(ledger, env, "空白登记表")
    assert ok.returncode == 0, ok.stdout + ok.stderr

    # the commit message is read too (the commit-msg stage)
    (ledger / "stray.txt").write_text("again\n", encoding="utf-8")
    blocked = commit(ledger, env, f"按 {number} 本人要求修改")
    shown = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "(commit message)" in shown and number not in shown, shown
    assert len(list(r.iter_commits(f"{start}..HEAD"))) == 1  # only the clean one went in
