"""Bulk reading of ledger files: fast, and never a traceback for bad input.

The reader is yaml-rs (Rust, YAML 1.2): on the bench it parses about 10× faster than PyYAML's
C loader, it reads `no`, `on`, `0123`, `1:20` and dates exactly as ruamel.yaml's YAML 1.2 does
(tests/test_reader_agreement.py), it refuses duplicate keys, it caps alias expansion, and it
ships wheels for Linux, macOS and Windows. Positions come from ruamel.yaml, and only for files
that have a problem (see positions.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import yaml_rs

from gridctl.ledger.files import SETTINGS_FILE, Files, pasteable
from gridctl.problem import Problem

__all__ = ["SETTINGS_FILE", "Document", "as_read", "own_settings", "parse", "read_text", "split_documents"]

MAX_BYTES = 1024 * 1024
"""One household is a few KB; a file this large is a mistake (or an attack), not a record."""
ALIAS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=10_000, max_replay_stack_depth=32)

_POSITION = re.compile(r"line (\d+), column (\d+)")
_DUPLICATE = re.compile(r"duplicate mapping key: (.*)")
_FULL_WIDTH = (  # what a Chinese input method types in place of YAML's punctuation, first cause wins
    (re.compile(r"^ *(\u3000)", re.MULTILINE), " ", "full-width space (U+3000) in the indentation"),
    (re.compile(r"^[ \u3000]*(?:- +)?[A-Za-z_][\w.-]*[ \u3000]*(：)", re.M), ": ", "full-width colon after a key"),
    (re.compile(r"^[^#\n]*\[[^\]\n]*[\"'\]]\s*(，)", re.MULTILINE), ",", "full-width comma in a list"),
)
_NOT_TEXT_IN_YAML_RS = re.compile(
    r"[\"']\d{4}-\d\d?-\d\d?"  # "2026-05-01" quoted
    r"|[|>][-+1-9]{0,2}[ \t]*(?:#[^\n]*)?\n[ \t]*(?:\d{4}-\d\d?-\d\d?|\d\d?:\d\d:\d\d)"  # a block scalar
    r"|(?:^|[:?\[,{-])[ \t]*[\"']?\d\d?:\d\d:\d\d",  # a time of day alone (08:30:00), quoted or not
    re.MULTILINE,
)
"""Text YAML 1.2 (and ruamel.yaml, which gridctl writes with) reads as a string, yaml-rs as a date
or a time: a quoted day ("2026-05-01", quoted to keep it a string) and a bare time (08:30:00, a
datetime.time no cache could keep)."""
_MAYBE = (re.compile(r":\d\d:\d\d"), re.compile(r"\"\d\d\d\d-"), re.compile(r"'\d\d\d\d-"))
"""What every such text holds (or a | or > of a block scalar): each a literal first, so that the
few files that may be such are found in 0.03 s at 12,000 households (the whole pattern took 0.27 s)."""


def _not_text_in_yaml_rs(text: str) -> bool:
    return bool(
        ("|" in text or ">" in text or any(p.search(text) for p in _MAYBE)) and _NOT_TEXT_IN_YAML_RS.search(text)
    )


_DOC_MARKER = re.compile(r"^---(?:[ \t\r]|$)", re.MULTILINE)
"""A document start: `---` alone or before a space, and `---\r` of a CRLF file (Git for Windows)."""


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document of a ledger file."""

    file: str
    """Path relative to the ledger root, with forward slashes (stable across Windows and Linux)."""
    index: int
    data: Any


def own_settings(files: Files) -> dict[str, Any] | None:
    """gridctl.yaml as written (no profile under it, nothing validated), or None when it is missing or
    broken (validate reports why): for what a command needs before, or without, the settings."""
    text, _problems = read_text(files, SETTINGS_FILE)
    try:
        own = yaml_rs.loads(text) if text is not None else None
    except Exception:  # a syntax error: validate reports it
        return None
    return own if isinstance(own, dict) else None


