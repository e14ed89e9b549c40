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
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from gridctl.errors import COMMIT_OR_UNDO, GridctlError, uncommitted
from gridctl.i18n import Text
from gridctl.ledger.crash import crash_point
from gridctl.ledger.gitrepo import GitFailed, Repo, run_git
from gridctl.ledger.journal import (
    JOURNAL,
    TEMP_PREFIX,
    Recovery,
    Unfinished,
    journal_path,
    materialise,
    recover,
    take_index_lock,
    write_journal,
)
from gridctl.ledger.lock import ledger_lock
from gridctl.ledger.mergeguard import NOTE as MERGE_NOTE
from gridctl.ledger.message import Author, Message

T = TypeVar("T")

__all__ = ["JOURNAL", "Author", "DirtyFiles", "Message", "Repo", "Unfinished", "apply", "recover", "settle"]


class DirtyFiles(GridctlError):
    """A file the command must touch has edits git has not recorded."""


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


def settle(root: Path, wait: float | None = None) -> Recovery | None:
    """Before any command reads the ledger: finish or drop an interrupted write (under the lock)."""
    try:
        repo = Repo(root)
    except GridctlError:
        return None  # not a git ledger: there is no write to finish
    if not journal_path(repo).is_file() and not (repo.git_dir / MERGE_NOTE).is_file():
        return None
    with ledger_lock(repo.git_dir, "gridctl: finish an interrupted write", wait):
        return recover(repo, wait)


def common_dir(git_dir: Path) -> Path:
    """Where a repository keeps its branches: the git dir itself, or for a `git worktree` the main one."""
    pointer = git_dir / "commondir"
    try:
        text = pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return git_dir
    target = Path(text)
    return target if target.is_absolute() else (git_dir / target).resolve()


def head_mark(git_dir: Path) -> tuple[bytes, ...]:
    """A cheap fingerprint of HEAD (its file, its branch's loose ref, packed-refs' size and time)."""
    out: list[bytes] = []
    head = git_dir / "HEAD"
    try:
        text = head.read_bytes()
    except OSError:
        return ()
    out.append(text)
    refs = common_dir(git_dir)
    if text.startswith(b"ref: "):
        ref = refs / text[5:].strip().decode("utf-8", "replace")
        with contextlib.suppress(OSError):
            out.append(ref.read_bytes())
    with contextlib.suppress(OSError):
        info = (refs / "packed-refs").stat()
        out.append(f"{info.st_size}:{info.st_mtime_ns}".encode())
    with contextlib.suppress(OSError):  # a shallow clone deepened: the same HEAD, more history behind it
        out.append(b"shallow:" + (refs / "shallow").read_bytes())
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
        Text(
            "读取期间台账不断变化 (其他 gridctl 命令正在写入)",
            "the ledger kept changing while it was read (other gridctl commands are writing)",
        ),
        hint=Text("等其他写入完成后再运行一次", "run the command again when the other writes are done"),
    )


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
        if not folder.is_dir():
            where = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)
            raise GridctlError(
                Text(
                    f"无法写入 {rel}: {where} 应是文件夹，却是一个文件；未提交",
                    f"cannot write {rel}: {where} is a file where a folder should be; nothing was committed",
                ),
                hint=Text(
                    f"移走或改名文件 {where} (解压或复制出错？)，然后再运行一次",
                    f"move or rename the file {where} (an unzip or copy gone wrong?) and run the command again",
                ),
            )
        folders.add(folder)
        path = root / rel
        if path.exists() and not path.is_file():
            raise GridctlError(
                Text(
                    f"无法写入 {rel}: 该位置已有文件夹或其他非文件",
                    f"cannot write {rel}: a folder or other non-file is in the way",
                )
            )
    for folder in sorted(folders):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise GridctlError(
                Text(
                    f"无法在 {folder} 中写入: 没有权限 (文件夹只读)；未提交",
                    f"cannot write in {folder}: permission denied; nothing was committed",
                ),
                hint=Text(
                    "让该文件夹可写 (文件夹属性，或 chmod u+w)，然后再运行一次",
                    "make the folder writable (its properties, or chmod u+w) and run the command again",
                ),
            )
    need = sum(len(data) for data in changes.values() if data is not None) * 2 + 1024 * 1024
    free = shutil.disk_usage(root).free
    if free < need:
        raise GridctlError(
            Text(
                f"磁盘空间不足: 剩余 {free // 1024} KB，需要 {need // 1024} KB；未提交",
                f"not enough room on the disk: {free // 1024} KB free, {need // 1024} KB needed; nothing was committed",
            ),
            hint=Text("腾出一些磁盘空间后再运行一次", "free some room on the disk and run the command again"),
        )


