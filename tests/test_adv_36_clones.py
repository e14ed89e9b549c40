"""Worker clones, merged: a household moved two ways and edited after one of the moves, an event's status
after a merged timeline, what a bundle sent counts as shared, and resolve's choice of grid."""

from __future__ import annotations

from pathlib import Path

import pytest
from teamwork import git, run, team
from test_adv_34_clones import GRID, SECOND, _files, _moved_two_ways


def test_a_move_the_other_side_edited_after_is_still_a_conflict_on_its_grid(tmp_path: Path) -> None:
    """The office moved H000001 to 第二网格 and then changed its housing; 李强 moved it to 第三网格. git
    merged the two renamed files' contents into both sides' stages, so the office's grid was gone:
    sync merged with exit 0, the household stayed in 第三网格 and the office's move was lost without
    a word. It is the one conflict on `grid`, and the office's housing is kept."""
    t = _moved_two_ways(tmp_path)
    office, w2 = t["office"], t["w2"]
    assert run(office, "edit", "H000001", "--set", "housing=租住")[0] == 0
    assert run(office, "sync")[0] == 0
    code, out = run(w2, "sync")
    assert code == 1 and "冲突: 户 H000001 的 grid 两边改法不同" in out, out
    assert ": 110105001001003" in out and ": 110105001001002" in out, out
    assert _files(w2) == [f"households/{GRID[:-1]}3/H000001.yaml"]
    code, out = run(w2, "resolve", "H000001", "grid", "--take", "theirs")
    assert code == 0 and "合并已提交" in out, out
    assert _files(w2) == [f"households/{GRID[:-1]}2/H000001.yaml"]
    text = (w2 / f"households/{GRID[:-1]}2/H000001.yaml").read_text("utf-8")
    assert 'grid: "110105001001002"' in text and "housing: 租住" in text, text
    assert git(w2, "status", "--porcelain") == ""
    assert run(w2, "validate")[0] == 0


EVENT = "events/2026/03/E202603-0001.yaml"


def _steps_two_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """An event dispatched to 李强 and shared; then the office returns it (回退, 10:00) while 李强 handles
    it (处置, 11:00), each in its own clone, and the office shares its step."""
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-03-10")
    t = team(tmp_path)
    office, w2 = t["office"], t["w2"]

    def step(clone: Path, at: str, *args: str) -> None:
        code, out = run(clone, "event", *args, "--at", at)
        assert code == 0, out

    report = ["--grid", GRID, "--type", "安全隐患", "--title", "楼道堆物", "--by", "S0002"]
    step(office, "2026-03-02 09:00", "report", *report)
    step(office, "2026-03-02 10:00", "accept", "E202603-0001", "--by", "S0001")
    step(office, "2026-03-02 11:00", "dispatch", "E202603-0001", "--by", "S0001", "--to", "S0002")
    assert run(office, "sync")[0] == 0
    assert run(w2, "sync")[0] == 0
    step(office, "2026-03-03 10:00", "return", "E202603-0001", "--by", "S0001", "--reason", "信息不全")
    assert run(office, "sync")[0] == 0
    step(w2, "2026-03-03 11:00", "handle", "E202603-0001", "--by", "S0002", "--note", "已清理")
    return t


def test_a_status_settled_in_a_merge_follows_the_merged_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a 回退 and a 处置 from two clones the status conflicts; `resolve … status --take 已结案`
    closed the event with no 结案 step by anyone (off due, validate clean). The status taken must be
    one the merged timeline's last step sets: 已结案 is refused, the conflict stays open, 处置中 is taken."""
    t = _steps_two_ways(tmp_path, monkeypatch)
    w2 = t["w2"]
    code, out = run(w2, "sync")
    assert code == 1 and "E202603-0001 的 status 两边改法不同" in out, out
    before = (w2 / EVENT).read_bytes()
    code, out = run(w2, "resolve", "E202603-0001", "status", "--take", "已结案")
    assert code != 0 and "E202603-0001 的状态不能取 已结案" in out and "处置中或已回退" in out, out
    assert "Traceback" not in out and (w2 / EVENT).read_bytes() == before
    code, out = run(w2, "resolve", "E202603-0001", "status", "--take", "mine")
    assert code == 0 and "合并已提交" in out, out
    assert "status: 处置中" in (w2 / EVENT).read_text("utf-8")
    assert run(w2, "validate")[0] == 0


