"""Attacks on units and bundles, the rest, and on evidence files (activity photos, document files).

Each test failed before the fix beside it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import tests.test_school_year as year
from tests.conftest import id_number

school = year.school  # the school's ledger and its clock-fixed runner, as fixtures here
run = year.run


def head(root: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()


def test_evidence_whose_content_is_not_what_its_name_says_is_refused(run, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A text file or a download that stopped at 0 bytes, named .jpg, was committed as a drill's photo."""
    before = head(school)
    for name, data in (("演练.jpg", b"not a jpeg at all"), ("空.png", b""), ("方案.pdf", b"<html>404</html>")):
        photo = tmp_path / name
        photo.write_bytes(data)
        r = run("2026-03-18", "activity", "瓦屋小学", "--type", "消防演练", "--photo", str(photo))
        assert r.exit_code == 2 and f"{name}: 内容不是" in r.output and "文件已损坏，或改过扩展名" in r.output, r.output
        add = ("document", "add", "XF0101", "--type", "实施方案", "--title", "方案")
        r = run("2026-03-18", *add, "--file", str(photo))
        assert r.exit_code == 2 and f"{name}: 内容不是" in r.output, r.output
    assert head(school) == before
    assert not (school / "photos").exists() and not (school / "documents").exists()


def test_a_scan_holding_an_id_number_the_leak_guard_refuses_is_not_committed(run, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """gridctl commits without git's hooks: a PDF whose text holds a resident's ID number went into the
    ledger's history, where the leak-guard hook refuses the same file in a plain git commit."""
    number = id_number()
    scan = tmp_path / "安全责任书.pdf"
    text = b"1 0 obj<</Length 44>>stream\nBT (" + number.encode() + b" zhang) Tj ET\nendstream\n"
    scan.write_bytes(b"%PDF-1.4\n" + text + b"%%EOF\n")
    staged = school / "x.pdf"
    staged.write_bytes(scan.read_bytes())
    guard = run("2026-03-18", "leak-guard", str(staged))
    assert guard.exit_code == 1, guard.output  # the hook's word on this file
    staged.unlink()
    before = head(school)
    r = run("2026-03-18", "document", "add", "XF0101", "--type", "实施方案", "--title", "方案", "--file", str(scan))
    assert r.exit_code == 2, r.output
    assert "安全责任书.pdf:3:5: 明文身份证号码 110105************" in r.output and number not in r.output
    assert "leak-guard 也会拒绝" in r.output
    r = run("2026-03-18", "activity", "XF0101", "--type", "消防演练", "--photo", str(scan), lang="en")
    assert r.exit_code == 2 and "id number in plain text" in r.output, r.output
    assert head(school) == before
    # the same scan with the number covered goes in; a staff phone (public, on every board) may stand in it
    scan.write_bytes(b"%PDF-1.4\nBT (110105********1234 13907310001) Tj ET\n%%EOF\n")
    r = run("2026-03-18", "document", "add", "XF0101", "--type", "实施方案", "--title", "方案", "--file", str(scan))
    assert r.exit_code == 0, r.output
    assert (school / "documents/XF0101/D2026-0001.pdf").read_bytes() == scan.read_bytes()


def test_a_huge_file_is_refused_before_it_is_read(run, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    film = tmp_path / "演练 录像.pdf"
    with film.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        out.truncate(100 * 2**20)  # sparse: 100 MB on the clerk's disk, nothing on this one
    r = run("2026-03-18", "document", "add", "XF0101", "--type", "实施方案", "--title", "方案", "--file", str(film))
    assert r.exit_code == 2 and "演练 录像.pdf 有 100.0 MB，文件过大 (最多 20 MB)" in r.output, r.output
    assert not (school / "documents").exists()


def hand_edit(clone: Path) -> None:
    """A worker's hand edit with a bad record, committed past the hooks (--no-verify)."""
    from teamwork import git

    path = clone / "households/110105001001001/H000001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("gender: 男", "gender: 不详男"), encoding="utf-8")
    git(clone, "commit", "-qam", "手改", "--no-verify")


def test_a_bundle_of_main_with_a_bad_record_is_refused_in_the_office(tmp_path: Path) -> None:
    """A bundle made by an older gridctl (or a clone never set up as a worker) carries main, not a
    review branch: the office fast-forwarded into its bad record with exit 0, unvalidated."""
    from teamwork import git, run, team

    t = team(tmp_path)
    git(t["w2"], "config", "--unset", "gridctl.worker")
    hand_edit(t["w2"])
    stick = tmp_path / "usb"
    code, out = run(t["w2"], "bundle", "-o", str(stick / "w2.bundle"))
    assert code == 0 and "(main)" in out, out
    head = git(t["office"], "rev-parse", "HEAD")
    code, out = run(t["office"], "sync", "--bundle", str(stick / "w2.bundle"))
    assert code == 1 and "error[GC102] “不详男”不在性别词表" in out and "未写入" in out, out
    assert git(t["office"], "rev-parse", "HEAD") == head and git(t["office"], "status", "--porcelain") == ""
    assert run(t["office"], "validate")[0] == 0
    # over the network the same: a clone that fast-forwards to a bad main stays where it was
    assert run(t["w2"], "sync")[0] == 0  # pushed straight to main (no review asked)
    head = git(t["w3"], "rev-parse", "HEAD")
    code, out = run(t["w3"], "sync")
    assert code == 1 and "GC102" in out and git(t["w3"], "rev-parse", "HEAD") == head, out


def test_a_workers_bundle_with_a_bad_record_waits_in_review_and_approval_is_refused(tmp_path: Path) -> None:
    from teamwork import git, run, team

    t = team(tmp_path, review=True)
    hand_edit(t["w2"])
    stick = tmp_path / "usb"
    assert run(t["w2"], "bundle", "-o", str(stick / "w2.bundle"))[0] == 0
    head = git(t["office"], "rev-parse", "HEAD")
    code, out = run(t["office"], "sync", "--bundle", str(stick / "w2.bundle"))
    assert code == 0 and "待审核: bundle/review/S0002" in out, out
    code, out = run(t["office"], "review", "S0002", "--approve")
    assert code == 1 and "GC102" in out and "未写入" in out, out
    assert git(t["office"], "rev-parse", "HEAD") == head
    code, out = run(t["office"], "review")
    assert code == 0 and "S0002" in out, out  # still waiting: the work is not lost


def test_a_fast_forward_checked_on_a_cold_cache_leaves_the_read_for_the_next_command(tmp_path: Path) -> None:
    """Checking a fast-forward reads the ledger it moves to; a revision's read was never kept, so the next
    `status` read every file again (at 12,000 households: 3.5 s for sync, then 3.5 s for status)."""
    import shutil
    import subprocess

    from teamwork import run, team

    import gridctl.ledger.cache as cache
    from gridctl.ledger.files import WorkTree

    c = team(tmp_path)
    assert run(c["office"], "edit", "H000001", "--set", "address.room=808")[0] == 0
    assert run(c["office"], "sync")[0] == 0
    shutil.rmtree(c["w2"] / ".git" / "gridctl")  # no cache: after an upgrade
    code, out = run(c["w2"], "sync")
    assert code == 0 and "快进" in out, out
    cache._OPEN.clear()  # what a new process finds on disk
    kept = cache.open_cache_for(c["w2"], WorkTree(c["w2"])).columns()
    assert kept is not None, "the read of the ledger moved to was not kept"
    listed = subprocess.run(["git", "ls-tree", "-r", "HEAD"], cwd=c["w2"], capture_output=True, text=True).stdout
    head = {line.split("\t")[1]: line.split()[2] for line in listed.splitlines()}
    assert [head[f] for f in kept.files] == list(kept.blobs)
