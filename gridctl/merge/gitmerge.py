"""gridctl's own merges (sync, review --approve, resolve): git merges, the record driver decides, and
the merged ledger is validated before the merge commit, like every other write (design.md §3).

A merge that would add errors is undone (`git merge --abort`) and nothing moves. A merge with
conflicts stops with the files unmerged and the conflicts recorded; `gridctl resolve` settles them
and makes the merge commit once none is left.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.errors import COMMIT_OR_UNDO, GridctlError, uncommitted
from gridctl.i18n import Text
from gridctl.ledger.crash import crash_point
from gridctl.ledger.gitrepo import GitFailed, Repo, run_git
from gridctl.ledger.lock import ledger_lock
from gridctl.ledger.mergeguard import run_merge, until_committed
from gridctl.ledger.message import Author, Message
from gridctl.ledger.vault import RECIPIENTS
from gridctl.merge import conflicts as store
from gridctl.merge.moved import settle as settle_moved
from gridctl.merge.printed import settle_prints
from gridctl.merge.setup import configure
from gridctl.ops.write import WriteRejected
from gridctl.problem import Problem
from gridctl.validate import validate
from gridctl.validation import Validation

NO_FOLDER_RENAMES = ("-c", "merge.directoryRenames=false")
"""git's guess that a folder was renamed, off: a grid's records all moved to another is no rename of
its folder, and a record added to it meanwhile stays there (to be told it is in a retired grid)."""


@dataclass
class MergeResult:
    commit: str | None = None
    """The merge commit (or the commit HEAD fast-forwarded to); None when nothing was to merge."""
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Files git itself could not merge (deleted on one side, changed on the other) without record conflicts."""
    fast_forward: bool = False
    renumbered: list[Any] = field(default_factory=list)
    """This side's records that `rev` had added under the same ids: their new ids (gridctl.merge.collide)."""


def author_env(author: Author) -> dict[str, str]:
    """git's environment for a commit by `author` (author and committer alike)."""
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_COMMITTER_NAME": author.name,
        "GIT_COMMITTER_EMAIL": author.email,
        "GIT_MERGE_AUTOEDIT": "no",
    }


def _git(root: Path, author: Author, *args: str, input: bytes | None = None) -> tuple[int, str]:
    import subprocess

    from gridctl.ledger.tools import git_exe

    proc = subprocess.run(
        [git_exe(), *args], cwd=root, env=author_env(author), input=input, capture_output=True, check=False
    )
    return proc.returncode, (proc.stderr + proc.stdout).decode("utf-8", "replace").strip()


def is_ancestor(root: Path, a: str, b: str) -> bool:
    try:
        run_git(root, "merge-base", "--is-ancestor", a, b)
        return True
    except GitFailed:
        return False


def merge_into_head(
    root: Path, rev: str, message: Message, author: Author, wait: float | None = None, no_ff: bool = False
) -> MergeResult:
    """Merge `rev` into the checked-out branch: fast-forward, a validated merge commit, or conflicts.

    `no_ff`: always a merge commit (an approval records who reviewed, even when main had not moved).
    Records both sides added under one id are two records: this side's get new ids first.
    """
    from gridctl.merge.collide import renumber_mine, take_back

    repo = Repo(root)
    configure(root)
    target = repo.git("rev-parse", "--verify", f"{rev}^{{commit}}")
    command = message.command or message.subject
    renumbered = renumber_mine(root, target, author, command, wait)
    try:
        done = _merge_locked(root, repo, rev, message, author, wait, no_ff)
    except BaseException as exc:
        # the new ids were for this merge: refused (or failed), they are taken back, and the branch is
        # as before the sync; only if that cannot be are they kept, and said to be
        if renumbered.found and not take_back(root, renumbered, command, wait) and isinstance(exc, WriteRejected):
            exc.renumbered = renumbered.found  # type: ignore[attr-defined]
        raise
    done.renumbered = renumbered.found
    return done


