"""Wherever an id is asked for, the exact name works too; an unknown or ambiguous name is an error, never nothing."""

from __future__ import annotations

from pathlib import Path

import git

from conftest import STAFF, write


def run(cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo), "--lang", "zh", "--author", "王芳 <wf@example.cn>", *args)


def test_names_work_wherever_an_id_is_asked_for(repo: Path, cli) -> None:
    env_day = ("--date", "2026-03-02")
    listed = run(cli, repo, "list", "household", "--grid", "第一网格", "--format", "csv")
    assert listed.exit_code == 0 and "H000001" in listed.output
    assert run(cli, repo, "list", "household", "--grid", "第九网格").exit_code == 2
    due = run(cli, repo, "due", "--grid", "第一网格", *env_day)
    assert due.exit_code in (0, 1) and "第一网格" in due.output
    unknown = run(cli, repo, "due", "--grid", "第九网格", *env_day)
    assert unknown.exit_code == 2 and "台账中没有网格“第九网格”" in unknown.output
    assert run(cli, repo, "log", "--grid", "第一网格").exit_code == 0
    assert run(cli, repo, "log", "--grid", "第九网格").exit_code == 2
    assigned = run(cli, repo, "assign", "第一网格", "--role", "楼栋长", "--staff", "李强", "--duty", "3号楼")
    assert assigned.exit_code == 0, assigned.output
    grid = (repo / "grids/110105001001001.yaml").read_text(encoding="utf-8")
    assert "staff: S0002" in grid and "李强" not in grid  # the id is written, whatever the clerk typed
    shown = run(cli, repo, "show", "张伟")
    assert shown.exit_code == 0 and "P0000001" in shown.output
    reported = run(cli, repo, "event", "report", "--grid", "第一网格", "--type", "矛盾纠纷", "--title", "漏水",
                   "--by", "王芳", "--date", "2026-03-02")  # fmt: skip
    assert reported.exit_code == 0, reported.output
    event = reported.output.split("上报事件 ")[1].split("：")[0]
    assert run(cli, repo, "event", "accept", event, "--by", "王芳", "--date", "2026-03-02").exit_code == 0
    dispatched = run(cli, repo, "event", "dispatch", event, "--by", "王芳", "--to", "李强", "--date", "2026-03-02")
    assert dispatched.exit_code == 0, dispatched.output
    inspected = run(cli, repo, "inspect", "第一网格", "--by", "李强", "--all-ok", "--date", "2026-03-02")
    assert inspected.exit_code == 0, inspected.output


def test_an_ambiguous_name_lists_the_candidates(repo: Path, cli) -> None:
    write(repo, "staff/S0003.yaml", STAFF.format(id="S0003", name="李强", gender="男", phone="13700137000"))
    git.Repo(repo).git.add(A=True)
    git.Repo(repo).git.commit("-qm", "另一位李强")
    before = git.Repo(repo).head.commit.hexsha
    result = run(cli, repo, "assign", "第一网格", "--role", "楼栋长", "--staff", "李强", "--duty", "3号楼")
    assert result.exit_code == 2
    assert "“李强”对应 2 个工作人员，请写编号" in result.output
    assert "S0002 李强; S0003 李强" in result.output
    assert git.Repo(repo).head.commit.hexsha == before
