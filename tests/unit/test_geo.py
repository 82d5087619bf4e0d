"""generator.geo: the GCJ-02 shift, the shipped district boundaries and the case locations against them."""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from generator import geo

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "generator" / "content" / "data"
GEOJSON = DATA / "shanghai-districts.geojson"
DISTRICTS = yaml.safe_load((DATA / "districts.yaml").read_text(encoding="utf-8"))

# --- GCJ-02 <-> WGS-84 ------------------------------------------------------------------------

# (wgs lat, wgs lon, gcj lat, gcj lon) published by two independent, widely used implementations:
# - googollee/eviltransform, python/test.py and go/transform_test.go (TESTS: shanghai, shenzhen, beijing)
# - wandergis/coordtransform, test/app.js: wgs84togcj02(116.404, 39.915) -> [116.41024449916938, 39.91640428150164]
PUBLISHED = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # eviltransform, Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # eviltransform, Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # eviltransform, Beijing
    (39.915, 116.404, 39.91640428150164, 116.41024449916938),  # coordtransform, Beijing
]


@pytest.mark.parametrize("wlat, wlon, glat, glon", PUBLISHED)
def test_wgs84_to_gcj02_matches_published_values(wlat, wlon, glat, glon):
    lat, lon = geo.wgs84_to_gcj02(wlat, wlon)
    assert lat == pytest.approx(glat, abs=1e-7) and lon == pytest.approx(glon, abs=1e-7)


@pytest.mark.parametrize("wlat, wlon, glat, glon", PUBLISHED)
def test_gcj02_to_wgs84_recovers_the_published_wgs84_point(wlat, wlon, glat, glon):
    lat, lon = geo.gcj02_to_wgs84(glat, glon)
    assert abs(lat - wlat) < 1e-6 and abs(lon - wlon) < 1e-6


def test_round_trip_across_china_is_below_1e_7_degrees():
    for lat in range(19, 53, 3):
        for lon in range(76, 134, 4):
            back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lat + 0.123, lon + 0.456))
            assert back == pytest.approx((lat + 0.123, lon + 0.456), abs=1e-7)


@pytest.mark.parametrize("lat, lon", [(48.8566, 2.3522), (-33.8688, 151.2093), (40.7128, -74.006), (60.0, 100.0)])
def test_points_outside_china_are_unchanged(lat, lon):
    assert geo.wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert geo.gcj02_to_wgs84(lat, lon) == (lat, lon)


def test_the_shift_in_shanghai_is_a_few_hundred_metres_to_the_south_east():
    lat, lon = geo.wgs84_to_gcj02(31.23, 121.47)
    east = (lon - 121.47) * math.radians(1) * geo.EARTH_RADIUS_M * math.cos(math.radians(31.23))
    north = (lat - 31.23) * math.radians(1) * geo.EARTH_RADIUS_M
    assert 350 < east < 500 and -300 < north < -150


# --- which district -----------------------------------------------------------------------------

# WGS-84 points. Each stays well clear of any border (the margin to the nearest other district is
# noted), so the ~30 m simplification and the ~500 m GCJ-02 question cannot flip them.
KNOWN_PLACES = [
    # People's Square: Shanghai's reference point in GeoNames; ~1 km from Jing'an, ~1.7 km from the river.
    ("People's Square", 31.2304, 121.4737, "huangpu"),
    # Oriental Pearl Tower by GPS (Waymarking WMRDJT: N 31° 14.520 E 121° 29.705), ~450 m from the
    # river's mid-line. NB the often-quoted 31.2397, 121.4998 is its GCJ-02 position (Chinese web maps).
    ("Oriental Pearl Tower", 31.24200, 121.49508, "pudong"),
    ("Zhongshan Park area", 31.2196, 121.4177, "changning"),  # ~850 m from Putuo across Suzhou Creek
    ("Jiading old town", 31.3837, 121.2504, "jiading"),  # ~6 km from Baoshan
    ("Chongming, Nanmen", 31.6230, 121.3970, "chongming"),  # on Chongming Island, km from anything else
    # Hongqiao Airport (31.1979, 121.3363) is left out on purpose: the airport straddles Changning and
    # Minhang (terminal 2 and the west runway are in Minhang) and that point is ~200 m from the border.
]


