"""What a notice board still lacks: the ledger's 监督电话, a grid's 四至, a responsible person's photo or phone,
or a responsible person it cannot post (no valid staff record, or one who is no longer active).

A board prints whatever is there; a board two thirds empty must not surprise the clerk on the
wall. `status` lists these as to-dos and `print board` warns about the boards it prints. Read from
the cached rows (as `status` is), so it costs nothing on a large ledger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gridctl.i18n import Text
from gridctl.ledger.index import Ledger

SIDES = ("east", "west", "south", "north")


@dataclass(frozen=True)
class Gap:
    what: str
    """hotline, boundary, photo (none named), photo_missing (named, not in the ledger), photo_unreadable (not an
    image: told by print, which reads it), phone, unreadable (no valid staff record) or inactive."""
    grid: str = ""
    grid_name: str = ""
    staff: str = ""
    staff_name: str = ""
    role: str = ""
    path: str = ""
    """The photo file a staff record names, for photo_missing and photo_unreadable."""

    def text(self, lang: str) -> str:
        where = f"{self.grid_name or self.grid} ({self.grid})" if self.grid else ""
        who = f"{self.staff_name} ({self.staff})" if self.staff_name else self.staff
        unassign = f"gridctl unassign {self.grid} --role {self.role} --staff {self.staff}"
        said = {
            "hotline": Text(
                "公示牌缺监督电话: 在 gridctl.yaml 中写 supervision_phone",
                "boards lack the supervision hotline: supervision_phone in gridctl.yaml",
            ),
            "boundary": Text(
                f"{where} 的公示牌缺四至: gridctl edit {self.grid} --set 四至=东至…，西至…，南至…，北至…",
                f'the board of {where} lacks its boundary: gridctl edit {self.grid} --set boundary="东至…，西至…"',
            ),
            "photo": Text(
                f"{where} 的公示牌缺 {who} 的照片: gridctl photo {self.staff} 照片文件",
                f"the board of {where} lacks the photo of {who}: gridctl photo {self.staff} FILE",
            ),
            "photo_missing": Text(
                f"{where} 的公示牌缺 {who} 的照片: 记录中的照片文件 {self.path} 不在台账里；"
                f"gridctl photo {self.staff} 照片文件",
                f"the board of {where} lacks the photo of {who}: the photo file {self.path} the record names is not "
                f"in the ledger; gridctl photo {self.staff} FILE",
            ),
            "photo_unreadable": Text(
                f"{where} 的公示牌缺 {who} 的照片: {self.path} 不是能读的图片 (已损坏？)；"
                f"gridctl photo {self.staff} 照片文件",
                f"the board of {where} lacks the photo of {who}: {self.path} is no readable image (damaged?); "
                f"gridctl photo {self.staff} FILE",
            ),
            "phone": Text(
                f"{where} 的公示牌缺 {who} 的电话: gridctl edit {self.staff} --set 联系电话=…",
                f"the board of {where} lacks the phone of {who}: gridctl edit {self.staff} --set phone=…",
            ),
            "unreadable": Text(
                f"{self.role} {who} 不在 {where} 的公示牌上: 没有这名工作人员的有效记录 (gridctl validate 查看原因)",
                f"{self.role} {who} is not on the board of {where}: no valid staff record (gridctl validate says why)",
            ),
            "inactive": Text(
                f"{self.role} {who} 不在 {where} 的公示牌上: 已不在岗 (active: false)；"
                f"换人: {unassign}，再 gridctl assign",
                f"{self.role} {who} is not on the board of {where}: not active (active: false); replace them: "
                f"{unassign}, then gridctl assign",
            ),
        }[self.what]
        return said(lang)

    def as_json(self) -> dict[str, str | None]:
        return {"what": self.what, "grid": self.grid or None, "staff": self.staff or None}


def gaps(ledger: Ledger, grid_ids: Iterable[str] | None = None) -> list[Gap]:
    """What the boards of `grid_ids` (default: every grid with responsible people, as `print board --all`) lack."""
    files = ledger.source  # a named photo must be there (a listing: no file is read)
    grids = {e.id: g for e, g in ledger.rows("grid") if g.is_active}
    staff = {e.id: s for e, s in ledger.rows("staff")}
    wanted = (
        [g for g in grid_ids if g in grids]
        if grid_ids is not None
        else sorted(gid for gid, g in grids.items() if g.responsible)
    )
    out: list[Gap] = []
    told: set[tuple[str, str]] = set()
    if wanted and not ledger.settings.supervision_phone:
        out.append(Gap("hotline"))
    for gid in wanted:
        grid = grids[gid]
        boundary = grid.get("boundary")
        if boundary is None or not any(boundary.get(side) for side in SIDES):
            out.append(Gap("boundary", gid, grid.name))
        for duty in grid.responsible:
            person = staff.get(str(duty.staff))
            if person is None or not person.is_active:  # the board leaves them out: never without a word
                what, name = ("unreadable", "") if person is None else ("inactive", person.name)
                out.append(Gap(what, gid, grid.name, str(duty.staff), name, str(duty.role)))
                continue
            for what, present in (("photo", person.get("photo")), ("phone", person.get("phone"))):
                if not present and (what, person.id) not in told:  # one to-do per person, not per board
                    told.add((what, person.id))
                    out.append(Gap(what, gid, grid.name, person.id, person.name))
            photo = person.get("photo")
            if photo and files is not None and ("photo", person.id) not in told and not _exists(files, photo):
                told.add(("photo", person.id))
                out.append(Gap("photo_missing", gid, grid.name, person.id, person.name, path=str(photo)))
    return out


def _exists(files: object, path: str) -> bool:
    try:
        return bool(files.exists(path))  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return False
