"""The day each household's care groups began: the commit that gave it (or a member) the group.

A care group's visits fall due one interval after the household entered the group: a household
tagged 独居老人 today is not weeks late. The ledger stores no such day (nothing derived is kept in
the records), so git holds it: one walk over the commits that changed households, along the first
parent (the ledger's own line: work merged from another computer counts from the merge). The
answer is kept in the cache by commit, and the next call reads only the commits since.

What a ledger's first commit held came with the register: its groups began "from the start"
(None), and their visits fall due from the grid's start as they always did. Only households
changed after that commit are kept, and only while they are in a group.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.history.gitlog import Commit, cat_blobs, git, log
from gridctl.history.records import records_in
from gridctl.ledger.clock import Clock
from gridctl.ledger.gitrepo import DubiousOwnership
from gridctl.model.masking import SEALED_PREFIX, is_sealed

Began = dict[str, dict[str, str | None]]
"""Household id → care group → the day (ISO) it began, None for "from the start" or unknown."""

FOLDERS = ("households",)
CLOSED = "\0sealed"
"""A tag no key here opens: the groups that follow it began on a day that cannot be told."""


def began(
    root: Path,
    clock: Clock,
    revision: str = "HEAD",
    aliases: Mapping[str, str] | None = None,
    vault: Callable[[], Any] | None = None,
) -> Began:
    """When each household's groups began, as of `revision`; {} outside git or without history.

    `aliases` reads a synonym as its word (独居 is 独居老人); `vault()` opens sealed tags, asked
    only when a version holds one."""
    try:
        head = git(root, "rev-parse", "--verify", "-q", f"{revision}^{{commit}}").decode().strip()
    except DubiousOwnership:
        raise  # history exists but git will not read it: never count as if every group began today
    except GridctlError:
        return {}
    words = dict(aliases or {})
    pack = _pack(root, clock, words)
    kept = pack.get("kept") if pack is not None else None
    state: Began = {}
    since = None
    if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], dict):
        if kept[0] == head:
            return kept[1]
        if _is_ancestor(root, kept[0], head):
            since, state = kept[0], kept[1]
    revs = [f"{since}..{head}"] if since else [head]
    try:
        commits = list(log(root, revs, FOLDERS, extra=["--first-parent"], merges=True))
    except DubiousOwnership:
        raise
    except GridctlError:
        return {}
    commits.reverse()
    sealed = _walk(root, commits, state, clock, words, vault)
    if pack is not None and not sealed:  # opened tags never sit on disk (design.md: privacy by construction)
        pack.replace({"kept": (head, state)})
        pack.save()
    return state


def _walk(root: Path, commits: list[Commit], state: Began, clock: Clock, words: dict[str, str], opener: Any) -> bool:
    """Apply the commits (oldest first) to `state`; whether any tag was sealed."""
    changes = [(c, [f for f in c.files if f.path.endswith((".yaml", ".yml"))]) for c in commits if c.parents]
    blobs = cat_blobs(root, [b for _c, files in changes for f in files for b in (f.old, f.new) if b])
    marker = SEALED_PREFIX.encode()
    vault = opener() if opener is not None and any(marker in b for b in blobs.values()) else None
    sealed = False
    for commit, files in changes:
        day = clock.day_of(commit.date).isoformat()
        before: dict[str, set[str]] = {}
        after: dict[str, set[str]] = {}
        for f in files:
            for blob, into in ((f.old, before), (f.new, after)):
                for hid, (groups, closed) in _groups(f.path, blobs.get(blob or ""), words, vault).items():
                    into[hid] = groups
                    sealed = sealed or closed
        for hid, groups in after.items():
            prev = state.get(hid)
            if prev is None:  # in no group since the first commit, or as that commit had it: from the start
                prev = dict.fromkeys(before.get(hid, ()))
            new = None if CLOSED in prev else day
            now = {g: prev.get(g, new) for g in groups}
            if now:
                state[hid] = now
            else:
                state.pop(hid, None)
        for hid in before.keys() - after.keys():  # deleted, not moved
            state.pop(hid, None)
    return sealed


def _groups(path: str, blob: bytes | None, words: dict[str, str], vault: Any) -> dict[str, tuple[set[str], bool]]:
    """Household id → (its groups and its living members', whether any was sealed) in one file version."""
    out: dict[str, tuple[set[str], bool]] = {}
    if not blob or b"household" not in blob:
        return out
    for rid, version in records_in(path, blob).items():
        if version.kind != "household":
            continue
        data = version.data
        groups: set[str] = set()
        sealed = _add(groups, data.get("tags"), rid, words, vault)
        for member in data.get("members") or ():
            if isinstance(member, dict) and member.get("retired") is None:
                sealed = _add(groups, member.get("tags"), str(member.get("id")), words, vault) or sealed
        out[rid] = (groups, sealed)
    return out


def _add(groups: set[str], tags: Any, owner: str, words: dict[str, str], vault: Any) -> bool:
    """Put the words of `tags` into `groups` (a sealed one opened when a key here opens it)."""
    if not isinstance(tags, list):
        return False
    sealed = False
    for tag in tags:
        if not isinstance(tag, str):
            continue
        if is_sealed(tag):
            sealed = True
            tag = _open(tag, owner, vault)
        groups.add(words.get(tag, tag))
    return sealed


def _open(token: str, owner: str, vault: Any) -> str:
    if vault is None or not vault.can_open:
        return CLOSED
    try:
        return str(vault.open(token, owner, "tags"))
    except Exception:  # another data key, moved, damaged
        return CLOSED


def _is_ancestor(root: Path, old: str, new: str) -> bool:
    try:
        git(root, "merge-base", "--is-ancestor", old, new)
    except GridctlError:
        return False  # not an ancestor (exit 1), or gone (a rewritten history): read it all again
    return True


def _pack(root: Path, clock: Clock, words: dict[str, str]) -> Any:
    from gridctl.ledger.cache import Pack, cache_folder, code_fingerprint

    folder = cache_folder(root)
    if folder is None:
        return None
    synonyms = hashlib.sha1(repr(sorted(words.items())).encode(), usedforsecurity=False).hexdigest()[:16]
    return Pack(folder, "caregroups", f"caregroups:{code_fingerprint()}:{clock.zone.key}:{synonyms}")


def group_days(began_of: Began, household: str, groups: Iterable[str]) -> dict[str, str | None]:
    """The day each of a household's groups began (None: from the start, or cannot be told)."""
    known = began_of.get(household, {})
    return {g: known.get(g) for g in groups}
