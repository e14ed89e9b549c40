"""The in-memory ledger: every record by id, where it came from, and what the ledger-wide checks need.

Loading works file by file (gridctl.ledger.facts). A file read before, with the same content,
settings and gridctl, comes from the cache (gridctl.ledger.cache) as plain facts; its typed record
is built only when a command asks for it (`Entry.record`), so a warm `show` or `edit` of one
record costs one file, not the ledger. Records that failed their schema still enter the index by
id, so one bad field does not cascade into "missing reference" errors everywhere.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from gridctl.ledger.cache import Cache, blob_id, freeze, holds, thaw
from gridctl.ledger.columns import UNREADABLE, Columns, findings
from gridctl.ledger.config import load_settings
from gridctl.ledger.facts import FileFacts, problem_from_tuple, record_facts
from gridctl.ledger.files import Files, GitTree, Overlay, WorkTree
from gridctl.ledger.reader import parse, read_text
from gridctl.ledger.safepath import windows_unsafe, windows_unsafe_among
from gridctl.model.masking import SEALED_PREFIX
from gridctl.model.settings import Settings
from gridctl.problem import Problem

R = TypeVar("R")
SMALL_KINDS = frozenset({"grid", "staff"})
"""Kinds the ledger-wide checks build on every run: their documents travel with the index."""
_UNBUILT: Any = object()


class Source(NamedTuple):
    """Where a record lives: file, document index, and field path inside the document.

    A named tuple, not a frozen dataclass: whole-ledger views make one per record, and a frozen
    dataclass's __init__ took half of the 8 µs an entry cost (photos at 100,000 households: 0.24 s)."""

    file: str
    doc: int
    path: tuple[str | int, ...] = ()


class Entry:
    """One record in the index. `record` is the typed record (None when it failed its schema),
    built on first use from the cached facts."""

    __slots__ = ("_ledger", "_record", "household", "id", "kind", "pos", "source")

    def __init__(
        self,
        kind: str,
        id: str,
        source: Source,
        record: Any = None,
        household: str | None = None,
        *,
        ledger: Ledger | None = None,
    ) -> None:
        self.kind = kind
        self.id = id
        self.source = source
        self.household = household
        self._ledger = ledger
        self._record = _UNBUILT if ledger is not None and record is _UNBUILT else record
        self.pos = -1
        """Its place among its file's records (for the cached rows of that file)."""

    @property
    def record(self) -> Any:
        if self._record is _UNBUILT:
            assert self._ledger is not None
            self._ledger.build(self)
        return self._record

    def written(self) -> Any:
        """The record as its file holds it, valid or not (None when that cannot be read): a record
        that failed its schema still answers to the name written in it."""
        if self._ledger is None:
            return None
        try:
            node = self._ledger.documents(self.source.file)[self.source.doc]
            for step in self.source.path:
                node = node[step]
        except (IndexError, KeyError, TypeError):
            return None
        return node

    def __repr__(self) -> str:
        return f"Entry({self.kind} {self.id} @ {self.source.file})"


class IdIndex:
    """id → the handles of the entries with that id, built by dict() over the id column.

    At 100,000 households a Python loop over 450,000 ids took 0.3 s, and a write builds the
    index twice (the ledger at HEAD and the result); nearly every id is unique, so the first
    handle of each id is kept in a plain dict and only repeated ids get a list."""

    def __init__(self, ids: list[str]) -> None:
        n = len(ids)
        self._ids = ids
        self._first: dict[str, int] = dict(zip(reversed(ids), range(n - 1, -1, -1), strict=True))
        self._more: dict[str, list[int]] = {}
        if len(self._first) < n:
            from collections import Counter

            repeated = {rid for rid, count in Counter(ids).items() if count > 1}
            for handle, rid in enumerate(ids):
                if rid in repeated:
                    self._more.setdefault(rid, []).append(handle)

    def over(self, ids: list[str]) -> IdIndex:
        """This index for an equal list of ids (a derived ledger's own column)."""
        out = IdIndex.__new__(IdIndex)
        out._ids, out._first, out._more = ids, self._first, self._more
        return out

    def get(self, rid: str, default: Any = None) -> list[int] | Any:
        more = self._more.get(rid)
        if more is not None:
            return more
        handle = self._first.get(rid)
        return default if handle is None else [handle]

    def __contains__(self, rid: object) -> bool:
        return rid in self._first

    def __iter__(self) -> Iterator[str]:
        if self._more:  # in the order each id first appears, as the ledger lists them
            return iter(dict.fromkeys(self._ids))
        return reversed(self._first)  # built from the end: reversed, the ids come in ledger order

    def duplicates(self) -> dict[str, list[int]]:
        return self._more


class _ById(Mapping[str, list[Entry]]):
    """id → the entries with that id, made from the columns only for the ids asked about."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def _index(self) -> IdIndex:
        return self._ledger._id_index()

    def __getitem__(self, rid: str) -> list[Entry]:
        found = [self._ledger.entry_at(h) for h in self._index().get(rid, ())]
        found += [e for e in self._ledger._extra if e.id == rid] if self._ledger._extra else []
        if not found:
            raise KeyError(rid)
        return found

    def __contains__(self, rid: object) -> bool:
        return rid in self._index() or any(e.id == rid for e in self._ledger._extra)

    def __iter__(self) -> Iterator[str]:
        seen = self._index()
        yield from seen
        for e in self._ledger._extra:
            if e.id not in seen:
                yield e.id

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _ByKind(Mapping[str, list[Entry]]):
    """kind → its entries (an empty list for a kind with none), made per kind when asked."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self._made: dict[str, list[Entry]] = ledger._kinds_made

    def __getitem__(self, kind: str) -> list[Entry]:
        if kind not in self._made:
            ledger = self._ledger
            made = ledger.entries_at(ledger._kind_index().get(kind, ()))
            self._made[kind] = made + [e for e in ledger._extra if e.kind == kind]
        return self._made[kind]

    def get(self, kind: str, default: Any = None) -> list[Entry]:  # type: ignore[override]
        return self[kind]

    def __iter__(self) -> Iterator[str]:
        kinds = set(self._ledger._kind_index()) | {e.kind for e in self._ledger._extra}
        return iter(sorted(kinds))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def added(self, entry: Entry) -> None:
        if entry.kind in self._made:
            self._made[entry.kind].append(entry)


