"""The fast writer of new record files (gridctl.excel.emit) never writes what reads back otherwise.

An import writes thousands of files through it. Random records of the values registers hold —
words YAML readers take for booleans or null, numbers typed as text, `1号楼`, leading dashes,
colons, quotes, hashes, line breaks, dates, nested members — must read back identical through the
ledger's own reader (yaml-rs), through a YAML 1.2 reader (ruamel) and a YAML 1.1 reader (PyYAML):
the ledger is also opened by editors and other tools.

Not among the values: a text that is exactly a date (`'2026-11-01'`, quoted). The ledger's reader
(yaml-rs 0.1.6) reads even a quoted date as a date, so such a text cannot be stored in a text field
by any writer; that is the reader's limit, not this writer's.
"""

from __future__ import annotations

import datetime as dt
import io
import random

import yaml
import yaml_rs
from ruamel.yaml import YAML

from gridctl.excel.emit import new_file

TEXTS = [
    "yes", "No", "on", "OFF", "y", "n", "true", "null", "~", "", " ", "010", "0x1F", "1e3", "1_000", ".inf",
    "12:30", "1号楼", "3单元", "- 张三", "a: b", "a #b", "#x", "'q'", '"q"', "it's", "x\ny",
    "tab\there", "13800000000", "110105198003151234", "11010519800315123X", "和平里小区", "@home", "%x",
    "*star", "&anchor", "!tag", "|pipe", ">fold", "?q", "[a]", "{a}", "a,b", "=", "+1", "-1", ".5", "中 文 ",
]


def value(rng: random.Random, depth: int = 0) -> object:
    roll = rng.random()
    if depth < 2 and roll < 0.1:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 2 and roll < 0.2:
        return {f"k{i}": value(rng, depth + 1) for i in range(rng.randint(1, 3))}
    if roll < 0.3:
        return rng.choice([None, True, False, 0, 7, -3, 2.5, dt.date(2026, 11, rng.randint(1, 30))])
    return rng.choice(TEXTS) + (rng.choice(TEXTS) if rng.random() < 0.3 else "")


def test_every_new_file_reads_back_as_its_record_in_every_reader() -> None:
    rng = random.Random(20261130)
    ruamel = YAML(typ="safe", pure=True)
    for n in range(400):
        record = {"id": f"H{n:06d}", "kind": "household"}
        record.update({f"f{i}": value(rng) for i in range(rng.randint(1, 6))})
        text = new_file(f"households/g/H{n:06d}.yaml", "household", record).decode("utf-8")
        assert yaml_rs.loads(text) == record, text
        assert ruamel.load(io.StringIO(text)) == record, text
        assert yaml.load(text, Loader=yaml.CSafeLoader) == record, text
