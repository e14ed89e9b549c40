"""`gridctl sync` and `gridctl bundle`: a clone brought up to date with the shared remote, and its
work sent on for review — over a network (any git server, or a bare repository on a shared
folder) or through a file on a USB stick (a git bundle).

A worker's clone pushes its commits to `review/<worker>` (a branch per worker) when the ledger
says `review: required`, else straight to the main branch. The chief's decisions come back the
same way: an approval is the merge into main; a rejection is a tag `review/rejected/<worker>/…`
whose message is the reason, shown by the worker's next sync.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.detached import detached
from gridctl.ledger.gitrepo import GitFailed, Repo, run_git
from gridctl.ledger.ids import WORKER_KEY
from gridctl.ledger.message import Author, Message
from gridctl.merge.conflicts import rev_of
from gridctl.merge.gitmerge import MergeResult, drop_spent_merges, finish, is_ancestor, merge_into_head
from gridctl.merge.setup import configure

REVIEW_PREFIX = "review/"
REJECTED_PREFIX = "review/rejected/"
BUNDLE_REMOTE = "bundle"


@dataclass
class Rejection:
    branch: str
    commit: str
    reason: str
    by: str
    date: str


@dataclass
class Synced:
    merged: MergeResult = field(default_factory=MergeResult)
    pushed: str | None = None
    """The remote branch the clone's commits went to (main or review/<worker>)."""
    rejections: list[Rejection] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)
    """Review branches a bundle brought (the chief's side)."""


def git_config(root: Path, key: str) -> str:
    try:
        return run_git(root, "config", "--get", key).decode("utf-8", "replace").strip()
    except GitFailed:
        return ""


def worker(root: Path) -> str:
    return git_config(root, WORKER_KEY)


def branch(root: Path) -> str:
    try:
        return run_git(root, "symbolic-ref", "--short", "HEAD").decode().strip()
    except GitFailed:
        raise detached(root) from None


def review_required(root: Path) -> bool:
    from gridctl.ledger.config import load_settings
    from gridctl.ledger.files import WorkTree

    settings, _ = load_settings(WorkTree(root))
    return settings is not None and settings.review == "required"


def has_remote(root: Path, name: str) -> bool:
    return name in run_git(root, "remote").decode("utf-8", "replace").split()


def shared_main(root: Path, remote: str = "origin") -> str | None:
    """The shared main branch (`refs/remotes/<remote>/<main>`, as last fetched) in a ledger that
    requires review and has the remote; None where the office's own main is the truth (no review
    required, no remote, or nothing on it yet)."""
    if not has_remote(root, remote) or not review_required(root):
        return None
    ref = f"refs/remotes/{remote}/{branch(root)}"
    return ref if rev_of(root, ref) else None


def fetch(root: Path, source: str) -> None:
    """Every branch as refs/remotes/<name>/…, and the review tags (rejections)."""
    if not has_remote(root, source):
        _fetch_bundle(root, source)
        return
    run_git(
        root,
        "fetch",
        "-q",
        "--prune",
        source,
        f"+refs/heads/*:refs/remotes/{source}/*",
        f"+refs/tags/{REJECTED_PREFIX}*:refs/tags/{REJECTED_PREFIX}*",
    )


BUNDLE_INBOX = "refs/gridctl/bundle/"


def _fetch_bundle(root: Path, bundle: str) -> None:
    """The branches a bundle carries as refs/remotes/bundle/…, beside those other bundles brought.

    A bundle carries one worker's branch: pruning to it dropped every other worker's review waiting
    in the office. And a bundle older than what is waiting (its commit already in the branch, the
    files taken out of order) leaves the branch as it is: it rewound the branch, and the newer
    work was out of the review without a word."""
    run_git(  # never --prune: a bundle carries no rejection of the office's, which pruning deleted
        root,
        "fetch",
        "-q",
        bundle,
        f"+refs/heads/*:{BUNDLE_INBOX}*",
        f"+refs/tags/{REJECTED_PREFIX}*:refs/tags/{REJECTED_PREFIX}*",
    )
    brought = run_git(root, "for-each-ref", "--format=%(refname)%09%(objectname)", BUNDLE_INBOX).decode().split("\n")
    for line in filter(None, brought):
        name, sha = line.split("\t")
        target = f"refs/remotes/{BUNDLE_REMOTE}/{name[len(BUNDLE_INBOX) :]}"
        waiting = rev_of(root, target)
        if waiting is None or not is_ancestor(root, sha, waiting):
            run_git(root, "update-ref", target, sha)
        run_git(root, "update-ref", "-d", name)


