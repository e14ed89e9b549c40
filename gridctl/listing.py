"""What `gridctl list` shows: per kind, columns with a field name (JSON keys) and a Chinese header
(text and CSV), and rows of typed values, personal data masked unless revealed.

Rows come from the cached rows (`Ledger.rows`), never from typed records, so a list of 50,000
people takes milliseconds. No terminal here: gridctl.cli.show renders text, CSV or JSON.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Entry, Ledger
from gridctl.model.address import address_text
from gridctl.model.sensitive import unsealed
from gridctl.views import masked


@dataclass(frozen=True)
class Column:
    field: str
    header: str


@dataclass
class Table:
    kind: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def cells(self) -> list[list[Any]]:
        """Each row as the cells a person reads: lists joined with 、, true/false as 是/否, none as blank."""
        return [[shown(row.get(c.field)) for c in self.columns] for row in self.rows]


def shown(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(shown(v)) for v in value)
    return value


class Context:
    """What rows of several kinds need from the whole ledger, gathered once."""

    def __init__(self, ledger: Ledger, reveal: bool) -> None:
        self.ledger = ledger
        self.reveal = reveal
        self._households: dict[str, Any] | None = None
        self._staff: dict[str, str] | None = None
        self._counts: Counter[str] | None = None
        self._home_grid: dict[str, str] | None = None
        self._gone: set[str] | None = None

    @property
    def households(self) -> dict[str, Any]:
        if self._households is None:
            self._households = {e.id: h for e, h in self.ledger.rows("household")}
        return self._households

    def staff_name(self, staff_id: str) -> str:
        if self._staff is None:
            self._staff = {e.id: str(s.name) for e, s in self.ledger.rows("staff")}
        return self._staff.get(staff_id, "")

    def grid_of_household(self, household_id: str | None) -> str | None:
        """The grid a household is in (from the index's columns: no rows read)."""
        if self._home_grid is None:
            c = self.ledger.cols
            self._home_grid = {c.e_id[h]: g for h, g, _ in self.ledger.holdings() if c.e_kind[h] == "household"}
        return self._home_grid.get(household_id or "")

    def moved_out(self, household_id: str | None) -> bool:
        """Whether a household is retired (注销) or no one lives in it, from the index's columns: `list
        person` reads no household rows."""
        if self._gone is None:
            kinds = self.ledger.cols.e_kind
            ids = self.ledger.cols.e_id
            self._gone = {ids[h] for h, _g, active in self.ledger.holdings() if not active and kinds[h] == "household"}
        return (household_id or "") in self._gone

    def households_under(self, grid_id: str) -> int:
        """Active households in this grid and every grid below it (from the index's columns: no rows read)."""
        if self._counts is None:
            kinds = self.ledger.cols.e_kind
            own = Counter(g for handle, g, active in self.ledger.holdings() if active and kinds[handle] == "household")
            parents = self.ledger.grid_parents()
            counts: Counter[str] = Counter()
            for gid, n in own.items():
                seen: set[str] = set()
                node: str | None = gid
                while node is not None and node not in seen:
                    seen.add(node)
                    counts[node] += n
                    node = parents.get(node)
            self._counts = counts
        return self._counts.get(grid_id, 0)


def _tags(values: list[str], reveal: bool) -> list[str]:
    return unsealed(list(values)) if reveal else (["***"] if values else [])


Row = Callable[[Any, Entry, Context], dict[str, Any]]


def _grid(g: Any, e: Entry, c: Context) -> dict[str, Any]:
    chief_role = c.ledger.settings.policy.chief_role
    chiefs = [str(r.staff) for r in g.responsible if r.role == chief_role]
    real = c.households_under(g.id)
    declared = g.households_declared
    return {
        "id": g.id,
        "name": g.name,
        "level": g.level,
        "type": g.type,
        "parent": g.parent,
        "chiefs": [c.staff_name(s) or s for s in chiefs],
        "chief_ids": chiefs,
        "households": real,
        "households_declared": declared,
        "_declared_differs": declared if declared is not None and declared != real else None,
        "retired": g.retired is not None,
    }


def _household(h: Any, e: Entry, c: Context) -> dict[str, Any]:
    return {
        "id": h.id,
        "grid": h.grid,
        "address": address_text(h.plain("address")) or None,
        "housing": h.housing,
        "members": sum(1 for m in h.plain("members") or () if not m.get("retired")),
        "tags": _tags(h.tags, c.reveal),
        "assigned_to": h.assigned_to,
        "retired": not h.is_active,
    }


def _person(p: Any, e: Entry, c: Context) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "gender": p.gender,
        "birth_date": masked(p.birth_date, c.reveal, ("members", 0, "birth_date")),
        "id_number": masked(p.id_number, c.reveal, ("members", 0, "id_number")),
        "phones": masked(list(p.phones), c.reveal, ("members", 0, "phones")),
        "residence": p.residence,
        "tags": _tags(p.tags, c.reveal),
        "household": e.household,
        "relation": p.relation,
        "grid": c.grid_of_household(e.household),
        # a member of a household that moved out (注销) has left with it: status counts neither
        "retired": p.retired is not None or c.moved_out(e.household),
    }


