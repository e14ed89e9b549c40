"""The files an import writes: new records in gridctl's style, and surgical edits of existing ones.

Existing files are edited round-trip (comments, key order and quoting stay); a new key is put
where the model would list it, so a clerk's diff reads naturally. A record whose grid changed
moves to its new folder, and leaves a file it shares with other records for a file of its own
there (the others stay where they are); the id stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.excel.emit import new_file
from gridctl.i18n import Text
from gridctl.ledger.yamlfile import dump_apart, dump_rt, edit_text, load_rt


def canonical(rel: str, text: str) -> dict[str, Any] | None:
    """The record of a file in gridctl's own style (one record, as an import writes it: emit.new_file
    gives back its very bytes), read as plain data; None for any other file. Such a file is edited
    as plain data and written by new_file, 30 times faster: ruamel's round trip took 15 ms a
    household, 15 s of re-importing a register with a tenth of its 3,600 households changed. Only
    the changed lines differ, and the data is the round trip's; a changed text is spelled as an
    import spells a new file's (`'yes'` quoted, `B` bare where the old value was quoted, one line
    however long), so the file stays in gridctl's style, where the round trip kept old quotes."""
    import yaml_rs

    try:
        data = yaml_rs.loads(text)
    except (yaml_rs.YAMLDecodeError, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        return None
    return data if new_file(rel, data["kind"], data) == text.encode("utf-8") else None


class FileEdits:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: dict[str, tuple[str, list[Any]]] = {}
        self._plain: set[str] = set()
        """Files in gridctl's own style, edited as plain data (canonical)."""
        self._new: dict[str, bytes] = {}
        self._moves: dict[str, str] = {}
        self._apart: dict[str, dict[int, str]] = {}
        """Records leaving a file of several: file → {document index: the record's own new file}."""

    def doc(self, rel: str, index: int) -> Any:
        """The round-trip document to edit in place (the file is read once). Each planning pass
        parses its files afresh: a copy of ruamel's documents loses a timestamp's zone and
        fraction of a second, and writes merge keys out in full."""
        if rel not in self._loaded:
            text = edit_text((self.root / rel).read_bytes())
            plain = canonical(rel, text)
            if plain is not None:
                self._plain.add(rel)
            self._loaded[rel] = (text, [plain] if plain is not None else load_rt(text))
        return self._loaded[rel][1][index]

    def single(self, rel: str) -> bool:
        self.doc(rel, 0)
        return len(self._loaded[rel][1]) == 1

    def move(self, rel: str, to: str, index: int = 0) -> None:
        """The record at document `index` of `rel` belongs at `to`: a file of its own moves there; a
        record sharing its file leaves it for `to`, unless the file lies in that folder already."""
        if rel == to:
            return
        single = self.single(rel)
        if not single and rel.rpartition("/")[0] == to.rpartition("/")[0]:
            return
        if (self.root / to).exists():  # a file put there by hand: the move would write over it
            raise in_the_way(to)
        if single:
            self._moves[rel] = to
        else:
            self._apart.setdefault(rel, {})[index] = to

    def where(self, rel: str, index: int = 0) -> tuple[str, int]:
        """Where an edited record ends up: (its file, its document index there)."""
        if rel in self._moves:
            return self._moves[rel], index
        apart = self._apart.get(rel, {})
        if index in apart:
            return apart[index], 0
        return rel, index - sum(1 for i in apart if i < index)

    def edited(self) -> list[tuple[str, int, Any]]:
        """(where the file ends up, document index, document) of every file opened for editing."""
        return [(*self.where(rel, i), doc) for rel, (_text, docs) in self._loaded.items() for i, doc in enumerate(docs)]

    def add(self, rel: str, kind: str, record: dict[str, Any]) -> None:
        self._new[rel] = new_file(rel, kind, record)

    def changes(self) -> dict[str, bytes | None]:
        out: dict[str, bytes | None] = dict(self._new)
        for rel, (text, docs) in self._loaded.items():
            if rel in self._apart:
                out[rel], own = dump_apart(text, docs, self._apart[rel])
                out.update(own)
                continue
            to = self._moves.get(rel, rel)
            data = new_file(to, str(docs[0]["kind"]), docs[0]) if rel in self._plain else dump_rt(text, docs)
            if to != rel:
                out[rel] = None
                out[to] = data
            elif data != text.encode("utf-8"):
                out[rel] = data
        return out


def in_the_way(rel: str) -> GridctlError:
    """A move onto a file that is there already would overwrite it, and the records in it would be
    gone with validate clean (an import with --accept-moves did so)."""
    return GridctlError(
        Text(
            f"{rel} 已经存在，迁移会覆盖它；没有导入",
            f"{rel} is there already: the move would overwrite it; nothing imported",
        ),
        hint=Text(
            "先看看那个文件：把它改名为其中记录的编号，不需要就删除它；然后再导入",
            "look at that file first: name it after the record it holds, or delete it if it is not wanted; "
            "then import again",
        ),
    )


def file_order(model: Any) -> tuple[str, ...]:
    """A record's keys in the order a file lists them: the model's, with `extra:` last (as `edit`
    writes it), not after the id where the base model declares it."""
    fields = tuple(model.model_fields)
    return tuple(k for k in fields if k != "extra") + (("extra",) if "extra" in fields else ())


def put(node: Any, key: str, value: Any, order: Sequence[str] = ()) -> None:
    """Set a dotted key in a round-trip mapping, creating mappings on the way.

    A list keeps its style (`phones: ["139…"]` stays in flow style); a new key goes after the
    keys that precede it in `order`.
    """
    parts = key.split(".")
    if value is None:  # a value cleared (（清空） in a register): the key goes
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(parts[-1], None)
        return
    for i, part in enumerate(parts[:-1]):
        if not isinstance(node.get(part), dict):
            _insert(node, part, {}, order if i == 0 else ())
        node = node[part]
    last = parts[-1]
    current = node.get(last)
    if isinstance(value, list) and isinstance(current, list):
        style = current[0] if current else None
        for i, v in enumerate(value[: len(current)]):  # item by item: each keeps its own comment
            if current[i] != v:
                current[i] = _like(current[i], v)
        while len(current) > len(value):
            del current[len(current) - 1]
        current.extend(_like(style, v) for v in value[len(current) :])
    elif last in node:
        node[last] = _like(current, value)
    else:
        _insert(node, last, value, order if len(parts) == 1 else ())


def _like(old: Any, new: Any) -> Any:
    """`new` quoted the way the clerk quoted `old` ("…" stays "…")."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(old, ScalarString) and isinstance(new, str) and not isinstance(new, ScalarString):
        return type(old)(new)
    return new


def _insert(node: Any, key: str, value: Any, order: Sequence[str]) -> None:
    if key in node or not order or key not in order:
        node[key] = value
        return
    before = set(order[: order.index(key)])
    position = 0
    for i, existing in enumerate(node):
        if existing in before:
            position = i + 1
    if hasattr(node, "insert"):
        node.insert(position, key, value)
        return
    items = list(node.items())  # a plain mapping (a file in gridctl's own style): the same place
    node.clear()
    node.update([*items[:position], (key, value), *items[position:]])
