"""`gridctl log` tells what a merge decided: a conflict settled in the office is the merge's own change.

The log left merges out: it told 李强 setting 房号 201 and 赵敏 setting 301, never which one the
ledger kept, while `history` showed it. Values merged from both sides without a conflict are each
told once, by the commit that made them.
"""

from __future__ import annotations

import json
from pathlib import Path

from teamwork import run, team


def test_the_log_tells_what_a_merge_settled_and_nothing_it_only_brought(tmp_path: Path) -> None:
    c = team(tmp_path)
    office = c["office"]
    assert run(c["w2"], "edit", "H000001", "--set", "address.room=201")[0] == 0
    assert run(c["w2"], "sync")[0] == 0
    assert run(c["w3"], "edit", "H000001", "--set", "address.room=301")[0] == 0
    assert run(c["w3"], "edit", "H000001", "--set", "housing=租赁")[0] == 0
    assert run(c["w3"], "sync")[0] == 0
    assert run(office, "review", "S0002", "--approve")[0] == 0
    code, out = run(office, "review", "S0003", "--approve")
    assert code == 1 and "address.room" in out, out
    code, out = run(office, "resolve", "H000001", "address.room", "--take", "theirs")
    assert code == 0 and "下一步: gridctl sync" in out, out  # the approval is not on the shared main yet
    code, out = run(office, "log")
    lines = out.splitlines()
    said = [ln.split(": ", 1)[1].removesuffix("（审核通过: 王芳）") for ln in lines]
    assert said[0] == "审核通过 2 个提交" and "王芳" in lines[0], lines  # the approval, then what it settled
    assert said[1] == "合并时定下户 H000001: 地址" and "王芳" in lines[1], lines  # 赵敏's 301 kept over 李强's 201
    assert said.count("修改户 H000001: 地址") == 2 and said.count("修改户 H000001: 住房性质") == 1, lines
    assert not any("住房性质" in s and "合并" in s for s in said)  # brought, not decided: told once
    code, out = run(office, "log", "--format", "json")
    commits = json.loads(out)["commits"]
    assert commits[0]["merge"] is True and [ch["id"] for ch in commits[0]["changes"]] == ["H000001"]
    assert not any(ci["merge"] and ci["changes"] for ci in commits[1:]), "a clean merge adds nothing of its own"
    code, again = run(office, "log")  # from the log's cache: the same
    assert again.splitlines() == lines
    import shutil

    shutil.rmtree(office / ".git" / "gridctl")  # a log cut to one author: the merge's parents are not read
    code, mine = run(office, "log", "--author", "王芳")
    assert mine.splitlines()[:2] == lines[:2], mine


def test_a_conflict_settled_for_this_side_is_told_too(tmp_path: Path) -> None:
    """`--take mine` leaves the file as this side had it: nothing changed against the first parent, yet the
    merge decided 201 over 301, and the log must say that a decision was made."""
    c = team(tmp_path)
    office = c["office"]
    assert run(c["w2"], "edit", "H000001", "--set", "address.room=201")[0] == 0
    assert run(c["w2"], "sync")[0] == 0
    assert run(c["w3"], "edit", "H000001", "--set", "address.room=301")[0] == 0
    assert run(c["w3"], "sync")[0] == 0
    assert run(office, "review", "S0002", "--approve")[0] == 0
    assert run(office, "review", "S0003", "--approve")[0] == 1
    code, out = run(office, "resolve", "H000001", "address.room", "--take", "mine")
    assert code == 0, out
    code, out = run(office, "--lang", "en", "log", "--format", "json")
    first = json.loads(out)["commits"][0]
    assert first["merge"] is True, first
    assert [(ch["what"], ch["sentence"]) for ch in first["changes"]] == [
        ("settled", "merge settled household H000001: address")
    ]
