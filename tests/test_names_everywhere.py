"""Everywhere an id is asked for, its name works too; two records of one name are listed so the
clerk can tell them apart and write the id."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import STAFF, write


def run(cli, repo: Path, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", lang, "--author", "王芳 <wf@example.cn>", *args)


def commit(repo: Path, message: str) -> str:
    r = git.Repo(repo)
    r.git.add(A=True)
    r.git.commit("-qm", message)
    return r.head.commit.hexsha


def head(repo: Path) -> str:
    return git.Repo(repo).head.commit.hexsha


def test_two_staff_of_one_name_are_told_apart(repo: Path, cli) -> None:
    """“李强”对应 2 名工作人员 listed `S0002 李强; S0003 李强`: nothing to choose by."""
    write(repo, "staff/S0003.yaml", STAFF.format(id="S0003", name="李强", gender="男", phone="13700137000"))
    before = commit(repo, "另一位李强")
    result = run(cli, repo, "assign", "第一网格", "--role", "楼栋长", "--staff", "李强", "--duty", "3号楼")
    assert result.exit_code == 2 and head(repo) == before, result.output
    assert "“李强”对应 2 名工作人员，请写编号" in result.output
    assert "S0002 李强 (网格员 第一网格；电话 139****9000)" in result.output, result.output
    assert "S0003 李强 (未在网格任职；电话 137****7000)" in result.output, result.output
    assert "13700137000" not in result.output and "13900139000" not in result.output
    english = run(cli, repo, "show", "李强", lang="en")
    assert english.exit_code == 2 and "'李强' names 2 staff members; give the id" in english.output
    assert "S0003 李强 (no role in a grid; phone 137****7000)" in english.output, english.output
