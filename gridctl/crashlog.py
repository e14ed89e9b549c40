"""The log of an internal error (exit 3): the user's own, never a shared file others can read or plant.

A fixed /tmp/gridctl-crash.log is world-readable on a shared machine and can be replaced by a
link another user planted; a traceback may hold record values (masked here too). So each crash gets a new file
(mkstemp: a unique name, mode 0600) in the user's cache folder (platformdirs: %LOCALAPPDATA% on
Windows, ~/.cache on Linux, ~/Library/Caches on macOS).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def crash_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("gridctl", appauthor=False)) / "crashes"


def write_crash_log(text: str) -> str:
    """Write `text` to a new private file; returns its path, or a note when even that failed.

    ID numbers, mobiles and birth dates in it are masked: a crash log is sent to whoever maintains
    gridctl, and a traceback quotes the values it was handling.
    """
    from gridctl.model.masking import mask_line

    text = "\n".join(mask_line(line) for line in text.split("\n"))
    try:
        folder = crash_folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        fd, path = tempfile.mkstemp(prefix=f"crash-{stamp}-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    except OSError:
        return "(could not write the log)"
