"""The in-memory ledger: every record by id, where it came from, and what the ledger-wide checks need.

Loading works file by file (gridctl.ledger.facts). A file read before, with the same content,
settings and gridctl, comes from the cache (gridctl.ledger.cache) as plain facts; its typed record
is built only when a command asks for it (`Entry.record`), so a warm `show` or `edit` of one
record costs one file, not the ledger. Records that failed their schema still enter the index by
id, so one bad field does not cascade into "missing reference" errors everywhere.
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from gridctl.ledger.cache import Cache, blob_id, freeze, thaw
from gridctl.ledger.config import load_settings
from gridctl.ledger.facts import FileFacts, record_facts
from gridctl.ledger.files import Files, GitTree, Overlay, WorkTree
from gridctl.ledger.reader import parse, read_text
from gridctl.model.settings import Settings
from gridctl.problem import Problem

R = TypeVar("R")
_UNBUILT: Any = object()


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record lives: file, document index, and field path inside the document."""

    file: str
    doc: int
    path: tuple[str | int, ...] = ()


class Entry:
    """One record in the index. `record` is the typed record (None when it failed its schema),
    built on first use from the cached facts."""

    __slots__ = ("_ledger", "_record", "household", "id", "kind", "raw", "source")

    def __init__(
        self,
        kind: str,
        id: str,
        source: Source,
        record: Any = None,
        household: str | None = None,
        raw: dict[str, Any] | None = None,
        *,
        ledger: Ledger | None = None,
    ) -> None:
        self.kind = kind
        self.id = id
        self.source = source
        self.household = household
        self.raw = raw
        self._ledger = ledger
        self._record = _UNBUILT if ledger is not None and record is _UNBUILT else record

    @property
    def record(self) -> Any:
        if self._record is _UNBUILT:
            assert self._ledger is not None
            self._ledger.build(self)
        return self._record

    def __repr__(self) -> str:
        return f"Entry({self.kind} {self.id} @ {self.source.file})"


