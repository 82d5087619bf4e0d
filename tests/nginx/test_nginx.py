"""The built sample site behind nginx with the shipped configuration: what a reader's browser and a
CDN get. Status codes, 404s in the reader's language, cache and security headers, gzip, types."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.nginx.server import get

IMMUTABLE = "public, max-age=31536000, immutable"
SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options", "permissions-policy")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.body.decode("utf-8"), "html.parser")


def first(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert found, f"the built site has no {pattern}"
    return found[0].relative_to(site).as_posix()


def assert_secure(response, url: str) -> None:
    for name in SECURITY:
        assert response.headers.get(name), f"{url}: no {name} header"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path, lang", [("", "zh"), ("en/", "en"), ("cases/", "zh"), ("en/cases/changning-ningjuli/", "en"),
                                        ("competition/", "zh"), ("map/", "zh"), ("en/retrospective/", "en"),
                                        ("exhibitions/", "zh"), ("downloads/", "zh"), ("en/about/", "en")])
def test_pages_answer_in_their_language_and_are_revalidated(nginx_site, path, lang):
    response = get(nginx_site.url + path)
    assert response.status == 200, path
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert soup(response).html["lang"].startswith(lang)
    assert response.headers["cache-control"] == "no-cache"
    assert_secure(response, path)


def test_a_directory_without_its_slash_is_redirected_relatively(nginx_site):
    response = get(nginx_site.url + "cases/changning-ningjuli")
    assert response.status == 301
    assert response.headers["location"] == "/cases/changning-ningjuli/"  # relative: right behind a CDN
    assert_secure(response, "redirect")


@pytest.mark.parametrize("path, lang, words", [("no-such-page/", "zh", "页面未找到"), ("cases/no-such-case/", "zh", "页面未找到"),
                                               ("en/no-such-page/", "en", "Page not found"),
                                               ("en/cases/no-such-case/", "en", "Page not found")])
def test_a_miss_gets_the_404_page_of_its_language(nginx_site, path, lang, words):
    response = get(nginx_site.url + path)
    assert response.status == 404
    page = soup(response)
    assert page.html["lang"].startswith(lang), f"{path}: the 404 page is in {page.html['lang']}"
    assert words in page.get_text()
    assert response.headers["cache-control"] == "no-cache"
    assert_secure(response, path)


def test_the_builds_own_files_are_never_served(nginx_site):
    assert (nginx_site.site / ".deploy" / "headers.json").is_file()
    for path in (".deploy/headers.json", ".deploy/nginx.conf", "en/.deploy/headers.json"):
        response = get(nginx_site.url + path)
        assert response.status == 404, path
        assert_secure(response, path)


def test_files_named_by_their_content_are_cached_for_a_year(nginx_site):
    site = nginx_site.site
    home = soup(get(nginx_site.url))
    stylesheets = [link["href"] for link in home.find_all("link", rel="stylesheet")]
    scripts = [script["src"] for script in home.find_all("script", src=True)]
    own_css = next(href for href in stylesheets if href.startswith("stylesheets/showcase."))
    material_css = next(href for href in stylesheets if href.startswith("assets/stylesheets/main."))
    own_js = next(src for src in scripts if src.startswith("javascripts/large-text."))
    immutable = [own_css, material_css, own_js, next(src for src in scripts if "assets/javascripts/bundle." in src),
                 first(site, "assets/vendor/*/leaflet/leaflet.js"), first(site, "assets/vendor/*/leaflet/images/*.png"),
                 first(site, "assets/maps/*/districts/changning.js"), first(site, "media/excellent/*/*-960.webp"),
                 first(site, "media/excellent/*/*-thumb.jpg"), first(site, "pagefind/fragment/*.pf_fragment"),
                 first(site, "pagefind/index/*.pf_index"), first(site, "pagefind/*.pf_meta")]
    for path in immutable:
        response = get(nginx_site.url + path)
        assert response.status == 200, path
        assert response.headers["cache-control"] == IMMUTABLE, path
        assert_secure(response, path)
    # their names really are their content: a file's hash is in its name
    for path in (own_css, own_js):
        digest = hashlib.sha256((site / path).read_bytes()).hexdigest()
        if path.startswith("javascripts/"):
            assert digest[:10] in path, f"{path} is not named by its content"


def test_what_may_change_under_its_name_is_revalidated(nginx_site):
    site = nginx_site.site
    case = soup(get(nginx_site.url + "cases/changning-ningjuli/"))
    map_script = case.find(class_="sc-map")["data-script"]
    assert "?v=" in map_script
    for path in ("sitemap.xml", "pagefind/pagefind.js", "pagefind/pagefind-entry.json", first(site, "pagefind/wasm.*.pagefind"),
                 "downloads/cases.csv", "downloads/excellent-cases.pdf", "assets/images/favicon.png",
                 "cases/changning-ningjuli/" + map_script):
        response = get(nginx_site.url + path)
        assert response.status == 200, path
        assert response.headers["cache-control"] == "no-cache", path
        assert_secure(response, path)


def test_the_policy_allows_exactly_the_pages_inline_scripts(nginx_site):
    rules = json.loads((nginx_site.site / ".deploy" / "headers.json").read_text(encoding="utf-8"))
    for path in ("", "en/cases/changning-ningjuli/", "exhibitions/", "no-such-page/"):
        response = get(nginx_site.url + path)
        policy = response.headers["content-security-policy"]
        assert policy == rules["security_headers"]["Content-Security-Policy"]
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src and "*" not in script_src
        inline = [s.string or "" for s in soup(response).find_all("script")
                  if not s.get("src") and s.get("type") in (None, "text/javascript", "module")]
        assert inline, f"{path}: expected Material's inline scripts"
        for code in inline:
            digest = "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
            assert digest in script_src, f"{path}: an inline script is not allowed by the policy"
    # only the configured tile hosts come from elsewhere
    img_src = next(d for d in policy.split(";") if d.strip().startswith("img-src")).split()[1:]
    others = [source for source in img_src if source not in ("'self'", "data:")]
    assert others and all(re.fullmatch(r"https://(webrd0[1-4]\.is\.autonavi\.com|tile\.openstreetmap\.org)", s) for s in others), others
    for directive in ("default-src", "connect-src", "font-src", "media-src"):
        assert f"{directive} 'self'" in policy


def test_text_is_compressed_and_prebuilt_gz_files_are_served_as_they_are(nginx_site):
    site = nginx_site.site
    page = get(nginx_site.url + "cases/", {"Accept-Encoding": "gzip"})
    assert page.headers.get("content-encoding") == "gzip" and "Accept-Encoding" in page.headers.get("vary", "")
    assert gzip.decompress(page.body).decode("utf-8").lstrip().startswith("<!doctype html>")
    plain = get(nginx_site.url + "cases/")
    assert "content-encoding" not in plain.headers and len(plain.body) > 3 * len(page.body)
    bundle = first(site, "assets/javascripts/bundle.*.min.js")
    assert (site / (bundle + ".gz")).is_file(), "the build pre-compresses large scripts"
    served = get(nginx_site.url + bundle, {"Accept-Encoding": "gzip"})
    assert served.headers.get("content-encoding") == "gzip"
    assert served.body == (site / (bundle + ".gz")).read_bytes(), "gzip_static serves the build's .gz"
    assert served.headers["cache-control"] == IMMUTABLE
    assert gzip.decompress(served.body) == (site / bundle).read_bytes()


def test_types_pagefind_and_maps_need(nginx_site):
    site = nginx_site.site
    expected = {
        first(site, "pagefind/fragment/*.pf_fragment"): "application/octet-stream",
        first(site, "pagefind/index/*.pf_index"): "application/octet-stream",
        first(site, "pagefind/*.pf_meta"): "application/octet-stream",
        first(site, "pagefind/wasm.*.pagefind"): "application/octet-stream",
        "pagefind/pagefind.js": "application/javascript",
        "pagefind/pagefind-entry.json": "application/json",
        first(site, "assets/maps/*/districts/all.geojson"): "application/geo+json",
        "sitemap.xml": "text/xml",
        first(site, "media/excellent/*/*-960.webp"): "image/webp",
    }
    for path, kind in expected.items():
        response = get(nginx_site.url + path, {"Accept-Encoding": "gzip"})
        assert response.status == 200, path
        assert response.headers["content-type"].split(";")[0] == kind, (path, response.headers["content-type"])
        if path.startswith("pagefind/") and not path.endswith((".js", ".json")):
            # Pagefind compresses its own files; a second gzip would break them
            assert "content-encoding" not in response.headers, path


def test_workers_run_as_another_user_and_can_read_every_file(nginx_site):
    """As on a server: nginx's workers are www-data (when the tests run as root), and every file
    of the site answers 200, so nothing the build wrote is private to its user."""
    workers = subprocess.run(["ps", "-eo", "user:32,args"], capture_output=True, text=True).stdout
    assert any(line.split()[0] == nginx_site.worker_user and "nginx: worker process" in line for line in workers.splitlines())
    site = nginx_site.site
    files = [p for p in site.rglob("*") if p.is_file() and ".deploy" not in p.parts and not p.name.endswith(".gz")]
    sample = files[:: max(1, len(files) // 60)]
    for path in sample:
        relative = path.relative_to(site).as_posix()
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        response = get(nginx_site.url + relative)
        assert response.status == 200, f"{relative}: {response.status}"
