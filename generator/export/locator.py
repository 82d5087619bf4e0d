"""The printed collection's locator map: an SVG drawn offline from the bundled district boundaries.

Two panels side by side. The overview shows all 16 districts with the case's district shaded and,
when the case has a location, a marker; the detail panel zooms to the district (and the point), so
that a case in a small central district such as Huangpu is still legible on paper. A rectangle on
the overview shows where the detail panel looks. No tiles, no network, no compiled geometry
library: the boundaries come from `generator.geo` and are simplified here for the printed scale.

Pure and deterministic: the same arguments give the same SVG text. Every label is escaped, so a
`<` or `&` in a district name or note cannot break the document the SVG sits in.

Simplification keeps neighbours' shared borders identical: every ring is cut into arcs at the
vertices where the set of districts sharing the border changes, and each distinct arc is simplified
once (Douglas–Peucker), so two neighbours draw exactly the same border with no slivers between.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from .. import geo

# A flat projection around Shanghai's middle: over ~130 km its distortion is far below what a
# 6 cm wide map can show.
LAT0, LON0 = 31.2, 121.47
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON = 111.320 * math.cos(math.radians(LAT0))

UNIT_PER_MM = 10  # SVG user units per millimetre (so coordinates need no decimals)
TOLERANCE_MM = 0.2  # simplification: about a printed boundary line's width
SCALE_BARS_KM = (0.2, 0.5, 1, 2, 5, 10, 20, 50)

# colours of the printed site (teal accent, warm marker)
LAND, LAND_EDGE = "#f3f3ef", "#9a9a92"
SHADE, SHADE_EDGE = "#b9ddd8", "#00796b"
MARKER, HALO = "#c65a1e", "#c65a1e"
INK, MUTED = "#222222", "#666666"
FONT = "'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif"

Point = tuple[float, float]  # projected (x, y) in km, y pointing south


@dataclass(frozen=True)
class MapLabels:
    """What the map prints, already in the book's language(s)."""

    district: str  # e.g. "长宁区 Changning": the detail panel's heading
    shanghai: str = "上海市 Shanghai"  # the overview panel's heading
    approximate: str | None = None  # printed beside the marker's halo when the point is approximate
    no_location: str | None = None  # printed in the detail panel when there is no point
    north: str = "N"
    description: str = ""  # the SVG's accessible name (aria-label)


def project(lat: float, lon: float) -> Point:
    return ((lon - LON0) * KM_PER_DEG_LON, (LAT0 - lat) * KM_PER_DEG_LAT)


# --- geometry: rings, arcs, simplification ----------------------------------------------------

@lru_cache(maxsize=1)
def _rings() -> tuple[tuple[int, tuple[tuple[float, float], ...]], ...]:
    """(district index, ring as (lon, lat) points without the closing point) for every ring."""
    out = []
    for index, district in enumerate(geo.districts()):
        for polygon in district.polygons:
            for ring in polygon:
                points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
                if len(points) >= 3:
                    out.append((index, tuple(points)))
    return tuple(out)


