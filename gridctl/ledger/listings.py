"""The listing of the commit gridctl last wrote, kept so the next write need not list it again.

`git ls-tree -r` of 137,000 files and parsing it took 0.4 s of every write at 100,000 households.
A commit names its tree for ever, so its listing can be kept by the commit id. Two listings are
kept, the newest: the commit a write made, computed from its parent's listing and the exact files it gave
`git fast-import` (every file `100644`, a deleted file gone), or a later commit's, computed from
the newest kept one and what `git diff-tree` lists as changed between the two. A write whose
paths could turn a file into a folder or a folder into a file keeps nothing. The pack is a cache
like the others (gridctl.ledger.cache): missing, damaged or of another commit, it is listed again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

from gridctl.ledger.cache import FORMAT, Pack, blob_id, cache_folder

Entries = dict[str, tuple[str, str]]
"""path → (mode, blob id), as GitTree lists a commit."""


def _pack(folder: Path, commit: str) -> Pack:
    """One file per commit kept (`listing-<commit>.bin`): asking about another commit reads nothing."""
    return Pack(folder, f"listing-{commit}", f"listing:{FORMAT}:{commit}")


def kept(root: Path, commit: str) -> tuple[Entries, list[str] | None] | None:
    """The listing kept for this commit, and its record files (GitTree._yaml) when kept, or None."""
    folder = cache_folder(root)
    if folder is None or not (folder / f"listing-{commit}.bin").is_file():
        return None
    data = _pack(folder, commit).data
    try:
        paths, modes, blobs = data["paths"], data["modes"], data["blobs"]
        if not (len(paths) == len(modes) == len(blobs)):
            return None
        entries = dict(zip(paths, zip(modes, blobs, strict=True), strict=True))
        records = data.get("yaml")
        return entries, records if isinstance(records, list) and all(r in entries for r in records[:1]) else None
    except (KeyError, TypeError, ValueError):
        return None


def from_kept(root: Path, commit: str) -> tuple[Entries, list[str] | None] | None:
    """This commit's listing: the kept one's, or the kept commit's changed by what `git diff-tree`
    says differs between the two (a commit made outside gridctl on top of its last write: a
    plain `git commit`, a pull); None when nothing is kept."""
    found = kept(root, commit)
    if found is not None:
        return found
    folder = cache_folder(root)
    others = _kept_files(folder) if folder is not None and folder.is_dir() else []
    if not others:
        return None
    other = others[-1].stem.removeprefix("listing-")  # the newest
    base = kept(root, other) if len(other) in (40, 64) and other.isalnum() else None
    if base is None:
        return None
    from gridctl.errors import GridctlError
    from gridctl.ledger.gitrepo import run_git

    try:
        raw = run_git(root, "diff-tree", "-r", "-z", "--raw", "--no-renames", "--no-abbrev", other, commit)
    except GridctlError:  # the kept commit is gone (a gc after a reset): listed by git instead
        return None
    entries, records = dict(base[0]), base[1]
    items = raw.decode("utf-8", "replace").split("\0")  # as GitTree._list reads git ls-tree
    for meta, rel in zip(items[0:-1:2], items[1::2], strict=True):
        parts = meta.lstrip(":").split(" ")  # ":<old mode> <new mode> <old id> <new id> <status>"
        if len(parts) != 5:
            return None
        if parts[4] == "D":
            entries.pop(rel, None)
        else:
            entries[rel] = (parts[1], parts[3])
        if parts[4] != "M":
            records = None  # a file came or went: its record files are listed again
    return entries, records  # not kept: a write keeps the commit it makes; diff-tree is cheap


def keep(root: Path, commit: str, entries: Entries, records: list[str] | None = None) -> None:
    """Keep this commit's listing (and its record files, when known); older ones beyond KEEP are dropped."""
    folder = cache_folder(root)
    if folder is None:
        return
    paths = list(entries)
    pack = _pack(folder, commit)
    pack.replace(
        {
            "paths": paths,
            "modes": [entries[p][0] for p in paths],
            "blobs": [entries[p][1] for p in paths],
            **({"yaml": records} if records is not None else {}),  # the same strings: marshal writes each once
        }
    )
    pack.save()
    for old in _kept_files(folder)[:-KEEP]:
        with contextlib.suppress(OSError):  # another gridctl reading it (Windows): dropped next time
            old.unlink(missing_ok=True)


KEEP = 2
"""Listings kept: HEAD's and one more (`validate --rev HEAD~1` does not push HEAD's out)."""


def _kept_files(folder: Path) -> list[Path]:
    """The kept listings, oldest first."""
    found = []
    for path in folder.glob("listing-*.bin"):
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime_ns, path.name, path))
    return [path for _time, _name, path in sorted(found)]


def after_write(before: Entries, changes: Mapping[str, bytes | None]) -> Entries | None:
    """The listing of the commit `git fast-import` made of `changes` on top of `before`, or None
    when a changed path would replace a folder by a file or a file by a folder."""
    folders = set()
    for rel in changes:
        parts = rel.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix in before or prefix in changes:
                return None  # a file where the change needs a folder
            folders.add(prefix + "/")
    if any(rel + "/" in folders for rel in changes):
        return None
    import bisect

    ordered = sorted(before)  # git lists nearly in this order: sorting costs little
    for rel in changes:
        at = bisect.bisect_left(ordered, rel + "/")
        if at < len(ordered) and ordered[at].startswith(rel + "/"):
            return None  # a folder where the change writes a file
    out = dict(before)
    for rel, data in changes.items():
        if data is None:
            out.pop(rel, None)
        else:
            out[rel] = ("100644", blob_id(data))
    return out
