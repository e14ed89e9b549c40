"""What an import would do to each record, in the clerk's words: added, updated, moved, conflicts, reverts.

A finding is data (the row, the record, the field as the sheet names it, old and new values,
the day the ledger set its value); text and JSON are made from it at the end, so personal
data is masked in one place, unless the clerk asked to --reveal it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from gridctl.model.masking import is_sensitive_name, mask_any, mask_free, mask_text
from gridctl.model.sensitive import is_sensitive

GROUPS = ("added", "updated", "moved", "conflicts", "reverts")
TITLES = {
    "added": ("新增", "added"),
    "updated": ("更新", "updated"),
    "moved": ("迁户", "moved"),
    "conflicts": ("冲突", "conflicts"),
    "reverts": ("回退", "reverts"),
    "rejected": ("拒绝", "rejected"),
}
OPEN, LEDGER, REGISTER, ACCEPTED = "open", "ledger", "register", "accepted"
"""How a finding was settled: still open (nothing is written), the ledger's value kept, the
register's value written (--prefer register), or a rename/move/address change accepted."""


@dataclass(frozen=True)
class FieldChange:
    key: str
    """The record's field (`phones`, `address.room`, `@household` for a person's household)."""
    column: str
    """How the sheet (or the default register) names it."""
    old: Any
    new: Any
    base: Any = None
    since: str | None = None
    """The day the ledger's value was committed."""


@dataclass
class Finding:
    group: str
    row: int
    record: str | None
    label: str
    """Who or what: the person's name, a household's 户主, a staff member's name."""
    what: str = "field"
    """field, identity, household (a person's 户), move, grid, new."""
    changes: list[FieldChange] = field(default_factory=list)
    since: str | None = None
    settled: str | None = None
    """None (an ordinary change), or OPEN, LEDGER, REGISTER, ACCEPTED."""
    needs: str | None = None
    """The option that settles it: --accept-renames, --accept-moves, --accept-address, --prefer."""

    @property
    def open(self) -> bool:
        return self.settled == OPEN

    @property
    def applied(self) -> bool:
        return self.settled in (None, REGISTER, ACCEPTED)


def personal(key: str) -> bool:
    """A finding's field holds personal data: by its name (phones, id_number, tags, household_tags), or
    as its model marks it, for a record (a landlord's phone, `rental.landlord_phone`) or a member
    (管理类别, `category`). A staff member's or an organisation's phone is a public work number."""
    if is_sensitive_name(key):
        return True
    path = tuple(key.split("."))
    return is_sensitive(path) or is_sensitive(("members", "*", *path))


def shown(key: str, value: Any, reveal: bool) -> Any:
    """A value as an output may show it: personal data masked unless revealed, and an ID number or a
    mobile typed into free text (a note, an address) masked where it stands, as show and export do."""
    if value is None or reveal:
        return value
    if personal(key):
        return mask_any(key, value)
    if key.endswith("phone"):
        return value  # a staff member's or an organisation's work number: public
    return mask_free(value)


def text_value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == ():
        return "(空)"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def line(f: Finding, lang: str, reveal: bool) -> str:
    zh = lang == "zh"
    f = f if reveal else replace(f, label=mask_text(f.label))  # a place's label is its address: free text
    who = f"第{f.row}行 {f.label}".rstrip() if zh else f"row {f.row} {f.label}".rstrip()
    c = f.changes[0] if f.changes else None

    def v(change: FieldChange, which: str) -> str:
        return text_value(shown(change.key, getattr(change, which), reveal))

    if f.what == "identity" and len(f.changes) == 2:
        name, number = f.changes
        out = (
            f"第{f.row}行: {number.column} {v(number, 'new')} 在台账中是 {name.old} ({f.record})，表中为 {name.new}"
            if zh
            else f"row {f.row}: {number.column} {v(number, 'new')} belongs to {name.old} ({f.record}) in the "
            f"ledger; the sheet says {name.new}"
        )
    elif f.group in ("conflicts", "reverts") and c is not None:
        parts = []
        for ch in f.changes:
            day = ch.since or f.since
            when = f" {day}" if day else ""
            if f.what == "household":
                parts.append(
                    f"{ch.column} 表中 {v(ch, 'new')}，台账{when} 已迁入 {v(ch, 'old')}"
                    if zh
                    else f"{ch.column}: the sheet says {v(ch, 'new')}, the ledger moved them to {v(ch, 'old')}{when}"
                )
            elif f.group == "reverts":
                parts.append(
                    f"{ch.column} 表中 {v(ch, 'new')} 是旧值，台账{when} 已改为 {v(ch, 'old')}"
                    if zh
                    else f"{ch.column}: the sheet's {v(ch, 'new')} is an old value, the ledger has {v(ch, 'old')}"
                    f" since{when or ' then'}"
                )
            else:
                base = f"（导出时为 {v(ch, 'base')}）" if zh else f" (it was {v(ch, 'base')} at the base)"
                parts.append(
                    f"{ch.column} 表中 {v(ch, 'new')}，台账{when} 改为 {v(ch, 'old')}{base}"
                    if zh
                    else f"{ch.column}: the sheet says {v(ch, 'new')}, the ledger changed it to {v(ch, 'old')}"
                    f"{when and ' on' + when}{base}"
                )
        out = f"{who}: " + ("；".join(parts) if zh else "; ".join(parts))
    elif f.group == "added":
        where = f" {v(c, 'new')}" if c is not None else ""
        out = f"第{f.row}行 {f.record}{where}: {f.label}" if zh else f"row {f.row} {f.record}{where}: {f.label}"
    else:
        record = f" {f.record}" if f.record else ""
        parts = [f"{ch.column} {v(ch, 'old')} → {v(ch, 'new')}" for ch in f.changes]
        out = f"{who}{record}: " + ("，".join(parts) if zh else ", ".join(parts))
    return out + _settled(f, zh)


def _settled(f: Finding, zh: bool) -> str:
    if f.settled == OPEN:
        need = f.needs or "--prefer ledger|register"
        return f"  [待定: {need}]" if zh else f"  [open: {need}]"
    if f.settled == LEDGER:
        return "  [保留台账]" if zh else "  [ledger kept]"
    if f.settled == REGISTER:
        return "  [按表格]" if zh else "  [register applied]"
    if f.settled == ACCEPTED:
        return "  [已确认]" if zh else "  [accepted]"
    return ""


def as_json(f: Finding, reveal: bool) -> dict[str, Any]:
    label = f.label if reveal else mask_text(f.label)
    out: dict[str, Any] = {"row": f.row, "record": f.record, "label": label, "what": f.what}
    out["fields"] = {
        ch.key: {
            "column": ch.column,
            "ledger": _json(shown(ch.key, ch.old, reveal)),
            "register": _json(shown(ch.key, ch.new, reveal)),
            **({"base": _json(shown(ch.key, ch.base, reveal))} if f.group == "conflicts" and f.what == "field" else {}),
        }
        for ch in f.changes
    }
    if f.since:
        out["since"] = f.since
    if f.settled:
        out["settled"] = f.settled
    if f.needs:
        out["needs"] = f.needs
    return out


def _json(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
