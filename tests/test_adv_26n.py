"""An encrypted ledger meets the day's features: a conflict on a sealed field, as its key holder reads it,
and the log of what the merge settled; `encrypt`'s list of words left in plain text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyrage import x25519
from teamwork import git, run, team

from conftest import id_number

NUMBER = id_number()  # H000001's 张伟 (conftest.household)


@pytest.fixture
def keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The office encrypted the team's ledger; both workers pulled it; one key for all (GRIDCTL_IDENTITY)."""
    monkeypatch.setenv("GRIDCTL_IDENTITY", str(x25519.Identity.generate()))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    t = team(tmp_path)
    assert run(t["office"], "encrypt", "--name", "王芳")[0] == 0
    assert run(t["office"], "sync")[0] == 0
    for worker in ("w2", "w3"):
        git(t[worker], "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    return t


def two_phones(t: dict[str, Path]) -> Path:
    """李强 and 赵敏 each send another phone for P0000001; the office approved 李强's. Returns the office."""
    office, w2, w3 = t["office"], t["w2"], t["w3"]
    assert run(w2, "edit", "P0000001", "--set", "phones=13800138111")[0] == 0
    assert run(w2, "sync")[0] == 0
    assert run(w3, "edit", "P0000001", "--set", "phones=13800138222")[0] == 0
    assert run(w3, "sync")[0] == 0
    assert run(office, "review", "S0002", "--approve")[0] == 0
    return office


def test_a_conflict_on_a_sealed_phone_reads_masked_values_to_its_key_holder(keyed: dict[str, Path]) -> None:
    """李强 wrote 13800138111 and 赵敏 13800138222 for the same resident. The office, holding the key,
    read 本方 [(已加密)] / 对方 [(已加密)] / 原值 [(已加密)] and could not tell which number to take
    without opening the file's history by hand. Both read masked now, as on a plain ledger; the log of
    the settled merge names the field only, with or without a key."""
    office = two_phones(keyed)
    code, out = run(office, "review", "S0003", "--approve")
    assert code == 1, out
    assert "本方 (李强" in out and "[138****8111]" in out and "[138****8222]" in out and "[139****5678]" in out, out
    assert "13800138111" not in out and "13800138222" not in out and "ENC[" not in out, out
    code, out = run(office, "sync")  # the same list, asked again
    assert "[138****8111]" in out and "[138****8222]" in out and "13800138" not in out, out
    code, out = run(office, "resolve", "P0000001", "phones", "--take", "theirs")
    assert code == 0, out
    code, out = run(office, "log")
    top = out.splitlines()[:2]  # the approval's own line, then what it settled
    assert top[0].endswith("审核通过 1 个提交") and top[1].endswith("合并时定下人员 P0000001: 联系电话"), out
    code, out = run(office, "log", "--format", "json")
    settled = json.loads(out)["commits"][0]["changes"]
    assert [c["what"] for c in settled] == ["settled"] and "138" not in json.dumps(settled), settled
    for root in (office, office / ".git" / "gridctl"):
        for path in (p for p in root.rglob("*") if p.is_file() and ".git/objects" not in p.as_posix()):
            data = path.read_bytes()
            assert b"13800138111" not in data and b"13800138222" not in data, path


def test_without_a_key_the_conflict_still_reads_sealed(keyed: dict[str, Path], tmp_path: Path, monkeypatch) -> None:
    office = two_phones(keyed)
    assert run(office, "review", "S0003", "--approve")[0] == 1
    monkeypatch.setenv("GRIDCTL_IDENTITY", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nobody"))
    code, out = run(office, "sync")
    assert code == 1 and "本方" in out and "[(已加密)]" in out and "138" not in out, out


def test_encrypt_does_not_ask_to_reword_an_id_hash_that_reads_like_a_mobile(ledger: Path) -> None:
    """An id_hash is 32 hex digits keyed by the ledger's random data key; now and then it holds a run like
    19493703397, which reads as a mobile. `encrypt` listed that line among the comments the clerk should
    reword (the leak guard already lets hash lines pass): a line nobody can reword, named as a leak."""
    from gridctl.ledger.index import load
    from gridctl.ops.keys import plain_mentions

    def mentions() -> list[str]:
        return plain_mentions(load(ledger)[0])

    rel = "households/110105001001001/H000001.yaml"
    path = ledger / rel
    hashed = '    id_hash: "69f7d5afedb3f19493703397afcbb290"\n    gender: 男'
    text = path.read_text(encoding="utf-8").replace("    gender: 男", hashed)
    token = "ENC[AES256_GCM,key:da5da1cb,data:Zm9v,type:str]"
    text = text.replace("13912345678", token).replace(NUMBER, token)
    path.write_text(text, encoding="utf-8")
    assert mentions() == []
    path.write_text(text.replace("# 2026年3月", "# 电话 13912345600，2026年3月"), encoding="utf-8")
    assert [m.split(":")[1] for m in mentions()] == ["1"]
