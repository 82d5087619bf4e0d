"""The image kinds people actually send, each made here as a real file and read by the real
Pillow: what `showcase check` says about each (editorial.review, which check runs) is what the
build says (publish_media), and what the build publishes is a picture that can be shown."""

from __future__ import annotations

import re

import base64
import io
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin

from generator.diagnostics import Diagnostics
from generator.editorial import review
from generator.media import publish_media
from generator.media.images import MAX_SIDE, THUMB_WIDTH, WIDTHS, ImageProblem, copies, derive, inspect_image
from tests.unit.test_media import content_with_media, heic, jpeg, png_16bit

MEDIA_CODES = {"media_unreadable", "media_animated", "media_pages"}
ENTRY = ("excellent", "changning-test")


def said(diagnostics) -> list[tuple]:
    return sorted((d.severity.value, d.code, d.file, d.line, d.field, d.message.zh, d.message.en,
                   d.hint.zh if d.hint else None, d.hint.en if d.hint else None)
                  for d in diagnostics if d.code in MEDIA_CODES)


def check_and_build(tmp_path: Path, files: dict[str, bytes]):
    """Check, then build, the same entry; they must say the same about every file."""
    collection = content_with_media(tmp_path, files)
    checked = review(collection)
    built = Diagnostics()
    published = publish_media(collection, tmp_path / "cache", built)
    assert said(checked) == said(built)
    assert {d.code for d in built} <= MEDIA_CODES, [d.format("en") for d in built]
    return checked, built, published


def published_file(published, site_path: str) -> Path:
    return dict(published.files)[site_path]


def largest(published, name: str, fmt: str = "jpg") -> Image.Image:
    image = published.get(*ENTRY, name)
    return Image.open(published_file(published, image.sources[fmt][-1][1]))


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def raw_png(width: int, height: int, depth: int, colour_type: int, pixel: bytes, before: bytes = b"", after: bytes = b"") -> bytes:
    """A PNG written byte by byte, for what Pillow cannot write (48-bit RGB) or would refuse to."""
    rows = b"".join(b"\0" + pixel * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + before + png_chunk(b"IDAT", zlib.compress(rows))
            + after + png_chunk(b"IEND", b""))


# --- very long and very wide ------------------------------------------------------------------

def test_a_long_infographic_and_a_wide_panorama_are_published_scaled_to_fit(tmp_path):
    tall = Image.new("RGB", (1200, 17000), (240, 240, 240))
    ImageDraw.Draw(tall).rectangle((0, 16600, 1199, 16999), fill=(220, 0, 0))  # the conclusion, at the very end
    infographic = io.BytesIO()
    tall.save(infographic, "JPEG", quality=90)
    wide = Image.new("RGB", (17000, 1200), (240, 240, 240))
    ImageDraw.Draw(wide).rectangle((16600, 0, 16999, 1199), fill=(0, 0, 220))
    panorama = io.BytesIO()
    wide.save(panorama, "PNG")
    checked, built, published = check_and_build(tmp_path, {"infographic.jpg": infographic.getvalue(), "panorama.png": panorama.getvalue()})
    assert not said(checked) and not said(built)  # neither refused by check nor by the build

    for name in ("infographic.jpg", "panorama.png"):
        image = published.get(*ENTRY, name)
        for site_path in [p for fmt in ("webp", "jpg") for _w, p in image.sources[fmt]] + list(image.thumb.values()):
            with Image.open(published_file(published, site_path)) as copy:
                assert max(copy.size) <= MAX_SIDE, (site_path, copy.size)
    # scaled as a whole, not cut: the red end is still at the bottom, the blue one at the right
    with largest(published, "infographic.jpg", "webp") as copy:
        assert copy.size == (1156, round(17000 * 1156 / 1200))  # 16,377: the widest whole-pixel fit
        assert copy.convert("RGB").getpixel((578, copy.height - 5))[0] > 200
    assert re.search(r"/infographic\.[0-9a-f]{10}-1156\.jpg$", published.get(*ENTRY, "infographic.jpg").sources["jpg"][-1][1])
    with largest(published, "panorama.png") as copy:
        assert copy.size == (WIDTHS[-1], 113)
        r, g, b = copy.getpixel((WIDTHS[-1] - 3, 50))
        assert b > 180 and r < 60


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 100_000), st.integers(1, 100_000))
def test_no_copy_of_any_shape_exceeds_what_webp_can_hold(width, height):
    made = copies(width, height)
    assert [label for label, *_ in made].count("thumb") == 1
    for label, w, h in made:
        assert 1 <= w <= min(width, WIDTHS[-1]) and 1 <= h <= MAX_SIDE
        if label == "thumb":
            assert w <= THUMB_WIDTH
        if 1 < h < MAX_SIDE and w > 1:  # the shape is kept (to the pixel) unless a limit had the last word
            assert abs(h - height * w / width) <= 0.5


