"""A printable report as data: titled sections of rows. Text, HTML, PDF and JSON all come from it."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    key: str = ""
    """A stable name for the section (JSON, correction sheets)."""


@dataclass
class Report:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    kind: str = ""
    period: str = ""
    notes: list[str] = field(default_factory=list)
    """Warnings the whole report carries (holiday data past its end, no school calendar)."""

    def as_json(self) -> dict[str, Any]:
        return _plain(asdict(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        sections = [Section(**s) for s in data.get("sections", [])]
        return cls(
            data["title"],
            data.get("subtitle", ""),
            sections,
            data.get("kind", ""),
            data.get("period", ""),
            list(data.get("notes", [])),
        )

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _plain(node: Any) -> Any:
    """JSON's own types: dates as ISO text (a register lists birth and visit dates)."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_plain(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def cell(value: Any) -> str:
    if value is None:
        return ""
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
    for section in report.sections:
        lines += ["", f"== {section.title} =="]
        table = [section.columns, *[[cell(v) for v in row] for row in section.rows]]
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
