"""New record files, fast: an import may create thousands, and ruamel's emitter takes ~2 ms each.

The records an import builds hold only mappings, lists, text, numbers, booleans and dates, so
they are written here directly in gridctl's style (the layout of ledger.yamlfile.dump_new).
Every file is read back with the ledger's own reader (yaml-rs) and compared with the record; anything that does not
come back identical is written by dump_new instead, so speed never costs correctness.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from gridctl.ledger.yamlfile import SCHEMA_LINE, dump_new, schema_path

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`.+\d~=][^:#\n\r\t]*$")
_DIGIT_LED = re.compile(r"^\d[^:#\n\r\t]*[^\x00-\x7f][^:#\n\r\t]*$")
"""`1号楼`: a leading digit is fine when a non-ASCII character rules out a number, date or time."""
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
"""Words some YAML readers take for booleans or null (YAML 1.1 and 1.2 alike)."""


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if (_PLAIN.match(text) or _DIGIT_LED.match(text)) and text == text.strip() and text.lower() not in _RESERVED:
        return text
    if "\n" in text or any(ord(c) < 32 for c in text):
        import json

        return json.dumps(text, ensure_ascii=False)
    return "'" + text.replace("'", "''") + "'"


def _block(node: Mapping[str, Any], indent: int, out: list[str], first_prefix: str | None = None) -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(node.items()):
        lead = first_prefix if (i == 0 and first_prefix is not None) else pad
        name = scalar(key)
        if isinstance(value, Mapping) and value:
            out.append(f"{lead}{name}:")
            _block(value, indent + 2, out)
        elif isinstance(value, list) and value:
            out.append(f"{lead}{name}:")
            for item in value:
                dash = " " * (indent + 2) + "- "
                if isinstance(item, Mapping) and item:
                    _block(item, indent + 4, out, first_prefix=dash)
                else:
                    out.append(dash + _inline(item))
        else:
            out.append(f"{lead}{name}: {_inline(value)}")


def _inline(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{scalar(k)}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return scalar(value)


def new_file(rel: str, kind: str, record: Mapping[str, Any]) -> bytes:
    """A new file holding one record: the schema line, then the record."""
    import yaml_rs

    out: list[str] = []
    _block(record, 0, out)
    body = "\n".join(out) + "\n"
    try:
        back = yaml_rs.loads(body)  # the reader gridctl itself reads the ledger with
    except yaml_rs.YAMLDecodeError:
        back = None
    if back != _comparable(record):
        return dump_new(rel, kind, [record])
    return (SCHEMA_LINE.format(path=schema_path(rel, kind)) + body).encode("utf-8")


def _comparable(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {k: _comparable(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_comparable(v) for v in node]
    return node