def apply(
    repo: Repo,
    changes: Mapping[str, bytes | None],
    message: Message,
    author: Author,
    head: str | None,
    olds: Mapping[str, str | None] | None = None,
) -> str:
    """Commit `changes` on top of `head` and bring the working tree and index along. Hold the lock.

    `head` is the commit the change was planned against; if the branch moved since (a plain
    `git commit` while gridctl held its lock), the compare-and-swap refuses and nothing is written.
    git's index lock is held from before HEAD moves until the index matches the new commit, so no
    plain git command can commit the old index on top of the change (and so revert it). `olds`, the
    changed paths' blobs in `head` when the caller has listed it, spares asking git for them.
    """
    check_writable(repo.root, changes)
    text = message.text()
    new = repo.commit(
        head,
        changes,
        text,
        *repo.idents(author.name, author.email),
    )
    return _land(repo, new, head, changes, message.subject, f"gridctl: {message.subject}", olds)


def step_back(repo: Repo, to: str, head: str, subject: str) -> None:
    """HEAD from `head` back to the earlier commit `to`, and the files with it, as safely as a write
    (journal, compare-and-swap): a commit made for a next step that then failed is taken back, so the
    whole is nothing (sync's renumbering, when the merge it was made for is refused). Hold the lock.

    The reflog says `gridctl undo: …`, not `gridctl: …`: an unreadable journal is finished from the
    last gridctl commit's own changes (journal._from_git), which a move back is not."""
    listing = run_git(repo.root, "diff", "--name-only", "--no-renames", "-z", head, to).decode("utf-8", "replace")
    blobs = repo.blobs_at(to, [rel for rel in listing.split("\0") if rel])
    contents = repo.read_blobs([sha for sha in blobs.values() if sha])
    changes = {rel: (contents[sha] if sha else None) for rel, sha in blobs.items()}
    check_writable(repo.root, changes)
    _land(repo, to, head, changes, subject, f"gridctl undo: {subject}")


def _land(
    repo: Repo,
    new: str,
    head: str | None,
    changes: Mapping[str, bytes | None],
    subject: str,
    reflog: str,
    olds: Mapping[str, str | None] | None = None,
) -> str:
    """Steps 3–6: the journal, HEAD to `new` by compare-and-swap, `changes` (its files) written."""
    blobs = {p: (blob_id(data) if data is not None else None) for p, data in changes.items()}
    if olds is None:
        olds = repo.blobs_at(head, list(changes)) if head else {p: None for p in changes}
    # The journal names the index lock before the lock exists: a write killed between taking git's
    # lock and writing its journal left an index.lock nothing would ever remove, and every later
    # write said "git left a lock file". The token inside the lock tells the next command it is ours.
    token = secrets.token_hex(16)
    write_journal(
        repo,
        {"old": head, "new": new, "subject": subject, "blobs": blobs, "olds": olds, "index_lock": token},
    )
    crash_point("journal")
    try:
        lock = take_index_lock(repo, token)
    except BaseException:
        journal_path(repo).unlink(missing_ok=True)
        raise
    index = repo.git_dir / "gridctl-index.tmp"
    try:
        crash_point("gitlock")
        repo.prepare_index(index, blobs)
        try:
            repo.move_head(new, head, reflog)
        except BaseException:
            journal_path(repo).unlink(missing_ok=True)
            raise
    except BaseException:
        index.unlink(missing_ok=True)
        lock.unlink(missing_ok=True)
        raise
    try:
        crash_point("head")
        kept = materialise(repo.root, changes, olds)
        os.replace(index, repo.git_dir / "index")
        lock.unlink(missing_ok=True)
        crash_point("index")
    except (OSError, GitFailed) as exc:
        detail = f"{getattr(exc, 'filename', '') or ''} {getattr(exc, 'strerror', '') or exc}".strip()
        raise Unfinished(
            Text(
                f"已提交 {new[:10]} ({subject})，但文件未能全部写入: {detail}",
                f"committed {new[:10]} ({subject}), but its files could not all be written: {detail}",
            ),
            hint=Text(
                "排除原因 (只读文件夹、磁盘已满、文件被其他程序打开) 后运行任意 gridctl 命令，它会按提交补完文件",
                "fix the cause (a read-only folder, a full disk, a file open in another program) and run any "
                "gridctl command: it finishes the files from the commit",
            ),
        ) from None
    except KeyboardInterrupt:
        raise Interrupted(new, subject) from None
    journal_path(repo).unlink(missing_ok=True)
    if kept:
        raise KeptEdits(new, subject, kept)
    return new


