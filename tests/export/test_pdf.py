"""The printed case collection, read back with real PDF readers: poppler's pdftotext, pdffonts and
pdftoppm, and pypdf. Titles in the contents in book order with the right page numbers, a bookmark
per case, every font embedded (and CJK from the Simplified Chinese faces), sane page counts, the
illustrative and placeholder marks, the language options, selections, escaping, a case with no
optional fields, identical bytes twice, no half-written file, progress, and images of the first
pages for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.export import ExportJob, Selection
from generator.export.pdf import EmptyCollection, write_pdf
from tests.helpers import ROOT, copy_content

pypdf = pytest.importorskip("pypdf")
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm"))
pytestmark = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed (scripts/setup.sh --browser)")


# --- reading a PDF back -----------------------------------------------------------------------

def norm(text: str) -> str:
    """Text compared without whitespace (line breaks fall anywhere in a wrapped title) and in
    NFKC (a ligature glyph reads back as its letters)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def page_texts(pdf: Path, layout: bool = False) -> list[str]:
    """pdftotext's text of every page (pages are separated by form feeds)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def outline(pdf: Path) -> list[tuple[str, int]]:
    """(title, 1-based page) of every bookmark, flattened in order."""
    reader = pypdf.PdfReader(str(pdf))
    out = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append((item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline)
    return out


def fonts(pdf: Path) -> list[dict]:
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:  # a header and a rule
        parts = line.split()
        # name, type (1–3 words), encoding, emb, sub, uni, object, id: read from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def case_starts(texts: list[str], cases, after: int) -> dict[str, int]:
    """The 1-based page where each case begins: the first page after the contents whose text has
    its Chinese title (the running head repeats it on later pages)."""
    starts = {}
    for case in cases:
        title = norm(case.title.zh)
        starts[case.id] = next(i + 1 for i, text in enumerate(texts) if i >= after and title in norm(text))
    return starts


def toc_entries(layout_texts: list[str]) -> tuple[list[tuple[int, str, int]], int, int]:
    """(number, start of the title, printed page) of every contents line, read from
    pdftotext -layout, and the 1-based first and last pages of the contents."""
    line_re = re.compile(r"^\s*(\d+)\s+(\S.*?)\s{2,}(\d+)\s*$")
    heading = re.compile(r"^\s*(目录|Contents)\b", re.M)  # the part title, not the running head
    first = next(i for i, text in enumerate(layout_texts) if heading.search(text))
    entries, index = [], first
    while index < len(layout_texts):
        found = [(int(m[1]), m[2], int(m[3])) for m in map(line_re.match, layout_texts[index].splitlines()) if m]
        if not found:
            break
        entries += found
        index += 1
    return entries, first + 1, index


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media-cache")


def export(collection, tmp: Path, cache: Path, selection=Selection(), languages="both", name="book.pdf", progress=None):
    job = ExportJob.prepare(collection, selection, languages, cache_dir=cache)
    return job, write_pdf(job, tmp / name, progress=progress)


@pytest.fixture(scope="module")
def both(sample_collection, tmp_path_factory, cache):
    calls = []
    job, pdf = export(sample_collection, tmp_path_factory.mktemp("both"), cache,
                      progress=lambda done, total: calls.append((done, total)))
    return job, pdf, calls


# --- the whole sample collection, both languages ---------------------------------------------

def test_contents_list_every_case_in_book_order_with_the_pages_they_start_on(both):
    job, pdf, _ = both
    assert len(job.cases) == len(job.collection.cases) >= 5
    entries, _, toc_end = toc_entries(page_texts(pdf, layout=True))
    assert [n for n, _, _ in entries] == list(range(1, len(job.cases) + 1)), entries
    starts = case_starts(page_texts(pdf), job.cases, after=toc_end)
    for (number, title_start, printed), case in zip(entries, job.cases):
        assert norm(case.title.zh).startswith(norm(title_start)), (number, title_start, case.title.zh)
        assert printed == starts[case.id], f"contents say {case.id} starts on page {printed}, it starts on {starts[case.id]}"
    # book order, and each case really begins a page of its own
    assert list(starts.values()) == sorted(starts.values()) and len(set(starts.values())) == len(starts)


def test_every_chinese_and_english_title_is_in_the_text_in_contents_order(both):
    job, pdf, _ = both
    texts = page_texts(pdf)
    _, toc_start, toc_end = toc_entries(page_texts(pdf, layout=True))
    contents = norm("".join(texts[toc_start - 1:toc_end]))
    for lang in ("zh", "en"):
        positions = []
        for case in job.cases:
            title = norm(case.title.get(lang))
            assert title in contents, f"{lang} title of {case.id} missing from the contents"
            positions.append(contents.index(title))
            assert title in norm(texts[case_starts(texts, [case], toc_end)[case.id] - 1]), f"{lang} title not on {case.id}'s first page"
        assert positions == sorted(positions), f"{lang} titles are not in book order in the contents"


def test_one_bookmark_per_case_pointing_at_its_first_page(both):
    job, pdf, _ = both
    marks = outline(pdf)
    texts = page_texts(pdf)
    _, _, toc_end = toc_entries(page_texts(pdf, layout=True))
    starts = case_starts(texts, job.cases, toc_end)
    case_marks = [(title, page) for title, page in marks if any(case.title.zh in title for case in job.cases)]
    assert len(case_marks) == len(job.cases)
    for (title, page), case in zip(case_marks, job.cases):
        assert title == f"{case.title.zh} / {case.title.en}"
        assert page == starts[case.id]
    assert [t for t, _ in marks[:2]] == ["前言 / Preface", "目录 / Contents"]


def test_fonts_are_embedded_and_cjk_comes_from_the_simplified_chinese_faces(both):
    _, pdf, _ = both
    rows = fonts(pdf)
    assert rows, "no fonts listed"
    assert all(row["emb"] == "yes" for row in rows), rows
    assert all(row["uni"] == "yes" for row in rows), rows  # text maps back to Unicode: searchable, copyable
    names = [row["name"] for row in rows]
    assert any("Noto-Sans-CJK-SC" in name for name in names), names
    assert not any(re.search(r"CJK-(JP|KR|TC|HK)", name) for name in names), names


def test_no_chinese_character_is_printed_as_a_box(both):
    """Every Chinese character of the book is a real glyph of the font that prints it (none is
    the .notdef box), read from each font's ToUnicode map and its embedded font program."""
    from generator.export.fonts import pdf_fonts

    _, pdf, _ = both
    fonts = pdf_fonts(pdf.read_bytes())
    assert sum(f.chinese for f in fonts) > 100, fonts  # hundreds of distinct characters in the sample book
    assert {f.name: f.boxes for f in fonts if f.boxes} == {}


