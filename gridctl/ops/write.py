"""The one way gridctl changes a ledger: lock, settle, read, plan, validate the result, commit, write.

Everything a change depends on — the ids it allocates, the records it edits, the ledger it is
validated against — is read *under the lock*, after any interrupted write was finished, from the
HEAD the commit will replace (design.md §3, invariants 1–4). So two writers never base a change
on the same state, and a kill at any moment leaves the ledger whole.

    with transaction(root, "gridctl edit …") as txn:
        change = plan(txn.ledger())          # ids, edits: against what is committed now
        done = txn.commit(change.files, message, author)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.ledger.crash import crash_point
from gridctl.ledger.files import Overlay, WorkTree
from gridctl.ledger.lock import ledger_lock
from gridctl.ledger.message import Author, Message
from gridctl.ledger.safepath import check_ledger_path
from gridctl.ledger.transaction import Repo, apply, recover, refuse_dirty
from gridctl.problem import Problem
from gridctl.validate import Validation, validate


class WriteRejected(GridctlError):
    """The change would make the ledger invalid; nothing was written."""

    exit_code = 1

    def __init__(self, validation: Validation) -> None:
        super().__init__("the change was not written: it would add problems / 修改未写入：会产生以下问题")
        self.validation = validation


@dataclass
class Written:
    commit: str | None
    paths: list[str] = field(default_factory=list)
    todo: list[Problem] = field(default_factory=list)
    """Errors the change may leave for a next step (a new grid has no 网格长 yet)."""
    unchanged: bool = False
    """The change would leave every file as it is: nothing was committed."""


class Transaction:
    """A write in progress: the lock is held and the working tree agrees with HEAD's commit."""

    def __init__(self, root: Path, repo: Repo) -> None:
        self.root = root
        self.repo = repo
        self.head = repo.head()
        self._ledger: Any = None

    def ledger(self) -> Any:
        """The ledger as it is now (read once, under the lock)."""
        if self._ledger is None:
            from gridctl.ledger.index import load

            ledger, _problems = load(self.root)
            if ledger is None:
                raise GridctlError(
                    "gridctl.yaml has errors / gridctl.yaml 有误", hint="run gridctl validate and fix it first"
                )
            self._ledger = ledger
        return self._ledger

    def commit(
        self,
        changes: Mapping[str, bytes | None],
        message: Message,
        author: Author,
        *,
        dry_run: bool = False,
        deferrable: Callable[[Problem], bool] | None = None,
    ) -> Written:
        """Commit `changes` unless they add errors; `deferrable` names errors a next step will fix."""
        crash_point("planned")
        for rel in changes:
            check_ledger_path(self.root, rel)
        refuse_dirty(self.repo, sorted(changes))
        changes = {p: data for p, data in changes.items() if not _same(self.root, p, data)}
        if not changes:
            return Written(None, [], unchanged=True)
        paths = sorted(changes)
        after = validate(self.root, Overlay(WorkTree(self.root), changes), base=self._ledger)
        todo: list[Problem] = []
        if after.errors:
            new = new_errors(validate(self.root, base=self._ledger).problems, after.problems)
            todo = [p for p in new if deferrable is not None and deferrable(p)]
            blocking = [p for p in new if p not in todo]
            if blocking:
                after.problems = blocking
                raise WriteRejected(after)
        if dry_run:
            return Written(None, paths, todo)
        new_commit = apply(self.repo, changes, message, author, self.head)
        self.head = new_commit
        self._ledger = None
        return Written(new_commit, paths, todo)


@contextlib.contextmanager
def transaction(root: Path, command: str, wait: float | None = None) -> Iterator[Transaction]:
    """Hold the ledger's lock, finish any interrupted write, refuse unsafe git states."""
    repo = Repo(root)
    with ledger_lock(repo.git_dir, command, wait):
        crash_point("locked")
        recover(repo)
        repo.check_writable_state()
        yield Transaction(root, repo)


def write(
    root: Path,
    changes: Mapping[str, bytes | None],
    message: Message,
    author: Author,
    *,
    dry_run: bool = False,
    deferrable: Callable[[Problem], bool] | None = None,
    wait: float | None = None,
) -> Written:
    """A change whose files do not depend on what is in the ledger (a manifest, a report) as one commit."""
    with transaction(root, message.command or message.subject, wait) as txn:
        return txn.commit(changes, message, author, dry_run=dry_run, deferrable=deferrable)


WHOLE_RECORD = frozenset({"GC210", "GC211", "GC212", "GC213", "GC230", "GC231", "GC301", "GC302", "GC303"})
"""Findings about a record as a whole: the field they point at is only where the caret goes."""


def _same(root: Path, rel: str, data: bytes | None) -> bool:
    """The file already holds exactly this (or is already absent): no change to commit."""
    path = root / rel
    if data is None:
        return not path.exists()
    try:
        return path.is_file() and path.read_bytes() == data
    except OSError:
        return False


def _key(p: Problem) -> tuple[object, ...]:
    """What a problem is about, independent of line numbers (which move with every edit)."""
    args = tuple(sorted((k, str(v)) for k, v in p.args.items() if k not in ("other", "count")))
    return (p.code, p.record or p.file, None if p.code in WHOLE_RECORD else p.field, args)


def new_errors(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """Errors in `after` that `before` did not have: a write may not add any."""
    old = {_key(p) for p in before if p.severity == "error"}
    return [p for p in after if p.severity == "error" and _key(p) not in old]
