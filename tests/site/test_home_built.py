"""The home page's first screen (issue 20), read from the built sample site: the lead picture, the
key figures (equal to the data, each with its document and section) and the five ways in (each a
picture and a link to a page that exists). The figures are computed from the collection here,
never written as literals."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import urls
from generator.exhibitions import cover_media
from generator.render.citations import section_text
from generator.render.pages import Strings
from tests.helpers import ROOT, page_file, resolve

STRINGS = Strings(ROOT / "site_templates" / "strings.yaml")
WAYS = {"cases": urls.CASES, "competition": urls.COMPETITION, "exhibitions": urls.EXHIBITIONS,
        "retrospective": urls.RETROSPECTIVE, "map": urls.MAP}


def home(site: Path, lang: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, urls.page_url(urls.HOME, lang)).read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True)).strip()


def expected_figures(c) -> dict[str, tuple[int, str, list]]:
    """key -> (value, label key, [(document id, section)]) from the collection itself."""
    plan = c.plans_sorted()[-1]
    refs = [(r.document, r.section) for r in plan.sources]
    out = {key: (getattr(plan.totals, key), f"figure_{key}", refs) for key in ("projects", "renminfang", "liuyiting")}
    site_refs = {(r.document, r.section) for r in next(iter(c.sites.values())).sources}
    site_refs = [ref for ref in site_refs if all(ref in {(r.document, r.section) for r in s.sources} for s in c.sites.values())]
    out["sites"] = (len(c.sites), "figure_sites", site_refs)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_key_figures_equal_the_data_and_each_names_its_source(sample_site, sample_collection, lang):
    c = sample_collection
    page = home(sample_site, lang)
    figures = {node["data-figure"]: node for node in page.select("dl.sc-home-figures__list > [data-figure]")}
    expected = expected_figures(c)
    assert list(figures) == ["projects", "renminfang", "liuyiting", "sites"]
    for key, (value, label, refs) in expected.items():
        node = figures[key]
        assert node.select_one("dt").get_text(strip=True) == STRINGS.get(label, lang)
        assert node.select_one(".sc-home-figure__value").get_text(strip=True) == f"{value:,}"
        source = node.select_one(".sc-home-figure__source")
        assert refs, key
        for document, section in refs:
            assert c.documents[document].title.get(lang) in text(source), (key, text(source))
            assert section and section_text(section, lang) in text(source), (key, section, text(source))
    # the programme's own terms, as the labels print them
    if lang == "zh":
        assert "人民坊" in text(figures["renminfang"].dt) and "六艺亭" in text(figures["liuyiting"].dt)
    # a printed total that differs from the sum of its rows says so (Annex 1's 六艺亭 total)
    plan = c.plans_sorted()[-1]
    for mismatch in c.total_mismatches.get(plan.id, []):
        if mismatch.column in figures:
            assert f"{mismatch.summed:,}" in text(figures[mismatch.column].select_one(".sc-home-figure__source"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_lead_picture_is_the_newest_exhibitions_cover(sample_site, sample_collection, lang):
    exhibition = sample_collection.exhibitions_sorted()[0]
    item = cover_media(exhibition)
    page = home(sample_site, lang)
    lead = page.select_one("figure.sc-home-lead")
    here = urls.page_url(urls.HOME, lang)
    assert resolve(here, lead.select_one("a.sc-home-lead__link")["href"]) == urls.page_url(urls.exhibition(exhibition.id), lang)
    assert exhibition.title.get(lang) in text(lead.select_one("a"))
    img = lead.select_one("picture img")
    assert img["fetchpriority"] == "high" and "loading" not in img.attrs
    assert int(img["width"]) > 0 and int(img["height"]) > 0
    assert re.search(r" 480w", img["srcset"]) and lead.select_one("picture source[type='image/webp']")["srcset"]
    assert img["alt"] == (item.alt.get(lang) if item.alt else "")
    caption = text(lead.figcaption)
    assert item.caption.get(lang) in caption and item.credit.get(lang) in caption
    assert (STRINGS.get("placeholder_label", lang) in caption) == item.placeholder
    # every picture the lead shows is one the site publishes
    assert page_file(sample_site, resolve(here, img["src"])).is_file()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_five_ways_in_each_a_picture_and_a_page_that_exists(sample_site, sample_collection, lang):
    page = home(sample_site, lang)
    here = urls.page_url(urls.HOME, lang)
    ways = page.select("nav.sc-home-ways a.sc-home-way")
    assert [a["data-way"] for a in ways] == list(WAYS)
    names = set()
    for a in ways:
        target = resolve(here, a["href"])
        assert target == urls.page_url(WAYS[a["data-way"]], lang)
        assert page_file(sample_site, target).is_file(), target
        title = a.select_one(".sc-home-way__title").get_text(strip=True)
        assert title and a.select_one(".sc-home-way__blurb").get_text(strip=True)
        names.add(title)
        picture = a.select_one(".sc-home-way__picture")
        img, svg = picture.select_one("img"), picture.select_one("svg")
        assert img is not None or svg is not None, a["data-way"]
        if img is not None:
            assert img["alt"] == "" and img.get("loading") == "lazy"  # decorative: the card's words name it
            assert page_file(sample_site, resolve(here, img["src"])).is_file()
    assert len(names) == len(ways), "each way in has its own name"
    # the map: an inline SVG of the districts with a dot per located entry (one spot, one dot)
    svg = page.select_one("a[data-way=map] svg")
    assert svg["role"] == "img" and svg["aria-label"]
    located = {(k, x.location.lat, x.location.lon) for k, table in (("excellent", sample_collection.cases),
                                                                    ("competition", sample_collection.sites))
               for x in table.values() if x.location}
    assert 0 < len(svg.select("circle")) <= len(located)
    assert len(str(svg)) < 8000
    assert not page.select("a[data-way] [href^=http], a[data-way] [src^=http]")
    # the ways in show content pictures: the cases' way shows the newest case's lead photo
    newest = sample_collection.cases_sorted()[0]
    assert f"/excellent/{newest.id}/" in page.select_one("a[data-way=cases] img")["src"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_screen_comes_first_then_the_text_cases_and_map(sample_site, sample_collection, lang):
    page = home(sample_site, lang)
    article = page.select_one("article") or page
    assert len(article.select("h1")) == 1
    levels = [int(h.name[1]) for h in article.select("h1, h2, h3, h4")]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    order = [node.get("id") or node.get("class", [""])[0] for node in
             article.select(".sc-home-lead, .sc-home-figures, .sc-home-ways, #home-about, #latest, #home-map, .sc-map")]
    assert order[:3] == ["sc-home-lead", "sc-home-figures", "sc-home-ways"], order
    assert order.index("home-about") < order.index("latest") < order.index("home-map"), order
    # the home text keeps its glossary links; the figures' labels and the cards are not where they land
    home_text = article.select_one(".sc-home__intro")
    for tip in home_text.select("[class*=__tip], [role=tooltip]"):  # a linked term's explanation
        tip.decompose()
    squeezed = re.sub(r"\s+", "", home_text.get_text())
    assert re.sub(r"\s+", "", sample_collection.pages["home"].summary.get(lang)) in squeezed
    if sample_collection.glossary:
        assert home_text.select("a.sc-term__link, a[href*='glossary/#']"), "the terms of the home text are linked"


def test_fallbacks_without_exhibitions_or_pictures(sample_collection):
    """No exhibition: the newest case's lead photo; no picture at all: no lead, and the ways in
    still lead somewhere (the map keeps its drawing)."""
    from generator.media import PublishedImage, PublishedMedia
    from generator.render.home import home_context, lead_picture

    c = copy.copy(sample_collection)
    c.exhibitions = {}
    newest = next(case for case in c.cases_sorted() if case.media)
    image = PublishedImage(960, 640, {"webp": [(480, "a.webp")], "jpg": [(480, "a.jpg")]}, {"webp": "t.webp", "jpg": "t.jpg"}, (240, 160))
    media = PublishedMedia(items={("excellent", newest.id, newest.media[0].file): image})
    lead = lead_picture(c, media)
    assert lead["kind"] == "case" and lead["entry"] is newest and lead["route"] == urls.case(newest.id)
    empty = home_context(c, PublishedMedia(), None, STRINGS, "en")
    assert empty["lead"] is None
    assert [w["key"] for w in empty["ways"]] == list(WAYS)
    assert all(w["image"] is None for w in empty["ways"]) and empty["ways"][-1]["svg"]


def test_the_sketch_map_escapes_its_label():
    from generator.maps.sketch import districts_svg

    svg = str(districts_svg([("excellent", 31.22, 121.42)], 'a "<script>" & b'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&#34;" in svg or "&quot;" in svg
    assert svg.count("<circle") == 1
