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
