"""The built sample site, read as HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from generator import urls
from tests.helpers import build, copy_content, page_file, resolve


def html(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, url).read_text(encoding="utf-8"), "html.parser")


def expected_routes(collection) -> list[str]:
    routes = [urls.HOME, urls.CASES, urls.COMPETITION, urls.RETROSPECTIVE, urls.STATISTICS, urls.MAP, urls.DOWNLOADS]
    routes += [urls.DISTRICTS] + [urls.district(d.key) for d in collection.reference.districts]
    routes += [urls.SERVICES] + [urls.service(s.key) for s in collection.reference.services]
    routes += [urls.case(i) for i in collection.cases] + [urls.site(i) for i in collection.sites]
    routes += [urls.page(i) for i in collection.pages if i != "home"]
    routes += [urls.EXHIBITIONS]
    routes += [urls.GLOSSARY] if collection.glossary else []
    for exhibition in collection.exhibitions.values():
        routes += [urls.exhibition(exhibition.id), urls.exhibition_guide(exhibition.id)]
        routes += [urls.exhibition_room(exhibition.id, n) for n in range(1, len(exhibition.rooms) + 1)]
    return routes


def test_sample_content_has_what_the_issue_asks_for(sample_collection):
    assert len(sample_collection.sites) == 16
    assert len(sample_collection.milestones) >= 10
    assert len(sample_collection.cases) >= 8
    years = {m.date.year for m in sample_collection.milestones.values()}
    assert min(years) == 2014 and max(years) == 2026
    assert all(m.documents for m in sample_collection.milestones.values()), "every milestone cites its document"
    assert all(s.location and s.location.approximate for s in sample_collection.sites.values())


def test_every_entry_has_a_page_in_both_languages(sample_site, sample_collection):
    for route in expected_routes(sample_collection):
        for lang in ("zh", "en"):
            assert page_file(sample_site, urls.page_url(route, lang)).is_file(), (route, lang)
    # and nothing else masquerades as a page
    built = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("index.html")}
    wanted = {urls.page_url(r, lang) + "index.html" for r in expected_routes(sample_collection) for lang in ("zh", "en")}
    assert built == wanted


def test_case_page_shows_its_entry(sample_site, sample_collection):
    for case in sample_collection.cases.values():
        zh = html(sample_site, urls.case(case.id))
        en = html(sample_site, urls.page_url(urls.case(case.id), "en"))
        assert zh.h1.get_text(strip=True) == case.title.zh
        assert en.h1.get_text(strip=True) == case.title.get("en")
        district = sample_collection.reference.districts[case.district]
        assert district.zh in zh.select_one(".sc-facts").get_text()
        assert district.en in en.select_one(".sc-facts").get_text()
        if case.illustrative:
            assert zh.select_one(".sc-illustrative") and en.select_one(".sc-illustrative")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_lang_and_ui_language_follow_the_page(sample_site, sample_collection, lang):
    for route in expected_routes(sample_collection):
        page = html(sample_site, urls.page_url(route, lang))
        assert page.html["lang"] == lang, route
        description = page.select_one("meta[name=description]")["content"]
        ascii_share = sum(c.isascii() for c in description) / len(description)
        assert (ascii_share > 0.8) == (lang == "en"), (route, description)  # English may quote a Chinese term
        tabs = [a.get_text(strip=True) for a in page.select(".md-tabs__link")]
        assert tabs[1] == ("优秀案例" if lang == "zh" else "Excellent cases"), route


def test_language_switch_lands_on_the_counterpart(sample_site, sample_collection):
    for route in expected_routes(sample_collection):
        for lang, other in (("zh", "en"), ("en", "zh")):
            url = urls.page_url(route, lang)
            page = html(sample_site, url)
            switches = page.select(f"a.sc-lang-switch[data-lang='{other}'], a.sc-lang-direct[data-lang='{other}']")
            assert len(switches) == 2, url
            for link in switches:
                target = resolve(url, link["href"])
                assert target == urls.counterpart(url, other), (url, link["href"])
                assert page_file(sample_site, target).is_file()
            in_menu = {a["hreflang"]: resolve(url, a["href"]) for a in page.select("a.sc-lang-switch[hreflang]")}
            assert in_menu == {"zh": urls.page_url(route, "zh"), "en": urls.page_url(route, "en")}


def test_internal_links_resolve(sample_site):
    broken = []
    for path in sample_site.rglob("*.html"):
        url = path.parent.relative_to(sample_site).as_posix() + "/" if path.name == "index.html" else path.name
        url = "" if url == "./" else url
        for tag in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select("a[href], img[src], link[href], script[src]"):
            ref = tag.get("href") or tag.get("src")
            if urlparse(ref).scheme or ref.startswith(("#", "//", "mailto:")):
                continue
            target = resolve(url, ref.split("#")[0].split("?")[0])
            file = sample_site / target
            if not (file.is_file() or (file / "index.html").is_file()):
                broken.append(f"{url}: {ref}")
    assert broken == []


def test_the_sites_own_styles_and_scripts_change_address_when_they_change(sample_site):
    """A deploy must not leave readers on yesterday's CSS or scripts from a cache: the stylesheets
    are one file named by the hash of its content (one request instead of four), each script of
    assets/ is published under a name carrying the hash of its content (not ?v=, which a CDN set
    to ignore query strings would not see), and a page's map script carries ?v=<hash>."""
    import hashlib

    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()[:10]

    assets = Path(__file__).resolve().parents[2] / "assets"
    for page in ("index.html", "en/cases/changning-huayang-renminfang/index.html", "statistics/index.html"):
        path = sample_site / page
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        url = path.parent.relative_to(sample_site).as_posix() + "/"
        ours = [link["href"] for link in soup.select("link[rel=stylesheet]") if "/assets/stylesheets/" not in "/" + resolve(url, link["href"])]
        assert len(ours) == 1, ours
        bundle = sample_site / resolve(url, ours[0])
        assert re.fullmatch(r"showcase\.[0-9a-f]{10}\.css", bundle.name) and bundle.name == f"showcase.{digest(bundle.read_bytes())}.css"
        text = bundle.read_text(encoding="utf-8")
        for name in ("showcase.css", "browse.css", "search.css", "statistics.css"):
            assert (assets / "stylesheets" / name).read_text(encoding="utf-8").strip() in text, name
        scripts = [s["src"] for s in soup.select("script[src]") if resolve(url, s["src"]).startswith("javascripts/")]
        assert any("search." in src for src in scripts), scripts
        for src in scripts:
            address = resolve(url, src)
            found = re.fullmatch(r"javascripts/([a-z-]+)\.([0-9a-f]{10})\.js", address)
            assert found and found.group(2) == digest((sample_site / address).read_bytes()), src
            assert (sample_site / address).read_bytes() == (assets / "javascripts" / f"{found.group(1)}.js").read_bytes()
            assert not (sample_site / "javascripts" / f"{found.group(1)}.js").exists(), "only the hashed name is published"
        for box in soup.select(".sc-map[data-script]"):
            address, _, version = resolve(url, box["data-script"]).partition("?v=")
            assert version == digest((sample_site / address).read_bytes()), box["data-script"]


