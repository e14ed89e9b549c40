"""安全隐患督查记录表: blank or pre-filled inspection sheets, one per day.

Checklist items are `类别：内容` (the category groups rows) or plain text, numbered as `gridctl
inspect --ok 3` counts them. `--checklist NAME` takes a checklist from gridctl.yaml (the form `inspect
--checklist NAME` is filled from); without it the bundled safety checklist is used
(`templates/checklist-default.yaml`, which a ledger may override like any template).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.model import Staff
from gridctl.render.env import read_template_text
from gridctl.render.pages import Document, Printer

DEFAULT_CHECKLIST = "checklist-default.yaml"
MAX_DAYS = 62


@dataclass(frozen=True)
class Row:
    number: int
    """The item's number, as `gridctl inspect --ok N` takes it."""
    category: str
    content: str
    span: int
    """Rows the category cell spans (0: covered by the row above)."""


def rows_of(items: list[str]) -> list[Row]:
    parsed = []
    for item in items:
        m = re.match(r"^\s*([^：:]{1,12})[：:]\s*(.+)$", item)
        parsed.append((m.group(1).strip(), m.group(2).strip()) if m else ("", item.strip()))
    rows: list[Row] = []
    i = 0
    while i < len(parsed):
        j = i
        while j + 1 < len(parsed) and parsed[i][0] and parsed[j + 1][0] == parsed[i][0]:
            j += 1
        for k in range(i, j + 1):
            rows.append(Row(k + 1, parsed[k][0], parsed[k][1], j - i + 1 if k == i else 0))
        i = j + 1
    return rows


def checklist(printer: Printer, name: str | None) -> tuple[str, list[str]]:
    """The checklist asked for, else the bundled one."""
    if name is None:
        data = yaml.safe_load(read_template_text(printer.root, DEFAULT_CHECKLIST)) or {}
        return str(data.get("name", "")), [str(x) for x in data.get("items", [])]
    for found in printer.settings.checklists:
        if found.name == name:
            return found.name, list(found.items)
    known = "、".join(c.name for c in printer.settings.checklists)
    raise GridctlError(
        Text(f"没有这个检查表: {name}", f"no checklist named {name}"),
        hint=Text(
            f"可选: {known}",
            f"known: {known}",
        )
        if known
        else Text("gridctl.yaml 中没有检查表", "gridctl.yaml has no checklists"),
    )


def form_title(checklist_name: str) -> str:
    """The sheet's one title: the checklist's name as a record form (社区日常巡查 → 社区日常巡查记录表)."""
    name = checklist_name.strip()
    if not name:
        return "安全隐患督查记录表"
    return name if name.endswith("表") else f"{name}记录表"


def inspector_name(printer: Printer, key: str | None) -> str:
    if not key:
        return ""
    from gridctl.ledger.names import resolve

    staff = {s.id: s for s, _ in printer.ledger.records(Staff)}
    return staff[resolve(printer.ledger, key, ["staff"])].name


def form(
    printer: Printer,
    grid: str,
    start: dt.date | None = None,
    days: int | None = None,
    checklist_name: str | None = None,
    inspector: str | None = None,
) -> Document:
    """One sheet, or `days` daily sheets from `start` (default today)."""
    view = printer.staffing.view(printer.find_grid(grid))
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise GridctlError(Text(f"--days 应在 1 到 {MAX_DAYS} 之间", f"--days must be 1–{MAX_DAYS}"))
    if days is None:
        dates: list[dt.date | None] = [start]
    else:
        first = start or printer.revision.printed
        dates = [first + dt.timedelta(days=i) for i in range(days)]
    name, items = checklist(printer, checklist_name)
    title = form_title(name if checklist_name else "")
    html = printer._render(
        "form.html",
        title,
        sheets=dates,
        grid=view,
        rows=rows_of(items),
        inspector=inspector_name(printer, inspector),
        size="A4",
    )
    return Document(html, [], len(dates))
