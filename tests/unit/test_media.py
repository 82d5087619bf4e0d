"""The image pipeline on images the tests make: metadata gone, orientation applied, colours in
sRGB, 16-bit scaled, bombs and broken files refused with entry and file, the cache obeyed."""

from __future__ import annotations

import re

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from generator.collection import load_collection
from generator.diagnostics import Diagnostics
from generator.media import PublishedImage, PublishedVideo, publish_media
from generator.media.images import WIDTHS
from tests.unit.test_validation import VALID_CASE, make_content

GPS = {1: "N", 2: (31.0, 13.0, 0.0), 3: "E", 4: (121.0, 25.0, 0.0)}


def jpeg(size=(400, 200), colour=(200, 80, 40), orientation=None, gps=True, mode="RGB", **extra) -> bytes:
    image = Image.new(mode, size, colour)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0xA431] = "SERIAL-12345"  # body serial number
    exif[0x013B] = "Owner Name"  # artist
    if gps:
        exif[0x8825] = GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, **extra)
    return out.getvalue()


def png_with_xmp_and_icc() -> bytes:
    image = Image.new("RGBA", (300, 200), (10, 120, 200, 128))
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><exif:GPSLatitude>31,13N</exif:GPSLatitude></rdf:RDF></x:xmpmeta>')
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(out, "PNG", pnginfo=info, icc_profile=icc)
    return out.getvalue()


def png_16bit() -> bytes:
    image = Image.new("I;16", (200, 100), 32768)  # mid grey in 16 bits
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims to be enormous: what a decompression bomb looks like from outside."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def heic() -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 160, 60)).save(out, "HEIF")
    return out.getvalue()


def content_with_media(tmp_path: Path, files: dict[str, bytes], extra_items: str = ""):
    items = "".join(f"  - file: {name}\n    alt: 说明\n" for name in files if not name.endswith(".mp4"))
    root = make_content(tmp_path, {"excellent/changning-test.yaml": VALID_CASE + "media:\n" + items + extra_items})
    folder = root / "excellent" / "changning-test"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    collection, diagnostics = load_collection(root, display_root=tmp_path)
    assert collection is not None, [d.format("en") for d in diagnostics]
    return collection


def published_files(published) -> list[Path]:
    return [path for _site, path in published.files]


def assert_clean(path: Path) -> None:
    data = path.read_bytes()
    for marker in (b"Exif\x00\x00", b"GPS", b"PhoneMaker", b"SERIAL-12345", b"Owner Name", b"xmpmeta", b"XML:com.adobe.xmp", b"ICC_PROFILE", b"iCCP"):
        assert marker not in data, (path.name, marker)
    with Image.open(path) as image:
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info), (path.name, image.info.keys())


def test_published_copies_carry_no_metadata_and_are_upright(tmp_path):
    original = jpeg(size=(2400, 1200), orientation=6)
    collection = content_with_media(tmp_path, {"phone.jpg": original, "drawing.png": png_with_xmp_and_icc()})
    diagnostics = Diagnostics()
    published = publish_media(collection, tmp_path / "cache", diagnostics)
    assert not diagnostics.has_errors(), [d.format("en") for d in diagnostics]
    photo = published.get("excellent", "changning-test", "phone.jpg")
    assert isinstance(photo, PublishedImage)
    # stored 2400×1200 and turned a quarter: shown 1200 wide, 2400 high
    assert [w for w, _ in photo.sources["jpg"]] == [480, 960, 1200] and (photo.width, photo.height) == (1200, 2400)
    assert [w for w, _ in photo.sources["webp"]] == [480, 960, 1200]
    assert photo.thumb_size == (320, 640)
    files = published_files(published)
    # in WebP and JPEG: the photo at 480/960/1200 + thumbnail, the 300 px drawing at 300 + thumbnail
    assert len(files) == 2 * 4 + 2 * 2
    for path in files:
        assert_clean(path)
    with Image.open(next(p for p in files if p.name.endswith("-960.jpg") and "drawing" not in str(p) and p.stat().st_size)) as image:
        assert image.height > image.width
    # the original is untouched
    assert (tmp_path / "cases" / "excellent" / "changning-test" / "phone.jpg").read_bytes() == original


def test_cmyk_and_16_bit_come_out_as_8_bit_srgb(tmp_path):
    cmyk = io.BytesIO()
    Image.new("CMYK", (500, 300), (0, 255, 255, 0)).save(cmyk, "JPEG")  # red in CMYK
    collection = content_with_media(tmp_path, {"print.jpg": cmyk.getvalue(), "scan.png": png_16bit()})
    published = publish_media(collection, tmp_path / "cache", Diagnostics())
    red = published.get("excellent", "changning-test", "print.jpg")
    with Image.open(Path(published.files[[s for s, _ in published.files].index(red.fallback)][1])) as image:
        assert image.mode == "RGB"
        r, g, b = image.getpixel((10, 10))
        assert r > 200 and g < 60 and b < 60
    grey = published.get("excellent", "changning-test", "scan.png")
    with Image.open(dict(published.files)[grey.fallback]) as image:
        value = image.convert("L").getpixel((5, 5))
        assert 110 <= value <= 145  # mid grey, not clipped to white


def test_heic_from_an_iphone_is_read(tmp_path):
    collection = content_with_media(tmp_path, {"IMG_0001.HEIC": heic()})
    diagnostics = Diagnostics()
    published = publish_media(collection, tmp_path / "cache", diagnostics)
    assert not diagnostics.has_errors(), [d.format("en") for d in diagnostics]
    image = published.get("excellent", "changning-test", "IMG_0001.HEIC")
    assert image.sources["jpg"][-1][0] == 640 and re.search(r"/IMG_0001\.[0-9a-f]{10}-640\.jpg$", image.largest)


