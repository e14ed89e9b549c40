"""审核: the chief sees what a worker's branch changes, and what the merged ledger would have wrong,
then approves (a merge with a `Reviewed-by:` trailer) or returns it with a reason.

Nothing here checks anything out to look: the branch is merged in memory (`git merge-tree`, which
runs the same record merge driver) and the result is validated straight from git objects.

With `review: required` and a shared remote, the main branch review moves is the shared one
(`origin/main`), not the office's: the office's clone, set up as a worker, holds its own unreviewed
work on its main, which goes through review like everyone's. An approval there is built on the
shared main in memory, pushed, and only then merged into the office's clone (as `sync` does).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.gitrepo import GitFailed, Repo, run_git
from gridctl.ledger.message import Author, Message
from gridctl.merge.conflicts import rev_of
from gridctl.merge.gitmerge import (
    NO_FOLDER_RENAMES,
    MergeResult,
    author_env,
    drop_spent_merges,
    is_ancestor,
    merge_into_head,
    refuse_dirty,
)
from gridctl.merge.setup import configure
from gridctl.merge.sync import (
    REJECTED_PREFIX,
    REVIEW_PREFIX,
    branch,
    fetch,
    has_remote,
    push_main,
    refs_under,
    shared_main,
)
from gridctl.validation import Validation


@dataclass
class Waiting:
    """A review branch with commits the main branch does not have."""

    ref: str
    name: str
    worker: str
    tip: str
    commits: int
    author: str
    date: str


@dataclass
class Approved:
    commit: str | None = None
    """The approval's merge commit on the main branch; None when nothing was approved."""
    merged: MergeResult = field(default_factory=MergeResult)
    """The office's clone brought up to date with the shared main after the approval (or, without a
    shared main, the merge itself); its conflicts, if any."""
    local_error: GridctlError | None = None
    """Why the office's clone was not brought up to date after a pushed approval (its next sync does it)."""


class Conflicted(GridctlError):
    """The branch and the main branch changed the same thing: the worker settles it with a sync first."""

    exit_code = 1


@dataclass
class Preview:
    waiting: Waiting
    changes: list = field(default_factory=list)  # type: ignore[type-arg]
    names: dict[str, str] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)
    """(path, added|removed|changed) of files holding no record: gridctl.yaml (review: required
    itself), the key's recipients, photos. Unlisted, the chief approved them unseen."""
    conflicts: bool = False
    problems: Validation | None = None
    prints: list[tuple[str, str]] = field(default_factory=list)
    """What the worker printed (board|cards|chart, grid), told as `gridctl log` tells it."""


def _rejected_tips(root: Path) -> set[str]:
    out = run_git(root, "for-each-ref", "--format=%(*objectname)", f"refs/tags/{REJECTED_PREFIX}")
    return set(out.decode().split())


def waiting(root: Path) -> list[Waiting]:
    """Review branches (fetched from any remote, or brought by a bundle) that wait for the chief:
    commits the main branch review moves does not have (the shared one, when there is one)."""
    main = shared_main(root) or branch(root)
    out = run_git(
        root,
        "for-each-ref",
        "--format=%(refname)%09%(objectname)%09%(authorname)%09%(authordate:iso-strict)",
        "refs/remotes/",
        f"refs/heads/{REVIEW_PREFIX}",
    ).decode("utf-8", "replace")
    from gridctl.history.revisions import ledger_clock

    clock = ledger_clock(root)  # the time on the ledger's clock, as history and log show it (not the worker's)
    rejected = _rejected_tips(root)
    found = []
    for line in out.splitlines():
        ref, tip, who, stamp = line.split("\t")
        date = f"{clock.moment_of(stamp):%Y-%m-%d %H:%M}" if stamp else ""
        short = ref.removeprefix("refs/remotes/").removeprefix("refs/heads/")
        name = short.split("/", 1)[1] if ref.startswith("refs/remotes/") else short
        if not name.startswith(REVIEW_PREFIX) or tip in rejected:
            continue
        count = int(run_git(root, "rev-list", "--count", f"{main}..{tip}").decode().strip() or 0)
        if count:
            found.append(Waiting(ref, short, name.removeprefix(REVIEW_PREFIX), tip, count, who, date))
    return found


