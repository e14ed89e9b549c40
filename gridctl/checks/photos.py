"""A photo a record names must be in the ledger: a notice board never prints an empty frame by surprise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from gridctl.ledger.index import Ledger
from gridctl.model.settings import Settings
from gridctl.problem import Problem

KINDS = ("staff", "place")


def inside(path: str) -> bool:
    """A plain relative path inside the ledger (no drive, no root, no `..`, no backslashes)."""
    parts = PurePosixPath(path).parts
    return bool(parts) and "\\" not in path and ":" not in path and not path.startswith("/") and ".." not in parts


def photos(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    for kind in KINDS:
        for entry, row in ledger.rows(kind):
            path = row.get("photo")
            if not path:
                continue
            if inside(str(path)) and ledger.exists(str(path)):
                continue
            source = entry.source
            args = {"path": path, "record_id": entry.id}
            yield Problem("GC150", source.file, args, doc=source.doc, path=(*source.path, "photo"), record=entry.id)


def folder_state(files: object) -> str:
    """What the check reads besides the records, for the validation cache's key: the names and sizes under
    photos/ in a working tree (a commit is keyed by its id already). A photo kept outside photos/ and
    deleted by hand is noticed once any record or photos/ changes."""
    import os

    from gridctl.ledger.files import WorkTree

    if not isinstance(files, WorkTree):
        return ""
    out = []
    for folder, _dirs, names in os.walk(files.root / "photos"):
        for name in names:
            path = os.path.join(folder, name)
            try:
                out.append(f"{path}:{os.path.getsize(path)}")
            except OSError:
                continue
    return "\n".join(sorted(out))
