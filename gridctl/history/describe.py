"""What changed between two states of some files, as record changes and as sentences a clerk reads.

Derived from content, not from commit messages: a hand edit committed with plain git is described
the same way as a gridctl command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gridctl.history.records import FieldChange, Version, field_changes, records_in
from gridctl.messages import KIND_ZH
from gridctl.model.chars import quoted_path

GRID_FIELD = {"household", "place", "org", "thing", "event", "inspection"}


@dataclass
class RecordChange:
    id: str
    kind: str
    what: str
    """added, removed, moved (grid, household or file), renumbered (the same record under a new id, its
    old one in `before`), retired, reinstated (its retirement undone),
    changed; settled: fields a merge decided; resealed: values sealed again under a new data key
    and none changed; encrypted: plain values sealed and none changed (gridctl.history.resealing)."""
    before: Version | None
    after: Version | None
    changes: list[FieldChange] = field(default_factory=list)

    def grids(self) -> set[str]:
        out = set()
        for v in (self.before, self.after):
            if v is not None and v.data.get("grid") is not None:
                out.add(str(v.data["grid"]))
            if v is not None and v.kind == "grid":
                out.add(v.id)
        return out


def record_changes(
    files: Iterable[tuple[str, bytes | None, bytes | None]],
    parsed: dict[tuple[str, bytes], dict[str, Version]] | None = None,
) -> list[RecordChange]:
    """Record-level changes for (path, old content, new content) of every changed file.

    `parsed` caches file versions across calls: in a log, one commit's new version of a file is
    the next (older) commit's old version.
    """
    cache = parsed if parsed is not None else {}

    def read(path: str, blob: bytes | None) -> dict[str, Version]:
        if not blob:
            return {}
        key = (path, blob)
        if key not in cache:
            cache[key] = records_in(path, blob)
        return cache[key]

    before: dict[str, Version] = {}
    after: dict[str, Version] = {}
    for path, old, new in files:
        before.update(read(path, old))
        after.update(read(path, new))
    out: list[RecordChange] = []
    for rid in dict.fromkeys([*before, *after]):
        b, a = before.get(rid), after.get(rid)
        if b is not None and a is not None and b.data == a.data and b.household == a.household and b.file == a.file:
            continue
        kind = (a or b).kind  # type: ignore[union-attr]
        if b is None:
            out.append(RecordChange(rid, kind, "added", None, a))
        elif a is None:
            out.append(RecordChange(rid, kind, "removed", b, None))
        else:
            changes = field_changes(b.data, a.data, kind, members=False)  # people are reported themselves
            if kind == "person" and b.household == a.household and b.data == a.data:
                continue  # only the file moved, with its household: the household's change says so
            moved = b.household != a.household or (kind in GRID_FIELD and b.data.get("grid") != a.data.get("grid"))
            moved = moved or (kind == "grid" and b.data.get("parent") != a.data.get("parent"))
            what = "moved" if moved else retirement(b.data, a.data) or "changed"
            if what == "changed" and not changes and b.file != a.file:
                what = "moved"
            if what == "changed" and not changes:
                continue
            out.append(RecordChange(rid, kind, what, b, a, changes))
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    return sorted(out, key=lambda c: (order.get(c.kind, 99), c.id))


def renumbered(changes: list[RecordChange], new_to_old: Mapping[str, str]) -> list[RecordChange]:
    """A record given a new id by a renumbering (an id collision in a merge, gridctl.merge.collide)
    told as one change: 户 H000002 换编号为 H000003, not a household removed and another added. Over a
    range that also took in the other side's record under the old id, that one is added: the old id's
    change was two records, never one family turned into another. `new_to_old` comes from the
    renumbering commits' trailers."""
    if not new_to_old:
        return changes
    by_id = {(c.kind, c.id): c for c in changes}
    told: dict[tuple[str, str], list[RecordChange]] = {}
    for c in changes:
        old = new_to_old.get(c.id)
        was = by_id.get((c.kind, old or "")) if c.what == "added" else None
        if was is None or was.before is None or c.after is None:
            continue
        fields = field_changes(was.before.data, c.after.data, c.kind, members=False)
        told[(c.kind, c.id)] = [RecordChange(c.id, c.kind, "renumbered", was.before, c.after, fields)]
        if was.after is not None:  # the old id holds another record now
            told[(c.kind, c.id)].append(RecordChange(was.id, c.kind, "added", None, was.after))
        told[(c.kind, was.id)] = []
    if not told:
        return changes
    return [one for c in changes for one in told.get((c.kind, c.id), [c])]


