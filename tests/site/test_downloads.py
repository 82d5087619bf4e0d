"""The downloads page: made by the normal build from mkdocs.yml's `downloads`, in both languages,
each file linked with its real size and the content date; cached across builds."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from generator import urls
from tests.helpers import build, copy_content, page_file, resolve


def configured_formats() -> list[str]:
    from mkdocs.utils.yaml import yaml_load

    from tests.helpers import ROOT

    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = next(p["showcase"] for p in config["plugins"] if isinstance(p, dict) and "showcase" in p)
    return plugin.get("downloads") or []


def test_the_sample_configuration_offers_every_format():
    assert configured_formats() == ["pdf", "docx", "xlsx", "csv", "json", "geojson"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_downloads_page_links_every_file_with_its_size(sample_site, sample_collection, lang):
    from generator.export.formats import BY_KEY

    page_url = urls.page_url(urls.DOWNLOADS, lang)
    page = BeautifulSoup(page_file(sample_site, page_url).read_text(encoding="utf-8"), "html.parser")
    rows = page.select("table.sc-downloads tbody tr")
    expected = [name for key in configured_formats() for name, _ in BY_KEY[key].files]
    assert [row.select_one("code").get_text() for row in rows] == expected
    for row in rows:
        target = sample_site / resolve(page_url, row.select_one("a")["href"])
        assert target.is_file()
        shown = row.select("td")[1].get_text(strip=True)
        number, unit = re.match(r"([\d.]+) (KB|MB)", shown).groups()
        actual = target.stat().st_size / (1024 if unit == "KB" else 2**20)
        assert abs(float(number) - actual) <= 0.05 + actual * 0.001, (shown, target.stat().st_size)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.select_one("time")["datetime"])
    # the nav offers the page in the page's language
    assert page.select_one("h1").get_text(strip=True) == ("下载" if lang == "zh" else "Downloads")


def test_downloaded_data_describes_the_site(sample_site, sample_collection):
    data = json.loads((sample_site / "downloads" / "entries.json").read_text(encoding="utf-8"))
    assert sorted(c["id"] for c in data["cases"]) == sorted(sample_collection.cases)
    for case in data["cases"]:  # the page addresses in the data exist on the site
        for lang, url in case["pages"].items():
            assert page_file(sample_site, url.lstrip("/")).is_file(), url


def test_a_rebuild_takes_the_downloads_from_the_cache(tmp_path):
    content = copy_content(tmp_path)
    first = build(content, tmp_path / "site", tmp_path / "cache")
    assert first.returncode == 0, first.stderr
    assert "downloads: made now" in first.stderr
    second = build(content, tmp_path / "site", tmp_path / "cache")
    assert second.returncode == 0 and "downloads: from the cache" in second.stderr
    # a content change makes them again
    case = next((content / "excellent").glob("*.yaml"))
    case.write_text(case.read_text(encoding="utf-8").replace("summary:", "# edited\nsummary:", 1), encoding="utf-8")
    third = build(content, tmp_path / "site", tmp_path / "cache")
    assert third.returncode == 0 and "downloads: made now" in third.stderr


def test_a_video_replaced_under_the_same_name_makes_the_downloads_again(sample_collection, tmp_path):
    """Image copies carry their original's digest in their names; a video is published as it is,
    so the cache key must see its replacement (same name, new file)."""
    import os

    from generator.export.downloads import _digest
    from generator.media import PublishedMedia
    from tests.helpers import ROOT

    video = tmp_path / "walk.mp4"
    video.write_bytes(b"first cut")
    media = PublishedMedia(files=[("media/excellent/x/walk.mp4", video)])
    key = lambda: _digest(sample_collection, media, ROOT / "site_templates", ["json"], "", "2026-01-01")  # noqa: E731
    first = key()
    assert key() == first
    video.write_bytes(b"the final cut, longer")
    os.utime(video, ns=(1, 1))
    assert key() != first
