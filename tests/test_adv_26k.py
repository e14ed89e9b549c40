"""Attacks on the approval of review: required with a shared remote (review --approve on the shared main)."""

from __future__ import annotations

from pathlib import Path

import yaml_rs
from teamwork import git, run, team

HOUSE = "households/110105001001001/H000001.yaml"


def office_team(tmp: Path, review: bool = True) -> dict[str, Path]:
    t = team(tmp, review=review)
    if review:
        code, out = run(t["office"], "setup", "--worker", "S0001")
        assert code == 0, out
    return t


def room(clone: Path, rev: str = "main") -> str:
    return yaml_rs.loads(git(clone, "show", f"{rev}:{HOUSE}"))["address"]["room"]


def _approves_only_what_was_seen(t: dict[str, Path]) -> None:
    office, w2 = t["office"], t["w2"]
    main = git(t["remote"], "rev-parse", "main")
    assert run(w2, "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    assert run(w2, "sync")[0] == 0
    assert run(office, "sync")[0] == 0
    code, out = run(office, "review", "S0002")
    assert code == 0 and "1 个提交" in out and "民族" in out and "地址" not in out, out
    assert run(w2, "edit", "H000001", "--set", "address.room=509")[0] == 0  # after the chief looked
    assert run(w2, "sync")[0] == 0
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 2 and "在查看之后又有了新的提交" in out and "gridctl review S0002" in out, out
    assert git(t["remote"], "rev-parse", "main") == main and room(t["remote"]) == "501"
    code, out = run(office, "review", "S0002")  # the approval fetched it: the chief sees it now
    assert code == 0 and "2 个提交" in out and "地址" in out, out
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 0 and "已审核通过并合并" in out, out
    assert room(t["remote"]) == "509"


def test_an_approval_takes_the_branch_the_chief_looked_at_not_what_the_worker_sent_since(tmp_path: Path) -> None:
    """The chief looks at review/S0002 (1 commit: 民族); 李强 syncs again (room 509); the approval
    fetched first and merged both commits, the room nobody had looked at, as 审核通过 (2 个提交)."""
    _approves_only_what_was_seen(office_team(tmp_path / "required"))
    _approves_only_what_was_seen(office_team(tmp_path / "optional", review=False))  # the office's HEAD path


def test_status_counts_a_file_git_could_not_merge_after_an_approval(tmp_path: Path) -> None:
    """The office edits H000001 (waiting as review/S0001); 李强's branch deletes its file. The approval
    is pushed, and the office's clone stops on the deleted-and-changed file: sync said 1 conflict, and
    status said 冲突都已解决，gridctl sync 校验并提交合并."""
    t = office_team(tmp_path)
    office, w2 = t["office"], t["w2"]
    assert run(office, "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(office, "sync")[0] == 0
    git(w2, "rm", "-q", HOUSE)
    git(w2, "commit", "-q", "-m", "删除户 H000001")
    assert run(w2, "sync")[0] == 0
    assert run(office, "sync")[0] == 0
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 1 and "已审核通过并合并" in out and "一方删除、另一方修改" in out, out
    code, out = run(office, "status")
    assert code == 0 and "1 处冲突未解决" in out and "冲突都已解决" not in out, out
    assert room(office, "HEAD") == "502"  # the office's own edit is kept, its review waits
    assert "review/S0001" in git(t["remote"], "branch", "--list", "review/*")


def test_the_preview_names_files_that_hold_no_record_such_as_the_settings(tmp_path: Path) -> None:
    """李强's branch takes `review: required` out of gridctl.yaml beside an edit: the preview said only
    修改人员 P0000001: 民族 (2 个提交), and the approval put review: optional on the shared main."""
    t = office_team(tmp_path)
    office, w2 = t["office"], t["w2"]
    settings = w2 / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("review: required\n", ""), encoding="utf-8")
    git(w2, "commit", "-q", "-am", "整理")
    assert run(w2, "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    assert run(w2, "sync")[0] == 0
    assert run(office, "sync")[0] == 0
    code, out = run(office, "review", "S0002")
    assert code == 0 and "修改人员 P0000001: 民族\n  修改文件 gridctl.yaml\n" in out, out
    code, out = run(office, "--lang", "en", "review", "S0002")
    assert code == 0 and "changed file gridctl.yaml" in out, out
