from __future__ import annotations

import pytest

from generator import urls
from generator.content.models import parse_partial_date
from generator.render.markdown import render_markdown


@pytest.mark.parametrize("url, lang, expected", [
    ("", "en", "en/"), ("en/", "zh", ""), ("cases/x/", "en", "en/cases/x/"),
    ("en/cases/x/", "zh", "cases/x/"), ("/en/about/", "en", "en/about/"),
])
def test_counterpart(url, lang, expected):
    assert urls.counterpart(url, lang) == expected


@pytest.mark.parametrize("target, current, expected", [
    ("en/cases/x/", "cases/x/", "../../en/cases/x/"), ("", "cases/x/", "../../"),
    ("cases/", "", "cases/"), ("", "", "./"), ("media/excellent/a/b.jpg", "en/cases/a/", "../../../media/excellent/a/b.jpg"),
])
def test_relative_links(target, current, expected):
    assert urls.relative(target, current) == expected


def test_src_uri_gives_directory_urls():
    assert urls.src_uri("", "zh") == "index.md"
    assert urls.src_uri("cases/x/", "en") == "en/cases/x/index.md"


@pytest.mark.parametrize("value, iso, zh, en", [
    (2014, "2014", "2014年", "2014"),
    ("2024-04", "2024-04", "2024年4月", "April 2024"),
    ("2024-04-09", "2024-04-09", "2024年4月9日", "9 April 2024"),
    ("2024年4月9日", "2024-04-09", "2024年4月9日", "9 April 2024"),
    ("2024/4", "2024-04", "2024年4月", "April 2024"),
])
def test_partial_dates(value, iso, zh, en):
    date = parse_partial_date(value)
    assert (date.iso(), date.display("zh"), date.display("en")) == (iso, zh, en)


def test_markdown_is_sanitised():
    html = render_markdown(
        "# 标题\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=https://evil.example/a.png onerror=alert(1)>"
        "\n\n<iframe src=https://evil.example></iframe>\n\n[ok](https://www.shanghai.gov.cn/) **粗体**")
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "javascript:" not in html and "<img" not in html and "<iframe" not in html and "onerror" not in html
    assert '<a href="https://www.shanghai.gov.cn/" rel="noopener noreferrer">ok</a>' in html
    assert "<strong>粗体</strong>" in html
    assert "<h3>标题</h3>" in html  # body headings sit below the page's own sections


def test_chinese_fragments_on_english_pages_are_marked():
    from generator.render.lang import mark_chinese

    html = ('<p>The <a href="x" title="中文">十全十美 services</a>, 沪规划资源详〔2024〕123号.</p>'
            '<span lang="zh-Hans">中<span>文</span></span><script>var a = "中";</script><svg><text>中</text></svg><br>好')
    assert mark_chinese(html) == (
        '<p>The <a href="x" title="中文"><span lang="zh-Hans">十全十美</span> services</a>, '
        '<span lang="zh-Hans">沪规划资源详〔2024〕123号</span>.</p>'
        '<span lang="zh-Hans">中<span>文</span></span><script>var a = "中";</script><svg><text>中</text></svg><br>'
        '<span lang="zh-Hans">好</span>')


def test_body_headings_go_down_one_step_at_a_time():
    assert "<h2>" in render_markdown("## a\n\n### b", top=2) and "<h3>b</h3>" in render_markdown("## a\n\n### b", top=2)
    assert render_markdown("## only").startswith("<h3>")
