"""The record of prints (.gridctl/printed.json) when it is damaged, and when two clerks' prints meet in a merge."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

MANIFEST = ".gridctl/printed.json"
AUTHOR = ("--author", "王芳 <wangfang@example.cn>")


def _print(cli, root: Path, what: str, grid: str, out: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), *AUTHOR, "print", what, grid, "-o", str(out))
    assert result.exit_code == 0, result.output


def _damaged(sound: bytes) -> dict[str, bytes]:
    half = len(sound) // 2
    return {
        "markers": b"<<<<<<< HEAD\n" + sound + b"=======\n" + sound + b">>>>>>> clerkB\n",
        "garbage": b"\x89PNG\r\n\x1a\n\x00\x00",
        "truncated": sound[:half],
        "empty": b"",
        "entry": b'{"version": 1, "printed": {"board:110105001001001": 7}}\n',
    }


@pytest.mark.parametrize("kind", ["markers", "garbage", "truncated", "empty", "entry"])
def test_a_damaged_record_of_prints_is_an_error_never_nothing_printed(cli, repo: Path, tmp_path: Path, kind) -> None:  # type: ignore[no-untyped-def]
    _print(cli, repo, "board", "110105001001001", tmp_path / "board.html")
    path = repo / MANIFEST
    bad = _damaged(path.read_bytes())[kind]
    path.write_bytes(bad)
    r = git.Repo(repo)
    r.git.add(MANIFEST)
    r.index.commit("手工改了打印记录")
    head = r.head.commit.hexsha

    stale = cli("-C", str(repo), "--lang", "zh", "print", "stale")
    assert stale.exit_code == 2, stale.output
    assert f"打印记录 {MANIFEST} 无法读取" in stale.output and "无需重印" not in stale.output
    if kind == "markers":
        json_out = cli("-C", str(repo), "--lang", "en", "print", "stale", "-f", "json")
        assert json_out.exit_code == 2 and json_out.stdout == ""
        said = json_out.output
        assert f"the record of prints {MANIFEST} cannot be read: line 1 holds a merge conflict marker <<<<<<<" in said
        assert "git merge --abort" in said and "gridctl setup" in said

    out = tmp_path / "c.html"
    cards = cli("-C", str(repo), *AUTHOR, "--lang", "zh", "print", "cards", "110105001001001", "-o", str(out))
    assert out.is_file()  # the page is made; the record is not written over
    assert f"注意: 已生成，但没有记入打印清单 ({MANIFEST}): 打印记录 {MANIFEST} 无法读取" in cards.output
    assert path.read_bytes() == bad
    assert r.head.commit.hexsha == head and not r.is_dirty(untracked_files=True)