def find(root: Path, given: str) -> Waiting:
    """A waiting branch by its name (review/S0002, origin/review/S0002) or its worker (S0002)."""
    all_ = waiting(root)
    hits = [w for w in all_ if given in (w.name, w.worker, w.ref, f"{REVIEW_PREFIX}{w.worker}")]
    if not hits and all_:
        staff = _staff_named(root, given)
        hits = [w for w in all_ if staff and w.worker == staff]
    if not hits:
        listed = ", ".join(w.name for w in all_)
        raise GridctlError(
            Text(
                f"没有待审核的分支 {given}；待审核: {listed or '无'}",
                f"no branch {given} waiting for review; waiting: {listed or 'none'}",
            )
        )
    return hits[0]


def _staff_named(root: Path, given: str) -> str | None:
    """The staff id a worker's name stands for (the one vocabulary), or None when it names none."""
    from gridctl.ledger.index import load
    from gridctl.ledger.names import UnknownName, resolve

    ledger, _ = load(root)
    if ledger is None:
        return None
    try:
        return resolve(ledger, given, ("staff",))
    except UnknownName:  # an ambiguous name says which staff members it names
        return None


def preview(root: Path, given: str) -> Preview:
    """The sentences of what the branch changes, and the problems the ledger would have after it."""
    from gridctl.history.semdiff import semantic_diff
    from gridctl.ledger.files import GitTree
    from gridctl.ops.write import new_errors
    from gridctl.validate import validate

    configure(root)
    w = find(root, given)
    onto = rev_of(root, shared_main(root) or "HEAD") or "HEAD"
    base = run_git(root, "merge-base", onto, w.tip).decode().strip()
    changes, names = semantic_diff(root, base, w.tip)
    prints = _prints(root, base, w.tip)
    found = Preview(w, changes, names, _other_files(root, base, w.tip, told=bool(prints)), prints=prints)
    try:
        tree = merge_tree(root, onto, w.tip)
    except GitFailed:  # the worker's sync settles the conflicts first; the merged ledger is checked then
        found.conflicts = True
        return found
    before = validate(root, GitTree(root, onto))
    after = validate(root, GitTree(root, tree))
    after.problems = new_errors(before.problems, after.problems)
    found.problems = after
    return found


def _prints(root: Path, base: str, tip: str) -> list[tuple[str, str]]:
    """What the print manifest gained from `base` to `tip` (gridctl.history.prints); none if nothing
    reads as a print."""
    from gridctl.history.prints import MANIFEST, printed

    def blob(rev: str) -> bytes | None:
        try:
            return run_git(root, "show", f"{rev}:{MANIFEST}")
        except GitFailed:  # not there at that revision
            return None

    new = blob(tip)
    return (printed(blob(base), new) or []) if new is not None else []


def _other_files(root: Path, base: str, tip: str, told: bool = False) -> list[tuple[str, str]]:
    """The files holding no record that `tip` changes since `base`, as `gridctl log` names them
    (`told`: the print manifest is told as the prints it records)."""
    from gridctl.history.describing import is_record
    from gridctl.history.prints import MANIFEST

    out = run_git(root, "-c", "core.quotepath=off", "diff", "--name-status", "-z", "--no-renames", base, tip)
    tokens = out.decode("utf-8", "replace").split("\0")
    said = {"A": "added", "D": "removed"}
    pairs = zip(tokens[0::2], tokens[1::2], strict=False)
    return [
        (path, said.get(st, "changed"))
        for st, path in pairs
        if path and not is_record(path) and not path.endswith(".gitkeep") and not (told and path == MANIFEST)
    ]


