"""Printed pages from a ledger: responsibility chart, notice boards and contact cards.

One `Printer` per command: it reads grids, staff and settings (never residents, see
gridctl.render.people), renders the templates and says what it printed for the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridctl.errors import GridctlError
from gridctl.i18n import Text
from gridctl.ledger.index import Ledger
from gridctl.render import manifest
from gridctl.render.chart import build_tree, layout, smallest_text
from gridctl.render.env import environment
from gridctl.render.mapsvg import Shape, map_svg, rings_of
from gridctl.render.people import GridView, Staffing
from gridctl.render.qr import qr_data_uri, vcard
from gridctl.render.revision import Revision

SIZES = ("A4", "A3")
CARDS_PER_PAGE = 10
MAP_HEIGHT = {"roomy": 300.0, "normal": 240.0, "dense": 150.0, "crowded": 120.0}
"""Map height (at 640 wide) by how many people a board lists, so one grid stays one page."""


@dataclass
class Document:
    html: str
    items: list[manifest.Printed] = field(default_factory=list)
    pages_hint: int = 0
    """How many pages it is meant to print on (0: as many as it takes)."""
    smallest_pt: float | None = None
    """A chart scaled into one page: the size its smallest words print at (gridctl.render.chart)."""


class Printer:
    def __init__(self, root: Path, ledger: Ledger, files: object, revision: Revision, size: str = "A4") -> None:
        if size not in SIZES:
            raise GridctlError(Text(f"不支持的纸张 {size}", f"unknown paper size {size}"), hint="A4, A3")
        self.root = root
        self.ledger = ledger
        self.settings = ledger.settings
        self.revision = revision
        self.size = size
        self.env = environment(root, ledger.settings.fonts)
        self.fonts = ledger.settings.fonts
        self.staffing = Staffing(ledger, files)

    # -- shared ---------------------------------------------------------------------------------
    def _render(self, template: str, title: str, **context: Any) -> str:
        values = {
            "title": title,
            "size": self.size,
            "footer": self.revision.footer(),
            "ledger_name": self.settings.name,
        }
        return self.env.get_template(template).render({**values, **context})

    def grid_ids(self, grid: str | None, every: bool) -> list[str]:
        if every == (grid is not None):
            raise GridctlError(Text("请指定一个网格，或用 --all 打印全部", "give one GRID or --all"))
        if every:
            return [g for g in self.staffing.in_tree_order() if self.staffing.grids[g].responsible]
        return [self.find_grid(grid or "")]

    def find_grid(self, key: str) -> str:
        from gridctl.ledger.names import full_names, pick

        grids = self.staffing.grids
        whole = full_names({g: (grids[g].name, grids[g].parent) for g in grids})  # 安华西里社区第一网格
        named = {g: [grids[g].name, *whole.get(g, [])] for g in grids}
        if key not in named:
            self._not_retired(key)
        return pick(key, named, ["grid"], lambda g: f"{g} {(whole.get(g) or [grids[g].name])[-2:][0]}")

    def _not_retired(self, key: str) -> None:
        """A retired grid asked for by its id: said as retired, not as 'no grid in the ledger' (its
        board comes down with it; its history stays)."""
        found = self.ledger.get(key)
        grid = found.record if found is not None and found.kind == "grid" else None
        retired = getattr(grid, "retired", None)
        if retired is not None:
            day, name = retired.date.isoformat(), getattr(grid, "name", "")
            raise GridctlError(
                Text(
                    f"网格 {key} {name} 已于 {day} 注销，不再张贴公示牌、联系卡或责任图",
                    f"grid {key} {name} was retired on {day}: it has no board, cards or chart any more",
                ),
                hint=Text(f"它的历史: gridctl history {key}", f"its history: gridctl history {key}"),
            )

    def sources(self, grid_ids: list[str], sites: bool = False) -> list[str]:
        """The files of the records the pages of `grid_ids` are printed from: each grid's, and each
        responsible staff member's (one with an error, inactive or unreadable, would be left off the page);
        with `sites`, each key site's (a chart with details names them)."""
        ids: list[str] = []
        for gid in grid_ids:
            ids.append(gid)
            ids += [duty.staff for duty in self.staffing.grids[gid].responsible]
            ids += [str(pid) for pid in self.staffing.grids[gid].key_sites] if sites else []
        entries = (self.ledger.get(rid) for rid in dict.fromkeys(ids))
        return [e.source.file for e in entries if e is not None]

    def chart_grids(self, root: str | None = None) -> list[str]:
        """The grids the chart from `root` (default: every root) draws."""
        return self.staffing.in_tree_order(self.find_grid(root) if root else None)

    # -- chart ----------------------------------------------------------------------------------
    def chart(self, root: str | None = None, engine: str = "auto") -> Document:
        roots = [self.find_grid(root)] if root else self.staffing.roots()
        if not roots:
            raise GridctlError(Text("台账中还没有网格", "the ledger has no grids"))
        trees = [build_tree(self.staffing, r) for r in roots]
        names = [t.view.name for t in trees]
        chart = self.settings.labels.chart
        title = f"{names[0]}{chart}" if len(names) == 1 else f"{self.settings.name} {chart}"
        doc = self.chart_of(trees, title, engine)
        views = [n.view for t in trees for n in t.walk()]
        key = roots[0] if root else "all"  # by id, as stale reads it
        doc.items = [manifest.chart_item(key, title, views, self.settings.labels.chart_details)]
        return doc

    def trees(self) -> list[Any]:
        """The grid tree from every root (a town's chart draws each unit's)."""
        return [build_tree(self.staffing, r) for r in self.staffing.roots()]

    def chart_of(self, trees: list[Any], title: str, engine: str = "auto") -> Document:
        details = self.settings.labels.chart_details
        drawing, used = layout(trees, engine, self.fonts, details)
        nodes = sum(len(t.walk()) for t in trees)
        html = self._render("chart.html", title, drawing=drawing, engine=used, nodes=nodes)
        smallest = smallest_text(drawing, self.size, details) if used == "graphviz" else None
        return Document(html, pages_hint=1, smallest_pt=smallest)

    # -- boards ---------------------------------------------------------------------------------
    def _map(self, grid_id: str, height: float = 300.0) -> tuple[Any, list[Any]]:
        grids = self.staffing.grids
        grid = grids[grid_id]
        shapes = []

        def shape(gid: str, role: str) -> Shape:
            return Shape(gid, self.staffing.plain(grids[gid].name), rings_of(_polygon(grids[gid])), role)

        if grid.parent in grids:
            shapes.append(shape(grid.parent, "parent"))
            for sib in sorted(self.staffing.tree.children.get(grid.parent, ())):
                if sib != grid_id:
                    shapes.append(shape(sib, "neighbour"))
        shapes.append(shape(grid_id, "focus"))
        for child in sorted(self.staffing.tree.children.get(grid_id, ())):
            shapes.append(shape(child, "child"))
        return map_svg(shapes, height=height, fonts=self.fonts), [(s.id, s.role, s.rings) for s in shapes if s.rings]

    def boards(self, grid_ids: list[str]) -> Document:
        extra = self.settings.extra or {}
        posted = extra.get("posting_date") or extra.get("公示日期") or self.revision.printed.isoformat()
        boards, items = [], []
        for gid in grid_ids:
            view = self.staffing.view(gid)
            density = _density(len(view.people), self.size)
            svg, polygons = self._map(gid, MAP_HEIGHT[density] * (1.4 if self.size == "A3" else 1.0))
            boards.append({"grid": view, "map": svg, "density": density})
            items.append(manifest.board_item(view, polygons, self.settings.supervision_phone))
        labels = self.settings.labels
        title = boards[0]["grid"].name + " " + labels.board if len(boards) == 1 else labels.board
        html = self._render(
            "board.html",
            title,
            heading=labels.board,
            people_heading=labels.board_people,
            boards=boards,
            supervision_phone=self.settings.supervision_phone or "",
            posting_date=str(posted),
            maker=str(extra.get("board_maker") or extra.get("制作单位") or ""),
        )
        return Document(html, items, len(boards))

    # -- cards ----------------------------------------------------------------------------------
    def cards(self, grid_ids: list[str]) -> Document:
        cards, items = [], []
        for gid in grid_ids:
            view = self.staffing.view(gid)
            items.append(manifest.cards_item(view))
            unit = f"{view.community} {view.name}".strip()
            scope = "　".join(f"{k}{v}" for k, v in view.boundary.items())
            for p in view.people:
                org = ";".join(x for x in (view.community or self.settings.name, view.name) if x)
                card = vcard(p.name, p.phone, p.role, org, f"{self.settings.labels.cards} {unit}")
                cards.append(
                    {"person": p, "grid": view, "unit": unit, "scope": scope, "qr": qr_data_uri(card), "vcard": card}
                )
        pages = [cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)]
        kicker = self.settings.labels.cards
        title = (items[0].title if len(items) == 1 else kicker) if items else kicker
        html = self._render("cards.html", title, pages=pages, size="A4", kicker=kicker)
        return Document(html, items, len(pages))


def _polygon(grid: Any) -> Any:
    return grid.boundary.polygon if grid.boundary is not None else None


def _density(people: int, size: str) -> str:
    """How tightly a board sets its people so that one grid is one page (楼栋长 of every building too)."""
    roomy, normal, dense = (4, 6, 9) if size == "A4" else (6, 8, 15)
    if people <= roomy:
        return "roomy"
    return "normal" if people <= normal else "dense" if people <= dense else "crowded"


__all__ = ["SIZES", "Document", "GridView", "Printer"]
