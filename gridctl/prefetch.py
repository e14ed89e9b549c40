"""Reading a ledger the cache has not seen, on every core.

A cold `validate` parses and validates every file and runs the per-record checks: work that
depends on one file alone. When thousands of files are new to the cache, worker processes do it
in chunks and hand back each file's facts (checked and located) and documents as marshal bytes;
the main process only files them in the cache, where the ordinary load then finds them. Below a
few thousand files, starting the workers costs more than it saves.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gridctl.ledger.files import WorkTree

MIN_FILES = 2000
CHUNK = 400


def prefetch(root: Path, files: Any, cache: Any, known: Mapping[str, tuple[str | None, bytes | None]]) -> int:
    """Fill the cache with the facts of the working tree's files it lacks; returns how many were read."""
    if not isinstance(files, WorkTree) or not cache.enabled or os.environ.get("GRIDCTL_WORKERS") == "1":
        return 0
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2:
        return 0
    snap = cache.columns()
    have = set(snap.blobs) if snap is not None else set()
    missing = [rel for rel, (blob, _data) in known.items() if blob and blob not in have]
    if len(missing) < MIN_FILES:
        return 0
    missing = [rel for rel in missing if cache.recent.get(known[rel][0]) is None]
    if len(missing) < MIN_FILES:
        return 0
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    chunks = [missing[i : i + CHUNK] for i in range(0, len(missing), CHUNK)]
    with ProcessPoolExecutor(workers, mp_context=get_context(method)) as pool:
        for packed in pool.map(_read_chunk, [(str(root), chunk) for chunk in chunks]):
            for blob, facts, docs in marshal.loads(packed):
                cache.recent.put(blob, facts)
                cache.docs.put(blob, docs)
    return len(missing)


def _read_chunk(job: tuple[str, list[str]]) -> bytes:
    """In a worker: read, validate, check and locate one chunk of files."""
    from gridctl.checks import LOCAL, run
    from gridctl.ledger.cache import blob_id, freeze
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.index import Entry, Ledger, Source, read_file
    from gridctl.ledger.positions import locate_all
    from gridctl.validate import gc_paused

    root = Path(job[0])
    files = WorkTree(root)
    settings, _ = load_settings(files)
    if settings is None:
        return marshal.dumps([])
    context = settings.vocabulary_context()
    out: list[tuple[str, Any, bytes]] = []
    with gc_paused():
        for rel in job[1]:
            try:
                data = files.read(rel)
            except OSError:
                continue
            facts, docs, records = read_file(files, rel, context, data)
            scratch = Ledger(root, settings)
            for kind, rid, doc, path, household, _valid in facts.entries:
                scratch.add(Entry(kind, rid, Source(rel, doc, tuple(path)), records.get((doc, tuple(path))), household))
            facts.local = locate_all(files, run(scratch, LOCAL))
            facts.problems = locate_all(files, facts.problems)
            facts.located = True
            out.append((blob_id(data), facts.dump(), marshal.dumps(freeze(docs))))
    return marshal.dumps(out)
