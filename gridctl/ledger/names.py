"""One vocabulary for the clerk: wherever an id is asked for, the record's exact name works too.

A grid, a staff member, a person, a place, an organization or a thing is named by its `name`; an
event, a document or an activity by its title; an inspection by its grid's name and its day
(第一网格 2026-03-02); a household by its 户主 (张桂英户; also 张桂英 where no person could be
meant) and by its dwelling: its room address or its written 现住址 — never by the address of its
building (gridctl.ledger.buildings). An id always wins. A name several records carry lists them,
each described enough to choose (exit 2); a name no record carries is an error (exit 2), never an
empty answer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Entry, Ledger

if TYPE_CHECKING:
    from gridctl.ledger.buildings import Around

WHAT = {
    "grid": ("网格", "grid"),
    "staff": ("工作人员", "staff member"),
    "household": ("户", "household"),
    "person": ("人员", "person"),
    "place": ("场所", "place"),
    "org": ("组织", "organization"),
    "thing": ("物", "thing"),
    "event": ("事件", "event"),
    "inspection": ("检查记录", "inspection"),
    "activity": ("活动记录", "activity"),
    "document": ("文件", "document"),
}
NAMED = ("grid", "staff", "household", "person", "place", "org", "thing", "event", "inspection", "activity", "document")
TITLED = ("event", "activity", "document")
"""Kinds named by their `title:` (the others that have a name, by `name:`)."""


class UnknownName(GridctlError):
    """No record has this id or name (exit 2)."""


class AmbiguousName(GridctlError):
    """Several records carry this name: the clerk must say which (exit 2)."""


def fold(text: str) -> str:
    """Names compare without spaces and with full-width letters and digits folded."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def names_of(entry: Entry, people_too: bool = False, dwellings: bool = True) -> list[str]:
    """The names a record answers to; a household is 张桂英户 (also 张桂英 where no person is meant)
    and, with `dwellings`, its room address and 现住址. An inspection's name needs its grid's (`named`)."""
    record = entry.record
    if record is None:
        return _written(entry.written(), entry.kind, people_too, dwellings)
    if entry.kind == "household":
        head = next((m.name for m in getattr(record, "members", []) if m.relation == "户主"), None)
        return _household(head, record.address if dwellings else None, people_too)
    name = getattr(record, "title" if entry.kind in TITLED else "name", None)
    return [name] if isinstance(name, str) and name else []


def _household(head: Any, address: Any, people_too: bool) -> list[str]:
    """张桂英户 (and 张桂英 where no person is meant), then the dwelling's addresses."""
    from gridctl.model.address import dwelling

    names = ([head + "户"] if people_too else [head, head + "户"]) if isinstance(head, str) and head else []
    return names + (dwelling(address) if address is not None else [])


def _written(data: Any, kind: str, people_too: bool, dwellings: bool) -> list[str]:
    """The names of a record that failed its schema, as written: the clerk names it to mend it."""
    if not isinstance(data, dict):
        return []
    if kind == "household":
        members = data.get("members")
        heads = [m.get("name") for m in members if isinstance(m, dict) and m.get("relation") == "户主"] \
            if isinstance(members, list) else []  # fmt: skip
        address = data.get("address") if dwellings and isinstance(data.get("address"), dict) else None
        return _household(heads[0] if heads else None, address, people_too)
    name = data.get("title" if kind in TITLED else "name")
    return [name] if isinstance(name, str) and name else []


COUNTED = {
    "household": ("户", "households"),
    "staff": ("名工作人员", "staff members"),
    "person": ("名人员", "people"),
    "thing": ("件物", "things"),
    "inspection": ("条检查记录", "inspections"),
    "activity": ("条活动记录", "activities"),
    "document": ("份文件", "documents"),
}
"""How several records of a kind are counted (2 户, 2 名人员; others 2 个网格, 2 places)."""


