"""`showcase template xlsx` and `showcase import`: the spreadsheet districts send, read back with
openpyxl; bad rows are named by sheet!cell and column and nothing is written; --update changes only
the filled cells and keeps comments."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from openpyxl.utils import get_column_letter
from PIL import Image

from tests.cli.helpers import check_json, showcase, tree_digest
from tests.helpers import build, copy_content, page_file


@pytest.fixture()
def content(tmp_path):
    return copy_content(tmp_path)


@pytest.fixture()
def template(tmp_path) -> Path:
    path = tmp_path / "submission" / "报送表.xlsx"
    result = showcase("template", "xlsx", str(path), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    return path


def header_columns(sheet) -> dict[str, int]:
    """English header (second line, without the * of required columns) -> column number."""
    return {str(c.value).splitlines()[-1].rstrip(" *"): c.column for c in sheet[1] if c.value}


def test_template_opens_with_openpyxl_and_carries_its_dropdowns(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames[:5] == ["说明", "案例", "人民坊", "大事记", "媒体"]
    assert book["选项"].sheet_state == "hidden"
    assert "How to fill it in" in " ".join(str(c.value) for c in book["说明"]["A"] if c.value)
    cases = book["案例"]
    columns = header_columns(cases)
    assert cases.cell(1, columns["District"]).value == "区 *\nDistrict *"  # bilingual header, required marked
    assert cases.freeze_panes == "B2"
    rules = {str(rule.sqref).split(":")[0]: rule for rule in cases.data_validations.dataValidation}
    lists = book["选项"]

    def options(header: str) -> list[str]:
        rule = rules[f"{get_column_letter(columns[header])}2"]
        assert rule.type == "list"
        ref = rule.formula1.lstrip("=").split("!")[1].replace("$", "")
        return [c.value for row in lists[ref] for c in row]

    assert options("District")[:2] == ["浦东新区", "黄浦区"] and len(options("District")) == 16
    assert "为老服务" in options("Service 1") and len(options("Service 1")) == 20
    assert "人民坊" in options("Case type 1")
    assert options("Construction") == ["新建", "改造更新"]
    assert "运营中" in options("Status")
    for sheet in ("人民坊", "媒体"):
        assert book[sheet].data_validations.dataValidation, sheet
    # an example row under the headers of every sheet
    for sheet in ("案例", "人民坊", "大事记", "媒体"):
        assert book[sheet].cell(2, 2).value, sheet


def test_template_never_overwrites(template):
    before = template.read_bytes()
    result = showcase("template", "xlsx", str(template), lang="en")
    assert result.returncode == 1 and "already exists" in result.stdout
    assert template.read_bytes() == before


def test_the_untouched_template_imports_and_builds(template, content, tmp_path):
    dry = showcase("import", str(template), "--content", str(content), "--dry-run", lang="en")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "dry run: nothing was written" in dry.stdout and "looks like the template's example row" in dry.stdout
    before = tree_digest(content)
    assert tree_digest(content) == before

    result = showcase("import", str(template), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    created = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.yaml") if "示例" in p.read_text(encoding="utf-8") and "imported by" in p.read_text(encoding="utf-8"))
    assert len(created) == 3, created
    case = next(content.glob("excellent/changning-shili-*.yaml"))
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    assert data["district"] == "changning" and data["services"] == ["elderly-care", "daily-services"]
    assert data["media"][0]["file"] == "示例照片.jpg" and (case.with_suffix("") / "示例照片.jpg").is_file()
    code, report = check_json(content)
    assert code == 0, [d for d in report["diagnostics"] if d["severity"] == "error"]
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    assert page_file(site, f"cases/{data['id']}/").is_file()


def fill(template: Path, rows: dict[str, list[dict[str, object]]], keep_examples: bool = False) -> Path:
    book = openpyxl.load_workbook(template)
    for sheet_name, items in rows.items():
        sheet = book[sheet_name]
        if not keep_examples:
            sheet.delete_rows(2, 1)
        columns = header_columns(sheet)
        start = sheet.max_row + 1 if keep_examples else 2
        for offset, item in enumerate(items):
            for header, value in item.items():
                sheet.cell(start + offset, columns[header], value)
    for sheet_name in ("案例", "人民坊", "大事记", "媒体"):
        if sheet_name not in rows and not keep_examples:
            book[sheet_name].delete_rows(2, 1)
    book.save(template)
    return template


CASE_ROW = {"Title": "田林十二村睦邻中心", "District": "徐汇区", "Year": 2025, "Case type 1": "社区嵌入式服务设施",
            "Service 1": "为老服务", "Service 2": "生活服务", "Summary": "一句话摘要。", "Latitude": 31.17, "Longitude": 121.43}


def test_bad_rows_are_named_and_nothing_is_written(template, content):
    fill(template, {
        "案例": [CASE_ROW,
                {**CASE_ROW, "Title": "第二个", "District": "浦东新"},
                {**CASE_ROW, "Title": "第三个", "Year": "明年", "Service 2": "食堂"}],
        "媒体": [{"Entry": "田林十二村睦邻中心", "File name": "missing.jpg", "Alt text": "照片"}],
    })
    before = tree_digest(content)
    zh = showcase("import", str(template), "--content", str(content), lang="zh")
    en = showcase("import", str(template), "--content", str(content), lang="en")
    assert zh.returncode == en.returncode == 1
    assert "案例!D3 区: '浦东新' 不是上海的区；您是不是要写 浦东新区 (pudong)？" in zh.stdout
    assert "案例!D3 District: '浦东新' is not a Shanghai district; did you mean 浦东新区 (pudong)?" in en.stdout
    assert "案例!G4 入选年份: '明年' 不是整数" in zh.stdout
    assert "案例!L4 Service 2: '食堂'" in en.stdout
    assert "媒体!B2 File name: the file 'missing.jpg' is not in" in en.stdout
    assert "nothing was written" in en.stdout and "未写入任何文件" in zh.stdout
    assert tree_digest(content) == before


def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(template, content, tmp_path):
    """--skip-invalid did what it was asked (the valid rows are written): exit 0, with every
    skipped row named, its cells and reasons, and said again at the end. A photo of a skipped
    entry is skipped with it, and says why."""
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.new("RGB", (1600, 1200), (200, 100, 50)).save(photos / "外景.jpg")
    fill(template, {"案例": [CASE_ROW, {**CASE_ROW, "Title": "第二个", "District": "浦东新", "Year": "明年"}],
                    "媒体": [{"Entry": "第二个", "File name": "外景.jpg", "Alt text": "外景"}]})
    result = showcase("import", str(template), "--content", str(content), "--media", str(photos), "--skip-invalid", lang="en")
    assert result.returncode == 0, result.stdout  # the valid rows were imported, as asked
    assert "skipped 2 row(s) with errors: 案例!3、媒体!2" in result.stdout
    assert "skipped 案例!D3 District: '浦东新' is not a Shanghai district" in result.stdout
    assert "skipped 案例!G3 Year: '明年'" in result.stdout
    assert "skipped 媒体!A2 Entry: the entry's row 案例!3 has errors and was skipped" in result.stdout
    assert "done: 1 created, 0 updated" in result.stdout
    assert result.stdout.rstrip().endswith("the rows already imported change nothing.")
    assert (content / "excellent" / "xuhui-tianlinshiercunmulinzhongxin.yaml").is_file()
    assert not list(content.glob("excellent/pudong-*.yaml"))

    # fixed, the same workbook imports again with --update: the row already imported changes nothing
    book = openpyxl.load_workbook(template)
    columns = header_columns(book["案例"])
    book["案例"].cell(3, columns["District"], "浦东新区")
    book["案例"].cell(3, columns["Year"], 2025)
    book.save(template)
    before = (content / "excellent" / "xuhui-tianlinshiercunmulinzhongxin.yaml").read_bytes()
    again = showcase("import", str(template), "--content", str(content), "--media", str(photos), "--update", lang="en")
    assert again.returncode == 0, again.stdout
    assert "done: 1 created, 0 updated" in again.stdout
    assert (content / "excellent" / "xuhui-tianlinshiercunmulinzhongxin.yaml").read_bytes() == before


def test_skip_invalid_with_no_valid_row_fails(template, content):
    fill(template, {"案例": [{**CASE_ROW, "District": "浦东新"}]})
    before = tree_digest(content)
    result = showcase("import", str(template), "--content", str(content), "--skip-invalid", lang="zh")
    assert result.returncode == 1
    assert "已跳过 1 行有错误的行：案例!2" in result.stdout and "没有导入任何行" in result.stdout
    assert tree_digest(content) == before


def test_media_come_from_the_named_folder(template, content, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.new("RGB", (1600, 1200), (200, 100, 50)).save(photos / "外景.jpg")
    fill(template, {"案例": [CASE_ROW], "媒体": [{"Entry": "田林十二村睦邻中心", "File name": "外景.jpg", "Kind": "改造后",
                                                  "Alt text": "睦邻中心外景", "Alt text (English)": "The centre from outside"}]})
    result = showcase("import", str(template), "--content", str(content), "--media", str(photos), lang="en")
    assert result.returncode == 0, result.stdout
    path = content / "excellent" / "xuhui-tianlinshiercunmulinzhongxin.yaml"
    media = yaml.safe_load(path.read_text(encoding="utf-8"))["media"]
    assert media == [{"file": "外景.jpg", "kind": "after", "alt": {"zh": "睦邻中心外景", "en": "The centre from outside"}}]
    assert (path.with_suffix("") / "外景.jpg").read_bytes() == (photos / "外景.jpg").read_bytes()


def test_existing_entries_change_only_with_update_and_only_the_filled_cells(template, content):
    path = content / "excellent" / "changning-ningjuli.yaml"
    original = path.read_text(encoding="utf-8")
    marked = original.replace("\nyear:", "\n# 编辑的注释：保留我 / an editor's comment: keep me\nyear:", 1)
    path.write_text(marked, encoding="utf-8")
    fill(template, {"案例": [{"id": "changning-ningjuli", "Title (English)": "Ningjuli (updated)", "Status": "已建成"}]})

    refused = showcase("import", str(template), "--content", str(content), lang="en")
    assert refused.returncode == 1 and "already exists" in refused.stdout and "--update" in refused.stdout
    assert path.read_text(encoding="utf-8") == marked

    dry = showcase("import", str(template), "--content", str(content), "--update", "--dry-run", lang="en")
    assert dry.returncode == 0, dry.stdout
    assert "+  en: Ningjuli (updated)" in dry.stdout and path.read_text(encoding="utf-8") == marked

    result = showcase("import", str(template), "--content", str(content), "--update", lang="en")
    assert result.returncode == 0, result.stdout
    after = path.read_text(encoding="utf-8")
    assert "# 编辑的注释：保留我 / an editor's comment: keep me" in after
    changed = [line for line in after.splitlines() if line not in marked.splitlines()]
    assert changed == ["  en: Ningjuli (updated)", "status: completed"] or sorted(changed) == sorted(
        ["  en: Ningjuli (updated)", "status: completed"]), changed
    removed = [line for line in marked.splitlines() if line not in after.splitlines()]
    assert len(removed) == 2, removed
    code, _ = check_json(content, str(path))
    assert code == 0


def test_a_file_that_is_not_a_workbook(tmp_path, content):
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("just text", encoding="utf-8")
    result = showcase("import", str(bogus), "--content", str(content), lang="en")
    assert result.returncode == 1
    assert "cannot open it as an Excel workbook" in result.stdout and "Traceback" not in result.stdout + result.stderr


def test_coordinates_from_a_chinese_map_app_are_marked_and_converted(template, content):
    from generator import geo
    from generator.content.models import Location

    glat, glon = geo.wgs84_to_gcj02(31.17, 121.43)
    fill(template, {"案例": [{**CASE_ROW, "Latitude": round(glat, 6), "Longitude": round(glon, 6), "Datum": "GCJ-02"}]})
    result = showcase("import", str(template), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout
    data = yaml.safe_load((content / "excellent" / "xuhui-tianlinshiercunmulinzhongxin.yaml").read_text(encoding="utf-8"))
    assert data["location"]["datum"] == "GCJ-02"  # the numbers as the district sent them, marked
    location = Location.model_validate(data["location"])
    assert abs(location.lat - 31.17) < 1e-5 and abs(location.lon - 121.43) < 1e-5


# --- the round trip: what `export xlsx` writes, `import --update` reads back without a change ---------

def export_workbook(content: Path, out: Path) -> Path:
    result = showcase("export", "xlsx", "-o", str(out), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "entries.xlsx"


def files_of(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def assert_import_changes_nothing(workbook: Path, content: Path) -> None:
    """`import --update --dry-run` proposes nothing, and `import --update` leaves every file under
    the content folder byte for byte as it was."""
    before = files_of(content)
    dry = showcase("import", str(workbook), "--content", str(content), "--update", "--dry-run", lang="en")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    proposed = [line for line in dry.stdout.splitlines() if line.startswith(("update ", "create ", "+", "-"))]
    assert not proposed, "\n".join(proposed[:40])
    assert "note:" not in dry.stdout  # no unknown column, no example row
    result = showcase("import", str(workbook), "--content", str(content), "--update", lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "done: 0 created, 0 updated" in result.stdout, result.stdout[-3000:]
    after = files_of(content)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, changed


def test_importing_the_exported_workbook_changes_no_file(content, tmp_path):
    """Issue 14, finding 7: `award: 区级` came back as `district`, `date: 2014` as '2014',
    `illustrative: false` was added to 30 of the 39 sample files, one-line bodies `|` became `|-`."""
    assert_import_changes_nothing(export_workbook(content, tmp_path / "exported"), content)


def spell_differently(content: Path) -> None:
    """The sample content with values written as staff write them: aliases, other date forms and
    quoting, defaults left out or written out, a point in GCJ-02, spaces the build strips."""
    def edit(name: str, old: str, new: str) -> None:
        path = content / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("excellent/changning-ningjuli.yaml", "district: changning\n", "district: 长宁  # 长宁区\n")
    edit("excellent/changning-ningjuli.yaml", "types: [party-service-centre]\n",
         "award: 区级\ntypes: [党群服务中心]\ncompleted: 2024年6月\n")
    edit("excellent/changning-ningjuli.yaml", "elderly-care", "养老服务")
    edit("excellent/changning-beixinjing-eke.yaml", "types: [digital-service]\n",
         "award: '市级'\ntypes: [digital-service]\ncompleted: \"2024-06-01\"\nsite_area_m2: 1200.0\n")
    edit("excellent/changning-beixinjing-eke.yaml", 'note: {zh: 街道/镇级近似位置, en: "Approximate, street/town level"}',
         "note: 街道/镇级近似位置")
    edit("excellent/changning-beixinjing-eke.yaml", "approximate: true\n", "approximate: yes\n")
    edit("competition/2024-07-jiangwan.yaml", "  zh: 江湾镇街道\n", "  zh: \"江湾镇街道  \"\n")
    edit("competition/2024-07-jiangwan.yaml", "floor_area_m2: 3800\n", "floor_area_m2: 3800.0\nillustrative: false\n")
    from generator import geo

    glat, glon = geo.wgs84_to_gcj02(31.283, 121.477)
    edit("competition/2024-07-jiangwan.yaml", "  lat: 31.283\n  lon: 121.477\n",
         f"  lat: {glat:.6f}\n  lon: {glon:.6f}\n  datum: gcj02  # 高德地图\n")
    edit("milestones/2023-05-19-chongming-action-plan.yaml", "date: 2023-05-19\n", 'date: "2023-05-19"\n')
    edit("milestones/2021-08-changning-full-coverage-planning.yaml", "date: 2021-08\n", "date: 2021年8月\n")
    edit("milestones/2014-concept-first-proposed.yaml", "date: 2014\n", "date: '2014'\n")


def test_importing_the_exported_workbook_keeps_each_files_own_spelling(content, tmp_path):
    """A cell that means what the file says leaves the file's spelling: an alias that resolves to
    the cell's key, a date in another form or quoting, a default written out or left out."""
    spell_differently(content)
    code, report = check_json(content)
    assert code == 0, [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert_import_changes_nothing(export_workbook(content, tmp_path / "exported"), content)


def test_the_sites_downloads_workbook_imports_without_a_change(sample_site, content):
    """The workbook the build publishes on /downloads/ (absolute page addresses when site_url is
    set; here as the sample site is built) reads back the same way."""
    workbook = sample_site / "downloads" / "entries.xlsx"
    assert workbook.is_file()
    assert_import_changes_nothing(workbook, content)


def test_a_downloads_workbook_with_absolute_page_addresses_imports_without_a_change(content, tmp_path):
    from generator.collection import load_collection
    from generator.export import ExportJob, Selection, select_cases
    from generator.export.data import write_xlsx

    spell_differently(content)
    collection, diagnostics = load_collection(content, display_root=tmp_path)
    assert collection is not None, [d.format("en") for d in diagnostics.errors]
    job = ExportJob(collection, select_cases(collection, Selection()), "both", selection=Selection(),
                    site_url="https://example.org/showcase/")
    workbook = write_xlsx(job, tmp_path / "downloads" / "entries.xlsx")
    assert_import_changes_nothing(workbook, content)


def edit_cell(workbook: Path, sheet: str, entry_id: str, header: str, value) -> None:
    book = openpyxl.load_workbook(workbook)
    ws = book[sheet]
    columns = header_columns(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, columns["id"]).value == entry_id)
    ws.cell(row, columns[header], value)
    book.save(workbook)


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    return ([line for line in before.splitlines() if line not in after.splitlines()],
            [line for line in after.splitlines() if line not in before.splitlines()])


