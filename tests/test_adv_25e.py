"""Merges under stress, the cache's checksums and the history of merges: each test failed before its fix.

A damaged settings.pickle under .git/gridctl/cache (one changed digit, still a valid pickle) was
trusted: the notice boards printed a supervision line the ledger does not hold.
"""

from __future__ import annotations

from pathlib import Path


def test_a_damaged_settings_pickle_is_never_trusted(demo: Path, cli) -> None:
    """One changed digit in the kept settings (a failing disk, a bad copy of .git) still unpickled, and
    every board printed 010-65071299 for the ledger's 010-65071234."""
    assert cli("-C", str(demo), "status").exit_code == 0
    kept = demo / ".git" / "gridctl" / "cache" / "settings.pickle"
    raw = kept.read_bytes()
    assert raw.count(b"010-65071234") == 1
    kept.write_bytes(raw.replace(b"010-65071234", b"010-65071299"))
    result = cli("-C", str(demo), "print", "board", "--all", "--no-record")
    assert result.exit_code == 0, result.output
    assert "010-65071234" in result.output and "010-65071299" not in result.output


def two_conflicts(tmp: Path) -> dict[str, Path]:
    """Worker 3's merge stopped on two conflicts in one household file (building and room)."""
    from teamwork import run, team

    t = team(tmp)
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502", "--set", "address.building=4")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["office"], "review", "S0002", "--approve")[0] == 0
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=503", "--set", "address.building=5")[0] == 0
    code, out = run(t["w3"], "sync")
    assert code == 1 and out.count("冲突: 户 H000001") == 2, out
    return t


def test_a_resolve_waits_for_the_ledgers_lock(tmp_path: Path) -> None:
    """resolve edited the file, git's index and the list of conflicts without the ledger's lock (only its
    last step, the merge commit, took it): two resolves at once on one file each read it before the
    other wrote it, and the merge was committed with building 5 (mine) after both said 已处理, one of
    them `--take 888`. Now a resolve that cannot take the lock changes nothing."""
    from teamwork import git, run

    from gridctl.ledger.lock import ledger_lock

    w3 = two_conflicts(tmp_path)["w3"]
    rel = "households/110105001001001/H000001.yaml"
    before = (w3 / rel).read_bytes(), git(w3, "status", "--porcelain"), run(w3, "sync")[1]
    with ledger_lock(w3 / ".git", "another gridctl", 0):
        code, out = run(w3, "--wait", "0", "resolve", "H000001", "address.building", "--take", "888")
    assert code == 2 and "台账正在被另一个 gridctl 写入" in out, out
    assert ((w3 / rel).read_bytes(), git(w3, "status", "--porcelain"), run(w3, "sync")[1]) == before
    code, out = run(w3, "resolve", "H000001", "address.building", "--take", "888")
    assert code == 1 and "已处理 H000001 address.building" in out, out  # one conflict left
    code, out = run(w3, "resolve", "H000001", "address.room", "--take", "777")
    assert code == 0 and "合并已提交" in out, out
    assert 'building: "888"' in git(w3, "show", f"HEAD:{rel}") and 'room: "777"' in git(w3, "show", f"HEAD:{rel}")


def test_a_merge_left_settled_but_uncommitted_says_how_to_finish(tmp_path: Path) -> None:
    """A resolve killed after it settled the last conflict, before its commit: the next resolve said only
    "no open conflict … open: none", and nothing told the clerk the merge was still under way."""
    from teamwork import git, run

    from gridctl.merge import conflicts

    w3 = two_conflicts(tmp_path)["w3"]
    code, out = run(w3, "status")  # status said nothing of a merge under way
    assert code == 0 and "合并未完成: 2 处冲突未解决" in out, out
    assert run(w3, "resolve", "H000001", "address.building", "--take", "888")[0] == 1
    git(w3, "add", "-A")  # as a resolve stopped between settling the last conflict and committing leaves it
    conflicts.forget(w3)
    code, out = run(w3, "resolve", "H000001", "address.room", "--take", "777")
    assert code == 2 and "冲突都已解决，合并还没有提交: 运行 gridctl sync" in out, out
    assert "合并未完成: 冲突都已解决，gridctl sync 校验并提交合并" in run(w3, "status")[1]
    code, out = run(w3, "sync")
    assert code == 0, out
    assert not (w3 / ".git" / "MERGE_HEAD").exists()
    assert "合并未完成" not in run(w3, "status")[1]


def test_a_file_both_sides_changed_line_by_line_is_not_called_deleted(tmp_path: Path) -> None:
    """A file gridctl does not merge by record (here a note beside the ledger), changed on both sides:
    sync said it was "deleted on one side and changed on the other", and the clerk looked for a deletion."""
    from teamwork import git, run, team

    t = team(tmp_path)
    for name, line in (("w2", "第一网格周三例会\n"), ("w3", "第一网格周四例会\n")):
        (t[name] / "说明.txt").write_text(line, encoding="utf-8")
        git(t[name], "add", "说明.txt")
        git(t[name], "commit", "-qm", "说明")
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "sync")[0] == 0 and run(t["office"], "review", "S0002", "--approve")[0] == 0
    code, out = run(t["w3"], "sync")
    assert code == 1, out
    assert "冲突: 说明.txt 两边都改了，git 未能合并" in out and "一方删除" not in out, out