def pick(value: str, candidates: Mapping[str, Iterable[str]], kinds: Iterable[str], describe=None, kind_of=None) -> str:  # type: ignore[no-untyped-def]
    """The id among `candidates` (id → names) that `value` is, or its name is; else UnknownName/AmbiguousName.
    `describe(id)`: a candidate as the clerk tells it apart (text, or Text in both languages);
    `kind_of(id)`: the kind of a candidate, so that an ambiguous name says what it names."""
    kinds = tuple(kinds)
    if value in candidates:
        return value
    key = fold(value)
    found = sorted(rid for rid, names in candidates.items() if any(fold(n) == key for n in names if n))
    if len(found) == 1:
        return found[0]
    zh = "或".join(WHAT.get(k, (k, k))[0] for k in kinds)
    en = " or ".join(WHAT.get(k, (k, k))[1] for k in kinds)
    if found:
        named = {kind_of(rid) for rid in found} if kind_of else set(kinds)
        raise AmbiguousName(
            _several(value, len(found), [k for k in kinds if k in named] or kinds),
            hint=listing([describe(rid) if describe else rid for rid in found]),
        )
    raise UnknownName(
        Text(f"台账中没有{zh}“{value}”", f"no {en} {value!r} in the ledger"),
        hint=Text(f"用 gridctl list {kinds[0]} 查看编号和名称", f"gridctl list {kinds[0]} shows ids and names"),
    )


def listing(described: Iterable[Text | str], more: int = 0) -> Text:
    """The candidates to choose from, one a line under the hint (`more`: how many were left out)."""
    lines = [d if isinstance(d, Text) else Text(d, d) for d in described]
    zh = "".join(f"\n    {line.zh}" for line in lines) + (f"\n    … 另有 {more} 条" if more else "")
    en = "".join(f"\n    {line.en}" for line in lines) + (f"\n    … and {more} more" if more else "")
    return Text("对应的记录:" + zh, "the records it names:" + en)


def _several(value: str, count: int, kinds: Iterable[str]) -> Text:
    """“李强”对应 2 名工作人员 / '李强' names 2 staff members; of several kinds, “张伟”对应 3 条记录 (户、人员)."""
    kinds = tuple(kinds)
    if len(kinds) == 1:
        zh_word, en_word = WHAT.get(kinds[0], (kinds[0], kinds[0]))
        zh, en = COUNTED.get(kinds[0], ("个" + zh_word, en_word + "s"))
        if kinds[0] == "grid":  # every community of a town has its 第一网格
            return Text(
                f"“{value}”对应 {count} {zh}，请写编号，或连同社区名写全 (如 某某社区{value})",
                f"{value!r} names {count} {en}; give the id, or the name with its community's before it",
            )
        return Text(f"“{value}”对应 {count} {zh}，请写编号", f"{value!r} names {count} {en}; give the id")
    zh = "、".join(WHAT.get(k, (k, k))[0] for k in kinds)
    en = ", ".join(WHAT.get(k, (k, k))[1] for k in kinds)
    return Text(
        f"“{value}”对应 {count} 条记录 ({zh})，请写编号", f"{value!r} names {count} records ({en}); give the id"
    )


def resolve(ledger: Ledger, value: str, kinds: Iterable[str]) -> str:
    """The id of the record of one of `kinds` that `value` is (an id) or names. The address of a
    building (or estate, or a place's) is no household's name: it is the place, or its households
    are listed to choose from, never one of them."""
    from gridctl.ledger.buildings import Around, not_one

    kinds = tuple(kinds)
    found = ledger.by_id.get(value)
    if found and found[0].kind in kinds:
        return value
    around = Around(fold(value)) if "household" in kinds else None
    candidates = named(ledger, kinds, around)
    inside: list[str] = []
    if around is not None and around.is_building(ledger):
        inside = around.households
        for rid in around.written:  # a 现住址 that is the building's address is not the household's own
            candidates[rid] = [n for n in candidates[rid] if fold(n) != around.key]
    try:
        return pick(value, candidates, kinds, lambda rid: describe(ledger, _of_kinds(ledger, rid, kinds)),
                    lambda rid: _of_kinds(ledger, rid, kinds).kind)  # fmt: skip
    except UnknownName:
        if inside:
            raise not_one(ledger, value, inside) from None
        raise
    except AmbiguousName:
        in_use = _grid_in_use(ledger, value, candidates)
        if in_use is not None:
            return in_use
        raise


def _grid_in_use(ledger: Ledger, value: str, candidates: dict[str, list[str]]) -> str | None:
    """Of grids sharing a name, the one in use when the others are retired (注销): a grid merged away
    and the new grid named as it was would otherwise be ambiguous for ever."""
    key = fold(value)
    found = [rid for rid, names in candidates.items() if any(fold(n) == key for n in names if n)]
    grids = ledger.grids()
    if not all(rid in grids for rid in found):
        return None
    in_use = [rid for rid in found if grids[rid].retired is None]
    return in_use[0] if len(in_use) == 1 else None


