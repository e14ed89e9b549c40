"""Writing YAML the way a clerk left it: round-trip edits keep comments, key order and quoting.

Bulk reads never come here (ruamel.yaml's round-trip loader is ~15× slower than the reader);
only the files a command changes are loaded this way, edited in place, and dumped again.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

SCHEMA_LINE = "# yaml-language-server: $schema={path}\n"
_SEQ = re.compile(r"^(?P<key> *)[^\s#-][^:]*:\s*\n(?P<dash> *)- ", re.MULTILINE)


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2, double: bool = False):  # type: ignore[no-untyped-def]
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.allow_unicode = True
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    y.Emitter = _emitter(double)
    y.representer.ignore_aliases = _no_new_aliases
    return y


def _no_new_aliases(data: Any) -> bool:
    """No anchor gridctl makes itself: one date object written to nine people's `until:` became
    `&id001` and eight `*id001`, so a clerk correcting one by hand changed all nine. An anchor the
    file already had (a value read with its own anchor) is written as it was."""
    anchor = getattr(data, "anchor", None)
    return getattr(anchor, "value", None) is None


_READ_AS_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d|\d\d?:\d\d:\d\d")
"""Text ruamel writes plain and the reader (yaml-rs) reads as a datetime or a time of day:
`2026-05-01 10:15`, `10:15:00` (a date alone ruamel quotes itself)."""


@functools.cache
def _emitter(double: bool) -> type:
    """ruamel's emitter, with two changes for values gridctl writes:
    - `double`: a new value that cannot stand plain ("139…", "501") is quoted with "…" where ruamel
      would write '…' (the file's own style); a value the file quoted keeps its quotes;
    - text that the reader would take for a time (`2026-05-01 10:15` put into an extra field by an
      import) is quoted, so that it is read back as the text it was."""
    from ruamel.yaml.emitter import Emitter

    class LedgerEmitter(Emitter):  # type: ignore[misc]
        def choose_scalar_style(self) -> object:
            style = super().choose_scalar_style()
            text = str(self.event.ctag) == "tag:yaml.org,2002:str"
            if style == "" and not self.event.style and text and _READ_AS_TIME.match(self.event.value or ""):
                return '"' if double else "'"
            if double and style == "'" and not self.event.style and self.analysis.allow_double_quoted:
                return '"'
            return style

    return LedgerEmitter


def _quotes_double(docs: Iterable[Any]) -> bool:
    """Whether the file quotes with "…" more than with '…' (the file's own style for new values)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    count = {DoubleQuotedScalarString: 0, SingleQuotedScalarString: 0}
    todo = list(docs)
    while todo:
        node = todo.pop()
        if isinstance(node, Mapping):
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
        elif type(node) in count:
            count[type(node)] += 1
    return count[DoubleQuotedScalarString] > count[SingleQuotedScalarString]


def _guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as the file already uses them; gridctl's own style otherwise."""
    m = _SEQ.search(text)
    if not m:
        return 2, 4, 2
    offset = len(m.group("dash")) - len(m.group("key"))
    return 2, offset + 2, offset


def schema_path(rel: str, kind: str) -> str:
    """The ledger's copy of the kind's schema, relative to the file (for VS Code's YAML support)."""
    depth = len(PurePosixPath(rel).parts) - 1
    return "../" * depth + f"schemas/{kind}.schema.json"


def dump_new(rel: str, kind: str, documents: Iterable[Mapping[str, Any]]) -> bytes:
    """A new file: the schema line, then the documents in gridctl's style."""
    out = io.StringIO()
    out.write(SCHEMA_LINE.format(path=schema_path(rel, kind)))
    docs = [dict(d) for d in documents]
    if len(docs) == 1:
        _yaml().dump(docs[0], out)
    else:
        _yaml().dump_all(docs, out)
    return out.getvalue().encode("utf-8")


def edit_text(raw: bytes) -> str:
    """A file's bytes as the text a round-trip edit starts from: no BOM, LF line ends.

    Git for Windows (core.autocrlf=true) checks files out with CRLF; gridctl commits LF (design.md
    §3, "same bytes everywhere"), so an edit's diff holds only the lines it changed.
    """
    return raw.decode("utf-8-sig").replace("\r\n", "\n")


def load_rt(text: str) -> list[Any]:
    return [d for d in _yaml().load_all(text)]


def dump_rt(text_before: str, docs: list[Any]) -> bytes:
    """Dump round-trip documents with the indentation the file had, LF line ends (see edit_text).

    An empty document (a `---` ending the file, as an editor or a copy leaves it) is written back as
    the file had it, its comments too: ruamel would write it `--- null` and `...`, and drop the comments.
    """
    y = _yaml(*_guess_indent(text_before), double=_quotes_double(docs))
    empty = _empty_documents(text_before) if any(d is None for d in docs) else []
    if len(empty) != sum(d is None for d in docs):  # not the file's own: no record, nothing to keep
        docs = [d for d in docs if d is not None]
    pieces: list[str] = []
    for none, group in itertools.groupby(docs, key=lambda d: d is None):
        run = list(group)
        if none:
            pieces += empty[: len(run)]
            del empty[: len(run)]
        else:
            pieces.append(_dump_run(y, run, "" if pieces else _above_start(text_before)))
    return "".join(pieces).replace("\r\n", "\n").encode("utf-8")


def _dump_run(y: Any, docs: list[Any], head: str | None) -> str:
    """Documents that follow one another in the file; `head` is what stands above their opening `---`
    (None: they open without one, as a file's first record may)."""
    out = io.StringIO()
    y.explicit_start = head is not None
    if len(docs) == 1 and head is None:
        y.dump(docs[0], out)
    else:
        y.dump_all(docs, out)
    return (head or "") + out.getvalue()


def _empty_documents(text: str) -> list[str]:
    """The text of each empty document in `text`, from its `---` up to the next one (the first from the
    file's start): what stands there is the clerk's and holds no record."""
    y = _yaml()
    starts = [e.start_mark.index for e in y.parse(text) if type(e).__name__ == "DocumentStartEvent"]
    bounds = [0, *starts[1:], len(text)]
    docs = load_rt(text)
    return [text[bounds[i] : bounds[i + 1]] for i, doc in enumerate(docs) if doc is None]


def dump_apart(text_before: str, docs: list[Any], leaving: Mapping[int, str]) -> tuple[bytes | None, dict[str, bytes]]:
    """Records that leave a file of several for files of their own (a record moved to another grid's
    folder): (what the file keeps, None when no record stays; each leaving record's new file).

    Each record takes its own comments, quoting and indentation with it, under a schema line for its
    kind. Above the first record, what ends in a blank line heads the file (as what stands above an
    opening `---` does) and stays with the records that stay, as does the schema line; the comment
    right above the record is the record's. When no record stays, the first to leave takes it all.
    """
    above = _above_start(text_before)
    explicit = above is not None
    heading, own = (above or "", "") if explicit else _split_head(_head(text_before))
    rest = [doc for i, doc in enumerate(docs) if i not in leaving]
    heir = None if rest else min(leaving)
    indent = _guess_indent(text_before)
    files: dict[str, bytes] = {}
    for index, rel in leaving.items():
        doc = docs[index]
        out = io.StringIO()
        _yaml(*indent, double=_quotes_double([doc])).dump(doc, out)
        body = out.getvalue()
        if index == 0 and not explicit:
            body = own + body[len(_head(body)) :]  # ruamel reads the file's head as the first record's
        if index == heir:
            body = "".join(line for line in heading.splitlines(keepends=True) if not _is_schema(line)) + body
        kind = str(doc.get("kind", "")) if isinstance(doc, Mapping) else ""
        schema = SCHEMA_LINE.format(path=schema_path(rel, kind)) if kind else ""
        files[rel] = (schema + body).replace("\r\n", "\n").encode("utf-8")
    if not rest:
        return None, files
    kept = dump_rt(text_before, rest)
    if 0 in leaving and not explicit:
        kept = heading.encode("utf-8") + kept
    return kept, files


def _head(text: str) -> str:
    """The comment and blank lines a text opens with."""
    lines = text.splitlines(keepends=True)
    n = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), len(lines))
    return "".join(lines[:n])


def _split_head(head: str) -> tuple[str, str]:
    """(the file's, the first record's) of the lines above a file's first record: up to the last blank
    line, and the schema line wherever it stands, are the file's; the comment right above is the record's."""
    lines = head.splitlines(keepends=True)
    cut = max((i + 1 for i, line in enumerate(lines) if not line.strip()), default=0)
    below = lines[cut:]
    return "".join(lines[:cut] + [x for x in below if _is_schema(x)]), "".join(x for x in below if not _is_schema(x))


def _is_schema(line: str) -> bool:
    return line.startswith(SCHEMA_LINE.partition("$")[0])


def _above_start(text: str) -> str | None:
    """The comment lines above the `---` a text opens with ("" when none), or None when it does not
    open with one: ruamel drops such comments with the marker when it reads the text."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        bare = line.strip()
        if bare.startswith("---"):
            return "".join(lines[:i])
        if bare and not bare.startswith("#"):
            return None
    return None


def plain(node: Any) -> Any:
    """A round-trip node as plain Python values (ruamel's string and number subclasses, comments and
    styles dropped), so two versions compare by content only and a node taken from one file is
    written into another as a new value."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def navigate(node: Any, path: Iterable[str | int]) -> Any:
    for step in path:
        node = node[step]
    return node
