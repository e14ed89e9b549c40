"""The revision a register was exported from, written into it so that importing it back is three-way.

xlsx: custom document properties (Excel and WPS keep them when the clerk saves). CSV: a first
line `# gridctl export <commit> <time>` that import reads and strips (Excel keeps it as a cell
of its own, perhaps with commas after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COMMIT, TIME = "gridctl.commit", "gridctl.time"
_LINE = re.compile(r'^\ufeff?"?# gridctl export ([0-9a-f]{40}) (\S+)"?[,;\t]*\s*$')


@dataclass(frozen=True)
class Stamp:
    commit: str
    time: str
    """The commit's time, ISO 8601 with its offset: found again when the commit itself is not."""


def of_ledger(root: Path, revision: str = "HEAD") -> Stamp | None:
    """HEAD of the ledger (or the commit `revision`), or None when it has no commits (nothing to
    be three-way against)."""
    from gridctl.history.gitlog import git

    try:
        out = git(root, "log", "-1", "--format=%H %cI", revision).decode().split()
    except Exception:
        return None
    return Stamp(out[0], out[1]) if len(out) == 2 else None


def csv_line(stamp: Stamp) -> str:
    return f"# gridctl export {stamp.commit} {stamp.time}"


def from_csv(text: str) -> tuple[Stamp | None, str]:
    """The stamp on the first line, and the text without that line."""
    first, _sep, rest = text.partition("\n")
    found = _LINE.match(first.rstrip("\r"))
    if not found:
        return None, text
    return Stamp(found.group(1), found.group(2)), rest


def put_xlsx(wb: Any, stamp: Stamp) -> None:
    """Into an XlsxWriter workbook (gridctl.excel.export)."""
    wb.set_custom_property(COMMIT, stamp.commit)
    wb.set_custom_property(TIME, stamp.time)


def from_xlsx(wb: Any) -> Stamp | None:
    try:
        props = {p.name: p.value for p in wb.custom_doc_props.props}
    except AttributeError:
        return None
    commit, time = props.get(COMMIT), props.get(TIME)
    if isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{40}", commit) and isinstance(time, str):
        return Stamp(commit, time)
    return None


def base_of(root: Path, stamp: Stamp) -> str | None:
    """The commit a stamp names; if this clone lacks it, the last commit before its time."""
    from gridctl.history.gitlog import git

    try:
        return git(root, "rev-parse", "--verify", "-q", f"{stamp.commit}^{{commit}}").decode().strip()
    except Exception:
        pass
    try:
        out = git(root, "rev-list", "-1", f"--before={stamp.time}", "HEAD").decode().strip()
    except Exception:
        return None
    return out or None
