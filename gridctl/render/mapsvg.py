"""The notice board's map: a grid among its neighbours, drawn from GeoJSON boundary polygons.

Coordinates are lon/lat (WGS 84 or GCJ-02, it makes no difference at this scale); they are
projected to local metres (equirectangular around the centre), which is exact enough for a
few square kilometres, so the scale bar is true. North is up; the arrow says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from gridctl.render.env import font_stack

WIDTH, HEIGHT, MARGIN = 640.0, 300.0, 22.0
Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Shape:
    id: str
    name: str
    rings: list[Ring]
    """Outer rings and holes, lon/lat."""
    role: str
    """focus, neighbour, child or parent."""


def rings_of(polygon: dict[str, Any] | None) -> list[Ring]:
    """The rings of a GeoJSON Polygon or MultiPolygon (or a Feature holding one); [] otherwise."""
    if not isinstance(polygon, dict):
        return []
    if polygon.get("type") == "Feature":
        return rings_of(polygon.get("geometry"))
    coords = polygon.get("coordinates")
    polys = [coords] if polygon.get("type") == "Polygon" else coords if polygon.get("type") == "MultiPolygon" else []
    out: list[Ring] = []
    try:
        for poly in polys or []:
            for ring in poly:
                pts = [(float(p[0]), float(p[1])) for p in ring]
                if len(pts) >= 3:
                    out.append(pts)
    except (TypeError, ValueError, IndexError):
        return []
    return out


def _centroid(ring: Ring) -> tuple[float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-18:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return cx / (3 * a), cy / (3 * a)


def _nice_length(max_m: float) -> float:
    """The largest 1/2/5 × 10^n metres not above max_m."""
    if max_m <= 0:
        return 0.0
    base = 10 ** math.floor(math.log10(max_m))
    for step in (5, 2, 1):
        if step * base <= max_m:
            return step * base
    return base


def map_svg(
    shapes: list[Shape], width: float = WIDTH, height: float = HEIGHT, fonts: Sequence[str] | None = None
) -> Markup | None:
    """An inline SVG of the shapes, the focus highlighted; None when the focus has no polygon."""
    if not any(s.role == "focus" and s.rings for s in shapes):
        return None
    pts = [p for s in shapes for r in s.rings for p in r]
    lat0 = (min(p[1] for p in pts) + max(p[1] for p in pts)) / 2
    kx, ky = 111_320.0 * math.cos(math.radians(lat0)), 110_540.0

    def metres(p: tuple[float, float]) -> tuple[float, float]:
        return p[0] * kx, p[1] * ky

    xs, ys = zip(*(metres(p) for p in pts), strict=True)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    scale = min((width - 2 * MARGIN) / span_x, (height - 2 * MARGIN) / span_y)
    ox = (width - span_x * scale) / 2
    oy = (height - span_y * scale) / 2

    def xy(p: tuple[float, float]) -> tuple[float, float]:
        mx, my = metres(p)
        return ox + (mx - x0) * scale, height - (oy + (my - y0) * scale)

    order = {"parent": 0, "neighbour": 1, "focus": 2, "child": 3}
    body: list[str] = []
    labels: list[str] = []
    for shape in sorted(shapes, key=lambda s: order.get(s.role, 1)):
        if not shape.rings:
            continue
        d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in map(xy, ring)) + " Z" for ring in shape.rings)
        body.append(f'<path class="{shape.role}" d="{d}" fill-rule="evenodd"/>')
        if shape.role in ("focus", "neighbour", "child"):
            biggest = max(shape.rings, key=lambda r: abs(_area(r)))
            cx, cy = xy(_centroid(biggest))
            labels.append(f'<text class="label-{shape.role}" x="{cx:.1f}" y="{cy:.1f}">{escape(shape.name)}</text>')

    bar_m = _nice_length(0.25 * (width - 2 * MARGIN) / scale)
    bar_px = bar_m * scale
    bar_text = f"{bar_m / 1000:g} 千米" if bar_m >= 1000 else f"{bar_m:g} 米"
    by = height - 10
    scale_bar = (
        f'<g class="scale"><path d="M12,{by - 5:.1f} V{by:.1f} H{12 + bar_px:.1f} V{by - 5:.1f}"/>'
        f'<text x="{12 + bar_px / 2:.1f}" y="{by - 8:.1f}">{bar_text}</text></g>'
    )
    ax = width - 26
    north = (
        f'<g class="north"><path d="M{ax},12 L{ax + 9},38 L{ax},32 L{ax - 9},38 Z"/><text x="{ax}" y="52">北</text></g>'
    )
    style = (
        "<style>"
        ".parent{fill:#fbfaf6;stroke:#8a94a6;stroke-width:1;stroke-dasharray:4 3}"
        ".neighbour{fill:#e6edf7;stroke:#2d3e5c;stroke-width:1}"
        ".focus{fill:#fdd79a;stroke:#2d3e5c;stroke-width:2.2}"
        ".child{fill:none;stroke:#b5651d;stroke-width:.8;stroke-dasharray:3 2}"
        f"text{{font-family:{font_stack(fonts)};text-anchor:middle;dominant-baseline:middle}}"
        ".label-focus{font-size:14px;font-weight:700;fill:#1f2a3d}"
        ".label-neighbour{font-size:11px;fill:#3a4a66}.label-child{font-size:9px;fill:#7a4a12}"
        ".scale path{fill:none;stroke:#1f2a3d;stroke-width:2}.scale text{font-size:10px;fill:#1f2a3d}"
        ".north path{fill:#1f2a3d}.north text{font-size:11px;font-weight:700;fill:#1f2a3d}"
        "</style>"
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grid-map" viewBox="0 0 {width:g} {height:g}" '
        f'width="100%" role="img" aria-label="网格示意图">{style}'
        + "".join(body)
        + "".join(labels)
        + scale_bar
        + north
        + "</svg>"
    )


def _area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2
