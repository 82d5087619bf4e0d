"""`showcase check`: every error class of the content model and the editorial warnings, with file,
line and field, in both languages; exit codes 0 / 1 / 2; JSON for machines."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from tests.cli.helpers import check_json, showcase
from tests.helpers import copy_content

GOOD_CASE = """\
id: {id}
title: {{zh: 测试案例, en: Test case}}
district: 长宁区
year: 2024
types: [人民坊]
location: {{lat: 31.2196, lon: 121.4242}}
summary: {{zh: 摘要。, en: Summary.}}
media:
  - {{file: photo.jpg, alt: {{zh: 照片, en: Photo}}}}
"""

# (file name, text, code, line, field): one entry per error class the content model knows
BROKEN = [
    ("syntax.yaml", "id: syntax\ntitle: [unclosed\n", "yaml_syntax", 2, None),
    ("tabs.yaml", "id: tabs\ntitle:\n\tzh: 标题\n", "yaml_syntax", 3, None),
    ("dupkey.yaml", GOOD_CASE.format(id="dupkey") + "year: 2025\n", "duplicate_key", 10, None),
    ("unknown-field.yaml", GOOD_CASE.format(id="unknown-field").replace("year:", "yaer:"), "unknown_field", 4, "yaer"),
    ("missing-field.yaml", GOOD_CASE.format(id="missing-field").replace("year: 2024\n", ""), "missing_field", None, "year"),
    ("bad-district.yaml", GOOD_CASE.format(id="bad-district").replace("长宁区", "浦东新"), "unknown_district", 3, "district"),
    ("bad-service.yaml", GOOD_CASE.format(id="bad-service").replace("types: [人民坊]", "types: [人民坊]\nservices: [党群服务, 食堂服务]"), "unknown_service", 6, "services[2]"),
    ("bad-date.yaml", GOOD_CASE.format(id="bad-date").replace("year: 2024", "year: 2024\ncompleted: 2024-13"), "invalid_date", 5, "completed"),
    ("outside.yaml", GOOD_CASE.format(id="outside").replace("lat: 31.2196, lon: 121.4242", "lat: 121.4242, lon: 31.2196"), "outside_shanghai", 6, "location"),
    ("bad-id.yaml", GOOD_CASE.format(id="Bad_ID"), "invalid_id", 1, "id"),
    ("empty.yaml", GOOD_CASE.format(id="empty").replace("{zh: 测试案例, en: Test case}", '""'), "empty_value", 2, "title.zh"),
    ("wrong-type.yaml", GOOD_CASE.format(id="wrong-type").replace("year: 2024", "year: 二〇二四"), "wrong_type", 4, "year"),
    ("range.yaml", GOOD_CASE.format(id="range").replace("year: 2024", "year: 2024\nfloor_area_m2: -5"), "out_of_range", 5, "floor_area_m2"),
    ("media-missing.yaml", GOOD_CASE.format(id="media-missing").replace("photo.jpg", "phot.jpg"), "media_missing", 9, "media[1].file"),
    ("media-outside.yaml", GOOD_CASE.format(id="media-outside").replace("photo.jpg", "../../../etc/passwd"), "media_outside", 9, "media[1].file"),
]


def _case(content: Path, name: str, text: str, photo: bool = True) -> Path:
    path = content / "excellent" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    if photo:
        folder = path.with_suffix("")
        folder.mkdir(exist_ok=True)
        Image.new("RGB", (1600, 1000), (120, 140, 160)).save(folder / "photo.jpg")
    return path


@pytest.fixture(scope="module")
def broken_content(tmp_path_factory) -> Path:
    content = copy_content(tmp_path_factory.mktemp("broken"))
    for name, text, *_ in BROKEN:
        _case(content, name, text)
    _case(content, "dup-a.yaml", GOOD_CASE.format(id="same-id"))
    _case(content, "dup-b.yaml", GOOD_CASE.format(id="same-id"))
    site = (content / "competition" / "2024-04-huayang.yaml")
    site.write_text(site.read_text(encoding="utf-8").replace("case: changning-huayang-renminfang", "case: changning-huayang-renminfan"), encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def broken_report(broken_content) -> dict:
    code, report = check_json(broken_content)
    assert code == 1
    return report


@pytest.mark.parametrize("name, text, code, line, field", BROKEN, ids=[b[0] for b in BROKEN])
def test_every_error_class_names_file_line_and_field(broken_report, name, text, code, line, field):
    found = [d for d in broken_report["diagnostics"] if d["file"].endswith(f"excellent/{name}")]
    assert any(d["code"] == code for d in found), f"{name}: {[d['code'] for d in found]}"
    hit = next(d for d in found if d["code"] == code)
    assert hit["severity"] == "error"
    if line is not None:
        assert hit["line"] == line, hit
    if field is not None:
        assert hit["field"] == field, hit
    assert hit["message"]["zh"] and hit["message"]["en"] and hit["message"]["zh"] != hit["message"]["en"]


def test_cross_file_errors(broken_report):
    codes = {(d["code"], Path(d["file"]).name) for d in broken_report["diagnostics"]}
    assert ("duplicate_id", "dup-b.yaml") in codes
    assert ("unknown_reference", "2024-04-huayang.yaml") in codes
    hit = next(d for d in broken_report["diagnostics"] if d["code"] == "unknown_reference")
    assert "changning-huayang-renminfang" in hit["hint"]["en"]  # did you mean …


@pytest.mark.parametrize("lang, expected", [
    ("zh", "bad-district.yaml:3: district: '浦东新' 不是上海的区；您是不是要写 浦东新区 (pudong)？"),
    ("en", "bad-district.yaml:3: district: '浦东新' is not a Shanghai district; did you mean 浦东新区 (pudong)?"),
])
def test_text_output_in_the_users_language(broken_content, lang, expected):
    result = showcase("check", "--content", str(broken_content), lang=lang)
    assert result.returncode == 1
    assert expected in result.stdout
    assert ("检查未通过" if lang == "zh" else "check failed") in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_checking_one_file_reports_only_that_file(broken_content):
    code, report = check_json(broken_content, str(broken_content / "excellent" / "bad-date.yaml"))
    assert code == 1
    assert {Path(d["file"]).name for d in report["diagnostics"]} == {"bad-date.yaml"}
    code, report = check_json(broken_content, str(broken_content / "competition"))
    assert code == 1  # the broken case link
    assert all("/competition/" in d["file"] for d in report["diagnostics"])


def test_sample_content_passes_with_its_known_warnings():
    from tests.helpers import ROOT
    code, report = check_json(ROOT / "cases")
    assert code == 0, [d for d in report["diagnostics"] if d["severity"] == "error"]
    codes = [d["code"] for d in report["diagnostics"]]
    # Annex 1's printed 六艺亭 totals, kept as printed: one note, not a warning
    notes = [d for d in report["diagnostics"] if d["code"] == "total_mismatch"]
    assert [(d["severity"], d["field"]) for d in notes] == [("info", "totals")]
    assert "54" in notes[0]["message"]["en"] and "46" in notes[0]["message"]["en"]
    assert report["summary"]["notes"] == 1
    assert all(d["severity"] == "warning" for d in report["diagnostics"] if d["code"] != "total_mismatch"), \
        "only the totals are a note"
    assert "missing_english" in codes
    assert report["summary"]["errors"] == 0


def test_editorial_warnings(tmp_path):
    content = copy_content(tmp_path)
    # no English, no alt text, a photo too small, a point in the wrong district, no photo at all
    _case(content, "editorial.yaml", """\
        id: editorial
        title: 只有中文
        district: 长宁区
        year: 2024
        types: [人民坊]
        location: {lat: 31.2304, lon: 121.4737}
        summary: 摘要。
        media:
          - {file: small.jpg}
        """, photo=False)
    folder = content / "excellent" / "editorial"
    folder.mkdir()
    Image.new("RGB", (640, 480), (10, 20, 30)).save(folder / "small.jpg")
    _case(content, "no-photo.yaml", GOOD_CASE.format(id="no-photo").replace(
        "media:\n  - {file: photo.jpg, alt: {zh: 照片, en: Photo}}\n", ""), photo=False)

    code, report = check_json(content, str(content / "excellent"))
    assert code == 0  # warnings only
    mine = [d for d in report["diagnostics"] if Path(d["file"]).name == "editorial.yaml"]
    by_code = {d["code"]: d for d in mine}
    assert {d["field"] for d in mine if d["code"] == "missing_english"} == {"title", "summary"}
    assert by_code["missing_english"]["line"] in (2, 7)
    assert by_code["missing_alt"]["field"] == "media[1]" and by_code["missing_alt"]["line"] == 9
    assert by_code["image_too_small"]["line"] == 9 and "640" in by_code["image_too_small"]["message"]["en"]
    outside = by_code["outside_district"]
    assert outside["line"] == 6
    assert "Huangpu" in outside["message"]["en"] and "黄浦区" in outside["message"]["zh"]  # People's Square
    assert " km " in outside["message"]["en"]
    no_photo = [d for d in report["diagnostics"] if Path(d["file"]).name == "no-photo.yaml" and d["code"] == "no_photo"]
    assert no_photo and "no photo" in no_photo[0]["message"]["en"]
    assert all(d["severity"] == "warning" for d in mine)


def test_unreadable_image_is_an_error(tmp_path):
    content = copy_content(tmp_path)
    path = _case(content, "truncated.yaml", GOOD_CASE.format(id="truncated"))
    (path.with_suffix("") / "photo.jpg").write_bytes(b"not an image at all")
    code, report = check_json(content, str(path))
    assert code == 1
    hit = next(d for d in report["diagnostics"] if d["code"] == "media_unreadable")
    assert hit["line"] == 9 and hit["field"] == "media[1].file"


def test_errors_only(broken_content):
    result = showcase("check", "--content", str(broken_content), "--errors-only", "--format", "json", lang="en")
    report = json.loads(result.stdout)
    assert report["diagnostics"] and all(d["severity"] == "error" for d in report["diagnostics"])


def test_a_text_too_long_for_a_spreadsheet_cell_is_a_warning(tmp_path):
    """entries.xlsx cuts a text past Excel's 32,767-character cell (and marks the cut): check says so."""
    content = copy_content(tmp_path)
    body = "长" * 20_000 + "🏙" * 7_000  # 34,000 characters as Excel counts them (an emoji is two)
    path = _case(content, "long.yaml", GOOD_CASE.format(id="long") + f"body: {{zh: {body}}}\n")
    code, report = check_json(content, str(path))
    assert code == 0
    (hit,) = [d for d in report["diagnostics"] if d["code"] == "too_long_for_a_cell"]
    assert (hit["line"], hit["field"]) == (10, "body.zh") and "32767" in hit["message"]["en"]
    short = _case(content, "short.yaml", GOOD_CASE.format(id="short") + f"body: {{zh: {'长' * 30_000}}}\n")
    assert not [d for d in check_json(content, str(short))[1]["diagnostics"] if d["code"] == "too_long_for_a_cell"]


