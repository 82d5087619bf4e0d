"""Maps in the built HTML: a map exactly where an entry has a location, scripts and assets from
the site itself, one marker per located entry on the overview, popups that link to real pages."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from generator import geo
from tests.helpers import build, configured_tile_host, copy_content, map_data, page_file, resolve


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, dict]:
    """Sample content with one case stripped of its location and one given in GCJ-02."""
    tmp = tmp_path_factory.mktemp("maps")
    content = copy_content(tmp)
    no_location = content / "excellent" / "changning-ningjuli.yaml"
    text = no_location.read_text(encoding="utf-8")
    no_location.write_text(re.sub(r"^location:\n(  .+\n)+", "", text, flags=re.M), encoding="utf-8")
    gcj = content / "excellent" / "jiading-ximen-street-vitality.yaml"
    text = gcj.read_text(encoding="utf-8")
    lat, lon = (float(v) for v in re.search(r"lat: ([\d.]+)\n  lon: ([\d.]+)", text).groups())
    glat, glon = geo.wgs84_to_gcj02(lat, lon)
    text = re.sub(r"lat: [\d.]+\n  lon: [\d.]+", f"lat: {glat:.7f}\n  lon: {glon:.7f}\n  datum: GCJ-02", text, count=1)
    gcj.write_text(text, encoding="utf-8")
    out = tmp / "site"
    result = build(content, out)
    assert result.returncode == 0, result.stderr
    return out, {"wgs": (lat, lon)}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def markers(script: str) -> list[dict]:
    """Every place (marker) in a map script: its data line holds them as one JSON list."""
    assert len(re.findall(r"ShowcaseMaps\.places\(", script)) == 1, "one Places element a map"
    return map_data(script)["places"]


def test_located_entries_have_a_map_and_others_none(site, sample_collection):
    out, _ = site
    for lang in ("", "en/"):
        with_map = soup(page_file(out, f"{lang}cases/changning-huayang-renminfang/"))
        box = with_map.select_one(".sc-map")
        assert box is not None and box["role"] == "region" and box.get("aria-label")
        script = resolve(f"{lang}cases/changning-huayang-renminfang/", box["data-script"]).split("?")[0]
        assert (out / script).is_file() and len(markers((out / script).read_text(encoding="utf-8"))) == 1
        assert with_map.find("script", src=re.compile(r"javascripts/maps\.[0-9a-f]{10}\.js$"))
        without = soup(page_file(out, f"{lang}cases/changning-ningjuli/"))
        assert without.select_one(".sc-map") is None
        assert not without.find("script", src=re.compile(r"maps\.([0-9a-f]{10}\.)?js(\?|$)")), "a page without a map loads map code"
        assert not (out / f"{lang}cases/changning-ningjuli/map.js").exists()


def test_a_location_given_in_gcj02_is_stored_and_drawn_as_wgs84(site):
    out, facts = site
    script = (out / "cases/jiading-ximen-street-vitality/map.js").read_text(encoding="utf-8")
    (place,) = markers(script)
    lat, lon = place["lat"], place["lon"]
    assert abs(lat - facts["wgs"][0]) < 1e-6 and abs(lon - facts["wgs"][1]) < 1e-6


def test_overview_has_one_marker_per_located_entry_with_working_links(site, sample_collection):
    out, _ = site
    located = {c.id for c in sample_collection.cases.values() if c.location} - {"changning-ningjuli"}
    located |= {s.id for s in sample_collection.sites.values() if s.location}
    for lang in ("", "en/"):
        script = (out / f"{lang}map/map.js").read_text(encoding="utf-8")
        found = [m["entry"] for m in markers(script)]
        assert sorted(found) == sorted(located)
        popups = [m["popup"] for m in markers(script)]
        for html in popups:
            href = BeautifulSoup(html, "html.parser").a["href"]
            target = resolve(f"{lang}map/", href)
            assert page_file(out, target).is_file(), target
            assert target.startswith("en/") == (lang == "en/")


def test_no_third_party_host_but_the_configured_tile_servers(site):
    out, _ = site
    for path in out.rglob("*.html"):
        page = soup(path)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")):
            for element in page.find_all(tag):
                url = element.get(attr) or ""
                host = urlparse(url).hostname
                assert not host, f"{path.relative_to(out)} loads {url}"
    for path in out.rglob("map.js"):
        for url in re.findall(r"L\.tileLayer\(\s*\"([^\"]+)\"", path.read_text(encoding="utf-8")):
            host = urlparse(url.replace("{s}", "a")).hostname
            assert configured_tile_host(host), f"{path.relative_to(out)}: {host}"
    assert not list(out.rglob("*jquery*")) and not list(out.rglob("*bootstrap*")) and not list(out.rglob("*awesome*"))


def test_leaflet_comes_from_the_installed_packages(site):
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    from generator.maps.assets import version

    out, _ = site
    vendor, maps = out / "assets/vendor" / version(), out / "assets/maps" / version()
    assert [p.name for p in (out / "assets/vendor").iterdir()] == [version()]  # one folder, named by the versions
    assert (vendor / "leaflet/leaflet.js").read_bytes() == (Path(leaflet.BASE_DIR) / "leaflet.js").read_bytes()
    assert (vendor / "leaflet.markercluster/leaflet.markercluster.js").read_bytes() == \
        (Path(markercluster.BASE_DIR) / "leaflet.markercluster.js").read_bytes()
    boundaries = (maps / "districts/all.js").read_text(encoding="utf-8")
    assert boundaries.startswith('ShowcaseMaps.boundary("all",') and boundaries.count('"key":') == 16
    assert (maps / "districts/changning.js").stat().st_size < 20_000


def test_every_district_has_a_page_with_its_map(site, sample_collection):
    out, _ = site
    for district in sample_collection.reference.districts:
        for lang in ("", "en/"):
            page = soup(page_file(out, f"{lang}districts/{district.key}/"))
            assert page.select_one(".sc-map") is not None
            assert page.h1.get_text(strip=True) == district.name("zh" if not lang else "en")
