"""Every text of an entry reaches every data export as text: never a formula, an error value or
markup, never a crash on a character a file format cannot hold, never a corrupt file.

Property-based (Hypothesis): entries of every kind in the XLSX export are built in process from
hostile texts (formula prefixes, HTML, template syntax, control characters that slipped past the
loader, lone surrogates, texts past Excel's 32,767-character cell limit), exported, and read back
with openpyxl, csv, json, python-docx and the sheet XML itself. The number of examples follows the
active Hypothesis profile (100 by default; a longer profile runs proportionally more).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook

from generator.authoring.sheets import EXCEL_CELL_LIMIT, TRUNCATED_MARK, cell_text, put, write_template
from generator.content.clean import UNWANTED
from generator.content.models import Case, CompetitionSite, Document, Milestone
from generator.content.reference import reference
from generator.export import ExportJob
from generator.export.data import csv_files, entries_json, write_geojson, write_json, write_xlsx

from tests.helpers import ROOT

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def scaled(n: int) -> int:
    """n examples under the default profile (100), proportionally more or fewer under others."""
    return max(1, n * settings.default.max_examples // 100)


# --- strategies ------------------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://x/?"&A1,"click")', "=1+1", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
    "=cmd|' /C calc'!A0", "#N/A", "#REF!", "'=1+1", "<b>A & B</b>", "<script>alert(1)</script>",
    "{{ 7*7 }}", "{% raw %}", "${7*7}", "]]><x/>", "\u202eevil\u202c", "_x0041_", "a\x0bb", "\x1b[31mred",
    "\ud800", "x\ufffe\uffff", "\x85\x9f", "line\nbreak", "😀" * 3,
]
PREFIXES = ["=", "+", "-", "@", "\t", "\r", "#", "'", "<", "{{", "_x000B_"]
any_char = st.characters(codec=None, exclude_categories=())  # lone surrogates included
texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(any_char, max_size=40),
    st.builds(lambda p, t: p + t, st.sampled_from(PREFIXES), st.text(any_char, max_size=30)),
)
# long texts around Excel's limit: astral characters count twice there (UTF-16)
long_texts = st.builds(lambda head, unit, n: head + unit * n, st.sampled_from(PREFIXES + [""]),
                       st.sampled_from(["字", "a", "😀", "ab😀", "\x0b字"]),
                       st.integers(EXCEL_CELL_LIMIT // 4 - 10, EXCEL_CELL_LIMIT + 10))


def model_text(text: str) -> str:
    """What an entry can hold: the models strip surrounding whitespace, need a Chinese text and
    refuse lone surrogates (pydantic cannot take them; the cell writer is fuzzed with them above)."""
    text = re.sub("[\ud800-\udfff]", "", text)
    return text if text.strip() else "空" + text


def readable(text: str) -> str:
    """What a text becomes in any export: the characters no file format holds are left out."""
    return UNWANTED.sub("", text)


def expected_cell(text: str) -> str:
    return cell_text(text)[0]


def assert_cell_holds(value, text: str) -> None:
    wanted, cut = cell_text(text)
    assert value == wanted, (value[:80] if isinstance(value, str) else value, text[:80])
    if cut:
        assert value.endswith(TRUNCATED_MARK)
        assert readable(text).startswith(value[: -len(TRUNCATED_MARK)].rstrip())
    assert len(value.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT


def sheet_cells(path: Path) -> list:
    """Every <c> element of every worksheet of the file, parsed as XML."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert names
        return [c for n in names for c in etree.fromstring(archive.read(n)).iter(f"{MAIN}c")]


def assert_no_formula_anywhere(path: Path) -> None:
    """No cell of the workbook is a formula or an error value; every text is a typed string cell."""
    for c in sheet_cells(path):
        assert c.find(f"{MAIN}f") is None, etree.tostring(c)
        assert c.get("t") not in ("e", "str"), etree.tostring(c)
        if c.find(f"{MAIN}is") is not None or c.get("t") == "s":
            assert c.get("t") in ("s", "inlineStr"), etree.tostring(c)


# --- the cell writer itself --------------------------------------------------------------------

