"""Where ledger files come from: the working tree, or the working tree with pending changes.

Reading goes through this small interface so that validation can run on what a write *would*
produce (an overlay, before anything touches the disk) and, later, on a git revision.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from gridctl.errors import LedgerNotFound
from gridctl.i18n import Text

SKIP_DIRS = frozenset({".git", "photos", "templates", "schemas", ".github", ".gitlab", "node_modules"})
SETTINGS_FILE = "gridctl.yaml"
RECORD_RULE = f"{','.join(sorted(SKIP_DIRS))}|{SETTINGS_FILE}|.yaml,.yml|no hidden folder or file"
"""What ledger_files takes for a record file: a list of record files kept under another rule (by
another gridctl, gridctl.ledger.listings) is not taken."""
INDEX_WORTH_ASKING = 256 * 1024
"""git's index at this size (about 2,500 files) makes asking git cheaper than walking."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds gridctl.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise LedgerNotFound(
        Text(
            f"{start} 及其上级文件夹中都没有 {SETTINGS_FILE}",
            f"no {SETTINGS_FILE} in {start} or any folder above it",
        ),
        hint=Text(
            "请在台账文件夹中运行 gridctl，或用 -C 台账文件夹",
            "run gridctl in a ledger folder, or pass -C LEDGER",
        ),
    )


def _listed(rel: str) -> bool:
    """Whether WorkTree.paths would list this path: a YAML file outside tool and hidden folders."""
    folder, _slash, name = rel.rpartition("/")
    return record_folder(folder) and not name.startswith(".") and rel.endswith((".yaml", ".yml"))


MISNAMED = re.compile(r"\.(?:ya?ml\.txt|(?-i:(?!yaml$|yml$))ya?ml)$", re.IGNORECASE)
"""A record file the ledger does not read for its name's ending: `H000001.yaml.txt` (Notepad's
"save as" on a Windows that hides extensions), `H000001.YAML`. Unread, its records left the
ledger with no word (GC017)."""


def misnamed(rel: str) -> bool:
    """A file in a folder the ledger reads whose name is a record file's with the wrong ending."""
    folder, _slash, name = rel.rpartition("/")
    return bool(MISNAMED.search(name)) and not name.startswith(".") and record_folder(folder)


def pasteable(rel: str) -> str:
    """A path as a clerk can paste it after `git checkout --` (quoted when it holds a space); one
    with a control character (a tab, an escape) quoted and written out as git shows it."""
    from gridctl.model.chars import quoted_path

    shown = quoted_path(rel)
    if shown != rel:
        return shown
    return f'"{rel}"' if any(c.isspace() for c in rel) else rel


def record_folder(folder: str) -> bool:
    """Whether the ledger reads the files of this folder ("" is the ledger's own): none of its parts
    is a tool folder (SKIP_DIRS) or hidden."""
    return not folder or not any(p in SKIP_DIRS or p.startswith(".") for p in folder.split("/"))


