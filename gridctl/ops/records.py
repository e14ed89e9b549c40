"""add, edit, move, retire: one record at a time, each a Change for gridctl.ops.write.

Every function reads the loaded ledger, edits only the files it must (round-trip, so the
clerk's comments stay), and returns the new bytes with a commit subject
`<verb> <kind> <id>: <summary>`. Summaries name fields and places, never personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gridctl.errors import GridctlError
from gridctl.ledger.clock import Clock
from gridctl.ledger.files import WorkTree
from gridctl.ledger.ids import ids_left, next_id, worker_slot
from gridctl.ledger.index import Entry, Ledger
from gridctl.ledger.layout import BY_GRID, path_for
from gridctl.ledger.yamlfile import dump_new, dump_rt, edit_text, load_rt, navigate
from gridctl.messages import KIND_ZH
from gridctl.model import KINDS, Person
from gridctl.ops.fields import Path as FieldPath
from gridctl.ops.fields import coerce, set_in, unset_in
from gridctl.problem import Problem

FIXED = {"id", "kind"}


@dataclass
class Change:
    subject: str
    files: dict[str, bytes | None] = field(default_factory=dict)
    record_id: str = ""
    deferrable: Callable[[Problem], bool] | None = None
    """Errors this change may leave for the next command (see new_grid_todo)."""
    note: str | None = None
    """What the commit message says besides the clerk's reason (a key rotation: what stays readable)."""


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
        raise GridctlError(
            f"no record with id {record_id} / 没有 id 为 {record_id} 的记录", hint="gridctl list KIND shows the ids"
        )
    if len(entries) > 1:
        raise GridctlError(f"id {record_id} is used by {len(entries)} records; run gridctl validate (GC201)")
    entry = entries[0]
    if kinds is not None and entry.kind not in kinds:
        raise GridctlError(f"{record_id} is a {entry.kind}, not a {' or '.join(kinds)}")
    return entry


def model_of(kind: str) -> Any:
    return Person if kind == "person" else KINDS[kind]


def allocate(ledger: Ledger, kind: str, count: int = 1, when: dt.date | None = None) -> list[str]:
    """The next free ids of `kind`; `when` is the day a dated format ({yyyy}{mm}) uses (default: the ledger's today)."""
    fmt = ledger.settings.id_formats.get(kind)
    if fmt is None:
        raise GridctlError(f"gridctl.yaml has no id format for {kind}; give an id with --set id=…")
    when = when or Clock.system(ledger.settings.timezone).today()
    slot = worker_slot(ledger.root)
    return next_id(fmt, set(ledger.by_id) | ids_left(ledger.root), when, count, slot)


def _label(kind: str, data: Any, ledger: Ledger) -> str:
    """A short, non-personal description for the commit subject."""
    if kind in ("grid", "staff", "place", "org"):
        return str(data.get("name") or "")
    if kind == "event":
        return str(data.get("title") or "")
    if kind == "household":
        address = data.get("address") or {}
        text = address.get("text") or "".join(str(address.get(k) or "") for k in ("estate", "building", "unit", "room"))
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
        raise GridctlError("people live in households: gridctl add person --household H… --set name=…")
    if kind not in KINDS:
        raise GridctlError(f"unknown kind {kind}; known: {', '.join(KINDS)}")
    data: dict[str, Any] = {"kind": kind}
    data.update(given or {})
    model = KINDS[kind]
    for path, raw in values:
        if path[0] in FIXED and path != ("id",):
            raise GridctlError(f"{path[0]} is fixed")
        _set_plain(data, path, coerce(model, path, raw))
    data["kind"] = kind
    if not data.get("id"):
        data["id"] = allocate(ledger, kind, when=today)[0]
    data = {"kind": kind, "id": str(data["id"]), **{k: v for k, v in data.items() if k not in FIXED}}
    if str(data["id"]) in ledger.by_id or str(data["id"]) in ids_left(ledger.root):
        raise GridctlError(f"id {data['id']} is taken or was used before (ids are never reused) / id 已被使用过")
    if kind in BY_GRID and not data.get("grid"):
        raise GridctlError(f"a {kind} needs its grid: --set grid=GRID_ID")
    rel = path_for(kind, data)
    if WorkTree(ledger.root).exists(rel):
        raise GridctlError(f"{rel} already exists")
    subject = f"add {kind} {data['id']}: {_label(kind, data, ledger)}".rstrip(": ")
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
    for path in [p for p, _ in [*sets, *adds, *removes]] + unsets:
        if path[0] in FIXED:
            raise GridctlError(f"{path[0]} cannot change: ids are stable for life")
        if path[0] == "grid" and entry.kind in BY_GRID:
            raise GridctlError("a new grid means a move", hint=f"gridctl move {record_id} --to GRID")
        if path[0] == "members" and entry.kind == "household":
            raise GridctlError("edit people by their own id", hint="gridctl edit P… --set …")
    if not sets and not unsets and not adds and not removes:
        raise GridctlError("nothing to change: give --set field=value, --unset field, --add or --remove")
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    model = model_of(entry.kind)
    for path, raw in sets:
        set_in(node, path, coerce(model, path, raw))
    for path in unsets:
        if not unset_in(node, path):
            raise GridctlError(f"{record_id} has no field {'.'.join(map(str, path))}")
    for path, raw in [*adds, *removes]:
        _change_items(node, model, path, raw, add=(path, raw) in adds, record_id=record_id)
    changed = [p for p, _ in [*sets, *adds, *removes]] + unsets
    names = ", ".join(dict.fromkeys(str(p[0]) for p in changed))
    return Change(f"edit {entry.kind} {record_id}: {names}", {doc.rel: doc.dump()}, record_id)


