"""`showcase new`: a new entry file with every field, a pinyin id and a media folder; it passes
`check` and builds; nothing is ever overwritten."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time

import pytest
import yaml

from generator.collection import ENTRY_KINDS
from tests.cli.helpers import SHOWCASE, check_json, showcase, tree_digest
from tests.helpers import ROOT, build, copy_content, page_file


@pytest.fixture()
def content(tmp_path):
    return copy_content(tmp_path)


def test_new_case_passes_check_and_builds(content, tmp_path):
    result = showcase("new", "case", "--title", "华阳路睦邻中心", "--district", "长宁", "--year", "2025",
                      "--type", "社区嵌入式服务设施", "--summary", "一句话摘要。", "--street", "华阳路街道",
                      "--content", str(content))
    assert result.returncode == 0, result.stdout + result.stderr
    path = content / "excellent" / "changning-huayanglumulinzhongxin.yaml"
    assert path.is_file() and path.with_suffix("").is_dir()
    assert "已新建" in result.stdout
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    # every field of the model is present, each line explained in both languages
    assert set(data) == set(ENTRY_KINDS["excellent"].model_fields)
    assert "# 入选年份 / year of selection" in text
    assert data["district"] == "changning" and data["types"] == ["embedded-facility"]

    code, report = check_json(content, str(path))
    assert code == 0 and not [d for d in report["diagnostics"] if d["severity"] == "error"]
    site = tmp_path / "site"
    built = build(content, site)
    assert built.returncode == 0, built.stderr
    assert "华阳路睦邻中心" in page_file(site, "cases/changning-huayanglumulinzhongxin/").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind, args, expected", [
    ("site", ["--name", "田林人民坊", "--district", "徐汇区", "--street", "田林街道", "--year", "2025", "--number", "3",
              "--construction", "新建", "--floor-area", "1200"], "competition/2025-03-tianlin.yaml"),
    ("milestone", ["--date", "2025-05", "--title", "第二届设计竞赛启动"], "milestones/2025-05-dierjieshejijingsaiqidong.yaml"),
    ("term", ["--term", "社区规划师", "--term-en", "Community planner", "--short", "全过程参与生活圈规划的专业人员。",
              "--definition", "鼓励社区规划师长期扎根社区，全过程参与生活圈规划编制与实施。"], "glossary/community-planner.yaml"),
])
def test_new_site_and_milestone(content, kind, args, expected):
    result = showcase("new", kind, *args, "--content", str(content), lang="en")
    assert result.returncode == 0, result.stdout + result.stderr
    path = content / expected
    assert path.is_file()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(data) == set(ENTRY_KINDS[expected.split("/")[0]].model_fields)
    code, report = check_json(content, str(path))
    assert code == 0, report


def test_never_overwrites(content):
    path = content / "excellent" / "changning-ningjuli.yaml"
    before = path.read_bytes()
    result = showcase("new", "case", "--title", "宁聚里", "--district", "changning", "--year", "2024",
                      "--type", "人民坊", "--summary", "x", "--content", str(content), lang="en")
    assert result.returncode == 1
    assert "already exists" in result.stdout and "--id" in result.stdout
    assert path.read_bytes() == before


@pytest.mark.parametrize("lang, words", [("zh", "缺少必填项：--district, --year, --type, --summary"),
                                         ("en", "missing required values: --district, --year, --type, --summary")])
def test_missing_values_without_a_terminal_is_a_usage_error(content, lang, words):
    result = showcase("new", "case", "--title", "某中心", "--content", str(content), lang=lang)
    assert result.returncode == 2
    assert words in result.stderr


# A wrong district in `new` (a suggestion and the listing command): tests/cli/test_terms.py,
# test_new_names_the_listing, in both languages.


def test_asks_for_what_is_missing_in_a_terminal(content):
    """Staff who type just `showcase new case` are asked, one question at a time."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    leader, follower = pty.openpty()
    process = subprocess.Popen([str(SHOWCASE), "new", "case", "--content", str(content), "--lang", "zh"],
                               stdin=follower, stdout=follower, stderr=follower, cwd=ROOT, env=env, close_fds=True)
    os.close(follower)
    answers = iter(["嘉定睦邻中心", "嘉定", "2025", "公共空间", "一句话摘要。"])
    output, deadline = b"", time.monotonic() + 60
    prompts_seen = 0
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        output += chunk
        if output.decode("utf-8", "ignore").count(": ") > prompts_seen:
            prompts_seen += 1
            answer = next(answers, None)
            if answer is not None:
                os.write(leader, (answer + "\n").encode("utf-8"))
    process.wait(timeout=30)
    os.close(leader)
    text = output.decode("utf-8", "ignore")
    assert process.returncode == 0, text
    assert "案例名称（中文）" in text and "所在区" in text
    assert (content / "excellent" / "jiading-jiadingmulinzhongxin.yaml").is_file()


@pytest.mark.parametrize("bad_id", ["../../../outside", "../outside", "/tmp/showcase-outside", "sub/dir", "..", "Ningjuli Centre",
                                    "changning_ningjuli", "-x-", "a" * 81])
def test_an_id_that_is_not_a_plain_slug_is_refused_before_anything_is_written(tmp_path, bad_id):
    """`--id ../../../outside` used to write outside.yaml three folders above cases/excellent/."""
    root = tmp_path / "project"
    root.mkdir()
    content = copy_content(root)
    before = tree_digest(tmp_path)
    result = showcase("new", "case", "--id", bad_id, "--title", "测试案例", "--district", "长宁", "--year", "2025",
                      "--type", "社区嵌入式服务设施", "--summary", "一句话摘要。", "--content", str(content), lang="en")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "is not a valid id" in result.stderr and "lower-case letters, digits and hyphens" in result.stderr
    assert tree_digest(tmp_path) == before, "nothing was written anywhere"
    assert not list(tmp_path.rglob("*outside*")) and not os.path.exists("/tmp/showcase-outside.yaml")


def test_control_characters_typed_into_new_never_reach_the_file(content):
    result = showcase("new", "milestone", "--date", "2025-03", "--title", "控制\x1b[31m字符\x0b测试", "--content", str(content))
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = [p for p in (content / "milestones").glob("2025-03-*.yaml")]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["title"]["zh"] == "控制[31m字符测试"


@pytest.mark.parametrize("lang, words", [("zh", "2024年2月只有29天"), ("en", "February 2024 has 29 days")])
def test_a_bad_date_on_the_command_line_is_explained_as_check_explains_it(tmp_path, lang, words):
    result = showcase("new", "milestone", "--date", "2024-02-30", "--title", "测试", cwd=tmp_path, lang=lang)
    assert result.returncode == 2 and words in result.stderr, result.stderr
