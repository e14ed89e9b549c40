"""What the libraries' tables answered (GB/T 2260 counties, mainland mobile segments), kept across runs.

An edit checks one household, yet loading python-stdnum's county table and phonenumbers' metadata
took 50 ms of it; the answers for the region codes and mobile prefixes a ledger uses are a few
hundred bytes. They are kept in the cache beside the code (gridctl.ledger.cache), keyed by the
tables' own files, so a library upgrade asks again.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from typing import Any

REGIONS: dict[str, bool] = {}
"""6-digit region code → whether it ever named a county."""
SEGMENTS: dict[str, bool] = {}
"""First 5 digits of a mainland mobile → whether phonenumbers takes it."""
_TABLES = (("stdnum", "cn/loc.dat"), ("phonenumbers", "data/region_CN.py"))
_kept = (0, 0)


def key() -> str:
    """The tables' files (size and time): the answers hold for exactly these."""
    marks = []
    for package, rel in _TABLES:
        spec = find_spec(package)
        origin = spec.origin if spec is not None else None
        try:
            info = os.stat(os.path.join(os.path.dirname(origin), rel)) if origin else None
        except OSError:
            info = None
        marks.append(f"{package}:{info.st_size}:{info.st_mtime_ns}" if info else f"{package}:-")
    return "answers:" + ";".join(marks)


def load(kept: Any) -> None:
    """Take answers a past run kept (a damaged entry is ignored: the tables are asked again)."""
    global _kept
    merge(kept)
    _kept = (len(REGIONS), len(SEGMENTS))


def merge(found: Any) -> None:
    """Take answers found elsewhere (a past run, a worker process) beside this process's own."""
    if isinstance(found, tuple) and len(found) == 2 and all(isinstance(d, dict) for d in found):
        for mine, theirs in zip((REGIONS, SEGMENTS), found, strict=True):
            for k, v in theirs.items():
                if isinstance(k, str) and isinstance(v, bool):
                    mine.setdefault(k, v)


def grown() -> tuple[dict[str, bool], dict[str, bool]] | None:
    """The answers to keep, when this run asked something new."""
    return (dict(REGIONS), dict(SEGMENTS)) if (len(REGIONS), len(SEGMENTS)) != _kept else None
