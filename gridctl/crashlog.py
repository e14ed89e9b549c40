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
from collections.abc import Iterable, Sequence
from pathlib import Path


def crash_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("gridctl", appauthor=False)) / "crashes"


def write_crash_log(text: str, words: Iterable[str] = ()) -> str:
    """Write `text` to a new private file; returns its path, or a note when even that failed.

    ID numbers, mobiles, landlines, birth dates and care-group words (`words`, see care_words) in it
    are masked: a crash log is sent to whoever maintains gridctl, and a traceback quotes the values it
    was handling (`tags=['社区矫正']`, a note's `0571-8888 8888`).
    """
    from gridctl.model.masking import mask_landlines, mask_line, mask_words

    words = list(words)
    text = "\n".join(mask_words(mask_landlines(mask_line(line)), words) for line in text.split("\n"))
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


SENSITIVE_VOCABULARIES = ("care_groups", "person_categories")
"""The vocabularies whose words are personal data (the N groups, 四类管理 categories)."""


def care_words(args: Sequence[str]) -> list[str]:
    """The care-group words a crash log masks: every bundled profile's, and those of the ledger the
    command was pointed at (`-C`/`--ledger`, else the folder it ran in or above), with their aliases.
    Whatever cannot be read adds nothing: a crash log is written whatever else is broken."""
    import contextlib

    import yaml_rs

    from gridctl.ledger.profiles import profile_defaults, profile_names

    found: list[str] = []
    tables: list[object] = []
    with contextlib.suppress(Exception):
        tables += [profile_defaults(name) for name in profile_names()]
    with contextlib.suppress(Exception):
        folder = _ledger_folder(args)
        if folder is not None:
            tables.append(yaml_rs.loads((folder / "gridctl.yaml").read_text(encoding="utf-8")))
    for table in tables:
        if not isinstance(table, dict):
            continue
        vocabularies, aliases = table.get("vocabularies"), table.get("aliases")
        for name in SENSITIVE_VOCABULARIES:
            words = vocabularies.get(name) if isinstance(vocabularies, dict) else None
            found += [str(w) for w in words or [] if isinstance(words, list)]
            synonyms = aliases.get(name) if isinstance(aliases, dict) else None
            if isinstance(synonyms, dict):
                found += [str(w) for pair in synonyms.items() for w in pair]
    return sorted(set(found))


def _ledger_folder(args: Sequence[str]) -> Path | None:
    given = next((args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-C", "--ledger")), None)
    given = given or next((a.split("=", 1)[1] for a in args if a.startswith("--ledger=")), None)
    start = Path(given) if given else Path.cwd()
    for folder in (start, *start.resolve().parents):
        if (folder / "gridctl.yaml").is_file():
            return folder
    return None
