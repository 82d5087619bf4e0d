"""`showcase terms`: where the valid values of every closed list are, and the words staff write
for them. Every message refusing a value (check, import, new) names the listing; the scaffolds'
own examples pass `check`; an alias never names two values, and a suggestion prefers a name or
alias the value contains over a merely similar spelling (issue 14, finding 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generator.content.reference import AmbiguousSpelling, Term, Vocabulary, _norm, reference
from tests.cli.helpers import check_json, showcase
from tests.cli.test_spreadsheet import fill
from tests.helpers import copy_content
from tests.unit.test_media import jpeg, mp4

COMMANDS = ["district", "service", "type", "construction", "status", "award", "media", "meeting"]


@pytest.fixture()
def content(tmp_path):
    return copy_content(tmp_path)


# --- the listing ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [("zh", ["“十全十美”服务", "案例类型", "查看全部可选值"]),
                                         ("en", ["十全十美 services", "Case types", "see every value"])])
def test_without_an_argument_it_lists_the_lists(lang, words):
    result = showcase("terms", lang=lang)
    assert result.returncode == 0, result.stderr
    for command in COMMANDS:
        assert f"showcase terms {command}" in result.stdout
    for word in words:
        assert word in result.stdout
    assert "services" in result.stdout and "participation[].kind" in result.stdout  # the fields they serve


@pytest.mark.parametrize("name", ["service", "services", "服务", "十全十美", "Services"])
def test_a_list_is_named_in_either_language(name):
    result = showcase("terms", name, lang="zh")
    assert result.returncode == 0, result.stderr
    assert "“十全十美”服务：共 20 项，用于字段 services" in result.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_value_with_its_names_and_aliases(lang):
    result = showcase("terms", "service", lang=lang)
    assert result.returncode == 0, result.stderr
    for term in reference().services:
        line = next((l for l in result.stdout.splitlines() if f" {term.key} " in f" {l} "), None)
        assert line is not None, term.key
        assert term.zh in line and term.en.split()[0] in line
    assert "社区食堂" in result.stdout and "canteen" in result.stdout
    header = result.stdout.splitlines()[1]
    if lang == "zh":
        assert "中文名" in header and "也可以写" in header and header.index("中文名") < header.index("英文名")
        assert "十全（必配）" in result.stdout and "十美（选配）" in result.stdout
    else:
        assert "also accepted" in header and header.index("English") < header.index("Chinese")


def test_columns_line_up_in_chinese():
    """A wide character takes two columns: the table is aligned as it is shown, not by len()."""
    from rich.cells import cell_len

    result = showcase("terms", "district", lang="zh")
    rows = [l.rstrip() for l in result.stdout.splitlines() if re.match(r"^[a-z]+ ", l)]
    assert len(rows) == 16
    starts = {cell_len(l[:l.index(zh)]) for l in rows for zh in [l.split()[1]]}
    assert len(starts) == 1, starts


@pytest.mark.parametrize("name", COMMANDS)
def test_json(name):
    result = showcase("terms", name, "--format", "json", lang="en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    vocabulary = reference().vocabulary(name)
    assert data["name"] == name and data["command"] == f"showcase terms {name}"
    assert [t["key"] for t in data["terms"]] == [t.key for t in vocabulary]
    overview = json.loads(showcase("terms", "--format", "json", lang="en").stdout)
    assert [v["name"] for v in overview["vocabularies"]] == COMMANDS


def test_json_aliases():
    data = json.loads(showcase("terms", "service", "--format", "json", lang="en").stdout)
    elderly = next(t for t in data["terms"] if t["key"] == "elderly-care")
    assert {"社区食堂", "长者食堂", "助餐", "养老服务", "canteen"} <= set(elderly["aliases"])
    assert elderly["group"] == "basic"


@pytest.mark.parametrize("lang, words", [("zh", "“社区食堂”是“十全十美”服务中的 为老服务"),
                                         ("en", "'社区食堂' is Services for older people / 为老服务 in the list service")])
def test_a_value_is_looked_up(lang, words):
    result = showcase("terms", "社区食堂", lang=lang)
    assert result.returncode == 0, result.stderr
    assert words in result.stdout and "showcase terms service" in result.stdout


@pytest.mark.parametrize("lang, words", [("zh", "没有名为“宇宙”的列表"), ("en", "there is no list called '宇宙'")])
def test_an_unknown_list_is_a_usage_error_naming_the_lists(lang, words):
    result = showcase("terms", "宇宙", lang=lang)
    assert result.returncode == 2
    assert words in result.stderr and "district, service, type" in result.stderr


# --- every refusal names the listing ------------------------------------------------------------

CASE = """\
id: changning-terms-test
title: {zh: 测试案例, en: Test case}
district: 长宁区
year: 2024
award: 市级
types: [人民坊]
services: [党群服务]
construction: 新建
status: 已建成
summary: {zh: 一句话摘要。, en: One-line summary.}
participation:
  - {kind: 征询会, date: 2024-05}
