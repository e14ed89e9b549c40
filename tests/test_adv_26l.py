"""A school's safety clerk and the bureau over a term (26l): each test failed before its fix."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfWriter
from teamwork import git

import tests.test_adv_25f as adv25f

from conftest import id_number, write

school = adv25f.school  # the school's ledger (two grids, two staff) as a fixture here


on = adv25f.at  # the author and the clock (GRIDCTL_TODAY, TZ=UTC) of a command


def pdf(line: str, password: str | None = None) -> bytes:
    """A one-page PDF whose text is `line` (Helvetica), locked with `password` when one is given."""
    stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    if password is None:
        return bytes(out)
    writer = PdfWriter(clone_from=io.BytesIO(bytes(out)))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    locked = io.BytesIO()
    writer.write(locked)
    return locked.getvalue()


def test_a_roster_pdf_locked_with_a_password_is_refused(school: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A 学生花名册 saved by WPS with an opening password (123456) could not be read, so the leak guard found
    nothing in it and gridctl committed it as the school's 应急预案: every clone kept the students' ID
    numbers for whoever learns the password. A PDF that only forbids copying opens, and is read."""
    number = id_number("430124", "20130111", "101")
    roster = tmp_path / "花名册.pdf"
    roster.write_bytes(pdf(f"7-1 {number}", password="123456"))
    before = git(school, "rev-parse", "HEAD")
    add = ("document", "add", "WG01", "--type", "应急预案", "--title", "应急预案", "--file", str(roster))
    r = cli("-C", str(school), "--lang", "zh", *add, env=on("2026-03-02"))
    assert r.exit_code == 2 and "要密码才能打开的 PDF" in r.output, r.output
    assert git(school, "rev-parse", "HEAD") == before and git(school, "status", "--porcelain") == ""
    staged = school / "花名册.pdf"
    staged.write_bytes(roster.read_bytes())
    hook = cli("-C", str(school), "--lang", "zh", "leak-guard", str(staged), env=on("2026-03-02"))
    assert hook.exit_code == 1 and "要密码才能打开的 PDF" in hook.output, hook.output
    staged.unlink()
    roster.write_bytes(pdf(f"7-1 {number}", password=""))  # opens without a password: read like any other
    r = cli("-C", str(school), "--lang", "zh", *add, env=on("2026-03-02"))
    assert r.exit_code == 2 and "明文身份证号码 430124************" in r.output, r.output
    plan = tmp_path / "预案.pdf"
    plan.write_bytes(pdf("Plan 2026: drill every term", password=""))
    r = cli("-C", str(school), "--lang", "zh", *add[:-1], str(plan), env=on("2026-03-02"))
    assert r.exit_code == 0, r.output


def test_a_schools_grid_list_names_its_chief_role_and_counts_no_households(school: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`list grid` at a school headed its chief column 网格长 (the school's chief is its 第一责任人) and
    counted 户数 for 学校 and 年级, where status and every report count none."""
    for fmt in ("table", "csv"):
        r = cli("-C", str(school), "--lang", "zh", "list", "grid", "-f", fmt, env=on("2026-03-02"))
        assert r.exit_code == 0, r.output
        header = r.output.splitlines()[0]
        assert "第一责任人" in header and "网格长" not in header and "户数" not in header, r.output
        assert "刘建华" in r.output


def test_the_hint_for_a_class_without_anyone_names_a_role_the_school_has(school: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A 班级 with nobody responsible (GC231) was to be mended with `gridctl assign WG010101 --role 责任人`,
    and 责任人 is no role of the school's (nor of any profile's): the command printed was refused (GC102)."""
    write(school, "grids/WG010101.yaml", "kind: grid\nid: WG010101\nname: 七年级1班\nlevel: 班级\nparent: WG0101\n")
    r = cli("-C", str(school), "--lang", "zh", "validate", env=on("2026-03-02"))
    assert r.exit_code == 1 and "GC231" in r.output, r.output
    hint = next(ln for ln in r.output.splitlines() if "gridctl assign WG010101" in ln)
    command = hint.split("gridctl ", 1)[1].replace("人员编号", "S0002").replace("职责", "班级安全").split()
    git(school, "add", "-A")
    git(school, "commit", "-qm", "七年级1班")
    done = cli("-C", str(school), "--lang", "zh", *command, env=on("2026-03-02"))
    assert done.exit_code == 0, (command, done.output)
    assert cli("-C", str(school), "validate", env=on("2026-03-02")).exit_code == 0


def test_a_conflict_tells_the_time_on_the_ledgers_clock_and_a_value_never_set(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two teachers set the same field offline. The conflict told each side's time as the commit's own zone:
    a computer set to UTC made 09:30 read 01:30 (review and log say 09:30); and the field nobody had
    set before read 原值: (已删除), as though someone had deleted it."""
    from teamwork import run, team

    t = team(tmp_path)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-03-02T01:30:00+00:00")
    assert run(t["office"], "edit", "H000001", "--set", "address.text=阳光小区3号楼2单元502")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-03-02T02:10:00+00:00")
    assert run(t["w2"], "edit", "H000001", "--set", "address.text=阳光小区3号楼2单元503")[0] == 0
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    code, out = run(t["w2"], "sync")
    assert code == 1 and "address.text 两边改法不同" in out, out
    assert "本方 (李强 2026-03-02 10:10)" in out and "对方 (王芳 2026-03-02 09:30)" in out, out
    assert "原值: (原来没有)" in out and "已删除" not in out, out


def test_a_teachers_clone_is_not_called_a_grid_workers(school: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`setup --worker` told a teacher 本机为网格员 S0002 的台账: a school has 责任人, no 网格员."""
    r = cli("-C", str(school), "--lang", "zh", "setup", "--worker", "赵春梅", env=on("2026-03-02"))
    assert r.exit_code == 0 and "本机为 S0002 的台账" in r.output and "网格员" not in r.output, r.output


def test_an_accident_entered_late_by_its_day_is_accepted_whatever_the_hour(school: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """补录 of an accident by its day (--date) took the report's time of day from the clock: typed at 08:00,
    an accident at 10:10 that day was refused as "发生时间晚于上报时间"; typed at 15:00, accepted."""
    import yaml

    report = ("event", "report", "--grid", "七年级", "--type", "安全事故", "--title", "学生楼梯摔伤", "--by", "赵春梅")
    late = ("--date", "2026-03-20", "--occurred", "2026-03-20 10:10")
    r = cli("-C", str(school), "--lang", "zh", *report, *late, env=on("2026-04-02 08:00"))
    assert r.exit_code == 0, r.output
    event = yaml.safe_load((school / "events/2026/03/E202603-0001.yaml").read_text(encoding="utf-8"))
    assert str(event["reported"]["at"]) == "2026-03-20", event  # the day it was reported: no time made up
    r = cli("-C", str(school), "--lang", "zh", *report, "--at", "2026-03-20 09:00", *late[2:], env=on("2026-04-02"))
    assert r.exit_code == 1 and "发生时间晚于上报时间" in r.output, r.output  # a time given is kept as given
