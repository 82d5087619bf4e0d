"""Odd or hostile values give a clean bilingual message with file:line:field, from `check` and from
the build alike, never a traceback; and the last good site stays (issue 13, findings 3 and 4).

One content folder holds every kind of bad value at once, so one `check` and one build prove
that both report each of them.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile

import pytest

from tests.cli.helpers import showcase, tree_digest
from tests.helpers import build, copy_content

CASE = "excellent/changning-ningjuli.yaml"

# file (under cases/) -> (edit of the sample case, the code the message has, its line, its field)
BAD = {
    "excellent/bad-date.yaml": (("status: in-operation", "status: in-operation\ncompleted: 2024-02-30"), "invalid_date", 12, "completed"),
    "excellent/bad-offset.yaml": (("status: in-operation", "status: in-operation\ncompleted: 2024-01-01T10:00:00+99:00"), "invalid_date", 12, "completed"),
    "excellent/bad-number.yaml": (("status: in-operation", "status: in-operation\nfloor_area_m2: " + "9" * 200_000), "number_too_long", 12, "floor_area_m2"),
    "excellent/bad-infinity.yaml": (("status: in-operation", "status: in-operation\nfloor_area_m2: .inf"), "finite_number", 12, "floor_area_m2"),
    "excellent/bad-deep.yaml": (("status: in-operation", "status: in-operation\naddress: " + "[" * 990 + "]" * 990), "too_deep", 12, "address[1][1]"),
    "excellent/bad-binary.yaml": (("status: in-operation", "status: in-operation\nstreet: !!binary G1szMW0="), "yaml_tag", 12, "street"),
}


def _write_bad_entries(content):
    original = (content / CASE).read_text(encoding="utf-8")
    for name, ((old, new), *_rest) in BAD.items():
        entry_id = name.split("/")[1].removesuffix(".yaml")
        text = original.replace("id: changning-ningjuli", f"id: {entry_id}").replace(old, new, 1)
        assert text.splitlines()[11].split(":")[0] in ("completed", "floor_area_m2", "address", "street"), text.splitlines()[11]
        (content / name).write_text(text, encoding="utf-8")
        shutil.copytree(content / CASE.removesuffix(".yaml"), content / name.removesuffix(".yaml"))


@pytest.fixture(scope="module")
def bad_content(tmp_path_factory):
    root = tmp_path_factory.mktemp("untrusted")
    content = copy_content(root)
    _write_bad_entries(content)
    return root, content


def test_check_reports_every_bad_value_with_file_line_and_field(bad_content):
    _root, content = bad_content
    result = showcase("check", "--content", str(content), "--format", "json", "--errors-only", lang="en")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)["diagnostics"]
    for name, (_edit, code, line, field) in BAD.items():
        found = [d for d in report if d["file"].endswith(f"cases/{name}")]
        assert [(d["code"], d["line"], d["field"]) for d in found] == [(code, line, field)], (name, found)
        (item,) = found
        assert item["message"]["zh"] and item["message"]["en"] and item["hint"]["zh"] and item["hint"]["en"]
        if name == "excellent/bad-date.yaml":  # what is wrong, not only that it is wrong (issue 14, finding 3)
            assert "2024年2月只有29天" in item["message"]["zh"] and "February 2024 has 29 days" in item["message"]["en"], item


def test_the_build_refuses_the_same_values_in_both_languages_and_keeps_the_last_good_site(bad_content, tmp_path):
    _root, content = bad_content
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site", encoding="utf-8")
    before = tree_digest(site)
    result = build(content, site, cache_dir=tmp_path / "cache")
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    for name, (_edit, _code, line, field) in BAD.items():
        # both languages, whichever way the log labels them ([错误] … / 错误 … then the indented English)
        assert re.search(rf"\[?错误\]? \S*cases/{re.escape(name)}:{line}: {re.escape(field)}: ", log), name
        assert re.search(rf"\[?error\]? \S*cases/{re.escape(name)}:{line}: {re.escape(field)}: ", log), name
    assert tree_digest(site) == before


def test_control_characters_are_removed_with_a_warning_and_every_export_is_written(tmp_path):
    """A vertical tab or an ESC pasted from Word used to pass `check` and then take the XLSX
    export, and with it the whole build, down with no file or line."""
    content = copy_content(tmp_path)
    path = content / CASE
    text = path.read_text(encoding="utf-8")
    text = text.replace("  zh: “宁聚里”党群服务中心", '  zh: "“宁聚里”\\v党群\\e[31m服务中心\\x01"', 1)
    text = text.replace("status: in-operation", "status: in-operation\naddress: 长宁\x0b区\x1b路 1 号", 1)
    path.write_text(text, encoding="utf-8")

    result = showcase("check", "--content", str(content), "--format", "json", str(path), lang="en")
    report = json.loads(result.stdout)["diagnostics"]
    found = sorted((d["line"], d["field"], d["message"]["en"]) for d in report if d["code"] == "control_characters")
    assert found == [
        (5, "title.zh", "invisible control characters were removed: U+000B (LINE TABULATION), U+001B (ESCAPE), U+0001 (CONTROL)"),
        (12, "address", "invisible control characters were removed: U+000B (LINE TABULATION), U+001B (ESCAPE)"),
    ], found
    assert result.returncode == 0, "removed characters are a warning, not an error"

    out = tmp_path / "exports"
    result = showcase("export", "xlsx", "csv", "json", "geojson", "docx", "--id", "changning-ningjuli", "-o", str(out),
                      "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(next(out.glob("*.xlsx"))).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "“宁聚里”党群[31m服务中心" in values and "长宁区路 1 号" in values
    for exported in out.iterdir():
        if exported.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(exported) as archive:
                parts = [archive.read(name) for name in archive.namelist() if name.endswith((".xml", ".rels"))]
        else:
            parts = [exported.read_bytes()]
        bad = [(exported.name, part[max(0, i - 60):i + 10]) for part in parts for c in (b"\x1b", b"\x0b", b"\x01") if (i := part.find(c)) >= 0]
        assert parts and not bad, bad
