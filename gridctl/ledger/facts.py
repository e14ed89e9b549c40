"""What one file contributes to the ledger, as plain data that the cache keeps by the file's content.

Reading a file means parsing it and validating each document against its model; the index and
the ledger-wide checks need much less than the typed records: which records the file holds and
where, the ids they point at, the grid each household hangs on, the ID numbers of its people, the
timeline of an event. Those facts (and the file's own problems) are small, so a warm command
loads them for thousands of files in milliseconds and builds a typed record only when asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gridctl.problem import Problem

EntryFact = tuple[str, str, int, tuple[str | int, ...], str | None, bool]
"""(kind, id, document, path inside the document, household of a person, record valid)."""


@dataclass
class FileFacts:
    unreadable: bool = False
    """The file is not YAML (or not text): records named like it may exist, unseen."""
    problems: list[Problem] = field(default_factory=list)
    """The file's own findings: YAML, schema, and (once checked) the per-record checks."""
    entries: list[EntryFact] = field(default_factory=list)
    refs: list[tuple[int, tuple[str | int, ...], str, str]] = field(default_factory=list)
    """(entry, field path, target id, expected kind) of every reference made."""
    holdings: list[tuple[int, str, bool]] = field(default_factory=list)
    """(entry, grid, active) of households, places, orgs and things; a household is active while
    someone lives in it (gridctl.model.household.lived_in), as the grid counts it."""
    numbers: list[tuple[int, str]] = field(default_factory=list)
    """(person entry, ID number in capitals) for 一人一档."""
    timelines: list[tuple[int, list[tuple[str, str, str, str]]]] = field(default_factory=list)
    """(event entry, timeline steps as (at, by, action, note)) for the append-only check."""
    parents: list[tuple[int, str | None]] = field(default_factory=list)
    """(grid entry, parent) of grids whose record failed its schema (the tree still needs them)."""
    local: list[Problem] | None = None
    """Findings of the per-record checks (ID numbers, phones, id formats …); None until they ran."""
    located: bool = False
    """Every problem carries its line and column."""
    small: bytes | None = None
    """The file's parsed documents (marshal bytes) when it holds grids or staff: the ledger-wide
    checks read those on every run, and a few hundred files must not mean reading the document cache."""

    def dump(self) -> tuple[Any, ...]:
        return (
            self.unreadable,
            [problem_to_tuple(p) for p in self.problems],
            self.entries,
            self.refs,
            self.holdings,
            self.numbers,
            self.timelines,
            self.parents,
            None if self.local is None else [problem_to_tuple(p) for p in self.local],
            self.located,
            self.small,
        )

    @classmethod
    def load(cls, data: tuple[Any, ...], rel: str) -> FileFacts:
        return cls(
            data[0],
            [problem_from_tuple(t, rel) for t in data[1]],
            [tuple(e) for e in data[2]],  # type: ignore[misc]
            data[3],
            data[4],
            data[5],
            data[6],
            data[7],
            None if data[8] is None else [problem_from_tuple(t, rel) for t in data[8]],
            data[9],
            data[10] if len(data) > 10 else None,
        )


def problem_to_tuple(p: Problem) -> tuple[Any, ...]:
    """A problem without its file (the same content may sit at another path after a move)."""
    from gridctl.ledger.cache import freeze

    return (p.code, freeze(dict(p.args)), p.doc, p.path, p.record, p.line, p.column, p.width, p.key)


def problem_from_tuple(t: tuple[Any, ...], rel: str) -> Problem:
    """A file's finding, kept by the file's content, as the finding of the file at `rel`: two files
    of one content (two emptied households) share what was kept, and a hint naming the file
    (git checkout HEAD -- {file}) names each its own."""
    from gridctl.ledger.cache import thaw

    args = thaw(t[1])
    if "file" in args:
        from gridctl.ledger.files import pasteable

        args = {**args, "file": pasteable(rel)}
    return Problem(t[0], rel, args, t[2], tuple(t[3]), t[4], t[5], t[6], t[7], t[8])


def step_key(at: Any, by: Any, action: Any, note: Any) -> tuple[str, str, str, str]:
    """One timeline step as text, the way GC400 compares committed versions."""
    return (str(at).replace("T", " "), str(by), str(action), "" if note is None else str(note))


def record_facts(facts: FileFacts, index: int, record: Any) -> None:
    """Add what the checks need of one valid record (entry `index`)."""
    from gridctl.model.household import lived_in
    from gridctl.model.refs import references

    for path, target, kind in references(record):
        if target is not None:
            facts.refs.append((index, path, str(target), kind))
    kind = record.kind
    if kind in ("household", "place", "org", "thing"):
        active = record.is_active and (kind != "household" or lived_in(record.members))
        facts.holdings.append((index, str(record.grid), active))
    elif kind == "event":
        facts.timelines.append((index, [step_key(s.at, s.by, s.action, s.note) for s in record.timeline]))
