"""Attacks on the teamwork changes of one day: a killed merge undone, the office's bundle, approvals in the log."""

from __future__ import annotations

import json
from pathlib import Path

from teamwork import git, run, team

NOTE = "gridctl-merging.json"


def test_a_merge_note_naming_no_commit_of_this_clone_is_dropped_not_a_dead_end(tmp_path: Path) -> None:
    """A note left (or damaged) naming HEAD and a commit this clone lacks: every command stopped on
    "git diff-tree 失败: unknown revision" (exit 2), with no way out the clerk could see."""
    w2 = team(tmp_path)["w2"]
    head = git(w2, "rev-parse", "HEAD")
    for target in ("1" * 40, "nosuchthing", "--output=x"):
        (w2 / ".git" / NOTE).write_text(json.dumps({"head": head, "target": target}), encoding="utf-8")
        code, out = run(w2, "status")
        assert code == 0 and "diff-tree" not in out, (target, out)
        assert not (w2 / ".git" / NOTE).exists()
        assert not (w2 / "x").exists()
    assert git(w2, "rev-parse", "HEAD") == head and git(w2, "status", "--porcelain") == ""


def test_a_worker_who_set_up_the_office_by_mistake_can_take_it_back(tmp_path: Path) -> None:
    """李强 ran `setup --office` in his offline clone: his file carried his unreviewed main, refused in
    the office (rightly), with the hint to run `setup --worker`, which left the clone the office's.
    No command took `--office` back: every file he made was refused."""
    from test_adv_27a import heads, office_team

    t = office_team(tmp_path)
    w2, office = t["w2"], t["office"]
    git(w2, "remote", "remove", "origin")  # offline
    assert run(w2, "setup", "--office")[0] == 0
    assert run(w2, "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(w2, "bundle", "-o", str(tmp_path / "a.bundle"))[0] == 0
    code, out = run(office, "sync", "--bundle", str(tmp_path / "a.bundle"))
    assert code == 2 and "--no-office" in out, out

    code, out = run(w2, "setup", "--worker", "S0002", "--no-office")
    assert code == 0 and "本机不是办公室的台账" in out, out
    code, out = run(w2, "bundle", "-o", str(tmp_path / "b.bundle"))
    assert code == 0 and "review/S0002" in out, out
    assert list(heads(tmp_path, tmp_path / "b.bundle")) == ["refs/heads/review/S0002"]
    code, out = run(office, "sync", "--bundle", str(tmp_path / "b.bundle"))
    assert code == 0 and "待审核: bundle/review/S0002" in out, out


def test_a_reviewed_by_typed_into_a_workers_own_merge_is_no_approval(tmp_path: Path) -> None:
    """李强 merged his own branch with `git merge -m` and the office's approval message (Reviewed-by: 王芳):
    log said 王芳 approved it, and named her as the approval's author."""
    t = team(tmp_path, review=True)
    office, w2 = t["office"], t["w2"]
    assert run(w2, "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(w2, "sync")[0] == 0
    assert run(office, "review", "S0002", "--approve")[0] == 0
    approval = git(office, "log", "-1", "--format=%B")
    assert "Reviewed-by: 王芳" in approval
    assert run(w2, "sync")[0] == 0
    git(w2, "checkout", "-q", "-b", "side")
    assert run(w2, "edit", "H000001", "--set", "address.room=503")[0] == 0
    git(w2, "checkout", "-q", "main")
    git(w2, "merge", "--no-ff", "-q", "-m", approval, "side")
    code, out = run(w2, "log")
    assert code == 0, out
    lines = out.splitlines()
    own = [line for line in lines if line[10:] == " 李强: 修改户 H000001: 地址"]  # after the day it ran
    assert len(own) == 1, out  # his own merge's change: nobody approved it
    assert sum("（审核通过: 王芳）" in line for line in lines) == 1, out  # the real approval's change alone
    assert sum("审核通过 1 个提交" in line for line in lines) == 1, out
