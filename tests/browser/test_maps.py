"""Maps in headless Chromium: lazy loading, one marker per located entry, clustering, the filter,
GCJ-02 shifting under Chinese tiles, boundaries without tiles, and no request to a host that
mkdocs.yml does not name."""

from __future__ import annotations

import re

import math
from urllib.parse import urlparse

import pytest

from generator import geo
from tests.helpers import configured_tile_host as tile_host
from tests.unit.test_geo import PUBLISHED

pytestmark = pytest.mark.browser


@pytest.fixture()
def offline_page(browser, server):
    """A page on which every request off this machine fails, as in a kiosk or a blocked network;
    each attempted host is recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.hosts = set()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def route(request_route):
        host = urlparse(request_route.request.url).hostname
        page.hosts.add(host)
        if host == "127.0.0.1":
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    yield page
    page.close()


def ready(page, selector: str = ".sc-map"):
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_selector(f"{selector}.sc-map--ready", timeout=15000)
    page.wait_for_function("() => document.querySelector('.sc-map').dataset.boundaries === '1'", timeout=15000)


def located(collection) -> list:
    return [c for c in collection.cases.values() if c.location] + [s for s in collection.sites.values() if s.location]


def test_map_code_loads_only_when_the_map_nears_the_viewport(offline_page, server):
    page = offline_page
    page.set_viewport_size({"width": 375, "height": 640})
    page.goto(server + "cases/changning-ningjuli/")
    page.wait_for_timeout(800)
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert not [u for u in loaded if "leaflet" in u or u.split("?")[0].endswith("map.js")], "map code loaded before it was needed"
    ready(page)
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    # Leaflet and the boundaries come from a folder named by their version, never a stale cached copy
    vendor = page.get_attribute(".sc-map", "data-vendor")
    version = re.search(r"assets/vendor/([0-9a-f]{10})/$", vendor).group(1)
    assert any(u.endswith(f"assets/vendor/{version}/leaflet/leaflet.js") for u in loaded)
    assert any(u.endswith(f"assets/maps/{version}/districts/changning.js") for u in loaded)
    assert any(u.split("?")[0].endswith("cases/changning-ningjuli/map.js") for u in loaded)
    assert not [u for u in loaded if "markercluster" in u]  # one marker: no clustering code
    assert not page.errors


def test_overview_has_one_marker_per_located_entry_and_clusters(offline_page, server, sample_collection):
    page = offline_page
    page.goto(server + "map/")
    ready(page)
    expected = {e.id for e in located(sample_collection)}
    ids = page.evaluate("() => document.querySelector('.sc-map').showcase.markers.map(m => m.options.entry)")
    assert sorted(ids) == sorted(expected) and len(ids) == len(expected)
    # at the whole-city zoom some markers are gathered into clusters
    assert page.locator(".marker-cluster").count() >= 1
    icons = page.locator(".leaflet-marker-icon.sc-marker").count()
    assert icons < len(expected)
    assert not page.errors


def test_filter_by_kind_and_district_changes_the_visible_markers(offline_page, server, sample_collection):
    page = offline_page
    page.goto(server + "map/")
    ready(page)
    count = "() => document.querySelector('.sc-map').showcase.cluster.getLayers().length"
    total = len(located(sample_collection))
    assert page.evaluate(count) == total
    page.get_by_role("button", name="筛选").click()
    page.locator('.sc-map-filter input[name="kind"][value="competition"]').uncheck()
    cases = sum(1 for c in sample_collection.cases.values() if c.location)
    assert page.evaluate(count) == cases
    jiading = sum(1 for c in sample_collection.cases.values() if c.location and c.district == "jiading")
    assert jiading > 0
    page.locator('.sc-map-filter input[name="district"][value="jiading"]').uncheck()
    assert page.evaluate(count) == cases - jiading
    assert f"{cases - jiading} / {total}" in page.locator(".sc-map-filter__shown").inner_text()
    page.locator('.sc-map-filter input[name="kind"][value="competition"]').check()
    page.locator('.sc-map-filter input[name="district"][value="jiading"]').check()
    assert page.evaluate(count) == total


def test_popups_link_to_pages_in_the_same_language(offline_page, server):
    page = offline_page
    page.goto(server + "en/map/")
    ready(page)
    # as a reader would: zoom until the marker leaves its cluster, then click it
    page.evaluate("() => { const s = document.querySelector('.sc-map').showcase; "
                  "const m = s.markers.find(m => m.options.entry === 'changning-ningjuli'); "
                  "s.map.setView(m.getLatLng(), 18, {animate: false}); }")
    marker = page.locator(".leaflet-marker-icon.sc-marker[title*='Ningjuli']")
    marker.wait_for(timeout=10000)
    marker.click()
    popup = page.locator(".leaflet-popup-content .sc-popup")
    popup.wait_for(timeout=10000)
    link = popup.locator("a")
    assert "Ningjuli" in link.inner_text()
    link.click()
    page.wait_for_url("**/en/cases/changning-ningjuli/")
    assert page.locator("html").get_attribute("lang").startswith("en")


def test_without_tiles_the_boundaries_still_draw(offline_page, server):
    page = offline_page
    page.goto(server + "map/")
    ready(page)
    page.wait_for_selector(".sc-map.sc-map--no-tiles", timeout=15000)
    assert page.locator(".sc-map__no-tiles").is_visible()
    assert page.locator(".leaflet-overlay-pane path").count() >= 16  # the sixteen districts


def test_no_request_leaves_for_a_host_the_configuration_does_not_name(offline_page, server):
    page = offline_page
    for path in ("", "map/", "cases/changning-ningjuli/", "competition/2024-01-huamu/", "districts/pudong/", "en/map/"):
        page.goto(server + path)
        if page.locator(".sc-map").count():
            ready(page)
    strangers = {h for h in page.hosts if h != "127.0.0.1" and not tile_host(h)}
    assert not strangers, strangers
    assert any(tile_host(h) for h in page.hosts)  # tiles were asked for (and failed here)


def test_markers_move_to_gcj02_under_chinese_tiles_and_back(offline_page, server, sample_collection):
    page = offline_page
    page.goto(server + "cases/changning-ningjuli/")
    ready(page)
    case = sample_collection.cases["changning-ningjuli"]
    where = "() => { const s = document.querySelector('.sc-map').showcase; const p = s.markers[0].getLatLng(); return [s.datum, p.lat, p.lng]; }"
    datum, lat, lon = page.evaluate(where)
    assert datum == "gcj02"  # the default layer (AutoNavi) draws in GCJ-02
    glat, glon = geo.wgs84_to_gcj02(case.location.lat, case.location.lon)
    assert metres(lat, lon, glat, glon) < 1
    assert metres(lat, lon, case.location.lat, case.location.lon) > 300  # uncorrected it would be this far off
    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("OpenStreetMap").check()
    datum, lat, lon = page.evaluate(where)
    assert datum == "wgs84" and metres(lat, lon, case.location.lat, case.location.lon) < 0.01


@pytest.mark.parametrize("wlat, wlon, glat, glon", PUBLISHED)
def test_the_browser_conversion_matches_published_values_within_a_metre(offline_page, server, wlat, wlon, glat, glon):
    page = offline_page
    page.goto(server + "map/")
    ready(page)
    lat, lon = page.evaluate(f"() => ShowcaseMaps.toGcj({wlat}, {wlon})")
    assert metres(lat, lon, glat, glon) < 1


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = math.radians(lat2 - lat1) * geo.EARTH_RADIUS_M
    dx = math.radians(lon2 - lon1) * geo.EARTH_RADIUS_M * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


@pytest.mark.parametrize("width", [375, 1280])
def test_district_maps_show_the_whole_district_and_every_marker(offline_page, server, sample_collection, width):
    """A district's map fits the district and its entries, with room for the GCJ-02 shift of the
    default Chinese tiles: on a phone, Changning's east end (where 华阳人民坊 lies) was cut off."""
    page = offline_page
    page.set_viewport_size({"width": width, "height": 900})
    districts = sorted({entry.district for entry in located(sample_collection)})
    assert "changning" in districts
    for district in districts:
        page.goto(server + f"districts/{district}/")
        ready(page)
        page.wait_for_selector(".sc-map .leaflet-marker-icon")
        page.wait_for_selector(".sc-map .leaflet-overlay-pane path")
        cut = page.evaluate("""() => {
            const box = document.querySelector('.sc-map').getBoundingClientRect();
            const parts = [...document.querySelectorAll('.sc-map .leaflet-marker-icon, .sc-map .leaflet-overlay-pane path')];
            return parts.map(m => m.getBoundingClientRect())
              .filter(r => r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1).length;
        }""")
        assert cut == 0, f"{district} at {width} px: {cut} marker(s) or boundary cut by the map's edge"
