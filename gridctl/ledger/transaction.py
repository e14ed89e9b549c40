"""Committing a change to the ledger so that a kill at any moment is safe.

The caller (gridctl.ops.write) holds the lock and has validated the change (step 1). Then:

2. store the new files as git blobs and build the commit from HEAD's tree in a private index;
3. write a journal (.git/gridctl-journal.json) naming the old and new commit;
4. move HEAD with a compare-and-swap `update-ref` — the one atomic step;
5. write the working-tree files (temp file + rename each) and reset their index entries;
6. delete the journal.

Killed before 4: HEAD and files are as before (the journal is dropped on the next write).
Killed after 4: HEAD is the new commit and every file is either old or new, all of them valid;
the next gridctl write finds the journal and finishes step 5.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gridctl.errors import GridctlError

JOURNAL = "gridctl-journal.json"
TEMP_PREFIX = ".gridctl-"
TRAILER = "Gridctl-Command"


class DirtyFiles(GridctlError):
    """A file the command must touch has edits git has not recorded."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass
class Message:
    """`<verb> <kind> <id>: <summary>`, the clerk's reason as body, the command as trailer."""

    subject: str
    reason: str | None = None
    command: str | None = None

    def text(self) -> str:
        parts = [self.subject.strip()]
        if self.reason and self.reason.strip():
            parts.append(self.reason.strip())
        if self.command:
            parts.append(f"{TRAILER}: {self.command}")
        return "\n\n".join(parts) + "\n"


_AUTHOR = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+)>\s*$")


def parse_author(text: str) -> Author:
    m = _AUTHOR.match(text)
    if not m:
        raise GridctlError(
            f"--author must look like 'Name <email>', got {text!r}", hint='--author "王芳 <wf@example.cn>"'
        )
    return Author(m.group("name"), m.group("email"))


def default_author(root: Path) -> Author:
    import git

    reader = git.Repo(root).config_reader()
    name = reader.get_value("user", "name", "")
    email = reader.get_value("user", "email", "")
    name = os.environ.get("GIT_AUTHOR_NAME", name)
    email = os.environ.get("GIT_AUTHOR_EMAIL", email)
    if not name or not email:
        raise GridctlError(
            "who is making this change? no --author given and no git user configured / 未设置修改人",
            hint='pass --author "王芳 <wf@example.cn>" or run: git config user.name 王芳; '
            "git config user.email wf@example.cn",
        )
    return Author(str(name), str(email))


class Repo:
    """The few git plumbing commands a write needs, run through GitPython's command wrapper."""

    def __init__(self, root: Path) -> None:
        import git

        try:
            self.repo = git.Repo(root)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GridctlError(
                f"{root} is not a git repository / 台账不是 git 仓库",
                hint="create ledgers with gridctl init, or run git init there",
            ) from None
        if self.repo.working_tree_dir is None or Path(self.repo.working_tree_dir).resolve() != root.resolve():
            raise GridctlError(f"the ledger {root} must be the top folder of its git repository")
        self.root = root
        self.git_dir = Path(self.repo.git_dir)
        self.git = self.repo.git

    def head(self) -> str | None:
        try:
            return self.git.rev_parse("--verify", "-q", "HEAD")
        except Exception:  # no commit yet
            return None

    def dirty(self, paths: list[str]) -> list[str]:
        """Paths among `paths` whose working file or index differ from HEAD, or are untracked."""
        if not paths:
            return []
        out = self.git.status("--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
        found = []
        for item in out.split("\0"):
            if len(item) > 3:
                found.append(item[3:])
        return found

    def blob(self, data: bytes) -> str:
        from io import BytesIO

        from gitdb import IStream

        return self.repo.odb.store(IStream(b"blob", len(data), BytesIO(data))).hexsha.decode()

    def commit_tree(self, head: str | None, blobs: Mapping[str, str | None], message: str, author: Author) -> str:
        index = self.git_dir / "gridctl-index"
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            if head:
                self.git.read_tree(head, env=env)
            else:
                self.git.read_tree("--empty", env=env)
            for path, sha in blobs.items():
                if sha is None:
                    self.git.update_index("--force-remove", "--", path, env=env)
                else:
                    self.git.update_index("--add", "--cacheinfo", f"100644,{sha},{path}", env=env)
            tree = self.git.write_tree(env=env)
        finally:
            index.unlink(missing_ok=True)
        people = {
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": author.name,
            "GIT_COMMITTER_EMAIL": author.email,
        }
        args = [tree, "-m", message] + (["-p", head] if head else [])
        return self.git.commit_tree(*args, env=people, strip_newline_in_stdout=True)

    def move_head(self, new: str, old: str | None, message: str) -> None:
        args = ["-m", message, "HEAD", new] + ([old] if old else [""])
        self.git.update_ref(*args)

    def reset_index(self, paths: list[str]) -> None:
        if paths:
            self.git.reset("-q", "HEAD", "--", *paths)

    def read_blob(self, sha: str) -> bytes:
        return self.repo.odb.stream(bytes.fromhex(sha)).read()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder and rename it over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove(root: Path, rel: str) -> None:
    path = root / rel
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def recover(repo: Repo) -> None:
    """Finish or drop a write that was interrupted (see the module docstring)."""
    journal = repo.git_dir / JOURNAL
    if not journal.is_file():
        return
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal.unlink(missing_ok=True)
        return
    if repo.head() == entry.get("new"):
        _materialise(repo, entry["blobs"])
    for folder in {(repo.root / rel).parent for rel in entry.get("blobs", {})}:
        for leftover in folder.glob(f"{TEMP_PREFIX}*.tmp") if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)  # a half-written temp file from the killed write
    journal.unlink(missing_ok=True)


def _materialise(repo: Repo, blobs: Mapping[str, str | None]) -> None:
    for rel, sha in blobs.items():
        if sha is None:
            _remove(repo.root, rel)
        else:
            atomic_write(repo.root / rel, repo.read_blob(sha))
    repo.reset_index(list(blobs))


def apply(repo: Repo, changes: Mapping[str, bytes | None], message: Message, author: Author) -> str:
    """Steps 2–6: commit `changes` on top of HEAD and bring the working tree along. Hold the lock."""
    head = repo.head()
    blobs = {p: (repo.blob(data) if data is not None else None) for p, data in changes.items()}
    new = repo.commit_tree(head, blobs, message.text(), author)
    journal = repo.git_dir / JOURNAL
    journal.write_text(json.dumps({"old": head, "new": new, "blobs": blobs}), encoding="utf-8")
    repo.move_head(new, head, f"gridctl: {message.subject}")
    _materialise(repo, blobs)
    journal.unlink(missing_ok=True)
    return new


def refuse_dirty(repo: Repo, paths: list[str]) -> None:
    dirty = repo.dirty(paths)
    if dirty:
        raise DirtyFiles(
            "these files have changes git has not recorded / 以下文件有未提交的修改: " + ", ".join(dirty),
            hint="commit them first (git add FILE; git commit), or undo them (git checkout -- FILE)",
        )
