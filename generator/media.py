"""Publish the media that entries reference.

Every published image is re-encoded from its original so that no metadata (GPS position, camera
serial, owner name) leaves the building; the original under `cases/` is never modified or copied.
Results are cached by the original's content hash, so a rebuild with nothing changed re-encodes
nothing. (Responsive derivatives, galleries and video come with the images issue.)
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from . import urls
from .collection import Collection
from .diagnostics import Bilingual, Diagnostics, error

# Bump when the encoding below changes, so cached files are redone.
PIPELINE_VERSION = "1"
MAX_PIXELS = 60_000_000  # ~ a 60-megapixel photo; Pillow's bomb check uses this limit
OUTPUT_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


@dataclass(frozen=True)
class MediaFile:
    site_path: str  # where it is published, site-relative
    cache_path: Path  # the cleaned file to copy from
    width: int
    height: int


class PublishedMedia:
    def __init__(self) -> None:
        self.files: dict[tuple[str, str, str], MediaFile] = {}
        self.reencoded = 0  # how many files this run had to encode (0 on a warm rebuild)

    def get(self, kind: str, entry_id: str, name: str) -> MediaFile:
        return self.files[(kind, entry_id, name)]


def publish_media(collection: Collection, cache_dir: Path, diagnostics: Diagnostics) -> PublishedMedia:
    published = PublishedMedia()
    cache_dir.mkdir(parents=True, exist_ok=True)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    for (kind, entry_id), source in sorted(collection.sources.items()):
        entry = collection.entry(kind, entry_id)
        for index, item in enumerate(getattr(entry, "media", None) or []):
            original = collection.media_path(kind, entry_id, item)
            try:
                published.files[(kind, entry_id, item.file)] = _publish_one(original, kind, entry_id, cache_dir, published)
            except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
                diagnostics.add(error(
                    "media_unreadable", source.display, source.line_for(("media", index, "file")), f"media[{index + 1}].file",
                    f"无法读取图片“{item.file}”：{exc}", f"cannot read the image '{item.file}': {exc}",
                    Bilingual("请提供 JPEG、PNG 或 WebP 格式的完整图片", "provide a complete JPEG, PNG or WebP image")))
    return published


def _publish_one(original: Path, kind: str, entry_id: str, cache_dir: Path, published: PublishedMedia) -> MediaFile:
    digest = hashlib.sha256(original.read_bytes() + PIPELINE_VERSION.encode()).hexdigest()[:32]
    with Image.open(original) as image:  # opening reads the header only; pixels load on a miss
        save_format = image.format if image.format in OUTPUT_FORMATS else "JPEG"
        suffix = OUTPUT_FORMATS[save_format]
        cached = cache_dir / f"{digest}{suffix}"
        size_file = cache_dir / f"{digest}.size"
        if cached.exists() and size_file.exists():
            width, height = (int(v) for v in size_file.read_text().split("x"))
        else:
            image.load()
            upright = ImageOps.exif_transpose(image)  # apply the camera's rotation before dropping EXIF
            if save_format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            width, height = upright.size
            tmp = cached.with_suffix(cached.suffix + f".{os.getpid()}.tmp")
            # A fresh save with no exif/icc/xmp arguments writes pixels only.
            options = {"quality": 85, "optimize": True} if save_format == "JPEG" else {}
            upright.save(tmp, save_format, **options)
            os.replace(tmp, cached)
            size_file.write_text(f"{width}x{height}")
            published.reencoded += 1
    # Keep the editor's file name; append the published format only when it differs, so two
    # originals can never land on the same published path (photo.jpeg and photo.jpg, say).
    name = original.name if original.suffix.lower() == suffix else original.name + suffix
    return MediaFile(urls.media(kind, entry_id, name), cached, width, height)
