"""Cited sections in each language (generator/render/citations.py): the usual parts of the
Chinese documents read in English on English pages; a heading quoted from a document stays as
written and is marked as Chinese."""

from __future__ import annotations

import pytest

from generator.render.citations import section_html, section_text


@pytest.mark.parametrize("section,english", [
    ("任务9", "Task 9"),
    ("附件2", "Annex 2"),
    ("开篇", "introduction"),
    ("名词解释3", "glossary 3"),
    ("名词解释", "glossary"),
    ("任务1、任务4、附件1、附件2", "Task 1, Task 4, Annex 1, Annex 2"),
    ("四、重点任务（一）", "四、重点任务（一）"),  # a quoted heading: its 、 is not a list
    ("三、工作目标；四、重点任务（六）", "三、工作目标; 四、重点任务（六）"),
])
def test_english(section, english):
    assert section_text(section, "en") == english
    assert section_text(section, "zh") == section  # Chinese pages cite as the document numbers


def test_what_stays_chinese_is_marked_and_escaped():
    assert str(section_html("附件2；二（三）", "en")) == 'Annex 2; <span lang="zh">二（三）</span>'
    assert str(section_html("二（三）", "zh")) == "二（三）"
    assert str(section_html("<b>x</b>", "en")) == '<span lang="zh">&lt;b&gt;x&lt;/b&gt;</span>'
    assert str(section_html("<b>x</b>", "zh")) == "&lt;b&gt;x&lt;/b&gt;"
