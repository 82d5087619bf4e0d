"""Run a content folder through everything a build does, in process, and compare what comes out.

`run()` is load -> validate -> editorial review -> media -> pages -> maps -> search records ->
exports, the way generator/mkdocs_plugin.py wires them (MkDocs itself is left out: the slow test
in test_hostile_build.py builds with it). `Compare` then holds a hostile run against its sentinel
twin (see strategies.py): the same pages, elements, attributes, map data, records and cells, with
each token replaced by the text it stands for, and nothing else different.
"""

from __future__ import annotations

import csv
import io
import html as htmlmod
import json
import re
import shutil
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import yaml

from generator.collection import load_collection
from generator.diagnostics import Diagnostics
from generator.editorial import review
from generator.render.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, render_markdown
from generator.render.pages import PageRenderer, Strings
from tests.helpers import ROOT, map_data

from .strategies import CANARY, MEDIA_FILES, TOKEN

TEMPLATES = ROOT / "site_templates"
DATA_FORMATS = ["xlsx", "csv", "json", "geojson", "docx"]
AS_OF = "2024-06-01"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet takes for the start of a formula

_strings: Strings | None = None


def strings() -> Strings:
    global _strings
    if _strings is None:
        _strings = Strings(TEMPLATES / "strings.yaml")
    return _strings


# --- writing a content folder -------------------------------------------------------------------

def small_jpeg(path: Path, colour=(40, 120, 90)) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), colour).save(path, "JPEG", quality=80)


def write_content(root: Path, yaml_texts: dict[str, str], image: Path) -> Path:
    """A content folder `root/cases` with these YAML files and the images the skeletons name
    (copies of `image`)."""
    content = root / "cases"
    if content.exists():
        shutil.rmtree(content)
    for name, text in yaml_texts.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder, files in MEDIA_FILES.items():
        for name in files:
            target = content / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image, target)
    return content


# --- the run ------------------------------------------------------------------------------------

