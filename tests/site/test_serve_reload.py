"""`showcase serve` (mkdocs serve underneath) picks up a YAML edit under cases/ and serves the rebuilt
page; a YAML mistake keeps the last good page with a banner naming file and line."""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.search.records import INDEX_LANG
from tests.helpers import copy_content, fetch, showcase_serve, wait_for


def test_yaml_edit_triggers_a_rebuild(tmp_path):
    content = copy_content(tmp_path)
    case_file = next((content / "excellent").glob("*.yaml"))
    case_id = re.search(r"^id: (\S+)", case_file.read_text(encoding="utf-8"), re.M).group(1)
    with showcase_serve(content, tmp_path / "cache") as base:
        url = f"{base}cases/{case_id}/"
        first = wait_for(lambda: fetch(url), 60)
        assert first, "mkdocs serve did not come up"
        # the downloads (a PDF of the whole collection…) are left to `build`: a preview does not
        # wait for them, and its navigation does not offer a page it has not made
        assert fetch(f"{base}downloads/") is None
        assert 'href="../../downloads/"' not in first and "downloads/" not in first
        text = case_file.read_text(encoding="utf-8")
        edited = re.sub(r"^(title:\s*\n\s+zh:\s*)(.+)$", r"\1实时预览已更新", text, count=1, flags=re.M)
        if edited == text:
            edited = re.sub(r"^(title:\s*\{zh:\s*)([^,}]+)", r"\1实时预览已更新", text, count=1, flags=re.M)
        assert edited != text
        case_file.write_text(edited, encoding="utf-8")
        assert wait_for(lambda: "实时预览已更新" in (fetch(url) or ""), 60), "the edit never reached the served page"

        # A mistake while serving: the page keeps the last good content and shows the error.
        broken = edited.replace("\ndistrict:", "\ndistrict: [unclosed\ndistrict_typo:", 1)
        assert broken != edited
        case_file.write_text(broken, encoding="utf-8")
        page = wait_for(lambda: (html := fetch(url) or "") and "sc-serve-errors" in html and html, 60)
        assert page, "no error banner after a broken save"
        banner = page.split('class="sc-serve-errors"', 1)[1].split("</div>", 1)[0]
        assert case_file.name in banner and re.search(rf"{re.escape(case_file.name)}:\d+", banner)
        assert "实时预览已更新" in page  # the last good content is still there
        english = fetch(f"{base}en/cases/{case_id}/") or ""
        assert "The content has errors" in english

        case_file.write_text(edited.replace("实时预览已更新", "改正后"), encoding="utf-8")
        assert wait_for(lambda: (html := fetch(url) or "") and "改正后" in html and "sc-serve-errors" not in html, 60)
    # stopping `showcase serve` stops the mkdocs server it started: the port is free again
    assert wait_for(lambda: fetch(url) is None, 20), "mkdocs serve outlived showcase serve"


# fixture (tests/fixtures/yaml_mistakes/) -> what the banner on the Chinese page must say about it
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "yaml_mistakes"
CASE = "changning-huayang-renminfang"
SAVES = [
    ("unclosed-double-quote.yaml", f"{CASE}.yaml:9: YAML 格式错误：这一行的引号"),
    ("tab-indent.yaml", f"{CASE}.yaml:5: YAML 格式错误：这一行用 Tab 键缩进"),
    ("comma-in-braces.yaml", f"{CASE}.yaml:16: address.en: YAML 格式错误：{{…}} 里的逗号"),
    ("fullwidth-colon.yaml", f"{CASE}.yaml:7: YAML 格式错误：字段名 district 后面是中文全角冒号"),
    ("date-month-13.yaml", f"{CASE}.yaml:16: completed: “2024-13-01”不是有效日期：没有 13 月"),
    ("date-feb-30-participation.yaml", f"{CASE}.yaml:40: participation[1].date: “2024-02-30”不是有效日期：2024年2月只有29天"),
    ("unknown-field.yaml", f"{CASE}.yaml:16: remarks: 未知字段"),
    ("bad-district.yaml", f"{CASE}.yaml:7: district: '长林' 不是"),
    ("missing-photo.yaml", f"{CASE}.yaml:48: media[1].file:"),
    ("not-utf8.yaml", f"{CASE}.yaml:5: 文件不是 UTF-8 编码"),
    ("empty.yaml", f"{CASE}.yaml:1: 文件为空"),
    ("a-list.yaml", f"{CASE}.yaml:2: 文件内容应是"),
]


