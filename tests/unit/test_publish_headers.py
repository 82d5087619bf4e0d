"""The site's header rules (generator/publish/headers.py): which files may be cached for a year,
which inline scripts the policy allows, and that text from an entry can never pass for code."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given, settings, strategies as st
from markupsafe import escape

from generator.media import safe_stem

from generator.publish.headers import (IMMUTABLE, REVALIDATE, InlineCodeError, SiteHeaders, cache_rule, content_type,
                                       inline_code, inline_scripts)
from generator.maps.config import TileProvider


@pytest.mark.parametrize("path", [
    "stylesheets/showcase.f2b2451f12.css", "javascripts/search.3a69d54ba9.js", "showcase/javascripts/maps.9fc84c5435.js",
    "assets/javascripts/bundle.a5f9d56c.min.js", "assets/stylesheets/main.57a0d79d.min.css",
    "assets/stylesheets/palette.fb2fffe2.min.css.map", "assets/vendor/37945b51ed/leaflet/leaflet.js",
    "assets/vendor/37945b51ed/leaflet/images/layers.png", "assets/maps/37945b51ed/districts/changning.js",
    "media/excellent/changning-ningjuli/placeholder-1.0a1b2c3d4e-960.webp", "media/excellent/x/宁聚里.0a1b2c3d4e-thumb.jpg",
    "pagefind/fragment/zh_105e912.pf_fragment", "pagefind/index/en_28ef9b9.pf_index", "pagefind/filter/en_1b13bec.pf_filter",
    "pagefind/pagefind.en_14f415f152.pf_meta", "assets/javascripts/bundle.a5f9d56c.min.js.gz",
])
def test_files_named_by_their_content_are_immutable(path):
    assert cache_rule(path).cache_control == IMMUTABLE


@pytest.mark.parametrize("path", [
    "index.html", "en/cases/changning-ningjuli/index.html", "404.html", "en/404.html", "sitemap.xml", "sitemap.xml.gz",
    "robots.txt", "pagefind/pagefind.js", "pagefind/pagefind-entry.json", "pagefind/wasm.en.pagefind",
    "pagefind/wasm.unknown.pagefind", "cases/changning-ningjuli/map.js", "downloads/excellent-cases.pdf",
    "assets/images/favicon.png", "javascripts/search.js", "stylesheets/showcase.css",
    "media/excellent/x/placeholder-1-960.webp", "media/excellent/x/clip.0a1b2c3d4e-960.mp4",
    "assets/vendor/leaflet/leaflet.js", "assets/maps/districts/all.geojson",
])
def test_what_can_change_under_its_name_is_revalidated(path):
    assert cache_rule(path).cache_control == REVALIDATE


@settings(deadline=None)
@given(st.text(min_size=1, max_size=60), st.sampled_from(["480", "960", "1600", "thumb"]), st.sampled_from(["webp", "jpg"]))
def test_every_photo_copy_is_immutable_and_every_video_revalidated_whatever_its_name(name, size, fmt):
    """Whatever a person named the file, its published copies (named by the build with the hash of
    the original) are cached for a year, and its video, which keeps the person's name, is not."""
    stem = safe_stem(name)
    assert cache_rule(f"media/excellent/x/{stem}.0123456789-{size}.{fmt}").cache_control == IMMUTABLE
    assert cache_rule(f"media/excellent/x/{stem}.mp4").cache_control == REVALIDATE


def test_types_include_pagefinds_files():
    assert content_type("pagefind/fragment/zh_1.pf_fragment") == "application/octet-stream"
    assert content_type("pagefind/wasm.en.pagefind") == "application/octet-stream"
    assert content_type("a/b/index.html") == "text/html; charset=utf-8"
    assert content_type("assets/maps/x/districts/all.geojson") == "application/geo+json"
    assert content_type("x.js.gz") == "application/gzip"


def test_inline_scripts_are_the_ones_a_browser_runs():
    html = ('<script>a()</script><script type="application/json">{"x":1}</script><script src="x.js"></script>'
            '<script type="application/ld+json">{}</script><script type="module">b()</script>')
    assert inline_scripts(html) == ["a()", "b()"]


@given(st.text(max_size=200))
def test_entry_text_in_an_attribute_or_a_paragraph_is_never_code(text):
    """Whatever an entry says, escaped as the templates escape it, it reads as text: only a real
    attribute named on… or a javascript: address is code."""
    safe = escape(text)
    html = f'<meta name="description" content="{safe}"><p title="{safe}">{safe}</p><a href="/cases/">{safe}</a>'
    assert inline_code(html) == []


def test_handlers_and_javascript_links_are_found():
    assert inline_code('<a href="javascript:alert(1)">x</a>') == ["href=javascript:alert(1)"]
    assert inline_code("<img src=x onerror='alert(1)'>") == ["onerror=alert(1)"]
    assert inline_code('<p title="a onclick=b">text onclick= javascript:x</p>') == []


def tile_hosts(templates: list[tuple[str, str]]) -> list[str]:
    providers = [TileProvider("地图", "Map", url, "", "wgs84", subdomains) for url, subdomains in templates]
    return sorted(set().union(*(p.origins for p in providers)))


def test_tile_hosts_spell_out_subdomains():
    assert tile_hosts([("https://webrd0{s}.is.autonavi.com/appmaptile?x={x}", "12"), ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "abc")]) == [
        "https://tile.openstreetmap.org", "https://webrd01.is.autonavi.com", "https://webrd02.is.autonavi.com"]


def test_the_policy_is_computed_from_the_pages(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "index.html").write_text("<script>one()</script><p>x</p>", encoding="utf-8")
    (tmp_path / "en" / "index.html").write_text("<script>two()</script><script>one()</script>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>404</h1>", encoding="utf-8")
    headers = SiteHeaders.compute(tmp_path, tile_hosts([("https://t{s}.example.cn/{z}", "ab")]), "https://example.gov.cn/showcase/")
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(code).digest()).decode() + "'" for code in (b"one()", b"two()")]
    assert sorted(hashes) == headers.script_hashes
    assert all(h in headers.csp for h in hashes) and "'unsafe-inline'" not in headers.csp
    assert "img-src 'self' data: https://ta.example.cn https://tb.example.cn" in headers.csp
    assert headers.base_path == "/showcase/" and headers.not_found == {"zh": "404.html"}
    headers.write(tmp_path)
    again = SiteHeaders.read(tmp_path)
    assert again.csp == headers.csp and again.headers_for("index.html")["Cache-Control"] == REVALIDATE
    assert "error_page 404 $showcase_not_found;" in (tmp_path / ".deploy" / "nginx.conf").read_text(encoding="utf-8")


def test_a_page_with_a_handler_stops_the_build(tmp_path):
    (tmp_path / "index.html").write_text('<button onclick="go()">x</button>', encoding="utf-8")
    with pytest.raises(InlineCodeError, match="index.html"):
        SiteHeaders.compute(tmp_path, [])
