"""What a page says about itself to link previews and search engines: Open Graph tags (WeChat,
Weibo and most other apps read og:title, og:description and og:image for a shared link's card), one
schema.org JSON-LD block, and robots.txt.

Knows nothing of MkDocs: the plugin asks `Sharing.head(spec)` for each page's tags and puts them
in the page's <head> (site_templates/overrides/main.html); `robots_txt` is written at the root.

Absolute addresses need `site_url` (mkdocs.yml, or SHOWCASE_SITE_URL). Without it a page keeps
its meta description and a JSON-LD block without addresses; the og:* tags, whose addresses must
be absolute, are left out, and robots.txt names no sitemap.

Every text comes from entries and is untrusted: `Head.og` holds plain text for the template to
escape as an attribute; `Head.jsonld` is already safe inside <script type="application/ld+json">
(`<`, `>` and `&` written as \\u003c, \\u003e, \\u0026, so no text can end the script).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .. import exhibitions, urls
from ..content.models import Case, CompetitionSite, Document, Exhibition, Lang, Milestone, SourceRef, Text

CARD = "images/share-card.png"  # the site's own card (scripts/make_share_card.py), under assets/
OG_LOCALE = {"zh": "zh_CN", "en": "en_US"}
IN_LANGUAGE = {"zh": "zh-Hans", "en": "en"}
SHARE_WIDTH = 1200  # og:image: the narrowest published JPEG at least this wide (else the widest)

NO_SITE_URL = (
    "未设置 site_url：分享链接（微信卡片）缺少标题图片等信息，sitemap.xml 不含任何网址。"
    "发布前请设置，例如 SHOWCASE_SITE_URL=https://example.gov.cn/showcase/ make build，或在 mkdocs.yml 中写 site_url",
    "site_url is not set: shared links (WeChat cards) will lack their picture and address, and sitemap.xml lists "
    "no page. Set it before publishing, e.g. SHOWCASE_SITE_URL=https://example.gov.cn/showcase/ make build, or "
    "site_url in mkdocs.yml",
)

# schema.org type of a page by its template (PageSpec.kind); anything else is a WebPage
_PAGE_TYPES = {"case_list": "CollectionPage", "competition": "CollectionPage", "exhibitions": "CollectionPage",
               "districts": "CollectionPage", "district": "CollectionPage", "services": "CollectionPage",
               "service": "CollectionPage"}
# pages about one thing (Open Graph's "article"); the rest are "website"
_ARTICLES = {"case", "site", "exhibition", "exhibition_room", "exhibition_guide", "retrospective", "page"}
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029"}


def script_json(data) -> str:
    """JSON for inside a <script> element: nothing in a string can close the element or open a
    comment (`</script>`, `<!--`), whatever the text."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


def normalise_site_url(site_url: str | None) -> str:
    """'' or the address ending in '/', under which page routes are appended."""
    site_url = (site_url or "").strip()
    return site_url if not site_url or site_url.endswith("/") else site_url + "/"


