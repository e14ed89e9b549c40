"""Reading git history fast: one `git log --raw` for commits and blob ids, one `cat-file --batch` for blobs.

Everything the audit trail shows is derived from these two streams, so a ledger with thousands of
commits is read in two processes, not one per commit.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.tools import git_exe

ZERO = "0" * 40
FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%B%x1f"


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    old: str | None
    """Blob id before the commit, None when the file was added."""
    new: str | None
    """Blob id after the commit, None when the file was deleted."""


@dataclass
class Commit:
    sha: str
    parents: list[str]
    author: str
    email: str
    date: str
    """Author date, ISO with the author's offset (%aI): read it on the ledger's clock, never cut it."""
    message: str
    files: list[FileChange] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


def require_history(root: Path) -> str:
    """HEAD's commit id; stops with a message a clerk can act on when there is no git history to read."""
    from gridctl.errors import GridctlError

    probe = subprocess.run(
        [git_exe(), "rev-parse", "--is-inside-work-tree", "--verify", "-q", "HEAD"], cwd=root, capture_output=True
    )
    said = probe.stdout.decode("utf-8", "replace").split()
    if not said:  # not even "true": git could not look (not a repository, or refused)
        told = probe.stderr.decode("utf-8", "replace").strip()
        if "not a git repository" not in told:
            from gridctl.ledger.gitrepo import git_failed

            raise git_failed("git rev-parse", told)
        raise GridctlError(
            Text(f"{root} 不是 git 仓库，没有历史可查", f"{root} is not a git repository"),
            hint=Text(
                "用 gridctl init 建的台账都是；或运行 git init 并提交文件",
                "ledgers made with gridctl init are; or run git init and commit the files",
            ),
        )
    if probe.returncode != 0 or len(said) < 2:
        raise GridctlError(
            Text("台账还没有任何提交", "the ledger has no commits yet"),
            hint=Text(
                "先做第一次提交 (gridctl init 会做)，再试一次",
                "make the first commit (gridctl init does), then try again",
            ),
        )
    return said[1]


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    proc = subprocess.run([git_exe(), *args], cwd=root, input=stdin, capture_output=True, check=False)
    if proc.returncode != 0:
        from gridctl.ledger.gitrepo import git_failed, subcommand

        raise git_failed(f"git {subcommand(args)}", proc.stderr.decode("utf-8", "replace").strip())
    return proc.stdout


def _log_args(
    revs: Iterable[str], paths: Iterable[str], extra: Iterable[str], merges: bool = False, graph: bool = False
) -> list[str]:
    if graph:  # every merge, diffed against each parent; parents rewritten to the commits listed
        shape = ["--topo-order", "--full-history", "--parents", "--diff-merges=separate"]
    else:
        shape = ["--diff-merges=first-parent" if merges else "--no-merges"]
    return [
        "-c",
        "core.quotepath=off",
        "log",
        "-z",
        *shape,
        "--raw",
        "--no-renames",
        "--no-abbrev",
        f"--format={FORMAT}",
        *extra,
        *revs,
        "--",
        *paths,
    ]


def _commit(chunk: str) -> Commit:
    sha, parents, author, email, date, message, rest = chunk.split("\x1f", 6)
    commit = Commit(sha, parents.split(), author, email, date, message.rstrip("\n"))
    tokens = rest.split("\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if token.startswith(":") and i + 1 < len(tokens):
            _modes_old, _modes_new, old, new, _status = token[1:].split(" ", 4)
            commit.files.append(FileChange(tokens[i + 1], None if old == ZERO else old, None if new == ZERO else new))
            i += 2
        else:
            i += 1
    return commit


def log(
    root: Path,
    revs: Iterable[str] = ("HEAD",),
    paths: Iterable[str] = (),
    extra: Iterable[str] = (),
    merges: bool = False,
    graph: bool = False,
) -> Iterator[Commit]:
    """Commits newest first with the files each changed (no rename detection: ids are followed instead);
    with `merges`, merge commits too, with what they changed against their first parent.

    With `graph`, the history as a graph (`--topo-order --full-history --parents`): every commit after
    its children, every merge once, with the files that differ from any of its parents (a path once
    per parent it differs from), and parents as git rewrote them to the commits listed: a commit that
    changed none of `paths` is skipped over."""
    out = git(root, *_log_args(revs, paths, extra, merges, graph)).decode("utf-8", "replace")
    last: Commit | None = None
    for chunk in out.split("\x1e")[1:]:
        commit = _commit(chunk)
        if last is not None and graph and commit.sha == last.sha:  # the same merge against its next parent
            last.files.extend(commit.files)
            continue
        if last is not None:
            yield last
        last = commit
    if last is not None:
        yield last


def log_stream(
    root: Path,
    revs: Iterable[str] = ("HEAD",),
    paths: Iterable[str] = (),
    extra: Iterable[str] = (),
    merges: bool = False,
) -> Iterator[Commit]:
    """Like log(), but commits come as git writes them: a long history is read while git still
    walks it (on the other core), instead of after."""
    import codecs

    proc = subprocess.Popen(
        [git_exe(), *_log_args(revs, paths, extra, merges)], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    pending = ""
    try:
        for chunk in iter(lambda: proc.stdout.read(1 << 16), b""):  # type: ignore[union-attr]
            pending += decoder.decode(chunk)
            if "\x1e" not in pending:
                continue
            parts = pending.split("\x1e")
            pending = parts.pop()
            for part in parts:
                if part:
                    yield _commit(part)
        pending += decoder.decode(b"", final=True)
        if pending:
            yield _commit(pending)
    finally:
        proc.stdout.close()
        err = proc.stderr.read() if proc.stderr else b""
        if proc.wait() != 0 and err:
            from gridctl.ledger.gitrepo import git_failed

            raise git_failed("git log", err.decode("utf-8", "replace").strip())


def cat_blobs(root: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """Many blobs in one `git cat-file --batch` run."""
    wanted = list(dict.fromkeys(s for s in shas if s))
    blobs: dict[str, bytes] = {}
    for name in [s for s in wanted if "\n" in s]:  # REV:PATH of a name with a line break: no batch line holds it
        wanted.remove(name)
        with contextlib.suppress(GridctlError):
            blobs[name] = git(root, "cat-file", "blob", name)
    if not wanted:
        return blobs
    out = git(root, "cat-file", "--batch", stdin=("\n".join(wanted) + "\n").encode())
    pos = 0
    for sha in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) < 3 or header[1] == b"missing":
            pos = end + 1
            continue
        size = int(header[2])
        blobs[sha] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return blobs


def shallow_boundary(root: Path) -> set[str]:
    """Commits whose parents this clone does not have (a shallow clone, as CI makes).

    Git keeps them in `shallow` of the repository's common folder (the main one for a `git worktree`)."""
    from gridctl.ledger.cache import git_dir_of
    from gridctl.ledger.transaction import common_dir

    git_dir = git_dir_of(root)
    if git_dir is None:  # GIT_DIR or another layout: ask git
        git_dir = root / git(root, "rev-parse", "--git-dir").decode().strip()
    try:
        return set((common_dir(git_dir) / "shallow").read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()
