"""Shanghai's district boundaries and the GCJ-02 <-> WGS-84 shift, in pure Python.

Why this exists: the content check "location outside its stated district" and the site's
maps need a point-in-district test that works offline and installs nothing compiled
(no shapely, no numpy). The boundaries ship as a small GeoJSON file in WGS-84, made by
scripts/extract_districts.py; see generator/content/data/shanghai-districts.md.

Coordinates are passed as (lat, lon) in this module's functions, as in the case files;
GeoJSON stores (lon, lat).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "content" / "data" / "shanghai-districts.geojson"

EARTH_RADIUS_M = 6_371_008.8  # mean radius; the error of a local flat projection dwarfs the choice

# --- GCJ-02 ("Mars coordinates") -------------------------------------------------------------
# Chinese web maps (Amap/Gaode, Tencent, Google's China road map) publish coordinates in GCJ-02:
# WGS-84 shifted by a few hundred metres by a fixed, publicly reverse-engineered formula built on
# the Krasovsky 1940 ellipsoid. Forward is exact; the inverse has no closed form, so it iterates.

_KRASOVSKY_A = 6378245.0  # semi-major axis (m)
_KRASOVSKY_EE = 0.00669342162296594323  # first eccentricity squared


def _outside_china(lat: float, lon: float) -> bool:
    """The rough box the formula is applied in; outside it GCJ-02 equals WGS-84."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _gcj_shift(lat: float, lon: float) -> tuple[float, float]:
    """The GCJ-02 minus WGS-84 offset (dlat, dlon) in degrees at a WGS-84 point."""
    x, y = lon - 105.0, lat - 35.0
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x)) + common
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + common
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = math.radians(lat)
    magic = 1.0 - _KRASOVSKY_EE * math.sin(rad) ** 2
    dlat = dlat * 180.0 / ((_KRASOVSKY_A * (1.0 - _KRASOVSKY_EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = dlon * 180.0 / (_KRASOVSKY_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return dlat, dlon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 -> GCJ-02 (lat, lon); points outside China are returned unchanged."""
    if _outside_china(lat, lon):
        return lat, lon
    dlat, dlon = _gcj_shift(lat, lon)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 -> WGS-84 (lat, lon), by fixed-point iteration to < 1e-9 degrees.

    The shift changes by well under 1 % per degree, so each step gains ~2-3 digits.
    """
    if _outside_china(lat, lon):
        return lat, lon
    wlat, wlon = lat, lon
    for _ in range(20):
        glat, glon = wgs84_to_gcj02(wlat, wlon)
        err_lat, err_lon = glat - lat, glon - lon
        wlat, wlon = wlat - err_lat, wlon - err_lon
        if abs(err_lat) < 1e-9 and abs(err_lon) < 1e-9:
            break
    return wlat, wlon


# --- Districts --------------------------------------------------------------------------------

Ring = tuple[tuple[float, float], ...]  # closed ring of (lon, lat), first point == last point
Polygon = tuple[Ring, ...]  # outer ring, then holes


@dataclass(frozen=True)
class District:
    key: str
    zh: str
    en: str
    polygons: tuple[Polygon, ...]
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    def contains(self, lat: float, lon: float) -> bool:
        """Even-odd rule over each polygon's rings, so a hole is simply one more crossing."""
        if not (self.bbox[0] <= lon <= self.bbox[2] and self.bbox[1] <= lat <= self.bbox[3]):
            return False
        return any(_in_polygon(polygon, lon, lat) for polygon in self.polygons)


def _in_polygon(polygon: Polygon, x: float, y: float) -> bool:
    inside = False
    for ring in polygon:
        for (x1, y1), (x2, y2) in pairwise(ring):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


@lru_cache(maxsize=1)
def districts() -> tuple[District, ...]:
    """The 16 districts, in the order of districts.yaml, read once from the shipped GeoJSON."""
    collection = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    result = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        polygons = tuple(tuple(tuple((p[0], p[1]) for p in ring) for ring in part) for part in parts)
        lons = [p[0] for polygon in polygons for p in polygon[0]]
        lats = [p[1] for polygon in polygons for p in polygon[0]]
        props = feature["properties"]
        result.append(District(props["key"], props["zh"], props["en"], polygons,
                               (min(lons), min(lats), max(lons), max(lats))))
    return tuple(result)


def district(key: str) -> District:
    for d in districts():
        if d.key == key:
            return d
    raise KeyError(f"no district with key {key!r}")


def district_at(lat: float, lon: float) -> str | None:
    """Key of the district containing a WGS-84 point, or None outside Shanghai (sea, Jiangsu...)."""
    for d in districts():
        if d.contains(lat, lon):
            return d.key
    return None


def distance_to_district_m(lat: float, lon: float, key: str) -> float:
    """0 inside the district, else metres to its nearest boundary edge.

    Uses an equirectangular projection centred on the point: over the tens of kilometres that
    matter here its error is far below the boundary data's own accuracy.
    """
    d = district(key)
    if d.contains(lat, lon):
        return 0.0
    kx = math.radians(1.0) * EARTH_RADIUS_M * math.cos(math.radians(lat))
    ky = math.radians(1.0) * EARTH_RADIUS_M
    best = math.inf
    for polygon in d.polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in pairwise(ring):
                best = min(best, _point_segment_distance((x1 - lon) * kx, (y1 - lat) * ky,
                                                         (x2 - lon) * kx, (y2 - lat) * ky))
    return best


def _point_segment_distance(ax: float, ay: float, bx: float, by: float) -> float:
    """Distance from the origin to segment AB, in the units of the inputs."""
    return segment_distance((0.0, 0.0), (ax, ay), (bx, by))


# --- line simplification (the boundary extraction script and the PDF's locator maps) ----------
XY = tuple[float, float]


def segment_distance(p: XY, a: XY, b: XY) -> float:
    """Distance from p to the segment ab, in the plane."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def douglas_peucker(points: list, tolerance: float, distance=segment_distance) -> list:
    """Douglas–Peucker: keep both ends and every point farther than `tolerance` (as `distance`
    measures it) from the simplified line. Iterative, so long arcs cannot hit the recursion limit."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]