@pytest.mark.parametrize("name, data, words", [
    ("truncated.jpg", jpeg(size=(1200, 800))[:4000], "truncated or damaged"),
    ("notes.jpg", b"these are meeting notes, not a photo", "not an image"),
    ("bomb.png", png_header_only(30000, 30000), "too many pixels"),
    ("large.png", png_header_only(10000, 9000), "too"),
    ("favicon.ico", "ico", "unsupported image format ICO"),
])
def test_unpublishable_files_are_refused_with_entry_and_file(tmp_path, name, data, words):
    if data == "ico":
        out = io.BytesIO()
        Image.new("RGB", (32, 32)).save(out, "ICO")
        data = out.getvalue()
    collection = content_with_media(tmp_path, {"fine.jpg": jpeg(), name: data})
    diagnostics = Diagnostics()
    published = publish_media(collection, tmp_path / "cache", diagnostics)
    (problem,) = [d for d in diagnostics.errors if d.code == "media_unreadable"]
    assert problem.file == "cases/excellent/changning-test.yaml"
    lines = (tmp_path / "cases" / "excellent" / "changning-test.yaml").read_text(encoding="utf-8").splitlines()
    assert problem.field == "media[2].file" and lines[problem.line - 1].strip() == f"- file: {name}"
    assert name in problem.message.en and words in problem.message.en and name in problem.message.zh
    assert ("excellent", "changning-test", "fine.jpg") in published.items  # the good one still goes through


def test_truncated_photos_are_refused_even_after_weasyprint_allowed_them(tmp_path):
    """Importing WeasyPrint (the PDF export) sets Pillow's global LOAD_TRUNCATED_IMAGES; a build
    that made the PDF must still refuse a half-copied photo rather than publish it half grey."""
    from PIL import ImageFile

    import weasyprint  # noqa: F401  (sets the flag)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    collection = content_with_media(tmp_path, {"cut.jpg": jpeg(size=(1200, 800))[:4000]})
    diagnostics = Diagnostics()
    publish_media(collection, tmp_path / "cache", diagnostics)
    assert [d.code for d in diagnostics.errors] == ["media_unreadable"]
    assert "truncated" in diagnostics.errors[0].message.en
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's own setting is left as it was


def test_a_rebuild_encodes_nothing_and_one_changed_photo_only_itself(tmp_path):
    files = {f"p{i}.jpg": jpeg(size=(1000 + i, 700), colour=(i * 40, 100, 100)) for i in range(4)}
    collection = content_with_media(tmp_path, files)
    cache = tmp_path / "cache"
    first = publish_media(collection, cache, Diagnostics())  # four misses: the parallel path
    assert (first.processed, first.cached) == (4, 0)
    second = publish_media(collection, cache, Diagnostics())
    assert (second.processed, second.cached) == (0, 4)
    assert [s for s, _ in second.files] == [s for s, _ in first.files]
    (tmp_path / "cases" / "excellent" / "changning-test" / "p2.jpg").write_bytes(jpeg(size=(1500, 900), colour=(1, 2, 3)))
    third = publish_media(collection, cache, Diagnostics())
    assert (third.processed, third.cached) == (1, 3)


def test_the_same_photo_twice_is_encoded_once(tmp_path):
    photo = jpeg(size=(900, 600))
    collection = content_with_media(tmp_path, {"a.jpg": photo, "b.jpg": photo})
    published = publish_media(collection, tmp_path / "cache", Diagnostics())
    assert published.processed == 1
    a = published.get("excellent", "changning-test", "a.jpg").largest
    b = published.get("excellent", "changning-test", "b.jpg").largest
    assert re.search(r"/a\.[0-9a-f]{10}-900\.jpg$", a) and re.search(r"/b\.[0-9a-f]{10}-900\.jpg$", b)
    assert a.split(".")[-2] == b.split(".")[-2]  # the same photo: the same content hash in both names


def mp4(extra: bytes = b"") -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2"
    udta = b"\xa9xyz" + b"+31.2304+121.4737/" if extra == b"gps" else b""
    moov = struct.pack(">I", 8 + len(udta)) + b"moov" + udta
    return ftyp + moov


def test_videos_are_checked_for_a_recording_location(tmp_path):
    items = ("  - {kind: video, file: walk.mp4, caption: 视频}\n"
             "  - {kind: video, file: phone.mp4, poster: fine.jpg}\n"
             "  - {kind: video, url: 'https://example.org/v/123', caption: 外部视频}\n")
    collection = content_with_media(tmp_path, {"fine.jpg": jpeg(), "walk.mp4": mp4(), "phone.mp4": mp4(b"gps")}, items)
    diagnostics = Diagnostics()
    published = publish_media(collection, tmp_path / "cache", diagnostics)
    (problem,) = diagnostics.errors
    assert problem.field == "media[3].file" and "location" in problem.message.en and "ffmpeg" in problem.hint.en
    walk = published.get("excellent", "changning-test", "walk.mp4")
    assert isinstance(walk, PublishedVideo) and walk.site_path.endswith("walk.mp4")
    assert walk.poster is not None  # the entry's first image stands in for a missing poster
    external = published.get("excellent", "changning-test", "https://example.org/v/123")
    assert external.url == "https://example.org/v/123" and external.site_path is None
    assert not any(s.endswith("phone.mp4") for s, _ in published.files)


def test_widths_never_upscale():
    from generator.media.images import targets

    assert targets(3000) == list(WIDTHS)
    assert targets(1000) == [480, 960, 1000]
    assert targets(300) == [300]
