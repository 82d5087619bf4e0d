"""The glossary (issue 18): cases/glossary/ entries, checked like every other kind; the glossary
page in both languages with an anchor per term and its source; the first use of each term on a
page linked to its definition with an accessible tooltip, never in a heading, a link or the term's
own definition."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import urls
from generator.collection import load_collection
from tests.helpers import SEEDS

GLOSSARY_2024 = ["one-plus-n", "shiquan-shimei", "renminfang", "liuyiting", "yitu-sanhui"]  # 名词解释 1-5
SIX_KINDS = ["shiquan-shimei-circle", "innovation-circle", "beauty-health-circle", "smart-governance-circle",
             "lively-circle", "resilient-circle"]


def soup(site: Path, route: str, lang: str) -> BeautifulSoup:
    return BeautifulSoup((site / urls.page_url(route, lang) / "index.html").read_text(encoding="utf-8"), "html.parser")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read(element) -> str:
    """An element's text as a reader sees it: without the hidden tooltips of linked terms."""
    copy = BeautifulSoup(str(element), "html.parser")
    for tip in copy.select(".sc-term__tip"):
        tip.decompose()
    return copy.get_text()


def test_the_seeds_terms_are_in_the_glossary(sample_collection):
    glossary = sample_collection.glossary
    assert set(GLOSSARY_2024 + SIX_KINDS) <= set(glossary)
    for term_id in GLOSSARY_2024:
        assert [(s.document, s.section) for s in glossary[term_id].sources] == \
            [("plan-2024", f"名词解释{GLOSSARY_2024.index(term_id) + 1}")]
    for term in glossary.values():
        assert term.term.en and term.short.en and term.definition.en, f"{term.id}: both languages"
        assert term.sources, f"{term.id}: cites its source"


@pytest.mark.skipif(not SEEDS.exists() and not os.environ.get("CI"), reason="../shared/seeds is not beside this checkout")
def test_definitions_are_quoted_from_their_documents(sample_collection):
    """The Chinese definitions are the documents' words (spaces and the PDF's line breaks aside)."""
    documents = {"plan-2024": "000_561335649e3144fb.txt", "guide-2026": "001_f5ea69108ec0108a.txt",
                 "jiading-2025": "003_c67404acb0d234d5.txt"}
    for term in sample_collection.glossary.values():
        seed = squeeze((SEEDS / documents[term.sources[0].document]).read_text(encoding="utf-8").replace("**", ""))
        for paragraph in term.definition.zh.split("\n\n"):
            quoted = squeeze(paragraph).split("：", 1)[-1] if term.id == "palm-treasure" else squeeze(paragraph)
            assert quoted in seed, f"{term.id}: not the document's words: {paragraph[:60]}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_glossary_page_has_an_anchor_and_a_source_per_term(sample_site, sample_collection, lang):
    page = soup(sample_site, urls.GLOSSARY, lang)
    for term in sample_collection.glossary_sorted():
        heading = page.find("h2", id=term.id)
        assert heading is not None and heading.get_text(strip=True) == term.term.get(lang), term.id
        section = heading.find_parent("section")
        assert section["data-sc-term-own"] == term.id
        assert squeeze(term.short.get(lang)) in squeeze(read(section.select_one(".sc-glossary__short")))
        assert squeeze(term.definition.get(lang))[:40] in squeeze(read(section.select_one("blockquote")))
        document = sample_collection.documents[term.sources[0].document]
        assert document.title.get(lang) in section.select_one(".sc-sources").get_text(), term.id
        for related in term.related:
            assert section.select_one(f'.sc-glossary__related a[href="#{related}"]'), (term.id, related)
        for case_id in term.cases:
            assert section.select_one(f'.sc-glossary__examples a[href$="cases/{case_id}/"]'), (term.id, case_id)
        # the index at the top leads to it
        assert page.select_one(f'.sc-glossary__index a[href="#{term.id}"]')
    # the page is in the navigation of both languages
    tabs = [a.get_text(strip=True) for a in page.select(".md-tabs a")]
    assert ("词语解释" if lang == "zh" else "Glossary") in tabs


def _term_links(page: BeautifulSoup) -> list:
    return page.select("article .sc-term")


