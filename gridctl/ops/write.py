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

from gridctl.errors import GridctlError, settings_broken
from gridctl.i18n import Text
from gridctl.ledger.crash import crash_point
from gridctl.ledger.files import GitTree, Overlay
from gridctl.ledger.journal import Recovery, recover
from gridctl.ledger.lock import ledger_lock
from gridctl.ledger.message import Author, Message
from gridctl.ledger.safepath import check_ledger_path
from gridctl.ledger.transaction import Repo, apply, refuse_dirty
from gridctl.problem import Problem
from gridctl.validate import validate
from gridctl.validation import Validation


class WriteRejected(GridctlError):
    """The change would make the ledger invalid; nothing was written."""

    exit_code = 1

    def __init__(self, validation: Validation) -> None:
        super().__init__(Text("修改未写入: 会产生以下问题", "the change was not written: it would add problems"))
        self.validation = validation


@dataclass
class Written:
    commit: str | None
    paths: list[str] = field(default_factory=list)
    todo: list[Problem] = field(default_factory=list)
    """Errors the change may leave for a next step (a new grid has no 网格长 yet)."""
    unchanged: bool = False
    """The change would leave every file as it is: nothing was committed."""
    warnings: list[Problem] = field(default_factory=list)
    """Warnings the change adds (asked with warn=): the clerk who moved households is told their
    包户人 does not serve the new grid, not left to find it in a later validate."""


