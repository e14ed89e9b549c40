"""Files a record points at (an activity's photos, a document's PDF) are in the ledger, at a plain path.

The file is committed with its record; a path that leaves the ledger, or a file that was never
committed, would print as a blank and lose the evidence the plan asks for.
"""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.ledger.index import Ledger
from gridctl.model import Activity, Document
from gridctl.model.settings import Settings
from gridctl.problem import Problem


def plain_path(rel: str) -> bool:
    """Relative, forward slashes, no `.`/`..` parts: a path inside the ledger whatever the links."""
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and "\\" not in rel and ":" not in parts[0] and all(
        p not in ("", ".", "..") for p in parts
    )


def attached_files(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    files = ledger.source
    for kind, field in (("activity", "photos"), ("document", "attachment")):
        model = Activity if kind == "activity" else Document
        for record, src in ledger.records(model):
            value = getattr(record, field)
            paths = [(i, p) for i, p in enumerate(value)] if isinstance(value, list) else [(None, value)]
            fix = (
                f"gridctl document submit {record.id} --file FILE"
                if kind == "document"
                else f"gridctl activity {record.grid} --type {record.type} --photo FILE"  # type: ignore[attr-defined]
            )
            for i, rel in paths:
                if rel is None:
                    continue
                path = (*src.path, field) if i is None else (*src.path, field, i)
                args = {"path": rel, "fix": fix, "fix_zh": fix.replace("FILE", "文件")}
                if not plain_path(rel):
                    yield Problem("GC411", src.file, args, doc=src.doc, path=path, record=record.id)
                elif files is not None and not ledger.exists(rel):
                    yield Problem("GC410", src.file, args, doc=src.doc, path=path, record=record.id)
