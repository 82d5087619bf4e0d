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
from ..content.models import LANGS, Lang, Text, fold_name
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

KINDS = ("glossary", "case", "site", "milestone", "exhibition", "page")


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
        return (f'<!DOCTYPE html><html lang="{INDEX_LANG.get(self.lang, self.lang)}"><head><title>{escape(self.title)}</title></head><body>'
                f'<div hidden>{meta}{filters}</div>'
                f'<main data-pagefind-body>{split_han(self.body + facets)}</main></body></html>')


# --- Chinese: one token per pair of characters ---------------------------------------------
# Pagefind's extended build segments Chinese with jieba when indexing (no user dictionary), while
# its browser script segments the query with the browser's own segmenter (ICU): the two disagree
# (measured on this site: 十全十美 -> 1 result of 34 pages that contain it, 客厅 -> 0 though 河畔会客厅
# exists; see benchmarks/search_bench.py). So the Chinese text is cut here, with no dictionary:
# each Han character is a token of its own position, indexed as that character and the next one
# (社区生活圈 -> 社区 区生 生活 活圈 圈), and the search box (assets/javascripts/search.js) looks a
# word up as its pairs in order (a one-character query is a prefix of the pairs it starts). Pairs
# are much rarer than characters: a query loads the postings of fewer common tokens (1,000 cases:
# 社区生活圈 fetched 171 KB gzip before its first results with one token per character, above the
# 150 KB budget; the postings of 社, 区, 生 and 活 alone were 62 KB). Every word is found wherever it
# is written, and nothing across words that are not written together.
#
# A token reads `^?` + character + next character (if Han) + `^` + `^?`: the `^` (ASCII punctuation,
# which Pagefind leaves out of the indexed word without adding parts) marks it as a pair token, so
# the search box shows only its first character; a `^` before or after says the text had a space
# there. The Chinese records are indexed under INDEX_LANG ("und"; not "cmn", which browsers read as
# "zh"): under "zh" Pagefind would run jieba over the pairs when indexing and the browser's word
# segmenter over the query's pairs, splitting both (区生 -> 区 生).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{HAN}]")
_TAG_SPLIT = re.compile(r"(<[^>]*>)")
PAIR_MARK = "^"
INDEX_LANG = {"zh": "und"}  # the language a record is indexed under; search.js flips <html lang> to match


def _is_han(ch: str | None) -> bool:
    return bool(ch) and _HAN_CHAR.match(ch) is not None


def _pair_text(text: str, after: str | None) -> str:
    """One text node; `after`: the first character of the next text node (across tags)."""
    out: list[str] = []
    n, i = len(text), 0
    prev = None  # "han" | "plain" | None (start of the node)
    pre = False  # a space between a plain character and the next Han one
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            following = text[j] if j < n else None
            if prev == "han":
                out[-1] = out[-1][:-1] + PAIR_MARK + " "  # the space after the last Han token
            elif prev == "plain" and _is_han(following):
                pre = True
            else:
                out.append(text[i:j])
            i = j
            continue
        if _is_han(ch):
            nxt = text[i + 1] if i + 1 < n else after
            out.append(" " + (PAIR_MARK if pre else "") + ch + (nxt if _is_han(nxt) else "") + PAIR_MARK + " ")
            prev, pre = "han", False
        else:
            out.append(ch)
            prev = "plain"
        i += 1
    return "".join(out)


def split_han(html: str) -> str:
    """Chinese text of `html` (text, not tags) cut into pair tokens (see above)."""
    parts = _TAG_SPLIT.split(html)
    texts = [k for k in range(0, len(parts), 2) if parts[k]]
    for at, k in enumerate(texts):
        if _HAN_CHAR.search(parts[k]):
            after = parts[texts[at + 1]][0] if at + 1 < len(texts) else None
            parts[k] = _pair_text(parts[k], after)
    return "".join(parts)


_PAIR_TOKEN = re.compile(f" ?(\\{PAIR_MARK}?)([{HAN}])[{HAN}]?\\{PAIR_MARK}(\\{PAIR_MARK}?) ?")


def unpair(text: str) -> str:
    """The text `split_han` made, as it was written (what the search box shows: search.js
    `readable`); for checks of what the index holds."""
    return _PAIR_TOKEN.sub(lambda m: (" " if m.group(1) else "") + m.group(2) + (" " if m.group(3) else ""), text)


# a query as the box compares it with the glossary's names (one rule, shared with `check`)
normal_query = fold_name


def query_pairs(word: str) -> str:
    """A query word as the index holds it (the search box does the same in JavaScript): Han runs
    as their pairs, a single character as itself."""
    out = []
    for run in re.findall(f"[{HAN}]+|[^{HAN}]+", word):
        if _is_han(run[0]) and len(run) > 1:
            out += [run[k:k + 2] for k in range(len(run) - 1)]
        else:
            out.append(run)
    return " ".join(out)


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

    def glossary_records(self) -> list[tuple[str, str, str]]:
        """One record per glossary term and language, its anchor on the glossary page."""
        return [(r.url, r.lang, r.html()) for lang in LANGS for r in (self._glossary(t, lang) for t in self._terms())]

    def glossary_names(self, lang: Lang) -> dict:
        """The search box's list of glossary terms in `lang` (written into the bundle as
        glossary-<lang>.json, see GLOSSARY_FILE): a query equal to one of a term's names, in either
        language (compared after `normal_query`), shows the term's definition first, with its
        one-sentence `short` as the excerpt. Plain text: the box puts it in as text."""
        kind = self.label("search_kind_glossary", lang)
        terms = []
        for term in self._terms():
            names = []
            for name in term.names():
                name = normal_query(name)
                if name and name not in names:
                    names.append(name)
            terms.append({"names": names, "url": self._glossary_url(term, lang), "title": term.term.get(lang),
                          "excerpt": term.short.get(lang), "kind": kind})
        return {"terms": terms}

    def _terms(self) -> list:
        return self.c.glossary_sorted()

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
        elif route in (urls.RETROSPECTIVE, urls.GLOSSARY):
            # each milestone and each glossary term is a record of its own (below), so a query lands
            # on the milestone or the term itself; the page keeps its title
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

    @staticmethod
    def _glossary_url(term, lang: Lang) -> str:
        return "/" + urls.page_url(urls.glossary_term(term.id), lang)

    def _glossary(self, term, lang: Lang) -> Record:
        title = term.term.get(lang)
        kind = self.label("search_kind_glossary", lang)
        others = [name for name in term.names(lang) if name != title]
        # the term (a heading: it weighs as a title) and its other names; its one sentence and the
        # quoted definition weigh little: a definition that mentions another word (一图三会 in the
        # smart-governance circle's) must not push that word's own pages down. The term's own
        # definition comes first for its names anyway (the search box pins it).
        body = (f"<h1>{escape(title)}</h1>"
                + (f'<p data-pagefind-weight="2">{escape(" · ".join(others))}</p>' if others else "")
                + f'<div data-pagefind-weight="0.3"><p>{escape(term.short.get(lang))}</p>'
                + render_markdown(term.definition.get(lang)) + "</div>")
        return Record(url=self._glossary_url(term, lang), lang=lang, title=title, kind="glossary", body=body,
                      facets=[kind], filters={"kind": [kind]}, meta={"title": title, "kind": kind})

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
