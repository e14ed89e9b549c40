"""The author's and committer's `Name <email> time zone`, as `git var -l` gives them, without
starting git where its answer is known.

A write names both with the clerk's name and email, so git would only add the date: the time now
and the local zone's offset (git's datestamp: the seconds, `+hhmm`, minutes truncated toward zero).
Name and email lose the characters git trims at their ends (spaces, control characters and
`.,:;<>"\\'`) and every `<`, `>` and newline inside (git's strbuf_addstr_without_crud, byte by
byte). A date given in the environment (GIT_AUTHOR_DATE, GIT_COMMITTER_DATE, git's test clock)
takes git's own date parser, and Windows its own C library's zone: those are asked of git.
"""

from __future__ import annotations

import os
import time

_CRUD = frozenset(b".,:;<>\"\\'")
_ASK_GIT = ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "GIT_TEST_DATE_NOW")


def _without_crud(value: bytes) -> bytes:
    start, end = 0, len(value)
    while start < end and (value[start] <= 32 or value[start] in _CRUD):
        start += 1
    while end > start and (value[end - 1] <= 32 or value[end - 1] in _CRUD):
        end -= 1
    return bytes(c for c in value[start:end] if c not in b"\n<>")


def datestamp(now: int | None = None) -> str:
    """`<seconds> <+|-><hhmm>` of now in the local zone, as git writes a date it was not given."""
    seconds = int(time.time()) if now is None else now
    offset = int(time.localtime(seconds).tm_gmtoff / 60)  # C's division: toward zero
    sign = "-" if offset < 0 else "+"
    offset = abs(offset)
    return f"{seconds} {sign}{offset // 60:02d}{offset % 60:02d}"


def idents_here(name: str, email: str) -> tuple[str, str] | None:
    """(author, committer) idents of `name <email>` now, or None where git must be asked."""
    if os.name == "nt" or any(os.environ.get(key) for key in _ASK_GIT):
        return None
    try:
        raw = (name.encode("utf-8"), email.encode("utf-8"))
    except UnicodeEncodeError:
        return None
    if not raw[0]:
        return None  # git would name the computer's login
    text = (_without_crud(raw[0]) + b" <" + _without_crud(raw[1]) + b"> ").decode("utf-8", "replace") + datestamp()
    return text, text
