"""Committing a change to the ledger so that a kill at any moment is safe.

The caller (gridctl.ops.write) holds the lock and has validated the change (step 1). Then:

2. store the new files, their tree and the commit with one `git fast-import` (on a private ref);
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
PENDING_REF = "refs/gridctl/pending"
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

    try:
        reader = git.Repo(root).config_reader()
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GridctlError(
            f"{root} is not a git repository / 台账不是 git 仓库",
            hint="create ledgers with gridctl init, or run git init there",
        ) from None
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

    def commit(self, head: str | None, changes: Mapping[str, bytes | None], message: str, author: Author) -> str:
        """One commit of all changes on top of `head`, built by a single `git fast-import`.

        One process stores every blob, the tree and the commit (a 10,000-row import touches
        thousands of files; one git process per file took most of its time). The commit lands
        on a private ref; HEAD moves later, by compare-and-swap, in move_head().
        """
        import subprocess

        body = message.encode("utf-8")
        parts = [
            f"commit {PENDING_REF}\nauthor {self._ident('AUTHOR', author)}\n"
            f"committer {self._ident('COMMITTER', author)}\ndata {len(body)}\n".encode(),
            body,
            b"\n",
        ]
        if head:
            parts.append(f"from {head}\n".encode())
        for path, data in changes.items():
            quoted = _fast_import_path(path)
            if data is None:
                parts.append(f"D {quoted}\n".encode())
            else:
                parts += [f"M 100644 inline {quoted}\ndata {len(data)}\n".encode(), data, b"\n"]
        parts.append(b"\n")
        proc = subprocess.run(
            ["git", "fast-import", "--quiet", "--force"],
            cwd=self.root,
            input=b"".join(parts),
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            raise GridctlError(f"git fast-import failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
        new = self.git.rev_parse(PENDING_REF)
        self.git.update_ref("-d", PENDING_REF)
        return new

    def _ident(self, role: str, author: Author) -> str:
        """`Name <email> time zone` as git would write it (honouring GIT_AUTHOR_DATE and the like)."""
        env = {f"GIT_{role}_NAME": author.name, f"GIT_{role}_EMAIL": author.email}
        return self.git.var(f"GIT_{role}_IDENT", env=env)

    def move_head(self, new: str, old: str | None, message: str) -> None:
        args = ["-m", message, "HEAD", new] + ([old] if old else [""])
        self.git.update_ref(*args)

    def reset_index(self, paths: list[str]) -> None:
        """Index entries of `paths` back to HEAD (paths on stdin: an import touches thousands)."""
        if paths:
            import subprocess

            listing = "\0".join(paths).encode("utf-8")
            subprocess.run(
                ["git", "reset", "-q", "HEAD", "--pathspec-from-file=-", "--pathspec-file-nul"],
                cwd=self.root,
                input=listing,
                capture_output=True,
                check=True,
            )

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
        blobs = entry["blobs"]
        _materialise(repo, {rel: (repo.read_blob(sha) if sha else None) for rel, sha in blobs.items()})
    for folder in {(repo.root / rel).parent for rel in entry.get("blobs", {})}:
        for leftover in folder.glob(f"{TEMP_PREFIX}*.tmp") if folder.is_dir() else ():
            leftover.unlink(missing_ok=True)  # a half-written temp file from the killed write
    journal.unlink(missing_ok=True)


def _materialise(repo: Repo, files: Mapping[str, bytes | None]) -> None:
    for rel, data in files.items():
        if data is None:
            _remove(repo.root, rel)
        else:
            atomic_write(repo.root / rel, data)
    repo.reset_index(list(files))


def blob_id(data: bytes) -> str:
    """The id git gives a blob (the SHA-1 of its header and content), for the journal."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _fast_import_path(path: str) -> str:
    if any(c in path for c in '"\n\\') or path.startswith(" "):
        return '"' + path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return path


def apply(repo: Repo, changes: Mapping[str, bytes | None], message: Message, author: Author) -> str:
    """Steps 2–6: commit `changes` on top of HEAD and bring the working tree along. Hold the lock."""
    head = repo.head()
    new = repo.commit(head, changes, message.text(), author)
    blobs = {p: (blob_id(data) if data is not None else None) for p, data in changes.items()}
    journal = repo.git_dir / JOURNAL
    journal.write_text(json.dumps({"old": head, "new": new, "blobs": blobs}), encoding="utf-8")
    repo.move_head(new, head, f"gridctl: {message.subject}")
    _materialise(repo, changes)
    journal.unlink(missing_ok=True)
    return new


def refuse_dirty(repo: Repo, paths: list[str]) -> None:
    dirty = repo.dirty(paths)
    if dirty:
        raise DirtyFiles(
            "these files have changes git has not recorded / 以下文件有未提交的修改: " + ", ".join(dirty),
            hint="commit them first (git add FILE; git commit), or undo them (git checkout -- FILE)",
        )