@pytest.mark.parametrize("name, lat, lon, key", KNOWN_PLACES, ids=[p[0] for p in KNOWN_PLACES])
def test_known_places_land_in_their_district(name, lat, lon, key):
    assert geo.district_at(lat, lon) == key
    assert geo.distance_to_district_m(lat, lon, key) == 0.0


@pytest.mark.parametrize("name, lat, lon", [
    ("East China Sea", 31.0, 122.5),
    ("Hangzhou Bay", 30.55, 121.3),
    ("Kunshan, Jiangsu", 31.385, 120.98),
    ("Taicang, Jiangsu", 31.45, 121.10),
    ("Jiashan, Zhejiang", 30.83, 120.92),
    ("Paris", 48.8566, 2.3522),
])
def test_points_outside_shanghai_are_in_no_district(name, lat, lon):
    assert geo.district_at(lat, lon) is None


def test_distance_is_metres_to_the_border_for_a_point_just_across_it():
    tower = (31.24200, 121.49508)  # Pudong bank; Hongkou and Huangpu are across the ~400 m wide river
    assert 250 < geo.distance_to_district_m(*tower, "hongkou") < 700
    assert 250 < geo.distance_to_district_m(*tower, "huangpu") < 800
    # Waibaidu Bridge (OpenStreetMap way 815631996) spans Suzhou Creek, the Huangpu/Hongkou border.
    bridge = (31.24531, 121.48574)
    assert max(geo.distance_to_district_m(*bridge, "huangpu"), geo.distance_to_district_m(*bridge, "hongkou")) < 60
    assert 20_000 < geo.distance_to_district_m(31.2304, 121.4737, "chongming") < 30_000


def test_unknown_district_key_is_an_error():
    with pytest.raises(KeyError):
        geo.distance_to_district_m(31.23, 121.47, "luwan")


def test_point_segment_distance():
    assert geo._point_segment_distance(3, 4, 3, -4) == pytest.approx(3)  # foot inside the segment
    assert geo._point_segment_distance(3, 4, 6, 8) == pytest.approx(5)  # nearest is an end point
    assert geo._point_segment_distance(3, 4, 3, 4) == pytest.approx(5)  # degenerate segment


def test_even_odd_rule_treats_holes_as_outside():
    outer = ((0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0))
    hole = ((1.0, 1.0), (1.0, 3.0), (3.0, 3.0), (3.0, 1.0), (1.0, 1.0))
    assert geo._in_polygon((outer, hole), 0.5, 0.5)
    assert not geo._in_polygon((outer, hole), 2.0, 2.0)
    assert not geo._in_polygon((outer, hole), 5.0, 2.0)


# --- the shipped GeoJSON ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def collection():
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def rings_of(feature):
    return [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]


def test_geojson_has_the_16_districts_in_districts_yaml_order(collection):
    assert collection["type"] == "FeatureCollection"
    props = [f["properties"] for f in collection["features"]]
    assert props == [{"key": d["key"], "zh": d["zh"], "en": d["en"]} for d in DISTRICTS]
    assert len(props) == 16
    assert [d.key for d in geo.districts()] == [d["key"] for d in DISTRICTS]


def test_geojson_is_rfc7946(collection):
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        for polygon in feature["geometry"]["coordinates"]:
            for n, ring in enumerate(polygon):
                assert len(ring) >= 4 and ring[0] == ring[-1], "closed linear ring"
                for position in ring:
                    assert len(position) == 2
                    lon, lat = position
                    assert 120 < lon < 123 and 30 < lat < 32, "(lon, lat) order, WGS-84 degrees"
                area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))
                assert (area > 0) == (n == 0), "exterior rings counter-clockwise, holes clockwise"


