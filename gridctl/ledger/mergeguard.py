"""A `git merge` that was killed half-way is undone by the next command, not left for the clerk.

`sync` and `review --approve` run `git merge`; a window closed while git wrote the working tree
left `.git/index.lock`, some files merged and some not, and no MERGE_HEAD: every later command
said to delete the lock, after which the half-written files read as the clerk's own edits and
blocked every write. A note (.git/gridctl-merging.json) is written before git starts and removed
when it returns, or for a merge gridctl commits itself, once it is committed (`until_committed`).
Found by the next command, it means gridctl never took over what git did (git was killed
half-way, or finished after gridctl was killed, or gridctl was killed before the commit): the
files the merge touches are put back as HEAD has them, unless one holds something that is neither
HEAD's, the other side's nor the merge's content (a hand edit since), which is kept and named.
The merge itself is simply made again by the next `sync`. A Ctrl-C does the same at once, once git
has finished (gridctl.ledger.mergeprocess).

git holds a lock of the merge's, and the note names its process: a git that outlived its gridctl
is waited for: nothing is undone under a git still writing.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.gitrepo import GitFailed, Repo
from gridctl.ledger.mergeprocess import ctrl_c_held, merge_lock, start, wait_for_merge
from gridctl.ledger.safepath import UnsafeName, check_ledger_path

NOTE = "gridctl-merging.json"
STILL_RUNNING = 600
"""Seconds after which a merge's git is taken as gone whatever its process id says (a computer
restarted since may have given the id to another program)."""


@dataclass
class MergeUndone:
    """What the next command did about a merge git did not finish."""

    target: str
    kept: list[str] = field(default_factory=list)


def run_merge(
    repo: Repo,
    head: str | None,
    target: str,
    args: list[str],
    env: dict[str, str],
    wait: float | None = None,
    held: bool = False,
) -> tuple[int, str]:
    """`git *args` (a merge of `target` into `head`), with the note the next command reads if it is
    killed; (exit code, what git said). A Ctrl-C lets git finish, undoes its merge and raises
    MergeInterrupted (gridctl.ledger.mergeprocess). `held`: the note outlives git, for a merge
    gridctl commits itself (`until_committed`)."""
    from gridctl.ledger.crash import crash_point
    from gridctl.ledger.tools import git_exe
    from gridctl.ledger.transaction import atomic_write

    note = repo.git_dir / NOTE
    said = {"head": head, "target": target}
    # no housekeeping of git's own after the merge: a `git gc` it left running in the background
    # would hold the merge's lock long after the merge
    command = [git_exe(), "-c", "maintenance.auto=false", "-c", "gc.auto=0", *args]
    with merge_lock(repo.git_dir, wait) as lock:
        atomic_write(note, json.dumps(said).encode("utf-8"), 0o600)
        with ctrl_c_held() as ctrl_c:
            try:
                proc = start(command, repo.root, env, lock)
            except OSError:
                note.unlink(missing_ok=True)  # git never started: nothing to undo
                raise
            crash_point("started")
            with contextlib.suppress(OSError):  # without it, a gridctl killed alone waits on the lock alone
                atomic_write(note, json.dumps({**said, "pid": proc.pid}).encode("utf-8"), 0o600)
        try:
            if ctrl_c.pressed:
                raise KeyboardInterrupt
            out, err = proc.communicate()
        except KeyboardInterrupt:
            # git is in a group of its own, out of the Ctrl-C's reach: it finishes, and its merge is
            # undone below; a second Ctrl-C leaves it running, for the next command to wait for
            proc.communicate()
            stopped = True
        else:
            stopped = False
    if stopped:
        raise MergeInterrupted(undo(repo, wait), repo.head() != head)
    if held:
        with contextlib.suppress(OSError):  # git has ended: no process for the next command to wait on
            atomic_write(note, json.dumps(said).encode("utf-8"), 0o600)
    else:
        note.unlink(missing_ok=True)
    return proc.returncode, (err + out).decode("utf-8", "replace").strip()


@contextlib.contextmanager
def until_committed(repo: Repo, head: str, wait: float | None = None) -> Iterator[None]:
    """From git's return to the merge commit (the merged ledger validated): a Ctrl-C undoes the
    merge (MergeInterrupted); a kill leaves the note, and the next command undoes it. Before, the
    note went when git returned: a Ctrl-C there said only "Aborted." and left the merge staged, the
    next command saw nothing to put back, and writes were refused as if a conflict waited.
    Ended as gridctl means (committed, stopped on conflicts, refused and aborted): the note goes."""
    note = repo.git_dir / NOTE
    try:
        yield
    except KeyboardInterrupt:
        raise MergeInterrupted(undo(repo, wait), repo.head() != head) from None
    except GridctlError:
        note.unlink(missing_ok=True)
        raise
    note.unlink(missing_ok=True)


class MergeInterrupted(GridctlError):
    """Ctrl-C during a sync's (or an approval's) `git merge`: git was let finish, then its merge undone."""

    exit_code = 130

    def __init__(self, undone: MergeUndone | None, moved: bool) -> None:
        if moved:  # a fast-forward git had made: the ledger is the merged one, whole
            super().__init__(
                Text(
                    "合并被中断 (Ctrl-C)：git 已完成合并，台账是合并后的版本；本机的修改尚未发送",
                    "merge interrupted (Ctrl-C): git had finished it, the ledger is the merged one; nothing was sent",
                ),
                hint=Text("再运行 gridctl sync 发送", "run gridctl sync again to send your work"),
            )
            return
        files = ", ".join(undone.kept) if undone else ""
        kept = f"；以下文件在合并期间被手工修改，已保留手工版本: {files}" if files else ""
        kept_en = f"; kept your hand edits made meanwhile: {files}" if files else ""
        super().__init__(
            Text(
                f"合并被中断 (Ctrl-C)：已等 git 写完再撤销，台账与合并前相同{kept}",
                f"merge interrupted (Ctrl-C): gridctl let git finish and undid its merge; the ledger is as "
                f"before the merge{kept_en}",
            ),
            hint=Text("再运行 gridctl sync 即可重新合并", "run gridctl sync to merge again"),
        )


def interrupted(repo: Repo) -> bool:
    return (repo.git_dir / NOTE).is_file()


def undo(repo: Repo, wait: float | None = None) -> MergeUndone | None:
    """Put back what a `git merge` gridctl did not take over wrote (killed half-way, or finished
    after its gridctl was killed or interrupted); hold the ledger's lock. None when HEAD moved
    (a fast-forward git made: the merged ledger, whole)."""
    note = repo.git_dir / NOTE
    try:
        entry = json.loads(note.read_text(encoding="utf-8"))
        head, target = entry["head"], entry["target"]
        if not _is_sha(target) or not (head is None or isinstance(head, str)):
            raise TypeError
    except (OSError, ValueError, TypeError, KeyError):
        note.unlink(missing_ok=True)  # not one gridctl wrote: git's own state speaks for itself
        return None
    pid = entry.get("pid")
    with contextlib.suppress(OSError):
        if time.time() - note.stat().st_mtime >= STILL_RUNNING:
            pid = None  # its process id may be another program's now (the lock never is)
    wait_for_merge(repo.git_dir, pid, wait)
    lock = repo.git_dir / "index.lock"
    if repo.head() != head or head is None:
        if head is not None and _merge_made(repo, head, target):  # its commit, killed before it let go
            lock.unlink(missing_ok=True)  # of the index: the one git holding the merge's lock has ended
            for name in ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE"):
                (repo.git_dir / name).unlink(missing_ok=True)
        note.unlink(missing_ok=True)
        return None
    try:
        touched = _touched(repo, head, target)
    except GitFailed:  # a commit this clone does not have: no merge of it can have begun here
        note.unlink(missing_ok=True)
        return None
    lock.unlink(missing_ok=True)  # git's own, and git is no longer running
    for name in ("MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE"):
        (repo.git_dir / name).unlink(missing_ok=True)
    for leftover in repo.root.glob(".merge_file_*"):  # the three sides git gave the record driver
        with contextlib.suppress(OSError):
            leftover.unlink()
    kept = _put_back(repo, touched, lambda: _merged(repo, head, target))
    with contextlib.suppress(GitFailed):
        repo.reset_index([rel for rel in touched if rel not in kept])
    note.unlink(missing_ok=True)
    return MergeUndone(target=target, kept=kept)


def _merge_made(repo: Repo, head: str, target: str) -> bool:
    """HEAD is the merge of `target` into `head`: the commit was made, whatever it left behind."""
    try:
        return repo.git("rev-list", "--parents", "-n", "1", "HEAD").split()[1:] == [head, target]
    except GitFailed:
        return False


def _is_sha(value: object) -> bool:
    """A commit id as gridctl writes it (40 or 64 hex digits): never a name or an option for git."""
    return isinstance(value, str) and len(value) in (40, 64) and all(c in "0123456789abcdef" for c in value)


def _touched(repo: Repo, head: str, target: str) -> dict[str, tuple[str | None, str | None]]:
    """(HEAD's blob, the other side's blob) of every path the merge may write (renames as two paths)."""
    out = repo.git("diff-tree", "-r", "-z", "--no-renames", head, target)
    items = out.split("\0")
    touched: dict[str, tuple[str | None, str | None]] = {}
    for meta, rel in zip(items[0::2], items[1::2], strict=False):
        parts = meta.lstrip(":").split()
        if len(parts) < 5 or not rel:
            continue
        try:
            check_ledger_path(repo.root, rel)
        except UnsafeName:
            continue
        mine, theirs = (None if set(sha) == {"0"} else sha for sha in parts[2:4])
        touched[rel] = (mine, theirs)
    return touched


def _merged(repo: Repo, head: str, target: str) -> dict[str, str]:
    """The blob of each file as the merge makes it (git merge-tree, the record driver in memory)."""
    import subprocess

    from gridctl.ledger.tools import git_exe

    env = {**os.environ, "GRIDCTL_MERGE_IN_MEMORY": "1"}
    proc = subprocess.run(
        [git_exe(), "-c", "merge.directoryRenames=false", "merge-tree", "--write-tree", "--name-only", head, target],
        cwd=repo.root,
        env=env,
        capture_output=True,
        check=False,
    )
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    if proc.returncode not in (0, 1) or not lines:
        return {}
    try:
        listing = repo.git("ls-tree", "-r", "-z", lines[0].strip())
    except GitFailed:
        return {}
    merged: dict[str, str] = {}
    for item in listing.split("\0"):
        meta, _, rel = item.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            merged[rel] = parts[2]
    return merged


def _put_back(
    repo: Repo, touched: dict[str, tuple[str | None, str | None]], merge: Callable[[], dict[str, str]]
) -> list[str]:
    """Each touched file as HEAD has it, unless it holds what none of the merge's sides would write.
    `merge` is asked only for a file that is neither side's (merged from both, or a hand edit): it
    runs the record driver on every file both sides changed."""
    from gridctl.ledger.journal import _current_blobs, _remove
    from gridctl.ledger.transaction import atomic_write

    kept: list[str] = []
    back: dict[str, str | None] = {}
    merged: dict[str, str] | None = None
    for rel, (mine, theirs) in touched.items():
        current = _current_blobs(repo.root / rel)
        if mine in current:
            continue
        if theirs not in current:
            merged = merge() if merged is None else merged
            if merged.get(rel) not in current - {None} and not _begun(repo, rel, {theirs, merged.get(rel)}):
                kept.append(rel)  # neither side's, nor the merge's: edited by hand since
                continue
        back[rel] = mine
    contents = repo.read_blobs([sha for sha in back.values() if sha])
    for rel, mine in back.items():
        if mine is None:
            _remove(repo.root, rel)
        else:
            atomic_write(repo.root / rel, contents[mine])
    return kept


def _begun(repo: Repo, rel: str, blobs: set[str | None]) -> bool:
    """The file holds the beginning of what git was writing there when it was killed (git writes a
    file in place, not by renaming a whole one over it)."""
    try:
        data = (repo.root / rel).read_bytes()
    except FileNotFoundError:
        return True  # git removes the old file before it writes the new one
    except OSError:
        return False
    found = repo.read_blobs([sha for sha in blobs if sha])
    return any(whole.startswith(data) or whole.replace(b"\n", b"\r\n").startswith(data) for whole in found.values())
