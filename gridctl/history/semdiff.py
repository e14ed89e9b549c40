"""`gridctl diff`: records added, removed, moved and changed between two revisions, or HEAD and the files."""

from __future__ import annotations

from pathlib import Path

from gridctl.history.changelog import grid_names
from gridctl.history.describe import RecordChange, record_changes
from gridctl.history.gitlog import ZERO, cat_blobs, git, require_history


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
    return record_changes(files), names
