"""The in-memory ledger: every record by id, where it came from, and the people inside households.

Records that failed their schema still enter the index by id (from the raw document), so one bad
field does not cascade into "missing reference" errors everywhere that points at the record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from gridctl.ledger.config import load_settings
from gridctl.ledger.files import Files, WorkTree
from gridctl.ledger.reader import parse, read_text
from gridctl.ledger.schema import validate_document
from gridctl.model import Grid, Household, Person, Record
from gridctl.model.settings import Settings
from gridctl.problem import Problem

R = TypeVar("R", bound=Record)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record lives: file, document index, and field path inside the document."""

    file: str
    doc: int
    path: tuple[str | int, ...] = ()


@dataclass(slots=True)
class Entry:
    kind: str
    id: str
    source: Source
    record: Record | Person | None
    """The typed record; None when the document failed its schema."""
    household: str | None = None
    """For a person: the household they live in."""
    raw: dict[str, Any] | None = None
    """The document as read, kept only when it failed its schema (to avoid knock-on errors)."""


@dataclass
class Ledger:
    root: Path
    settings: Settings
    entries: list[Entry] = field(default_factory=list)
    by_id: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    files: int = 0
    unreadable: set[str] = field(default_factory=set)
    """Stems of files that could not be read as YAML: their records may exist, unseen."""
    source: Files | None = None
    """What the records were read from (working tree, overlay or revision): attached files are there."""

    by_kind: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.by_id[entry.id].append(entry)
        self.by_kind[entry.kind].append(entry)

    def records(self, model: type[R]) -> Iterator[tuple[R, Source]]:
        """Valid records of one kind with their sources."""
        for entry in self.by_kind.get(model.kind_name, ()):
            if isinstance(entry.record, model):
                yield entry.record, entry.source

    def people(self) -> Iterator[tuple[Person, str, Source]]:
        """Every valid person with their household id, even when the household record failed."""
        for entry in self.by_kind.get("person", ()):
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
        out: dict[str, str | None] = {}
        for entry in self.entries:
            if entry.kind != "grid":
                continue
            if isinstance(entry.record, Grid):
                out[entry.id] = entry.record.parent
            elif entry.raw is not None:
                parent = entry.raw.get("parent")
                out[entry.id] = str(parent) if parent is not None else None
        return out

    def grids(self) -> dict[str, Grid]:
        return {g.id: g for g, _ in self.records(Grid)}

    def count(self, kind: str) -> int:
        return len(self.by_kind.get(kind, ()))


def load(root: Path, files: Files | None = None) -> tuple[Ledger | None, list[Problem]]:
    """Read every record. Returns the ledger (None if settings are unusable) and problems.

    `files` defaults to the working tree at root; a write passes an Overlay to check the result
    before anything touches the disk.
    """
    files = files if files is not None else WorkTree(root)
    settings, problems = load_settings(files)
    if settings is None:
        return None, problems
    ledger = Ledger(root=root, settings=settings, source=files)
    context = settings.vocabulary_context()
    for rel in files.paths():
        ledger.files += 1
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        text, file_problems = read_text(files, rel)
        if text is None:
            problems.extend(file_problems)
            ledger.unreadable.add(stem)
            continue
        docs, file_problems = parse(rel, text)
        problems.extend(file_problems)
        if file_problems:
            ledger.unreadable.add(stem)
        for doc in docs:
            record, doc_problems = validate_document(rel, doc.index, doc.data, context)
            problems.extend(doc_problems)
            _index(ledger, rel, doc.index, doc.data, record, context)
    return ledger, problems


def _index(ledger: Ledger, file: str, index: int, data: Any, record: Record | None, context: dict[str, Any]) -> None:
    if not isinstance(data, dict) or data.get("id") is None or not isinstance(data.get("kind"), str):
        return
    kind, rid = data["kind"], str(data["id"])
    ledger.add(Entry(kind, rid, Source(file, index), record, raw=None if record is not None else data))
    if kind != "household":
        return
    if isinstance(record, Household):
        for i, person in enumerate(record.members):
            ledger.add(Entry("person", person.id, Source(file, index, ("members", i)), person, rid))
        return
    members = data.get("members")
    if isinstance(members, list):  # the household failed its schema: still check the people in it
        for i, member in enumerate(members):
            if isinstance(member, dict) and member.get("id") is not None:
                ledger.add(
                    Entry(
                        "person",
                        str(member["id"]),
                        Source(file, index, ("members", i)),
                        _person_or_none(member, context),
                        rid,
                    )
                )


def _person_or_none(data: dict[str, Any], context: dict[str, Any]) -> Person | None:
    try:
        return Person.model_validate(data, context=context)
    except ValidationError:
        return None
