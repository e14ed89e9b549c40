"""A household file's members as round-trip nodes: a row's person as a new node, and a row's
changes written into a known one (gridctl.excel.households plans which)."""

from __future__ import annotations

from typing import Any

from gridctl.checks.people import MAINLAND_ID
from gridctl.excel.edit import put
from gridctl.excel.grouping import Item
from gridctl.excel.values import text
from gridctl.model import Person

PERSON_ORDER = tuple(Person.model_fields)


def plain(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def members_of(doc: Any) -> Any:
    if not isinstance(doc.get("members"), list):
        doc["members"] = []
    return doc["members"]


def member_node(doc: Any, pid: str) -> Any:
    return next(m for m in members_of(doc) if str(m.get("id")) == pid)


def apply_update(member: Any, update: dict[str, Any]) -> None:
    """Write a person's changed fields into their round-trip mapping."""
    for key, value in update.items():
        if key != "extra":
            put(member, key, plain(value) if value != [] else None, PERSON_ORDER)  # a list emptied: the key goes
            continue
        if not isinstance(member.get("extra"), dict):
            put(member, "extra", {}, PERSON_ORDER)
        for name in [n for n in member["extra"] if n not in value]:  # cleared (（清空）)
            del member["extra"][name]
        for name, v in value.items():
            if text(member["extra"].get(name)) != text(v):
                member["extra"][name] = v
        if not member["extra"]:
            del member["extra"]


def person_doc(pid: str, item: Item) -> dict[str, Any]:
    record: dict[str, Any] = {"id": pid}
    for key in PERSON_ORDER:
        if key in item.person and not (key == "id_type" and item.person[key] == MAINLAND_ID):
            record[key] = plain(item.person[key])
    if item.row.extra:
        record["extra"] = dict(item.row.extra)
    return record
