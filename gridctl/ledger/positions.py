"""Source positions for problems, found only where a problem is.

The bulk reader keeps no positions (that is what makes it fast). When a file has a problem,
this module re-reads that one file with a YAML composer, which gives every node its start and
end mark without constructing values (so a bad date cannot stop it), and walks the problem's
field path to the offending node. Composing builds structure only, where YAML 1.1 and 1.2 agree,
so PyYAML's C composer (30× faster than ruamel.yaml's here: 0.1 ms a file) does the work, with
ruamel.yaml as the fallback for what PyYAML cannot compose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from gridctl.ledger.files import Files
from gridctl.ledger.lines import Marks, text_lines
from gridctl.problem import Problem


class SourceFile:
    """One file's lines and, lazily, its composed YAML node trees."""

    def __init__(self, files: Files, rel: str) -> None:
        try:
            self.text = files.read(rel).decode("utf-8-sig", errors="replace")
        except OSError:
            self.text = ""
        self.lines = text_lines(self.text)
        self.marks = Marks(self.text)
        self._docs: list[Any] | None = None

    def docs(self) -> list[Any]:
        if self._docs is None:
            self._docs = [n for n in compose(self.text) if n is not None and not _is_null(n)]
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
        (line, column), (end_line, end_column) = self.marks.at(target.start_mark), self.marks.at(target.end_mark)
        width = end_column - column if end_line == line else len(self._line(line)) - column
        return line + 1, column + 1, max(1, width)

    def _line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""


def compose(text: str) -> list[Any]:
    """The node trees of the text's documents, each with its marks; none for a file no composer reads."""
    for composer in (_compose_pyyaml, _compose_ruamel):
        try:
            return composer(text)
        except Exception:  # a file no composer reads simply has no positions
            continue
    return []


def _compose_pyyaml(text: str) -> list[Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return list(yaml.compose_all(text, Loader=loader))


def _compose_ruamel(text: str) -> list[Any]:
    from ruamel.yaml import YAML

    return list(YAML(typ="rt").compose_all(text))


def _is_null(node: Any) -> bool:
    return getattr(node, "tag", None) is not None and str(node.tag).endswith(":null") and not node.value


def _tag_kind(node: Any) -> str:
    """Node classes of PyYAML and ruamel.yaml share their names, so compare by name."""
    name = type(node).__name__
    return "mapping" if name == "MappingNode" else "sequence" if name == "SequenceNode" else "scalar"


def _child(node: Any, step: str | int) -> tuple[Any, Any] | None:
    """(key node or None, value node) of one path step, or None when the step is not there."""
    kind = _tag_kind(node)
    if kind == "sequence" and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    if kind == "mapping":
        for key_node, value_node in node.value:
            if str(key_node.value) == str(step):
                return key_node, value_node
    return None


def locate_all(files: Files, problems: Iterable[Problem]) -> list[Problem]:
    """Fill in line, column and width for every problem that has a path but no line yet."""
    sources: dict[str, SourceFile] = {}
    out: list[Problem] = []
    for problem in problems:
        if problem.line is None and problem.file:
            source = sources.get(problem.file)
            if source is None:
                source = sources[problem.file] = SourceFile(files, problem.file)
            found = source.locate(problem.doc, problem.path, problem.key)
            line, col, width = found if found else (1, 1, 1)
            problem = dataclasses.replace(problem, line=line, column=col, width=width)
        out.append(problem)
    return out
