"""gridctl sync, bundle, resolve and the merge driver with real repositories on disk."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml_rs
from teamwork import git, run, team

from conftest import id_number

HOUSE = "households/110105001001001/H000001.yaml"


NUMBER = id_number(seq="345")


def one_person_twice(t: dict[str, Path], worker: str, household: str) -> None:
    """The office registers 周海 on the main branch; a worker, offline, registers him again (GC240 once merged)."""
    person = ["--set", "name=周海", f"--set=id_number={NUMBER}", "--set", "gender=男", "--set", "birth_date=1980-03-15"]
    assert run(t["office"], "add", "person", "--household", "H000001", *person, "--set", "relation=子")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    assert run(t[worker], "add", "household", "--set", "grid=110105001001001", "--set", "housing=自有")[0] == 0
    assert run(t[worker], "add", "person", "--household", household, *person, "--set", "relation=户主")[0] == 0


def read(clone: Path, rel: str = HOUSE) -> dict:
    return yaml_rs.loads((clone / rel).read_text(encoding="utf-8"))


def test_two_workers_edit_different_fields_offline_and_both_changes_arrive(tmp_path: Path) -> None:
    t = team(tmp_path)
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["w3"], "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    code, out = run(t["w2"], "sync")
    assert code == 0, out
    assert "已提交审核: review/S0002" in out
    # not review-required, but a worker's work still goes to its own branch for the chief
    assert git(t["remote"], "rev-parse", "main") != git(t["w2"], "rev-parse", "HEAD")
    code, out = run(t["w3"], "sync")
    assert code == 0, out


def test_offline_additions_never_share_an_id(tmp_path: Path) -> None:
    t = team(tmp_path)
    args = ["add", "household", "--set", "grid=110105001001001", "--set", "housing=自有"]
    assert run(t["w2"], *args)[0] == 0
    assert run(t["w3"], *args)[0] == 0
    assert run(t["office"], *args)[0] == 0
    ids = {
        name: sorted(p.stem for p in (t[name] / "households/110105001001001").glob("H*.yaml"))
        for name in ("office", "w2", "w3")
    }
    assert ids == {
        "office": ["H000001", "H000002"],
        "w2": ["H000001", "H2000001"],
        "w3": ["H000001", "H3000001"],
    }


def test_the_same_field_changed_two_ways_is_a_conflict_explained_and_resolved(tmp_path: Path) -> None:
    t = team(tmp_path)
    assert run(t["office"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    code, out = run(t["office"], "sync")
    assert code == 0 and "已推送: main" in out, out
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=503", "--set", "housing=租住")[0] == 0
    code, out = run(t["w2"], "sync")
    assert code == 1, out
    assert "冲突: 户 H000001 的 address.room 两边改法不同" in out
    assert "本方 (李强" in out and ": 503" in out and "对方 (王芳" in out and ": 502" in out and "原值: 501" in out
    assert "gridctl resolve H000001 address.room --take mine|theirs|新值" in out
    assert read(t["w2"])["address"]["room"] == "503"  # the clerk's value stays until settled
    code, again = run(t["w2"], "sync")  # a sync during the merge shows what is still open
    assert code == 1 and "address.room" in again and "合并未完成: 1 处冲突" in again, again
    code, out = run(t["w2"], "resolve", "张伟户", "address.room", "--take", "theirs")  # a name, as everywhere
    assert code == 0 and "已处理 H000001 address.room" in out and "合并已提交" in out, out
    merged = read(t["w2"])
    assert merged["address"]["room"] == "502" and merged["housing"] == "租住"
    assert (t["w2"] / HOUSE).read_text(encoding="utf-8").startswith("# 2026年3月入户核实")  # comment kept
    assert git(t["w2"], "status", "--porcelain") == ""
    assert len(git(t["w2"], "log", "-1", "--format=%P").split()) == 2
    code, out = run(t["w2"], "sync")
    assert code == 0 and "已提交审核: review/S0002" in out, out


def test_plain_git_pull_merges_by_record_and_keeps_comments(tmp_path: Path) -> None:
    t = team(tmp_path)
    assert run(t["office"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    assert run(t["w3"], "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    git(t["w3"], "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    merged = read(t["w3"])
    assert merged["address"]["room"] == "502" and merged["members"][0]["ethnicity"] == "汉族"
    assert "# 2026年3月入户核实" in (t["w3"] / HOUSE).read_text(encoding="utf-8")


def test_plain_git_merge_stops_on_a_real_conflict_and_gridctl_resolve_settles_it(tmp_path: Path) -> None:
    t = team(tmp_path)
    assert run(t["office"], "edit", "P0000001", "--set", "ethnicity=回族")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    assert run(t["w3"], "edit", "P0000001", "--set", "ethnicity=汉族", "--set", "name=张伟伟")[0] == 0
    git(t["w3"], "fetch", "-q", "origin")
    proc = subprocess.run(["git", "merge", "--no-edit", "origin/main"], cwd=t["w3"], capture_output=True)
    assert proc.returncode != 0
    assert "冲突: 人员 P0000001 的 ethnicity 两边改法不同" in proc.stderr.decode()
    code, out = run(t["w3"], "resolve", "张伟伟", "ethnicity", "--take", "回族")
    assert code == 0, out
    person = read(t["w3"])["members"][0]
    assert person["ethnicity"] == "回族" and person["name"] == "张伟伟"
    assert git(t["w3"], "status", "--porcelain") == ""


def test_review_shows_sentences_and_approve_merges_with_a_reviewed_by_trailer(tmp_path: Path) -> None:
    t = team(tmp_path, review=True)
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["w2"], "add", "household", "--set", "grid=110105001001001", "--set", "housing=自有")[0] == 0
    board = tmp_path / "公示牌.html"
    assert run(t["w2"], "print", "board", "110105001001001", "-o", str(board))[0] == 0  # noted in the manifest
    code, out = run(t["w2"], "sync")
    assert code == 0 and "review/S0002" in out, out
    office = t["office"]
    git(office, "fetch", "-q", "origin")
    code, out = run(office, "review")
    assert code == 0 and "review/S0002  3 个提交  李强" in out, out
    code, out = run(office, "review", "S0002")
    assert code == 0, out
    assert "修改户 H000001" in out and "新增户 H2000001" in out and "合并后没有新问题" in out
    assert "打印网格公示牌 110105001001001" in out and "printed.json" not in out, out  # as log tells it
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 0 and "已审核通过并合并" in out, out
    body = git(office, "log", "-1", "--format=%B")
    assert "Reviewed-by: 王芳 <" in body
    assert git(t["remote"], "rev-parse", "main") == git(office, "rev-parse", "HEAD")
    assert run(office, "review")[1].strip() == "没有待审核的分支"


def test_a_rejection_reaches_the_worker_and_review_required_keeps_main_untouched(tmp_path: Path) -> None:
    t = team(tmp_path, review=True)
    main_before = git(t["remote"], "rev-parse", "main")
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=9")[0] == 0
    assert run(t["w3"], "sync")[0] == 0
    assert git(t["remote"], "rev-parse", "main") == main_before
    git(t["office"], "fetch", "-q", "origin")
    code, out = run(t["office"], "-m", "房号与门牌不符，请入户核实", "review", "S0003", "--reject")
    assert code == 0, out
    code, out = run(t["w3"], "sync")
    assert code == 0 and "审核退回 (王芳" in out and "房号与门牌不符，请入户核实" in out, out
    assert run(t["office"], "review")[1].strip() == "没有待审核的分支"
    assert run(t["office"], "edit", "H000001", "--set", "address.room=7")[0] == 0
    code, out = run(t["office"], "sync")
    assert code == 2 and "本台账要求审核" in out and "gridctl setup --worker" in out
    assert git(t["remote"], "rev-parse", "main") == main_before


def test_a_file_that_is_not_yaml_on_one_side_is_left_to_gits_line_merge() -> None:
    from gridctl.merge.threeway import merge_text

    assert merge_text("a.yaml", b"id: A\n", b"id: [A\n", b"id: B\n").data is None


def test_bundles_carry_work_both_ways_without_a_network(tmp_path: Path) -> None:
    t = team(tmp_path, review=True)
    stick = tmp_path / "usb"
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    code, out = run(t["w2"], "bundle", "-o", str(stick / "w2.bundle"))
    assert code == 0, out
    code, out = run(t["office"], "sync", "--bundle", str(stick / "w2.bundle"))
    assert code == 0 and "待审核: bundle/review/S0002" in out, out
    code, out = run(t["office"], "review", "S0002", "--approve")
    assert code == 0, out
    assert run(t["office"], "bundle", "-o", str(stick / "office.bundle"))[0] == 0
    assert run(t["w3"], "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    code, out = run(t["w3"], "sync", "--bundle", str(stick / "office.bundle"))
    assert code == 0 and "已合并" in out, out
    merged = read(t["w3"])
    assert merged["address"]["room"] == "502" and merged["members"][0]["ethnicity"] == "汉族"
    (stick / "broken.bundle").write_bytes(b"not a bundle")
    code, out = run(t["w3"], "sync", "--bundle", str(stick / "broken.bundle"))
    assert code == 2 and "无法使用" in out


def test_init_registers_the_record_merge(tmp_path: Path) -> None:
    code, out = run(tmp_path, "--author", "王芳 <wf@example.cn>", "init", str(tmp_path / "l"), "--name", "幸福里")
    assert code == 0, out
    assert "*.yaml merge=gridctl" in (tmp_path / "l/.gitattributes").read_text(encoding="utf-8")
    assert "gridctl.merge.driver %O %A %B %P" in git(tmp_path / "l", "config", "merge.gridctl.driver")
    assert git(tmp_path / "l", "status", "--porcelain") == ""


def test_a_merge_that_would_add_errors_is_undone_and_nothing_moves(tmp_path: Path) -> None:
    t = team(tmp_path)
    one_person_twice(t, "w2", "H2000001")
    head = git(t["w2"], "rev-parse", "HEAD")
    code, out = run(t["w2"], "sync")
    assert code == 1 and "GC240" in out and "未写入" in out, out
    assert git(t["w2"], "rev-parse", "HEAD") == head
    assert git(t["w2"], "status", "--porcelain") == ""
    assert not (t["w2"] / ".git/MERGE_HEAD").exists()


def test_review_names_the_problems_the_merged_ledger_would_have(tmp_path: Path) -> None:
    t = team(tmp_path)
    person = ["--set", "name=周海", f"--set=id_number={NUMBER}", "--set", "gender=男", "--set", "birth_date=1980-03-15"]
    assert run(t["w2"], "add", "household", "--set", "grid=110105001001001", "--set", "housing=自有")[0] == 0
    assert run(t["w2"], "add", "person", "--household", "H2000001", *person, "--set", "relation=户主")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    assert run(t["office"], "add", "person", "--household", "H000001", *person, "--set", "relation=子")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    code, out = run(t["office"], "review", "S0002")
    assert code == 1 and "新增户 H2000001" in out and "合并后会有以下问题" in out and "GC240" in out, out
    assert NUMBER not in out
    code, out = run(t["office"], "review", "S0002", "--approve")
    assert code == 1 and "GC240" in out and "未写入" in out, out
    assert not (t["office"] / ".git/MERGE_HEAD").exists()


def test_a_member_removed_on_one_side_and_changed_on_the_other_is_a_conflict(tmp_path: Path) -> None:
    t = team(tmp_path)
    text = (t["office"] / HOUSE).read_text(encoding="utf-8")
    extra = text + "  - id: P0000009\n    name: 周海\n    relation: 子\n"
    (t["office"] / HOUSE).write_text(extra, encoding="utf-8")
    git(t["office"], "commit", "-qam", "加人")
    assert run(t["office"], "sync")[0] == 0
    for clone in ("w2", "w3"):
        git(t[clone], "pull", "-q", "--no-rebase", "origin", "main")
    (t["w3"] / HOUSE).write_text(text, encoding="utf-8")  # 周海 moved out
    git(t["w3"], "commit", "-qam", "迁出")
    git(t["w3"], "push", "-q", "origin", "HEAD:main")
    assert run(t["w2"], "edit", "P0000009", "--set", "name=周海涛")[0] == 0
    code, out = run(t["w2"], "sync")
    assert code == 1 and "人员 P0000009 的 整条记录 两边改法不同" in out and "对方 (赵敏" in out, out
    code, out = run(t["w2"], "resolve", "P0000009", "-", "--take", "theirs")
    assert code == 0, out
    assert [m["id"] for m in read(t["w2"])["members"]] == ["P0000001"]


def test_a_plain_git_pull_that_would_add_errors_is_stopped_before_the_merge_commit(tmp_path: Path) -> None:
    t = team(tmp_path)
    one_person_twice(t, "w3", "H3000001")
    head = git(t["w3"], "rev-parse", "HEAD")
    proc = subprocess.run(
        ["git", "pull", "--no-rebase", "--no-edit", "origin", "main"],
        cwd=t["w3"],
        capture_output=True,
        env={**os.environ, "LANG": "zh_CN.UTF-8"},
    )
    said = proc.stderr.decode()
    assert proc.returncode != 0 and "GC240" in said and "合并未提交" in said, said
    assert git(t["w3"], "rev-parse", "HEAD") == head
    git(t["w3"], "merge", "--abort")
