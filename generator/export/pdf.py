"""The printed case collection: an A4 PDF from the project's own print templates, with weasyprint.

    write_pdf(job, Path("showcase-cases.pdf"), progress=lambda done, total: ...)

Cover, preface and contents, then every case from a new page: bilingual title, key facts, the lead
image and up to three more, a locator map drawn offline (locator.py), the Chinese text and the
English text (or only the language asked for). Running headers, page numbers, a bookmark per case,
embedded Noto CJK fonts (Debian's fonts-noto-cjk), so the text can be searched and copied.

Never a book of boxes: before laying anything out, the fonts the print templates name must be
installed (fonts.print_fonts: `FontsMissing`, saying which and how to install it), and the
finished PDF is read back before it is written: every font embedded, and the Chinese set in one
of those fonts (fonts.check_pdf: `FontsNotEmbedded`). Either way no file is written.

How it is laid out, and why: every case is laid out as its own small weasyprint document, and the
pages are joined at the end. That is what makes the progress report honest (laying out is nearly
all the work, and it now happens case by case) and lets a failure name its case. The contents'
page numbers are therefore computed here rather than with CSS `target-counter()`: the front matter
is laid out once with dummy numbers to learn its length, the cases are laid out with their real
first page number (`@page :first { counter-reset: page N }`), and the front matter is laid out
again with the real numbers; its length cannot change, because the numbers sit in a fixed column
(checked, and laid out again if it ever did).

Deterministic: no clock anywhere (no creation date in the PDF; the only date shown is the job's
`as_of`, which comes from the content), the file identifier is a digest of the pages' HTML, and
weasyprint embeds the published JPEGs as they are. Same input, same bytes.

Safe with untrusted content: all text goes through Jinja2's autoescape, Markdown through the
site's sanitiser, and weasyprint may fetch nothing but the published image files named here.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..content.models import Case, Lang, Text
from ..guard import working_on
from ..render.citations import cited_sections_html, group_citations
from ..render.markdown import render_markdown
from . import ExportJob
from .fonts import check_pdf, print_fonts
from .locator import MapLabels, locator_svg

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "site_templates"
PROGRAMME_DOCUMENT = "plan-2024"  # the action plan whose task 10 calls for the case collection
MAX_IMAGES = 4  # the lead image and up to three more
LEAD_WIDTH, OTHER_WIDTH = 960, 480  # px of the published JPEGs used: ~230 dpi at the printed sizes
MEDIA_ROOT = "file:///showcase-site/"  # images' URLs in the book; _fetch maps them to the cached files
HTML_LANG = {"zh": "zh-Hans", "en": "en"}

Progress = Callable[[int, int], None]


class EmptyCollection(ValueError):
    """The selection holds no case: there is no book to print."""


@dataclass(frozen=True)
class _Image:
    uri: str
    width: int
    height: int
    item: object  # the Media entry: caption, credit, kind, placeholder


def write_pdf(job: ExportJob, out: Path, progress: Progress | None = None, *, strings=None) -> Path:
    """Write the collection of `job`'s cases to `out` (via a temporary file in the same folder, so
    a failed export never leaves half a file) and return `out`. `progress(done, total)` is called
    with the number of cases laid out so far. `strings`: the labels already loaded; the print
    templates beside them are used (without them, the project's own). Raises fonts.FontsMissing or
    fonts.FontsNotEmbedded (writing nothing) when the book would not carry its fonts."""
    if not job.cases:
        raise EmptyCollection("no case selected / 没有选中任何案例")
    data = _Book(job, strings.templates_dir if strings else TEMPLATES_DIR, strings).render(progress)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


class _Book:
    def __init__(self, job: ExportJob, templates_dir: Path, strings=None):
        """`strings`: the labels already loaded for `templates_dir` (render.pages.Strings), if any."""
        from ..render.pages import Strings

        self.job = job
        self.langs: tuple[Lang, ...] = job.langs
        self.both = len(self.langs) > 1
        self.primary: Lang = self.langs[0]
        self.strings = strings or Strings(templates_dir / "strings.yaml")
        self.print_dir = templates_dir / "print"
        self.env = Environment(
            loader=FileSystemLoader(self.print_dir),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
        )
        self.allowed: dict[str, Path] = {}  # the only URLs weasyprint may fetch (decoded), and their files
        self._markdown: dict[str, str] = {}

    # --- the whole book ----------------------------------------------------------------------
    def render(self, progress: Progress | None) -> bytes:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        print_fonts(self.print_dir)  # FontsMissing, before minutes of layout in the wrong font
        fonts = FontConfiguration()
        css = CSS(filename=str(self.print_dir / "collection.css"), font_config=fonts)
        cache: dict = {}  # weasyprint's image cache, shared by all parts

        fetcher = _fetcher(self._fetch)

        def lay_out(html: str):
            document = HTML(string=html, base_url=str(self.print_dir) + "/", url_fetcher=fetcher)
            return document.render(stylesheets=[css], font_config=fonts, cache=cache)

        total = len(self.job.cases)
        if progress:
            progress(0, total)
        with _weasyprint_messages() as messages:
            front_html = self._front({case.id: 0 for case in self.job.cases})
            front_pages = len(lay_out(front_html).pages)
            for _attempt in range(3):
                starts, parts, htmls, page = {}, [], [], front_pages + 1
                for number, case in enumerate(self.job.cases, start=1):
                    with working_on(self.job.source_of(case)):  # named in an internal error
                        html = self._case(case, number, page)
                        document = lay_out(html)
                    starts[case.id] = page
                    page += len(document.pages)
                    parts.append(document)
                    htmls.append(html)
                    if progress and number < total:
                        progress(number, total)
                front_html = self._front(starts)
                front = lay_out(front_html)
                if len(front.pages) == front_pages:
                    break
                front_pages = len(front.pages)  # the numbers changed the contents' length: once more
            else:  # pragma: no cover - would need a contents page that grows with every pass
                raise RuntimeError("the contents did not settle on a page count")
            book = front.copy([p for document in [front, *parts] for p in document.pages])
            identifier = hashlib.sha256("\x00".join([front_html, *htmls]).encode("utf-8")).hexdigest()[:32]
            data = book.write_pdf(pdf_identifier=identifier.encode("ascii"))
        problems = [m for m in messages if m.levelno >= logging.ERROR]
        if problems:
            raise RuntimeError("weasyprint: " + "; ".join(m.getMessage() for m in problems))
        check_pdf(data)  # FontsNotEmbedded: not written
        if progress:
            progress(total, total)
        return data

    def _fetch(self, url: str) -> bytes:
        """The bytes behind a URL, for the published images this book names and nothing else."""
        # WeasyPrint hands back URLs percent-encoded its own way: they are kept and compared decoded
        if unquote(url) not in self.allowed:
            raise ValueError(f"not fetched in an export: {url}")
        return Path(self.allowed[unquote(url)]).read_bytes()

    # --- parts ---------------------------------------------------------------------------------
    def _context(self) -> dict:
        return {"langs": self.langs, "both": self.both, "primary": self.primary, "hl": HTML_LANG,
                "t": self.t, "label": self.label, "inline": self.inline, "block": self.block,
                "cited_sections": self.cited_sections,
                "term": self.term, "book_title": self.strings.get("export_book_title", self.primary)}

    def _front(self, starts: dict[str, int]) -> str:
        c, cases = self.job.collection, self.job.cases
        document = c.documents.get(PROGRAMME_DOCUMENT)
        years = sorted({case.year for case in cases})
        year_text = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        selection = getattr(self.job, "selection", None)
        districts = [d for d in c.reference.districts if selection is not None and d.key in selection.districts]
        toc = []
        for year in years:
            toc.append((year, [(number, case, starts[case.id]) for number, case in enumerate(cases, start=1) if case.year == year]))
        return self.env.get_template("collection.html").render(
            part="front", **self._context(), cases=cases, toc=toc, years=years, year_text=year_text,
            districts=districts, document=document, as_of=getattr(self.job, "as_of", "") or "",
            any_illustrative=any(case.illustrative for case in cases),
            any_placeholder=any(item.placeholder for case in cases for item, _ in self.job.images("excellent", case)),
            date=lambda value, lang: value.display(lang) if value else "",
        )

    def _case(self, case: Case, number: int, start_page: int) -> str:
        images = self._images(case)
        return self.env.get_template("collection.html").render(
            part="case", **self._context(), case=case, number=number, start_page=start_page,
            lead=images[0] if images else None, more=images[1:], facts=self._facts(case),
            locator=self._locator(case), running=self._running(case), bookmark=self._bookmark(case),
            sources=group_citations(case.sources, self.job.collection.documents),
        )

    # --- helpers for the templates ---------------------------------------------------------------
    def t(self, key: str, lang: Lang, **values) -> str:
        return self.strings.get(key, lang, **values)

    def label(self, key: str, sep: str = " ", **values) -> Markup:
        """A label in every language of the book, each tagged with its language."""
        return Markup(sep).join(Markup('<span class="l-{}" lang="{}">{}</span>').format(lang, HTML_LANG[lang], self.t(key, lang, **values))
                                for lang in self.langs)

    def cited_sections(self, sections: list[str], lang: Lang) -> Markup:
        return cited_sections_html(sections, lang, self.strings, chinese_tag=HTML_LANG["zh"])

    def term(self, vocabulary: str, key: str, lang: Lang) -> str:
        return getattr(self.job.collection.reference, vocabulary)[key].name(lang)

    def inline(self, text: Text | None, lang: Lang) -> Markup:
        """Short text in `lang`. Missing English: nothing in a bilingual book (the Chinese is
        printed beside it), else the Chinese, marked."""
        if text is None:
            return Markup("")
        if text.has(lang):
            return escape(text.get(lang))
        if self.both:
            return Markup("")
        return Markup('<span class="fallback" lang="zh-Hans">{}</span><span class="fallback-mark">{}</span>').format(
            text.zh, self.t("export_fallback_inline", lang))

    def block(self, text: Text | None, lang: Lang, markdown: bool = True) -> Markup:
        """Markdown in `lang`, sanitised (or, with `markdown=False`, plain text as one paragraph,
        as the site shows a summary). Missing English: a note in a bilingual book, else the
        Chinese, marked."""
        if text is None:
            return Markup("")
        html = self._html if markdown else (lambda value: Markup("<p>{}</p>").format(value))
        if text.has(lang):
            return Markup(html(text.get(lang)))
        if self.both:
            return Markup('<p class="pending">{}</p>').format(self.t("fallback_badge", lang))
        return Markup('<div class="fallback-block" lang="zh-Hans"><p class="fallback-badge" lang="{}">{}</p>{}</div>').format(
            HTML_LANG[lang], self.t("fallback_badge", lang), Markup(html(text.zh)))

    def _html(self, markdown: str) -> str:
        html = self._markdown.get(markdown)
        if html is None:
            html = self._markdown[markdown] = render_markdown(markdown)
        return html

    def _values(self, make: Callable[[Lang], str | Markup]) -> list[tuple[Lang, Markup]]:
        """A value in each language of the book; printed once where the languages agree."""
        out: list[tuple[Lang, Markup]] = []
        for lang in self.langs:
            value = Markup(escape(make(lang)))
            if value and all(value != v for _, v in out):
                out.append((lang, value))
        return out

    def _facts(self, case: Case) -> list[tuple[str, list[tuple[Lang, Markup]]]]:
        """(label key, values) of the key-facts block; a field without a value has no row."""
        def number(value: float) -> str:
            return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

        def joined(vocabulary: str, keys: list[str]) -> Callable[[Lang], str]:
            return lambda lang: self.t("list_separator", lang).join(self.term(vocabulary, k, lang) for k in keys)

        rows: list[tuple[str, Callable[[Lang], str | Markup]]] = [
            ("field_district", lambda lang: self.term("districts", case.district, lang))]
        if case.street:
            rows.append(("field_street", lambda lang: self.inline(case.street, lang)))
        rows.append(("field_year", lambda lang: self.t("cases_year", lang, year=case.year)))
        if case.award:
            rows.append(("field_award", lambda lang: self.term("award", case.award, lang)))
        rows.append(("field_types", joined("case_types", case.types)))
        if case.services:
            rows.append(("field_services", joined("services", case.services)))
        if case.construction:
            rows.append(("field_construction", lambda lang: self.term("construction", case.construction, lang)))
        if case.status:
            rows.append(("field_status", lambda lang: self.term("status", case.status, lang)))
        if case.completed:
            rows.append(("field_completed", lambda lang: case.completed.display(lang)))
        if case.floor_area_m2:
            rows.append(("field_floor_area", lambda lang: f"{number(case.floor_area_m2)} {self.t('square_metres', lang)}"))
        if case.site_area_m2:
            rows.append(("field_site_area", lambda lang: f"{number(case.site_area_m2)} {self.t('square_metres', lang)}"))
        if case.address:
            rows.append(("field_address", lambda lang: self.inline(case.address, lang)))
        if case.location:
            loc = case.location
            first = self.langs[0]

            def coordinates(lang: Lang) -> str:
                # the numbers once, "approximate" in every language
                approximate = self.t("approximate_location", lang) if loc.approximate else ""
                if lang != first:
                    return approximate
                numbers = f"{loc.lat:.5f}, {loc.lon:.5f}"
                return f"{numbers}{self.t('paren_open', lang)}{approximate}{self.t('paren_close', lang)}" if approximate else numbers
            rows.append(("export_coordinates", coordinates))
        facts = []
        for key, make in rows:
            values = self._values(make)
            if values:
                facts.append((key, values))
        return facts

    def _images(self, case: Case) -> list[_Image]:
        out = []
        for item, image in self.job.images("excellent", case)[:MAX_IMAGES]:
            width = LEAD_WIDTH if not out else OTHER_WIDTH
            path = self.job.image_file(image, width)
            if path is None or not Path(path).is_file():
                continue
            # named by its place on the site, not in the cache: WeasyPrint names images in the PDF
            # after their URL, so a cache elsewhere would otherwise change the file's bytes
            uri = MEDIA_ROOT + quote(self.job.image_site_path(image, width))
            self.allowed[unquote(uri)] = Path(path)
            out.append(_Image(uri, image.width, image.height, item))
        return out

    def _locator(self, case: Case) -> dict:
        loc = case.location
        district = " ".join(dict.fromkeys(self.term("districts", case.district, lang) for lang in self.langs))
        labels = MapLabels(
            district=district,
            shanghai=" ".join(dict.fromkeys(self.t("export_map_shanghai", lang) for lang in self.langs)),
            approximate=" ".join(self.t("approximate_location", lang) for lang in self.langs),
            no_location=" ".join(self.t("export_map_no_point", lang) for lang in self.langs),
            north=self.t("export_map_north", self.primary),
            description=" · ".join(self.t("export_map", lang) for lang in self.langs) + " · " + district,
        )
        svg = locator_svg(case.district, loc.lat if loc else None, loc.lon if loc else None,
                          approximate=bool(loc and loc.approximate), labels=labels, height_mm=50, ident=f"map-{case.id}")
        return {"svg": svg, "location": loc}

    def _running(self, case: Case) -> str:
        """The running head of the case's pages: the title, cut to what fits one line of the head
        (a title of thousands of characters otherwise costs seconds per page to lay out)."""
        return running_head(case.title.get(self.primary))

    def _bookmark(self, case: Case) -> str:
        titles = [case.title.get(lang) for lang in self.langs if case.title.has(lang)]
        return " / ".join(dict.fromkeys(titles or [case.title.zh]))


RUNNING_HEAD_WIDTH = 38  # in full-width characters: 60% of the A4 text width at 7.5 pt


def running_head(title: str, width: float = RUNNING_HEAD_WIDTH) -> str:
    """`title` if it fits `width` full-width characters (a Latin letter counts about half),
    else cut at a character boundary with an ellipsis."""
    used = 0.0
    for index, char in enumerate(title):
        used += 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55
        if used > width:
            return title[:index].rstrip() + "…"
    return title


def _fetcher(read: Callable[[str], bytes]):
    """A weasyprint URL fetcher that reads through `read` (which refuses anything not allowed):
    a URLFetcher subclass since weasyprint 67, a function before."""
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # weasyprint < 67: a function returning a dict
        return lambda url: {"string": read(url), "redirected_url": url}

    class OnlyThese(URLFetcher):
        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, read(url))

    return OnlyThese(fail_on_errors=False)


class _weasyprint_messages:
    """Collect what weasyprint logs while a book is made (a missing image or a CSS rule it does
    not know), instead of printing it in the middle of a progress bar."""

    def __enter__(self) -> list[logging.LogRecord]:
        self.records: list[logging.LogRecord] = []
        self.logger = logging.getLogger("weasyprint")
        self.handler = _ListHandler(self.records)
        self.propagate, self.level = self.logger.propagate, self.logger.level
        self.logger.addHandler(self.handler)
        self.logger.propagate = False
        self.logger.setLevel(logging.WARNING)
        return self.records

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate
        self.logger.setLevel(self.level)


class _ListHandler(logging.Handler):
    def __init__(self, records: list):
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
