"""add, edit, retire: one record at a time, each a Change for gridctl.ops.write (move: gridctl.ops.moving).

Every function reads the loaded ledger, edits only the files it must (round-trip, so the
clerk's comments stay), and returns the new bytes with a commit subject in the ledger's language,
`<动作><类别> <id>：<摘要>` (修改人员 P0000001：联系电话), and the same in English for a clerk who reads
English. Summaries name fields and places, never personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Said, Text
from gridctl.ledger.clock import Clock
from gridctl.ledger.files import WorkTree
from gridctl.ledger.ids import ids_left, next_id, unseen_ids, worker_slot
from gridctl.ledger.index import Entry, Ledger
from gridctl.ledger.layout import BY_GRID, path_for
from gridctl.ledger.yamlfile import dump_new, dump_rt, edit_text, load_rt, navigate
from gridctl.messages import KIND_ZH
from gridctl.model import KIND_NAMES, Grid
from gridctl.ops.fields import Path as FieldPath
from gridctl.ops.fields import coerce, resolve, set_in, unset_in
from gridctl.ops.unread import not_read
from gridctl.problem import Problem

FIXED = {"id", "kind"}
NAMED = {
    "grid": "grid",
    "parent": "grid",
    "place": "place",
    "assigned_to": "staff",
    "responsible": "staff",
    "inspector": "staff",
    "signed_by": "staff",
    "host": "staff",
    "key_sites": "place",
    "attendees": "staff",
}
"""Fields that hold a record's id (or a list of ids): `--set parent=幸福里社区` names it, as every option
asking for a grid may; a value that is a possible id is kept as typed (a grid added later, or a
dangling one validate names)."""


def _named(ledger: Ledger, path: FieldPath, value: Any) -> Any:
    import re

    from gridctl.ledger.names import resolve as by_name
    from gridctl.model.patterns import SAFE_CODE

    if len(path) != 1 or path[0] not in NAMED:
        return value
    if isinstance(value, list):
        return [_named(ledger, path, item) for item in value]
    if isinstance(value, str) and not re.match(SAFE_CODE, value):
        return by_name(ledger, value, (NAMED[str(path[0])],))
    return value


@dataclass
class Change:
    subject: Said
    """The commit subject (its Chinese, the ledger's language) and what the clerk is told (either)."""
    files: dict[str, bytes | None] = field(default_factory=dict)
    record_id: str = ""
    deferrable: Callable[[Problem], bool] | None = None
    """Errors this change may leave for the next command (see new_grid_todo)."""
    note: Said | None = None
    """What the commit message says besides the clerk's reason (a key rotation: what stays readable)."""
    shown: Said | None = None
    """What the clerk is told under the subject, and the commit message says too (a record that left a
    file it shared with others: where it went, what stayed)."""
    warn: bool = False
    """The clerk is told the warnings the change adds (a move, an unassignment, a grid or a staff member
    retired: the 包户 and 楼栋 they leave); most writes are not, to stay quick (Transaction.commit)."""


STAFFING = {"GC230", "GC231", "GC250"}


def new_grid_todo(grid_id: str, parent: str | None) -> Callable[[Problem], bool]:
    """A grid is built in steps: added, then its people assigned, then records moved down into it.

    So adding a grid may leave it without a 网格长/网格员 or its level's required roles
    (GC230/GC231/GC250) and may leave the records of its parent above a leaf (GC220); the clerk
    is told what is still to do.
    """

    def allowed(problem: Problem) -> bool:
        if problem.code in STAFFING:
            return problem.record == grid_id
        return problem.code == "GC220" and parent is not None and problem.args.get("grid") == parent

    return allowed


class Edit:
    """One file opened for a round-trip edit."""

    def __init__(self, ledger: Ledger, rel: str) -> None:
        self.rel = rel
        self.text = edit_text(ledger.read(rel))  # as committed: a write changes what HEAD holds
        self.docs = load_rt(self.text)

    def node(self, entry: Entry) -> Any:
        return navigate(self.docs[entry.source.doc], entry.source.path)

    def dump(self) -> bytes:
        return dump_rt(self.text, self.docs)

    def held(self) -> int:
        """How many records the file holds: an empty document (a `---` ending the file) holds none."""
        return sum(1 for d in self.docs if d is not None)


def find(ledger: Ledger, record_id: str, kinds: Iterable[str] | None = None) -> Entry:
    """The record with this id, or with this exact name (gridctl.ledger.names) among `kinds`."""
    from gridctl.ledger.names import NAMED, UnknownName, resolve

    kinds = list(kinds) if kinds is not None else None
    if record_id not in ledger.by_id and (kinds is None or set(kinds) & set(NAMED)):
        try:
            record_id = resolve(ledger, record_id, [k for k in (kinds or NAMED) if k in NAMED])
        except UnknownName:
            if kinds is not None:
                raise  # names the kind asked for
    entries = ledger.by_id.get(record_id)
    if not entries:
        unread = not_read(ledger, record_id)
        if unread is not None:
            raise unread
        raise GridctlError(
            Text(f"没有编号为 {record_id} 的记录", f"no record with id {record_id}"),
            hint=Text("gridctl list 类别 可列出编号", "gridctl list KIND shows the ids"),
        )
    if len(entries) > 1:
        raise GridctlError(
            Text(
                f"编号 {record_id} 被 {len(entries)} 条记录使用；请运行 gridctl validate (GC201)",
                f"id {record_id} is used by {len(entries)} records; run gridctl validate (GC201)",
            )
        )
    entry = entries[0]
    if kinds is not None and entry.kind not in kinds:
        raise GridctlError(
            Text(
                f"{record_id} 是{kind_label(entry.kind, 'zh')}，不是{'或'.join(kind_label(k, 'zh') for k in kinds)}",
                f"{record_id} is a {entry.kind}, not a {' or '.join(kinds)}",
            )
        )
    return entry


def model_of(kind: str) -> Any:
    """The model of `kind` (a person's too), importing that kind's module alone."""
    from gridctl import model

    found = model.Person if kind == "person" else model.model_of(kind)
    if found is None:
        raise KeyError(kind)
    return found


def allocate(ledger: Ledger, kind: str, count: int = 1, when: dt.date | None = None) -> list[str]:
    """The next free ids of `kind`; `when` is the day a dated format ({yyyy}{mm}) uses (default: the ledger's today)."""
    fmt = ledger.settings.id_formats.get(kind)
    if fmt is None:
        raise GridctlError(
            Text(
                f"gridctl.yaml 没有{kind_label(kind, 'zh')}的编号格式；请用 --set id=… 给出编号",
                f"gridctl.yaml has no id format for {kind}; give an id with --set id=…",
            )
        )
    when = when or Clock.system(ledger.settings.timezone).today()
    slot = worker_slot(ledger.root)
    return next_id(fmt, set(ledger.by_id) | ids_left(ledger.root) | unseen_ids(ledger), when, count, slot)


def _label(kind: str, data: Any, ledger: Ledger) -> str:
    """A short, non-personal description for the commit subject."""
    if kind in ("grid", "staff", "place", "org"):
        return str(data.get("name") or "")
    if kind == "event":
        return str(data.get("title") or "")
    if kind == "household":
        from gridctl.model.address import address_text

        text = address_text(data.get("address"))
        grid = ledger.grids().get(str(data.get("grid")))
        return text or (grid.name if grid else str(data.get("grid") or ""))
    if kind == "thing":
        return f"{data.get('type') or ''} {data.get('location') or ''}".strip()
    return ""


def add(
    ledger: Ledger,
    kind: str,
    values: list[tuple[FieldPath, str]],
    given: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> Change:
    """A new record from --set values (or a --file document), with the next free id (dated by `today`)."""
    if kind == "person":
        raise GridctlError(
            Text(
                "人员登记在户内: gridctl add person --household H… --set name=…",
                "people live in households: gridctl add person --household H… --set name=…",
            )
        )
    if kind not in KIND_NAMES:
        raise GridctlError(
            Text(
                f"没有 {kind} 这种记录；可用: {'、'.join(KIND_NAMES)}",
                f"unknown kind {kind}; known: {', '.join(KIND_NAMES)}",
            )
        )
    data: dict[str, Any] = {"kind": kind}
    data.update(given or {})
    model = model_of(kind)
    for given_path, raw in values:
        path = resolve(model, given_path)
        if path[0] in FIXED and path != ("id",):
            raise GridctlError(Text(f"{path[0]} 不能指定", f"{path[0]} is fixed"))
        value = _named(ledger, path, coerce(model, path, raw))
        if isinstance(value, dict) and path[0] != "extra":  # the parts given, not the ones a whole address clears
            value = {part: item for part, item in value.items() if item is not None}
        _set_plain(data, path, value)
    data["kind"] = kind
    if not data.get("id"):
        data["id"] = allocate(ledger, kind, when=today)[0]
    data = {"kind": kind, "id": str(data["id"]), **{k: v for k, v in data.items() if k not in FIXED}}
    if str(data["id"]) in ledger.by_id or str(data["id"]) in ids_left(ledger.root):
        raise GridctlError(taken(str(data["id"])))
    if kind in BY_GRID and not data.get("grid"):
        raise GridctlError(
            Text(
                f"{kind_label(kind, 'zh')}需要所属网格: --set grid=网格编码",
                f"a {kind} needs its grid: --set grid=GRID_ID",
            )
        )
    from gridctl.ops.gridretire import open_grid

    open_grid(ledger, data.get("grid") if kind != "grid" else data.get("parent"))
    rel = path_for(kind, data)
    if WorkTree(ledger.root).exists(rel):
        raise GridctlError(Text(f"{rel} 已存在", f"{rel} already exists"))
    label = _label(kind, data, ledger)
    subject = Text(
        f"新增{kind_label(kind, 'zh')} {data['id']}" + (f"：{label}" if label else ""),
        f"add {kind} {data['id']}" + (f": {label}" if label else ""),
    )
    todo = new_grid_todo(str(data["id"]), data.get("parent")) if kind == "grid" else None
    return Change(subject, {rel: dump_new(rel, kind, [data])}, str(data["id"]), todo)


def _set_plain(data: dict[str, Any], path: FieldPath, value: Any) -> None:
    node: Any = data
    for step in path[:-1]:
        node = node.setdefault(step, {}) if isinstance(node, dict) else node[step]
    node[path[-1]] = value


def edit(
    ledger: Ledger,
    record_id: str,
    sets: list[tuple[FieldPath, str]],
    unsets: list[FieldPath],
    adds: list[tuple[FieldPath, str]] = (),  # type: ignore[assignment]
    removes: list[tuple[FieldPath, str]] = (),  # type: ignore[assignment]
) -> Change:
    """Set, unset, or add/remove single items of list fields (phones, tags) of one record."""
    entry = find(ledger, record_id)
    record_id = entry.id
    model = model_of(entry.kind)
    sets = [(resolve(model, p), v) for p, v in sets]
    adds = [(resolve(model, p), v) for p, v in adds]
    removes = [(resolve(model, p), v) for p, v in removes]
    unsets = [resolve(model, p) for p in unsets]
    for path in [p for p, _ in [*sets, *adds, *removes]] + unsets:
        if path[0] in FIXED:
            raise GridctlError(
                Text(f"{path[0]} 不能修改: 编号终身不变", f"{path[0]} cannot change: ids are stable for life")
            )
        if path[0] == "grid" and entry.kind in BY_GRID:
            raise GridctlError(
                Text("换网格是迁移，不是修改", "a new grid means a move"),
                hint=Text(f"gridctl move {record_id} --to 网格", f"gridctl move {record_id} --to GRID"),
            )
        if path[0] == "members" and entry.kind == "household":
            raise GridctlError(
                Text("人员请按人员编号修改", "edit people by their own id"),
                hint="gridctl edit P… --set …",
            )
    if not sets and not unsets and not adds and not removes:
        raise GridctlError(
            Text(
                "没有要改的内容: 请给出 --set 字段=值、--unset 字段、--add 或 --remove",
                "nothing to change: give --set field=value, --unset field, --add or --remove",
            )
        )
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    for path, raw in sets:
        value = _named(ledger, path, coerce(model, path, raw))
        if isinstance(value, dict) and path[0] != "extra":  # 四至=东至…，西至…: those parts, the rest kept
            for part, item in value.items():
                if item is None:  # a part cleared (地址=幸福路3号 clears 楼栋, 单元…): gone, not `!!null ""`
                    unset_in(node, (*path, part))
                else:
                    set_in(node, (*path, part), item)
        else:
            set_in(node, path, value)
    for path in unsets:
        if not unset_in(node, path):
            name = ".".join(map(str, path))
            raise GridctlError(Text(f"{record_id} 没有字段 {name}", f"{record_id} has no field {name}"))
    shown = None
    if ("retired",) in unsets and isinstance(entry.record, Grid):  # retire's people responsible again
        from gridctl.ops.gridretire import held_before_retirement, reinstate_people

        if not any(p[0] in ("responsible", "former") for p in [p for p, _ in [*sets, *adds, *removes]] + unsets):
            shown = reinstate_people(node, entry.record, held_before_retirement(ledger, entry.id))
    back = ("retired",) in unsets and entry.kind == "staff" and not any(p[0] == "active" for p, _ in sets)
    if back and node.get("active") is False:  # retire set it too: taken back, he is on the boards again
        set_in(node, ("active",), True)
    for path, raw in [*adds, *removes]:
        _change_items(ledger, node, model, path, raw, add=(path, raw) in adds, record_id=record_id)
    changed = [p for p, _ in [*sets, *adds, *removes]] + unsets
    from gridctl.model.labels import label

    def listed(paths: list[FieldPath]) -> Text:
        zh = "、".join(dict.fromkeys(label(entry.kind, p[:1]) for p in paths))
        return Text(zh, ", ".join(dict.fromkeys(str(p[0]) for p in paths)))

    fields = listed(changed)
    files: dict[str, bytes | None] = {doc.rel: doc.dump()}
    from gridctl.ops.months import moved, refiled, sets_date

    new_rel = refiled(ledger, entry, doc.rel, doc.dump(), len(doc.docs)) if sets_date(entry.kind, changed) else None
    if new_rel is not None:  # a date of another month: the file goes to that month's folder
        files = {doc.rel: None, new_rel: files[doc.rel]}
        there = moved(doc.rel, new_rel)
        fields = Text(fields.zh + there[0], fields.en + there[1])
    subject = Text(
        f"修改{kind_label(entry.kind, 'zh')} {record_id}：{fields.zh}", f"edit {entry.kind} {record_id}: {fields.en}"
    )
    if ("retired",) in unsets:  # the undo of retire: said as such, not as an edit of its 注销 field
        subject = Text(f"撤销注销{kind_label(entry.kind, 'zh')} {record_id}", f"reinstate {entry.kind} {record_id}")
        own = [("retired",)] + ([("active",)] if entry.kind == "staff" and node.get("active", True) is True else [])
        others = [p for p in changed if p not in own]  # back on duty is the reinstatement's own, said or not
        if others:  # only those: the 注销 undone is the subject already
            also = listed(others)
            subject = Text(f"{subject.zh}，另改 {also.zh}", f"{subject.en}; also {also.en}")
    # a 包户人 named, a staff member reinstated or let go: whom the households' warnings (GC236) then name
    touched = {p[0] for p in [*(p for p, _ in [*sets, *adds, *removes]), *unsets]}
    warn = "assigned_to" in touched or (entry.kind == "staff" and bool(touched & {"active", "retired"}))
    return Change(subject, files, record_id, shown=shown, warn=warn)


def _change_items(ledger: Ledger, node: Any, model: Any, path: FieldPath, raw: str, add: bool, record_id: str) -> None:
    """--add phones=B / --remove phones=A: one item more or less, the rest as it was."""
    from gridctl.ops.fields import is_list

    name = ".".join(map(str, path))
    if not is_list(model, path):
        raise GridctlError(
            Text(f"{name} 不是列表字段；请用 --set {name}=…", f"{name} is not a list; use --set {name}=…")
        )
    items = _named(ledger, path, coerce(model, path, raw))
    try:
        current = navigate_path(node, path)
    except (KeyError, IndexError, TypeError):
        current = None
    if current is None:
        if not add:
            raise GridctlError(Text(f"{record_id} 没有 {name}，无从删除", f"{record_id} has no {name} to remove from"))
        from ruamel.yaml.comments import CommentedSeq

        set_in(node, path, CommentedSeq(items))
        return
    for item in items:
        if add and item not in current:
            current.append(item)
        elif not add:
            if item not in current:
                listed = "、".join(map(str, current)) or "-"
                raise GridctlError(
                    Text(f"{record_id} 的 {name} 中没有 {item}", f"{item} is not in {name} of {record_id}"), hint=listed
                )
            current.remove(item)


def navigate_path(node: Any, path: FieldPath) -> Any:
    for step in path:
        node = node[step]
    return node


def retire(ledger: Ledger, record_id: str, reason: str, date: dt.date, into: str | None = None) -> Change:
    """注销/迁出: the record stays for the history, marked with date and reason; a grid's records
    may move `into` the grid that takes it over (gridctl.ops.gridmerge)."""
    entry = find(ledger, record_id)
    record_id = entry.id
    if entry.kind == "grid":
        from gridctl.ops.gridretire import retire_grid

        return retire_grid(ledger, entry, reason, date, into)
    if into is not None:
        raise GridctlError(
            Text("--into 只用于注销网格", "--into is for retiring a grid"),
            hint=Text(
                f"迁移记录: gridctl move {record_id} --to 网格", f"to move a record: gridctl move {record_id} --to GRID"
            ),
        )
    if entry.kind in ("event", "inspection"):
        raise GridctlError(
            Text(
                f"{kind_label(entry.kind, 'zh')}不注销；请修改或办结",
                f"a {entry.kind} is not retired; edit or close it instead",
            )
        )
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    if node.get("retired"):
        when = node["retired"].get("date")
        raise GridctlError(Text(f"{record_id} 已于 {when} 注销", f"{record_id} was already retired on {when}"))
    from ruamel.yaml.comments import CommentedMap

    node["retired"] = CommentedMap([("date", date), ("reason", reason)])
    if entry.kind == "staff":
        node["active"] = False
    subject = Text(
        f"注销{kind_label(entry.kind, 'zh')} {record_id}：{reason}", f"retire {entry.kind} {record_id}: {reason}"
    )
    return Change(subject, {doc.rel: doc.dump()}, record_id)


def taken(record_id: str) -> Text:
    return Text(
        f"编号 {record_id} 已被使用或曾经用过 (编号永不复用)",
        f"id {record_id} is taken or was used before (ids are never reused)",
    )


def kind_label(kind: str, lang: str) -> str:
    return KIND_ZH.get(kind, kind) if lang == "zh" else kind
