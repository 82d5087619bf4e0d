"""Site search in headless Chromium, against the built sample site: the relevance set, the header
box (typing, keys, filters), one language per index, and what it loads (nothing before the reader
opens it, nothing from another host)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from generator.search import WORDS_FILE, dictionary_words

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((Path(__file__).resolve().parents[1] / "search_queries.yaml").read_text(encoding="utf-8"))
# pages without a map: a map would fetch tiles from the map providers (tested elsewhere)
START = {"zh": "about/", "en": "en/about/"}


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def open_page(context, server, path):
    page = context.new_page()
    page.goto(server + path)
    page.wait_for_selector(".sc-search:not([hidden])")
    return page


def lookup(page, query: str, filters: dict | None = None) -> dict:
    return page.evaluate("([q, f]) => window.showcaseSearch.query(q, f)", [query, filters or {}])


RESULTS_IN = "() => /\\d/.test(document.querySelector('#sc-search-status').textContent)"


def type_query(page, query: str):
    """Type `query` into the box and wait for Pagefind's results (a glossary term's definition can
    be shown before them, alone)."""
    page.click(".sc-search__open")
    page.wait_for_selector("#sc-search-dialog[open]")
    page.fill("#sc-search-input", query)
    page.wait_for_selector(".sc-search__hit")
    page.wait_for_function(RESULTS_IN)


def hits(page) -> list[dict]:
    return page.eval_on_selector_all(".sc-search__hit", """els => els.map(a => ({
        href: a.href, kind: a.querySelector('.sc-search__kind').textContent,
        title: a.querySelector('.sc-search__title').textContent}))""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_relevance(context, server, lang):
    """Each query of tests/search_queries.yaml finds its page among the first three."""
    assert len(QUERIES[lang]) >= 20
    page = open_page(context, server, START[lang])
    misses = []
    for item in QUERIES[lang]:
        top = [hit["url"] for hit in lookup(page, item["query"])["top"][:3]]
        if item["expect"] not in top:
            misses.append(f"{item['query']!r}: expected {item['expect']} in the top three, got {top}")
    page.close()
    assert misses == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_glossary_terms_come_first(context, server, lang):
    """Each query of the `first` set of tests/search_queries.yaml finds the term's definition first."""
    page = open_page(context, server, START[lang])
    misses = []
    for item in QUERIES["first"][lang]:
        top = [hit["url"] for hit in lookup(page, item["query"])["top"]]
        if not top or top[0] != item["expect"]:
            misses.append(f"{item['query']!r}: expected {item['expect']} first, got {top[:3]}")
        elif top.count(item["expect"]) != 1:
            misses.append(f"{item['query']!r}: {item['expect']} is shown twice")
    page.close()
    assert misses == []