class Ledger:
    """Every record by id and kind; the facts the ledger-wide checks read; typed records on demand.

    The index is `cols` (gridctl.ledger.columns); `add()` puts in records that come from no file
    (a register's rows checked before they are written).
    """

    def __init__(
        self,
        root: Path,
        settings: Settings,
        files: Files | None = None,
        cache: Cache | None = None,
        cols: Columns | None = None,
    ) -> None:
        self.root = root
        self.settings = settings
        self.cols = cols if cols is not None else Columns()
        self._extra: list[Entry] = []
        self._objs: dict[int, Entry] = {}
        self._ids: IdIndex | None = None
        self._kinds: dict[str, list[int]] | None = None
        self._slots: dict[str, int] | None = None
        self._kinds_made: dict[str, list[Entry]] = {}
        self._source = files
        self._cache = cache
        self._context: dict[str, Any] | None = None
        self._docs: dict[str, list[Any]] = {}
        self._bulk = False
        self._parents: dict[str, str | None] | None = None
        self._rows: dict[str, list[Any]] = {}
        self._stale: set[str] = set()
        """Files read for records whose content is no longer what was listed (see _read_text)."""
        self.asked: dict[str, bool] = {}
        """Files records name (photos, scans) → whether they exist, as the checks found (exists())."""

    @property
    def source(self) -> Files | None:
        """What the records were read from (working tree, overlay or revision): attached files are there."""
        return self._source

    # -- the index -----------------------------------------------------------------------

    @property
    def by_id(self) -> _ById:
        """id → its entries (a view made on each use: no reference cycle keeps a ledger alive)."""
        return _ById(self)

    @property
    def by_kind(self) -> _ByKind:
        return _ByKind(self)

    @property
    def files(self) -> int:
        return len(self.cols.files)

    @property
    def blobs(self) -> dict[str, str]:
        """Content id of every file read, by path."""
        return dict(zip(self.cols.files, self.cols.blobs, strict=True))

    @property
    def unreadable(self) -> set[str]:
        """Stems of files that could not be read as YAML: their records may exist, unseen."""
        c = self.cols
        return {c.files[i].rsplit("/", 1)[-1].rsplit(".", 1)[0] for i, f in enumerate(c.flags) if f & UNREADABLE}

    @property
    def entries(self) -> list[Entry]:
        return self.entries_at(range(len(self.cols.e_id))) + self._extra

    @property
    def size(self) -> int:
        """How many records (people included)."""
        return len(self.cols.e_id) + len(self._extra)

    def entry_at(self, handle: int) -> Entry:
        entry = self._objs.get(handle)
        if entry is None:
            c = self.cols
            slot = c.slot_of_entry(handle)
            source = Source(c.files[slot], c.e_doc[handle], c.path(handle))
            record = _UNBUILT if c.e_valid[handle] else None
            entry = Entry(c.e_kind[handle], c.e_id[handle], source, record, c.e_house[handle], ledger=self)
            entry.pos = handle - c.e_start[slot]
            self._objs[handle] = entry
        return entry

    def entries_at(self, handles: Iterable[int]) -> list[Entry]:
        """entry_at for many handles in ascending order: the file slot is followed, not searched."""
        c = self.cols
        objs, starts, files = self._objs, c.e_start, c.files
        kinds, ids, docs, members, valid, house = c.e_kind, c.e_id, c.e_doc, c.e_member, c.e_valid, c.e_house
        last = len(starts) - 1
        slot, out = 0, []
        for handle in handles:
            entry = objs.get(handle)
            if entry is None:
                if not (starts[slot] <= handle and (slot == last or handle < starts[slot + 1])):
                    slot = c.slot_of_entry(handle)
                member = members[handle]
                source = Source(files[slot], docs[handle], () if member < 0 else ("members", member))
                record = _UNBUILT if valid[handle] else None
                entry = Entry(kinds[handle], ids[handle], source, record, house[handle], ledger=self)
                entry.pos = handle - starts[slot]
                objs[handle] = entry
            out.append(entry)
        return out

    def _id_index(self) -> IdIndex:
        if self._ids is None:
            self._ids = IdIndex(self.cols.e_id)
        return self._ids

    def _kind_index(self) -> dict[str, list[int]]:
        if self._kinds is None:
            kinds: dict[str, list[int]] = defaultdict(list)
            for handle, kind in enumerate(self.cols.e_kind):
                kinds[kind].append(handle)
            self._kinds = dict(kinds)
        return self._kinds

    def add(self, entry: Entry) -> None:
        self._extra.append(entry)
        self.by_kind.added(entry)

    def adopt(
        self, rel: str, blob: str, facts: FileFacts, records: dict[tuple[int, tuple[Any, ...]], Any] | None
    ) -> None:
        """Index one file's records from its facts (`records`: typed records already built, by (doc, path))."""
        slot = self.cols.add(rel, blob, facts)
        if records is not None:
            for handle in self.cols.entry_range(slot):
                entry = self.entry_at(handle)
                entry._record = records.get((entry.source.doc, entry.source.path))
        self._ids = self._kinds = self._slots = self._parents = None

    def _invalidate(self) -> None:
        self._ids = self._kinds = self._slots = self._parents = None
        self._kinds_made = {}

    def slot_of(self, rel: str) -> int | None:
        if self._slots is None:
            self._slots = {rel: i for i, rel in enumerate(self.cols.files)}
        return self._slots.get(rel)

    def entries_of(self, rel: str) -> list[Entry]:
        """The records of one file, in the order of its facts."""
        slot = self.slot_of(rel)
        found = [self.entry_at(h) for h in self.cols.entry_range(slot)] if slot is not None else []
        return found + [e for e in self._extra if e.source.file == rel]

    # -- what the checks read --------------------------------------------------------------

    def refs(self, slots: Iterable[int] | None = None) -> Iterator[tuple[int, tuple[str | int, ...], str, str]]:
        """(entry handle, field path, target id, expected kind) of every reference any record makes
        (`slots`: only the records of these files)."""
        c = self.cols
        if slots is None:
            return zip(c.r_entry, c.r_path, c.r_target, c.r_kind, strict=True)
        spans = [c.ref_range(slot) for slot in sorted(slots)]
        return chain.from_iterable(
            zip(c.r_entry[s], c.r_path[s], c.r_target[s], c.r_kind[s], strict=True) for s in spans
        )

    def holdings(self, slots: Iterable[int] | None = None) -> Iterator[tuple[int, str, bool]]:
        """(entry handle, grid, active) of every valid household, place, org and thing (a household
        no one lives in is not active: gridctl.ledger.facts.FileFacts.holdings); `slots`: only the
        records of these files."""
        c = self.cols
        if slots is None:
            return zip(c.h_entry, c.h_grid, c.h_active, strict=True)
        spans = [c.holding_range(slot) for slot in sorted(slots)]
        return chain.from_iterable(zip(c.h_entry[s], c.h_grid[s], c.h_active[s], strict=True) for s in spans)

    def id_numbers(self) -> Iterator[tuple[int, str]]:
        """(person handle, ID number in capitals) of every valid person who has one."""
        c = self.cols
        return zip(c.n_entry, c.n_number, strict=True)

    def repeated_numbers(self) -> dict[str, list[int]]:
        """ID number → the person handles holding it, for numbers more than one person holds.

        A dict over the column first: at 100,000 households a Python loop over 276,000 numbers
        took 0.4 s of every write, and nearly every number is held once."""
        c = self.cols
        if len(dict.fromkeys(c.n_number)) == len(c.n_number):
            return {}
        from collections import Counter

        repeated = {n for n, count in Counter(c.n_number).items() if count > 1}
        out: dict[str, list[int]] = {}
        for handle, number in zip(c.n_entry, c.n_number, strict=True):
            if number in repeated:
                out.setdefault(number, []).append(handle)
        return out

    def timelines(self) -> Iterator[tuple[int, list[tuple[str, str, str, str]]]]:
        """(event handle, its timeline steps as (at, by, action, note))."""
        for handle, steps in self.cols.timelines:
            yield handle, [tuple(s) for s in steps]  # type: ignore[misc]

    def duplicate_ids(self) -> dict[str, list[Entry]]:
        """Ids held by more than one record, with those records."""
        out = {rid: [self.entry_at(h) for h in hs] for rid, hs in self._id_index().duplicates().items()}
        for entry in self._extra:
            if entry.id in self._id_index() or sum(1 for e in self._extra if e.id == entry.id) > 1:
                out[entry.id] = self.by_id[entry.id]
        return out

    # -- typed records, built on demand ----------------------------------------------------

    def records(self, model: type[R]) -> Iterator[tuple[R, Source]]:
        """Valid records of one kind with their sources."""
        entries = self.by_kind[model.kind_name]  # type: ignore[attr-defined]
        self._prefer_bulk(len(entries))
        for entry in entries:
            if isinstance(entry.record, model):
                yield entry.record, entry.source

    def people(self) -> Iterator[tuple[Any, str, Source]]:
        """Every valid person with their household id, even when the household record failed."""
        from gridctl.model import Person

        entries = self.by_kind["person"]
        self._prefer_bulk(len(entries))
        for entry in entries:
            if isinstance(entry.record, Person):
                yield entry.record, entry.household or "", entry.source

    def rows(self, kind: str) -> Iterator[tuple[Entry, Any]]:
        """(entry, row) of every valid record of a kind: cached fields, no typed records built."""
        from gridctl.ledger.rows import Row

        entries = self.by_kind[kind]
        kept = self._kind_rows(kind, entries)
        for n, entry in enumerate(entries):
            data = kept[n] if kept is not None else self._row_data(entry)
            if data is not None:
                yield entry, Row(data)

    def plain_rows(self, kind: str) -> Iterator[tuple[Callable[[], Entry], dict[str, Any]]]:
        """(a way to its entry, row data) of every valid record of a kind, with no Entry made:
        for a check that reads one field of 30,000 places and reports a few of them."""
        for who, data in self._handle_rows(kind):
            yield (lambda w=who: w if isinstance(w, Entry) else self.entry_at(w)), data  # type: ignore[misc]

    def months(self, kind: str) -> Iterator[tuple[str, Callable[[], Entry], str]]:
        """(file, a way to its entry, yyyy/mm) of every valid record of a dated kind (gridctl.ledger.layout
        BY_MONTH): the month its date files it under, for a check of where such records lie.

        validate asks on every run, and every write of an inspection: reading each one's row for its
        date took a third of both at 20,000 inspections. So the months are kept by the content of their
        file (cache.months), and a run reads the rows of content it has not seen."""
        from gridctl.ledger.layout import month_of

        c, cache = self.cols, self._cache
        if cache is None or not cache.enabled or any(e.kind == kind for e in self._extra):
            for who, data in self._handle_rows(kind):
                rel = who.source.file if isinstance(who, Entry) else c.files[c.slot_of_entry(who)]
                yield rel, (lambda w=who: w if isinstance(w, Entry) else self.entry_at(w)), month_of(data)
            return
        handles = self._kind_index().get(kind, [])
        starts, blobs, last, slot = c.e_start, c.blobs, len(c.e_start) - 1, 0
        slots: list[int] = []
        for handle in handles:  # ascending: the file slot is followed, not searched
            if not (starts[slot] <= handle and (slot == last or handle < starts[slot + 1])):
                slot = c.slot_of_entry(handle)
            slots.append(slot)
        found = cache.months.get(kind)
        known: dict[str, dict[int, str | None]] = found if isinstance(found, dict) else {}
        unseen = {s for s in slots if blobs[s] not in known or c.files[s] in self._stale}
        made: dict[int, dict[int, str | None]] = defaultdict(dict)
        if len(unseen) > RELEASE:  # a cold read: the kind's rows in one piece
            for n, (_who, data) in enumerate(self._handle_rows(kind, invalid=True)):
                if slots[n] in unseen:
                    made[slots[n]][handles[n] - starts[slots[n]]] = None if data is None else month_of(data)
        else:
            for s in unseen:
                for entry in self.entries_of(c.files[s]):
                    if entry.kind == kind:
                        data = self._row_data(entry)
                        made[s][entry.pos] = None if data is None else month_of(data)
        if unseen:
            kept = {blobs[s]: known[blobs[s]] for s in set(slots) - unseen}
            kept.update({blobs[s]: months for s, months in made.items() if blobs[s] and c.files[s] not in self._stale})
            with contextlib.suppress(ValueError):
                cache.months.put(kind, kept)  # this ledger's files only: nothing piles up
        for n, handle in enumerate(handles):
            s = slots[n]
            month = (made[s] if s in unseen else known[blobs[s]]).get(handle - starts[s])
            if month is not None:
                yield c.files[s], (lambda h=handle: self.entry_at(h)), month

    def every_row(self, kind: str) -> Iterator[tuple[Callable[[], Entry], dict[str, Any] | None]]:
        """As plain_rows, and the records that failed their schema too, with None for their row."""
        for who, data in self._handle_rows(kind, invalid=True):
            yield (lambda w=who: w if isinstance(w, Entry) else self.entry_at(w)), data  # type: ignore[misc]

    def row_dicts(self, kind: str) -> Iterator[tuple[str | None, dict[str, Any]]]:
        """(household, row data) of every valid record of a kind, with no Entry and no Row made:
        for counts over the whole ledger (`status` reads 375,000 households and people)."""
        house = self.cols.e_house
        for who, data in self._handle_rows(kind):
            yield (who.household if isinstance(who, Entry) else house[who]), data

    def _handle_rows(self, kind: str, invalid: bool = False) -> Iterator[tuple[int | Entry, Any]]:
        """(handle, row data) of every valid record of a kind (and of the invalid ones, with None,
        if asked); (the Entry, row data) when records of the kind were added in memory, whose
        rows are read one by one."""
        if any(e.kind == kind for e in self._extra):
            for entry in self.by_kind[kind]:
                data = self._row_data(entry)
                if data is not None or invalid:
                    yield entry, data
            return
        handles = self._kind_index().get(kind, [])
        kept = self._kind_rows(kind, handles)
        for n, handle in enumerate(handles):
            data = kept[n] if kept is not None else self._row_data(self.entry_at(handle))
            if data is not None or invalid:
                yield handle, data

    def _kind_rows(self, kind: str, entries: list[Any]) -> list[Any] | None:
        """Every row of a kind in one piece, kept by the content of the files they come from.

        Read file by file, 12,000 households' rows take 0.4 s; read as one list, 0.15 s. When a
        file changed, the kept list still holds every other file's rows: each row is taken from it
        by its file's content id and place in the file (at 100,000 households, reading 375,000 rows
        file by file again took `status` 5 s after one changed file). None when the rows cannot be
        kept (no cache, a record added in memory): then they are read one by one."""
        cache = self._cache
        if cache is None or not cache.enabled or any(e.kind == kind for e in self._extra) or self._opens():
            return None  # (an encrypted ledger opened with a key here: opened values never go to disk)
        import hashlib

        c = self.cols
        handles = self._kind_index().get(kind, [])
        starts, blobs, last = c.e_start, c.blobs, len(c.e_start) - 1
        slot, parts, slots = 0, [], []
        for handle in handles:  # ascending: the file slot is followed, not searched
            if not (starts[slot] <= handle and (slot == last or handle < starts[slot + 1])):
                slot = c.slot_of_entry(handle)
            parts.append(f"{blobs[slot]}:{handle - starts[slot]}")
            slots.append(slot)
        where = "\n".join(parts)
        key = hashlib.sha1(where.encode(), usedforsecurity=False).hexdigest()
        found = cache.kind_rows.get(kind)
        old: Any = None
        if isinstance(found, tuple) and len(found) == 3:
            old = _unpack(found[1])
            if found[0] == key and isinstance(old, list) and len(old) == len(entries):
                return old
        rows: list[Any] = [None] * len(handles)
        todo = list(range(len(handles)))
        if isinstance(old, list) and isinstance(found[2], str):
            was = found[2].split("\n")
            if len(was) == len(old):
                index = dict(zip(was, range(len(was)), strict=True))
                todo = []
                for n, part in enumerate(parts):
                    i = index.get(part)
                    if i is None:
                        todo.append(n)
                    else:
                        rows[n] = old[i]
        if len(todo) > RELEASE:
            self._rows_elsewhere(sorted({slots[n] for n in todo}))
        todo = self._kept_rows_into(rows, todo, handles, slots)
        release = len(todo) > RELEASE
        done: str | None = None
        fresh: tuple[str | None, list[Entry]] = (None, [])
        for n, entry in zip(todo, self.entries_at([handles[n] for n in todo]), strict=True):
            if release and entry.source.file != done:
                self.forget(*fresh)
                if done is not None:
                    self._rows.pop(done, None)  # its other kinds' rows are kept by content (cache.rows)
                done = entry.source.file
                fresh = self.untouched(done)
            rows[n] = self._row_data(entry)
        self.forget(*fresh)
        if done is not None:
            self._rows.pop(done, None)
        if not self._stale:  # a file edited meanwhile: its rows are this run's alone
            with contextlib.suppress(ValueError):
                cache.kind_rows.put(kind, (key, marshal.dumps(rows), where))
        return rows

    def _kept_rows_into(self, rows: list[Any], todo: list[int], handles: list[int], slots: list[int]) -> list[int]:
        """Fill `rows` where the file's rows are kept (cache.rows, by content): what _row_data would
        read, with no Entry made (200,000 of them took 2.6 s at 100,000 households). Returns the
        rest, to be read and built file by file."""
        c, cache = self.cols, self._cache
        assert cache is not None
        starts, left = c.e_start, []
        current, got = -1, None
        for n in todo:
            slot = slots[n]
            if slot != current:
                current, blob = slot, c.blobs[slot]
                got = self._rows.get(c.files[slot])
                if got is None and blob:
                    got = _unpack(cache.rows.get(blob))
            if got is None:
                left.append(n)
                continue
            pos = handles[n] - starts[slot]
            rows[n] = got[pos] if pos < len(got) else None
        return left

    def _rows_elsewhere(self, slots: list[int]) -> None:
        """The rows of thousands of files no cache holds, made on every core into the cache's rows
        (gridctl.prefetch.parallel_rows), where _row_data finds them; a file that changed since, or
        one a worker could not read, is left to _row_data."""
        from gridctl.prefetch import MIN_FILES, parallel_rows

        cache, c = self._cache, self.cols
        if cache is None or self._source is None:
            return
        slots = [slot for slot in slots if c.blobs[slot] and cache.rows.get(c.blobs[slot]) is None]
        reader = parallel_rows(self.root, self._source, cache.settings_key) if len(slots) >= MIN_FILES else None
        if reader is None:
            return
        for slot, rows in zip(slots, reader([(c.files[slot], c.blobs[slot]) for slot in slots]), strict=True):
            if rows is not None:
                cache.rows.put(c.blobs[slot], rows)

    def let_go(self) -> None:
        """Drop what reading built (entries, indexes, parsed documents, rows); the columns stay.

        An Entry points back at its ledger, so all of it waits for a cyclic collection, which a
        one-command process never runs (gridctl.ledger.cache.freeze_what_is_read): at 100,000
        households validate's report was printed beside 160 MB of indexes no one would read again."""
        self._objs, self._kinds_made, self._docs, self._rows = {}, {}, {}, {}
        self._ids = self._kinds = self._slots = self._parents = None

    def kinds_in(self, rel: str) -> set[str] | None:
        """The kinds of a file's records (none: no such file), or None when records were added to it
        in memory (a write's check of which checks it needs asks this)."""
        if any(entry.source.file == rel for entry in self._extra):
            return None
        slot = self.slot_of(rel)
        return set() if slot is None else {self.cols.e_kind[h] for h in self.cols.entry_range(slot)}

    def untouched(self, rel: str) -> tuple[str | None, list[Entry]]:
        """What of a file is not read yet: the file if its documents are not, and its records not
        built (for forget(), once what was wanted of the file is taken)."""
        slot = self.slot_of(rel)
        entries = self.entries_at(self.cols.entry_range(slot)) if slot is not None else []
        return (None if rel in self._docs else rel), [e for e in entries if e._record is _UNBUILT]

    def forget(self, rel: str | None, entries: list[Entry]) -> None:
        """Forget what reading a file built since untouched() (its parsed documents, its typed
        records; built again if asked for): a whole kind's rows read with all of it kept took 3 GB
        at 100,000 households, the first `status` after gridctl changed. What was built before stays."""
        if rel is not None:
            self._docs.pop(rel, None)
        for entry in entries:
            entry._record = _UNBUILT

    def _row_data(self, entry: Entry) -> dict[str, Any] | None:
        from gridctl.ledger.rows import dump

        rel = entry.source.file
        slot = self.slot_of(rel) if entry.pos >= 0 else None
        if slot is None:
            return dump(entry.record)
        rows = self._rows.get(rel)
        if rows is None:
            blob = self.cols.blobs[slot]
            cached = self._cache.rows.get(blob) if self._cache is not None and blob else None
            rows = _unpack(cached)
            if rows is None:
                rows = [dump(e.record) for e in self.entries_of(rel)]
                # opened values never go to disk; nor rows of content other than the listed
                if self._cache is not None and blob and not self._opens() and rel not in self._stale:
                    self._cache.rows.put(blob, marshal.dumps(rows))
            self._rows[rel] = rows
        return rows[entry.pos] if entry.pos < len(rows) else None

    def derive(self, files: Files, changed: Iterable[str], reader: Any = None) -> Ledger | None:
        """This ledger with the `changed` files read again from `files` (a write's result).

        The other files' facts are taken over, not read again; None when the settings change
        (then everything must be read with the new vocabularies). `reader(rels)`: the facts of
        many files read elsewhere, as load() takes them (gridctl.prefetch.given_reader).
        """
        from gridctl.ledger.vault import RECIPIENTS

        changed = set(changed)
        if "gridctl.yaml" in changed or RECIPIENTS in changed:  # new settings, or a new data key: read all again
            return None
        out = Ledger(self.root, self.settings, files, self._cache)
        out._context = self._context
        if self._in_place(files, changed):
            self._replace_in_place(out, files, changed)
            return out
        runs: list[tuple[int, str]] = []
        listing = list(files.paths())
        read = [rel for rel in listing if rel in changed or self.slot_of(rel) is None] if reader is not None else []
        streamed = reader(read) if read else iter(())
        ahead: tuple[str, str | None, Any, bytes | None] | None = next(streamed, None)
        for rel in listing:
            slot = self.slot_of(rel)
            if slot is not None and rel not in changed:
                runs.append((slot, rel))
                continue
            if runs:
                out.cols.take(self.cols, runs)
                runs = []
            if ahead is not None and ahead[0] == rel:
                _rel, read_blob, dump, _rows = ahead
                ahead = next(streamed, None)
                if dump is not None and read_blob is not None:
                    out.adopt(rel, read_blob, FileFacts.load(dump, rel), None)
                    if self._cache is not None and self._cache.enabled:
                        self._cache.recent.put(read_blob, dump)
                    continue
            facts, blob, records = file_facts(files, rel, out.context(), self._cache)
            out.adopt(rel, blob or "", facts, records)
        if runs:
            out.cols.take(self.cols, runs)
        out.cols.sort_keyed()
        out._invalidate()
        out._share_indexes(self)
        return out

    def _in_place(self, files: Files, changed: set[str]) -> bool:
        """The change rewrites files this ledger read, in place (no file added or removed): the
        result's listing is this one's, so no walk over 137,000 paths is needed to derive it."""
        return (
            isinstance(files, Overlay)
            and files.base is self._source
            and all(files.changes.get(rel) is not None and self.slot_of(rel) is not None for rel in changed)
        )

    def _replace_in_place(self, out: Ledger, files: Files, changed: set[str]) -> None:
        slots = sorted(s for s in map(self.slot_of, changed) if s is not None)
        _in_place(out, files, self.cols.files, self.cols, slots, {}, self._cache, out.context(), keep=False)
        out._invalidate()
        out._share_indexes(self)

    def _share_indexes(self, base: Ledger) -> None:
        """Take over `base`'s id, kind and path indexes where the columns they index are equal (a
        write that changed a field, not an id): building them again took 0.2 s at 100,000 households."""
        mine, theirs = self.cols, base.cols
        if base._ids is not None and mine.e_id == theirs.e_id:
            self._ids = base._ids.over(mine.e_id)
        if base._kinds is not None and mine.e_kind == theirs.e_kind:
            self._kinds = base._kinds
        if base._slots is not None and mine.files == theirs.files:
            self._slots = base._slots

    def read(self, rel: str) -> bytes:
        """A file's bytes as this ledger has them (for a write: as committed at HEAD)."""
        return (self._source or WorkTree(self.root)).read(rel)

    def exists(self, rel: str) -> bool:
        """Whether a file a record names (a photo, a scan) is in the ledger, remembered in `asked`: a
        result kept for these records holds only while each answer is still the same."""
        found = self.asked.get(rel)
        if found is None:
            source = self._source or WorkTree(self.root)
            found = self.asked[rel] = bool(source.exists(rel))
        return found

    def kept(self, name: str, compute: Callable[[], Any]) -> Any:
        """A view of the whole ledger (`list`'s table), computed once per content of its files and
        kept by the cache (gridctl.ledger.cache.Cache.kept): only plain values, and never when a key
        here opens an encrypted ledger, records were added in memory, or a file cannot be keyed."""
        cache = self._cache
        if cache is None or not cache.enabled or self._extra or "" in self.cols.blobs or self._opens():
            return compute()
        import hashlib

        digest = hashlib.sha1(usedforsecurity=False)
        for rel, blob in zip(self.cols.files, self.cols.blobs, strict=True):
            digest.update(f"{rel}\0{blob}\n".encode("utf-8", "surrogatepass"))
        return cache.kept(name, digest.hexdigest(), compute)

    def remember(self) -> None:
        """Keep what this run read and built (rows, documents) in the cache for the next command."""
        if self._cache is not None:
            self._cache.save()

    def kinds_by_id(self) -> dict[str, str]:
        """id → kind of the first record with that id (what kind_of answers), for every id at once."""
        c = self.cols
        out = dict(zip(reversed(c.e_id), reversed(c.e_kind), strict=True))
        for entry in reversed(self._extra):
            out.setdefault(entry.id, entry.kind)
        return out

    def kind_of(self, record_id: str) -> str | None:
        handles = self._id_index().get(record_id)
        if handles:
            return self.cols.e_kind[handles[0]]
        found = [e for e in self._extra if e.id == record_id]
        return found[0].kind if found else None

    def get(self, record_id: str) -> Entry | None:
        found = self.by_id.get(record_id)
        return found[0] if found else None

    def grid_parents(self) -> dict[str, str | None]:
        """Parent of every grid, including grids whose record failed its schema."""
        if self._parents is None:
            failed = dict(self.cols.parents)
            out: dict[str, str | None] = {}
            for handle in self._kind_index().get("grid", ()):
                entry = self.entry_at(handle)
                if handle in failed:
                    out[entry.id] = failed[handle]
                elif entry.record is not None:
                    out[entry.id] = entry.record.parent
            for entry in self._extra:
                if entry.kind == "grid" and entry.record is not None:
                    out[entry.id] = entry.record.parent
            self._parents = out
        return dict(self._parents)

    def grids(self) -> dict[str, Any]:
        from gridctl.model import Grid

        return {g.id: g for g, _ in self.records(Grid)}

    def count(self, kind: str) -> int:
        return len(self._kind_index().get(kind, ())) + sum(1 for e in self._extra if e.kind == kind)

    def _prefer_bulk(self, wanted: int) -> None:
        """Many records of a kind are about to be built: read the cached documents in one go."""
        if not self._bulk and wanted > 2000 and self._cache is not None:
            self._bulk = True
            self._cache.docs.load_all()

    def context(self) -> dict[str, Any]:
        if self._context is None:
            from gridctl.ledger.vault import record_context

            self._context = record_context(self.settings, self._source or WorkTree(self.root))
        return self._context

    def _opens(self) -> bool:
        """Records are built with opened personal values (an encrypted ledger, a key here)."""
        from gridctl.ledger.vault import CONTEXT_KEY

        vault = self.context().get(CONTEXT_KEY)
        return vault is not None and vault.can_open

    def documents(self, rel: str) -> list[Any]:
        """The parsed documents of a file of this ledger (from the cached pack when bulk reading)."""
        if rel not in self._docs:
            slot = self.slot_of(rel)
            blob = self.cols.blobs[slot] if slot is not None else None
            cached = _unpack(self.cols.small.get(slot)) if slot is not None else None
            if cached is None and self._cache is not None and blob and self._bulk:
                cached = _unpack(self._cache.docs.get(blob))
            if cached is not None:
                self._docs[rel] = thaw(cached)
            else:
                text, _ = self._read_text(rel, blob)
                docs, _ = parse(rel, text) if text is not None else ([], [])
                self._docs[rel] = [d.data for d in docs]
                if self._bulk and self._cache is not None and blob and rel not in self._stale:  # many asked: keep them
                    self._cache.docs.put(blob, marshal.dumps(freeze(self._docs[rel])))
        return self._docs[rel]

    def _read_text(self, rel: str, blob: str | None) -> tuple[str | None, list[Problem]]:
        """A file's text read now; one whose content is no longer what the ledger listed (edited
        while a long read ran) is marked stale: nothing made from it is kept under the listed id."""
        if self._source is None:
            return None, []
        files = self._source
        if not blob or not isinstance(files, WorkTree) or files.outside_link(rel) or files.folder_link(rel):
            return read_text(files, rel)  # (a link is refused there, as when the ledger was read)
        try:
            raw = files.read(rel)
        except OSError:
            return read_text(files, rel)
        if not holds(raw, blob):
            self._stale.add(rel)
        return _decode(files, rel, raw)

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
    from gridctl.ledger.mentions import personal_in_text
    from gridctl.ledger.schema import validate_document
    from gridctl.ledger.zeros import read_as_numbers

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
    plain = SEALED_PREFIX not in text and "\\" not in text  # (an escape could spell the prefix)
    for doc in docs:
        record, doc_problems = validate_document(rel, doc.index, doc.data, context, plain)
        facts.problems.extend(doc_problems)
        _index_document(facts, records, doc.index, doc.data, record, context)
    facts.problems.extend(personal_in_text(rel, docs))
    facts.problems.extend(read_as_numbers(rel, text, docs))
    plain = [d.data for d in docs]
    if any(kind in SMALL_KINDS for kind, *_rest in facts.entries):
        facts.small = marshal.dumps(freeze(plain))
    return facts, plain, records


