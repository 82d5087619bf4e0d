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


SITE_NAME = {"zh": "上海“15分钟社区生活圈”优秀案例展", "en": "Shanghai 15-Minute Community Life Circle: Case Showcase"}


def phone(browser, width=360, height=740, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True, is_mobile=True, **options)
    return context, context.new_page()


@pytest.mark.parametrize("width", [360, 320])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_site_name_is_never_cut_off_on_a_phone(browser, server, lang, width):
    """The whole name is on screen: not shortened with "…", not clipped by its box, not wider than
    the screen (it wraps onto a row of its own under the controls)."""
    context, page = phone(browser, width)
    for path in ["", "cases/changning-ningjuli/", "exhibitions/2024-excellent-cases/"]:
        page.goto(server + ("en/" if lang == "en" else "") + path)
        name = page.locator(".md-header__topic:first-child .md-ellipsis")
        assert name.inner_text().strip() == SITE_NAME[lang]
        box = name.evaluate("""el => { const r = el.getBoundingClientRect(), p = el.closest('.md-header__ellipsis').getBoundingClientRect();
            return {left: r.left, right: r.right, bottom: r.bottom, clipped: el.scrollWidth > el.clientWidth + 1 || r.bottom > p.bottom + 1,
                    overflow: getComputedStyle(el).textOverflow}; }""")
        assert box["left"] >= 0 and box["right"] <= width, (path, box)
        assert not box["clipped"] and box["overflow"] != "ellipsis", (path, box)
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_case_leads_with_its_place_in_the_first_screen(browser, server, lang):
    """Title, lead photo, summary and the key facts share the first screen at 1280×900 (photo on
    the left, summary and facts beside it); on a 360×740 phone the lead photo starts in the first
    screen (tests/browser/test_gallery_keyboard.py checks the order of what follows)."""
    prefix = "en/" if lang == "en" else ""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + prefix + "cases/changning-ningjuli/")
    photo, summary, facts = (page.locator(s).bounding_box() for s in [".sc-lead-media img", ".sc-case-lead .sc-lead", ".sc-case-lead .sc-facts"])
    assert photo["y"] < 900 and summary["y"] < 900 and facts["y"] < 900
    assert summary["x"] >= photo["x"] + photo["width"], "the summary sits beside the photo"
    page.close()
    context, page = phone(browser)
    page.goto(server + prefix + "cases/changning-ningjuli/")
    assert page.locator(".sc-lead-media img").bounding_box()["y"] < 740
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_exhibition_opens_with_its_cover_and_rooms(browser, server, lang):
    """The entrance: at 1280×900 the cover beside the title and the list of rooms, which starts in
    the first screen, each room with a picture or its number; on a phone the cover follows the title."""
    prefix = "en/" if lang == "en" else ""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + prefix + "exhibitions/2024-excellent-cases/")
    cover, title = page.locator(".sc-exhibition-cover img").bounding_box(), page.locator("h1").bounding_box()
    assert cover["y"] < 900 and cover["x"] > title["x"] + title["width"] - 1, "the cover beside the title"
    rooms = page.locator(".sc-room-card")
    assert rooms.count() == 3
    assert rooms.first.bounding_box()["y"] < 900 - 40, "the rooms start in the first screen"
    for n in range(rooms.count()):
        assert rooms.nth(n).locator("img, .sc-room-card__image--none").count() == 1
    page.close()
    context, page = phone(browser)
    page.goto(server + prefix + "exhibitions/2024-excellent-cases/")
    title, cover = page.locator("h1").bounding_box(), page.locator(".sc-exhibition-cover img").bounding_box()
    assert title["y"] < cover["y"] < 740 and cover["y"] + cover["height"] <= 740 + 60
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    context.close()


@pytest.mark.parametrize("lang, most", [("zh", 42), ("en", 40)])
def test_running_text_keeps_a_readable_measure(browser, server, lang, most):
    """At 1280 px (no navigation column, so a wide content area) a line of running text holds at
    most about 40 Chinese characters, or about 75 English characters (≈ 36 em)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in ["about/", "exhibitions/2024-excellent-cases/1/", "retrospective/"]:
        page.goto(server + ("en/" if lang == "en" else "") + path)
        widths = page.locator("article.md-content__inner p").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null && e.textContent.length > 80 && !e.closest('table, .sc-cards, figure'))"
            ".map(e => e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize))")
        assert widths, path
        assert max(widths) <= most, (path, max(widths))
    page.close()
