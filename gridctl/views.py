"""What `show`, `list` and `status` display: plain rows and counts, masked unless revealed.

No terminal here: the CLI turns these into tables, JSON or CSV.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.model.chars import quoted_path
from gridctl.model.household import lived_in
from gridctl.model.masking import SEALED_SHOWN, is_sealed
from gridctl.model.sensitive import mask_record, unsealed
from gridctl.render.readiness import Gap
from gridctl.supervision.limits import row_deadline, row_reported_after, row_status_at

CLOSED = {"已结案"}


def masked(data: Any, reveal: bool, path: tuple[str | int, ...] = ()) -> Any:
    """A copy of a record's data with personal fields masked (by the models' x-sensitive marks)."""
    if reveal:
        return unsealed(data)
    return mask_record(data, path)


def show(ledger: Ledger, record_id: str, reveal: bool) -> dict[str, Any]:
    """One record as data; a person comes with the household they live in."""
    from gridctl.ops.records import find

    entry = find(ledger, record_id)
    if entry.record is None:
        raise GridctlError(
            Text(
                f"{entry.id} 的内容有误；请运行 gridctl validate",
                f"{entry.id} does not pass its schema; run gridctl validate",
            ),
            hint=Text(f"文件是 {quoted_path(entry.source.file)}", f"the file is {quoted_path(entry.source.file)}"),
        )
    data = entry.record.model_dump(mode="json", exclude_defaults=True)
    if entry.kind == "person":
        return {
            "kind": "person",
            "household": entry.household,
            "file": entry.source.file,
            **masked(data, reveal, ("members", 0)),
        }
    return {**masked(data, reveal), "file": entry.source.file}


@dataclass
class Status:
    name: str
    grids: Counter[str]
    households: int
    people: int
    residence: Counter[str]
    care_groups: Counter[str]
    staff: int
    rentals: int
    open_events: Counter[str]
    overdue: int
    errors: int
    warnings: int
    todo: list[Gap] = field(default_factory=list)
    """What the notice boards still lack (gridctl.render.readiness)."""
    staff_label: str = "工作人员"
    """The profile's word for the people counted (a school's 责任人)."""
    serves_households: bool = True
    """Households, residents, care groups and rentals are the ledger's business (not a school's)."""
    hours_today: list[str] = field(default_factory=list)
    """Hours deadlines (ISO) of open events that fall on the day: the status is kept per day, so
    whether they have passed is decided at the moment it is shown (`at`)."""

    def at(self, now: dt.datetime) -> Status:
        """The status at `now` (local, naive): an hours deadline passed earlier today is overdue, as in `due`."""
        late = sum(1 for d in self.hours_today if now > dt.datetime.fromisoformat(d))
        return replace(self, overdue=self.overdue + late, hours_today=[])

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "grids": dict(self.grids.most_common()),
            "households": self.households,
            "people": self.people,
            "residence": dict(self.residence.most_common()),
            "care_groups": dict(self.care_groups.most_common()),
            "staff": self.staff,
            "rentals": self.rentals,
            "open_events": dict(self.open_events.most_common()),
            "overdue": self.overdue,
            "errors": self.errors,
            "warnings": self.warnings,
            "todo": [gap.as_json() for gap in self.todo],
        }

    def dump(self) -> dict[str, Any]:
        """Plain values for the cache (counters as dicts, the board's to-dos as dicts)."""
        out = {k: dict(v) if isinstance(v, Counter) else v for k, v in self.__dict__.items()}
        out["todo"] = [asdict(gap) for gap in self.todo]
        return out

    @classmethod
    def load(cls, data: dict[str, Any]) -> Status:
        todo = [Gap(**gap) for gap in data.get("todo", [])]
        return cls(**{k: Counter(v) if isinstance(v, dict) else v for k, v in data.items() if k != "todo"}, todo=todo)


def kept_status(ledger: Callable[[], Ledger], validation: Any, today: Any) -> Status:
    """The status of a ledger state, computed once per state (files, settings, code, day) and kept
    in the cache: counts only, so nothing personal sits on disk beside the files.

    On an encrypted ledger opened with a key, the care groups are counted from opened tags: what
    is kept is the count beside each group's word (gridctl.yaml's vocabulary, plain text in the
    ledger anyway), never whose tag it is. The state differs with and without a key (the cache's
    settings key says whether a key opens the ledger), so a computer without one never reads it."""
    from gridctl.ledger.cache import open_cache_for

    def compute() -> dict[str, Any]:
        return status(ledger(), validation.errors, validation.warnings, today).dump()

    cache = open_cache_for(validation.root, validation.source)
    return Status.load(cache.kept("status", validation.state, compute))


def status(ledger: Ledger, errors: int, warnings: int, today: Any) -> Status:
    """The ledger's numbers: people who live in it now (not retired, in a household not retired),
    and the households someone lives in."""
    from gridctl.render.readiness import gaps

    # the rows' own data, with no Entry or Row made; the people as their households' rows list them
    # (id, tags, residence, retired: gridctl.ledger.rows.dump), so 275,000 person rows are never
    # made at 100,000 households. A person counts only in a household whose row is active, and a
    # valid household's row lists every member. A household whose people all died or left counts
    # as a retired one does: not at all (validate says GC263 until it is retired).
    households = [h for _house, h in ledger.row_dicts("household") if _active(h) and lived_in(h.get("members") or ())]
    people = [m for h in households for m in h.get("members") or () if m.get("retired") is None]
    care = Counter(t for p in people for t in p.get("tags") or ()) + Counter(
        t for h in households for t in h.get("tags") or ()
    )
    locked = sum(n for t, n in care.items() if is_sealed(t))
    care = Counter({t: n for t, n in care.items() if not is_sealed(t)})
    if locked:
        care[SEALED_SHOWN] = locked  # an encrypted ledger without a key: how many, not which
    lc = ledger.settings.supervision.lifecycle
    closed, escalated = (set(lc.closed), set(lc.escalated)) if lc is not None else (CLOSED, set())
    sup = ledger.settings.supervision
    # each event as it stands at the end of `today`, as `due` judges it: a step dated on a day still to
    # come (2027 for 2026, GC402) has not happened, so it closes nothing; an event reported on such a
    # day is open (no event done) and never overdue (due lists it on no day before it)
    rows = [(e, row_status_at(e, sup, today)) for _house, e in ledger.row_dicts("event")]
    events = [e for e, now in rows if now not in closed or row_reported_after(e, today)]
    # as `due` counts them: an event handed upward waits for the grid above, which sets its new deadline
    # a day (2026-03-10) or an hours deadline (2026-03-10T13:00:00): compared by day here, by the minute in `at`
    counted = [e for e, now in rows if now not in closed | escalated and not row_reported_after(e, today)]
    deadlines = [d for d in (row_deadline(e, sup) for e in counted) if d is not None]
    todo = gaps(ledger)
    out = Status(
        name=ledger.settings.name,
        grids=Counter(g.get("level") for _house, g in ledger.row_dicts("grid") if _active(g)),
        households=len(households),
        people=len(people),
        residence=Counter(p.get("residence") or "未填" for p in people),
        care_groups=care,
        staff=sum(1 for _house, s in ledger.row_dicts("staff") if _active(s)),
        rentals=sum(1 for _house, p in ledger.row_dicts("place") if _active(p) and _rental(p, ledger.settings)),
        open_events=Counter(e.get("type") for e in events),
        overdue=sum(1 for d in deadlines if d[:10] < str(today)),
        hours_today=sorted(d for d in deadlines if len(d) > 10 and d[:10] == str(today)),
        errors=errors,
        warnings=warnings,
        todo=todo,
        staff_label=ledger.settings.labels.staff,
        serves_households=ledger.settings.labels.households,
    )
    ledger.remember()  # after every kind's rows were built, so the next status builds none
    return out


def _rental(place: dict[str, Any], settings: Any) -> bool:
    """出租房屋 as the monthly report and GC260 count it: the ledger's rental type, or rental details."""
    kind = settings.policy.rental_type
    return place.get("rental") is not None or (kind is not None and place.get("type") == kind)


def _active(row: dict[str, Any]) -> bool:
    """A row's record is in use (gridctl.ledger.rows.Row.is_active, on the row's data)."""
    return row.get("retired") is None and row.get("active", True) is not False


_SHOWN_ZH = {"kind": "记录类别", "household": "所在户"}


def labelled(data: Any, kind: str | None = None, path: tuple[str, ...] = ()) -> Any:
    """A record's data with every field named in Chinese (gridctl.model.labels) for `show`."""
    from gridctl.messages import KIND_ZH
    from gridctl.model.labels import label

    if isinstance(data, dict):
        kind = kind or str(data.get("kind") or "")
        out: dict[str, Any] = {}
        for key, value in data.items():
            if "extra" in path or key in ("file",):  # the ledger's own words, a member's extra too
                out[key if key != "file" else "文件"] = value
                continue
            if not path and key in _SHOWN_ZH:  # what show adds around a record: its kind's name, a person's 户
                out[_SHOWN_ZH[key]] = KIND_ZH.get(str(value), value) if key == "kind" else value
                continue
            inner = (*path, str(key))
            out[label(kind, inner) or key] = labelled(value, kind, inner)
        return out
    if isinstance(data, list):
        return [labelled(v, kind, path) for v in data]
    from gridctl.model.labels import word

    return word(kind or "", path, data)
