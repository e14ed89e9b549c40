"""Lines and columns as git, editors and GitHub count them: a file breaks at "\\n" only ("\\r\\n" is one).

The YAML composers also break lines at U+2028, U+2029 and U+0085, and Python's str.splitlines() at
those and at \\v, \\f and \\x1c–\\x1e. A note pasted from a web page or Word into a record file holds
U+2028: every problem below it was reported one line too far down per such character, in the text,
JSON and GitHub annotations alike, and the quoted line was not the one named. A file without any of
them (nearly all) takes the composers' marks as they are.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

_ODD = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|\r(?!\n)")


def text_lines(text: str) -> list[str]:
    """The lines of a text as git numbers them (a trailing "\\r" of "\\r\\n" dropped)."""
    if _ODD.search(text) is None:
        return text.splitlines()  # the same lines, and faster
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


class Marks:
    """Where a composer's mark is, as (line, column), 0-based, in lines as git counts them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.odd = _ODD.search(text) is not None
        self._starts: list[int] | None = None

    def at(self, mark: Any) -> tuple[int, int]:
        if not self.odd:
            return mark.line, mark.column
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._starts, mark.index) - 1
        return line, mark.index - self._starts[line]
