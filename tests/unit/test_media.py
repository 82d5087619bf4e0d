"""Published images: metadata stripped, orientation applied, broken files named."""

from __future__ import annotations

import io

from PIL import Image

from generator.collection import load_collection
from generator.diagnostics import Diagnostics
from generator.media import publish_media
from tests.unit.test_validation import VALID_CASE, make_content


def photo_with_gps_and_rotation() -> bytes:
    image = Image.new("RGB", (400, 200), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° when shown
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 0.0), 3: "E", 4: (121.0, 25.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def content_with_media(tmp_path, files: dict[str, bytes]):
    items = "".join(f"  - file: {name}\n    alt: 说明\n" for name in files)
    root = make_content(tmp_path, {"excellent/changning-test.yaml": VALID_CASE + "media:\n" + items})
    folder = root / "excellent" / "changning-test"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    collection, diagnostics = load_collection(root, display_root=tmp_path)
    assert collection is not None, [d.format("en") for d in diagnostics]
    return collection


def test_published_photo_has_no_metadata_and_is_upright(tmp_path):
    original = photo_with_gps_and_rotation()
    collection = content_with_media(tmp_path, {"phone.jpg": original})
    diagnostics = Diagnostics()
    published = publish_media(collection, tmp_path / "cache", diagnostics)
    assert not diagnostics.has_errors()
    item = published.get("excellent", "changning-test", "phone.jpg")
    with Image.open(item.cache_path) as image:
        assert image.size == (200, 400) == (item.width, item.height)
        assert not image.getexif() and "exif" not in image.info
    assert (tmp_path / "cases" / "excellent" / "changning-test" / "phone.jpg").read_bytes() == original

    again = publish_media(collection, tmp_path / "cache", Diagnostics())
    assert (published.reencoded, again.reencoded) == (1, 0)


def test_broken_image_is_reported_with_entry_and_file(tmp_path):
    good = photo_with_gps_and_rotation()
    collection = content_with_media(tmp_path, {"truncated.jpg": good[: len(good) // 2], "notes.jpg": b"not an image"})
    diagnostics = Diagnostics()
    publish_media(collection, tmp_path / "cache", diagnostics)
    errors = {(e.file, e.line, e.field) for e in diagnostics.errors if e.code == "media_unreadable"}
    assert errors == {("cases/excellent/changning-test.yaml", 20, "media[1].file"),
                      ("cases/excellent/changning-test.yaml", 22, "media[2].file")}


def test_similar_names_publish_to_different_paths(tmp_path):
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    jpeg = photo_with_gps_and_rotation()
    collection = content_with_media(tmp_path, {"a.jpg": jpeg, "a.jpeg": jpeg, "a.png": png.getvalue()})
    published = publish_media(collection, tmp_path / "cache", Diagnostics())
    paths = {published.get("excellent", "changning-test", name).site_path for name in ("a.jpg", "a.jpeg", "a.png")}
    assert paths == {"media/excellent/changning-test/a.jpg", "media/excellent/changning-test/a.jpeg.jpg",
                     "media/excellent/changning-test/a.png"}
