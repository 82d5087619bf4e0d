"""A reader's path through the built site, in headless Chromium (Debian's, no browser download)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.helpers import configured_tile_host

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_home_switch_language_open_a_case(browser, server, sample_collection, tmp_path_factory, width):
    shots = tmp_path_factory.mktemp(f"shots-{width}")
    page = browser.new_page(viewport={"width": width, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(server)
    assert page.locator("html").get_attribute("lang") == "zh"
    assert "15分钟社区生活圈" in page.locator("h1").first.inner_text()
    page.screenshot(path=str(shots / "home-zh.png"), full_page=True)

    # switch language on the home page: lands on the English home page
    page.locator("a.sc-lang-direct[data-lang='en']").click()
    page.wait_for_url(server + "en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Case Showcase" in page.locator("h1").first.inner_text()

    # open the case list, then the first case
    if width >= 1220:
        page.locator(".md-tabs__link", has_text="Excellent cases").click()
    else:  # phones: the drawer holds the navigation
        page.locator("label.md-header__button[for='__drawer']").click()
        page.locator("nav.md-nav--primary a.md-nav__link", has_text="Excellent cases").click()
    page.wait_for_url(server + "en/cases/")
    first = page.locator(".sc-card__link").first
    title = first.inner_text().strip()
    first.click()
    page.wait_for_url("**/en/cases/*/")
    assert page.locator("h1").first.inner_text().strip() == title
    case_id = page.url.rstrip("/").split("/")[-1]
    page.screenshot(path=str(shots / "case-en.png"), full_page=True)

    # and back to Chinese on the same case
    page.locator("a.sc-lang-direct[data-lang='zh']").click()
    page.wait_for_url(server + f"cases/{case_id}/")
    assert page.locator("h1").first.inner_text().strip() == sample_collection.cases[case_id].title.zh
    assert page.locator("html").get_attribute("lang") == "zh"
    page.screenshot(path=str(shots / "case-zh.png"), full_page=True)

    hosts = {urlparse(url).hostname for url in requested if url.startswith("http")}
    strangers = {h for h in hosts if h != "127.0.0.1" and not configured_tile_host(h)}
    assert not strangers, f"requests left the site for hosts mkdocs.yml does not name: {strangers}"
    page.close()


def test_images_load_and_nothing_shifts(browser, server, sample_collection):
    case = next(c for c in sample_collection.cases_sorted() if c.media)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(server + f"cases/{case.id}/")
    image = page.locator(".sc-figure img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.get_attribute("width") and image.get_attribute("height")
    # map tiles cannot load here (no internet); everything of the site's own must
    assert [url for url in failed if not configured_tile_host(urlparse(url).hostname)] == []
    page.close()
