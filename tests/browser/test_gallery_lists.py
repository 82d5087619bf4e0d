"""Lists are galleries (issue 20): photo cards come first on the case list, the competition, the
exhibitions and a district's page; the case list's filters sit beside the cards on a wide screen
and fold above them on a phone; without JavaScript the list is complete and shows no filters."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SITE_WITH_CASE = ("2024-04-huayang", "changning-huayang-renminfang")  # Annex 2 no. 4 became this case

# Each card's box and its picture's box (in the viewport), whether the picture has loaded and
# which of the image's pixels are on screen.
CARDS = """(selector) => [...document.querySelectorAll(selector)].filter(c => !c.hidden).map(c => {
  const r = c.getBoundingClientRect();
  const media = c.querySelector('.sc-card__media');
  const m = media.getBoundingClientRect();
  const img = media.querySelector('img');
  return { top: r.top, left: r.left, right: r.right, bottom: r.bottom,
           mediaTop: m.top, mediaBottom: m.bottom, mediaHeight: m.height,
           loaded: img ? img.complete && img.naturalWidth > 0 : null,
           src: img ? (img.currentSrc || img.src) : null,
           visible: getComputedStyle(c).display !== 'none' && r.width > 0 };
})"""


def local_page(browser, viewport, **context):
    ctx = browser.new_context(viewport=viewport, **context)
    page = ctx.new_page()
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return ctx, page, errors


def wait_for_images(page, selector: str):
    """Lazy pictures on screen load by themselves; wait until those in the first screen have."""
    page.wait_for_function("""(selector) => [...document.querySelectorAll(selector + ' .sc-card__media img')]
        .filter(i => i.getClientRects().length && i.getBoundingClientRect().top < innerHeight)
        .every(i => i.complete && i.naturalWidth > 0)""", arg=selector)


def first_screen(cards, height) -> list[dict]:
    """Cards whose top edge and at least nine tenths of their picture are inside the first screen."""
    out = []
    for card in cards:
        shown = min(card["mediaBottom"], height) - max(card["mediaTop"], 0)
        if card["visible"] and card["top"] < height and shown >= 0.9 * card["mediaHeight"]:
            out.append(card)
    return out


@pytest.fixture()
def wide(browser):
    ctx, page, errors = local_page(browser, WIDE)
    yield page
    assert not errors, errors
    ctx.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_six_photo_cards_in_the_first_screen_with_the_filters_beside_them(wide, server, sample_collection, prefix):
    page = wide
    page.goto(server + prefix + "cases/")
    page.wait_for_selector("#sc-filters:not([hidden])")
    wait_for_images(page, "#sc-case-list")
    cards = page.evaluate(CARDS, "#sc-case-list > .sc-card")
    assert len(cards) == len(sample_collection.cases)
    seen = first_screen(cards, WIDE["height"])
    assert len(seen) >= 6, [(round(c["top"]), round(c["mediaBottom"])) for c in cards]
    assert all(c["loaded"] for c in seen), "each card in the first screen shows its photo"

    # the filters are a narrow column beside the grid, open, overlapping it vertically
    form = page.locator("#sc-filters").bounding_box()
    grid = page.locator("#sc-case-list").bounding_box()
    beside = form["x"] + form["width"] <= grid["x"] + 1 or grid["x"] + grid["width"] <= form["x"] + 1
    assert beside, (form, grid)
    assert form["y"] < grid["y"] + grid["height"] and grid["y"] < form["y"] + form["height"], (form, grid)
    assert form["width"] <= 0.35 * (grid["width"] + form["width"])
    assert page.is_visible("fieldset[data-facet=district] input[value=changning]")
    assert page.is_visible("select[name=sort]")

    # and they still narrow the cards; the summary says how many filters are ticked
    page.check("fieldset[data-facet=district] input[value=changning]")
    shown = page.locator("#sc-case-list > .sc-card:visible").count()
    assert shown == sum(c.district == "changning" for c in sample_collection.cases.values()) < len(cards)
    assert page.locator(".sc-filters__active").is_visible()
    assert page.inner_text("[data-active-count]") == "1"
    assert page.inner_text("#sc-filters-status").startswith(("显示", "Showing"))


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_on_a_phone_the_cards_come_first_and_the_filters_fold(browser, server, sample_collection, prefix):
    ctx, page, errors = local_page(browser, PHONE)
    try:
        page.goto(server + prefix + "cases/?district=jiading")  # a shared, filtered link: still folded
        page.wait_for_selector("#sc-filters:not([hidden])")
        toggle = page.locator("#sc-filters summary")
        assert toggle.is_visible()
        assert page.evaluate("document.querySelector('#sc-filters details').open") is False
        assert not page.is_visible("fieldset[data-facet=district] input[value=changning]")
        assert "(1" in toggle.inner_text() or "（1" in toggle.inner_text()  # 筛选（1 项已选）/ Filter (1 selected)
        # the summary is a comfortable target
        box = toggle.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 200
        wait_for_images(page, "#sc-case-list")
        first = page.evaluate(CARDS, "#sc-case-list > .sc-card")[0]
        assert first["mediaTop"] < PHONE["height"] and first["loaded"], first

        # opening it shows the filters, and they work
        toggle.click()
        assert page.is_visible("fieldset[data-facet=district] input[value=changning]")
        page.uncheck("fieldset[data-facet=district] input[value=jiading]")
        assert page.locator("#sc-case-list > .sc-card:visible").count() == len(sample_collection.cases)
        assert not page.locator(".sc-filters__active").is_visible()
        page.check("fieldset[data-facet=district] input[value=changning]")
        assert page.locator("#sc-case-list > .sc-card:visible").count() == sum(
            c.district == "changning" for c in sample_collection.cases.values())
        # nothing sticks out of the phone's width
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert not errors, errors
    finally:
        ctx.close()


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_without_javascript_every_card_shows_and_no_filter(browser, server, sample_collection, viewport):
    ctx, page, _errors = local_page(browser, viewport, java_script_enabled=False)
    try:
        for prefix in ("", "en/"):
            page.goto(server + prefix + "cases/")
            cards = page.locator("#sc-case-list > .sc-card")
            assert cards.count() == len(sample_collection.cases)
            assert page.locator("#sc-case-list > .sc-card:visible").count() == len(sample_collection.cases)
            assert not page.is_visible("#sc-filters")
            assert page.locator("#sc-filters input:visible, #sc-filters select:visible, #sc-filters button:visible, #sc-filters summary:visible").count() == 0
            assert not page.is_visible(".sc-browse__status")
            # the list takes the whole width: no empty column waits for filters
            grid = page.locator("#sc-case-list").bounding_box()
            article = page.locator("article").bounding_box()
            assert grid["width"] >= article["width"] * 0.9
            # and the other ways to browse are links that work without it
            assert page.locator(".sc-browse-by a").count() == 3
    finally:
        ctx.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_competition_leads_with_sixteen_site_cards_then_the_table(wide, server, sample_collection, prefix):
    page = wide
    page.goto(server + prefix + "competition/")
    cards = page.locator("ul.sc-site-cards > li.sc-card")
    assert cards.count() == len(sample_collection.sites) == 16
    assert page.evaluate("""() => {
        const cards = document.querySelector('ul.sc-site-cards'), table = document.querySelector('#competition-sites');
        return !!(cards.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    assert page.locator("#competition-sites tbody tr").count() == 16
    assert page.locator("h2#sites-table").is_visible()
    # the first screen shows cards (the gallery leads, not the table)
    wait_for_images(page, "ul.sc-site-cards")
    assert len(first_screen(page.evaluate(CARDS, "ul.sc-site-cards > .sc-card"), WIDE["height"])) >= 4

    for site in sample_collection.sites_sorted():
        card = page.locator(f"ul.sc-site-cards > li[data-site='{site.id}']")
        text = card.inner_text()
        assert f"{site.floor_area_m2:,.0f}" in text, (site.id, text)  # thousands separated
        assert site.name.get("en" if prefix else "zh") in text
        assert str(site.number) in card.locator(".sc-site-card__number").inner_text()
        has_picture = card.locator(".sc-card__media img").count() == 1
        assert has_picture == bool(site.case and sample_collection.cases[site.case].media), site.id
        if not has_picture:  # a drawn tile with the site's number, not a grey hole
            mark = card.locator(".sc-card__fallback").evaluate("el => getComputedStyle(el, '::before').content")
            assert mark == f'"{site.number:02d}"', mark
            assert card.locator(".sc-card__fallback").bounding_box()["height"] > 80

    site_id, case_id = SITE_WITH_CASE
    img = page.locator(f"ul.sc-site-cards > li[data-site='{site_id}'] .sc-card__media img")
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert f"media/excellent/{case_id}/" in img.evaluate("i => i.currentSrc")
    # the whole card is the link: a click on its facts opens the site
    facts = page.locator(f"ul.sc-site-cards > li[data-site='{site_id}'] .sc-site-card__facts")
    facts.scroll_into_view_if_needed()
    box = facts.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**/competition/{site_id}/")


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_exhibitions_and_a_district_lead_with_cards(wide, server, sample_collection, prefix):
    page = wide
    page.goto(server + prefix + "exhibitions/")
    # after the title and the one-line introduction, the cards
    assert page.evaluate("""() => {
        const h1 = document.querySelector('article h1');
        let next = h1.nextElementSibling; while (next && next.matches('p')) next = next.nextElementSibling;
        return next && next.matches('ul.sc-cards');
    }""")
    wait_for_images(page, "ul.sc-exhibitions")
    cards = page.evaluate(CARDS, "ul.sc-exhibitions > .sc-card")
    assert len(cards) == len(sample_collection.exhibitions)
    assert len(first_screen(cards, WIDE["height"])) == len(cards) and all(c["loaded"] for c in cards)

    page.goto(server + prefix + "districts/changning/")
    order = page.evaluate("""() => [...document.querySelectorAll('article h2, article ul.sc-cards, article .sc-map')]
        .map(el => el.matches('.sc-map') ? 'the map' : el.id || el.className.split(' ').slice(0, 2).join('.'))""")
    assert order.index("cases") < order.index("sc-cards") < order.index("sites") < order.index("sc-cards.sc-site-cards")
    assert order.index("sc-cards.sc-site-cards") < order.index("map") < order.index("the map")
    assert order.index("map") < next(i for i, x in enumerate(order) if x.startswith("plan-"))
    wait_for_images(page, "article ul.sc-cards")
    cards = page.evaluate(CARDS, "article ul.sc-cards:not(.sc-site-cards) > .sc-card")
    assert len(cards) == sum(c.district == "changning" for c in sample_collection.cases.values())
    assert first_screen(cards, WIDE["height"]), "the district's first case card is in the first screen"
    sites = page.locator("article ul.sc-site-cards > li")
    assert sites.count() == sum(s.district == "changning" for s in sample_collection.sites.values())


def columns(page, selector: str) -> int:
    return page.evaluate("(s) => getComputedStyle(document.querySelector(s)).gridTemplateColumns.split(' ').length", selector)


@pytest.mark.parametrize("path, selector", [("cases/", "#sc-case-list"), ("", "section[aria-labelledby=latest] ul.sc-cards"),
                                            ("competition/", "ul.sc-site-cards")])
def test_large_text_gives_fewer_wider_columns(browser, server, path, selector):
    normal_ctx, normal, _ = local_page(browser, WIDE)
    large_ctx, large, _ = local_page(browser, WIDE)
    large_ctx.add_init_script("try { localStorage.setItem('sc-large-text', '1') } catch (e) {}")
    try:
        normal.goto(server + path)
        large.goto(server + path)
        assert large.evaluate("document.documentElement.classList.contains('sc-large-text')")
        assert columns(large, selector) < columns(normal, selector), path
    finally:
        normal_ctx.close()
        large_ctx.close()


def test_print_hides_the_filters_and_lists_the_cards(wide, server):
    page = wide
    page.goto(server + "cases/")
    page.wait_for_selector("#sc-filters:not([hidden])")
    page.emulate_media(media="print")
    assert not page.is_visible("#sc-filters")
    assert page.evaluate("getComputedStyle(document.querySelector('#sc-case-list')).display") == "block"
    boxes = page.evaluate(CARDS, "#sc-case-list > .sc-card")
    assert all(b["right"] - b["left"] > 600 for b in boxes), "one card a row"
    assert all(b["mediaHeight"] < 150 for b in boxes), "a small picture beside each"