def test_a_changed_cell_of_an_exported_workbook_changes_only_its_line(content, tmp_path):
    spell_differently(content)
    workbook = export_workbook(content, tmp_path / "exported")
    edit_cell(workbook, "案例", "changning-ningjuli", "Award level", "市级优秀案例")
    edit_cell(workbook, "大事记", "2014-concept-first-proposed", "Title (English)", "The concept is proposed")
    ningjuli, concept = content / "excellent/changning-ningjuli.yaml", content / "milestones/2014-concept-first-proposed.yaml"
    before = {path: path.read_text(encoding="utf-8") for path in (ningjuli, concept)}
    others = {k: v for k, v in files_of(content).items() if k not in ("excellent/changning-ningjuli.yaml", "milestones/2014-concept-first-proposed.yaml")}
    result = showcase("import", str(workbook), "--content", str(content), "--update", lang="en")
    assert result.returncode == 0, result.stdout
    assert "done: 0 created, 2 updated" in result.stdout
    assert changed_lines(before[ningjuli], ningjuli.read_text(encoding="utf-8")) == (["award: 区级"], ["award: city"])
    removed, added = changed_lines(before[concept], concept.read_text(encoding="utf-8"))
    assert added == ["  en: The concept is proposed"] and len(removed) == 1 and "date: '2014'" in concept.read_text(encoding="utf-8")
    assert {k: v for k, v in files_of(content).items() if k in others} == others