@lru_cache(maxsize=1)
def _arcs() -> tuple[tuple[int, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """Every ring cut into arcs at its junctions: (district index, arcs), each arc running from one
    junction to the next, both included. A ring with no junction (an island) is one closed arc."""
    owners: dict[tuple[float, float], set[int]] = {}
    for ring_id, (_, points) in enumerate(_rings()):
        for p in points:
            owners.setdefault(p, set()).add(ring_id)
    out = []
    for district_index, points in _rings():
        n = len(points)
        nodes = [i for i in range(n)
                 if len(owners[points[i]]) >= 3
                 or owners[points[i]] != owners[points[i - 1]]
                 or owners[points[i]] != owners[points[(i + 1) % n]]]
        if not nodes:
            out.append((district_index, (points + points[:1],)))
            continue
        arcs = []
        for k, start in enumerate(nodes):
            end = nodes[(k + 1) % len(nodes)]
            if end > start:
                arcs.append(points[start:end + 1])
            else:  # wraps around the ring's start (or a single junction: the whole ring)
                arcs.append(points[start:] + points[:end + 1])
        out.append((district_index, tuple(arcs)))
    return tuple(out)


@lru_cache(maxsize=4096)
def _simplified_arc(arc: tuple[tuple[float, float], ...], tolerance: float) -> tuple[Point, ...]:
    """One arc, projected and simplified. Cached on the arc in a canonical direction, so the two
    districts on either side of a border get the very same points."""
    canonical = min(arc, arc[::-1])
    points = geo.douglas_peucker([project(lat, lon) for lon, lat in canonical], tolerance)
    if len(arc) > 2 and arc[0] == arc[-1] and len(points) < 4:
        # a closed arc (an island) keeps at least a triangle
        projected = [project(lat, lon) for lon, lat in canonical]
        far = max(range(len(projected)), key=lambda i: math.dist(projected[0], projected[i]))
        third = max(range(len(projected)), key=lambda i: geo.segment_distance(projected[i], projected[0], projected[far]))
        points = [projected[i] for i in sorted({0, far, third})] + [projected[0]]
    return tuple(points) if canonical == arc else tuple(reversed(points))


@lru_cache(maxsize=32)
def _geometry(tolerance: float) -> tuple[tuple[int, tuple[Point, ...], tuple[float, float, float, float]], ...]:
    """(district index, simplified ring, bbox) for every ring at this tolerance (km)."""
    out = []
    for district_index, arcs in _arcs():
        ring: list[Point] = []
        for arc in arcs:
            for p in _simplified_arc(arc, tolerance):
                if not ring or ring[-1] != p:
                    ring.append(p)
        if len(ring) > 1 and ring[0] == ring[-1]:
            ring.pop()
        if len(ring) >= 3:
            xs, ys = [p[0] for p in ring], [p[1] for p in ring]
            out.append((district_index, tuple(ring), (min(xs), min(ys), max(xs), max(ys))))
    return tuple(out)


def _tolerance_for(km_per_mm: float) -> float:
    """The simplification tolerance (km) for a scale, rounded to a power-of-two step so that many
    maps share one cached geometry."""
    wanted = km_per_mm * TOLERANCE_MM
    return 2.0 ** math.floor(math.log2(wanted)) if wanted > 0 else 0.0


@lru_cache(maxsize=1)
def _shanghai_bbox() -> tuple[float, float, float, float]:
    boxes = [bbox for _, _, bbox in _geometry(0.0)]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _district_bbox(index: int) -> tuple[float, float, float, float]:
    boxes = [bbox for i, _, bbox in _geometry(0.0) if i == index]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# --- drawing ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _View:
    """A panel: the km box it shows, placed at (left, top) with a size, all in SVG units."""

    x0: float
    y0: float
    km_per_unit: float
    left: float
    top: float
    width: float
    height: float

    def xy(self, p: Point) -> tuple[float, float]:
        return (self.left + (p[0] - self.x0) / self.km_per_unit, self.top + (p[1] - self.y0) / self.km_per_unit)

    @property
    def km_box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x0 + self.width * self.km_per_unit, self.y0 + self.height * self.km_per_unit)


def _fit(box: tuple[float, float, float, float], left: float, top: float, width: float, height: float,
         pad: float, pad_top: float | None = None) -> _View:
    """A view showing `box` (km) centred in the panel, `pad` units from its edges (`pad_top` from
    the top edge, where the heading sits)."""
    pad_top = pad if pad_top is None else pad_top
    bw, bh = max(box[2] - box[0], 1e-6), max(box[3] - box[1], 1e-6)
    scale = max(bw / (width - 2 * pad), bh / (height - pad - pad_top))
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    # the box's centre sits in the middle of the area below the heading
    middle = top + pad_top + (height - pad - pad_top) / 2
    return _View(cx - width / 2 * scale, cy - (middle - top) * scale, scale, left, top, width, height)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _path(rings: list[tuple[Point, ...]], view: _View) -> str:
    """SVG path data in whole units (0.1 mm: finer than print resolution matters), repeated
    points dropped."""
    return svg_path(rings, view.xy)


def svg_path(rings, xy) -> str:
    """SVG path data of closed rings, each point through `xy` (point -> x, y) and rounded to
    whole units; a point repeating the one before is dropped, and a ring of fewer than three."""
    parts = []
    for ring in rings:
        coords: list[str] = []
        last = None
        for p in ring:
            x, y = xy(p)
            here = f"{round(x)} {round(y)}"
            if here != last:
                coords.append(here)
                last = here
        if len(coords) > 1 and coords[0] == coords[-1]:
            coords.pop()
        if len(coords) >= 3:
            parts.append("M" + coords[0] + "L" + " ".join(coords[1:]) + "Z")
    return "".join(parts)


def _intersects(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _clip(ring: tuple[Point, ...], bbox: tuple[float, float, float, float],
          box: tuple[float, float, float, float]) -> tuple[Point, ...]:
    """The ring cut to `box` (Sutherland–Hodgman; the box is convex, so the filled area is exact).
    The cut runs along the box's edges, which lie outside the panel's clip: only what a panel
    shows is drawn, so a zoomed panel does not carry the whole of Pudong."""
    if box[0] <= bbox[0] and box[1] <= bbox[1] and bbox[2] <= box[2] and bbox[3] <= box[3]:
        return ring
    points = list(ring)
    for axis, limit, keep_below in ((0, box[0], False), (0, box[2], True), (1, box[1], False), (1, box[3], True)):
        if not points:
            break
        inside = (lambda p: p[axis] <= limit) if keep_below else (lambda p: p[axis] >= limit)
        out: list[Point] = []
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    out.append(_crossing(previous, current, axis, limit))
                out.append(current)
            elif inside(previous):
                out.append(_crossing(previous, current, axis, limit))
            previous = current
        points = out
    return tuple(points)


def _crossing(a: Point, b: Point, axis: int, limit: float) -> Point:
    t = (limit - a[axis]) / (b[axis] - a[axis])
    return (limit, a[1] + t * (b[1] - a[1])) if axis == 0 else (a[0] + t * (b[0] - a[0]), limit)


def _panel(view: _View, index: int, point: Point | None, clip_id: str, approximate: bool) -> list[str]:
    """Districts, the shaded district and the marker of one panel (clipped to it)."""
    mm = UNIT_PER_MM
    geometry = _geometry(_tolerance_for(view.km_per_unit * mm))
    x0, y0, x1, y1 = view.km_box
    margin = 2 * mm * view.km_per_unit  # cut a little outside the panel, so the cut never shows
    box = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    others = [_clip(ring, bbox, box) for i, ring, bbox in geometry if i != index and _intersects(bbox, box)]
    own = [_clip(ring, bbox, box) for i, ring, bbox in geometry if i == index and _intersects(bbox, box)]
    out = [f'<clipPath id="{clip_id}"><rect x="{_num(view.left)}" y="{_num(view.top)}" width="{_num(view.width)}" height="{_num(view.height)}"/></clipPath>',
           f'<rect x="{_num(view.left)}" y="{_num(view.top)}" width="{_num(view.width)}" height="{_num(view.height)}" fill="#ffffff"/>',
           f'<g clip-path="url(#{clip_id})" stroke-linejoin="round">',
           f'<path d="{_path(others, view)}" fill="{LAND}" stroke="{LAND_EDGE}" stroke-width="1.5" fill-rule="evenodd"/>',
           f'<path d="{_path(own, view)}" fill="{SHADE}" stroke="{SHADE_EDGE}" stroke-width="3" fill-rule="evenodd"/>']
    if point is not None:
        x, y = view.xy(point)
        if approximate:
            out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(3.2 * mm)}" fill="{HALO}" fill-opacity="0.15" '
                       f'stroke="{HALO}" stroke-width="2.5" stroke-dasharray="6 5"/>')
        out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(1.3 * mm)}" fill="{MARKER}" stroke="#ffffff" stroke-width="4"/>')
    out.append("</g>")
    # the frame on top, inside the panel (a stroke on the SVG's own edge would be half cut off)
    out.append(f'<rect x="{_num(view.left + 1)}" y="{_num(view.top + 1)}" width="{_num(view.width - 2)}" '
               f'height="{_num(view.height - 2)}" fill="none" stroke="#b8b8b0" stroke-width="2"/>')
    return out


