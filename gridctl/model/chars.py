"""Text from a ledger never drives the clerk's terminal: control, bidirectional and invisible
characters are shown as U+FFFD (one character for one, so columns and carets stay in place)."""

from __future__ import annotations

import re

SHOWN = {
    c: "\ufffd"
    for c in [
        *range(0x20),
        *range(0x7F, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0x200B, 0x2010),
        0xFEFF,
        *range(0xD800, 0xE000),  # a file name that is not UTF-8, as Python reads it (surrogateescape)
    ]
    if c not in (0x09, 0x0A)
}


def _ranges(codes: list[int]) -> str:
    """A character class of `codes` (sorted) as runs, `[a-b…]`: one escaped character for each of
    2,128 codes took 1–3 ms to compile, in every command."""
    runs: list[list[int]] = []
    for c in codes:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs) + "]"


_HIDDEN = re.compile(_ranges(sorted(SHOWN)))


def visible(text: str) -> str:
    """`text` with every character that could rewrite or hide what a terminal shows replaced.

    A regex finds the (rare) line that needs it; translating every line costs 0.4 s for the
    40,000 warnings of a 100,000-household ledger."""
    return text.translate(SHOWN) if _HIDDEN.search(text) else text


_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _c_escape(found: re.Match[str]) -> str:
    char = found.group()
    return _C_ESCAPES.get(char) or f"\\{ord(char):03o}"


def one_line(text: str) -> str:
    """`text` with its control characters written out as git writes them (\\n, \\t, \\033): a file
    named with a line break (touch $'H0\\n1.yaml') would break the line it is named in."""
    return _CONTROL.sub(_c_escape, text) if _CONTROL.search(text) else text


def quoted_path(path: str) -> str:
    """A path as git shows one with a control character: in double quotes, escaped ("H0\\n1.yaml");
    any other path as it is. Chinese names stay readable (git's core.quotePath=off)."""
    if not _CONTROL.search(path):
        return path
    return '"' + one_line(path.replace("\\", "\\\\").replace('"', '\\"')) + '"'
