"""Personal numbers in free text, read as the leak guard reads them: each test failed before its fix.

`edit P0000001 --set extra.phone=13912345678` was committed (an extra key named like a number field
was passed over as if it were one; it is neither masked nor encrypted there, and show printed it
whole), and the leak guard then refused every hand edit of the file. A one-line (flow-style) member
with its phones on the line hid a mobile in its note from the guard, which passed over the whole line.
"""

from __future__ import annotations

from pathlib import Path

from test_import import snapshot
from test_mentions import HOUSE, commit_by_hand

MOBILE = "13912345678"


def test_an_extra_key_named_like_a_number_field_is_free_text(repo: Path, cli) -> None:
    head = (repo / ".git/HEAD").read_text()
    before = (repo / HOUSE).read_bytes()
    for key in ("phone", "id", "grid", "phones"):
        result = cli("-C", str(repo), "--lang", "en", "edit", "P0000001", "--set", f"extra.{key}={MOBILE}")
        assert result.exit_code == 1, (key, result.output)
        assert "error[GC116]" in result.output and "139****5678" in result.output and MOBILE not in result.output
    assert (repo / HOUSE).read_bytes() == before and (repo / ".git/HEAD").read_text() == head
    # a phone put under extra is no public phone of the record: the same number in a note is found too
    commit_by_hand(
        repo, HOUSE, "    residence: 户籍\n", f"    residence: 户籍\n    extra: {{phone: '{MOBILE}', 备注: {MOBILE}}}\n"
    )
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert result.exit_code == 1 and result.output.count("error[GC116]") == 2, result.output


def test_a_mobile_written_as_an_extra_key_is_found(repo: Path, cli) -> None:
    commit_by_hand(repo, HOUSE, "    residence: 户籍\n", f"    residence: 户籍\n    extra: {{'{MOBILE}': 女儿}}\n")
    result = cli("-C", str(repo), "--lang", "en", "validate")
    assert result.exit_code == 1 and "error[GC116]" in result.output and "139****5678" in result.output


def test_the_leak_guard_reads_the_note_of_a_member_written_on_one_line(repo: Path) -> None:
    from gridctl.leakguard import Guard

    line = (
        "members: [{id: P0000009, name: 张三, id_number: '110105198003151234', phones: ['13800001111'], "
        f"extra: {{备注: 女儿{MOBILE}}}}}]\n"
    )
    text = "kind: household\nid: H000009\n" + line
    leaks = Guard(repo, False, "templates", set()).check("households/x/H000009.yaml", text.encode())
    assert [(leak.what, leak.shown, leak.line) for leak in leaks] == [("mobile", "139****5678", 3)]
    # the member's own fields on their line still pass, flow or block style
    own = "kind: household\nid: H000009\nmembers: [{id: P0000009, phones: ['13800001111', '13800002222']}]\n"
    assert Guard(repo, False, "templates", set()).check("households/x/H000009.yaml", own.encode()) == []


def test_an_import_adds_no_one_to_a_retired_household(repo: Path, cli, tmp_path: Path) -> None:
    """add person and move refuse a household that moved out (注销); an import of an export made
    before the retirement added the new row's person to it, counted by no status or report."""
    import csv

    sheet = tmp_path / "户籍.csv"
    assert cli("-C", str(repo), "export", "household", "-o", str(sheet), "--reveal").exit_code == 0
    done = cli("-C", str(repo), "retire", "H000001", "--reason", "迁往外省", "--date", "2026-06-01")
    assert done.exit_code == 0, done.output
    rows = list(csv.reader(sheet.open(encoding="utf-8-sig")))
    header, member = rows[1], rows[2]
    born = dict(zip(header, member, strict=True))
    new = {
        **born,
        "人员编号": "",
        "姓名": "张小明",
        "与户主关系": "子",
        "公民身份号码": "",
        "联系电话": "",
        "出生日期": "2010-01-01",
    }
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([*rows, [new[h] for h in header]])
    before = snapshot(repo)
    result = cli("-C", str(repo), "--lang", "zh", "import", "household", str(sheet))
    assert result.exit_code == 1, result.output
    assert "户籍.csv:row 4: 列 户编号: 户 H000001 已于 2026-06-01 注销 (迁往外省)，不能再加入人员" in result.output
    assert snapshot(repo) == before
    skipped = cli("-C", str(repo), "--lang", "zh", "import", "household", str(sheet), "--skip-invalid")
    assert skipped.exit_code == 1 and snapshot(repo) == before, skipped.output
    assert "张小明" not in (repo / HOUSE).read_text(encoding="utf-8")


def test_a_register_whose_person_ids_were_emptied_names_only_the_row_taken_out(demo: Path, cli, tmp_path: Path) -> None:
    """Rows whose 人员编号 the clerk emptied are matched by ID number and name (unchanged 99): the note
    said all 100 residents were no longer in the register, and to retire them."""
    import csv

    sheet = tmp_path / "户籍.csv"
    assert cli("-C", str(demo), "export", "household", "-o", str(sheet), "--reveal").exit_code == 0
    rows = list(csv.reader(sheet.open(encoding="utf-8-sig")))
    column = rows[1].index("人员编号")
    gone = rows.pop(4)
    for row in rows[2:]:
        row[column] = ""
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    result = cli("-C", str(demo), "--lang", "en", "import", "household", str(sheet), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "note: 1 records the export listed are no longer in the register" in result.output, result.output
    assert f"{gone[rows[1].index('姓名')]} ({gone[column]})" in result.output and "unchanged 99" in result.output
