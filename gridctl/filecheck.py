"""`gridctl check-files FILE…`: the fast per-file check a pre-commit hook runs on staged files.

Only what one file can show on its own: YAML, each record's schema against the ledger's
vocabularies, id formats and grid codes, resident ID numbers, phones and credit codes.
References, the grid tree and policy need the whole ledger (`gridctl validate`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.history.prints import MANIFEST
from gridctl.i18n import Text
from gridctl.ledger.files import SETTINGS_FILE, WorkTree, _listed, misnamed
from gridctl.model.chars import quoted_path
from gridctl.printcheck import record_of_prints, unreadable
from gridctl.problem import Problem
from gridctl.validate import add_strays, gc_paused, public_quoted
from gridctl.validation import Validation

LOCAL_CHECKS = ("id_formats", "grid_codes", "resident_ids", "phones", "credit_codes")
"""Checks of the registry whose findings depend on one record alone."""


class Selected(WorkTree):
    """The working tree, listing only the given ledger files."""

    def __init__(self, root: Path, rels: Sequence[str]) -> None:
        super().__init__(root)
        self.rels = sorted(set(rels))

    def paths(self) -> Iterator[str]:
        yield from self.rels

    def outside_link(self, rel: str) -> str | None:
        """Named files may sit below a linked folder (the walker never goes there): resolve the whole path."""
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return str(target)
        return super().outside_link(rel)


def ledger_paths(root: Path, names: Sequence[str]) -> list[str]:
    """Ledger-relative paths of the record files among `names` (absolute, or relative to the cwd)."""
    return [rel for rel in _inside(root, names) if rel != SETTINGS_FILE and _listed(rel)]


def _located(base: Path, name: str) -> Path:
    """Where a named path is: as given, from the current folder, or in the ledger (links not followed)."""
    path = Path(os.path.abspath(name))  # links are not followed here: read_text reports them (GC008)
    if not path.is_relative_to(base):
        path = Path(os.path.abspath(Path.cwd().resolve() / name))
    if not os.path.lexists(path):  # `gridctl -C LEDGER check-files staff/S0001.yaml` from elsewhere
        path = Path(os.path.abspath(base / name))
    return path


def _inside(root: Path, names: Sequence[str]) -> Iterator[str]:
    """Ledger-relative paths of the named files that lie in the ledger; a named folder stands for the
    ledger's files below it (check-files households/<grid> said "no problems (0 files)")."""
    base = root.resolve()
    listed: list[str] | None = None
    for name in names:
        path = _located(base, name)
        if not path.is_relative_to(base):
            continue
        rel = path.relative_to(base).as_posix()
        if path.is_dir() and not path.is_symlink():
            listed = listed if listed is not None else list(WorkTree(root).paths())
            yield from (r for r in listed if rel == "." or r.startswith(rel + "/"))
        elif path.is_file() or path.is_symlink():
            yield rel


def outside(root: Path, names: Sequence[str]) -> list[str]:
    """The named paths that lie outside the ledger: checked, they said "no problems (0 files)"."""
    base = root.resolve()
    return [name for name in names if not _located(base, name).is_relative_to(base)]


def missing(root: Path, names: Sequence[str]) -> list[str]:
    """The named paths that are not there at all (a typo, a file since deleted), here or in the ledger."""
    return [name for name in names if not os.path.lexists(name) and not os.path.lexists(root / name)]


def no_such_files(names: Sequence[str]) -> GridctlError:
    """A usage error: checking a path that is not there said "no problems (0 files)", exit 0."""
    shown = [quoted_path(n) for n in names]  # a line break shown as \n, as git shows it
    return GridctlError(
        Text(f"没有这个文件: {'、'.join(shown)}", f"no such file: {', '.join(shown)}"),
        hint=Text(
            f"检查路径和文件名 (相对于当前文件夹 {Path.cwd()})",
            f"check the path and the file name (relative to the current folder {Path.cwd()})",
        ),
    )


def check_files(root: Path, names: Sequence[str]) -> Validation:
    """Problems in the named files (gridctl.yaml is always read: the vocabularies live there)."""
    from gridctl.checks import REGISTRY
    from gridctl.ledger.index import load
    from gridctl.ledger.positions import locate_all

    gone = missing(root, names)
    if gone:
        raise no_such_files(gone)
    away = outside(root, names)
    if away:
        shown = "、".join(quoted_path(n) for n in away)
        raise GridctlError(
            Text(
                f"不在台账文件夹 {root} 中，没有检查: {shown}", f"not in the ledger folder {root}, not checked: {shown}"
            ),
            hint=Text(
                "只检查台账里的记录文件；检查别的台账用 gridctl -C 那个台账",
                "check-files checks the ledger's own files; for another ledger use gridctl -C THAT_LEDGER",
            ),
        )
    files = Selected(root, ledger_paths(root, names))
    disabled: set[str] = set()
    with gc_paused():
        from gridctl.ledger.cache import Cache

        ledger, problems = load(root, files, Cache(None, ""))  # a few files: reading them beats loading a cache
        result = Validation(root, files, settings_ok=ledger is not None)
        if ledger is not None:
            for name, check in REGISTRY:
                if name in LOCAL_CHECKS:
                    problems.extend(check(ledger, ledger.settings))
            disabled = set(ledger.settings.disabled)
            problems = [p for p in problems if p.code not in disabled]
            if any(p.code == "GC116" for p in problems):  # public phones are the whole ledger's to say
                whole, _ = load(root)
                if whole is not None:
                    problems = public_quoted(whole, problems)
            result.files = ledger.files
            result.records = len(ledger.entries)
    found = unreadable(record_of_prints(files)) if MANIFEST in _inside(root, names) else None
    if found is not None and found.code not in disabled:  # the record of prints, named: as validate says (GC019)
        problems.append(found)
    result.problems = sorted(locate_all(files, problems), key=Problem.sort_key)
    add_strays(result, misnamed_paths(root, names), disabled)  # a staged H000001.yaml.txt: never read, never checked
    return result


def misnamed_paths(root: Path, names: Sequence[str]) -> list[str]:
    """Ledger-relative paths of the named files that are record files with the wrong ending."""
    return [rel for rel in _inside(root, names) if misnamed(rel)]
