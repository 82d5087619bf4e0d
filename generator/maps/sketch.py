"""A small static map of Shanghai's 16 districts with dots where entries stand: an inline SVG for
the home page's "map" way in, drawn at build time from the bundled district boundaries.

No tiles, no script, no request: the outline comes from `generator.geo` (through the printed
locator map's projection and shared-border simplification, `export/locator.py`), simplified to
under a kilometre, which is what a picture a few hundred pixels wide can show, and rounded to
whole units. The result is a few kilobytes. The only text in it is the accessible name, escaped.
Pure and deterministic: the same arguments give the same SVG.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from ..export import locator

KM_PER_UNIT = 0.5  # one SVG unit is half a kilometre: Shanghai is about 260 units across
TOLERANCE_KM = 0.8  # Douglas–Peucker, shared borders simplified once (locator._geometry): about 4 KB
PAD = 4  # units around the outline

LAND, EDGE = "#eef3f1", "#8aa39d"
# the interactive map's colours (assets/stylesheets/showcase.css .sc-map-legend__key)
DOT = {"excellent": "#c2185b", "competition": "#1565c0"}


def _bbox() -> tuple[float, float, float, float]:
    boxes = [bbox for _, _, bbox in locator._geometry(TOLERANCE_KM)]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def districts_svg(points: Iterable[tuple[str, float, float]], label: str, css_class: str = "sc-sketch-map") -> Markup:
    """The districts, and a dot per (kind, lat, lon) in `points` (kind: "excellent" or
    "competition", other kinds in the first colour); `label` is the picture's accessible name."""
    x0, y0, x1, y1 = _bbox()

    def xy(p: tuple[float, float]) -> tuple[int, int]:
        return round((p[0] - x0) / KM_PER_UNIT) + PAD, round((p[1] - y0) / KM_PER_UNIT) + PAD

    width = round((x1 - x0) / KM_PER_UNIT) + 2 * PAD
    height = round((y1 - y0) / KM_PER_UNIT) + 2 * PAD
    path = locator.svg_path([ring for _, ring, _ in locator._geometry(TOLERANCE_KM)], xy)
    dots: dict[str, list[str]] = {}
    seen = set()
    for kind, lat, lon in points:
        x, y = xy(locator.project(lat, lon))
        if (kind, x, y) in seen:  # two entries at one spot: one dot
            continue
        seen.add((kind, x, y))
        dots.setdefault(kind if kind in DOT else "excellent", []).append(f'<circle cx="{x}" cy="{y}" r="3.5"/>')
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" focusable="false">',
             f'<path d="{path}" fill="{LAND}" stroke="{EDGE}" stroke-width="1" stroke-linejoin="round"/>']
    for kind in ("competition", "excellent"):  # the cases on top
        if dots.get(kind):
            parts.append(f'<g fill="{DOT[kind]}" stroke="#fff" stroke-width="1.2">{"".join(dots[kind])}</g>')
    parts.append("</svg>")
    return Markup("".join(parts))
