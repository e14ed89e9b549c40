"""The listing of the commit gridctl last wrote, kept so the next write need not list it again.

`git ls-tree -r` of 137,000 files and parsing it took 0.4 s of every write at 100,000 households.
A commit names its tree for ever, so its listing can be kept by the commit id. Two listings are
kept, the newest: the commit a write made, computed from its parent's listing and the exact files it gave
`git fast-import` (every file `100644`, a deleted file gone), or a later commit's, computed from
the newest kept one and what `git diff-tree` lists as changed between the two. A write keeps its
listing as the paths it changed on top of its parent's, up to DEPTH such steps. A write whose
paths could turn a file into a folder or a folder into a file keeps nothing. The pack is a cache
like the others (gridctl.ledger.cache): missing, damaged or of another commit, it is listed again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

from gridctl.ledger.cache import FORMAT, Pack, blob_id, cache_folder
from gridctl.ledger.files import RECORD_RULE

Entries = dict[str, tuple[str, str]]
"""path → (mode, blob id), as GitTree lists a commit."""


def _pack(folder: Path, commit: str, parent: str | None = None) -> Pack:
    """One file per commit kept: `listing-<commit>.bin`, or `listing-<commit>-on-<parent>.bin`
    for the changes since its parent's; asking about another commit reads nothing. Its header
    names both: a file renamed to another commit's, or onto another parent, is not taken."""
    if parent is None:
        return Pack(folder, f"listing-{commit}", f"listing:{FORMAT}:{commit}")
    return Pack(folder, f"listing-{commit}-on-{parent}", f"listing:{FORMAT}:{commit}:on:{parent}")


def _chains(folder: Path) -> dict[str, tuple[str | None, str]]:
    """Each kept commit → (the commit its listing is kept on top of, or None; its file's name)."""
    out: dict[str, tuple[str | None, str]] = {}
    for path in _kept_files(folder):  # the newest last: it wins
        commit, _on, parent = path.stem.removeprefix("listing-").partition("-on-")
        out[commit] = (parent or None, path.stem)
    return out


def kept(root: Path, commit: str) -> tuple[Entries, list[str] | None] | None:
    """The listing kept for this commit, and its record files (GitTree._yaml) when kept, or None."""
    folder = cache_folder(root)
    if folder is None or not folder.is_dir():
        return None
    return _kept(folder, _chains(folder), commit, 0)


def _kept(
    folder: Path, chains: dict[str, tuple[str | None, str]], commit: str, depth: int
) -> tuple[Entries, list[str] | None] | None:
    found = chains.get(commit)
    if found is None or depth > DEPTH:
        return None
    parent = found[0]
    data = _pack(folder, commit, parent).data
    try:
        if parent is None:
            paths, modes, blobs = data["paths"], data["modes"], data["blobs"]
            if not (len(paths) == len(modes) == len(blobs)):
                return None
            entries = dict(zip(paths, zip(modes, blobs, strict=True), strict=True))
            records = data.get("yaml")
            good = data.get("rule") == RECORD_RULE and isinstance(records, list)
            good = good and all(r in entries for r in records[:1])
            return entries, records if good else None
        changed, modes, blobs = data["changed"], data["modes"], data["blobs"]
        if not (len(changed) == len(modes) == len(blobs)):
            return None
        base = _kept(folder, chains, parent, depth + 1)
        if base is None:
            return None
        entries, records = base  # built for this call alone: changed in place
        for rel, mode, blob in zip(changed, modes, blobs, strict=True):
            if records is not None and (mode is None) == (rel in entries):  # a file gone, or come
                _file_came_or_went(records, rel, mode is not None)
            if mode is None:
                entries.pop(rel, None)
            else:
                entries[rel] = (mode, blob)
        return entries, records
    except (KeyError, TypeError, ValueError):
        return None


