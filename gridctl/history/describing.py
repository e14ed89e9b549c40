"""Describing the commits a log lists: from the blobs of each changed record file, a batch at a
time, on two cores when much of the history is new.

The first `gridctl log` of a clone (or after an upgrade) describes every commit from both versions
of its files: fetching and parsing them is most of its time, and no commit needs another's. Blobs
are asked a batch ahead (git looks them up while Python parses the batch before), each blob once.
When many commits are new, a worker process describes batches too, while this one reads git's
log. It is started before git is, so it holds none of git's pipes, and only when there is much to
do: a forked worker costs about as much as 200 commits take.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import Executor, Future
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.history.describe import RecordChange, record_changes, renumbered
from gridctl.history.gitlog import Commit, FileChange
from gridctl.history.logcache import Described, LogCache, decode, encode
from gridctl.history.prints import MANIFEST, printed
from gridctl.history.records import FieldChange, Version
from gridctl.history.resealing import ENCRYPTED, RESEALED, settle_records
from gridctl.ledger.gitrepo import BlobReader
from gridctl.ledger.message import renumbered_ids
from gridctl.ledger.tools import git_exe
from gridctl.ledger.vault import RECIPIENTS, parse_recipients

BULK = 200
"""A commit touching more record files (an import, a first commit) is counted in files per folder,
not described record by record."""
BATCH = 256
"""Commits whose blobs are fetched in one round trip while git log goes on walking."""
FORKED_FROM = 256
"""Commits new below HEAD before a forked worker pays (Linux)."""
SPAWNED_FROM = 2048
"""The same where a worker starts Python afresh and imports gridctl (Windows, macOS)."""
TOLD = ("title", "grid", "parent", "retired", "responsible", "timeline")
"""The fields a log sentence reads (gridctl.history.describe.sentence): all a description keeps;
and the name of the kinds a sentence names by it (never a resident's)."""
NAMED = ("grid", "staff", "place", "org")


class Describer:
    """Commits described in batches, in the order given; results by the caller's positions."""

    def __init__(self, root: Path, kept: LogCache) -> None:
        self.root = root
        self.pool = worker(root, kept)  # before any git process: the worker holds none of their pipes
        self.lost = False
        try:
            self.reader = BlobReader(root)
        except BaseException:
            self._end_pool(stopped=True)
            raise
        self.blobs = Blobs(self.reader)
        self.parsed: dict = {}
        self.batch: list[tuple[int, Commit]] = []
        self.waiting: list[tuple[list[tuple[int, Commit]], int]] = []
        self.sent: list[tuple[list[tuple[int, Commit]], Future[list[bytes | None]]]] = []
        self.done: dict[int, tuple[Described, bytes | None, bool]] = {}
        """Position → description, its bytes when the worker made them (kept as they are), and
        whether every blob it needed was here (else it is not kept)."""

    def add(self, position: int, commit: Commit) -> None:
        self.batch.append((position, commit))
        if len(self.batch) < BATCH:
            return
        if not self._send():
            self._ask()
            if len(self.waiting) > 1:
                self._work()
        self.batch = []

    def _send(self) -> bool:
        """The batch to the worker while it has little to do; False to describe it here."""
        if self.pool is None or self.lost or sum(not f.done() for _, f in self.sent) >= 3:
            return False
        try:
            future = self.pool.submit(describe_elsewhere, str(self.root), [c for _, c in self.batch])
        except Exception:  # the worker is gone (killed): the rest is described here
            self.lost = True
            return False
        self.sent.append((self.batch, future))
        return True

    def finish(self) -> dict[int, tuple[Described, bytes | None, bool]]:
        """Every commit added, described."""
        if self.batch:
            self._ask()
            self.batch = []
        while self.waiting:
            self._work()
        for items, future in self.sent:
            try:
                encoded = future.result()
            except Exception:  # the worker was killed, or could not take the job: described here
                encoded = [None] * len(items)
            for (position, commit), value in zip(items, encoded, strict=True):
                described = decode(value) if value is not None else None
                if described is not None:
                    self.done[position] = (described, value, True)
                    continue
                self.blobs.ask(wanted(commit))  # would not pickle, lacked a blob, or the worker is gone
                known = self.blobs.collect()
                self.done[position] = (describe(commit, known, self.parsed), None, is_whole(commit, known))
        return self.done

    def close(self, stopped: bool = False) -> None:
        """The worker and git's reader ended; `stopped` (Ctrl-C, an error): the worker's batches are
        wanted no more, and it is killed, not waited for (a batch it never finished held the terminal)."""
        self._end_pool(stopped)
        self.reader.close()

    def _end_pool(self, stopped: bool) -> None:
        if self.pool is None:
            return
        if stopped:
            from gridctl.ledger import workers

            workers.end(self.pool)
        self.pool.shutdown(wait=True, cancel_futures=not stopped)

    def _ask(self) -> None:
        """Ask for a batch's blobs now; git reads them while the batch before is described."""
        self.waiting.append((self.batch, self.blobs.ask(s for _, c in self.batch for s in wanted(c))))

    def _work(self) -> None:
        items, _ = self.waiting.pop(0)
        known = self.blobs.collect()
        for position, commit in items:
            self.done[position] = (describe(commit, known, self.parsed), None, is_whole(commit, known))


class Blobs:
    """Blobs read through one cat-file, each asked once: one commit's new version of a file is an
    older commit's old version."""

    def __init__(self, reader: BlobReader) -> None:
        self.reader = reader
        self.known: dict[str, bytes] = {}
        self.asked: set[str] = set()
        self.counts: list[int] = []

    def ask(self, shas: Iterable[str]) -> int:
        new = [s for s in dict.fromkeys(shas) if s not in self.asked]
        self.asked.update(new)
        self.counts.append(self.reader.ask(new))
        return self.counts[-1]

    def collect(self) -> dict[str, bytes]:
        """The blobs of the oldest ask not yet collected, with every blob read before."""
        self.known.update(self.reader.collect(self.counts.pop(0)))
        return self.known


def worker(root: Path, kept: LogCache) -> Executor | None:
    """A worker when much of the history is not yet described, else None."""
    if os.environ.get("GRIDCTL_WORKERS") == "1" or (os.cpu_count() or 1) < 2:
        return None
    depth = FORKED_FROM if sys.platform.startswith("linux") else SPAWNED_FROM
    probe = subprocess.run(
        [git_exe(), "rev-parse", "--verify", "-q", f"HEAD~{depth}"], cwd=root, capture_output=True, text=True
    )
    if probe.returncode != 0 or kept.knows(probe.stdout.strip()):
        return None  # a short history, or one described up to the last few hundred commits
    from gridctl.ledger import workers

    started = workers.pool(1)
    started.submit(
        os.getpid
    )  # the worker starts now (else at the first batch, holding the pipes of git log and cat-file)
    return started


_HERE: dict[str, Blobs | dict] = {}
"""In the worker: its blobs and parsed versions, kept from batch to batch."""


def describe_elsewhere(root: str, commits: list[Commit]) -> list[bytes | None]:
    """In the worker: each commit's description, encoded as the log cache keeps it."""
    blobs = _HERE.get("blobs")
    if not isinstance(blobs, Blobs):
        blobs = _HERE["blobs"] = Blobs(BlobReader(Path(root)))
    parsed = _HERE.setdefault("parsed", {})
    assert isinstance(parsed, dict)
    blobs.ask(s for c in commits for s in wanted(c))
    known = blobs.collect()
    return [encode(describe(commit, known, parsed)) if is_whole(commit, known) else None for commit in commits]


def is_record(path: str) -> bool:
    return path.endswith((".yaml", ".yml")) and path != "gridctl.yaml" and not path.startswith(".")


def wanted(commit: Commit) -> list[str]:
    """The blobs describing a commit reads: both versions of each record file, unless it is bulk,
    of the print manifest, and of the recipients file (a bulk commit that rotated the data key)."""
    files = [f for f in commit.files if is_record(f.path)]
    shown = [] if len(files) > BULK else files
    shown += [f for f in commit.files if f.path in (MANIFEST, RECIPIENTS)]
    return [s for f in shown for s in (f.old, f.new) if s]


def describe(commit: Commit, blobs: dict[str, bytes], parsed: dict) -> Described:
    """Everything one commit changed (kept by commit id: the same next time). A record file whose
    content this clone lacks (a damaged repository, a partial clone offline) is told as a changed
    file: read as nothing, a change would be told as a household removed."""
    record_files = [f for f in commit.files if is_record(f.path)]
    lacking = [] if len(record_files) > BULK else [f for f in record_files if not complete(f, blobs)]
    prints: list[tuple[str, str]] = []
    for f in commit.files:
        if f.path == MANIFEST and complete(f, blobs):
            prints = printed(blobs.get(f.old or ""), blobs.get(f.new or "")) or []
    others = [
        (f.path, "added" if f.old is None else "removed" if f.new is None else "changed")
        for f in commit.files
        if (not is_record(f.path) and not f.path.endswith(".gitkeep") and not (f.path == MANIFEST and prints))
        or f in lacking
    ]
    encrypts = any(f.path == RECIPIENTS and f.old is None and f.new for f in commit.files)  # `gridctl encrypt`
    if len(record_files) > BULK:
        counts = _bulk_counts(record_files)
        sealed = ENCRYPTED if encrypts else RESEALED if rotates(commit, blobs) else None
        if sealed and all(what == "changed" and path.startswith("households/") for path, what in counts):
            counts = {(path, sealed): n for (path, _what), n in counts.items()}  # a large ledger (re)sealed
        return [], others, counts, prints
    told = [(f.path, blobs.get(f.old or ""), blobs.get(f.new or "")) for f in record_files if f not in lacking]
    changes = renumbered(record_changes(told, parsed), renumbered_ids(commit.message))
    changes = settle_records(changes, None, True, encrypts)  # no key: kept for anyone
    return [_told(c) for c in changes], others, None, prints


def rotates(commit: Commit, blobs: dict[str, bytes]) -> bool:
    """Whether the commit gave the ledger a new data key (`keys remove`): gridctl seals under a new key
    only when it rotates, and then changes no value (gridctl.history.resealing), so its household
    files, too many to read one by one, are told as sealed again. The key ids say it, no key needed."""
    for f in commit.files:
        if f.path == RECIPIENTS and f.old and f.new and complete(f, blobs):
            try:
                return parse_recipients(blobs[f.old])[0] != parse_recipients(blobs[f.new])[0]
            except GridctlError:  # a damaged version: nothing known
                return False
    return False


def complete(change: FileChange, blobs: dict[str, bytes]) -> bool:
    """Whether both versions of a changed file are here (a file added or removed has one)."""
    return all(sha in blobs for sha in (change.old, change.new) if sha)


def is_whole(commit: Commit, blobs: dict[str, bytes]) -> bool:
    """Whether every blob describing the commit needs is here: only then is its description kept
    (the objects may be fetched or mended later)."""
    return all(sha in blobs for sha in wanted(commit))


def _told(change: RecordChange) -> RecordChange:
    """A change as a log tells it: the fields its sentence reads and the names of those changed.

    Whole records and old and new values made each kept description ten times larger, and copied
    residents' numbers into it for no sentence."""

    def slim(v: Version | None) -> Version | None:
        if v is None:
            return None
        told = (*TOLD, "name") if v.kind in NAMED else TOLD
        return v._replace(data={k: v.data[k] for k in told if k in v.data})

    fields = [FieldChange(f.path, None, None, f.label) for f in change.changes]
    return RecordChange(change.id, change.kind, change.what, slim(change.before), slim(change.after), fields)


def _bulk_counts(files: list) -> dict[tuple[str, str], int]:
    """Record files per (path, added|removed|changed) of a commit too large to describe record by record."""
    counts: dict[tuple[str, str], int] = {}
    for f in files:
        what = "added" if f.old is None else "removed" if f.new is None else "changed"
        counts[(f.path, what)] = counts.get((f.path, what), 0) + 1
    return counts