class Ledger:
    """Every record by id and kind; the facts the ledger-wide checks read; typed records on demand."""

    def __init__(self, root: Path, settings: Settings, files: Files | None = None, cache: Cache | None = None) -> None:
        self.root = root
        self.settings = settings
        self.entries: list[Entry] = []
        self.by_id: dict[str, list[Entry]] = defaultdict(list)
        self.by_kind: dict[str, list[Entry]] = defaultdict(list)
        self.files = 0
        self.unreadable: set[str] = set()
        """Stems of files that could not be read as YAML: their records may exist, unseen."""
        self.blobs: dict[str, str] = {}
        """Content id of every file read, by path."""
        self.facts: dict[str, FileFacts] = {}
        self._source = files
        self._cache = cache
        self._context: dict[str, Any] | None = None
        self._docs: dict[str, list[Any]] = {}
        self._bulk = False
        self._by_file: dict[str, list[Entry]] = {}
        self._parents: tuple[int, dict[str, str | None]] | None = None

    @property
    def source(self) -> Files | None:
        """What the records were read from (working tree, overlay or revision): attached files are there."""
        return self._source

    # -- building the index ----------------------------------------------------------------

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.by_id[entry.id].append(entry)
        self.by_kind[entry.kind].append(entry)

    def adopt(
        self, rel: str, blob: str, facts: FileFacts, records: dict[tuple[int, tuple[Any, ...]], Any] | None
    ) -> None:
        """Index one file's records from its facts (`records`: typed records already built, by (doc, path))."""
        self.files += 1
        self.blobs[rel] = blob
        self.facts[rel] = facts
        if facts.unreadable:
            self.unreadable.add(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        mine = self._by_file.setdefault(rel, [])
        for kind, rid, doc, path, household, valid in facts.entries:
            path = tuple(path)
            record = records.get((doc, path)) if records is not None else _UNBUILT if valid else None
            entry = Entry(kind, rid, Source(rel, doc, path), record, household, ledger=self)
            self.add(entry)
            mine.append(entry)

    # -- what the checks read --------------------------------------------------------------

    def _file_entries(self) -> Iterator[tuple[FileFacts, list[Entry]]]:
        for rel, facts in self.facts.items():
            yield facts, self._by_file.get(rel, [])

    def entries_of(self, rel: str) -> list[Entry]:
        """The records of one file, in the order of its facts."""
        if rel in self._by_file:
            return self._by_file[rel]
        return [e for e in self.entries if e.source.file == rel]

    def refs(self) -> Iterator[tuple[Entry, tuple[str | int, ...], str, str]]:
        """(entry, field path, target id, expected kind) of every reference any record makes."""
        for facts, entries in self._file_entries():
            for i, path, target, kind in facts.refs:
                if i < len(entries):
                    yield entries[i], tuple(path), target, kind

    def holdings(self) -> Iterator[tuple[Entry, str, bool]]:
        """(entry, grid, active) of every valid household, place, org and thing."""
        for facts, entries in self._file_entries():
            for i, grid, active in facts.holdings:
                if i < len(entries):
                    yield entries[i], grid, active

    def id_numbers(self) -> Iterator[tuple[Entry, str]]:
        """(person entry, ID number in capitals) of every valid person who has one."""
        for facts, entries in self._file_entries():
            for i, number in facts.numbers:
                if i < len(entries):
                    yield entries[i], number

    def timelines(self) -> Iterator[tuple[Entry, list[tuple[str, str, str, str]]]]:
        for facts, entries in self._file_entries():
            for i, steps in facts.timelines:
                if i < len(entries):
                    yield entries[i], [tuple(s) for s in steps]  # type: ignore[misc]

    # -- typed records, built on demand ----------------------------------------------------

    def records(self, model: type[R]) -> Iterator[tuple[R, Source]]:
        """Valid records of one kind with their sources."""
        entries = self.by_kind.get(model.kind_name, ())  # type: ignore[attr-defined]
        self._prefer_bulk(len(entries))
        for entry in entries:
            if isinstance(entry.record, model):
                yield entry.record, entry.source

    def people(self) -> Iterator[tuple[Any, str, Source]]:
        """Every valid person with their household id, even when the household record failed."""
        from gridctl.model import Person

        entries = self.by_kind.get("person", ())
        self._prefer_bulk(len(entries))
        for entry in entries:
            if isinstance(entry.record, Person):
                yield entry.record, entry.household or "", entry.source

    def kind_of(self, record_id: str) -> str | None:
        found = self.by_id.get(record_id)
        return found[0].kind if found else None

    def get(self, record_id: str) -> Entry | None:
        found = self.by_id.get(record_id)
        return found[0] if found else None

    def grid_parents(self) -> dict[str, str | None]:
        """Parent of every grid, including grids whose record failed its schema."""
        if self._parents is not None and self._parents[0] == len(self.entries):
            return dict(self._parents[1])
        failed: dict[tuple[str, int], str | None] = {}
        for rel, facts in self.facts.items():
            if facts.parents:
                mine = self._by_file.get(rel, [])
                for i, parent in facts.parents:
                    if i < len(mine):
                        failed[(rel, id(mine[i]))] = parent
        out: dict[str, str | None] = {}
        for entry in self.by_kind.get("grid", ()):
            key = (entry.source.file, id(entry))
            if key in failed:
                out[entry.id] = failed[key]
            elif entry.record is not None:
                out[entry.id] = entry.record.parent
            elif entry.raw is not None:
                parent = entry.raw.get("parent")
                out[entry.id] = str(parent) if parent is not None else None
        self._parents = (len(self.entries), out)
        return dict(out)

    def grids(self) -> dict[str, Any]:
        from gridctl.model import Grid

        return {g.id: g for g, _ in self.records(Grid)}

    def count(self, kind: str) -> int:
        return len(self.by_kind.get(kind, ()))

    def _prefer_bulk(self, wanted: int) -> None:
        """Many records of a kind are about to be built: read the cached documents in one go."""
        if not self._bulk and wanted > 200 and self._cache is not None:
            self._bulk = True
            self._cache.docs.load_all()

    def context(self) -> dict[str, Any]:
        if self._context is None:
            self._context = self.settings.vocabulary_context()
        return self._context

    def documents(self, rel: str) -> list[Any]:
        """The parsed documents of a file of this ledger (from the cached pack when bulk reading)."""
        if rel not in self._docs:
            blob = self.blobs.get(rel)
            cached = None
            if self._cache is not None and blob and self._bulk:
                cached = self._cache.docs.get(blob)
            if cached is not None:
                self._docs[rel] = thaw(cached)
            else:
                text, _ = read_text(self._source, rel) if self._source is not None else (None, [])
                docs, _ = parse(rel, text) if text is not None else ([], [])
                self._docs[rel] = [d.data for d in docs]
        return self._docs[rel]

    def build(self, entry: Entry) -> None:
        """The typed records of the document that holds `entry` (and its people)."""
        from gridctl.ledger.schema import validate_document

        rel, doc = entry.source.file, entry.source.doc
        docs = self.documents(rel)
        data = docs[doc] if doc < len(docs) else None
        record, _ = validate_document(rel, doc, data, self.context()) if data is not None else (None, [])
        people = _people_of(data, record, self.context())
        for other in (e for e in self.entries_of(rel) if e.source.doc == doc):
            if other.kind == "person" and other.source.path[:1] == ("members",):
                other._record = people.get(other.source.path[1])  # type: ignore[index]
            elif not other.source.path:
                other._record = record
        if entry._record is _UNBUILT:
            entry._record = None


def _people_of(data: Any, record: Any, context: dict[str, Any]) -> dict[int, Any]:
    """The people of a household document, by member index (each validated alone if the household failed)."""
    if record is not None and getattr(record, "kind", None) == "household":
        return dict(enumerate(record.members))
    members = data.get("members") if isinstance(data, dict) and data.get("kind") == "household" else None
    out: dict[int, Any] = {}
    if isinstance(members, list):
        for i, member in enumerate(members):
            if isinstance(member, dict):
                out[i] = _person_or_none(member, context)
    return out


def _person_or_none(data: dict[str, Any], context: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    from gridctl.model import Person

    try:
        return Person.model_validate(data, context=context)
    except ValidationError:
        return None


# -- reading files ------------------------------------------------------------------------------


def read_file(
    files: Files, rel: str, context: dict[str, Any], data: bytes | None = None
) -> tuple[FileFacts, list[Any], dict[tuple[int, tuple[Any, ...]], Any]]:
    """Parse and validate one file: its facts, its documents, and its typed records by (doc, path)."""
    from gridctl.ledger.schema import validate_document

    facts = FileFacts()
    records: dict[tuple[int, tuple[Any, ...]], Any] = {}
    text, problems = read_text(files, rel) if data is None else _decode(files, rel, data)
    if text is None:
        facts.unreadable = True
        facts.problems = problems
        return facts, [], records
    docs, problems = parse(rel, text)
    facts.problems.extend(problems)
    facts.unreadable = bool(problems)
    for doc in docs:
        record, doc_problems = validate_document(rel, doc.index, doc.data, context)
        facts.problems.extend(doc_problems)
        _index_document(facts, records, doc.index, doc.data, record, context)
    return facts, [d.data for d in docs], records


def _decode(files: Files, rel: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """read_text for bytes already read (hashing the file read it once)."""

    class _Once:
        def outside_link(self, _rel: str) -> None:
            return None

        def folder_link(self, _rel: str) -> None:
            return None

        def size(self, _rel: str) -> int:
            return len(data)

        def read(self, _rel: str) -> bytes:
            return data

    return read_text(_Once(), rel)  # type: ignore[arg-type]


def _index_document(
    facts: FileFacts, records: dict[tuple[int, tuple[Any, ...]], Any], doc: int, data: Any, record: Any, context: Any
) -> None:
    if not isinstance(data, dict) or data.get("id") is None or not isinstance(data.get("kind"), str):
        return
    kind, rid = data["kind"], str(data["id"])
    index = len(facts.entries)
    facts.entries.append((kind, rid, doc, (), None, record is not None))
    records[(doc, ())] = record
    if record is not None:
        record_facts(facts, index, record)
    elif kind == "grid":
        parent = data.get("parent")
        facts.parents.append((index, str(parent) if parent is not None else None))
    if kind != "household":
        return
    for i, person in _people_of(data, record, context).items():
        member = data["members"][i] if isinstance(data.get("members"), list) else None
        pid = person.id if person is not None else (member.get("id") if isinstance(member, dict) else None)
        if pid is None:
            continue
        pindex = len(facts.entries)
        facts.entries.append(("person", str(pid), doc, ("members", i), rid, person is not None))
        records[(doc, ("members", i))] = person
        if person is not None and person.id_number:
            facts.numbers.append((pindex, person.id_number.upper()))


# -- the whole ledger ---------------------------------------------------------------------------


def content_id(files: Files, rel: str, cache: Cache | None) -> tuple[str | None, bytes | None]:
    """The blob id of a file's content (from its stat when the cache can vouch for it), and its bytes if read."""
    if isinstance(files, GitTree):
        return files.blob_id(rel), None
    base: Files = files
    if isinstance(files, Overlay):
        if rel in files.changes:
            data = files.changes[rel]
            return (blob_id(data), data) if data is not None else (None, None)
        base = files.base
    if not isinstance(base, WorkTree):
        return None, None
    path = os.path.join(base.root, rel)
    info = base.lstat(rel)
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except OSError:
            info = None
    if info is None:
        return None, None
    if cache is not None:
        known = cache.blob_of(base.root, rel, info)
        if known is not None:
            return known, None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None, None
    blob = blob_id(data)
    if cache is not None:
        cache.record_stat(rel, info, blob)
    return blob, data


def load(
    root: Path,
    files: Files | None = None,
    cache: Cache | None = None,
    known: dict[str, tuple[str | None, bytes | None]] | None = None,
) -> tuple[Ledger | None, list[Problem]]:
    """Read every record. Returns the ledger (None if settings are unusable) and the files' problems.

    `files` defaults to the working tree at root; a write passes an Overlay to check the result
    before anything touches the disk. `cache` (default: the ledger's, under .git) keeps facts.
    """
    from gridctl.ledger.cache import open_cache_for

    files = files if files is not None else WorkTree(root)
    settings, problems = load_settings(files)
    if settings is None:
        return None, problems
    if cache is None:
        cache = open_cache_for(root, files)
    ledger = Ledger(root, settings, files, cache)
    context = ledger.context()
    for rel in files.paths():
        facts, blob, records = file_facts(files, rel, context, cache, known.get(rel) if known else None)
        ledger.adopt(rel, blob or "", facts, records)
        problems.extend(facts.problems)
    return ledger, problems


def file_facts(
    files: Files,
    rel: str,
    context: dict[str, Any],
    cache: Cache | None,
    known: tuple[str | None, bytes | None] | None = None,
) -> tuple[FileFacts, str | None, dict[tuple[int, tuple[Any, ...]], Any] | None]:
    """One file's facts: from the cache by content, or read now (then with its typed records)."""
    target = files.outside_link(rel)
    if target is not None or files.folder_link(rel) is not None:
        facts, _docs, records = read_file(files, rel, context)
        return facts, None, records
    blob, data = known if known is not None else content_id(files, rel, cache)
    if blob is not None and cache is not None:
        cached = cache.facts.get(blob)
        if cached is not None:
            try:
                return FileFacts.load(cached, rel), blob, None
            except (IndexError, TypeError, ValueError):
                pass  # a damaged entry is simply read again
    facts, docs, records = read_file(files, rel, context, data)
    if blob is not None and cache is not None:
        cache.facts.put(blob, facts.dump())
        frozen = freeze(docs)
        cache.docs.put(blob, frozen)
    return facts, blob, records


def scratch(ledger: Ledger, entries: Iterable[Entry]) -> Ledger:
    """A ledger of only these entries (the per-file checks run on one file at a time)."""
    out = Ledger(ledger.root, ledger.settings)
    for entry in entries:
        out.add(entry)
    return out