def _of_kinds(ledger: Ledger, rid: str, kinds: tuple[str, ...]) -> Entry:
    """The record with this id among `kinds` (an id several records hold may also be another kind's)."""
    return next(e for e in reversed(ledger.by_id[rid]) if e.kind in kinds)


def named(ledger: Ledger, kinds: tuple[str, ...], around: Around | None = None) -> dict[str, list[str]]:
    """id → the names it answers to (as names_of), for every record of `kinds`, read from the rows
    the cache keeps: building each record made a name, or a mistyped id, cost 2.4 s at 12,000
    households. An id several records hold answers to each one's names (then find says the id is
    used twice, rather than that no record has the name). A household's addresses are worked
    out only where they may be the name `around` is for (its room ends it, or its 现住址 is it),
    and `around` is told each household's address (one pass over 12,000 rows, not two)."""
    out: dict[str, list[str]] = {}
    for kind in kinds:
        if kind == "household":
            _households(ledger, "person" in kinds, out, around)
            continue
        if kind == "inspection":
            _inspections(ledger, out)
            continue
        field = "title" if kind in TITLED else "name"
        tree: dict[str, tuple[Any, Any]] = {}
        for entry_of, data in ledger.every_row(kind):
            if data is None:  # failed its schema: the name as written
                entry = entry_of()
                out.setdefault(entry.id, []).extend(names_of(entry))
            else:
                name = data.get(field)
                out.setdefault(data["id"], []).extend([name] if isinstance(name, str) and name else [])
                tree[data["id"]] = (name, data.get("parent"))
        if kind == "grid":
            for gid, names in full_names(tree).items():
                out[gid].extend(names)
    return out


def full_names(tree: Mapping[str, tuple[Any, Any]]) -> dict[str, list[str]]:
    """Each grid's name with its parents' before it, as a town's registers write it where every
    community has its 第一网格: 安华西里社区第一网格, 和平里街道安华西里社区第一网格 (also with a /
    between). `tree`: id → (name, parent id)."""
    out: dict[str, list[str]] = {}
    for gid, (name, parent) in tree.items():
        chain = [name]
        seen = {gid}
        while isinstance(parent, str) and parent in tree and parent not in seen and len(chain) < 8:
            seen.add(parent)
            above, parent = tree[parent]
            chain.insert(0, above)
        if not all(isinstance(n, str) and n for n in chain):
            continue
        out[gid] = [sep.join(chain[i:]) for i in range(len(chain) - 1) for sep in ("", "/")]
    return out


def _households(ledger: Ledger, people_too: bool, out: dict[str, list[str]], around: Around | None) -> None:
    """Each household's names from its 户主's row (the first member so related) and its address into
    `out`; a household whose id another record holds too is read from its own record (the people's
    rows say only the id of their household, not which of them)."""
    heads: dict[str, str] = {}
    for house, data in ledger.row_dicts("person"):
        if house and data.get("relation") == "户主" and isinstance(data.get("name"), str):
            heads.setdefault(house, data["name"])
    twice = ledger.duplicate_ids()
    for entry_of, data in ledger.every_row("household"):
        if data is None or data["id"] in twice:
            entry = entry_of()
            out.setdefault(entry.id, []).extend(names_of(entry, people_too, around is not None))
            continue
        address = data.get("address")
        near = around is not None and isinstance(address, dict) and around.sees(data["id"], address)
        out.setdefault(data["id"], []).extend(_household(heads.get(data["id"]), address if near else None, people_too))


def _inspections(ledger: Ledger, out: dict[str, list[str]]) -> None:
    """An inspection answers to its grid's name and its day, as the form heads it: 第一网格 2026-03-02
    (or 2026年3月2日); several of one grid on one day are listed to choose from."""
    import datetime as dt

    grids = {data["id"]: data.get("name") for _entry_of, data in ledger.every_row("grid") if data is not None}
    for _entry_of, data in ledger.every_row("inspection"):
        if data is None or not isinstance(grids.get(data.get("grid")), str) or not isinstance(data.get("date"), str):
            continue  # failed its schema, or a grid gone: named by its id alone
        try:
            day = dt.date.fromisoformat(data["date"])
        except ValueError:
            continue
        grid = grids[data["grid"]]
        names = [f"{grid} {day.isoformat()}", f"{grid} {day.year}年{day.month}月{day.day}日"]
        out.setdefault(data["id"], []).extend(names)


def describe(ledger: Ledger, entry: Entry) -> Text:
    """A candidate as the clerk tells them apart (gridctl.ledger.candidates)."""
    from gridctl.ledger.candidates import described

    return described(ledger, entry)
