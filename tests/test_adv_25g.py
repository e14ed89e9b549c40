"""An encrypted ledger under stress: outputs without a key, exports read back, keys changed in two clones."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_encryption import run

from conftest import identity


def test_reveal_without_a_key_never_writes_ciphertext_and_says_what_stayed_encrypted(
    encrypted: Path, cli, keys, tmp_path: Path
) -> None:
    """`--reveal` where no key opens the ledger: every value still encrypted is named (已加密), the tags too
    (they were printed as ENC[…] tokens in list and export), and the export says the sheet is not in full."""
    none = keys["none"]
    sheet = tmp_path / "户籍.csv"
    for args in (("list", "person", "--reveal", "--format", "csv"),
                 ("list", "household", "--reveal", "--format", "json"),
                 ("export", "household", "-o", "-", "--format", "json", "--reveal"),
                 ("export", "household", "-o", str(sheet), "--reveal")):  # fmt: skip
        result = run(cli, encrypted, none, *args)
        assert result.exit_code == 0, (args, result.output)
        assert "ENC[" not in result.output, (args, [ln for ln in result.output.splitlines() if "ENC[" in ln][:2])
    text = sheet.read_text(encoding="utf-8-sig")
    assert "ENC[" not in text and "(已加密)" in text
    said = run(cli, encrypted, none, "export", "household", "-o", str(sheet), "--reveal").output
    assert "no key here opens" in said, said


def test_a_register_exported_without_a_key_reads_back(encrypted: Path, cli, keys, tmp_path: Path) -> None:
    """A worker with no key exports the register, corrects a room, and imports it: (已加密) means "as before"
    (as a masked value does), so the address is updated; every row was rejected before, for (已加密)."""
    none, wang = keys["none"], keys["wang"]
    for reveal in ((), ("--reveal",)):
        sheet = tmp_path / f"户籍{len(reveal)}.csv"
        assert run(cli, encrypted, none, "export", "household", "-o", str(sheet), *reveal).exit_code == 0
        text = sheet.read_text(encoding="utf-8-sig")
        assert "(已加密)" in text
        row = next(ln for ln in text.splitlines() if ln.startswith("H000001,P0000001,"))
        was, room = ("103", "102") if reveal else ("101", "103")
        sheet.write_text(text.replace(row, row.replace(f",\t{was},", f",\t{room},", 1)), encoding="utf-8-sig")
        done = run(cli, encrypted, none, "import", "household", str(sheet), "--accept-address")
        assert done.exit_code == 0, done.output
        assert "updated 1" in done.output, done.output
        assert f"room: '{room}'" in run(cli, encrypted, wang, "show", "H000001").output
        again = run(cli, encrypted, wang, "import", "household", str(sheet))  # with a key: still "as before"
        assert again.exit_code == 0 and "unchanged" in again.output, again.output
    shown = run(cli, encrypted, wang, "show", "P0000001", "--reveal").output
    assert "120101194207160392" in shown and "15104652337" in shown and "1942-07-16" in shown  # nothing lost
    assert run(cli, encrypted, wang, "validate").output.startswith("no problems")
    new = tmp_path / "新户.csv"  # a new person cannot be "as before": refused at the cell, nothing written
    new.write_text("\ufeff" + "所属网格,姓名,与户主关系,性别,公民身份号码,出生日期\n"
                   "110105017006001,新人,户主,男,(已加密),(已加密)\n", encoding="utf-8")  # fmt: skip
    refused = run(cli, encrypted, wang, "import", "household", str(new))
    assert refused.exit_code == 1 and "masked value" in refused.output, refused.output


@pytest.fixture
def office_keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A team whose office encrypted the ledger and made 李强 a recipient; 赵敏 pulled it."""
    from teamwork import encrypted_team

    return encrypted_team(tmp_path, monkeypatch, adds=("李强",), pull=("w3",))


def recipients(clone: Path) -> dict:
    import yaml_rs

    return yaml_rs.loads((clone / ".gridctl/recipients").read_text(encoding="utf-8"))


