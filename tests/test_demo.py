"""`gridctl demo DIR`: the first thing a new user runs, from the README."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import gridctl


def test_demo_creates_a_validated_git_ledger(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    code, out, err = gridctl("--lang", "zh", "demo", str(target))
    assert code == 0, out + err
    assert "示例台账已创建" in out
    assert "没有发现问题" in out
    repo = git.Repo(target)
    assert not repo.is_dirty(untracked_files=True)
    assert len(list(repo.iter_commits())) == 1
    assert (target / "gridctl.yaml").is_file()
    code, out, _ = gridctl("-C", str(target), "validate", "--lang", "en")
    assert code == 0
    assert out.startswith("no problems")


def test_demo_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    code, _out, err = gridctl("demo", str(tmp_path))
    assert code == 2
    assert "not empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
