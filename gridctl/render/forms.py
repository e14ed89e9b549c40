"""The profile's inspection form (学校安全隐患督查记录表, 消防安全检查表, 日常巡查表): blank, pre-filled or filled in.

Checklist items are `类别：内容` (the category groups rows) or plain text, numbered as
`gridctl inspect --ok 1 --hazard "2: …"` takes them. Without `--checklist` the profile's daily
checklist is printed under the profile's form title (`labels.form`); a ledger's own
`templates/checklist-default.yaml` replaces it. `--inspection ID` prints a recorded inspection
filled in — results, problems, and the rectification of each hazard from its event — for the
paper 台账.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.model import Event, Inspection, Staff
from gridctl.model.masking import withhold_text
from gridctl.model.supervision import Supervision
from gridctl.render.env import read_template_text
from gridctl.render.pages import Document, Printer
from gridctl.supervision.limits import deadline_of

DEFAULT_CHECKLIST = "checklist-default.yaml"
MAX_DAYS = 62
MARKS = {"ok": "□有 ☑无", "hazard": "☑有 □无", "na": "不适用"}


@dataclass(frozen=True)
class Row:
    number: int
    category: str
    content: str
    span: int
    """Rows the category cell spans (0: covered by the row above)."""
    mark: str = "□有 □无"
    problem: str = ""
    measure: str = ""
    deadline: str = ""
    signer: str = ""


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


def checklist(printer: Printer, name: str | None) -> tuple[str, list[str], bool]:
    """(name, items, named): the checklist asked for, else the ledger's own default, else the profile's."""
    if name is None:
        own = printer.root / "templates" / DEFAULT_CHECKLIST
        default = printer.settings.supervision.inspections.default_checklist
        if not own.is_file() and default and any(c.name == default for c in printer.settings.checklists):
            name = default
        else:
            data = yaml.safe_load(read_template_text(printer.root, DEFAULT_CHECKLIST)) or {}
            return str(data.get("name", "")), [str(x) for x in data.get("items", [])], False
    for found in printer.settings.checklists:
        if found.name == name:
            return found.name, list(found.items), True
    known = "、".join(c.name for c in printer.settings.checklists)
    raise GridctlError(
        Text(f"没有这个检查表: {name}", f"no checklist named {name}"),
        hint=Text(f"可选: {known}", f"known: {known}")
        if known
        else Text("gridctl.yaml 中没有检查表", "gridctl.yaml has no checklists"),
    )


def staff_names(printer: Printer) -> dict[str, str]:
    return {s.id: s.name for s, _ in printer.ledger.records(Staff)}


def inspector_name(printer: Printer, key: str | None) -> str:
    if not key:
        return ""
    from gridctl.ledger.names import resolve

    return staff_names(printer)[resolve(printer.ledger, key, ["staff"])]


def form(
    printer: Printer,
    grid: str,
    start: dt.date | None = None,
    days: int | None = None,
    checklist_name: str | None = None,
    inspector: str | None = None,
    due: Callable[[dt.date], bool] | None = None,
) -> Document:
    """One sheet, or a daily sheet for each of `days` days from `start` (default today) on which `due`
    says an inspection is due (a school's weekends and vacations, a community's days off: no sheet)."""
    view = printer.staffing.view(printer.find_grid(grid))
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise GridctlError(Text(f"--days 应在 1 到 {MAX_DAYS} 之间", f"--days must be 1–{MAX_DAYS}"))
    if days is None:
        dates: list[dt.date | None] = [start]
    else:
        first = start or printer.revision.printed
        span = [first + dt.timedelta(days=i) for i in range(days)]
        dates = [d for d in span if due is None or due(d)]
        if not dates:
            raise GridctlError(
                Text(
                    f"{span[0]} 至 {span[-1]} 没有需要巡查的日子 (休息日或假期)，没有可打印的表",
                    f"no inspection is due from {span[0]} to {span[-1]} (days off or a vacation): no sheet to print",
                )
            )
    name, items, named = checklist(printer, checklist_name)
    default = printer.settings.supervision.inspections.default_checklist
    who = inspector_name(printer, inspector)
    blank = {"progress": "", "signed": "", "record": ""}
    sheets = [{"day": d, "inspector": who, "rows": rows_of(items), **blank} for d in dates]
    return _render(printer, view, sheets, name if named and name != default else "")


def filled(printer: Printer, inspection_id: str) -> Document:
    """A recorded inspection on its form: each item's result, and each hazard's rectification."""
    entry = printer.ledger.get(inspection_id)
    if entry is None:
        from contextlib import suppress

        from gridctl.ledger.names import UnknownName, resolve

        with suppress(UnknownName):  # 第一网格 2026-03-02: the grid and the day, as the form heads it
            inspection_id = resolve(printer.ledger, inspection_id, ["inspection"])
        entry = printer.ledger.get(inspection_id)
    if entry is None or entry.kind != "inspection":
        raise GridctlError(
            Text(f"没有督查记录 {inspection_id}", f"no inspection {inspection_id}"), hint="gridctl list inspection"
        )
    record = entry.record
    if not isinstance(record, Inspection):
        raise GridctlError(
            Text(
                f"{inspection_id} 有字段错误；请先运行 gridctl validate 并改正",
                f"{inspection_id} has schema errors; run gridctl validate and fix it first",
            )
        )
    if record.grid not in printer.staffing.grids:
        raise GridctlError(
            Text(
                f"{inspection_id}: 网格 {record.grid} 不在台账中",
                f"{inspection_id}: grid {record.grid} is not in the ledger",
            )
        )
    names = staff_names(printer)
    events = {e.id: e for e, _ in printer.ledger.records(Event)}
    lc = printer.settings.supervision.lifecycle
    acts = {t.command: t.action for t in (lc.steps if lc else [])}
    items = [i.item for i in record.items]
    public = [s.phone for s, _ in printer.ledger.records(Staff) if s.phone]  # a worker's phone may stay

    def plain(text: str) -> str:  # a form is printed and filed: no resident's number on it, even masked
        return withhold_text(text, public)

    rows = []
    progress = []
    for base, item in zip(rows_of(items), record.items, strict=True):
        event = events.get(item.event) if item.event else None
        measure, deadline, signer = "", "", ""
        if event is not None:
            measure, signer = _measure(event, names, {acts.get("handle", "处置"), acts.get("dispatch", "派遣")})
            deadline = _deadline(event, printer.settings.supervision)
            progress.append(f"{base.number}. {event.id} {event.status}" + _closed(event, acts.get("close", "结案")))
        rows.append(
            Row(
                base.number,
                base.category,
                plain(base.content),
                base.span,
                MARKS[item.result],
                plain(item.note or ""),
                plain(measure),
                deadline,
                signer,
            )
        )
    sheet = {
        "day": record.date,
        "inspector": names.get(record.inspector, record.inspector),
        "rows": rows,
        "progress": "；".join(progress) or ("未发现隐患" if all(i.result != "hazard" for i in record.items) else ""),
        "signed": names.get(record.signed_by, "") if record.signed_by else "",
        "record": record.id,
    }
    default = printer.settings.supervision.inspections.default_checklist
    view = printer.staffing.view(record.grid)
    return _render(printer, view, [sheet], record.checklist if record.checklist != default else "")


def _deadline(event: Event, sup: Supervision) -> str:
    """整改期限 as it holds (an upper grid's after an accepted escalation; the rule's for an event written
    without one), to the minute: a form is read by people, and 13:00:00 is no time anyone set."""
    due = deadline_of(event, sup)
    if isinstance(due, dt.datetime):
        return due.strftime("%Y-%m-%d %H:%M")
    return "" if due is None else due.isoformat()


def _measure(event: Event, names: dict[str, str], actions: set[str]) -> tuple[str, str]:
    """(整改措施, 责任人): the last 处置 (or 派遣) note and who took it."""
    for step in reversed(event.timeline):
        if step.action in actions and step.note:
            return step.note, names.get(step.by, step.by)
    return "", ""


def _closed(event: Event, action: str) -> str:
    for step in reversed(event.timeline):
        if step.action == action:
            when = step.at.date() if isinstance(step.at, dt.datetime) else step.at
            return f"（{when} 结案）"
    return ""


def _render(printer: Printer, view, sheets: list[dict], checklist_name: str) -> Document:  # type: ignore[no-untyped-def,type-arg]
    """The sheets under one title: the profile's form (labels.form), or the form of the checklist named."""
    title = form_title(checklist_name) if checklist_name else printer.settings.labels.form
    html = printer._render("form.html", title, sheets=sheets, grid=view, size="A4")
    return Document(html, [], len(sheets))


def form_title(checklist_name: str) -> str:
    """A checklist's name as the title of its record form (消防安全检查 → 消防安全检查记录表), said once."""
    name = checklist_name.strip()
    return name if name.endswith("表") else f"{name}记录表"