def test_a_recipient_added_in_one_clone_while_another_removed_one_merges_in_sync(
    office_keyed: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """keys add 赵敏 in one clone, keys remove 李强 in another, then sync: git left .gridctl/recipients in
    conflict (said to be "deleted on one side") and every command failed until it was mended by hand; a
    hand merge of the lines kept 李强, or wrapped the old data key for 赵敏 under the new key id.
    Now sync merges the recipients: 李强 stays out, 赵敏 opens the rotated data key, nothing is plain."""
    from pyrage import x25519
    from teamwork import run

    office, w3 = office_keyed["office"], office_keyed["w3"]
    zhao = x25519.Identity.generate()
    assert run(office, "keys", "add", "赵敏", str(zhao.to_public()))[0] == 0
    assert run(office, "sync")[0] == 0
    code, out = run(w3, "keys", "remove", "李强")
    assert code == 0, out
    code, out = run(w3, "sync")
    assert code == 0, out
    merged = recipients(w3)
    assert [r["name"] for r in merged["recipients"]] == ["王芳", "赵敏"], merged
    assert merged["key_id"] != recipients(office)["key_id"]  # the rotated key: 李强 never held it
    text = "\n".join(p.read_text(encoding="utf-8") for p in (w3 / "households").rglob("*.yaml"))
    assert text.count("ENC[") == text.count(f"key:{merged['key_id']},") > 0
    assert run(w3, "validate")[0] == 0
    monkeypatch.setenv("GRIDCTL_IDENTITY", str(zhao))  # 赵敏, added on the other side, opens the merged ledger
    code, out = run(w3, "show", "P0000001", "--reveal")
    assert code == 0 and "110105198003151234" in out and "(已加密)" not in out, out


def test_recipients_changed_on_both_sides_where_no_key_opens_them_stop_the_sync_cleanly(
    office_keyed: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from teamwork import git, run

    office, w3 = office_keyed["office"], office_keyed["w3"]
    assert run(office, "keys", "add", "赵敏", identity()[1])[0] == 0
    assert run(office, "sync")[0] == 0
    assert run(w3, "keys", "remove", "李强")[0] == 0
    head = git(w3, "rev-parse", "HEAD")
    monkeypatch.setenv("GRIDCTL_IDENTITY", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    code, out = run(w3, "sync")
    assert code == 2 and "gridctl sync" in out and "密钥" in out, out
    assert git(w3, "rev-parse", "HEAD") == head and not git(w3, "status", "--porcelain", "--untracked-files=no")
    assert run(w3, "status")[0] == 0  # the ledger reads as before


def test_two_clones_each_removing_a_recipient_merge_under_a_key_neither_removed_one_held(
    office_keyed: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both sides rotated the data key (each removed someone): each side's key is known to the one the
    other removed, so the merge makes a new one; the id_hash beside each ID number (keyed by the data
    key) differs on the two sides and was a conflict on every person of every household."""
    from pyrage import x25519
    from teamwork import git, run

    office, w3 = office_keyed["office"], office_keyed["w3"]
    zhao = x25519.Identity.generate()
    assert run(office, "keys", "add", "赵敏", str(zhao.to_public()))[0] == 0
    assert run(office, "sync")[0] == 0
    git(w3, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    sides = {}
    for clone, gone, value in ((office, "李强", "phones=13800138111"), (w3, "赵敏", "tags=残疾人")):
        assert run(clone, "keys", "remove", gone)[0] == 0
        assert run(clone, "edit", "P0000001", "--set", value)[0] == 0  # each side seals a value with its own key
        sides[clone] = recipients(clone)["key_id"]
    assert run(office, "sync")[0] == 0
    code, out = run(w3, "sync")
    assert code == 0, out
    merged = recipients(w3)
    assert [r["name"] for r in merged["recipients"]] == ["王芳"] and merged["key_id"] not in sides.values()
    text = "\n".join(p.read_text(encoding="utf-8") for p in (w3 / "households").rglob("*.yaml"))
    assert text.count("ENC[") == text.count(f"key:{merged['key_id']},") > 0
    assert "13800138111" not in text and "残疾人" not in text
    shown = run(w3, "show", "P0000001", "--reveal")[1]
    assert "13800138111" in shown and "残疾人" in shown
    code, out = run(w3, "validate")
    assert code == 0, out
    monkeypatch.setenv("GRIDCTL_IDENTITY", str(zhao))
    assert "13800138111" not in run(w3, "show", "P0000001", "--reveal")[1]


def test_diff_reveal_across_encrypt_lists_no_change_that_is_only_sealing(encrypted: Path, cli, keys) -> None:
    """`encrypt` changes how values are kept, not what they are: revealed, the diff across it listed each
    plain birth date (a YAML date) against its opened text as a change (1942-07-16 → 1942-07-16), and each
    household whose only encrypted field was its tags as "changed" with nothing under it."""
    import json

    out = run(cli, encrypted, keys["wang"], "diff", "HEAD~1", "HEAD", "--reveal", "--format", "json").output
    changes = json.loads(out)["changes"]
    assert all(c["changes"] or c["what"] == "encrypted" for c in changes), [c["id"] for c in changes]
    same = [(c["id"], f["field"]) for c in changes for f in c["changes"] if f["old"] == f["new"]]
    assert not same, same[:3]
    text = run(cli, encrypted, keys["wang"], "diff", "HEAD~1", "HEAD", "--reveal").output
    assert "1942-07-16 → 1942-07-16" not in text and "~ changed" not in text, text  # the encryption: one line