def test_a_source_is_never_split_across_pages(both):
    """A cited document's Chinese and English titles are printed on the same page (the sample
    book once carried the English title of a case's last source alone on a page of its own)."""
    job, pdf, _ = both
    texts = [norm(text) for text in page_texts(pdf)]
    _, _, toc_end = toc_entries(page_texts(pdf, layout=True))
    starts = sorted(case_starts(page_texts(pdf), job.cases, after=toc_end).items(), key=lambda item: item[1])
    checked = 0
    for number, (case_id, first) in enumerate(starts):
        last = starts[number + 1][1] - 1 if number + 1 < len(starts) else len(texts)
        case = next(c for c in job.cases if c.id == case_id)
        for ref in case.sources:
            title = job.collection.documents[ref.document].title
            if not title.en:
                continue
            zh, en = norm(title.zh), norm(title.en)
            pages = [i for i in range(first - 1, last) if zh in texts[i] and en in texts[i]]
            alone = [i + 1 for i in range(first - 1, last) if (zh in texts[i]) != (en in texts[i])]
            assert pages or not alone, f"{case_id}: {title.zh} split over pages {alone}"
            checked += 1
    assert checked >= len(job.cases)


def test_no_line_is_printed_over_another(both):
    """Every line of text has its own place on the page (pdftotext -bbox-layout): a photo's credit,
    split off a floated figure at a page break, was once printed over the next page's heading."""
    _, pdf, _ = both
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out))
    ns = "{http://www.w3.org/1999/xhtml}"
    clashes = []
    for number, page in enumerate(root.iter(ns + "page"), 1):
        lines = [([float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")],
                  " ".join(word.text or "" for word in line.iter(ns + "word"))) for line in page.iter(ns + "line")]
        for i, (a, text_a) in enumerate(lines):
            for b, text_b in lines[i + 1:]:
                if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1.5:
                    clashes.append(f"page {number}: {text_a!r} over {text_b!r}")
    assert clashes == []


def test_page_count_is_sane_and_the_file_is_a4(both):
    job, pdf, _ = both
    reader = pypdf.PdfReader(str(pdf))
    n = len(job.cases)
    assert n + 2 <= len(reader.pages) <= 4 * n + 6
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4 in points


def test_cover_names_title_years_and_the_issuing_body_from_the_documents(both):
    job, pdf, _ = both
    cover = norm(page_texts(pdf)[0])
    plan = job.collection.documents["plan-2024"]
    years = sorted({case.year for case in job.cases})
    for expected in ("上海“15分钟社区生活圈”优秀案例集", f"{years[0]}–{years[-1]}年度", plan.number, plan.issuer.zh,
                     plan.issuer.en, plan.title.zh, "示意内容"):
        assert norm(expected) in cover, expected


def test_illustrative_and_placeholder_marks_are_printed(both):
    job, pdf, _ = both
    texts = page_texts(pdf)
    _, _, toc_end = toc_entries(page_texts(pdf, layout=True))
    starts = case_starts(texts, job.cases, toc_end)
    for case in job.cases:
        first = texts[starts[case.id] - 1]
        if case.illustrative:
            assert "示意内容" in first and "Illustrative" in first, case.id
        if any(item.placeholder for item, _ in job.images("excellent", case)):
            assert "占位图" in first and "Placeholder" in first, case.id


def test_progress_is_reported_case_by_case(both):
    job, _, calls = both
    n = len(job.cases)
    assert calls[0] == (0, n) and calls[-1] == (n, n)
    assert [done for done, _ in calls] == list(range(n + 1))


def test_same_input_gives_the_same_bytes(both, tmp_path):
    job, pdf, _ = both
    again = write_pdf(job, tmp_path / "again.pdf")
    assert again.read_bytes() == pdf.read_bytes()


def test_first_pages_as_images_for_a_person_to_look_at(both, tmp_path):
    from PIL import Image, ImageStat

    _, pdf, _ = both
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "3", "-png", str(pdf), str(prefix)], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    print("\nfirst pages of the collection:", *images, sep="\n  ")
    assert len(images) == 3
    for path in images:
        with Image.open(path) as image:
            grey = image.convert("L")
            assert grey.size[0] > 300 and grey.size[1] > 400
            low, high = grey.getextrema()
            assert high - low > 100, f"{path} is blank"
            inked = sum(grey.histogram()[:200]) / (grey.size[0] * grey.size[1])
            assert inked > 0.01, f"{path} is nearly blank"
            assert ImageStat.Stat(grey).stddev[0] > 5


