"""What each commit changed, kept under .git by commit id: a commit never changes, so neither does this.

`gridctl log` describes every commit from the content of both versions of its files: fetching
and parsing two blobs per changed file is most of its time. The description of a commit is kept
in the cache (.git/gridctl/cache, by commit id and gridctl's code), so the next `log` reads git's
list of commits and the kept descriptions, and only new commits are read from their blobs.
"""

from __future__ import annotations

import datetime as dt
import io
import pickle
from pathlib import Path
from typing import Any

from gridctl.history.describe import RecordChange
from gridctl.history.records import FieldChange, Version
from gridctl.ledger.cache import ShardedPack, code_fingerprint, git_dir_of

Described = tuple[list[RecordChange], list[tuple[str, str]], dict[tuple[str, str], int] | None, list[tuple[str, str]]]
"""(record changes, other files changed, bulk counts for a commit too large to describe record by record,
what a print noted in the print manifest printed: (board|cards|chart, grid))."""


class LogCache:
    def __init__(self, root: Path) -> None:
        import os

        git_dir = git_dir_of(root) if not os.environ.get("GRIDCTL_NO_CACHE") else None
        folder = git_dir / "gridctl" / "cache" if git_dir is not None else None
        self.enabled = folder is not None
        self.pack = ShardedPack(folder, "log", f"log:{code_fingerprint()}:pickle")

    def get(self, sha: str) -> Described | None:
        value = self.pack.get(sha) if self.enabled else None
        return decode(value) if isinstance(value, bytes) else None

    def knows(self, sha: str) -> bool:
        """Whether a description of this commit is kept (not read: a guess of what is left to do)."""
        return self.enabled and self.pack.get(sha) is not None

    def put(self, sha: str, described: Described) -> None:
        if self.enabled:
            self.put_encoded(sha, encode(described))

    def put_encoded(self, sha: str, value: bytes | None) -> None:
        """Keep a description another process made and encoded (gridctl.history.changelog)."""
        if self.enabled and value is not None:
            self.pack.put(sha, value)

    def save(self) -> None:
        self.pack.save()


def encode(described: Described) -> bytes | None:
    """A description as bytes: kept, or handed from a worker process (None if a value will not pickle)."""
    changes, others, bulk, prints = described
    counts = None if bulk is None else [[*k, v] for k, v in bulk.items()]
    payload = ([_plain(c) for c in changes], others, counts, prints)
    try:
        return pickle.dumps(payload, protocol=5)  # dates as they are: no walk over every value
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):
        return None


def decode(value: bytes) -> Described | None:
    """A description from bytes encode() made; None for damaged or foreign bytes of any kind (a
    timedelta too large...): the commit is described again."""
    try:
        changes, others, bulk, prints = _Plain(io.BytesIO(value)).load()
        told = [tuple(o) for o in others], _bulk(bulk), [(str(w), str(g)) for w, g in prints]
        return [_change(c) for c in changes], *told  # type: ignore[return-value]
    except Exception:
        return None


class _Plain(pickle.Unpickler):
    """Plain values and the datetime module's alone: what a record's YAML holds, and nothing that
    runs code (a kept description is read as data, whoever wrote the file)."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in ("date", "datetime", "time", "timedelta", "timezone"):
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


def _version(v: Version | None) -> Any:
    return None if v is None else (v.kind, v.id, v.data, v.file, v.household)


def _plain(c: RecordChange) -> Any:
    fields = [(list(f.path), f.old, f.new, f.label) for f in c.changes]
    return (c.id, c.kind, c.what, _version(c.before), _version(c.after), fields)


def _back(v: Any) -> Version | None:
    return None if v is None else Version(v[0], v[1], v[2], v[3], v[4])


def _change(t: Any) -> RecordChange:
    fields = [FieldChange(tuple(p), old, new, label) for p, old, new, label in t[5]]
    return RecordChange(t[0], t[1], t[2], _back(t[3]), _back(t[4]), fields)


def _bulk(rows: Any) -> dict[tuple[str, str], int] | None:
    return None if rows is None else {(r[0], r[1]): r[2] for r in rows}
