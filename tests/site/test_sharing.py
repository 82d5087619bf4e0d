"""Sharing and finding (issue 16): every page's canonical address, Open Graph card and schema.org
JSON-LD; robots.txt and the sitemap, under a sub-path; what is left out without site_url.

The sample site is built once here with SHOWCASE_SITE_URL on a sub-path
(https://example.gov.cn/showcase/), and the session's `sample_site` (no site_url) is read for what
a build without an address gives. The JSON-LD of every page of both builds, in both languages, is
expanded by PyLD (a real JSON-LD processor) with the schema.org context shipped in
tests/fixtures/schemaorg/ (no network), and each type and property is looked up in the schema.org
vocabulary shipped beside it: it must exist, not be pending or superseded, the property must be
one of the type's (domainIncludes, through the type's superclasses) and its value one of the
property's ranges (rangeIncludes).
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from generator import urls
from generator.render.sharing import NO_SITE_URL, IN_LANGUAGE, OG_LOCALE, Sharing, script_json
from tests.helpers import ROOT, build, page_file
from tests.site.test_built_site import expected_routes

BASE = "https://example.gov.cn/showcase/"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "schemaorg"
SDO = "http://schema.org/"
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """The sample site built with its address on a sub-path: (site folder, build result)."""
    root = tmp_path_factory.mktemp("shared")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHOWCASE_SITE_URL", BASE)
        result = build(ROOT / "cases", root / "site", root / "cache")
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    return root / "site", result


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup(page_file(site, url).read_text(encoding="utf-8"), "html.parser")


def og(page: BeautifulSoup) -> dict[str, str]:
    tags = page.head.find_all("meta", attrs={"property": True})
    found = {tag["property"]: tag["content"] for tag in tags}
    assert len(found) == len(tags), "each og: property once"
    return found


def json_ld(page: BeautifulSoup) -> dict:
    (block,) = page.head.find_all("script", attrs={"type": "application/ld+json"})
    assert not page.body.find_all("script", attrs={"type": "application/ld+json"})
    text = block.string
    assert "<" not in text and ">" not in text and "&" not in text, "written script-safe"
    return json.loads(text)


def pages(collection):
    for route in expected_routes(collection):
        for lang in LANGS:
            yield route, lang, urls.page_url(route, lang)


# --- Open Graph and the canonical address --------------------------------------------------------

def test_every_page_has_its_address_and_card_under_the_sub_path(shared, sample_collection):
    site, _ = shared
    names = {"zh": "上海“15分钟社区生活圈”优秀案例展", "en": "Shanghai 15-Minute Community Life Circle: Case Showcase"}
    c = sample_collection
    articles = {urls.RETROSPECTIVE} | {urls.case(i) for i in c.cases} | {urls.site(i) for i in c.sites}
    articles |= {urls.page(i) for i in c.pages if i != "home"}
    for e in c.exhibitions.values():
        articles |= {urls.exhibition(e.id), urls.exhibition_guide(e.id)} | {urls.exhibition_room(e.id, n + 1) for n in range(len(e.rooms))}
    for route, lang, url in pages(sample_collection):
        page = soup(site, url)
        tags = og(page)
        address = BASE + url
        assert page.head.find("link", rel="canonical")["href"] == address, url
        assert tags["og:url"] == address, url
        assert tags["og:locale"] == OG_LOCALE[lang] and tags["og:locale:alternate"] == OG_LOCALE["en" if lang == "zh" else "zh"]
        assert tags["og:site_name"] == names[lang]
        assert tags["og:type"] == ("article" if route in articles else "website"), url
        assert tags["og:description"] == page.head.find("meta", attrs={"name": "description"})["content"], url
        assert page.title.get_text() in (tags["og:title"], f"{tags['og:title']} - {tags['og:site_name']}"), url
        # the picture: a file of this site, of the size the tags say
        image = tags["og:image"]
        assert image.startswith(BASE), image
        path = site / urlsplit(image).path.removeprefix(urlsplit(BASE).path)
        with Image.open(path) as picture:
            assert picture.size == (int(tags["og:image:width"]), int(tags["og:image:height"])), url
            assert picture.format == {"image/jpeg": "JPEG", "image/png": "PNG"}[tags["og:image:type"]]
        assert tags["og:image:alt"].strip(), url
    # nothing else in the head names another page as this one
    assert len(soup(site, "").head.find_all("link", rel="canonical")) == 1


def test_an_entry_shares_its_lead_photo_and_other_pages_the_site_card(shared, sample_collection):
    site, _ = shared
    for case in sample_collection.cases.values():
        first = case.media[0]
        assert first.kind != "video", "the samples lead with a photo"
        for lang in LANGS:
            tags = og(soup(site, urls.page_url(urls.case(case.id), lang)))
            path = urlsplit(tags["og:image"]).path
            assert f"/showcase/media/excellent/{case.id}/" in path and path.endswith(".jpg"), tags["og:image"]
            stem = Path(first.file or first.poster).stem
            assert re.match(re.escape(stem) + r"[.-]", Path(path).name), (case.id, path)  # the first photo, published
            # 1200 px when the photo has it (the samples are 1200 wide), else the widest copy
            assert int(tags["og:image:width"]) == 1200
            assert tags["og:image:alt"] == (first.alt.get(lang) if first.alt else case.title.get(lang))
            assert tags["og:type"] == "article"
    for exhibition in sample_collection.exhibitions.values():
        for route in (urls.exhibition(exhibition.id), urls.exhibition_room(exhibition.id, 1)):
            path = urlsplit(og(soup(site, route))["og:image"]).path
            assert re.search(f"/showcase/media/exhibitions/{exhibition.id}/{re.escape(Path(exhibition.cover).stem)}[.-]", path), path
    for url in ("", "en/", "retrospective/", "en/map/", "about/", "districts/changning/"):
        tags = og(soup(site, url))
        assert urlsplit(tags["og:image"]).path == "/showcase/images/share-card.png", url
        assert (tags["og:image:width"], tags["og:image:height"], tags["og:image:type"]) == ("1200", "630", "image/png")
        assert tags["og:image:alt"] == tags["og:site_name"]


def test_the_share_card_is_what_the_script_makes(tmp_path):
    """assets/images/share-card.png is scripts/make_share_card.py's output, 1200×630 in the site's
    teal (redrawn when the site's name changes, so the name on it is the one in strings.yaml)."""
    import subprocess
    import sys

    card = ROOT / "assets" / "images" / "share-card.png"
    with Image.open(card) as image:
        assert image.size == (1200, 630)
        assert image.convert("RGB").getpixel((20, 20)) == (0x00, 0x69, 0x5C)
    assert card.stat().st_size < 100_000
    if not any(Path("/usr/share/fonts").rglob("NotoSansCJK-Bold.ttc")):
        pytest.skip("Noto Sans CJK is not installed (scripts/setup.sh installs it)")
    again = tmp_path / "card.png"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_share_card.py"), "-o", str(again)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with Image.open(card) as committed, Image.open(again) as made:
        assert committed.convert("RGB").tobytes() == made.convert("RGB").tobytes(), \
            "run scripts/make_share_card.py and commit assets/images/share-card.png"


# --- robots.txt and the sitemap -------------------------------------------------------------------

def test_robots_and_sitemap_under_a_sub_path(shared, sample_collection):
    site, _ = shared
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    locs = {entry.find("s:loc", ns).text: entry for entry in entries}
    assert set(locs) == {BASE + url for _route, _lang, url in pages(sample_collection)}
    for loc, entry in locs.items():
        route = urls.split(loc.removeprefix(BASE))[1]
        links = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
        assert links == {"zh": BASE + route, "en": BASE + "en/" + route}
        # the sitemap and the page agree on the page's address
        assert soup(site, loc.removeprefix(BASE)).head.find("link", rel="canonical")["href"] == loc


def test_without_site_url_a_page_keeps_what_needs_no_address(sample_site, sample_collection):
    assert (sample_site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    for route, lang, url in pages(sample_collection):
        page = soup(sample_site, url)
        assert og(page) == {}, url
        assert page.head.find("link", rel="canonical") is None
        assert page.head.find("meta", attrs={"name": "description"})["content"].strip()
        data = json_ld(page)
        assert data["inLanguage"] == IN_LANGUAGE[lang]
        assert not re.search(r'"(url|@id|image)"', json.dumps(data)), (url, data)


def test_a_build_without_site_url_says_so_once_in_both_languages(tmp_path, shared):
    """Said when the configuration is read, before the content: a build that then stops on a
    mistake in the content has said it too (which makes this test quick)."""
    broken = tmp_path / "cases"
    broken.mkdir()
    (broken / "documents.yaml").write_text("documents: [unclosed\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SHOWCASE_SITE_URL", raising=False)
        result = build(broken, tmp_path / "site")
    assert result.returncode != 0 and "documents.yaml:1" in result.stdout + result.stderr  # stopped, after saying it
    log = result.stdout + result.stderr
    assert log.count(NO_SITE_URL[0]) == 1 and log.count(NO_SITE_URL[1]) == 1, log[-3000:]
    assert re.search(r"WARNING\s+-\s+" + re.escape(NO_SITE_URL[0]) + r"\n" + re.escape(NO_SITE_URL[1]) + r"\n", log)
    assert "SHOWCASE_SITE_URL=https://" in NO_SITE_URL[0] and "site_url in mkdocs.yml" in NO_SITE_URL[1]
    _site, with_address = shared
    assert NO_SITE_URL[1] not in with_address.stdout + with_address.stderr


# --- schema.org -----------------------------------------------------------------------------------

class Vocabulary:
    """The schema.org vocabulary (tests/fixtures/schemaorg/), indexed by full IRI."""

    def __init__(self, graph: list[dict]):
        def iri(value) -> str:
            value = value["@id"] if isinstance(value, dict) else value
            return SDO + value.removeprefix("schema:") if value.startswith("schema:") else value

        def many(value) -> list:
            return [] if value is None else value if isinstance(value, list) else [value]

        self.classes: dict[str, set[str]] = {}  # type -> its direct superclasses
        self.datatypes: set[str] = set()
        self.domains: dict[str, set[str]] = {}
        self.ranges: dict[str, set[str]] = {}
        self.unusable: set[str] = set()  # pending or superseded terms
        for node in graph:
            name, kinds = iri(node["@id"]), set(many(node.get("@type")))
            if "rdfs:Class" in kinds or "schema:DataType" in kinds:
                self.classes[name] = {iri(p) for p in many(node.get("rdfs:subClassOf"))}
                if "schema:DataType" in kinds:
                    self.datatypes.add(name)
            if "rdf:Property" in kinds:
                self.domains[name] = {iri(d) for d in many(node.get("schema:domainIncludes"))}
                self.ranges[name] = {iri(r) for r in many(node.get("schema:rangeIncludes"))}
            if any(iri(p) == "http://pending.schema.org" for p in many(node.get("schema:isPartOf"))) or node.get("schema:supersededBy"):
                self.unusable.add(name)
        for name, parents in self.classes.items():  # URL, Date… are subclasses of the data types
            if self._ancestors(name) & self.datatypes:
                self.datatypes.add(name)

    @lru_cache(maxsize=None)
    def _ancestors(self, name: str) -> frozenset[str]:
        out = {name}
        for parent in self.classes.get(name, ()):
            out |= self._ancestors(parent)
        return frozenset(out)

    def is_a(self, kinds, wanted: set[str]) -> bool:
        return any(self._ancestors(kind) & wanted for kind in kinds)

    def problems(self, node: dict, where: str) -> list[str]:
        """Every type and property of an expanded node, and of the nodes inside it, checked."""
        found = []
        kinds = node.get("@type", [])
        if not kinds:
            found.append(f"{where}: a node without a type")
        for kind in kinds:
            if kind not in self.classes or kind in self.datatypes:
                found.append(f"{where}: {kind} is not a schema.org type")
            elif kind in self.unusable:
                found.append(f"{where}: {kind} is pending or superseded")
        for prop, values in node.items():
            if prop.startswith("@"):
                continue
            if prop not in self.domains:
                found.append(f"{where}: {prop} is not a schema.org property")
                continue
            if prop in self.unusable:
                found.append(f"{where}: {prop} is pending or superseded")
            if not self.is_a(kinds, self.domains[prop]):
                found.append(f"{where}: {prop} is not a property of {kinds}")
            ranges = self.ranges[prop]
            for value in values:
                if "@value" in value:  # a literal: the property must take text, a date, a number…
                    number = isinstance(value["@value"], (int, float)) and not isinstance(value["@value"], bool)
                    wanted = {SDO + t for t in ("Number", "Integer", "Float")} if number else self.datatypes - {SDO + t for t in ("Number", "Integer", "Float", "Boolean")}
                    if not ranges & wanted and not any(self._ancestors(r) & wanted for r in ranges):
                        found.append(f"{where}: {prop} takes {sorted(ranges)}, not {value['@value']!r}")
                elif set(value) == {"@id"}:  # an address: the property must take a URL
                    if SDO + "URL" not in ranges:
                        found.append(f"{where}: {prop} takes {sorted(ranges)}, not a URL")
                else:  # a thing: its type must be one the property takes
                    if not self.is_a(value.get("@type", []), ranges):
                        found.append(f"{where}: {prop} takes {sorted(ranges)}, not {value.get('@type')}")
                    found += self.problems(value, f"{where} {prop.removeprefix(SDO)}")
        return found


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    data = json.loads(gzip.decompress((FIXTURES / "schemaorg-current-http.jsonld.gz").read_bytes()))
    return Vocabulary(data["@graph"])


@pytest.fixture(scope="module")
def expand():
    try:
        from pyld import jsonld
    except ImportError:  # pyproject's test extra has it; requirements/lock.txt pins it once `make lock` has run
        pytest.fail("PyLD is not installed: pip install 'pyld>=2.0.4' (the test extra of pyproject.toml)")

    context = json.loads(gzip.decompress((FIXTURES / "schemaorgcontext.jsonld.gz").read_bytes()))

    def offline(url, options=None):
        # "https://schema.org" answers with this context (its Link header points at it)
        assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), f"the test would fetch {url}"
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return lambda data: jsonld.expand(data, {"documentLoader": offline})


def test_json_ld_uses_only_schema_org_types_and_properties_where_they_belong(shared, sample_site, sample_collection,
                                                                            vocabulary, expand):
    problems, kinds, seen = [], set(), 0
    for site in (shared[0], sample_site):
        for _route, lang, url in pages(sample_collection):
            data = json_ld(soup(site, url))
            assert data["@context"] == "https://schema.org"
            assert data["inLanguage"] == IN_LANGUAGE[lang], url
            (node,) = expand(data)
            problems += vocabulary.problems(node, url or "/")
            kinds |= set(re.findall(r'"@type": \["([^"]+)"', json.dumps(node)))
            seen += 1
    assert problems == []
    assert seen == 4 * len(expected_routes(sample_collection))
    # every page kind's types were among them
    assert {SDO + t for t in ("WebSite", "WebPage", "CollectionPage", "AboutPage", "Place", "PostalAddress",
                              "GeoCoordinates", "Event", "ExhibitionEvent", "ItemList", "GovernmentOrganization",
                              "CreativeWork")} <= kinds, kinds


def test_the_vocabulary_check_catches_mistakes(vocabulary, expand):
    """The check above would see a misspelt property, a property of another type, a wrong value."""
    data = {"@context": "https://schema.org", "@type": "Place", "nmae": "x", "startDate": "2024",
            "geo": {"@type": "PostalAddress"}, "address": {"@type": "Thing", "latitude": 1}}
    said = "\n".join(vocabulary.problems(expand(data)[0], "test"))
    for fault in ("nmae is not a schema.org property", "startDate is not a property of", "geo takes",
                  "latitude is not a property of"):
        assert fault in said, said


def test_places_events_exhibitions_and_the_website(shared, sample_collection):
    site, _ = shared
    c = sample_collection
    for lang in LANGS:
        for kind, entries, route in (("excellent", c.cases, urls.case), ("competition", c.sites, urls.site)):
            for entry in entries.values():
                data = json_ld(soup(site, urls.page_url(route(entry.id), lang)))
                place = data["mainEntity"]
                assert place["@type"] == "Place"
                name = entry.title if kind == "excellent" else entry.name
                assert place["name"] == name.get(lang) == data["name"]
                assert place["address"] == {"@type": "PostalAddress", "addressCountry": "CN",
                                            "addressRegion": {"zh": "上海市", "en": "Shanghai"}[lang],
                                            "addressLocality": c.reference.districts[entry.district].name(lang)}
                if entry.location:
                    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": entry.location.lat,
                                            "longitude": entry.location.lon}
                assert data["isPartOf"]["url"] == BASE + urls.page_url(urls.HOME, lang)
                cited = [c.documents[ref.document].title.get(lang) for ref in entry.sources]
                assert [w["name"] for w in data.get("citation", [])] == list(dict.fromkeys(cited))

        events = json_ld(soup(site, urls.page_url(urls.RETROSPECTIVE, lang)))["mainEntity"]["itemListElement"]
        milestones = c.milestones_sorted()
        assert [(e["@type"], e["name"], e["startDate"]) for e in events] == \
            [("Event", m.title.get(lang), m.date.iso()) for m in milestones]
        assert {"2014", "2024-04", "2024-04-09"} <= {e["startDate"] for e in events}  # partial dates as known
        assert events[0]["url"] == BASE + urls.page_url(urls.RETROSPECTIVE, lang) + "#" + milestones[0].id

        for exhibition in c.exhibitions.values():
            event = json_ld(soup(site, urls.page_url(urls.exhibition(exhibition.id), lang)))["mainEntity"]
            assert event["@type"] == "ExhibitionEvent" and event["name"] == exhibition.title.get(lang)
            assert event.get("startDate") == (exhibition.opens.iso() if exhibition.opens else None)
            room = json_ld(soup(site, urls.page_url(urls.exhibition_room(exhibition.id, 1), lang)))
            assert room["about"] == {"@type": "ExhibitionEvent", "name": exhibition.title.get(lang),
                                     "url": BASE + urls.page_url(urls.exhibition(exhibition.id), lang)}

        home = json_ld(soup(site, urls.page_url(urls.HOME, lang)))
        assert home["@type"] == "WebSite" and home["url"] == BASE + urls.page_url(urls.HOME, lang)
        # the programme's organiser as the documents name it: the issuer of the 2024 action plan
        assert home["publisher"] == {"@type": "GovernmentOrganization", "name": c.documents["plan-2024"].issuer.get(lang)}
        assert [w["name"] for w in home["citation"]] == [d.title.get(lang) for d in c.documents.values()]
        plan = next(w for w in home["citation"] if w.get("identifier") == "沪规划资源详〔2024〕123号")
        assert plan["datePublished"] == "2024-04-09"
        assert json_ld(soup(site, urls.page_url(urls.page("about"), lang)))["@type"] == "AboutPage"
        assert json_ld(soup(site, urls.page_url(urls.CASES, lang)))["@type"] == "CollectionPage"


