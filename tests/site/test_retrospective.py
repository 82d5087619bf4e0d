"""The ten-year retrospective: a timeline of every milestone from 2014, grouped by year, in both
languages, linked from the home page; readable on a phone and printable (headless Chromium)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator import urls
from tests.helpers import page_file, resolve


def html(site, route: str, lang: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, urls.page_url(route, lang)).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_timeline_groups_every_milestone_by_year_in_date_order(sample_site, sample_collection, lang):
    page = html(sample_site, urls.RETROSPECTIVE, lang)
    sections = page.select(".sc-timeline__year")
    years = [int(s.select_one("h2").get_text(strip=True)) for s in sections]
    assert years == sorted(years) and years[0] == 2014
    seen = []
    for section, year in zip(sections, years):
        for item in section.select(".sc-milestone"):
            milestone = sample_collection.milestones[item["id"]]
            assert milestone.date.year == year
            assert item.select_one("time")["datetime"] == milestone.date.iso()
            assert item.select_one("time").get_text(strip=True) == milestone.date.display(lang)
            assert item.select_one("h3").get_text(" ", strip=True).startswith(milestone.title.get(lang))
            # its documents are cited
            assert len(item.select(".sc-sources li, ul li")) >= len({d.document for d in milestone.documents})
            seen.append(milestone.id)
    assert seen == [m.id for m in sample_collection.milestones_sorted()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_page_links_to_the_retrospective(sample_site, lang):
    home_url = urls.page_url(urls.HOME, lang)
    home = BeautifulSoup(page_file(sample_site, home_url).read_text(encoding="utf-8"), "html.parser")
    targets = {resolve(home_url, a["href"]) for a in home.select("article a[href]")}
    assert urls.page_url(urls.RETROSPECTIVE, lang) in targets