class ProbeRenderer(PageRenderer):
    """The page renderer, with each Markdown text's HTML between <!--md--> and <!--/md--> so that
    a comparison can tell the Markdown's elements (any the sanitiser allows) from the template's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.markdown_sources: list[str] = []

    def _markdown(self, text: str, *args, **kwargs) -> str:  # (the heading level, when the renderer takes one)
        self.markdown_sources.append(text)
        return f"<!--md-->{super()._markdown(text, *args, **kwargs)}<!--/md-->"


@dataclass
class Run:
    content: Path
    diagnostics: Diagnostics
    collection: object = None
    editorial: Diagnostics | None = None
    pages: dict = field(default_factory=dict)  # (route, lang) -> PageSpec
    map_scripts: dict = field(default_factory=dict)
    records: list = field(default_factory=list)
    exports: dict = field(default_factory=dict)  # format -> [paths]
    markdown_sources: list = field(default_factory=list)
    compiled: list = field(default_factory=list)  # every source Jinja compiled during the run

    @property
    def ok(self) -> bool:
        return self.collection is not None


@contextmanager
def recording_jinja():
    """Every source that Jinja compiles meanwhile (page templates, folium's templates...)."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def recording(self, source, *args, **kwargs):
        compiled.append(source if isinstance(source, str) else "")
        return original(self, source, *args, **kwargs)

    jinja2.Environment.compile = recording
    try:
        yield compiled
    finally:
        jinja2.Environment.compile = original


def run(content: Path, cache_dir: Path, out_dir: Path | None, formats=DATA_FORMATS) -> Run:
    from generator.export import ExportJob, Selection, select_cases
    from generator.export.formats import write_exports
    from generator.maps.build import MapBuilder
    from generator.maps.config import providers
    from generator.media import publish_media
    from generator.search.records import RecordBuilder

    collection, diagnostics = load_collection(content, display_root=content.parent)
    result = Run(content, diagnostics)
    if collection is None:
        return result
    result.collection = collection
    result.editorial = review(collection)
    with recording_jinja() as compiled:
        media = publish_media(collection, cache_dir, diagnostics)
        assert not diagnostics.has_errors(), [d.format("en") for d in diagnostics.errors]
        thumbnails = {}
        for kind in ("excellent", "competition"):
            for entry_id, entry in collection.table(kind).items():
                for item in entry.media:
                    image = media.image(kind, entry_id, item.file or item.url or "")
                    if image is not None:
                        thumbnails[(kind, entry_id)] = image.thumb["jpg"]
                        break
        maps = MapBuilder(collection, providers(None, environ={})[0], strings(), thumbnails)
        renderer = ProbeRenderer(collection, TEMPLATES, media, maps, None, strings())
        pages = renderer.render_all()
        result.pages = {(p.route, p.lang): p for p in pages}
        assert len(result.pages) == len(pages), "one page per route and language"
        result.map_scripts = dict(renderer.map_scripts)
        result.markdown_sources = renderer.markdown_sources
        result.records = RecordBuilder(collection, strings().get).records(pages)
        if out_dir is not None and formats:
            out_dir.mkdir(parents=True, exist_ok=True)
            job = ExportJob(collection, select_cases(collection, Selection()), "both", media, dict(media.files),
                            as_of=AS_OF)
            result.exports = write_exports(job, list(formats), out_dir, strings())
    result.compiled = compiled
    return result


# --- HTML as a list of events -------------------------------------------------------------------

_MD_REGION = re.compile(r"<!--md-->(.*?)<!--/md-->", re.S)
MD_SLOT = "<!--md-slot-->"


def cut_markdown(html: str, found: list[str] | None = None) -> str:
    """`html` with every Markdown region replaced by one marker; the regions go into `found`."""
    def replace(match: re.Match) -> str:
        if found is not None:
            found.append(match.group(1))
        return MD_SLOT
    return _MD_REGION.sub(replace, html)


class _Events(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + data)
        else:
            self.events.append(("text", data))

    def handle_comment(self, data):
        self.events.append(("comment", data))

    def handle_decl(self, decl):
        self.events.append(("decl", decl))

    def handle_pi(self, data):
        self.events.append(("pi", data))

    def unknown_decl(self, data):
        self.events.append(("decl", data))


def events(html: str) -> list[tuple]:
    parser = _Events()
    parser.feed(html)
    parser.close()
    return parser.events


def norm(text: str) -> str:
    """Whitespace as a browser shows it (runs collapse), for comparing what a reader sees."""
    return " ".join(text.split())


class Mismatch(AssertionError):
    pass


# SVG charts lay out their labels by the labels' widths (wrapped, shortened with "…"): their
# geometry follows the text. They are compared by what they may contain.
SVG_TAGS = {"svg", "title", "desc", "defs", "pattern", "path", "g", "rect", "text", "tspan", "line", "circle"}
# attributes whose value is an order that depends on the drawn titles (the case list's sorts)
ORDER_ATTRIBUTES = {"data-order-title"}
# a script's address carries the hash of its content (map scripts hold the entries' text)
_VERSION = re.compile(r"\?v=[0-9a-f]+")


def _svg_ok(events_: list[tuple], where: str) -> None:
    for event in events_:
        if event[0] == "start":
            if event[1] not in SVG_TAGS:
                raise Mismatch(f"{where}: <{event[1]}> inside a chart")
            for name, value in event[2]:
                if name.startswith("on") or (name.endswith("href") and not (value or "").startswith("#")):
                    raise Mismatch(f"{where}: attribute {name}={value!r} inside a chart")
        elif event[0] not in ("end", "text"):
            raise Mismatch(f"{where}: {event[0]} inside a chart")


def _split_svg(events_: list[tuple]) -> tuple[list[tuple], list[list[tuple]]]:
    out, charts, depth, current = [], [], 0, []
    for event in events_:
        if event[0] == "start" and event[1] == "svg":
            if depth == 0:
                current = []
                out.append(("svg",))
            depth += 1
        if depth:
            current.append(event)
        else:
            out.append(event)
        if event[0] == "end" and event[1] == "svg" and depth:
            depth -= 1
            if depth == 0:
                charts.append(current)
    return out, charts


@dataclass
class Compare:
    """A hostile run held against its sentinel twin."""

    substitutions: dict[str, str]  # token -> the text shown in its place
    markdown_tokens: set[str] = field(default_factory=set)

    def sub(self, text: str) -> str:
        return TOKEN.sub(lambda m: self.substitutions[m.group(0)], text)

    def tokens_in(self, text: str) -> list[str]:
        return TOKEN.findall(text)

    # --- HTML ---------------------------------------------------------------------------------
    def html(self, sentinel: str, hostile: str, where: str, squeeze=None) -> list[str]:
        """Compare two pages (or fragments); returns the Markdown regions of the hostile one.
        `squeeze` removes characters both sides may differ by (search records' word breaks),
        before spaces are normalised (the records' pairs are read back by their spaces)."""
        found: list[str] = []
        expected_events, expected_charts = _split_svg(events(cut_markdown(sentinel)))
        actual_events, actual_charts = _split_svg(events(cut_markdown(hostile, found)))
        for chart in actual_charts:
            _svg_ok(chart, where)
        if len(expected_charts) != len(actual_charts):
            raise Mismatch(f"{where}: {len(actual_charts)} charts where the twin has {len(expected_charts)}")
        squeeze = squeeze or (lambda s: s)
        for index, (want, got) in enumerate(zip(expected_events, actual_events)):
            context = f"{where}, event {index}"
            if want[0] != got[0] or (want[0] in ("start", "end") and want[1] != got[1]):
                raise Mismatch(f"{context}: {got!r} where the twin has {want!r}\n{_around(actual_events, index)}")
            if want[0] == "start":
                want_names = [n for n, _ in want[2]]
                got_names = [n for n, _ in got[2]]
                if want_names != got_names:
                    raise Mismatch(f"{context}: <{got[1]}> has attributes {got_names}, the twin {want_names}")
                for (name, want_value), (_n, got_value) in zip(want[2], got[2]):
                    if name in ORDER_ATTRIBUTES:
                        continue
                    want_value = _VERSION.sub("?v=#", self.sub(want_value or ""))
                    got_value = _VERSION.sub("?v=#", got_value or "")
                    if norm(squeeze(want_value)) != norm(squeeze(got_value)):
                        raise Mismatch(f"{context}: <{got[1]} {name}> is {got_value!r}, expected {want_value!r}")
            elif want[0] == "text":
                if norm(squeeze(self.sub(want[1]))) != norm(squeeze(got[1])):
                    raise Mismatch(f"{context}: the text is {norm(got[1])[:300]!r},\nexpected {norm(self.sub(want[1]))[:300]!r}")
            elif want != got:
                raise Mismatch(f"{context}: {got!r} where the twin has {want!r}")
        if len(expected_events) != len(actual_events):
            index = min(len(expected_events), len(actual_events))
            raise Mismatch(f"{where}: {len(actual_events)} events where the twin has {len(expected_events)}\n"
                           f"{_around(actual_events, index)}")
        return found

    # --- JSON-like data -----------------------------------------------------------------------
    def data(self, sentinel, hostile, where: str, html_keys=()) -> None:
        if isinstance(sentinel, dict):
            if not isinstance(hostile, dict) or list(sentinel) != list(hostile):
                raise Mismatch(f"{where}: keys {list(hostile) if isinstance(hostile, dict) else hostile!r}, "
                               f"the twin has {list(sentinel)}")
            for key in sentinel:
                if key in html_keys:
                    self.html(sentinel[key], hostile[key], f"{where}.{key}")
                else:
                    self.data(sentinel[key], hostile[key], f"{where}.{key}", html_keys)
        elif isinstance(sentinel, list):
            if not isinstance(hostile, list) or len(sentinel) != len(hostile):
                raise Mismatch(f"{where}: {hostile!r:.200} where the twin has a list of {len(sentinel)}")
            for index, (a, b) in enumerate(zip(sentinel, hostile)):
                self.data(a, b, f"{where}[{index}]", html_keys)
        elif isinstance(sentinel, str):
            if self.sub(sentinel) != hostile:
                raise Mismatch(f"{where}: {hostile!r:.300} where {self.sub(sentinel)!r:.300} was expected")
        elif sentinel != hostile:
            raise Mismatch(f"{where}: {hostile!r} where the twin has {sentinel!r}")


def _around(events_: list[tuple], index: int) -> str:
    return "\n".join(f"  {i}: {e!r:.200}" for i, e in enumerate(events_[max(0, index - 3): index + 3], start=max(0, index - 3)))


# --- Markdown's own output -----------------------------------------------------------------------

def check_markdown_html(fragment: str, where: str) -> None:
    """What the sanitiser lets through: its tags, its attributes, links to http(s)/mailto or
    within the site, no canary."""
    for event in events(fragment):
        if event[0] == "start":
            tag, attrs = event[1], event[2]
            if tag not in ALLOWED_TAGS:
                raise Mismatch(f"{where}: Markdown produced <{tag}>")
            for name, value in attrs:
                if name == "rel" and tag == "a":
                    continue
                if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                    raise Mismatch(f"{where}: Markdown produced <{tag} {name}>")
                if name == "href":
                    scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value or "")
                    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                        raise Mismatch(f"{where}: a link to {value!r}")
        elif event[0] in ("comment", "decl", "pi"):
            raise Mismatch(f"{where}: Markdown produced {event!r}")