@settings(max_examples=scaled(150), deadline=None)
@given(st.lists(st.one_of(texts, long_texts), min_size=1, max_size=4))
@example(['=HYPERLINK("http://x/?"&A1,"click")', "=1+1", "#N/A", "\x0b\x1b\ud800\ufffe"])
@example(["😀" * (EXCEL_CELL_LIMIT // 2 + 1)])  # 32,768 UTF-16 units: one too many
@example(["字" * EXCEL_CELL_LIMIT, "字" * (EXCEL_CELL_LIMIT + 1)])
def test_any_text_is_written_as_a_text_cell_and_reads_back(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("cells") / "cells.xlsx"
    book = Workbook()
    for row, value in enumerate(values, start=1):
        put(book.active, row, 1, value)
    book.save(path)
    assert_no_formula_anywhere(path)
    sheet = load_workbook(path).active
    for row, value in enumerate(values, start=1):
        cell = sheet.cell(row, 1)
        got = "" if cell.value is None else cell.value
        assert cell.data_type == "s" or got == ""
        assert_cell_holds(got, value)


def test_a_text_over_the_cell_limit_is_cut_visibly_never_silently():
    text = "开头" + "字" * EXCEL_CELL_LIMIT
    cut, was_cut = cell_text(text)
    assert was_cut and cut.endswith(TRUNCATED_MARK) and len(cut) == EXCEL_CELL_LIMIT
    assert cell_text("字" * EXCEL_CELL_LIMIT) == ("字" * EXCEL_CELL_LIMIT, False)  # exactly at the limit: whole
    emoji, was_cut = cell_text("😀" * 20_000)  # 40,000 UTF-16 units; never half a pair
    assert was_cut and len(emoji.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert set(emoji[: -len(TRUNCATED_MARK)]) == {"😀"}


def test_the_submission_template_has_no_formula_cell(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    assert_no_formula_anywhere(path)
    book = load_workbook(path)
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    # the dropdowns are data validations (their own <formula1>), not formula cells
    assert book["案例"].data_validations.dataValidation


def test_a_text_that_looks_like_a_formula_keeps_excels_quote_prefix(tmp_path):
    path = tmp_path / "q.xlsx"
    book = Workbook()
    put(book.active, 1, 1, "=1+1")
    put(book.active, 2, 1, "一段文字")
    book.save(path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "=1+1" and sheet["A1"].quotePrefix  # stays text when edited in Excel
    assert not sheet["A2"].quotePrefix


# --- whole exports: entries of every kind with hostile text -----------------------------------

REF = reference()
MEETING = next(iter(REF.meeting_kind)).key


def collection_with(texts_: list[str], long_text: str | None):
    """A collection of one case, one competition site and one milestone whose every free text is
    hostile (no loader in between: what the loader would have cleaned is still there)."""
    from generator.collection import Collection

    t = [model_text(x) for x in texts_]
    body = long_text if long_text is not None else t[5]
    document = Document.model_validate({"id": "hostile-doc", "number": t[7], "title": {"zh": t[8], "en": t[9]}})
    case = Case.model_validate({
        "id": "changning-hostile", "title": {"zh": t[0], "en": t[1]}, "district": "changning", "street": {"zh": t[2]},
        "year": 2024, "types": ["renminfang"], "address": {"zh": t[3], "en": t[4]}, "summary": {"zh": t[6], "en": t[0]},
        "body": {"zh": model_text(body)}, "sources": [{"document": "hostile-doc", "section": t[10]}],
        "participation": [{"kind": MEETING, "summary": {"zh": t[11]}}],
        "media": [{"file": t[12], "alt": {"zh": t[13]}, "caption": {"zh": t[14]}}],
    })
    site = CompetitionSite.model_validate({
        "id": "xuhui-hostile-site", "year": 2024, "number": 1, "district": "xuhui", "street": {"zh": t[2]},
        "name": {"zh": t[1], "en": t[0]}, "construction": "new", "floor_area_m2": 1200, "summary": {"zh": t[5]}})
    milestone = Milestone.model_validate({"id": "hostile-milestone", "date": "2024-04", "title": {"zh": t[3]}, "body": {"zh": t[4]}})
    collection = Collection(root=ROOT / "cases", reference=REF, cases={case.id: case}, sites={site.id: site},
                            milestones={milestone.id: milestone}, documents={document.id: document})
    return collection, case, site, milestone


def kept(text: str) -> str:
    """A hostile text as the model holds it (stripped), as exports carry it."""
    return model_text(text).strip()


@settings(max_examples=scaled(40), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(texts, min_size=15, max_size=15), st.one_of(st.none(), long_texts))
@example(['=HYPERLINK("http://x/?"&A1,"click")', "=1+1", "=1+1", "#N/A", "@x", "<b>b</b>", "-2+3", "+1", "{{ 7*7 }}",
          "\x0b", "a\x1bb", "\ud800x", "=x.jpg", "\x0c", "=2"], None)
def test_every_text_of_every_kind_reads_back_from_xlsx_csv_json(tmp_path_factory, texts_, long_text):
    collection, case, site, milestone = collection_with(texts_, long_text)
    job = ExportJob(collection, [case], "both", as_of="2024-01-01")
    out = tmp_path_factory.mktemp("export")

    # XLSX: written at all, no formula or error cell, every text back as written
    write_xlsx(job, out / "entries.xlsx")
    assert_no_formula_anywhere(out / "entries.xlsx")
    book = load_workbook(out / "entries.xlsx")
    rows = {ws.title: {str(c.value).split("\n")[1]: c.column for c in ws[1]} for ws in book.worksheets}
    cases, sites, milestones = book["案例"], book["人民坊"], book["大事记"]

    def cell(ws, header):
        value = ws.cell(2, rows[ws.title][header]).value
        return "" if value is None else value

    for header, text in (("Title", case.title.zh), ("Title (English)", case.title.en), ("Sub-district/town", case.street.zh),
                         ("Address", case.address.zh), ("Address (English)", case.address.en),
                         ("Summary", case.summary.zh), ("Summary (English)", case.summary.en), ("Text", case.body.zh)):
        assert_cell_holds(cell(cases, header), text)
        assert cases.cell(2, rows["案例"][header]).data_type == "s" or not readable(text)
    assert_cell_holds(cell(cases, "Participation"), f"{REF.meeting_kind[MEETING].zh} {case.participation[0].summary.zh}")
    assert_cell_holds(cell(cases, "Media files"), case.media[0].file)
    assert_cell_holds(cell(cases, "Sources"), collection.documents["hostile-doc"].title.zh + f"（{case.sources[0].section}）"
                      if case.sources[0].section else collection.documents["hostile-doc"].title.zh)
    for header, text in (("Project name", site.name.zh), ("Project name (English)", site.name.en),
                         ("Sub-district/town", site.street.zh), ("Summary", site.summary.zh)):
        assert_cell_holds(cell(sites, header), text)
    for header, text in (("Title", milestone.title.zh), ("Text", milestone.body.zh)):
        assert_cell_holds(cell(milestones, header), text)

    # CSV: written, read back with Python's csv; a formula-like start carries the ' guard
    files = csv_files(job)
    table = list(csv.reader(io.StringIO(files["cases.csv"].lstrip("\ufeff"))))
    title = table[1][table[0].index("案例名称 / Title")]
    wanted = readable(case.title.zh)
    assert title == ("'" + wanted if wanted.startswith(("=", "+", "-", "@", "\t", "\r")) else wanted)
    for name, text in files.items():
        text.encode("utf-8")  # a lone surrogate would make the file unwritable
        for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
            assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row), (name, row)

    # JSON and GeoJSON: written, parse, the texts as text
    write_json(job, out / "entries.json")
    data = json.loads((out / "entries.json").read_text(encoding="utf-8"))
    assert data["cases"][0]["title"]["zh"] == readable(case.title.zh)
    assert data["competition_sites"][0]["name"]["zh"] == readable(site.name.zh)
    assert entries_json(job)["cases"][0]["title"]["zh"] == case.title.zh  # the data itself is untouched
    write_geojson(job, out / "entries.geojson")
    json.loads((out / "entries.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def strings():
    from generator.render.pages import Strings

    return Strings(ROOT / "site_templates" / "strings.yaml")


@settings(max_examples=scaled(15), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=15, max_size=15))
@example(["a\x0bb", "\x1b[31m", "\ud800", "\ufffe", "x\x00y", "<b>b</b>", "{{ 7*7 }}", "=1+1", "-", "\x7f", "\x85",
          "c", "=x.jpg", "d", "e"])
def test_docx_is_written_and_carries_every_text_as_text(tmp_path_factory, strings, texts_):
    import docx

    from generator.export.docx import write_docx

    collection, case, _site, _milestone = collection_with(texts_, None)
    job = ExportJob(collection, [case], "both", as_of="2024-01-01")
    out = tmp_path_factory.mktemp("docx") / "book.docx"
    write_docx(job, out, strings)
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    heading = next(p.text for p in document.paragraphs if p.style.name == "Heading 1")

    def shown(text: str) -> str:  # python-docx reads a line break back as \n, Word's own way
        return readable(text).replace("\r", "\n")

    assert heading == " / ".join(dict.fromkeys(shown(x) for x in (case.title.zh, case.title.en)))
    assert any(p == shown(case.summary.zh) for p in paragraphs), case.summary.zh
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert shown(case.street.zh) in " ".join(cells)
