"""`gridctl import KIND FILE` as a library call: read, match, check, and write one commit or nothing.

All or nothing by default: one bad row and nothing is written, every bad row reported. With
`skip_invalid` the good rows go in and the bad ones are written next to the input with a reason
column. Whatever the rows pass, the write itself validates the whole ledger as it would be
(gridctl.ops.write); what that finds is traced back to the rows it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gridctl.errors import GridctlError
from gridctl.excel.findings import TITLES, Finding
from gridctl.excel.households import HouseholdImport
from gridctl.excel.mapping import load_mapping
from gridctl.excel.merge import Choices, Merge
from gridctl.excel.plan import Plan
from gridctl.excel.records import RecordImport
from gridctl.excel.rows import Issue, ParsedRow, layout, parse_row, unimported
from gridctl.excel.tables import Table, TableError, read_table
from gridctl.i18n import Text
from gridctl.ledger.clock import Clock
from gridctl.messages import KIND_ZH
from gridctl.problem import Problem

Progress = Callable[[str, int, int | None], None]
"""progress(stage, done, total): stages are "read", "check" and "write"."""

FOLDERS = {"household": "households", "staff": "staff", "place": "places", "org": "orgs"}
NAMES = {"household": "姓名", "staff": "姓名", "place": "名称", "org": "名称"}
MAX_PASSES = 5


@dataclass
class ImportOptions:
    mapping: Path | None = None
    sheet: str | None = None
    grid: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    lang: str = "zh"
    """Language of the reasons in the rejected-rows file."""
    reveal: bool = False
    base: str | None = None
    """What the register was made from (REV or DATE), when it carries no export stamp."""
    prefer: str | None = None
    """How conflicts and reverts are settled: ledger, register, or None (nothing is written)."""
    accept_renames: bool = False
    accept_moves: bool = False
    accept_address: bool = False
    today: dt.date | None = None
    """The ledger's day (its clock), for id formats with a date in them."""

    def choices(self) -> Choices:
        return Choices(self.prefer, self.accept_renames, self.accept_moves, self.accept_address)


