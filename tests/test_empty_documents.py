"""A ledger file that ends in `---` (an empty document after the record, as an editor or a copy leaves
it; validate passes it): a rewrite keeps it as the clerk left it, so the diff holds only the changed
lines — on LF files and on a Windows clone's CRLF files alike (tests/test_line_endings.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR_ENV

HOUSE = "households/110105001001001/H000001.yaml"
GRID_A, GRID_B = "110105017006001", "110105017006002"
ENDINGS = {"a marker": "---\n", "a marker, no line end": "---", "a marker and a comment": "---\n# 备用\n"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True).stdout.decode("utf-8")


def end_with(root: Path, rel: str, ending: str) -> None:
    """The file as committed, ending in `ending`."""
    with (root / rel).open("a", encoding="utf-8", newline="") as handle:
        handle.write(ending)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "文件末尾多了 ---")


def changed_lines(root: Path) -> list[str]:
    """The lines the last commit took out (-) and put in (+), whatever the file's path."""
    out, in_hunk = [], False
    for line in git(root, "show", "--format=", "-U0", "-M", "HEAD").splitlines():
        if line.startswith("diff --git"):
            in_hunk = False
        elif line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line[:1] in "+-":
            out.append(line)
    return out


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_an_edit_of_a_record_in_a_file_ending_in_a_marker_changes_only_its_line(cli, repo: Path, ending: str) -> None:
    """It came back with `--- null` and `...` in place of the clerk's `---`, a comment under it gone."""
    end_with(repo, HOUSE, ending)
    before = git(repo, "show", f"HEAD:{HOUSE}")
    result = cli("-C", str(repo), "-m", "入户核实", "edit", "H000001", "--set", "address.room=502", env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert changed_lines(repo) == [
        '-address: {estate: 阳光小区, building: "3", unit: "2", room: "501"}',
        '+address: {estate: 阳光小区, building: "3", unit: "2", room: "502"}',
    ]
    assert git(repo, "show", f"HEAD:{HOUSE}") == before.replace('room: "501"', 'room: "502"')
    assert git(repo, "status", "--porcelain") == ""
    assert cli("-C", str(repo), "validate").exit_code == 0


def test_an_edit_on_a_crlf_clone_keeps_the_marker_and_commits_lf(cli, repo: Path, tmp_path: Path) -> None:
    """Git for Windows (core.autocrlf=true) checks the file out as `…\\r\\n---\\r\\n`: the commit is LF,
    and the `---` is still the clerk's."""
    end_with(repo, HOUSE, "---\n")
    root = tmp_path / "windows"
    subprocess.run(["git", "clone", "-q", "-c", "core.autocrlf=true", str(repo), str(root)], check=True)
    assert (root / HOUSE).read_bytes().endswith(b"\r\n---\r\n")
    result = cli("-C", str(root), "-m", "入户核实", "edit", "H000001", "--set", "address.room=502", env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    assert changed_lines(root) == [
        '-address: {estate: 阳光小区, building: "3", unit: "2", room: "501"}',
        '+address: {estate: 阳光小区, building: "3", unit: "2", room: "502"}',
    ]
    blob = subprocess.run(["git", "show", f"HEAD:{HOUSE}"], cwd=root, check=True, capture_output=True).stdout
    assert b"\r" not in blob and blob.endswith(b"\n---\n")
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_a_household_moved_whole_keeps_its_file_ending(cli, demo: Path, ending: str) -> None:
    """The file moves to the new grid's folder with its grid line changed, and nothing else."""
    rel, new_rel = f"households/{GRID_A}/H000002.yaml", f"households/{GRID_B}/H000002.yaml"
    end_with(demo, rel, ending)
    before = git(demo, "show", f"HEAD:{rel}")
    result = cli("-C", str(demo), "-m", "搬家", "move", "H000002", "--to", GRID_B, env=AUTHOR_ENV)
    assert result.exit_code == 0, result.output
    lines = changed_lines(demo)
    assert [line[:7] for line in lines] == ["-grid: ", "+grid: "], lines
    assert git(demo, "show", f"HEAD:{new_rel}") == before.replace(lines[0][1:], lines[1][1:])
    assert git(demo, "show", f"HEAD:{new_rel}").endswith(ending)
    assert cli("-C", str(demo), "validate").exit_code == 0
