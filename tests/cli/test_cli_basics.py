"""`showcase` itself: both languages, locale detection, exit codes, no tracebacks."""

from __future__ import annotations

import pytest

from tests.cli.helpers import showcase
from tests.helpers import ROOT


def test_help_in_chinese_and_english():
    zh = showcase("--help", lang="zh")
    en = showcase("--help", lang="en")
    assert zh.returncode == en.returncode == 0
    assert "用法" in zh.stdout and "检查内容" in zh.stdout and "命令" in zh.stdout
    assert "Usage" in en.stdout and "Check the content" in en.stdout
    for command in ("new", "check", "template", "import", "translations", "serve", "build"):
        assert f"  {command} " in zh.stdout and f"  {command} " in en.stdout


@pytest.mark.parametrize("env, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "检查内容"),
    ({"LANG": "en_GB.UTF-8"}, "Check the content"),
    ({"LANG": "C.UTF-8"}, "检查内容"),  # no language in the locale: the programme's own language
    ({"LANG": "en_US.UTF-8", "SHOWCASE_LANG": "zh"}, "检查内容"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "检查内容"),
])
def test_language_follows_the_locale(env, expected):
    result = showcase("--help", lang=None, env=env)
    assert expected in result.stdout


def test_lang_option_beats_the_locale():
    result = showcase("check", "--help", lang="en", env={"LANG": "zh_CN.UTF-8"})
    assert "Check the content without building" in result.stdout


@pytest.mark.parametrize("lang, words", [("zh", "用法有误"), ("en", "Usage error")])
def test_wrong_usage_exits_2_with_a_hint(lang, words):
    result = showcase("check", "--no-such-option", lang=lang)
    assert result.returncode == 2
    assert words in result.stderr and "--help" in result.stderr
    assert "Traceback" not in result.stderr


def test_outside_a_project_is_a_usage_error(tmp_path):
    result = showcase("check", cwd=tmp_path, lang="en")
    assert result.returncode == 2
    assert "mkdocs.yml" in result.stderr and "Traceback" not in result.stderr


def test_path_outside_the_content_folder_is_a_usage_error():
    result = showcase("check", str(ROOT / "README.md"), lang="en")
    assert result.returncode == 2
    assert "not inside the content folder" in result.stderr


def test_build_wrapper_builds_the_site(tmp_path):
    site = tmp_path / "site"
    result = showcase("build", "-d", str(site), lang="en")
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