def rejections(root: Path, who: str, tip: str | None) -> list[Rejection]:
    """Rejections of `review/<who>` at commit `tip` (the branch as the chief last saw it)."""
    if not who or not tip:
        return []
    out = run_git(
        root,
        "for-each-ref",
        "--format=%(refname:short)%09%(*objectname)%09%(taggername)%09%(taggerdate:format:%Y-%m-%d %H:%M)",
        f"refs/tags/{REJECTED_PREFIX}{who}/",
    ).decode("utf-8", "replace")
    found = []
    for line in out.splitlines():
        tag, target, by, date = ([*line.split("\t"), "", "", "", ""])[:4]
        if target == tip:
            reason = run_git(root, "tag", "-l", "--format=%(contents)", tag).decode("utf-8", "replace").strip()
            found.append(Rejection(REVIEW_PREFIX + who, target, reason, by, date))
    return found


def sync(
    root: Path,
    author: Author,
    command: str,
    remote: str = "origin",
    bundle: Path | None = None,
    wait: float | None = None,
) -> Synced:
    """Fetch, merge the shared main branch, push this clone's work (to review/<worker> when required)."""
    repo = Repo(root)
    configure(root)
    main = branch(root)
    who = worker(root)
    done = Synced()
    if (repo.git_dir / "MERGE_HEAD").exists():  # a merge this sync started: its conflicts, or its commit
        done.merged = finish(root, author, wait)
        if done.merged.conflicts or done.merged.files:
            return done
    fetched = (f"refs/remotes/{remote if bundle is None else BUNDLE_REMOTE}/", f"refs/tags/{REJECTED_PREFIX}")
    kept = refs_under(root, *fetched)
    if bundle is not None:
        _verify_bundle(root, bundle)
        fetch(root, str(bundle))
        source = BUNDLE_REMOTE
    else:
        if not has_remote(root, remote):
            raise GridctlError(
                Text(f"台账没有设置共享仓库 {remote!r}", f"this ledger has no remote {remote!r}"),
                hint=Text(
                    "git remote add origin 地址 (git 服务器，或共享文件夹上的裸仓库)；"
                    "没有网络时: gridctl bundle -o 文件，gridctl sync --bundle 文件",
                    "git remote add origin URL (a git server, or a bare repository on a shared folder); "
                    "without a network: gridctl bundle -o FILE, gridctl sync --bundle FILE",
                ),
            )
        fetch(root, remote)
        source = remote
    # through a file, the branch as it was last sent (`gridctl bundle`): the office's file carries main, not it
    sent = f"refs/heads/{REVIEW_PREFIX}{who}" if bundle is not None else f"refs/remotes/{source}/{REVIEW_PREFIX}{who}"
    review_tip = rev_of(root, sent) if who else None
    done.rejections = rejections(root, who, review_tip)
    upstream = f"refs/remotes/{source}/{main}"
    _same_ledger(root, repo.head(), upstream, fetched, kept, bundle or source)
    if bundle is not None:
        from gridctl.merge.bundle import reviewed_only

        reviewed_only(root, who, upstream, fetched, kept, bundle)
    if rev_of(root, upstream):
        message = Message(f"同步：合并 {source}/{main}", None, command)
        done.merged = merge_into_head(root, upstream, message, author, wait)
        if done.merged.conflicts or done.merged.files:
            return done
    if bundle is not None:
        done.branches = _bundle_branches(root)
        return done
    drop_spent_merges(root, upstream, command, wait)
    head = repo.head()
    if head is None or (rev_of(root, upstream) and is_ancestor(root, head, upstream)):
        return done
    if review_required(root) or who:
        if not who:
            raise GridctlError(
                Text(
                    "本台账要求审核: 请先设置这台电脑是哪位人员的",
                    "this ledger requires review: whose clone is this?",
                ),
                hint=Text(
                    "gridctl setup --worker S0004 (你的人员编号)",
                    "gridctl setup --worker S0004 (your staff id)",
                ),
            )
        if done.rejections and not mended(root, review_tip, upstream):
            return done  # only main merged in since the rejection: the same work, not sent again
        target = f"{REVIEW_PREFIX}{who}"
        run_git(root, "push", "-q", "--force", remote, f"HEAD:refs/heads/{target}")
    else:
        target = main
        push_main(root, remote, "HEAD", main, Text("同步", "syncing"), "gridctl sync")
    done.pushed = target
    return done


