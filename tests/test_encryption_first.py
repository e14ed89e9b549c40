"""`gridctl encrypt` seals every plain personal value of the ledger and changes none: the audit trail
tells that commit as one encryption, values unchanged, not as every resident's data changed. A plain
value sealed in any other commit is told as such only where a key here shows it is the same value."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import git
import pytest
from jsonschema import Draft202012Validator

from conftest import env

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "output"
OLD_PHONE, NEW_PHONE, HAND_PHONE = "15104652337", "13912345600", "13700001111"
SAID = {"en": "encrypted: personal fields sealed, values unchanged", "zh": "个人信息加密，信息未变"}


def run(cli, root: Path, who: dict[str, str], *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), "--lang", lang, *args, env=env(who))
    assert result.exit_code == 0, (args, result.output)
    return result.output


def test_log_tells_the_encryption_as_one_line_values_unchanged(encrypted: Path, cli, keys) -> None:
    for who in ("wang", "none"):
        told = json.loads(run(cli, encrypted, keys[who], "log", "--format", "json"))["commits"][0]
        assert told["subject"].startswith("加密："), told["subject"]
        assert told["changes"] and {c["what"] for c in told["changes"]} == {"encrypted"}, told["changes"][:2]
        count = len(told["changes"])
        for lang in ("en", "zh"):
            lines = run(cli, encrypted, keys[who], "log", lang=lang).splitlines()
            head = [ln for ln in lines if "gridctl demo" not in ln and "示例台账" not in ln]
            said = f"{SAID[lang]} ({count} records)" if lang == "en" else f"{SAID[lang]}（{count} 条记录）"
            assert said in lines[0], (who, lang, lines[:3])
            assert len(head) == 1, (who, lang, head[:4])  # one line for the whole commit, no key file line
            assert "P0000001" not in lines[0] and "id_number" not in lines[0]


def test_diff_of_the_encryption_lists_no_field_as_changed(encrypted: Path, cli, keys) -> None:
    for who in ("wang", "none"):
        for reveal in ((), ("--reveal",)):
            shown = run(cli, encrypted, keys[who], "diff", "HEAD~1", "HEAD", *reveal)
            assert "~ changed" not in shown and "id_hash" not in shown and "→" not in shown, (who, reveal, shown)
            assert SAID["en"] in shown and "ENC[" not in shown, (who, shown)
            assert shown.splitlines()[0].startswith("= "), shown
        zh = run(cli, encrypted, keys[who], "diff", "HEAD~1", "HEAD", lang="zh")
        assert "修改" not in zh and SAID["zh"] in zh, zh
        items = json.loads(run(cli, encrypted, keys[who], "diff", "HEAD~1", "HEAD", "--format", "json"))["changes"]
        assert items and all(i["what"] == "encrypted" and i["changes"] == [] for i in items), items[:2]


def test_history_shows_the_encryption_as_a_step_without_field_changes(encrypted: Path, cli, keys) -> None:
    schema = Draft202012Validator(json.loads((SCHEMAS / "history.schema.json").read_text(encoding="utf-8")))
    for who in ("wang", "none"):
        for record in ("P0000001", "H000006"):  # a person; a household whose only sealed field is its tags
            shown = run(cli, encrypted, keys[who], "history", record)
            step = shown.split("\n20")[1]  # one block per version, each starting with its date
            assert "[encrypted]" in step and "→" not in step and f"({SAID['en']})" in step, (who, record, step)
            zh = run(cli, encrypted, keys[who], "history", record, lang="zh").split("\n20")[1]
            assert "[加密]" in zh and "→" not in zh and SAID["zh"] in zh, (who, record, zh)
            told = json.loads(run(cli, encrypted, keys[who], "history", record, "--format", "json"))
            schema.validate(told)
            assert told["versions"][0]["what"] == "encrypted" and told["versions"][0]["changes"] == []
    revealed = run(cli, encrypted, keys["wang"], "history", "P0000001", "--reveal").split("\n20")[1]
    assert "[encrypted]" in revealed and "→" not in revealed, revealed


def test_a_diff_across_the_encryption_tells_real_changes_only_to_a_key_holder(encrypted: Path, cli, keys) -> None:
    run(cli, encrypted, keys["wang"], "-m", "换号", "edit", "P0000001", "--set", f"phones={NEW_PHONE}")
    shown = run(cli, encrypted, keys["wang"], "diff", "HEAD~2", "HEAD")
    assert "changed person P0000001: phones\n" in shown, shown  # id_number, birth date, tags: the same values
    assert SAID["en"] in shown, shown
    revealed = run(cli, encrypted, keys["wang"], "diff", "HEAD~2", "HEAD", "--reveal")
    assert f"phones: [{OLD_PHONE}] → [{NEW_PHONE}]" in revealed and "id_number" not in revealed, revealed
    keyless = run(cli, encrypted, keys["none"], "diff", "HEAD~2", "HEAD")  # several commits: nothing assumed
    assert "changed person P0000001: id_number, birth_date, phones" in keyless, keyless


def _hand_written_phone(root: Path) -> None:
    """P0000001's phone typed over its sealed value in plain text and committed with git (GC701)."""
    path = next(root.glob("households/*/H000001.yaml"))
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index('  - id: "P0000001"')
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("    phones:"))
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith("      "))  # a block list's items
    lines[at:end] = [f'    phones: ["{HAND_PHONE}"]']
    path.write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(["git", "commit", "-q", "--no-verify", "-am", "手工改号"], cwd=root, check=True)


