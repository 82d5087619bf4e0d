"""One original photo -> web derivatives. Pure functions, run in worker processes.

What every published image goes through: the camera's rotation applied, colours converted to
sRGB (CMYK and wide-gamut originals would otherwise show wrong colours), 16-bit scaled to 8-bit,
then a fresh encode at a few widths in WebP and JPEG. A fresh encode writes pixels only: no EXIF
(GPS position, camera serial, owner name), no XMP, no ICC profile. The original is only read.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

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
FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "TIFF", "BMP", "MPO"}
# Part of every cache key: change it when anything above or below changes what is written.
SETTINGS = f"v3-{WIDTHS}-{THUMB_WIDTH}-{JPEG_QUALITY}-{WEBP_QUALITY}-{WEBP_METHOD}"

_SRGB = ImageCms.createProfile("sRGB")


class ImageProblem(Exception):
    """Why an original cannot be published, in both languages."""

    def __init__(self, zh: str, en: str, hint_zh: str = "", hint_en: str = ""):
        super().__init__(en)
        self.zh, self.en, self.hint_zh, self.hint_en = zh, en, hint_zh, hint_en


@dataclass(frozen=True)
class Derivative:
    label: str  # "480", "960", "1600" or "thumb"
    fmt: str  # "webp" | "jpg"
    width: int
    height: int
    path: Path  # in the cache


def targets(width: int) -> list[int]:
    """Derivative widths for an original this wide: never upscaled, the original's own width when
    it is narrower than a step."""
    return [w for w in WIDTHS[:-1] if w < width] + [min(width, WIDTHS[-1])]


def open_checked(path: Path) -> Image.Image:
    """Open an original, refusing what cannot or must not be published."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem("图片像素过多，疑为“解压炸弹”", "the image has too many pixels (a decompression bomb?)",
                           f"请缩小到 {MAX_PIXELS // 1_000_000} 百万像素以内", f"reduce it below {MAX_PIXELS // 1_000_000} megapixels") from None
    except UnidentifiedImageError:
        suffix = path.suffix.lower()
        if suffix in (".heic", ".heif") and not HEIF:  # pragma: no cover
            raise ImageProblem("无法读取 HEIC 照片", "HEIC photos cannot be read here",
                               "在手机或电脑上导出为 JPEG 后再放入", "export it as JPEG first") from None
        raise ImageProblem("不是图片，或格式无法识别", "not an image, or a format that cannot be read",
                           "请提供 JPEG、PNG、WebP 或 HEIC 照片", "provide a JPEG, PNG, WebP or HEIC photo") from None
    except OSError as exc:
        raise ImageProblem(f"无法打开：{exc}", f"cannot be opened: {exc}") from None
    if image.format not in FORMATS:
        fmt = image.format
        image.close()
        raise ImageProblem(f"不支持的图片格式 {fmt}", f"unsupported image format {fmt}",
                           "请另存为 JPEG 或 PNG", "save it as JPEG or PNG")
    if image.width * image.height > MAX_PIXELS:
        size = f"{image.width}×{image.height}"
        image.close()
        raise ImageProblem(f"图片太大（{size} 像素）", f"the image is too large ({size} pixels)",
                           f"请缩小到 {MAX_PIXELS // 1_000_000} 百万像素以内", f"reduce it below {MAX_PIXELS // 1_000_000} megapixels")
    return image


def _load_complete(image: Image.Image) -> None:
    """Decode every pixel, refusing a truncated file. Pillow's LOAD_TRUNCATED_IMAGES is global and
    WeasyPrint turns it on when imported (the PDF export), which would publish half-grey photos."""
    allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = allowed


def _to_srgb(image: Image.Image) -> Image.Image:
    """8-bit RGB (or RGBA) in sRGB, whatever came in."""
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
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to the plain conversion below
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


def derive(original: Path, out_dir: Path, key: str) -> list[Derivative]:
    """Write every derivative of `original` into `out_dir` as `<key>-<label>.<fmt>`.

    Raises ImageProblem for anything unpublishable (the caller names the entry and file)."""
    image = open_checked(original)
    try:
        with image:
            orientation = image.getexif().get(0x0112, 1)
            rotated = orientation in (5, 6, 7, 8)
            if image.format == "JPEG":
                # decode at a reduced scale when the original is far larger than the biggest copy
                wanted = (1, WIDTHS[-1]) if rotated else (WIDTHS[-1], 1)
                image.draft(image.mode, wanted)
            try:
                _load_complete(image)
            except (OSError, SyntaxError, ValueError) as exc:
                raise ImageProblem(f"图片文件不完整或已损坏（{exc}）", f"the image file is truncated or damaged ({exc})",
                                   "请重新导出或重新拷贝原图", "export or copy the original again") from None
            upright = ImageOps.exif_transpose(image)
            picture = _to_srgb(upright)
    except ImageProblem:
        raise
    except (OSError, ValueError) as exc:
        raise ImageProblem(f"无法处理：{exc}", f"cannot be processed: {exc}") from None

    out: list[Derivative] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(str(w), w) for w in targets(picture.width)] + [("thumb", min(THUMB_WIDTH, picture.width))]
    # largest first, each smaller copy resized from the one before: far less work than going
    # back to the 12-megapixel original every time, and indistinguishable at these ratios
    source = picture
    for label, width in sorted(jobs, key=lambda job: -job[1]):
        height = max(1, round(picture.height * width / picture.width))
        scaled = source if width == source.width else source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
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
    return out
