"""A keyboard-only walk through the sample site (issue 15 part C.6): from the home page to a case
through the list's filters, the before/after slider, the gallery, a map marker, the language
switch and 长辈模式 — only Tab, Shift+Tab, Enter, Space, Escape and the arrow keys, with the focused
element on screen and visibly marked at every stop."""

from __future__ import annotations

import re

import pytest

from tests.browser.keyboard import assert_focus_visible, tab_until

pytestmark = pytest.mark.browser

CASE = "jiading-ximen-street-vitality"  # in the sample: a before/after pair, a photo and a map


def test_keyboard_only_walk(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    try:
        walk(page, server)
        assert not errors
    finally:
        page.close()


def walk(page, server):
    keys = page.keyboard
    page.goto(server)

    # 1. the home page: Tab to the case list, Enter
    tab_until(page, "el.tagName === 'A' && new URL(el.href).pathname === '/cases/'", "home → case list link")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/cases/$"))
    page.wait_for_selector("#sc-filters:not([hidden])")

    # 2. the filters: Tab to 嘉定区, Space ticks it; the list shrinks and says so
    tab_until(page, "el.matches('input[name=district][value=jiading]')", "district filter 嘉定区")
    keys.press(" ")
    assert page.is_checked("input[name=district][value=jiading]")
    assert "district=jiading" in page.url
    assert page.locator(f"#sc-case-list .sc-card__link[href*='{CASE}']").is_visible()
    assert page.locator("#sc-case-list li.sc-card:visible").count() < page.locator("#sc-case-list li.sc-card").count()
    assert_focus_visible(page, "after ticking the filter")

    # 3. Tab on to the case, Enter
    tab_until(page, f"el.matches('a.sc-card__link[href*=\"{CASE}\"]')", "the case in the filtered list")
    keys.press("Enter")
    page.wait_for_url(re.compile(f"/cases/{CASE}/$"))

    # 4. the before/after slider leads the page: arrows move it, End goes to the end
    slider = page.locator(".sc-lead-media input.sc-compare__range")
    tab_until(page, "el.matches('.sc-lead-media input.sc-compare__range')", "before/after slider")
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    assert slider.input_value() == "60" and slider.get_attribute("aria-valuetext") == "改造前 60% · 改造后 40%"
    keys.press("ArrowLeft")
    assert slider.input_value() == "55"
    keys.press("End")
    assert slider.input_value() == "100"
    assert_focus_visible(page, "slider after End")

    # 5. the gallery: Enter opens the lightbox, arrows turn, Escape closes and gives focus back
    tab_until(page, "el.matches('a.sc-zoom')", "a photo of the gallery")
    keys.press("Enter")
    dialog = page.locator("dialog.sc-lightbox")
    assert dialog.is_visible()
    total = page.locator("a.sc-zoom").count()
    assert page.inner_text(".sc-lightbox__position") == f"图 1 / 共 {total}"
    assert_focus_visible(page, "in the lightbox")
    keys.press("ArrowRight")
    assert page.inner_text(".sc-lightbox__position") == f"图 {1 % total + 1} / 共 {total}"
    keys.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("() => document.activeElement.matches('a.sc-zoom')")
    assert_focus_visible(page, "back on the photo")

    # 6. the map: Tab on until the map or the list beside it (the map loads as focus nears it),
    #    then back to the marker; Enter opens its popup, Escape closes it and gives focus back
    tab_until(page, "el.closest('.sc-map, .sc-place-list')", "towards the map")
    page.wait_for_selector(".sc-map.sc-map--ready .leaflet-marker-icon", timeout=15000)
    where = page.evaluate("""() => { const el = document.activeElement, marker = document.querySelector('.sc-map .leaflet-marker-icon');
        if (el === marker) return 'on'; return el.compareDocumentPosition(marker) & Node.DOCUMENT_POSITION_FOLLOWING ? 'before' : 'after'; }""")
    if where != "on":  # the map itself is a tab stop before its marker; its list comes after it
        tab_until(page, "el.matches('.sc-map .leaflet-marker-icon')", "the map marker",
                  key="Tab" if where == "before" else "Shift+Tab", limit=40)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("西门历史文化街区")
    keys.press("Enter")
    page.wait_for_selector(".leaflet-popup")
    assert page.evaluate("() => !!document.activeElement.closest('.leaflet-popup-content')")
    assert_focus_visible(page, "the popup's link")
    keys.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate("() => document.activeElement.matches('.sc-map .leaflet-marker-icon')")
    assert_focus_visible(page, "back on the marker")
    # the map holds no one: Tab leaves it
    tab_until(page, "!el.closest('.sc-map')", "out of the map", limit=30)

    # 7. the language switch in the header: Shift+Tab back up to it, Enter
    tab_until(page, "el.matches('a[hreflang=en]')", "the language switch", key="Shift+Tab", limit=200)
    keys.press("Enter")
    page.wait_for_url(re.compile(f"/en/cases/{CASE}/$"))
    assert page.evaluate("() => document.documentElement.lang").startswith("en")

    # 8. 长辈模式 / Large text, in the header (another part of issue 15 adds it)
    if not page.locator("[data-sc-large-text], .sc-large-text-toggle").count():
        pytest.skip("steps 1-7 passed; the 长辈模式 / Large text switch (a header button with aria-pressed) "
                    "is not on the page yet, so its keyboard step could not run")
    toggle = page.locator("[data-sc-large-text], .sc-large-text-toggle").first
    pressed = toggle.get_attribute("aria-pressed")
    tab_until(page, "el.matches('[data-sc-large-text], .sc-large-text-toggle')", "the 长辈模式 switch")
    keys.press("Enter")
    page.wait_for_function(f"() => document.querySelector('[data-sc-large-text], .sc-large-text-toggle')"
                           f".getAttribute('aria-pressed') !== '{pressed}'")
    on = toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("() => document.documentElement.classList.contains('sc-large-text')") == on
    assert_focus_visible(page, "the 长辈模式 switch after Enter")
    keys.press(" ")
    page.wait_for_function(f"() => document.querySelector('[data-sc-large-text], .sc-large-text-toggle')"
                           f".getAttribute('aria-pressed') === '{pressed}'")
    assert page.evaluate("() => document.documentElement.classList.contains('sc-large-text')") == (pressed == "true")
    assert_focus_visible(page, "the 长辈模式 switch after Space")


@pytest.mark.parametrize("lang, home, other", [("zh", "/", "/en/"), ("en", "/en/", "/")])
def test_a_missed_address_leads_on_by_keyboard(browser, server, lang, home, other):
    """The 404 page of each language: Tab reaches its links (home, the cases, the other language),
    each visibly focused, and Enter follows them."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    try:
        page.goto(server + ("en/404.html" if lang == "en" else "404.html"))
        article = "el.closest('article') && el.tagName === 'A'"
        tab_until(page, f"{article} && new URL(el.href).pathname === '{home}cases/'", "404 → all cases")
        assert_focus_visible(page, "the cases link of the 404 page")
        tab_until(page, f"{article} && new URL(el.href).pathname === '{other}'", "404 → the other language")
        assert_focus_visible(page, "the other language's link")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(f"() => new URL(document.activeElement.href).pathname === '{home}'")
        page.keyboard.press("Enter")
        page.wait_for_url(server.rstrip("/") + home)
    finally:
        page.close()
