"""`--set field=value` and `--unset field`: dotted paths typed by the record's model.

A clerk types text; the model says what the text should become (a list split on commas, a
number, a date, true/false). Strings stay strings, so a code like 0123 keeps its zero.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from gridctl.errors import GridctlError

Path = tuple[str | int, ...]
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
TRUE = {"true", "yes", "是", "1", "y"}
FALSE = {"false", "no", "否", "0", "n"}


def parse_path(text: str) -> Path:
    """`address.room` → ("address", "room"); `members[1].name` → ("members", 1, "name")."""
    steps: list[str | int] = []
    for name, index in _STEP.findall(text):
        steps.append(int(index) if index else name)
    if not steps or "".join(str(s) for s in steps).strip() == "":
        raise GridctlError(f"not a field name: {text!r}", hint="e.g. --set phone=13800138000 --set address.room=501")
    return tuple(steps)


def parse_assignments(items: Iterable[str], option: str = "--set") -> list[tuple[Path, str]]:
    """`field=value` pairs; the same field twice is an error (one of them would be lost)."""
    out: list[tuple[Path, str]] = []
    for item in items:
        if "=" not in item:
            raise GridctlError(f"{option} needs field=value, got {item!r}", hint="e.g. --set name=张伟")
        key, value = item.split("=", 1)
        path = parse_path(key.strip())
        if option == "--set" and any(p == path for p, _v in out):
            name = key.strip()
            raise GridctlError(
                f"--set {name} is given twice; only one would be kept / --set {name} 重复",
                hint=f"a list in one go: --set {name}=A,B; or one item: --add {name}=B / --remove {name}=A",
            )
        out.append((path, value.strip()))
    return out


def _unwrap(tp: Any) -> Any:
    """Strip Optional / Annotated to the type that matters for coercion."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if args else str
        else:
            return tp


def field_type(model: type[BaseModel], path: Path) -> Any:
    """The annotation at `path` inside `model`, or None when the path is not a field."""
    tp: Any = model
    for step in path:
        tp = _unwrap(tp)
        if isinstance(step, int):
            if typing.get_origin(tp) is not list:
                return None
            tp = typing.get_args(tp)[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            if step not in tp.model_fields:
                return None
            tp = tp.model_fields[step].annotation
        elif typing.get_origin(tp) is dict or tp is dict:
            tp = Any
        else:
            return None
    return tp


def coerce(model: type[BaseModel], path: Path, raw: str) -> Any:
    """The clerk's text as the value the field holds; unknown fields stay text (the model reports them)."""
    tp = _unwrap(field_type(model, path))
    if typing.get_origin(tp) is list:
        inner = _unwrap(typing.get_args(tp)[0])
        return [_scalar(inner, p) for p in list_items(raw)]
    return _scalar(tp, raw)


def is_list(model: type[BaseModel], path: Path) -> bool:
    return typing.get_origin(_unwrap(field_type(model, path))) is list


def list_items(raw: str) -> list[str]:
    """`A,B`, `A、B`, `A，B` or `[A, B]` as items (brackets and quotes are never part of an item)."""
    text = raw.strip()
    if text[:1] in "[［" and text[-1:] in "]］":
        text = text[1:-1]
    parts = (p.strip().strip("'\"‘’“”").strip() for p in re.split(r"[,，、;；]", text))
    return [p for p in parts if p]


def _scalar(tp: Any, raw: str) -> Any:
    if raw == "":
        return None
    if tp is bool:
        if raw.lower() in TRUE:
            return True
        if raw.lower() in FALSE:
            return False
        return raw
    if tp is int:
        return int(raw) if re.fullmatch(r"-?\d+", raw) else raw
    if tp is dt.date:
        from gridctl.excel.values import date  # the clerk's ways of writing a date, as import reads them

        try:
            return date(raw)
        except ValueError:
            return raw
    if tp in (dt.datetime, dt.datetime | dt.date):
        try:
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            return raw
    return raw


def set_in(node: Any, path: Path, value: Any) -> None:
    """Set a value in a round-trip document, creating mappings on the way."""
    from ruamel.yaml.comments import CommentedMap

    walked: list[str | int] = []
    for step in path[:-1]:
        _need_container(node, step, walked, path)
        if isinstance(step, int):
            if step >= len(node):
                raise GridctlError(f"{_dotted(path)}: there is no item {step} in {_dotted(tuple(walked))}")
            node = node[step]
        else:
            if step not in node or node[step] is None:
                node[step] = CommentedMap()
            node = node[step]
        walked.append(step)
    _need_container(node, path[-1], walked, path)
    if isinstance(path[-1], int) and path[-1] >= len(node):
        raise GridctlError(f"{_dotted(path)}: there is no item {path[-1]} in {_dotted(tuple(walked))}")
    node[path[-1]] = value


def _need_container(node: Any, step: str | int, walked: list[str | int], path: Path) -> None:
    """`name.first` when name is text: say so instead of failing inside the YAML library."""
    want_list = isinstance(step, int)
    if (want_list and not isinstance(node, list)) or (not want_list and not isinstance(node, dict)):
        where = _dotted(tuple(walked)) if walked else "the record"
        raise GridctlError(
            f"{_dotted(path)}: {where} is a single value, not a group of fields / {where} 是单个值，没有子字段",
            hint="give the field itself, e.g. --set name=张伟 or --set address.room=501",
        )


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def unset_in(node: Any, path: Path) -> bool:
    for step in path[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return False
    try:
        del node[path[-1]]
    except (KeyError, IndexError, TypeError):
        return False
    return True
