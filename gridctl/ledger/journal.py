"""Finishing a write that was interrupted after its commit, without ever overwriting a clerk's file.

The journal (.git/gridctl-journal.json, written atomically before HEAD moves) names the old and
new commit and, for every file, the blob it had and the blob it gets. Finishing writes a file only
when it still holds the old content (or is already the new one): a file edited by hand since is
kept and named. A journal that cannot be read is not trusted, and not silently dropped either:
what the last gridctl commit changed is finished from git itself, by the same rule.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.cache import blob_id
from gridctl.ledger.crash import crash_point
from gridctl.ledger.gitrepo import LOCK_LEFT, GitFailed, Repo
from gridctl.ledger.safepath import UnsafeName, check_ledger_path

JOURNAL = "gridctl-journal.json"
TEMP_PREFIX = ".gridctl-"
REFLOG_MARK = "gridctl: "


class Unfinished(GridctlError):
    """A commit landed but its files could not all be written; the next command finishes them."""


@dataclass
class Recovery:
    """What the next command did about an interrupted write (for the clerk to read)."""

    subject: str = ""
    finished: bool = False
    kept: list[str] = field(default_factory=list)
    """Files edited by hand since the interrupted write: kept as they are (git shows them changed)."""
    damaged: bool = False
    merge_undone: bool = False
    """A `git merge` (of sync or an approval) was killed before it finished: its files were put back
    (gridctl.ledger.mergeguard), and the next sync makes it again."""


def journal_path(repo: Repo) -> Path:
    return repo.git_dir / JOURNAL


def write_journal(repo: Repo, entry: Mapping[str, Any]) -> None:
    from gridctl.ledger.transaction import atomic_write

    atomic_write(journal_path(repo), json.dumps(entry, ensure_ascii=False).encode("utf-8"), 0o600)


def read_journal(repo: Repo) -> dict[str, Any] | None:
    """The journal if it is one gridctl wrote (a dict of the right shape), else None."""
    try:
        entry = json.loads(journal_path(repo).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("blobs"), dict):
        return None
    blobs, olds = entry["blobs"], entry.get("olds", {})
    if not isinstance(olds, dict):
        return None
    for table in (blobs, olds):
        for rel, sha in table.items():
            if not isinstance(rel, str) or not (sha is None or (isinstance(sha, str) and len(sha) == 40)):
                return None
    if not all(isinstance(entry.get(k), str | None) for k in ("old", "new", "subject")):
        return None
    return entry


def recover(repo: Repo, wait: float | None = None) -> Recovery | None:
    """Finish or drop a write that was interrupted, undo a merge git did not finish. Hold the lock.
    None when there was nothing."""
    from gridctl.ledger import mergeguard

    undone = mergeguard.undo(repo, wait) if mergeguard.interrupted(repo) else None
    path = journal_path(repo)
    if not path.is_file():
        return Recovery(merge_undone=True, kept=undone.kept) if undone is not None else None
    entry = read_journal(repo)
    if entry is None:
        outcome = _from_git(repo)
        outcome.damaged = True
    else:
        for rel in [*entry["blobs"], *entry.get("olds", {})]:
            try:
                check_ledger_path(repo.root, rel)
            except UnsafeName:
                raise GridctlError(
                    Text(
                        f"中断写入的记录文件已损坏: 其中的路径在台账之外 ({rel})，未使用它",
                        f"the journal of an interrupted write names a path outside the ledger ({rel}); it was not used",
                    ),
                    hint=Text(
                        f"用 git status 检查台账，然后删除 {path}",
                        f"check the ledger with git status, then delete {path}",
                    ),
                ) from None
        outcome = Recovery(subject=str(entry.get("subject") or ""))
        if entry.get("new") and repo.head() == entry["new"]:
            outcome.kept = finish(repo, entry["blobs"], entry.get("olds", {}))
            outcome.finished = True
        _release_index_lock(repo, entry)
    _remove_temp_files(repo, entry["blobs"] if entry else {})
    path.unlink(missing_ok=True)
    return outcome


def finish(repo: Repo, blobs: Mapping[str, str | None], olds: Mapping[str, str | None]) -> list[str]:
    """Bring files to the new blobs; a file that is neither old nor new is kept (a hand edit)."""
    contents = repo.read_blobs([sha for sha in blobs.values() if sha])
    kept = materialise(repo.root, {rel: (contents[sha] if sha else None) for rel, sha in blobs.items()}, olds)
    _reset_index(repo, list(blobs))
    return kept


def materialise(root: Path, files: Mapping[str, bytes | None], olds: Mapping[str, str | None]) -> list[str]:
    """Write each file unless someone changed it since the write was planned; returns those kept.

    Many files are staged first and flushed to the disk together (gridctl.ledger.durable), then
    renamed in order: each file is still its old or its new content at any moment."""
    from gridctl.ledger.durable import BATCH, Batch
    from gridctl.ledger.transaction import _umask_mode, atomic_write

    kept: list[str] = []
    plan: list[tuple[str, bytes | None, str]] = []
    for rel, data in files.items():
        current = _current_blobs(root / rel)
        new = blob_id(data) if data is not None else None
        if new in current:
            plan.append((rel, data, "done"))
        elif rel in olds and olds[rel] not in current:
            plan.append((rel, data, "kept"))
        else:
            plan.append((rel, data, "write"))
    batch = Batch(root, _umask_mode()) if sum(what == "write" for *_, what in plan) >= BATCH else None
    try:
        if batch is not None:
            for rel, data, what in plan:
                if what == "write" and data is not None:
                    batch.stage(root / rel, data, TEMP_PREFIX)
            batch.flush()
        for rel, data, what in plan:
            if what == "kept":
                kept.append(rel)
                continue
            if what == "write":
                if data is None:
                    _remove(root, rel)
                elif batch is not None:
                    batch.rename(root / rel)
                else:
                    atomic_write(root / rel, data)
            crash_point("file")
        if batch is not None:
            batch.flush()  # the renames on the disk before the journal that could finish them goes
    finally:
        if batch is not None:
            batch.discard()
    crash_point("files")
    return kept


def _current_blobs(path: Path) -> set[str | None]:
    """The blob ids the file's content stands for: as it is, and with CRLF read as LF (git's
    core.autocrlf checks out LF blobs with CRLF line ends)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {None}
    except IsADirectoryError:
        return {"(a folder)"}
    return {blob_id(data), blob_id(data.replace(b"\r\n", b"\n"))}


