"""Maps by keyboard (issue 15 part C.1), in headless Chromium with no network but this machine:
markers and clusters are named buttons in the page's language, Enter/Space opens a popup and
Escape closes it and gives focus back, Tab leaves the map, and the controls are named in both
languages."""

from __future__ import annotations

import pytest

from tests.browser.keyboard import assert_focus_visible, focus_state

pytestmark = pytest.mark.browser

CASE = "changning-ningjuli"


@pytest.fixture()
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    yield page
    assert not page.errors
    page.close()


def open_map(page, url):
    page.goto(url)
    page.locator(".sc-map").scroll_into_view_if_needed()
    page.wait_for_selector(".sc-map.sc-map--ready", timeout=15000)
    page.wait_for_selector(".sc-map .leaflet-marker-icon", timeout=15000)


@pytest.mark.parametrize("prefix, title", [("", "宁聚里"), ("en/", "Ningjuli")])
def test_a_marker_is_a_button_named_after_its_place_in_the_page_language(page, server, sample_collection, prefix, title):
    open_map(page, server + prefix + f"cases/{CASE}/")
    marker = page.locator(".sc-map .leaflet-marker-icon").first
    expected = sample_collection.cases[CASE].title.get("en" if prefix else "zh")
    assert title in expected
    assert marker.get_attribute("aria-label") == expected
    assert marker.get_attribute("role") == "button" and marker.get_attribute("tabindex") == "0"


@pytest.mark.parametrize("prefix, zoom_in, zoom_out", [("", "放大地图", "缩小地图"), ("en/", "Zoom in", "Zoom out")])
def test_zoom_and_layer_controls_are_named_in_the_page_language(page, server, prefix, zoom_in, zoom_out):
    open_map(page, server + prefix + "map/")
    assert page.get_attribute(".leaflet-control-zoom-in", "aria-label") == zoom_in
    assert page.get_attribute(".leaflet-control-zoom-out", "aria-label") == zoom_out
    assert page.get_attribute(".leaflet-control-layers-toggle", "aria-label") == ("切换底图" if not prefix else "Choose the base map")


@pytest.mark.parametrize("key", ["Enter", " "])
def test_enter_or_space_opens_the_popup_and_escape_gives_focus_back(page, server, key):
    open_map(page, server + f"en/cases/{CASE}/")
    page.focus(".sc-map")  # the map itself is a tab stop; the marker is the next
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('sc-marker')")
    assert_focus_visible(page, "marker")
    page.keyboard.press(key)
    popup = page.locator(".leaflet-popup")
    popup.wait_for(state="visible")
    # focus moves to the popup's link, to the place's page
    assert page.evaluate("() => !!document.activeElement.closest('.leaflet-popup-content') && document.activeElement.tagName === 'A'")
    assert_focus_visible(page, "popup link")
    assert page.get_attribute(".leaflet-popup-close-button", "aria-label") == "Close the place's details"
    page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    assert page.evaluate("() => document.activeElement.classList.contains('sc-marker')")
    assert_focus_visible(page, "marker after Escape")


def test_a_cluster_is_named_and_enter_zooms_in_to_its_places(page, server):
    open_map(page, server + "en/map/")
    cluster = page.locator(".sc-map .marker-cluster").first
    label = cluster.get_attribute("aria-label")
    assert label and label.endswith("places (press Enter to zoom in)") and cluster.get_attribute("role") == "button"
    count = int(label.split()[0])
    zoom = page.evaluate("() => document.querySelector('.sc-map').showcase.map.getZoom()")
    cluster.focus()
    cluster.evaluate("el => { el.dataset.pressed = '1'; }")
    assert_focus_visible(page, "cluster")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('.sc-map').showcase.map.getZoom() > {zoom}", timeout=5000)
    # focus lands on the first place the cluster held: a marker, or a smaller cluster drawn anew
    page.wait_for_function("() => document.activeElement.classList.contains('leaflet-marker-icon')"
                           " && !document.activeElement.dataset.pressed", timeout=5000)
    state = assert_focus_visible(page, "after zooming in")
    assert state["label"]
    assert count >= 2


@pytest.mark.parametrize("url", [f"cases/{CASE}/", "map/"])
def test_tab_goes_through_the_map_and_out_again(page, server, url):
    open_map(page, server + url)
    page.focus(".sc-map")
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('.sc-map')")
        if not inside:
            break
        stops.append(focus_state(page))
    else:
        raise AssertionError("Tab never left the map: " + repr(stops[-3:]))
    assert stops and all(s["ok"] for s in stops), [s for s in stops if not s["ok"]]
    # Shift+Tab comes back into it
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => !!document.activeElement.closest('.sc-map')")


def test_the_map_page_skip_link_passes_the_map(page, server):
    page.goto(server + "map/")
    skip = page.locator(".sc-skip-map a")
    skip.focus()
    assert_focus_visible(page, "skip link")
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#places"
