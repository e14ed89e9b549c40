"""A three-way merge of one ledger file by record and field, not by line.

Records are matched by `id` (documents in a file, people in a household's `members`), then
merged field by field: a field only one side changed takes that side's value; a field both
sides changed the same way is taken once; a field both sides changed *differently* is a
Conflict — the clerk's value ("mine") stays in the file and the conflict is reported, never
settled silently (design.md §3, invariant 7). Lists of mappings with ids merge by id; a list
both sides only appended to (a timeline) keeps both additions; any other list is one value.

The result is the "mine" file edited in place with ruamel.yaml's round-trip mode, so the
clerk's comments, key order and quoting stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gridctl.ledger.yamlfile import dump_rt, load_rt, plain
from gridctl.merge.same import one_record


class _Missing:
    """A field or record one version does not have."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass
class Conflict:
    """The same field changed two ways. `field` is a dotted path inside the record ("" = the whole record)."""

    file: str
    record: str
    kind: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    collision: bool = False
    """Both sides added a record under this id, and the two differ: two records, not one (gridctl.merge.collide)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "record": self.record,
            "kind": self.kind,
            "field": self.field,
            **{k: json_value(getattr(self, k)) for k in ("base", "mine", "theirs")},
            **({"collision": True} if self.collision else {}),
        }


@dataclass
class Merged:
    """The merged text (None when a version could not be read as YAML) and the conflicts left."""

    data: bytes | None
    conflicts: list[Conflict] = field(default_factory=list)


def json_value(value: Any) -> Any:
    """A value as JSON can hold it: MISSING becomes a marker, dates become ISO text."""
    if value is MISSING:
        return {"missing": True}
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


@dataclass
class _Where:
    file: str
    record: str
    kind: str
    steps: tuple[str, ...] = ()

    def into(self, step: str) -> _Where:
        return _Where(self.file, self.record, self.kind, (*self.steps, step))

    def label(self) -> str:
        out = ""
        for step in self.steps:
            out += step if step.startswith("[") or not out else f".{step}"
        return out


class _Merge:
    def __init__(self, file: str) -> None:
        self.file = file
        self.conflicts: list[Conflict] = []
        self.changed = False

    def conflict(self, where: _Where, base: Any, mine: Any, theirs: Any) -> None:
        self.conflicts.append(Conflict(self.file, where.record, where.kind, where.label(), base, mine, theirs))

    def collision(self, where: _Where, mine: Any, theirs: Any) -> None:
        """Both sides added `where.record` as different records: mine stays in the file, whole, and
        nothing of theirs is mixed into it (settled by renumbering mine, never by taking a side)."""
        self.conflicts.append(Conflict(self.file, where.record, where.kind, "", MISSING, mine, theirs, True))

    # mappings -------------------------------------------------------------------------------
    def mapping(self, base: dict[str, Any], mine: Any, theirs: Any, where: _Where) -> None:
        keys = list(dict.fromkeys([*map(str, mine), *map(str, theirs), *base]))
        for key in keys:
            b = base.get(key, MISSING)
            m = plain(mine[key]) if key in mine else MISSING
            t = plain(theirs[key]) if key in theirs else MISSING
            if _same(m, t) or _same(b, t):
                continue
            if _same(b, m):
                self._take(mine, theirs, key)
                continue
            self.value(b, mine, theirs, key, where.into(key))

    def value(self, b: Any, mine: Any, theirs: Any, key: Any, where: _Where) -> None:
        """Both sides changed `key` differently: go deeper where the shapes allow, else a conflict."""
        m, t = mine[key], theirs[key]
        if isinstance(m, dict) and isinstance(t, dict) and (b is MISSING or isinstance(b, dict)):
            self.mapping(b if isinstance(b, dict) else {}, m, t, where)
        elif isinstance(m, list) and isinstance(t, list) and (b is MISSING or isinstance(b, list)):
            self.sequence(b if isinstance(b, list) else [], m, t, where, key)
        else:
            self.conflict(where, b, plain(m), plain(t))

    def _take(self, mine: Any, theirs: Any, key: str) -> None:
        """Theirs changed `key` and mine did not: theirs' node (with its comments) goes in mine's place."""
        self.changed = True
        if key not in theirs:
            del mine[key]
            return
        if key in mine:
            mine[key] = theirs[key]
            return
        order = list(map(str, theirs))
        before = [k for k in order[: order.index(key)] if k in mine]
        at = list(map(str, mine)).index(before[-1]) + 1 if before else 0
        if hasattr(mine, "insert"):
            mine.insert(at, key, theirs[key])
        else:
            mine[key] = theirs[key]

    def retired_and_joined(self, b: dict[str, Any], m: Any, mine: Any, theirs: Any, where: _Where) -> None:
        """One side retired the household (整户迁出) while the other added someone to it: merged field by
        field, the household is retired with a new member in it, whom no status or report counts. A
        conflict on `retired`, with mine's value in the file, as every conflict leaves it."""
        if b.get("retired") is not None:
            return
        known = {str(x.get("id")) for x in b.get("members") or [] if isinstance(x, dict)}

        def joined(side: Any) -> bool:
            return any(isinstance(x, dict) and str(x.get("id")) not in known for x in side.get("members") or [])

        t = plain(theirs.get("retired"))  # `m`: mine's, as it was before the merge
        if not ((m is not None and t is None and joined(theirs)) or (t is not None and m is None and joined(mine))):
            return
        if m is None and "retired" in mine:
            del mine["retired"]  # taken from theirs just now: mine's value stays while the conflict is open
        self.conflict(where.into("retired"), MISSING, MISSING if m is None else m, MISSING if t is None else t)

    # sequences ------------------------------------------------------------------------------
    def sequence(self, b: list[Any], mine: Any, theirs: Any, where: _Where, key: Any) -> None:
        if _all_have_ids(b, mine, theirs):
            self.by_id(b, mine, theirs, where, members=(where.kind == "household" and key == "members"))
            return
        pm, pt = plain(mine), plain(theirs)
        if b and len(pm) > len(b) and len(pt) > len(b) and pm[: len(b)] == b and pt[: len(b)] == b:
            for item in theirs[len(b) :]:  # both only appended (a timeline): keep both additions
                if plain(item) not in pm[len(b) :]:
                    mine.append(item)
                    self.changed = True
            return
        self.conflict(where, b, pm, pt)

    def by_id(self, b: list[Any], mine: Any, theirs: Any, where: _Where, members: bool) -> None:
        base = {str(x["id"]): x for x in b}
        ours = {str(x["id"]): x for x in mine}
        their = {str(x["id"]): x for x in theirs}
        for rid in dict.fromkeys([*ours, *their, *base]):
            inner = _Where(self.file, rid, "person") if members else where.into(f"[{rid}]")
            bi, mi, ti = base.get(rid, MISSING), ours.get(rid), their.get(rid)
            if mi is not None and ti is not None:
                pm, pt = plain(mi), plain(ti)
                if pm != pt and members and bi is MISSING and not one_record("person", pm, pt):
                    self.collision(inner, pm, pt)
                elif pm != pt:
                    self.mapping(bi if isinstance(bi, dict) else {}, mi, ti, inner)
            elif mi is not None:  # theirs removed it, or mine added it
                if bi is not MISSING:
                    if plain(mi) == bi:
                        mine.remove(mi)
                        self.changed = True
                    else:
                        self.conflict(inner, bi, plain(mi), MISSING)
            elif ti is not None:  # mine removed it, or theirs added it
                if bi is MISSING:
                    self._insert(mine, theirs, ti, set(base) | set(their))
                elif plain(ti) != bi:
                    self.conflict(inner, bi, MISSING, plain(ti))

    def _insert(self, mine: Any, theirs: Any, item: Any, known: set[str]) -> None:
        """An item theirs added goes after the item it follows in theirs, and after what mine added there."""
        self.changed = True
        ids = [str(x["id"]) for x in mine]
        at = len(mine)
        for prev in reversed(list(theirs)[: list(theirs).index(item)]):
            if str(prev["id"]) in ids:
                at = ids.index(str(prev["id"])) + 1
                while at < len(ids) and ids[at] not in known:  # mine's own additions come first
                    at += 1
                break
        mine.insert(at, item)


