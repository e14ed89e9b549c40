"""Source positions for problems, found only where a problem is.

The bulk reader keeps no positions (that is what makes it fast). When a file has a problem,
this module re-reads that one file with ruamel.yaml's round-trip loader, which records the line
and column of every key and value, and walks the problem's field path to the offending node.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gridctl.problem import Problem


class SourceFile:
    """One file's lines and, lazily, its round-trip documents."""

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
                self._docs = [d for d in YAML(typ="rt").load_all(self.text) if d is not None]
            except Exception:
                self._docs = []
        return self._docs

    def locate(self, doc: int, path: tuple[str | int, ...], key: bool) -> tuple[int, int, int] | None:
        """(line, column, width), 1-based, of the node at `path` in document `doc`."""
        docs = self.docs()
        if doc >= len(docs):
            return None
        node = docs[doc]
        best = _start_of(node)
        for i, step in enumerate(path):
            last = i == len(path) - 1
            lc = getattr(node, "lc", None)
            try:
                if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
                    pos = lc.item(step) if lc else None
                    node = node[step]
                elif not isinstance(step, int) and isinstance(node, dict) and step in node:
                    pos = (lc.key(step) if key and last else lc.value(step)) if lc else None
                    if last and not key and not _is_scalar(node[step]):
                        pos = lc.key(step) if lc else pos
                    node = node[step]
                else:
                    continue  # pydantic adds union-member names to locations; skip them
            except (KeyError, IndexError, TypeError):
                break
            if pos is not None:
                best = pos
        if best is None:
            return None
        line, col = best[0] + 1, best[1] + 1
        width = self._width(line, col, str(path[-1]) if key and path else None)
        return line, col, width

    def _width(self, line: int, col: int, key: str | None) -> int:
        if not 0 < line <= len(self.lines):
            return 1
        rest = self.lines[line - 1][col - 1 :]
        if key is not None:
            return max(1, len(key))
        if rest[:1] in ("'", '"'):
            end = rest.find(rest[0], 1)
            return end + 1 if end > 0 else len(rest.rstrip())
        before = self.lines[line - 1][: col - 1].rstrip()
        stops = ",]}" if before.endswith(("[", ",", "{")) else ""
        token = re.match(r"[^" + re.escape(stops) + r"]*", rest).group(0) if stops else rest  # type: ignore[union-attr]
        cut = token.find(" #")
        token = token[:cut] if cut >= 0 else token
        return max(1, len(token.rstrip()))


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _start_of(node: Any) -> tuple[int, int] | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    return (lc.line, lc.col)


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
