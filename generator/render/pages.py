"""Page content for every entry and listing, in both languages, from the Jinja2 templates in
`site_templates/pages/`.

Reads the Collection only (never YAML) and knows nothing of MkDocs: it returns `PageSpec`s, which
the plugin hands to whatever builds the site around them.
"""

from __future__ import annotations

import functools
import re
from functools import cached_property
from urllib.parse import quote
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .. import browse, exhibitions, urls
from ..collection import ENTRY_KINDS, Collection
from ..content.models import LANGS, Lang, PartialDate, SourceRef, Text
from ..media import PublishedMedia
from . import charts
from .home import home_context
from .assets import AssetVersions
from .citations import cited_sections_html, group_citations
from .markdown import render_markdown


@dataclass
class PageSpec:
    route: str  # language-neutral, e.g. "cases/changning-ningjuli/"
    lang: Lang
    title: str
    html: str
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, anchor, title)
    description: str | None = None
    hide: tuple[str, ...] = ()  # Material's page.meta.hide: "toc", "navigation"
    kind: str = ""  # the template's name: "case", "exhibition_room"… (render/sharing.py types the page by it)
    entry: object = None  # the entry the page shows (case, site, exhibition, page), for its share card and schema.org data
    # the body as the site prints it: the <h1> anchored for the skip link, Chinese runs on English
    # pages marked lang="zh-Hans" (render/lang.py); `html` stays the body as written, for search
    content: str = ""
    sections: list = field(default_factory=list)  # the table of contents: [{level, id, name, children}]
    key: bytes | None = None  # digest of everything the page is made from (render/fingerprint.py); None: not cacheable
    extra: object = None  # what render_all's `annotate` made of the page (the search record), cached with it

    @property
    def url(self) -> str:
        return urls.page_url(self.route, self.lang)

    @property
    def src_uri(self) -> str:
        return urls.src_uri(self.route, self.lang)


@dataclass
class PageJob:
    """A page to make: its template and everything handed to it."""
    template: str
    route: str
    lang: Lang
    title: str
    description: str | None
    hide: tuple[str, ...]
    context: dict
    whole_collection: bool = False  # the template reads the Collection itself (statistics' totals check)

    @property
    def kind(self) -> str:
        return self.template.removesuffix(".html")


@dataclass(frozen=True)
class NavItem:
    key: str  # label key in strings.yaml
    route: str


NAV: tuple[NavItem, ...] = (
    NavItem("nav_home", urls.HOME),
    NavItem("nav_cases", urls.CASES),
    NavItem("nav_competition", urls.COMPETITION),
    NavItem("nav_exhibitions", urls.EXHIBITIONS),
    NavItem("nav_retrospective", urls.RETROSPECTIVE),
    NavItem("nav_statistics", urls.STATISTICS),
    NavItem("nav_map", urls.MAP),
    NavItem("nav_downloads", urls.DOWNLOADS),  # only when the build makes downloads
    NavItem("nav_glossary", urls.GLOSSARY),
    NavItem("nav_about", urls.page("about")),
)


_LABELS: dict[Path, tuple[tuple[int, int], object]] = {}  # file -> ((mtime, size), its labels), for `serve`