def test_geojson_is_small_and_rounded_to_5_decimals():
    text = GEOJSON.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 200 * 1024
    assert not re.search(r"\d\.\d{6,}", text)


def test_neighbours_share_identical_borders(collection):
    """Simplified per shared border, so an edge is used by one district (the outline) or exactly two."""
    users = defaultdict(set)
    for feature in collection["features"]:
        for ring in rings_of(feature):
            for a, b in pairwise(ring):
                users[frozenset((tuple(a), tuple(b)))].add(feature["properties"]["key"])
    assert max(len(keys) for keys in users.values()) == 2
    shared = defaultdict(int)
    for keys in users.values():
        if len(keys) == 2:
            shared[frozenset(keys)] += 1
    assert shared[frozenset({"huangpu", "pudong"})] > 10
    assert shared[frozenset({"jiading", "baoshan"})] > 10


def test_the_islands_are_there(collection):
    parts = {f["properties"]["key"]: len(f["geometry"]["coordinates"]) for f in collection["features"]}
    assert parts["chongming"] >= 3  # Chongming, Changxing and Hengsha islands at least
    assert parts["pudong"] >= 2  # the mainland and two offshore shoals in the river mouth
    assert parts["jinshan"] >= 2  # the mainland and the Jinshan islands
    assert geo.district_at(31.36, 121.85) == "chongming"  # Hengsha Island


# --- the extraction script's pieces, on synthetic shapes ------------------------------------------

@pytest.fixture(scope="module")
def extract():
    spec = importlib.util.spec_from_file_location("extract_districts", ROOT / "scripts" / "extract_districts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_douglas_peucker_keeps_ends_and_stays_within_tolerance(extract):
    # a gentle wiggle (< 10 m) on a 1 km line, and one 100 m spike
    deg_m = 1 / extract.KY
    line = [(121.0 + i * 0.001, 31.0 + (5 * deg_m if i % 2 else 0)) for i in range(11)]
    line[5] = (line[5][0], 31.0 + 100 * deg_m)
    out = extract.douglas_peucker(line, 30.0)
    assert out[0] == line[0] and out[-1] == line[-1] and line[5] in out
    assert len(out) < len(line)
    assert all(min(extract.seg_dist(p, a, b) for a, b in pairwise(out)) <= 30.0 for p in line)


def test_shared_borders_are_split_into_the_same_arc(extract):
    # two unit squares side by side sharing the edge x=1, which has an extra vertex
    left = [(0.0, 0.0), (1.0, 0.0), (1.0, 0.5), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    right = [(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.5), (1.0, 0.0)]
    island = [(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)]
    split = extract.split_into_arcs([("a", left), ("b", right), ("c", island)])
    arcs = {key: {extract.canonical(arc)[0] for arc in arcs} for key, _, arcs in split}
    assert arcs["a"] & arcs["b"] == {((1.0, 0.0), (1.0, 0.5), (1.0, 1.0))}
    assert split[2][1] is None  # the island is one closed arc


def test_number_format_is_fixed(extract):
    assert [extract.num(v) for v in (121.5, 121.0, 31.123456, 31.12)] == ["121.5", "121.0", "31.12346", "31.12"]


# --- the sample content -------------------------------------------------------------------------

def case_locations():
    for path in sorted((ROOT / "cases").rglob("*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(entry, dict) and isinstance(entry.get("location"), dict) and entry.get("district"):
            yield path.relative_to(ROOT).as_posix(), entry["district"], entry["location"]


def test_every_case_location_is_in_or_near_its_district():
    assert list(case_locations()), "the sample content has located entries"
    far = []
    for name, key, loc in case_locations():
        metres = geo.distance_to_district_m(loc["lat"], loc["lon"], key)
        if metres > 1500:
            far.append(f"{name}: {key} stated, point in {geo.district_at(loc['lat'], loc['lon'])}, {metres:.0f} m away")
    assert not far, "\n".join(far)
