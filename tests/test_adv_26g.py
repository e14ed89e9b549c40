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
