"""Adversarial cases for the log's merges, sync's fast-forward, attachments and import (26i)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from teamwork import git, run

import tests.test_school_year as year

from conftest import household, id_number, make_ledger, write

school = year.school  # the school's ledger and its clock-fixed runner, as fixtures here
run_school = year.run

H1 = "households/110105001001001/H000001.yaml"
H2 = "households/110105001001001/H000002.yaml"


def _ledger(root: Path) -> Path:
    """A ledger of two households in a git repository, one commit, on main."""
    make_ledger(root)
    write(root, H2, household("H000002", "P0000002", id_number(seq="124")))
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "config", "user.name", "王芳")
    git(root, "config", "user.email", "wangfang@example.cn")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "初始台账")
    return root


def _edit(root: Path, rel: str, old: str, new: str, subject: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    git(root, "commit", "-q", "-am", subject)


def _merge(root: Path, branch: str, take: str, subject: str) -> None:
    """git merge, its conflicts settled by taking one side's files (`--ours`, `--theirs`)."""
    import subprocess

    subprocess.run(["git", "merge", "-q", branch, "-m", subject], cwd=root, capture_output=True, check=False)
    for path in git(root, "diff", "--name-only", "--diff-filter=U").splitlines():
        if subprocess.run(["git", "checkout", f"--{take}", "--", path], cwd=root, capture_output=True).returncode:
            git(root, "rm", "-qf", "--", path)  # the side taken has no such file
        else:
            git(root, "add", "--", path)
    merging = subprocess.run(["git", "rev-parse", "-q", "--verify", "MERGE_HEAD"], cwd=root, capture_output=True)
    if merging.returncode == 0:
        git(root, "commit", "-q", "--no-edit", "-m", subject)


def _log(root: Path) -> list[str]:
    code, out = run(root, "--lang", "en", "log")
    assert code == 0, out
    return [ln.split(": ", 1)[1] for ln in out.splitlines() if ": " in ln]


def test_a_merge_that_keeps_a_record_one_side_removed_says_so(tmp_path: Path) -> None:
    """A household removed here and changed there (modify/delete): the merge kept it. The log said
    'removed household H000002' last, and nothing of the merge, though H000002 is in the ledger."""
    root = _ledger(tmp_path / "kept")
    git(root, "checkout", "-q", "-b", "worker")
    _edit(root, H2, "housing: 自有", "housing: 租赁", "李强: 租赁")
    git(root, "checkout", "-q", "main")
    git(root, "rm", "-q", H2)
    git(root, "commit", "-q", "-m", "迁出")
    _merge(root, "worker", "theirs", "合并 李强")
    assert (root / H2).exists()
    said = _log(root)
    assert said[:2] == ["merge kept household H000002", "merge kept person P0000002"], said
    _, out = run(root, "log", "--format", "json")
    first = json.loads(out)["commits"][0]
    assert first["merge"] is True and [c["what"] for c in first["changes"]] == ["settled", "settled"]
    assert run(root, "log")[1].splitlines()[0].endswith("合并时保留户 H000002"), run(root, "log")[1]


def test_a_merge_that_removes_a_record_changed_on_its_side_says_so(tmp_path: Path) -> None:
    root = _ledger(tmp_path / "removed")
    git(root, "checkout", "-q", "-b", "worker")
    git(root, "rm", "-q", H2)
    git(root, "commit", "-q", "-m", "李强: 迁出")
    git(root, "checkout", "-q", "main")
    _edit(root, H2, "housing: 自有", "housing: 租赁", "租赁")
    _merge(root, "worker", "theirs", "合并 李强")
    assert not (root / H2).exists()
    assert _log(root)[0] == "merge removed household H000002", _log(root)
    # a record moved by the other side and changed here is not said removed
    root = _ledger(tmp_path / "moved")
    git(root, "checkout", "-q", "-b", "worker")
    moved = "households/110105001001002/H000002.yaml"
    (root / moved).parent.mkdir()
    git(root, "mv", H2, moved)
    moved_text = (root / moved).read_text(encoding="utf-8").replace("自有", "借住")
    (root / moved).write_text(moved_text.replace('"110105001001001"', '"110105001001002"'), encoding="utf-8")
    git(root, "commit", "-q", "-am", "李强: 迁至第二网格")
    git(root, "checkout", "-q", "main")
    _edit(root, H2, "housing: 自有", "housing: 租赁", "租赁")
    _merge(root, "worker", "theirs", "合并 李强")
    assert (root / moved).read_text(encoding="utf-8") == moved_text.replace('"110105001001001"', '"110105001001002"')
    assert not any("merge removed" in s for s in _log(root)), _log(root)


