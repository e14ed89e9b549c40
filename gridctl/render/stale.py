"""`print stale`: printed boards, cards and charts that no longer match the ledger."""

from __future__ import annotations

from typing import Any

from gridctl.render import manifest
from gridctl.render.pages import Printer


def current_items(printer: Printer, recorded: dict[str, Any]) -> dict[str, manifest.Printed]:
    """What each recorded item would show if printed now (absent when its grid is gone)."""
    out: dict[str, manifest.Printed] = {}
    grids = printer.staffing.grids
    for key, entry in recorded.get("printed", {}).items():
        what, gid = str(entry.get("what")), str(entry.get("id"))
        if what == "board" and gid in grids:
            view = printer.staffing.view(gid)
            _svg, polygons = printer._map(gid)
            out[key] = manifest.board_item(view, polygons, printer.settings.supervision_phone)
        elif what == "cards" and gid in grids:
            out[key] = manifest.cards_item(printer.staffing.view(gid))
        elif what == "chart" and (gid == "all" or gid in grids or _named(printer, gid)):
            out[key] = printer.chart(None if gid == "all" else gid, engine="table").items[0]
    return out


def _named(printer: Printer, name: str) -> bool:
    """A chart noted by its grid's name (as `print chart --root 第一网格` did): the grid, while one has it."""
    from gridctl.errors import GridctlError

    try:
        printer.find_grid(name)
    except GridctlError:
        return False
    return True


def stale(printer: Printer, data: bytes | None) -> list[manifest.Stale]:
    recorded = manifest.load(data)
    return manifest.compare(recorded, current_items(printer, recorded))


def stale_html(printer: Printer, found: list[manifest.Stale]) -> str:
    """A page, in Chinese like every printed page, whatever language the clerk reads."""
    return printer._render("stale.html", "待重新打印清单", stale=[s.said("zh") for s in found])


def stale_text(found: list[manifest.Stale], printed: int, lang: str) -> str:
    zh = lang == "zh"
    if not found:
        if zh:
            return f"已打印的 {printed} 件公示牌、联系卡和责任图都与台账一致，无需重印\n"
        if not printed:
            return "no printed notice boards, contact cards or charts are noted: nothing to reprint\n"
        return f"all {printed} printed notice boards, contact cards and charts match the ledger: nothing to reprint\n"
    lines = [
        f"{len(found)} 件印件与台账不一致，需要重新打印（共记录 {printed} 件）:"
        if zh
        else f"{len(found)} printed items no longer match the ledger and need printing again ({printed} noted):"
    ]
    for s in found:
        rev = (s.commit or "")[:10]
        when = f"{rev} 版本，{s.date} 打印" if zh else f"printed {s.date}" + (f" from {rev}" if rev else "")
        lines.append(f"- {s.title_in(lang)} [{s.id}]" + (f"（{when}）" if zh else f" ({when})"))
        lines.extend(f"    {r}" for r in s.said(lang).reasons)
        if s.gone:
            lines.append("    → 取下，不再张贴" if zh else "    → take it down, do not post it again")
        else:
            lines.append(f"    → {s.command()}")
    return "\n".join(lines) + "\n"
