"""The audit trail tells who let a change into the ledger, and what a merge settled on a record that changed file.

`review --approve` merges a worker's branch with a `Reviewed-by:` trailer, yet `log` and `history`
never named the approver. And a merge that kept one side's household file whole, where the other side
had moved a person out of it, dropped an edit of that person without a word in the log.
"""

from __future__ import annotations

import json
from pathlib import Path

from teamwork import run, team

from conftest import household, id_number

TWO = {"households/110105001001001/H000002.yaml": household("H000002", "P0000002", id_number(seq="456"))}


def _moved_and_edited(tmp: Path, mover_first: bool) -> tuple[dict[str, Path], Path]:
    """李强 moves 张伟 (P0000001) to H000002 while 赵敏 edits his phone; the second to sync settles it."""
    t = team(tmp, households=TWO)
    office = t["office"]
    first, second = ("w2", "w3") if mover_first else ("w3", "w2")
    steps = {
        "w2": ("move", "P0000001", "--to-household", "H000002", "--relation", "配偶"),
        "w3": ("edit", "P0000001", "--set", "phones=13611112222"),
    }
    assert run(t[first], *steps[first])[0] == 0 and run(t[first], "sync")[0] == 0
    assert run(office, "sync")[0] == 0 and run(office, "review", f"S000{first[1]}", "--approve")[0] == 0
    assert run(t[second], *steps[second])[0] == 0
    code, out = run(t[second], "sync")
    assert code == 1 and "P0000001" in out, out
    take = "theirs" if mover_first else "mine"  # the move wins: the other choice is GC201 (two households)
    code, out = run(t[second], "resolve", "P0000001", "-", "--take", take)
    assert code == 0, out
    return t, t[second]


def test_a_merge_that_kept_the_movers_file_tells_the_phone_edit_it_dropped(tmp_path: Path) -> None:
    """The merge took the mover's households whole: 张伟's new phone was lost, and the log showed 赵敏
    changing his phone and nothing after it, as if the ledger held 136…."""
    for mover_first in (True, False):
        _t, clone = _moved_and_edited(tmp_path / str(mover_first), mover_first)
        house = yaml_phone(clone)
        assert house == ["13912345678"]  # the edit is gone: the merge decided that
        code, out = run(clone, "log")
        first = out.splitlines()[0]
        assert code == 0 and first.endswith("合并时定下人员 P0000001: 联系电话"), out
        code, out = run(clone, "--lang", "en", "log", "--format", "json")
        merge = json.loads(out)["commits"][0]
        assert merge["merge"] and [(c["id"], c["what"]) for c in merge["changes"]] == [("P0000001", "settled")]
        shown = ("13912345678", "13611112222", "139****5678", "136****2222")
        assert not any(p in out for p in shown)  # no phone in the log, whole or masked (commit ids hold digits)


def yaml_phone(clone: Path) -> list[str]:
    import yaml_rs

    data = yaml_rs.loads((clone / "households/110105001001001/H000002.yaml").read_text(encoding="utf-8"))
    return next(m["phones"] for m in data["members"] if m["id"] == "P0000001")


def test_log_and_history_say_who_approved_each_change(tmp_path: Path) -> None:
    """An inspector asking who let 李强's two edits into the ledger had to read git's Reviewed-by trailer."""
    from teamwork import git

    t = team(tmp_path, review=True, households=TWO)
    office = t["office"]
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=201")[0] == 0
    assert run(t["w2"], "edit", "H000002", "--set", "housing=租赁")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["w3"], "edit", "H000002", "--set", "address.room=909")[0] == 0
    assert run(t["w3"], "sync")[0] == 0
    git(office, "fetch", "-q", "origin")
    assert run(office, "review", "S0003", "--reject", "-m", "房号不对")[0] == 0
    assert run(office, "review", "S0002", "--approve")[0] == 0
    code, out = run(office, "log")
    lines = out.splitlines()
    assert code == 0 and lines[0].endswith("王芳: 审核通过 2 个提交"), out
    assert [ln for ln in lines if "审核通过: 王芳" in ln] == [ln for ln in lines if "李强:" in ln], out
    assert len([ln for ln in lines if "李强:" in ln]) == 2 and "909" not in out and "赵敏:" not in out, out
    assert run(office, "log")[1] == out  # kept: the same
    code, by = run(office, "log", "--by", "李强")  # the approval is cut out, yet named
    assert by.splitlines() == [ln for ln in lines if "李强:" in ln], by
    code, out = run(office, "--lang", "en", "log", "--format", "json")
    commits = json.loads(out)["commits"]
    approval = commits[0]
    assert approval["approved_by"]["name"] == "王芳" and len(approval["approves"]) == 2, approval
    brought = [c for c in commits if c["author"] == "李强"]
    assert {c["commit"] for c in brought} == set(approval["approves"])
    assert all(c["approved_by"]["commit"] == approval["commit"] for c in brought)
    assert all(c["approved_by"] is None for c in commits if c["author"] == "王芳" and c is not approval)
    code, out = run(office, "history", "H000001")
    assert code == 0 and len(out.splitlines()) > 3 and "审核通过: 王芳" in out.splitlines()[3], out
    code, out = run(office, "--lang", "en", "history", "H000001", "--format", "json")
    versions = json.loads(out)["versions"]
    assert versions[0]["approved_by"]["name"] == "王芳" and versions[-1]["approved_by"] is None, versions
    # the approval taken back (git revert of the merge): the revert is told as a change; the approval stays said
    git(office, "-c", "user.name=王芳", "-c", "user.email=wf@example.cn", "revert", "--no-edit", "-m", "1", "HEAD")
    code, out = run(office, "log")
    assert code == 0 and "（审核通过: 王芳）" not in out.splitlines()[0] and out.count("审核通过: 王芳") == 2, out
