"""What the town holds of each unit: the fetched copy's last commit, and when it was fetched.

git keeps no reflog for refs/units/<name>, and a fetch that brings nothing new moves no ref, so
`gridctl sync --units` keeps its own note per unit in `.git/gridctl/units/<name>.json`: when the
unit was last fetched, when it was last tried, what git said when that try failed, and the source it
was fetched from. `unit list` and `status --units` read these notes and one `git for-each-ref`: a
few milliseconds, whatever the units hold.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.ledger.gitrepo import run_git
from gridctl.ledger.safepath import safe_segment
from gridctl.model.settings import Unit
from gridctl.units.fetch import REF

STALE_DAYS = 7
"""A copy fetched more than a week ago is named in `status --units`: the town reads its units weekly
at least (the monthly report, the weekly 督查), so a copy older than that misses a week of work."""


@dataclass(frozen=True)
class Copy:
    """One unit as the town holds it (`commit` None: never fetched; `fetched` None: fetched before
    gridctl kept notes, or by hand)."""

    unit: Unit
    commit: str | None
    committed: dt.datetime | None
    fetched: dt.datetime | None
    tried: dt.datetime | None
    failed: str | None
    source: str | None

    def age(self, now: dt.datetime) -> int | None:
        """Whole days since the copy was fetched (None when unknown)."""
        return None if self.fetched is None else max(0, (now - self.fetched).days)

    def stale(self, now: dt.datetime) -> bool:
        """The last fetch failed, the copy came from another source, or it is older than STALE_DAYS."""
        if self.commit is None:
            return False
        age = self.age(now)
        return self.failed is not None or self.other_source or (age is not None and age > STALE_DAYS)

    @property
    def other_source(self) -> bool:
        """Fetched from a source gridctl.yaml no longer names for this unit (the unit was listed again)."""
        return self.source is not None and self.source != _source(self.unit)


def _source(unit: Unit) -> str:
    return f"{unit.url}#{unit.branch or ''}"


def _notes_dir(root: Path) -> Path:
    common = run_git(root, "rev-parse", "--git-common-dir").decode("utf-8", "replace").strip()
    return (root / common).resolve() / "gridctl" / "units"


def _note(root: Path, name: str) -> Path:
    return _notes_dir(root) / f"{safe_segment(name, 'unit name')}.json"


def record_fetch(root: Path, unit: Unit, now: dt.datetime, failed: str | None) -> None:
    """Note one try to fetch `unit` at `now` (failed: git's words), keeping when it last succeeded."""
    from gridctl.ledger.transaction import atomic_write

    path = _note(root, unit.name)
    note = _read_note(path)
    note["tried"] = now.isoformat()
    note["failed"] = failed
    if failed is None:
        note["fetched"] = now.isoformat()
        note["source"] = _source(unit)
    atomic_write(path, json.dumps(note, ensure_ascii=False, indent=1).encode("utf-8"))


def forget(root: Path, name: str) -> None:
    """Drop the note of a unit whose copy was dropped."""
    with contextlib.suppress(GridctlError, OSError):  # not a name a note could have (safe_segment)
        _note(root, name).unlink(missing_ok=True)


def _read_note(path: Path) -> dict[str, str | None]:
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or torn by hand: the next fetch writes it again
    return note if isinstance(note, dict) else {}


def _when(text: object) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
    return when if when is None or when.tzinfo is not None else None


def copies(root: Path, units: list[Unit]) -> list[Copy]:
    """Every listed unit as the town holds it, in the order of gridctl.yaml."""
    heads: dict[str, tuple[str, dt.datetime | None]] = {}
    out = run_git(
        root, "for-each-ref", "--format=%(refname)%00%(objectname)%00%(*objectname)%00%(committerdate:iso-strict)", REF
    )
    for line in out.decode("utf-8", "replace").splitlines():
        refname, sha, peeled, date = [*line.split("\0"), "", "", ""][:4]
        heads[refname[len(REF) :]] = (peeled or sha, _when(date))
    found = []
    folder = _notes_dir(root)
    for unit in units:
        commit, committed = heads.get(unit.name, (None, None))
        note = _read_note(folder / f"{safe_segment(unit.name, 'unit name')}.json")
        failed = note.get("failed")
        found.append(
            Copy(
                unit,
                commit,
                committed,
                _when(note.get("fetched")),
                _when(note.get("tried")),
                str(failed) if failed else None,
                str(note["source"]) if note.get("source") else None,
            )
        )
    return found


def listing(root: Path, units: list[Unit], now: dt.datetime) -> list[tuple[Copy, dict[str, object]]]:
    """`gridctl unit list`: each unit's copy and, as data, the unit, its source, its profile and what
    the town holds of it (times in the zone of `now`, the town's clock)."""
    from gridctl.units.fetch import own_settings

    rows: list[tuple[Copy, dict[str, object]]] = []
    for c in copies(root, units):
        own = own_settings(root, c.unit.name) if c.commit else {}
        name = c.unit.title or str(own.get("name") or "") or c.unit.name
        profile = str(own.get("profile") or "community") if own else None
        rows.append((c, {"unit": c.unit.name, "name": name, "url": c.unit.url, "branch": c.unit.branch,
                         "profile": profile, **copy_json(c, now)}))  # fmt: skip
    return rows


def copy_json(c: Copy, now: dt.datetime) -> dict[str, object]:
    """What the town holds of a unit, as data (times in the zone of `now`)."""
    return {
        "commit": c.commit,
        "committed": _iso(c.committed, now),
        "fetched": _iso(c.fetched, now),
        "age_days": c.age(now) if c.commit else None,
        "last_try": _iso(c.tried, now),
        "fetch_failed": c.failed,
        "other_source": c.commit is not None and c.other_source,
        "stale": c.stale(now),
    }


def _iso(when: dt.datetime | None, now: dt.datetime) -> str | None:
    return None if when is None else when.astimezone(now.tzinfo).isoformat(timespec="minutes")


def copy_said(c: Copy, now: dt.datetime, zh: bool) -> str:
    """How old a unit's copy is, in the clerk's words (for `unit list` and `status --units`)."""
    if c.commit is None:
        said = "从未取回" if zh else "never fetched"
    elif c.fetched is None:
        said = "取回时间未记录" if zh else "fetch time not recorded"
    else:
        when = c.fetched.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
        age = c.age(now) or 0
        said = f"取回于 {when} ({age} 天前)" if zh else f"fetched {when} ({age} days ago)"
    if c.commit is not None and c.other_source:
        said += (
            "；取自另一来源，请 gridctl sync --units" if zh else "; fetched from another source: gridctl sync --units"
        )
    if c.failed is not None and c.tried is not None:
        tried = c.tried.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
        said += f"；{tried} 获取失败: {c.failed}" if zh else f"; fetch failed {tried}: {c.failed}"
    return said


def commit_said(c: Copy, now: dt.datetime) -> str:
    """The copy's last commit: its day (in the town's zone) and short id, or "-"."""
    if c.commit is None:
        return "-"
    day = c.committed.astimezone(now.tzinfo).strftime("%Y-%m-%d") if c.committed else "?"
    return f"{day} {c.commit[:7]}"
