"""Staff, place and organization registers: one row, one record.

A row matches an existing record by its 编号, else by what identifies it in practice: a staff
member by phone, then by name; a place by grid and name; an organization by its credit code,
then by name. Like households, a blank cell never clears a value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from gridctl.checks import people as people_checks
from gridctl.checks.names import NAMED, lost, lost_at
from gridctl.excel.edit import FileEdits, file_order, put
from gridctl.excel.findings import LEDGER, OPEN, FieldChange, Finding
from gridctl.excel.kept import blanks, unmask_cells
from gridctl.excel.masked import Exported
from gridctl.excel.merge import Choices, Merge, merge_fields
from gridctl.excel.plan import NO_GRID, Grids, Plan, grid_column, norm_key, row_grid
from gridctl.excel.rows import (
    Issue,
    Layout,
    ParsedRow,
    check_issues,
    get_path,
    model_issues,
    nest,
    required_cleared,
    set_dotted,
)
from gridctl.excel.values import text
from gridctl.ledger.ids import next_id, unseen_ids, worker_slot
from gridctl.ledger.index import Entry, Ledger, Source
from gridctl.ledger.layout import path_for
from gridctl.model import KINDS, Record, Staff
from gridctl.model.aliases import read_words, vocab_fields

IMPORTER_KEYS = ("id", "grid_name")
"""Column keys that steer the import rather than name a field."""


class RecordImport:
    def __init__(
        self,
        ledger: Ledger,
        kind: str,
        lay: Layout,
        default_grid: str | None,
        history: set[str],
        merge: Merge,
        choices: Choices,
        today: dt.date,
    ) -> None:
        self.ledger, self.kind, self.lay, self.default_grid = ledger, kind, lay, default_grid
        self.merge, self.choices = merge, choices
        self.today = today
        """The ledger's day (its clock), for id formats with a date in them."""
        self.model: type[Record] = KINDS[kind]
        self.order = file_order(self.model)
        self.words = vocab_fields(self.model)
        self.context = ledger.settings.vocabulary_context()
        self.grids = Grids(ledger, merge.base) if "grid" in self.model.model_fields else None
        self.records: dict[str, tuple[Record, Source]] = {r.id: (r, s) for r, s in ledger.records(self.model)}
        self.staff: dict[str, Staff] = {s.id: s for s, _ in ledger.records(Staff)}
        self.history = history

    def column(self, path: tuple[Any, ...]) -> str | None:
        return self.lay.column_of(path)

    def plan(self, rows: list[ParsedRow], excluded: set[int]) -> Plan:
        plan = Plan()
        taken = set(self.ledger.by_id) | self.history | unseen_ids(self.ledger)
        edits = FileEdits(self.ledger.root)
        scratch = Ledger(root=self.ledger.root, settings=self.ledger.settings)
        seen: dict[str, int] = {}
        blame: dict[int, set[str]] = {}
        new: list[tuple[ParsedRow, dict[str, Any]]] = []
        for row in rows:
            row = replace(row, extra=dict(row.extra))  # this pass's copy: cells still masked are dropped from it
            values, issues = self._values(row)
            found, issue, by = self._match(row, values)
            if found is not None:
                plan.named.add(found.id)
            if row.number in excluded:
                continue
            issues += [issue] if issue else []
            shown = found.model_dump(mode="json") if found is not None else None
            exported = self._exported(found)
            issues += unmask_cells(self.kind, shown, values, row.extra, row.number, self.lay, exported)
            issues += self._lost(values, found, row.number)
            if found is not None and not issues and self._identity(row, values, found, by, plan):
                continue
            if found is not None and found.id in seen:
                issues.append(Issue(row.number, None, *_same_as(seen[found.id])))
            if found is None and not issues:
                twin, key = _twin(NATURAL_KEYS[self.kind], values, new)
                if twin is not None:
                    issues.append(Issue(row.number, self.lay.header(key), *_same_as(twin)))
            if found is not None and found.retired is not None and values.get("active") is True:
                issues.append(Issue(row.number, self.lay.header("active"), *_retired(self.kind, found)))
            if issues:  # the row is out: still say what else is wrong with its values
                data = {"kind": self.kind, "id": "NEW", **nest(values)}
                found_too = model_issues(self.model, data, self.context, self.column, row.number)[1]
                plan.issues.extend(issues + [i for i in found_too if not _cleared_here(i, row)])
                continue
            if found is None and self.grids is not None and "grid" not in values:
                plan.issues.append(Issue(row.number, grid_column(self.lay), *NO_GRID))
                continue
            if found is None:
                data = {"kind": self.kind, "id": "NEW", **nest(values)} | ({"extra": row.extra} if row.extra else {})
                record, issues = model_issues(self.model, data, self.context, self.column, row.number)
                if record is not None:
                    new.append((row, data))
                    blame[row.number] = set(self.order)
            else:
                seen[found.id] = row.number
                plan.blanks += blanks(row, self.lay, found, (*IMPORTER_KEYS, "grid"))
                changed, extra = self._changes(found, values, row, plan)
                if not changed and not extra:
                    plan.unchanged += 1
                    continue
                data = found.model_dump()
                for key, value in changed.items():
                    set_dotted(data, key, value)
                data["extra"] = {k: v for k, v in {**found.extra, **extra}.items() if v is not None}
                record, issues = model_issues(self.model, data, self.context, self.column, row.number)
                if record is not None:
                    self._edit(found, changed, extra, row.number, edits, plan)
                    plan.updated += 1
                    blame[row.number] = {k.split(".")[0] for k in changed} | ({"extra"} if extra else set())
            plan.issues.extend(issues)
            if record is not None:
                scratch.add(Entry(self.kind, record.id, Source(str(row.number), 0), record))
        problems = [
            *people_checks.phones(scratch, scratch.settings),
            *people_checks.credit_codes(scratch, scratch.settings),
        ]
        plan.issues.extend(check_issues(problems, self.column, lambda row, path: path[:1] and path[0] in blame[row]))
        bad = {i.row for i in plan.issues}
        new = [(row, data) for row, data in new if row.number not in bad]
        fmt = self.ledger.settings.id_formats.get(self.kind, "X#####")
        fresh = next_id(fmt, taken, self.today, count=len(new), slot=worker_slot(self.ledger.root))
        for (row, data), rid in zip(new, fresh, strict=True):
            record = {"kind": self.kind, "id": rid} | {
                k: data[k] for k in self.order if k in data and k not in ("kind", "id")
            }
            rel = path_for(self.kind, record)
            edits.add(rel, self.kind, record)
            plan.from_row(rel, 0, (), row.number, self.column)
            plan.added += 1
            plan.findings.append(Finding("added", row.number, rid, str(record.get("name", "")), "new"))
        plan.edits = edits
        return plan

    def _lost(self, values: dict[str, Any], found: Record | None, row: int) -> list[Issue]:
        """Names the row brings with a character lost on the way (GC119: 张？堃 from a GBK CSV): refused at
        their cells at once, before the row is read as a rename, another record or a new one."""
        out = []
        for path in NAMED.get(self.kind, ()):
            key = ".".join(path)
            name = values.get(key)
            held = (get_path(found, key) if found is not None else None) or ""
            if lost(name) and norm_key(name) != norm_key(held):
                out.append(Issue(row, self.lay.header(key), problem=lost_at(str(row), path, name)))
        return out

    def _exported(self, found: Record | None) -> Exported | None:
        """The record's fields as its export showed them (a sheet with a stamp, or --base)."""
        if self.merge.base is None or found is None:
            return None
        rid = found.id
        return lambda key: self.merge.at_base(rid, key)

    def _changes(
        self, found: Record, values: dict[str, Any], row: ParsedRow, plan: Plan
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The fields and extra fields the row changes, weighed against history (gridctl.excel.merge)."""
        candidates = {k: (v, get_path(found, k)) for k, v in values.items() if get_path(found, k) != v}
        for k, v in row.extra.items():
            if text(found.extra.get(k)) != v:
                candidates[f"extra.{k}"] = (v, found.extra.get(k))
        for k in row.cleared:  # （清空）: the clerk clears the value
            old = found.extra.get(k[6:]) if k.startswith("extra.") else get_path(found, k)
            if old not in (None, "", []):
                candidates[k] = ([] if isinstance(old, list) else None, old)  # a list field is emptied
        gates = {k: g for k, g in (("name", "renames"), ("grid", "moves")) if k in candidates}
        label = str(getattr(found, "name", "") or found.id)

        def column(key: str) -> str | None:
            return self.lay.column_of(tuple(key.split(".")))

        out, findings = merge_fields(self.merge, self.choices, found.id, label, row.number, candidates, column, gates)
        plan.findings.extend(findings)
        extra = {k[6:]: v for k, v in out.items() if k.startswith("extra.")}
        return {k: v for k, v in out.items() if not k.startswith("extra.")}, extra

    def _identity(self, row: ParsedRow, values: dict[str, Any], found: Record, by: str, plan: Plan) -> bool:
        """A phone or credit code of the ledger with another name: someone else, unless --accept-renames."""
        name, key = values.get("name"), by
        if by in ("id", "name") or name is None or self.choices.renames:
            return False
        if norm_key(name) == norm_key(getattr(found, "name", "")):
            return False
        settled = LEDGER if self.choices.prefer == "ledger" else OPEN
        finding = Finding("conflicts", row.number, found.id, str(name), "identity", settled=settled,
                          needs="--accept-renames")  # fmt: skip
        finding.changes += [
            FieldChange("name", self.lay.header("name") or "姓名", getattr(found, "name", ""), name),
            FieldChange(key, self.lay.header(key) or key, values.get(key), values.get(key)),
        ]
        plan.findings.append(finding)
        return True

    def _values(self, row: ParsedRow) -> tuple[dict[str, Any], list[Issue]]:
        issues = list(row.issues) + required_cleared(row, self.model, self.lay, ("grid_name",))
        values = {k: v for k, v in row.values.items() if k not in IMPORTER_KEYS}
        read_words(values, self.words, self.context)
        if self.grids is not None:
            by_id = self.records.get(str(row.values.get("id")))  # the grid it is in now, against which an edit is read
            current = getattr(by_id[0], "grid", None) if by_id is not None else None
            grid, issue = row_grid(row.values, self.lay, self.grids, self.default_grid, row.number, row.extra, current)
            if issue:
                issues.append(issue)
            if grid:
                values["grid"] = grid
        if self.kind == "place" and "responsible" in values:
            staff, why = self._staff(str(values["responsible"]))
            if why:
                issues.append(Issue(row.number, self.lay.header("responsible"), *why))
            values["responsible"] = staff
        return values, issues

    def _staff(self, value: str) -> tuple[str | None, tuple[str, str] | None]:
        if value in self.staff:
            return value, None
        found = [s.id for s in self.staff.values() if norm_key(s.name) == norm_key(value)]
        if len(found) == 1:
            return found[0], None
        if found:
            ids = "、".join(found)
            return None, (
                f"同名工作人员有多名 ({ids})，请填写编号",
                f"several staff are named {value} ({ids}); give the id",
            )
        return None, (f"台账中没有工作人员“{value}”", f"no staff member {value} in the ledger")

    def _match(self, row: ParsedRow, values: dict[str, Any]) -> tuple[Record | None, Issue | None, str]:
        """The record a row is about, and the column that said so (id, phone, credit_code, name)."""
        rid = row.values.get("id")
        if rid is not None:
            found = self.records.get(str(rid))
            if found is None:
                zh = f"编号 {rid} 在台账中不存在；新增时请留空，由 gridctl 分配"
                en = f"{rid} is not in the ledger; leave it blank for a new record and gridctl assigns one"
                return None, Issue(row.number, self.lay.header("id"), zh, en), "id"
            return found[0], None, "id"
        for keys in NATURAL_KEYS[self.kind]:
            if not all(values.get(k) for k in keys):
                continue
            want = tuple(norm_key(values[k]) for k in keys)
            found_ids = [
                r.id for r, _ in self.records.values() if tuple(norm_key(get_path(r, k) or "") for k in keys) == want
            ]
            if len(found_ids) == 1:
                return self.records[found_ids[0]][0], None, keys[-1]
            if len(found_ids) > 1:
                ids = "、".join(sorted(found_ids))
                zh = f"台账中有多条相同的记录 ({ids})，请增加“编号”列"
                en = f"several records in the ledger match ({ids}); add a 编号 column"
                return None, Issue(row.number, self.lay.header(keys[-1]), zh, en), keys[-1]
        return None, None, ""

    def _edit(
        self, found: Record, changed: dict[str, Any], extra: dict[str, str], row: int, edits: FileEdits, plan: Plan
    ) -> None:
        if self.merge.pending:
            return  # the plan is made again once the history is read: the file is opened then
        _rec, src = self.records[found.id]
        doc = edits.doc(src.file, src.doc)
        for key, value in changed.items():
            put(doc, key, (list(value) or None) if isinstance(value, list) else value, self.order)  # emptied: key goes
        if extra:
            if not isinstance(doc.get("extra"), dict):
                put(doc, "extra", {}, self.order)
            for name, value in extra.items():
                if value is None:
                    doc["extra"].pop(name, None)
                else:
                    doc["extra"][name] = value
            if not doc["extra"]:
                del doc["extra"]
        if "grid" in changed:
            edits.move(src.file, path_for(self.kind, {"id": found.id, "grid": changed["grid"]}), src.doc)
        plan.from_row(*edits.where(src.file, src.doc), (), row, self.column)


def _cleared_here(issue: Issue, row: ParsedRow) -> bool:
    """A schema finding about a field whose cell says （清空）: said at that cell already (必填，不能清空)."""
    path = issue.problem.path if issue.problem else ()
    return bool(path) and str(path[0]) in row.cleared


def _same_as(first: int) -> tuple[str, str]:
    return f"与第 {first} 行是同一条记录", f"same record as row {first}"


def _twin(
    natural: list[tuple[str, ...]], values: dict[str, Any], new: list[tuple[ParsedRow, dict[str, Any]]]
) -> tuple[int | None, str]:
    """An earlier new row with the same identifying values as this one (its row, and the field that
    says so): the first key the row has decides, so two namesakes with their own phones are two."""
    for keys in natural:
        if not all(values.get(k) for k in keys):
            continue
        want = tuple(norm_key(values[k]) for k in keys)
        for row, data in new:
            if tuple(norm_key(get_path(data, k) or "") for k in keys) == want:
                return row.number, keys[-1]
        return None, ""
    return None, ""


def _retired(kind: str, found: Record) -> tuple[str, str]:
    """A row marking a retired (注销) staff member in post: an import does not undo a retirement."""
    from gridctl.model.masking import mask_text
    from gridctl.ops.records import kind_label

    gone = found.retired
    day, why = getattr(gone, "date", ""), mask_text(str(getattr(gone, "reason", "")))
    name = getattr(found, "name", "")
    undo = f"gridctl edit {found.id} --unset retired --set active=是"
    return (
        f"{kind_label(kind, 'zh')} {found.id} ({name}) 已于 {day} 注销 ({why})，表中为在岗；"
        f"如已复职，先撤销注销: {undo}",
        f"{kind} {found.id} ({name}) was retired on {day} ({why}) but the register has them in post; "
        f"if they are back, undo the retirement first: {undo}",
    )


NATURAL_KEYS: dict[str, list[tuple[str, ...]]] = {
    "staff": [("phone",), ("name",)],
    "place": [("grid", "name")],
    "org": [("credit_code",), ("name",)],
}
