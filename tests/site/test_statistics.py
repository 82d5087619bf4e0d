"""The statistics page: its figures equal Annex 1 and Annex 2 of the 2024 action plan (parsed from
the seed document itself), and its charts are valid SVG with titles, descriptions and bar labels
that equal the table."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET

import pytest

from generator.content.models import PLAN_COLUMNS
from generator.render import charts
from generator.render.pages import Strings
from tests.helpers import ROOT, build, copy_content, resolve
from tests.site.test_seeds_and_tables import annex1_rows, annex2_rows, needs_seeds, soup

SVG = "{http://www.w3.org/2000/svg}"
CJK = re.compile(r"[\u4e00-\u9fff]")
LANGS = [("zh", ""), ("en", "en/")]
PLAN = "plan-2024"


def page_html(site, prefix: str) -> str:
    return (site / f"{prefix}statistics" / "index.html").read_text(encoding="utf-8")


def chart_sources(html: str) -> dict[str, str]:
    """The charts' markup exactly as written into the page, by id."""
    found = [(m.group(1), m.group(0)) for m in re.finditer(r'<svg\b[^>]*\bid="(chart-[^"]+)"[^>]*>.*?</svg>', html, re.S)]
    assert len(dict(found)) == len(found), "two charts share an id"
    return dict(found)


def as_int(text: str) -> int:
    return int(re.match(r"[\d,]+", text.strip()).group().replace(",", ""))


def by_short_name(collection, figures: dict[str, list[int]]) -> dict[str, list[int]]:
    """Figures keyed by district key -> keyed by the short Chinese name the document prints."""
    return {collection.reference.districts[key].short: values for key, values in figures.items()}


def shown_table(page) -> dict[str, list[int]]:
    """District key -> [row number, six figures] as the page's table shows them."""
    return {tr["data-district"]: [int(tr.find("td").get_text())] + [int(td.get_text()) for td in tr.select("td[data-col]")]
            for tr in page.select(f"#table-{PLAN} tbody tr")}


# --- figures ---------------------------------------------------------------------------------

@needs_seeds
@pytest.mark.parametrize("lang,prefix", LANGS)
def test_table_and_city_totals_equal_annex1(sample_site, sample_collection, lang, prefix):
    rows, printed_total = annex1_rows()
    page = soup(sample_site, f"{prefix}statistics")
    assert by_short_name(sample_collection, shown_table(page)) == rows
    totals = page.select(f"#totals-{PLAN} [data-col]")
    assert [td["data-col"] for td in totals] == list(PLAN_COLUMNS)
    assert [as_int(td.get_text()) for td in totals] == printed_total == [3835, 3190, 110, 86, 54, 46]


def test_city_totals_mark_the_printed_totals_that_differ_from_the_rows(sample_site):
    page = soup(sample_site, "statistics")
    marked = {a["href"] for a in page.select(f"#totals-{PLAN} sup a")}
    assert marked == {f"#{PLAN}-note-liuyiting", f"#{PLAN}-note-liuyiting_completed"}
    for href in marked:
        assert page.select_one(href) is not None  # the footnote it points at exists
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids)), "duplicate ids on the page"


# --- charts ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,prefix", LANGS)
def test_charts_are_valid_svg_with_title_and_description_in_the_page_language(sample_site, lang, prefix):
    sources = chart_sources(page_html(sample_site, prefix))
    assert set(sources) == {f"chart-{PLAN}-projects", f"chart-{PLAN}-facilities", "chart-sites-2024"}
    for chart_id, source in sources.items():
        svg = ET.fromstring(source)  # well-formed XML, or this raises
        assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
        assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", svg.get("viewBox"))
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        for element in (title, desc):
            assert element.text and element.text.strip()
            assert bool(CJK.search(element.text)) == (lang == "zh"), element.text
        assert "2024" in title.text
        assert not svg.findall(f".//{SVG}script")
        assert not [name for element in svg.iter() for name in element.attrib if name.startswith("on")]
        assert "@import" not in source and "url(http" not in source  # no web fonts, nothing fetched


@needs_seeds
@pytest.mark.parametrize("lang,prefix", LANGS)
def test_bar_labels_equal_the_table_and_annex1(sample_site, sample_collection, lang, prefix):
    rows, _ = annex1_rows()
    sources = chart_sources(page_html(sample_site, prefix))
    labelled: dict[str, dict[str, int]] = {}
    for chart_id in (f"chart-{PLAN}-projects", f"chart-{PLAN}-facilities"):
        svg = ET.fromstring(sources[chart_id])
        ratios = []
        for text in svg.iter(f"{SVG}text"):
            if text.get("class") == "sc-chart__value":
                key, series = text.get("data-key"), text.get("data-series")
                assert series not in labelled.setdefault(key, {})
                labelled[key][series] = as_int(text.text)
        for bar in svg.iter(f"{SVG}rect"):
            if bar.get("class") == "sc-chart__bar":
                ratios.append(float(bar.get("width")) / labelled[bar.get("data-key")][bar.get("data-series")])
        assert max(ratios) - min(ratios) < 0.01 * max(ratios), "bar lengths are not proportional to their figures"
    row_number = {row.district: row.row for row in sample_collection.plans[PLAN].rows}
    figures = {key: [row_number[key]] + [values[col] for col in PLAN_COLUMNS] for key, values in labelled.items()}
    assert by_short_name(sample_collection, figures) == rows
    assert figures == shown_table(soup(sample_site, f"{prefix}statistics"))