def test_a_new_point_for_an_entry_stored_in_gcj02_is_stored_in_wgs84(content, tmp_path):
    """The workbook's coordinates are WGS-84 (the export converts): a changed point replaces the
    file's GCJ-02 numbers and their `datum` as a whole, never WGS-84 numbers marked GCJ-02."""
    from generator.collection import load_collection

    spell_differently(content)
    workbook = export_workbook(content, tmp_path / "exported")
    book = openpyxl.load_workbook(workbook)
    ws = book["人民坊"]
    columns = header_columns(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, columns["id"]).value == "2024-07-jiangwan")
    lon = ws.cell(row, columns["Longitude"]).value
    ws.cell(row, columns["Latitude"], 31.2851)
    book.save(workbook)
    result = showcase("import", str(workbook), "--content", str(content), "--update", lang="en")
    assert result.returncode == 0, result.stdout
    text = (content / "competition/2024-07-jiangwan.yaml").read_text(encoding="utf-8")
    assert "datum" not in text
    collection, _ = load_collection(content)
    location = collection.sites["2024-07-jiangwan"].location
    assert location.lat == 31.2851 and location.lon == lon


# --- every text the content has, the workbook has a column for ---------------------------------

def _text_fields(model, prefix: tuple = ()) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """(Text fields, other single-valued fields, list fields) of a model, as column locations;
    nested models (a location) are walked into."""
    import types
    import typing

    from pydantic import BaseModel

    from generator.content.models import Text

    texts, scalars, lists = [], [], []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        options = [a for a in typing.get_args(annotation) if a is not type(None)] \
            if typing.get_origin(annotation) in (typing.Union, types.UnionType) else [annotation]
        kind = options[0] if len(options) == 1 else None
        loc = prefix + (name,)
        if typing.get_origin(kind) is list:
            lists.append(loc)
        elif kind is Text:
            texts.append(loc)
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            inner = _text_fields(kind, loc)
            texts += inner[0]
            scalars += inner[1]
            lists += inner[2]
        else:
            scalars.append(loc)
    return texts, scalars, lists


