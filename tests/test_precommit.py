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


def test_pre_commit_passes_a_clean_commit_and_blocks_a_bad_id_number(tmp_path: Path, ledger: Path) -> None:
    sha = hooks_repository(tmp_path / "hooks")
    make_repo(ledger)
    config = PRE_COMMIT.format(repo=(tmp_path / "hooks").as_uri(), rev=sha)
    (ledger / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
    }
    env.pop("VIRTUAL_ENV", None)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=ledger, env=env, check=True, timeout=60)

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
