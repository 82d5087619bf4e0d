"""Publish the media that entries reference: responsive, metadata-free images and checked videos.

For each original photo under `cases/`: WebP and JPEG copies at a few widths plus a thumbnail
(images.py), cached by the original's content and the pipeline's settings, so a rebuild with
nothing changed encodes nothing and a changed photo re-encodes only itself. Work that is not in
the cache runs in parallel across the machine's cores, with a progress bar on a terminal.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import sys
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import urls
from ..collection import Collection
from ..diagnostics import Bilingual, Diagnostics, error
from .images import SETTINGS, Derivative, ImageProblem, derive
from .video import check_mp4

VIDEO_KIND = "video"


@dataclass(frozen=True)
class PublishedImage:
    width: int  # of the largest copy: with height, the aspect ratio the page reserves
    height: int
    sources: dict[str, list[tuple[int, str]]]  # "webp"/"jpg" -> [(width, site path)], narrow first
    thumb: dict[str, str]  # "webp"/"jpg" -> site path
    thumb_size: tuple[int, int]

    @property
    def fallback(self) -> str:
        """The JPEG for browsers that read no srcset: the one closest to 960 px."""
        return min(self.sources["jpg"], key=lambda s: abs(s[0] - 960))[1]

    @property
    def largest(self) -> str:
        return self.sources["jpg"][-1][1]

    @property
    def site_path(self) -> str:  # the image a plain link or an export should use
        return self.largest


@dataclass(frozen=True)
class PublishedVideo:
    site_path: str | None  # a local MP4, published as it is
    url: str | None  # or a page on a video site
    poster: PublishedImage | None


@dataclass
class PublishedMedia:
    items: dict[tuple[str, str, str], PublishedImage | PublishedVideo] = field(default_factory=dict)
    files: list[tuple[str, Path]] = field(default_factory=list)  # (site path, file to copy)
    processed: int = 0  # originals encoded by this run (0 on a warm rebuild)
    cached: int = 0  # originals whose copies came from the cache

    def get(self, kind: str, entry_id: str, name: str):
        return self.items[(kind, entry_id, name)]

    def image(self, kind: str, entry_id: str, name: str) -> PublishedImage | None:
        item = self.items.get((kind, entry_id, name))
        return item if isinstance(item, PublishedImage) else (item.poster if isinstance(item, PublishedVideo) else None)


@dataclass
class _Job:
    original: Path
    key: str  # content digest + settings
    places: list[tuple[str, str, str, str, int]]  # (kind, entry id, media name, site stem, list index)


def publish_media(collection: Collection, cache_dir: Path, diagnostics: Diagnostics, progress=None) -> PublishedMedia:
    published = PublishedMedia()
    store = cache_dir / "images"
    store.mkdir(parents=True, exist_ok=True)
    index = _DigestIndex(cache_dir / "digests.json")
    jobs: dict[str, _Job] = {}
    for kind, entry_id, index_in_list, item, original, stem, video_stem in _media_items(collection):
        source = collection.sources[(kind, entry_id)]
        field_name = "poster" if item.kind == VIDEO_KIND else "file"
        name = item.poster if item.kind == VIDEO_KIND else item.file
        if item.kind == VIDEO_KIND:
            published.items[(kind, entry_id, item.file or item.url or "")] = _video(collection, kind, entry_id, item, published, diagnostics, source, index_in_list, video_stem)
        if original is None:  # no poster, or a file load_collection refused
            continue
        try:
            digest = index.digest(original)
        except OSError as exc:
            diagnostics.add(_problem(source, index_in_list, field_name, name, ImageProblem(f"无法读取：{exc}", f"cannot be read: {exc}")))
            continue
        key = f"{digest}-{hashlib.sha256(SETTINGS.encode()).hexdigest()[:8]}"
        jobs.setdefault(key, _Job(original, key, [])).places.append((kind, entry_id, name, stem, index_in_list))
    index.save()

    results: dict[str, list[Derivative] | ImageProblem] = {}
    misses = []
    for key, job in jobs.items():
        manifest = store / key / "manifest.json"
        if manifest.exists():
            results[key] = [Derivative(d["label"], d["fmt"], d["width"], d["height"], store / key / d["file"])
                            for d in json.loads(manifest.read_text(encoding="utf-8"))]
            published.cached += 1
        else:
            misses.append(job)
    for key, outcome in _encode(misses, store, progress):
        results[key] = outcome
        if not isinstance(outcome, ImageProblem):
            published.processed += 1

    for key, job in jobs.items():
        outcome = results[key]
        for kind, entry_id, name, stem, index_in_list in job.places:
            source = collection.sources[(kind, entry_id)]
            entry = collection.entry(kind, entry_id)
            item = entry.media[index_in_list]
            field_name = "poster" if item.kind == VIDEO_KIND else "file"
            if isinstance(outcome, ImageProblem):
                diagnostics.add(_problem(source, index_in_list, field_name, name, outcome))
                continue
            image = _published_image(outcome, kind, entry_id, stem, published)
            if item.kind == VIDEO_KIND:
                video = published.items[(kind, entry_id, item.file or item.url or "")]
                published.items[(kind, entry_id, item.file or item.url or "")] = PublishedVideo(video.site_path, video.url, image)
            else:
                published.items[(kind, entry_id, name)] = image
    # a video without its own poster shows the entry's first image
    for (kind, entry_id, name), item in list(published.items.items()):
        if isinstance(item, PublishedVideo) and item.poster is None:
            first = next((v for (k, e, _n), v in published.items.items() if (k, e) == (kind, entry_id) and isinstance(v, PublishedImage)), None)
            published.items[(kind, entry_id, name)] = PublishedVideo(item.site_path, item.url, first)
    return published


def _media_items(collection: Collection):
    """(kind, entry id, position, media item, resolved image file, its published stem, a local
    video's published stem) for every medium of every entry. The files are those
    Collection.media_path resolves (inside the content folder; None for what load_collection
    refused), and the stems come from them, never from the `file:` text."""
    for (kind, entry_id), _source in sorted(collection.sources.items()):
        entry = collection.entry(kind, entry_id)
        items = getattr(entry, "media", None) or []
        images = [collection.media_path(kind, entry_id, (i.poster if i.kind == VIDEO_KIND else i.file) or "") for i in items]
        videos = [collection.media_path(kind, entry_id, i.file) if i.kind == VIDEO_KIND and i.file else None for i in items]
        image_stems = published_stems(collection.root, [path for path in images if path])
        video_stems = published_stems(collection.root, [path for path in videos if path])
        for position, item in enumerate(items):
            image, video = images[position], videos[position]
            yield (kind, entry_id, position, item, image, image_stems[image] if image else None,
                   video_stems[video] if video else None)


# Characters that never go into a published name: path separators, what Windows refuses, what a
# URL reads as its own (#, %, ?), and every control, format (bidi marks), private-use or unassigned one.
_RESERVED = set('/\\:*?"<>|#%')
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MAX_STEM_BYTES = 150  # with "-thumb.webp", well inside any file system's 255-byte name


def safe_stem(name: str) -> str:
    """A file's name (without suffix) as it may be published: readable (Chinese kept, NFC), with no
    /, \\, .., control characters, leading dots or characters a URL or a file system reads as its own."""
    stem = "".join("-" if ch in _RESERVED or unicodedata.category(ch) in _INVISIBLE else ch
                   for ch in unicodedata.normalize("NFC", name))
    stem = re.sub(r"\.{2,}", ".", stem)
    stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", errors="ignore")
    stem = stem.strip(" .").lstrip("-").strip(" .")
    return stem or "media"


def published_stems(root: Path, paths: list[Path]) -> dict[Path, str]:
    """The published name (without suffix) of each distinct file of one entry: its own name, made
    safe; where two files would share one (`photo.jpg` and `photo.png`, or `../other/photo.jpg`),
    each gets 8 hex digits of a digest of its path inside the content folder. Deterministic, and
    distinct for distinct files even where a file system ignores case."""
    distinct = sorted(set(paths))
    plain = {path: safe_stem(path.stem) for path in distinct}
    counts = Counter(stem.casefold() for stem in plain.values())
    used: set[str] = set()
    stems: dict[Path, str] = {}
    for path in distinct:
        stem = plain[path]
        if counts[stem.casefold()] > 1:
            digest = hashlib.sha256(path.relative_to(root).as_posix().encode()).hexdigest()
            length = 8
            while f"{stem}-{digest[:length]}".casefold() in used or f"{stem}-{digest[:length]}".casefold() in counts:
                length += 1
            stem = f"{stem}-{digest[:length]}"
        used.add(stem.casefold())
        stems[path] = stem
    return stems


def _video(collection, kind, entry_id, item, published, diagnostics, source, position, stem) -> PublishedVideo:
    if not item.file:
        return PublishedVideo(None, item.url, None)
    original = collection.media_path(kind, entry_id, item.file)
    if original is None:  # refused by load_collection
        return PublishedVideo(None, None, None)
    try:
        check_mp4(original)
    except ImageProblem as problem:
        diagnostics.add(_problem(source, position, "file", item.file, problem))
        return PublishedVideo(None, None, None)
    except OSError as exc:
        diagnostics.add(_problem(source, position, "file", item.file, ImageProblem(f"无法读取：{exc}", f"cannot be read: {exc}")))
        return PublishedVideo(None, None, None)
    site_path = urls.media(kind, entry_id, f"{stem}.mp4")
    published.files.append((site_path, original))
    return PublishedVideo(site_path, None, None)


def _published_image(derivatives: list[Derivative], kind: str, entry_id: str, stem: str, published: PublishedMedia) -> PublishedImage:
    sources: dict[str, list[tuple[int, str]]] = {"webp": [], "jpg": []}
    thumb: dict[str, str] = {}
    thumb_size = (0, 0)
    width = height = 0
    for d in derivatives:
        site_path = urls.media(kind, entry_id, f"{stem}-{d.label}.{d.fmt}")
        published.files.append((site_path, d.path))
        if d.label == "thumb":
            thumb[d.fmt] = site_path
            thumb_size = (d.width, d.height)
        else:
            sources[d.fmt].append((d.width, site_path))
            if d.width >= width:
                width, height = d.width, d.height
    for fmt in sources:
        sources[fmt].sort()
    return PublishedImage(width, height, sources, thumb, thumb_size)


def _problem(source, position: int, field_name: str, name: str, problem: ImageProblem):
    loc = ("media", position, field_name)
    hint = Bilingual(problem.hint_zh, problem.hint_en) if problem.hint_en else None
    return error("media_unreadable", source.display, source.line_for(loc), f"media[{position + 1}].{field_name}",
                 f"“{name}”{problem.zh}", f"'{name}': {problem.en}", hint)


# --- encoding, in parallel ---------------------------------------------------------------------

def _work(job: tuple[Path, Path, str]):
    original, out_dir, key = job
    try:
        derivatives = derive(original, out_dir, key)
    except ImageProblem as problem:
        return key, problem
    manifest = [{"label": d.label, "fmt": d.fmt, "width": d.width, "height": d.height, "file": d.path.name} for d in derivatives]
    tmp = out_dir / f".manifest.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(manifest), encoding="utf-8")
    os.replace(tmp, out_dir / "manifest.json")  # written last: a half-done folder is never a hit
    return key, derivatives


def _encode(misses: list[_Job], store: Path, progress):
    if not misses:
        return
    tasks = [(job.original, store / job.key, job.key) for job in misses]
    workers = min(len(tasks), os.cpu_count() or 1)
    bar = progress(len(tasks)) if progress else None
    try:
        if workers < 2 or len(tasks) < 3:
            for task in tasks:
                result = _work(task)
                if bar:
                    bar()
                yield result
            return
        # "spawn": `mkdocs serve` builds from a thread, and forking a threaded process is unsafe
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for result in pool.map(_work, tasks, chunksize=1):
                if bar:
                    bar()
                yield result
    finally:
        if bar:
            bar(done=True)


class _DigestIndex:
    """Content digests of originals, remembered by path, size and modification time, so a warm
    build does not read every photo again to learn that nothing changed."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.known = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    def digest(self, original: Path) -> str:
        stat = original.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        entry = self.known.get(str(original))
        if entry and entry[:2] == stamp:
            return entry[2]
        hasher = hashlib.sha256()
        with open(original, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                hasher.update(chunk)
        value = hasher.hexdigest()[:32]
        self.known[str(original)] = [*stamp, value]
        self.changed = True
        return value

    def save(self) -> None:
        if self.changed:
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.known), encoding="utf-8")
            os.replace(tmp, self.path)


def terminal_progress(label: str):
    """A rich progress bar on a terminal, or None (build logs, tests)."""
    if not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    def start(total: int):
        progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
        progress.start()
        task = progress.add_task(label, total=total)

        def advance(done: bool = False):
            if done:
                progress.stop()
            else:
                progress.advance(task)
        return advance
    return start
