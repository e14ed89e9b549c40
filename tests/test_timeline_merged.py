"""GC400 after two workers each added a step to the same event and the two sides were merged.

The check walked history as one line of commits and compared each version of an event with the one
listed before it, which after a merge is the other side's: both steps kept, and validate still said
the other side's step was "rewritten or deleted". Each version is now compared with its own parents'
(a merge's with every parent's), the working tree with HEAD's and, while a merge is under way, with
the other side's too; what a merge under way brings in is part of the validation cache's key.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from teamwork import git, run, team

EVENT = "events/2026/03/E202603-0001.yaml"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDCTL_TODAY", "2026-04-01")


def one_event_two_sides(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The office reports and accepts an event and shares it; then, each on its own, the office
    supervises it (督办) and 李强 (w2) dispatches it (派遣), an hour later: a history read as one line
    has the office's step first, and the merge, which puts 李强's own step first, "rewriting" it."""
    t = team(tmp)
    office = t["office"]

    def step(clone: Path, at: str, *args: str) -> None:
        monkeypatch.setenv("GIT_AUTHOR_DATE", f"{at} +0800")
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"{at} +0800")
        code, out = run(clone, "event", *args, "--at", at)
        assert code == 0, out

    report = ["--grid", "110105001001001", "--type", "安全隐患", "--title", "楼道堆物", "--by", "S0002"]
    step(office, "2026-03-02 09:00", "report", *report)
    step(office, "2026-03-02 10:00", "accept", "E202603-0001", "--by", "S0001")
    assert run(office, "sync")[0] == 0
    for worker in ("w2", "w3"):
        git(t[worker], "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    step(office, "2026-03-03 10:00", "supervise", "E202603-0001", "--by", "S0001", "--card", "yellow")
    step(t["w2"], "2026-03-03 11:00", "dispatch", "E202603-0001", "--by", "S0001", "--to", "S0002")
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert run(office, "sync")[0] == 0
    return t


def actions(clone: Path) -> list[str]:
    import yaml_rs

    return [step["action"] for step in yaml_rs.loads((clone / EVENT).read_text(encoding="utf-8"))["timeline"]]


def validate(clone: Path, *args: str) -> tuple[int, str]:
    return run(clone, "--lang", "en", "validate", *args)


def test_sync_keeps_both_sides_steps_and_validate_finds_no_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = one_event_two_sides(tmp_path, monkeypatch)
    code, out = run(t["w2"], "sync")
    assert code == 0 and "已合并" in out, out
    assert actions(t["w2"]) == ["上报", "受理", "派遣", "督办"]
    code, out = validate(t["w2"])
    assert code == 0 and "GC400" not in out, out
    for side in ("HEAD^1", "HEAD^2", "HEAD"):  # each side as committed, read from git: its own history
        code, out = validate(t["w2"], "--rev", git(t["w2"], "rev-parse", side))
        assert code == 0 and "GC400" not in out, (side, out)


def test_a_plain_git_merge_keeps_both_sides_steps_and_validate_finds_no_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = one_event_two_sides(tmp_path, monkeypatch)
    git(t["w2"], "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")  # the merge hook validates too
    assert len(git(t["w2"], "rev-parse", "HEAD^@").split()) == 2
    assert actions(t["w2"]) == ["上报", "受理", "派遣", "督办"]
    code, out = validate(t["w2"])
    assert code == 0 and "GC400" not in out, out
    # the office takes the merge in turn: from its side the worker's step came between
    git(t["w2"], "push", "-q", "origin", "HEAD:refs/heads/merged")
    git(t["office"], "pull", "-q", "--no-rebase", "--no-edit", "origin", "merged")
    code, out = validate(t["office"])
    assert code == 0 and "GC400" not in out, out


def test_a_merge_under_way_is_checked_against_both_sides_and_never_answered_from_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = one_event_two_sides(tmp_path, monkeypatch)
    w2 = t["w2"]
    assert validate(w2)[0] == 0  # an answer kept for these files and this HEAD
    git(w2, "fetch", "-q", "origin")
    git(w2, "merge", "--no-commit", "--no-ff", "origin/main")  # both steps, not yet committed
    assert actions(w2) == ["上报", "受理", "派遣", "督办"]
    code, out = validate(w2)
    assert code == 0 and "GC400" not in out, out
    git(w2, "merge", "--abort")
    # the other side's step dropped: the same files and HEAD as the clean answer, a merge under way
    git(w2, "merge", "--no-commit", "--no-ff", "-s", "ours", "origin/main")
    assert actions(w2) == ["上报", "受理", "派遣"]
    code, out = validate(w2)
    assert code == 1, out
    assert "error[GC400] event E202603-0001: timeline step 3 (督办, 2026-03-03 10:00:00)" in out, out
    assert "in working tree" in out, out
    git(w2, "merge", "--abort")
    assert validate(w2)[0] == 0


def test_a_merge_that_drops_a_sides_step_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t = one_event_two_sides(tmp_path, monkeypatch)
    w2 = t["w2"]
    git(w2, "fetch", "-q", "origin")
    git(w2, "merge", "-q", "--no-verify", "--no-edit", "-s", "ours", "origin/main")
    merge = git(w2, "rev-parse", "--short=10", "HEAD")
    code, out = validate(w2)
    assert code == 1, out
    assert f"timeline step 3 (督办, 2026-03-03 10:00:00) was rewritten or deleted in {merge}" in out, out


def test_a_step_rewritten_by_hand_on_one_side_is_still_reported_after_the_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = one_event_two_sides(tmp_path, monkeypatch)
    w2 = t["w2"]
    path = w2 / EVENT  # 李强 changes his own dispatch afterwards, by hand: still one more step than the base
    path.write_text(path.read_text(encoding="utf-8").replace("至 S0002", "至 S0001"), encoding="utf-8")
    git(w2, "commit", "-q", "-am", "改写派遣")
    rewrite = git(w2, "rev-parse", "--short=10", "HEAD")
    git(w2, "fetch", "-q", "origin")
    proc = subprocess.run(
        ["git", "merge", "--no-verify", "--no-edit", "origin/main"], cwd=w2, capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert actions(w2) == ["上报", "受理", "派遣", "督办"]
    code, out = validate(w2)
    assert code == 1, out
    assert f"timeline step 3 (派遣, 2026-03-03 11:00:00) was rewritten or deleted in {rewrite}" in out, out
    assert out.count("GC400") == 1, out