def test_a_plain_value_replaced_by_a_sealed_one_is_a_change_unless_a_key_shows_the_same(
    encrypted: Path, cli, keys
) -> None:
    """Every write seals the household it writes: a plain value left in an encrypted ledger is sealed
    by the next edit of that household, which may give it a new value too. Only the commit that
    encrypts the ledger is known, without a key, to seal values unchanged."""
    _hand_written_phone(encrypted)
    run(cli, encrypted, keys["wang"], "-m", "换号", "edit", "P0000001", "--set", f"phones={NEW_PHONE}")
    for who in ("wang", "none"):
        line = run(cli, encrypted, keys[who], "log").splitlines()[0]
        assert "changed person P0000001: phones" in line and "encrypted" not in line, (who, line)
    revealed = run(cli, encrypted, keys["wang"], "history", "P0000001", "--reveal").split("\n20")[1]
    assert f"phones: [{HAND_PHONE}] → [{NEW_PHONE}]" in revealed, revealed
    # sealed unchanged beside another edit: a key shows it is the same value, and it is no change
    _hand_written_phone(encrypted)
    run(cli, encrypted, keys["wang"], "-m", "改名", "edit", "P0000001", "--set", "name=黄立平")
    rel = next(encrypted.glob("households/*/H000001.yaml")).relative_to(encrypted).as_posix()
    assert HAND_PHONE not in git.Repo(encrypted).git.show(f"HEAD:{rel}")  # the edit sealed it
    step = run(cli, encrypted, keys["wang"], "history", "P0000001").split("\n20")[1]
    assert "name: 黄立新 → 黄立平" in step and "phones" not in step, step
    keyless = run(cli, encrypted, keys["none"], "history", "P0000001").split("\n20")[1]
    assert "name: 黄立新 → 黄立平" in keyless and "phones" in keyless, keyless  # no key: not known the same


def test_a_large_ledger_encrypted_is_told_in_household_files(
    encrypted: Path, cli, keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit of more record files than BULK is counted in files, not read record by record: the
    encryption said "修改户 40（按文件计）" and "added file .gridctl/recipients"."""
    from gridctl.history import describing

    monkeypatch.setattr(describing, "BULK", 4)  # the example's 40 household files: a large commit
    files = len(git.Repo(encrypted).head.commit.stats.files) - 1  # the recipients file aside
    for who in ("wang", "none"):
        for lang, said in (
            ("en", f"{SAID['en']} ({files} household files)"),
            ("zh", f"{SAID['zh']}（{files} 个户文件）"),
        ):
            lines = run(cli, encrypted, {**keys[who], "GRIDCTL_NO_CACHE": "1"}, "log", lang=lang).splitlines()
            assert said in lines[0] and "recipients" not in lines[1], (who, lang, lines[:3])
    told = json.loads(run(cli, encrypted, keys["none"], "log", "--format", "json"))["commits"][0]
    assert told["bulk"] == [{"kind": "household", "what": "encrypted", "files": files}], told["bulk"]
