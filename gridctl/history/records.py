"""Records inside one version of a file, and what changed between two versions of a record.

History follows ids, not paths: a household that moves grid changes file, a person who moves
household changes file and position; both are found by id in the blobs git keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml_rs

from gridctl.ledger.reader import as_read
from gridctl.model.masking import mask_any
from gridctl.model.sensitive import is_sensitive, mask_record

Path = tuple[str | int, ...]


class Version(NamedTuple):
    """One record as one file held it (a tuple: history builds tens of thousands)."""

    kind: str
    id: str
    data: dict[str, Any]
    file: str
    household: str | None = None


def records_in(file: str, blob: bytes | None) -> dict[str, Version]:
    """Every record in a file's content by id, people inside households included."""
    if not blob:
        return {}
    try:
        text = blob.decode("utf-8-sig")
        loaded = yaml_rs.loads(text)
    except (UnicodeDecodeError, yaml_rs.YAMLDecodeError, ValueError, RecursionError):
        return {}  # a broken version holds no readable records; validate --rev says why
    out: dict[str, Version] = {}
    for data in as_read(text, loaded):
        if not isinstance(data, dict) or data.get("id") is None:
            continue
        kind, rid = str(data.get("kind")), str(data["id"])
        out[rid] = Version(kind, rid, data, file)
        if kind == "household" and isinstance(data.get("members"), list):
            for member in data["members"]:
                if isinstance(member, dict) and member.get("id") is not None:
                    out[str(member["id"])] = Version("person", str(member["id"]), member, file, rid)
    return out


def find(file: str, blob: bytes | None, record_id: str) -> Version | None:
    if not blob or record_id.encode() not in blob:
        return None
    return records_in(file, blob).get(record_id)


@dataclass(frozen=True)
class FieldChange:
    path: Path
    old: Any
    new: Any
    label: str | None = None
    """How to name the field when the path's list index is not what a reader needs (members[P…])."""

    @property
    def field(self) -> str:
        if self.label:
            return self.label
        out = ""
        for step in self.path:
            out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
        return out


def field_changes(
    old: dict[str, Any] | None, new: dict[str, Any] | None, kind: str, members: bool = True
) -> list[FieldChange]:
    """Field-level changes; a household's people show as members who came and went and their
    changed fields, unless `members` is False (a log reports people as records of their own)."""
    out: list[FieldChange] = []
    _diff(old or {}, new or {}, (), out, kind, members)
    return out


def _diff(old: Any, new: Any, path: Path, out: list[FieldChange], kind: str, members: bool = True) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(dict.fromkeys([*old, *new])):
            if kind == "household" and path == () and key == "members":
                if members:
                    _members(old.get(key) or [], new.get(key) or [], out)
            elif old.get(key) != new.get(key):
                _diff(old.get(key), new.get(key), (*path, key), out, kind)
        return
    if old != new:
        out.append(FieldChange(path, old, new))


def _members(old: list[Any], new: list[Any], out: list[FieldChange]) -> None:
    """Members by id: who came and went, and each staying member's changed fields."""
    before = {str(m.get("id")): m for m in old if isinstance(m, dict)}
    after = {str(m.get("id")): (i, m) for i, m in enumerate(new) if isinstance(m, dict)}
    gone = [m for m in before if m not in after]
    came = [m for m in after if m not in before]
    if gone or came:
        out.append(FieldChange(("members",), gone or None, came or None))
    for pid, (index, member) in after.items():
        if pid in before and before[pid] != member:
            inner: list[FieldChange] = []
            _diff(before[pid], member, (), inner, "person")
            for change in inner:
                label = f"members[{pid}].{change.field}"
                out.append(FieldChange(("members", index, *change.path), change.old, change.new, label))


def shown(change: FieldChange, kind: str, reveal: bool) -> tuple[Any, Any]:
    """Old and new values as an output may show them: personal data masked unless revealed."""
    path = ("members", 0, *change.path) if kind == "person" else change.path
    if change.path[:1] == ("members",) and len(change.path) == 1:
        return change.old, change.new  # member ids: who came and went
    if reveal:
        return change.old, change.new
    if not is_sensitive(path):  # free text (a note, a title): ID numbers and mobiles in it masked
        return mask_record(change.old, path), mask_record(change.new, path)
    return _mask(change.old, change.field), _mask(change.new, change.field)


def _mask(value: Any, field: str) -> Any:
    return mask_any(field, value)