class Transaction:
    """A write in progress: the lock is held, any interrupted write is finished, and the change is
    planned and validated against HEAD — the commit the new one replaces — not against whatever
    uncommitted files the working tree holds (what is committed must be valid on its own)."""

    def __init__(self, root: Path, repo: Repo, head: str | None, recovery: Recovery | None = None) -> None:
        self.root = root
        self.repo = repo
        self.head = head
        self.recovery = recovery
        if self.head is None:
            raise GridctlError(
                Text(
                    "台账还没有任何提交: gridctl 只修改已提交的台账",
                    "the ledger has no commit yet: gridctl changes a committed ledger",
                ),
                hint=Text(
                    "先提交现有文件: git add -A; git commit -m 初始台账 (gridctl init 建的台账已经提交过)",
                    "commit what is there first: git add -A; git commit -m 初始台账 (gridctl init does this for a new "
                    "ledger)",
                ),
            )
        self._tree = GitTree(root, self.head)
        self._ledger: Any = None

    def ledger(self) -> Any:
        """The ledger as committed at HEAD (read once, under the lock)."""
        if self._ledger is None:
            from gridctl.ledger.index import load
            from gridctl.prefetch import parallel_reader

            ledger, _problems = load(self.root, self._tree, reader=parallel_reader(self.root, self._tree))
            if ledger is None:
                raise settings_broken()
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
        warn: bool = False,
    ) -> Written:
        """Commit `changes` unless they add errors; `deferrable` names errors a next step will fix;
        `warn`: also find the warnings they add (for the writes that move records or take people
        away, not for every edit)."""
        crash_point("planned")
        for rel in changes:
            check_ledger_path(self.root, rel)
        refuse_dirty(self.repo, sorted(changes))
        changes = self._sealed(changes)
        changes = {p: data for p, data in changes.items() if not self._same(p, data)}
        if not changes:
            return Written(None, [], unchanged=True)
        paths = sorted(changes)
        self.ledger()
        result = Overlay(self._tree, changes)
        # only errors decide a write: the ledger's warnings stay packed in the cache (0.2 s at 100,000 households)
        after = validate(self.root, result, base=self._ledger, errors_only=True)
        todo: list[Problem] = []
        if after.errors:
            before = validate(self.root, self._tree, base=self._ledger, errors_only=True)
            new = new_errors(before.problems, after.problems)
            todo = [p for p in new if deferrable is not None and deferrable(p)]
            blocking = [p for p in new if p not in todo]
            if blocking:
                after.problems = blocking
                raise WriteRejected(after)
        warnings = self._new_warnings(result, after) if warn else []
        if dry_run:
            return Written(None, paths, todo, warnings=warnings)
        olds = self._tree.committed(changes)  # listed already (_same): the journal's old blobs
        new_commit = apply(self.repo, changes, message, author, self.head, olds)
        self._next_tree(new_commit, changes)
        return Written(new_commit, paths, todo, warnings=warnings)

    def _new_warnings(self, result: Overlay, after: Validation) -> list[Problem]:
        """The warnings the result has that HEAD has not: compared on the ledgers the write read
        (gridctl.ops.added); when the result could not be derived from HEAD's (new settings), by a
        whole validation of each."""
        from gridctl.ops.added import added_warnings
        from gridctl.validate import ledger_today

        if after.ledger is not None:
            return added_warnings(self._ledger, after.ledger, result, ledger_today(result))
        before = validate(self.root, self._tree, base=self._ledger).problems
        return new_warnings(before, validate(self.root, result, base=self._ledger).problems)

    def _next_tree(self, new_commit: str, changes: Mapping[str, bytes | None]) -> None:
        """The commit just made becomes HEAD; its listing is the last one's with the changes (the
        next write, here or in the next gridctl, need not ask git for it: gridctl.ledger.listings)."""
        from gridctl.ledger.listings import after_write, keep

        before = vars(self._tree)
        # a step only on a listing read as kept with its record files: else a step on it leads nowhere,
        # or to record files listed again by every write on top of it
        parent = self.head if self._tree.listing_kept and self._tree.records_kept else None
        listing = after_write(before["_entries"], changes) if "_entries" in before else None
        records = before.get("_yaml")
        if listing is None or records is None or listing.keys() != before["_entries"].keys():
            records = None  # a file came or went: its record files are listed again when asked
        self.head = new_commit
        self._tree = GitTree(self.root, new_commit)
        self._ledger = None
        if listing is not None:
            self._tree._entries = listing
            if records is not None:
                self._tree._yaml = records
            with contextlib.suppress(OSError):
                keep(self.root, new_commit, listing, records, parent, {rel: listing.get(rel) for rel in changes})
                self._tree.listing_kept = True

    def _sealed(self, changes: Mapping[str, bytes | None]) -> dict[str, bytes | None]:
        """On an encrypted ledger, residents' personal values are sealed before anything is validated or written."""
        from gridctl.ledger.sealing import seal_changes
        from gridctl.ledger.vault import RECIPIENTS, vault_from, vault_of

        given = changes.get(RECIPIENTS)
        vault = vault_from(given, self._fields()) if given is not None else vault_of(self._tree, self._fields())
        return seal_changes(dict(changes), vault)

    def _fields(self) -> tuple[str, ...]:
        return tuple(self.ledger().settings.privacy.encrypt)

    def _same(self, rel: str, data: bytes | None) -> bool:
        """HEAD already holds exactly this (or has no such file): no change to commit."""
        from gridctl.ledger.cache import blob_id

        committed = self._tree.blob_id(rel) if self._tree.exists(rel) else None
        return committed == (blob_id(data) if data is not None else None)


@contextlib.contextmanager
def transaction(root: Path, command: str, wait: float | None = None) -> Iterator[Transaction]:
    """Hold the ledger's lock, finish any interrupted write, refuse unsafe git states."""
    repo = Repo(root)
    with ledger_lock(repo.git_dir, command, wait):
        crash_point("locked")
        recovery = recover(repo)
        head = repo.check_writable_state()
        yield Transaction(root, repo, head, recovery)


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


def _key(p: Problem) -> tuple[object, ...]:
    """What a problem is about, independent of line numbers (which move with every edit)."""
    args = tuple(sorted((k, str(v)) for k, v in p.args.items() if k not in ("other", "count")))
    return (p.code, p.record or p.file, None if p.code in WHOLE_RECORD else p.field, args)


def new_warnings(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """Warnings in `after` that `before` did not have (a change is told what it adds)."""
    old = {_key(p) for p in before if p.severity == "warning"}
    return [p for p in after if p.severity == "warning" and _key(p) not in old]


def new_errors(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """Errors in `after` that `before` did not have: a write may not add any."""
    old = {_key(p) for p in before if p.severity == "error"}
    return [p for p in after if p.severity == "error" and _key(p) not in old]
