"""The case collection as an editable Word document (python-docx).

Real heading styles (Heading 1 per case, Heading 2 per section), so Word's navigation pane and
its table of contents work; a TOC field that Word fills in when the file is opened; photos with
captions in Word's Caption style. Chinese text uses the usual government-document faces (黑体 for
headings, 宋体 for text) through the East Asian font slot, English the Latin slot.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..content.clean import UNWANTED
from ..content.models import Lang, Text
from ..guard import working_on
from ..render.citations import section_text
from . import ExportJob
from .data import _write_atomically, normalise_zip

MAX_PHOTOS = 4  # the lead photo and up to three more, as in the printed collection
_INLINE_MARKS = re.compile(r"(\*\*|__|\*|`)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def clean(text: str) -> str:
    """Text without the characters XML cannot hold (lxml refuses them: "All strings must be XML
    compatible"): the loader has removed them with a warning; this is the last line of defence."""
    return UNWANTED.sub("", text)


def _east_asian(style, face: str) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), face)


def _toc_field(paragraph) -> None:
    """A TOC field over Heading 1–2; Word fills it in when it opens the file (updateFields)."""
    run = paragraph.add_run()
    begin, instruction, separate, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"),
                                         OxmlElement("w:fldChar"), OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-1" \\h \\z \\u'
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate):
        run._r.append(element)
    placeholder = paragraph.add_run("（打开文件时由 Word 生成目录 / Word fills in the contents when the file opens）")
    placeholder.italic = True
    paragraph.add_run()._r.append(end)


def _markdown_paragraphs(document, text: str, lang: Lang) -> None:
    """Staff write bodies in a small Markdown: paragraphs and bullet lists. Inline marks are
    dropped (the words stay), link targets too (the link text stays)."""
    for block in re.split(r"\n\s*\n", clean(text).strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if lines and all(re.match(r"\s*[-*+]\s", line) for line in lines):
            for line in lines:
                document.add_paragraph(_plain(re.sub(r"^\s*[-*+]\s+", "", line)), style="List Bullet")
        elif lines:
            heading = re.match(r"#{1,6}\s+(.*)", lines[0])
            if heading and len(lines) == 1:
                document.add_heading(_plain(heading.group(1)), level=3)
            else:
                document.add_paragraph(_plain(" ".join(lines) if lang == "en" else "".join(lines)))


def _plain(text: str) -> str:
    return _INLINE_MARKS.sub("", _LINK.sub(r"\1", text)).strip()


def write_docx(job: ExportJob, out: Path, strings, progress=None) -> Path:
    c, ref = job.collection, job.collection.reference
    first = job.langs[0]

    def t(key: str, lang: Lang | None = None, **values) -> str:
        return strings.get(key, lang or first, **values)

    def label(key: str) -> str:
        return " / ".join(strings.get(key, lang) for lang in job.langs)

    def text(value: Text | None, lang: Lang) -> str:
        return clean(value.get(lang)) if value is not None else ""

    document = Document()
    stamp = datetime.fromisoformat(job.as_of)
    props = document.core_properties
    props.title = clean(t("docx_title", "zh") + " / " + t("docx_title", "en"))
    props.author = props.last_modified_by = "showcase export"
    props.created = props.modified = stamp
    props.revision = 1
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    _east_asian(styles["Normal"], "宋体")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _east_asian(styles[name], "黑体")
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)

    # title page
    document.add_paragraph(t("docx_title", "zh"), style="Title")
    if "en" in job.langs:
        document.add_paragraph(t("docx_title", "en"), style="Subtitle")
    years = sorted({case.year for case in job.cases})
    if years:
        document.add_paragraph(t("docx_years", years=f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0]))
    document.add_paragraph(t("docx_as_of", date=job.as_of))
    document.add_paragraph(t("docx_count", n=len(job.cases)))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    # not a heading itself: the navigation pane and the TOC list the cases only
    contents = document.add_paragraph().add_run(label("docx_contents"))
    contents.bold, contents.font.size = True, Pt(16)
    _toc_field(document.add_paragraph())

    for number, case in enumerate(job.cases, start=1):
        with working_on(job.source_of(case)):  # named in an internal error
            title = " / ".join(dict.fromkeys(text(case.title, lang) for lang in job.langs))
            heading = document.add_heading(title, level=1)
            heading.paragraph_format.page_break_before = True
            if case.illustrative:
                note = document.add_paragraph()
                note.add_run(label("illustrative_label") + "：").bold = True
                note.add_run(" ".join(t("illustrative_note", lang) for lang in job.langs))

            facts = [(label("field_district"), " / ".join(ref.districts[case.district].name(lang) for lang in job.langs))]
            if case.street:
                facts.append((label("field_street"), " / ".join(dict.fromkeys(text(case.street, lang) for lang in job.langs))))
            facts.append((label("field_year"), str(case.year)))
            facts.append((label("field_types"), "；".join(" / ".join(ref.case_types[k].name(lang) for lang in job.langs) for k in case.types)))
            if case.services:
                facts.append((label("field_services"), "；".join(" / ".join(ref.services[k].name(lang) for lang in job.langs) for k in case.services)))
            if case.construction:
                facts.append((label("field_construction"), " / ".join(ref.construction[case.construction].name(lang) for lang in job.langs)))
            if case.status:
                facts.append((label("field_status"), " / ".join(ref.status[case.status].name(lang) for lang in job.langs)))
            if case.floor_area_m2:
                facts.append((label("field_floor_area"), f"{case.floor_area_m2:,.0f} m²"))
            if case.site_area_m2:
                facts.append((label("field_site_area"), f"{case.site_area_m2:,.0f} m²"))
            if case.address:
                facts.append((label("field_address"), " / ".join(dict.fromkeys(text(case.address, lang) for lang in job.langs))))
            grid = document.add_table(rows=0, cols=2)
            grid.style = "Light List Accent 1"
            for name, value in facts:
                row = grid.add_row().cells
                row[0].text, row[1].text = name, clean(value)
                row[0].width, row[1].width = Cm(4), Cm(12.5)

            for item, image in job.images("excellent", case)[:MAX_PHOTOS]:
                path = job.image_file(image, 960)
                if path is None:
                    continue
                document.add_picture(str(path), width=Cm(14) if image.width >= image.height else Cm(9))
                caption = document.add_paragraph(style="Caption")
                if item.placeholder:
                    caption.add_run(label("placeholder_label") + " ").bold = True
                caption.add_run(" / ".join(dict.fromkeys(x for x in (text(item.caption, lang) for lang in job.langs) if x)))
                if item.credit:
                    caption.add_run(" © " + text(item.credit, first))

            for lang in job.langs:
                document.add_heading(t("section_story", lang), level=2)
                if case.summary:
                    lead = document.add_paragraph()
                    lead.add_run(text(case.summary, lang)).bold = True
                if case.body:
                    _markdown_paragraphs(document, case.body.get(lang), lang)
                if not case.summary.has(lang) or (case.body and not case.body.has(lang)):
                    document.add_paragraph(t("fallback_title", lang)).runs[0].italic = True

            if case.sources:
                document.add_heading(label("section_sources"), level=2)
                for source in case.sources:
                    doc = c.documents[source.document]
                    section = t("source_section", first, section=section_text(source.section, first)) if source.section else ""
                    line = (f"{doc.number} " if doc.number else "") + text(doc.title, first) + section
                    document.add_paragraph(clean(line), style="List Bullet")
            if progress:
                progress(number, len(job.cases))

    stream = io.BytesIO()
    document.save(stream)
    return _write_atomically(out, normalise_zip(stream.getvalue(), job.as_of))