class _Once:
    """One file's bytes, already read, as read_text asks for a file (a class made per file cost a
    cold read 14 µs a file)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def outside_link(self, _rel: str) -> None:
        return None

    def folder_link(self, _rel: str) -> None:
        return None

    def size(self, _rel: str) -> int:
        return len(self.data)

    def read(self, _rel: str) -> bytes:
        return self.data


def _decode(files: Files, rel: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """read_text for bytes already read (hashing the file read it once)."""
    return read_text(_Once(data), rel)  # type: ignore[arg-type]


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
        if person is not None and person.id_number:  # an encrypted ledger's keyed hash, never an opened number
            facts.numbers.append((pindex, f"hmac:{person.id_hash}" if person.id_hash else person.id_number.upper()))


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
        if isinstance(base, GitTree):
            return base.blob_id(rel), None
    if not isinstance(base, WorkTree):
        return None, None
    vouched = base.vouched(rel)
    if vouched is not None:
        return vouched, None  # git compared the file with its index entry: this is its content
    info = base.lstat(rel)
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(os.path.join(base.root, rel))
        except OSError:
            info = None
    if info is None:
        return None, None
    if cache is not None:
        known = cache.blob_of(base.root, rel, info)
        if known is not None:
            return known, None
    path = os.path.join(base.root, rel)
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
    reader: Any = None,
) -> tuple[Ledger | None, list[Problem]]:
    """Read every record. Returns the ledger (None if settings are unusable) and the files' problems.

    `files` defaults to the working tree at root; a write passes an Overlay to check the result
    before anything touches the disk. `cache` (default: the ledger's, under .git) keeps what was
    read: the columns of the last ledger read, and the facts of files read since, by content.
    `reader(rels)`: facts of many files the cache lacks, read elsewhere (gridctl.prefetch: on every
    core), as (rel, blob, facts dump or None, rows or None) in the order asked.
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
    listing = list(files.paths())
    snap = cache.columns() if cache.enabled else None
    moved = _tree_changes(files, listing, snap) if isinstance(files, GitTree) and not known and snap else None
    if moved == []:
        ledger.cols = snap  # the revision as it was last read (a write's HEAD): nothing to assemble
    elif moved is not None and snap is not None and len(moved) <= IN_PLACE:  # a commit or two since
        changed = {listing[slot]: _content_or_link(files, listing[slot], cache) for slot in moved}
        _in_place(ledger, files, listing, snap, moved, changed, cache, context)
    elif not known and _vouched_as_kept(files, listing, snap):
        ledger.cols = snap  # git vouches for every file as last read: no dict of 137,000 paths made
    else:
        if isinstance(files, GitTree) and not known:
            ids = _tree_ids(files, listing)
        else:
            ids = _work_ids(files, listing, cache, known)
        if snap is not None and snap.files == listing and snap.blobs == [ids[rel][0] for rel in listing]:
            ledger.cols = snap  # the ledger as it was last read: nothing to assemble
        else:
            _assemble(ledger, files, listing, ids, snap, cache, context, reader)
    ledger._invalidate()
    c = ledger.cols
    for slot, packed in sorted(c.problems.items()):
        problems += [problem_from_tuple(t, c.files[slot]) for t in findings(packed)]
    return ledger, problems


def _vouched_as_kept(files: Files, listing: list[str], snap: Columns | None) -> bool:
    """Whether git vouches for every file of the working tree with the content the last read's
    columns have (what _work_ids would find, without a pair made for each of 137,000 files)."""
    if snap is None or not isinstance(files, WorkTree) or not files._vouched or snap.files != listing:
        return False
    return snap.blobs == list(map(files._vouched.get, listing)) and not windows_unsafe_among(listing)


def _tree_changes(files: GitTree, listing: list[str], snap: Columns) -> list[int] | None:
    """The slots whose content differs between the revision and the columns of the same files, or
    None when the files differ or one is a link (whose blob is its target). A path Windows cannot
    hold was kept with no blob, so it shows as changed and is looked at again: what _tree_ids
    would say, without a dict of every path."""
    if snap.files != listing:
        return None
    entries = files._entries
    pairs = [entries[rel] for rel in listing]
    if any(mode == "120000" for mode, _blob in pairs):
        return None
    return [slot for slot, (was, (_mode, now)) in enumerate(zip(snap.blobs, pairs, strict=True)) if was != now]


IN_PLACE = 64
"""Files changed in place up to which the last read's columns are copied around them."""


def _assemble(
    ledger: Ledger,
    files: Files,
    listing: list[str],
    ids: dict[str, tuple[str | None, bytes | None]],
    snap: Columns | None,
    cache: Cache,
    context: dict[str, Any],
    reader: Any,
) -> None:
    """The columns of `listing`: runs of the last read's columns where the content is the same,
    the cached facts of files read before, and the rest read now (by `reader` when given)."""
    if snap is not None and snap.files == listing:
        blobs = [ids[rel][0] for rel in listing]
        changed = [slot for slot, (was, now) in enumerate(zip(snap.blobs, blobs, strict=True)) if was != now]
        if len(changed) <= IN_PLACE:  # a few files edited in place: no dict of 137,000 blobs, no walk of runs
            _in_place(ledger, files, listing, snap, changed, ids, cache, context)
            return
    by_blob = {blob: slot for slot, blob in enumerate(snap.blobs)} if snap is not None else {}
    runs: list[tuple[int, str]] = []
    missing = [rel for rel in listing if ids[rel][0] is not None and ids[rel][0] not in by_blob]
    streamed = reader(missing) if reader is not None and missing else iter(())
    ahead: tuple[str, str | None, Any, bytes | None] | None = next(streamed, None)
    for rel in listing:
        blob, data = ids[rel]
        slot = by_blob.get(blob) if blob is not None else None
        if slot is not None and snap is not None:
            runs.append((slot, rel))
            continue
        if runs and snap is not None:
            ledger.cols.take(snap, runs)
            runs = []
        if ahead is not None and ahead[0] == rel:
            _rel, read_blob, dump, rows = ahead
            ahead = next(streamed, None)
            if dump is not None and read_blob is not None:
                ledger.adopt(rel, read_blob, FileFacts.load(dump, rel), None)
                if rows is not None and cache.enabled and not ledger._opens():  # opened values never go to disk
                    cache.rows.put(read_blob, rows)
                continue
        facts, blob, records = file_facts(files, rel, context, cache, (blob, data))
        ledger.adopt(rel, blob or "", facts, records)
    if runs and snap is not None:
        ledger.cols.take(snap, runs)
    ledger.cols.sort_keyed()
    if not isinstance(files, GitTree) or cache.scope or files.next_work_tree:
        cache.keep_columns(ledger.cols)


def _work_ids(
    files: Files, listing: list[str], cache: Cache, known: dict[str, tuple[str | None, bytes | None]] | None
) -> dict[str, tuple[str | None, bytes | None]]:
    """_content_or_link of every file: what the caller knew, git's vouched ids for files with a
    name Windows can hold (one search over the listing), and the rest asked one by one."""
    known = known or {}
    vouched = files._vouched if isinstance(files, WorkTree) else {}
    unsafe = windows_unsafe_among(listing) if vouched else set()
    out: dict[str, tuple[str | None, bytes | None]] = {}
    for rel in listing:
        found = known.get(rel)
        if found is None:
            blob = vouched.get(rel)
            found = (blob, None) if blob is not None and rel not in unsafe else _content_or_link(files, rel, cache)
        out[rel] = found
    return out


def _in_place(
    ledger: Ledger,
    files: Files,
    listing: list[str],
    snap: Columns,
    changed: list[int],
    ids: Mapping[str, tuple[str | None, bytes | None]],
    cache: Cache | None,
    context: dict[str, Any],
    keep: bool = True,
) -> None:
    """The columns of `listing` (the snapshot's files) with the `changed` slots read again (their
    content ids from `ids` when known): the runs between them copied from the snapshot. `keep`:
    remembered as the ledger last read, for a working tree or a unit (a write's result is not)."""
    start = 0
    for slot in changed:
        if slot > start:
            ledger.cols._take_run(snap, start, slot, listing[start:slot])
        rel = listing[slot]
        facts, blob, records = file_facts(files, rel, context, cache, ids.get(rel))
        ledger.adopt(rel, blob or "", facts, records)
        start = slot + 1
    if start < len(listing):
        ledger.cols._take_run(snap, start, len(listing), listing[start:])
    ledger.cols.sort_keyed()
    if keep and cache is not None and (not isinstance(files, GitTree) or cache.scope or files.next_work_tree):
        cache.keep_columns(ledger.cols)


def _tree_ids(files: GitTree, listing: list[str]) -> dict[str, tuple[str | None, bytes | None]]:
    """_content_or_link of every file of a revision at once: the blob ids git listed (137,000 calls
    through the Files interface took half a second of a write at 100,000 households)."""
    entries = files._entries
    unsafe = windows_unsafe_among(listing)
    out: dict[str, tuple[str | None, bytes | None]] = {}
    for rel in listing:
        mode, blob = entries[rel]
        out[rel] = (None, None) if mode == "120000" or rel in unsafe else (blob, None)
    return out


def _content_or_link(files: Files, rel: str, cache: Cache) -> tuple[str | None, bytes | None]:
    """A link, or a path Windows cannot hold, is never keyed by content: it is read, and reported."""
    if files.outside_link(rel) is not None or files.folder_link(rel) is not None or windows_unsafe(rel):
        return None, None
    return content_id(files, rel, cache)


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
    part = windows_unsafe(rel)
    if part is not None:
        facts, _docs, records = read_file(files, rel, context)
        facts.problems.insert(0, Problem("GC016", rel, {"name": part}, line=1, column=1))
        return facts, None, records
    blob, data = known if known is not None else content_id(files, rel, cache)
    if blob is not None and cache is not None:
        cached = cache.recent.get(blob)
        if cached is not None:
            try:
                return FileFacts.load(cached, rel), blob, None
            except (IndexError, TypeError, ValueError):
                pass  # a damaged entry is simply read again
    if blob is not None and data is None:
        try:
            data = files.read(rel)
        except OSError:
            data = None
        blob = blob_id(data) if data is not None else None  # the key is the content parsed, read now
    facts, _docs, records = read_file(files, rel, context, data)
    if blob is not None and cache is not None:
        cache.recent.put(blob, facts.dump())
    return facts, blob, records


RELEASE = 2000
"""Rows of more records than this, read afresh, are read file by file with nothing else kept (forget)."""


def _unpack(value: Any) -> Any:
    """A cached value kept as marshal bytes (one object per file, so a pack loads fast), or None.
    A large one (a kind's rows: 275,000 people's) is read with the collector paused, as a pack is."""
    if not isinstance(value, bytes):
        return None
    from gridctl.ledger.cache import BIG, _unscanned

    try:
        with _unscanned(len(value) > BIG):
            return marshal.loads(value)
    except (EOFError, ValueError, TypeError):
        return None
