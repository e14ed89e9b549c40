"""`gridctl init`: a new ledger a clerk can start adding grids to."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import AUTHOR_ENV, gridctl


def test_init_creates_a_ledger_with_one_commit(tmp_path: Path) -> None:
    target = tmp_path / "幸福里"
    code, out, err = gridctl(
        "--lang", "zh", "init", str(target), "--name", "幸福里社区网格化管理台账", "--code", "110105", env=AUTHOR_ENV
    )
    assert code == 0, err
    assert "已创建台账" in out
    repo = git.Repo(target)
    (commit,) = list(repo.iter_commits())
    assert commit.message.startswith("建立台账：幸福里社区网格化管理台账")  # in the language of every subject
    assert commit.author.name == "王芳"
    settings = (target / "gridctl.yaml").read_text(encoding="utf-8")
    assert 'name: "幸福里社区网格化管理台账"' in settings and 'region_code: "110105"' in settings
    for rel in (
        ".gitattributes",
        ".gitignore",
        ".gitea/workflows/gridctl.yml",
        ".pre-commit-config.yaml",
        "schemas/household.schema.json",
        "grids/.gitkeep",
    ):
        assert (target / rel).is_file(), rel
    assert "gridctl validate" in (target / ".gitea/workflows/gridctl.yml").read_text(encoding="utf-8")
    assert not repo.is_dirty(untracked_files=True)
    (target / "households" / ".merge_file_a1B2c3").write_text("left by a merge stopped half-way\n")
    assert not repo.is_dirty(untracked_files=True)  # git's leftover is never committed by a GUI's "add all"
    code, out, _ = gridctl("-C", str(target), "validate", "--lang", "en")
    assert code == 0 and out.startswith("no problems")


def test_the_next_step_can_be_pasted_when_the_folder_has_a_space(tmp_path: Path) -> None:
    """`cd 幸福里 社区 && …` pasted into PowerShell or cmd goes to 幸福里 and fails."""
    target = tmp_path / "幸福里 社区"
    code, out, err = gridctl("--lang", "zh", "init", str(target), "--name", "幸福里社区", env=AUTHOR_ENV)
    assert code == 0, err
    assert f'下一步: cd "{target}" && gridctl add grid' in out


def test_init_then_add_the_first_grids(tmp_path: Path) -> None:
    target = tmp_path / "l"
    assert gridctl("init", str(target), "--name", "试点社区", "--code", "110105", env=AUTHOR_ENV)[0] == 0
    code, out, err = gridctl(
        "add",
        "grid",
        "--set",
        "id=110105001001",
        "--set",
        "name=试点社区",
        "--set",
        "level=社区",
        cwd=target,
        env=AUTHOR_ENV,
    )
    assert code == 0, out + err
    assert "to do: 110105001001" in out and "(GC230)" in out and "(GC231)" in out
    assert (target / "grids/110105001001.yaml").is_file()
    assert len(list(git.Repo(target).iter_commits())) == 2


def test_init_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "old.xlsx").write_bytes(b"PK")
    code, _out, err = gridctl("init", str(tmp_path), "--name", "x", env=AUTHOR_ENV)
    assert code == 2
    assert "not empty" in err
    assert [p.name for p in tmp_path.iterdir()] == ["old.xlsx"]


def test_init_rejects_a_bad_region_code(tmp_path: Path) -> None:
    code, _out, err = gridctl("init", str(tmp_path / "x"), "--name", "x", "--code", "1101", env=AUTHOR_ENV)
    assert code == 2
    assert "6-digit" in err
    assert not (tmp_path / "x").exists()
