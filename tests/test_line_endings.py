"""Git for Windows' default `core.autocrlf=true`: working files are CRLF, every commit of gridctl is LF.

A clerk's clone checks files out with CRLF; gridctl reads them as it reads LF files, commits LF
bytes (so a diff holds only the changed lines), and leaves nothing "modified" behind, edit after edit.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_ENV, REPO, id_number, make_ledger, make_repo, write

TWO_STAFF = """\
kind: staff
id: S0003
name: 赵六
gender: 男
phone: "13800138002"
---
kind: staff
id: S0004
name: 钱七
gender: 女
phone: "123"
"""


def clone(origin: Path, target: Path, autocrlf: str) -> Path:
    subprocess.run(["git", "clone", "-q", "-c", f"core.autocrlf={autocrlf}", str(origin), str(target)], check=True)
    for key, value in (("user.name", "王芳"), ("user.email", "wangfang@example.cn")):
        subprocess.run(["git", "config", key, value], cwd=target, check=True)
    return target


def git_out(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True).stdout


@pytest.fixture
def crlf(repo: Path, tmp_path: Path) -> Path:
    """The small ledger cloned on a Windows PC: no .gitattributes, core.autocrlf=true."""
    root = clone(repo, tmp_path / "windows", "true")
    assert b"\r\n" in (root / "households/110105001001001/H000001.yaml").read_bytes()
    return root


def test_twenty_edits_in_a_row_each_commit_only_the_changed_lines(cli, crlf: Path) -> None:
    for n in range(20):
        room = f"{601 + n}"
        result = cli(
            "-C",
            str(crlf),
            "-m",
            f"第 {n + 1} 次核实",
            "edit",
            "H000001",
            "--set",
            f"address.room={room}",
            env=AUTHOR_ENV,
        )
        assert result.exit_code == 0, f"edit {n + 1}: {result.output}"
        assert git_out(crlf, "status", "--porcelain") == b"", f"edit {n + 1} left the file modified"
        diff = git_out(crlf, "show", "--format=", "-U0", "HEAD").decode("utf-8").splitlines()
        changed = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        previous = "501" if n == 0 else f"{600 + n}"
        assert changed == [
            f'-address: {{estate: 阳光小区, building: "3", unit: "2", room: "{previous}"}}',
            f'+address: {{estate: 阳光小区, building: "3", unit: "2", room: "{room}"}}',
        ], f"edit {n + 1}: {changed}"
        blob = git_out(crlf, "show", "HEAD:households/110105001001001/H000001.yaml")
        assert b"\r" not in blob
    assert len(git_out(crlf, "log", "--format=%H").split()) == 21


def test_an_edit_to_the_same_value_changes_nothing_on_a_crlf_file(cli, crlf: Path) -> None:
    result = cli("-C", str(crlf), "edit", "H000001", "--set", "address.room=501", env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert "nothing changes" in result.output or "没有变化" in result.output
    assert len(git_out(crlf, "log", "--format=%H").split()) == 1


def test_new_records_and_moves_are_committed_lf(cli, crlf: Path) -> None:
    args = ("add", "staff", "--set", "name=赵六", "--set", "phone=13800138002", "--set", "gender=男")
    assert cli("-C", str(crlf), *args, env=AUTHOR_ENV).exit_code == 0
    assert (
        cli("-C", str(crlf), "retire", "P0000001", "--reason", "迁出", "--date", "2026-03-01", env=AUTHOR_ENV).exit_code
        == 0
    )
    for commit in git_out(crlf, "log", "--format=%H", "-2").split():
        for path in git_out(crlf, "show", "--format=", "--name-only", commit.decode()).split():
            blob = git_out(crlf, "show", f"{commit.decode()}:{path.decode()}")
            assert b"\r" not in blob, path
    assert git_out(crlf, "status", "--porcelain") == b""


def test_validate_finds_the_same_problems_on_crlf_as_on_lf(cli, tmp_path: Path) -> None:
    origin = make_ledger(tmp_path / "origin")
    write(origin, "staff/S0003.yaml", TWO_STAFF)  # two documents, the second with a bad phone
    bad = id_number(seq="456")
    write(
        origin,
        "households/110105001001001/H000002.yaml",
        (origin / "households/110105001001001/H000001.yaml")
        .read_text(encoding="utf-8")
        .replace("H000001", "H000002")
        .replace("P0000001", "P0000002")
        .replace(id_number(), bad[:-1] + ("1" if bad[-1] != "1" else "2")),
    )
    make_repo(origin)
    lf = clone(origin, tmp_path / "lf", "false")
    crlf = clone(origin, tmp_path / "crlf", "true")
    assert (crlf / "staff/S0003.yaml").read_bytes().count(b"---\r\n") == 1

    def problems(root: Path) -> list[dict[str, object]]:
        result = cli("-C", str(root), "validate", "--format", "json")
        return json.loads(result.stdout)["problems"]

    on_lf, on_crlf = problems(lf), problems(crlf)
    assert on_crlf == on_lf
    codes = sorted(p["code"] for p in on_lf)
    assert "GC108" in codes and "GC103" in codes  # S0004's phone (second document), H000002's check digit
    result = cli("-C", str(crlf), "show", "S0004")
    assert result.exit_code == 0 and "钱七" in result.output


def test_init_and_the_project_keep_yaml_lf_in_git(tmp_path: Path) -> None:
    from gridctl.ops.init import GITATTRIBUTES

    assert "*.yaml text eol=lf" in GITATTRIBUTES.splitlines()
    assert "*.yml text eol=lf" in GITATTRIBUTES.splitlines()
    own = (REPO / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "* text=auto eol=lf" in own


def test_a_file_whose_line_ends_alone_are_mixed_is_written_over(cli, crlf: Path) -> None:
    """An editor kept CRLF on some lines and LF on others: git says the file is modified and `git
    diff` shows nothing, and gridctl refused every write touching it with nothing for the clerk to
    see. Only its line ends differ from HEAD: the write goes through and loses nothing."""
    path = crlf / "households/110105001001001/H000001.yaml"
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\n".join(lines[:3]) + b"\r\n" + b"\r\n".join(lines[3:]))  # two lines LF
    assert git_out(crlf, "status", "--porcelain") != b"" and git_out(crlf, "diff") == b""
    result = cli("-C", str(crlf), "edit", "H000001", "--set", "address.room=602", env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert git_out(crlf, "status", "--porcelain") == b""
    diff = git_out(crlf, "show", "--format=", "-U0", "HEAD").decode("utf-8").splitlines()
    assert [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))] == [
        '-address: {estate: 阳光小区, building: "3", unit: "2", room: "501"}',
        '+address: {estate: 阳光小区, building: "3", unit: "2", room: "602"}',
    ]
    # a real change beside the line ends is still the clerk's, and still refused
    path.write_bytes(path.read_bytes().replace(b"602", b"603", 1).replace(b"\r\n", b"\n", 1))
    refused = cli("-C", str(crlf), "edit", "H000001", "--set", "address.room=604", env=AUTHOR_ENV)
    assert refused.exit_code == 2 and "H000001.yaml" in refused.output
    assert b"603" in path.read_bytes()
