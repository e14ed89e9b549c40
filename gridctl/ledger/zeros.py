"""Numbers typed without quotes that lose their leading zero: `phone: 01065071234`, `room: 0101`.

YAML 1.2 (yaml-rs, and ruamel.yaml, which gridctl writes with) reads `01065071234` as the number
1065071234; a text field takes its digits (gridctl.model.types.to_text), and the notice board
prints a landline nobody can dial, with validate clean. gridctl's own writes quote such values;
a hand edit need not. So reading a file finds them (GC117), where the file says them.

An error wherever the value is text: every field but the models' few counts (NUMBER_FIELDS), which
are the same number with or without the zero. Under `extra:` too: a ledger's own field holds what
the clerk typed, and 0101 typed there is a room or a code, never a count written with a zero.

Cheap on a cold read of 12,000 households: a file is looked at only if it holds a digit 0 after a
space, a tab or `[` (a literal test: `,0101` in a flow list without a space is passed over), then a
pattern of a plain value on its lines, and only then composed (gridctl.ledger.positions: PyYAML's C
composer, 0.1 ms a file) to tell a plain number from text in quotes or in a block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gridctl.ledger.positions import compose
from gridctl.problem import Problem, dotted

NUMBER_FIELDS = frozenset({"participants", "households_declared", "max_occupants"})
"""Fields the models hold as numbers (tests/test_zeros.py keeps this list equal to the models')."""

_LOOSE = re.compile(r"(?:^[ \t]*(?:-[ \t]+)+|:[ \t]+|[\[,{][ \t]*)[-+]?0\d+[ \t]*(?:#|,|\]|\}|\r?$)", re.MULTILINE)
"""A plain value of digits with a leading zero, after `key:`, `- ` or in a flow list: more than
those the file holds (a `key: 0101` inside a block of text), never fewer."""
_ZEROED = re.compile(r"[-+]?0\d+")
"""What YAML 1.2 reads as an integer (`[-+]?[0-9]+`) and writes back without its leading zero."""


def lost_zeros(rel: str, text: str, docs: list[Any]) -> list[Problem]:
    """GC117 for each plain value of the file that YAML reads as a number without its leading zero."""
    if not (" 0" in text or "\t0" in text or "[0" in text) or _LOOSE.search(text) is None:
        return []
    nodes = compose(text)
    data = {d.index: d.data for d in docs}
    out: list[Problem] = []
    for index, node in enumerate(nodes):
        if node is None or index not in data:
            continue
        for path, scalar in _plain_zeros(node, ()):
            if (path and path[-1] in NUMBER_FIELDS and "extra" not in path) or type(_at(data[index], path)) is not int:
                continue  # a count, or text after all (`!!str 0101`)
            lead = f"{path[-1]}: " if path and isinstance(path[-1], str) else ""
            start, end = scalar.start_mark, scalar.end_mark
            out.append(
                Problem(
                    "GC117",
                    rel,
                    {"field": dotted(path), "value": scalar.value, "lead": lead},
                    doc=index,
                    path=path,
                    record=_record(data[index], path),
                    line=start.line + 1,
                    column=start.column + 1,
                    width=max(1, end.column - start.column),
                )
            )
    return out


def _plain_zeros(node: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path, node) of every plain value below `node` that is digits with a leading zero (keys are passed over)."""
    name = type(node).__name__
    if name == "MappingNode":
        for key, value in node.value:
            yield from _plain_zeros(value, (*path, str(key.value)))
    elif name == "SequenceNode":
        for i, item in enumerate(node.value):
            yield from _plain_zeros(item, (*path, i))
    elif name == "ScalarNode" and not node.style and _ZEROED.fullmatch(node.value):  # (plain: None, or "" in C)
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
