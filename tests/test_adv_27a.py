"""The office's bundle when review is required: offline workers get the approved ledger and its returns.

With `review: required` the office's clone is set up as worker S0001 (its own work goes through review)
and `--office` (its bundles are for the workers). Its bundle carried `review/S0001`, the office's work
still waiting, and no main branch: an offline worker never got the approved ledger.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml_rs
from teamwork import git, run, team
from typer.testing import CliRunner

from gridctl.cli.main import app

from conftest import gridctl

HOUSE = "households/110105001001001/H000001.yaml"


def office_team(tmp: Path) -> dict[str, Path]:
    t = team(tmp, review=True)
    code, out = run(t["office"], "setup", "--worker", "S0001", "--office")
    assert code == 0 and "本机为办公室的台账" in out, out
    return t


def run_en(cwd: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["-C", str(cwd), "--lang", "en", *args])
    return result.exit_code, result.output


def house(clone: Path, rev: str = "HEAD") -> dict:
    return yaml_rs.loads(git(clone, "show", f"{rev}:{HOUSE}"))


def heads(tmp: Path, bundle: Path) -> dict[str, str]:
    """ref → commit a bundle file carries."""
    lines = git(tmp, "bundle", "list-heads", str(bundle)).splitlines()
    return {ref: sha for sha, ref in (line.split(" ", 1) for line in lines)}


def test_the_offices_bundle_carries_the_approved_main_and_never_its_own_work(tmp_path: Path) -> None:
    """An offline worker's bundle is approved in the office; the office's bundle brings the approval to
    the other worker, and not the office's own edit still waiting for review. The office's bundle
    carried only review/S0001: the worker's sync listed it "待审核" and never got the approval."""
    t = office_team(tmp_path)
    office, stick = t["office"], tmp_path / "U 盘"
    assert run(office, "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0  # the office's, unreviewed
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    code, out = run(t["w2"], "bundle", "-o", str(stick / "李强.bundle"))
    assert code == 0 and "(review/S0002，送办公室审核)" in out, out
    code, out = run(office, "sync", "--bundle", str(stick / "李强.bundle"))
    assert code == 0 and "待审核: bundle/review/S0002" in out, out
    code, out = run(office, "review", "S0002", "--approve")
    assert code == 0 and "已审核通过并合并" in out, out
    main = git(t["remote"], "rev-parse", "main")
    code, out = run(office, "bundle", "-o", str(stick / "台账.bundle"))
    assert code == 0 and "(main: 共享仓库中已审核的主分支)" in out, out
    assert heads(tmp_path, stick / "台账.bundle") == {"refs/heads/main": main}
    code, out = run(t["w3"], "sync", "--bundle", str(stick / "台账.bundle"))
    assert code == 0 and "快进到" in out and "待审核" not in out, out
    assert git(t["w3"], "rev-parse", "HEAD") == main
    assert house(t["w3"])["address"]["room"] == "502"
    assert "ethnicity" not in house(t["w3"])["members"][0]  # the office's edit waits for review
    assert git(t["w3"], "for-each-ref", "refs/remotes/bundle/review/") == ""
    code, out = run(t["w3"], "sync", "--bundle", str(stick / "台账.bundle"))  # the same file twice
    assert code == 0 and "已是最新" in out, out
    # the office approves its own branch: the next bundle brings that too, in English as well
    assert run(office, "sync")[0] == 0
    assert run(office, "review", "S0001", "--approve")[0] == 0
    code, out = run_en(office, "bundle", "-o", str(stick / "台账2.bundle"))
    assert code == 0 and "(main: the approved main of the shared repository)" in out, out
    code, out = run(t["w3"], "sync", "--bundle", str(stick / "台账.bundle"))  # the older file after it: nothing
    assert code == 0 and "已是最新" in out, out
    assert run(t["w3"], "sync", "--bundle", str(stick / "台账2.bundle"))[0] == 0
    assert house(t["w3"])["members"][0]["ethnicity"] == "汉族"
    assert run(t["w3"], "sync", "--bundle", str(stick / "台账.bundle"))[0] == 0  # older again: no rewind
    assert git(t["w3"], "rev-parse", "HEAD") == git(t["remote"], "rev-parse", "main")
    # an office with no shared repository: its own main is the approved ledger
    git(office, "remote", "remove", "origin")
    code, out = run(office, "bundle", "-o", str(stick / "台账3.bundle"))
    assert code == 0 and "(main)" in out, out
    assert heads(tmp_path, stick / "台账3.bundle") == {"refs/heads/main": git(office, "rev-parse", "HEAD")}


def test_a_return_reaches_the_offline_worker_and_the_mended_work_is_approved(tmp_path: Path) -> None:
    """A return travelled in the office's bundle but the worker's sync looked for it under a branch the
    office's file never carries: the offline worker was never told. And every later bundle in the office
    said the branches approved long ago were "待审核"."""
    t = office_team(tmp_path)
    office, w3, stick = t["office"], t["w3"], tmp_path / "usb"
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["w2"], "bundle", "-o", str(stick / "w2.bundle"))[0] == 0
    assert run(office, "sync", "--bundle", str(stick / "w2.bundle"))[0] == 0
    assert run(office, "review", "S0002", "--approve")[0] == 0
    assert run(w3, "edit", "P0000001", "--set", "ethnicity=满族")[0] == 0
    assert run(w3, "bundle", "-o", str(stick / "w3.bundle"))[0] == 0
    code, out = run(office, "sync", "--bundle", str(stick / "w3.bundle"))
    assert code == 0 and "待审核: bundle/review/S0003" in out and "S0002" not in out, out
    code, out = run(office, "-m", "民族与户口簿不符", "review", "S0003", "--reject")
    assert code == 0, out
    assert run(office, "bundle", "-o", str(stick / "office.bundle"))[0] == 0
    code, out = run(w3, "sync", "--bundle", str(stick / "office.bundle"))
    assert code == 0 and "审核退回 (王芳" in out and "民族与户口簿不符" in out, out
    code, out = run_en(w3, "sync", "--bundle", str(stick / "office.bundle"))
    assert code == 0 and "returned by review (王芳" in out, out
    # the same work sent again stays returned; mended, it waits and is approved
    code, out = run(w3, "bundle", "-o", str(stick / "w3.bundle"))
    assert code == 0 and "审核退回 (王芳" in out and "未改动，原样写入" in out, out
    code, out = run(office, "sync", "--bundle", str(stick / "w3.bundle"))
    assert code == 0 and "待审核" not in out, out
    assert run(w3, "edit", "P0000001", "--set", "ethnicity=汉族")[0] == 0
    assert run(w3, "bundle", "-o", str(stick / "w3.bundle"))[0] == 0
    code, out = run(office, "sync", "--bundle", str(stick / "w3.bundle"))
    assert code == 0 and "待审核: bundle/review/S0003" in out, out
    assert run(office, "review", "S0003", "--approve")[0] == 0
    assert run(office, "bundle", "-o", str(stick / "office.bundle"))[0] == 0
    code, out = run(w3, "sync", "--bundle", str(stick / "office.bundle"))
    assert code == 0 and "审核退回" not in out, out
    assert git(w3, "rev-parse", "HEAD") == git(t["remote"], "rev-parse", "main")
    assert house(w3)["members"][0]["ethnicity"] == "汉族" and house(w3)["address"]["room"] == "502"