media:
  - {file: a.jpg, kind: photo, alt: {zh: 照片, en: Photo}}
"""

BAD = [("district: 长宁区", "district: 长林", "district", "district"),
       ("services: [党群服务]", "services: [党群服务, 宇宙服务]", "services[2]", "service"),
       ("types: [人民坊]", "types: [宇宙坊]", "types[1]", "type"),
       ("construction: 新建", "construction: 拆除", "construction", "construction"),
       ("status: 已建成", "status: 宇宙", "status", "status"),
       ("award: 市级", "award: 国家级", "award", "award"),
       ("kind: photo", "kind: 宇宙", "media[1].kind", "media"),
       ("kind: 征询会", "kind: 宇宙会", "participation[1].kind", "meeting")]


def test_every_enumeration_error_from_check_names_the_listing(content):
    folder = content / "excellent"
    for number, (good, bad, _field, _command) in enumerate(BAD):
        path = folder / f"changning-terms-test-{number}.yaml"
        path.write_text(CASE.replace("changning-terms-test", path.stem).replace(good, bad, 1), encoding="utf-8")
        path.with_suffix("").mkdir()
        (path.with_suffix("") / "a.jpg").write_bytes(jpeg((1600, 1200)))
    code, report = check_json(content, str(folder))
    assert code == 1
    for number, (_good, _bad, field, command) in enumerate(BAD):
        found = [d for d in report["diagnostics"] if d["file"].endswith(f"changning-terms-test-{number}.yaml")
                 and d["severity"] == "error"]
        assert [d["field"] for d in found] == [field], found
        hint = found[0]["hint"]
        assert hint["zh"].endswith(f"完整列表：showcase terms {command}"), hint
        assert hint["en"].endswith(f"full list: showcase terms {command}"), hint


@pytest.mark.parametrize("lang, expected", [
    ("zh", "district: '长林' 不是上海的区；您是不是要写 长宁区 (changning)？完整列表：showcase terms district"),
    ("en", "district: '长林' is not a Shanghai district; did you mean 长宁区 (changning)? full list: showcase terms district"),
])
def test_check_text_output_names_the_listing(content, lang, expected):
    path = content / "excellent" / "changning-terms-test.yaml"
    path.write_text(CASE.replace("district: 长宁区", "district: 长林").replace("media:\n", "media: []\n#"), encoding="utf-8")
    result = showcase("check", "--content", str(content), str(path), lang=lang)
    assert result.returncode == 1
    assert expected in result.stdout


@pytest.mark.parametrize("lang, expected", [
    ("zh", "不是上海的区；您是不是要写 浦东新区 (pudong)？完整列表：showcase terms district"),
    ("en", "'浦东新' is not a Shanghai district; did you mean 浦东新区 (pudong)? full list: showcase terms district"),
])
def test_new_names_the_listing(content, lang, expected):
    result = showcase("new", "case", "--district", "浦东新", "--content", str(content), lang=lang)
    assert result.returncode == 2
    assert expected in result.stderr


def test_new_names_the_listing_for_the_other_options(content):
    result = showcase("new", "site", "--construction", "拆除", "--content", str(content), lang="en")
    assert result.returncode == 2 and "full list: showcase terms construction" in result.stderr
    result = showcase("new", "case", "--type", "宇宙坊", "--content", str(content), lang="en")
    assert result.returncode == 2 and "full list: showcase terms type" in result.stderr


def test_import_names_the_listing(tmp_path, content):
    template = tmp_path / "报送表.xlsx"
    assert showcase("template", "xlsx", str(template), lang="en").returncode == 0
    row = {"Title": "田林十二村睦邻中心", "District": "徐汇区", "Year": 2025, "Case type 1": "社区嵌入式服务设施",
           "Service 1": "社区食堂", "Service 2": "宇宙服务", "Summary": "一句话摘要。", "Latitude": 31.17, "Longitude": 121.43}
    fill(template, {"案例": [row, {**row, "Title": "第二个", "District": "浦东新", "Service 2": "托育服务"}]})
    zh = showcase("import", str(template), "--content", str(content), "--dry-run", lang="zh")
    en = showcase("import", str(template), "--content", str(content), "--dry-run", lang="en")
    assert zh.returncode == en.returncode == 1
    assert "案例!D3 区: '浦东新' 不是上海的区；您是不是要写 浦东新区 (pudong)？完整列表：showcase terms district" in zh.stdout
    assert "案例!D3 District: '浦东新' is not a Shanghai district; did you mean 浦东新区 (pudong)? full list: showcase terms district" in en.stdout
    line = next(l for l in en.stdout.splitlines() if "宇宙服务" in l)
    assert line.rstrip().endswith("full list: showcase terms service"), line
    assert "社区食堂" not in en.stdout and "托育服务" not in en.stdout  # aliases: accepted


# --- aliases -------------------------------------------------------------------------------------

ALIASES = [("services", value, key) for key, values in {
    "elderly-care": ["社区食堂", "长者食堂", "助餐", "老年助餐", "养老服务", "养老", "canteen", "elderly care", "Elderly-Care"],
    "childcare": ["托育", "托育服务", "托幼", "宝宝屋", "childcare", "child care", "nursery"],
    "health": ["卫生服务站", "社区卫生服务中心", "health care", "clinic"],
    "sports": ["健身", "市民球场", "fitness"],
    "after-school": ["托管", "暑托班"],
    "learning": ["社区书房", "老年大学"],
    "daily-services": ["菜场", "便民服务"],
    "deliberation": ["议事厅", "一图三会"],
}.items() for value in values] + [
    ("districts", "Changning District", "changning"), ("districts", "长宁", "changning"),
    ("case_types", "嵌入式服务设施", "embedded-facility"), ("case_types", "烟火气", "street-vitality"),
    ("construction", "改扩建", "renewal"), ("status", "竣工", "completed"), ("status", "已投入使用", "in-operation"),
    ("award", "区级", "district"), ("media_kind", "效果图", "plan"), ("meeting_kind", "事后评议会", "review"),
]


@pytest.mark.parametrize("vocabulary, value, key", ALIASES)
def test_aliases_resolve(vocabulary, value, key):
    assert getattr(reference(), vocabulary).resolve(value) == key


def test_what_staff_write_passes_check(content):
    path = content / "excellent" / "changning-terms-test.yaml"
    text = CASE.replace("services: [党群服务]", "services: [社区食堂, 托育服务, 卫生服务站, canteen, 社区议事]")
    path.write_text(text.replace("media:\n", "media: []\n#"), encoding="utf-8")
    code, report = check_json(content, str(path))
    assert code == 0, [d for d in report["diagnostics"] if d["severity"] == "error"]


def test_no_spelling_names_two_values():
    for vocabulary in reference().vocabularies():
        owner: dict[str, str] = {}
        for term in vocabulary:
            for spelling in (term.key, term.zh, term.en, term.short, *term.aliases):
                if spelling:
                    assert owner.setdefault(_norm(spelling), term.key) == term.key, (vocabulary.name, spelling)


def test_a_spelling_naming_two_values_is_refused_on_load():
    one = Term("a", "甲", "A", 1, aliases=("食堂",))
    two = Term("b", "乙", "B", 2, aliases=("食堂",))
    with pytest.raises(AmbiguousSpelling, match="食堂"):
        Vocabulary("x", "x", "x", [one, two])


@pytest.mark.parametrize("value, first", [("社区长者食堂", "elderly-care"), ("托育服务点", "childcare"), ("食堂", "elderly-care"),
                                          ("托育点位", "childcare"), ("卫生服务中心", "health"), ("养老院", "elderly-care")])
def test_suggestions_prefer_what_the_value_contains(value, first):
    suggestions = reference().services.suggest(value)
    assert suggestions and suggestions[0].key == first, [t.key for t in suggestions]


def test_no_suggestion_from_everyday_characters_alone():
    """社区食堂 once suggested 社区议事, sharing only 社区."""
    assert not reference().services.suggest("社区宇宙")
    assert [t.key for t in reference().services.suggest("社区食堂")] == ["elderly-care"]


# --- the scaffolds' own examples ----------------------------------------------------------------

NEW = {"case": ["--title", "示例睦邻中心", "--district", "长宁", "--year", "2025", "--type", "人民坊", "--summary", "一句话摘要。"],
       "site": ["--name", "示例人民坊", "--district", "徐汇区", "--street", "田林街道", "--year", "2025", "--number", "7",
                "--construction", "新建", "--floor-area", "1200"],
       "milestone": ["--date", "2025-05", "--title", "示例大事记"],
       "term": ["--term", "示例词语", "--short", "一句话解释。", "--definition", "定义原文。"]}
KEY_LINE = re.compile(r"^(?P<indent>\s*(?:- )?)(?P<key>[a-z_0-9]+):(?P<value>[^#]*?)(?P<comment>\s+#\s.*)?$")


def _split(text: str, lang: str) -> list[str]:
    """'2014、2024-04 或 2024-04-09' / '2014, 2024-04 or 2024-04-09' -> the three; a [list] stays whole."""
    text = text.strip()
    if text.startswith("["):
        return [text]
    parts = re.split(r"、| 或 " if lang == "zh" else r", | or ", text)
    return [p.strip() for p in parts if p.strip()]


def examples(comment: str) -> dict[str, list[str]]:
    """The values a field's comment offers: after 例如 / e.g., or an enumeration 'a 或 b / a or b'."""
    zh, _, en = comment.lstrip(" #").partition("/ ")
    out: dict[str, list[str]] = {}
    for lang, part, marker, stop in (("zh", zh, "例如", "；"), ("en", en, "e.g.", ";")):
        if marker in part:
            out[lang] = _split(part.split(marker, 1)[1].split(stop)[0], lang)
    if " 或 " in zh and not out:
        out["zh"] = _split(re.split(r"[：:]", zh)[-1], "zh")
        if " or " in en:
            out["en"] = _split(en.split(": ")[-1], "en")
    return out


