"""Activities and documents, each one commit with its photos or file beside the record.

The photo of a drill or the scan of a signed 责任书 is the evidence an inspector asks for, so it is
committed with the record, under a name made from the record's id (never the clerk's file name,
which may not be a safe path on every system).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.ledger.layout import path_for
from gridctl.ledger.names import resolve
from gridctl.ledger.yamlfile import dump_new
from gridctl.messages import VOCAB_ZH
from gridctl.ops.attachment import read_attachment
from gridctl.ops.duty import on_duty
from gridctl.ops.gridretire import open_grid
from gridctl.ops.records import Change, Edit, allocate, find


def check_vocab(ledger: Ledger, name: str, value: str | None) -> None:
    allowed = ledger.settings.vocabularies.get(name)
    if value is None or allowed is None or value in allowed:
        return
    raise GridctlError(
        Text(f"{value} 不是可选的{VOCAB_ZH.get(name, name)}", f"{value} is not in vocabulary {name}"),
        hint=Text("可选: " + "、".join(allowed), "allowed: " + ", ".join(allowed)),
    )


@dataclass
class ActivityInput:
    grid: str
    type: str
    date: dt.date
    host: str | None = None
    occasion: str | None = None
    title: str | None = None
    participants: int | None = None
    attendees: list[str] = field(default_factory=list)
    summary: str | None = None
    photos: list[Path] = field(default_factory=list)


def record_activity(ledger: Ledger, given: ActivityInput) -> Change:
    """活动: the record under activities/<yyyy>/<mm>/ and its photos under photos/activities/."""
    grid = resolve(ledger, given.grid, ["grid"])
    open_grid(ledger, grid, given.date)
    check_vocab(ledger, "activity_types", given.type)
    check_vocab(ledger, "activity_occasions", given.occasion)
    host = resolve(ledger, given.host, ["staff"]) if given.host else None
    if host is not None:
        on_duty(ledger, host, grid, given.date, Text("记为组织人", "to host it"), below=True)
    attendees = [resolve(ledger, a, ["staff"]) for a in given.attendees]
    photos = [read_attachment(ledger, p) for p in given.photos]
    activity_id = allocate(ledger, "activity", when=given.date)[0]
    files: dict[str, bytes | None] = {}
    paths = []
    for n, (data, suffix) in enumerate(photos, 1):
        rel = f"photos/activities/{activity_id}-{n}{suffix}"
        files[rel] = data
        paths.append(rel)
    data: dict[str, Any] = {"kind": "activity", "id": activity_id, "grid": grid, "date": given.date, "type": given.type}
    optional = {
        "occasion": given.occasion,
        "title": given.title,
        "host": host,
        "participants": given.participants,
        "attendees": attendees or None,
        "summary": given.summary,
        "photos": paths or None,
    }
    data.update({k: v for k, v in optional.items() if v is not None})
    rel = path_for("activity", data)
    files[rel] = dump_new(rel, "activity", [data])
    label = given.title or given.type
    what = f"{given.type} {ledger.grids()[grid].name} {given.date}" + (f" {label}" if label != given.type else "")
    subject = Text(f"录入活动 {activity_id}：{what}", f"record activity {activity_id}: {what}")
    return Change(subject, files, activity_id)


@dataclass
class DocumentInput:
    grid: str
    type: str
    title: str
    due: dt.date | None = None
    date: dt.date | None = None
    to: str | None = None
    file: Path | None = None
    signed_by: str | None = None
    signed_with: str | None = None
    note: str | None = None


def record_document(ledger: Ledger, given: DocumentInput, today: dt.date) -> Change:
    """文件: the record under documents/<grid>/ and its file beside it."""
    grid = resolve(ledger, given.grid, ["grid"])
    open_grid(ledger, grid, given.date or today)  # one still owed would be owed by nobody
    check_vocab(ledger, "document_types", given.type)
    signer = resolve(ledger, given.signed_by, ["staff"]) if given.signed_by else None
    attachment = read_attachment(ledger, given.file) if given.file else None
    doc_id = allocate(ledger, "document", when=given.date or given.due or today)[0]
    data: dict[str, Any] = {"kind": "document", "id": doc_id, "grid": grid, "type": given.type, "title": given.title}
    files: dict[str, bytes | None] = {}
    if attachment is not None:
        rel_file = f"documents/{grid}/{doc_id}{attachment[1]}"
        files[rel_file] = attachment[0]
    optional = {
        "due": given.due,
        "date": given.date,
        "to": given.to,
        "attachment": rel_file if attachment is not None else None,
        "signed_by": signer,
        "signed_with": given.signed_with,
        "note": given.note,
    }
    data.update({k: v for k, v in optional.items() if v is not None})
    rel = path_for("document", data)
    files[rel] = dump_new(rel, "document", [data])
    what = f"{given.type} {given.title}"
    return Change(Text(f"录入文件 {doc_id}：{what}", f"record document {doc_id}: {what}"), files, doc_id)


def submit_document(ledger: Ledger, doc_id: str, day: dt.date, file: Path | None) -> Change:
    """报送/签订: the day the document was done, and its file (replacing an earlier one)."""
    entry = find(ledger, doc_id, ["document"])
    doc_id = entry.id  # the document may be named by its title; its id names the file
    attachment = read_attachment(ledger, file) if file else None
    doc = Edit(ledger, entry.source.file)
    node = doc.node(entry)
    files: dict[str, bytes | None] = {}
    node["date"] = day
    if attachment is not None:
        rel_file = f"documents/{node['grid']}/{doc_id}{attachment[1]}"
        old = node.get("attachment")
        if old and old != rel_file and str(old).startswith(f"documents/{node['grid']}/"):
            files[str(old)] = None
        files[rel_file] = attachment[0]
        node["attachment"] = rel_file
    files[doc.rel] = doc.dump()
    title = node.get("title") or ""
    return Change(Text(f"报送文件 {doc_id}：{title} {day}", f"submit document {doc_id}: {title} {day}"), files, doc_id)