def test_an_exhibition_image_without_alt_text_is_a_warning(tmp_path):
    content = copy_content(tmp_path)
    path = content / "exhibitions" / "2024-excellent-cases.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    alt:")
    end = text.index("\n", text.index("en:", start)) + 1  # the alt block: zh and en lines
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    code, report = check_json(content, str(path))
    assert code == 0
    (hit,) = [d for d in report["diagnostics"] if d["code"] == "missing_alt"]
    assert hit["field"].startswith("media[") and hit["line"]


def test_a_missing_file_is_one_error_in_the_readers_words(tmp_path):
    """A photo, a video and its poster that are not there: each said once (load_collection says
    it; the media review that reads files after it says nothing more), without Python's
    "[Errno 2] No such file or directory: '/abs/path'"."""
    content = copy_content(tmp_path)
    _case(content, "absent.yaml", GOOD_CASE.format(id="absent").replace(
        "media:\n", "media:\n  - {kind: video, file: 介绍.mp4, poster: 封面.jpg, caption: 介绍}\n"
                    "  - {file: 改造后.jpg, alt: 照片}\n"))
    exhibition = next((content / "exhibitions").glob("*.yaml"))
    cover = next(exhibition.with_suffix("").glob("*.jpg"))
    cover.unlink()
    code, report = check_json(content, lang="zh")
    assert code == 1
    missing = [(d["file"], d["field"], d["code"]) for d in report["diagnostics"] if d["severity"] == "error"]
    assert len(missing) == len(set(missing)) == 4, missing  # 介绍.mp4, 封面.jpg, 改造后.jpg, the exhibition's cover
    assert {code for *_, code in missing} == {"media_missing"}
    for lang in ("zh", "en"):
        result = showcase("check", "--content", str(content), lang=lang)
        # the content lies outside the project, so each line starts with its file's full path: the
        # messages after it hold none
        messages = [re.sub(r"^\s*\S+ \S+?\.yaml(:\d+)?: ", "", line) for line in result.stdout.splitlines()
                    if re.match(r"\s*(错误|error) ", line)]
        assert len(messages) == 4 * 2  # each error in both languages
        for word in ("Errno", "No such file", str(tmp_path)):
            assert not any(word in message for message in messages), (word, result.stdout)