def _merge_locked(
    root: Path, repo: Repo, rev: str, message: Message, author: Author, wait: float | None, no_ff: bool
) -> MergeResult:
    from gridctl.ledger.transaction import recover

    with ledger_lock(repo.git_dir, message.command or message.subject, wait):
        recover(repo)
        head = repo.check_writable_state()
        target = repo.git("rev-parse", "--verify", f"{rev}^{{commit}}")
        if head is not None and is_ancestor(root, target, head):
            return MergeResult()
        refuse_dirty(repo)
        if head is None or (not no_ff and is_ancestor(root, head, target)):
            _refuse_new_errors(root, head, target)
            code, said = run_merge(repo, head, target, ["merge", "--ff-only", "-q", target], author_env(author), wait)
            if code != 0:
                raise GitFailed(Text(f"git merge 失败: {said}", f"git merge failed: {said}"))
            return MergeResult(target, fast_forward=True)
        store.forget(root)
        before = validate(root)
        # -m: git's MERGE_MSG holds gridctl's message from the start, for finish(): a kill while the merged
        # ledger was validated left git's "Merge commit '…'", and the sync that finished an approval
        # committed it without its subject and Reviewed-by
        # no guess of a folder renamed: a grid merged away (every record moved) took along a household
        # the other side had added to it, into the other grid's folder, as "deleted on one side"
        merge = [*NO_FOLDER_RENAMES, "merge", "--no-ff", "--no-commit", "-q", "-m", message.text(), target]
        # a kill: undone by the next command; a Ctrl-C: undone once git has finished (MergeInterrupted),
        # and so until the merge is committed
        code, said = run_merge(repo, head, target, merge, author_env(author), wait, held=True)
        with until_committed(repo, head, wait):
            if not (repo.git_dir / "MERGE_HEAD").exists():
                raise GitFailed(Text(f"git merge 失败: {said}", f"git merge failed: {said}"))
            crash_point("merged")
            settle_prints(root)  # a ledger whose .gitattributes predates the line for the record of prints
            if RECIPIENTS in store.unmerged(root):
                _settle_recipients(root, author)
            settle_moved(root)  # a record moved to two grids: its own conflict, not git's renamed files
            if store.unmerged(root):
                (repo.git_dir / "MERGE_MSG").write_text(message.text(), encoding="utf-8")  # for finish()
                return _stopped(root)
            return _commit(root, repo, before, message.text(), author)


def drop_spent_merges(root: Path, upstream: str, command: str, wait: float | None = None) -> bool:
    """HEAD moved to `upstream` when all it has beyond it is merges holding nothing of their own (no
    commit that is not a merge, the same files): the office's clone after its own branch was
    approved on the shared main, its local merges of main superseded by the approval. Kept, the
    next sync sent them for review: a branch that changes nothing, waiting for the chief."""
    from gridctl.merge.conflicts import rev_of

    head, tip = rev_of(root, "HEAD"), rev_of(root, upstream)
    if head is None or tip is None or is_ancestor(root, head, tip):
        return False
    if run_git(root, "rev-list", "--no-merges", "-n", "1", head, f"^{tip}").strip():
        return False
    if rev_of(root, f"{head}^{{tree}}") != rev_of(root, f"{tip}^{{tree}}"):
        return False
    repo = Repo(root)
    with ledger_lock(repo.git_dir, command, wait):
        if repo.head() != head:
            return False
        run_git(root, "reset", "-q", "--keep", tip)  # the same files: nothing in the working tree changes
    return True


def _refuse_new_errors(root: Path, head: str | None, target: str) -> None:
    """A fast-forward is a write too: the ledger it moves to may not add errors. A bundle of a clone's
    main branch with a hand-edited record (committed past the hooks) fast-forwarded the office's
    ledger into it with exit 0."""
    from gridctl.ledger.files import GitTree
    from gridctl.ops.write import new_errors

    if head is None:
        return  # a new clone takes the ledger as it is
    tree = GitTree(root, target)
    tree.next_work_tree = True  # read once: the next command's read of the working tree finds it kept
    after = validate(root, tree, errors_only=True)
    if not after.errors:
        return  # the usual case: one reading (kept for the next command), not two
    added = new_errors(validate(root, GitTree(root, head), errors_only=True).problems, after.problems)
    if added:
        after.problems = added
        raise WriteRejected(after)


def _settle_recipients(root: Path, author: Author) -> None:
    """keys add / keys remove on both sides: the recipients merged (gridctl.merge.recipients), or the merge undone."""
    from gridctl.merge.recipients import settle_recipients

    try:
        settle_recipients(root)
    except GridctlError:
        _git(root, author, "merge", "--abort")
        raise


def _stopped(root: Path) -> MergeResult:
    found = store.live(root)
    named = {e["file"] for e in found}
    return MergeResult(conflicts=found, files=sorted(store.unmerged(root) - named))


def _commit(
    root: Path, repo: Repo, before: Validation, message: str, author: Author, abort: bool = True
) -> MergeResult:
    """`abort`: a merged ledger that adds errors undoes the merge; else the merge stays under way (a
    `resolve` whose choice adds them puts that one conflict back: the clerk's other choices stay)."""
    from gridctl.merge.sealed import reseal_merged
    from gridctl.ops.write import new_errors

    reseal_merged(root)  # an encrypted ledger whose data key one side rotated: one key in the merged files
    after = validate(root)
    added = new_errors(before.problems, after.problems)
    if added:
        if abort:
            _git(root, author, "merge", "--abort")
        after.problems = added
        raise WriteRejected(after)  # the merge was undone (or stays under way): nothing committed
    code, said = _commit_unstopped(repo, author, message)
    if code != 0:
        raise GitFailed(Text(f"git commit 失败: {said}", f"git commit failed: {said}"))
    store.forget(root)
    return MergeResult(repo.head())


