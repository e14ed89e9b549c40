"""Reading every unit of a town at once, straight from git objects (refs/units/<name>).

Each unit is read through the loader every command uses (`ledger.index.load`, `validate`), on a
GitTree of its fetched commit, so whatever makes those faster (a cache keyed by blob id) makes the
roll-up faster too. Problems keep their unit in the path: `units/<name>/households/…`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from gridctl.ledger.files import GitTree
from gridctl.ledger.gitrepo import GitFailed, run_git
from gridctl.ledger.index import Ledger, load
from gridctl.model.settings import Settings, Unit
from gridctl.problem import Problem
from gridctl.units.fetch import no_units, ref
from gridctl.validate import gc_paused, validate
from gridctl.validation import Validation

PREFIX = "units/"
T = TypeVar("T")


@dataclass
class UnitLedger:
    unit: Unit
    files: GitTree
    ledger: Ledger
    shown: str | None = None
    """The label told apart from another unit's by the code (two units with one name)."""

    @property
    def label(self) -> str:
        return self.shown or self.unit.title or self.ledger.settings.name or self.unit.name

    def path(self, rel: str) -> str:
        return f"{PREFIX}{self.unit.name}/{rel}"


def distinct(labels: list[tuple[Unit, str]]) -> list[str]:
    """Each unit's label, with its code after it where two units would print the same name: the
    town could not tell their lines (status, due, reports, GC600) apart."""
    seen = Counter(label for _unit, label in labels)
    return [f"{label} ({unit.name})" if seen[label] > 1 else label for unit, label in labels]


UNFETCHED, BROKEN, LATER = "unfetched", "broken", "later"


class Missing(NamedTuple):
    """A unit left out, and why: not fetched yet, its gridctl.yaml broken, or (--as-of) no commit
    of it by then."""

    name: str
    why: str


def commits(
    root: Path, settings: Settings, before: dt.datetime | None = None
) -> tuple[list[tuple[Unit, str]], list[Missing]]:
    """(unit, fetched commit) for each fetched unit, and the names of units not fetched yet.
    `before` (--as-of): each unit's last commit up to that moment; a unit with none then is missing."""
    from gridctl.ledger.clock import git_time

    found: list[tuple[Unit, str]] = []
    missing: list[Missing] = []
    for unit in settings.units:
        try:
            if before is None:
                asked = ["rev-parse", "--verify", "-q", f"{ref(unit.name)}^{{commit}}"]
            else:
                asked = ["rev-list", "-1", f"--before={git_time(before)}", ref(unit.name)]
            sha = run_git(root, *asked).decode().strip()
        except GitFailed:
            sha = ""
        if sha:
            found.append((unit, sha))
        else:
            fetched = before is not None and _fetched(root, unit)
            missing.append(Missing(unit.name, LATER if fetched else UNFETCHED))
    return found, missing


def _fetched(root: Path, unit: Unit) -> bool:
    try:
        return bool(run_git(root, "rev-parse", "--verify", "-q", f"{ref(unit.name)}^{{commit}}").strip())
    except GitFailed:
        return False


def _read(root: Path, unit: Unit, sha: str) -> UnitLedger | None:
    files = GitTree(root, sha, scope=f"units/{unit.name}")
    ledger, _problems = load(root, files)
    return None if ledger is None else UnitLedger(unit, files, ledger)


def read_units(
    root: Path, settings: Settings, before: dt.datetime | None = None
) -> tuple[list[UnitLedger], list[Missing]]:
    """Every fetched unit's ledger (read from git objects; as it was at `before`, if given) and the
    units not fetched yet."""
    if not settings.units:
        raise no_units()
    found, missing = commits(root, settings, before)
    out = []
    with gc_paused():
        for unit, sha in found:
            read = _read(root, unit, sha)
            if read is None:
                missing.append(Missing(unit.name, BROKEN))
            else:
                out.append(read)
    for u, label in zip(out, distinct([(u.unit, u.label) for u in out]), strict=True):
        u.shown = label
    return out, missing


