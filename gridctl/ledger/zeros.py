"""Values typed by hand without quotes that YAML reads as numbers, and so rewrites: `phone:
01065071234`, `room: 0101` (GC117, the leading 0 lost), `phone: +8613800138000` (the `+`), `room:
1.10` (1.1), `code: 0x1F` (31) (GC118).

YAML 1.2 (yaml-rs, and ruamel.yaml, which gridctl writes with) reads `01065071234` as the number
1065071234; a text field takes its digits (gridctl.model.types.to_text), and the notice board
prints a landline nobody can dial, with validate clean. gridctl's own writes quote such values;
a hand edit need not. So reading a file finds them where the file says them: a plain value read
as a number whose digits, written back, are not what the clerk typed.

An error wherever the value is text: every field but the models' few counts (NUMBER_FIELDS), which
are the same number with or without the zero, and their GeoJSON (FREE_FIELDS), numbers by design.
Under `extra:` too: a ledger's own field holds what the clerk typed, and 0101 typed there is a room
or a code, never a count written with a zero. A number written back as typed (`room: 501`,
`面积: 85.5`) is no finding.

Cheap on a cold read of 12,000 households (16,500 files: about 40 ms in all): a file is looked at only if it
holds a `+`, a `.`, or a 0 after a space, `[`, a tab or a comma (single characters first, the tab and
the comma only where the file has one), then only if what it read holds a number where text is,
and only then composed (gridctl.ledger.positions: PyYAML's C composer, 0.1 ms a file) to compare
the number with the plain value the file says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gridctl.ledger.lines import Marks
from gridctl.ledger.positions import compose
from gridctl.problem import Problem, dotted

NUMBER_FIELDS = frozenset({"participants", "households_declared", "max_occupants"})
"""Fields the models hold as numbers (tests/test_zeros.py keeps this list equal to the models')."""
FREE_FIELDS = frozenset({"polygon"})
"""Fields the models hold as any value besides `extra` (a GeoJSON polygon's coordinates are numbers)."""

_ZEROED = re.compile(r"[-+]?0\d+")
"""What YAML 1.2 reads as an integer (`[-+]?[0-9]+`) and writes back without its leading zero."""


def read_as_numbers(rel: str, text: str, docs: list[Any]) -> list[Problem]:
    """GC117/GC118 for each plain value of the file that YAML reads as a number other than the one typed."""
    if not _suspect(text):
        return []
    data = {d.index: d.data for d in docs}
    if not any(_holds_number(d, ()) for d in data.values()):
        return []
    out: list[Problem] = []
    marks = Marks(text)
    for index, node in enumerate(compose(text)):
        if node is None or index not in data:
            continue
        for path, scalar in _plain(node, ()):
            read = _at(data[index], path)
            if type(read) not in (int, float) or not _text_place(path) or str(read) == scalar.value:
                continue  # text after all (`!!str 0101`), a count, or the number as typed
            zero = type(read) is int and _ZEROED.fullmatch(scalar.value)
            lead = f"{path[-1]}: " if path and isinstance(path[-1], str) else ""
            (line, column), (end_line, end_column) = marks.at(scalar.start_mark), marks.at(scalar.end_mark)
            out.append(
                Problem(
                    "GC117" if zero else "GC118",
                    rel,
                    {"field": dotted(path), "value": scalar.value, "lead": lead, "read": str(read)},
                    doc=index,
                    path=path,
                    record=_record(data[index], path),
                    line=line + 1,
                    column=column + 1,
                    width=max(1, end_column - column if end_line == line else 1),
                )
            )
    return out


def _suspect(text: str) -> bool:
    """Whether the text may hold a number YAML rewrites (never false where it does)."""
    return (
        "+" in text
        or "." in text
        or " 0" in text
        or "[0" in text
        or ("\t" in text and "\t0" in text)
        or ("," in text and ",0" in text)
    )


def _text_place(path: tuple[str | int, ...]) -> bool:
    """Whether the schema holds the value at `path` as text: not a count, not GeoJSON, anything under extra."""
    for step in path:
        if step == "extra":
            return True
        if step in FREE_FIELDS:
            return False
    return not (path and path[-1] in NUMBER_FIELDS)


def _holds_number(data: Any, path: tuple[str | int, ...]) -> bool:
    """Whether a document as read has a number (not a bool) where text is."""
    if isinstance(data, dict):
        return any(_holds_number(v, (*path, str(k))) for k, v in data.items())
    if isinstance(data, list):
        return any(_holds_number(v, (*path, i)) for i, v in enumerate(data))
    return type(data) in (int, float) and _text_place(path)


def _plain(node: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path, node) of every plain value below `node` (keys are passed over)."""
    name = type(node).__name__
    if name == "MappingNode":
        for key, value in node.value:
            yield from _plain(value, (*path, str(key.value)))
    elif name == "SequenceNode":
        for i, item in enumerate(node.value):
            yield from _plain(item, (*path, i))
    elif name == "ScalarNode" and not node.style:  # (plain: None, or "" in C)
        yield path, node


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at `path` of a document as read."""
    for step in path:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def _record(data: Any, path: tuple[str | int, ...]) -> str | None:
    """The id of the record the value belongs to: a household member's own, else the document's."""
    if not isinstance(data, dict):
        return None
    if path[:1] == ("members",) and len(path) > 2 and isinstance(data.get("members"), list):
        members = data["members"]
        member = members[path[1]] if isinstance(path[1], int) and path[1] < len(members) else None
        if isinstance(member, dict) and member.get("id") is not None:
            return str(member["id"])
    return str(data["id"]) if data.get("id") is not None else None