# --- exports --------------------------------------------------------------------------------------

def xlsx_cells(path: Path) -> dict[tuple[str, str], object]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return {(sheet.title, cell.coordinate): cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None}


def xlsx_xml_problems(path: Path) -> list[str]:
    """Formulas, error cells or cells of an unexpected type in the workbook's XML itself."""
    problems = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            xml = archive.read(name).decode("utf-8")
            if re.search(r"<(?:\w+:)?f[ >/]", xml):
                problems.append(f"{name}: a formula")
            for kind in re.findall(r'<c [^>]*\bt="([^"]*)"', xml):
                if kind not in ("s", "inlineStr", "n", "b", "str"):
                    problems.append(f"{name}: a cell of type {kind}")
                if kind == "str":  # a formula's cached text
                    problems.append(f"{name}: a formula's string")
    return problems


def csv_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff"), f"{path.name}: UTF-8 with BOM"
    return list(csv.reader(io.StringIO(text[1:], newline="")))  # not splitlines(): U+2028 is no row break


def docx_units(path: Path) -> list[str]:
    """Every paragraph's text, table cells included, in document order."""
    from docx import Document

    document = Document(str(path))
    units = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            units += [cell.text for cell in row.cells]
    return units


DOCX_STRUCTURE = ("w:hyperlink", "w:fldChar", "w:instrText", "w:fldSimple", "w:drawing", "w:object", "w:altChunk",
                  "w:sdt", "w:embed")


def docx_structure(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        names = sorted(archive.namelist())
    counts = {tag: len(re.findall(rf"<{tag}[ >/]", xml)) for tag in DOCX_STRUCTURE}
    counts["instructions"] = re.findall(r"<w:instrText[^>]*>([^<]*)<", xml)
    counts["parts"] = [n for n in names if not n.startswith("word/media/")]
    return counts


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def yaml_round_trip(text: str):
    return yaml.load(text, Loader=yaml.CSafeLoader)


def unescape(text: str) -> str:
    return htmlmod.unescape(text)


def contains_canary(text: str) -> bool:
    return CANARY in text
