"""The facts of every file of a ledger, column by column: what the index is made of, and what the cache keeps.

Per-file facts (gridctl.ledger.facts) are the unit of reading and of caching by content; a whole
ledger of them held as one list per field loads from the cache ten times faster than 16,000
per-file structures (0.03 s against 0.3 s at 12,000 households), and the index reads its
records, references, holdings and ID numbers straight from these lists. A record is addressed by
its position in the entry columns (a handle); an Entry object is made only when asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from gridctl.ledger.facts import FileFacts, problem_from_tuple, problem_to_tuple

UNREADABLE, LOCAL, LOCATED = 1, 2, 4
"""Bits of a file's flags: not YAML; its per-record checks ran; its problems carry positions."""


class Columns:
    """Files, their entries and the facts the checks read, each as parallel lists."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.blobs: list[str] = []
        self.flags: list[int] = []
        self.problems: dict[int, Findings] = {}
        """File slot → its own problems (only files that have some), packed (see pack_findings)."""
        self.local: dict[int, Findings] = {}
        self.small: dict[int, bytes] = {}
        """File slot → parsed documents (marshal bytes) of files holding grids or staff."""
        """File slot → findings of the per-record checks as tuples (only files that have some)."""
        self.e_start: list[int] = []
        """File slot → index of its first entry (its entries run to the next file's start)."""
        self.e_kind: list[str] = []
        self.e_id: list[str] = []
        self.e_doc: list[int] = []
        self.e_member: list[int] = []
        """-1 for a record of its own, i for the i-th member of a household (path ("members", i))."""
        self.e_house: list[str | None] = []
        self.e_valid: list[bool] = []
        self.r_start: list[int] = []
        self.r_entry: list[int] = []
        self.r_path: list[Any] = []
        self.r_target: list[str] = []
        self.r_kind: list[str] = []
        self.h_entry: list[int] = []
        self.h_grid: list[str] = []
        self.h_active: list[bool] = []
        self.n_entry: list[int] = []
        self.n_number: list[str] = []
        self.timelines: list[tuple[int, Any]] = []
        self.parents: list[tuple[int, str | None]] = []

    # -- one file at a time ---------------------------------------------------------------

    def add(self, rel: str, blob: str, facts: FileFacts) -> int:
        """Append a file's facts; returns its slot."""
        slot = len(self.files)
        base = len(self.e_id)
        self.files.append(rel)
        self.blobs.append(blob)
        flags = (UNREADABLE if facts.unreadable else 0) | (LOCAL if facts.local is not None else 0)
        self.flags.append(flags | (LOCATED if facts.located else 0))
        if facts.problems:
            self.problems[slot] = pack_findings(facts.problems)
        if facts.local:
            self.local[slot] = pack_findings(facts.local)
        if facts.small is not None:
            self.small[slot] = facts.small
        self.e_start.append(base)
        # repeated strings are interned as they come in (see _INTERNED): marshal writes each once per piece
        for kind, rid, doc, path, household, valid in facts.entries:
            self.e_kind.append(_intern(kind))
            self.e_id.append(rid)
            self.e_doc.append(doc)
            self.e_member.append(path[1] if len(path) == 2 and path[0] == "members" else -1)
            self.e_house.append(_intern(household))
            self.e_valid.append(bool(valid))
        self.r_start.append(len(self.r_entry))
        for i, path, target, kind in facts.refs:
            self.r_entry.append(base + i)
            self.r_path.append(tuple(path))
            self.r_target.append(_intern(target))
            self.r_kind.append(_intern(kind))
        for i, grid, active in facts.holdings:
            self.h_entry.append(base + i)
            self.h_grid.append(_intern(grid))
            self.h_active.append(active)
        for i, number in facts.numbers:
            self.n_entry.append(base + i)
            self.n_number.append(number)
        self.timelines += [(base + i, steps) for i, steps in facts.timelines]
        self.parents += [(base + i, parent) for i, parent in facts.parents]
        return slot

    def path(self, handle: int) -> tuple[str | int, ...]:
        member = self.e_member[handle]
        return () if member < 0 else ("members", member)

    def slot_of_entry(self, handle: int) -> int:
        import bisect

        return bisect.bisect_right(self.e_start, handle) - 1

    def entry_range(self, slot: int) -> range:
        end = self.e_start[slot + 1] if slot + 1 < len(self.e_start) else len(self.e_id)
        return range(self.e_start[slot], end)

    def ref_range(self, slot: int) -> slice:
        """Where one file's references are in the r_ columns."""
        end = self.r_start[slot + 1] if slot + 1 < len(self.r_start) else len(self.r_entry)
        return slice(self.r_start[slot], end)

    def holding_range(self, slot: int) -> slice:
        """Where one file's holdings are in the h_ columns (kept in the order of their entries)."""
        import bisect

        entries = self.entry_range(slot)
        return slice(bisect.bisect_left(self.h_entry, entries.start), bisect.bisect_left(self.h_entry, entries.stop))

    def facts(self, slot: int) -> FileFacts:
        """One file's facts again (to keep them in the cache by content)."""
        rel = self.files[slot]
        entries = self.entry_range(slot)
        base = entries.start
        inside = set(entries)
        r_end = self.r_start[slot + 1] if slot + 1 < len(self.r_start) else len(self.r_entry)
        flags = self.flags[slot]
        return FileFacts(
            unreadable=bool(flags & UNREADABLE),
            problems=[problem_from_tuple(t, rel) for t in findings(self.problems.get(slot))],
            entries=[
                (self.e_kind[i], self.e_id[i], self.e_doc[i], self.path(i), self.e_house[i], self.e_valid[i])
                for i in entries
            ],
            refs=[
                (self.r_entry[j] - base, self.r_path[j], self.r_target[j], self.r_kind[j])
                for j in range(self.r_start[slot], r_end)
            ],
            holdings=[
                (i - base, g, a)
                for i, g, a in zip(self.h_entry, self.h_grid, self.h_active, strict=True)
                if i in inside
            ],
            numbers=[(i - base, n) for i, n in zip(self.n_entry, self.n_number, strict=True) if i in inside],
            timelines=[(i - base, s) for i, s in self.timelines if i in inside],
            parents=[(i - base, p) for i, p in self.parents if i in inside],
            local=[problem_from_tuple(t, rel) for t in findings(self.local.get(slot))] if flags & LOCAL else None,
            located=bool(flags & LOCATED),
            small=self.small.get(slot),
        )

    def set_problems(self, slot: int, problems: list[Any], local: list[Any] | None) -> None:
        """A file's problems once located (and its per-record findings once checked)."""
        self.problems.pop(slot, None)
        self.local.pop(slot, None)
        if problems:
            self.problems[slot] = pack_findings(problems)
        if local:
            self.local[slot] = pack_findings(local)
        self.flags[slot] |= LOCATED | (LOCAL if local is not None else 0)

    # -- many files at once ----------------------------------------------------------------

    def take(self, other: Columns, slots: list[tuple[int, str]]) -> None:
        """Append files of `other` (slot, path they have now) without reading them again.

        Consecutive slots are copied as one run of slices (C speed): a ledger of 130,000 files
        with one file changed is two runs, not 130,000 appends.
        """
        i = 0
        while i < len(slots):
            j = i + 1
            while j < len(slots) and slots[j][0] == slots[j - 1][0] + 1:
                j += 1
            self._take_run(other, slots[i][0], slots[j - 1][0] + 1, [rel for _slot, rel in slots[i:j]])
            i = j

    def _take_run(self, other: Columns, first: int, last: int, rels: list[str]) -> None:
        """Slots [first, last) of `other`, appended in order under the paths `rels`."""
        import bisect

        slot0, base = len(self.files), len(self.e_id)
        a = other.e_start[first]
        b = other.e_start[last] if last < len(other.e_start) else len(other.e_id)
        shift = base - a
        self.files += rels
        self.blobs += other.blobs[first:last]
        self.flags += other.flags[first:last]
        for table, mine in ((other.problems, self.problems), (other.local, self.local), (other.small, self.small)):
            for old, value in table.items():
                if first <= old < last:
                    mine[slot0 + old - first] = value
        self.e_start += _shifted(other.e_start[first:last], shift)
        for name in ("e_kind", "e_id", "e_doc", "e_member", "e_house", "e_valid"):
            getattr(self, name).extend(getattr(other, name)[a:b])
        r_a = other.r_start[first]
        r_b = other.r_start[last] if last < len(other.r_start) else len(other.r_entry)
        r_shift = len(self.r_entry) - r_a
        self.r_start += _shifted(other.r_start[first:last], r_shift)
        self.r_entry += _shifted(other.r_entry[r_a:r_b], shift)
        self.r_path += other.r_path[r_a:r_b]
        self.r_target += other.r_target[r_a:r_b]
        self.r_kind += other.r_kind[r_a:r_b]
        h_a, h_b = bisect.bisect_left(other.h_entry, a), bisect.bisect_left(other.h_entry, b)
        self.h_entry += _shifted(other.h_entry[h_a:h_b], shift)
        self.h_grid += other.h_grid[h_a:h_b]
        self.h_active += other.h_active[h_a:h_b]
        n_a, n_b = bisect.bisect_left(other.n_entry, a), bisect.bisect_left(other.n_entry, b)
        self.n_entry += _shifted(other.n_entry[n_a:n_b], shift)
        self.n_number += other.n_number[n_a:n_b]
        for name in ("timelines", "parents"):
            rows: list[Any] = getattr(other, name)  # in record order (sort_keyed)
            t_a, t_b = bisect.bisect_left(rows, a, key=_first), bisect.bisect_left(rows, b, key=_first)
            mine: list[Any] = getattr(self, name)
            mine += rows[t_a:t_b] if shift == 0 else [(row[0] + shift, *row[1:]) for row in rows[t_a:t_b]]

    def sort_keyed(self) -> None:
        """Keyed facts in record order, as reading every file afresh would leave them."""
        if self.h_entry != sorted(self.h_entry):
            rows = sorted(zip(self.h_entry, self.h_grid, self.h_active, strict=True), key=lambda r: r[0])
            self.h_entry, self.h_grid, self.h_active = (list(col) for col in zip(*rows, strict=True))
        if self.n_entry != sorted(self.n_entry):
            pairs = sorted(zip(self.n_entry, self.n_number, strict=True), key=lambda r: r[0])
            self.n_entry, self.n_number = (list(col) for col in zip(*pairs, strict=True))
        self.timelines.sort(key=lambda r: r[0])
        self.parents.sort(key=lambda r: r[0])

    # -- kept in pieces --------------------------------------------------------------------

    def pieces(self, size: int) -> list[tuple[tuple[Any, ...], Callable[[], tuple[Any, ...]]]]:
        """The columns cut into runs of `size` files: for each, what its content follows from (its
        place, and each file's path, content id and flags: everything else is read from those,
        under the cache's code and settings), and a way to make the piece itself.

        A write that changes one file of 137,000 writes one piece again (0.7 MB), not 47 MB; one
        that adds or removes a record moves every later piece, and writes those too."""
        out: list[tuple[tuple[Any, ...], Callable[[], tuple[Any, ...]]]] = []
        for a in range(0, len(self.files), size):
            b = min(a + size, len(self.files))
            ea, ra = self.e_start[a], self.r_start[a]
            follows = (a, ea, ra, self.files[a:b], self.blobs[a:b], self.flags[a:b])
            out.append((follows, lambda a=a, b=b: self._piece(a, b)))  # type: ignore[misc]
        return out

    def _piece(self, a: int, b: int) -> tuple[Any, ...]:
        """Slots [a, b) with their entries, references and keyed facts, handles as they are."""
        import bisect

        ea = self.e_start[a]
        eb = self.e_start[b] if b < len(self.e_start) else len(self.e_id)
        ra = self.r_start[a]
        rb = self.r_start[b] if b < len(self.r_start) else len(self.r_entry)
        h_a, h_b = bisect.bisect_left(self.h_entry, ea), bisect.bisect_left(self.h_entry, eb)
        n_a, n_b = bisect.bisect_left(self.n_entry, ea), bisect.bisect_left(self.n_entry, eb)
        t_a, t_b = (bisect.bisect_left(self.timelines, x, key=_first) for x in (ea, eb))
        p_a, p_b = (bisect.bisect_left(self.parents, x, key=_first) for x in (ea, eb))
        part: dict[str, Any] = {
            "files": self.files[a:b], "blobs": self.blobs[a:b], "flags": self.flags[a:b],
            "e_start": self.e_start[a:b], "r_start": self.r_start[a:b],
            "timelines": self.timelines[t_a:t_b], "parents": self.parents[p_a:p_b],
        }  # fmt: skip
        for name in ("problems", "local", "small"):
            table = getattr(self, name)
            part[name] = {slot: table[slot] for slot in range(a, b) if slot in table}
        for name in ("e_kind", "e_id", "e_doc", "e_member", "e_house", "e_valid"):
            part[name] = getattr(self, name)[ea:eb]
        for name in ("r_entry", "r_path", "r_target", "r_kind"):
            part[name] = getattr(self, name)[ra:rb]
        for name in ("h_entry", "h_grid", "h_active"):
            part[name] = getattr(self, name)[h_a:h_b]
        for name in ("n_entry", "n_number"):
            part[name] = getattr(self, name)[n_a:n_b]
        return (a, ea, ra, *(part[name] for name in _FIELDS))

    @classmethod
    def joined(cls, pieces: list[tuple[Any, ...]]) -> Columns:
        """The columns from their pieces, in order (ValueError: they do not fit together)."""
        out = cls()
        for piece in pieces:
            out._append(piece)
        out._check()
        return out

    def _append(self, piece: tuple[Any, ...]) -> None:
        """A piece's values as they are: it starts where the columns so far end (a piece is
        named by its place, so a file that came or went further up made it a new piece)."""
        if len(piece) != len(_FIELDS) + 3 or tuple(piece[:3]) != (len(self.files), len(self.e_id), len(self.r_entry)):
            raise ValueError("not the next piece of these columns")
        for name, values in zip(_FIELDS, piece[3:], strict=True):
            mine = getattr(self, name)
            if isinstance(mine, dict):
                mine.update(values)
            else:
                mine.extend(values)

    def _check(self) -> None:
        """Parallel columns of equal length, or the pieces did not belong together."""
        groups = (("files", "blobs", "flags", "e_start", "r_start"),
                  ("e_kind", "e_id", "e_doc", "e_member", "e_house", "e_valid"),
                  ("r_entry", "r_path", "r_target", "r_kind"), ("h_entry", "h_grid", "h_active"),
                  ("n_entry", "n_number"))  # fmt: skip
        for group in groups:
            if len({len(getattr(self, name)) for name in group}) != 1:
                raise ValueError("columns of unequal length")


_FIELDS = (
    "files",
    "blobs",
    "flags",
    "problems",
    "local",
    "small",
    "e_start",
    "e_kind",
    "e_id",
    "e_doc",
    "e_member",
    "e_house",
    "e_valid",
    "r_start",
    "r_entry",
    "r_path",
    "r_target",
    "r_kind",
    "h_entry",
    "h_grid",
    "h_active",
    "n_entry",
    "n_number",
    "timelines",
    "parents",
)
_INTERNED = frozenset({"e_kind", "e_house", "r_target", "r_kind", "h_grid"})
"""Columns of repeated strings, interned by add()."""


Findings = tuple[str, bytes]
"""A file's findings as the columns keep them: their codes, one per problem ("GC100 GC100 GC240":
counted without opening them), and the problem tuples
as marshal bytes, opened only when asked. Loading 40,000 warnings' tuples with the columns took
half of their 0.3 s at 100,000 households, and a write, which asks only about errors, never opens
a file whose codes are all warnings."""


def pack_findings(problems: list[Any]) -> Findings:
    import marshal

    return " ".join(sorted(p.code for p in problems)), marshal.dumps([problem_to_tuple(p) for p in problems])


def findings(packed: Findings | None) -> list[Any]:
    """The problem tuples of a file's findings (problem_from_tuple makes each a Problem)."""
    import marshal

    return marshal.loads(packed[1]) if packed is not None else []


def _shifted(values: list[int], shift: int) -> list[int]:
    """Handles moved by `shift`: a run of files that kept its place (a write that replaced one
    file in place) is copied as it is, at C speed."""
    return values if shift == 0 else [x + shift for x in values]


def _first(row: Any) -> Any:
    return row[0]


def _intern(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value
