"""Personal numbers in free text, read as the leak guard reads them: each test failed before its fix.

`edit P0000001 --set extra.phone=13912345678` was committed (an extra key named like a number field
was passed over as if it were one; it is neither masked nor encrypted there, and show printed it
whole), and the leak guard then refused every hand edit of the file. A one-line (flow-style) member
with its phones on the line hid a mobile in its note from the guard, which passed over the whole line.
"""

from __future__ import annotations

from pathlib import Path

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