def _read_labels(path: Path):
    """A labels file, parsed by libyaml where PyYAML has it; read again only when it changed
    (a preview rebuilds after every save: parsing a dozen files in Python cost 0.1 s each time)."""
    import copy

    info = path.stat()
    stamp = (info.st_mtime_ns, info.st_size)
    found = _LABELS.get(path)
    if found is None or found[0] != stamp:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        found = _LABELS[path] = (stamp, yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
    return copy.deepcopy(found[1])


class Strings:
    """UI labels from `strings.yaml` plus one file per feature in `strings/*.yaml` (search,
    statistics…), so a feature's labels live beside nothing else. A missing key or language is an
    error, not a blank; so is a key defined twice."""

    def __init__(self, path: Path):
        self.templates_dir = path.parent  # the templates these labels belong to
        self.table: dict[str, dict[str, str]] = {}
        for source in [path, *sorted((path.parent / "strings").glob("*.yaml"))]:
            for key, value in (_read_labels(source) or {}).items():
                if key in self.table:
                    raise ValueError(f"{source}: label '{key}' is already defined in another strings file")
                missing = [lang for lang in LANGS if not (isinstance(value, dict) and value.get(lang))]
                if missing:
                    raise ValueError(f"{source}: label '{key}' has no {', '.join(missing)} text")
                # an unquoted comma in a flow mapping ({en: A (B, C)}) cuts the text and leaves
                # the rest as a key of its own
                extra = [str(k) for k in value if k not in LANGS]
                if extra:
                    raise ValueError(f"{source}: label '{key}' has unknown parts {extra}: "
                                     "put text with a comma in quotes")
                self.table[key] = value

    def get(self, key: str, lang: Lang, **values) -> str:
        text = self.table[key][lang]
        return text.format(**values) if values else text


# the context key holding the entry a page shows, by template
_ENTRY = {"case": "case", "site": "site", "exhibition": "exhibition", "exhibition_room": "exhibition",
          "exhibition_guide": "exhibition", "page": "page", "home": "home"}
_ANCHOR = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def _filesize(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{max(size / 1024, 0.1):.1f} KB"


def _render_job(renderer: "PageRenderer", annotate, job: PageJob) -> tuple:
    html, toc, content, sections = renderer.render(job)
    extra = None
    if annotate is not None:
        extra = annotate(renderer._spec(job, None, (html, toc, content, sections, None)))
        html = None  # what it was needed for is made: not sent back, not kept (memory at 5,000 cases)
    return html, toc, content, sections, extra


def page_content(html: str, title: str, lang: Lang, toc: list) -> tuple[str, list]:
    """The body as the site prints it, and its table of contents (level-2 sections).

    Material's skip link goes to the first entry of the page's toc: that is the page's <h1> (the
    start of the content), not its first section, which on the home page passed over the title and
    the introduction. The sidebar still lists the sections only (a level-1 first entry is replaced
    by its children there). On English pages, Chinese names and terms get lang="zh-Hans"."""
    sections = [{"level": level, "id": anchor, "name": name, "children": []} for level, anchor, name in toc if level == 2]
    if "<h1" in html and not re.search(r"<h1\b[^>]*\sid=", html):
        html = html.replace("<h1", '<h1 id="sc-title"', 1)
        sections = [{"level": 1, "id": "sc-title", "name": str(escape(title)), "children": sections}]
    if lang == "en":
        from .lang import mark_chinese

        html = mark_chinese(html)
    return html, sections


# A table of contents is worth its column from this many sections on; with fewer it is a column of
# one or two links beside the text (issue 20: no empty chrome).
TOC_MIN_SECTIONS = 3


def chrome_hidden(hide: tuple[str, ...], sections: list) -> tuple[str, ...]:
    """Material's sidebars a page does without (its page.meta.hide):
    - the navigation sidebar on every page: the site's navigation is one level of tabs (NAV), so
      beside a page it would list that page alone (on a phone the menu still lists every tab);
    - the table of contents on a page of fewer than TOC_MIN_SECTIONS sections."""
    level_two = [s for s in sections if s["level"] == 2] + [c for s in sections if s["level"] == 1 for c in s["children"]]
    out = [*hide, "navigation"]
    if len(level_two) < TOC_MIN_SECTIONS:
        out.append("toc")
    return tuple(dict.fromkeys(out))


class PageRenderer:
    def __init__(self, collection: Collection, templates_dir: Path, media: PublishedMedia, maps=None, downloads=None,
                 strings: Strings | None = None, asset_versions: AssetVersions | None = None, bytecode_cache=None):
        self.collection = collection
        self.downloads = downloads  # export.downloads.Download list, or None: no downloads page
        self.media = media
        self.maps = maps  # maps.build.MapBuilder, or None for a site without maps
        self.map_scripts: dict[str, str] = {}  # site path -> script, for every map on a page
        self.strings = strings or Strings(templates_dir / "strings.yaml")
        self.asset_versions = asset_versions or AssetVersions(None)
        self.env = Environment(
            loader=FileSystemLoader(templates_dir / "pages"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,  # a typo in a template fails the build instead of printing nothing
            trim_blocks=True, lstrip_blocks=True,
            auto_reload=False,  # one renderer serves one build; templates do not change under it
            bytecode_cache=bytecode_cache,  # compiled templates kept between builds (checked against their source)
        )
        self.cache_hits = 0
        self._markdown_cache: dict[tuple[str, int], str] = {}

    # --- public ------------------------------------------------------------------------------
    def nav(self, lang: Lang) -> list[tuple[str, str]]:
        return [(self.strings.get(item.key, lang), item.route) for item in NAV
                if item.route != urls.DOWNLOADS or self.downloads is not None]

    def site_name(self, lang: Lang) -> str:
        return self.strings.get("site_name", lang)

    def render_all(self, cache=None, annotate=None, workers: int = 1, code_digest: bytes = b"") -> list[PageSpec]:
        """Every page of the site, in both languages. `cache` (render/cache.py PageCache) gives
        back pages whose inputs have not changed since they were cached; `annotate(spec)` makes
        something more of each page (the plugin: its search record), kept in `spec.extra` and
        cached with it, and then the body as written is not kept (`spec.html` is empty; `content`
        is what the site prints); `workers` > 1 renders the pages not in the cache in that many forked
        processes (never while serving: the preview server runs threads); `code_digest` stands
        for the code that makes pages (the generator's own files)."""
        jobs = self.jobs()
        keys = self._keys(jobs, code_digest + (b"annotated" if annotate else b"")) if cache is not None else [None] * len(jobs)
        found = [cache.get(key) if key is not None else None for key in keys] if cache is not None else [None] * len(jobs)
        missing = [n for n, value in enumerate(found) if value is None]
        from .parallel import fork_map

        made = fork_map(functools.partial(_render_job, self, annotate), [jobs[n] for n in missing], workers)
        for n, value in zip(missing, made):
            found[n] = value
            if cache is not None and keys[n] is not None:
                cache.put(keys[n], value)
        self.cache_hits = len(jobs) - len(missing)
        return [self._spec(job, key, value) for job, key, value in zip(jobs, keys, found)]

    def jobs(self) -> list[PageJob]:
        c = self.collection
        pages: list[PageJob] = []
        index = browse.RelatedCases(c)
        related = {case.id: index.of(case) for case in c.cases.values()}  # the same in both languages
        for lang in LANGS:
            pages.append(self._page("home.html", urls.HOME, lang, self.site_name(lang), hide=("toc",),
                                    **home_context(c, self.media, self.maps, self.strings, lang),
                                    map=self._map(lambda: self.maps.overview_map(urls.HOME, lang, filter=False, height="medium"))))
            pages.append(self._page("map.html", urls.MAP, lang, self.strings.get("nav_map", lang), hide=("toc",),
                                    places=self.maps.located() if self.maps else [],
                                    map=self._map(lambda: self.maps.overview_map(urls.MAP, lang, filter=True))))
            for district in c.reference.districts:
                route = urls.district(district.key)
                pages.append(self._page("district.html", route, lang, district.name(lang), district=district,
                                        cases=browse.sort_cases(c, [x for x in c.cases.values() if x.district == district.key], lang),
                                        sites=[x for x in c.sites_sorted() if x.district == district.key],
                                        plan_rows=[(plan, row) for plan in c.plans_sorted() for row in plan.rows if row.district == district.key],
                                        map=self._map(lambda: self.maps.district_map(district.key, route, lang))))
            pages += self._browse_pages(lang)
            for case in c.cases_sorted():
                pages.append(self._page("case.html", urls.case(case.id), lang, case.title.get(lang),
                                        description=case.summary.get(lang), case=case,
                                        site=c.site_for_case.get(case.id), related=related[case.id],
                                        shown_in=self._shown_in("excellent", case.id),
                                        map=self._map(lambda: self.maps.entry_map("excellent", case.id, lang))))
            pages.append(self._page("competition.html", urls.COMPETITION, lang, self.strings.get("nav_competition", lang),
                                    sites=c.sites_sorted(), hide=("toc",)))
            for site in c.sites_sorted():
                pages.append(self._page("site.html", urls.site(site.id), lang, site.name.get(lang), site=site,
                                        shown_in=self._shown_in("competition", site.id),
                                        case=c.cases.get(site.case) if site.case else None,
                                        map=self._map(lambda: self.maps.entry_map("competition", site.id, lang))))
            pages.append(self._page("retrospective.html", urls.RETROSPECTIVE, lang,
                                    self.strings.get("nav_retrospective", lang), years=self._milestones_by_year()))
            pages.append(self._page("statistics.html", urls.STATISTICS, lang, self.strings.get("nav_statistics", lang),
                                    whole_collection=True,  # c.total_mismatches
                                    plans=c.plans_sorted(), **charts.statistics_context(c, self.strings, lang)))
            pages += self._exhibition_pages(lang)
            if c.glossary:
                pages.append(self._glossary_page(lang))
            if self.downloads is not None:
                pages.append(self._downloads_page(lang))
            for page in sorted(c.pages.values(), key=lambda p: p.id):
                if page.id != "home":
                    pages.append(self._page("page.html", urls.page(page.id), lang, page.title.get(lang), page=page))
        return pages

    # --- internals ---------------------------------------------------------------------------
    @cached_property
    def _exhibition_walks(self) -> dict[str, list]:
        return {e.id: exhibitions.walk(self.collection, e) for e in self.collection.exhibitions_sorted()}

    def _walks(self) -> dict[str, list]:
        return self._exhibition_walks

    def _shown_in(self, kind: str, entry_id: str) -> list[tuple]:
        """(exhibition, the stop showing the entry) for the "in exhibitions" note of an entry page."""
        out = []
        for exhibition in self.collection.exhibitions_sorted():
            stop = next((s for s in self._walks()[exhibition.id] if (s.kind, getattr(s.entry, "id", None)) == (kind, entry_id)), None)
            if stop is not None:
                out.append((exhibition, stop))
        return out

    def _exhibition_pages(self, lang: Lang) -> list[PageJob]:
        """The exhibitions index; per exhibition its start page, a page per room and the guide."""
        c, media = self.collection, self.media
        walks = self._walks()
        covers = {exhibition.id: exhibitions.published_cover(media, exhibition) for exhibition in c.exhibitions_sorted()}

        def stop_image(exhibition_id: str):
            def image_of(stop):
                if stop.kind == "media":
                    item = stop.entry
                    published = media.image("exhibitions", exhibition_id, item.file or "")
                else:
                    item, published = None, None
                    for candidate in getattr(stop.entry, "media", None) or []:
                        published = media.image(stop.kind, stop.entry.id, candidate.file or candidate.url or "")
                        if published is not None:
                            item = candidate
                            break
                if published is None:
                    return None
                alt = item.alt.get(lang) if item.alt else ""
                return {"published": published, "alt": alt, "placeholder": item.placeholder}
            return image_of

        pages = [self._page("exhibitions.html", urls.EXHIBITIONS, lang, self.strings.get("nav_exhibitions", lang), hide=("toc",),
                            exhibitions=[(e, walks[e.id], covers[e.id][1]) for e in c.exhibitions_sorted()])]
        for exhibition in c.exhibitions_sorted():
            stops = walks[exhibition.id]
            start = urls.exhibition(exhibition.id)
            cover_item, cover = covers[exhibition.id]
            image_of = stop_image(exhibition.id)
            # each room's first picture, for its card on the start page (None: the room shows its number)
            room_images = [next((image for s in stops if s.room_number == number and (image := image_of(s))), None)
                           for number in range(1, len(exhibition.rooms) + 1)]
            pages.append(self._page(
                "exhibition.html", start, lang, exhibition.title.get(lang),
                description=exhibition.subtitle.get(lang) if exhibition.subtitle else None, exhibition=exhibition,
                stops=stops, cover=cover, cover_item=cover_item, room_images=room_images,
                alt_cover=cover_item.alt.get(lang) if cover_item and cover_item.alt else "",
                map=self._map(lambda: self.maps.places_map(exhibitions.located_entries(stops), start, lang))))
            for number, room in enumerate(exhibition.rooms, start=1):
                route = urls.exhibition_room(exhibition.id, number)
                here = urls.page_url(route, lang)

                def href(stop, here=here, route=route) -> str:
                    if stop is None:
                        return urls.relative(urls.page_url(start, lang), here)
                    if stop.route == route:
                        return "#" + stop.anchor
                    return urls.relative(urls.page_url(stop.route, lang), here) + "#" + stop.anchor

                in_room = [s for s in stops if s.room_number == number]
                steps = {s.number: {"prev": href(stops[s.number - 2] if s.number > 1 else None),
                                    "next": href(stops[s.number] if s.number < len(stops) else None)} for s in in_room}
                title = f"{room.title.get(lang)} · {exhibition.title.get(lang)}"
                pages.append(self._page("exhibition_room.html", route, lang, title, exhibition=exhibition, room=room,
                                        room_number=number, stops=in_room, steps=steps, stop_image=stop_image(exhibition.id)))
            pages.append(self._page("exhibition_guide.html", urls.exhibition_guide(exhibition.id), lang,
                                    f"{self.strings.get('exhibition_guide', lang)} · {exhibition.title.get(lang)}",
                                    hide=("toc", "navigation"), exhibition=exhibition, stops=stops,
                                    stop_image=stop_image(exhibition.id)))
        return pages

    def _glossary_page(self, lang: Lang) -> PageJob:
        c = self.collection
        terms = c.glossary_sorted()
        examples = {t.id: [("glossary_cases", [(urls.case(x), c.cases[x].title) for x in t.cases if x in c.cases]),
                           ("glossary_sites", [(urls.site(x), c.sites[x].name) for x in t.sites if x in c.sites])]
                    for t in terms}
        return self._page("glossary.html", urls.GLOSSARY, lang, self.strings.get("nav_glossary", lang),
                          description=self.strings.get("glossary_description", lang), terms=terms,
                          related_terms={t.id: [c.glossary[r] for r in t.related if r in c.glossary] for t in terms},
                          examples_of=examples)

    @functools.cache
    def _term_linker(self, lang: Lang):
        from .terms import TermLinker, terms_for

        return TermLinker(terms_for(self.collection.glossary_sorted(), lang, self.strings.get("fallback_label", lang)),
                          more=self.strings.get("term_tip_more", lang))

    def _link_terms(self, html: str, route: str, lang: Lang) -> str:
        """The first use of each glossary term linked to its definition (render/terms.py), and
        the script of its tooltip where there is one."""
        if not self.collection.glossary:
            return html
        current, glossary = urls.page_url(route, lang), urls.page_url(urls.GLOSSARY, lang)
        base = "" if current == glossary else urls.relative(glossary, current)
        html, linked = self._term_linker(lang).link(html, lambda term_id: f"{base}#{term_id}")
        if linked:
            html += f'<script src="{escape(self._asset_address("javascripts/terms.js", current))}" defer></script>'
        return html

    def _downloads_page(self, lang: Lang) -> PageJob:
        from ..export import content_date
        from ..export.formats import BY_KEY

        return self._page("downloads.html", urls.DOWNLOADS, lang, self.strings.get("nav_downloads", lang), hide=("toc",),
                          downloads=self.downloads, as_of=self.downloads[0].as_of if self.downloads else content_date(self.collection),
                          filesize=_filesize,
                          format_names={key: f.label for key, f in BY_KEY.items()})

    def _browse_pages(self, lang: Lang) -> list[PageJob]:
        """The case list with its filters, the districts index and the 十全十美 service pages."""
        c = self.collection
        cases = browse.sort_cases(c, list(c.cases.values()), lang)
        orders = {by: {case.id: n for n, case in enumerate(browse.sort_cases(c, cases, lang, by))} for by in browse.SORTS}
        card_facets = {case.id: {"data": {key: browse.facet_values(case, key) for key, _ in browse.FACETS},
                                 "order": {by: orders[by][case.id] for by in browse.SORTS}} for case in cases}
        pages = [self._page("case_list.html", urls.CASES, lang, self.strings.get("nav_cases", lang), hide=("toc",),
                            cases=cases, facets=browse.facets(c), sorts=browse.SORTS, card_facets=card_facets)]
        plan = (c.plans_sorted() or [None])[-1]
        district_counts = {d.key: {"cases": sum(x.district == d.key for x in c.cases.values()),
                                   "sites": sum(x.district == d.key for x in c.sites.values())} for d in c.reference.districts}
        pages.append(self._page("districts.html", urls.DISTRICTS, lang, self.strings.get("nav_districts", lang), hide=("toc",),
                                plan=plan, plan_rows={row.district: row for row in plan.rows} if plan else {},
                                district_counts=district_counts))
        by_service = {s.key: browse.cases_with_service(c, lang, s.key) for s in c.reference.services}
        pages.append(self._page("services.html", urls.SERVICES, lang, self.strings.get("nav_services", lang),
                                service_counts={key: len(found) for key, found in by_service.items()}))
        for service in c.reference.services:
            pages.append(self._page("service.html", urls.service(service.key), lang, service.name(lang), hide=("toc",),
                                    service=service, cases=by_service[service.key]))
        return pages

    def _map(self, make):
        """The map for a page (its script is kept for the build to write), or None."""
        if self.maps is None:
            return None
        spec = make()
        if spec is not None:
            self.map_scripts[spec.script_path] = spec.script
            self.asset_versions.add(spec.script_path, spec.script.encode("utf-8"))
        return spec

    def _milestones_by_year(self) -> list[tuple[int, list]]:
        years: dict[int, list] = {}
        for milestone in self.collection.milestones_sorted():
            years.setdefault(milestone.date.year, []).append(milestone)
        return sorted(years.items())

    def _page(self, template: str, route: str, lang: Lang, title: str, description: str | None = None,
              hide: tuple[str, ...] = (), whole_collection: bool = False, **context) -> PageJob:
        return PageJob(template, route, lang, title, description, hide, context, whole_collection)

    def render(self, job: PageJob) -> tuple:
        """One page: (body html, toc, content, sections): plain values, so a forked worker can
        send them back and the page cache can keep them."""
        helpers = self._helpers(job.route, job.lang)
        html = self.env.get_template(job.template).render(lang=job.lang, route=job.route, title=job.title, c=self.collection,
                                                          ref=self.collection.reference, **helpers, **job.context)
        toc = [(int(level), anchor, _TAGS.sub("", text).strip()) for level, anchor, text in _ANCHOR.findall(html)]
        content, sections = page_content(self._link_terms(html, job.route, job.lang), job.title, job.lang, toc)
        return html, toc, content, sections

    def _spec(self, job: PageJob, key: bytes | None, value: tuple) -> PageSpec:
        html, toc, content, sections, extra = value
        # Every page gets a meta description in its own language (else Material falls back to the
        # Chinese site_description of mkdocs.yml on English pages).
        return PageSpec(route=job.route, lang=job.lang, title=job.title, html=html or "", toc=[tuple(t) for t in toc],
                        description=job.description or self.strings.get("site_tagline", job.lang),
                        hide=chrome_hidden(job.hide, sections),
                        kind=job.kind, entry=job.context.get(_ENTRY.get(job.kind, "")),
                        content=content, sections=sections, key=key, extra=extra)

    # --- the page cache's keys -----------------------------------------------------------------
    def _keys(self, jobs: list[PageJob], code_digest: bytes) -> list[bytes | None]:
        """A digest per page of everything it is made from (None: a context it cannot digest,
        so the page is always made afresh)."""
        from .fingerprint import Fingerprinter, Unfingerprintable, files_digest

        c = self.collection
        owners = {id(entry): (kind, entry_id) for kind in (*ENTRY_KINDS, "documents") for entry_id, entry in c.table(kind).items()}
        published: dict[tuple[str, str], list] = {}
        for (kind, entry_id, name), item in sorted(self.media.items.items(), key=lambda pair: pair[0]):
            published.setdefault((kind, entry_id), []).append((name, item))
        digests = Fingerprinter(owner=lambda model: owners.get(id(model)), media=lambda owner: published.get(owner, []),
                                constants=(self, self.media, self.collection, self.collection.reference, self.strings,
                                           self.asset_versions, self.maps))
        templates = files_digest(self.strings.templates_dir)
        # every page links the glossary's terms (render/terms.py): its terms are part of every page
        shared = digests.digest_many(code_digest, templates, self.asset_versions.digest(), list(c.documents.values()),
                                     c.glossary_sorted(),
                                     self.downloads, self.maps.providers if self.maps is not None else None)
        whole = None
        keys: list[bytes | None] = []
        for job in jobs:
            try:
                parts = [shared, job.template, job.route, job.lang, job.title, job.description, job.hide, job.context]
                if job.whole_collection:
                    if whole is None:
                        whole = digests.digest([list(c.table(kind).values()) for kind in ENTRY_KINDS])
                    parts.append(whole)
                keys.append(digests.digest_many(*parts))
            except Unfingerprintable:
                keys.append(None)
        return keys

    def _asset_address(self, site_path: str, current: str) -> str:
        """A static file's address from the page at `current`: a script under its hashed name, a
        map's script with ?v=<hash of its content> (render/assets.py), so no cache serves an old copy."""
        path, query = self.asset_versions.address(site_path)
        return urls.relative(path, current) + query

    def _helpers(self, route: str, lang: Lang) -> dict[str, Callable]:
        strings, media = self.strings, self.media
        current = urls.page_url(route, lang)

        def t(key: str, **values) -> str:
            return strings.get(key, lang, **values)

        def link(target_route: str) -> str:
            return urls.relative(urls.page_url(target_route, lang), current)

        def asset(site_path: str) -> str:
            return self._asset_address(site_path, current)

        def cited_sections(sections: list[str]) -> Markup:
            return cited_sections_html(sections, lang, strings)

        def tx(text: Text | None) -> Markup:
            """Inline text in the page's language; Chinese shown, and marked, where English is missing."""
            if text is None:
                return Markup("")
            if text.has(lang):
                return escape(text.get(lang))
            # Said in visible text, in the page's language, not only by a hover tooltip that a
            # touch screen never shows: a phone and a screen reader both get it.
            return Markup('<span class="sc-fallback" lang="zh-Hans">{}<span class="sc-fallback__label" lang="{}"> ({})</span></span>').format(
                text.zh, lang, t("fallback_label"))

        def md(text: Text | None, top: int = 3) -> Markup:
            """`top`: the level of the body's highest heading (3 under an <h2>, 2 under the <h1>)."""
            if text is None:
                return Markup("")
            html = self._markdown(text.get(lang), top)
            if text.has(lang):
                return Markup(html)
            return Markup('<div class="sc-fallback sc-fallback--block" lang="zh-Hans"><p class="sc-fallback__badge" lang="{}">{}</p>{}</div>').format(
                lang, t("fallback_badge"), Markup(html))

        def term(vocabulary: str, key: str) -> str:
            return getattr(self.collection.reference, vocabulary)[key].name(lang)

        def date(value: PartialDate | None) -> str:
            return value.display(lang) if value else ""

        def number(value: float | int | None) -> str:
            if value is None:
                return ""
            return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

        def citations(refs: list[SourceRef]) -> list[dict]:
            return group_citations(refs, self.collection.documents)

        def src(site_path: str) -> str:
            """A URL for src/srcset: relative, and percent-encoded (a space or comma in a file name
            would otherwise split a srcset)."""
            return quote(asset(site_path), safe="/.-_~")

        def media_item(kind: str, entry_id: str, item):
            return media.get(kind, entry_id, item.file or item.url or "")

        def media_groups(items) -> dict:
            """Before/after photos with the same pair key, and everything else in order."""
            by_pair: dict[str, dict] = {}
            for item in items:
                if item.pair and item.kind in ("before", "after"):
                    by_pair.setdefault(item.pair, {})[item.kind] = item
            pairs = [(p["before"], p["after"]) for p in by_pair.values() if "before" in p and "after" in p]
            paired = {id(x) for pair in pairs for x in pair}
            return {"pairs": pairs, "others": [item for item in items if id(item) not in paired]}

        def lead_image(kind: str, entry):
            lead = media.lead(kind, entry)
            return lead[1] if lead else None

        return {"t": t, "link": link, "asset": asset, "tx": tx, "cited_sections": cited_sections, "md": md, "term": term, "date": date,
                "number": number, "citations": citations, "media_item": media_item, "src": src,
                "media_groups": media_groups, "lead_image": lead_image}

    def _markdown(self, text: str, top: int = 3) -> str:
        # Both languages share many bodies (fallbacks), so cache by text.
        html = self._markdown_cache.get((text, top))
        if html is None:
            html = self._markdown_cache[(text, top)] = render_markdown(text, top)
        return html
