"""`review: required` with a shared remote: the office's own work goes through review too.

The office's clone is set up as grid worker S0001; its sync sends its work to review/S0001, and only
`review --approve` moves the shared main branch, whoever's branch it approves.
"""

from __future__ import annotations

from pathlib import Path

import yaml_rs
from teamwork import git, run, team

HOUSE = "households/110105001001001/H000001.yaml"


def office_team(tmp: Path) -> dict[str, Path]:
    t = team(tmp, review=True)
    code, out = run(t["office"], "setup", "--worker", "S0001")
    assert code == 0, out
    return t


def shown(clone: Path, rev: str, rel: str = HOUSE) -> dict:
    return yaml_rs.loads(git(clone, "show", f"{rev}:{rel}"))


def test_the_offices_own_branch_is_listed_and_not_pushed_by_approving_another(tmp_path: Path) -> None:
    """The office's sync sent review/S0001, but `review` counted it against the office's own main
    (which holds those commits) and never listed it; approving S0002 then merged S0002 into the
    office's HEAD and pushed HEAD: the office's unreviewed edit reached main as "审核通过 review/S0002"."""
    t = office_team(tmp_path)
    office = t["office"]
    main_before = git(t["remote"], "rev-parse", "main")
    assert run(office, "edit", "H000001", "--set", "address.room=502")[0] == 0
    code, out = run(office, "sync")
    assert code == 0 and "已提交审核: review/S0001" in out, out
    assert git(t["remote"], "rev-parse", "main") == main_before
    assert run(t["w2"], "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    git(office, "fetch", "-q", "origin")
    code, out = run(office, "review")
    assert code == 0 and "review/S0001  1 个提交  王芳" in out and "review/S0002  1 个提交  李强" in out, out
    text = (office / HOUSE).read_text(encoding="utf-8")
    (office / HOUSE).write_text(text + "# 未保存\n", encoding="utf-8")  # the clone takes the approval after it
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 2 and "未提交的修改" in out and git(t["remote"], "rev-parse", "main") == main_before, out
    (office / HOUSE).write_text(text, encoding="utf-8")
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 0 and "已审核通过并合并" in out, out
    main = git(t["remote"], "rev-parse", "main")
    assert shown(t["remote"], main)["address"]["room"] == "501"  # the office's edit is still waiting
    assert shown(t["remote"], main)["members"][0]["ethnicity"] == "汉族"
    assert "Reviewed-by: 王芳 <" in git(t["remote"], "log", "-1", "--format=%B", main)
    assert git(t["remote"], "log", "-1", "--format=%s", main) == "审核通过 origin/review/S0002（1 个提交）"
    # the office's clone has main's approval, and its own edit still waits for review
    merged = yaml_rs.loads((office / HOUSE).read_text(encoding="utf-8"))
    assert merged["address"]["room"] == "502" and merged["members"][0]["ethnicity"] == "汉族"
    assert git(office, "status", "--porcelain") == ""
    code, out = run(office, "review")
    assert code == 0 and "review/S0001" in out and "review/S0002" not in out, out


def test_the_offices_own_branch_reaches_main_only_when_approved_and_both_fields_survive(tmp_path: Path) -> None:
    """The office's edit and a worker's, to different fields of one household, are approved one after
    the other: main has both, each approval with its Reviewed-by, and every clone ends with both."""
    t = office_team(tmp_path)
    office = t["office"]
    assert run(office, "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(office, "sync")[0] == 0
    assert run(t["w2"], "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    git(office, "fetch", "-q", "origin")
    assert run(office, "review", "S0002", "--approve")[0] == 0
    code, out = run(office, "review", "S0001")  # what the office's own branch changes, against the shared main
    assert code == 0 and "修改户 H000001" in out and "合并后没有新问题" in out, out
    code, out = run(office, "review", "王芳", "--approve")  # a name, as everywhere
    assert code == 0 and "已审核通过并合并" in out, out
    main = git(t["remote"], "rev-parse", "main")
    house = shown(t["remote"], main)
    assert house["address"]["room"] == "502" and house["members"][0]["ethnicity"] == "汉族"
    assert git(t["remote"], "log", "-1", "--format=%s", main) == "审核通过 origin/review/S0001（1 个提交）"
    assert "Reviewed-by: 王芳 <" in git(t["remote"], "log", "-1", "--format=%B", main)
    assert git(t["remote"], "branch", "--list", "review/*") == ""  # both approved branches left the remote
    assert git(office, "rev-parse", "HEAD") == main and git(office, "status", "--porcelain") == ""
    assert run(office, "review")[1].strip() == "没有待审核的分支"
    code, out = run(office, "sync")
    assert code == 0 and "已是最新" in out, out
    code, out = run(t["w2"], "sync")
    assert code == 0 and "已提交审核" not in out, out
    assert git(t["w2"], "rev-parse", "HEAD") == main


def test_an_approval_that_would_add_an_error_or_conflicts_writes_nothing(tmp_path: Path) -> None:
    """The office's branch registers 周海; a worker's registers him again (GC240 once merged), and
    another worker's changes the room the office changed: neither approval moves anything."""
    from conftest import id_number

    t = office_team(tmp_path)
    office = t["office"]
    number = id_number(seq="345")
    person = ["--set", "name=周海", f"--set=id_number={number}", "--set", "gender=男", "--set", "birth_date=1980-03-15"]
    assert run(office, "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(office, "add", "person", "--household", "H000001", *person, "--set", "relation=子")[0] == 0
    assert run(office, "sync")[0] == 0
    assert run(t["w2"], "add", "household", "--set", "grid=110105001001001", "--set", "housing=自有")[0] == 0
    assert run(t["w2"], "add", "person", "--household", "H2000001", *person, "--set", "relation=户主")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=503")[0] == 0
    assert run(t["w3"], "sync")[0] == 0
    git(office, "fetch", "-q", "origin")
    assert run(office, "review", "S0001", "--approve")[0] == 0
    main, head = git(t["remote"], "rev-parse", "main"), git(office, "rev-parse", "HEAD")
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 1 and "GC240" in out and "未写入" in out and number not in out, out
    code, out = run(office, "review", "S0003", "--approve")
    assert code == 1 and "origin/review/S0003 与主分支有冲突" in out and "请提交人先 gridctl sync" in out, out
    assert git(t["remote"], "rev-parse", "main") == main and git(office, "rev-parse", "HEAD") == head
    assert git(office, "status", "--porcelain") == "" and not (office / ".git/MERGE_HEAD").exists()
    assert git(t["remote"], "branch", "--list", "review/*").split() == ["review/S0002", "review/S0003"]
    # 赵敏 settles the conflict in her clone; then her branch is approved
    assert run(t["w3"], "sync")[0] == 1
    assert run(t["w3"], "resolve", "H000001", "address.room", "--take", "503")[0] == 0
    assert "已提交审核: review/S0003" in run(t["w3"], "sync")[1]
    git(office, "fetch", "-q", "origin")
    code, out = run(office, "review", "S0003", "--approve")
    assert code == 0, out
    assert shown(t["remote"], "main")["address"]["room"] == "503"


def test_looking_at_a_branch_leaves_the_conflicts_of_the_offices_merge_under_way_as_they_were(tmp_path: Path) -> None:
    """`review S0002` merges the branch in memory; the record driver recorded its conflict for
    `resolve`, over the conflict of the office's own sync under way in the same file: the next sync
    said 赵敏 had set room 504, the value of 李强's unapproved branch."""
    t = team(tmp_path)
    office = t["office"]
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=504")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=503")[0] == 0
    git(t["w3"], "push", "-q", "origin", "HEAD:main")
    assert run(office, "edit", "H000001", "--set", "address.room=502")[0] == 0
    code, before = run(office, "sync")
    assert code == 1 and "对方 (赵敏" in before and ": 503" in before, before
    code, out = run(office, "review", "S0002")
    assert code == 1 and "与主分支有冲突" in out and "合并后没有新问题" not in out, out
    code, after = run(office, "sync")
    assert code == 1 and after == before, after
    code, out = run(office, "resolve", "H000001", "address.room", "--take", "theirs")
    assert code == 0, out
    assert yaml_rs.loads((office / HOUSE).read_text(encoding="utf-8"))["address"]["room"] == "503"
