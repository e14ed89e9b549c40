"""`gridctl diff`: records added, removed, moved and changed between two revisions, or HEAD and the files."""

from __future__ import annotations

from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.history.changelog import grid_names
from gridctl.history.describe import RecordChange, record_changes, renumbered
from gridctl.history.gitlog import ZERO, cat_blobs, git, require_history
from gridctl.history.resealing import encrypting, keyring, settle_records
from gridctl.ledger.message import RENUMBERED, renumbered_ids


def _is_record_file(path: str) -> bool:
    return path.endswith((".yaml", ".yml")) and path != "gridctl.yaml" and not path.split("/")[0].startswith(".")


def semantic_diff(
    root: Path, rev1: str | None = None, rev2: str | None = None
) -> tuple[list[RecordChange], dict[str, str]]:
    """(changes, grid names). No revisions: HEAD against the working tree; one: REV against it."""
    require_history(root)
    base = rev1 or "HEAD"
    args = ["-c", "core.quotepath=off", "diff", "--raw", "-z", "--no-renames", "--no-abbrev", base]
    if rev2:
        args.append(rev2)
    out = git(root, *args).decode("utf-8", "replace")
    tokens = out.split("\0")
    changed: list[tuple[str, str | None, str | None]] = []
    i = 0
    while i < len(tokens) - 1:
        meta = tokens[i].lstrip("\n")
        if meta.startswith(":"):
            _m1, _m2, old, new, _status = meta[1:].split(" ", 4)
            changed.append((tokens[i + 1], None if old == ZERO else old, None if new == ZERO else new))
            i += 2
        else:
            i += 1
    if rev2 is None:
        untracked = git(root, "-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard", "-z")
        changed += [(p, None, None) for p in untracked.decode("utf-8").split("\0") if p]
    changed = [c for c in changed if _is_record_file(c[0])]
    blobs = cat_blobs(root, [s for _p, old, new in changed for s in (old, new) if s])
    files = []
    for path, old, new in changed:
        if rev2 is None:
            disk = root / path
            after = disk.read_bytes() if disk.is_file() else None
        else:
            after = blobs.get(new or "")
        files.append((path, blobs.get(old or ""), after))
    names = grid_names(root)
    changes = renumbered(record_changes(files), _renumberings(root, base, rev2 or "HEAD"))
    keys = keyring(root, [r for r in (rev1, rev2) if r])
    if keys is None:  # a plain ledger
        return changes, names
    one = _one_commit(root, base, rev2)
    return settle_records(changes, keys, one, one and encrypting(root, base, rev2)), names


def _renumberings(root: Path, base: str, tip: str) -> dict[str, str]:
    """New id → the id it had at `base`, through every renumbering between the two (oldest first, so
    an id renumbered twice leads back to the first)."""
    try:
        out = git(root, "log", "--reverse", "-z", "--format=%B", f"--grep=^{RENUMBERED}: ", f"{base}..{tip}")
    except GridctlError:
        return {}
    found: dict[str, str] = {}
    for message in out.decode("utf-8", "replace").split("\0"):
        for new, old in renumbered_ids(message).items():
            found[new] = found.pop(old, old)
    return found


def _one_commit(root: Path, base: str, rev2: str | None) -> bool:
    """Whether the diff is one change: a commit against its only parent, or HEAD against the files."""

    def commit(rev: str) -> str:
        return git(root, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}").decode().strip()

    try:
        if rev2 is None:
            return commit(base) == commit("HEAD")
        parents = git(root, "rev-list", "--parents", "-n", "1", rev2).decode().split()[1:]
        return parents == [commit(base)]
    except GridctlError:
        return False
