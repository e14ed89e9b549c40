"""Worker clones, merged: a household moved two ways and edited after one of the moves, an event's status
after a merged timeline, what a bundle sent counts as shared, and resolve's choice of grid."""

from __future__ import annotations

from pathlib import Path

from teamwork import git, run
from test_adv_34_clones import GRID, _files, _moved_two_ways


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