def read_text(files: Files, rel: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that keep it from being YAML at all."""
    target = files.outside_link(rel)
    if target is not None:
        return None, [Problem("GC008", rel, {"target": target}, line=1, column=1)]
    folder = files.folder_link(rel)
    if folder is not None:
        return None, [Problem("GC015", rel, {"target": folder}, line=1, column=1)]
    try:
        size = files.size(rel)
        if size > MAX_BYTES:
            args = {"size": f"{size / 2**20:.1f}", "limit": f"{MAX_BYTES / 2**20:.0f}"}
            return None, [Problem("GC006", rel, args, line=1, column=1)]
        raw = files.read(rel)
    except OSError as exc:
        return None, [Problem("GC001", rel, {"detail": exc.strerror or str(exc)}, line=1, column=1)]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode": text, but not UTF-8
        return None, [Problem("GC003", rel, {"found": "UTF-16", "byte": 1}, line=1, column=1)]
    if b"\0" in raw[:8192]:
        return None, [Problem("GC004", rel, line=1, column=1)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        args = {"found": _guess_encoding(raw), "byte": exc.start + 1}
        return None, [Problem("GC003", rel, args, line=line, column=1)]
    return text, []


def parse(rel: str, text: str) -> tuple[list[Document], list[Problem]]:
    """Parse a file's text into documents; a syntax error is a Problem with its position."""
    if not text.strip():
        return [], [_no_record(rel)]
    try:
        loaded = yaml_rs.loads(text, alias_limits=ALIAS_LIMITS)
    except yaml_rs.YAMLDecodeError as exc:
        return [], [_syntax_problem(rel, text, str(exc))]
    except (RecursionError, ValueError, OverflowError) as exc:
        return [], [Problem("GC001", rel, {"detail": str(exc)[:200]}, line=1, column=1)]
    docs = [Document(rel, i, d) for i, d in enumerate(as_read(text, loaded)) if d is not None]
    if not docs:  # only comments, `---` or `~`: the record it held is gone, with validate clean
        return [], [_no_record(rel)]
    return docs, []


def _no_record(rel: str) -> Problem:
    return Problem("GC005", rel, {"file": pasteable(rel)}, line=1, column=1)


def as_read(text: str, loaded: Any) -> list[Any]:
    """The documents of a text yaml-rs loaded (`loaded`), each value as YAML 1.2 reads it (see
    _as_text_where_quoted): the ledger and its history read the same values."""
    docs = _as_text_where_quoted(text) if _not_text_in_yaml_rs(text) else None
    return split_documents(text, loaded) if docs is None else docs


def _as_text_where_quoted(text: str) -> list[Any] | None:
    """The documents as ruamel.yaml's YAML 1.2 reads them (what gridctl writes with), for a file
    yaml-rs would read otherwise (_NOT_TEXT_IN_YAML_RS): `name: "2026-05-01"`, a string quoted to
    keep it one, failed as "not a valid string", and `extra: {duty: 08:30:00}` stopped every
    command with an internal error. Only such files (yaml-rs has already refused what it refuses,
    aliases beyond the limits among them); None when ruamel.yaml cannot read the file either."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return list(YAML(typ="safe", pure=True).load_all(text))
    except (YAMLError, ValueError, RecursionError):
        return None


def split_documents(text: str, loaded: Any) -> list[Any]:
    """yaml-rs returns a list for a multi-document stream; tell that apart from a top-level list."""
    if not isinstance(loaded, list):
        return [loaded]
    markers = len(_DOC_MARKER.findall(text))
    if markers == 0:
        return [loaded]
    first = _DOC_MARKER.search(text)
    before = text[: first.start()] if first else ""
    content_before = any(ln.strip() and not ln.lstrip().startswith("#") for ln in before.splitlines())
    expected = markers + (1 if content_before else 0)
    if expected >= 2 and len(loaded) == expected:
        return loaded
    return [loaded]


def _syntax_problem(rel: str, text: str, message: str) -> Problem:
    dup = _DUPLICATE.search(message)
    if dup:
        key = dup.group(1).strip().strip("'\"")
        line, col = _find_duplicate(text, key)
        dash = _lost_dash(text, line - 1)  # the next item of a list whose "- " was lost repeats its first key
        if dash:
            return Problem("GC001", rel, {"detail": LOST_DASH}, line=line, column=dash, width=2)
        return Problem("GC002", rel, {"key": key}, line=line, column=col, width=max(1, len(key)))
    if "alias" in message and ("limit" in message or "exceeded" in message):
        line = next((i for i, ln in enumerate(text.splitlines(), 1) if "*" in ln), 1)
        return Problem("GC007", rel, line=line, column=1)
    lines = text.splitlines()
    tabbed = next(
        ((n, ln.index("\t") + 1) for n, ln in enumerate(lines, 1) if "\t" in ln[: len(ln) - len(ln.lstrip())]), None
    )
    if tabbed is not None:
        return Problem("GC009", rel, line=tabbed[0], column=tabbed[1])
    for pattern, plain, what in _FULL_WIDTH:
        for found in itertools.islice(pattern.finditer(text), 20):
            if _the_cause(text, found.start(1), plain, message):
                line = text.count("\n", 0, found.start(1)) + 1
                column = found.start(1) - (text.rfind("\n", 0, found.start(1)) + 1) + 1
                return Problem("GC001", rel, {"detail": what}, line=line, column=column)
    pos = _POSITION.search(message)
    stopped = int(pos.group(1)) if pos else len(lines)
    for number in range(min(stopped, len(lines))):
        column = _lost_dash(text, number)
        if column:
            return Problem("GC001", rel, {"detail": LOST_DASH}, line=number + 1, column=column, width=2)
    line, col = (int(pos.group(1)), int(pos.group(2))) if pos else _find_quoted(text, message)
    line, col = _open_quote(text) or (line, col)
    detail = message.strip().splitlines()[-1] if message.strip() else "syntax error"
    return Problem("GC001", rel, {"detail": detail}, line=line, column=col)


LOST_DASH = "list item without its leading '- '"
_KEY_LINE = re.compile(r"^( *)([^\s#\-\[{'\"][^:#]*):(?:\s|$)")


def _lost_dash(text: str, number: int) -> int:
    """The column where a list item's `- ` was lost on line `number` (0-based), or 0: a key line whose
    key begins another item of the file (`- id:`), or that follows a `members:` opening a block, and
    with `- ` put back (in its indentation, or before it) the whole file reads."""
    lines = text.split("\n")
    found = _KEY_LINE.match(lines[number]) if number < len(lines) else None
    if found is None:
        return 0
    indent, key = found.group(1), found.group(2)
    before = next((ln for ln in reversed(lines[:number]) if ln.strip() and not ln.lstrip().startswith("#")), "")
    opens = before.rstrip().endswith(":") and len(before) - len(before.lstrip()) < len(indent)
    if not opens and re.search(rf"^ *- +{re.escape(key)}:", text, re.MULTILINE) is None:
        return 0
    tries = [indent + "- " + lines[number][len(indent) :]]
    if len(indent) >= 2:
        tries.insert(0, indent[:-2] + "- " + lines[number][len(indent) :])
    for mended in tries:
        try:
            yaml_rs.loads("\n".join([*lines[:number], mended, *lines[number + 1 :]]), alias_limits=ALIAS_LIMITS)
        except Exception:  # another way of putting it back may read
            continue
        return mended.index("- ") + 1
    return 0


def _the_cause(text: str, at: int, plain: str, message: str) -> bool:
    """Whether YAML's own punctuation in place of the full-width one at `at` (a run of full-width spaces
    as one space each) mends the line the parser stopped at: the file reads, or it stops later. A full-width
    colon or space in a block of text or a value, with the file broken elsewhere, is not named."""
    end = at + 1
    while plain == " " and end < len(text) and text[end] in " \u3000":
        end += 1
    try:
        yaml_rs.loads(text[:at] + plain * (end - at) + text[end:], alias_limits=ALIAS_LIMITS)
    except yaml_rs.YAMLDecodeError as exc:
        was, now = _POSITION.search(message), _POSITION.search(str(exc))
        if was is None or now is None:
            return _POSITION.sub("", str(exc)) != _POSITION.sub("", message)
        return int(now.group(1)) > int(was.group(1))
    except (RecursionError, ValueError, OverflowError):
        return False
    return True


def _open_quote(text: str) -> tuple[int, int] | None:
    """Where an unclosed quote opened: yaml-rs reports the line where it noticed, PyYAML the quote."""
    import yaml

    try:
        for _ in yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            pass
    except yaml.MarkedYAMLError as exc:
        if exc.context_mark is not None and "quoted" in (exc.context or ""):
            return exc.context_mark.line + 1, exc.context_mark.column + 1
    except Exception:  # a second opinion is optional
        return None
    return None


def _guess_encoding(raw: bytes) -> str:
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        return "unknown encoding"
    return "GBK"


def _find_quoted(text: str, message: str) -> tuple[int, int]:
    """Where the 'quoted' token of a message without a position (e.g. an invalid tag) is."""
    m = re.search(r"'([^']+)'", message)
    if m:
        for number, line in enumerate(text.splitlines(), 1):
            col = line.find(m.group(1))
            if col >= 0:
                return number, col + 1
    return 1, 1


def _find_duplicate(text: str, key: str) -> tuple[int, int]:
    """Where the repeated key is: ruamel.yaml reports it with a position (this path is rare)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        for _ in YAML(typ="rt").load_all(text):
            pass
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        if mark is not None:
            return mark.line + 1, mark.column + 1
    except Exception:
        pass
    return 1, 1
