"""The statistics page in headless Chromium: the plan table sorts by a column heading (and back),
with aria-sort and the totals row kept last; without JavaScript it is the complete table in the
document's order; the charts fit a 360 px phone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TABLE = "#table-plan-2024"
DISTRICT_KEYS = ["pudong", "huangpu", "xuhui", "changning", "jingan", "putuo", "hongkou", "yangpu", "minhang",
                 "baoshan", "jiading", "fengxian", "songjiang", "jinshan", "qingpu", "chongming"]  # rows 1-16


def open_page(browser, server, path, javascript=True, width=1280):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + path)
    return context, page, errors


def rows(page):
    """(district key, projects) of each body row, in the order shown."""
    return page.eval_on_selector_all(
        f"{TABLE} tbody tr", "trs => trs.map(tr => [tr.dataset.district, +tr.querySelector('[data-col=projects]').textContent])")


def aria_sort(page):
    return page.eval_on_selector_all(f"{TABLE} thead th", "ths => ths.map(th => th.getAttribute('aria-sort'))")


def last_row(page):
    return page.eval_on_selector(TABLE, "t => t.rows[t.rows.length - 1].dataset.district")


@pytest.mark.parametrize("path,label", [("statistics/", "项目总数"), ("en/statistics/", "Projects")])
def test_projects_heading_sorts_then_reverses(browser, server, path, label):
    context, page, errors = open_page(browser, server, path)
    try:
        original = rows(page)
        assert [key for key, _ in original] == DISTRICT_KEYS
        button = page.locator(f"{TABLE} thead th:nth-child(3) button.sc-sort")
        assert label in button.inner_text()
        assert aria_sort(page) == ["ascending"] + [None] * 7  # the document's order is by row number

        button.click()
        ascending = rows(page)
        # by projects, equal figures (Minhang and Jinshan, 243) in the document's order
        assert ascending == sorted(original, key=lambda r: r[1])
        assert ascending[0] == ["changning", 110] and ascending[-1] == ["pudong", 781]
        assert [k for k, v in ascending if v == 243] == ["minhang", "jinshan"]
        assert aria_sort(page) == [None, None, "ascending"] + [None] * 5
        assert last_row(page) == "total"

        button.click()
        descending = rows(page)
        assert [v for _, v in descending] == sorted((v for _, v in original), reverse=True)
        assert descending[0] == ["pudong", 781] and descending[-1] == ["changning", 110]
        assert aria_sort(page) == [None, None, "descending"] + [None] * 5
        assert last_row(page) == "total"
        assert page.locator(f"{TABLE} tfoot td[data-col=projects]").inner_text().strip() == "3835"

        # keyboard: the heading button is focusable and Enter sorts
        first = page.locator(f"{TABLE} thead th:nth-child(1) button.sc-sort")
        first.focus()
        page.keyboard.press("Enter")
        assert aria_sort(page)[0] in ("ascending", "descending") and aria_sort(page)[2] is None
        assert page.locator("#sort-hint-plan-2024").is_visible()
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("path", ["statistics/", "en/statistics/"])
def test_district_heading_sorts_by_name(browser, server, path):
    context, page, _ = open_page(browser, server, path)
    try:
        page.locator(f"{TABLE} thead th:nth-child(2) button").click()
        order = [key for key, _ in rows(page)]
        # Chinese pages sort by pinyin ('zh' collation), English by the English names: both
        # agree with the keys, which are the pinyin names.
        assert order == sorted(DISTRICT_KEYS)
        assert aria_sort(page)[1] == "ascending"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["statistics/", "en/statistics/"])
def test_without_javascript_the_table_is_complete_and_in_document_order(browser, server, path):
    context, page, _ = open_page(browser, server, path, javascript=False)
    try:
        assert [key for key, _ in rows(page)] == DISTRICT_KEYS
        assert page.locator(f"{TABLE} button").count() == 0
        assert last_row(page) == "total"
        assert not page.locator("#sort-hint-plan-2024").is_visible()
        assert page.locator("svg.sc-chart__svg").count() == 3  # the charts need no script
    finally:
        context.close()


@pytest.mark.parametrize("path", ["statistics/", "en/statistics/"])
def test_charts_fit_a_phone(browser, server, path):
    context, page, _ = open_page(browser, server, path, width=360)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        for chart in page.eval_on_selector_all("svg.sc-chart__svg", """svgs => svgs.map(svg => {
                const box = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
                const texts = [...svg.querySelectorAll('text')].map(t => t.getBBox());
                return {id: svg.id, width: box.width, right: box.right, scale: box.width / vb.width,
                        outside: texts.filter(b => b.x < 0 || b.x + b.width > vb.width || b.y < 0 || b.y + b.height > vb.height).length,
                        smallest: Math.min(...[...svg.querySelectorAll('text')].map(t => +t.getAttribute('font-size')))};
            })"""):
            assert chart["right"] <= 360 and chart["width"] >= 300, chart
            assert chart["outside"] == 0, chart  # no label runs off the drawing
            assert chart["smallest"] * chart["scale"] >= 10, chart  # text at least 10 px on the phone
    finally:
        context.close()


@pytest.mark.parametrize("path", ["statistics/", "en/statistics/"])
def test_tables_read_on_a_phone(browser, server, path):
    """At 360 px every site's floor area is on screen (long English names wrap), and the plan
    table, which scrolls sideways, keeps each row's district in view."""
    context, page, _ = open_page(browser, server, path, width=360)
    try:
        areas = page.eval_on_selector_all(".sc-stats-sites td.sc-num", "tds => tds.map(td => td.getBoundingClientRect().right)")
        assert len(areas) == 16 and max(areas) <= 360, areas
        wrap = page.locator(f"{TABLE}").locator("xpath=..")
        wrap.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
        lefts = page.eval_on_selector_all(f"{TABLE} tbody th[scope=row]", """ths => ths.map(th =>
            th.getBoundingClientRect().left - th.closest('.sc-table-wrap').getBoundingClientRect().left)""")
        assert len(lefts) == 16 and all(abs(left) < 1 for left in lefts), lefts
    finally:
        context.close()
