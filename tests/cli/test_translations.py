"""`showcase translations`: list, export to CSV, fill, import back; comments survive; stale
English is found; rows that point outside the content folder are refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli.helpers import showcase
from tests.helpers import copy_content


@pytest.fixture()
def content(tmp_path):
    return copy_content(tmp_path)


def export(content: Path, tmp_path: Path, lang: str = "en") -> tuple[Path, list[list[str]]]:
    path = tmp_path / "to-translate.csv"
    result = showcase("translations", "--content", str(content), "-o", str(path), lang=lang)
    assert result.returncode == 0, result.stdout + result.stderr
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return path, rows


def write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_lists_missing_english_as_a_table(content):
    zh = showcase("translations", "--content", str(content), lang="zh")
    en = showcase("translations", "--content", str(content), lang="en")
    assert zh.returncode == en.returncode == 0
    assert "jiading-jiadingzhen-palm-treasure.yaml" in en.stdout and "body" in en.stdout
    assert "缺少英文" in zh.stdout and "missing" in en.stdout


def test_export_fill_import_round_trip_keeps_everything_else(content, tmp_path):
    case = content / "excellent" / "chongming-chengqiao-neighbourhood-centre.yaml"
    text = case.read_text(encoding="utf-8")
    # make two more texts Chinese-only, one of them with a comment on its line
    text = text.replace("\nsummary:", "\n# 摘要待译 / summary to translate\nsummary:", 1)
    import re
    text = re.sub(r"^summary:\n  zh: (.+)\n  en: .+$", r"summary: \1   # 只有中文 / Chinese only", text, count=1, flags=re.M)
    case.write_text(text, encoding="utf-8")
    before = case.read_text(encoding="utf-8")

    path, rows = export(content, tmp_path)
    header = rows[0]
    assert header == ["文件 file", "字段 field", "状态 status", "中文原文 Chinese", "现有英文 current English", "英文译文 English translation"]
    files = {(r[0], r[1]) for r in rows[1:]}
    assert ("excellent/jiading-jiadingzhen-palm-treasure.yaml", "body") in files
    assert ("excellent/chongming-chengqiao-neighbourhood-centre.yaml", "summary") in files
    for row in rows[1:]:
        row[5] = f"EN for {row[1]} <&> \"quoted\": ok"
    write(path, rows)

    result = showcase("translations", "import", str(path), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"wrote {len(rows) - 1} translation(s)" in result.stdout

    after = case.read_text(encoding="utf-8")
    assert "# 摘要待译 / summary to translate" in after and "# 只有中文 / Chinese only" in after
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert any('EN for summary <&> \\"quoted\\": ok' in line or "EN for summary <&> \"quoted\": ok" in line for line in added), added
    # untouched lines all still there, in order
    kept = [line for line in before.splitlines() if line in after.splitlines()]
    assert len(before.splitlines()) - len(kept) <= 1
    listing = showcase("translations", "--content", str(content), lang="en")
    assert "every text has its English" in listing.stdout
    import yaml
    assert yaml.safe_load(after)["summary"]["en"] == "EN for summary <&> \"quoted\": ok"


def test_stale_english_after_the_chinese_changes(content, tmp_path):
    path, rows = export(content, tmp_path)
    for row in rows[1:]:
        row[5] = "Translated"
    write(path, rows)
    assert showcase("translations", "import", str(path), "--content", str(content), lang="en").returncode == 0
    case = content / "excellent" / "jiading-jiadingzhen-palm-treasure.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("本条目为示意案例", "本条目为示意案例（已修改）"), encoding="utf-8")
    listing = showcase("translations", "--content", str(content), "--format", "csv", lang="en")
    lines = list(csv.reader(listing.stdout.splitlines()))
    stale = [r for r in lines[1:] if r[0].endswith("jiading-jiadingzhen-palm-treasure.yaml")]
    assert stale and stale[0][1] == "body" and stale[0][2] == "stale" and stale[0][4] == "Translated"


def test_rows_that_do_not_match_are_skipped_with_reasons(content, tmp_path):
    path, rows = export(content, tmp_path)
    header = rows[0]
    rows = [header,
            ["../../etc/passwd", "title", "", "", "", "evil"],
            ["excellent/changning-ningjuli.yaml", "no_such_field", "", "", "", "x"],
            ["excellent/jiading-jiadingzhen-palm-treasure.yaml", "body", "", "中文已经不同了", "", "Old translation"]]
    write(path, rows)
    before = (content / "excellent" / "jiading-jiadingzhen-palm-treasure.yaml").read_bytes()
    result = showcase("translations", "import", str(path), "--content", str(content), lang="en")
    assert result.returncode == 1
    assert "is not an entry file of the content folder" in result.stdout
    assert "has no translatable field 'no_such_field'" in result.stdout
    assert "changed after export" in result.stdout
    assert (content / "excellent" / "jiading-jiadingzhen-palm-treasure.yaml").read_bytes() == before


def test_text_that_looks_like_a_formula_is_exported_as_text_and_round_trips(content, tmp_path):
    import yaml
    case = content / "excellent" / "jiading-jiadingzhen-palm-treasure.yaml"
    text = case.read_text(encoding="utf-8")
    start = text.index("title:\n")
    end = text.index("\n", text.index("  en:", start)) + 1
    case.write_text(text[:start] + "title: =1+1 嘉定镇试点\n" + text[end:], encoding="utf-8")
    path, rows = export(content, tmp_path)
    row = next(r for r in rows if r[0].endswith("jiading-jiadingzhen-palm-treasure.yaml") and r[1] == "title")
    assert row[3] == "'=1+1 嘉定镇试点"  # a spreadsheet shows it as text and never runs it
    for r in rows[1:]:
        r[5] = "Translated"
    write(path, rows)
    result = showcase("translations", "import", str(path), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout
    assert yaml.safe_load(case.read_text(encoding="utf-8"))["title"] == {"zh": "=1+1 嘉定镇试点", "en": "Translated"}


# --- the CSV comes back exactly (Hypothesis), and what comes back is clean ----------------------

csv_texts = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.builds(lambda p, t: p + t, st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "\"", ",", ";", "\n"]),
              st.text(st.characters(codec="utf-8"), max_size=20)),
)


@settings(max_examples=max(1, 2 * settings.default.max_examples), deadline=None)
@given(st.lists(st.tuples(csv_texts, csv_texts), min_size=1, max_size=4), st.sampled_from([",", ";", "\t"]))
def test_the_translation_csv_gives_every_text_back_exactly(tmp_path_factory, items, delimiter):
    """Chinese and current English as exported read back as they were (the Chinese is compared to
    the entry's on import), whatever they start with or hold, and whichever delimiter Excel saved
    the file with; no cell of the file starts like a formula."""
    from generator.authoring.translations import Needed, read_csv, to_csv
    from generator.content.clean import UNWANTED

    needed = [Needed(f"excellent/x{i}.yaml", "summary", "stale", zh, en, None) for i, (zh, en) in enumerate(items)]
    text = to_csv(needed, "en")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    if delimiter != ",":  # as Excel saves it in a locale with ; or as "Unicode text"
        stream = io.StringIO()
        csv.writer(stream, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        text = "\ufeff" + stream.getvalue()
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    back = read_csv(path)
    # (control characters, which the loader has already removed from entries, are left out)
    assert [(row["zh"], row["en_current"]) for _n, row in back] == [(UNWANTED.sub("", zh), UNWANTED.sub("", en)) for zh, en in items]


def test_control_characters_in_a_translation_are_removed_with_a_warning(content, tmp_path):
    import yaml

    path, rows = export(content, tmp_path)
    row = next(r for r in rows if r[0] == "excellent/jiading-jiadingzhen-palm-treasure.yaml" and r[1] == "body")
    row[5] = "Palm\x0b treasure\x1b[31m text"
    write(path, [rows[0], row])
    result = showcase("translations", "import", str(path), "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning to-translate.csv:2: invisible control characters were removed from the English: U+000B (LINE TABULATION), U+001B (ESCAPE)" in result.stdout
    assert "\x1b" not in result.stdout
    data = yaml.safe_load((content / "excellent" / "jiading-jiadingzhen-palm-treasure.yaml").read_text(encoding="utf-8"))
    assert data["body"]["en"] == "Palm treasure[31m text"
