"""Many working-tree files written at once, each one old or new after a power cut, at one flush.

atomic_write flushes every temp file to the disk before renaming it (fsync): an import of 3,600
households spent 5 of its 12 seconds on 3,600 flushes. A batch writes every temp file first, asks
the file system once to flush all it holds (Linux `syncfs`), then renames them, and flushes once
more so the renames are on the disk before the journal that could finish them goes. Where there
is no `syncfs` (Windows, macOS) each temp file is flushed as atomic_write does.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

BATCH = 32
"""From this many files a write flushes once for all (a `syncfs` waits for whatever else the file
system holds: a one-household edit keeps flushing its own file)."""


def _syncfs() -> object | None:
    """libc's syncfs(fd), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.syncfs
    except (OSError, AttributeError):
        return None


class Batch:
    """Temp files staged beside their targets, flushed together, then renamed over them."""

    def __init__(self, root: Path, mode: int) -> None:
        self.root = root
        self.mode = mode
        self.syncfs = _syncfs()
        self.staged: dict[Path, str] = {}

    def stage(self, path: Path, data: bytes, prefix: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if self.syncfs is None:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, self.mode)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.staged[path] = tmp

    def flush(self) -> None:
        """Everything staged (or renamed) so far, on the disk."""
        if self.syncfs is None:
            return
        fd = os.open(self.root, os.O_RDONLY)
        try:
            if self.syncfs(fd) != 0:  # type: ignore[operator]
                import ctypes

                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code), str(self.root))
        finally:
            os.close(fd)

    def rename(self, path: Path) -> None:
        os.replace(self.staged.pop(path), path)

    def discard(self) -> None:
        """The temp files not renamed (the write failed or was interrupted)."""
        for tmp in self.staged.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.staged.clear()