def resealed_words(lang: str, count: int | None = None) -> str:
    """What a key rotation did to records (`count` of them, when told together): sealed them again."""
    said = "以新数据密钥重新加密，信息未变" if lang == "zh" else "re-encrypted under a new data key, values unchanged"
    if count is None:
        return said
    return f"{said}（{count} 条记录）" if lang == "zh" else f"{said} ({count} record{'' if count == 1 else 's'})"


def encrypted_words(lang: str, count: int | None = None) -> str:
    """What encrypting the ledger did to records (`count` of them, when told together): sealed them."""
    said = "个人信息加密，信息未变" if lang == "zh" else "encrypted: personal fields sealed, values unchanged"
    if count is None:
        return said
    return f"{said}（{count} 条记录）" if lang == "zh" else f"{said} ({count} record{'' if count == 1 else 's'})"


def retirement(before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """retired (注销) or reinstated (撤销注销, someone back): what a change of `retired` is, said as
    such rather than as an edit of that field; None when it did not change."""
    if after.get("retired") and not before.get("retired"):
        return "retired"
    if before.get("retired") and not after.get("retired"):
        return "reinstated"
    return None


KIND_ORDER = (
    *("grid", "staff", "household", "person", "place", "org", "thing"),
    *("event", "inspection", "visit", "activity", "document"),
)


def _name(kind: str, lang: str) -> str:
    return KIND_ZH.get(kind, kind) if lang == "zh" else kind


def _grid(gid: Any, names: Mapping[str, str]) -> str:
    return names.get(str(gid), str(gid))


FILE_WHAT_ZH = {"added": "新增文件", "removed": "删除文件", "changed": "修改文件"}


def file_sentence(path: str, what: str, lang: str) -> str:
    """A changed file that holds no record (settings, keys, photos): 修改文件 gridctl.yaml."""
    shown = quoted_path(path)  # a name with a line break (touch $'H0\n1.yaml') is one line, as git shows it
    return f"{FILE_WHAT_ZH[what]} {shown}" if lang == "zh" else f"{what} file {shown}"


def sentence(change: RecordChange, names: Mapping[str, str], lang: str) -> str:
    """One change as a sentence: 户 H000012 从 第三网格 迁至 第四网格."""
    zh = lang == "zh"
    kind = _name(change.kind, lang)
    b, a = change.before, change.after
    label = ""
    data = (a or b).data if (a or b) else {}  # type: ignore[union-attr]
    if change.kind in ("grid", "staff", "place", "org") and data.get("name"):
        label = f" ({data['name']})"
    elif change.kind == "event" and data.get("title"):
        label = f" ({data['title']})"
    if change.what == "added":
        where = f"{'，归属' if zh else ', in'} {_grid(data['grid'], names)}" if data.get("grid") else ""
        if change.kind == "person" and a is not None:
            where = f"{'，加入户' if zh else ', into household'} {a.household}"
        return f"新增{kind} {change.id}{label}{where}" if zh else f"added {kind} {change.id}{label}{where}"
    if change.what == "removed":
        return f"删除{kind} {change.id}{label}" if zh else f"removed {kind} {change.id}{label}"
    if change.what == "renumbered" and b is not None:
        said = f"{kind} {b.id}{label} 换编号为 {change.id}" if zh else f"{kind} {b.id}{label} renumbered as {change.id}"
        if change.kind == "person" and a is not None and b.household != a.household:
            said += (
                f"，所在户随之由 {b.household} 改为 {a.household}"
                if zh
                else f", household {b.household} now {a.household}"
            )
        return said
    if change.what == "resealed":
        return f"{kind} {change.id}{label}: {resealed_words(lang)}"
    if change.what == "encrypted":
        return f"{kind} {change.id}{label}: {encrypted_words(lang)}"
    if change.what == "settled" and (a is None or b is None):  # kept against this side's removal, or removed
        if zh:
            return f"合并时{'保留' if a is not None else '删除'}{kind} {change.id}{label}"
        return f"merge {'kept' if a is not None else 'removed'} {kind} {change.id}{label}"
    assert b is not None and a is not None
    if change.what == "settled":  # a merge decided these fields (gridctl.history.merges)
        said = _changed(change, kind, label, zh, change.changes)
        return "合并时定下" + said.removeprefix("修改") if zh else "merge settled " + said.removeprefix("changed ")
    if change.what == "moved":
        if change.kind == "person" and b.household != a.household:
            return (
                f"{kind} {change.id} 从户 {b.household} 迁至户 {a.household}"
                if zh
                else f"{kind} {change.id} moved from household {b.household} to {a.household}"
            )
        key = "parent" if change.kind == "grid" else "grid"
        if b.data.get(key) != a.data.get(key):
            old, new = _grid(b.data.get(key), names), _grid(a.data.get(key), names)
            return (
                f"{kind} {change.id}{label} 从 {old} 迁至 {new}"
                if zh
                else f"{kind} {change.id}{label} moved from {old} to {new}"
            )
        old_file, new_file = quoted_path(b.file), quoted_path(a.file)
        return (
            f"{kind} {change.id} 的文件从 {old_file} 移至 {new_file}"
            if zh
            else f"{kind} {change.id} moved from file {old_file} to {new_file}"
        )
    if change.what == "retired":
        retired = a.data.get("retired")  # a hand edit may write `retired: true`: validate names it, the log reads on
        reason = retired.get("reason") if isinstance(retired, dict) else None
        said = f": {reason}" if reason not in (None, "") else ""
        return f"注销{kind} {change.id}{label}{said}" if zh else f"retired {kind} {change.id}{label}{said}"
    if change.what == "reinstated":
        said = f"撤销注销{kind} {change.id}{label}" if zh else f"reinstated {kind} {change.id}{label}"
        own = {("retired",)}
        if change.kind == "staff" and a.data.get("active", True) is True:
            own.add(("active",))  # a staff member taken back is on duty again: the reinstatement's own doing
        rest = [c for c in change.changes if c.path[:1] not in own]
        if rest:  # as the commit says it: 撤销注销人员 P0000001，另改 联系电话
            tail = _changed(change, kind, "", zh, rest).split(": ", 1)[1]
            said += f"，另改 {tail}" if zh else f"; also changed {tail}"
        return said
    if change.kind == "grid" and any(c.path[:1] == ("responsible",) for c in change.changes):
        return _responsibility(change, b, a, kind, label, zh)
    if change.kind == "event" and any(c.path[:1] == ("timeline",) for c in change.changes):
        return _steps(change, b, a, kind, label, zh)
    return _changed(change, kind, label, zh, change.changes)


def _changed(change: RecordChange, kind: str, label: str, zh: bool, changes: list[FieldChange]) -> str:
    """修改人员 P0000001: 联系电话、住址 — fields by their names (Chinese ones in Chinese)."""
    from gridctl.model.labels import label as field_label

    tops = dict.fromkeys(str(c.path[0]) if c.path else c.field for c in changes)
    if zh:
        return f"修改{kind} {change.id}{label}: " + "、".join(field_label(change.kind, (t,)) or t for t in tops)
    return f"changed {kind} {change.id}{label}: " + ", ".join(tops)


def _steps(change: RecordChange, b: Version, a: Version, kind: str, label: str, zh: bool) -> str:
    """An event's new steps by their names (受理、派遣 …), as the timeline records them."""
    before = b.data.get("timeline") or []
    after = a.data.get("timeline") or []
    added = after[len(before) :] if after[: len(before)] == before else after
    actions = [str(s.get("action")) for s in added if isinstance(s, dict) and s.get("action")]
    rest = [c for c in change.changes if c.path[:1] not in (("timeline",), ("status",))]
    if not actions:
        return _changed(change, kind, label, zh, change.changes)
    head = f"{kind} {change.id}{label}: " + ("、".join(actions) if zh else ", ".join(actions))
    if rest:
        tail = _changed(change, kind, "", zh, rest).split(": ", 1)[1]
        head += f"；另改 {tail}" if zh else f"; also changed {tail}"
    return head


def _responsibility(change: RecordChange, b: Version, a: Version, kind: str, label: str, zh: bool) -> str:
    def people(v: Version) -> set[tuple[str, str]]:
        return {
            (str(r.get("role")), str(r.get("staff"))) for r in v.data.get("responsible") or [] if isinstance(r, dict)
        }

    came, went = people(a) - people(b), people(b) - people(a)
    parts = [f"{role} {staff} {'上任' if zh else 'assigned'}" for role, staff in sorted(came)]
    parts += [f"{role} {staff} {'卸任' if zh else 'unassigned'}" for role, staff in sorted(went)]
    if not parts:
        parts = ["职责调整" if zh else "duties changed"]
    return f"{kind} {change.id}{label}: " + ("，".join(parts) if zh else ", ".join(parts))
