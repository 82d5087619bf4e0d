"""Layout rules a visitor can measure (issue 20). No empty chrome: at 1280 px no page keeps a
navigation column that would list the page alone, and a table of contents shows only where it
has at least three sections; the text takes the room. On a phone the menu still lists every tab."""

from __future__ import annotations

import pytest

from generator.render.pages import TOC_MIN_SECTIONS
from tests.browser.test_axe import PAGES

VISIBLE_LINKS = "els => els.filter(e => e.offsetParent !== null).length"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_sidebar_that_holds_one_item(browser, server, lang):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server) else route.abort())
    for path in PAGES:
        page.goto(server + ("en/" if lang == "en" else "") + path)
        primary = page.locator(".md-sidebar--primary")
        if primary.count() and primary.is_visible():
            links = primary.locator(".md-nav__link").evaluate_all(VISIBLE_LINKS)
            assert links >= 2, f"{lang}:/{path}: a navigation column with {links} link"
        toc = page.locator(".md-sidebar--secondary")
        if toc.count() and toc.is_visible():
            entries = toc.locator(".md-nav__link").evaluate_all(VISIBLE_LINKS)
            assert entries >= TOC_MIN_SECTIONS, f"{lang}:/{path}: a table of contents of {entries} entries"
        # the content starts at the page's left margin when there is no navigation column
        if not primary.is_visible():
            assert page.locator("article.md-content__inner").bounding_box()["x"] < 100, f"{lang}:/{path}"
    page.close()


def test_long_pages_keep_their_table_of_contents(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in ["cases/changning-huayang-renminfang/", "glossary/", "en/glossary/", "retrospective/"]:
        page.goto(server + path)
        assert page.locator(".md-sidebar--secondary").is_visible(), path
    page.close()


def test_the_phone_menu_still_lists_every_tab(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    for path, expected in [("about/", ["首页", "优秀案例", "词语解释", "关于"]), ("en/cases/", ["Home", "Excellent cases", "Glossary", "About"])]:
        page.goto(server + path)
        page.click(".md-header label.md-header__button[for=__drawer]")
        page.wait_for_timeout(400)
        shown = page.locator(".md-sidebar--primary .md-nav__link").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null).map(e => e.textContent.trim())")
        for label in expected:
            assert label in shown, (path, shown)
    context.close()
