"""Photos, galleries, before/after and video in the built pages; a rebuild encodes nothing."""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.helpers import build, copy_content, page_file

CASE = "changning-ningjuli"


def photo(colour, size=(2000, 1333)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 0.0), 3: "E", 4: (121.0, 25.0, 0.0)}
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def mp4() -> bytes:
    return struct.pack(">I", 24) + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2" + struct.pack(">I", 8) + b"moov"


MEDIA = """media:
  - {file: before.jpg, kind: before, pair: hall, alt: {zh: 改造前的大厅, en: The hall before}, caption: {zh: 改造前, en: Before}}
  - {file: after.jpg, kind: after, pair: hall, alt: {zh: 改造后的大厅, en: The hall after}, caption: {zh: 改造后, en: After}}
  - {file: 活动 1.jpg, alt: {zh: 居民活动, en: Residents' activity}, caption: 居民活动, credit: 长宁区}
  - {file: plan.jpg, kind: plan, alt: {zh: 平面图, en: Floor plan}}
  - {kind: video, file: tour.mp4, caption: {zh: 参观视频, en: A walk through}}
  - {kind: video, url: "https://example.org/watch/123", poster: plan.jpg, caption: 外部视频}
"""


def content_with_photos(tmp: Path) -> Path:
    content = copy_content(tmp)
    case = content / "excellent" / f"{CASE}.yaml"
    text = case.read_text(encoding="utf-8")
    text = re.sub(r"^media:\n(?:  .*\n|    .*\n)+", MEDIA, text, count=1, flags=re.M)
    case.write_text(text, encoding="utf-8")
    folder = case.with_suffix("")
    for name, colour in (("before.jpg", (90, 90, 90)), ("after.jpg", (200, 180, 120)), ("活动 1.jpg", (40, 120, 200)), ("plan.jpg", (250, 250, 250))):
        (folder / name).write_bytes(photo(colour))
    (folder / "tour.mp4").write_bytes(mp4())
    return content


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("photos")
    content = content_with_photos(tmp)
    site, cache = tmp / "site", tmp / "cache"
    first = build(content, site, cache)
    assert first.returncode == 0, first.stderr
    second = build(content, site, cache)
    assert second.returncode == 0, second.stderr
    return site, first.stdout + first.stderr, second.stdout + second.stderr


def test_a_rebuild_encodes_nothing(photo_site):
    _site, first, second = photo_site
    processed = re.search(r"images: (\d+) processed, (\d+) from the cache", first)
    assert processed and int(processed.group(1)) >= 4
    again = re.search(r"images: (\d+) processed, (\d+) from the cache", second)
    assert again and again.group(1) == "0" and int(again.group(2)) == int(processed.group(1)) + int(processed.group(2))


def test_every_image_has_its_size_and_gallery_photos_a_srcset(photo_site, sample_collection):
    site, *_ = photo_site
    for path in list(site.rglob("index.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = page.select_one("article")
        for img in article.find_all("img") if article else []:
            assert img.get("width") and img.get("height"), (path, img)
            assert img.get("alt") is not None, (path, img)
    page = BeautifulSoup(page_file(site, f"en/cases/{CASE}/").read_text(encoding="utf-8"), "html.parser")
    gallery = page.select(".sc-gallery .sc-figure img")
    assert gallery
    for img in gallery:
        assert img["loading"] == "lazy" and "480w" in img["srcset"] and img["sizes"]
        source = img.find_previous_sibling("source")
        assert source["type"] == "image/webp" and ".webp 480w" in source["srcset"]
    # a file name with a space is percent-encoded, so the srcset stays one list
    activity = next(img for img in gallery if "activity" in img["alt"])
    assert "%20" in activity["srcset"] and " 1.jpg" not in activity["srcset"]
    assert activity.find_parent("figure").figcaption.get_text(" ", strip=True).startswith("居民活动")


def test_published_photos_have_no_gps(photo_site):
    site, *_ = photo_site
    published = list((site / "media" / "excellent" / CASE).glob("*.jpg")) + list((site / "media" / "excellent" / CASE).glob("*.webp"))
    assert len(published) >= 16
    for path in published:
        data = path.read_bytes()
        assert b"Exif" not in data and b"GPS" not in data, path.name
    assert not (site / "media" / "excellent" / CASE / "before.jpg").exists()  # originals are not published


def test_before_and_after_as_a_pair_that_works_without_javascript(photo_site):
    site, *_ = photo_site
    page = BeautifulSoup(page_file(site, f"cases/{CASE}/").read_text(encoding="utf-8"), "html.parser")
    (pair,) = page.select(".sc-compare")
    images = pair.select("img")
    assert [img["alt"] for img in images] == ["改造前的大厅", "改造后的大厅"]
    assert pair.select_one("input[type=range]").has_attr("hidden")  # the slider appears only with JavaScript
    assert [label.get_text() for label in pair.select(".sc-compare__label")] == ["改造前", "改造后"]
    assert not page.select(".sc-gallery img[alt='改造前的大厅']")  # not repeated in the gallery


def test_video_plays_only_when_asked_and_external_video_is_a_link(photo_site):
    site, *_ = photo_site
    page = BeautifulSoup(page_file(site, f"en/cases/{CASE}/").read_text(encoding="utf-8"), "html.parser")
    (video,) = page.select("video")
    assert video.has_attr("controls") and video["preload"] == "none" and not video.has_attr("autoplay")
    assert video.get("poster") and video.source["src"].endswith("tour.mp4")
    assert (site / "media" / "excellent" / CASE / "tour.mp4").is_file()
    link = page.select_one("a.sc-video__link")
    assert link["href"] == "https://example.org/watch/123" and "noopener" in link["rel"]
    assert "example.org" in link.get_text() and link.select_one("img")
    assert not page.find("iframe")


def test_case_cards_show_a_thumbnail(photo_site):
    site, *_ = photo_site
    page = BeautifulSoup(page_file(site, "cases/").read_text(encoding="utf-8"), "html.parser")
    card = next(c for c in page.select(".sc-card") if f"{CASE}/" in c.a["href"])
    thumb = card.select_one(".sc-thumb img")
    assert thumb and thumb["src"].endswith("-thumb.jpg") and thumb["loading"] == "lazy"
    assert int(thumb["width"]) == 320