# --- entry text in the head ------------------------------------------------------------------------

HOSTILE = '</script><script>alert(1)</script><!-- "quotes" & \'apostrophes\' \u2028 <b>'


def _spec(entry, kind: str, route: str, lang: str = "zh", title: str | None = None):
    from generator.render.pages import PageSpec

    return PageSpec(route=route, lang=lang, title=title or HOSTILE, html="", description=HOSTILE, kind=kind, entry=entry)


def test_entry_text_stays_text_in_the_json_ld(sample_collection):
    from generator.content.models import Text
    from generator.render.pages import Strings

    strings = Strings(ROOT / "site_templates" / "strings.yaml")
    sharing = Sharing(sample_collection, None, strings, "https://example.gov.cn/showcase", ROOT / "assets")
    case = next(iter(sample_collection.cases.values()))
    case = case.model_copy(update={"address": Text(zh=HOSTILE, en="1 Street"), "summary": Text(zh=HOSTILE)})
    head = sharing.head(_spec(case, "case", urls.case(case.id)))
    for fragment in ("</script", "<!--", "<", ">", "&", "\u2028"):
        assert fragment not in head.jsonld
    data = json.loads(head.jsonld)
    assert data["name"] == data["mainEntity"]["name"] == HOSTILE
    assert data["mainEntity"]["address"]["streetAddress"] == HOSTILE  # the entry's address, when it has one
    assert dict(head.og)["og:title"] == HOSTILE  # plain text: main.html escapes it as an attribute
    assert dict(head.og)["og:url"] == f"https://example.gov.cn/showcase/{urls.case(case.id)}"
    assert script_json({"a": "</SCRIPT>"}) == '{"a":"\\u003c/SCRIPT\\u003e"}'


def test_an_exhibition_with_a_venue_is_placed_there(sample_collection):
    from generator.content.models import Text
    from generator.render.pages import Strings

    strings = Strings(ROOT / "site_templates" / "strings.yaml")
    sharing = Sharing(sample_collection, None, strings, "", None)
    exhibition = next(iter(sample_collection.exhibitions.values()))
    exhibition = exhibition.model_copy(update={"venue": Text(zh="上海城市规划展示馆", en="Shanghai Urban Planning Exhibition Center")})
    data = json.loads(sharing.head(_spec(exhibition, "exhibition", urls.exhibition(exhibition.id), "en", "x")).jsonld)
    assert data["mainEntity"]["location"] == {"@type": "Place", "name": "Shanghai Urban Planning Exhibition Center"}
    assert sharing.head(_spec(exhibition, "exhibition", urls.exhibition(exhibition.id))).og == ()  # no site_url
