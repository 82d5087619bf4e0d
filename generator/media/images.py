"""One original photo -> web derivatives. Pure functions, run in worker processes.

What every published image goes through: the camera's rotation applied, colours converted to
sRGB (CMYK and wide-gamut originals would otherwise show wrong colours), 16-bit scaled to 8-bit,
then a fresh encode at a few widths in WebP and JPEG. A fresh encode writes pixels only: no EXIF
(GPS position, camera serial, owner name), no XMP, no ICC profile. The original is only read.

`inspect_image` (what `showcase check` runs) and `derive` (what the build runs) read an original
through one function, `_decode`, so they accept and refuse the same files with the same words;
check only decodes a JPEG at a smaller scale and converts a corner of the picture rather than all
of it. Whatever a decoder raises on a malformed file becomes an ImageProblem. Of an animation
(GIF, PNG, WebP) or a TIFF with several pages the first frame is published, and the caller says so.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError

try:  # iPhones save HEIC; pillow-heif (binary wheels with libheif) lets Pillow read it
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - a dependency of the project
    HEIF = False

WIDTHS = (480, 960, 1600)  # the case page shows photos up to ~800 CSS px; 1600 covers 2x screens
THUMB_WIDTH = 320  # lists and map popups show ~160 CSS px
JPEG_QUALITY = 80
WEBP_QUALITY = 78
WEBP_METHOD = 3  # 0 fast … 6 small; 3 costs ~40 % less time than 4 for ~2 % more bytes
MAX_PIXELS = 80_000_000  # refuse larger: a decompression bomb, or a scan nobody needs on a web page
MAX_SIDE = 16_383  # WebP's limit on either side (JPEG's is 65,535): a long infographic is scaled to fit
# GIF is read for its first frame: a still GIF is an ordinary picture, an animated one is said so
FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "TIFF", "BMP", "MPO", "GIF"}
# Several frames in these are an animation, in a TIFF they are pages. An MPO's or a HEIF's other
# images are depth maps, stereo pairs or previews behind the primary picture: nothing to say.
ANIMATED_FORMATS = {"GIF", "PNG", "WEBP"}
CHECK_CORNER = 64  # check converts this much of the picture: colour conversion fails for a mode, not a size
# Part of every cache key: change it when anything above or below changes what is written.
SETTINGS = f"v4-{WIDTHS}-{THUMB_WIDTH}-{JPEG_QUALITY}-{WEBP_QUALITY}-{WEBP_METHOD}-{MAX_SIDE}"

_SRGB = ImageCms.createProfile("sRGB")
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
              5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}
_MEGAPIXELS = MAX_PIXELS // 1_000_000


def unreadable_file(exc: OSError) -> "ImageProblem":
    """A file the system would not read, said in the reader's words: never errno's English text
    in a Chinese message, nor Python's "[Errno 2] …: '/home/…'" (the diagnostic names the file)."""
    from ..diagnostics import os_error

    reason = os_error(exc)
    return ImageProblem(f"无法读取：{reason.zh}", f"cannot be read: {reason.en}")


class ImageProblem(Exception):
    """Why an original cannot be published, in both languages."""

    def __init__(self, zh: str, en: str, hint_zh: str = "", hint_en: str = ""):
        super().__init__(en)
        self.zh, self.en, self.hint_zh, self.hint_en = zh, en, hint_zh, hint_en

    def __reduce__(self):  # back from a worker process whole (the default would call ImageProblem(en))
        return ImageProblem, (self.zh, self.en, self.hint_zh, self.hint_en)


@dataclass(frozen=True)
class ImageFacts:
    """What reading an original in full taught: enough for check's warnings and the build's notes."""
    format: str
    width: int  # as shown: the camera's rotation applied
    height: int
    frames: int = 1  # of an animation, or pages of a TIFF: only the first is published

    @property
    def animated(self) -> bool:
        return self.frames > 1 and self.format in ANIMATED_FORMATS

    @property
    def pages(self) -> bool:
        return self.frames > 1 and self.format == "TIFF"

    def as_json(self) -> dict:
        return {"format": self.format, "width": self.width, "height": self.height, "frames": self.frames}

    @classmethod
    def from_json(cls, data) -> ImageFacts:
        """Raises KeyError, TypeError or ValueError for anything but what as_json wrote."""
        facts = cls(str(data["format"]), int(data["width"]), int(data["height"]), int(data["frames"]))
        if min(facts.width, facts.height, facts.frames) < 1:
            raise ValueError(facts)
        return facts


