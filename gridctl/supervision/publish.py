"""Frozen reports: a published period is a commit with the rendered report and a tag (report/2026-03).

Generating a published period again shows the published numbers and a correction sheet of what
changed since, never silently different totals.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.history.gitlog import git
from gridctl.history.revisions import ledger_clock
from gridctl.i18n import Text
from gridctl.ledger.clock import Clock
from gridctl.ops.records import Change
from gridctl.supervision.table import Report, Section, cell, to_html


def tag_name(kind: str, period: str) -> str:
    return f"report/{period}" if kind == "monthly" else f"report/{kind}/{period}"


def report_path(kind: str, period: str, ext: str = "json") -> str:
    return f"reports/{period}/{kind}.{ext}"


def published(root: Path, kind: str, period: str, clock: Clock | None = None) -> tuple[Report, str] | None:
    """The published report and the day it was published (on the ledger's `clock`), or None."""
    tag = tag_name(kind, period)
    try:
        git(root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}")
    except GridctlError:
        return None
    data = json.loads(git(root, "show", f"{tag}:{report_path(kind, period)}").decode("utf-8"))
    clock = clock or ledger_clock(root)
    day = clock.day_of(git(root, "log", "-1", "--format=%cI", tag).decode().strip()).isoformat()
    return Report.from_json(data), day


class Unpublishable(GridctlError):
    """A report short of records the ledger could not read, or computed from grid and staff records with
    errors, is never sent up: the errors come first."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        found = [p for _u, p in (*report.unread, *report.errors)]
        lines = {lang: "\n".join(f"  {p.file}:{p.line or 1}: {p.code} {p.message(lang)}" for p in found)
                 for lang in ("zh", "en")}  # fmt: skip
        super().__init__(
            Text(
                f"不能发布: 以下记录有错误，报表未计入或算错\n{lines['zh']}",
                f"not published: these records have errors, left out of the report or counted wrong\n{lines['en']}",
            ),
            hint=Text("改正后再发布 (gridctl validate 查看)", "fix them, then publish (see gridctl validate)"),
        )


def publish_change(report: Report, root: Path) -> Change:
    if report.unread or report.errors:
        raise Unpublishable(report)
    files: dict[str, bytes | None] = {
        report_path(report.kind, report.period): (
            json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
        ).encode(),
        report_path(report.kind, report.period, "html"): to_html(report, root, f"{report.title} · 已发布").encode(),
    }
    tag = tag_name(report.kind, report.period)
    return Change(Text(f"发布报表 {tag}：{report.title}", f"publish report {tag}: {report.title}"), files, tag)


def last_commit_of(root: Path, kind: str, period: str) -> str | None:
    """The commit that last wrote this period's report (HEAD holds it), if any."""
    out = git(root, "log", "-1", "--format=%H", "--", report_path(kind, period)).decode().strip()
    return out or None


def tag(root: Path, commit: str, kind: str, period: str) -> None:
    """The period's tag on the commit that published it."""
    git(root, "tag", tag_name(kind, period), commit)


def corrections(old: Report, new: Report) -> list[list[Any]]:
    """[section, row, column, published, now] for every cell that changed, row added or removed."""
    out: list[list[Any]] = []
    for section in old.sections:
        now = new.section(section.key)
        if now is None or not section.columns:
            continue
        before = {cell(r[0]): r for r in section.rows}
        after = {cell(r[0]): r for r in now.rows}
        for key, row in before.items():
            if key not in after:
                out.append([section.title, key, "", "（有）", "（无）"])
                continue
            for i, column in enumerate(section.columns[1:], 1):
                a, b = cell(row[i]) if i < len(row) else "", cell(after[key][i]) if i < len(after[key]) else ""
                if a != b:
                    out.append([section.title, key, column, a, b])
        for key in after:
            if key not in before:
                out.append([section.title, key, "", "（无）", "（有）"])
    return out


def with_corrections(found: tuple[Report, str], current: Report) -> Report:
    """The published report as it was, followed by its correction sheet (更正表)."""
    report, day = found
    rows = corrections(report, current)
    frozen = Report(
        report.title,
        f"{report.subtitle}；{day} 已发布（{tag_name(report.kind, report.period)}）",
        list(report.sections),
        report.kind,
        report.period,
        notes=report.notes,
        totals=report.totals,
        unread=current.unread,  # the correction sheet is short of them too
        errors=current.errors,
    )
    notes = [f"发布后台账有 {len(rows)} 处变动，以本表为准更正" if rows else "发布后台账无变动"]
    frozen.sections.append(
        Section(
            "更正表",
            ["部分", "行", "项目", "发布时", "现在"],
            rows,
            notes,
            key="corrections",
            fields=["section", "row", "column", "published", "now"],
        )
    )
    return frozen
