"""Source positions for problems, found only where a problem is.

The bulk reader keeps no positions (that is what makes it fast). When a file has a problem,
this module re-reads that one file with ruamel.yaml's composer, which gives every node its
start and end mark without constructing values (so a bad date cannot stop it), and walks the
problem's field path to the offending node.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gridctl.problem import Problem


class SourceFile:
    """One file's lines and, lazily, its composed YAML node trees."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            self.text = ""
        self.lines = self.text.splitlines()
        self._docs: list[Any] | None = None

    def docs(self) -> list[Any]:
        if self._docs is None:
            from ruamel.yaml import YAML

            try:
                nodes = YAML(typ="rt").compose_all(self.text)
                self._docs = [n for n in nodes if n is not None and not _is_null(n)]
            except Exception:
                self._docs = []
        return self._docs

    def locate(self, doc: int, path: tuple[str | int, ...], key: bool) -> tuple[int, int, int] | None:
        """(line, column, width), 1-based, of the node at `path` in document `doc`."""
        docs = self.docs()
        if doc >= len(docs):
            return None
        node = docs[doc]
        target = node
        for i, step in enumerate(path):
            last = i == len(path) - 1
            child = _child(node, step)
            if child is None:
                continue  # pydantic adds union-member names to locations; skip what is not in the data
            key_node, value_node = child
            if last and key and key_node is not None:
                target = key_node
            elif last and key_node is not None and _tag_kind(value_node) != "scalar":
                target = key_node  # point at `members:` rather than at the first line of the block
            else:
                target = value_node
            node = value_node
        start, end = target.start_mark, target.end_mark
        width = end.column - start.column if end.line == start.line else len(self._line(start.line)) - start.column
        return start.line + 1, start.column + 1, max(1, width)

    def _line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""


def _is_null(node: Any) -> bool:
    return getattr(node, "tag", None) is not None and str(node.tag).endswith(":null") and not node.value


def _tag_kind(node: Any) -> str:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        return "mapping"
    if isinstance(node, SequenceNode):
        return "sequence"
    return "scalar"


def _child(node: Any, step: str | int) -> tuple[Any, Any] | None:
    """(key node or None, value node) of one path step, or None when the step is not there."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) == str(step):
                return key_node, value_node
    return None


def locate_all(root: Path, problems: Iterable[Problem]) -> list[Problem]:
    """Fill in line, column and width for every problem that has a path but no line yet."""
    files: dict[str, SourceFile] = {}
    out: list[Problem] = []
    for problem in problems:
        if problem.line is None and problem.file:
            source = files.get(problem.file)
            if source is None:
                source = files[problem.file] = SourceFile(root / problem.file)
            found = source.locate(problem.doc, problem.path, problem.key)
            line, col, width = found if found else (1, 1, 1)
            problem = dataclasses.replace(problem, line=line, column=col, width=width)
        out.append(problem)
    return out
