"""Issue 15 part C, read from the built sample site's HTML: every map has the list of its places
beside it (links with their district, open without JavaScript); every statistics chart is
described by a link to the table that holds its figures; a case page's parts come in the order a
phone reader wants them."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.helpers import map_data, page_file, resolve


def soup(site, url) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, url).read_text(encoding="utf-8"), "html.parser")


def pages_with_maps(site, prefix: str) -> list[str]:
    """Map, district, case and competition-site pages that carry a map."""
    out = []
    for kind in ("map/", "districts/", "cases/", "competition/"):
        for path in sorted((site / prefix / kind).rglob("index.html")):
            url = path.parent.relative_to(site).as_posix() + "/"
            if 'class="sc-map ' in path.read_text(encoding="utf-8"):
                out.append(url)
    return out


@pytest.mark.parametrize("prefix", ["", "en"])
def test_every_map_has_the_list_of_its_places_beside_it(sample_site, prefix):
    urls = pages_with_maps(sample_site, prefix)
    assert len(urls) > 20  # the map page, 16 districts, the located cases and sites
    for url in urls:
        page = soup(sample_site, url)
        box = page.select_one(".sc-map")
        data = map_data((sample_site / url / "map.js").read_text(encoding="utf-8"))
        entries = {p["entry"] for p in data["places"]}
        if url.rstrip("/").endswith("map"):  # the map page: the places grouped under their district
            lists = page.select("#places ~ ul.sc-places")
            listed = {resolve(url, a["href"]).rstrip("/").rsplit("/", 1)[-1] for ul in lists for a in ul.select("li > a")}
            assert entries <= listed, url
            for ul in lists:  # each group names its district, as a link
                heading = ul.find_previous_sibling("h3")
                assert heading and heading.a and "districts/" in heading.a["href"], url
            assert page.select_one(f'.sc-skip-map a[href="#places"]'), url
            continue
        details = page.select_one(f"details.sc-place-list#{box['id']}-places")
        assert details is not None and details.has_attr("open"), url  # open without JavaScript
        summary = details.summary.get_text()
        assert summary.startswith("List of places" if prefix else "地点列表"), url
        items = details.select("li[data-entry]")
        assert {li["data-entry"] for li in items} == entries, url
        for li in items:
            district = li.select_one(".sc-place-list__district")  # a link, or plain text on its own district's page
            assert district is not None and district.get_text(strip=True), (url, li)
            assert district.a is not None or url.startswith(f"{prefix}/districts/".lstrip("/")), (url, li)
            # other places are links; the page's own place is named, not linked to itself
            own = url.rstrip("/").rsplit("/", 1)[-1] == li["data-entry"]
            assert (li.strong is not None) if own else (li.a is not None and "districts/" not in li.a["href"]), (url, li)
        # the list follows the map directly
        assert box.find_next_sibling() is not None
        assert details in box.find_all_next("details", limit=1), url


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_each_chart_is_described_by_a_link_to_the_table_of_its_figures(sample_site, prefix):
    page = soup(sample_site, prefix + "statistics/")
    charts = page.select("figure.sc-chart")
    assert len(charts) >= 3
    for chart in charts:
        svg = chart.find("svg")
        assert svg["role"] == "img" and svg.find("title") and svg.find("desc")  # kept
        note = page.find(id=chart["aria-describedby"])
        assert note is not None and note in chart.descendants
        link = note.find("a")
        assert link.get_text().startswith("Data table" if prefix else "数据表")
        table = page.find(id=link["href"].removeprefix("#"))
        assert table is not None and table.name == "table"
        values = chart.select("text.sc-chart__value")
        assert values
        for value in values:
            if value.get("data-series"):  # a plan chart: the district's row, the series' column
                cell = table.select_one(f'tr[data-district="{value["data-key"]}"] td[data-col="{value["data-series"]}"]')
                assert cell is not None and cell.get_text(strip=True) == value.get_text(strip=True).replace(",", "")
            else:  # a sites chart: the site's row
                cell = table.select_one(f'tr[data-site="{value["data-key"]}"] td[data-col="floor_area_m2"]')
                assert cell is not None
                number = re.sub(r"[^\d.]", "", cell.get_text())
                assert float(number) == float(value["data-value"])


@pytest.mark.parametrize("url", ["cases/jiading-ximen-street-vitality/", "en/cases/jiading-ximen-street-vitality/",
                                 "cases/changning-ningjuli/", "en/cases/changning-ningjuli/"])
def test_a_case_page_leads_with_its_picture(sample_site, url):
    page = soup(sample_site, url)
    article = page.select_one("article")
    order = [el for el in article.find_all(True) if el.name == "h1" or "sc-lead-media" in (el.get("class") or [])
             or "sc-lead" in (el.get("class") or []) or el.get("id") in ("overview", "story", "media", "location", "sources")]
    names = [el.name if el.name == "h1" else (el.get("id") or el["class"][0]) for el in order]
    expected = [n for n in ["h1", "sc-lead-media", "sc-lead", "overview", "story", "media", "location", "sources"] if n in names]
    assert names == expected, names
    assert names[:3] == ["h1", "sc-lead-media", "sc-lead"]
    # the lead picture is not shown twice
    lead = page.select_one(".sc-lead-media img")
    assert sum(1 for img in article.select("img") if img.get("src") == lead["src"]) == 1