def robots_txt(site_url: str | None) -> str:
    """Every crawler may read everything; the sitemap's absolute address when there is one.
    Crawlers read robots.txt only at a host's root: under a sub-path (https://x.gov.cn/showcase/)
    the host's own robots.txt should carry the Sitemap line."""
    base = normalise_site_url(site_url)
    lines = ["User-agent: *", "Allow: /"]
    if base:
        lines += ["", f"Sitemap: {base}sitemap.xml"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute
    width: int
    height: int
    alt: str
    type: str  # image/jpeg, image/png
    own: bool = True  # the entry's photo (False: the site's card)


@dataclass(frozen=True)
class Head:
    description: str
    url: str | None  # the canonical address, None without site_url
    og: tuple[tuple[str, str], ...]  # (property, content) in order; plain text, for the template to escape
    jsonld: str  # script-safe JSON


class Sharing:
    def __init__(self, collection, media, strings, site_url: str | None = "", docs_dir: Path | None = None,
                 asset_versions=None):
        self.collection = collection
        self.media = media  # PublishedMedia
        self.strings = strings
        self.base = normalise_site_url(site_url)
        self.docs_dir = docs_dir
        self.asset_versions = asset_versions
        self._files = dict(media.files) if media is not None else {}
        self._sizes: dict[str, tuple[int, int] | None] = {}

    # --- addresses ---------------------------------------------------------------------------
    def absolute(self, site_path: str) -> str | None:
        """The public address of a site path ('' is the home page), or None without site_url."""
        return self.base + quote(site_path, safe="/.-_~#?=") if self.base else None

    def page_url(self, route: str, lang: Lang) -> str | None:
        return self.absolute(urls.page_url(route, lang))

    # --- one page ----------------------------------------------------------------------------
    def head(self, spec) -> Head:
        lang: Lang = spec.lang
        url = self.page_url(spec.route, lang)
        description = spec.description or self.strings.get("site_tagline", lang)
        image = self.image(spec) if self.base else None
        og: list[tuple[str, str]] = []
        if url:
            og += [("og:type", "article" if spec.kind in _ARTICLES else "website"),
                   ("og:title", spec.title), ("og:description", description), ("og:url", url),
                   ("og:site_name", self.strings.get("site_name", lang)),
                   ("og:locale", OG_LOCALE[lang]),
                   ("og:locale:alternate", OG_LOCALE["en" if lang == "zh" else "zh"])]
            if image:
                og += [("og:image", image.url), ("og:image:type", image.type), ("og:image:width", str(image.width)),
                       ("og:image:height", str(image.height)), ("og:image:alt", image.alt)]
        return Head(description=description, url=url, og=tuple(og), jsonld=script_json(self.structured(spec, url, description, image)))

    # --- og:image ----------------------------------------------------------------------------
    def image(self, spec) -> ShareImage | None:
        """The entry's lead photo as a published JPEG; else the site's card."""
        entry, lang = spec.entry, spec.lang
        lead = self._lead(entry) if entry is not None else None
        if lead is not None:
            item, published, _kind = lead
            width, site_path = next(((w, p) for w, p in published.sources["jpg"] if w >= SHARE_WIDTH),
                                    published.sources["jpg"][-1])
            size = self._size(site_path)
            if size is not None:
                alt = item.alt.get(lang) if item.alt else spec.title
                return ShareImage(self.absolute(site_path), size[0], size[1], alt, "image/jpeg")
        return self.card(lang)

    def card(self, lang: Lang) -> ShareImage | None:
        if self.docs_dir is None or not (self.docs_dir / CARD).is_file():
            return None
        size = self._size(CARD, self.docs_dir / CARD)
        if size is None:
            return None
        version = self.asset_versions.version(CARD) if self.asset_versions is not None else None
        return ShareImage(self.absolute(CARD + (f"?v={version}" if version else "")), size[0], size[1],
                          self.strings.get("site_name", lang), "image/png", own=False)

    def _lead(self, entry):
        """(media item, published image, media kind) of the picture an entry's page leads with."""
        if self.media is None:
            return None
        if isinstance(entry, Exhibition):
            cover, published = exhibitions.published_cover(self.media, entry)
            return (cover, published, "exhibitions") if published else None
        kind = "excellent" if isinstance(entry, Case) else "competition" if isinstance(entry, CompetitionSite) else None
        lead = self.media.lead(kind, entry) if kind else None  # as the page's lead picture
        return (*lead, kind) if lead else None

    def _size(self, site_path: str, path: Path | None = None) -> tuple[int, int] | None:
        """A published file's pixel size, read from its header (exact, whatever rounding made it)."""
        if site_path not in self._sizes:
            from PIL import Image

            path = path or self._files.get(site_path)
            self._sizes[site_path] = None
            if path is not None:
                try:
                    with Image.open(path) as image:
                        self._sizes[site_path] = image.size
                except (OSError, ValueError):
                    pass
        return self._sizes[site_path]

    # --- schema.org --------------------------------------------------------------------------
    def structured(self, spec, url: str | None, description: str, image: ShareImage | None) -> dict:
        """The page's JSON-LD: the home page is the WebSite; every other page a WebPage (or a
        CollectionPage, AboutPage) of it, whose mainEntity is what the page shows: a Place for a
        case or a competition site, an ExhibitionEvent, the milestones as Events."""
        lang: Lang = spec.lang
        entry, kind = spec.entry, spec.kind
        site_name = self.strings.get("site_name", lang)
        if kind == "home":
            data = {"@context": "https://schema.org", "@type": "WebSite", "name": site_name}
            data.update(self._address(url))
            data.update({"description": description, "inLanguage": IN_LANGUAGE[lang]})
            if image:
                data["image"] = image.url
            data["publisher"] = {"@type": "GovernmentOrganization", "name": self._publisher(lang)}
            citations = [self._document(document, lang) for document in self.collection.documents.values()]
            if citations:
                data["citation"] = citations
            return data

        page_type = "AboutPage" if kind == "page" and getattr(entry, "id", None) == "about" else _PAGE_TYPES.get(kind, "WebPage")
        data = {"@context": "https://schema.org", "@type": page_type, "name": spec.title}
        data.update(self._address(url))
        data.update({"description": description, "inLanguage": IN_LANGUAGE[lang]})
        website = {"@type": "WebSite", "name": site_name}
        website.update(self._address(self.page_url(urls.HOME, lang)))
        data["isPartOf"] = website
        main = None
        if isinstance(entry, (Case, CompetitionSite)):
            main = self._place(entry, spec.title, lang, url, image)
        elif isinstance(entry, Exhibition):
            start = self.page_url(urls.exhibition(entry.id), lang)
            if kind == "exhibition":
                main = self._exhibition(entry, lang, start, image)
            else:  # a room or the printable guide: about the exhibition
                about = {"@type": "ExhibitionEvent", "name": entry.title.get(lang)}
                if start:
                    about["url"] = start
                data["about"] = about
        elif kind == "retrospective":
            events = [self._event(m, lang, url) for m in self.collection.milestones_sorted()]
            main = {"@type": "ItemList", "numberOfItems": len(events), "itemListElement": events}
        if main is not None:
            data["mainEntity"] = main
        sources = getattr(entry, "sources", None) or []
        cited = self._cited(sources, lang)
        if cited:
            data["citation"] = cited
        return data

    def _address(self, url: str | None) -> dict:
        return {"@id": url, "url": url} if url else {}

    def _publisher(self, lang: Lang) -> str:
        """The programme's organiser as the documents name it: the issuer of the first document
        the home page cites that names one (the 2024 action plan's joint-conference office in the
        sample); the site's name when none does."""
        home = self.collection.pages.get("home")
        for ref in (home.sources if home else []):
            document = self.collection.documents.get(ref.document)
            if document is not None and document.issuer is not None:
                return document.issuer.get(lang)
        return self.strings.get("site_name", lang)

    def _document(self, document: Document, lang: Lang) -> dict:
        work = {"@type": "CreativeWork", "name": document.title.get(lang)}
        if document.number:
            work["identifier"] = document.number
        if document.date:
            work["datePublished"] = document.date.iso()
        if document.issuer:
            work["publisher"] = {"@type": "GovernmentOrganization", "name": document.issuer.get(lang)}
        return work

    def _cited(self, refs: list[SourceRef], lang: Lang) -> list[dict]:
        seen, out = set(), []
        for ref in refs:
            document = self.collection.documents.get(ref.document)
            if document is not None and document.id not in seen:
                seen.add(document.id)
                out.append(self._document(document, lang))
        return out

    def _place(self, entry, title: str, lang: Lang, url: str | None, image: ShareImage | None) -> dict:
        place = {"@type": "Place", "name": title}
        if url:
            place["url"] = url
        summary = getattr(entry, "summary", None)
        if isinstance(summary, Text):
            place["description"] = summary.get(lang)
        address = {"@type": "PostalAddress", "addressCountry": "CN",
                   "addressRegion": self.strings.get("sharing_region", lang),
                   "addressLocality": self.collection.reference.districts[entry.district].name(lang)}
        street = getattr(entry, "address", None)
        if isinstance(street, Text):
            address["streetAddress"] = street.get(lang)
        place["address"] = address
        if entry.location is not None:  # WGS-84, as stored
            place["geo"] = {"@type": "GeoCoordinates", "latitude": entry.location.lat, "longitude": entry.location.lon}
        if image is not None and image.own:  # the entry's photo, not the site's card
            place["image"] = image.url
        return place

    def _exhibition(self, exhibition: Exhibition, lang: Lang, url: str | None, image: ShareImage | None) -> dict:
        event = {"@type": "ExhibitionEvent", "name": exhibition.title.get(lang)}
        if url:
            event["url"] = url
        if exhibition.subtitle:
            event["description"] = exhibition.subtitle.get(lang)
        if exhibition.opens:
            event["startDate"] = exhibition.opens.iso()
        if exhibition.closes:
            event["endDate"] = exhibition.closes.iso()
        # the venue of the physical show; an online-only exhibition has no location (schema.org's
        # VirtualLocation is still pending, and the page's own address is its url)
        if exhibition.venue:
            event["location"] = {"@type": "Place", "name": exhibition.venue.get(lang)}
        if image is not None and image.own:
            event["image"] = image.url
        return event

    def _event(self, milestone: Milestone, lang: Lang, page: str | None) -> dict:
        event = {"@type": "Event", "name": milestone.title.get(lang), "startDate": milestone.date.iso()}
        if page:
            event["url"] = f"{page}#{quote(milestone.id)}"
        return event
