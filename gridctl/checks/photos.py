"""A photo a record names must be in the ledger: a notice board never prints an empty frame by surprise."""

from __future__ import annotations

from collections.abc import Iterator

from gridctl.checks.attachments import plain_path
from gridctl.ledger.index import Ledger
from gridctl.model.settings import Settings
from gridctl.problem import Problem

KINDS = ("staff", "place")


def photos(ledger: Ledger, settings: Settings) -> Iterator[Problem]:
    files = ledger.source
    for kind in KINDS:
        for entry_of, row in ledger.plain_rows(kind):  # 30,000 places: no Entry made for a photo that is there
            path = row.get("photo")
            if not path:
                continue
            if plain_path(str(path)) and (files is None or ledger.exists(str(path))):
                continue
            entry = entry_of()
            source = entry.source
            args = {"path": path, "record_id": entry.id}
            yield Problem("GC150", source.file, args, doc=source.doc, path=(*source.path, "photo"), record=entry.id)

