"""Publish the media that entries reference: responsive, metadata-free images and checked videos.

For each original photo under `cases/`: WebP and JPEG copies at a few widths plus a thumbnail
(images.py), cached by the original's content and the pipeline's settings, so a rebuild with
nothing changed encodes nothing and a changed photo re-encodes only itself. Work that is not in
the cache runs in parallel across the machine's cores, with a progress bar on a terminal.

`inspect_media` is the same walk for `showcase check`: it reads every image the way the build
does (without encoding) and says the same things about it, so check reports first whatever the
build would refuse. Published names come from the resolved file, never from the `file:` text.
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
from ..content.models import Media
from ..guard import working_on
from ..diagnostics import Bilingual, Diagnostics, error, warning
from .images import SETTINGS, Derivative, ImageFacts, ImageProblem, derive, inspect_image, unreadable_file
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

    def lead(self, kind: str, entry):
        """(media item, published image) of the picture an entry leads with: its first medium that
        is a published image (or a video's poster); None when it has none. The card on lists, the
        thumbnail in map popups and a shared link's picture all use it."""
        for item in getattr(entry, "media", None) or []:
            image = self.image(kind, entry.id, item.file or item.url or "")
            if image is not None:
                return item, image
        return None


@dataclass(frozen=True)
class _Place:
    """One file an entry names, where it lies and the name it is published under."""
    kind: str
    entry_id: str
    position: int  # in the entry's media list
    field: str  # "file" or "poster"
    name: str  # as written in the entry
    path: Path  # resolved, inside the content folder (Collection.media_path)
    stem: str  # the published name without its suffix: from `path`, safe, unique in the entry's folder


@dataclass(frozen=True)
class _Item:
    kind: str
    entry_id: str
    position: int
    media: Media
    image: _Place | None  # a photo's file, or a video's poster
    video: _Place | None  # a local video


@dataclass
class _Job:
    original: Path
    key: str  # content digest + settings
    places: list[_Place]


def publish_media(collection: Collection, cache_dir: Path, diagnostics: Diagnostics, progress=None) -> PublishedMedia:
    published = PublishedMedia()
    store = cache_dir / "images"
    store.mkdir(parents=True, exist_ok=True)
    items = _media(collection)
    for item in items:
        if item.media.kind == VIDEO_KIND:
            published.items[_video_key(item)] = _video(collection, item, published, diagnostics)

    jobs = _jobs(collection, items, _DigestIndex(cache_dir / "digests.json", save=True), diagnostics)
    results: dict[str, tuple[ImageFacts, list[Derivative]] | ImageProblem] = {}
    misses = []
    for key, job in jobs.items():
        cached = _read_manifest(store / key)
        if cached:
            results[key] = cached
            published.cached += 1
        else:
            misses.append((job.original, store / key, key))
    for key, outcome in _parallel(_work, misses, progress):
        results[key] = outcome
        if not isinstance(outcome, ImageProblem):
            published.processed += 1

    for key, job in jobs.items():
        outcome = results[key]
        for place in job.places:
            _report(collection, place, outcome if isinstance(outcome, ImageProblem) else outcome[0], diagnostics)
            if isinstance(outcome, ImageProblem):
                continue
            image = _published_image(outcome[1], place, published, key)
            item = collection.entry(place.kind, place.entry_id).media[place.position]
            if item.kind == VIDEO_KIND:
                key_of_video = (place.kind, place.entry_id, item.file or item.url or "")
                video = published.items[key_of_video]
                published.items[key_of_video] = PublishedVideo(video.site_path, video.url, image)
            else:
                published.items[(place.kind, place.entry_id, place.name)] = image
    # a video without its own poster shows the entry's first image
    for (kind, entry_id, name), item in list(published.items.items()):
        if isinstance(item, PublishedVideo) and item.poster is None:
            first = next((v for (k, e, _n), v in published.items.items() if (k, e) == (kind, entry_id) and isinstance(v, PublishedImage)), None)
            published.items[(kind, entry_id, name)] = PublishedVideo(item.site_path, item.url, first)
    return published


def inspect_media(collection: Collection, cache_dir: Path | None = None,
                  progress=None) -> tuple[Diagnostics, dict[tuple[str, str, int], ImageFacts]]:
    """What publish_media would report, without publishing anything: every local video checked,
    every image read in full through the build's own decoder (images.inspect_image), so `check`
    refuses exactly what the build would refuse, in the same words. With the build's cache, an
    image the build has published, or an earlier check has read, is known by its content digest
    and not read again. Returns the diagnostics and, by (kind, entry id, position), the facts of
    every image that can be published (a video's poster for a video)."""
    diagnostics = Diagnostics()
    store = cache_dir / "images" if cache_dir else None
    items = _media(collection)
    for item in items:
        if item.video:
            problem = _video_problem(item.video.path)
            if problem:
                _report(collection, item.video, problem, diagnostics)

    index = _DigestIndex(cache_dir / "digests.json" if cache_dir else None, save=bool(cache_dir))
    jobs = _jobs(collection, items, index, diagnostics)
    results: dict[str, ImageFacts | ImageProblem] = {}
    misses = []
    for key, job in jobs.items():
        facts = _known_facts(store / key) if store else None
        if facts:
            results[key] = facts
        else:
            misses.append((job.original, store / key if store else None, key))
    for key, outcome in _parallel(_inspect_work, misses, progress, minimum=INSPECT_PARALLEL_FROM):
        results[key] = outcome

    facts_by_place: dict[tuple[str, str, int], ImageFacts] = {}
    for key, job in jobs.items():
        for place in job.places:
            _report(collection, place, results[key], diagnostics)
            if isinstance(results[key], ImageFacts):
                facts_by_place[(place.kind, place.entry_id, place.position)] = results[key]
    return diagnostics, facts_by_place


def _jobs(collection: Collection, items: list[_Item], index: _DigestIndex, diagnostics: Diagnostics) -> dict[str, _Job]:
    """The images to read, one job per distinct content (the same photo twice is read once)."""
    jobs: dict[str, _Job] = {}
    settings = hashlib.sha256(SETTINGS.encode()).hexdigest()[:8]
    for item in items:
        if item.image is None:
            continue
        try:
            digest = index.digest(item.image.path)
        except OSError as exc:
            _report(collection, item.image, unreadable_file(exc), diagnostics)
            continue
        key = f"{digest}-{settings}"
        jobs.setdefault(key, _Job(item.image.path, key, [])).places.append(item.image)
    index.save()
    return jobs


def _media(collection: Collection) -> list[_Item]:
    """Every medium of every entry, with the files it names (those load_collection refused are
    left out: Collection.media_path gives None for them, and nothing here opens them)."""
    found: list[_Item] = []
    for (kind, entry_id), _source in sorted(collection.sources.items()):
        entry = collection.entry(kind, entry_id)
        named = []
        for position, media in enumerate(getattr(entry, "media", None) or []):
            video = media.kind == VIDEO_KIND
            image_field, image_name = ("poster", media.poster) if video else ("file", media.file)
            image_path = collection.media_path(kind, entry_id, image_name) if image_name else None
            video_path = collection.media_path(kind, entry_id, media.file) if video and media.file else None
            named.append((position, media, image_field, image_name, image_path, video_path))
        image_stems = published_stems(collection.root, [n[4] for n in named if n[4]])
        video_stems = published_stems(collection.root, [n[5] for n in named if n[5]])
        for position, media, image_field, image_name, image_path, video_path in named:
            image = _Place(kind, entry_id, position, image_field, image_name, image_path, image_stems[image_path]) if image_path else None
            video = _Place(kind, entry_id, position, "file", media.file, video_path, video_stems[video_path]) if video_path else None
            found.append(_Item(kind, entry_id, position, media, image, video))
    return found


# Characters that never go into a published name: path separators, what Windows refuses, what a
# URL reads as its own (#, %, ?), and every control, format (bidi marks), private-use or unassigned one.
_RESERVED = set('/\\:*?"<>|#%')
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MAX_STEM_BYTES = 150  # with ".<hash>-thumb.webp", well inside any file system's 255-byte name


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


def _video_key(item: _Item) -> tuple[str, str, str]:
    return item.kind, item.entry_id, item.media.file or item.media.url or ""


def _video_problem(path: Path) -> ImageProblem | None:
    try:
        check_mp4(path)
    except ImageProblem as problem:
        return problem
    except OSError as exc:
        return unreadable_file(exc)
    return None


def _video(collection: Collection, item: _Item, published: PublishedMedia, diagnostics: Diagnostics) -> PublishedVideo:
    if not item.media.file:
        return PublishedVideo(None, item.media.url, None)
    if item.video is None:  # refused by load_collection
        return PublishedVideo(None, None, None)
    problem = _video_problem(item.video.path)
    if problem:
        _report(collection, item.video, problem, diagnostics)
        return PublishedVideo(None, None, None)
    site_path = urls.media(item.kind, item.entry_id, f"{item.video.stem}.mp4")
    published.files.append((site_path, item.video.path))
    return PublishedVideo(site_path, None, None)


def _published_image(derivatives: list[Derivative], place: _Place, published: PublishedMedia, key: str) -> PublishedImage:
    """Each copy is published as <stem>.<hash>-<size>.<fmt>: the hash is of the original's content
    and the encoder settings (the cache key), so a replaced photo gets new addresses and the copies
    can be cached for a year (generator/publish/headers.py), while the name still says what it is."""
    sources: dict[str, list[tuple[int, str]]] = {"webp": [], "jpg": []}
    content = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    thumb: dict[str, str] = {}
    thumb_size = (0, 0)
    width = height = 0
    for d in derivatives:
        site_path = urls.media(place.kind, place.entry_id, f"{place.stem}.{content}-{d.label}.{d.fmt}")
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


def _report(collection: Collection, place: _Place, outcome: ImageFacts | ImageProblem, diagnostics: Diagnostics) -> None:
    """What the build and check both say about one file: why it cannot be published, or that
    only the first frame of an animation (or page of a TIFF) is."""
    source = collection.sources[(place.kind, place.entry_id)]
    loc = ("media", place.position, place.field)
    where = (source.display, source.line_for(loc), f"media[{place.position + 1}].{place.field}")
    name = place.name
    if isinstance(outcome, ImageProblem):
        hint = Bilingual(outcome.hint_zh, outcome.hint_en) if outcome.hint_en else None
        diagnostics.add(error("media_unreadable", *where, f"“{name}”{outcome.zh}", f"'{name}': {outcome.en}", hint))
    elif outcome.animated:
        diagnostics.add(warning("media_animated", *where,
                                f"“{name}”是动图（{outcome.frames} 帧），网站只显示第一帧",
                                f"'{name}' is an animation ({outcome.frames} frames); the site shows its first frame only",
                                Bilingual("要播放动画，请转成 MP4 视频（kind: video）；只要静止画面，请另存为 JPEG 或 PNG",
                                          "to show it moving, convert it to an MP4 video (kind: video); for a still picture, save it as JPEG or PNG")))
    elif outcome.pages:
        diagnostics.add(warning("media_pages", *where,
                                f"“{name}”有 {outcome.frames} 页，网站只显示第一页",
                                f"'{name}' has {outcome.frames} pages; the site shows the first only",
                                Bilingual("其余各页请分别另存为图片后列入 media:", "save the other pages as images of their own and list them under media:")))


# --- reading and encoding, in parallel ---------------------------------------------------------

INSPECT_PARALLEL_FROM = 24  # check reads a JPEG at 1/8 scale in milliseconds: fewer are not worth a process pool


def _work(job: tuple[Path, Path, str]):
    original, out_dir, key = job
    try:
        with working_on(original):  # an unforeseen error names the photo (the mark survives the pool's pickling)
            facts, derivatives = derive(original, out_dir, key)
    except ImageProblem as problem:
        return key, problem
    manifest = {"facts": facts.as_json(),
                "derivatives": [{"label": d.label, "fmt": d.fmt, "width": d.width, "height": d.height, "file": d.path.name}
                                for d in derivatives]}
    _write_json(out_dir / "manifest.json", manifest)  # written last: a half-done folder is never a hit
    return key, (facts, derivatives)


def _inspect_work(job: tuple[Path, Path | None, str]):
    original, folder, key = job
    try:
        facts = inspect_image(original)
    except ImageProblem as problem:
        return key, problem
    if folder is not None:
        try:  # the cache only saves time: a read-only one must not fail the check
            folder.mkdir(parents=True, exist_ok=True)
            _write_json(folder / "facts.json", facts.as_json())
        except OSError:
            pass
    return key, facts


def _write_json(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def _read_manifest(folder: Path) -> tuple[ImageFacts, list[Derivative]] | None:
    """A complete earlier encoding of this content with these settings, or None."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        facts = ImageFacts.from_json(data["facts"])
        derivatives = [Derivative(str(d["label"]), str(d["fmt"]), int(d["width"]), int(d["height"]), folder / Path(str(d["file"])).name)
                       for d in data["derivatives"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # absent, from an older version, or damaged
        return None
    if not derivatives or not all(d.path.is_file() for d in derivatives):
        return None
    return facts, derivatives


def _known_facts(folder: Path) -> ImageFacts | None:
    """What the build (manifest.json) or an earlier check (facts.json) learnt from this content."""
    cached = _read_manifest(folder)
    if cached:
        return cached[0]
    try:
        return ImageFacts.from_json(json.loads((folder / "facts.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _parallel(work, tasks: list[tuple], progress, minimum: int = 3):
    """(key, outcome) of `work` for every task: in this process for a few, else across the cores."""
    if not tasks:
        return
    workers = min(len(tasks), os.cpu_count() or 1)
    bar = progress(len(tasks)) if progress else None
    try:
        if workers < 2 or len(tasks) < minimum:
            for task in tasks:
                result = work(task)
                if bar:
                    bar()
                yield result
            return
        # "spawn": `mkdocs serve` builds from a thread, and forking a threaded process is unsafe
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for result in pool.map(work, tasks, chunksize=1):
                if bar:
                    bar()
                yield result
    finally:
        if bar:
            bar(done=True)


class _DigestIndex:
    """Content digests of originals, remembered by path, size and modification time, so a warm
    build does not read every photo again to learn that nothing changed."""

    def __init__(self, path: Path | None, save: bool = True):
        self.path = path if save else None
        try:
            self.known = json.loads(path.read_text(encoding="utf-8")) if path else {}
        except (OSError, ValueError):
            self.known = {}
        if not isinstance(self.known, dict):
            self.known = {}
        self.changed = False

    def digest(self, original: Path) -> str:
        stat = original.stat()
        stamp = [stat.st_size, stat.st_mtime_ns]
        entry = self.known.get(str(original))
        if isinstance(entry, list) and len(entry) == 3 and entry[:2] == stamp and isinstance(entry[2], str):
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
        if self.changed and self.path:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _write_json(self.path, self.known)
            except OSError:  # a cache: the next run reads the photos again
                pass


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
