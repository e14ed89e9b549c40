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