def push_main(root: Path, remote: str, rev: str, main: str, doing: Text, again: str) -> None:
    """`rev` pushed as the shared main branch: git refuses it unless it fast-forwards main, so
    nobody's changes that arrived since the fetch are overwritten."""
    try:
        run_git(root, "push", "-q", remote, f"{rev}:refs/heads/{main}")
    except GitFailed as exc:
        raise GridctlError(
            Text(
                f"{doing.zh}期间 {remote}/{main} 有了其他人的提交",
                f"{remote}/{main} moved while {doing.en} (someone else sent changes)",
            ),
            hint=Text(f"再运行一次 {again}；", f"run {again} again; ") + exc.message,
        ) from None


def mended(root: Path, rejected: str | None, upstream: str) -> bool:
    """A commit of the worker's own since the rejected tip (merges of the main branch do not count)."""
    ends = [f"^{ref}" for ref in (rejected, upstream) if ref and rev_of(root, ref)]
    out = run_git(root, "rev-list", "--no-merges", "-n", "1", "HEAD", *ends)
    return bool(out.strip())


def refs_under(root: Path, *prefixes: str) -> dict[str, str]:
    out = run_git(root, "for-each-ref", "--format=%(refname) %(objectname)", *prefixes).decode("utf-8", "replace")
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


def _same_ledger(
    root: Path, head: str | None, upstream: str, fetched: tuple[str, ...], kept: dict[str, str], source: object
) -> None:
    """Stop a sync with a file or remote of another ledger (no commit in common with this one) before
    it merges, the refs its fetch brought put back as they were: git said only "refusing to merge
    unrelated histories", and the other ledger's branch stayed in this repository."""
    tip = rev_of(root, upstream)
    if head is None or tip is None:
        return
    try:
        run_git(root, "merge-base", head, tip)
        return
    except GitFailed:
        pass
    put_back(root, fetched, kept)
    raise GridctlError(
        Text(
            f"{source} 是另一本台账 (与本台账没有共同的提交)，未合并",
            f"{source} holds another ledger (no commit in common with this one): nothing merged",
        ),
        hint=Text(
            "确认文件或共享仓库来自本台账 (gridctl.yaml 的 name 相同)",
            "check the file or remote comes from this ledger (the same name in gridctl.yaml)",
        ),
    )


def put_back(root: Path, fetched: tuple[str, ...], kept: dict[str, str]) -> None:
    """The refs under `fetched` as they were before the fetch (`kept`)."""
    now = refs_under(root, *fetched)
    lines = [f"delete {ref}\n" for ref in now if ref not in kept]
    lines += [f"update {ref} {sha}\n" for ref, sha in kept.items() if now.get(ref) != sha]
    if lines:
        run_git(root, "update-ref", "--stdin", input="".join(lines).encode())


def _verify_bundle(root: Path, bundle: Path) -> None:
    if not bundle.is_file():
        raise GridctlError(Text(f"找不到同步文件 {bundle}", f"no bundle file {bundle}"))
    try:
        run_git(root, "bundle", "verify", "-q", str(bundle.resolve()))
    except GitFailed as exc:
        raise GridctlError(
            Text(f"同步文件 {bundle} 无法使用: {exc.message}", f"{bundle} cannot be used here: {exc.message}"),
            hint=Text(
                "从完整的台账重新生成 (gridctl bundle -o 文件)，并完整复制",
                "make it again from a full ledger (gridctl bundle -o FILE) and copy it whole",
            ),
        ) from None


def _bundle_branches(root: Path) -> list[str]:
    """The review branches brought by files that still wait (not approved, not returned)."""
    from gridctl.merge.review import waiting

    return [w.name for w in waiting(root) if w.ref.startswith(f"refs/remotes/{BUNDLE_REMOTE}/")]