# --- colour and depth -------------------------------------------------------------------------

def _lab(rgb) -> tuple[float, float, float]:
    """sRGB (0-255) to CIELAB under D50, the ICC connection space."""
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(linear, rgb)
    x = 0.4360747 * r + 0.3850649 * g + 0.1430804 * b
    y = 0.2225045 * r + 0.7168786 * g + 0.0606169 * b
    z = 0.0139322 * r + 0.0971045 * g + 0.7141733 * b

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    fx, fy, fz = f(x / 0.9642), f(y), f(z / 0.8249)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def cmyk_profile(cyan_looks_like=(0, 174, 239)) -> bytes:
    """A small ICC v2 CMYK printer profile (an 8-bit lookup table over the 16 corners of the ink
    cube). On press full cyan ink is not the screen's (0, 255, 255) but about (0, 174, 239): a
    photo converted with its profile shows that, a naive conversion shows the garish one."""
    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    table = bytearray()
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    rgb = cyan_looks_like if (c, m, y, k) == (1, 0, 0, 0) else [255 * (1 - v) * (1 - k) for v in (c, m, y)]
                    lightness, a, b = _lab(rgb)
                    table += bytes([round(lightness * 2.55), max(0, min(255, round(a + 128))), max(0, min(255, round(b + 128)))])
    identity = bytes(range(256))
    matrix = b"".join(s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    tags = [(b"desc", b"desc" + bytes(4) + struct.pack(">I", 5) + b"test\0" + bytes(4 + 4 + 3 + 67)),
            (b"wtpt", b"XYZ " + bytes(4) + s15(0.9642) + s15(1.0) + s15(0.8249)),
            (b"cprt", b"text" + bytes(4) + b"test\0"),
            (b"A2B0", b"mft1" + bytes(4) + bytes([4, 3, 2, 0]) + matrix + identity * 4 + bytes(table) + identity * 3)]
    offset = 128 + 4 + 12 * len(tags)
    directory, body = b"", b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        directory += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (struct.pack(">I", offset + len(body)) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"prtrCMYKLab " + bytes(12) + b"acsp"
              + bytes(28) + s15(0.9642) + s15(1.0) + s15(0.8249))
    return header + bytes(128 - len(header)) + struct.pack(">I", len(tags)) + directory + body


def test_cmyk_photos_with_and_without_a_profile_show_their_colours(tmp_path):
    def cmyk(colour, **extra) -> bytes:
        out = io.BytesIO()
        Image.new("CMYK", (600, 400), colour).save(out, "JPEG", quality=95, **extra)
        return out.getvalue()

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _checked, built, published = check_and_build(tmp_path, {
        "plain.jpg": cmyk((0, 255, 255, 0)),  # red, no profile
        "profiled.jpg": cmyk((255, 0, 0, 0), icc_profile=cmyk_profile()),  # cyan ink, with the printer's profile
        "mislabelled.jpg": cmyk((0, 255, 255, 0), icc_profile=srgb),  # an RGB profile on CMYK pixels: ignored
    })
    assert not said(built)
    for name, expected in (("plain.jpg", (255, 0, 0)), ("profiled.jpg", (0, 174, 239)), ("mislabelled.jpg", (255, 0, 0))):
        for fmt in ("jpg", "webp"):
            with largest(published, name, fmt) as copy:
                assert copy.mode == "RGB"
                pixel = copy.getpixel((300, 200))
                assert all(abs(p - e) <= 12 for p, e in zip(pixel, expected)), (name, fmt, pixel)


def test_16_bit_palette_and_grey_with_alpha_come_out_as_8_bit_with_their_transparency(tmp_path):
    palette = Image.new("P", (500, 300), 0)
    palette.putpalette([0, 0, 0, 30, 90, 200] + [0] * 762)
    ImageDraw.Draw(palette).rectangle((0, 0, 249, 299), fill=1)  # left half blue, right half index 0: transparent
    palette_png = io.BytesIO()
    palette.save(palette_png, "PNG", transparency=0)
    grey_alpha = io.BytesIO()
    Image.new("LA", (500, 300), (90, 0)).save(grey_alpha, "PNG")  # grey, fully transparent
    files = {
        "scan.png": png_16bit(),  # I;16 mid grey
        "rgb48.png": raw_png(400, 300, 16, 2, struct.pack(">HHH", 65535, 32768, 0)),  # 16 bits per channel
        "rgba64.png": raw_png(400, 300, 16, 6, struct.pack(">HHHH", 0, 32768, 65535, 65535)),
        "palette.png": palette_png.getvalue(),
        "grey-alpha.png": grey_alpha.getvalue(),
    }
    _checked, built, published = check_and_build(tmp_path, files)
    assert not said(built)
    with largest(published, "scan.png") as copy:
        assert 110 <= copy.convert("L").getpixel((5, 5)) <= 145
    with largest(published, "rgb48.png") as copy:
        assert all(abs(p - e) <= 6 for p, e in zip(copy.getpixel((5, 5)), (255, 128, 0)))
    with largest(published, "rgba64.png", "webp") as copy:
        assert all(abs(p - e) <= 6 for p, e in zip(copy.convert("RGB").getpixel((5, 5)), (0, 128, 255)))
    with largest(published, "palette.png", "webp") as copy:  # WebP keeps the transparency
        assert copy.mode == "RGBA" and copy.getpixel((400, 150))[3] == 0 and copy.getpixel((100, 150))[3] == 255
    with largest(published, "palette.png") as copy:  # JPEG: transparent parts on white paper
        assert min(copy.getpixel((400, 150))) > 240 and copy.getpixel((100, 150))[2] > 150
    with largest(published, "grey-alpha.png", "webp") as copy:
        assert copy.mode == "RGBA" and copy.getpixel((5, 5))[3] == 0
    with largest(published, "grey-alpha.png") as copy:
        assert min(copy.getpixel((5, 5))) > 240


def test_heic_is_read_the_same_by_check_and_build(tmp_path):
    _checked, built, published = check_and_build(tmp_path, {"IMG_0001.HEIC": heic()})
    assert not said(built)
    with largest(published, "IMG_0001.HEIC") as copy:
        assert copy.size == (640, 480)


# --- animations -------------------------------------------------------------------------------

def animation(fmt: str, frames=((220, 30, 30), (30, 220, 30), (30, 30, 220))) -> bytes:
    images = [Image.new("RGB", (300, 200), colour) for colour in frames]
    out = io.BytesIO()
    images[0].save(out, fmt, save_all=len(images) > 1, append_images=images[1:], duration=200, loop=0)
    return out.getvalue()


def test_animations_publish_their_first_frame_and_both_check_and_build_say_so(tmp_path):
    files = {"dance.gif": animation("GIF"), "dance.png": animation("PNG"), "dance.webp": animation("WEBP"),
             "still.gif": animation("GIF", frames=[(220, 30, 30)])}
    scan = io.BytesIO()
    pages = [Image.new("L", (300, 400), shade) for shade in (40, 200)]
    pages[0].save(scan, "TIFF", save_all=True, append_images=pages[1:])
    files["minutes.tiff"] = scan.getvalue()
    checked, built, published = check_and_build(tmp_path, files)

    lines = (tmp_path / "cases" / "excellent" / "changning-test.yaml").read_text(encoding="utf-8").splitlines()
    notes = {d.field: d for d in checked if d.code in MEDIA_CODES}
    assert set(notes) == {"media[1].file", "media[2].file", "media[3].file", "media[5].file"}  # not the still GIF
    for field, name in (("media[1].file", "dance.gif"), ("media[2].file", "dance.png"), ("media[3].file", "dance.webp")):
        note = notes[field]
        assert note.code == "media_animated" and note.severity.value == "warning"
        assert lines[note.line - 1].strip() == f"- file: {name}"
        assert "3 frames" in note.message.en and "first frame" in note.message.en and "3 帧" in note.message.zh
        assert "MP4" in note.hint.en
        with largest(published, name) as copy:
            r, g, b = copy.getpixel((150, 100))
            assert r > 180 and g < 80 and b < 80  # the first frame, red
    assert notes["media[5].file"].code == "media_pages" and "2 pages" in notes["media[5].file"].message.en
    with largest(published, "minutes.tiff") as copy:
        assert copy.convert("L").getpixel((10, 10)) < 80
    assert ("excellent", "changning-test", "still.gif") in published.items


# --- refused: by check first, in the build's own words -----------------------------------------

def huge_text() -> bytes:
    return zlib.compress(b" " * (PngImagePlugin.MAX_TEXT_CHUNK + 1))  # about 1 KB that inflates past Pillow's limit


@pytest.mark.parametrize("name, data", [
    ("ztxt.png", raw_png(300, 200, 8, 2, b"\x80\x80\x80", before=png_chunk(b"zTXt", b"Comment\0\0" + huge_text()))),
    ("itxt-after-pixels.png", raw_png(300, 200, 8, 2, b"\x80\x80\x80", after=png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\1\0\0\0" + huge_text()))),
    ("icc.png", raw_png(300, 200, 8, 2, b"\x80\x80\x80", before=png_chunk(b"iCCP", b"ICC profile\0\0" + huge_text()))),
], ids=["zTXt", "iTXt after the pixels", "iCCP"])
def test_png_metadata_too_large_to_read_is_refused_by_check_and_build_with_a_hint(tmp_path, name, data):
    _checked, built, published = check_and_build(tmp_path, {"fine.jpg": jpeg(), name: data})
    (problem,) = built.errors
    assert problem.code == "media_unreadable" and problem.field == "media[2].file"
    assert name in problem.message.en and "metadata" in problem.message.en and "元数据" in problem.message.zh
    assert "-strip" in problem.hint.en and "JPEG" in problem.hint.en
    assert ("excellent", "changning-test", "fine.jpg") in published.items


def truncated_heic() -> bytes:
    data = heic()
    return data[: len(data) * 2 // 3]


def test_truncated_files_are_refused_by_check_and_build_with_the_same_message(tmp_path):
    big = Image.effect_noise((900, 600), 60).convert("RGB")
    as_png, as_gif = io.BytesIO(), io.BytesIO()
    big.save(as_png, "PNG")
    big.save(as_gif, "GIF")
    files = {"cut.jpg": jpeg(size=(1600, 1200), quality=95)[:3000],
             "cut.png": as_png.getvalue()[: len(as_png.getvalue()) // 2],
             "cut.gif": as_gif.getvalue()[: len(as_gif.getvalue()) // 2],
             "cut.heic": truncated_heic()}
    checked, built, _published = check_and_build(tmp_path, files)
    problems = [d for d in checked if d.code == "media_unreadable"]
    assert [d.field for d in sorted(problems, key=lambda d: d.line)] == [f"media[{i}].file" for i in range(1, 5)]
    assert all("truncated or damaged" in d.message.en and "不完整或已损坏" in d.message.zh for d in problems)


# Files found by mutating a few bytes of tiny images: each made Pillow (or libheif) raise something
# other than OSError while opening or decoding, which used to escape the build as a traceback.
MALFORMED = {
    "struct-error.gif": "R0lGODdhBAAEAIEAAMhQKAAAAAAAAAAAACwAAAAABAAEAAAICQABCBxIsCCAgAAs",
    "index-error.gif": "R0lGODdhBAAEAIEAAMhQKAAAAAAAAAAAACwAAAAABAAEAAAICQABCBxIsCCAgAAh+QQBAAABACwAAAAABAAEAI8BAm0AAAAAAAAAAAAICQABCBxIsCCAgMY7",
    "type-error.tiff": "SUkqAAgAAAAKAAABBAABAAAABACwAAEBBAABAAAABAAAAAIBAwADAAAAhgAAAAMBAwABAAAAAQAAAAYBAwABAAAAAgAAABEBBAABAAAAjAAAABUBAwABAAAAAwAAABYBBAABAAAABAAAABcBBAABAFIAMAAAABwBAwABAAAAAQAAAADyAAAIAAgACADIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCjIUCg=",
    "value-error.bmp": "Qk1mAAAAAAAAADYAAAAoAAAABAAAAAQAAAABABgAAgAAADAAAADEDgAAxA4AAAAAAAAAAAAAKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDIKFDI",
    "short-ihdr.png": "iVBORw0KGgoAAAALSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAFElEQVR4nGM8EaDBAANMDEgANwcAQCQBSImkAN0AAAAASUVORK5CYII=",
    "short-fctl.png": "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAACGFjVEwAAAACAAAAAPONk3AAAAAXZmNUTAAAAAAAAAAEAAAABAAAAAAAAAAAAAAAAQAAZkfFsAAAABRJREFUeJxjPBGgwQADTAwBADcHAEAkAUiJ4gDdAAAAGmZjVEwAAAABAAAABAAAAAQAAAAAAAAAAAAAAAEAAP00L2QAAAAYZmRBVAAAAAJ4nGM8EaDBAANMDEgANwcAQCQBSFRY8MsAAAAASUVORK5CYII=",
    "eof-error.heic": "AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAXxtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAACJpbG9jAAAAAERAAAEAAQAAAAABoAABAAAAAAAAADIAAAAjaWluZgAAAAAAAQAAABVpbmZlAgAAAAABAABodmMxAAAAAA5waXRtAAAAAAABAAAA/GlwcnAAAADcaXBjbwAAAHVodmNDAQNwAAAAkAAAAAAAHvAA/P34+AAADwNgAAEAGEABDAH//wNwAAADAJAAAAMAAAMAHroCQGEAAQApQgEBA3AAAAMAkAAAAwAAAwAeoCCBBZbqrprm4CGgwIAAAAyAAAADAIRiAAEABkQBwXPBiQAAABNjb2xybmNseAABAA0ABoAAAAAUaXNwZQAAAAAAAABAAAAAQAAAAChjbGFwAAAABAAAAAEAAAAEAAAAAf///8QAAAAC////xAAAAAIAAAAQcGl4aQAAAAADCAgIAAAAGGlwbWEAAAAAAAAAAQABBYECAwWEAAAAOm1kYXQAAAARKAGvEyFiY0D1JyL//i9p/8Rmn/MPZYWdyujBW/L6wPZkm8DzqpGegIdppzAVeA==",
    "runtime-error.heic": "AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAXxtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAACJpbG9jAAAAAERAAAEAAQAAAAABoAABAAAAAAAAADIAAAAjaWluZgAAAAAAAQAAABVpbmZlAgAAAAABAABodmMxAAAAAA5waXRtAAAAAAABAAAA/GlwcnAAAADcaXBjbwAAAHVodmNDAQNwAAAAkAAAAAAAHvBz/P34+AAADwNgAAEAGEABDAH//wNwAAADAJAAAAMAAAMAHroCQGEAAQApQgEBA3AAAAMAkAAAAwAAAwAeoCCBBZbqrprm4CGgwIAAAAyAAAADAIRiAAEABkQBwXPBiQAAABNjb2xybmNseAABAA0ABoAAAAAUaXNwZQAAAAB3AABAAAAAQAAAAChjbGFwAAAABAAAAAEAAAAEAAAAAf///8QAAAAC////xAAAAAIAAAAQcGl4aQAAAAADCAgIAAAAGGlwbWEAAAAAAAAAAQABBYECAwWEAAAAOm1kYXQAAAAuKAGvEyFiY0D1JyL//i9p/8Rmn/MPZYWdyujBW/L6wPZkm8DzqpGegIdppzAVeA==",
}


def test_malformed_files_are_refused_never_a_traceback(tmp_path):
    files = {"fine.jpg": jpeg(), **{name: base64.b64decode(data) for name, data in MALFORMED.items()}}
    checked, built, published = check_and_build(tmp_path, files)
    refused = {d.field for d in built.errors}
    assert refused == {f"media[{i}].file" for i in range(2, 2 + len(MALFORMED))}, [d.format("en") for d in built]
    for problem in built.errors:
        assert problem.code == "media_unreadable" and problem.hint is not None
        assert "Traceback" not in problem.message.en and "Error" not in problem.message.en
    assert ("excellent", "changning-test", "fine.jpg") in published.items


# --- one decoder for both: mutated real files ----------------------------------------------------

def _seed_files() -> list[bytes]:
    photo = Image.effect_noise((40, 30), 50).convert("RGB")
    made = []
    for fmt, extra in (("JPEG", {"quality": 90}), ("JPEG", {"progressive": True}), ("PNG", {}), ("GIF", {}), ("WEBP", {}),
                       ("TIFF", {}), ("HEIF", {})):
        out = io.BytesIO()
        photo.save(out, fmt, **extra)
        made.append(out.getvalue())
    made.append(jpeg(size=(48, 32), orientation=6))
    made.append(animation("PNG"))
    return made


SEEDS = _seed_files()


@settings(deadline=None)
@given(st.sampled_from(range(len(SEEDS))), st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=6),
       st.one_of(st.none(), st.floats(0, 1)))
def test_whatever_check_accepts_the_build_publishes_and_what_it_refuses_the_build_refuses_alike(tmp_path_factory, seed, changes, cut):
    data = bytearray(SEEDS[seed])
    for where, value in changes:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    folder = tmp_path_factory.mktemp("fuzz")
    original = folder / "photo.img"
    original.write_bytes(bytes(data))
    try:
        facts = inspect_image(original)
    except ImageProblem as checked:
        with pytest.raises(ImageProblem) as built:
            derive(original, folder / "out", "key")
        assert (built.value.zh, built.value.en, built.value.hint_en) == (checked.zh, checked.en, checked.hint_en)
        return
    built_facts, derivatives = derive(original, folder / "out", "key")
    assert built_facts == facts
    for d in derivatives:
        with Image.open(d.path) as copy:
            copy.load()
            assert copy.size == (d.width, d.height) and max(copy.size) <= MAX_SIDE
