"""A printable report as data: titled sections of rows. Text, HTML, PDF and JSON all come from it.

Cells hold typed values — counts, a `Rate` (0.091, shown 9.1%), a `Ratio` (2 of 22, shown 2/22),
dates — and every column has a field name besides its Chinese header, so JSON gives data
(`rows: [{grid, name, due_days, done_days, rate: 0.091}]`) while text and HTML show the headers.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from gridctl.i18n import Text, current
from gridctl.problem import Problem


class Rate(float):
    """A share between 0 and 1 (JSON: the number), shown as a percent."""

    def __str__(self) -> str:
        return f"{100 * self:.1f}%"


def rate(done: float, total: float) -> Rate | None:
    """done/total, or None when there was nothing to do (shown —)."""
    return Rate(round(done / total, 4)) if total else None


@dataclass(frozen=True)
class Ratio:
    """So many of so many (JSON: {done, total}), shown 2/22."""

    done: int
    total: int

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    key: str = ""
    """A stable name for the section (JSON, correction sheets)."""
    fields: list[str] = field(default_factory=list)
    """The column's name in JSON, one per column (e.g. due_days for 应巡查(天))."""

    @classmethod
    def of(
        cls,
        title: str,
        columns: list[tuple[str, str]],
        rows: list[list[Any]],
        notes: list[str] | None = None,
        key: str = "",
    ) -> Section:
        """A section from (field, header) pairs: the JSON name and the Chinese header of each column together."""
        return cls(title, [h for _f, h in columns], rows, list(notes or []), key, [f for f, _h in columns])

    def as_json(self) -> dict[str, Any]:
        names = self.fields or [f"c{i}" for i in range(len(self.columns))]
        return {
            "key": self.key,
            "title": self.title,
            "headers": dict(zip(names, self.columns, strict=False)),
            "rows": [{n: _plain(v) for n, v in zip(names, row, strict=False)} for row in self.rows],
            "notes": list(self.notes),
        }

    def shown(self) -> list[list[Any]]:
        """The rows as a page shows them: a rate with nothing to count is —."""
        names = self.fields or [""] * len(self.columns)
        return [
            ["—" if v is None and n.endswith("rate") else v for n, v in zip(names, row, strict=False)]
            for row in self.rows
        ]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Section:
        """A section as `as_json` wrote it, or as reports published before field names were (columns, rows)."""
        if "headers" not in data:
            return cls(
                data["title"], data.get("columns", []), data.get("rows", []), data.get("notes", []), data.get("key", "")
            )
        names = list(data["headers"])
        rows = [[_typed(n, row.get(n)) for n in names] for row in data.get("rows", [])]
        return cls(
            data["title"], list(data["headers"].values()), rows, data.get("notes", []), data.get("key", ""), names
        )