def _remove(root: Path, rel: str) -> None:
    path = root / rel
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def _reset_index(repo: Repo, paths: list[str]) -> None:
    # git busy with its index: `git status` still shows the truth, and the commit is whole
    with contextlib.suppress(GitFailed):
        repo.reset_index(paths)


def _release_index_lock(repo: Repo, entry: Mapping[str, Any]) -> None:
    """An index.lock our killed write held: it holds the token the journal names. A lock of git's own
    (a plain git command since) holds an index, never the token, and is left alone."""
    lock = repo.git_dir / "index.lock"
    (repo.git_dir / LOCK_STAGED).unlink(missing_ok=True)
    marker = entry.get("index_lock")
    if marker and lock.is_file():
        try:
            if _ours(lock, marker, journal_path(repo)):
                lock.unlink()
        except OSError:
            pass
        if entry.get("new") and repo.head() == entry["new"]:
            _reset_index(repo, list(entry["blobs"]))


def _remove_temp_files(repo: Repo, blobs: Mapping[str, Any]) -> None:
    folders = {(repo.root / rel).parent for rel in blobs} if blobs else set()
    for folder in folders:
        for leftover in folder.glob(f"{TEMP_PREFIX}*.tmp") if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)  # a half-written temp file from the killed write


def _from_git(repo: Repo) -> Recovery:
    """The journal is unreadable: if HEAD's last move was a gridctl write, finish what it changed."""
    try:
        moved_by = repo.git("reflog", "-1", "--format=%gs", "HEAD")
    except GitFailed:
        return Recovery()
    if not moved_by.startswith(REFLOG_MARK):
        return Recovery()
    head = repo.head()
    if head is None:
        return Recovery()
    try:
        parent = repo.git("rev-parse", "-q", "--verify", "HEAD~1")
    except GitFailed:
        parent = ""
    listing = repo.git("diff-tree", "-r", "--no-commit-id", "--root", "-z", *([parent] if parent else []), head)
    blobs: dict[str, str | None] = {}
    olds: dict[str, str | None] = {}
    items = listing.split("\0")
    for meta, rel in zip(items[0::2], items[1::2], strict=False):
        parts = meta.lstrip(":").split()
        if len(parts) < 5 or not rel:
            continue
        old, new = parts[2], parts[3]
        blobs[rel] = None if set(new) == {"0"} else new
        olds[rel] = None if set(old) == {"0"} else old
    safe = {rel: sha for rel, sha in blobs.items() if _is_safe(repo.root, rel)}
    kept = finish(repo, safe, olds)
    return Recovery(subject=moved_by[len(REFLOG_MARK) :], finished=True, kept=kept)


def _is_safe(root: Path, rel: str) -> bool:
    try:
        check_ledger_path(root, rel)
    except UnsafeName:
        return False
    return True


def _ours(lock: Path, marker: Any, journal: Path) -> bool:
    if isinstance(marker, str):
        return lock.read_bytes() == marker.encode("ascii", "replace")
    # a journal of an earlier gridctl (index_lock: true) took the lock just before writing it
    return lock.stat().st_mtime_ns <= journal.stat().st_mtime_ns + 1_000_000_000


LOCK_STAGED = "gridctl-index-lock.tmp"
"""The index lock's token, written here first and then linked into place as index.lock."""


def take_index_lock(repo: Repo, token: str) -> Path:
    """git's own index lock, held from before HEAD moves until the index matches it again.

    A plain `git commit` or `git add` in that window fails with git's "index.lock exists" instead
    of committing the old index on top of gridctl's change (which would revert it). The lock holds
    `token` (the journal names it) from the moment it exists: it is made by a hard link of a file
    that holds it already, where the file system has hard links (a FAT stick has not: created, then
    written).
    """
    lock = repo.git_dir / "index.lock"
    staged = repo.git_dir / LOCK_STAGED
    staged.write_bytes(token.encode("ascii"))
    try:
        try:
            os.link(staged, lock)
        except FileExistsError:
            raise _busy(lock) from None
        except OSError:
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                raise _busy(lock) from None
            try:
                os.write(fd, token.encode("ascii"))
            finally:
                os.close(fd)
    finally:
        staged.unlink(missing_ok=True)
    return lock


def _busy(lock: Path) -> GridctlError:
    return GridctlError(
        Text(f"git 正在使用索引: {lock} 存在；未写入", f"git is busy: {lock} exists; nothing was written"),
        hint=LOCK_LEFT,
    )