def _one_case(tmp_path) -> Path:
    """The sample content cut down to one case (and what every site has): each rebuild takes a
    fraction of the time, and the error classes are the same."""
    import shutil

    content = copy_content(tmp_path)
    for folder in ("competition", "milestones", "statistics", "exhibitions", "glossary"):  # these name the other entries
        shutil.rmtree(content / folder)
    for path in (content / "excellent").iterdir():
        if not path.name.startswith(CASE):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return content


def _banner(html: str) -> str:
    return html.split('class="sc-serve-errors"', 1)[1].split("</div>", 1)[0] if 'class="sc-serve-errors"' in html else ""


def test_every_error_class_saved_while_serving_keeps_the_last_good_site_under_a_banner(tmp_path):
    """Each class of mistake, saved in turn over one case while `showcase serve` runs: the page
    keeps the last good content, the banner names file, line and what is wrong, and the server
    goes on answering; a warning alone (control characters) rebuilds the page without a banner."""
    import html as html_lib

    content = _one_case(tmp_path)
    case_file = content / "excellent" / f"{CASE}.yaml"
    good = case_file.read_bytes()
    with showcase_serve(content, tmp_path / "cache") as base:
        url = f"{base}cases/{CASE}/"
        assert wait_for(lambda: fetch(url), 60), "mkdocs serve did not come up"
        for name, expected in SAVES:
            case_file.write_bytes((FIXTURES / name).read_bytes())
            page = wait_for(lambda: (html := fetch(url) or "") and expected in html_lib.unescape(_banner(html)) and html, 30)
            assert page, f"{name}: no banner with {expected!r}; last seen: {html_lib.unescape(_banner(fetch(url) or ''))[:500]!r}"
            assert "华阳人民坊" in page, f"{name}: the last good content is gone"
            assert fetch(f"{base}en/cases/{CASE}/"), f"{name}: the server stopped answering"
        # a warning is no error: the page is rebuilt from the file, without the character and the banner
        case_file.write_bytes((FIXTURES / "control-characters.yaml").read_bytes())
        page = wait_for(lambda: (html := fetch(url) or "") and "华阳人民坊（控制字符已去掉）" in html and html, 30)
        assert page and not _banner(page), "a save with only a warning did not rebuild the page"
        case_file.write_bytes(good)
        assert wait_for(lambda: (html := fetch(url) or "") and "（控制字符已去掉）" not in html and not _banner(html), 30)


# A bug of ours met while previewing: validation or page making fails on what was just saved.
BUGS = '''
import generator.collection as collection
import generator.render.pages as pages

_validate = collection.validate_entry
_render_all = pages.PageRenderer.render_all


def validate_entry(source, model):
    if "验证时出错" in source.path.read_text(encoding="utf-8", errors="replace"):
        raise RuntimeError("unforeseen in validation")
    return _validate(source, model)


def render_all(self, *args, **kwargs):
    if any("生成页面时出错" in case.title.zh for case in self.collection.cases.values()):
        raise RuntimeError("unforeseen in rendering")
    return _render_all(self, *args, **kwargs)


collection.validate_entry = validate_entry
pages.PageRenderer.render_all = render_all
'''


