"""A record a name may mean, described so the clerk can choose: two 李强 are told apart by what
they do and where (专职网格员 第一网格) and their phone (masked, the way a worker's view shows
it); two events of one title by their grid, day and status; a household by its address."""

from __future__ import annotations

from typing import Any

from gridctl.i18n import Text
from gridctl.ledger.index import Entry, Ledger


def described(ledger: Ledger, entry: Entry) -> Text:
    """`entry` as one line of an ambiguity's list: its id first, the one thing the clerk must write."""
    data = _data(entry)
    grids = ledger.grids()

    def grid(value: Any) -> str:
        return grids[value].name if isinstance(value, str) and value in grids else str(value or "")

    kind, rid = entry.kind, entry.id
    if kind == "staff":
        return _staff(ledger, rid, data)
    if kind == "household":
        head = next((m.get("name") for m in _members(data) if m.get("relation") == "户主"), None)
        return _line(rid, f"{head}户" if head else "", [_address(data.get("address"))], [grid(data.get("grid"))])
    if kind == "person":
        house = ledger.get(entry.household or "")
        where = _address(_data(house).get("address")) if house is not None else ""
        return _line(rid, data.get("name"), [], [f"{entry.household or ''} {where}".strip()])
    if kind == "event":
        day = str((data.get("reported") or {}).get("at") or "")[:10]
        return _line(rid, data.get("title"), [], [grid(data.get("grid"))], (f"{day} 上报", f"reported {day}"),
                     data.get("status"))  # fmt: skip
    if kind == "inspection":
        who = _name(ledger, data.get("inspector"))
        return _line(rid, grid(data.get("grid")), [str(data.get("date") or "")], [data.get("checklist")],
                     (f"检查人 {who}", f"inspector {who}"))  # fmt: skip
    if kind == "document":
        return _line(rid, data.get("title"), [], [data.get("type"), grid(data.get("grid"))])
    if kind == "activity":
        return _line(
            rid, data.get("title") or data.get("type"), [], [str(data.get("date") or ""), grid(data.get("grid"))]
        )
    if kind == "grid" and data.get("retired"):
        when = str((data.get("retired") or {}).get("date") or "")
        return _line(rid, data.get("name"), [], [grid(data.get("parent"))], (f"{when} 注销", f"retired {when}"))
    return _line(rid, data.get("name"), [], [grid(data.get("grid") or data.get("parent"))])


def _staff(ledger: Ledger, rid: str, data: dict[str, Any]) -> Text:
    """The roles the staff member holds, in which grids, and the phone masked: what tells two 李强 apart."""
    from gridctl.model.masking import mask_phone

    roles = [f"{r.role} {g.name}" for g in ledger.grids().values() for r in g.responsible if r.staff == rid]
    phone = data.get("phone")
    held = ("、".join(roles), "、".join(roles)) if roles else ("未在网格任职", "no role in a grid")
    told = [held] + ([(f"电话 {mask_phone(phone)}", f"phone {mask_phone(phone)}")] if isinstance(phone, str) else [])
    if data.get("active") is False or data.get("retired"):
        told.append(("已离岗", "retired"))
    return _line(rid, data.get("name"), [], [], *told, sep=("；", "; "))


def _line(
    rid: str, name: Any, more: list[Any], where: list[Any], *told: Any, sep: tuple[str, str] = ("，", ", ")
) -> Text:
    """`H000001 张伟户 阳光小区3号楼2单元501 (第一网格)`: the words in brackets, each a (zh, en) pair or a word."""
    head = " ".join(str(x) for x in (rid, name or "", *more) if x)
    words = [w for w in where if w] + [t for t in told if t]
    zh = sep[0].join(t[0] if isinstance(t, tuple) else str(t) for t in words)
    en = sep[1].join(t[1] if isinstance(t, tuple) else str(t) for t in words)
    return Text(head + (f" ({zh})" if zh else ""), head + (f" ({en})" if en else ""))


def _data(entry: Entry | None) -> dict[str, Any]:
    """The record's fields, or as written when it failed its schema."""
    if entry is None:
        return {}
    if entry.record is not None:
        return entry.record.model_dump(mode="json")
    written = entry.written()
    return written if isinstance(written, dict) else {}


def _members(data: dict[str, Any]) -> list[dict[str, Any]]:
    members = data.get("members")
    return [m for m in members if isinstance(m, dict)] if isinstance(members, list) else []


def _address(address: Any) -> str:
    from gridctl.model.address import address_text

    return address_text(address) if isinstance(address, dict) else ""


def _name(ledger: Ledger, rid: Any) -> str:
    entry = ledger.get(rid) if isinstance(rid, str) else None
    name = _data(entry).get("name") if entry is not None else None
    return str(name) if name else str(rid or "")
