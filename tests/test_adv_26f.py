"""Review, filing, hooks and setup, attacked as an office clerk and two grid workers would."""

from __future__ import annotations

from pathlib import Path

from teamwork import git, run, team


def test_a_rejected_branch_is_not_sent_again_by_the_sync_that_brings_the_rejection(tmp_path: Path) -> None:
    """The chief returned 赵敏's branch; her next sync merged the moved main into it and pushed the
    merge, so the very work the chief rejected was waiting for review again, unchanged."""
    t = team(tmp_path, review=True)
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=9")[0] == 0
    assert run(t["w3"], "sync")[0] == 0
    assert run(t["w2"], "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    assert run(t["w2"], "sync")[0] == 0
    git(t["office"], "fetch", "-q", "origin")
    assert run(t["office"], "-m", "房号与门牌不符", "review", "S0003", "--reject")[0] == 0
    code, out = run(t["office"], "review", "S0002", "--approve")
    assert code == 0, out
    rejected = git(t["remote"], "rev-parse", "review/S0003")
    code, out = run(t["w3"], "sync")
    assert code == 0 and "房号与门牌不符" in out and "已提交审核" not in out, out
    assert git(t["remote"], "rev-parse", "review/S0003") == rejected
    git(t["office"], "fetch", "-q", "origin")
    assert run(t["office"], "review")[1].strip() == "没有待审核的分支"
    # once she mends it, the next sync sends it again
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=10")[0] == 0
    code, out = run(t["w3"], "sync")
    assert code == 0 and "已提交审核: review/S0003" in out, out
    git(t["office"], "fetch", "-q", "origin")
    assert "review/S0003" in run(t["office"], "review")[1]


def test_review_takes_the_workers_name_as_well_as_the_staff_id(tmp_path: Path) -> None:
    """Wherever an id is asked for its name works: `gridctl review 赵敏` said no branch was waiting."""
    t = team(tmp_path, review=True)
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=9")[0] == 0
    assert run(t["w3"], "sync")[0] == 0
    git(t["office"], "fetch", "-q", "origin")
    code, out = run(t["office"], "review", "赵敏")
    assert code == 0 and "review/S0003" in out and "合并后没有新问题" in out, out
    code, out = run(t["office"], "review", "王芳")
    assert code == 2 and "没有待审核的分支 王芳" in out, out
    code, out = run(t["office"], "review", "无此人")
    assert code == 2 and "没有待审核的分支 无此人" in out, out


def test_the_review_list_tells_the_time_on_the_ledgers_clock(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A worker's commit at 09:30 in 北京时间, made on a computer set to UTC, was listed as 01:30."""
    t = team(tmp_path, review=True)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-03-02T01:30:00+00:00")
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=9")[0] == 0
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    assert run(t["w3"], "sync")[0] == 0
    git(t["office"], "fetch", "-q", "origin")
    _code, out = run(t["office"], "review")
    assert "赵敏 2026-03-02 09:30" in out, out


def test_a_staff_members_new_name_is_one_change_on_the_filing_not_also_a_grid_change(repo: Path) -> None:
    """王芳 married and took another name: the sheet for the town counted the grid she heads as changed
    too (网格长: 王芳 → 王芳芳), as though another person had taken it over."""
    code, out = run(repo, "edit", "S0001", "--set", "name=王芳芳", "--set", "phone=13800138001")
    assert code == 0, out
    code, out = run(repo, "filing")
    assert code == 0, out
    assert "网格变动" in out and "责任人变动" in out
    grids, people = out.split("责任人变动", 1)
    assert "110105001001001" not in grids and "无变动" in grids, grids
    assert "姓名: 王芳芳" in people and "电话: 13800138001" in people
    code, out = run(repo, "filing", "-o", str(repo.parent / "备案.html"))
    assert code == 0 and "网格 0 项、责任人 1 项" in out, out
    # a person given another grid is still a grid change, named as people are called now
    code, out = run(repo, "assign", "第一网格", "--role", "专职网格员", "--staff", "王芳芳", "--duty", "巡查")
    assert code == 0, out
    code, out = run(repo, "filing")
    grids = out.split("责任人变动", 1)[0]
    assert "专职网格员: 王芳芳 13800138001" in grids and "网格长" not in grids, grids


def guard_refuses(repo: Path, names: list[str], what: str) -> str:
    """leak-guard over binary files of these names: refused, each named as `what`; its output."""
    for name in names:
        (repo / name).write_bytes(b"PK\x03\x04\x14\x00\x00\x00binary\x00")
    code, out = run(repo, "leak-guard", *(str(repo / n) for n in names))
    assert code == 1, out
    for name in names:
        assert f"{name}: {what}不能提交到台账仓库" in out, out
    return out


def test_leak_guard_refuses_every_kind_of_saved_sheet_outside_the_allowed_folder(repo: Path) -> None:
    """Excel's 另存为 offers .xlsb and .xltx: both are zip or binary, so the guard read them as a photo
    and let a register of residents into the ledger's history."""
    guard_refuses(repo, ["户籍人口.xlsb", "登记表模板.XLTX", "导出.xlt", "花名册.ett", "居民.tsv"], "表格文件")
    (repo / "templates").mkdir()
    (repo / "templates" / "空白登记表.tsv").write_text("姓名\t身份证号\n", encoding="utf-8")
    assert run(repo, "leak-guard", str(repo / "templates" / "空白登记表.tsv")) == (0, "")


def test_leak_guard_refuses_a_compressed_file_in_any_folder(repo: Path) -> None:
    """A register zipped up (户籍人口.zip, .7z, .rar) is binary: the guard passed it unread."""
    (repo / "templates").mkdir()
    out = guard_refuses(repo, ["户籍人口.zip", "备份.7z", "templates/表格.rar", "导出.tar.gz"], "压缩文件")
    assert "gridctl document --file" in out


def test_setup_in_a_worktree_installs_the_merge_hook_where_git_runs_it(repo: Path, tmp_path: Path) -> None:
    """In a `git worktree` setup wrote the pre-merge-commit hook into .git/worktrees/NAME/hooks, which
    git never reads (hooks live in the common git folder): a plain `git merge` there took errors in."""
    import os
    import subprocess

    git(repo, "branch", "bad")
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "wt")
    wt = tmp_path / "wt"
    code, out = run(wt, "setup")
    assert code == 0, out
    git(repo, "switch", "-q", "bad")
    (repo / "staff" / "S0009.yaml").write_text("kind: staff\nid: S0009\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "工作人员")
    assert run(wt, "edit", "H000001", "--set", "address.room=9")[0] == 0
    head = git(wt, "rev-parse", "HEAD")
    proc = subprocess.run(["git", "merge", "--no-edit", "bad"], cwd=wt, capture_output=True, env=os.environ)
    said = proc.stdout.decode() + proc.stderr.decode()
    assert proc.returncode != 0 and "staff/S0009.yaml" in said, said
    assert git(wt, "rev-parse", "HEAD") == head


def test_a_return_the_shared_repository_refused_is_not_kept_half(tmp_path: Path) -> None:
    """The chief's --reject made its tag here, then the push failed: the tag stayed, and the next sync's
    fetch (with --prune) deleted it without a word. Not sent now means not recorded, and said so."""
    t = team(tmp_path, review=True)
    assert run(t["w3"], "edit", "H000001", "--set", "address.room=9")[0] == 0
    assert run(t["w3"], "sync")[0] == 0
    git(t["office"], "fetch", "-q", "origin")
    hook = t["remote"] / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'shared repository is read-only today' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, out = run(t["office"], "-m", "房号与门牌不符", "review", "S0003", "--reject")
    assert code == 2 and "退回未送出，未记录" in out and "Traceback" not in out, out
    assert git(t["office"], "tag", "-l", "review/rejected/*") == ""
    hook.unlink()
    assert run(t["office"], "-m", "房号与门牌不符", "review", "S0003", "--reject")[0] == 0
    assert git(t["remote"], "tag", "-l", "review/rejected/*") != ""