def approve(
    root: Path, given: str, author: Author, command: str, reason: str | None, remote: str = "origin"
) -> Approved:
    """Merge the branch into main with a Reviewed-by trailer (validated), then share main."""
    online = has_remote(root, remote)
    main = branch(root)
    seen = refs_under(root, "refs/remotes/", f"refs/heads/{REVIEW_PREFIX}")  # as `review` showed them
    if online:
        fetch(root, remote)
        if shared_main(root, remote):
            return _approve_shared(root, given, author, command, reason, remote, seen)
        upstream = f"refs/remotes/{remote}/{main}"
        up = merge_into_head(root, upstream, Message(f"同步：合并 {remote}/{main}", None, command), author)
        if up.conflicts or up.files:
            return Approved(merged=up)
    w = _as_seen(root, given, seen)
    done: MergeResult = merge_into_head(root, w.tip, _message(w, author, command, reason), author, no_ff=True)
    if done.commit and online:
        run_git(root, "push", "-q", remote, f"HEAD:refs/heads/{main}")
        _drop_branch(root, w, remote)
    return Approved(done.commit, done)


def _message(w: Waiting, author: Author, command: str, reason: str | None) -> Message:
    trailers = (("Reviewed-by", str(author)),)
    return Message(f"审核通过 {w.name}（{w.commits} 个提交）", reason, command, trailers)


def _drop_branch(root: Path, w: Waiting, remote: str) -> None:
    """The approved branch leaves the shared repository, unless the worker sent more since."""
    if w.ref.startswith(f"refs/remotes/{remote}/"):
        ref = f"refs/heads/{REVIEW_PREFIX}{w.worker}"
        with contextlib.suppress(GitFailed):  # the worker sent more since: the branch stays for review
            run_git(root, "push", "-q", f"--force-with-lease={ref}:{w.tip}", remote, f":{ref}")


def _as_seen(root: Path, given: str, seen: dict[str, str]) -> Waiting:
    """The branch to approve, as the chief last saw it: a worker's sync after the look moved it, and the
    fetch of the approval merged commits nobody had looked at."""
    w = find(root, given)
    if seen.get(w.ref, w.tip) != w.tip:
        raise GridctlError(
            Text(
                f"{w.name} 在查看之后又有了新的提交 (网格员又同步了)，未合并",
                f"{w.name} has new commits since it was looked at (the worker synced again): nothing merged",
            ),
            hint=Text(
                f"先看一遍: gridctl review {w.worker}，再 gridctl review {w.worker} --approve",
                f"look at it first: gridctl review {w.worker}, then gridctl review {w.worker} --approve",
            ),
        )
    return w


def _approve_shared(
    root: Path, given: str, author: Author, command: str, reason: str | None, remote: str, seen: dict[str, str]
) -> Approved:
    """The approval built on the shared main (never on the office's HEAD, which may hold the office's
    own unreviewed work), validated, pushed; then the office's clone merges it as `sync` does."""
    from gridctl.ledger.files import GitTree
    from gridctl.ops.write import WriteRejected, new_errors
    from gridctl.validate import validate

    repo = Repo(root)
    repo.check_writable_state()  # the office's clone takes the approval after it: refused before anything moves
    refuse_dirty(repo)
    configure(root)
    main = branch(root)
    upstream = f"refs/remotes/{remote}/{main}"
    onto = rev_of(root, upstream) or upstream
    w = _as_seen(root, given, seen)
    tree = _merged_tree(root, onto, w)
    before = validate(root, GitTree(root, onto))
    after = validate(root, GitTree(root, tree))
    added = new_errors(before.problems, after.problems)
    if added:
        after.problems = added
        raise WriteRejected(after)
    text = _message(w, author, command, reason).text().encode("utf-8")
    args = ("commit-tree", tree, "-p", onto, "-p", w.tip, "-F", "-")
    commit = run_git(root, *args, input=text, env=author_env(author)).decode().strip()
    push_main(root, remote, commit, main, Text("审核", "approving"), "gridctl review --approve")
    run_git(root, "update-ref", upstream, commit)
    _drop_branch(root, w, remote)
    try:
        merged = merge_into_head(root, upstream, Message(f"同步：合并 {remote}/{main}", None, command), author)
    except GridctlError as exc:  # approved and shared all the same: the office's next sync merges it
        return Approved(commit, local_error=exc)
    if not (merged.conflicts or merged.files) and drop_spent_merges(root, upstream, command):
        merged = MergeResult(commit, fast_forward=True)
    return Approved(commit, merged)


