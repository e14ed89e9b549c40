"""Warm answers equal cold answers: `list`, `show NAME`, `export` and `status` read the rows the
cache keeps, so whatever is kept under .git/gridctl must be what the ledger says, or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from warmcold import COLD, WARM, differences, run

CACHE = Path(".git") / "gridctl" / "cache"


def _exported(root: Path, env: dict[str, str], out: Path) -> list[list[str]]:
    code, text = run(root, env, "export", "household", "-o", str(out))
    assert code == 0, text
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    return rows[1:]  # the first line is the export's stamp (the commit it shows)


def test_one_flipped_bit_in_a_kept_row_is_never_shown(demo: Path, tmp_path: Path) -> None:
    """Failed before: a pack was trusted once its header matched; one bit flipped in a kept
    name (李颖 → 李颗: 0x96 → 0x97, still UTF-8, still marshal) made the warm `list person`,
    `export` and `show 李颖` tell of 李颗 (and `show 李颖` said no such person), the cold ones of
    李颖. A failing disk or a bad copy of .git does that; each pack now carries its CRC-32."""
    commands = [("list", "person"), ("list", "household", "--format", "json"), ("show", "李颖户"), ("status",)]
    assert differences(demo, commands) == []  # the cache is written
    _exported(demo, WARM, tmp_path / "warm.csv")
    name = "李颖".encode()
    flipped = name[:-1] + bytes([name[-1] ^ 1])
    hit = 0
    for pack in (demo / CACHE).rglob("*.bin"):
        data = pack.read_bytes()
        if name in data:
            pack.write_bytes(data.replace(name, flipped))
            hit += 1
    assert hit >= 2  # the rows of the file and the list of every person's row at least
    assert differences(demo, commands) == []
    assert run(demo, WARM, "show", "李颖") == run(demo, COLD, "show", "李颖")
    assert _exported(demo, WARM, tmp_path / "warm.csv") == _exported(demo, COLD, tmp_path / "cold.csv")