SEARCHED = """async (query) => {
  const root = document.querySelector("[data-sc-search]"), input = document.querySelector("#sc-search-input");
  const done = new Promise((resolve) => {
    const listen = (event) => {
      if (event.detail.query === query.trim()) { root.removeEventListener("sc-search-results", listen); resolve(); }
    };
    root.addEventListener("sc-search-results", listen);
    setTimeout(resolve, 15000);
  });
  input.value = query;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  await done;
  return [...document.querySelectorAll(".sc-search__hit")].map((a) => ({
    href: a.href, kind: a.querySelector(".sc-search__kind").textContent,
    title: a.querySelector(".sc-search__title").textContent,
    excerpt: a.querySelector(".sc-search__excerpt").textContent,
    marks: a.querySelectorAll(".sc-search__excerpt *").length}));
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_glossary_name_shows_its_definition_first_in_the_box(context, server, sample_collection, lang):
    """Every name of every glossary term (cases/glossary/), in either language, typed into the box
    of either language's pages: the term's definition comes first, once, with its one sentence as
    the excerpt (text, no markup)."""
    terms = sample_collection.glossary_sorted()
    assert len(terms) >= 5
    page = open_page(context, server, START[lang])
    page.click(".sc-search__open")
    page.wait_for_selector("#sc-search-dialog[open]")
    kind = "词语解释" if lang == "zh" else "Glossary"
    misses = []
    for term in terms:
        url = server + ("en/" if lang == "en" else "") + f"glossary/#{term.id}"
        for name in term.names():
            shown = page.evaluate(SEARCHED, name)
            first = shown[0] if shown else {}
            if (first.get("href"), first.get("kind"), first.get("title"), first.get("excerpt")) != \
                    (url, kind, term.term.get(lang), term.short.get(lang)) or first.get("marks"):
                misses.append(f"{name!r}: {first}")
            elif [hit["href"] for hit in shown].count(url) != 1:
                misses.append(f"{name!r}: the definition is shown twice")
    page.close()
    assert misses == []


def test_typing_renminfang_in_the_header_shows_competition_sites(context, server, sample_collection):
    page = open_page(context, server, START["zh"])
    type_query(page, "人民坊")
    shown = hits(page)
    sites = [h for h in shown if re.search(r"/competition/2024-\d\d-[a-z]+/$", h["href"])]
    assert len(sites) >= 3, shown
    assert all(h["kind"] == "人民坊竞赛点位" for h in sites)
    names = {s.name.zh for s in sample_collection.sites.values()}
    assert all(h["title"] in names for h in sites)
    status = page.text_content("#sc-search-status")
    assert re.match(r"找到 \d+ 条结果", status), status
    page.close()


@pytest.mark.parametrize("lang, query, other", [("en", "Renminfang", "zh"), ("zh", "人民坊", "en"),
                                                 ("en", "Changning", "zh"), ("zh", "长宁", "en")])
def test_results_stay_in_the_language_of_the_page(context, server, lang, query, other):
    page = open_page(context, server, START[lang])
    found = page.evaluate("""async (q) => {
        const r = await window.showcaseSearch.query(q);
        return {count: r.count, urls: r.top.map(x => x.url)};
    }""", query)
    assert found["count"] > 0
    if lang == "en":
        assert all(url.startswith("/en/") for url in found["urls"]), found
    else:
        assert not any(url.startswith("/en/") for url in found["urls"]), found
    # and through the box: every link shown stays in the page's language
    type_query(page, query)
    for hit in hits(page):
        path = urlparse(hit["href"]).path
        assert path.startswith("/en/") == (lang == "en"), hit
    page.close()


def test_every_dictionary_word_in_the_content_is_found(context, server, sample_site, sample_collection):
    """The programme's words (generator/search/words.txt and every name in the content) are found
    where the content writes them."""
    text = "".join(p.read_text(encoding="utf-8") for p in sample_site.rglob("index.html")
                   if not p.relative_to(sample_site).as_posix().startswith(("en/", "pagefind/")))
    words = [w for w in dictionary_words(sample_collection, WORDS_FILE) if w in text]
    for must in ("人民坊", "六艺亭", "十全十美", "一图三会", "生活圈", "华阳街道"):
        assert must in words
    page = open_page(context, server, START["zh"])
    missing = []
    for word in words:
        found = lookup(page, word)
        contents = [hit["content"].replace("\u200b", "") for hit in found["top"][:3]]
        if not any(word in content for content in contents):
            missing.append(word)
    page.close()
    assert missing == []


def test_the_box_is_in_the_header_on_a_phone_and_on_a_desktop(browser, server):
    for width in (360, 1280):
        ctx = browser.new_context(viewport={"width": width, "height": 800})
        page = ctx.new_page()
        page.goto(server + START["zh"])
        button = page.locator("header.md-header .sc-search__open")
        button.wait_for(state="visible")
        box = button.bounding_box()
        header = page.locator("header.md-header").bounding_box()
        assert box and header and box["y"] >= header["y"] and box["y"] + box["height"] <= header["y"] + header["height"]
        assert box["x"] + box["width"] <= width
        button.click()
        dialog = page.locator("#sc-search-dialog").bounding_box()
        assert dialog and dialog["width"] <= width
        ctx.close()


def test_keys_open_move_through_results_and_close(context, server):
    page = open_page(context, server, START["zh"])
    page.keyboard.press("/")
    page.wait_for_selector("#sc-search-dialog[open]")
    assert page.evaluate("document.activeElement.id") == "sc-search-input"
    page.keyboard.type("人民坊")
    page.wait_for_selector(".sc-search__hit")
    page.wait_for_function(RESULTS_IN)
    links = hits(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[0]["href"]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[1]["href"]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "sc-search-input"
    page.keyboard.press("Escape")
    page.wait_for_selector("#sc-search-dialog:not([open])", state="attached")
    # focus goes back to the search button (the dialog's close event comes a task after close())
    page.wait_for_function("document.activeElement.classList.contains('sc-search__open')", timeout=5000)
    # Tab reaches the results too, and Enter opens the one in focus
    page.click(".sc-search__open")
    page.wait_for_selector(".sc-search__hit")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == target
    page.close()


def test_a_filter_narrows_the_results(context, server):
    page = open_page(context, server, START["zh"])
    everything = lookup(page, "人民坊")
    only_sites = lookup(page, "人民坊", {"kind": "人民坊竞赛点位"})
    changning = lookup(page, "人民坊", {"district": "长宁区"})
    assert 0 < only_sites["count"] < everything["count"]
    assert all(hit["meta"]["kind"] == "人民坊竞赛点位" for hit in only_sites["top"])
    assert 0 < changning["count"] < everything["count"]
    assert all("长宁区" in hit["filters"].get("district", []) for hit in changning["top"])
    # and in the box: the kind select, filled when the filters open
    type_query(page, "人民坊")
    page.click(".sc-search__filters summary")
    page.wait_for_selector("select[data-filter=kind] option[value='人民坊竞赛点位']", state="attached")
    page.select_option("select[data-filter=kind]", "人民坊竞赛点位")
    page.wait_for_function("() => /找到 \\d+ 条结果/.test(document.querySelector('#sc-search-status').textContent)"
                           f" && !document.querySelector('#sc-search-status').textContent.includes('{everything['count']}')")
    assert {h["kind"] for h in hits(page)} == {"人民坊竞赛点位"}
    page.close()


def test_nothing_loads_before_the_reader_opens_search_and_nothing_from_another_host(context, server):
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + START["en"])
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "/pagefind/" in u], "the index loaded before anyone searched"
    page.click(".sc-search__open")
    page.fill("#sc-search-input", "Renminfang")
    page.wait_for_selector(".sc-search__hit")
    searched = [u for u in requests if "/pagefind/" in u]
    assert searched, "the search loaded nothing"
    assert not any("/pagefind/index/zh_" in u or "pagefind.zh_" in u for u in searched), "an English page loaded the Chinese index"
    # only what a search needs: the script, the language's wasm, metadata, index chunks, fragments
    assert not [u for u in searched if u.endswith((".css", "-ui.js", "highlight.js", "worker.js"))], searched
    assert [u for u in requests if not u.startswith(server) and not u.startswith("data:")] == []
    page.close()


def test_search_text_is_never_markup(context, server):
    """Titles and excerpts are put in as text: a result whose text contains markup shows it as text."""
    page = open_page(context, server, START["zh"])
    type_query(page, "人民坊")
    assert page.eval_on_selector_all(".sc-search__hit *", "els => els.filter(e => !['SPAN','MARK'].includes(e.tagName)).length") == 0
    page.close()


@pytest.mark.parametrize("query", ["人民坊", "社区生活圈", "城桥镇", "E刻生活圈"])
def test_excerpts_read_as_the_page_writes_them(context, server, sample_site, query):
    """Chinese is indexed as pairs of characters with marks (records.split_han): the excerpts show
    the text as written, the query marked as one run, no pair or mark left over."""
    page = open_page(context, server, START["zh"])
    type_query(page, query)
    # (a glossary term's definition, shown first for its name, has its own sentence as the excerpt)
    shown = page.eval_on_selector_all(".sc-search__hit", """els => els.filter(a => !a.href.includes('/glossary/'))
        .map(a => a.querySelector('.sc-search__excerpt')).map(e => ({
        text: e.textContent, marks: [...e.querySelectorAll('mark')].map(m => m.textContent)}))""")
    page.close()
    from bs4 import BeautifulSoup

    from generator.search.records import EXCLUDE_SELECTORS

    def indexed(path: Path) -> str:  # a page's text as the index holds it, without spaces
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select(", ".join(EXCLUDE_SELECTORS)):
            element.decompose()
        return squeeze(soup.get_text())

    squeeze = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 - Pagefind joins the text of elements
    text = "".join(indexed(p) for p in sample_site.rglob("index.html")
                   if not p.relative_to(sample_site).as_posix().startswith(("en/", "pagefind/")))
    assert shown
    for excerpt in shown:
        assert "^" not in excerpt["text"], excerpt
        # an excerpt is a stretch of a page's text
        assert squeeze(excerpt["text"])[:8] in text, excerpt
    # the whole query is marked, as one run (E刻: the Latin letter is a word of its own)
    wanted = query.replace("E", "")
    assert all(any(wanted in mark for mark in excerpt["marks"]) for excerpt in shown), shown


def test_a_case_is_not_found_by_the_related_cases_it_lists(context, server, sample_site, sample_collection):
    """A case page's related-case cards are not indexed: searching another case's title does not
    bring up every page that merely lists it as related (and the index stays half the size)."""
    from bs4 import BeautifulSoup

    page = open_page(context, server, START["zh"])
    checked = 0
    for case in sample_collection.cases.values():
        path = sample_site / "cases" / case.id / "index.html"
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
        related = [title.get_text(strip=True) for title in article.select(".sc-cards .sc-card__title")]
        for cards in article.select(".sc-cards"):
            cards.decompose()
        own_text = article.get_text()  # the page's own text, without the cards or the navigation
        for other in related:
            if other in own_text:
                continue
            urls = [hit["url"] for hit in lookup(page, other)["top"]]
            assert urls, other
            assert not any(url.rstrip("/").endswith(f"/{case.id}") for url in urls), \
                f"{case.id} is found for {other!r}, which it only lists as a related case"
            checked += 1
    page.close()
    assert checked >= 3