def test_a_bundle_of_an_unreviewed_main_is_not_taken_where_review_is_required(tmp_path: Path) -> None:
    """A clone never set up as a worker (or a file made before `review: required`) carries main: the
    office merged it into its own clone, so the work reached main (or went to review as the office's
    own) without anyone approving it. A worker's file made before review was required is reviewed."""
    t = team(tmp_path)
    office, stick = t["office"], tmp_path / "usb"
    assert run(t["w2"], "edit", "H000001", "--set", "address.room=502")[0] == 0
    assert run(t["w2"], "bundle", "-o", str(stick / "w2.bundle"))[0] == 0  # a worker's, before review
    git(t["w3"], "config", "--unset", "gridctl.worker")
    assert run(t["w3"], "edit", "P0000001", "--set", "ethnicity=满族")[0] == 0
    code, out = run(t["w3"], "bundle", "-o", str(stick / "w3.bundle"))
    assert code == 0 and "(main)" in out, out
    settings = office / "gridctl.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "review: required\n", encoding="utf-8")
    git(office, "commit", "-qam", "要求审核")
    git(office, "push", "-q", "origin", "main")
    assert run(office, "setup", "--worker", "S0001", "--office")[0] == 0
    head, refs = git(office, "rev-parse", "HEAD"), git(office, "for-each-ref")
    code, out = run(office, "sync", "--bundle", str(stick / "w3.bundle"))
    assert code == 2 and "1 个未经审核的提交" in out and "gridctl setup --worker" in out, out
    assert git(office, "rev-parse", "HEAD") == head and git(office, "for-each-ref") == refs
    code, out = run_en(office, "sync", "--bundle", str(stick / "w3.bundle"))
    assert code == 2 and "1 commits nobody approved" in out, out
    code, out = run(office, "sync", "--bundle", str(stick / "w2.bundle"))
    assert code == 0 and "待审核: bundle/review/S0002" in out, out
    assert run(office, "review", "S0002", "--approve")[0] == 0
    assert house(t["remote"], "main")["address"]["room"] == "502"
    assert "ethnicity" not in house(t["remote"], "main")["members"][0]


