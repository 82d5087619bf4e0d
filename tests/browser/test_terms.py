"""Glossary term links in Chromium (issue 18): the explanation shows on hover (and stays while the
pointer moves onto it), on keyboard focus (Esc hides it, the focus stays), on a first tap (a second
tap follows the link); without JavaScript the term is a plain link to its definition. WCAG 1.4.13."""

from __future__ import annotations

import re

import pytest

from tests.browser.keyboard import tab_until

TERM = ".sc-term:has(a[href$='#renminfang'])"


def _local_only(page):
    page.route(re.compile(r"^(?!http://127\.0\.0\.1)"), lambda route: route.abort())


def _tip_visible(page) -> bool:
    return page.locator(f"{TERM} .sc-term__tip").is_visible()


@pytest.mark.parametrize("path, tip_start", [("about/", "集中布局"), ("en/about/", "A one-stop service centre")])
def test_hover_shows_the_explanation_and_it_can_be_hovered(browser, server, path, tip_start):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _local_only(page)
    page.goto(server + path)
    link = page.locator(f"{TERM} a")
    assert not _tip_visible(page)
    link.hover()
    page.wait_for_timeout(100)
    assert _tip_visible(page)
    tip = page.locator(f"{TERM} .sc-term__tip")
    assert tip.inner_text().startswith(tip_start)
    # the pointer moves from the word down onto the explanation: it stays (hoverable)
    box = tip.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(500)
    assert _tip_visible(page)
    # it fits on the screen
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    # away from both, it goes
    page.mouse.move(5, 890)
    page.wait_for_timeout(600)
    assert not _tip_visible(page)
    page.close()


def test_keyboard_focus_shows_it_and_escape_hides_it(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _local_only(page)
    page.goto(server + "about/")
    tab_until(page, "el.matches(\".sc-term__link[href$='#renminfang']\")", "the 人民坊 term link", limit=120)
    assert _tip_visible(page)
    described = page.evaluate("() => document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent")
    assert described.startswith("集中布局")
    page.keyboard.press("Escape")
    assert not _tip_visible(page)
    assert page.evaluate("() => document.activeElement.matches('.sc-term__link')"), "Esc leaves the focus where it was"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/glossary/#renminfang$"))
    assert page.locator("h2#renminfang").is_visible()
    page.close()


def test_a_first_tap_explains_and_a_second_follows_the_link(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    _local_only(page)
    page.goto(server + "about/")
    link = page.locator(f"{TERM} a")
    link.scroll_into_view_if_needed()
    link.tap()
    page.wait_for_timeout(200)
    assert page.url.endswith("/about/"), "the first tap stays on the page"
    assert _tip_visible(page)
    tip = page.locator(f"{TERM} .sc-term__tip")
    assert "再点一次" in tip.inner_text()
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, "on a phone the explanation fits the screen"
    # a tap elsewhere hides it
    page.touchscreen.tap(180, 700)
    page.wait_for_timeout(200)
    assert not _tip_visible(page)
    # tap, tap: the definition
    link.tap()
    page.wait_for_timeout(200)
    link.tap()
    page.wait_for_url(re.compile(r"/glossary/#renminfang$"))
    context.close()


def test_without_javascript_it_is_a_plain_link(browser, server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "en/about/")
    link = page.locator(f"{TERM} a")
    link.hover()
    assert not _tip_visible(page), "nothing pops up, nothing is in the way"
    link.click()
    page.wait_for_url(re.compile(r"/en/glossary/#renminfang$"))
    context.close()
