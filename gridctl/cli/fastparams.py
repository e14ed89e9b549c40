"""Options read without pydantic.

Typer 0.2x coerces every parameter of the command that runs through a pydantic TypeAdapter it
builds on the spot: 0.1 s of every command, a fifth of an edit at 12,000 households. Text, whole
numbers, flags, paths, choices named exactly, and lists of them are coerced here the way Typer's
adapters do it; anything else (a choice in other letters, a value that is not plain) goes to
Typer's own coercion, which also words the error. An older Typer built on click has no such
step, and nothing is changed there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


class _Unsure(Exception):
    """A value this module does not coerce itself: Typer's own coercion takes it."""


def _text(value: Any, param: Any, ctx: Any) -> Any:
    if type(value) is str:
        return value
    raise _Unsure


def _number(kind: type, written: re.Pattern[str]) -> Any:
    """A whole number or a decimal, written plainly (anything else: Typer's own words)."""

    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is kind:
            return value
        if type(value) is str and written.fullmatch(value):
            return kind(value)
        raise _Unsure

    return convert


_whole = _number(int, re.compile(r"-?[0-9]{1,18}"))
_decimal = _number(float, re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?"))


def _choice(value: Any, param: Any, ctx: Any) -> Any:
    """A member of the option's Enum, named exactly by its value (`--lang en`)."""
    choices = param.type_descriptor.annotation
    if isinstance(value, choices):
        return value
    if type(value) is str:
        for member in choices:
            if member.value == value:
                return member
    raise _Unsure


def _flag(value: Any, param: Any, ctx: Any) -> Any:
    if type(value) is bool:
        return value
    raise _Unsure


def _path(value: Any, param: Any, ctx: Any) -> Any:
    from typer._param_types import coerce_cli_path

    info = param.type_descriptor.parameter_info
    if type(value) is str and value:
        value = Path(value)  # what pydantic's Path makes of plain text
    if not isinstance(value, Path) or info.path_type not in (None, Path):
        raise _Unsure
    return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)  # Typer's checks (exists, …)


_CONVERT = {str: _text, int: _whole, float: _decimal, bool: _flag, Path: _path}


class PlainParam:
    """Stands in for Typer's RuntimeParam of one plain parameter (its `coerce` contract)."""

    def __init__(self, convert: Any, many: bool) -> None:
        self.convert = convert
        self.many = many

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return self._coerce(value, param, ctx)
        except _Unsure:
            from typer._coercion import build_runtime_param

            return build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)

    def _coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        if multi and isinstance(value, str):
            raise _Unsure  # Typer's error: "Value must be an iterable."
        if self.many:
            items = value if isinstance(value, (list, tuple)) else [value]
            return [self.convert(item, param, ctx) for item in items]
        return self.convert(value, param, ctx)


def plain_param(descriptor: Any) -> PlainParam | None:
    """The coercion of a parameter this module can do itself, or None."""
    from typing import get_args, get_origin

    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return None
    if getattr(info, "min", None) is not None or getattr(info, "max", None) is not None:
        return None
    annotation, many = descriptor.annotation, False
    if get_origin(annotation) is list and len(get_args(annotation)) == 1:
        annotation, many = get_args(annotation)[0], True
    from enum import Enum

    convert = _CONVERT.get(annotation) if isinstance(annotation, type) else None
    if isinstance(annotation, type) and issubclass(annotation, Enum) and issubclass(annotation, str):
        convert = _choice
    return PlainParam(convert, many) if convert is not None else None


def speed_up(command: Any) -> None:
    """Give the plain parameters of a command (and of its subcommands) the coercion above, the
    `--help` option made for each run included."""
    for param in getattr(command, "params", ()):
        _speed(param)
    make_help = getattr(command, "get_help_option", None)
    if make_help is not None and not getattr(make_help, "_plain", False):

        def help_option(ctx: Any) -> Any:
            option = make_help(ctx)
            _speed(option)
            return option

        help_option._plain = True  # type: ignore[attr-defined]
        command.get_help_option = help_option
    for sub in getattr(command, "commands", {}).values():
        speed_up(sub)


def _speed(param: Any) -> None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and getattr(param, "_runtime_param", "") is None:
        fast = plain_param(descriptor)
        if fast is not None:
            param._runtime_param = fast