def test_cited_sections_read_in_english_on_english_pages(sample_site):
    """(任务9) reads (Task 9) on English pages; a heading quoted from a document stays Chinese and
    is marked lang="zh"."""
    checked = 0
    for path in (sample_site / "en").rglob("index.html"):
        for item in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select(".sc-sources li"):
            cite = item.find("cite")
            sections = "".join(str(node) if isinstance(node, str) else ("" if node.get("lang") == "zh" else node.get_text())
                               for node in cite.next_siblings if getattr(node, "name", None) != "span" or "sc-docmeta" not in node.get("class", []))
            assert not re.search(r"[\u4e00-\u9fff]", sections), f"{path}: {item}"
            checked += bool(sections.strip())
    assert checked > 20
    retrospective = (sample_site / "en/retrospective/index.html").read_text(encoding="utf-8")
    assert "(Task 9)" in retrospective and '<span lang="zh">' in retrospective


def test_entry_pages_stay_out_of_the_navigation(sample_site, sample_collection):
    case = next(iter(sample_collection.cases))
    page = page_file(sample_site, urls.CASES).read_text(encoding="utf-8")
    nav = BeautifulSoup(page, "html.parser").select_one("nav.md-nav--primary")
    assert case not in str(nav)
    # the top-level pages of the page's language and the switch to the other language, nothing more
    from generator.render.pages import NAV

    assert len(nav.select("a.md-nav__link")) <= len(NAV) + 1


