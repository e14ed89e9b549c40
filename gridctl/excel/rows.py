"""Rows as values: which column holds what, each cell parsed, and every finding tied to its cell.

Findings about a row's *content* come from gridctl's own validation: the record models (with the
ledger's vocabularies) and the checks in gridctl.checks.people, run over the imported records
alone. The importers only decide what the rows mean; they never re-state a rule.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from gridctl.excel.mapping import Column, Mapping
from gridctl.excel.tables import Row, Table
from gridctl.excel.values import PARSERS, CellError, date
from gridctl.model.quotes import unquoted
from gridctl.problem import Problem


@dataclass(frozen=True)
class Issue:
    """Why a row cannot be imported: at a row, maybe at a column, in both languages."""

    row: int
    column: str | None
    zh: str = ""
    en: str = ""
    problem: Problem | None = None

    def message(self, lang: str, reveal: bool = False) -> str:
        if self.problem is None:
            return self.zh if lang == "zh" else self.en
        text = self.problem.message(lang, reveal)
        if self.problem.code == "GC102":  # a vocabulary word: the words allowed, the nearest and its alias line
            args = self.problem.shown_args(reveal)
            allowed = ("可选值: " if lang == "zh" else "allowed: ") + str(args.get("allowed", ""))
            more = str(args.get("suggest_zh" if lang == "zh" else "suggest") or "").rstrip("；; ")
            sep = "；" if lang == "zh" else "; "
            text += f" ({allowed}{sep}{more})" if more else f" ({allowed})"
            if self.problem.sensitive:
                text += _which_word(self.problem, lang, reveal)
        return text

    def line(self, file: str, lang: str, reveal: bool = False) -> str:
        """`FILE:row N: 列 身份证号: message`, the form a clerk sees and scripts can split."""
        where = f"{file}:row {self.row}: "
        if self.column:
            where += f"列 {self.column}: " if lang == "zh" else f"column {self.column}: "
        return where + self.message(lang, reveal)


def _which_word(problem: Problem, lang: str, reveal: bool) -> str:
    """Which word of a care-group cell (低保家庭、特困供养) is not in the vocabulary. The word and the words
    nearest it say which care group the row's person is in, as *** does not: named with --reveal, and
    without it the word's place in the cell, so the clerk finds it in the sheet."""
    import difflib

    place = problem.path[-1] + 1 if problem.path and isinstance(problem.path[-1], int) else None
    if not reveal:
        if place is None:
            return "；用 --reveal 显示该词及最接近的词" if lang == "zh" else "; --reveal shows it and the nearest words"
        return (
            f"；是本格第 {place} 个词，用 --reveal 显示该词及最接近的词"
            if lang == "zh"
            else f"; it is word {place} of the cell; --reveal shows it and the nearest words"
        )
    allowed = [w for w in str(problem.args.get("allowed") or "").split("、") if w]
    near = difflib.get_close_matches(str(problem.args.get("value")), allowed, n=3, cutoff=0.3)
    if not near:
        return ""
    return f"；最接近: {'、'.join(near)}" if lang == "zh" else f"; nearest: {', '.join(near)}"


@dataclass
class Layout:
    """Which column index holds which field, and which columns go under `extra:`."""

    fields: dict[str, tuple[int, Column, str]] = field(default_factory=dict)
    extras: list[tuple[int, str]] = field(default_factory=list)

    def header(self, key: str) -> str | None:
        found = self.fields.get(key)
        return found[2] if found else None

    def has(self, key: str) -> bool:
        return key in self.fields

    def column_of(self, path: tuple[Any, ...]) -> str | None:
        """The sheet column a problem at a record's field path came from, for `列 X:` messages."""
        if not path:
            return None
        if path[0] == "extra" and len(path) > 1:
            return self.header(f"extra.{path[1]}") or str(path[1])
        if path[0] == "grid":
            return self.header("grid") or self.header("grid_name")
        key = ".".join(str(p) for p in path if isinstance(p, str))
        while key and not self.has(key):
            key = key.rpartition(".")[0]
        return self.header(key) if key else None


def layout(table: Table, mapping: Mapping) -> Layout:
    out = Layout()
    for index, header in enumerate(table.headers):
        if not header or mapping.skip(header):
            continue
        column = mapping.column_for(header)
        if column is not None and column.key not in out.fields:
            out.fields[column.key] = (index, column, header)
        else:
            out.extras.append((index, header))
    return out


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]
    """Parsed non-blank cells by field key."""
    extra: dict[str, str]
    """Cells of unmapped columns (and `extra.X` fields) as text, by header."""
    issues: list[Issue]
    raw: list[Any]
    cleared: set[str] = field(default_factory=set)
    """Keys whose cell says （清空）: the clerk clears the value (`extra.X` for an extra column)."""


def parse_rows(table: Table, lay: Layout) -> Iterator[ParsedRow]:
    for row in table.rows:
        yield parse_row(row, lay, table)


CANNOT_CLEAR = ("必填，不能清空", "required: it cannot be cleared")
"""（清空） in the column of a field no record is without (姓名, 名称)."""


def required_cleared(row: ParsedRow, model: Any, lay: Layout, also: tuple[str, ...] = ()) -> list[Issue]:
    """（清空） in a column whose field `model` requires (or one of `also`): refused at its cell before
    anything else is read of the row, never offered as a change (a rename to nothing)."""
    fields = model.model_fields
    keys = [k for k in row.cleared if k in also or (k in fields and fields[k].is_required())]
    return [Issue(row.number, lay.header(k), *CANNOT_CLEAR) for k in keys]


