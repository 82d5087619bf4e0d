"""`showcase serve` (mkdocs serve underneath) picks up a YAML edit under cases/ and serves the rebuilt
page; a YAML mistake keeps the last good page with a banner naming file and line."""

from __future__ import annotations

import re

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
