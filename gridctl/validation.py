"""A validation's result: every problem found, and what they were found in.

Made by gridctl.validate; read by the report (gridctl.render.problems), the status, writes and
reviews. The files' own findings stay packed as the cache keeps them until someone asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gridctl.ledger.files import Files
from gridctl.problem import Problem

Packed = tuple[str, str, tuple[tuple[str, bytes], ...]]
"""One file's own findings as the columns keep them: its path, its content id, and its packed
findings (gridctl.ledger.columns.pack_findings: the problems, then the per-record checks')."""


class Validation:
    """Every problem found, with what they were found in.

    The files' own findings stay packed (`packed`) until someone asks for `problems`: at 100,000
    households a validate after one changed file made 40,000 warnings' Problems to count them and
    to print lines that were kept from the last report (gridctl.render.problems)."""

    def __init__(
        self,
        root: Path,
        source: Files,
        problems: list[Problem] | None = None,
        files: int = 0,
        records: int = 0,
        settings_ok: bool = True,
        *,
        asked: dict[str, bool] | None = None,
        packed: list[Packed] | None = None,
    ) -> None:
        self.root = root
        self.source = source
        self.loose: list[Problem] = list(problems) if problems is not None else []
        """The problems already made, sorted (all of them once `problems` was asked for)."""
        self.packed: list[Packed] = packed or []
        """Files whose problems are their own findings alone, by path; none of them is in `loose`."""
        self.files = files
        self.records = records
        self.settings_ok = settings_ok
        """False when gridctl.yaml itself is broken, so no record was checked."""
        self.read_as: list[str | None] = []
        """The content id of each file as it was read (a result is kept only if they are what was listed)."""
        self.state: str | None = None
        """What the result depends on (files, settings, code, day), when it could be keyed: a view
        computed from the same state (gridctl.views.status) may be kept under it too."""
        self.asked: dict[str, bool] = asked if asked is not None else {}
        """Files the records name (photos, scanned documents, anywhere in the ledger) → whether they
        existed: a kept result holds only while every answer is the same."""
        self.blobs: dict[str, str] = {}
        """The content id of each record file read (when just read)."""
        self.by_check: dict[str, list[tuple[str, tuple[Any, ...]]]] | None = None
        """Each ledger-wide check's findings, unlocated, as kept (gridctl.checks.since), when all ran."""
        self.ledger: Any = None
        """A write's result (an Overlay) read as HEAD's ledger with the changed files again: the
        warnings the write adds are found on it (gridctl.ops.added)."""

    @property
    def problems(self) -> list[Problem]:
        """Every problem, sorted by file and line (the packed ones made now)."""
        if self.packed:
            made = [p for rel, _blob, packs in self.packed for p in opened(rel, packs)]
            self.loose = sorted([*made, *self.loose], key=Problem.sort_key)
            self.packed = []
        return self.loose

    @problems.setter
    def problems(self, value: list[Problem]) -> None:
        self.loose = list(value)
        self.packed = []

    def erring(self) -> list[Problem]:
        """The errors alone, made only from the files whose codes hold one."""
        out = [p for p in self.loose if p.severity == "error"]
        for rel, _blob, packs in self.packed:
            if any(errors_in(codes) for codes, _data in packs):
                out += [p for p in opened(rel, packs) if p.severity == "error"]
        return out

    def problems_of(self, files: set[str] | frozenset[str]) -> list[Problem]:
        """The problems of these files, each file's in the order `problems` has them."""
        out = [p for p in self.loose if p.file in files]
        for rel, _blob, packs in self.packed:
            if rel in files:
                out += opened(rel, packs)
        return out

    def sections(self) -> Iterator[tuple[str, Packed | list[Problem]]]:
        """The problems file by file, in the order `problems` has them: a packed file as it is
        kept, the others as Problems (a report prints a packed file's lines as it printed them last)."""
        packed = iter(self.packed)
        ahead = next(packed, None)
        i, loose = 0, self.loose
        while i < len(loose) or ahead is not None:
            if ahead is not None and (i == len(loose) or ahead[0] < loose[i].file):
                yield ahead[0], ahead
                ahead = next(packed, None)
                continue
            j = i
            while j < len(loose) and loose[j].file == loose[i].file:
                j += 1
            yield loose[i].file, loose[i:j]
            i = j

    def _count(self, severity: str) -> int:
        from gridctl.messages import CATALOG

        n = sum(1 for p in self.loose if p.severity == severity)
        for _rel, _blob, packs in self.packed:
            for codes, _data in packs:
                n += sum(1 for code in codes.split() if CATALOG[code].severity == severity)
        return n

    @property
    def errors(self) -> int:
        return self._count("error")

    @property
    def warnings(self) -> int:
        return self._count("warning")

    @property
    def count(self) -> int:
        """How many problems, without making them."""
        return len(self.loose) + sum(len(codes.split()) for _rel, _blob, packs in self.packed for codes, _ in packs)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def opened(rel: str, packs: tuple[tuple[str, bytes], ...]) -> list[Problem]:
    """A file's packed findings as Problems, sorted as a report lists them."""
    from gridctl.ledger.columns import findings
    from gridctl.ledger.facts import problem_from_tuple

    return sorted((problem_from_tuple(t, rel) for pack in packs for t in findings(pack)), key=Problem.sort_key)


def errors_in(codes: str) -> bool:
    """Whether packed findings' codes ("GC100 GC240") hold an error."""
    from gridctl.messages import CATALOG

    return any(CATALOG[code].severity == "error" for code in codes.split())