RESOURCE_ATTRS = [("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("source", "src"),
                  ("source", "srcset"), ("iframe", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"),
                  ("embed", "src"), ("object", "data")]


def test_no_page_loads_anything_from_another_host(sample_site):
    offenders = []
    for path in list(sample_site.rglob("*.html")) + list(sample_site.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".css":
            refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text)
        else:
            soup = BeautifulSoup(text, "html.parser")
            refs = []
            for tag, attr in RESOURCE_ATTRS:
                for element in soup.find_all(tag):
                    # <link rel=alternate/canonical> name pages, they load nothing
                    rel = element.get("rel") or []
                    if element.get(attr) and not (tag == "link" and ("alternate" in rel or "canonical" in rel)):
                        refs.extend(v.strip().split(" ")[0] for v in element[attr].split(","))
            refs += re.findall(r"url\(\s*['\"]?([^'\")]+)", " ".join(s.get_text() for s in soup.find_all("style")))
        for ref in refs:
            if ref.startswith("//") or urlparse(ref).scheme in ("http", "https"):
                offenders.append(f"{path.relative_to(sample_site)}: {ref}")
    assert offenders == []
    page = page_file(sample_site, "").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page


def test_missing_english_falls_back_visibly(sample_site, sample_collection):
    missing = sample_collection.missing_translations()
    assert missing, "the sample content keeps at least one untranslated text to show the fallback"
    fallbacks = []
    for case in sample_collection.cases.values():
        page = html(sample_site, urls.page_url(urls.case(case.id), "en"))
        fallbacks += page.select(".sc-fallback")
    assert fallbacks and all(el["lang"] == "zh-Hans" for el in fallbacks)


@pytest.mark.parametrize("lang, label", [("zh", "占位图"), ("en", "Placeholder")])
def test_every_placeholder_image_is_labelled_as_such(sample_site, sample_collection, lang, label):
    """Generated placeholders must never pass for photographs: each one, in the gallery and in a
    before/after comparison alike, carries the visible label in the page's language."""
    checked = 0
    for case in sample_collection.cases.values():
        placeholders = [m for m in case.media if m.placeholder]
        if not placeholders:
            continue
        page = html(sample_site, urls.page_url(urls.case(case.id), lang))
        badges = [b for b in page.select(".sc-figure figcaption .sc-badge, .sc-compare figcaption .sc-badge")
                  if b.get_text(strip=True) == label]
        assert len(badges) == len(placeholders), case.id
        checked += len(placeholders)
    assert checked
    # the sample's before/after pair is among them
    assert html(sample_site, urls.page_url(urls.case("jiading-ximen-street-vitality"), lang)).select(".sc-compare .sc-badge")


def test_published_images_carry_no_metadata(sample_site):
    from PIL import Image

    images = list((sample_site / "media").rglob("*.jpg")) + list((sample_site / "media").rglob("*.png"))
    assert images
    for path in images:
        with Image.open(path) as image:
            assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info, path


def test_build_is_deterministic(tmp_path, sample_site):
    again = tmp_path / "again"
    result = build(Path(__file__).resolve().parents[2] / "cases", again)
    assert result.returncode == 0
    first = {p.relative_to(sample_site): p.read_bytes() for p in sample_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differing = [str(k) for k in first if first[k] != second[k] and k.name != "sitemap.xml.gz"]
    assert differing == []


# --- builds that must fail, and what they leave behind ----------------------------------------

def test_bad_content_fails_with_file_line_and_both_languages(tmp_path):
    content = copy_content(tmp_path)
    case = next((content / "excellent").glob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    text = re.sub(r"^district: .*$", "district: 长林", text, count=1, flags=re.M)
    line = text.splitlines().index("district: 长林") + 1
    case.write_text(text, encoding="utf-8")
    result = build(content, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    shown = f"cases/{case.parent.name}/{case.name}"
    assert f"{case.name}:{line}: district: '长林' is not a Shanghai district; did you mean 长宁区 (changning)?" in log
    assert f"{case.name}:{line}: district: '长林' 不是上海的区" in log
    assert "Traceback" not in log
    assert shown.split("/")[-1] in log


def test_failed_build_leaves_the_last_good_site_untouched(tmp_path):
    content = copy_content(tmp_path)
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    (content / "excellent" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    result = build(content, site)
    assert result.returncode != 0 and "broken.yaml:2" in result.stdout + result.stderr

    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_content_cannot_inject_script(tmp_path):
    content = copy_content(tmp_path)
    case = next((content / "excellent").glob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    text = re.sub(r"^summary:.*?(?=^\w)", 'summary: {zh: "<script>alert(1)</script>摘要", en: "<img src=x onerror=alert(1)>"}\n',
                  text, count=1, flags=re.M | re.S)
    text = re.sub(r"^body:.*?(?=^\w|\Z)", 'body: {zh: "正文<script>alert(2)</script>[点我](javascript:alert(3))<img src=https://evil.example/x.png>"}\n',
                  text, count=1, flags=re.M | re.S)
    # the title reaches the map popup too: a backtick and ${} must not run in the map's script
    text = re.sub(r"^title:\n  zh: (.+)$", lambda m: "title:\n  zh: '" + m.group(1) + "`${alert(6)}`</script>'", text, count=1, flags=re.M)
    case.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    result = build(content, site)
    assert result.returncode == 0, result.stderr
    entry_id = re.search(r"^id: (\S+)", text, re.M).group(1)
    for url in (urls.case(entry_id), urls.page_url(urls.case(entry_id), "en"), urls.CASES):
        page = page_file(site, url).read_text(encoding="utf-8")
        article = BeautifulSoup(page, "html.parser").select_one("article")
        ours = [s for s in article.find_all("script")
                if re.search(r"javascripts/(maps|gallery|browse|read-aloud)\.[0-9a-f]{10}\.js$", s.get("src", "")) and not s.string]
        assert [e for e in article.find_all(["script", "iframe", "object", "embed"]) if e not in ours] == []
        for element in article.find_all(True):
            assert not [a for a in element.attrs if a.startswith("on")], element
            for attr in ("href", "src"):
                assert not str(element.get(attr, "")).startswith(("javascript:", "https://evil", "x")), element
        if url == urls.case(entry_id):
            assert "<script>alert(1)</script>摘要" in article.get_text()  # shown as text, harmlessly
    # the map's popup carries the title as a JSON string: nothing in it can close the script
    map_script = site / urls.case(entry_id) / "map.js"
    if map_script.exists():
        script = map_script.read_text(encoding="utf-8")
        assert "</script" not in script and "$(`" not in script
        assert "${alert(6)}" in script  # present, but only inside JSON strings


def test_sitemap_pairs_every_page_with_its_other_language(tmp_path, monkeypatch, sample_collection):
    monkeypatch.setenv("SHOWCASE_SITE_URL", "https://example.org/showcase/")
    site = tmp_path / "site"
    assert build(Path(__file__).resolve().parents[2] / "cases", site).returncode == 0
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    assert len(entries) == 2 * len(expected_routes(sample_collection))
    for entry in entries:
        loc = entry.find("s:loc", ns).text
        lang, route = urls.split(loc.removeprefix("https://example.org/showcase/"))
        links = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
        assert links == {"zh": f"https://example.org/showcase/{route}", "en": f"https://example.org/showcase/en/{route}"}
    assert "lastmod" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_titles_and_descriptions_cannot_break_out_of_the_page_head(tmp_path):
    """Material prints page titles and descriptions into <title>, <meta> and the header unescaped."""
    content = copy_content(tmp_path)
    case = next((content / "excellent").glob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    hostile_title = '</title><script>alert(1)</script>&lt;b&gt; "引号"'
    hostile_summary = '"><script>alert(2)</script> 含 "引号" & <和>'
    text = re.sub(r"^title:.*?(?=^\w)", "title: {zh: '%s', en: '%s'}\n" % (hostile_title, hostile_title), text, count=1, flags=re.M | re.S)
    text = re.sub(r"^summary:.*?(?=^\w)", "summary: {zh: '%s'}\n" % hostile_summary, text, count=1, flags=re.M | re.S)
    # the title reaches the map popup too: a backtick and ${} must not run in the map's script
    text = re.sub(r"^title:\n  zh: (.+)$", lambda m: "title:\n  zh: '" + m.group(1) + "`${alert(6)}`</script>'", text, count=1, flags=re.M)
    case.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    result = build(content, site)
    assert result.returncode == 0, result.stderr
    entry_id = re.search(r"^id: (\S+)", text, re.M).group(1)
    for url in (urls.case(entry_id), urls.page_url(urls.case(entry_id), "en")):
        page = BeautifulSoup(page_file(site, url).read_text(encoding="utf-8"), "html.parser")
        # the schema.org JSON-LD block is data, not a script that runs: the title is a JSON string in it
        scripts = [s.get("src") for s in page.find_all("script")
                   if not s.get("src") and "alert" in s.get_text() and s.get("type") != "application/ld+json"]
        assert scripts == []
        (data,) = page.find_all("script", attrs={"type": "application/ld+json"})
        assert "<" not in data.string and json.loads(data.string)["mainEntity"]["name"] == hostile_title
        assert page.title.get_text().startswith(hostile_title)
        assert page.select_one("meta[name=description]")["content"] == hostile_summary
        assert page.h1.get_text(strip=True) == hostile_title.strip()
        assert hostile_title in page.select_one(".md-header__topic:last-child").get_text()


def test_site_dir_pointing_at_the_content_is_refused(tmp_path):
    content = copy_content(tmp_path)
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    for target in (content, tmp_path):
        result = build(content, target)
        assert result.returncode != 0 and "must not be or contain" in result.stdout + result.stderr
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before
