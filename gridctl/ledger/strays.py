"""What to say of a record file the ledger does not read for its name's ending (files.misnamed):
rename it (GC017), unless the right name is another file's already, which a rename would
overwrite (GC018): then which file the ledger reads, and whether both hold the same record."""

from __future__ import annotations

import os
import re
from pathlib import Path

from gridctl.problem import Problem


def stray_problem(root: Path, rel: str) -> Problem:
    """GC017, or GC018 when the name it should have is taken in its folder."""
    folder, _slash, name = rel.rpartition("/")
    stem = re.sub(r"\.txt$", "", name, flags=re.IGNORECASE)
    base, suffix = stem.rsplit(".", 1)
    ending, right = name[len(base) :], f"{base}.{suffix.lower()}"
    try:  # exact names: H000002.YAML is not taken by itself where names ignore case (Windows, macOS)
        here = set(os.listdir(root / folder))
    except OSError:
        here = set()
    taken = next((n for n in (right, f"{base}.yaml", f"{base}.yml") if n in here), None)  # .yml beside .yaml: two
    if taken is None:
        return Problem("GC017", rel, {"ending": ending, "name": right}, line=1, column=1)
    ours = _ids(root / rel)
    return Problem(
        "GC018", rel, {"ending": ending, "name": taken, **_advice(ours, _ids(root / folder / taken))}, line=1, column=1
    )


def _advice(ours: list[str], theirs: list[str]) -> dict[str, str]:
    """Both files hold the same record: merge into the one read. Else the clerk must look first."""
    if ours and ours == theirs:
        return {
            "both": f"Both hold {', '.join(ours)}: compare them",
            "both_zh": f"两个文件都是 {'、'.join(ours)}：对照两个文件，",
            "unless": "",
            "unless_zh": "",
        }
    return {
        "both": "Compare the two: if they are one record",
        "both_zh": "对照两个文件：是同一条记录，就",
        "unless": "; if not, name this file after the record it holds",
        "unless_zh": "；不是，就把本文件改名为其中记录的编号",
    }


_ID = re.compile(r"^id:[ \t]*[\"']?([^\"'#\s]+)", re.MULTILINE)


def _ids(path: Path) -> list[str]:
    """The ids a record file names at the top level, read as text: the file may not be YAML at all
    (saved as UTF-16 or GBK), and this is only what to tell the clerk."""
    try:
        raw = path.read_bytes()[:1_000_000]
    except OSError:
        return []
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    return _ID.findall(raw.decode("utf-16" if utf16 else "utf-8", "replace"))