@dataclass(frozen=True)
class Derivative:
    label: str  # "480", "960", "1600" (or the picture's own width when narrower) or "thumb"
    fmt: str  # "webp" | "jpg"
    width: int
    height: int
    path: Path  # in the cache


def targets(width: int) -> list[int]:
    """Derivative widths for an original this wide: never upscaled, the original's own width when
    it is narrower than a step."""
    return [w for w in WIDTHS[:-1] if w < width] + [min(width, WIDTHS[-1])]


def fitting_width(width: int, height: int) -> int:
    """The widest copy of a picture this large whose height stays within MAX_SIDE."""
    return min(width, max(1, width * MAX_SIDE // height))


def copies(width: int, height: int) -> list[tuple[str, int, int]]:
    """(label, width, height) of every copy of a picture this large, largest first: the widths of
    `targets` and the thumbnail, none longer than MAX_SIDE on either side (a 1200×17000 infographic
    is published 1156×16383 at most)."""
    fit = fitting_width(width, height)
    jobs = [(str(w), w) for w in targets(fit)] + [("thumb", min(THUMB_WIDTH, fit))]
    sized = [(label, w, min(MAX_SIDE, max(1, round(height * w / width)))) for label, w in jobs]
    return sorted(sized, key=lambda job: -job[1])


def _too_large(size: str) -> ImageProblem:
    return ImageProblem(f"图片太大（{size} 像素）", f"the image is too large ({size} pixels)",
                        f"请缩小到 {_MEGAPIXELS} 百万像素以内", f"reduce it below {_MEGAPIXELS} megapixels")


def _bomb() -> ImageProblem:
    return ImageProblem("图片像素过多，疑为“解压炸弹”", "the image has too many pixels (a decompression bomb?)",
                        f"请缩小到 {_MEGAPIXELS} 百万像素以内", f"reduce it below {_MEGAPIXELS} megapixels")


def _unreadable(exc: BaseException) -> ImageProblem:
    """What a decoder's failure means to the person who supplied the file. The words never depend
    on how far decoding got, so check and build say the same."""
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return _bomb()
    text = str(exc).lower()
    if "decompressed data too large" in text or "text chunk" in text or "max_text" in text:
        # Pillow's limits on a PNG's zTXt/iTXt/iCCP chunks: a zip bomb hides there as easily as in
        # the pixels. Refused rather than published without them: without its ICC profile a photo
        # would silently show other colours, and a re-save costs the editor a minute.
        return ImageProblem("图片附带的元数据（文字或 ICC 色彩配置）过大，无法安全读取",
                            "the image carries metadata (text or an ICC colour profile) too large to read safely",
                            "请不带元数据重新导出（如图像软件“导出”时去掉元数据，或 magick 原图.png -strip 新图.png），或另存为 JPEG",
                            "export it again without metadata (e.g. magick in.png -strip out.png), or save it as JPEG")
    if isinstance(exc, MemoryError):
        return ImageProblem("图片太大，无法处理", "the image is too large to process",
                            f"请缩小到 {_MEGAPIXELS} 百万像素以内", f"reduce it below {_MEGAPIXELS} megapixels")
    return ImageProblem("图片文件不完整或已损坏", "the image file is truncated or damaged",
                        "请重新导出或重新拷贝原图", "export or copy the original again")


def open_checked(path: Path) -> Image.Image:
    """Open an original (its header only), refusing what cannot or must not be published."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except UnidentifiedImageError:
        suffix = path.suffix.lower()
        if suffix in (".heic", ".heif") and not HEIF:  # pragma: no cover
            raise ImageProblem("无法读取 HEIC 照片", "HEIC photos cannot be read here",
                               "在手机或电脑上导出为 JPEG 后再放入", "export it as JPEG first") from None
        raise ImageProblem("不是图片，或格式无法识别", "not an image, or a format that cannot be read",
                           "请提供 JPEG、PNG、WebP 或 HEIC 照片", "provide a JPEG, PNG, WebP or HEIC photo") from None
    except OSError as exc:  # gone since it was found, unreadable, a folder…
        raise unreadable_file(exc) from None
    except Exception as exc:  # untrusted bytes: a plugin may raise anything on a malformed header
        raise _unreadable(exc) from None
    if image.format not in FORMATS:
        fmt = image.format
        image.close()
        raise ImageProblem(f"不支持的图片格式 {fmt}", f"unsupported image format {fmt}",
                           "请另存为 JPEG 或 PNG", "save it as JPEG or PNG")
    if image.width * image.height > MAX_PIXELS:
        size = f"{image.width}×{image.height}"
        image.close()
        raise _too_large(size)
    return image


def inspect_image(original: Path) -> ImageFacts:
    """What `derive` would learn about `original`, or the very ImageProblem it would raise, without
    writing anything: every pixel decoded (a JPEG at 1/8 scale), a corner converted to sRGB."""
    return _decode(original, full=False)[1]


def _decode(original: Path, full: bool) -> tuple[Image.Image, ImageFacts]:
    """The original, upright in 8-bit sRGB (all of it when `full`, else a corner), and its facts.

    Pillow's LOAD_TRUNCATED_IMAGES is global and WeasyPrint turns it on when imported (the PDF
    export), which would publish half-grey photos: it is off while an original is read."""
    allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "corrupt EXIF" and the like: nothing the editor can act on
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _read(original, full)
    except ImageProblem:
        raise
    except Exception as exc:  # untrusted bytes: SyntaxError, struct.error, EOFError, IndexError…
        raise _unreadable(exc) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = allowed


def _read(original: Path, full: bool) -> tuple[Image.Image, ImageFacts]:
    with open_checked(original) as image:
        fmt = image.format
        frames = image.n_frames if fmt in ANIMATED_FORMATS or fmt == "TIFF" else 1
        if frames > 1:
            image.seek(0)
        width, height = image.size
        if fmt == "JPEG":  # its EXIF came with the header; a PNG's may follow the pixels
            # decode at a reduced scale: the build's no smaller than its largest copy, check's at 1/8
            turned = _orientation(image) in (5, 6, 7, 8)
            shown = (height, width) if turned else (width, height)
            wanted = min(WIDTHS[-1], fitting_width(*shown)) if full else 1
            image.draft(image.mode, (1, wanted) if turned else (wanted, 1))
        image.load()  # every pixel, and every chunk after them: nothing is read later, outside this guard
        orientation = _orientation(image)
        shown = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
        picture = image if full else image.crop((0, 0, min(image.width, CHECK_CORNER), min(image.height, CHECK_CORNER)))
        if orientation in _TRANSPOSE:
            picture = picture.transpose(_TRANSPOSE[orientation])
        picture = _to_srgb(picture)
    return picture, ImageFacts(fmt, *shown, frames=frames)


def _orientation(image: Image.Image) -> int:
    """The camera's EXIF orientation; 1 when the EXIF is broken (it is never published anyway)."""
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_srgb(image: Image.Image) -> Image.Image:
    """8-bit RGB (or RGBA) in sRGB, whatever came in. Always a new image."""
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit greyscale: scale to 8 bits, do not clip (a plain convert turns most of it white)
        image = (image if image.mode == "I" else image.convert("I")).point(lambda v: v * (1 / 256)).convert("L")
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            target_mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
            if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                image = image.convert("RGBA" if target_mode == "RGBA" else "RGB")
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=target_mode if image.mode != "L" else "L")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile, or one for other colours than the picture's: the plain conversion below
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: drawings go on white, as they are printed."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def derive(original: Path, out_dir: Path, key: str) -> tuple[ImageFacts, list[Derivative]]:
    """Write every derivative of `original` into `out_dir` as `<key>-<label>.<fmt>`.

    Raises ImageProblem for anything unpublishable (the caller names the entry and file)."""
    picture, facts = _decode(original, full=True)
    out: list[Derivative] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    # largest first, each smaller copy resized from the one before: far less work than going
    # back to the 12-megapixel original every time, and indistinguishable at these ratios
    source = picture
    for label, width, height in copies(picture.width, picture.height):
        scaled = source if (width, height) == source.size else source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        source = scaled
        for fmt in ("webp", "jpg"):
            path = out_dir / f"{key}-{label}.{fmt}"
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            if fmt == "webp":
                scaled.save(tmp, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
            else:
                _flatten(scaled).save(tmp, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            os.replace(tmp, path)
            out.append(Derivative(label, fmt, width, height, path))
    out.sort(key=lambda d: (d.label == "thumb", d.width, d.fmt))
    return facts, out
