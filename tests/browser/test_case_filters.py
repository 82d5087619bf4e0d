"""The case list's filters in headless Chromium: combinable facets with live counts, sorting,
and the state in the URL (shareable, survives reload, back/forward)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from generator import browse

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert not errors
    page.close()


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#sc-case-list > .sc-card:not([hidden]) .sc-card__link",
        "els => els.map(a => a.getAttribute('href').replace(/\\/$/, '').split('/').pop())")


def count_of(page, facet: str, value: str) -> int:
    return int(page.inner_text(f"fieldset[data-facet={facet}] input[value='{value}'] ~ [data-count]"))


def expected(collection, **selected) -> set[str]:
    return {c.id for c in collection.cases.values()
            if all(not wanted or set(browse.facet_values(c, facet)) & set(wanted) for facet, wanted in selected.items())}


def test_filters_combine_count_and_live_in_the_url(page, browser, server, sample_collection):
    page.goto(server + "en/cases/")
    assert page.is_visible("form#sc-filters")
    assert len(visible_ids(page)) == len(sample_collection.cases)

    page.check("fieldset[data-facet=district] input[value=changning]")
    assert set(visible_ids(page)) == expected(sample_collection, district=["changning"])
    assert parse_qs(urlparse(page.url).query) == {"district": ["changning"]}
    # counts in other facets now count within Changning; the district facet still counts all
    for service in {s for c in sample_collection.cases.values() for s in c.services}:
        assert count_of(page, "service", service) == len(expected(sample_collection, district=["changning"], service=[service]))
    assert count_of(page, "district", "jiading") == len(expected(sample_collection, district=["jiading"]))

    # OR within a facet
    page.check("fieldset[data-facet=district] input[value=jiading]")
    assert set(visible_ids(page)) == expected(sample_collection, district=["changning", "jiading"])
    # AND across facets
    page.check("fieldset[data-facet=year] input[value='2024']")
    want = expected(sample_collection, district=["changning", "jiading"], year=["2024"])
    assert set(visible_ids(page)) == want and 0 < len(want) < len(sample_collection.cases)
    assert page.inner_text(".sc-filters__status") == f"Showing {len(want)} of {len(sample_collection.cases)} cases"
    query = parse_qs(urlparse(page.url).query)
    assert query == {"district": ["changning,jiading"], "year": ["2024"]}

    # the state survives a reload, and a shared link opens the same view
    page.reload()
    assert set(visible_ids(page)) == want
    assert page.is_checked("fieldset[data-facet=year] input[value='2024']")
    shared = page.url
    other = browser.new_page()  # a fresh tab: what a shared link does
    other.goto(shared)
    assert set(visible_ids(other)) == want
    other.close()

    # clearing shows everything and cleans the URL
    page.click("button[type=reset]")
    page.wait_for_function("document.querySelectorAll('#sc-case-list > .sc-card[hidden]').length === 0")
    assert urlparse(page.url).query == ""


def test_a_filter_that_matches_nothing_says_so(page, server, sample_collection):
    # a district and a year that have no case together (the counts say 0)
    page.goto(server + "cases/?district=yangpu&year=2024")
    assert visible_ids(page) == [] and page.is_visible("#sc-filters-empty")
    assert expected(sample_collection, district=["yangpu"], year=["2024"]) == set()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sorting_reorders_and_is_remembered(page, server, sample_collection, lang):
    page.goto(server + ("en/" if lang == "en" else "") + "cases/")
    by_year = visible_ids(page)
    cases = [sample_collection.cases[i] for i in by_year]
    assert [c.year for c in cases] == sorted((c.year for c in cases), reverse=True)
    page.select_option("select[name=sort]", "title")
    by_title = visible_ids(page)
    assert by_title == [c.id for c in browse.sort_cases(sample_collection, cases, lang, "title")]
    assert by_title != by_year
    assert "sort=title" in page.url
    page.reload()
    assert visible_ids(page) == by_title
    page.select_option("select[name=sort]", "district")
    assert visible_ids(page) == [c.id for c in browse.sort_cases(sample_collection, cases, lang, "district")]


def test_unknown_values_in_the_url_are_ignored(page, server, sample_collection):
    page.goto(server + "cases/?district=atlantis&sort=%3Cscript%3E")
    assert len(visible_ids(page)) == len(sample_collection.cases)
    assert page.eval_on_selector("select[name=sort]", "s => s.value") == "year"
