"""The responsibility chart's layout: Graphviz `dot` → inline SVG where installed, else an HTML table.

Both show the same tree left to right: each node with its name, level and every responsible
person (role, name, phone). The table (one column per tier, a node spanning its descendants'
rows) needs nothing installed and prints cleanly. With `details` (labels.chart_details: the school
plans' 明确每个网格的责任主体和直接责任人及重点部位) each person's duties and the grid's key sites
are on the chart too.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from gridctl.ledger.tools import dot_exe
from gridctl.render.env import font_stack
from gridctl.render.people import GridView, Staffing

FILLS = ("#f7d9a8", "#cfe2f7", "#d6efcf", "#eeeeee", "#f4e4f4")
FONT = "Noto Sans CJK SC"
WRAP = 20
"""Characters per line of a duty in a Graphviz node (a label does not wrap by itself)."""
DRAWING_MM = {"A4": (186.0, 245.0), "A3": (273.0, 360.0)}
"""The box templates/chart.html fits the drawing into (page less margins; the drawing's max-height)."""
LEGIBLE_PT = 6.0
"""Below this a printed chart on the wall cannot be read."""


@dataclass
class Node:
    view: GridView
    depth: int
    children: list[Node] = field(default_factory=list)

    def leaves(self) -> int:
        return sum(c.leaves() for c in self.children) if self.children else 1

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


def build_tree(staffing: Staffing, root: str) -> Node:
    def make(gid: str, depth: int, seen: frozenset[str]) -> Node:
        node = Node(staffing.view(gid), depth)
        for child in sorted(staffing.tree.children.get(gid, ())):
            if child in staffing.grids and child not in seen:
                node.children.append(make(child, depth + 1, seen | {child}))
        return node

    return make(root, 0, frozenset({root}))


def layout(
    trees: list[Node], engine: str = "auto", fonts: Sequence[str] | None = None, details: bool = False
) -> tuple[Markup, str]:
    """(markup, engine used): "graphviz" when asked or available and it works, else "table"."""
    if engine in ("auto", "graphviz") and dot_exe():
        svg = graphviz_svg(trees, fonts, details)
        if svg is not None:
            return svg, "graphviz"
    return table_html(trees, details), "table"


def smallest_text(drawing: str, size: str, details: bool) -> float | None:
    """The size (pt) the smallest words of a Graphviz chart print at once scaled into its page, or
    None for the table layout (fixed sizes: what does not fit runs onto a second page, said apart).
    A school of 26 classes with every teacher's duties shrank to 3.5 pt with no word."""
    box = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', drawing)
    if box is None or size not in DRAWING_MM:
        return None
    width_pt, height_pt = float(box.group(1)), float(box.group(2))
    if width_pt <= 0 or height_pt <= 0:
        return None
    width_mm, height_mm = DRAWING_MM[size]
    scale = min(width_mm / (width_pt * 25.4 / 72), height_mm / (height_pt * 25.4 / 72))
    return (7.0 if details else 8.0) * scale


def _wrapped(text: str) -> str:
    """`text` escaped for a Graphviz label, broken every WRAP characters, lines left-aligned."""
    pieces = [text[i : i + WRAP] for i in range(0, len(text), WRAP)] or [""]
    return '<br align="left"/>'.join(str(escape(piece)) for piece in pieces) + '<br align="left"/>'


def _dot_label(node: Node, details: bool = False) -> str:
    v = node.view
    rows = [f"<tr><td><b>{escape(v.name)}</b></td></tr>"]
    for p in v.people:
        text = f"{p.role}: {p.name} {p.phone}".strip()
        rows.append(f'<tr><td><font point-size="8">{escape(text)}</font></td></tr>')
        if details:
            rows += [f'<tr><td align="left"><font point-size="7">· {_wrapped(d)}</font></td></tr>' for d in p.duties]
    if not v.people:
        rows.append('<tr><td><font point-size="8" color="#b00020">（未配备责任人）</font></td></tr>')
    if details and v.key_sites:
        sites = _wrapped("重点部位: " + "、".join(v.key_sites))
        rows.append(f'<tr><td align="left"><font point-size="7" color="#8a3b00">{sites}</font></td></tr>')
    return '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">' + "".join(rows) + "</table>>"


def dot_source(trees: list[Node], font: str = FONT, details: bool = False) -> str:
    lines = [
        "digraph chart {",
        '  graph [rankdir=LR, splines=ortho, nodesep=0.12, ranksep=0.45, bgcolor="transparent", pad=0.05];',
        f'  node [shape=box, style="rounded,filled", color="#4a5a78", penwidth=0.8, fontname="{font}",'
        ' fontsize=10, margin="0.10,0.04"];',
        '  edge [color="#4a5a78", penwidth=0.8, arrowhead=none];',
    ]
    for tree in trees:
        for node in tree.walk():
            fill = FILLS[min(node.depth, len(FILLS) - 1)]
            lines.append(f'  "{node.view.id}" [label={_dot_label(node, details)}, fillcolor="{fill}"];')
            for child in node.children:
                lines.append(f'  "{node.view.id}" -> "{child.view.id}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def graphviz_svg(trees: list[Node], fonts: Sequence[str] | None = None, details: bool = False) -> Markup | None:
    """The chart drawn by Graphviz, its text in the ledger's fonts (SVG in a PDF does not inherit the page's)."""
    dot = dot_exe()
    if dot is None:
        return None
    try:
        source = dot_source(trees, (fonts or [FONT])[0], details).encode("utf-8")
        proc = subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    svg = proc.stdout.decode("utf-8", "replace")
    start = svg.find("<svg")
    if start < 0:
        return None
    svg = svg[start:]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'font-family="[^"]*"', f'font-family="{font_stack(fonts)}"', svg)
    # Let CSS size the drawing to the page; the viewBox keeps its proportions.
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg class="chart-svg"', svg, count=1)
    return Markup(svg)


def table_html(trees: list[Node], details: bool = False) -> Markup:
    depth = max((n.depth for t in trees for n in t.walk()), default=0)
    rows: list[list[str]] = []
    for tree in trees:
        rows.extend(_rows(tree, depth, details))
    body = "".join("<tr>" + "".join(cells) + "</tr>" for cells in rows)
    return Markup(f'<table class="chart-table">{body}</table>')


def _cell(node: Node, rowspan: int, colspan: int, details: bool = False) -> str:
    v = node.view
    people = (
        "".join(
            f'<div class="who"><span class="role">{escape(p.role)}</span> {escape(p.name)} '
            f'<span class="phone">{escape(p.phone)}</span></div>'
            + ("".join(f'<div class="duty">· {escape(d)}</div>' for d in p.duties) if details else "")
            for p in v.people
        )
        or '<div class="who missing">（未配备责任人）</div>'
    )
    if details and v.key_sites:
        people += f'<div class="sites">重点部位: {escape("、".join(v.key_sites))}</div>'
    span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return (
        f'<td class="node depth-{min(node.depth, len(FILLS) - 1)}"{span}>'
        f'<div class="name">{escape(v.name)}</div><div class="level">{escape(v.level)}</div>{people}</td>'
    )


def _rows(node: Node, max_depth: int, details: bool = False) -> list[list[str]]:
    if not node.children:
        return [[_cell(node, 1, max_depth - node.depth + 1, details)]]
    rows: list[list[str]] = []
    for child in node.children:
        rows.extend(_rows(child, max_depth, details))
    rows[0].insert(0, _cell(node, len(rows), 1, details))
    return rows