CLEAR = ("（清空）", "(清空)")
"""What a clerk types to clear a value: a blank cell never clears one (it may be a cell not filled in)."""


def clears(cell: Any) -> bool:
    return isinstance(cell, str) and cell.strip() in CLEAR


def parse_row(row: Row, lay: Layout, table: Table) -> ParsedRow:
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    issues: list[Issue] = []
    cleared: set[str] = set()
    for key, (index, column, header) in lay.fields.items():
        cell = row.get(index)
        if (row.number, index) in table.unsaved:
            issues.append(_unsaved(row.number, header, table.unsaved[(row.number, index)]))
            continue
        if clears(cell):
            cleared.add(key)
            continue
        try:
            value = date(cell, table.epoch) if column.parse == "date" else PARSERS[column.parse](cell)
        except CellError as exc:
            issues.append(Issue(row.number, header, exc.zh, exc.en))
            continue
        if value is None or value == []:
            continue
        if column.parse == "text" and key in plain_keys():
            value = unquoted(value) or value  # “101” from a word processor: the clerk meant 101
        if key.startswith("extra."):
            extra[key[6:]] = value
        else:
            values[key] = value
    for index, header in lay.extras:
        if (row.number, index) in table.unsaved:
            issues.append(_unsaved(row.number, header, table.unsaved[(row.number, index)]))
            continue
        if clears(row.get(index)):
            cleared.add(f"extra.{header}")
            continue
        text = PARSERS["text"](row.get(index))
        if text is not None:
            extra[header] = text
    return ParsedRow(row.number, values, extra, issues, list(row.values), cleared)


def _unsaved(row: int, header: str, cell: str) -> Issue:
    """A formula cell without a saved value (gridctl.excel.tables.Table.unsaved): read, it would be blank."""
    return Issue(
        row,
        header,
        f"单元格 {cell} 的公式没有保存的值：请在 Excel/WPS 中打开后保存再导入",
        f"cell {cell}: the formula has no saved value; open the file in Excel or WPS, save it, then import it",
    )


@cache
def plain_keys() -> frozenset[str]:
    """The column keys (`gender`, `address.room`) that name a code or a word in some record kind,
    never free text (gridctl.model.types.takes_plain): a cell there is taken without typographic quotes."""
    from pydantic import BaseModel

    from gridctl.model import KINDS, Person
    from gridctl.model.types import takes_plain

    out: set[str] = set()
    free: set[str] = set()  # free text in another kind (an event's title; an activity's is a word)

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            (out if takes_plain(info.annotation) else free).add(prefix + name)
            inner = [a for a in typing.get_args(info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
            for sub in inner[:1] if not prefix else []:
                walk(sub, f"{name}.")

    for model in [*KINDS.values(), Person]:
        walk(model, "")
    return frozenset(out - free)


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """`{"rental.landlord": x}` → `{"rental": {"landlord": x}}`."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def get_path(obj: Any, key: str) -> Any:
    """The value at a dotted key of a model or dict, None where a step is missing."""
    for part in key.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


PERSON = ("members", 0)
"""Where a person sits in a household: findings about a person carry it, so that they are
recognised as personal data and masked like anywhere else (gridctl.model.sensitive)."""


def model_issues(
    model: type[BaseModel],
    data: dict[str, Any],
    context: dict[str, Any],
    column_of: Any,
    row: int,
    prefix: tuple[str | int, ...] = (),
) -> tuple[BaseModel | None, list[Issue]]:
    """Validate `data` with a record model; each error tied to the column of its field path."""
    from gridctl.ledger.schema import problems_from_error

    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        problems = problems_from_error(exc, str(row), 0, None)
    return None, [Issue(row, column_of(p.path), problem=replace(p, path=(*prefix, *p.path))) for p in problems]


def check_issues(problems: Iterable[Problem], column_of: Any, wanted: Any = None, prefix: int = 0) -> list[Issue]:
    """Findings of gridctl.checks run over records whose Source.file is the row number;
    `prefix` path steps (a person's place in a household) are not part of the column's field."""
    out = []
    for p in problems:
        path = p.path[prefix:]
        if wanted is not None and not wanted(int(p.file), path):
            continue
        out.append(Issue(int(p.file), column_of(path), problem=p))
    return out


def set_dotted(data: dict[str, Any], key: str, value: Any) -> None:
    """Set `address.room`-style keys in a plain record dict, creating mappings on the way."""
    parts = key.split(".")
    for part in parts[:-1]:
        if not isinstance(data.get(part), dict):
            data[part] = {}
        data = data[part]
    data[parts[-1]] = value


def unimported(table: Table, lay: Layout, mapping: Mapping) -> list[tuple[str, str]]:
    """Every column of the sheet that holds something and goes nowhere, with why: (zh, en) per column."""
    from gridctl.excel.values import blank

    used = {i for i, _c, _h in lay.fields.values()} | {i for i, _h in lay.extras}
    width = max([len(table.headers), *(len(r.values) for r in table.rows)])
    out = []
    for i in range(width):
        header = table.headers[i] if i < len(table.headers) else ""
        if i in used or (not header and all(blank(r.get(i)) for r in table.rows)):
            continue
        if not header:
            from openpyxl.utils import get_column_letter  # only here: 0.3 s of importing a CSV register

            letter = get_column_letter(i + 1)
            out.append((f"{letter} 列 (无表头)", f"column {letter} (no header)"))
        elif mapping.skip(header):
            out.append((f"{header} (不导入)", f"{header} (skipped)"))
        else:
            out.append((f"{header} (同名列已导入)", f"{header} (a column of that name was imported)"))
    return out