def _scale_bar(view: _View) -> list[str]:
    """A scale bar of a round length about a fifth of the panel wide, bottom left."""
    target = view.width * view.km_per_unit / 5
    km = max((k for k in SCALE_BARS_KM if k <= target), default=SCALE_BARS_KM[0])
    length = km / view.km_per_unit
    x, y = view.left + 3 * UNIT_PER_MM, view.top + view.height - 3 * UNIT_PER_MM
    label = f"{km:g} km"
    return [f'<rect x="{_num(x - 8)}" y="{_num(y - 40)}" width="{_num(length + 16)}" height="50" fill="#ffffff" fill-opacity="0.8"/>',
            f'<path d="M{_num(x)} {_num(y - 8)}V{_num(y)}H{_num(x + length)}V{_num(y - 8)}" fill="none" stroke="{INK}" stroke-width="3"/>',
            f'<text x="{_num(x)}" y="{_num(y - 14)}" font-size="26" fill="{INK}">{label}</text>']


def _text_width(text: str, size: float) -> float:
    """Roughly how wide `text` sets at `size` units: enough for a white box behind a label."""
    return sum(size * (1.0 if ord(ch) > 0x2E7F else 0.58) for ch in text)


def _label(x: float, y: float, text: str, size: float, anchor: str = "start", bold: bool = False,
           fill: str = INK) -> list[str]:
    """A label on a white box, so that it reads over boundaries."""
    w = _text_width(text, size)
    left = x - w if anchor == "end" else x
    weight = ' font-weight="bold"' if bold else ""
    return [f'<rect x="{_num(left - 6)}" y="{_num(y - size * 0.95)}" width="{_num(w + 12)}" height="{_num(size * 1.3)}" '
            f'fill="#ffffff" fill-opacity="0.85"/>',
            f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}"{weight} text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>']


