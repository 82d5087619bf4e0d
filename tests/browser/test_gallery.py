"""The lightbox (keyboard and touch) and the before/after slider, in headless Chromium."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.helpers import build
from tests.site.test_media_pages import CASE, content_with_photos

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def photo_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gallery")
    site = tmp / "site"
    assert build(content_with_photos(tmp), site).returncode == 0

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture()
def page(browser, photo_server):
    page = browser.new_page(viewport={"width": 375, "height": 740}, has_touch=True)
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page.goto(photo_server + f"en/cases/{CASE}/")
    yield page
    page.close()


def test_lightbox_opens_moves_with_arrow_keys_and_closes_with_escape(page):
    first = page.locator("a.sc-zoom").first
    first.scroll_into_view_if_needed()
    first.click()
    dialog = page.locator("dialog.sc-lightbox")
    assert dialog.is_visible()
    assert dialog.get_attribute("data-index") == "0"
    assert "1 of 2" in page.locator(".sc-lightbox__position").inner_text()
    assert page.locator(".sc-lightbox__figure img").get_attribute("alt") == "Residents' activity"
    page.keyboard.press("ArrowRight")
    assert dialog.get_attribute("data-index") == "1"
    assert page.locator(".sc-lightbox__figure img").get_attribute("alt") == "Floor plan"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # wraps round
    assert dialog.get_attribute("data-index") == "1"
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('sc-zoom')")  # focus returns


def test_lightbox_follows_a_swipe(page):
    first = page.locator("a.sc-zoom").first
    first.scroll_into_view_if_needed()
    first.click()
    dialog = page.locator("dialog.sc-lightbox")
    box = dialog.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 300, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 100, y, steps=5)
    page.mouse.up()
    assert dialog.get_attribute("data-index") == "1"


def test_before_after_slider(page):
    pair = page.locator(".sc-compare")
    pair.scroll_into_view_if_needed()
    assert "sc-compare--slider" in pair.get_attribute("class")
    slider = pair.locator("input[type=range]")
    assert slider.is_visible()
    slider.fill("20")
    assert page.evaluate("() => document.querySelector('.sc-compare').style.getPropertyValue('--sc-compare')") == "20%"
    clip = page.evaluate("() => getComputedStyle(document.querySelector('.sc-compare__after')).clipPath")
    assert "20%" in clip


def test_photos_below_the_fold_wait(page):
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/media/'))")
    assert not [u for u in loaded if "plan-" in u], "a photo far below the fold loaded with the page"
