"""Which characters the fonts a PDF is set in can draw: the font files fontconfig gives WeasyPrint,
and each file's character map read with fontTools.

Pango draws a character in the first font of the page's list that has it and otherwise in any
font fontconfig knows that has it, so a character no font file fontconfig lists has comes out as
an empty box. Reading the character map of a 20 MB Noto CJK collection takes a second or two, so
what a file covers is kept in the user's cache folder (platformdirs: XDG_CACHE_HOME on Linux),
keyed by the file's path, size and modification time: a font updated in place is read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

FORMAT = 1
"""Bumped when what is kept changes: older entries are then simply not found."""
READABLE = (".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2")
"""Font files fontTools reads. Type 1 files (.pfb, .t1) have no character map, and Pango (1.44 on)
no longer draws with them, so they count as drawing nothing."""


def cache_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("gridctl", appauthor=False)) / "fonts"


def _key(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(f"{FORMAT}\0{path}\0{size}\0{mtime_ns}".encode()).hexdigest()[:32]


def _ranges(codepoints: set[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for cp in sorted(codepoints):
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def _expand(ranges: list[list[int]]) -> frozenset[int]:
    return frozenset(cp for start, end in ranges for cp in range(start, end + 1))


def read_cmap(path: str) -> set[int]:
    """Every character any face of the font file maps to a glyph (a collection's faces often share
    one map: it is read once). A file fontTools cannot read draws nothing."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    covered: set[int] = set()
    if not path.lower().endswith(READABLE):
        return covered
    try:
        if path.lower().endswith((".ttc", ".otc")):
            faces = TTCollection(path, lazy=True).fonts
        else:
            faces = [TTFont(path, lazy=True)]
        seen: set[int] = set()
        for face in faces:
            entry = face.reader.tables.get("cmap")
            if entry is None or entry.offset in seen:
                continue
            seen.add(entry.offset)
            covered.update(face.getBestCmap() or {})
    except (TTLibError, OSError, ValueError, KeyError, AssertionError, ImportError):
        return set()
    return covered


def covered(path: str, folder: Path | None = None) -> frozenset[int]:
    """The characters the font file at `path` draws, from the cache when the file is unchanged."""
    try:
        stat = os.stat(path)
    except OSError:
        return frozenset()
    folder = folder if folder is not None else cache_folder()
    kept = folder / (_key(path, stat.st_size, stat.st_mtime_ns) + ".json")
    with contextlib.suppress(OSError, ValueError, TypeError):
        return _expand(json.loads(kept.read_text(encoding="utf-8"))["ranges"])
    codepoints = read_cmap(path)
    with contextlib.suppress(OSError):  # no cache folder to write: read again next time
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(prefix=".cover-", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"path": path, "ranges": _ranges(codepoints)}, handle)
            os.replace(temp, kept)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    return frozenset(codepoints)


def font_files(family: str) -> tuple[list[str], list[str]]:
    """The files fontconfig (as WeasyPrint sees it) matches `family` to, and every other font file it
    knows (Pango's fallback for a character the first lacks)."""
    from weasyprint.text.ffi import ffi, fontconfig

    from gridctl.render.pdf import family_match

    value = ffi.new("FcChar8 **")

    def file_of(pattern) -> str | None:  # type: ignore[no-untyped-def]
        if fontconfig.FcPatternGetString(pattern, b"file", 0, value) != 0:
            return None
        return os.fsdecode(ffi.string(value[0]))

    with family_match(family) as (config, match):
        if config is None:
            return [], []
        found = file_of(match) if match is not None else None
        first = [found] if found else []
        others: dict[str, None] = {}
        for which in (0, 1):  # FcSetSystem, FcSetApplication
            fonts = fontconfig.FcConfigGetFonts(config, which)
            if fonts == ffi.NULL:
                continue
            for i in range(fonts.nfont):
                found = file_of(fonts.fonts[i])
                if found and found not in first:
                    others[found] = None
        return first, list(others)


def lacking(characters: set[str], family: str, folder: Path | None = None) -> set[str]:
    """Those of `characters` no font file the PDF may draw with has: the page's font first, then
    every other one fontconfig knows, read only while characters are left without a font."""
    first, others = font_files(family)
    left = set(characters)
    for path in [*first, *others]:
        if not left:
            break
        have = covered(path, folder)
        left = {c for c in left if ord(c) not in have}
    return left
