"""The YAML mistakes people really make, each explained in our own words in both languages, at the
line to change, with what to write there (issue 14, finding 2). Each fixture in
tests/fixtures/yaml_mistakes/ is a sample case with one mistake; its first line says which."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.load import read_yaml
from tests.cli.helpers import showcase
from tests.helpers import copy_content

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "yaml_mistakes"

# fixture -> (line to change, field or None, words of the message and hint in Chinese, in English)
MISTAKES = {
    "unclosed-double-quote": (9, None, ["引号", "没有结束", "第 21 行", '补上 "', 'zh: "华阳街道"'],
                              ["quote", "never closed", "line 21", 'zh: "华阳街道"']),
    "unclosed-single-quote": (10, None, ["引号", "没有结束", "补上 '", "en: 'Jiading Town Subdistrict'"],
                              ["never closed", "en: 'Jiading Town Subdistrict'"]),
    "unclosed-quote-in-braces": (21, None, ["引号", "没有结束", 'en: "Approximate, street/town level"}'],
                                 ["never closed", 'en: "Approximate, street/town level"}']),
    "colon-in-value": (6, None, ["冒号", "引号", 'en: "Ningjuli: Party and community service centres"'],
                       ["colon", "quotes", 'en: "Ningjuli: Party and community service centres"']),
    "colon-in-braces": (21, None, ["{…} 里", "冒号", "引号", 'en: "Approximate: street/town level"}'],
                        ["inside {…}", "colon", "quotes", 'en: "Approximate: street/town level"}']),
    "comma-in-braces": (16, "address.en", ["逗号", "Xuhui", "新字段", "引号", 'en: "200 Tianlin Road, Xuhui"'],
                        ["comma", "'Xuhui'", "new field", "quotes", 'en: "200 Tianlin Road, Xuhui"']),
    "comma-in-braces-caption": (45, "media[1].caption.en", ["逗号", "not a photograph", "引号"],
                                ["comma", "not a photograph", "put the whole value in quotes"]),
    "tab-indent": (5, None, ["Tab", "空格", "2 个空格"], ["tab", "spaces", "2 spaces"]),
    "list-item-indent": (43, None, ["列表项", "3 个空格", "第 39 行", "2 个空格", "对齐"],
                         ["list item", "3 spaces", "line 39", "2 spaces", "line up"]),
    "list-item-outdented": (58, None, ["列表项", "0 个空格", "第 57 行", "2 个空格"], ["list item", "line 57", "2 spaces"]),
    "fullwidth-colon": (7, None, ["全角冒号", "英文冒号", "district: changning"], ["full-width colon", "ASCII colon", "district: changning"]),
    "fullwidth-space": (7, None, ["全角空格", "半角空格", "district: yangpu"], ["full-width space", "ASCII space", "district: yangpu"]),
    "fullwidth-space-indent": (5, None, ["行首", "全角空格", "2 个半角空格"], ["full-width spaces", "2 ASCII spaces"]),
    "dash-without-space": (43, None, ["“-”后面缺少空格", "- kind: coordination"], ["'-'", "space", "- kind: coordination"]),
    "unclosed-bracket": (12, None, ["“[”", "“]”", "types: [renminfang]"], ["'['", "']'", "types: [renminfang]"]),
    "value-starts-with-at": (49, None, ["@ 开头", "引号", 'credit: "@长宁区规划资源局"'], ["start with @", "quotes", 'credit: "@长宁区规划资源局"']),
    "value-starts-with-star": (6, None, ["* 开头", "引号"], ["starting with *", "alias", "quotes"]),
    "value-starts-with-ampersand": (6, "title.en", ["& 开头", "锚点", "引号"], ["starting with &", "anchor", "quotes"]),
    "value-starts-with-bang": (6, "title.en", ["! 开头", "标记", "引号"], ["starting with !", "tag", "quotes"]),
    "value-starts-with-backtick": (6, None, ["` 开头", "引号"], ["start with `", "quotes"]),
    "text-after-closing-quote": (6, None, ["引号", "关上", "另一种引号"], ["quotes close", "other kind of quotes"]),
    "apostrophe-in-single-quotes": (10, None, ["撇号", "双引号", "''", "en: \"Jiading's Town Subdistrict\""],
                                    ["apostrophe", "double quotes", "''", "en: \"Jiading's Town Subdistrict\""]),
    "key-without-colon": (7, None, ["缺少冒号", "district: changning"], ["not followed by a colon", "district: changning"]),
    "no-space-after-colon": (7, None, ["冒号后面缺少空格", "district: changning"], ["followed by a space", "district: changning"]),
    "block-text-not-indented": (27, None, ["多行文字", "第 26 行", "缩进", "4 个空格"], ["is not indented", "line 26", "4 spaces"]),
    "key-indent": (7, None, ["缩进了 1 个空格", "0 个空格", "2 个空格"], ["1 space", "0 spaces", "2 spaces"]),
}
# what YAML's parser says, which no message may repeat as its explanation
PARSER_WORDS = re.compile(r"did not find expected|could not find expected|mapping values are not allowed|cannot start any token|"
                          r"while parsing|while scanning|found undefined|expected <block end>")


def test_every_mistake_has_a_fixture():
    assert {p.stem for p in FIXTURES.glob("*.yaml")} >= set(MISTAKES)


@pytest.mark.parametrize("name", list(MISTAKES))
def test_the_mistake_is_explained_at_the_line_to_change(name):
    line, field, zh_words, en_words = MISTAKES[name]
    path = FIXTURES / f"{name}.yaml"
    source, found = read_yaml(path, FIXTURES)
    assert source is None, f"{name} was read"
    (error,) = found
    assert error.code in ("yaml_syntax", "yaml_tag") and error.line == line and error.field == field, error.format("en")
    zh, en = error.format("zh"), error.format("en")
    for word in zh_words:
        assert word in zh, (word, zh)
    for word in en_words:
        assert word in en, (word, en)
    assert not PARSER_WORDS.search(zh + en), f"the parser's English instead of an explanation: {en}"
    assert re.search(r"[\u4e00-\u9fff]", error.message.zh + error.hint.zh), zh


def test_a_mistake_nothing_recognises_keeps_the_parsers_words_marked_as_such(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: x-1\nyear: 2024\n]]] {{{\n", encoding="utf-8")
    _source, (error,) = read_yaml(path, tmp_path)
    assert error.code == "yaml_syntax" and error.line == 3
    assert "YAML 解析器原文" in error.hint.zh and "the YAML parser's own words" in error.hint.en


def test_an_anchor_and_its_alias_are_still_refused_as_an_alias(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: x-1\ntitle: &t {zh: 标题}\nsummary: *t\n", encoding="utf-8")
    _source, (error,) = read_yaml(path, tmp_path)
    assert error.code == "yaml_alias" and error.line == 3


def test_a_flow_mapping_field_without_a_value_after_a_colon_is_no_fragment(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("title: {zh: 标题, en: }\nsites: [a, b, c]\naddress: 200 Tianlin Road, Xuhui\n", encoding="utf-8")
    source, found = read_yaml(path, tmp_path)
    assert found == [] and source.data == {"title": {"zh": "标题", "en": None}, "sites": ["a", "b", "c"],
                                           "address": "200 Tianlin Road, Xuhui"}


@pytest.fixture(scope="module")
def content_with_mistakes(tmp_path_factory) -> Path:
    """The sample content with every fixture beside the case it was made from (ids made unique)."""
    content = copy_content(tmp_path_factory.mktemp("mistakes"))
    for name in MISTAKES:
        text = (FIXTURES / f"{name}.yaml").read_text(encoding="utf-8")
        text = re.sub(r"^id: .*$", f"id: {name}", text, count=1, flags=re.M)
        (content / "excellent" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return content


def test_check_prints_each_explanation(content_with_mistakes):
    content = content_with_mistakes
    result = showcase("check", "--content", str(content), "--format", "json", "--errors-only", str(content / "excellent"), lang="en")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)["diagnostics"]
    texts = {"zh": showcase("check", "--content", str(content), "--errors-only", str(content / "excellent"), lang="zh").stdout,
             "en": showcase("check", "--content", str(content), "--errors-only", str(content / "excellent"), lang="en").stdout}
    flat = {lang: re.sub(r"\s+", "", text) for lang, text in texts.items()}
    for name, (line, field, zh_words, en_words) in MISTAKES.items():
        found = [d for d in report if d["file"].endswith(f"excellent/{name}.yaml")]
        assert [(d["line"], d["field"]) for d in found] == [(line, field)], (name, found)
        (item,) = found
        for lang, words in (("zh", zh_words), ("en", en_words)):
            said = item["message"][lang] + item["hint"][lang]
            assert all(word in said for word in words), (name, lang, said)
            # the printed text (wrapped to the terminal's width) holds file:line and the explanation
            assert f"{name}.yaml:{line}" in flat[lang], (name, lang)
            assert re.sub(r"\s+", "", item["message"][lang]) in flat[lang], (name, lang, texts[lang][-3000:])


def test_a_file_the_system_cannot_read_is_named_in_plain_words(tmp_path):
    from generator.load import read_yaml

    folder = tmp_path / "not-a-file.yaml"
    folder.mkdir()
    source, problems = read_yaml(folder, tmp_path)
    assert source is None and len(problems) == 1
    assert "Errno" not in problems[0].format("en") and "Is a directory" not in problems[0].format("zh")
    assert problems[0].format("en").startswith("not-a-file.yaml")
