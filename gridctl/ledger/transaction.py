"""Committing a change to the ledger so that a kill at any moment is safe (design.md §3).

The caller holds the lock, has finished any interrupted write (settle), and has validated the
change. Then apply():

1. check that every file can be written (folders writable, room on the disk): a change that
   could not be finished is refused before anything is committed;
2. store the new files, their tree and the commit with one `git fast-import` (on a private ref);
3. write a journal (.git/gridctl-journal.json) naming the old and new commit and every file;
4. move HEAD with a compare-and-swap `update-ref` — the one atomic step;
5. write the working-tree files (temp file + rename each) and reset their index entries;
6. delete the journal.

Killed before 4: HEAD and files are as before (the journal is dropped by the next command).
Killed after 4: HEAD is the new commit; the next gridctl command, read or write, finds the
journal and finishes step 5 before it reads anything (settle). Files only change while the
journal exists, so a reader that saw no journal and the same HEAD before and after reading has
read a whole ledger (consistent_read).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from gridctl.errors import GridctlError
from gridctl.ledger.crash import crash_point
from gridctl.ledger.gitrepo import GitFailed, Repo
from gridctl.ledger.lock import ledger_lock
from gridctl.ledger.message import Author, Message

JOURNAL = "gridctl-journal.json"
TEMP_PREFIX = ".gridctl-"
T = TypeVar("T")

__all__ = ["JOURNAL", "Author", "DirtyFiles", "Message", "Repo", "apply", "recover", "settle"]


class DirtyFiles(GridctlError):
    """A file the command must touch has edits git has not recorded."""


class Unfinished(GridctlError):
    """A commit landed but its files could not all be written; the next command finishes them."""


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write via a temp file in the same folder and rename it over the target.

    mkstemp makes the temp file 0600; ledger files get the mode a new file would get under the
    user's umask (`mode=None`), personal exports may ask for 0o600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask_mode() -> int:
    current = os.umask(0)
    os.umask(current)
    return 0o666 & ~current


def _remove(root: Path, rel: str) -> None:
    path = root / rel
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def journal_path(repo: Repo) -> Path:
    return repo.git_dir / JOURNAL


def recover(repo: Repo) -> str | None:
    """Finish or drop a write that was interrupted. Hold the lock. Returns what was done, or None."""
    journal = journal_path(repo)
    if not journal.is_file():
        return None
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        blobs: dict[str, str | None] = dict(entry.get("blobs") or {})
    except (OSError, ValueError, TypeError):
        journal.unlink(missing_ok=True)  # written before HEAD moved, never after: nothing to finish
        return "dropped"
    done = "dropped"
    if entry.get("new") and repo.head() == entry.get("new"):
        try:
            contents = repo.read_blobs([sha for sha in blobs.values() if sha])
            _materialise(repo, {rel: (contents[sha] if sha else None) for rel, sha in blobs.items()})
        except OSError as exc:
            raise Unfinished(
                f"the last change ({entry.get('subject', entry.get('new', '')[:10])}) is committed, but its files "
                f"could not be written: {exc.filename or ''} {exc.strerror or exc} / 上次修改已提交，但文件未能写完",
                hint="fix the cause (a read-only folder, a full disk, a file open in another program) "
                "and run any gridctl command: it finishes the files",
            ) from None
        done = "finished"
    for folder in {(repo.root / rel).parent for rel in blobs}:
        for leftover in folder.glob(f"{TEMP_PREFIX}*.tmp") if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)  # a half-written temp file from the killed write
    journal.unlink(missing_ok=True)
    return done


def settle(root: Path, wait: float | None = None) -> str | None:
    """Before any command reads the ledger: finish or drop an interrupted write (under the lock)."""
    try:
        repo = Repo(root)
    except GridctlError:
        return None  # not a git ledger: there is no write to finish
    if not journal_path(repo).is_file():
        return None
    with ledger_lock(repo.git_dir, "gridctl: finish an interrupted write", wait):
        return recover(repo)


def head_mark(git_dir: Path) -> tuple[bytes, ...]:
    """A cheap fingerprint of HEAD (its file, its branch's loose ref, packed-refs' size and time)."""
    out: list[bytes] = []
    head = git_dir / "HEAD"
    try:
        text = head.read_bytes()
    except OSError:
        return ()
    out.append(text)
    if text.startswith(b"ref: "):
        ref = git_dir / text[5:].strip().decode("utf-8", "replace")
        with contextlib.suppress(OSError):
            out.append(ref.read_bytes())
    with contextlib.suppress(OSError):
        info = (git_dir / "packed-refs").stat()
        out.append(f"{info.st_size}:{info.st_mtime_ns}".encode())
    return tuple(out)


def consistent_read(root: Path, read: Callable[[], T], wait: float | None = None, tries: int = 5) -> T:
    """`read()` of a whole working tree: never of one that a writer is half-way through."""
    try:
        repo = Repo(root)
    except GridctlError:
        return read()
    journal = journal_path(repo)
    for _ in range(tries):
        if journal.is_file():
            settle(root, wait)
        before = head_mark(repo.git_dir)
        result = read()
        if not journal.is_file() and head_mark(repo.git_dir) == before:
            return result
    raise GridctlError(
        "the ledger kept changing while it was read (other gridctl commands are writing) / 读取期间台账不断变化",
        hint="run the command again when the other writes are done",
    )


def _materialise(repo: Repo, files: Mapping[str, bytes | None]) -> None:
    for rel, data in files.items():
        if data is None:
            _remove(repo.root, rel)
        else:
            atomic_write(repo.root / rel, data)
        crash_point("file")
    crash_point("files")
    repo.reset_index(list(files))
    crash_point("index")


def blob_id(data: bytes) -> str:
    """The id git gives a blob (the SHA-1 of its header and content), for the journal."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def check_writable(root: Path, changes: Mapping[str, bytes | None]) -> None:
    """Refuse a change whose files could not be written, before it is committed (step 1)."""
    folders: set[Path] = set()
    for rel in changes:
        folder = (root / rel).parent
        while not folder.exists() and folder != root:
            folder = folder.parent
        folders.add(folder)
        path = root / rel
        if path.exists() and not path.is_file():
            raise GridctlError(f"cannot write {rel}: a folder or other non-file is in the way / 路径被占用")
    for folder in sorted(folders):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise GridctlError(
                f"cannot write in {folder}: permission denied; nothing was committed / 文件夹只读，未提交",
                hint="make the folder writable (its properties, or chmod u+w) and run the command again",
            )
    need = sum(len(data) for data in changes.values() if data is not None) * 2 + 1024 * 1024
    free = shutil.disk_usage(root).free
    if free < need:
        raise GridctlError(
            f"not enough room on the disk: {free // 1024} KB free, {need // 1024} KB needed; nothing was "
            f"committed / 磁盘空间不足，未提交",
            hint="free some room on the disk and run the command again",
        )