def test_an_internal_error_while_serving_is_shown_in_the_banner_and_the_preview_goes_on(tmp_path):
    """An internal error (a bug, not a mistake in the content) met with a saved file: the banner
    says it is an internal error and names the file, the last good content stays, the server goes
    on answering, and the next good save clears the banner."""
    import html as html_lib

    content = _one_case(tmp_path)
    case_file = content / "excellent" / f"{CASE}.yaml"
    good = case_file.read_text(encoding="utf-8")
    bugs = tmp_path / "bugs"
    bugs.mkdir()
    (bugs / "sitecustomize.py").write_text(BUGS, encoding="utf-8")  # imported by every Python started
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(bugs), os.environ.get("PYTHONPATH")]))}
    with showcase_serve(content, tmp_path / "cache", env=env) as base:
        url = f"{base}cases/{CASE}/"
        assert wait_for(lambda: fetch(url), 60), "mkdocs serve did not come up"
        for marker, stage in (("# 验证时出错\n", "validation"), ("生成页面时出错", "rendering")):
            saved = marker + good if marker.startswith("#") else good.replace("  zh: 华阳人民坊\n", f"  zh: 华阳人民坊{marker}\n", 1)
            assert saved != good
            case_file.write_text(saved, encoding="utf-8")
            page = wait_for(lambda: (html := fetch(url) or "") and "内部错误" in html_lib.unescape(_banner(html)) and html, 30)
            assert page, f"{stage}: no banner for an internal error"
            banner = html_lib.unescape(_banner(page))
            assert f"unforeseen in {stage}" in banner and "Traceback" not in banner
            if stage == "validation":
                assert f"{CASE}.yaml" in banner  # the file being processed
            assert "华阳人民坊" in page and marker.strip("# \n") not in page.split('class="sc-serve-errors"')[0]
            assert fetch(f"{base}en/cases/{CASE}/"), f"{stage}: the server stopped answering"
            case_file.write_text(good.replace("  zh: 华阳人民坊\n", f"  zh: 华阳人民坊（{stage}已恢复）\n", 1), encoding="utf-8")
            assert wait_for(lambda: (html := fetch(url) or "") and f"（{stage}已恢复）" in html and not _banner(html), 30), \
                f"{stage}: a good save after the internal error did not clear the banner"


def test_an_edit_reaches_every_page_that_shows_it_and_then_search(tmp_path):
    """Issue 17: the preview remakes only the pages an edit touches, so every page that shows the
    edited case must change with it: its own page in both languages, the case list, its district,
    the pages of cases that list it as related, the map page's place list; and a moment later the
    search index (until then the box says it is being refreshed). Checks that the change appears,
    not how fast (benchmarks/serve_bench.py times it)."""
    import json

    content = copy_content(tmp_path)
    case_file = content / "excellent" / "changning-ningjuli.yaml"
    text = case_file.read_text(encoding="utf-8")
    edited = re.sub(r"^(title:\s*\n\s+zh:\s*)(.+)$", r"\1宁聚里预览改名", text, count=1, flags=re.M)
    edited = re.sub(r"^(\s+en:\s*)(.+)$", r"\1Ningjuli Preview Renamed", edited, count=1, flags=re.M)
    assert edited != text and "Ningjuli Preview Renamed" in edited
    with showcase_serve(content, tmp_path / "cache") as base:
        own = f"{base}cases/changning-ningjuli/"
        assert wait_for(lambda: fetch(own), 60), "mkdocs serve did not come up"
        pages = [f"{base}cases/", f"{base}districts/changning/", f"{base}map/", f"{base}en/cases/"]
        related = [f"{base}cases/{other.stem}/" for other in (content / "excellent").glob("*.yaml")
                   if 'href="../changning-ningjuli/"' in (fetch(f"{base}cases/{other.stem}/") or "")]
        assert related, "no case page lists the edited case as related: the test would prove nothing"
        # the first index follows the first pages (the preview shows them without waiting for it)
        entry = wait_for(lambda: fetch(f"{base}pagefind/pagefind-entry.json"), 120)
        assert entry, "the preview never got a search index"
        case_file.write_text(edited, encoding="utf-8")
        assert wait_for(lambda: "宁聚里预览改名" in (fetch(own) or ""), 60), "the edit never reached the served page"
        assert wait_for(lambda: "Ningjuli Preview Renamed" in (fetch(f"{base}en/cases/changning-ningjuli/") or ""), 30)
        for url in pages + related:
            page = fetch(url) or ""
            expected = "Ningjuli Preview Renamed" if "/en/" in url else "宁聚里预览改名"
            assert expected in page, f"{url} still shows the old title"
        # the search index follows: a new bundle without the note, which finds the new title
        assert wait_for(lambda: fetch(f"{base}pagefind/pagefind-entry.json") not in (None, entry), 120), \
            "the search index was never refreshed"
        assert wait_for(lambda: fetch(f"{base}pagefind/refreshing") is None, 30)
        languages = json.loads(fetch(f"{base}pagefind/pagefind-entry.json"))["languages"]
        assert set(languages) == {INDEX_LANG["zh"], "en"}  # the Chinese index is named "und" (records.INDEX_LANG)
