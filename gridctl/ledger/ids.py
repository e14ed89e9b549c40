"""Allocating the next id in the ledger's format: ids are stable for life and never reused.

"Never reused" includes ids of retired records and ids that only survive in git history, so the
next number is one past the highest ever seen in the ledger's files *and* its history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from gridctl.model.settings import id_format_regex


def _prefix(fmt: str, when: dt.date) -> tuple[str, int]:
    """The literal text before the `#` run (dates filled in) and the run's width."""
    filled = fmt.replace("{yyyy}", f"{when.year:04d}").replace("{mm}", f"{when.month:02d}")
    filled = filled.replace("{dd}", f"{when.day:02d}")
    m = re.search(r"#+$", filled)
    assert m is not None  # Settings guarantees formats end in #
    return filled[: m.start()], m.end() - m.start()


def next_id(fmt: str, existing: Iterable[str], when: dt.date | None = None, count: int = 1) -> list[str]:
    """`count` fresh ids after the highest existing one with the same prefix."""
    when = when or dt.date.today()
    prefix, width = _prefix(fmt, when)
    pattern = id_format_regex(fmt)
    high = 0
    for rid in existing:
        if rid.startswith(prefix) and pattern.match(rid):
            tail = rid[len(prefix) :]
            if tail.isdigit():
                high = max(high, int(tail))
    return [f"{prefix}{n:0{width}d}" for n in range(high + 1, high + 1 + count)]


def ids_in_history(repo_root: str, kind_dir: str) -> set[str]:
    """File stems ever committed under a folder (ids of deleted records must not come back)."""
    import git

    try:
        out = git.Repo(repo_root).git.log("--all", "--name-only", "--format=", "--", kind_dir)
    except Exception:  # no history yet
        return set()
    return {line.rsplit("/", 1)[-1].removesuffix(".yaml") for line in out.splitlines() if line.endswith(".yaml")}
