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


def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(template, content):
    fill(template, {"案例": [CASE_ROW, {**CASE_ROW, "Title": "第二个", "District": "浦东新"}]})
    result = showcase("import", str(template), "--content", str(content), "--skip-invalid", lang="en")
    assert result.returncode == 1  # something was skipped
    assert "skipped 1 row(s) with errors: 案例!3" in result.stdout
    assert (content / "excellent" / "xuhui-tianlinshiercunmulinzhongxin.yaml").is_file()
    assert not list(content.glob("excellent/pudong-*.yaml"))


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