@pytest.mark.parametrize("lang, word", [("zh", "人民坊"), ("en", "Renminfang")])
def test_the_first_use_on_a_page_is_linked_once(sample_site, lang, word):
    for route in ["", urls.page("about"), urls.case("changning-huayang-renminfang"), urls.STATISTICS]:
        page = soup(sample_site, route, lang)
        links = [t for t in _term_links(page) if t.a["href"].endswith("#renminfang")]
        assert len(links) == 1, (route, len(links))
        term = links[0]
        # the link's text is the word, and its description is the tooltip beside it
        assert term.a.get_text() == word
        tip = page.find(id=term.a["aria-describedby"])
        assert tip is term.select_one(".sc-term__tip") and tip["role"] == "tooltip" and tip.has_attr("hidden")
        assert tip.get_text().startswith("集中布局" if lang == "zh" else "A one-stop service centre")
        # the link goes to the definition from wherever the page is
        target = urls.relative(urls.page_url(urls.GLOSSARY, lang), urls.page_url(route, lang)) + "#renminfang"
        assert term.a["href"] == target, route
        # and the script that shows the tooltip comes with it
        assert page.select_one('article script[src*="javascripts/terms"]'), route


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_never_in_headings_links_or_the_terms_own_definition(sample_site, lang):
    for path in sample_site.rglob("index.html"):
        if "pagefind" in path.parts:
            continue
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        seen = set()
        for term in _term_links(page):
            assert not term.find_parent(["h1", "h2", "h3", "h4", "h5", "h6", "a", "nav", "button"]), path
            assert term.find_parent(["p", "li", "blockquote", "figcaption", "dd"]), path
            assert not term.find_parent(class_=re.compile("^sc-card")), path
            term_id = term.a["href"].rsplit("#", 1)[1]
            assert term_id not in seen, f"{path}: {term_id} linked twice"
            seen.add(term_id)
            own = term.find_parent(attrs={"data-sc-term-own": True})
            assert own is None or own["data-sc-term-own"] != term_id, f"{path}: {term_id} inside its own definition"


def test_the_glossary_page_links_other_terms_inside_definitions(sample_site):
    page = soup(sample_site, urls.GLOSSARY, "zh")
    section = page.find("h2", id="renminfang").find_parent("section")
    assert section.select_one('.sc-term a[href="#shiquan-shimei"]'), "十全十美 in 人民坊's definition links on the same page"
    assert not section.select_one('.sc-term a[href="#renminfang"]')


def test_the_about_page_points_to_the_glossary(sample_site):
    for lang in ("zh", "en"):
        page = soup(sample_site, urls.page("about"), lang)
        assert page.select_one('article a[href="../glossary/"]'), lang


# --- checked like every other kind ----------------------------------------------------------

TERM = """\
id: {id}
term: {{zh: {zh}, en: {en}}}
short: {{zh: 一句话。, en: One sentence.}}
definition: {{zh: 定义。, en: Definition.}}
sources: [{{document: plan-2024}}]
"""
DOCUMENTS = "documents:\n  - {id: plan-2024, title: {zh: 2024年行动方案, en: The 2024 action plan}}\n"


def _content(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "cases"
    for name, text in {"documents.yaml": DOCUMENTS, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def _errors(root: Path) -> list:
    collection, diagnostics = load_collection(root, display_root=root.parent)
    assert collection is None
    return diagnostics.errors


def test_an_unknown_related_term_is_an_error_with_line_and_suggestion(tmp_path):
    root = _content(tmp_path, {
        "glossary/renminfang.yaml": TERM.format(id="renminfang", zh="人民坊", en="Renminfang"),
        "glossary/liuyiting.yaml": TERM.format(id="liuyiting", zh="六艺亭", en="Liuyiting") + "related: [renminfang, renminfnag]\ncases: [no-such-case]\n",
    })
    errors = _errors(root)
    messages = {e.field: e for e in errors}
    related = messages["related[2]"]
    assert (related.file, related.line) == ("cases/glossary/liuyiting.yaml", 6)
    assert "renminfang" in related.hint.zh and "renminfang" in related.hint.en
    assert "词语" in related.message.zh and "glossary term" in related.message.en
    case = messages["cases[1]"]
    assert case.line == 7 and "no-such-case" in case.message.en


def test_a_spelling_that_names_two_terms_is_an_error(tmp_path):
    root = _content(tmp_path, {
        "glossary/a-term.yaml": TERM.format(id="a-term", zh="人民坊", en="Renminfang"),
        "glossary/b-term.yaml": TERM.format(id="b-term", zh="人民坊中心", en="Renminfang centre") + "aliases: {en: [“renminfang”]}\n",
    })
    (error,) = _errors(root)
    assert (error.code, error.file, error.line) == ("term_name_taken", "cases/glossary/b-term.yaml", 6)
    assert "a-term" in error.message.zh and "a-term" in error.message.en


def test_a_term_related_to_itself_is_an_error(tmp_path):
    root = _content(tmp_path, {"glossary/a-term.yaml": TERM.format(id="a-term", zh="人民坊", en="Renminfang") + "related: [a-term]\n"})
    (error,) = _errors(root)
    assert (error.code, error.line) == ("related_to_itself", 6)


def test_an_untranslated_explanation_says_so_in_the_tooltip():
    from generator.content.models import GlossaryTerm
    from generator.render.terms import TermLinker, terms_for

    term = GlossaryTerm.model_validate({"id": "shequ-guihuashi", "term": {"zh": "社区规划师", "en": "community planner"},
                                        "short": {"zh": "参与社区规划的专业人员。"}, "definition": {"zh": "定义。"},
                                        "sources": [{"document": "plan-2024"}]})
    linked, count = TermLinker(terms_for([term], "en", "Chinese only")).link("<p>A community planner helps.</p>", lambda i: f"#{i}")
    assert count == 1
    tip = BeautifulSoup(linked, "html.parser").select_one(".sc-term__tip").get_text()
    assert tip == "参与社区规划的专业人员。 (Chinese only)"