def cols(spec: str) -> list[Column]:
    """`id:编号 grid:网格` → the columns."""
    return [Column(*part.split(":")) for part in spec.split()]


def plain(columns: list[Column]) -> Row:
    """A row of the record's own fields, as they are."""
    return lambda r, e, c: {col.field: r.get(col.field) for col in columns}


def _staff(s: Any, e: Entry, c: Context) -> dict[str, Any]:
    return {**plain(STAFF)(s, e, c), "active": s.is_active}


def retiring(columns: list[Column]) -> Row:
    """`plain`, with whether the record was retired (注销): `status` and the reports count only the others."""
    return lambda r, e, c: {**plain(columns)(r, e, c), "retired": not r.is_active}


def _event(ev: Any, e: Entry, c: Context) -> dict[str, Any]:
    """The deadline that holds now: an escalation accepted above set its own (the record keeps the first)."""
    from gridctl.supervision.limits import row_deadline

    return {**plain(EVENT)(ev, e, c), "deadline": row_deadline(ev, c.ledger.settings.supervision)}


GRID = cols(
    "id:编号 name:名称 level:层级 type:类型 parent:上级 chiefs:网格长 households:户数 _declared_differs:申报户数 "
    "retired:注销"
)
STAFF = cols("id:编号 name:姓名 gender:性别 phone:电话 organization:单位 position:职务 employment:用工 active:在岗")
HOUSEHOLD = cols("id:编号 grid:网格 address:地址 housing:住房 members:人数 tags:标签 assigned_to:包户人 retired:注销")
PERSON = cols(
    "id:编号 name:姓名 gender:性别 birth_date:出生日期 id_number:公民身份号码 phones:电话 residence:人员类型 tags:标签 "
    "household:户 relation:与户主关系 retired:注销"
)
PLACE = cols("id:编号 grid:网格 type:类型 name:名称 address:地址 retired:注销")
ORG = cols("id:编号 grid:网格 name:名称 type:类型 credit_code:统一社会信用代码 retired:注销")
THING = cols("id:编号 grid:网格 type:类型 location:位置 status:状态 next_inspection:下次检查")
EVENT = cols("id:编号 grid:网格 type:类型 grade:等级 title:标题 status:状态 deadline:期限")
INSPECTION = cols("id:编号 grid:网格 date:日期 inspector:检查人 checklist:检查表")
VISIT = cols("id:编号 household:户 date:日期 by:走访人 purpose:事由")
ACTIVITY = cols("id:编号 grid:网格 date:日期 type:类型 title:主题 participants:参加人数")
DOCUMENT = cols("id:编号 grid:网格 type:类型 title:标题 due:期限 date:日期 attachment:附件")

KINDS: dict[str, tuple[list[Column], Row]] = {
    "grid": (GRID, _grid),
    "staff": (STAFF, _staff),
    "household": (HOUSEHOLD, _household),
    "person": (PERSON, _person),
    "place": (PLACE, retiring(PLACE)),
    "org": (ORG, retiring(ORG)),
    "thing": (THING, plain(THING)),
    "event": (EVENT, _event),
    "inspection": (INSPECTION, plain(INSPECTION)),
    "visit": (VISIT, plain(VISIT)),
    "activity": (ACTIVITY, plain(ACTIVITY)),
    "document": (DOCUMENT, plain(DOCUMENT)),
}


def listing(ledger: Ledger, kind: str, grid: str | None, tag: str | None, reveal: bool) -> Table:
    """The records of `kind` (in `grid`, or carrying care group `tag`) as a table."""
    if kind not in KINDS:
        raise GridctlError(
            Text(f"没有 {kind} 这种记录；可用: {'、'.join(KINDS)}", f"unknown kind {kind}; known: {', '.join(KINDS)}")
        )
    within: set[str] = set()
    if grid is not None:
        from gridctl.ledger.names import resolve

        grid = resolve(ledger, grid, ["grid"])
        within = grids_within(ledger, grid)
    if tag:
        _tags_readable(ledger)
        _tag_known(ledger, tag)
    if tag and not reveal:
        return tag_counts(ledger, tag, within)
    columns, row = KINDS[kind]
    if kind == "grid":
        columns = grid_columns(ledger)
    table = Table(kind, columns)
    c = Context(ledger, reveal)
    responsible = _responsible_in(ledger, within) if grid and kind == "staff" else set()
    for entry, record in ledger.rows(kind):
        if grid or tag:
            home = entry.household if kind == "person" else getattr(record, "household", None)
            where = c.households[home].grid if home in c.households else record.get("grid")
            if kind == "grid":
                where = entry.id if entry.id != grid else None  # the grids below it, not itself
            elif kind == "staff":
                where = grid if entry.id in responsible else None
            if grid and where not in within:
                continue
            if tag and tag not in _tags_of(record, entry, c.households):
                continue
        cells = row(record, entry, c)
        if not reveal and kind in FREE_TEXT:  # a title, a purpose, an address may quote a mobile or an ID number
            cells = {k: _masked_text(v) for k, v in cells.items()}
        table.rows.append(cells)
    ledger.remember()
    return table