def _work(root: Path, unit: Unit, sha: str, work: Callable[[UnitLedger], T]) -> tuple[str, T] | None:
    from gridctl.ledger.cache import save_open

    with gc_paused():
        read = _read(root, unit, sha)
        out = None if read is None else (read.label, work(read))
    save_open()  # in a worker process: what was read of the unit is kept for the next command
    return out


def per_unit(
    root: Path, settings: Settings, work: Callable[[UnitLedger], T], before: dt.datetime | None = None
) -> tuple[list[tuple[str, T]], list[Missing]]:
    """(unit label, work(unit)) for every fetched unit (as it was at `before`, if given), in the order
    of gridctl.yaml, and the units missing.

    Units are independent, so they are read in as many processes as the machine has cores; only
    the (small) results come back. `work` must be picklable: a module-level function or a partial.
    The processes start and end as gridctl's other workers do (gridctl.ledger.workers): Ctrl-C is
    the main process's, which kills them.
    """
    if not settings.units:
        raise no_units()
    found, missing = commits(root, settings, before)
    workers = min(len(found), os.cpu_count() or 1)
    if workers <= 1:
        results = [_work(root, unit, sha, work) for unit, sha in found]
    else:
        from gridctl.ledger import workers as started

        with started.pool(workers) as pool:
            try:
                futures = [pool.submit(_work, root, unit, sha, work) for unit, sha in found]
                results = [f.result() for f in futures]
            except BaseException:  # Ctrl-C: the units still being read are wanted no more
                started.end(pool)
                raise
    out, units = [], []
    for (unit, _sha), result in zip(found, results, strict=True):
        if result is None:
            missing.append(Missing(unit.name, BROKEN))
        else:
            out.append(result)
            units.append(unit)
    labels = distinct([(unit, label) for unit, (label, _result) in zip(units, out, strict=True)])
    return [(label, result) for label, (_old, result) in zip(labels, out, strict=True)], missing


class UnitFiles:
    """The town's own files and, under units/<name>/, each unit's (for showing problems' source lines)."""

    def __init__(self, own: Any, units: list[UnitLedger]) -> None:
        self.root = own.root
        self.own = own
        self.units = {u.unit.name: u.files for u in units}

    def _split(self, rel: str) -> tuple[Any, str]:
        if rel.startswith(PREFIX):
            name, _, inner = rel[len(PREFIX) :].partition("/")
            if name in self.units:
                return self.units[name], inner
        return self.own, rel

    def paths(self) -> Iterator[str]:
        yield from self.own.paths()

    def read(self, rel: str) -> bytes:
        files, inner = self._split(rel)
        return files.read(inner)

    def exists(self, rel: str) -> bool:
        files, inner = self._split(rel)
        return files.exists(inner)

    def size(self, rel: str) -> int:
        files, inner = self._split(rel)
        return files.size(inner)

    def outside_link(self, rel: str) -> str | None:
        files, inner = self._split(rel)
        return files.outside_link(inner)


def validate_units(
    root: Path, own: Validation, settings: Settings, today: dt.date | None = None, before: dt.datetime | None = None
) -> tuple[Validation, list[Missing], list[str]]:
    """The town's own validation with every unit's problems and the cross-unit checks added (`today`:
    the town's day, on its clock; `before`: the units as they were then), the units missing, and the
    labels of units encrypted where no key here opens them (their ID numbers were compared with no
    other unit's: the town must be told, not shown "no problems")."""
    from gridctl.ledger.positions import locate_all
    from gridctl.ledger.vault import vault_of
    from gridctl.units.checks import cross_unit

    units, missing = read_units(root, settings, before)
    result = Validation(root, UnitFiles(own.source, units), list(own.problems), own.files, own.records)
    located: dict[str, list[Problem]] = {u.unit.name: [] for u in units}
    for u in units:
        v = validate(root, u.files, today)
        located[u.unit.name] += v.problems
        result.files += v.files
        result.records += v.records
    for name, problem in cross_unit(units, settings):
        located[name].append(problem)
    for u in units:
        fixed = locate_all(u.files, located[u.unit.name])
        result.problems += [dataclasses.replace(p, file=u.path(p.file)) for p in fixed]
    result.problems.sort(key=Problem.sort_key)
    locked = [u.label for u in units if (vault := vault_of(u.files)) is not None and not vault.can_open]
    return result, missing, locked
