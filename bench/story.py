"""A month of an example ledger told as records: inspections, events through their steps, activities,
documents and their files. Deadlines and statuses come from the profile, as gridctl would write them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import synth
from synth import Flow, Q, write_record

SCAN_MASK = ["##########", "#........#", "#.######.#", "#........#", "#.#####..#", "#........#",
             "#.######.#", "#........#", "#.####...#", "##########"]
"""A page with lines of text, for the photo of a signed paper."""
DRILL_MASK = ["..........", "....##....", "...####...", "....##....", "..######..", ".#..##..#.",
              "....##....", "...#..#...", "..#....#..", ".#......#."]
"""A running figure, for the photo of a drill."""


def settings_of(profile: str, extra: dict[str, Any] | None = None) -> Any:
    from gridctl.ledger.profiles import merge, profile_defaults
    from gridctl.model.settings import Settings

    return Settings.model_validate(merge(profile_defaults(profile) or {}, {"name": "x", **(extra or {})}))


def placeholder_pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII): a stand-in for the scan of a filed document."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def school_days(settings: Any, first: dt.date, last: dt.date) -> list[dt.date]:
    from gridctl.supervision.calendar import SchoolDays, WorkCalendar, days

    school = SchoolDays(WorkCalendar(settings.supervision.calendar), settings.calendar)
    return [d for d in days(first, last) if school.is_school_day(d)]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@dataclass
class Story:
    """The records of one example ledger, numbered and written as gridctl would."""

    out: Path
    settings: Any
    staff: dict[str, str]
    """Key in the plan → staff id."""
    counters: dict[str, int] = field(default_factory=dict)
    inspected: dict[tuple[str, dt.date], dict[int, tuple[str, str]]] = field(default_factory=dict)
    """(grid, day) → {item number: (note, event id)} for hazards found on that round."""

    def next(self, kind: str, fmt: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return fmt.format(self.counters[kind])

    def who(self, key: str) -> Q:
        return Q(self.staff.get(key, key))

    # --- events ---------------------------------------------------------------------------

    def event(
        self,
        eid: str,
        grid: str,
        type_: str,
        grade: str,
        title: str,
        by: str,
        reported: str,
        steps: list[tuple[str, str, str, str | None, str | None]],
        *,
        via: str | None = None,
        description: str | None = None,
        occurred: str | None = None,
        review: list[str] | None = None,
        deadline: dt.date | dt.datetime | None = None,
    ) -> None:
        """steps: (at, by, command, note, to); status and deadline follow the profile's rules."""
        from gridctl.supervision.limits import deadline_for

        sup = self.settings.supervision
        lc = sup.lifecycle
        by_command = {t.command: t for t in lc.steps}
        status = lc.initial
        note = f"{via}发现" if via else None
        timeline = [{"at": at(reported), "by": self.who(by), "action": lc.report_action, "note": note}]
        deadline = deadline or deadline_for(sup, type_, grade, at(reported))
        upper = None
        for when, who, command, note, to in steps:
            t = by_command[command]
            step = {"at": at(when), "by": self.who(who), "action": t.action}
            if to:
                step["to"] = Q(self.staff.get(to, to))
            words = []
            if command == "dispatch" and to:
                words.append(f"至 {self.staff.get(to, to)}")
            if command == "escalate":
                upper = to
            if status in lc.escalated and t.to not in lc.escalated and t.to is not None:
                deadline = deadline_for(sup, type_, grade, at(when))
                words.append(f"{'上级受理' if upper else '重新受理'}，期限 {_when(deadline)}")
            if note:
                words.append(note)
            step["note"] = "；".join(words) or None
            timeline.append(step)
            status = t.to or status
        items = next((c.items for c in self.settings.checklists if c.name == lc.review.get(type_)), [])
        record = {
            "kind": "event", "id": Q(eid), "grid": Q(grid), "type": type_, "grade": grade, "title": title,
            "description": description, "occurred": at(occurred) if occurred else None,
            "reported": {"by": self.who(by), "at": at(reported), "via": via}, "deadline": deadline,
            "status": status, "timeline": timeline,
            "review": [{"item": i, "note": n} for i, n in zip(items, review, strict=True)] if review else None,
        }
        day = at(reported)
        write_record(self.out / "events" / f"{day:%Y}" / f"{day:%m}" / f"{eid}.yaml", record)

    # --- inspections ----------------------------------------------------------------------

    def hazard(self, grid: str, day: str, item: int, note: str, event: str) -> None:
        self.inspected.setdefault((grid, dt.date.fromisoformat(day)), {})[item] = (note, event)

    def inspections(self, grid: str, days: list[dt.date], checklist: str, inspector: str, signer: str) -> None:
        items = next(c.items for c in self.settings.checklists if c.name == checklist)
        for day in days:
            iid = self.next("inspection", f"I{day:%Y%m}-{{:04d}}")
            found = self.inspected.get((grid, day), {})
            rows = []
            for n, text in enumerate(items, 1):
                note, event = found.get(n, (None, None))
                rows.append({"item": text, "result": "hazard" if event else "ok", "note": note,
                             "event": Q(event) if event else None})
            record = {"kind": "inspection", "id": Q(iid), "grid": Q(grid), "date": day,
                      "inspector": self.who(inspector), "checklist": checklist, "items": rows,
                      "signed_by": self.who(signer)}
            write_record(self.out / "inspections" / f"{day:%Y}" / f"{day:%m}" / f"{iid}.yaml", record)

    # --- things, activities and documents --------------------------------------------------

    def thing(self, grid: str, type_: str, location: str, *, name: str | None = None, place: str | None = None,
              status: str = "正常", next_inspection: str | None = None, expires: str | None = None) -> None:
        tid = self.next("thing", "T{:05d}")
        record = {"kind": "thing", "id": Q(tid), "grid": Q(grid), "type": type_, "name": name, "location": location,
                  "place": Q(place) if place else None, "status": status,
                  "next_inspection": dt.date.fromisoformat(next_inspection) if next_inspection else None,
                  "expires": dt.date.fromisoformat(expires) if expires else None}
        write_record(self.out / "things" / grid / f"{tid}.yaml", record)

    def activity(self, grid: str, day: str, type_: str, *, title: str | None = None, occasion: str | None = None,
                 host: str | None = None, participants: int | None = None, attendees: list[str] | None = None,
                 summary: str | None = None, photo: bool = False) -> None:
        date = dt.date.fromisoformat(day)
        aid = self.next(f"activity{date:%Y%m}", f"A{date:%Y%m}-{{:04d}}")
        photos = []
        if photo:
            rel = f"photos/activities/{aid}-1.jpg"
            (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.out / rel).write_bytes(synth.placeholder_jpeg(DRILL_MASK, (120, 170, 90), (230, 120, 40), 80))
            photos.append(rel)
        record = {"kind": "activity", "id": Q(aid), "grid": Q(grid), "date": date, "type": type_,
                  "occasion": occasion, "title": title, "host": self.who(host) if host else None,
                  "participants": participants, "attendees": Flow(self.who(a) for a in attendees or []),
                  "summary": summary, "photos": photos}
        write_record(self.out / "activities" / f"{date:%Y}" / f"{date:%m}" / f"{aid}.yaml", record)

    def document(self, grid: str, type_: str, title: str, *, date: str | None = None, due: str | None = None,
                 to: str | None = None, signed_by: str | None = None, signed_with: str | None = None,
                 file: str | None = None, note: str | None = None) -> None:
        year = (date or due or "2026")[:4]
        did = self.next(f"document{year}", f"D{year}-{{:04d}}")
        rel = None
        if file:
            rel = f"documents/{grid}/{did}.{file}"
            (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
            data = placeholder_pdf(f"gridctl example {did}") if file == "pdf" else synth.placeholder_jpeg(
                SCAN_MASK, (250, 250, 245), (60, 60, 70), 80)
            (self.out / rel).write_bytes(data)
        record = {"kind": "document", "id": Q(did), "grid": Q(grid), "type": type_, "title": title,
                  "due": dt.date.fromisoformat(due) if due else None,
                  "date": dt.date.fromisoformat(date) if date else None, "to": to,
                  "attachment": rel, "signed_by": self.who(signed_by) if signed_by else None,
                  "signed_with": signed_with, "note": note}
        write_record(self.out / "documents" / grid / f"{did}.yaml", record)


def _when(value: dt.date | dt.datetime | None) -> str:
    from gridctl.supervision.limits import when

    return when(value)
