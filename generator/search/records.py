"""What search indexes: one record per page and language, plus one per milestone.

Records are made from what the build already holds in memory (the rendered page bodies and the
Collection), not by reading the written site back: the text a reader sees is the page body, and
what search can filter by (district, kind, year, case type) comes from the entries themselves,
so a template change can neither drop a filter nor leak the header, navigation or footer into
the index. Each record is a small HTML document that Pagefind indexes like a page (headings
weigh more, excerpts come from the text), with `data-pagefind-*` attributes for its filters and
metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from .. import urls
from ..collection import Collection
from ..content.models import LANGS, Lang, Text
from ..render.markdown import render_markdown

# Page parts that are not text about the page: map boxes (their loading notes), scripts, the case
# list's filter form (its option labels would make every listing match every district).
# The note on illustrative entries is the same on each of them: it would only push excerpts aside.
EXCLUDE_SELECTORS = [".sc-map", ".sc-map-legend", "script", "noscript", "form", "[hidden]", ".sc-filters", "svg",
                     ".sc-illustrative"]

# Parts that mention a word without being about it weigh less: source citations (every entry cites
# the same action plan) and tables (the 2024 plan table lists 人民坊 and 六艺亭 on every district
# page), lists of places and photo captions. Applied to the start
# tag carrying the class.
_LIGHT = {"sc-sources": 0.4, "sc-table": 0.5, "sc-docmeta": 0.3, "sc-kicker": 0.6,
          "sc-places": 0.3, "sc-figures__list": 0.5, "sc-gallery": 0.3, "sc-credit": 0.2,
          # an exhibition room retells other entries (their titles and summaries); the entries'
          # own pages should come first for their names
          "sc-exhibit": 0.4, "sc-rooms": 0.5}
# Section headings (<h2>) are the templates' labels ("概况", "“人民坊”设计竞赛" on every district page),
# not what a page is about: they weigh as text, and only the page's own title (<h1>) keeps
# Pagefind's heading weight.
_H2 = re.compile(r"<h2(?![^>]*data-pagefind-weight)")
# Pagefind joins the text of adjacent cells and list items ("District" + "Changning" ->
# "DistrictChangning"): a space after each keeps the words apart.
_CELL_END = re.compile(r"(</(?:dt|dd|td|th|li)>)")
_LIGHT_TAG = re.compile(r'<(?P<tag>[a-z0-9]+)(?P<attrs>[^>]*\bclass="(?P<cls>[^"]*)"[^>]*)>')

# Index pages (the case list, the competition, the exhibitions, districts, services) are found by
# what they introduce; their listings repeat entries that have records of their own and, being
# long, would push the index page below every entry for its own name (Pagefind normalises by length).
_LISTING_ROUTES = {urls.CASES, urls.COMPETITION, urls.EXHIBITIONS, urls.DISTRICTS, urls.SERVICES}
_LISTING_CLASSES = {"sc-table-wrap", "sc-cards", "sc-exhibitions", "sc-index"}


# Cards of other entries (a case's related cases, the home page's picks) are not indexed on any
# page: each card's entry has a record of its own, and the six related cards on every case page
# were half the Chinese index (1,000 cases: 1.40 MB -> 702 KB; a query fetched 169 -> 138 KB gzip).
_CARD_CLASSES = {"sc-cards"}


def _ignore(html: str, classes: set[str]) -> str:
    """Mark the elements carrying any of `classes` data-pagefind-ignore."""
    def replace(match: re.Match) -> str:
        if classes.isdisjoint(match.group("cls").split()):
            return match.group(0)
        return f'<{match.group("tag")}{match.group("attrs")} data-pagefind-ignore>'
    return _LIGHT_TAG.sub(replace, html)


# Weight of the facets block (kind, types, district, street, services). Titles (h1) weigh 7 in
# Pagefind: a page whose title names the query stays above one that is merely of that kind.
FACET_WEIGHT = 3.0

KINDS = ("case", "site", "milestone", "exhibition", "page")


@dataclass
class Record:
    url: str  # site-relative with a leading slash, e.g. "/en/cases/x/" (Pagefind's convention)
    lang: Lang
    title: str
    kind: str  # one of KINDS
    body: str  # HTML
    facets: list[str] = field(default_factory=list)  # words the entry is about (weighted)
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    def html(self) -> str:
        """The document handed to Pagefind."""
        meta = "".join(f'<span data-pagefind-meta="{escape(key)}">{escape(value)}</span>'
                       for key, value in self.meta.items() if value)
        filters = "".join(f'<span data-pagefind-filter="{escape(key)}">{escape(value)}</span>'
                          for key, values in self.filters.items() for value in values if value)
        facets = ""
        if self.facets:
            facets = f'<p data-pagefind-weight="{FACET_WEIGHT}">{escape(" · ".join(self.facets))}</p>'
        return (f'<!DOCTYPE html><html lang="{self.lang}"><head><title>{escape(self.title)}</title></head><body>'
                f'<div hidden>{meta}{filters}</div>'
                f'<main data-pagefind-body>{split_han(self.body + facets)}</main></body></html>')


# --- Chinese: one token per character ---------------------------------------------------------
# Pagefind's extended build segments Chinese with jieba when indexing (no user dictionary), while
# its browser script segments the query with the browser's own segmenter (ICU): the two disagree
# (measured on this site: 十全十美 -> 1 result of 34 pages that contain it, 客厅 -> 0 though 河畔会客厅
# exists; see benchmarks/search_bench.py). So Chinese is indexed one character per token (a zero-
# width space between Han characters keeps the segmenter from joining them) and the search box
# (assets/javascripts/search.js) looks the query's characters up in order: every word, the
# programme's included, is found wherever it is written, and nothing is found across words that
# are not written together, with no dictionary to keep up. The programme's words (words.txt plus every
# name in the content, `dictionary_words`) are what the browser tests check is found, and the
# jieba user dictionary of the Material comparison in the benchmark.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_GAP = re.compile(f"(?<=[{HAN}])(?=[^\\s<])|(?<=[^\\s>])(?=[{HAN}])")
_TEXT = re.compile(r">([^<]+)<")
ZWSP = "\u200b"


def split_han(html: str) -> str:
    """A zero-width space at every boundary of a Han character in the text (not in tags)."""
    return _TEXT.sub(lambda m: ">" + _HAN_GAP.sub(ZWSP, m.group(1)) + "<", html)


def _lighten(html: str) -> str:
    def replace(match: re.Match) -> str:
        classes = match.group("cls").split()
        weight = min((w for c, w in _LIGHT.items() if c in classes), default=None)
        if weight is None or "data-pagefind-weight" in match.group("attrs"):
            return match.group(0)
        return f'<{match.group("tag")}{match.group("attrs")} data-pagefind-weight="{weight}">'
    return _H2.sub('<h2 data-pagefind-weight="1"', _CELL_END.sub(r"\1 ", _LIGHT_TAG.sub(replace, html)))


class RecordBuilder:
    def __init__(self, collection: Collection, labels):
        """`labels(key, lang)` returns a UI label (search_kind_case, …)."""
        self.c = collection
        self.ref = collection.reference
        self.label = labels

    # --- public ------------------------------------------------------------------------------
    def records(self, pages) -> list[Record]:
        """`pages`: objects with route, lang, title, html (the renderer's PageSpecs)."""
        out: list[Record] = []
        for page in pages:
            record = self._page(page)
            if record is not None:
                out.append(record)
        for lang in LANGS:
            out.extend(self._milestone(m, lang) for m in self.c.milestones_sorted())
        return out

    def page_record(self, page) -> tuple[str, str, str] | None:
        """(url, language, the document Pagefind indexes) of one page, or None: plain values,
        made where the page is rendered and cached with it (render/pages.py `annotate`)."""
        record = self._page(page)
        return None if record is None else (record.url, record.lang, record.html())

    def milestone_records(self) -> list[tuple[str, str, str]]:
        return [(r.url, r.lang, r.html()) for lang in LANGS for r in (self._milestone(m, lang) for m in self.c.milestones_sorted())]

    # --- one page ----------------------------------------------------------------------------
    def _page(self, page) -> Record | None:
        lang, route = page.lang, page.route
        head, _, rest = route.partition("/")
        if head + "/" == urls.EXHIBITIONS and rest.endswith("guide/"):
            return None  # the printable guide repeats the rooms word for word
        body = _ignore(page.html, _LISTING_CLASSES if route in _LISTING_ROUTES else _CARD_CLASSES)
        record = Record(url="/" + urls.page_url(route, lang), lang=lang, title=page.title, kind="page",
                        body=_lighten(body))
        entry_id = rest.rstrip("/")
        if head + "/" == urls.CASES and entry_id in self.c.cases:
            self._case(record, self.c.cases[entry_id])
        elif head + "/" == urls.COMPETITION and entry_id in self.c.sites:
            self._site(record, self.c.sites[entry_id])
        elif head + "/" == urls.DISTRICTS and entry_id:
            district = self._district(entry_id)
            if district is not None:
                record.filters["district"] = [district.name(lang)]
                record.facets = [district.name(lang)] + ([district.short] if lang == "zh" and district.short else [])
        elif head + "/" == urls.EXHIBITIONS and entry_id:
            record.kind = "exhibition"
        elif route == urls.RETROSPECTIVE:
            # each milestone is a record of its own (below), so a query lands on the milestone
            # itself; the page keeps its title
            record.body = f"<h1>{escape(page.title)}</h1>"
        record.filters["kind"] = [self.label(f"search_kind_{record.kind}", lang)]
        record.meta.update({"title": page.title, "kind": self.label(f"search_kind_{record.kind}", lang)})
        return record

    def _case(self, record: Record, case) -> None:
        lang = record.lang
        district = self.ref.districts[case.district]
        record.kind = "case"
        record.filters.update({
            "district": [district.name(lang)],
            "year": [str(case.year)],
            "type": [self.ref.case_types[t].name(lang) for t in case.types],
        })
        record.facets = ([self.ref.case_types[t].name(lang) for t in case.types]
                         + self._place(district, case.street, lang)
                         + [self.ref.services[s].name(lang) for s in case.services])
        record.meta.update({"district": district.name(lang), "year": str(case.year)})

    def _site(self, record: Record, site) -> None:
        lang = record.lang
        district = self.ref.districts[site.district]
        record.kind = "site"
        record.filters.update({"district": [district.name(lang)], "year": [str(site.year)]})
        # every competition site is a 人民坊 site: say so where it weighs, not only in the kicker
        renminfang = _term(self.ref.case_types, "renminfang")
        record.facets = ([renminfang.name(lang)] if renminfang else []) + [self.label("search_kind_site", lang)] \
            + self._place(district, site.street, lang)
        record.meta.update({"district": district.name(lang), "year": str(site.year)})

    def _milestone(self, milestone, lang: Lang) -> Record:
        title = milestone.title.get(lang)
        parts = [f"<h1>{escape(title)}</h1>", f"<p>{escape(milestone.date.display(lang))}</p>"]
        if milestone.body is not None:
            parts.append(render_markdown(milestone.body.get(lang)))
        for ref in milestone.documents:
            document = self.c.documents.get(ref.document)
            if document is not None:
                number = f"{document.number} " if document.number else ""
                parts.append(f'<p data-pagefind-weight="0.4">{escape(number + document.title.get(lang))}</p>')
        kind = self.label("search_kind_milestone", lang)
        return Record(url="/" + urls.page_url(urls.RETROSPECTIVE, lang) + "#" + milestone.id, lang=lang, title=title,
                      kind="milestone", body="".join(parts), facets=[kind, str(milestone.date.year)],
                      filters={"kind": [kind], "year": [str(milestone.date.year)]},
                      meta={"title": title, "kind": kind, "date": milestone.date.display(lang)})

    # --- helpers -----------------------------------------------------------------------------
    def _district(self, key: str):
        return _term(self.ref.districts, key)

    @staticmethod
    def _place(district, street: Text | None, lang: Lang) -> list[str]:
        out = [district.name(lang)]
        if lang == "zh" and district.short:
            out.append(district.short)
        if street is not None:
            out.append(street.get(lang))
        return out


def _term(vocabulary, key: str):
    return next((t for t in vocabulary if t.key == key), None)


def dictionary_words(collection: Collection, words_file: Path) -> list[str]:
    """The programme's words: the hand-kept list plus every name the content and the reference
    lists hold (districts, streets, services, case types, meeting kinds, titles)."""
    words: list[str] = []
    for line in words_file.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    ref = collection.reference
    for vocabulary in (ref.districts, ref.services, ref.case_types, ref.meeting_kind):
        for term in vocabulary:
            words.append(term.zh)
            if term.short:
                words.append(term.short)
    for case in collection.cases.values():
        words.append(case.title.zh)
        if case.street:
            words.append(case.street.zh)
    for site in collection.sites.values():
        words += [site.name.zh, site.street.zh]
    seen: set[str] = set()
    out = []
    for word in words:
        word = word.strip().strip("“”\"'")
        if word and word not in seen and re.search(r"[\u4e00-\u9fff]", word):
            seen.add(word)
            out.append(word)
    return out