def test_the_offline_flow_on_a_windows_clerks_computer(tmp_path: Path) -> None:
    """Git for Windows (core.autocrlf=true) and a GBK console: the real program writes the office's
    file and the worker takes it, every message readable, the files committed LF."""
    t = office_team(tmp_path)
    office, w2, stick = t["office"], t["w2"], tmp_path / "U 盘"
    for clone in (office, w2):
        git(clone, "config", "core.autocrlf", "true")
    env = {"GRIDCTL_LANG": "zh", "PYTHONIOENCODING": "gbk", "TZ": "Asia/Shanghai", "HOME": str(tmp_path / "home")}
    code, out, err = gridctl("edit", "H000001", "--set", "address.room=502", cwd=w2, env=env, encoding="gbk")
    assert code == 0, err
    code, out, err = gridctl("bundle", "-o", str(stick / "李强.bundle"), cwd=w2, env=env, encoding="gbk")
    assert code == 0 and "送办公室审核" in out, err
    code, out, err = gridctl("sync", "--bundle", str(stick / "李强.bundle"), cwd=office, env=env, encoding="gbk")
    assert code == 0 and "待审核: bundle/review/S0002" in out, err
    code, out, err = gridctl("review", "李强", "--approve", cwd=office, env=env, encoding="gbk")
    assert code == 0 and "已审核通过并合并" in out, err
    code, out, err = gridctl("bundle", "-o", str(stick / "台账.bundle"), cwd=office, env=env, encoding="gbk")
    assert code == 0 and "已审核的主分支" in out, err
    code, out, err = gridctl("sync", "--bundle", str(stick / "台账.bundle"), cwd=t["w3"], env=env, encoding="gbk")
    assert code == 0, err
    assert house(t["w3"])["address"]["room"] == "502"
    assert b"\r\n" not in git(t["remote"], "cat-file", "-p", f"main:{HOUSE}").encode()
    assert git(office, "status", "--porcelain") == "" and git(w2, "status", "--porcelain") == ""
    assert not any(p.name.startswith("bundle-") for p in (office / ".git").iterdir())
    assert set(os.listdir(stick)) == {"李强.bundle", "台账.bundle"}  # no half-written file left