def test_validate_names_a_status_no_step_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hand-typed `status: 已结案` with no 结案 step passed validate: the event was off due as closed."""
    t = _steps_two_ways(tmp_path, monkeypatch)
    office = t["office"]
    path = office / EVENT
    path.write_text(path.read_text("utf-8").replace("status: 已回退", "status: 已结案"), "utf-8")
    code, out = run(office, "validate")
    assert code == 1 and "GC100" in out and "字段 status: 已结案 不是处置记录所到的状态" in out, out
    assert "最后一步回退之后是 已回退" in out, out


def test_remove_refuses_what_a_bundle_took_to_the_office(tmp_path: Path) -> None:
    """A worker without a network hands a household to the office by `gridctl bundle`, and the office
    approves it. `remove` looked at remote-tracking branches only and deleted it as "unshared"; the
    deletion then went to review like any change. What the bundle carried counts as shared."""
    t = team(tmp_path)
    office, w2 = t["office"], t["w2"]
    assert run(w2, "add", "household", "--set", f"grid={GRID}", "--set", "housing=租住")[0] == 0  # H2000001
    code, out = run(w2, "bundle", "-o", str(tmp_path / "w2.bundle"))
    assert code == 0, out
    code, out = run(office, "sync", "--bundle", str(tmp_path / "w2.bundle"))
    assert code == 0, out
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 0, out
    head = git(w2, "rev-parse", "HEAD")
    code, out = run(w2, "-m", "重复录入", "remove", "H2000001")
    assert code == 2 and "H2000001 已共享" in out and "review/S0002" in out, out
    assert "Traceback" not in out and git(w2, "rev-parse", "HEAD") == head
    assert (w2 / "households" / GRID / "H2000001.yaml").is_file()


def test_resolve_refuses_a_grid_this_side_retired_and_leaves_the_conflict_open(tmp_path: Path) -> None:
    """The office moved H000001 to 第二网格; 李强 moved it to 第三网格 and retired 第二网格. `resolve
    H000001 grid --take theirs` failed with a raw "git update-index failed", left the file in the retired
    grid's folder and the conflict marked settled. It is refused in words, nothing moved, still open."""
    t = _moved_two_ways(tmp_path)
    w2 = t["w2"]
    code, out = run(w2, "retire", "第二网格", "--reason", "并入第三网格")
    assert code == 0, out
    code, out = run(w2, "sync")
    assert code == 1 and "H000001 的 grid 两边改法不同" in out, out
    before = git(w2, "status", "--porcelain")
    code, out = run(w2, "resolve", "H000001", "grid", "--take", "theirs")
    assert code != 0 and "网格 110105001001002 第二网格 已于" in out and "注销" in out, out
    assert "git update-index" not in out and "Traceback" not in out, out
    assert git(w2, "status", "--porcelain") == before
    assert _files(w2) == [f"households/{GRID[:-1]}3/H000001.yaml"]
    code, out = run(w2, "status")
    assert "1" in out and "gridctl resolve" in out, out
    code, out = run(w2, "resolve", "H000001", "grid", "--take", "mine")
    assert code == 0 and "合并已提交" in out, out
    assert run(w2, "validate")[0] == 0


def test_resolve_takes_a_grid_by_its_name_and_the_field_by_its_chinese_name(tmp_path: Path) -> None:
    """`resolve H000001 grid --take 第二网格` was refused as GC112 ("cannot be an id or code … Windows device
    name") and `resolve H000001 所属网格` found no conflict: every other command takes both."""
    t = _moved_two_ways(tmp_path)
    w2 = t["w2"]
    assert run(w2, "sync")[0] == 1
    code, out = run(w2, "resolve", "H000001", "所属网格", "--take", "第二网格")
    assert code == 0 and "合并已提交" in out and "GC112" not in out, out
    assert _files(w2) == [f"households/{GRID[:-1]}2/H000001.yaml"]
    assert 'grid: "110105001001002"' in (w2 / f"households/{GRID[:-1]}2/H000001.yaml").read_text("utf-8")
    assert git(w2, "status", "--porcelain") == "" and run(w2, "validate")[0] == 0


def test_a_household_added_to_a_grid_emptied_meanwhile_stays_in_its_grid(tmp_path: Path) -> None:
    """The office moved every household of 第一网格 to 第二网格 (a grid merged away) while 李强 added one to
    第一网格. git took the folder for renamed and moved 李强's new file into 第二网格's, as "deleted on one
    side, changed on the other": sync stopped on a raw git conflict, and `git rm`, which git offers,
    deleted the household. Now the merge is clean and the household stays where it was added."""
    t = team(tmp_path)
    office, w2 = t["office"], t["w2"]
    (office / "grids/110105001001002.yaml").write_text(SECOND, encoding="utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "第二网格")
    assert run(office, "sync")[0] == 0
    assert run(w2, "sync")[0] == 0
    assert run(office, "move", "H000001", "--to", "第二网格")[0] == 0
    assert run(office, "sync")[0] == 0
    assert run(w2, "add", "household", "--set", f"grid={GRID}", "--set", "housing=租住")[0] == 0  # H2000001
    code, out = run(w2, "sync")
    assert code == 0 and "冲突" not in out, out
    assert _files(w2) == [f"households/{GRID}/H2000001.yaml", f"households/{GRID[:-1]}2/H000001.yaml"]
    assert git(w2, "status", "--porcelain") == "" and run(w2, "validate")[0] == 0