# --- languages and selections -----------------------------------------------------------------

def test_chinese_only_keeps_bilingual_titles_but_prints_no_english_text(sample_collection, tmp_path, cache):
    job, pdf = export(sample_collection, tmp_path, cache, languages="zh")
    text = norm("".join(page_texts(pdf)))
    for case in job.cases:
        assert norm(case.title.zh) in text
        if case.title.en:
            assert norm(case.title.en) in text  # titles stay bilingual where available
        if case.summary.en:
            assert norm(case.summary.en)[:60] not in text
    assert "Aboutthiscase" not in text and "Preface" not in text
    assert "案例介绍" in text and "前言" in text


def test_english_only_prints_english_text(sample_collection, tmp_path, cache):
    job, pdf = export(sample_collection, tmp_path, cache, languages="en")
    text = norm("".join(page_texts(pdf)))
    assert "Aboutthiscase" in text and "案例介绍" not in text and "前言" not in text
    # cited sections read in English: (Task 13), not (任务13)
    assert "Task13)" in text and "(Annex2" in text and "任务1" not in text and "附件" not in text
    for case in job.cases:
        assert norm(case.title.en) in text
        assert norm(case.summary.en)[:60] in text
    marks = outline(pdf)
    assert [t for t, _ in marks[:2]] == ["Preface", "Contents"]
    assert [t for t, _ in marks[2:]] == [case.title.en for case in job.cases]


@pytest.mark.parametrize("selection", [
    Selection(districts=("jiading",)),
    Selection(year=2024),
    Selection(ids=("changning-ningjuli", "yangpu-fuxingdao-innovation")),
], ids=["district", "year", "ids"])
def test_a_selection_prints_exactly_its_cases(sample_collection, tmp_path, cache, selection):
    job, pdf = export(sample_collection, tmp_path, cache, selection=selection)
    chosen = {case.id for case in job.cases}
    assert chosen and chosen != set(sample_collection.cases)
    text = norm("".join(page_texts(pdf)))
    for case in sample_collection.cases.values():
        assert (norm(case.title.zh) in text) == (case.id in chosen), case.id
    assert len(outline(pdf)) == len(chosen) + 2
    pages = len(pypdf.PdfReader(str(pdf)).pages)
    assert len(chosen) + 2 <= pages <= 4 * len(chosen) + 6