def test_the_workbook_has_a_column_for_every_text_of_every_kind():
    """Every bilingual text of a case, site, milestone and photo has a Chinese and an English
    column (a photo's English credit had none: every imported photo got a warning that the
    workbook could not fix). Lists of sub-entries (sources, meetings) are the export's extra
    columns; photos have their own sheet."""
    from generator.authoring.sheets import CASES, EXPORT_ONLY_COLUMNS, MEDIA, MILESTONES, SITES
    from generator.content.models import Case, CompetitionSite, Media, Milestone

    # list fields that have no column, each for a reason
    elsewhere = {"media": "the 媒体 sheet", "sources": EXPORT_ONLY_COLUMNS[0], "participation": EXPORT_ONLY_COLUMNS[1],
                 "documents": "milestones cite documents in their files", "types": "columns 1, 2", "services": "columns 1–4"}
    # single values without a column: a photo's video fields and its before/after pairing are
    # written in the file (a video is not sent in a workbook); `placeholder` is the project's own
    not_in_workbook = {("url",), ("poster",), ("pair",), ("placeholder",)}
    missing = []
    for sheet, model in ((CASES, Case), (SITES, CompetitionSite), (MILESTONES, Milestone), (MEDIA, Media)):
        locs = {tuple(p for p in c.loc if p != "+") for c in sheet.columns}
        texts, scalars, lists = _text_fields(model)
        for loc in texts:
            missing += [f"{sheet.title}: {'.'.join(loc)}.{lang}" for lang in ("zh", "en") if loc + (lang,) not in locs]
        for loc in scalars:
            if loc not in locs and loc not in not_in_workbook and not (sheet is MEDIA and loc == ("kind",) and loc in locs):
                missing.append(f"{sheet.title}: {'.'.join(loc)}")
        for loc in lists:
            if loc not in locs and loc[0] not in elsewhere:
                missing.append(f"{sheet.title}: {'.'.join(loc)} (a list)")
    assert not missing, missing
    for sheet in (CASES, SITES, MILESTONES, MEDIA):
        assert all(len(example) == len(sheet.columns) for example in sheet.examples), sheet.title