def grid_columns(ledger: Ledger) -> list[Column]:
    """A grid's chief under the profile's role (a school's 第一责任人, not 网格长); a school counts no 户."""
    chief = ledger.settings.policy.chief_role
    columns = [Column(c.field, chief) if c.field == "chiefs" else c for c in GRID]
    if ledger.settings.labels.households:
        return columns
    return [c for c in columns if c.field not in ("households", "_declared_differs")]


FREE_TEXT = {"household", "person", "place", "thing", "event", "visit", "activity", "document"}
"""Kinds whose listed columns include words a clerk typed (a person's name too: a mobile typed after it);
staff and org phones are public: not these."""

COUNTS = cols("grid:网格 households:户数 people:人数")


def _masked_text(value: Any) -> Any:
    from gridctl.model.masking import mask_free

    if isinstance(value, list):
        return [_masked_text(v) for v in value]
    return mask_free(value)


def _tags_readable(ledger: Ledger) -> None:
    """Care groups that no key here opens cannot be chosen from: an empty list would read "nobody"."""
    from gridctl.ledger.vault import tags_closed

    if tags_closed(ledger):
        raise GridctlError(
            Text(
                "台账的人员标签已加密，本机没有能解开的密钥：无法按标签查找或计数",
                "this ledger keeps care-group tags encrypted and no key here opens them: "
                "nobody can be found or counted by tag",
            ),
            hint=Text(
                "在有密钥的电脑上运行；或 gridctl keys init，再请有密钥的人运行 gridctl keys add 你的名字 你的公钥",
                "run it where a key opens the ledger; or gridctl keys init, then ask a key holder to run "
                "gridctl keys add YOUR_NAME YOUR_PUBLIC_KEY",
            ),
        )


def _tag_known(ledger: Ledger, tag: str) -> None:
    """A care group the ledger does not have: a typo (独居 for 独居老人) listed "0 rows", read as nobody."""
    groups = list(ledger.settings.vocabularies.get("care_groups", []))
    if tag in groups:
        return
    import difflib

    near = [g for g in groups if tag in g or g in tag] or difflib.get_close_matches(tag, groups, n=3, cutoff=0.4)
    listed = "、".join(groups) or "(无)"
    raise GridctlError(
        Text(f"没有“{tag}”这个人员类别；本台账的类别: {listed}", f"no care group {tag!r}; this ledger's: {listed}"),
        hint=Text(f"是不是: {'、'.join(near)}", f"did you mean: {', '.join(near)}") if near else None,
    )


def grids_within(ledger: Ledger, grid: str) -> set[str]:
    """The grid and every grid below it: a 社区's households are those of its grids."""
    children: dict[str, list[str]] = {}
    for gid, parent in ledger.grid_parents().items():
        if parent is not None:
            children.setdefault(parent, []).append(gid)
    out, todo = {grid}, [grid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _responsible_in(ledger: Ledger, within: set[str]) -> set[str]:
    """Staff responsible now for any of these grids (the people its board posts)."""
    return {str(r.staff) for e, g in ledger.rows("grid") if e.id in within for r in g.responsible}


def tag_counts(ledger: Ledger, tag: str, within: set[str]) -> Table:
    """A care group without --reveal: households and people per grid, never who they are."""
    from gridctl.supervision.registers import group_counts

    grids = ledger.grids()
    names = {grids[g].name for g in within if g in grids} | within
    rows = [r for r in group_counts(ledger, {tag}) if not within or r[0] in names]
    return Table("care-group", COUNTS, [dict(zip(("grid", "households", "people"), r, strict=True)) for r in rows])


def _tags_of(record: Any, entry: Entry, households: dict[str, Any]) -> list[str]:
    tags = list(getattr(record, "tags", []) or [])
    if entry.kind == "person" and entry.household in households:
        tags += households[entry.household].tags
    if entry.kind == "household":
        tags += [t for p in record.members for t in p.tags]
    return tags