def _file_came_or_went(records: list[str], rel: str, came: bool) -> None:
    """The sorted record files (files.ledger_files) with a file that came or went."""
    import bisect

    from gridctl.ledger.files import ledger_files

    at = bisect.bisect_left(records, rel)
    there = at < len(records) and records[at] == rel
    if came and not there and ledger_files([rel]):
        records.insert(at, rel)
    elif not came and there:
        del records[at]


def from_kept(root: Path, commit: str, tried: bool = False) -> tuple[Entries, list[str] | None] | None:
    """This commit's listing: the kept one's, or the kept commit's changed by what `git diff-tree`
    says differs between the two (a commit made outside gridctl on top of its last write: a
    plain `git commit`, a pull); None when nothing is kept. `tried`: the kept one was asked for."""
    found = None if tried else kept(root, commit)
    if found is not None:
        return found
    folder = cache_folder(root)
    others = _kept_files(folder) if folder is not None and folder.is_dir() else []
    if not others:
        return None
    other = others[-1].stem.removeprefix("listing-").partition("-on-")[0]  # the newest
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


def keep(
    root: Path,
    commit: str,
    entries: Entries,
    records: list[str] | None = None,
    parent: str | None = None,
    changed: Mapping[str, tuple[str, str] | None] | None = None,
) -> None:
    """Keep this commit's listing (and its record files, when known). `parent`, `changed`: the
    commit it was made on and the paths it changed (None: gone): kept as those changes on top of
    the parent's listing while that is kept, and fewer than DEPTH such steps lead to a whole one
    (writing the whole listing of 137,000 files took a write 0.2 s). Only the newest KEEP
    listings, and what they are kept on top of, stay."""
    folder = cache_folder(root)
    if folder is None:
        return
    chains = _chains(folder) if folder.is_dir() else {}
    depth = _depth(chains, parent) if parent is not None and changed is not None else None
    if changed is not None and depth is not None and depth < DEPTH:
        paths = sorted(changed)
        pack = _pack(folder, commit, parent)
        pack.replace(
            {
                "changed": paths,
                "modes": [found[0] if (found := changed[p]) is not None else None for p in paths],
                "blobs": [found[1] if (found := changed[p]) is not None else None for p in paths],
            }
        )
    else:
        if records is None:  # found once here, for the steps kept on top of it too
            from gridctl.ledger.files import ledger_files

            records = ledger_files(rel for rel, (mode, _blob) in entries.items() if mode != "160000")
        paths = list(entries)
        pack = _pack(folder, commit)
        pack.replace(
            {
                "paths": paths,
                "modes": [entries[p][0] for p in paths],
                "blobs": [entries[p][1] for p in paths],
                "yaml": records,  # the same strings: marshal writes each once
                "rule": RECORD_RULE,
            }
        )
    pack.save()
    _prune(folder)


def _depth(chains: dict[str, tuple[str | None, str]], commit: str) -> int | None:
    """How many steps of changes lead from a whole kept listing to this commit's; None if not kept."""
    for depth in range(DEPTH + 1):
        found = chains.get(commit)
        if found is None:
            return None
        if found[0] is None:
            return depth
        commit = found[0]
    return None


def _prune(folder: Path) -> None:
    """Drop the listings that are not among the newest KEEP nor what those are kept on top of."""
    files = _kept_files(folder)
    chains = _chains(folder)
    needed: set[str] = set()
    for path in files[-KEEP:]:
        commit: str | None = path.stem.removeprefix("listing-").partition("-on-")[0]
        for _step in range(DEPTH + 1):
            found = chains.get(commit) if commit is not None else None
            if found is None:
                break
            needed.add(found[1])
            commit = found[0]
    for path in files:
        if path.stem not in needed:
            with contextlib.suppress(OSError):  # another gridctl reading it (Windows): dropped next time
                path.unlink(missing_ok=True)


KEEP = 2
"""Listings kept: HEAD's and one more (`validate --rev HEAD~1` does not push HEAD's out)."""

DEPTH = 32
"""Steps of changes kept on top of a whole listing before a write keeps a whole one again."""


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
