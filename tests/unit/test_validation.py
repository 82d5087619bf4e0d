"""Every kind of bad input yields one clear diagnostic: file, line, field, both languages."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from generator.collection import load_collection

VALID_CASE = """\
id: changning-test
title:
  zh: 测试案例
  en: Test case
district: 长宁区
street: {zh: 华阳路街道, en: Huayang Road Subdistrict}
year: 2024
types: [人民坊]
services: [党群服务, 为老服务]
construction: 新建
status: 已建成
completed: 2024-05
floor_area_m2: 1915
location: {lat: 31.2196, lon: 121.4242}
summary: {zh: 一句话摘要。, en: One-line summary.}
body:
  zh: 正文。
  en: Body.
"""


def make_content(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "cases"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def check(tmp_path: Path, files: dict[str, str]):
    root = make_content(tmp_path, files)
    collection, diagnostics = load_collection(root, display_root=tmp_path)
    return collection, diagnostics.errors


def only_error(errors, code):
    matching = [e for e in errors if e.code == code]
    assert matching, f"no {code} among: " + "; ".join(e.format("en") for e in errors)
    return matching[0]


def test_valid_case_loads(tmp_path):
    collection, errors = check(tmp_path, {"excellent/changning-test.yaml": VALID_CASE})
    assert errors == []
    case = collection.cases["changning-test"]
    assert case.district == "changning"
    assert case.types == ["renminfang"] and case.services == ["party-service", "elderly-care"]
    assert case.construction == "new" and case.status == "completed"
    assert str(case.completed) == "2024-05"


@pytest.mark.parametrize("spelling", ["长宁区", "长宁", "changning", "Changning", " CHANGNING "])
def test_district_spellings_store_one_key(tmp_path, spelling):
    text = VALID_CASE.replace("district: 长宁区", f"district: '{spelling}'")
    collection, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    assert errors == [] and collection.cases["changning-test"].district == "changning"


def test_yaml_syntax_error(tmp_path):
    text = VALID_CASE.replace("year: 2024", "year: 2024\n  bad: [unclosed")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "yaml_syntax")
    assert error.file == "cases/excellent/changning-test.yaml"
    assert error.line in (8, 9)
    assert "YAML" in error.message.zh and "YAML syntax error" in error.message.en


def test_tab_indentation_gets_a_hint(tmp_path):
    text = VALID_CASE.replace("  zh: 测试案例", "\tzh: 测试案例")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "yaml_syntax")
    assert error.line == 3
    assert "Tab" in error.hint.zh and "tabs" in error.hint.en


def test_missing_required_field(tmp_path):
    text = VALID_CASE.replace("year: 2024\n", "")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "missing_field")
    assert error.field == "year"
    assert "year" in error.message.en and "年份" in error.message.zh


@pytest.mark.parametrize("field, blank", [("year", "year:"), ("district", "district:"), ("summary", "summary:")])
def test_blank_required_field_says_it_is_empty(tmp_path, field, blank):
    text = re.sub(rf"^{field}:.*$", blank, VALID_CASE, count=1, flags=re.M)
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "empty_value")
    assert error.field == field and "must not be empty" in error.message.en and "不能为空" in error.message.zh


def test_unknown_field_suggests_the_right_one(tmp_path):
    text = VALID_CASE.replace("summary:", "sumary:")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "unknown_field")
    assert (error.line, error.field) == (15, "sumary")
    assert "did you mean 'summary'" in error.hint.en and "summary" in error.hint.zh


def test_wrong_type(tmp_path):
    text = VALID_CASE.replace("floor_area_m2: 1915", "floor_area_m2: 1915平方米")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "wrong_type")
    assert (error.line, error.field) == (13, "floor_area_m2")
    assert "not a number" in error.message.en and "不是数字" in error.message.zh


def test_unknown_district_suggests_closest(tmp_path):
    text = VALID_CASE.replace("district: 长宁区", "district: 长林")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "unknown_district")
    assert error.format("en") == (
        "cases/excellent/changning-test.yaml:5: district: '长林' is not a Shanghai district; "
        "did you mean 长宁区 (changning)? full list: showcase terms district")
    assert error.format("zh").startswith("cases/excellent/changning-test.yaml:5: district: '长林' 不是上海的区")


def test_unknown_service_in_a_list_names_the_item(tmp_path):
    text = VALID_CASE.replace("services: [党群服务, 为老服务]", "services: [党群服务, 宇宙服务]")  # 养老服务 is an alias now
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "unknown_service")
    assert error.field == "services[2]" and error.line == 9


def test_duplicate_id_across_files(tmp_path):
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": VALID_CASE,
                                 "excellent/changning-test-copy.yaml": VALID_CASE})
    error = only_error(errors, "duplicate_id")
    assert error.file == "cases/excellent/changning-test.yaml" or error.file.endswith("copy.yaml")
    assert (error.line, error.field) == (1, "id")
    assert "already used by cases/excellent/" in error.message.en


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "去年", "1850"])
def test_invalid_date(tmp_path, value):
    text = VALID_CASE.replace("completed: 2024-05", f"completed: '{value}'")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "invalid_date")
    assert (error.line, error.field) == (12, "completed")
    assert "2024-04-09" in error.hint.en


def test_coordinates_outside_shanghai(tmp_path):
    text = VALID_CASE.replace("location: {lat: 31.2196, lon: 121.4242}", "location: {lat: 39.9, lon: 116.4}")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "outside_shanghai")
    assert (error.line, error.field) == (14, "location")
    assert "outside Shanghai" in error.message.en and "不在上海市范围内" in error.message.zh


def test_swapped_coordinates_are_recognised(tmp_path):
    text = VALID_CASE.replace("location: {lat: 31.2196, lon: 121.4242}", "location: {lat: 121.4242, lon: 31.2196}")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    assert "swapped" in only_error(errors, "outside_shanghai").hint.en


def test_missing_media_file_suggests_a_near_name(tmp_path):
    text = VALID_CASE + "media:\n  - file: fotot.jpg\n    kind: 照片\n"
    root = make_content(tmp_path, {"excellent/changning-test.yaml": text})
    (root / "excellent" / "changning-test").mkdir()
    (root / "excellent" / "changning-test" / "foto.jpg").write_bytes(b"x")
    _, diagnostics = load_collection(root, display_root=tmp_path)
    error = only_error(diagnostics.errors, "media_missing")
    assert (error.line, error.field) == (20, "media[1].file")
    assert "did you mean 'foto.jpg'" in error.hint.en


def test_media_outside_the_content_folder(tmp_path):
    text = VALID_CASE + "media:\n  - file: ../../../etc/passwd\n  - file: /etc/hostname\n"
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    outside = [e for e in errors if e.code == "media_outside"]
    assert [e.field for e in outside] == ["media[1].file", "media[2].file"]
    assert "outside the content folder" in outside[0].message.en


def test_symlink_leading_out_of_the_content_folder(tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"not for publication")
    text = VALID_CASE + "media:\n  - file: link.jpg\n"
    root = make_content(tmp_path, {"excellent/changning-test.yaml": text})
    (root / "excellent" / "changning-test").mkdir()
    os.symlink(secret, root / "excellent" / "changning-test" / "link.jpg")
    _, diagnostics = load_collection(root, display_root=tmp_path)
    assert only_error(diagnostics.errors, "media_outside").field == "media[1].file"


def test_all_errors_are_reported_at_once(tmp_path):
    text = (VALID_CASE.replace("district: 长宁区", "district: 长林").replace("summary:", "sumary:")
            + "media:\n  - file: missing.jpg\n")
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text,
                                 "excellent/other.yaml": "id: other\ntitle: [oops\n"})
    codes = {e.code for e in errors}
    assert {"unknown_district", "unknown_field", "missing_field", "media_missing", "yaml_syntax"} <= codes


def test_unclosed_bracket_points_at_where_it_opens(tmp_path):
    _, errors = check(tmp_path, {"excellent/x-1.yaml": "id: x-1\ntitle: [unclosed\nyear: 2024\n"})
    assert only_error(errors, "yaml_syntax").line == 2


def test_aliases_are_refused(tmp_path):
    text = "id: x-1\ntitle: &t {zh: 标题}\nsummary: *t\n"
    _, errors = check(tmp_path, {"excellent/x-1.yaml": text})
    assert only_error(errors, "yaml_alias").line == 3


def test_duplicate_key(tmp_path):
    text = VALID_CASE + "year: 2025\n"
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": text})
    error = only_error(errors, "duplicate_key")
    assert (error.line, error.field) == (19, "year") and "line 7" in error.message.en


def test_not_utf8(tmp_path):
    root = tmp_path / "cases" / "excellent"
    root.mkdir(parents=True)
    (root / "gbk.yaml").write_bytes(VALID_CASE.encode("gbk"))
    _, diagnostics = load_collection(tmp_path / "cases", display_root=tmp_path)
    assert only_error(diagnostics.errors, "not_utf8").hint.en.startswith("save it as UTF-8")


def test_unknown_case_link_from_competition_site(tmp_path):
    site = """\
    id: 2024-04-huayang
    number: 4
    district: 长宁区
    street: 华阳街道
    name: 华阳人民坊
    construction: 新建
    floor_area_m2: 1915
    case: changning-tset
    """
    _, errors = check(tmp_path, {"excellent/changning-test.yaml": VALID_CASE, "competition/2024-04-huayang.yaml": site})
    error = only_error(errors, "unknown_reference")
    assert (error.line, error.field) == (8, "case") and "did you mean 'changning-test'" in error.hint.en


def test_printed_total_differing_from_rows_is_a_note_not_a_correction(tmp_path):
    plan = """\
    id: plan-2099
    year: 2099
    title: 测试表
    rows:
      - {row: 1, district: 浦东, projects: 2, completed: 1, renminfang: 0, renminfang_completed: 0, liuyiting: 1, liuyiting_completed: 1}
      - {row: 2, district: 黄浦, projects: 3, completed: 1, renminfang: 0, renminfang_completed: 0, liuyiting: 1, liuyiting_completed: 1}
    totals: {projects: 5, completed: 2, renminfang: 0, renminfang_completed: 0, liuyiting: 1, liuyiting_completed: 2}
    """
    root = make_content(tmp_path, {"statistics/plan-2099.yaml": plan})
    collection, diagnostics = load_collection(root, display_root=tmp_path)
    assert collection is not None
    warning = [w for w in diagnostics.notes if w.code == "total_mismatch"]  # information, not a warning
    assert [(w.field, w.line) for w in warning] == [("totals.liuyiting", 7)]
    assert collection.plans["plan-2099"].totals.liuyiting == 1  # stored as printed
    assert collection.total_mismatches["plan-2099"][0].summed == 2
