"""Reading a ledger the cache has not seen, on every core.

A cold `validate` parses and validates every file and runs the per-record checks: work that
depends on one file alone. When thousands of files are new to the cache, worker processes do it
in chunks, in order, and hand back each file's facts (checked and located) as marshal bytes; the
index takes them as they come, so neither process holds more than a few chunks at a time. Below
a few thousand files, starting the workers costs more than it saves.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from gridctl.ledger.cache import settings_key
from gridctl.ledger.files import WorkTree

MIN_FILES = 2000
CHUNK = 400

Reader = Callable[[list[str]], Iterator[tuple[str, str | None, Any, bytes | None]]]


def parallel_reader(
    root: Path, files: Any, rows: bool | frozenset[str] = False, settings: str | None = None
) -> Reader | None:
    """A reader for gridctl.ledger.index.load: (rel, blob, facts dump or None, rows or None) for each
    file, in order. `rows`: each file's rows too (marshal bytes, as _row_data makes them), for a
    command that counts whole kinds next (`status`): made while the records are at hand, not by
    reading every file again; or only the rows of files holding records of these kinds (what a
    validate's checks read as rows: ROW_KINDS). `settings`: the settings key of the cache what is
    read goes to (default: gridctl.yaml as it is now); see _same_settings."""
    where = _where(files)
    if where is None:
        return None
    expected = settings or settings_key(files)  # (no cache: its key is "")

    def read(rels: list[str]) -> Iterator[tuple[str, str | None, Any, bytes | None]]:
        if len(rels) < MIN_FILES:
            return
        from gridctl.checks import answers

        chunks = [(rel, rows) for rel in rels]
        for chunk, packed in _on_workers(root, (where, expected), chunks, _read_chunk):
            if packed is None:
                yield from ((rel, None, None, None) for rel, _rows in chunk)
                continue
            facts_of, learned = marshal.loads(packed)
            answers.merge(learned)  # the tables' answers the worker found
            for (rel, _rows), (blob, facts, made) in zip(chunk, facts_of, strict=True):
                yield rel, blob, facts, made
        _keep_learned(root, files)

    return read


def given_reader(root: Path, files: Any) -> Reader | None:
    """For a write's result (an Overlay of a commit) that brings thousands of new files (an import):
    their facts, checked and located, made on every core from the bytes the write made, as
    parallel_reader gives them. None where the workers cannot help."""
    from gridctl.ledger.files import GitTree, Overlay

    if not isinstance(files, Overlay) or not isinstance(files.base, GitTree) or files.base.scope:
        return None
    where = _where(files.base)
    if where is None:
        return None

    def read(rels: list[str]) -> Iterator[tuple[str, str | None, Any, bytes | None]]:
        if len(rels) < MIN_FILES or any(files.changes.get(rel) is None for rel in rels):
            return
        from gridctl.checks import answers

        expected = settings_key(files)
        given = [(rel, files.changes[rel]) for rel in rels]
        for chunk, packed in _on_workers(root, (where, expected), given, _given_chunk):
            if packed is None:
                yield from ((rel, None, None, None) for rel, _data in chunk)
                continue
            facts_of, learned = marshal.loads(packed)
            answers.merge(learned)
            for (rel, _data), (blob, facts, _made) in zip(chunk, facts_of, strict=True):
                yield rel, blob, facts, None
        _keep_learned(root, files.base)

    return read


def parallel_rows(
    root: Path, files: Any, settings: str | None = None
) -> Callable[[list[tuple[str, str]]], Iterator[bytes | None]] | None:
    """For many (file, content id) pairs: each file's rows as marshal bytes, read on every core;
    None for a file a worker could not read or whose content is no longer that id. `settings`:
    as for parallel_reader.

    The rows of a whole kind (what `status` and `list` count) after gridctl changed: at 100,000
    households, building 375,000 records again in one process took the first status 40 s."""
    where = _where(files)
    if where is None:
        return None
    expected = settings or settings_key(files)  # (no cache: its key is "")

    def read(wanted: list[tuple[str, str]]) -> Iterator[bytes | None]:
        for chunk, packed in _on_workers(root, (where, expected), wanted, _rows_chunk):
            yield from marshal.loads(packed) if packed is not None else [None] * len(chunk)

    return read


def _where(files: Any) -> str | None:
    """The commit the workers read (\"\" for the working tree), or None where they cannot help."""
    from gridctl.ledger.files import GitTree

    if min(os.cpu_count() or 1, 8) < 2 or os.environ.get("GRIDCTL_WORKERS") == "1":
        return None
    if isinstance(files, GitTree) and not files.scope:
        return files.commit  # a write's HEAD: after an upgrade or a new gridctl.yaml, nothing is cached
    return "" if isinstance(files, WorkTree) else None


def _on_workers(
    root: Path, read: tuple[str, str], rels: list[Any], task: Callable[[Any], bytes]
) -> Iterator[tuple[list[Any], bytes | None]]:
    """(chunk, what `task` made of it) for chunks of `rels`, in order, made on every core; `read`:
    the commit (\"\" for the working tree) and the settings key the workers must find. None for
    a chunk no worker made: one was killed (the system's out-of-memory killer picks the biggest
    process), and the caller reads those files itself, as with one core."""
    from concurrent.futures import BrokenExecutor

    from gridctl.ledger import workers as started

    workers = min(os.cpu_count() or 1, 8)
    chunks = [rels[i : i + CHUNK] for i in range(0, len(rels), CHUNK)]
    with started.pool(workers, _start_worker) as pool:
        made: Iterator[bytes] | None = None
        try:
            with contextlib.suppress(BrokenExecutor):  # not pool.map: on a Ctrl-C, its results cancel the jobs
                # left while the pool's thread fails them (a traceback from that thread: InvalidStateError)
                futures = [pool.submit(task, (str(root), *read, c)) for c in chunks]
                made = (f.result() for f in futures)
            for chunk in chunks:
                packed = None
                if made is not None:
                    try:
                        packed = next(made)
                    except BrokenExecutor:  # a worker was killed (out of memory): the rest is read here
                        made = None
                yield chunk, packed
        except BaseException:  # Ctrl-C while the reader works on a chunk (GeneratorExit): nothing more is wanted
            started.end(pool)
            raise


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


def _read_chunk(job: tuple[str, str, str, list[tuple[str, bool]]]) -> bytes:
    """In a worker: read, validate, check and locate one chunk of files ((None, None) for one it cannot
    read), from the working tree or (`commit`) from git objects."""
    root = Path(job[0])
    return _read_files(root, _files(root, job[1]), job[2], job[3])


def _given_chunk(job: tuple[str, str, str, list[tuple[str, bytes]]]) -> bytes:
    """In a worker: as _read_chunk, of files whose bytes are given (a write's new files), over the
    commit the write builds on."""
    from gridctl.ledger.files import Overlay

    root = Path(job[0])
    files = Overlay(_files(root, job[1]), dict(job[3]))
    return _read_files(root, files, job[2], [(rel, False) for rel, _data in job[3]])


ROW_KINDS = frozenset({"place", "staff", "event", "inspection", "visit", "activity"})
"""The kinds whose rows a validate's ledger-wide checks read (photos, times_ahead, month_folders):
made on the workers in a cold read, not by the main process reading 33,000 places again after it
(6 s of a cold validate at 100,000 households, when both cores were free)."""


def _read_files(root: Path, files: Any, expected: str, wanted: list[tuple[str, Any]]) -> bytes:
    from gridctl.checks import answers, run_local
    from gridctl.ledger.cache import blob_id
    from gridctl.ledger.index import Entry, Ledger, Source, read_file
    from gridctl.ledger.positions import locate_all
    from gridctl.ledger.vault import record_context
    from gridctl.validate import gc_paused

    tables = (answers.REGIONS, answers.SEGMENTS)
    known = [set(table) for table in tables]  # what this chunk learns goes back to the parent
    settings = _same_settings(files, expected)
    out: list[tuple[str | None, Any, bytes | None]] = []
    context = record_context(settings, files) if settings is not None else {}  # an encrypted ledger's vault too
    with gc_paused():
        read: list[tuple[str, bytes, Any, Any, bool]] = []
        for rel, rows in wanted:
            data = _plain_file(files, rel)
            if data is None or settings is None:  # read by the main process, which says why (a link out...)
                read.append((rel, b"", None, None, rows))
                continue
            facts, _docs, records = read_file(files, rel, context, data)
            read.append((rel, data, facts, records, rows))
        own = [
            (rel, [Entry(k, rid, Source(rel, doc, tuple(path)), records.get((doc, tuple(path))), household)
                   for k, rid, doc, path, household, _valid in facts.entries])
            for rel, _data, facts, records, _rows in read if facts is not None
        ]  # fmt: skip
        local = run_local(lambda: Ledger(root, settings), own) if own else {}  # the chunk's files at once
        for rel, data, facts, records, rows in read:
            if facts is None:
                out.append((None, None, None))
                continue
            facts.local = locate_all(files, local[rel])
            facts.problems = locate_all(files, facts.problems)
            facts.located = True
            wanted_rows = rows is True or (bool(rows) and any(kind in rows for kind, *_rest in facts.entries))
            made = _rows_of(facts, records) if wanted_rows else None
            out.append((blob_id(data), facts.dump(), made))
    learned = tuple({k: v for k, v in table.items() if k not in had} for table, had in zip(tables, known, strict=True))
    return marshal.dumps((out, learned))


def _rows_chunk(job: tuple[str, str, str, list[tuple[str, str]]]) -> bytes:
    """In a worker: the rows of each (file, content id) as the ledger makes them
    (gridctl.ledger.index.Ledger._row_data); None for a file unread or changed since listed."""
    from gridctl.ledger.cache import holds
    from gridctl.ledger.index import read_file
    from gridctl.ledger.vault import record_context
    from gridctl.validate import gc_paused

    files = _files(Path(job[0]), job[1])
    settings = _same_settings(files, job[2])
    if settings is None:
        return marshal.dumps([None] * len(job[3]))
    context = record_context(settings, files)
    out: list[bytes | None] = []
    with gc_paused():
        for rel, blob in job[3]:
            data = _plain_file(files, rel)
            if data is None or not holds(data, blob):
                out.append(None)
                continue
            facts, _docs, records = read_file(files, rel, context, data)
            out.append(_rows_of(facts, records))
    return marshal.dumps(out)


def _same_settings(files: Any, expected: str) -> Any:
    """The settings a worker reads with, or None (its files are left to the main process) when
    gridctl.yaml (or the data key) is no longer what the main process read: what the workers
    made is kept under the main process's settings, and a clerk who tried an alias while a long
    status ran and put the file back saw the tried word counted ever after."""
    from gridctl.ledger.config import load_settings

    if settings_key(files) != expected:
        return None
    settings, _ = load_settings(files)
    return settings if settings_key(files) == expected else None


def _rows_of(facts: Any, records: dict[Any, Any]) -> bytes:
    """A file's rows, one per record in its order, as gridctl.ledger.index.Ledger._row_data makes them."""
    from gridctl.ledger.rows import dump

    return marshal.dumps([dump(records.get((doc, tuple(path)))) for _k, _id, doc, path, _h, _ok in facts.entries])


def _plain_file(files: Any, rel: str) -> bytes | None:
    """A file's bytes, or None for one to leave to the main process: a link out of the ledger or
    through a linked folder is never read through (GC008, GC015), nor one that cannot be read."""
    try:
        if files.outside_link(rel) is not None or files.folder_link(rel) is not None:
            return None
        return files.read(rel)
    except OSError:
        return None


def _start_worker() -> None:
    """What the worker inherited from its parent is never garbage: keep it out of every collection."""
    import gc

    gc.freeze()
