"""Tile providers from mkdocs.yml, GCJ-02 locations in entries, reproducible map scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import geo
from generator.content.models import Location
from generator.maps.config import DEFAULT_TILES, TileConfigError, providers

TIANDITU = {"name": {"zh": "天地图", "en": "Tianditu"}, "datum": "WGS-84", "api_key_env": "TIANDITU_KEY",
            "url": "https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk={key}", "subdomains": "01234567",
            "attribution": "&copy; 天地图"}


def test_default_is_a_gcj02_provider_that_works_in_china_then_openstreetmap():
    tiles, notes = providers(None, environ={})
    assert [t.datum for t in tiles] == ["gcj02", "wgs84"] and not notes
    assert "autonavi.com" in tiles[0].url and "openstreetmap.org" in tiles[1].url


def test_a_provider_whose_key_is_missing_is_left_out_with_a_note():
    tiles, notes = providers([*DEFAULT_TILES, TIANDITU], environ={})
    assert len(tiles) == 2 and "TIANDITU_KEY" in notes[0]
    tiles, notes = providers([*DEFAULT_TILES, TIANDITU], environ={"TIANDITU_KEY": "secret123"})
    assert tiles[2].url.endswith("tk=secret123") and tiles[2].datum == "wgs84" and not notes


def test_a_wrong_datum_is_a_clear_error():
    with pytest.raises(TileConfigError, match="datum"):
        providers([{**DEFAULT_TILES[1], "datum": "bd09"}], environ={})


def test_location_in_gcj02_is_converted_to_wgs84():
    wlat, wlon = 31.2196, 121.4242
    glat, glon = geo.wgs84_to_gcj02(wlat, wlon)
    location = Location.model_validate({"lat": glat, "lon": glon, "datum": "GCJ-02"})
    assert abs(location.lat - wlat) < 1e-7 and abs(location.lon - wlon) < 1e-7
    assert location.datum == "gcj02"
    assert Location.model_validate({"lat": wlat, "lon": wlon}).lat == wlat


def test_map_scripts_are_reproducible(sample_collection):
    from generator.maps.build import MapBuilder
    from generator.render.pages import Strings
    from tests.helpers import ROOT

    strings = Strings(ROOT / "site_templates" / "strings.yaml")
    first = MapBuilder(sample_collection, providers(None, environ={})[0], strings).overview_map("map/", "zh", filter=True)
    second = MapBuilder(sample_collection, providers(None, environ={})[0], strings).overview_map("map/", "zh", filter=True)
    assert first.script == second.script and "http://" not in first.script


def test_entry_maps_from_the_prototype_equal_a_full_folium_render(sample_collection):
    """entry_map fills values into one folium render per kind and language; it must produce
    exactly what rendering each map with folium would."""
    from generator import urls
    from generator.maps.build import MapBuilder
    from generator.render.pages import Strings
    from tests.helpers import ROOT

    builder = MapBuilder(sample_collection, providers(None, environ={})[0], Strings(ROOT / "site_templates" / "strings.yaml"),
                         thumbnails={("excellent", "changning-ningjuli"): "media/excellent/changning-ningjuli/placeholder-1.jpg"})
    checked = 0
    for item in builder.located():
        for lang in ("zh", "en"):
            fast = builder.entry_map(item.kind, item.entry_id, lang)
            full = builder._render([item], item.route, lang, zoom=13 if item.approximate else 15,
                                   center=[item.lat, item.lon], boundaries=[item.district], height="small")
            assert fast.script == full.script, (item.entry_id, lang)
            assert fast.script_path == urls.page_url(item.route, lang) + "map.js"
            checked += 1
    assert checked >= 40
