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
from gridctl.i18n import Text
from gridctl.model.dates import as_written
from gridctl.model.quotes import unquoted
from gridctl.model.types import takes_plain

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
        raise GridctlError(
            Text(f"不是字段名: {text!r}", f"not a field name: {text!r}"),
            hint=Text(
                "例如 --set 联系电话=13800138000 或 --set address.room=501",
                "e.g. --set phone=13800138000 --set address.room=501",
            ),
        )
    return tuple(steps)


def parse_assignments(items: Iterable[str], option: str = "--set") -> list[tuple[Path, str]]:
    """`field=value` pairs; the same field twice is an error (one of them would be lost)."""
    out: list[tuple[Path, str]] = []
    for item in items:
        if "=" not in item:
            raise GridctlError(
                Text(f"{option} 应写成 字段=值，而不是 {item!r}", f"{option} needs field=value, got {item!r}"),
                hint=Text("例如 --set 姓名=张伟", "e.g. --set name=张伟"),
            )
        key, value = item.split("=", 1)
        path = parse_path(key.strip())
        if option == "--set" and any(p == path for p, _v in out):
            name = key.strip()
            raise GridctlError(
                Text(f"--set {name} 给了两次，只会保留一个", f"--set {name} is given twice; only one would be kept"),
                hint=Text(
                    f"列表一次给全: --set {name}=A,B；或单加单减: --add {name}=B、--remove {name}=A",
                    f"a list in one go: --set {name}=A,B; or one item: --add {name}=B / --remove {name}=A",
                ),
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


def kind_of(model: type[BaseModel]) -> str:
    return getattr(model, "kind_name", "") or "person"


def resolve(model: type[BaseModel], path: Path) -> Path:
    """`path` as the model's field names: 联系电话 → phones, 四至.东至 → boundary.east (gridctl.model.labels).

    A field the model does not have is an error that lists the fields it has.
    """
    from gridctl.model.labels import LABELS, field_path

    kind = kind_of(model)
    if path[0] == "extra" or field_type(model, path) is not None:
        return path
    whole = field_path(kind, ".".join(str(p) for p in path if not isinstance(p, int)))
    if whole is not None and all(not isinstance(p, int) for p in path):
        if field_type(model, tuple(whole.split("."))) is None:  # 备注 is a note of an event, not of a household
            raise unknown_field(model, path)
        return tuple(whole.split("."))
    out: list[str | int] = []
    for step in path:
        if isinstance(step, int) or field_type(model, (*out, step)) is not None:
            out.append(step)
            continue
        prefix = ".".join(str(p) for p in out if not isinstance(p, int))
        named = field_path(kind, str(step))
        if named is not None and named.rsplit(".", 1)[0] == prefix and "." in named:
            out.append(named.rsplit(".", 1)[1])
        elif named is not None and not prefix:
            out.extend(named.split("."))
        else:
            own = {k: v for k, v in LABELS.get(kind, {}).items() if k.startswith(prefix + ".")} if prefix else {}
            leaf = next((k.rsplit(".", 1)[1] for k, v in own.items() if v == step), None)
            if leaf is None:
                raise unknown_field(model, path)
            out.append(leaf)
    if field_type(model, tuple(out)) is None:
        raise unknown_field(model, path)
    return tuple(out)


def unknown_field(model: type[BaseModel], path: Path) -> GridctlError:
    """No such field: say which fields there are (each with its Chinese name)."""
    from gridctl.model.labels import label

    kind = kind_of(model)
    name = dotted(path)
    fields = [f for f in model.model_fields if f not in ("kind", "retired")]
    listed_zh = "、".join(f"{f} ({label(kind, (f,))})" for f in fields)
    listed_en = ", ".join(f"{f} ({label(kind, (f,))})" for f in fields)
    return GridctlError(
        Text(f"没有字段 {name}；可用的字段: {listed_zh}", f"no field {name}; the fields are: {listed_en}"),
        hint=Text(
            "字段可写英文名或中文名；下一级用点号，如 address.room 或 四至.东至；其他内容放在 extra.名称",
            "a field by its name or its Chinese name; a part with a dot, e.g. address.room; anything else as "
            "extra.NAME",
        ),
    )


def coerce(model: type[BaseModel], path: Path, raw: str) -> Any:
    """The clerk's text as the value the field holds; unknown fields stay text (the model reports them)."""
    annotation = field_type(model, path)
    tp = _unwrap(annotation)
    if tp in (dt.date, dt.datetime) or takes_plain(annotation):
        raw = unquoted(raw) or raw  # “101” from a word processor: the clerk meant 101 (gridctl.model.quotes)
    if typing.get_origin(tp) is list:
        inner = _unwrap(typing.get_args(tp)[0])
        return [_scalar(inner, p) for p in list_items(raw)]
    if isinstance(tp, type) and issubclass(tp, BaseModel) and raw.strip():
        return _parts(model, path, tp, raw)
    return _scalar(tp, raw)


SEPARATORS = ("=", ":", "：")
"""What follows a part's name in an address (`小区：阳光小区`)."""


def _parts(model: type[BaseModel], path: Path, tp: type[BaseModel], raw: str) -> dict[str, Any]:
    """A group of fields typed as one text: `--set 四至=东至幸福路，西至光明街` → {east: 幸福路, west: 光明街}."""
    from gridctl.model.labels import label

    kind = kind_of(model)
    names = {f: f for f in tp.model_fields}
    names.update({label(kind, (*path, f)): f for f in tp.model_fields})
    out: dict[str, Any] = {}
    segments = [s.strip() for s in re.split(r"[,，;；、\n]+", raw) if s.strip()]
    # an address names a part only as `小区：阳光小区` or `房号=501`: 社区卫生站旁 is an address as written,
    # not the community 卫生站旁 (四至 is written 东至幸福路, so there the name alone names the part)
    sep = "：" if "text" in tp.model_fields else ""

    def word_of(segment: str) -> str | None:
        named = [n for n in names if segment.startswith(n) and (not sep or segment[len(n) : len(n) + 1] in SEPARATORS)]
        return max(named, key=len, default=None)

    if "text" in tp.model_fields and not any(word_of(s) for s in segments):
        # `--set 地址=幸福路3号`: the address as written, in place of the parts it is written from (kept, they
        # would show instead: gridctl.model.address); the community it lies in stays
        return {**dict.fromkeys(f for f in tp.model_fields if f != "community"), "text": raw.strip()}
    for segment in segments:
        word = word_of(segment)
        if word is None:
            listed = "、".join(n for n in names if n not in tp.model_fields)
            first, second = list(tp.model_fields)[:2]
            zh = f"{label(kind, path)}={label(kind, (*path, first))}{sep}…，{label(kind, (*path, second))}{sep}…"
            raise GridctlError(
                Text(
                    f"{dotted(path)}: 看不懂“{segment}”，每一项应以 {listed} 开头",
                    f"{dotted(path)}: {segment!r} does not start with one of {', '.join(tp.model_fields)} ({listed})",
                ),
                hint=Text(f"例如 --set {zh}", f"e.g. --set {dotted(path)}={first}=…,{second}=… or --set {zh}"),
            )
        field = names[word]
        out[field] = _scalar(_unwrap(tp.model_fields[field].annotation), segment[len(word) :].lstrip("：:= "))
    return out


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
        # 2026.3.9, 2026年3月9日 09:30 as import and a date field read them; a day stays a day (a deadline
        # of 2026-03-09 written as 2026-03-09 00:00:00 was due at midnight, a day early)
        written = as_written(raw)
        text = written[0] if written is not None else raw
        try:
            return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
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
                raise GridctlError(no_item(path, step, walked))
            node = node[step]
        else:
            if step not in node or node[step] is None:
                node[step] = CommentedMap()
            node = node[step]
        walked.append(step)
    _need_container(node, path[-1], walked, path)
    if isinstance(path[-1], int) and path[-1] >= len(node):
        raise GridctlError(no_item(path, path[-1], walked))
    node[path[-1]] = value


def _need_container(node: Any, step: str | int, walked: list[str | int], path: Path) -> None:
    """`name.first` when name is text: say so instead of failing inside the YAML library."""
    want_list = isinstance(step, int)
    if (want_list and not isinstance(node, list)) or (not want_list and not isinstance(node, dict)):
        where = dotted(tuple(walked))
        raise GridctlError(
            Text(
                f"{dotted(path)}: {where or '该记录'} 是单个值，没有下一级字段",
                f"{dotted(path)}: {where or 'the record'} is a single value, not a group of fields",
            ),
            hint=Text(
                "直接给出字段，如 --set name=张伟 或 --set address.room=501",
                "give the field itself, e.g. --set name=张伟 or --set address.room=501",
            ),
        )


def no_item(path: Path, step: str | int, walked: list[str | int]) -> Text:
    where = dotted(tuple(walked))
    return Text(f"{dotted(path)}: {where} 没有第 {step} 项", f"{dotted(path)}: there is no item {step} in {where}")


def dotted(path: Path) -> str:
    """`members[1].name`, as the clerk types a path."""
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
