"""Zoom and reflow (WCAG 1.4.10): at 320 CSS px wide, and at 640 px (1280 px at 200 % zoom),
every page kind in both languages fits the window: nothing scrolls sideways except a data table
inside its own scroll container, whose first column then stays in view (sticky), and nothing that
a reader needs is cut off or hidden (the page's heading, the header's controls)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.test_axe import NOT_FOUND, PAGES

pytestmark = pytest.mark.browser

WIDTHS = (320, 640)

# The header's controls a reader needs at every width: the language switch, the search, the
# large-text switch (once it has landed) and, on a narrow screen, the menu with the sections.
HEADER_CONTROLS = {
    "language": ".md-header .sc-lang-direct",
    "search": ".md-header .sc-search__open",
    "large text": ".md-header [data-sc-large-text]",
    "menu": ".md-header label.md-header__button[for=__drawer]",
}

MEASURE = """([width, controls]) => {
  const shown = el => {
    if (!el) return false;
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.visibility !== "hidden" && s.display !== "none" && r.width > 0 && r.height > 0;
  };
  const inside = r => r.left >= -1 && r.right <= width + 1;
  // a box that sticks out is allowed only inside a scroll container (a table's wrapper, a map)
  const scrolls = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!shown(el) || scrolls(el)) continue;
    const r = el.getBoundingClientRect();
    if (!inside(r) && getComputedStyle(el).position !== "fixed") {
      wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} ` +
                `[${Math.round(r.left)}..${Math.round(r.right)}]`);
    }
  }
  const h1 = document.querySelector("article h1, .md-content h1");
  const heading = h1 && shown(h1) && inside(h1.getBoundingClientRect()) && h1.scrollWidth <= h1.clientWidth + 1;
  const missing = Object.entries(controls)
    .filter(([, sel]) => document.querySelector(sel))  // a control this build has
    .filter(([, sel]) => { const el = document.querySelector(sel); return !shown(el) || !inside(el.getBoundingClientRect()); })
    .map(([name]) => name);
  // a table wider than its wrapper scrolls inside it and keeps its row headers in view
  const tables = [...document.querySelectorAll(".sc-table-wrap")]
    .filter(w => shown(w) && w.scrollWidth > w.clientWidth + 1)
    .map(w => {
      const s = getComputedStyle(w).overflowX;
      const th = w.querySelector("tbody th[scope=row]");  // every data table names its rows
      const sticky = th && getComputedStyle(th).position === "sticky";
      return {id: (w.querySelector("table") || {}).id || "", scrolls: s === "auto" || s === "scroll", sticky: !!sticky};
    });
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8), heading: !!heading,
          missing, tables};
}"""


def _offline(route):
    if urlparse(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_kind_reflows_at_320_and_640_px(browser, server, lang):
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
    context.route("**/*", _offline)
    page = context.new_page()
    urls = [("en/" if lang == "en" else "") + p for p in PAGES] + [NOT_FOUND[lang]]
    problems = []
    try:
        for url in urls:
            page.set_viewport_size({"width": WIDTHS[0], "height": 800})
            page.goto(server + url, wait_until="load")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                m = page.evaluate(MEASURE, [width, HEADER_CONTROLS if width == 320 else
                                            {k: v for k, v in HEADER_CONTROLS.items() if k != "menu"}])
                where = f"{url} @{width}px"
                if m["scrollWidth"] > width:
                    problems.append(f"{where}: the page scrolls sideways ({m['scrollWidth']} px): {'; '.join(m['wide'])}")
                if not m["heading"]:
                    problems.append(f"{where}: the page's <h1> is hidden or cut off")
                if m["missing"]:
                    problems.append(f"{where}: header control(s) hidden or cut off: {', '.join(m['missing'])}")
                for table in m["tables"]:
                    if not (table["scrolls"] and table["sticky"]):
                        problems.append(f"{where}: table #{table['id']} is wider than the screen without its own "
                                        f"scroll container and a sticky first column ({table})")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_an_untranslated_text_says_so_in_visible_text_on_a_phone(browser, server):
    """No hover tooltip (a touch screen never shows one): the words "Chinese only" follow the
    Chinese text, in English, visible at a phone's width and read by a screen reader."""
    page = browser.new_page(viewport={"width": 360, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page.goto(server + "en/cases/jiading-jiadingzhen-palm-treasure/")
        assert page.locator(".sc-fallback").count() >= 1  # the sample keeps one untranslated body
        inline = page.locator(".sc-fallback:not(.sc-fallback--block)")
        for i in range(inline.count()):
            label = inline.nth(i).locator(".sc-fallback__label")
            assert label.is_visible() and label.inner_text().strip() == "(Chinese only)"
            assert label.get_attribute("lang") == "en" and inline.nth(i).get_attribute("title") is None
        badges = page.locator(".sc-fallback--block .sc-fallback__badge").all()
        for badge in badges:
            assert badge.is_visible() and badge.get_attribute("lang") == "en"
            assert badge.inner_text().strip() == "⚑ English translation pending".removeprefix("⚑ ") or "pending" in badge.inner_text()
    finally:
        page.close()
