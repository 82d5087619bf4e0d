"""The home page's first screen in a real browser (issue 20): at 1280×900 and 360×740, in both
languages, the lead picture, the four key figures with their sources and the five ways in (each
with a picture) are there and shown; on the wide screen the lead picture and the figures are in
the first screen, on a phone the lead picture starts in it; nothing is asked of any host but the
local server; nothing scrolls sideways."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SIZES = [(1280, 900), (360, 740)]

MEASURE = r"""() => {
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
    return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right, width: r.width, height: r.height }; };
  const lead = document.querySelector('.sc-home-lead img');
  return {
    lead: box(lead), leadLoaded: !!lead && lead.complete && lead.naturalWidth > 0,
    leadSrc: lead ? lead.currentSrc : '',
    figures: [...document.querySelectorAll('.sc-home-figures__list > [data-figure]')].map(f => ({
      key: f.dataset.figure, box: box(f), value: f.querySelector('.sc-home-figure__value').innerText.trim(),
      label: f.querySelector('dt').innerText.trim(), source: f.querySelector('.sc-home-figure__source').innerText.trim(),
      tabular: getComputedStyle(f.querySelector('.sc-home-figure__value')).fontVariantNumeric })),
    ways: [...document.querySelectorAll('a.sc-home-way')].map(a => {
      const pic = a.querySelector('.sc-home-way__picture img, .sc-home-way__picture svg');
      return { key: a.dataset.way, href: a.href, box: box(a), picture: box(pic),
               loaded: !pic || pic.tagName.toLowerCase() === 'svg' || (pic.complete && pic.naturalWidth > 0),
               title: a.querySelector('.sc-home-way__title').innerText.trim() }; }),
    map: box(document.querySelector('.sc-map')),
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("home-shots")


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_screen_lead_figures_and_ways_in(browser, server, sample_collection, shots, lang, width, height):
    c = sample_collection
    plan = c.plans_sorted()[-1]
    expected = {"projects": plan.totals.projects, "renminfang": plan.totals.renminfang,
                "liuyiting": plan.totals.liuyiting, "sites": len(c.sites)}
    document = c.documents[plan.sources[0].document].title.get(lang)
    ctx = browser.new_context(viewport={"width": width, "height": height})
    elsewhere: list[str] = []
    try:
        page = ctx.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1:")
                   else (elsewhere.append(r.request.url), r.abort()))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + ("en/" if lang == "en" else ""), wait_until="load")
        page.wait_for_function("() => { const i = document.querySelector('.sc-home-lead img'); return i && i.complete; }")
        page.screenshot(path=str(shots / f"home-{lang}-{width}.png"))
        m = page.evaluate(MEASURE)

        # the lead picture: shown, loaded, in (or starting in) the first screen
        assert m["lead"] and m["lead"]["width"] >= min(0.4 * width, 300), m["lead"]
        assert m["leadLoaded"] and "127.0.0.1" in m["leadSrc"]
        assert m["lead"]["top"] < height
        if width >= 1000:
            assert m["lead"]["bottom"] <= height, m["lead"]

        # the four key figures, the data's numbers, each with its document
        assert [f["key"] for f in m["figures"]] == list(expected)
        for f in m["figures"]:
            assert f["value"] == f"{expected[f['key']]:,}", f
            assert f["label"] and document in f["source"], f
            assert "tabular-nums" in f["tabular"], f
            assert f["box"]["height"] > 0
            if width >= 1000:
                assert f["box"]["bottom"] <= height, f

        # the five ways in, each a picture that shows, each its own link
        assert [w["key"] for w in m["ways"]] == ["cases", "competition", "exhibitions", "retrospective", "map"]
        assert len({w["href"] for w in m["ways"]}) == 5 and len({w["title"] for w in m["ways"]}) == 5
        for w in m["ways"]:
            assert w["picture"] and w["picture"]["width"] > 40 and w["picture"]["height"] > 25, w
            assert w["href"].startswith(server), w
        if width >= 1000:
            assert all(w["box"]["top"] < height for w in m["ways"]), [w["box"] for w in m["ways"]]
        # pictures further down load when they come near: scroll them in, they load
        page.evaluate("window.scrollTo(0, document.querySelector('.sc-home-ways').offsetTop)")
        page.wait_for_function("() => [...document.querySelectorAll('.sc-home-way img')].every(i => i.complete && i.naturalWidth > 0)")

        # the interactive map is below the first screen, the page does not scroll sideways
        if m["map"]:
            assert m["map"]["top"] >= height
        assert m["scrollWidth"] <= width
        assert not errors, errors
    finally:
        ctx.close()
    assert not elsewhere, elsewhere


def test_each_way_in_is_reached_by_keyboard_and_shows_its_focus(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1:") else r.abort())
        page.goto(server, wait_until="load")
        seen = []
        for _ in range(80):
            page.keyboard.press("Tab")
            found = page.evaluate("""() => { const a = document.activeElement;
                if (!a.matches('a.sc-home-way')) return null;
                const s = getComputedStyle(a); return [a.dataset.way, s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
            if found:
                seen.append(found[0])
                assert found[1] != "none" and found[2] >= 2, found
            if len(seen) == 5:
                break
        assert seen == ["cases", "competition", "exhibitions", "retrospective", "map"]
    finally:
        ctx.close()