def test_an_empty_selection_is_refused(sample_collection, tmp_path):
    job = ExportJob.prepare(sample_collection, Selection(year=2099))
    with pytest.raises(EmptyCollection):
        write_pdf(job, tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()


# --- hostile text, missing fields, failures ---------------------------------------------------

MINIMAL = """\
id: test-minimal
title:
  zh: "测试<案例>&符号"
  en: "Test <b>case</b> & co </div>"
district: huangpu
year: 2024
types: [party-service-centre]
summary: {zh: "只有中文简介。"}
"""


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    from generator.collection import load_collection

    root = tmp_path_factory.mktemp("minimal")
    content = copy_content(root)
    (content / "excellent" / "test-minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    collection, diagnostics = load_collection(content, display_root=root)
    assert collection is not None and "test-minimal" in collection.cases, [d.format("en") for d in diagnostics]
    return collection, root


@pytest.mark.parametrize("languages", ["both", "en", "zh"])
def test_a_case_with_markup_in_its_title_and_no_optional_fields_exports_cleanly(minimal, tmp_path, languages):
    collection, root = minimal
    job, pdf = export(collection, tmp_path, root / "cache", Selection(ids=("test-minimal",)), languages)
    texts = page_texts(pdf)
    text = re.sub(r"\s+", " ", "".join(texts))
    assert "测试<案例>&符号" in text  # intact: neither swallowed as a tag nor shown as &lt;
    assert "Test <b>case</b> & co </div>" in text  # titles stay bilingual in every language option
    _, _, toc_end = toc_entries(page_texts(pdf, layout=True))
    case_pages = norm("".join(texts[toc_end:]))
    # no label without a value
    for absent in ("街道/镇", "建筑面积", "用地面积", "建成时间", "地址", "状态", "“十全十美”服务", "坐标",
                   "Subdistrict/town", "Floorarea", "Sitearea", "Completed", "Address", "Status", "Coordinates"):
        assert norm(absent) not in case_pages, absent
    assert "未提供具体位置" in case_pages or "Nolocationgiven" in case_pages  # the map shows the district only
    if languages == "both":  # the Chinese is printed; the English part says it is missing
        assert "只有中文简介" in case_pages and "Englishtranslationpending" in case_pages
    if languages == "en":  # only English asked for: the Chinese, marked
        assert "只有中文简介" in case_pages and "Englishtranslationpending" in case_pages
    if languages == "zh":
        assert "只有中文简介" in case_pages and "Englishtranslationpending" not in case_pages
    marks = outline(pdf)
    expected = {"both": "测试<案例>&符号 / Test <b>case</b> & co </div>", "zh": "测试<案例>&符号",
                "en": "Test <b>case</b> & co </div>"}[languages]
    assert marks[-1][0] == expected


def test_a_failed_export_leaves_the_previous_file_and_no_temporary_file(sample_collection, tmp_path, monkeypatch):
    from generator.export import pdf as pdf_module

    out = tmp_path / "book.pdf"
    out.write_bytes(b"previous")
    job = ExportJob.prepare(sample_collection, Selection(ids=("changning-ningjuli",)))

    def broken(self, progress):
        raise RuntimeError("layout failed")
    monkeypatch.setattr(pdf_module._Book, "render", broken)
    with pytest.raises(RuntimeError):
        write_pdf(job, out)
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf"]


def test_weasyprint_may_fetch_only_the_published_images(sample_collection, tmp_path):
    """A case body cannot make the export read a local file or call out: Markdown is sanitised
    (no <img>), and the fetcher refuses anything it was not given."""
    from generator.export.pdf import _Book, TEMPLATES_DIR

    job = ExportJob.prepare(sample_collection, Selection(ids=("changning-ningjuli",)))
    book = _Book(job, TEMPLATES_DIR)
    with pytest.raises(ValueError):
        book._fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        book._fetch("http://example.com/x.png")


# --- the locator map --------------------------------------------------------------------------

def test_locator_map_is_well_formed_deterministic_and_escapes_labels():
    from generator.export.locator import MapLabels, locator_svg

    labels = MapLabels(district="黄浦区 <script>&", approximate="近似 & <approx>", no_location="none <here>")
    one = locator_svg("huangpu", 31.23, 121.48, approximate=True, labels=labels, ident="t1")
    assert one == locator_svg("huangpu", 31.23, 121.48, approximate=True, labels=labels, ident="t1")
    tree = ET.fromstring(str(one))  # well-formed XML despite the labels
    texts = [el.text for el in tree.iter("{http://www.w3.org/2000/svg}text")]
    assert "黄浦区 <script>&" in texts and "近似 & <approx>" in texts
    assert "<script>" not in str(one)
    # 16 districts in both panels: the overview draws every district
    paths = list(tree.iter("{http://www.w3.org/2000/svg}path"))
    assert len([p for p in paths if p.get("fill") and p.get("fill") != "none"]) >= 4
    circles = list(tree.iter("{http://www.w3.org/2000/svg}circle"))
    assert len(circles) == 4  # marker and approximate halo, in each panel
    without = ET.fromstring(str(locator_svg("chongming", labels=labels, ident="t2")))
    assert not list(without.iter("{http://www.w3.org/2000/svg}circle"))
    assert "none <here>" in [el.text for el in without.iter("{http://www.w3.org/2000/svg}text")]


def test_locator_simplification_keeps_neighbours_borders_shared():
    """Both districts on a border draw the very same simplified edges: no slivers or overlaps."""
    from itertools import pairwise

    from generator import geo
    from generator.export.locator import _geometry, _tolerance_for

    keys = [d.key for d in geo.districts()]
    raw_neighbours = set()
    owners: dict = {}
    for d in geo.districts():
        for polygon in d.polygons:
            for ring in polygon:
                for a, b in pairwise(ring):
                    owners.setdefault(frozenset((a, b)), set()).add(d.key)
    for ds in owners.values():
        if len(ds) == 2:
            raw_neighbours.add(frozenset(ds))
    assert len(raw_neighbours) > 20
    for km_per_mm in (2.0, 0.3):
        edges: dict = {}
        for index, ring, _ in _geometry(_tolerance_for(km_per_mm)):
            for a, b in pairwise(ring + ring[:1]):
                edges.setdefault(frozenset((a, b)), set()).add(keys[index])
        shared = {frozenset(ds) for ds in edges.values() if len(ds) == 2}
        assert raw_neighbours <= shared, raw_neighbours - shared
        assert all(len(ds) <= 2 for ds in edges.values())


def test_photos_with_spaces_and_chinese_in_their_names_are_printed(tmp_path):
    """Districts name files 活动 1.jpg: the book must still find and embed them."""
    from generator.collection import load_collection
    from tests.site.test_media_pages import CASE, content_with_photos

    content = content_with_photos(tmp_path)
    collection, diagnostics = load_collection(content, display_root=tmp_path)
    assert collection is not None, [d.format("en") for d in diagnostics]
    job, pdf = export(collection, tmp_path, tmp_path / "cache", Selection(ids=(CASE,)))
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listed.splitlines()[2:] if line.split()[2] == "image"]
    assert len(images) == 4, listed  # before, after, 活动 1, plan: the lead photo and three more


def test_a_very_long_title_is_printed_whole_and_cut_in_the_running_head(tmp_path):
    """A title pasted with a whole paragraph in it (found by the property tests: 2,000 characters
    took a minute to lay out, the running head being measured again on every page) is printed
    whole under the case, and the running head of its later pages is cut to one line with `…`."""
    from generator.collection import load_collection
    from generator.export.pdf import running_head

    root = tmp_path / "long"
    content = copy_content(root)
    title = "".join("社区生活圈行动方案十五分钟步行可达" for _ in range(60))  # 1,020 characters
    (content / "excellent" / "test-long.yaml").write_text(
        MINIMAL.replace("test-minimal", "test-long").replace('"测试<案例>&符号"', f'"{title}"'), encoding="utf-8")
    collection, diagnostics = load_collection(content, display_root=root)
    assert collection is not None, [d.format("en") for d in diagnostics]
    job, pdf = export(collection, tmp_path, root / "cache", Selection(ids=("test-long",)), "zh")
    texts = page_texts(pdf)
    _, _, toc_end = toc_entries(page_texts(pdf, layout=True))
    head = running_head(title)
    assert head.endswith("…") and len(head) < 40
    pages = texts[toc_end:]
    assert len(pages) > 2, "the title fills more than a page"
    assert all(norm(head) in norm(page) for page in pages)  # every page of the case, one line
    book = norm(pages[0].split("\n")[0])  # the collection's name, the other running head
    numbers = re.compile(r"^\s*\d+\s*$", re.M)  # the page numbers at the foot
    body = "".join(norm(numbers.sub("", page)).replace(book, "", 1).replace(norm(head), "", 1) for page in pages)
    assert norm(title) in body  # whole, around the running heads of the pages it spans
    assert running_head("长宁区15分钟社区生活圈") == "长宁区15分钟社区生活圈"
    assert running_head("x" * 200).endswith("…") and len(running_head("x" * 200)) <= 70
