"""The record of prints (.gridctl/printed.json) when it is damaged, and when two clerks' prints meet in a merge."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest
from teamwork import git as git_in
from teamwork import run, team

from conftest import write

MANIFEST = ".gridctl/printed.json"
AUTHOR = ("--author", "王芳 <wangfang@example.cn>")
GRID, COMMUNITY = "110105001001001", "110105001001"


def _print(cli, root: Path, what: str, grid: str, out: Path, day: str | None = None) -> None:  # type: ignore[no-untyped-def]
    env = {"GRIDCTL_TODAY": day} if day else None
    result = cli("-C", str(root), *AUTHOR, "print", what, grid, "-o", str(out), env=env)
    assert result.exit_code == 0, result.output


def _printed(root: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((root / MANIFEST).read_text(encoding="utf-8"))["printed"]


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
        assert "gridctl sync merges both sides' prints" in said and "git merge --abort" in said

    out = tmp_path / "c.html"
    cards = cli("-C", str(repo), *AUTHOR, "--lang", "zh", "print", "cards", "110105001001001", "-o", str(out))
    assert out.is_file()  # the page is made; the record is not written over
    assert f"注意: 已生成，但没有记入打印清单 ({MANIFEST}): 打印记录 {MANIFEST} 无法读取" in cards.output
    assert path.read_bytes() == bad
    assert r.head.commit.hexsha == head and not r.is_dirty(untracked_files=True)


# -- two clerks' prints in a merge ---------------------------------------------------------------


def test_two_clerks_prints_merge_entry_by_entry_in_a_plain_git_merge(cli, repo: Path, tmp_path: Path) -> None:
    assert cli("-C", str(repo), "setup").exit_code == 0
    r = git.Repo(repo)
    main = r.active_branch.name
    r.git.checkout("-qb", "clerkB")
    _print(cli, repo, "board", GRID, tmp_path / "b1.html", "2026-03-03")  # the later print of this board
    _print(cli, repo, "cards", GRID, tmp_path / "c1.html", "2026-03-03")
    r.git.checkout("-q", main)
    _print(cli, repo, "board", GRID, tmp_path / "b2.html", "2026-03-02")
    _print(cli, repo, "board", COMMUNITY, tmp_path / "b3.html", "2026-03-02")
    r.git.merge("clerkB", "-m", "合并")  # raises on a conflict
    assert not r.index.unmerged_blobs() and not r.is_dirty(untracked_files=True)
    printed = _printed(repo)
    assert set(printed) == {f"board:{GRID}", f"cards:{GRID}", f"board:{COMMUNITY}"}
    assert printed[f"board:{GRID}"]["date"] == "2026-03-03"

    edited = cli("-C", str(repo), *AUTHOR, "edit", "S0002", "--set", "phone=13700137000")
    assert edited.exit_code == 0, edited.output
    stale = cli("-C", str(repo), "--lang", "en", "print", "stale", "-f", "json")
    assert stale.exit_code == 1, stale.output
    assert {s["key"] for s in json.loads(stale.stdout)["stale"]} == {f"board:{GRID}", f"cards:{GRID}"}


OLD_ATTRIBUTES = "* text=auto\n# 台账文件按记录和字段合并 (gridctl setup)\n*.yaml merge=gridctl\n*.yml merge=gridctl\n"


def test_setup_run_again_gives_a_ledger_set_up_before_the_line_for_prints(cli, repo: Path) -> None:
    write(repo, ".gitattributes", OLD_ATTRIBUTES)
    r = git.Repo(repo)
    r.git.add(".gitattributes")
    r.index.commit("设置")
    result = cli("-C", str(repo), *AUTHOR, "setup")
    assert result.exit_code == 0, result.output
    text = (repo / ".gitattributes").read_text(encoding="utf-8")
    assert text == OLD_ATTRIBUTES + ".gridctl/printed.json merge=gridctl-prints\n"  # that line alone
    assert "merge.gridctl-prints.driver" in r.git.config("--local", "--list")
    assert not r.is_dirty(untracked_files=True)
    before = r.head.commit.hexsha
    assert cli("-C", str(repo), *AUTHOR, "setup").exit_code == 0
    assert r.head.commit.hexsha == before


def test_sync_merges_prints_of_a_ledger_whose_attributes_lack_the_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = team(tmp_path)
    office, w2, w3 = c["office"], c["w2"], c["w3"]
    write(office, ".gitattributes", OLD_ATTRIBUTES)  # as a ledger set up by an older gridctl
    git_in(office, "commit", "-qam", "旧的设置")
    git_in(office, "push", "-q", "origin", "HEAD:main")
    for clone in (w2, w3):  # two office PCs: each sync sends to the shared main branch
        git_in(clone, "pull", "-q", "--no-rebase", "origin", "main")
        git_in(clone, "config", "--unset", "gridctl.worker")

    assert run(w2, "print", "board", GRID, "-o", str(tmp_path / "b.html"))[0] == 0
    assert run(w2, "sync")[0] == 0
    assert run(w3, "print", "cards", GRID, "-o", str(tmp_path / "c.html"))[0] == 0
    code, out = run(w3, "sync")  # gridctl's own merge settles the record of prints
    assert code == 0, out
    assert set(_printed(w3)) == {f"board:{GRID}", f"cards:{GRID}"}

    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-05")
    assert run(w2, "print", "board", GRID, "-o", str(tmp_path / "b2.html"))[0] == 0  # the board again, later
    assert run(w2, "print", "board", COMMUNITY, "-o", str(tmp_path / "b3.html"))[0] == 0
    assert run(w2, "sync")[0] == 0  # brings w3's cards, sends the boards
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-04")
    assert run(w3, "print", "board", GRID, "-o", str(tmp_path / "b4.html"))[0] == 0
    assert run(w3, "print", "chart", "-o", str(tmp_path / "chart.html"))[0] == 0
    proc = git_pull(w3)  # a plain git pull stops on the file, markers in it
    assert proc.returncode != 0 and b"<<<<<<<" in (w3 / MANIFEST).read_bytes()
    code, out = run(w3, "print", "stale")
    assert code == 2 and f"打印记录 {MANIFEST} 无法读取: 第" in out and "行有合并冲突标记 <<<<<<<" in out, out
    code, out = run(w3, "sync")  # finishes the merge git began, both sides' prints kept
    assert code == 0, out
    printed = _printed(w3)
    assert set(printed) == {f"board:{GRID}", f"cards:{GRID}", f"board:{COMMUNITY}", "chart:all"}
    assert printed[f"board:{GRID}"]["date"] == "2026-03-05"  # the later print of the board is on the wall
    assert git_in(w3, "status", "--porcelain") == ""
    assert (w3 / ".gitattributes").read_text(encoding="utf-8") == OLD_ATTRIBUTES


def git_pull(clone: Path):  # type: ignore[no-untyped-def]
    import subprocess

    return subprocess.run(["git", "pull", "-q", "--no-rebase", "origin", "main"], cwd=clone, capture_output=True)


def test_the_later_print_of_an_item_wins_and_a_side_that_cannot_be_read_is_left_to_git() -> None:
    from gridctl.history.prints import dump
    from gridctl.merge.printed import merged

    def record(**entries: dict) -> bytes:  # type: ignore[type-arg]
        return dump({"version": 1, "printed": entries})

    def board(date: str, commit: str) -> dict:  # type: ignore[type-arg]
        return {"what": "board", "id": GRID, "date": date, "commit": commit, "parts": {}}

    base = record(a=board("2026-03-01", "c0"), gone=board("2026-03-01", "c0"))
    mine = record(a=board("2026-03-02", "c1"), gone=board("2026-03-01", "c0"))
    theirs = record(a=board("2026-03-02", "c2"))  # 'gone' taken out by hand on their side
    later = {("c1", "c2")}  # c2 descends from c1: printed later on the same day
    out = json.loads(merged(base, mine, theirs, lambda a, b: (a, b) in later) or b"")
    assert out["printed"] == {"a": board("2026-03-02", "c2")}
    out = json.loads(merged(base, mine, theirs, lambda a, b: False) or b"")
    assert out["printed"]["a"] == board("2026-03-02", "c1")  # no telling which came later: this side's
    assert merged(base, mine, b"<<<<<<< mine\n", None) is None
    assert json.loads(merged(b"", mine, theirs) or b"")["printed"]["gone"] == board("2026-03-01", "c0")  # add/add


# -- validate: CI and the pre-commit hook see a damaged record of prints ---------------------------


def _run(repo: Path, cold: bool, *args: str) -> tuple[int, str]:
    """gridctl warm (the kept results read from disk, as a new process reads them) or cold (no cache)."""
    from typer.testing import CliRunner

    from gridctl.cli.main import app
    from gridctl.ledger import cache as cache_module

    cache_module._OPEN.clear()
    env = {"GRIDCTL_NO_CACHE": "1", "GRIDCTL_WALK": "1"} if cold else {"GRIDCTL_NO_CACHE": "", "GRIDCTL_WALK": "0"}
    result = CliRunner().invoke(app, ["-C", str(repo), *args], env=env)
    return result.exit_code, result.output


def _warm_is_cold(repo: Path, lang: str = "en") -> tuple[int, str]:
    """validate's text (and JSON, and status) warm, asserted equal to a cold run's."""
    outs = {}
    for args in (("--lang", lang, "validate"), ("--lang", "en", "validate", "-f", "json"), ("--lang", "en", "status")):
        warm = _run(repo, False, *args)
        assert warm == _run(repo, True, *args), args
        outs[args] = warm
    return outs[("--lang", lang, "validate")]


def test_validate_reports_a_merge_committed_with_conflict_markers_in_the_record_of_prints(
    cli, repo: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _print(cli, repo, "board", GRID, tmp_path / "board.html")
    path = repo / MANIFEST
    sound = path.read_bytes()
    assert _warm_is_cold(repo)[0] == 0  # kept: a clean result for this HEAD
    lines = sound.splitlines(keepends=True)
    conflicted = b"".join([*lines[:3], b"<<<<<<< HEAD\n", *lines[3:], b"=======\n", *lines[3:], b">>>>>>> clerkB\n"])

    path.write_bytes(conflicted)  # the record of prints alone changed: same HEAD, same record files
    code, out = _warm_is_cold(repo)
    assert code == 1, out
    said = f"{MANIFEST}:4:1: error[GC019] the record of prints cannot be read: line 4 holds a merge conflict marker"
    assert said in out and "\n   4 | <<<<<<< HEAD\n     | ^^^^^^^\n" in out
    assert "gridctl sync merges both sides' prints" in out

    r = git.Repo(repo)
    r.git.add(MANIFEST)
    r.index.commit("Merge branch 'clerkB'")  # committed past the hooks, as CI then sees it
    head = r.head.commit.hexsha
    code, out = _warm_is_cold(repo, "zh")
    assert code == 1, out
    assert f"{MANIFEST}:4:1: error[GC019] 打印记录无法读取: 第 4 行有合并冲突标记 <<<<<<<" in out
    github = cli("-C", str(repo), "validate", "-f", "github")
    assert github.exit_code == 1 and f"::error file={MANIFEST},line=4," in github.output
    checked = cli("-C", str(repo), "--lang", "en", "check-files", MANIFEST)
    assert checked.exit_code == 1 and f"{MANIFEST}:4:1: error[GC019]" in checked.output, checked.output
    assert cli("-C", str(repo), "check-files", "staff/S0001.yaml").exit_code == 0  # not named: not read

    path.write_bytes(sound[: len(sound) // 2])  # another damage, the same number of problems
    code, out = _warm_is_cold(repo)
    assert code == 1 and "holds a merge conflict marker" not in out and "is not valid JSON" in out, out

    path.write_bytes(sound)
    assert _warm_is_cold(repo)[0] == 0
    r.git.add(MANIFEST)
    r.index.commit("打印记录取回合并前的一版")
    assert _warm_is_cold(repo)[0] == 0
    assert r.head.commit.parents[0].hexsha == head and not r.is_dirty(untracked_files=True)
