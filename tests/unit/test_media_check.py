"""`showcase check` reports first whatever the build's media stage would refuse: images of every
entry kind (placeholders and exhibition images too) and local videos; and it reads an image the
build has already published, or an earlier check has read, only once."""

from __future__ import annotations

import io
import json

from PIL import Image

import generator.media as media
from generator.collection import load_collection
from generator.diagnostics import Diagnostics
from generator.editorial import review
from generator.media import publish_media
from tests.cli.helpers import check_json
from tests.unit.test_media import content_with_media, jpeg, mp4
from tests.unit.test_media_kinds import huge_text, png_chunk, raw_png
from tests.unit.test_validation import VALID_CASE, make_content

EXHIBITION = """\
id: walk
title: {zh: 漫步, en: A walk}
introduction: {zh: 一次漫步。, en: A walk.}
media:
  - {file: cover.jpg, alt: 封面}
cover: cover.jpg
rooms:
  - title: {zh: 第一室, en: Room one}
    items:
      - media: cover.jpg
"""


def test_check_reports_what_the_build_would_refuse_in_every_entry_kind_and_video(tmp_path):
    infographic = io.BytesIO()
    Image.new("RGB", (1200, 17000), (240, 240, 240)).save(infographic, "JPEG")
    items = ("  - {file: infographic.jpg, alt: 长图}\n"
             "  - {file: cut.jpg, alt: 照片}\n"
             "  - {file: notes.png, alt: 照片}\n"
             "  - {file: model.jpg, alt: 模型, placeholder: true}\n"
             "  - {kind: video, file: phone.mp4, caption: 视频}\n")
    root = make_content(tmp_path, {"excellent/changning-test.yaml": VALID_CASE + "media:\n" + items,
                                   "exhibitions/walk.yaml": EXHIBITION})
    folder = root / "excellent" / "changning-test"
    folder.mkdir()
    (folder / "infographic.jpg").write_bytes(infographic.getvalue())
    (folder / "cut.jpg").write_bytes(jpeg(size=(1600, 1200))[:5000])
    (folder / "notes.png").write_bytes(raw_png(300, 200, 8, 2, b"\x80\x80\x80", before=png_chunk(b"zTXt", b"Comment\0\0" + huge_text())))
    (folder / "model.jpg").write_bytes(b"GIF89a, or so it said")
    (folder / "phone.mp4").write_bytes(mp4(b"gps"))
    (root / "exhibitions" / "walk").mkdir()
    (root / "exhibitions" / "walk" / "cover.jpg").write_bytes(jpeg(size=(1600, 1000))[:2000])

    code, report = check_json(root)
    assert code == 1
    errors = {(d["file"].rsplit("/", 1)[1], d["field"]): d for d in report["diagnostics"] if d["severity"] == "error"}
    assert set(errors) == {("changning-test.yaml", "media[2].file"), ("changning-test.yaml", "media[3].file"),
                           ("changning-test.yaml", "media[4].file"), ("changning-test.yaml", "media[5].file"),
                           ("walk.yaml", "media[1].file")}
    assert "truncated" in errors[("changning-test.yaml", "media[2].file")]["message"]["en"]
    assert "metadata" in errors[("changning-test.yaml", "media[3].file")]["message"]["en"]
    assert "not an image" in errors[("changning-test.yaml", "media[4].file")]["message"]["en"]  # a placeholder is published too
    assert "location" in errors[("changning-test.yaml", "media[5].file")]["message"]["en"]  # videos are checked
    assert "truncated" in errors[("walk.yaml", "media[1].file")]["message"]["en"]
    # the long infographic is fine: no error, no "too small" (it is 1200 px wide)
    assert not [d for d in report["diagnostics"] if d["field"] == "media[1].file" and d["file"].endswith("changning-test.yaml")]

    # and the build refuses exactly these
    collection, _ = load_collection(root, display_root=tmp_path, keep_partial=True)
    built = Diagnostics()
    publish_media(collection, tmp_path / "cache", built)
    assert {(d.file.rsplit("/", 1)[1], d.field) for d in built.errors} == set(errors)
    for d in built.errors:
        shown = errors[(d.file.rsplit("/", 1)[1], d.field)]
        assert (d.line, d.message.en, d.message.zh) == (shown["line"], shown["message"]["en"], shown["message"]["zh"])


def test_check_reads_an_image_the_build_or_an_earlier_check_has_read_only_once(tmp_path, monkeypatch):
    files = {"a.jpg": jpeg(size=(1600, 900)), "small.jpg": jpeg(size=(640, 480), orientation=6)}
    collection = content_with_media(tmp_path, files)
    cache = tmp_path / "cache"
    first = review(collection, cache)
    small = [d for d in first if d.code == "image_too_small"]
    assert len(small) == 1 and "480×640" in small[0].message.en  # as shown: the camera's rotation applied

    read = []
    real = media.inspect_image
    monkeypatch.setattr(media, "inspect_image", lambda path: read.append(path.name) or real(path))
    assert review(collection, cache).items == first.items and read == []  # known from the first check

    publish_media(collection, cache, Diagnostics())  # the build's manifests say the same
    for facts in cache.glob("images/*/facts.json"):
        facts.unlink()
    assert review(collection, cache).items == first.items and read == []

    (tmp_path / "cases" / "excellent" / "changning-test" / "a.jpg").write_bytes(jpeg(size=(1700, 900)))
    assert review(collection, cache).items == first.items and read == ["a.jpg"]  # a changed photo is read again

    # a damaged cache is a cache miss, never a crash
    for manifest in cache.glob("images/*/manifest.json"):
        manifest.write_text("[", encoding="utf-8")
    (cache / "digests.json").write_text(json.dumps({"x": "y"}), encoding="utf-8")
    read.clear()
    assert review(collection, cache).items == first.items and sorted(read) == ["small.jpg"]
    rebuilt = publish_media(collection, cache, Diagnostics())
    assert (rebuilt.processed, rebuilt.cached) == (2, 0)  # the damaged copies are made again


def test_a_refused_image_is_not_remembered_as_good(tmp_path):
    collection = content_with_media(tmp_path, {"cut.jpg": jpeg(size=(1600, 1200))[:4000]})
    cache = tmp_path / "cache"
    for _ in range(2):
        assert [d.code for d in review(collection, cache).errors] == ["media_unreadable"]
    assert not list(cache.glob("images/*/facts.json")) and not list(cache.glob("images/*/manifest.json"))
