"""The case list, district and service pages and related cases, read from the built sample site."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator import browse, urls
from tests.helpers import page_file


def html(site, route: str, lang: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, urls.page_url(route, lang)).read_text(encoding="utf-8"), "html.parser")


def card_ids(container) -> list[str]:
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in container.select(".sc-card .sc-card__link")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_list_without_javascript_is_complete_and_in_year_then_title_order(sample_site, sample_collection, lang):
    page = html(sample_site, urls.CASES, lang)
    ids = card_ids(page.select_one("#sc-case-list"))
    assert sorted(ids) == sorted(sample_collection.cases), "every case exactly once"
    years = [sample_collection.cases[i].year for i in ids]
    assert years == sorted(years, reverse=True)
    for year in set(years):  # within a year: by title (pinyin on Chinese pages)
        titles = [browse.title_sort_key(sample_collection.cases[i].title.get(lang), lang) for i in ids if sample_collection.cases[i].year == year]
        assert titles == sorted(titles)
    # the filters are there for the script to show, hidden without it
    assert page.select_one("form#sc-filters").has_attr("hidden")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_facet_counts_equal_the_entries(sample_site, sample_collection, lang):
    page = html(sample_site, urls.CASES, lang)
    cases = list(sample_collection.cases.values())
    fieldsets = page.select("fieldset[data-facet]")
    assert [fs["data-facet"] for fs in fieldsets] == ["district", "service", "type", "year", "construction", "status"]
    for fs in fieldsets:
        facet = fs["data-facet"]
        shown = {i["value"]: int(i.find_parent("label").select_one("[data-count]").get_text()) for i in fs.select("input")}
        expected: dict[str, int] = {}
        for case in cases:
            for value in browse.facet_values(case, facet):
                expected[value] = expected.get(value, 0) + 1
        assert shown == expected, facet
    # each card carries the values the script filters on
    for card in page.select("#sc-case-list > .sc-card"):
        case = sample_collection.cases[card.select_one("a")["href"].rstrip("/").rsplit("/", 1)[-1]]
        assert card["data-district"] == case.district
        assert card["data-service"].split() == list(case.services)
        assert card["data-year"] == str(case.year)


def test_sort_orders_are_complete_permutations(sample_site, sample_collection):
    page = html(sample_site, urls.CASES, "zh")
    cards = page.select("#sc-case-list > .sc-card")
    for by in browse.SORTS:
        assert sorted(int(c[f"data-order-{by}"]) for c in cards) == list(range(len(cards)))
    by_title = sorted(cards, key=lambda c: int(c["data-order-title"]))
    keys = [browse.title_sort_key(c.select_one(".sc-card__title").get_text(strip=True), "zh") for c in by_title]
    assert keys == sorted(keys)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_page_per_service_lists_exactly_its_cases(sample_site, sample_collection, lang):
    reference = sample_collection.reference
    index = html(sample_site, urls.SERVICES, lang)
    assert len(index.select(".sc-index a")) == len(reference.services) == 20
    for service in reference.services:
        page = html(sample_site, urls.service(service.key), lang)
        assert page.select_one("h1").get_text(strip=True) == service.name(lang)
        expected = {c.id for c in sample_collection.cases.values() if service.key in c.services}
        assert set(card_ids(page)) == expected, service.key


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_districts_index_and_district_pages(sample_site, sample_collection, lang):
    index = html(sample_site, urls.DISTRICTS, lang)
    rows = index.select("table.sc-districts tbody tr")
    assert len(rows) == 16
    plan = sample_collection.plans_sorted()[-1]
    projects = {row.district: row.projects for row in plan.rows}
    for row in rows:
        key = row["data-district"]
        cells = [td.get_text(strip=True) for td in row.select("td")]
        assert int(cells[0]) == sum(c.district == key for c in sample_collection.cases.values())
        assert int(cells[1]) == sum(s.district == key for s in sample_collection.sites.values())
        assert int(cells[2]) == projects[key]
    # a district page lists its cases and carries its row of the plan table
    page = html(sample_site, urls.district("changning"), lang)
    assert set(card_ids(page.select_one("h2#cases").find_next("ul"))) == {c.id for c in sample_collection.cases.values() if c.district == "changning"}
    assert str(projects["changning"]) in page.select_one(f"#plan-{plan.year}").find_next("ul").get_text()


def test_related_cases_share_district_or_service_and_stop_at_six(sample_site, sample_collection):
    some_related = False
    for case in sample_collection.cases.values():
        page = html(sample_site, urls.case(case.id), "en")
        heading = page.select_one("h2#related")
        related = card_ids(heading.find_next("ul")) if heading else []
        assert len(related) <= 6 and case.id not in related
        for other_id in related:
            other = sample_collection.cases[other_id]
            assert other.district == case.district or set(other.services) & set(case.services), (case.id, other_id)
        some_related |= bool(related)
        # the section is the last one on the page
        if heading:
            assert heading == page.select("article h2, .md-content h2")[-1]
    assert some_related


def test_related_cases_rank_the_same_district_and_more_shared_services_first(sample_collection):
    collection = sample_collection
    case = collection.cases["changning-ningjuli"]
    related = browse.related_cases(collection, case)

    def score(other):
        return 2 * (other.district == case.district) + len(set(other.services) & set(case.services))

    scores = [score(o) for o in related]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert browse.related_cases(collection, case, limit=1) == related[:1]


def test_a_case_without_a_photo_gets_a_drawn_tile_and_its_site_a_numbered_one(tmp_path, sample_collection):
    """No grey hole: a case with no photo shows its district on a drawn tile (CSS text from a data
    attribute, hidden from screen readers, so the link's text stays the title); the competition
    site it became falls back to its number."""
    import re

    from tests.helpers import build, copy_content

    case_id, site_id = "changning-huayang-renminfang", "2024-04-huayang"
    content = copy_content(tmp_path)
    entry = content / "excellent" / f"{case_id}.yaml"
    entry.write_text(re.sub(r"^media:\n(?:  .*\n)+", "", entry.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    site = tmp_path / "site"
    result = build(content, site)
    assert result.returncode == 0, result.stdout + result.stderr
    case = sample_collection.cases[case_id]
    for lang in ("zh", "en"):
        for route in (urls.CASES, urls.district("changning"), urls.HOME):
            page = html(site, route, lang)
            card = next((a.find_parent("li") for a in page.select(".sc-card__link") if a["href"].rstrip("/").endswith(case_id)), None)
            if card is None:  # the home page shows the latest cases only
                assert route == urls.HOME
                continue
            assert "sc-card--text" in card["class"] and card.select_one("img") is None
            tile = card.select_one(".sc-card__fallback")
            assert tile["aria-hidden"] == "true" and tile.get_text(strip=True) == ""
            assert tile["data-mark"] == sample_collection.reference.districts[case.district].name(lang)
            assert card.select_one(".sc-card__link").get_text(strip=True) == case.title.get(lang)
        competition = html(site, urls.COMPETITION, lang)
        tile = competition.select_one(f"li[data-site='{site_id}'] .sc-card__fallback--number")
        assert tile is not None and tile["data-mark"] == f"{sample_collection.sites[site_id].number:02d}"
