"""`gridctl validate --changed-since REV`: what a pull request brings, for CI on the ledger.

The problems located in files changed since REV, plus any problem elsewhere that REV did not
have (a retired staff member leaves a grid's responsibility dangling in another file).
"""

from __future__ import annotations

from pathlib import Path

from gridctl.history.gitlog import git
from gridctl.history.revisions import resolve
from gridctl.ledger.clock import Clock
from gridctl.ledger.files import GitTree, Overlay, WorkTree
from gridctl.ops.write import new_errors, new_warnings
from gridctl.problem import Problem
from gridctl.validate import validate
from gridctl.validation import Validation


def changed_paths(root: Path, base: str) -> set[str]:
    tracked = git(root, "-c", "core.quotepath=off", "diff", "--name-only", "-z", base).decode("utf-8").split("\0")
    untracked = git(root, "-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard", "-z")
    return {p for p in [*tracked, *untracked.decode("utf-8").split("\0")] if p}


def _as_it_was(tree: WorkTree, base: str, changed: set[str]) -> Overlay:
    """The ledger at `base`, as the working tree with only the changed files put back: validating
    it reads those few files, and takes every other file's facts from the ledger as it is now."""
    then = GitTree(tree.root, base)
    return Overlay(tree, {rel: (then.read(rel) if then.exists(rel) else None) for rel in changed})


def _ledger(tree: WorkTree):  # type: ignore[no-untyped-def]
    from gridctl.ledger.index import load

    ledger, _problems = load(tree.root, tree)
    return ledger


def _warned_elsewhere(before: Validation, now: Validation, changed: set[str]) -> list[Problem]:
    """Warnings a change brings to records it did not touch (a 网格员 unassigned: each household
    they were 包户人 of, GC236). Only a ledger-wide check can warn of another file, and a file with
    such a finding keeps its problems unpacked (`loose`): those files alone are compared."""
    found = [p for p in now.loose if p.severity == "warning" and p.file not in changed]
    return new_warnings(before.problems_of({p.file for p in found}), found)


def changed_since(root: Path, rev: str, clock: Clock | None = None) -> Validation:
    """`clock`: the ledger's (for a date as REV and the rules about dates); default: its zone, now."""
    base = resolve(root, rev, clock)
    today = clock.today() if clock is not None else None
    tree = WorkTree(root)  # walked once for the three reads below
    now = validate(root, tree, today)
    changed = changed_paths(root, base)
    if "gridctl.yaml" in changed:
        return now  # new settings can change every finding: report them all
    # the ledger as it is now is read only if the state at `base` has no kept result
    before = validate(root, _as_it_was(tree, base, changed), today, base=lambda: _ledger(tree))
    # only the errors of both, and the changed files' problems, are made (40,000 warnings stay packed)
    caused = [p for p in new_errors(before.erring(), now.erring()) if p.file not in changed]
    caused += _warned_elsewhere(before, now, changed)
    now.problems = sorted([*now.problems_of(changed), *caused], key=Problem.sort_key)
    now.state = None  # a part of the state's result: nothing kept for the whole (its report) answers for it
    return now
