"""The merge driver on an encrypted ledger: sealed values compare by what they hold, a key rotated on
one side while the other edits merges into values all sealed with the new key, and nothing opened is
ever written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml_rs
from pyrage import x25519
from teamwork import encrypted_team, git, run

from conftest import id_number

HOUSE = "households/110105001001001/H000001.yaml"
NUMBER = id_number(seq="345")


@pytest.fixture
def keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A team whose ledger the office encrypted (everyone here holds the office's key), pulled by both workers."""
    return encrypted_team(tmp_path, monkeypatch)


def member(clone: Path) -> dict:
    return yaml_rs.loads((clone / HOUSE).read_text(encoding="utf-8"))["members"][0]


def shown(clone: Path) -> str:
    code, out = run(clone, "show", "P0000001", "--reveal")
    assert code == 0, out
    return out


def test_the_same_phone_sealed_on_both_sides_is_no_conflict(keyed: dict[str, Path]) -> None:
    office, w3 = keyed["office"], keyed["w3"]
    assert run(office, "edit", "P0000001", "--set", "phones=13800138111")[0] == 0
    assert run(office, "sync")[0] == 0
    assert run(w3, "edit", "P0000001", "--set", "phones=13800138111", "--set", "ethnicity=回族")[0] == 0
    before = member(w3)["phones"][0]
    proc = subprocess.run(["git", "pull", "--no-rebase", "--no-edit", "origin", "main"], cwd=w3, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    merged = member(w3)
    assert merged["phones"][0].startswith("ENC[") and merged["ethnicity"] == "回族"
    assert merged["phones"][0] == before  # one token for one number: mine's
    text = (w3 / HOUSE).read_text(encoding="utf-8")
    assert "13800138111" not in text
    assert "13800138111" in shown(w3)


def test_a_phone_changed_two_ways_is_a_conflict_shown_masked_and_resolved_sealed(keyed: dict[str, Path]) -> None:
    office, w3 = keyed["office"], keyed["w3"]
    assert run(office, "edit", "P0000001", "--set", "phones=13800138111")[0] == 0
    assert run(office, "sync")[0] == 0
    assert run(w3, "edit", "P0000001", "--set", "phones=13800138222")[0] == 0
    proc = subprocess.run(["git", "pull", "--no-rebase", "--no-edit", "origin", "main"], cwd=w3, capture_output=True)
    said = proc.stderr.decode() + proc.stdout.decode()
    assert proc.returncode != 0 and "P0000001" in said and "phones" in said
    assert "13800138111" not in said and "13800138222" not in said and "ENC[" not in said
    code, out = run(w3, "resolve", "P0000001", "phones", "--take", "theirs")
    assert code == 0, out
    assert "13800138111" in shown(w3)
    assert "13800138" not in (w3 / HOUSE).read_text(encoding="utf-8")


def test_a_key_rotated_on_one_side_while_the_other_edits(keyed: dict[str, Path], monkeypatch) -> None:
    office, w3 = keyed["office"], keyed["w3"]
    other = x25519.Identity.generate()
    assert run(office, "keys", "add", "李强", str(other.to_public()))[0] == 0
    assert run(office, "sync")[0] == 0
    git(w3, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    code, out = run(office, "keys", "remove", "李强")  # the data key rotates: every value sealed again
    assert code == 0, out
    assert run(office, "sync")[0] == 0
    assert run(w3, "edit", "P0000001", "--set", "phones=13800138333")[0] == 0  # sealed with the old data key
    proc = subprocess.run(["git", "pull", "--no-rebase", "--no-edit", "origin", "main"], cwd=w3, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    key_id = yaml_rs.loads((office / ".gridctl/recipients").read_text(encoding="utf-8"))["key_id"]
    text = (w3 / HOUSE).read_text(encoding="utf-8")
    assert text.count("ENC[") == text.count(f"key:{key_id},") > 0  # all sealed with the new key
    assert "13800138333" not in text and "13800138333" in shown(w3)
    code, out = run(w3, "validate")
    assert code == 0, out
    monkeypatch.setenv("GRIDCTL_IDENTITY", str(other))  # the removed recipient opens nothing the merge wrote
    assert "13800138333" not in shown(w3)


def test_a_household_added_while_the_key_rotated_elsewhere_arrives_with_the_new_key(
    keyed: dict[str, Path],
) -> None:
    office, w3 = keyed["office"], keyed["w3"]
    other = x25519.Identity.generate()
    assert run(office, "keys", "add", "李强", str(other.to_public()))[0] == 0
    assert run(office, "sync")[0] == 0
    git(w3, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert run(office, "keys", "remove", "李强")[0] == 0
    assert run(office, "sync")[0] == 0
    code, out = run(w3, "add", "household", "--set", "grid=110105001001001", "--set", "housing=自有")
    assert code == 0, out
    person = ["--set", "name=周海", f"--set=id_number={NUMBER}", "--set", "gender=男",
              "--set", "birth_date=1980-03-15", "--set", "relation=户主", "--set", "phones=13800138444"]  # fmt: skip
    code, out = run(w3, "add", "person", "--household", "H3000001", *person)
    assert code == 0, out
    code, out = run(w3, "sync")  # only w3 changed the new file: no driver for it; sealed again before the commit
    assert code == 0, out
    key_id = yaml_rs.loads((office / ".gridctl/recipients").read_text(encoding="utf-8"))["key_id"]
    text = next((w3 / "households").rglob("H3000001.yaml")).read_text(encoding="utf-8")
    assert text.count("ENC[") == text.count(f"key:{key_id},") > 0
    assert "13800138444" not in text
    code, out = run(w3, "validate")
    assert code == 0, out


def test_without_a_key_a_merge_compares_tokens_and_resolve_takes_one_as_it_is(
    keyed: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    office, w3 = keyed["office"], keyed["w3"]
    assert run(office, "edit", "P0000001", "--set", "phones=13800138111")[0] == 0
    assert run(office, "sync")[0] == 0
    assert run(w3, "edit", "P0000001", "--set", "phones=13800138222")[0] == 0
    key = os.environ["GRIDCTL_IDENTITY"]
    monkeypatch.setenv("GRIDCTL_IDENTITY", "")  # this computer holds no key (the clerk's own came later)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    code, out = run(w3, "sync")
    assert code == 1 and "phones" in out and "(已加密)" in out and "ENC[" not in out, out
    code, out = run(w3, "resolve", "P0000001", "phones", "--take", "theirs")
    assert code == 0, out
    monkeypatch.setenv("GRIDCTL_IDENTITY", key)
    assert "13800138111" in shown(w3)
    assert run(w3, "validate")[0] == 0