def _heading(view: _View, text: str) -> list[str]:
    if not text:
        return []
    return _label(view.left + 2.5 * UNIT_PER_MM, view.top + 5.5 * UNIT_PER_MM, text, 30, bold=True)


def _north(view: _View, label: str) -> list[str]:
    x, y = view.left + view.width - 5 * UNIT_PER_MM, view.top + 4 * UNIT_PER_MM
    return [f'<path d="M{_num(x)} {_num(y)}l-14 34l14 -9l14 9z" fill="{INK}"/>',
            f'<text x="{_num(x)}" y="{_num(y + 64)}" font-size="24" text-anchor="middle" fill="{INK}">{escape(label)}</text>']


def _note(view: _View, text: str | None) -> list[str]:
    if not text:
        return []
    return _label(view.left + view.width - 3 * UNIT_PER_MM, view.top + view.height - 3.2 * UNIT_PER_MM, text, 24,
                  anchor="end", fill=MUTED)


def locator_svg(district: str, lat: float | None = None, lon: float | None = None, *, approximate: bool = False,
                labels: MapLabels, width_mm: float = 174, height_mm: float = 62, ident: str = "map") -> Markup:
    """The locator map of a place in `district` (a key of districts.yaml), with a marker at
    (lat, lon) when given: an inline SVG `width_mm` × `height_mm`, overview left, detail right.
    `ident` makes the SVG's internal ids unique within one HTML document."""
    keys = [d.key for d in geo.districts()]
    index = keys.index(district)
    point = project(lat, lon) if lat is not None and lon is not None else None
    mm = UNIT_PER_MM
    width, height, gap = width_mm * mm, height_mm * mm, 4 * mm
    overview = _fit(_shanghai_bbox(), 0, 0, height, height, 2 * mm, pad_top=8 * mm)

    box = list(_district_bbox(index))
    if point is not None:  # a point just outside its district (the editors' check warns) still shows
        box = [min(box[0], point[0]), min(box[1], point[1]), max(box[2], point[0]), max(box[3], point[1])]
    minimum = 3.0  # km: a tiny district is not blown up beyond street scale
    for lo, hi in ((0, 2), (1, 3)):
        if box[hi] - box[lo] < minimum:
            middle = (box[lo] + box[hi]) / 2
            box[lo], box[hi] = middle - minimum / 2, middle + minimum / 2
    detail = _fit(tuple(box), height + gap, 0, width - height - gap, height, 5 * mm, pad_top=9 * mm)

    ident = "".join(ch for ch in ident if ch.isalnum() or ch in "-_") or "map"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="locator-map" width="{_num(width_mm)}mm" height="{_num(height_mm)}mm" '
             f'viewBox="0 0 {_num(width)} {_num(height)}" role="img" aria-label="{escape(labels.description or labels.district)}" '
             f'font-family="{FONT}">']
    parts += _panel(overview, index, point, f"{ident}-overview", approximate)
    # where the detail panel looks, on the overview
    dx0, dy0 = overview.xy(detail.km_box[:2])
    dx1, dy1 = overview.xy(detail.km_box[2:])
    dx0, dy0, dx1, dy1 = max(dx0, 0), max(dy0, 0), min(dx1, overview.width), min(dy1, overview.height)
    if dx1 - dx0 < overview.width * 0.9:
        parts.append(f'<rect x="{_num(dx0)}" y="{_num(dy0)}" width="{_num(dx1 - dx0)}" height="{_num(dy1 - dy0)}" '
                     f'fill="none" stroke="{INK}" stroke-width="2.5"/>')
    parts += _heading(overview, labels.shanghai) + _scale_bar(overview)
    parts += _panel(detail, index, point, f"{ident}-detail", approximate)
    parts += _heading(detail, labels.district) + _scale_bar(detail) + _north(detail, labels.north)
    if point is None:
        parts += _note(detail, labels.no_location)
    elif approximate:
        parts += _note(detail, labels.approximate)
    parts.append("</svg>")
    return Markup("\n".join(parts))