@dataclass
class Report:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    kind: str = ""
    period: str = ""
    notes: list[str] = field(default_factory=list)
    """Warnings the whole report carries (holiday data past its end, no school calendar)."""
    totals: dict[str, Any] = field(default_factory=dict)
    """The report's headline numbers by name (monthly: due_days, done_days, rate …)."""
    unread: list[tuple[str, Problem]] = field(default_factory=list)
    """(unit, error) of each record the ledger holds but could not read (gridctl.ledger.unread): in no
    figure above, so the report names them (unit "": the ledger's own)."""
    errors: list[tuple[str, Problem]] = field(default_factory=list)
    """(unit, error) of each error validate finds in the records the report is computed from (a grid's
    responsible and former people, the staff), read but wrong (gridctl.supervision.grounds): its
    figures may be wrong, so the report names them."""

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "period": self.period,
            "title": self.title,
            "subtitle": self.subtitle,
            "notes": list(self.notes),
            "totals": {k: _plain(v) for k, v in self.totals.items()},
            "sections": [s.as_json() for s in self.sections],
            "unread": [_unread_json(unit, p) for unit, p in self.unread],
            "errors": [_unread_json(unit, p) for unit, p in self.errors],
        }

    def unread_lines(self) -> list[str]:
        """What the report left out, for a person: a heading, then one line per error as validate puts it."""
        if not self.unread:
            return []
        n = len(self.unread)
        heading = Text(
            f"注意: 以下 {n} 处错误使记录无法读取，未计入本报表 (gridctl validate 查看，改正后重出):",
            f"note: {n} error(s) below kept records unread, not counted in this report "
            "(see gridctl validate; fix them and run it again):",
        )()
        return [heading, *_problem_lines(self.unread)]

    def error_lines(self) -> list[str]:
        """What the report was computed from wrongly, for a person: a heading, then each error."""
        if not self.errors:
            return []
        n = len(self.errors)
        heading = Text(
            f"注意: 本报表据以计算的网格责任或工作人员记录有以下 {n} 处错误，数字可能不对 "
            "(gridctl validate 查看，改正后重出):",
            f"note: the grid responsibility or staff records this report is computed from have {n} error(s) "
            "below; its figures may be wrong (see gridctl validate; fix them and run it again):",
        )()
        return [heading, *_problem_lines(self.errors)]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        sections = [Section.from_json(s) for s in data.get("sections", [])]
        return cls(
            data["title"],
            data.get("subtitle", ""),
            sections,
            data.get("kind", ""),
            data.get("period", ""),
            list(data.get("notes", [])),
            dict(data.get("totals") or {}),
        )

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _problem_lines(found: list[tuple[str, Problem]]) -> list[str]:
    """One line per error as validate puts it (file:line:column: severity[code] message), unit in front."""
    lines = []
    for unit, p in found:
        where = f"{p.file}:{p.line or 1}:{p.column or 1}"
        record = f" ({p.record})" if p.record else ""
        said = f"{where}: {p.severity}[{p.code}] {p.message(current())}{record}"
        lines.append(f"  {unit}: {said}" if unit else f"  {said}")
    return lines


def _unread_json(unit: str, p: Problem) -> dict[str, Any]:
    said = p.message(current())  # masked: a report's JSON is the worker's view
    return {"unit": unit or None, "file": p.file, "line": p.line, "record": p.record, "code": p.code, "message": said}


def _typed(name: str, value: Any) -> Any:
    """A JSON cell as the report holds it: {done, total} a Ratio, a number in a rate field a Rate."""
    if isinstance(value, dict) and set(value) == {"done", "total"}:
        return Ratio(int(value["done"]), int(value["total"]))
    if name.endswith("rate") and isinstance(value, int | float) and not isinstance(value, bool):
        return Rate(value)
    return value


def _plain(node: Any) -> Any:
    """JSON's own types: dates as ISO text, a rate as its number, a ratio as {done, total}."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_plain(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    if isinstance(node, Rate):
        return float(node)
    if isinstance(node, Ratio):
        return {"done": node.done, "total": node.total}
    return node


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Rate | Ratio):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def to_text(report: Report) -> str:
    lines = [report.title]
    if report.subtitle:
        lines.append(report.subtitle)
    lines += report.notes
    lines += report.unread_lines()
    lines += report.error_lines()
    for section in report.sections:
        lines += ["", f"== {section.title} =="]
        table = [section.columns, *[[cell(v) for v in row] for row in section.shown()]]
        if section.columns:
            sizes = [max(width(r[i]) for r in table) for i in range(len(section.columns))]
            for row in table:
                lines.append("  ".join(pad(v, sizes[i]) for i, v in enumerate(row)).rstrip())
        lines += section.notes
    return "\n".join(lines) + "\n"


def to_html(report: Report, ledger_root: Any, footer: str) -> str:
    from gridctl.render.env import environment

    env = environment(ledger_root)
    env.filters["cell"] = cell
    return env.get_template("report.html").render(report=report, title=report.title, size="A4", footer=footer)