def apply(
    repo: Repo, changes: Mapping[str, bytes | None], message: Message, author: Author, head: str | None
) -> str:
    """Steps 1–6: commit `changes` on top of `head` and bring the working tree along. Hold the lock.

    `head` is the commit the change was planned against; if the branch moved since (a plain
    `git commit` while gridctl held its lock), the compare-and-swap refuses and nothing is written.
    """
    check_writable(repo.root, changes)
    text = message.text()
    new = repo.commit(
        head,
        changes,
        text,
        repo.ident("AUTHOR", author.name, author.email),
        repo.ident("COMMITTER", author.name, author.email),
    )
    blobs = {p: (blob_id(data) if data is not None else None) for p, data in changes.items()}
    journal = journal_path(repo)
    entry = {"old": head, "new": new, "subject": message.subject, "blobs": blobs}
    atomic_write(journal, json.dumps(entry, ensure_ascii=False).encode("utf-8"), 0o600)
    crash_point("journal")
    try:
        repo.move_head(new, head, f"gridctl: {message.subject}")
    except BaseException:
        journal.unlink(missing_ok=True)
        raise
    crash_point("head")
    try:
        _materialise(repo, changes)
    except (OSError, GitFailed) as exc:
        detail = f"{getattr(exc, 'filename', '') or ''} {getattr(exc, 'strerror', '') or exc}".strip()
        raise Unfinished(
            f"committed {new[:10]} ({message.subject}), but its files could not all be written: {detail} "
            f"/ 已提交，但文件未能全部写入",
            hint="fix the cause (a read-only folder, a full disk, a file open in another program) and run any "
            "gridctl command: it finishes the files from the commit",
        ) from None
    journal.unlink(missing_ok=True)
    return new


def refuse_dirty(repo: Repo, paths: list[str]) -> None:
    dirty = repo.dirty(paths)
    if dirty:
        raise DirtyFiles(
            "these files have changes git has not recorded / 以下文件有未提交的修改: " + ", ".join(dirty),
            hint="commit them first (git add FILE; git commit), or undo them (git checkout -- FILE)",
        )
