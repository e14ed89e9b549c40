"""What printed pages may show: grids and their staff, never residents.

Templates receive only these small values, built from grid, staff and settings records. Nothing
here reads households, people, events or tags, so no template can leak them by mistake; and an ID
number or a resident's mobile a clerk typed into a duty, a boundary or a position (GC115/GC116, which
a ledger may switch off or print with anyway) is withheld from the text, as on a filled-in form.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from gridctl.ledger.index import Ledger
from gridctl.ledger.tree import GridTree
from gridctl.model import Grid, Staff
from gridctl.model.masking import withhold_text

_IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Person:
    """One responsible person of one grid, as posted."""

    staff_id: str
    name: str
    role: str
    phone: str
    duties: tuple[str, ...]
    organization: str
    position: str
    photo: str | None
    """The photo as a data: URI, or None."""
    photo_hash: str
    """Short hash of the photo bytes (or of the missing path), for the print manifest."""


@dataclass
class GridView:
    id: str
    name: str
    level: str
    parent: str | None
    community: str
    """The 村/社区 name the grid belongs to (empty for the top of the tree)."""
    boundary: dict[str, str] = field(default_factory=dict)
    """东至/西至/南至/北至 → text, in that order, only those given."""
    people: list[Person] = field(default_factory=list)
    key_sites: list[str] = field(default_factory=list)
    """The names of its 重点部位 (key_sites: places still in use), as the school plans post them."""


class Photos:
    """Staff photos read once from the ledger (working tree or a revision) as data: URIs."""

    def __init__(self, files: object) -> None:
        self.files = files
        self._cache: dict[str, tuple[str | None, str]] = {}

    def get(self, path: str | None) -> tuple[str | None, str]:
        if not path:
            return None, ""
        if path not in self._cache:
            self._cache[path] = self._load(path)
        return self._cache[path]

    @property
    def unreadable(self) -> list[str]:
        """Photos named by a staff record that are in the ledger but are no image: the board shows no photo."""
        return [path for path, (_uri, kept) in self._cache.items() if kept.startswith("unreadable:")]

    def _load(self, path: str) -> tuple[str | None, str]:
        try:
            data = self.files.read(path)  # type: ignore[attr-defined]
        except (OSError, KeyError):
            return None, "missing:" + path
        if not _is_image(data):  # a blank box on the wall; the 照片 placeholder says a photo is wanted
            return None, "unreadable:" + path
        suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
        mime = _IMAGE_TYPES.get(suffix, "application/octet-stream")
        uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
        return uri, hashlib.sha256(data).hexdigest()[:12]


def _is_image(data: bytes) -> bool:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False
    return True


class Staffing:
    """Grids and staff of one ledger, turned into what a page shows."""

    def __init__(self, ledger: Ledger, files: object) -> None:
        self.ledger = ledger
        self.grids: dict[str, Grid] = {g.id: g for g in ledger.grids().values() if g.is_active}
        self.staff: dict[str, Staff] = {s.id: s for s, _ in ledger.records(Staff)}
        self.tree = GridTree.build(self.grids)
        self.photos = Photos(files)
        hotline = ledger.settings.supervision_phone
        self.public = [s.phone for s in self.staff.values() if s.phone] + ([hotline] if hotline else [])
        # the phones a page may show: the staff's own and the supervision line

    def plain(self, text: str) -> str:
        """Free text as a public page may show it: every ID number and resident's mobile withheld."""
        return withhold_text(text, self.public)

    def view(self, grid_id: str) -> GridView:
        grid = self.grids[grid_id]
        community = ""
        for gid in self.tree.community_of(grid_id, self.ledger.settings):
            if gid != grid_id:
                community = self.grids[gid].name
                break
        return GridView(
            id=grid.id,
            name=self.plain(grid.name),
            level=grid.level,
            parent=grid.parent if grid.parent in self.grids else None,
            community=self.plain(community),
            boundary={side: self.plain(text) for side, text in _boundary(grid).items()},
            people=[p for p in (self.person(grid, i) for i in range(len(grid.responsible))) if p is not None],
            key_sites=self.key_sites(grid),
        )

    def key_sites(self, grid: Grid) -> list[str]:
        """Names of the grid's key sites; one retired or not a place (an error validate names) is left off."""
        from gridctl.model import Place

        names = []
        for pid in grid.key_sites:
            entry = self.ledger.get(str(pid))
            place = entry.record if entry is not None else None
            if isinstance(place, Place) and place.is_active:
                names.append(self.plain(place.name))
        return names

    def person(self, grid: Grid, index: int) -> Person | None:
        duty = grid.responsible[index]
        staff = self.staff.get(duty.staff)
        if staff is None or not staff.is_active:
            return None
        photo, photo_hash = self.photos.get(staff.photo)
        return Person(
            staff_id=staff.id,
            name=self.plain(staff.name),
            role=str(duty.role),
            phone=str(staff.phone or ""),
            duties=tuple(self.plain(text) for text in duty.duties),
            organization=self.plain(staff.organization or ""),
            position=self.plain(staff.position or ""),
            photo=photo,
            photo_hash=photo_hash,
        )

    def roots(self) -> list[str]:
        """Grids without a (known) parent, in id order."""
        return sorted(g for g, grid in self.grids.items() if grid.parent not in self.grids)

    def in_tree_order(self, start: str | None = None) -> list[str]:
        """Every grid depth-first from the roots (or from `start`), children in id order."""
        out: list[str] = []
        stack = [start] if start else list(reversed(self.roots()))
        seen: set[str] = set()
        while stack:
            gid = stack.pop()
            if gid in seen or gid not in self.grids:
                continue
            seen.add(gid)
            out.append(gid)
            stack.extend(sorted(self.tree.children.get(gid, ()), reverse=True))
        return out


def _boundary(grid: Grid) -> dict[str, str]:
    b = grid.boundary
    if b is None:
        return {}
    sides = (("东至", b.east), ("西至", b.west), ("南至", b.south), ("北至", b.north))
    return {label: text for label, text in sides if text}