class WorkTree:
    """The ledger folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._stats: dict[str, os.stat_result] = {}
        self._listing: list[str] | None = None
        self._vouched: dict[str, str] = {}
        self._strays: list[str] = []

    def paths(self) -> Iterator[str]:
        """Every *.yaml / *.yml below root except settings and tool folders, in a stable order.

        Listed once per WorkTree (a command that lists the files twice lists once): from git's
        index when git can vouch for the files (gridctl.ledger.gitlisting), else walked, keeping
        each file's lstat from the walk itself.
        """
        if self._listing is None:
            found = self._from_git()
            if found is not None:
                self._listing, self._vouched, self._strays = found.paths, found.blobs, found.strays
            else:
                self._listing = list(self._walk())
        return iter(self._listing)

    def strays(self) -> list[str]:
        """Files the listing left out that look like record files with the wrong ending (misnamed)."""
        if self._listing is None:
            self._listing = list(self.paths())
        return list(self._strays)

    def _from_git(self) -> Any:
        """git's listing for a ledger large enough that three git commands cost less than a walk."""
        walk = os.environ.get("GRIDCTL_WALK", "")  # 1: always walk; 0: always ask git (tests of both)
        if walk == "1":
            return None
        try:
            if walk != "0" and os.path.getsize(os.path.join(self.root, ".git", "index")) < INDEX_WORTH_ASKING:
                return None
        except OSError:
            return None
        from gridctl.errors import GridctlError
        from gridctl.ledger.gitlisting import listed

        try:
            return listed(self.root)
        except GridctlError:  # git is not installed here: a folder can still be read
            return None

    def vouched(self, rel: str) -> str | None:
        """The blob id git reported this file to have (unchanged from its index entry), or None."""
        return self._vouched.get(rel)

    def _walk(self) -> Iterator[str]:
        stack: list[tuple[str, str]] = [(str(self.root), "")]
        while stack:
            folder, prefix = stack.pop()
            try:
                entries = {e.name: e for e in os.scandir(folder)}
            except OSError:
                continue
            subdirs = []
            for name in sorted(entries):  # sorting the names alone: no key function per entry
                entry = entries[name]
                if entry.is_symlink() and entry.is_dir() and not name.startswith("."):
                    yield prefix + name  # a linked folder: reported (GC008/GC015), never walked into
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIP_DIRS and not name.startswith("."):
                        subdirs.append((entry.path, f"{prefix}{name}/"))
                elif name.endswith((".yaml", ".yml")) and not name.startswith("."):
                    rel = prefix + name
                    if rel != SETTINGS_FILE:
                        with contextlib.suppress(OSError):  # the walk's own lstat: no second one per file
                            self._stats[rel] = entry.stat(follow_symlinks=False)
                        yield rel
                elif name.endswith(("l", "L", "t", "T")) and misnamed(prefix + name):
                    self._strays.append(prefix + name)
            stack.extend(reversed(subdirs))

    def lstat(self, rel: str) -> os.stat_result | None:
        """The file's lstat, taken once per run (size, times and links all come from it)."""
        info = self._stats.get(rel)
        if info is None:
            try:
                info = self._stats[rel] = os.lstat(os.path.join(self.root, rel))
            except OSError:
                return None
        return info

    def outside_link(self, rel: str) -> str | None:
        """The target of a symlink that leaves the ledger, else None."""
        if rel in self._vouched:
            return None  # a regular file in git's index, unchanged: no link
        info = self.lstat(rel)
        if info is None or not stat.S_ISLNK(info.st_mode):
            return None
        target = Path(os.path.join(self.root, rel)).resolve()
        return None if target.is_relative_to(self.root.resolve()) else str(target)

    def folder_link(self, rel: str) -> str | None:
        """The target of a symbolic link to a folder (its records would be read twice or not at all)."""
        if rel in self._vouched:
            return None
        info = self.lstat(rel)
        if info is None or not stat.S_ISLNK(info.st_mode):
            return None
        path = os.path.join(self.root, rel)
        if not os.path.isdir(path):
            return None
        target = Path(path).resolve()
        base = self.root.resolve()
        return target.relative_to(base).as_posix() if target.is_relative_to(base) else str(target)

    def size(self, rel: str) -> int:
        info = self.lstat(rel)
        if info is not None and not stat.S_ISLNK(info.st_mode):
            return info.st_size
        return os.stat(os.path.join(self.root, rel)).st_size

    def read(self, rel: str) -> bytes:
        with open(os.path.join(self.root, rel), "rb") as handle:
            return handle.read()

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()


class Overlay:
    """A ledger as it would be after a write: `changes` maps paths to new bytes, or None to delete."""

    def __init__(self, base: Any, changes: Mapping[str, bytes | None]) -> None:
        self.root = base.root
        self.base = base
        self.changes = dict(changes)

    def paths(self) -> Iterator[str]:
        """The base's files with the changes, a new file in its sorted place: the order a listing of
        the commit made of them gives (GitTree), so the columns a write keeps of its result are the
        next command's as they are (a move's new file listed last cost the next edit 1.2 s of
        assembling them again at 100,000 households)."""
        import heapq

        base = list(self.base.paths())
        known = set(base)
        kept = (rel for rel in base if rel not in self.changes or self.changes[rel] is not None)
        added = [
            rel
            for rel in sorted(self.changes)
            if rel not in known and self.changes[rel] is not None and rel != SETTINGS_FILE and _listed(rel)
        ]
        return heapq.merge(kept, added) if added else kept

    def outside_link(self, rel: str) -> str | None:
        return None if rel in self.changes else self.base.outside_link(rel)

    def folder_link(self, rel: str) -> str | None:
        return None if rel in self.changes else self.base.folder_link(rel)

    def size(self, rel: str) -> int:
        data = self.changes.get(rel)
        return len(data) if rel in self.changes and data is not None else self.base.size(rel)

    def read(self, rel: str) -> bytes:
        if rel in self.changes:
            data = self.changes[rel]
            if data is None:
                raise FileNotFoundError(rel)
            return data
        return self.base.read(rel)

    def exists(self, rel: str) -> bool:
        if rel in self.changes:
            return self.changes[rel] is not None
        return self.base.exists(rel)

    def strays(self) -> list[str]:
        """The base's misnamed files (a write never makes one)."""
        strays = getattr(self.base, "strays", None)
        return [rel for rel in strays() if rel not in self.changes] if strays is not None else []


def ledger_files(paths: Iterable[str]) -> list[str]:
    """The record files among `paths`, sorted: _ledger_file of each, each folder judged once
    (137,000 paths in a few hundred folders)."""
    verdict: dict[str, bool] = {}
    out: list[str] = []
    for rel in sorted(paths):
        if not rel.endswith((".yaml", ".yml")) or rel == SETTINGS_FILE:
            continue
        folder, _slash, name = rel.rpartition("/")
        ok = verdict.get(folder)
        if ok is None:
            ok = verdict[folder] = record_folder(folder)
        if ok and not name.startswith("."):
            out.append(rel)
    return out


