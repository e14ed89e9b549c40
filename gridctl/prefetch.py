"""Reading a ledger the cache has not seen, on every core.

A cold `validate` parses and validates every file and runs the per-record checks: work that
depends on one file alone. When thousands of files are new to the cache, worker processes do it
in chunks, in order, and hand back each file's facts (checked and located) as marshal bytes; the
index takes them as they come, so neither process holds more than a few chunks at a time. Below
a few thousand files, starting the workers costs more than it saves.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from gridctl.ledger.files import WorkTree

MIN_FILES = 2000
CHUNK = 400

Reader = Callable[[list[str]], Iterator[tuple[str, str | None, Any]]]


def parallel_reader(root: Path, files: Any) -> Reader | None:
    """A reader for gridctl.ledger.index.load: (rel, blob, facts dump or None) for each file, in order."""
    from gridctl.ledger.files import GitTree

    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or os.environ.get("GRIDCTL_WORKERS") == "1":
        return None
    if isinstance(files, GitTree) and not files.scope:
        commit = files.commit  # a write's HEAD: after an upgrade or a new gridctl.yaml, nothing is cached
    elif isinstance(files, WorkTree):
        commit = ""
    else:
        return None

    def read(rels: list[str]) -> Iterator[tuple[str, str | None, Any]]:
        if len(rels) < MIN_FILES:
            return
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        from gridctl.checks import answers

        method = "fork" if sys.platform.startswith("linux") else "spawn"
        chunks = [rels[i : i + CHUNK] for i in range(0, len(rels), CHUNK)]
        with ProcessPoolExecutor(workers, mp_context=get_context(method), initializer=_start_worker) as pool:
            jobs = [(str(root), commit, c) for c in chunks]
            for chunk, packed in zip(chunks, pool.map(_read_chunk, jobs), strict=True):
                facts_of, learned = marshal.loads(packed)
                answers.merge(learned)  # the tables' answers the worker found
                done = dict(zip(chunk, facts_of, strict=True))
                for rel in chunk:
                    blob, facts = done[rel]
                    yield rel, blob, facts
        _keep_learned(root, files)

    return read


def _keep_learned(root: Path, files: Any) -> None:
    """Keep the answers the workers found, with those kept before: without them, the next edit of
    a household whose county the parent never asked about loads python-stdnum's table (40 ms)."""
    from gridctl.checks import answers
    from gridctl.ledger.cache import open_cache_for

    cache = open_cache_for(root, files)
    if not cache.enabled:
        return
    key = answers.key()
    kept = cache.code.get(key)
    answers.load(kept)
    found = (dict(answers.REGIONS), dict(answers.SEGMENTS))
    if found != kept:
        cache.code.put(key, found)


_TREES: dict[tuple[str, str], Any] = {}
"""A worker's GitTree of the revision read (listed once, not once per chunk)."""


def _files(root: Path, commit: str) -> Any:
    if not commit:
        return WorkTree(root)
    from gridctl.ledger.files import GitTree

    key = (str(root), commit)
    if key not in _TREES:
        _TREES[key] = GitTree(root, commit)
    return _TREES[key]


def _read_chunk(job: tuple[str, str, list[str]]) -> bytes:
    """In a worker: read, validate, check and locate one chunk of files ((None, None) for one it cannot
    read), from the working tree or (`commit`) from git objects."""
    from gridctl.checks import LOCAL, answers, run
    from gridctl.ledger.cache import blob_id
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.index import Entry, Ledger, Source, read_file
    from gridctl.ledger.positions import locate_all
    from gridctl.ledger.vault import record_context
    from gridctl.validate import gc_paused

    tables = (answers.REGIONS, answers.SEGMENTS)
    known = [set(table) for table in tables]  # what this chunk learns goes back to the parent
    root = Path(job[0])
    files = _files(root, job[1])
    settings, _ = load_settings(files)
    out: list[tuple[str | None, Any]] = []
    context = record_context(settings, files) if settings is not None else {}  # an encrypted ledger's vault too
    with gc_paused():
        for rel in job[2]:
            try:
                data = files.read(rel)
            except OSError:
                out.append((None, None))
                continue
            if settings is None:
                out.append((None, None))
                continue
            facts, _docs, records = read_file(files, rel, context, data)
            scratch = Ledger(root, settings)
            for kind, rid, doc, path, household, _valid in facts.entries:
                scratch.add(Entry(kind, rid, Source(rel, doc, tuple(path)), records.get((doc, tuple(path))), household))
            facts.local = locate_all(files, run(scratch, LOCAL))
            facts.problems = locate_all(files, facts.problems)
            facts.located = True
            out.append((blob_id(data), facts.dump()))
    learned = tuple({k: v for k, v in table.items() if k not in had} for table, had in zip(tables, known, strict=True))
    return marshal.dumps((out, learned))


def _start_worker() -> None:
    """What the worker inherited from its parent is never garbage: keep it out of every collection."""
    import gc

    gc.freeze()