def fill_with_examples(text: str, variant: int) -> str:
    """Every commented-out example switched on, every field with a 例如/e.g. or an enumeration
    in its comment given that value (variant: which language, which alternative)."""
    lang = "zh" if variant % 2 == 0 else "en"
    lines = text.splitlines()
    out: list[str] = []
    for number, line in enumerate(lines):
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if line.startswith("#  "):  # an example line: the # is all that keeps it off
            line = line[1:]
        elif line == "#" and following.startswith("#  "):  # a blank line inside an example
            line = ""
        match = KEY_LINE.match(line)
        if match and match["comment"]:
            offered = examples(match["comment"]).get(lang)
            if offered:
                line = f"{match['indent']}{match['key']}: {offered[(variant // 2) % len(offered)]}{match['comment']}"
            elif match["value"].strip() == "[]" and following.startswith("#  - "):
                line = f"{match['indent']}{match['key']}:{match['comment']}"
        out.append(line)
    return "\n".join(out) + "\n"


def test_every_scaffold_example_passes_check(content):
    written: dict[str, list[Path]] = {}
    for kind, args in NEW.items():
        before = set(content.rglob("*.yaml"))
        result = showcase("new", kind, *args, "--content", str(content), lang="en")
        assert result.returncode == 0, result.stdout + result.stderr
        (path,) = set(content.rglob("*.yaml")) - before
        scaffold = path.read_text(encoding="utf-8")
        path.unlink()
        if path.with_suffix("").is_dir():  # a glossary term has no media folder
            path.with_suffix("").rmdir()
        entry_id = yaml.safe_load(scaffold)["id"]
        variants = 2 * max([len(v) for line in scaffold.splitlines() if "#" in line
                            for v in examples(line.split("#", 1)[1]).values()] + [1])
        for variant in range(variants):
            new_id = f"{entry_id}-{variant}"
            text = fill_with_examples(scaffold, variant).replace(f"id: {entry_id}", f"id: {new_id}", 1)
            text = text.replace("number: 7", f"number: {10 + variant}", 1)  # one competition site per number
            for name in ("示例词语", "社区规划师", "community planners"):  # a spelling names one term
                text = text.replace(f"{name}]", f"{name} {variant}]").replace(f"zh: {name}", f"zh: {name} {variant}")
            data = yaml.safe_load(text)  # the examples are YAML
            target = path.with_name(f"{new_id}.yaml")
            target.write_text(text, encoding="utf-8")
            media = target.with_suffix("")
            media.mkdir()
            for item in data.get("media") or []:
                for key in ("file", "poster"):
                    if item.get(key):
                        (media / item[key]).write_bytes(mp4() if item[key].endswith(".mp4") else jpeg((1600, 1200)))
            written.setdefault(kind, []).append(target)
    for target in written["case"]:  # every commented-out example was switched on
        case = yaml.safe_load(target.read_text(encoding="utf-8"))
        assert case["services"] and case["media"] and case["participation"] and case["location"] and case["body"]
        assert case["award"] and case["completed"] and case["floor_area_m2"]
    assert len(written["case"]) == 10  # media kind: five values, in each language
    code, report = check_json(content, *[str(p) for paths in written.values() for p in paths])
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert code == 0 and not errors, "\n".join(f"{d['file']}:{d['line']}: {d['field']}: {d['message']['en']}; {d['hint']}" for d in errors)


def test_the_case_scaffold_examples_are_the_ones_staff_need(content):
    result = showcase("new", "case", *NEW["case"], "--content", str(content), lang="en")
    assert result.returncode == 0
    text = next(content.glob("excellent/changning-shili*.yaml")).read_text(encoding="utf-8")
    services = next(l for l in text.splitlines() if l.startswith("services:"))
    assert "例如 [为老服务, 保育托幼]" in services and "e.g. [elderly-care, childcare]" in services
    assert "showcase terms service" in services
    assert "showcase terms" in text.split("id:")[0]  # the header says where every list is