def _commit_unstopped(repo: Repo, author: Author, message: str) -> tuple[int, str]:
    """`git commit` of the merge as its `git merge` runs: in a process group of its own, holding the
    merge's lock. A sync killed with its window while git committed killed git between moving HEAD
    and releasing its index lock: the merged ledger committed, and an index.lock nothing removed,
    so every later write was refused. Now git finishes, and the next command waits for it."""
    from gridctl.ledger.mergeprocess import ctrl_c_held, merge_lock, start
    from gridctl.ledger.tools import git_exe

    args = [git_exe(), "commit", "--no-verify", "-q", "--cleanup=whitespace", "-m", message]
    with merge_lock(repo.git_dir) as lock, ctrl_c_held() as ctrl_c:
        proc = start(args, repo.root, author_env(author), lock)
        out, err = proc.communicate()
    if ctrl_c.pressed:
        raise KeyboardInterrupt  # once git has committed: the merged ledger, nothing sent
    return proc.returncode, (err + out).decode("utf-8", "replace").strip()


def finish(root: Path, author: Author, wait: float | None = None, abort: bool = True) -> MergeResult:
    """Make the merge commit once every conflict is settled, after validating the merged ledger."""
    repo = Repo(root)
    if not (repo.git_dir / "MERGE_HEAD").exists():
        raise GridctlError(Text("当前没有进行中的合并", "no merge is under way"))
    with ledger_lock(repo.git_dir, "gridctl: finish a merge", wait):
        return finish_locked(root, author, abort)


def finish_locked(root: Path, author: Author, abort: bool = True) -> MergeResult:
    """`finish` for a caller that holds the ledger's lock (resolve: its choice and the commit are one write)."""
    from gridctl.ledger.files import GitTree

    repo = Repo(root)
    settle_prints(root)  # a plain `git merge` that stopped on the record of prints
    settle_moved(root)  # or on a record moved to two grids
    if store.unmerged(root):
        return _stopped(root)
    before = validate(root, GitTree(root, repo.head() or "HEAD"))
    try:
        text = (repo.git_dir / "MERGE_MSG").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    text = "\n".join(lines).strip() + "\n" if any(ln.strip() for ln in lines) else Message("合并").text()
    return _commit(root, repo, before, text, author, abort)


def check_merge(root: Path) -> Validation:
    """The errors the merge git is about to commit would add (the pre-merge-commit hook)."""
    from gridctl.ledger.files import GitTree
    from gridctl.ops.write import new_errors

    head = Repo(root).head()
    after = validate(root)
    if head is None:
        return after
    before = validate(root, GitTree(root, head))
    after.problems = _collisions_named(root, head, new_errors(before.problems, after.problems))
    return after


def _collisions_named(root: Path, head: str, problems: list[Problem]) -> list[Problem]:
    """An id both sides added for two records, in files git saw as two (households/<grid>/ of two
    grids), reaches no merge driver: it is a GC201 at the merge commit, whose hint names what settles
    it here, `gridctl resolve ID --renumber mine`, not a new id typed by hand."""
    from dataclasses import replace

    from gridctl.merge.collide import find

    twice = {p.record for p in problems if p.code == "GC201"}
    other = store.other_head(root) if twice else None  # the hook runs before git writes MERGE_HEAD
    if other is None:
        return problems
    ids = {c.old for c in find(root, head, other)} & twice
    out = []
    for p in problems:
        if p.code == "GC201" and p.record in ids:
            fix = f"gridctl resolve {p.record} --renumber mine"
            p = replace(
                p,
                args={
                    **p.args,
                    "fix": f"both sides added a record as {p.record}, and git saw two files: {fix} (this side's "
                    "record gets the next free id; both are kept)",
                    "fix_zh": f"两边各自新增了编号为 {p.record} 的记录，git 视为两个文件而未报冲突: {fix} "
                    "(本方的记录换用下一个空闲编号，两条都保留)",
                },
            )
        out.append(p)
    return out


def refuse_dirty(repo: Repo) -> None:
    """A merge may not start over changes git has not recorded (they would be mixed into it)."""
    out = repo.git("status", "--porcelain", "--untracked-files=no")
    if out:
        files = ", ".join(line[3:] for line in out.splitlines()[:10])
        raise GridctlError(uncommitted(files), hint=COMMIT_OR_UNDO)
