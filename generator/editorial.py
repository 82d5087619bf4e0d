"""Editorial review: things that are not errors but that an editor should fix before publishing.

The build needs none of this to succeed; `showcase check` reports it as warnings so staff can
work through them (missing English, missing alt text, photos too small to look sharp, a point
that lies outside the district the entry names, a case without a real photograph). Check also
says here all that the build's media stage would say (media.inspect_media reads every image and
video as the build does): an image the build would refuse is an error before anyone builds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import geo
from .collection import Collection
from .diagnostics import Bilingual, Diagnostic, Diagnostics, format_path, warning
from .media import inspect_media

# Case pages show a photo up to about 800 CSS pixels wide; 1200 px keeps it sharp on phones and
# high-density screens (issue 5 derives 480/960/1600 px copies from the original).
MIN_IMAGE_WIDTH = 1200
# Boundaries are simplified (edges within ~100 m) and many points are street-level estimates:
# a point this close to the stated district is not worth an editor's time.
DISTRICT_TOLERANCE_M = 300


def review(collection: Collection, cache_dir: Path | None = None) -> Diagnostics:
    """The editorial warnings, and everything the build's media stage would say (it reads every
    image and video as the build does; `cache_dir`, the build's cache, spares reading again what
    is known by its content)."""
    found = Diagnostics()
    found.extend(_missing_english(collection))
    media, facts = inspect_media(collection, cache_dir)
    found.extend(media)
    found.extend(_media_problems(collection, facts))
    for check in (_district_mismatches, _cases_without_photo, _too_long_for_a_cell):
        found.extend(check(collection))
    return found


def _missing_english(collection: Collection) -> Iterator[Diagnostic]:
    for item in collection.missing_translations():
        yield warning("missing_english", item.file, item.line, item.field,
                      "缺少英文", "the English text is missing",
                      Bilingual("页面暂以中文显示并标注；运行 showcase translations 导出待译清单",
                                "the page shows the Chinese, marked; run `showcase translations` to list what needs translating"))


def _entries_with_media(collection: Collection):
    for kind in ("excellent", "competition", "milestones", "exhibitions"):
        for entry_id, entry in collection.table(kind).items():
            yield kind, entry_id, entry


def _media_problems(collection: Collection, facts: dict) -> Iterator[Diagnostic]:
    for kind, entry_id, entry in _entries_with_media(collection):
        source = collection.sources[(kind, entry_id)]
        for index, item in enumerate(entry.media):
            loc = ("media", index)
            if item.kind == "video":
                continue  # a video's poster is decoration; its caption says what it shows
            if item.alt is None:
                yield warning("missing_alt", source.display, source.line_for(loc), format_path(loc),
                              f"图片“{item.file}”没有替代文字（alt）", f"the image '{item.file}' has no alt text",
                              Bilingual("用一句话写出图片里能看到什么，供读屏软件朗读，例如 alt: 改造后的社区食堂内景",
                                        "describe in a sentence what the picture shows, for screen readers, e.g. alt: the canteen after renewal"))
            known = facts.get((kind, entry_id, index))  # None: refused, by load_collection or the media check
            if item.placeholder or known is None:
                continue
            width, height = known.width, known.height  # as shown, the camera's rotation applied
            if width < MIN_IMAGE_WIDTH:
                yield warning("image_too_small", source.display, source.line_for(loc + ("file",)), format_path(loc + ("file",)),
                              f"图片“{item.file}”只有 {width}×{height} 像素，在页面上会发虚",
                              f"the image '{item.file}' is only {width}×{height} pixels and will look blurred on the page",
                              Bilingual(f"请提供宽度至少 {MIN_IMAGE_WIDTH} 像素的原图", f"supply the original, at least {MIN_IMAGE_WIDTH} pixels wide"))


def _district_mismatches(collection: Collection) -> Iterator[Diagnostic]:
    districts = collection.reference.districts
    for kind in ("excellent", "competition"):
        for entry_id, entry in collection.table(kind).items():
            if entry.location is None:
                continue
            lat, lon = entry.location.lat, entry.location.lon
            distance = geo.distance_to_district_m(lat, lon, entry.district)
            if distance <= DISTRICT_TOLERANCE_M:
                continue
            source = collection.sources[(kind, entry_id)]
            stated = districts[entry.district]
            actual = geo.district_at(lat, lon)
            km = f"{distance / 1000:.1f}"
            if actual:
                where = districts[actual]
                zh = f"坐标 ({lat}, {lon}) 位于{where.zh}，距{stated.zh}边界约 {km} 公里"
                en = f"the point ({lat}, {lon}) lies in {where.en}, about {km} km from {stated.en}"
            else:
                zh = f"坐标 ({lat}, {lon}) 不在任何区的陆地范围内，距{stated.zh}约 {km} 公里"
                en = f"the point ({lat}, {lon}) lies in no district (water?), about {km} km from {stated.en}"
            yield warning("outside_district", source.display, source.line_for(("location",)), "location", zh, en,
                          Bilingual(f"请核对坐标或所属区（district: {entry.district}）；坐标用 WGS-84，可在地图上取点",
                                    f"check the coordinates or the district (district: {entry.district}); coordinates are WGS-84"))


def _cases_without_photo(collection: Collection) -> Iterator[Diagnostic]:
    for entry_id, case in collection.cases.items():
        if any(not item.placeholder for item in case.media):
            continue
        source = collection.sources[("excellent", entry_id)]
        only_placeholders = bool(case.media)
        yield warning("no_photo", source.display, source.line_for(("media",)) if case.media else None, "media",
                      "案例只有占位图，没有实景照片" if only_placeholders else "案例没有照片",
                      "the case has only placeholder images, no photograph" if only_placeholders else "the case has no photo",
                      Bilingual(f"把照片放进 {source.display.removesuffix('.yaml')}/ 并在 media: 下列出",
                                f"put photos in {source.display.removesuffix('.yaml')}/ and list them under media:"))


def _too_long_for_a_cell(collection: Collection) -> Iterator[Diagnostic]:
    """The spreadsheet exports (entries.xlsx on the downloads page) cut a text longer than one
    Excel cell holds and mark the cut; say so while it can still be shortened."""
    from .authoring.sheets import EXCEL_CELL_LIMIT

    for source, loc, text in collection.texts():
        for lang in ("zh", "en"):
            value = getattr(text, lang) or ""
            if len(value) > EXCEL_CELL_LIMIT // 2 and len(value.encode("utf-16-le")) // 2 > EXCEL_CELL_LIMIT:
                field = format_path((*loc, lang))
                yield warning("too_long_for_a_cell", source.display, source.line_for(loc), field,
                              f"文字超过 {EXCEL_CELL_LIMIT} 个字符，Excel 一个单元格放不下：导出的表格（entries.xlsx）会截断并标注",
                              f"the text is longer than the {EXCEL_CELL_LIMIT} characters an Excel cell holds: the spreadsheet export "
                              "(entries.xlsx) cuts it and marks the cut",
                              Bilingual("网站和其他导出文件显示全文；如需表格里也完整，请缩短",
                                        "the site and the other exports show it in full; shorten it if the spreadsheet needs it whole"))
