"""The site's downloads: every export of the whole collection, made by the normal build when
mkdocs.yml enables them, and cached so a rebuild with nothing changed makes nothing.

The cache key covers everything that goes into the files: the content files' bytes, the
published images (their names carry their content digest), the export code and print templates,
the labels, the formats, the site address, the content date and, with the PDF, the fonts it is
printed with (the files fontconfig gives for the families the print templates name, with their
size and time: installing or updating a font makes the book again). A key that exists is complete
(its folder is renamed into place only after every file was written).

Without those fonts there is no PDF to offer: `fonts.FontsMissing` is raised before anything is
looked up or made, so neither the cache nor the site gets a book of boxes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import urls
from ..collection import Collection
from ..media import PublishedMedia
from . import ExportJob, Selection
from .fonts import ResolvedFont, print_fonts
from .formats import BY_KEY, write_exports

CODE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Download:
    site_path: str  # e.g. downloads/excellent-cases.pdf
    source: Path  # the file in the cache
    size: int
    format: str  # key in formats.FORMATS
    label_key: str  # what the downloads page calls it
    as_of: str  # the date of the content the file was made from (export.content_date)


def _digest(collection: Collection, media: PublishedMedia, templates_dir: Path, keys: list[str], site_url: str, as_of: str,
            fonts: tuple[ResolvedFont, ...] = ()) -> str:
    h = hashlib.sha256()
    for part in (",".join(keys), site_url, as_of):
        h.update(part.encode() + b"\0")
    for font in fonts:
        h.update(font.fingerprint().encode() + b"\0")
    for source in sorted(collection.sources.values(), key=lambda s: str(s.path)):
        h.update(str(source.display).encode() + b"\0")
        h.update(source.path.read_bytes() if source.path.exists() else b"")
    for site_path, path in sorted(media.files):
        # image copies are named by their original's digest; a video is its original, which a
        # replacement under the same name changes only in size and time
        info = Path(path).stat()
        h.update(f"{site_path}\0{Path(path).name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    code = sorted(CODE_DIR.glob("*.py")) + sorted((templates_dir / "print").rglob("*")) + [templates_dir / "strings.yaml"] \
        + sorted((templates_dir / "strings").glob("*.yaml"))
    for path in code:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


def produce_downloads(collection: Collection, media: PublishedMedia, cache_dir: Path, templates_dir: Path,
                      keys: list[str], strings, site_url: str = "", progress=None) -> tuple[list[Download], bool]:
    """The export files of the whole collection, from the cache or freshly made; and whether they
    were made now."""
    fonts = print_fonts(templates_dir / "print") if "pdf" in keys else ()  # FontsMissing: nothing made or served
    job = ExportJob(collection, _all_cases(collection), "both", media, dict(media.files), selection=Selection(), site_url=site_url)
    key = _digest(collection, media, templates_dir, keys, site_url, job.as_of, fonts)
    store = cache_dir / "downloads"
    folder = store / key
    made = False
    if not folder.is_dir():
        store.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=store))
        try:
            write_exports(job, keys, staging, strings, progress=progress)
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        made = True
        for old in store.iterdir():  # keep the cache small: only the current set
            if old.is_dir() and old != folder and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
    downloads = []
    for fmt in keys:
        for name, label_key in BY_KEY[fmt].files:
            path = folder / name
            downloads.append(Download(f"{urls.DOWNLOADS}{name}", path, path.stat().st_size, fmt, label_key, job.as_of))
    return downloads, made


def _all_cases(collection: Collection):
    from . import select_cases

    return select_cases(collection, Selection())