def test_an_unreadable_photo_is_said_without_errno(tmp_path, monkeypatch):
    """The system refusing a file (permissions, a disk error) is said in the reader's language,
    once, without errno's English or the absolute path."""
    import errno

    from generator import media
    from generator.collection import load_collection
    from generator.editorial import review
    from generator.media.images import ImageProblem, inspect_image

    content = copy_content(tmp_path)
    _case(content, "locked.yaml", GOOD_CASE.format(id="locked"))

    def refuse(self, original):
        raise PermissionError(errno.EACCES, "Permission denied", str(original))

    monkeypatch.setattr(media._DigestIndex, "digest", refuse)
    collection, found = load_collection(content, display_root=tmp_path)
    assert collection is not None
    problems = [d for d in review(collection) if d.is_error and d.file.endswith("locked.yaml")]
    assert [d.field for d in problems] == ["media[1].file"], [d.format("en") for d in problems]
    text = problems[0].report("zh")
    for word in ("Permission denied", "Errno", str(tmp_path)):
        assert word not in text, text
    assert "没有读写权限" in text and "permission denied" in text

    # the decoder says the same of a path that is no file
    try:
        inspect_image(tmp_path)
    except ImageProblem as problem:
        assert problem.zh == "无法读取：这是一个文件夹，不是文件" and "Is a directory" not in problem.en
    else:
        raise AssertionError("a folder was read as an image")


