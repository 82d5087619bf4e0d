"""The gallery and the before/after slider by keyboard (issue 15 part C.3), and a case page that
leads with its picture on a phone (C.4), in headless Chromium."""

from __future__ import annotations

import pytest

from tests.browser.keyboard import assert_focus_visible
from tests.browser.test_gallery import photo_server  # noqa: F401 - the fixture: a case with a pair and photos
from tests.site.test_media_pages import CASE

pytestmark = pytest.mark.browser


@pytest.fixture()
def open_page(browser, photo_server):  # noqa: F811
    pages = []

    def open_(path, width=375, height=740):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        page.goto(photo_server + path)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        assert not page.errors
        page.close()


@pytest.mark.parametrize("prefix, before, after", [("", "改造前", "改造后"), ("en/", "Before", "After")])
def test_the_slider_moves_by_steps_and_says_its_value_in_the_page_language(open_page, prefix, before, after):
    page = open_page(prefix + f"cases/{CASE}/")
    slider = page.locator(".sc-compare input[type=range]")
    slider.focus()
    assert_focus_visible(page, "slider")
    assert slider.get_attribute("aria-valuetext") == f"{before} 50% · {after} 50%"
    page.keyboard.press("ArrowRight")
    assert slider.input_value() == "55"
    assert slider.get_attribute("aria-valuetext") == f"{before} 55% · {after} 45%"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert slider.input_value() == "45"
    page.keyboard.press("Home")
    assert slider.input_value() == "0" and slider.get_attribute("aria-valuetext") == f"{before} 0% · {after} 100%"
    page.keyboard.press("End")
    assert slider.input_value() == "100"
    assert page.evaluate("() => document.querySelector('.sc-compare').style.getPropertyValue('--sc-compare')") == "100%"
    assert_focus_visible(page, "slider after End")


@pytest.mark.parametrize("prefix, first, last", [("", "图 1 / 共 2", "图 2 / 共 2"), ("en/", "Photo 1 of 2", "Photo 2 of 2")])
def test_the_lightbox_by_keyboard_announces_the_position_and_gives_focus_back(open_page, prefix, first, last):
    page = open_page(prefix + f"cases/{CASE}/")
    link = page.locator("a.sc-zoom").first
    link.focus()
    assert_focus_visible(page, "photo link")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.sc-lightbox")
    assert dialog.is_visible()
    position = page.locator(".sc-lightbox__position")
    assert position.get_attribute("role") == "status" and position.get_attribute("aria-live") == "polite"
    assert position.inner_text() == first
    # focus is in the dialog, on a named button, and visible
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null && document.activeElement.tagName === 'BUTTON'")
    assert_focus_visible(page, "lightbox button")
    page.keyboard.press("End")
    assert position.inner_text() == last
    page.keyboard.press("Home")
    assert position.inner_text() == first
    page.keyboard.press("ArrowRight")
    assert position.inner_text() == last
    # Tab reaches next/previous; Enter on "next" turns the page
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('sc-lightbox__next')"):
            break
    assert_focus_visible(page, "next button")
    page.keyboard.press("Enter")
    assert position.inner_text() == first
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('sc-zoom')")
    assert_focus_visible(page, "photo link after Escape")


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("width, height", [(360, 740), (1280, 900)])
def test_a_case_page_leads_with_its_picture(open_page, prefix, width, height):
    page = open_page(prefix + f"cases/{CASE}/", width, height)
    top = page.evaluate("() => document.querySelector('.sc-lead-media img').getBoundingClientRect().top + scrollY")
    assert top < 600, f"the lead picture starts {top} px down"
    # before the summary and the facts; the gallery, map and sources after the story
    order = page.evaluate("""() => ['.sc-lead-media', '.sc-lead', '#overview', '#media', '#location', '#sources']
        .map(s => document.querySelector(s)).filter(Boolean).map(el => el.getBoundingClientRect().top + scrollY)""")
    assert order == sorted(order)
    if width > 1000:  # the desktop keeps the picture a sensible size
        box = page.locator(".sc-lead-media").bounding_box()
        assert box["width"] <= 44 * 20 + 1 and box["height"] < 900