def test_the_template_and_the_export_have_the_same_columns(template, content, tmp_path):
    from generator.authoring.sheets import CASES, MEDIA, MILESTONES, SITES

    book = openpyxl.load_workbook(template)
    exported = openpyxl.load_workbook(export_workbook(content, tmp_path / "exported"))
    for sheet in (CASES, SITES, MILESTONES, MEDIA):
        headers = [str(c.value).replace(" *", "") for c in book[sheet.title][1] if c.value]
        assert headers == [c.header for c in sheet.columns], sheet.title
        if sheet is not MEDIA:
            assert [c.value for c in exported[sheet.title][1]][:len(headers)] == headers, sheet.title
    assert "Credit (English)" in header_columns(book["媒体"]) and "Location note (English)" in header_columns(book["人民坊"])


def test_a_photos_english_credit_comes_from_the_workbook(template, content, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.new("RGB", (1600, 1200), (200, 100, 50)).save(photos / "外景.jpg")
    fill(template, {"案例": [CASE_ROW], "媒体": [{"Entry": "田林十二村睦邻中心", "File name": "外景.jpg", "Alt text": "睦邻中心外景",
                                                  "Alt text (English)": "The centre from outside", "Credit": "徐汇区",
                                                  "Credit (English)": "Xuhui District"}]})
    result = showcase("import", str(template), "--content", str(content), "--media", str(photos), lang="en")
    assert result.returncode == 0, result.stdout
    path = content / "excellent" / "xuhui-tianlinshiercunmulinzhongxin.yaml"
    (photo,) = yaml.safe_load(path.read_text(encoding="utf-8"))["media"]
    assert photo["credit"] == {"zh": "徐汇区", "en": "Xuhui District"}
    _code, report = check_json(content, str(path))
    assert not [d for d in report["diagnostics"] if "credit" in (d.get("field") or "")], report["diagnostics"]
