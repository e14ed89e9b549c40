"""The working tree's record files, and the content ids git vouches for, from git's index.

Walking 137,000 files, taking each one's lstat and matching it to a content id took a second of
every read at 100,000 households; `git status` does the same work in C on every core, and `git
ls-files` lists the index's blob ids. A file git reports unchanged has exactly its index blob, so
its facts are found by that id without a stat of our own.

Only where git's answer is the file's bytes: any setting that makes git compare something else
(line-ending conversion, filters and attributes files of any kind, assume-unchanged and
skip-worktree entries, sparse checkout, a file system monitor, ctime not trusted), a merge in
progress, a link or a nested repository anywhere, and the working tree is walked as before
(gridctl.ledger.files.WorkTree).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.ledger.files import SETTINGS_FILE, record_folder


@dataclass
class Listing:
    paths: list[str]
    """Every record file in the working tree, in the walk's order."""
    blobs: dict[str, str]
    """rel → blob id, for the files git reports as their index has them (records or not)."""
    strays: list[str] = field(default_factory=list)
    """Files, tracked, new or ignored, whose names are a record file's with the wrong ending (files.misnamed)."""


_UNSAFE_CONFIG = ("core.autocrlf", "core.eol", "core.attributesfile", "core.sparsecheckout", "core.fsmonitor",
                  "core.ignorecase", "core.precomposeunicode", "core.safecrlf")  # fmt: skip
"""Settings that, when on, make git compare other than a file's bytes (or list other than the walk)."""
_NEEDED = {"core.trustctime": ("", "true", "yes", "on", "1"), "core.checkstat": ("", "default")}
"""Settings that must keep their default: without them git takes a file whose size and time were
kept (a copy with `cp -p`, a restore) for unchanged."""
_OFF = ("", "false", "no", "off", "0")