def _merged_tree(root: Path, onto: str, w: Waiting) -> str:
    """The tree of `w` merged into `onto` (git merge-tree, the record driver); a conflict is refused.

    An encrypted ledger whose recipients differ on the two sides needs its values sealed again with
    the merged key (gitmerge's reseal, on files): the worker's sync does that first."""
    from gridctl.ledger.vault import RECIPIENTS

    if is_ancestor(root, onto, w.tip):
        return rev_of(root, f"{w.tip}^{{tree}}") or ""
    said = Text(
        f"{w.name} 与主分支有冲突 (或密钥已更换)，未合并: 请提交人先 gridctl sync 处理",
        f"{w.name} conflicts with the main branch (or the key changed): nothing merged; "
        "the worker should run gridctl sync first",
    )
    if rev_of(root, f"{onto}:{RECIPIENTS}") != rev_of(root, f"{w.tip}:{RECIPIENTS}"):
        raise Conflicted(said)
    try:
        return merge_tree(root, onto, w.tip)
    except GitFailed:
        raise Conflicted(said) from None


def merge_tree(root: Path, onto: str, tip: str) -> str:
    """`tip` merged into `onto` in memory (the record driver runs, nothing is recorded for resolve):
    the tree; a conflict is a GitFailed."""
    from gridctl.merge.driver import IN_MEMORY

    out = run_git(root, *NO_FOLDER_RENAMES, "merge-tree", "--write-tree", onto, tip, env={IN_MEMORY: "1"})
    return out.decode().split()[0]


def reject(root: Path, given: str, reason: str, author: Author, remote: str = "origin") -> str:
    """Return the branch with a reason: a tag the worker's next sync shows."""
    import os
    import subprocess

    from gridctl.ledger.message import clean_reason
    from gridctl.ledger.tools import git_exe

    if not clean_reason(reason):
        raise GridctlError(Text("退回须写明原因: -m 原因", "a rejection needs its reason: -m REASON"))
    w = find(root, given)
    tag = f"{REJECTED_PREFIX}{w.worker}/{w.tip[:10]}"
    env = {**os.environ, "GIT_COMMITTER_NAME": author.name, "GIT_COMMITTER_EMAIL": author.email}
    proc = subprocess.run(
        [git_exe(), "tag", "-a", "-F", "-", tag, w.tip],
        cwd=root,
        env=env,
        input=clean_reason(reason).encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        said = proc.stderr.decode("utf-8", "replace").strip()
        raise GitFailed(Text(f"git tag 失败: {said}", f"git tag failed: {said}"))
    if has_remote(root, remote):
        try:
            run_git(root, "push", "-q", remote, f"refs/tags/{tag}")
        except GitFailed as exc:  # kept here only, the next sync's fetch (--prune) deleted it without a word
            run_git(root, "tag", "-d", tag)
            raise GitFailed(
                Text(f"退回未送出，未记录: {exc.message}", f"the return was not sent, nor recorded: {exc.message}"),
                hint=Text(
                    "共享仓库连不上时先不退回；连上后再运行一次 gridctl review … --reject",
                    "when the shared repository can be reached, run gridctl review … --reject again",
                ),
            ) from None
    return tag