def _same(a: Any, b: Any) -> bool:
    return a is b if a is MISSING or b is MISSING else a == b


def _all_have_ids(*lists: Iterable[Any]) -> bool:
    items = [x for seq in lists for x in seq]
    return bool(items) and all(isinstance(x, dict) and x.get("id") is not None for x in items)


def _docs_by_key(docs: list[Any]) -> dict[str, Any]:
    """Documents by id; a document without one (gridctl.yaml) by its place in the file."""
    out: dict[str, Any] = {}
    for i, doc in enumerate(docs):
        rid = doc.get("id") if isinstance(doc, dict) else None
        out[str(rid) if rid is not None else f"#{i}"] = doc
    return out


def merge_text(file: str, base: bytes | None, mine: bytes, theirs: bytes) -> Merged:
    """Merge one file's three versions (base None or empty: both sides added the file)."""
    try:
        texts = [(x or b"").decode("utf-8-sig") for x in (base, mine, theirs)]
        b_docs, m_docs, t_docs = ([d for d in load_rt(t) if d is not None] if t.strip() else [] for t in texts)
    except Exception:  # not YAML gridctl can read on one side: git's line merge decides
        return Merged(None)
    if any(not isinstance(d, dict) for d in (*b_docs, *m_docs, *t_docs)):
        return Merged(None)
    job = _Merge(file)
    base_map = {k: plain(v) for k, v in _docs_by_key(b_docs).items()}
    ours, their = _docs_by_key(m_docs), _docs_by_key(t_docs)
    for key in dict.fromkeys([*ours, *their, *base_map]):
        rid = key if not key.startswith("#") else ""
        m, t = ours.get(key), their.get(key)
        b = base_map.get(key, MISSING)
        kind = str((m or t or b or {}).get("kind") or "") if b is not MISSING or m or t else ""
        where = _Where(file, rid, kind)
        if m is not None and t is not None:
            if plain(m) != plain(t) and b is MISSING and rid and not one_record(kind, plain(m), plain(t)):
                job.collision(where, plain(m), plain(t))
            elif plain(m) != plain(t):
                own = plain(m.get("retired"))  # before the merge takes theirs
                job.mapping(b if isinstance(b, dict) else {}, m, t, where)
                if kind == "household" and isinstance(b, dict):
                    job.retired_and_joined(b, own, m, t, where)
        elif m is not None:
            if b is not MISSING and plain(m) == b:
                m_docs.remove(m)
                job.changed = True
            elif b is not MISSING:
                job.conflict(where, b, plain(m), MISSING)
        elif t is not None:
            if b is MISSING:
                m_docs.append(t)
                job.changed = True
            elif plain(t) != b:
                job.conflict(where, b, MISSING, plain(t))
    if not job.changed:
        return Merged(mine, job.conflicts)
    if not m_docs:
        return Merged(b"", job.conflicts)
    return Merged(dump_rt(texts[1], m_docs), job.conflicts)