def test_a_file_the_system_refuses_is_not_an_internal_error(tmp_path):
    """An OSError at the command line (an output folder that cannot be made) is the user's to fix:
    exit 1, a plain sentence, no errno, not 'internal error'."""
    for lang in ("zh", "en"):
        result = showcase("export", "csv", "-o", "/proc/showcase-cannot-be-made", lang=lang)
        assert result.returncode == 1, result.stderr
        assert "Errno" not in result.stderr and "INTERNAL" not in result.stderr, result.stderr
        assert ("错误：" if lang == "zh" else "Error: ") in result.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_and_the_build_say_the_same(tmp_path, lang):
    """One rule for both (Diagnostic.report): the reader's language first, an error also in the
    other language on the next, indented line; the build's log carries the same text."""
    content = copy_content(tmp_path)
    case = next((content / "excellent").glob("*.yaml"))
    case.write_text(re.sub(r"(?m)^district: .*$", "district: 长林", case.read_text(encoding="utf-8")), encoding="utf-8")
    checked = showcase("check", "--content", str(content), lang=lang)
    built = showcase("build", "-d", str(tmp_path / "site"), "--content", str(content), lang=lang)
    assert checked.returncode == 1 and built.returncode == 1
    first, other = ("错误", "error") if lang == "zh" else ("error", "错误")
    lines = checked.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{first} ") and "district" in line)
    said = lines[start:start + 2]
    assert "长林" in said[0] and said[1].startswith(f"    {other} "), said
    assert (" is not a Shanghai district" in said[0]) == (lang == "en"), said
    log = [re.sub(r"^(ERROR|WARNING|INFO)\s+-\s+", "", line) for line in built.stderr.splitlines()]
    assert any(log[i:i + 2] == said for i in range(len(log))), (said, built.stderr[-3000:])
    # the printed totals: a note in both, in the reader's language only
    note = next(line for line in lines if "totals" in line)
    assert note.startswith("说明 " if lang == "zh" else "note ") and note in log
