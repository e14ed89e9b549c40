"""The fast reader (yaml-rs) must read every file exactly as ruamel.yaml's YAML 1.2 does.

ruamel.yaml is what gridctl writes with, so any disagreement would mean a clerk's edit is
validated as something other than what they wrote.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml_rs
from ruamel.yaml import YAML

from gridctl.ledger.reader import parse

REPO = Path(__file__).resolve().parent.parent

TRICKY = {
    "no": "no",
    "on": "on",
    "yes": "yes",
    "off": "off",
    "y": "y",
    "NO": "NO",
    "0123": 123,
    "'0123'": "0123",
    "0o17": 15,
    "0x1F": 31,
    "1:20": "1:20",
    "12_000": 12000,
    "2026-01-02": dt.date(2026, 1, 2),
    "2026-1-2": "2026-1-2",
    "2026-01-02T09:30:00": dt.datetime(2026, 1, 2, 9, 30),
    "1e3": 1000.0,
    "-.5": -0.5,
    "+12": 12,
    "~": None,
    "null": None,
    "": None,
    "true": True,
    "True": True,
    "440305199001011234": 440305199001011234,
    "'110105'": "110105",
    "13800138000": 13800138000,
    "张伟": "张伟",
    "'X'": "X",
}


def ruamel_load_all(text: str) -> list:
    return [d for d in YAML(typ="safe", pure=True).load_all(text)]


@pytest.mark.parametrize("scalar", list(TRICKY), ids=[repr(s) for s in TRICKY])
def test_scalars_agree_with_ruamel_yaml_1_2(scalar: str) -> None:
    text = f"value: {scalar}\n"
    ours = yaml_rs.loads(text)["value"]
    theirs = ruamel_load_all(text)[0]["value"]
    assert ours == theirs == TRICKY[scalar]
    assert type(ours) is type(theirs)


def corpus() -> list[Path]:
    files = sorted((REPO / "examples").rglob("*.yaml")) + sorted((REPO / "gridctl" / "profiles").glob("*.yaml"))
    files += sorted((REPO / "tests" / "cases").rglob("*.yaml"))
    return [f for f in files if f.is_file() and not f.is_symlink()]


def test_every_bundled_file_reads_the_same() -> None:
    checked = 0
    for path in corpus():
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
            theirs = [d for d in ruamel_load_all(text) if d is not None]
        except Exception:
            continue
        docs, problems = parse(path.name, text)
        if problems:
            continue
        assert [d.data for d in docs] == theirs, path
        checked += 1
    assert checked >= 5


def test_multi_document_stream_agrees() -> None:
    text = "---\nkind: staff\nid: S1\n---\nkind: staff\nid: S2\n...\n"
    docs, _ = parse("x.yaml", text)
    assert [d.data for d in docs] == ruamel_load_all(text)


def test_duplicate_keys_are_refused_like_ruamel() -> None:
    _docs, problems = parse("x.yaml", "a: 1\na: 2\n")
    assert [p.code for p in problems] == ["GC002"]
    with pytest.raises(Exception, match="duplicate"):
        YAML(typ="rt").load("a: 1\na: 2\n")
