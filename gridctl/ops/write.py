"""The one way gridctl changes a ledger: lock, check, validate the result, commit, write.

A change is a mapping of ledger paths to their new bytes (None deletes). Nothing is written
unless the ledger as it would be has no error that it did not have before; then the files and
HEAD move together (gridctl.ledger.transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.ledger.files import Overlay, WorkTree
from gridctl.ledger.lock import ledger_lock
from gridctl.ledger.transaction import Author, Message, Repo, apply, recover, refuse_dirty
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


def write(
    root: Path,
    changes: Mapping[str, bytes | None],
    message: Message,
    author: Author,
    *,
    dry_run: bool = False,
    deferrable: Callable[[Problem], bool] | None = None,
    expect_head: str | None = None,
) -> Written:
    """Commit `changes` unless they add errors; `deferrable` names errors a next step will fix."""
    repo = Repo(root)
    changes = {p: data for p, data in changes.items() if not _same(root, p, data)}
    if not changes:
        return Written(None, [], unchanged=True)
    paths = sorted(changes)
    with ledger_lock(repo.git_dir, message.command or message.subject):
        recover(repo)
        if expect_head is not None and repo.head() != expect_head:
            raise GridctlError(
                "the ledger changed while this command was preparing its change / 准备修改期间台账已有新的提交",
                hint="run the command again",
            )
        refuse_dirty(repo, paths)
        after = validate(root, Overlay(WorkTree(root), changes))
        todo: list[Problem] = []
        if after.errors:
            new = new_errors(validate(root).problems, after.problems)
            todo = [p for p in new if deferrable is not None and deferrable(p)]
            blocking = [p for p in new if p not in todo]
            if blocking:
                after.problems = blocking
                raise WriteRejected(after)
        if dry_run:
            return Written(None, paths, todo)
        return Written(apply(repo, changes, message, author), paths, todo)


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
