"""A date that is no date (month 13, 30 February…) in any date field of any kind of entry: one
explanation, the same from the loader (an unquoted 2024-02-30, which YAML reads as a timestamp)
and from validation (2024年2月30日, a quoted text, the workbook import), with file:line:field
(issue 14, finding 3)."""

from __future__ import annotations

import re

import pytest

from generator.collection import load_collection
from generator.content.models import explain_bad_date, parse_partial_date
from tests.helpers import copy_content

HY = "excellent/changning-huayang-renminfang.yaml"
# field -> (file under cases/, the edit that gives it the value {v}, its line, the field as messages name it)
FIELDS = {
    "case completed": (HY, ("status: planned\n", "status: planned\ncompleted: {v}\n"), 16, "completed"),
    "meeting date": (HY, ("  - kind: consultation\n", "  - kind: consultation\n    date: {v}\n"), 40, "participation[1].date"),
    "milestone date": ("milestones/2022-guidance.yaml", ("date: 2022\n", "date: {v}\n"), 3, "date"),
    "exhibition opens": ("exhibitions/2024-excellent-cases.yaml", ("opens: 2024-07\n", "opens: {v}\n"), 10, "opens"),
    "exhibition closes": ("exhibitions/2024-excellent-cases.yaml", ("closes: 2024-09\n", "closes: {v}\n"), 11, "closes"),
    "document date": ("documents.yaml", ("    date: 2024-04-09\n", "    date: {v}\n"), 11, "documents[1].date"),
}
# value as written -> words the message must hold (Chinese, English)
VALUES = {
    "2024-13-01": (["没有 13 月", "月份只有 1–12"], ["there is no month 13", "months run from 1 to 12"]),
    "2024-02-30": (["2024年2月只有29天", "2024-02-29"], ["February 2024 has 29 days", "2024-02-29"]),
    "2024年13月1日": (["没有 13 月"], ["there is no month 13"]),
    "'2023-02-29'": (["2023年2月只有28天"], ["February 2023 has 28 days"]),
    "2024-04-31": (["2024年4月只有30天"], ["April 2024 has 30 days"]),
    "2024-00": (["没有 0 月"], ["there is no month 0"]),
}
FORMS = (["2024、2024-04、2024-04-09", "2024年4月9日"], ["2024, 2024-04, 2024-04-09", "2024年4月9日"])


@pytest.mark.parametrize("value", list(VALUES))
@pytest.mark.parametrize("where", list(FIELDS))
def test_a_bad_date_says_what_is_wrong_where(tmp_path, where, value):
    name, (old, new), line, field = FIELDS[where]
    content = copy_content(tmp_path)
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new.format(v=value), 1), encoding="utf-8")
    _collection, diagnostics = load_collection(content, display_root=tmp_path)
    found = [d for d in diagnostics.errors if d.code == "invalid_date"]
    assert [(d.file, d.line, d.field) for d in found] == [(f"cases/{name}", line, field)], [d.format("en") for d in diagnostics.errors]
    (error,) = found
    zh, en = error.format("zh"), error.format("en")
    for word in VALUES[value][0] + FORMS[0]:
        assert word in zh, (word, zh)
    for word in VALUES[value][1] + FORMS[1]:
        assert word in en, (word, en)


def test_the_same_words_for_every_spelling_of_one_bad_date():
    said = {explain_bad_date(v)[0].en.split(": ", 1)[1] for v in ("2024-02-30", "2024年2月30日", "2024/2/30", "2024.02.30", "2024-02-30T10:00:00")}
    assert said == {"February 2024 has 29 days (its last day is 2024-02-29)"}


@pytest.mark.parametrize("value, zh, en", [
    ("1800", "年份 1800 不在 1900–2100 之间", "the year 1800 is not between 1900 and 2100"),
    ("24-04-09", "年份要写满四位数", "the year must have four digits"),
    ("2024-02-00", "没有 0 日", "there is no day 0"),
    ("2024-01-01T10:00:00+99:00", "时间部分无法读取", "the time after the date cannot be read"),
    ("下个月", "这不是一个日期", "this is not a date"),
])
def test_other_bad_dates(value, zh, en):
    message, hint = explain_bad_date(value)
    assert zh in message.zh and en in message.en and "2024-04-09" in hint.zh and "2024-04-09" in hint.en


@pytest.mark.parametrize("value", ["2024-00", "2024年0月", "2024-02-30", "2024-13"])
def test_month_zero_and_other_impossible_dates_are_refused(value):
    with pytest.raises(Exception):
        parse_partial_date(value)


def test_good_dates_still_read():
    assert [parse_partial_date(v).iso() for v in ("2014", "2024-4", "2024-04-09", "2024年4月", "2024年2月29日")] == [
        "2014", "2024-04", "2024-04-09", "2024-04", "2024-02-29"]
    assert re.fullmatch(r"'x' is not a valid date: this is not a date", explain_bad_date("x")[0].en)
