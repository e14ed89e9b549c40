"""Where ledger files come from: the working tree, or the working tree with pending changes.

Reading goes through this small interface so that validation can run on what a write *would*
produce (an overlay, before anything touches the disk) and, later, on a git revision.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

SKIP_DIRS = frozenset({".git", "photos", "templates", "schemas", ".github", ".gitlab", "node_modules"})
SETTINGS_FILE = "gridctl.yaml"


class WorkTree:
    """The ledger folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def paths(self) -> Iterator[str]:
        """Every *.yaml / *.yml below root except settings and tool folders, in a stable order."""
        stack = [self.root]
        while stack:
            folder = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            subdirs = []
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                        subdirs.append(Path(entry.path))
                elif entry.name.endswith((".yaml", ".yml")) and not entry.name.startswith("."):
                    rel = Path(entry.path).relative_to(self.root).as_posix()
                    if rel != SETTINGS_FILE:
                        yield rel
            stack.extend(reversed(subdirs))

    def outside_link(self, rel: str) -> str | None:
        """The target of a symlink that leaves the ledger, else None."""
        path = self.root / rel
        if not path.is_symlink():
            return None
        target = path.resolve()
        return None if target.is_relative_to(self.root.resolve()) else str(target)

    def size(self, rel: str) -> int:
        return (self.root / rel).stat().st_size

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()


class Overlay:
    """A ledger as it would be after a write: `changes` maps paths to new bytes, or None to delete."""

    def __init__(self, base: WorkTree, changes: Mapping[str, bytes | None]) -> None:
        self.root = base.root
        self.base = base
        self.changes = dict(changes)

    def paths(self) -> Iterator[str]:
        seen = set()
        for rel in self.base.paths():
            seen.add(rel)
            if rel not in self.changes or self.changes[rel] is not None:
                yield rel
        for rel in sorted(self.changes):
            if rel not in seen and self.changes[rel] is not None and rel != SETTINGS_FILE:
                yield rel

    def outside_link(self, rel: str) -> str | None:
        return None if rel in self.changes else self.base.outside_link(rel)

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


Files = WorkTree | Overlay