def _ledger_file(rel: str) -> bool:
    """A record file of the ledger: yaml, not gridctl.yaml, not under a skipped or hidden folder."""
    if not rel.endswith((".yaml", ".yml")) or rel == SETTINGS_FILE or rel.startswith(".") or "/." in rel:
        return False
    return SKIP_DIRS.isdisjoint(rel.split("/")[:-1])


class GitTree:
    """The ledger as committed at one revision, read straight from git objects.

    Nothing is checked out and the working tree is never touched: `--as-of` and
    `validate --rev` read through this.
    """

    def __init__(self, root: Path, commit: str, scope: str = "") -> None:
        self.root = root
        self.commit = commit
        self.scope = scope
        """A ledger of its own kept in this repository (a town's unit, `units/<name>`): read with a
        cache folder of its own, which keeps what was read of it (gridctl.ledger.cache)."""
        self.next_work_tree = False
        """The revision the working tree moves to next (a fast-forward being checked): its read is kept
        as the ledger's last read, so the next command finds it done. Another revision's is not."""
        self._blobs: Any = None
        self.listing_kept = False
        """The listing was read as kept for this very commit (gridctl.ledger.listings): a write on
        top of it may keep its own as the changes it made."""
        self.records_kept = False
        """Its record files (`_yaml`) were kept with it: else a write keeps a whole listing with them,
        or every later write on its steps lists them again (0.3 s at 100,000 households)."""

    def __getattr__(self, name: str) -> Any:
        """`_entries` (path → (mode, blob id)) and `_yaml` (the ledger's files), listed on first use:
        a write's next tree is often never read. Set as plain attributes, so later reads cost nothing."""
        if name == "_entries":
            self._entries: dict[str, tuple[str, str]] = self._list()
            return self._entries
        if name == "_yaml":
            # a submodule's link (a gitlink, mode 160000) is no file: the working tree holds a folder there
            self._yaml: list[str] = ledger_files(rel for rel, (mode, _id) in self._entries.items() if mode != "160000")
            return self._yaml
        raise AttributeError(name)

    def _list(self) -> dict[str, tuple[str, str]]:
        from gridctl.ledger.gitrepo import run_git
        from gridctl.ledger.listings import from_kept, kept

        found = kept(self.root, self.commit) if not self.scope else None
        self.listing_kept = found is not None
        self.records_kept = found is not None and found[1] is not None
        if found is None and not self.scope:
            found = from_kept(self.root, self.commit, tried=True)
        if found is not None:  # the commit gridctl last wrote (gridctl.ledger.listings)
            entries, records = found
            if records is not None:
                self._yaml = records
            return entries
        listing = run_git(self.root, "ls-tree", "-r", "-z", "--full-tree", self.commit)
        entries: dict[str, tuple[str, str]] = {}
        for item in listing.decode("utf-8", "replace").split("\0"):
            meta, tab, path = item.partition("\t")  # "<mode> <type> <object id>\t<path>"
            if tab:
                entries[path] = (meta[: meta.index(" ")], meta[meta.rindex(" ") + 1 :])
        return entries

    def paths(self) -> Iterator[str]:
        return iter(self._yaml)

    def strays(self) -> list[str]:
        """Files committed with a record file's name and the wrong ending (misnamed): never read."""
        return sorted(
            rel
            for rel, (mode, _id) in self._entries.items()
            if mode.startswith("100") and rel.endswith(("l", "L", "t", "T")) and misnamed(rel)
        )

    def outside_link(self, rel: str) -> str | None:
        entry = self._entries.get(rel)
        if entry is None or entry[0] != "120000":
            return None
        target = self.read(rel).decode("utf-8", errors="replace")
        inside = not target.startswith("/") and ".." not in Path(target).parts
        return None if inside else target

    def folder_link(self, rel: str) -> str | None:
        return None  # git keeps a link as a link: only yaml-named entries are listed

    def size(self, rel: str) -> int:
        return len(self.read(rel))  # only for a file read now; git knows no size without reading the object

    def read(self, rel: str) -> bytes:
        entry = self._entries.get(rel)
        if entry is None:
            raise FileNotFoundError(rel)
        if self._blobs is None:
            from gridctl.ledger.gitrepo import BlobReader

            self._blobs = BlobReader(self.root)
        return self._blobs.blob(entry[1])

    def blob_id(self, rel: str) -> str | None:
        """The blob id git already knows: the cache key, with nothing to read or hash."""
        entry = self._entries.get(rel)
        return entry[1] if entry is not None and entry[0] != "120000" else None

    def exists(self, rel: str) -> bool:
        return rel in self._entries

    def committed(self, paths: Iterable[str]) -> dict[str, str | None]:
        """The blob of each path in this commit, as `git ls-tree` names it (a link's too; a submodule,
        a folder or nothing there: None), from the listing the write already read: no git process."""
        found: dict[str, str | None] = {}
        for rel in paths:
            entry = self._entries.get(rel)
            found[rel] = entry[1] if entry is not None and entry[0] != "160000" else None
        return found


Files = WorkTree | Overlay | GitTree