@needs_seeds
@pytest.mark.parametrize("lang,prefix", LANGS)
def test_floor_areas_equal_annex2(sample_site, sample_collection, lang, prefix):
    expected = {int(number): int(area) for number, _, _, _, _, area in annex2_rows()}
    assert len(expected) == 16
    number_of = {site.id: site.number for site in sample_collection.sites.values()}
    svg = ET.fromstring(chart_sources(page_html(sample_site, prefix))["chart-sites-2024"])
    values = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "sc-chart__value"]
    assert {number_of[t.get("data-key")]: as_int(t.text) for t in values} == expected
    assert all(float(t.get("data-value")) == expected[number_of[t.get("data-key")]] for t in values)
    unit = "平方米" if lang == "zh" else "m²"
    assert all(t.text.endswith(unit) for t in values)
    shown = [as_int(t.text) for t in values]
    assert shown == sorted(shown, reverse=True)  # largest first
    names = [t for t in svg.iter(f"{SVG}text") if t.get("class") is None and t.text]
    assert len(names) >= 16

    page = soup(sample_site, f"{prefix}statistics")
    table = page.select("#floor-areas-2024 tbody tr")
    assert [int(tr.find("td").get_text()) for tr in table] == list(range(1, 17))  # the document's order
    assert {int(tr.find("td").get_text()): as_int(tr.select_one("td[data-col=floor_area_m2]").get_text()) for tr in table} == expected
    for tr in table:
        href = tr.select_one("a")["href"]
        target = resolve(f"{prefix}statistics/", href)
        assert target == f"{prefix}competition/{tr['data-site']}/"
        assert (sample_site / target / "index.html").exists()


@pytest.mark.parametrize("lang,prefix", LANGS)
def test_charts_are_deterministic(sample_site, sample_collection, lang, prefix):
    """The charts in the built page (drawn in the mkdocs process) are byte for byte what a fresh
    rendering gives, twice over."""
    strings = Strings(ROOT / "site_templates" / "strings.yaml")
    first = charts.statistics_context(sample_collection, strings, lang)
    second = charts.statistics_context(sample_collection, strings, lang)
    drawn = [*first["plan_charts"][PLAN], *(group["chart"] for group in first["site_years"])]
    assert drawn == [*second["plan_charts"][PLAN], *(group["chart"] for group in second["site_years"])]
    built = chart_sources(page_html(sample_site, prefix))
    assert sorted(built.values()) == sorted(str(svg) for svg in drawn)


def test_chart_labels_are_escaped():
    hostile = '<script>alert("x")</script> & ]]> \'"'
    source = charts.grouped_bars(
        "chart-x", hostile, hostile, [("a", charts.Label(hostile)), ("b", charts.Label("B", "zh-Hans"))],
        [charts.Panel(hostile, [charts.Series("s", hostile, [3, 0]), charts.Series("t", "T", [1, 2], hatched=True)])])
    svg = ET.fromstring(source)
    assert "<script" not in source
    assert svg.find(f"{SVG}title").text == hostile
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "0" in texts and "3" in texts  # a zero bar still has its figure
    assert any(t.get("lang") == "zh-Hans" for t in svg.iter(f"{SVG}text"))
    bars = charts.labelled_bars("chart-y", "t", "d", [("k", charts.Label(hostile * 5), 12.5, "12.5 m²")])
    assert ET.fromstring(bars).find(f"{SVG}desc").text == "d"


def test_a_new_years_table_is_a_new_data_file(tmp_path):
    """A 2025 table dropped into cases/statistics/ gets its own totals, sortable table and charts
    on the page, with no code change; the 2024 table stays as it was."""
    content = copy_content(tmp_path)
    (content / "statistics" / "plan-2025.yaml").write_text(textwrap.dedent("""\
        id: plan-2025
        year: 2025
        title: {zh: 2025年项目计划清单（测试）, en: 2025 project plan (test)}
        rows:
          - {row: 1, district: pudong, projects: 500, completed: 400, renminfang: 3, renminfang_completed: 2, liuyiting: 4, liuyiting_completed: 4}
          - {row: 2, district: chongming, projects: 70, completed: 70, renminfang: 1, renminfang_completed: 0, liuyiting: 0, liuyiting_completed: 0}
        totals: {projects: 570, completed: 470, renminfang: 4, renminfang_completed: 2, liuyiting: 4, liuyiting_completed: 4}
        """), encoding="utf-8")
    site = tmp_path / "site"
    result = build(content, site)
    assert result.returncode == 0, result.stdout + result.stderr
    for lang, prefix in LANGS:
        html = page_html(site, prefix)
        page = soup(site, f"{prefix}statistics")
        assert [t["id"] for t in page.select("table[data-sortable]")] == ["table-plan-2024", "table-plan-2025"]
        assert [as_int(s.get_text()) for s in page.select("#totals-plan-2025 [data-col]")] == [570, 470, 4, 2, 4, 4]
        assert shown_table(page)["pudong"] == [1, 781, 745, 14, 13, 12, 12]  # 2024 unchanged (first table)
        sources = chart_sources(html)
        assert {"chart-plan-2025-projects", "chart-plan-2025-facilities"} <= set(sources)
        svg = ET.fromstring(sources["chart-plan-2025-projects"])
        assert "2025" in svg.find(f"{SVG}title").text
        labels = {(t.get("data-key"), t.get("data-series")): t.text for t in svg.iter(f"{SVG}text") if t.get("data-series")}
        assert labels == {("pudong", "projects"): "500", ("pudong", "completed"): "400",
                          ("chongming", "projects"): "70", ("chongming", "completed"): "70"}
