"""Exports for editors: the case collection as a book (PDF), an editable document (DOCX), and the
entries as data (XLSX, CSV, JSON, GeoJSON).

Every writer takes an `ExportJob`: the Collection, the cases chosen for it, the language(s), and
the published images (metadata-free copies from the media pipeline, never the originals). The
writers read models only, never YAML, and produce the same bytes from the same input.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Literal

from ..collection import Collection
from ..content.models import Case, Lang
from ..media import PublishedImage, PublishedMedia

Languages = Literal["zh", "en", "both"]


@dataclass(frozen=True)
class Selection:
    """Which cases go into an export. Empty means "all"."""

    year: int | None = None
    districts: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    @property
    def narrows(self) -> bool:
        return self.year is not None or bool(self.districts) or bool(self.ids)


def select_cases(collection: Collection, selection: Selection) -> list[Case]:
    """The chosen cases in book order: year, then district (the programme's order), then the
    Chinese title in pinyin order, so every export lists them the same way."""
    from ..browse import title_sort_key

    district_order = {t.key: t.order for t in collection.reference.districts}
    chosen = [c for c in collection.cases.values()
              if (selection.year is None or c.year == selection.year)
              and (not selection.districts or c.district in selection.districts)
              and (not selection.ids or c.id in selection.ids)]
    return sorted(chosen, key=lambda c: (c.year, district_order[c.district], title_sort_key(c.title.zh, "zh"), c.id))


@dataclass
class ExportJob:
    collection: Collection
    cases: list[Case]
    languages: Languages = "both"
    media: PublishedMedia | None = None  # None: an export without photos
    files: dict[str, Path] = field(default_factory=dict)  # site path -> file, from PublishedMedia.files
    selection: Selection = field(default_factory=Selection)
    site_url: str = ""  # mkdocs.yml's site_url: page links become absolute when it is set
    as_of: str = ""  # ISO date the content is "as of" (see content_date); never the clock

    def __post_init__(self) -> None:
        if not self.as_of:
            self.as_of = content_date(self.collection)

    @property
    def selection_narrows(self) -> bool:
        return self.selection.narrows

    def source_of(self, case: Case) -> str:
        """The file a case comes from, as users see it (named in an internal error)."""
        source = self.collection.sources.get(("excellent", case.id))
        return source.display if source is not None else f"excellent/{case.id}"

    def page_url(self, route: str, lang: Lang = "zh") -> str:
        from .. import urls

        path = urls.page_url(route, lang)
        return self.site_url.rstrip("/") + "/" + path if self.site_url else "/" + path

    @classmethod
    def prepare(cls, collection: Collection, selection: Selection, languages: Languages = "both",
                cache_dir: Path | None = None, diagnostics=None, progress=None, site_url: str = "") -> "ExportJob":
        """A job for the selected cases; with `cache_dir`, the photos come through the media
        pipeline (the same cache the site build uses, so usually nothing is encoded)."""
        from ..diagnostics import Diagnostics
        from ..media import publish_media

        cases = select_cases(collection, selection)
        if cache_dir is None:
            return cls(collection, cases, languages, selection=selection, site_url=site_url)
        media = publish_media(collection, cache_dir, diagnostics if diagnostics is not None else Diagnostics(), progress=progress)
        return cls(collection, cases, languages, media, dict(media.files), selection=selection, site_url=site_url)

    @property
    def langs(self) -> tuple[Lang, ...]:
        return ("zh", "en") if self.languages == "both" else (self.languages,)

    def images(self, kind: str, entry) -> list[tuple[object, PublishedImage]]:
        """(media item, published image) for the entry's photos, drawings and models, in order;
        videos and missing files are left out."""
        if self.media is None:
            return []
        out = []
        for item in getattr(entry, "media", None) or []:
            if item.kind == "video":
                continue
            image = self.media.image(kind, entry.id, item.file or "")
            if image is not None:
                out.append((item, image))
        return out

    def image_file(self, image: PublishedImage, width: int = 960) -> Path | None:
        """The published JPEG closest to `width` px, as a file on disk."""
        return self.files.get(self.image_site_path(image, width))

    @staticmethod
    def image_site_path(image: PublishedImage, width: int = 960) -> str:
        """Where that JPEG is published on the site ("media/excellent/<id>/<name>-960.jpg"): a
        name for it that does not depend on where the cache is."""
        return min(image.sources["jpg"], key=lambda s: abs(s[0] - width))[1]


def content_date(collection: Collection) -> str:
    """The date exports carry, never the clock: SOURCE_DATE_EPOCH when set (reproducible builds'
    convention); else the newest change among the content files, where a file that git holds
    unchanged counts by the date of the commit that last changed it (a fresh clone's files all
    bear the time of the clone) and any other file by its modification time. The same content
    gives the same files on any machine, and the date still says how fresh the data is."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    paths = [source.path.resolve() for source in collection.sources.values() if source.path.exists()]
    if not paths:
        return date(2000, 1, 1).isoformat()
    committed = _committed_times(collection.root, set(paths))
    newest = max(committed.get(path) or path.stat().st_mtime for path in paths)
    return datetime.fromtimestamp(newest, tz=timezone.utc).date().isoformat()


def _committed_times(root: Path, wanted: set[Path]) -> dict[Path, float]:
    """Commit time of each of `wanted` that git holds unchanged; empty outside a git work tree
    or without git."""
    import subprocess

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    changed = git("status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    # one walk of the log, newest first: a marked commit time, then the files that commit touched
    log = git("log", "--format=%x00showcase-commit %ct%x00", "--name-only", "-z", "--", ".")
    if top is None or changed is None or log is None:
        return {}
    top_dir = Path(top.strip())
    dirty = {(top_dir / entry[3:]).resolve() for entry in changed.split("\0") if len(entry) > 3}
    times: dict[Path, float] = {}
    parts = re.split(r"\x00showcase-commit (\d+)\x00", log)
    for when, names in zip(parts[1::2], parts[2::2]):
        for name in names.lstrip("\0\n").split("\0"):
            path = (top_dir / name).resolve() if name else None
            if path in wanted and path not in dirty:
                times.setdefault(path, float(when))
    return times
