"""注销并入: what a retired grid still holds moves into the grid that takes it over, in the same commit.

A 微网格 folded back into its 网格 could not be retired otherwise: its households cannot go up to
the parent while the child stands (a record sits in a leaf grid, GC220), and the child is not
retired while it holds them. So `retire GRID --into OTHER` moves every household, place, org,
thing, open event, owed document and inspection or activity dated on or after the retirement into
OTHER, and retires GRID, as one change that validate judges whole.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from gridctl.checks.retired import Held
from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.files import WorkTree
from gridctl.ledger.index import Entry, Ledger
from gridctl.ledger.layout import BY_GRID, path_for
from gridctl.ledger.yamlfile import dump_apart
from gridctl.messages import KIND_ZH
from gridctl.ops.records import Edit

MOVABLE = ("household", "place", "org", "thing", "event", "document", "inspection", "activity")
"""What a grid holds that the grid taking it over takes with it (child grids and people do not:
a grid's code is its parent's code, and people are assigned, not moved)."""


def take_over(
    ledger: Ledger, grid: Entry, into: str, inside: Iterable[Held]
) -> tuple[dict[str, bytes | None], Counter[str]]:
    """The files of everything in `inside` that can move, rewritten into `into`; and how many of each kind."""
    moving = [h for h in inside if h.kind in MOVABLE]
    by_file: dict[str, list[Entry]] = defaultdict(list)
    for held in moving:  # by its file and document: an id written twice names two records
        wanted = (held.kind, held.id, held.doc)
        found = [e for e in ledger.entries_of(held.file) if (e.kind, e.id, e.source.doc) == wanted]
        if found:
            by_file[held.file].append(found[0])
    files: dict[str, bytes | None] = {}
    tree = WorkTree(ledger.root)
    for rel, entries in sorted(by_file.items()):
        doc = Edit(ledger, rel)
        leaving: dict[int, str] = {}
        for entry in entries:
            doc.node(entry)["grid"] = into
            if entry.kind in BY_GRID:
                new_rel = path_for(entry.kind, {"id": entry.id, "grid": into})
                if new_rel.rpartition("/")[0] != rel.rpartition("/")[0]:
                    leaving[entry.source.doc] = new_rel
        if not leaving:
            files[rel] = doc.dump()
            continue
        for new_rel in leaving.values():
            if new_rel in files or tree.exists(new_rel):
                from gridctl.ops.moving import in_the_way

                raise in_the_way(ledger, new_rel)
        if doc.held() == 1:
            files[rel] = None
            files[next(iter(leaving.values()))] = doc.dump()
            continue
        kept, own = dump_apart(doc.text, doc.docs, leaving)
        files[rel] = kept
        files.update(own)
    return files, Counter(h.kind for h in moving)


def closed_from(ledger: Ledger, grid_id: str, date: dt.date) -> list[Held]:
    """The grid's closed events reported on or after the retirement: the grid taking over served that
    day, so its month's report counts them there, as the inspections of those days (open ones move anyway)."""
    from gridctl.model import Event
    from gridctl.supervision.limits import day_of

    lc = ledger.settings.supervision.lifecycle
    closed = set(lc.closed) if lc is not None else set()
    out = []
    for entry in ledger.by_kind["event"]:
        event = entry.record
        if (
            isinstance(event, Event)
            and event.grid == grid_id
            and event.status in closed
            and day_of(event.reported.at) >= date
        ):
            src = entry.source
            out.append(Held("event", entry.id, event.title, src.file, src.doc, ("grid",), Text("", "")))
    return out


def said(counts: Counter[str]) -> Text:
    """What moved, by kind, for the clerk and the commit message: counts, never a resident's detail."""
    order = [k for k in MOVABLE if counts[k]]
    zh = "、".join(f"{KIND_ZH.get(k, k)} {counts[k]}" for k in order)
    en = ", ".join(f"{counts[k]} {k}(s)" for k in order)
    return Text(zh or "无记录", en or "no records")


def into_grid(ledger: Ledger, grid: Entry, into: str) -> str:
    """The grid that takes over, by id or name: in use, and not the retired grid itself."""
    from gridctl.ledger.names import resolve
    from gridctl.ops.gridretire import open_grid

    target = resolve(ledger, into, ["grid"])
    if target == grid.id:
        raise GridctlError(Text(f"--into 不能是 {grid.id} 本身", f"--into cannot be {grid.id} itself"))
    open_grid(ledger, target)
    return target
