"""What `show`, `list` and `status` display: plain rows and counts, masked unless revealed.

No terminal here: the CLI turns these into tables, JSON or CSV.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gridctl.errors import GridctlError
from gridctl.ledger.index import Entry, Ledger
from gridctl.model.masking import SEALED_SHOWN, is_sealed, mask_text
from gridctl.model.sensitive import mask_record, unsealed

CLOSED = {"已结案"}


def masked(data: Any, reveal: bool, path: tuple[str | int, ...] = ()) -> Any:
    """A copy of a record's data with personal fields masked (by the models' x-sensitive marks)."""
    if reveal:
        return unsealed(data)
    return mask_record(data, path)


def show(ledger: Ledger, record_id: str, reveal: bool) -> dict[str, Any]:
    """One record as data; a person comes with the household they live in."""
    from gridctl.ops.records import find

    entry = find(ledger, record_id)
    if entry.record is None:
        raise GridctlError(
            f"{record_id} does not pass its schema; run gridctl validate", hint=f"the file is {entry.source.file}"
        )
    data = entry.record.model_dump(mode="json", exclude_defaults=True)
    if entry.kind == "person":
        return {
            "kind": "person",
            "household": entry.household,
            "file": entry.source.file,
            **masked(data, reveal, ("members", 0)),
        }
    return {**masked(data, reveal), "file": entry.source.file}


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _join(values: list[str]) -> str:
    return "、".join(values)


def _tags(values: list[str], reveal: bool) -> str:
    return _join(values) if reveal else ("***" if values else "")


Row = Callable[[Any, Entry, Ledger, bool], list[Any]]

COLUMNS: dict[str, tuple[list[str], Row]] = {
    "grid": (
        ["id", "名称", "层级", "类型", "上级", "网格长", "户数"],
        lambda g, e, led, r: [
            g.id,
            g.name,
            g.level,
            g.type or "",
            g.parent or "",
            _join([x.staff for x in g.responsible if x.role == led.settings.policy.chief_role]),
            g.households_declared if g.households_declared is not None else "",
        ],
    ),
    "staff": (
        ["id", "姓名", "性别", "电话", "单位", "职务", "用工", "在岗"],
        lambda s, e, led, r: [
            s.id,
            s.name,
            s.gender or "",
            s.phone or "",
            s.organization or "",
            s.position or "",
            s.employment or "",
            "是" if s.is_active else "否",
        ],
    ),
    "household": (
        ["id", "网格", "地址", "住房", "人数", "标签", "包户人"],
        lambda h, e, led, r: [
            h.id,
            h.grid,
            _address(h),
            h.housing or "",
            len(h.members),
            _tags(h.tags, r),
            h.assigned_to or "",
        ],
    ),
    "person": (
        ["id", "姓名", "性别", "出生日期", "公民身份号码", "电话", "人员类型", "标签", "户"],
        lambda p, e, led, r: [
            p.id,
            p.name,
            p.gender or "",
            masked(p.birth_date, r, ("members", 0, "birth_date")) or "",
            masked(p.id_number, r, ("members", 0, "id_number")) or "",
            _join(masked(p.phones, r, ("members", 0, "phones"))),
            p.residence or "",
            _tags(p.tags, r),
            e.household,
        ],
    ),
    "place": (
        ["id", "网格", "类型", "名称", "地址"],
        lambda p, e, led, r: [p.id, p.grid, p.type, p.name, p.address or ""],
    ),
    "org": (
        ["id", "网格", "名称", "类型", "统一社会信用代码"],
        lambda o, e, led, r: [o.id, o.grid, o.name, o.type, o.credit_code or ""],
    ),
    "thing": (
        ["id", "网格", "类型", "位置", "状态", "下次检查"],
        lambda t, e, led, r: [t.id, t.grid, t.type, t.location, t.status or "", t.next_inspection or ""],
    ),
    "event": (
        ["id", "网格", "类型", "等级", "标题", "状态", "期限"],
        lambda v, e, led, r: [v.id, v.grid, v.type, v.grade or "", v.title, v.status, v.deadline or ""],
    ),
    "inspection": (
        ["id", "网格", "日期", "检查人", "检查表"],
        lambda i, e, led, r: [i.id, i.grid, i.date, i.inspector, i.checklist],
    ),
    "visit": (
        ["id", "户", "日期", "走访人", "事由"],
        lambda v, e, led, r: [v.id, v.household, v.date, v.by, v.purpose or ""],
    ),
    "activity": (
        ["id", "网格", "日期", "类型", "主题", "参加人数"],
        lambda a, e, led, r: [a.id, a.grid, a.date, a.type, a.title or "", a.participants or ""],
    ),
    "document": (
        ["id", "网格", "类型", "标题", "期限", "日期", "附件"],
        lambda d, e, led, r: [d.id, d.grid, d.type, d.title, d.due or "", d.date or "", d.attachment or ""],
    ),
}


FREE_TEXT = {"household", "place", "thing", "event", "visit", "activity", "document"}
"""Kinds whose listed columns include words a clerk typed (staff and org phones are public: not these)."""


def _address(h: Any) -> str:
    a = h.address
    if a is None:
        return ""
    return a.text or "".join(
        x for x in (a.estate, a.building and f"{a.building}号楼", a.unit and f"{a.unit}单元", a.room) if x
    )


def _entries(ledger: Ledger, kind: str) -> Iterator[tuple[Entry, Any]]:
    """(entry, row) of the valid records of a kind, read from the cached rows (no typed records built)."""
    yield from ledger.rows(kind)


def listing(ledger: Ledger, kind: str, grid: str | None, tag: str | None, reveal: bool) -> Table:
    if kind not in COLUMNS:
        raise GridctlError(f"unknown kind {kind}; known: {', '.join(COLUMNS)}")
    if tag and not reveal:
        return _tag_counts(ledger, tag, grid)
    if grid is not None:
        from gridctl.ledger.names import resolve

        grid = resolve(ledger, grid, ["grid"])
    columns, row = COLUMNS[kind]
    table = Table(columns)
    households = {e.id: h for e, h in ledger.rows("household")} if kind in ("person", "visit") or tag else {}
    for entry, record in _entries(ledger, kind):
        home = entry.household if kind == "person" else getattr(record, "household", None)
        where = households[home].grid if home in households else record.get("grid")
        if grid and where != grid and not (kind == "grid" and record.parent == grid):
            continue
        if tag and tag not in _tags_of(record, entry, households):
            continue
        cells = row(record, entry, ledger, reveal)
        if not reveal and kind in FREE_TEXT:  # a title, a purpose, an address may quote a mobile or an ID number
            cells = [mask_text(c) if isinstance(c, str) else c for c in cells]
        table.rows.append(cells)
    ledger.remember()
    return table


def _tag_counts(ledger: Ledger, tag: str, grid: str | None) -> Table:
    """A care group without --reveal: households and people per grid, never who they are."""
    from gridctl.supervision.registers import group_counts

    if grid is not None:
        from gridctl.ledger.names import resolve

        grid = resolve(ledger, grid, ["grid"])
        name = ledger.grids()[grid].name if grid in ledger.grids() else grid
    rows = [r for r in group_counts(ledger, {tag}) if grid is None or r[0] == name]
    return Table(["网格", "户数", "人数"], rows)


def _tags_of(record: Any, entry: Entry, households: dict[str, Any]) -> list[str]:
    tags = list(getattr(record, "tags", []) or [])
    if entry.kind == "person" and entry.household in households:
        tags += households[entry.household].tags
    if entry.kind == "household":
        tags += [t for p in record.members for t in p.tags]
    return tags


@dataclass
class Status:
    name: str
    grids: Counter[str]
    households: int
    people: int
    residence: Counter[str]
    care_groups: Counter[str]
    staff: int
    rentals: int
    open_events: Counter[str]
    overdue: int
    errors: int
    warnings: int

    def dump(self) -> dict[str, Any]:
        return {k: dict(v) if isinstance(v, Counter) else v for k, v in self.__dict__.items()}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Status:
        return cls(**{k: Counter(v) if isinstance(v, dict) else v for k, v in data.items()})


def kept_status(ledger: Callable[[], Ledger], validation: Any, today: Any) -> Status:
    """The status of a ledger state, computed once per state (files, settings, code, day) and kept
    in the cache: counts only, so nothing personal sits on disk beside the files.

    On an encrypted ledger opened with a key, the care groups are counted from opened tags: what
    is kept is the count beside each group's word (gridctl.yaml's vocabulary, plain text in the
    ledger anyway), never whose tag it is. The state differs with and without a key (the cache's
    settings key says whether a key opens the ledger), so a computer without one never reads it."""
    from gridctl.ledger.cache import open_cache_for

    def compute() -> dict[str, Any]:
        return status(ledger(), validation.errors, validation.warnings, today).dump()

    cache = open_cache_for(validation.root, validation.source)
    return Status.load(cache.kept("status", validation.state, compute))


def status(ledger: Ledger, errors: int, warnings: int, today: Any) -> Status:
    people = [p for _e, p in ledger.rows("person") if p.retired is None]
    households = [h for _e, h in ledger.rows("household") if h.is_active]
    care = Counter(t for p in people for t in p.tags) + Counter(t for h in households for t in h.tags)
    locked = sum(n for t, n in care.items() if is_sealed(t))
    care = Counter({t: n for t, n in care.items() if not is_sealed(t)})
    if locked:
        care[SEALED_SHOWN] = locked  # an encrypted ledger without a key: how many, not which
    events = [e for _e, e in ledger.rows("event") if e.status not in CLOSED]
    out = Status(
        name=ledger.settings.name,
        grids=Counter(g.level for _e, g in ledger.rows("grid")),
        households=len(households),
        people=len(people),
        residence=Counter(p.residence or "未填" for p in people),
        care_groups=care,
        staff=sum(1 for _e, s in ledger.rows("staff") if s.is_active),
        rentals=sum(1 for _e, p in ledger.rows("place") if p.is_active and p.rental is not None),
        open_events=Counter(e.type for e in events),
        overdue=sum(1 for e in events if e.deadline is not None and e.deadline < str(today)),
        errors=errors,
        warnings=warnings,
    )
    ledger.remember()  # after every kind's rows were built, so the next status builds none
    return out
