"""A key rotation (`keys remove`) seals every personal value again under a new data key: the audit
trail tells it as one re-encryption, values unchanged, not as every resident's data changed; and a
key holder reads, with --reveal, every version he was given the key to, on both sides of the rotation."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest
from jsonschema import Draft202012Validator

from conftest import env, identity

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "output"
OLD_PHONE, NEW_PHONE = "15104652337", "13912345600"


def run(cli, root: Path, who: dict[str, str], *args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    result = cli("-C", str(root), "--lang", lang, *args, env=env(who))
    assert result.exit_code == 0, (args, result.output)
    return result.output


@pytest.fixture
def rotated(encrypted: Path, cli, keys) -> Path:  # type: ignore[no-untyped-def]
    """王芳 changes 张 P0000001's phone, gives 李强 the key, then takes it back (the data key rotates)."""
    wang, li = keys["wang"], keys["li"]
    run(cli, encrypted, wang, "-m", "换号", "edit", "P0000001", "--set", f"phones={NEW_PHONE}")
    run(cli, encrypted, wang, "keys", "add", "李强", li["public"])
    run(cli, encrypted, wang, "keys", "remove", "李强")
    return encrypted


def test_log_tells_a_rotation_as_one_re_encryption_values_unchanged(rotated: Path, cli, keys) -> None:
    for who in ("wang", "none"):
        for lang, said in (
            ("en", "re-encrypted under a new data key, values unchanged"),
            ("zh", "以新数据密钥重新加密，信息未变"),
        ):
            lines = run(cli, rotated, keys[who], "log", lang=lang).splitlines()
            assert said in lines[0], (who, lines[:3])
            assert ".gridctl/recipients" in lines[1], (who, lines[:3])  # 李强 added: the line before
            assert said not in "\n".join(lines[1:]), (who, lines[:3])  # one line for the whole rotation
        told = json.loads(run(cli, rotated, keys[who], "log", "--format", "json"))["commits"][0]
        assert {c["what"] for c in told["changes"]} == {"resealed"}, told["changes"][:2]
    edit = [ln for ln in run(cli, rotated, keys["none"], "log").splitlines() if "P0000001" in ln]
    assert edit and "changed person P0000001: phones" in edit[0]  # the real edit is still told


def test_diff_of_the_rotation_lists_no_field_as_changed(rotated: Path, cli, keys) -> None:
    for who in ("wang", "none"):
        for reveal in ((), ("--reveal",)):
            shown = run(cli, rotated, keys[who], "diff", "HEAD~1", "HEAD", *reveal)
            assert "changed person" not in shown and "id_number" not in shown and "→" not in shown, (who, shown)
            assert "re-encrypted under a new data key, values unchanged" in shown, (who, shown)
            assert "ENC[" not in shown
        zh = run(cli, rotated, keys[who], "diff", "HEAD~1", "HEAD", lang="zh")
        assert "修改人员" not in zh and "以新数据密钥重新加密，信息未变" in zh, zh
        items = json.loads(run(cli, rotated, keys[who], "diff", "HEAD~1", "HEAD", "--format", "json"))["changes"]
        assert items and all(i["what"] == "resealed" and i["changes"] == [] for i in items), items[:2]


def test_history_shows_the_rotation_without_field_changes_and_every_version_opened(rotated: Path, cli, keys) -> None:
    for who in ("wang", "none"):
        shown = run(cli, rotated, keys[who], "history", "P0000001")
        steps = shown.split("\n20")  # one block per version, each starting with its date
        assert "[resealed]" in steps[1] and "→" not in steps[1], (who, steps[1])
        assert "phones: [(已加密)] → [(已加密)]" in steps[2], (who, steps[2])  # the edit, masked
    for who in ("wang", "li"):  # 李强 held the old key: he reads what was written with it
        revealed = run(cli, rotated, keys[who], "history", "P0000001", "--reveal")
        steps = revealed.split("\n20")
        assert "→" not in steps[1], (who, steps[1])
        assert f"phones: [{OLD_PHONE}] → [{NEW_PHONE}]" in steps[2], (who, steps[2])
        assert "(已加密) →" not in revealed and "ENC[" not in revealed, (who, revealed)
    told = json.loads(run(cli, rotated, keys["wang"], "history", "P0000001", "--format", "json"))
    Draft202012Validator(json.loads((SCHEMAS / "history.schema.json").read_text(encoding="utf-8"))).validate(told)
    assert told["versions"][0]["what"] == "resealed" and told["versions"][0]["changes"] == []