def _change_items(node: Any, model: Any, path: FieldPath, raw: str, add: bool, record_id: str) -> None:
    """--add phones=B / --remove phones=A: one item more or less, the rest as it was."""
    from gridctl.ops.fields import is_list

    name = ".".join(map(str, path))
    if not is_list(model, path):
        raise GridctlError(f"{name} is not a list; use --set {name}=… / {name} 不是列表字段")
    items = coerce(model, path, raw)
    try:
        current = navigate_path(node, path)
    except (KeyError, IndexError, TypeError):
        current = None
    if current is None:
        if not add:
            raise GridctlError(f"{record_id} has no {name} to remove from")
        from ruamel.yaml.comments import CommentedSeq

        set_in(node, path, CommentedSeq(items))
        return
    for item in items:
        if add and item not in current:
            current.append(item)
        elif not add:
            if item not in current:
                listed = "、".join(map(str, current)) or "-"
                raise GridctlError(f"{item} is not in {name} of {record_id} / {name} 中没有 {item}", hint=listed)
            current.remove(item)


def navigate_path(node: Any, path: FieldPath) -> Any:
    for step in path:
        node = node[step]
    return node


def retire(ledger: Ledger, record_id: str, reason: str, date: dt.date) -> Change:
    """注销/迁出: the record stays for the history, marked with date and reason."""
    entry = find(ledger, record_id)
    record_id = entry.id
    if entry.kind in ("grid", "event", "inspection"):
        raise GridctlError(f"a {entry.kind} is not retired; edit or close it instead")
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    if node.get("retired"):
        raise GridctlError(f"{record_id} was already retired on {node['retired'].get('date')}")
    from ruamel.yaml.comments import CommentedMap

    node["retired"] = CommentedMap([("date", date), ("reason", reason)])
    if entry.kind == "staff":
        node["active"] = False
    return Change(f"retire {entry.kind} {record_id}: {reason}", {doc.rel: doc.dump()}, record_id)


def move(ledger: Ledger, record_id: str, to_grid: str) -> Change:
    """A record to another grid: its file moves with it, its id stays."""
    from gridctl.ledger.names import resolve

    entry = find(ledger, record_id)
    record_id = entry.id
    grids = ledger.grids()
    to_grid = resolve(ledger, to_grid, ["grid"])
    if entry.kind == "person":
        raise GridctlError("a person moves to a household", hint=f"gridctl move {record_id} --to-household H…")
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    if entry.kind == "grid":
        old = node.get("parent")
        node["parent"] = to_grid
        return Change(
            f"move grid {record_id}: {_grid_name(grids, old)} → {grids[to_grid].name}", {doc.rel: doc.dump()}, record_id
        )
    if entry.kind not in BY_GRID:
        raise GridctlError(f"a {entry.kind} does not live in a grid folder; edit its grid field")
    if len(doc.docs) > 1:
        raise GridctlError(f"{doc.rel} holds several records; split it before moving one")
    old = str(node.get("grid"))
    if old == to_grid:
        raise GridctlError(f"{record_id} is already in {to_grid}")
    node["grid"] = to_grid
    new_rel = path_for(entry.kind, {"id": record_id, "grid": to_grid})
    subject = f"move {entry.kind} {record_id}: {_grid_name(grids, old)} → {grids[to_grid].name}"
    return Change(subject, {doc.rel: None, new_rel: doc.dump()}, record_id)


def _grid_name(grids: dict[str, Any], gid: Any) -> str:
    grid = grids.get(str(gid)) if gid is not None else None
    return grid.name if grid else str(gid)


def kind_label(kind: str, lang: str) -> str:
    return KIND_ZH.get(kind, kind) if lang == "zh" else kind