@dataclass
class ImportResult:
    kind: str
    file: str
    rows: int = 0
    added: int = 0
    added_people: int = 0
    updated: int = 0
    unchanged: int = 0
    filled: int = 0
    """People whose blank 出生日期/性别 were read off their ID number: said, never done silently."""
    issues: list[Issue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Ledger-wide problems of the result that no row accounts for."""
    commit: str | None = None
    paths: list[str] = field(default_factory=list)
    dry_run: bool = False
    skip_invalid: bool = False
    rejected_file: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """Columns of the sheet that were not imported (nothing is dropped silently)."""
    footers: list[int] = field(default_factory=list)
    """Rows not imported as no one's (合计 and 填表人 lines), named in the output."""
    absent: list[tuple[str, str]] = field(default_factory=list)
    """(id, name) of records the register's export listed and no row names now: not retired by an import."""
    base: str | None = None
    """The commit the three-way check compared against; None: each field's history."""
    blanks: list[tuple[int, str]] = field(default_factory=list)
    """(row, column) of blank cells whose value the ledger holds: kept (（清空） clears one), and said so."""
    order: dict[str, int] = field(default_factory=dict)
    """Column position of each header, for listing findings in the sheet's order."""

    @property
    def open(self) -> list[Finding]:
        return [f for f in self.findings if f.open]

    @property
    def rejected(self) -> list[int]:
        return sorted({i.row for i in self.issues})

    @property
    def written(self) -> bool:
        return self.commit is not None

    @property
    def failed(self) -> bool:
        return bool(self.issues or self.problems or self.open)

    def count(self, group: str) -> int:
        return sum(1 for f in self.findings if f.group == group)

    def summary_zh(self) -> str:
        added = f"新增 {self.added} 户 {self.added_people} 人" if self.kind == "household" else f"新增 {self.added}"
        more = "".join(f", {TITLES[g][0]} {self.count(g)}" for g in ("moved", "conflicts", "reverts") if self.count(g))
        filled = f"；{self.filled} 人的出生日期/性别按身份证号补填" if self.filled else ""
        kept = f"；{len(self.blanks)} 个空白单元格保留台账原值" if self.blanks else ""
        return f"{added}, 更新 {self.updated}, 未变 {self.unchanged}, 拒绝 {len(self.rejected)}{more}{filled}{kept}"

    def summary_en(self) -> str:
        added = (
            f"added {self.added} households, {self.added_people} people"
            if self.kind == "household"
            else f"added {self.added}"
        )
        more = "".join(f", {TITLES[g][1]} {self.count(g)}" for g in ("moved", "conflicts", "reverts") if self.count(g))
        filled = f"; birth date/gender filled from the ID number for {self.filled}" if self.filled else ""
        rejected = len(self.rejected)
        kept = f"; {len(self.blanks)} blank cells kept the ledger's value" if self.blanks else ""
        return f"{added}, updated {self.updated}, unchanged {self.unchanged}, rejected {rejected}{more}{filled}{kept}"


def import_file(
    root: Path,
    kind: str,
    path: Path,
    *,
    author: object,
    reason: str | None = None,
    command: str | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    wait: float | None = None,
) -> ImportResult:
    """Read the register, then plan and write it under the ledger's lock against what is committed now."""
    from gridctl.ops.write import transaction

    options = options or ImportOptions()
    tick = progress or (lambda stage, done, total: None)
    if kind not in FOLDERS:
        raise GridctlError(
            Text(
                f"不能导入 {kind!r}；可选: {'、'.join(FOLDERS)}",
                f"cannot import {kind!r}; choose one of: {', '.join(FOLDERS)}",
            )
        )
    mapping = load_mapping(kind, options.mapping)
    tick("read", 0, None)
    table = read_table(path, mapping.key_of, options.sheet)
    lay = layout(table, mapping)
    if not lay.has("name"):
        headers = "、".join(h for h in table.headers if h) or "-"
        raise TableError(
            Text(
                f"{path.name}: 找不到“{NAMES[kind]}”列 (表头: {headers})",
                f"{path.name}: no {NAMES[kind]} column (headers: {headers})",
            ),
            hint=Text("给该列改名，或在 --mapping 文件中说明", "rename the column, or name it in a --mapping file"),
        )
    rows: list[ParsedRow] = []
    for n, row in enumerate(table.rows, start=1):
        rows.append(parse_row(row, lay, table))
        if n % 500 == 0 or n == len(table.rows):
            tick("read", n, len(table.rows))

    def rejected(result: ImportResult, issues: list[Issue]) -> None:
        """The rows left out, next to the input, written BEFORE the commit: a file Excel holds open stops
        the import with nothing committed, instead of failing after the rows went in."""
        if issues and options.skip_invalid and not options.dry_run:
            from gridctl.excel.rejected import write_rejected

            result.rejected_file = write_rejected(
                path, table, lay, _dedupe(issues, result.order), options.lang, options.reveal
            )

    with transaction(root, command or f"gridctl import {kind}", wait) as txn:
        result = _plan_and_write(txn, kind, table, lay, rows, author, reason, command, options, tick, rejected)
    result.warnings, result.footers = unimported(table, lay, mapping), table.footers
    return result


def _plan_and_write(txn, kind, table, lay, rows, author, reason, command, options, tick, rejected) -> ImportResult:  # type: ignore[no-untyped-def]
    from gridctl.ledger.ids import ids_left
    from gridctl.ledger.message import Message
    from gridctl.ops.write import WriteRejected

    ledger, head = txn.ledger(), txn.head
    default_grid = _default_grid(ledger, options.grid)
    history = ids_left(txn.root)
    base = _base(txn.root, options.base, table)
    from gridctl.ledger.vault import CONTEXT_KEY

    merge = Merge(txn.root, (FOLDERS[kind],), base, txn.ledger().context().get(CONTEXT_KEY))
    choices = options.choices()
    day = options.today or Clock.system(ledger.settings.timezone).today()  # for ids with a date in their format
    if kind == "household":
        importer: HouseholdImport | RecordImport = HouseholdImport(
            ledger, lay, default_grid, history, merge, choices, day
        )
    else:
        importer = RecordImport(ledger, kind, lay, default_grid, history, merge, choices, day)
    result = ImportResult(kind, table.name, rows=len(rows), dry_run=options.dry_run, skip_invalid=options.skip_invalid)
    result.base, result.order = base, dict(table.positions)
    subject = f"导入{KIND_ZH.get(kind, kind)} {table.name}"
    excluded: set[int] = set()
    issues: list[Issue] = []
    for _attempt in range(MAX_PASSES):
        tick("check", 0, None)
        plan = importer.plan(rows, excluded)
        while merge.pending:  # fields the rows change: weigh them against history, then plan again
            merge.load()  # until no record's history is missing: a plan made without it is never used
            plan = importer.plan(rows, excluded)
        issues += plan.issues
        if plan.issues and options.skip_invalid:
            excluded |= {i.row for i in plan.issues}
            continue
        _count(result, plan, issues)
        if (issues and not options.skip_invalid) or plan.open:
            return result
        rejected(result, issues)
        if not plan.changes:
            break
        tick("write", 0, None)
        message = Message(f"{subject}: {result.summary_zh()}", reason, command)
        try:
            done = txn.commit(plan.changes, message, author, dry_run=options.dry_run)
        except WriteRejected as exc:
            located = [(p, plan.locate(p)) for p in exc.validation.problems]
            found = [i for _p, i in located if i is not None]
            result.problems = [p for p, i in located if i is None]
            if options.skip_invalid and found and not result.problems:
                issues += found
                excluded |= {i.row for i in found}
                continue
            result.issues = _dedupe(issues + found, result.order)
            return result
        result.commit, result.paths = done.commit, done.paths
        if options.dry_run:
            result.paths = sorted(plan.changes)
        break
    else:
        raise GridctlError(
            Text(
                f"{table.name}: 导入未能完成 ({MAX_PASSES} 轮后仍未确定)",
                f"{table.name}: the rows did not settle after {MAX_PASSES} passes",
            )
        )
    _count(result, plan, issues)
    if table.stamp is not None and base is not None:
        from gridctl.excel.absent import absent

        named = plan.named if kind != "household" else None
        result.absent = absent(txn.root, kind, base, head, ledger, lay, rows, named)
    return result


def _count(result: ImportResult, plan: Plan, issues: list[Issue]) -> None:
    """The plan's numbers, findings and issues into the result (issues by row, in the sheet's column order)."""
    result.findings = plan.findings
    result.added, result.added_people = plan.added, plan.added_people
    result.updated, result.unchanged, result.filled = plan.updated, plan.unchanged, plan.filled
    result.blanks = sorted(set(plan.blanks), key=lambda b: (b[0], result.order.get(b[1], 999)))
    result.issues = _dedupe(issues, result.order)


def _dedupe(issues: list[Issue], order: dict[str, int]) -> list[Issue]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for issue in sorted(issues, key=lambda i: (i.row, -1 if i.column is None else order.get(i.column, 999))):
        p = issue.problem
        key = (issue.row, issue.column, issue.zh, issue.en, p and (p.code, p.path, repr(sorted(p.args.items()))))
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out


def _default_grid(ledger: object, grid: str | None) -> str | None:
    if grid is None:
        return None
    from gridctl.ledger.names import resolve

    return resolve(ledger, grid, ["grid"])  # type: ignore[arg-type]


def _base(root: Path, given: str | None, table: Table) -> str | None:
    """The commit the register was made from: --base, else the export's stamp, else None (history decides)."""
    if given is not None:
        from gridctl.history.revisions import resolve

        return resolve(root, given)
    if table.stamp is not None:
        from gridctl.excel.stamp import base_of

        return base_of(root, table.stamp)
    return None