class Interrupted(GridctlError):
    """Ctrl-C after the commit landed: the change is in, its files are finished by the next command."""

    exit_code = 130

    def __init__(self, commit: str, subject: str) -> None:
        super().__init__(
            Text(
                f"已提交 {commit[:10]}: {subject}；写文件时被中断，下一个 gridctl 命令会补完",
                f"committed {commit[:10]}: {subject} — interrupted while writing its files; the next gridctl command "
                "finishes them",
            ),
            hint=Text("不要再做一次这个修改: 它已在台账中", "do not make the change again: it is in the ledger"),
        )


def _line_endings_only(repo: Repo, rel: str) -> bool:
    """Whether a file git reports as changed holds HEAD's text with other line ends or a BOM alone:
    under core.autocrlf, a file of CRLF and LF lines mixed (an editor that kept some) shows as
    modified with an empty `git diff`, and every write touching it was refused with nothing for the
    clerk to see. Nothing of it is lost when gridctl writes the file (a commit is LF, BOM-less); a
    staged change (the index not HEAD's) is never one."""
    from gridctl.ledger.yamlfile import edit_text

    try:
        head = run_git(repo.root, "rev-parse", "--verify", "--quiet", f"HEAD:{rel}").strip()
        staged = run_git(repo.root, "rev-parse", "--verify", "--quiet", f":0:{rel}").strip()
        if not head or head != staged:
            return False
        committed = run_git(repo.root, "cat-file", "blob", head.decode("ascii"))
        working = (repo.root / rel).read_bytes()
        return edit_text(working) == edit_text(committed) and working != committed
    except (GitFailed, OSError, UnicodeDecodeError, ValueError):
        return False


class KeptEdits(GridctlError):
    """The commit landed, but a file was edited by hand while the write ran: the edit was kept."""

    exit_code = 1

    def __init__(self, commit: str, subject: str, kept: list[str]) -> None:
        files = ", ".join(kept)
        super().__init__(
            Text(
                f"已提交 {commit[:10]}: {subject}；但写入期间 {files} 被手工修改，已保留手工版本 (git 显示为已修改)",
                f"committed {commit[:10]}: {subject}; but {files} changed by hand while gridctl was writing: your "
                "version "
                "was kept and git shows it as changed",
            ),
            hint=Text(
                "用 git diff 比较，然后提交或撤销手工修改",
                "compare with git diff, then commit or undo the hand edit",
            ),
        )
        self.commit = commit


def refuse_dirty(repo: Repo, paths: list[str]) -> None:
    dirty = [rel for rel in repo.dirty(paths) if not _line_endings_only(repo, rel)]
    if dirty:
        listed = ", ".join(dirty)
        raise DirtyFiles(uncommitted(listed), hint=COMMIT_OR_UNDO)