def listed(root: Path) -> Listing | None:
    """The record files git knows of (tracked, new and ignored alike) and the unchanged ones'
    blob ids, or None when git's word is not the files' bytes (then the caller walks)."""
    git_dir = root / ".git"
    if not git_dir.is_dir() or _attribute_files(git_dir) or (git_dir / "MERGE_HEAD").exists():
        return None
    base = ["git", "--no-optional-locks", f"--git-dir={git_dir}", f"--work-tree={root}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}  # this ledger's repository only
    from gridctl.ledger.tools import git_exe

    before = _mark(git_dir / "index")
    try:
        config = _run([*base, "config", "-z", "--list"], root, env)
        if config is None or not _plain_config(config):
            return None
        # git status runs while the index's listing is read: they take about as long
        status = subprocess.Popen(
            [git_exe(), *base[1:], "status", "--porcelain=v1", "-z", "--untracked-files=all",
             "--ignored=traditional", "--no-renames"],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        with status:
            index = _run([*base, "ls-files", "-s", "-v", "-z"], root, env)
            known = _known(root, index) if index is not None else None
            changes, _ = status.communicate()
        if status.returncode != 0 or known is None or _mark(git_dir / "index") != before:
            return None  # the index changed meanwhile (a commit, a checkout): walked instead
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    listing = _combine(root, *known, changes)
    if listing is not None:
        listing.strays = _strays(root, index, changes)
    return listing


_ODD_ENDING = re.compile(rb"\.(?:[yY][aA]?[mM][lL]\.[tT][xX][tT]|(?!yaml\0|yml\0)[yY][aA]?[mM][lL])\0")
"""The ending of a misnamed record file in git's NUL-separated listings: found by its ending alone,
about 2 ms at 12,000 households (a name-by-name look at 137,000 entries costs ten times that)."""


def _strays(root: Path, index: bytes, status: bytes) -> list[str]:
    """Misnamed record files among the index's entries and git's new files, as the walk finds them."""
    from gridctl.ledger.files import misnamed

    found: list[str] = []
    for listing, start in ((index, b"\t"), (status, b"\0")):
        for m in _ODD_ENDING.finditer(listing):
            begin = listing.rfind(start, 0, m.start()) + 1
            rel = listing[begin : m.end() - 1].decode("utf-8", "surrogateescape")
            if start == b"\0":
                if not rel.startswith(("?? ", "!! ")):  # new, or ignored: the walk finds both
                    continue
                rel = rel[3:]
            if misnamed(rel) and os.path.isfile(os.path.join(root, rel)) and rel not in found:
                found.append(rel)
    return sorted(found)


def _known(root: Path, index: bytes) -> Known | None:
    """The index's entries and its record files in the walk's order, kept under .git with the
    listing's own bytes: reading 137,000 entries and ordering them took 0.3 s of every read at
    100,000 households. When the index changed (a commit, a checkout, an add), only the lines
    that differ from the kept listing are read again, and the order is made again only when a
    file came or went."""
    import hashlib

    from gridctl.ledger.cache import Pack, cache_folder, code_fingerprint

    digest = hashlib.sha1(index, usedforsecurity=False).hexdigest()
    pack = Pack(cache_folder(root), "gitindex", f"gitindex:{code_fingerprint()}")
    kept = pack.get("index")
    found = None
    if isinstance(kept, tuple) and len(kept) == 4 and isinstance(kept[1], dict) and isinstance(kept[3], bytes):
        if kept[0] == digest:
            return kept[1], kept[2]
        if hashlib.sha1(kept[3], usedforsecurity=False).hexdigest() == kept[0]:  # the kept bytes are whole
            found = _updated(kept[1], kept[2], kept[3], index)
    if found is None:
        entries = _entries(index)
        if entries is None:
            return None
        found = entries, walk_order(list(entries))
    pack.replace({"index": (digest, *found, index)})
    pack.save()
    return found


Known = tuple[dict[str, str], list[str]]
"""The index's entries (path → blob id), and its record files in the walk's order."""


def _updated(entries: dict[str, str], order: list[str], was: bytes, now: bytes) -> Known | None:
    """The kept entries with the lines of the listing that changed read again (None: read it all)."""
    start = was.rfind(b"\0", 0, _same_start(was, now)) + 1  # the first line that differs
    same = _same_end(was, now, min(len(was), len(now)) - start)
    end = len(now) - same  # the first whole line of the same end
    if same and now[end - 1] != 0:
        end = now.find(b"\0", end) + 1
    cut = end - len(now) + len(was)
    if 0 < cut < len(was) and was[cut - 1] != 0:
        return None  # the same end starts mid-line in the kept listing: read it all
    gone, came = _entries(was[start:cut]), _entries(now[start:end])
    if gone is None or came is None or not gone.keys() <= entries.keys():
        return None
    for rel in gone:
        del entries[rel]
    entries.update(came)
    return entries, order if gone.keys() == came.keys() else walk_order(list(entries))


_BLOCK = 1 << 16


def _same_start(a: bytes, b: bytes) -> int:
    """How many bytes a and b begin with alike (compared a block at a time, at C speed)."""
    n, i = min(len(a), len(b)), 0
    while i + _BLOCK <= n and a[i : i + _BLOCK] == b[i : i + _BLOCK]:
        i += _BLOCK
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _same_end(a: bytes, b: bytes, limit: int) -> int:
    """How many bytes a and b end with alike, at most `limit` (never more than either's length)."""
    n, i, la, lb = max(min(limit, len(a), len(b)), 0), 0, len(a), len(b)
    while i + _BLOCK <= n and a[la - i - _BLOCK : la - i] == b[lb - i - _BLOCK : lb - i]:
        i += _BLOCK
    while i < n and a[la - i - 1] == b[lb - i - 1]:
        i += 1
    return i


def _mark(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def _run(args: list[str], root: Path, env: dict[str, str]) -> bytes | None:
    from gridctl.ledger.tools import git_exe

    proc = subprocess.run([git_exe(), *args[1:]], cwd=root, capture_output=True, check=False, env=env)
    return proc.stdout if proc.returncode == 0 else None


def _plain_config(raw: bytes) -> bool:
    """No setting by which git would compare anything but the bytes (config -z: key\\nvalue\\0)."""
    for item in raw.split(b"\0"):
        key, _nl, value = item.decode("utf-8", "replace").partition("\n")
        key = key.lower()
        if key.startswith("filter.") or key.startswith("lfs."):
            return False
        if key in _UNSAFE_CONFIG and value.strip().lower() not in _OFF:
            return False
        if key in _NEEDED and value.strip().lower() not in _NEEDED[key]:
            return False
    return True


def _attribute_files(git_dir: Path) -> bool:
    """Whether an attributes file outside the working tree may apply: the repository's own, the
    user's (core.attributesFile is read with the settings; this is git's default place) and the
    system's. Any of them may convert what git compares (eol, working-tree-encoding, filters)."""
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    places = [git_dir / "info" / "attributes", Path(home) / "git" / "attributes", Path("/etc/gitattributes")]
    from gridctl.ledger.tools import git_exe

    exe = Path(git_exe())
    if exe.is_absolute():  # git's own prefix (Git for Windows: C:/Program Files/Git/etc/gitattributes)
        places += [parent / "etc" / "gitattributes" for parent in list(exe.resolve().parents)[:3]]
    return any(place.exists() for place in places)


_ENTRY = re.compile(r"(\S+) (\d+) ([0-9a-f]+) (\d+)\t([^\0]*)\0")


def _entries(index: bytes) -> dict[str, str] | None:
    """path → blob id of every entry of the index, or None for an entry git compares by other means."""
    text = index.decode("utf-8", "surrogateescape")  # what os.fsdecode makes of each path, in one call
    rows = _ENTRY.findall(text)
    if len(rows) != text.count("\0"):
        return None  # a line this reading did not understand
    if {row[0] for row in rows} - {"H"} or {row[3] for row in rows} - {"0"} or {row[1] for row in rows} - _PLAIN:
        return None  # assume-unchanged, skip-worktree, unmerged, a link or a nested repository
    entries = {row[4]: row[2] for row in rows}
    if any(rel == ".gitattributes" or rel.endswith("/.gitattributes") for rel in entries):
        return None
    return entries


def _combine(root: Path, entries: dict[str, str], order: list[str], status: bytes) -> Listing | None:
    """The listing from the index's entries (`order`: its record files in the walk's order) and
    what git status says differs from them."""
    changed: set[str] = set()
    gone: set[str] = set()
    extra: list[str] = []
    for item in status.decode("utf-8", "surrogateescape").split("\0"):
        if not item:
            continue
        code, rel = item[:2], item[3:]
        if "U" in code or code in ("AA", "DD") or rel.endswith("/"):
            return None  # a merge in progress, or a folder git did not look into (a nested repository)
        if code in ("??", "!!"):
            if rel == ".gitattributes" or rel.endswith("/.gitattributes"):
                return None
            if not rel.endswith((".yaml", ".yml")) and os.path.islink(os.path.join(root, rel)):
                return None  # a linked folder, which the walk reports
            extra.append(rel)
            continue
        changed.add(rel)
        if code[1] == "D":
            gone.add(rel)
    if any(rel.endswith((".yaml", ".yml")) for rel in (*gone, *extra)):
        order = walk_order([rel for rel in entries if rel not in gone] + extra)
    blobs = dict(entries)  # every entry git did not report: its file is its index blob
    for rel in changed:
        blobs.pop(rel, None)
    return Listing(order, blobs)


_PLAIN = {"100644", "100755"}


def walk_order(paths: list[str]) -> list[str]:
    """The record files among `paths` (gridctl.ledger.files._listed, each folder judged once) in
    the order WorkTree's walk lists them: a folder's files by name, then its folders by name."""
    files: dict[str, list[str]] = {}
    for rel in paths:
        if rel.endswith((".yaml", ".yml")) and rel != SETTINGS_FILE:
            folder, _slash, name = rel.rpartition("/")
            if not name.startswith("."):
                files.setdefault(folder, []).append(name)
    files = {folder: names for folder, names in files.items() if record_folder(folder)}
    children: dict[str, set[str]] = {}
    for folder in list(files):
        while folder:
            parent, _slash, name = folder.rpartition("/")
            children.setdefault(parent, set()).add(name)
            folder = parent
    out: list[str] = []
    stack = [""]
    while stack:
        folder = stack.pop()
        prefix = f"{folder}/" if folder else ""
        out += [prefix + name for name in sorted(files.get(folder, ()))]
        stack += [prefix + name for name in sorted(children.get(folder, ()), reverse=True)]
    return out