def test_a_criss_cross_merge_tells_the_conflict_it_settled(tmp_path: Path) -> None:
    """The office merged 李强's branch while he merged main into it (a criss-cross: two common commits).
    The next merge settled 房号 701 over 601 again, and the log told nothing of it: either common
    commit alone shows the field changed on one side only."""
    root = _ledger(tmp_path / "cross")
    git(root, "checkout", "-q", "-b", "worker")
    _edit(root, H1, 'room: "501"', 'room: "601"', "李强: 601")
    git(root, "checkout", "-q", "main")
    _edit(root, H1, 'room: "501"', 'room: "701"', "王芳: 701")
    a1 = git(root, "rev-parse", "HEAD")
    _merge(root, "worker", "ours", "office merges 李强")
    git(root, "checkout", "-q", "worker")
    _merge(root, a1, "ours", "李强 merges main")
    _edit(root, H2, "housing: 自有", "housing: 租赁", "李强: 租赁")
    git(root, "checkout", "-q", "main")
    _edit(root, H1, 'unit: "2"', 'unit: "9"', "王芳: 9单元")
    _merge(root, "worker", "ours", "office merges 李强 again")
    assert len(git(root, "merge-base", "--all", "HEAD^1", "HEAD^2").split()) == 2
    said = _log(root)
    assert said[0] == "merge settled household H000001: address", said
    shutil.rmtree(root / ".git" / "gridctl")
    _, out = run(root, "--lang", "en", "log", "--author", "王芳")  # read through git merge-base --all
    assert out.splitlines()[0].endswith("merge settled household H000001: address"), out


def test_a_shallow_clone_keeps_no_merge_it_could_not_read(tmp_path: Path) -> None:
    """CI clones with --depth: a merge whose common commit lies beyond it was told as settling nothing,
    and kept so in the log's cache: after a full fetch the log still left the settled conflict out."""
    root = _ledger(tmp_path / "office")
    git(root, "checkout", "-q", "-b", "worker")
    _edit(root, H1, 'room: "501"', 'room: "601"', "李强: 601")
    git(root, "checkout", "-q", "main")
    _edit(root, H1, 'room: "501"', 'room: "701"', "王芳: 701")
    for n in range(3):
        _edit(root, H2, f"housing: {'自有' if n == 0 else n}", f"housing: {n + 1}", f"filler {n}")
    _merge(root, "worker", "ours", "office merges 李强")
    assert _log(root)[0] == "merge settled household H000001: address"
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth", "3", f"file://{root}", str(clone))
    assert "merge settled" not in " ".join(_log(clone))  # its common commit is not in the clone
    git(clone, "fetch", "-q", "--unshallow")
    assert _log(clone)[0] == "merge settled household H000001: address", _log(clone)


def test_a_pdf_as_a_writer_makes_it_is_read_by_the_leak_guard(run_school, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Every PDF writer compresses the page's text and writes it in its font's codes: the leak guard read
    the file's bytes, found no ID number in them, and gridctl committed the scan (the hook passed it too)."""
    import weasyprint

    number = id_number()
    scan = tmp_path / "责任书.pdf"
    scan.write_bytes(weasyprint.HTML(string=f"<p>ID {number} tel 13907310001</p>").write_pdf())
    assert number.encode() not in scan.read_bytes()
    staged = school / "x.pdf"
    staged.write_bytes(scan.read_bytes())
    assert run_school("2026-03-18", "leak-guard", str(staged)).exit_code == 1
    staged.unlink()
    before = git(school, "rev-parse", "HEAD")
    add = ("document", "add", "XF0101", "--type", "实施方案", "--title", "方案", "--file", str(scan))
    r = run_school("2026-03-18", *add)
    assert r.exit_code == 2 and "明文身份证号码 110105************" in r.output and number not in r.output, r.output
    assert git(school, "rev-parse", "HEAD") == before


def test_a_film_named_heic_is_not_a_photo(run_school, school: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """HEIC was told by its 'ftyp' box alone, which every MP4 and MOV film has: a phone's video named
    .heic was committed as a drill's photo. An iPhone's photo (brand heic, mif1) still goes in."""
    film = tmp_path / "演练.HEIC"
    film.write_bytes(b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64)
    r = run_school("2026-03-18", "activity", "XF0101", "--type", "消防演练", "--photo", str(film))
    assert r.exit_code == 2 and "内容不是 HEIC 文件" in r.output, r.output
    photo = tmp_path / "演练.heic"
    photo.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    r = run_school("2026-03-18", "activity", "XF0101", "--type", "消防演练", "--photo", str(photo))
    assert r.exit_code == 0, r.output


def test_a_lined_up_name_with_a_rare_character_is_the_name(repo: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Names use characters beyond the basic plane (𠮷, U+20BB7, in 王𠮷): 王　𠮷 lined up in the register
    kept its full-width space, and next month's 王𠮷 was a rename waiting for --accept-renames."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "公民身份号码", "与户主关系", "现住址"])
    sheet.append(["王　𠮷", "男", id_number(born="19700101", seq="333"), "户主", "阳光小区16号楼3单元301"])
    book.save(tmp_path / "户籍.xlsx")
    done = cli("-C", str(repo), "import", "household", str(tmp_path / "户籍.xlsx"), "--grid", "第一网格")
    assert done.exit_code == 0, done.output
    files = "".join(p.read_text(encoding="utf-8") for p in (repo / "households").rglob("*.yaml"))
    assert "name: 王𠮷" in files, files