def test_a_diff_across_the_rotation_tells_real_changes_only_to_a_key_holder(rotated: Path, cli, keys) -> None:
    edit = "HEAD~2"  # the phone edit, then 李强 added and removed
    assert "换号" in git.Repo(rotated).commit(edit).message
    shown = run(cli, rotated, keys["wang"], "diff", f"{edit}~1", "HEAD")
    assert "changed person P0000001: phones\n" in shown, shown  # id_number, birth date, tags: the same values
    assert "re-encrypted under a new data key, values unchanged" in shown
    revealed = run(cli, rotated, keys["wang"], "diff", f"{edit}~1", "HEAD", "--reveal")
    assert f"phones: [{OLD_PHONE}] → [{NEW_PHONE}]" in revealed and "id_number" not in revealed, revealed


def test_a_value_whose_old_key_is_not_held_here_says_so(rotated: Path, cli, keys) -> None:
    """赵六 was given only the new key: the old values stay closed to him, and the output says why."""
    secret, public = identity()
    run(cli, rotated, keys["wang"], "keys", "add", "赵六", public)
    zhao = {"GRIDCTL_IDENTITY": secret}
    since = "HEAD~4"  # encrypted: the phone edit, 李强 added and removed, 赵六 added come after
    assert "此前的提交中这些信息仍是明文" in git.Repo(rotated).commit(since).message
    revealed = run(cli, rotated, zhao, "diff", since, "HEAD", "--reveal")
    line = next(ln for ln in revealed.splitlines() if "phones:" in ln)
    assert "(sealed with data key " in line and f"not held here)] → [{NEW_PHONE}]" in line, revealed
    assert "(已加密) →" not in revealed and "ENC[" not in revealed
    zh = run(cli, rotated, zhao, "diff", since, "HEAD", "--reveal", lang="zh")
    line = next(ln for ln in zh.splitlines() if ln.startswith("    联系电话:"))
    assert "本机没有该数据密钥" in line and f"→ [{NEW_PHONE}]" in line, zh


def test_a_large_ledger_rotated_is_told_in_household_files(
    rotated: Path, cli, keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit of more record files than BULK is counted in files, not read record by record: the
    rotation said "修改户 40（按文件计）" and "changed file .gridctl/recipients"."""
    from gridctl.history import describing

    monkeypatch.setattr(describing, "BULK", 4)  # the example's 40 household files: a large commit
    files = len(git.Repo(rotated).head.commit.stats.files) - 1  # the recipients file aside
    said = {"en": "re-encrypted under a new data key, values unchanged", "zh": "以新数据密钥重新加密，信息未变"}
    for who in ("wang", "none"):
        for lang, line in (
            ("en", f"{said['en']} ({files} household files)"),
            ("zh", f"{said['zh']}（{files} 个户文件）"),
        ):
            lines = run(cli, rotated, {**keys[who], "GRIDCTL_NO_CACHE": "1"}, "log", lang=lang).splitlines()
            assert line in lines[0], (who, lang, lines[:3])
            keyfile = [ln for ln in lines if ".gridctl/recipients" in ln]
            assert len(keyfile) == 1 and keyfile[0] == lines[1], (who, lang, lines[:3])  # 李强 added alone
    told = json.loads(run(cli, rotated, keys["none"], "log", "--format", "json"))["commits"][0]
    assert told["bulk"] == [{"kind": "household", "what": "resealed", "files": files}], told["bulk"]
