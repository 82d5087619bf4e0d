"""MkDocs glue: wires load -> validate -> render to MkDocs' build events.

No business logic lives here; everything it calls is MkDocs-independent, so moving to another
site builder (Material for MkDocs announced its end of life for 2027) replaces this module only.

What it adds to a plain MkDocs build:
- pages are generated from the Collection (nothing is written into docs_dir);
- bad content stops the build before anything is deleted, with every problem listed in both
  languages;
- output is written beside the target folder and swapped in only when the build succeeded, so a
  failed build leaves the last good site untouched;
- `mkdocs serve` reloads when content, templates or reference data change; a mistake made while
  serving keeps the last good content on screen under a banner that lists the errors.
"""

from __future__ import annotations

import re

import functools
import logging
import os
import shutil
import stat
import tempfile
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from markupsafe import escape

from . import urls
from .collection import load_collection
from .content.reference import DATA_DIR
from .diagnostics import error
from .guard import debugging, file_of, internal_error, working_on
from .media import publish_media, terminal_progress
from .render.assets import AssetVersions, stylesheet_bundle
from .render.cache import PageCache
from .render.fingerprint import digest_of, files_digest
from .render.pages import PageRenderer, PageSpec, Strings

log = logging.getLogger("mkdocs.plugins.showcase")


def _log_diagnostics(diagnostics) -> None:
    """Every diagnostic as `showcase check` prints it (Diagnostic.report: the reader's language
    first, an error also in the other language), at the matching log level."""
    from .cli.i18n import detect_lang

    lang = detect_lang([])  # SHOWCASE_LANG (set by `showcase build --lang`), else the locale
    for diagnostic in diagnostics:
        level = logging.ERROR if diagnostic.is_error else logging.WARNING if diagnostic.is_warning else logging.INFO
        log.log(level, diagnostic.report(lang))


CACHED_TEMPLATE = "showcase-cached.html"  # prints a page's output kept from an earlier build, as it was
GENERATOR_DIR = Path(__file__).resolve().parent


class GeneratedPage(Page):
    """A page the generator made: its body is set by on_page_content, so MkDocs' Markdown
    conversion of its (empty) source is skipped; it cost a millisecond a page."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class KeptCopy(File):
    """A static file (the theme's assets, photo copies, Leaflet) copied into the folder being
    built: when the kept tree (see `_reuse_tree`) already holds the same file, it is only marked
    as written, not copied again."""

    def copy_file(self, dirty: bool = False) -> None:
        source, target = self.abs_src_path, self.abs_dest_path
        if self._content is None and source is not None:
            try:
                src, dest = os.stat(source), os.stat(target)
                same = dest.st_size == src.st_size and dest.st_mtime_ns >= src.st_mtime_ns
                if same and src.st_size < 1 << 20:  # small: compare the bytes (cheaper than a copy)
                    with open(source, "rb") as a, open(target, "rb") as b:
                        same = a.read() == b.read()
            except OSError:
                same = False
            if same:
                os.utime(target)
                return
        super().copy_file(dirty)


NOT_FOUND_ROUTE = "404/"  # the route the 404 pages' navigation is made for (no tab is current)
PRE_BUILD = ("读取内容和生成页面", "reading the content and making the pages")  # what an internal error names


def _guarded(doing_zh: str, doing_en: str):
    """An event handler whose unexpected exceptions (our bugs) end the build with a short
    bilingual message naming the file being processed, instead of MkDocs' traceback; the atomic
    swap then never happens, so the published site stays. SHOWCASE_DEBUG=1 lets them through."""
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (MkDocsException, KeyboardInterrupt, SystemExit):
                raise
            except Exception as exc:
                if debugging():
                    raise
                log.debug("internal error", exc_info=True)
                message = internal_error(exc, doing_zh, doing_en, site_kept=bool(self.config.atomic_output))
                raise PluginError(f"{message.zh}\n{message.en}") from None
        return wrapper
    return decorate


def _page_sources(collection) -> dict[str, str]:
    """route -> the file of the entry a page shows, for naming it in an internal error."""
    routes = {"excellent": urls.case, "competition": urls.site, "exhibitions": urls.exhibition, "pages": urls.page}
    return {routes[kind](entry_id): source.display for (kind, entry_id), source in collection.sources.items() if kind in routes}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def readable_by_others(folder: Path) -> None:
    """Give every folder and file of the site the modes `mkdocs build` would (0777/0666 less the
    umask): files that arrive through temporary files (mkstemp makes them 0600) or from the
    cache would otherwise be unreadable to the web server's user."""
    mask = _umask()
    folder_mode, file_mode = 0o777 & ~mask, 0o666 & ~mask
    for dirpath, _dirnames, filenames in os.walk(folder):
        if stat.S_IMODE(os.stat(dirpath).st_mode) != folder_mode:
            os.chmod(dirpath, folder_mode)
        for name in filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & file_mode != file_mode:
                os.chmod(path, stat.S_IMODE(info.st_mode) | file_mode)


class _Writes:
    """Passes on the events of a file changing (written, made, moved, deleted), not of one being
    read: inotify reports every open, and the build itself reads the watched files."""

    def __init__(self, handler):
        self.handler = handler

    def dispatch(self, event) -> None:
        if event.event_type not in ("opened", "closed_no_write"):
            self.handler.dispatch(event)


def _notice_saves_at_once(server) -> None:
    """MkDocs looks for changes by polling every watched folder twice a second: a save waited
    0.25 s on average (0.5 s at worst) before the rebuild began. The system's file events
    (inotify on Linux, FSEvents on macOS) report it at once. If they cannot be set up (a
    network drive, watchdog's internals changed), MkDocs' own polling stays."""
    try:
        import watchdog.observers
        from watchdog.observers.polling import PollingObserver

        if watchdog.observers.Observer is PollingObserver or server.observer.is_alive():
            return
        import watchdog.events

        native = watchdog.observers.Observer()
        refs = {}
        for path, watch in server._watch_refs.items():
            for handler in server.observer._handlers[watch]:
                refs[path] = native.schedule(_Writes(handler), watch.path, recursive=watch.is_recursive)
        server.observer, server._watch_refs = native, refs
    except Exception:  # noqa: BLE001 - any trouble: keep the polling observer, which works everywhere
        log.debug("file events unavailable; polling for changes", exc_info=True)


_THEME_LISTINGS: dict[str, list[str]] = {}  # a theme package's folder -> the files in it


def _list_theme_once(config: MkDocsConfig) -> None:
    """MkDocs lists every file of the theme at each build to publish its assets: Material's
    folders hold thousands of icons (0.2 s a build, felt after every save while previewing).
    The theme package's folders are listed once per process; the project's own overrides
    (custom_dir) every time."""
    import jinja2

    theme = config.theme
    fixed = [d for d in theme.dirs if d != theme.custom_dir]
    original = theme.get_env

    class Loader(jinja2.FileSystemLoader):
        def list_templates(self) -> list[str]:
            names: set[str] = set()
            for folder in self.searchpath:
                if folder in fixed:
                    if folder not in _THEME_LISTINGS:
                        _THEME_LISTINGS[folder] = jinja2.FileSystemLoader(folder).list_templates()
                    names.update(_THEME_LISTINGS[folder])
                else:
                    names.update(jinja2.FileSystemLoader(folder).list_templates())
            return sorted(names)

    def get_env():
        env = original()
        env.loader = Loader(theme.dirs)
        listing = env.list_templates

        def list_templates(extensions=None, filter_func=None):
            """MkDocs' filter (static assets only) over the package's files, once per process."""
            if extensions is not None or filter_func is None:
                return listing(extensions, filter_func)
            key = ("filtered", filter_func.__code__, tuple(sorted(theme.static_templates)), *fixed)
            if key not in _THEME_LISTINGS:
                _THEME_LISTINGS[key] = [name for name in Loader(fixed).list_templates() if filter_func(name)]
            custom = [name for name in Loader([d for d in theme.dirs if d not in fixed]).list_templates() if filter_func(name)]
            return sorted(set(_THEME_LISTINGS[key]) | set(custom))

        env.list_templates = list_templates
        return env

    theme.get_env = get_env


def _snapshot(folder: Path) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """Every file under `folder` with its inode and modification time (a file written again has
    a new time; one replaced has a new inode), and every folder."""
    files: dict[str, tuple[int, int]] = {}
    folders: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        relative = os.path.relpath(dirpath, folder)
        prefix = "" if relative == "." else relative + "/"
        folders += [prefix + name for name in dirnames]
        for name in filenames:
            info = os.lstat(os.path.join(dirpath, name))
            files[prefix + name] = (info.st_ino, info.st_mtime_ns)
    return files, folders


class ShowcaseConfig(base.Config):
    content_dir = c.Type(str, default="cases")
    templates_dir = c.Type(str, default="site_templates")
    cache_dir = c.Type(str, default=".cache/showcase")
    # Build into a sibling folder and swap it in on success (off only for debugging).
    atomic_output = c.Type(bool, default=True)
    # Map tile providers (see generator/maps/config.py); unset: AutoNavi, then OpenStreetMap.
    map_tiles = c.Optional(c.Type(list))
    maps = c.Type(bool, default=True)
    # Site search (generator/search/): a Pagefind index per language, written before the swap.
    search = c.Type(bool, default=True)
    # Downloads page (generator/export/): these exports of the whole collection, made by the
    # build and cached; an empty list turns the page off. Keys: pdf docx xlsx csv json geojson.
    downloads = c.Type(list, default=[])


class ShowcasePlugin(BasePlugin[ShowcaseConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # Defining on_startup makes MkDocs keep this instance across `serve` rebuilds, which is
        # what lets a broken save fall back to the last good collection.
        self.serving = False
        self._said_no_downloads = False
        self._search_labels: dict = {}  # lang -> the search box's labels, for the current renderer
        self.last_good = None  # (collection, media) of the last build without errors, when serving
        self.serve_errors: list = []  # errors shown in the banner while serving the last good content
        self.specs: dict[str, PageSpec] = {}
        self.page_sources: dict[str, str] = {}  # route -> the entry file a page shows (for internal errors)
        self.renderer: PageRenderer | None = None
        self.media_files: list = []
        self.final_site_dir: str | None = None
        self.building_dir: str | None = None
        self.asset_versions = AssetVersions(None)
        self.css_bundle: str | None = None  # site path of the joined stylesheets
        self.css_bundle_content: bytes | None = None
        self._theme = None  # (env, files, nav) of the build, for the English 404 page
        self._nav = None
        # What pages were made into, by the digest of what they were made from (render/cache.py):
        # page bodies (with their search records), and the theme's whole output per page.
        self.page_cache: PageCache | None = None
        self.output_cache: PageCache | None = None
        self.code_digest = b""  # the generator's own files: a code change remakes every page
        self.site_digest = b""  # what every page's theme output shares: theme, config, navigation
        self.output_keys: dict[str, bytes] = {}  # src_uri -> key of the page's theme output
        self.page_scripts: dict[str, list[str]] = {}  # site path -> hashes of the page's inline scripts (publish/headers.py)
        self.cached_output: dict[str, str] = {}  # src_uri -> output kept from an earlier build
        self.outputs_reused = 0
        self.search_job = None  # the search index being made beside the pages (search.SearchJob)
        self._entries: dict = {}  # entry files read and validated, by their bytes (the preview's, collection.load_collection)
        self._deferred_search = None  # (job, generation) of a preview's index still being made
        self._search_generation = 0
        self._last_search_files = None  # the preview's last index, shown while the next is made
        import threading

        self._swap_lock = threading.Lock()  # the preview's swap, and a deferred index written after it

    # --- configuration -----------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.last_good = None
        self._said_no_downloads = False

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    @_guarded("读取配置", "reading the configuration")
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content_dir = self._path(config, self.config.content_dir)
        self.templates_dir = self._path(config, self.config.templates_dir)
        self.cache_dir = self._path(config, self.config.cache_dir)
        for name in ("page_cache", "output_cache"):  # one per cache folder, kept across `serve` rebuilds
            path = self.cache_dir / "pages" / f"{name.split('_')[0]}s.cache"
            if getattr(self, name) is None or getattr(self, name).path != path:
                setattr(self, name, PageCache(path))
        self.project_dir = Path(config.config_file_path).parent.resolve()
        site_dir = Path(config.site_dir).resolve()
        for precious in (self.content_dir, self.templates_dir, self.project_dir):
            # The build replaces site_dir wholesale: it must never be, or contain, what people wrote.
            if site_dir == precious or precious.is_relative_to(site_dir):
                raise PluginError(f"site_dir（{site_dir}）不能是或包含 {precious}，否则生成网站时会覆盖其中的内容 / "
                                  f"site_dir ({site_dir}) must not be or contain {precious}: the build replaces site_dir")
        _list_theme_once(config)
        # the site's own stylesheets as one file named by its content; scripts under hashed names
        docs_dir = Path(config.docs_dir)
        config.extra_css, self.css_bundle, self.css_bundle_content = stylesheet_bundle(docs_dir, list(config.extra_css))
        self.asset_versions = AssetVersions(docs_dir)
        config.extra["alternate"] = [{"name": "中文", "link": "./", "lang": "zh"},
                                     {"name": "English", "link": "en/", "lang": "en"}]
        if not config.site_url:  # og:*, canonical links and the sitemap need it (`serve` sets its own address)
            from .render.sharing import NO_SITE_URL

            log.warning("%s\n%s", *NO_SITE_URL)
        if self.config.atomic_output:
            self.final_site_dir = config.site_dir
            parent = Path(config.site_dir).resolve().parent
            parent.mkdir(parents=True, exist_ok=True)
            self.building_dir = tempfile.mkdtemp(prefix=f".{Path(config.site_dir).name}.building-", dir=parent)
            # mkdtemp makes the folder 0700: swapped in as site/, a web server running as another
            # user (nginx as www-data) would answer 403 for every page
            os.chmod(self.building_dir, 0o777 & ~_umask())
            config.site_dir = self.building_dir
        return config

    # --- content -----------------------------------------------------------------------------
    @event_priority(100)  # before MkDocs cleans anything: bad content must not cost the old site
    @_guarded(*PRE_BUILD)
    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.serve_errors = []
        self.page_scripts = {}
        self.outputs_reused = 0
        try:
            collection, diagnostics = load_collection(self.content_dir, display_root=self.project_dir,
                                                      memo=self._entries if self.serving else None)
            media = None
            if collection is not None:
                media = publish_media(collection, self.cache_dir, diagnostics, progress=terminal_progress("图片 / images"))
                log.info("图片：新处理 %d 张，来自缓存 %d 张 / images: %d processed, %d from the cache",
                         media.processed, media.cached, media.processed, media.cached)
        except Exception as exc:
            if not self._keeps_serving(exc):
                raise
            self._prepare(*self.last_good, config)  # the preview keeps the last good content, under the banner
            return
        _log_diagnostics(diagnostics)
        if diagnostics.has_errors() or collection is None or media is None:
            summary = diagnostics.summary()
            if not (self.serving and self.last_good):
                raise PluginError(f"内容有误，未生成网站（{summary.zh}）/ content has errors, site not built ({summary.en})")
            # While previewing, a half-typed file must not blank the browser: show the last good
            # content and put the errors on every page.
            log.error("内容有误，预览仍显示上次正确的内容（%s）/ content has errors; the preview keeps the last good content (%s)",
                      summary.zh, summary.en)
            self.serve_errors = [d for d in diagnostics if d.is_error]
            collection, media = self.last_good
        elif self.serving and self.last_good:
            try:
                self._prepare(collection, media, config)
            except Exception as exc:
                if not self._keeps_serving(exc):
                    raise
                self._prepare(*self.last_good, config)
            else:
                self.last_good = (collection, media)
            return
        elif self.serving:
            self.last_good = (collection, media)
        self._prepare(collection, media, config)

    def _keeps_serving(self, exc: Exception) -> bool:
        """While previewing with a last good site, an internal error (a bug of ours, met with the
        content just saved) is put in the banner like a content error, and the preview goes on
        with the last good content; otherwise (building, or nothing good yet) it ends the build."""
        if not (self.serving and self.last_good) or debugging() or isinstance(exc, MkDocsException):
            return False
        log.debug("internal error", exc_info=True)
        message = internal_error(exc, *PRE_BUILD)
        log.error("%s\n%s", message.zh, message.en)
        self.serve_errors = [error("internal_error", file_of(exc) or self.config.content_dir, None, None, message.zh, message.en)]
        return True

    def _prepare(self, collection, media, config: MkDocsConfig) -> None:
        """Everything the pages are made from, for `collection` and its published `media`."""
        missing = collection.missing_translations()
        if missing:
            files = sorted({m.file for m in missing})
            log.info("英文翻译缺失 %d 处，页面上以中文显示并标注 / %d English texts missing, shown in Chinese and marked:",
                     len(missing), len(missing))
            for name in files:
                log.info("  %s: %s", name, ", ".join(m.field for m in missing if m.file == name))

        strings = Strings(self.templates_dir / "strings.yaml")  # the labels, read once per build
        maps = self._map_builder(collection, media, strings) if self.config.maps else None
        # The downloads (the whole collection as a PDF book, Word…) take seconds to minutes to
        # make: a preview would wait for them after every save, so `serve` leaves them to `build`.
        downloads = None
        if self.config.downloads and self.serving:
            if not self._said_no_downloads:
                log.info("预览时不生成下载文件（由 showcase build 生成） / downloads are made by build, not while serving")
                self._said_no_downloads = True
        elif self.config.downloads:
            downloads = self._downloads(collection, media, config, strings)
        self.renderer = PageRenderer(collection, self.templates_dir, media, maps, downloads, strings,
                                     asset_versions=self.asset_versions, bytecode_cache=self._bytecode_cache())
        # link previews and search engines: og:* tags, schema.org JSON-LD, robots.txt (render/sharing.py)
        from .render.sharing import Sharing

        self.sharing = Sharing(collection, media, strings, config.site_url, Path(config.docs_dir), self.asset_versions)
        self._search_labels = {}
        from .render.parallel import default_workers

        self.code_digest = files_digest(GENERATOR_DIR)
        annotate = None
        if self.config.search:
            from .search import RecordBuilder

            annotate = RecordBuilder(collection, strings.get).page_record
        with working_on(self.config.content_dir):
            specs = self.renderer.render_all(self.page_cache, annotate=annotate, code_digest=self.code_digest,
                                             workers=1 if self.serving else default_workers())
            self.specs = {spec.src_uri: spec for spec in specs}
        log.info("页面：%d 个，%d 个沿用上次生成的结果 / pages: %d, %d unchanged since they were last made",
                 len(specs), self.renderer.cache_hits, len(specs), self.renderer.cache_hits)
        if self.config.search:  # Pagefind indexes beside the rest of the build, on the other core
            from .search import SearchJob

            # (a preview starts Pagefind once its pages are shown: both cores for the pages first)
            self.search_job = SearchJob.start(collection, specs, strings, self.cache_dir / "search", begin=not self.serving)
        self.page_sources = _page_sources(collection)
        # Both languages' top-level pages form the nav MkDocs knows about; the theme overrides show
        # each reader only their own language's half. Entry pages stay out of the nav: Material
        # renders the whole nav into every page, so output would grow with the square of entries.
        config.nav = [{lang: [uri for _, route in self.renderer.nav(lang)
                              if (uri := urls.src_uri(route, lang)) in self.specs]} for lang in ("zh", "en")]
        self.media_files = list(media.files) + [(d.site_path, d.source) for d in downloads or []]

    def _downloads(self, collection, media, config: MkDocsConfig, strings):
        from .export.downloads import produce_downloads
        from .export.formats import BY_KEY

        unknown = [k for k in self.config.downloads if k not in BY_KEY]
        if unknown:
            raise PluginError(f"mkdocs.yml: showcase: downloads: 不认识的格式 {unknown}，可用 {list(BY_KEY)} / "
                              f"unknown formats {unknown}; known: {list(BY_KEY)}")
        from .export.fonts import PrintFontError

        try:
            files, made = produce_downloads(collection, media, self.cache_dir, self.templates_dir, list(self.config.downloads),
                                            strings, site_url=config.site_url or "")
        except PrintFontError as exc:  # the fonts the book needs: what is missing and how to install it
            raise PluginError(f"{exc.zh}；网站未更新\n{exc.en}; the site was not changed") from None
        except Exception as exc:  # a bug: say so plainly, with the file, and keep the last good site
            if debugging():
                raise
            log.debug("export failed", exc_info=True)
            message = internal_error(exc, "生成下载文件", "making the downloads", site_kept=bool(self.config.atomic_output))
            raise PluginError(f"{message.zh}\n{message.en}") from None
        log.info("下载文件：%s / downloads: %s", "新生成" if made else "来自缓存", "made now" if made else "from the cache")
        return files

    def _map_builder(self, collection, media, strings):
        from .maps.build import MapBuilder
        from .maps.config import TileConfigError, providers

        try:
            tiles, notes = providers(self.config.map_tiles)
        except TileConfigError as exc:
            raise PluginError(f"mkdocs.yml: showcase: {exc}") from None
        for note in notes:
            log.info(note)
        thumbnails = {(kind, entry_id): lead[1].thumb["jpg"]
                      for kind in ("excellent", "competition") for entry_id, entry in collection.table(kind).items()
                      if (lead := media.lead(kind, entry))}
        return MapBuilder(collection, tiles, strings, thumbnails)

    def _bytecode_cache(self):
        """Jinja's compiled templates, kept in the cache folder: compiling Material's and our
        templates afresh cost a second a build. Jinja checks each against its source."""
        from jinja2 import FileSystemBytecodeCache

        folder = self.cache_dir / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        return FileSystemBytecodeCache(str(folder))

    @_guarded("准备模板", "preparing the templates")
    def on_env(self, env, config: MkDocsConfig, files: Files):
        # Templates do not change during one build; without this, every {% include %} in every
        # page stats its template file again (tens of thousands of calls at 1,000 cases).
        env.auto_reload = False
        env.bytecode_cache = self._bytecode_cache()
        self._theme = (env, files, self._nav)
        env.globals["showcase_asset"] = self.asset_versions.published  # the header's scripts, under their hashed names
        return env

    def _site_digest(self, config: MkDocsConfig) -> bytes:
        """What the theme's output of every page depends on besides the page itself: the code,
        the theme and its overrides, mkdocs.yml, the site's address, the assets' names and the
        navigation. A page whose own key and this are unchanged is printed as it was."""
        from importlib.metadata import version

        custom = config.theme.custom_dir
        return digest_of(self.code_digest, files_digest(Path(custom)) if custom else b"", version("mkdocs-material"), version("mkdocs"),
                 Path(config.config_file_path).read_bytes(), config.site_url or "", str(self.css_bundle),
                 self.asset_versions.digest(), repr(config.extra), repr(config.nav), str(self.serving),
                 repr([(spec.src_uri, spec.title) for spec in self.specs.values() if spec.route.count("/") <= 1]))

    @_guarded("列出网站文件", "listing the site's files")
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self._reuse_tree()
        if self.css_bundle:
            files.append(File.generated(config, self.css_bundle, content=self.css_bundle_content))
        # the site's scripts under names that carry their content's hash, instead of their own
        for site_path, hashed, source in self.asset_versions.hashed_scripts():
            original = files.get_file_from_path(site_path)
            if original is not None:
                files.remove(original)
            files.append(File.generated(config, hashed, abs_src_path=str(source)))
        # Material's search (lunr and its languages) is off: its scripts would be published for nothing
        for file in [f for f in files if f.src_uri.startswith(("assets/javascripts/lunr/", "assets/javascripts/workers/"))]:
            files.remove(file)
        for spec in self.specs.values():
            file = File.generated(config, spec.src_uri, content="")
            GeneratedPage(None, file, config)  # sets file.page
            files.append(file)
        from .render.sharing import robots_txt  # all may crawl; the sitemap's address when site_url is set

        files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))
        if self.renderer and self.renderer.maps is not None:
            from .maps.assets import boundary_files, vendor_files

            for path, script in self.renderer.map_scripts.items():
                files.append(File.generated(config, path, content=script))
            for item in vendor_files() + boundary_files():
                if item.source is not None:
                    files.append(File.generated(config, item.site_path, abs_src_path=str(item.source)))
                else:
                    files.append(File.generated(config, item.site_path, content=item.content))
        seen: set[str] = set()
        for site_path, path in self.media_files:
            if site_path not in seen:
                seen.add(site_path)
                files.append(File.generated(config, site_path, abs_src_path=str(path)))
        if getattr(self, "_tree_before", None):  # copies the kept tree already holds are not made again
            for file in files:
                if type(file) is File and file.abs_src_path is not None and not file.is_documentation_page():
                    file.__class__ = KeptCopy
        return files

    @_guarded("列出网站文件", "listing the site's files")
    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        self._nav = nav  # (on_env comes after the pages are read)
        self.site_digest = self._site_digest(config)  # before the pages are read: they look up their output by it
        return nav

    @_guarded("生成页面", "making a page")
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return markdown
        with working_on(self.page_sources.get(spec.route, page.file.src_uri)):
            return self._page_markdown(spec, page)

    def _page_markdown(self, spec: PageSpec, page: Page) -> str:
        # MkDocs treats page titles as HTML (it takes them from rendered headings) and its theme
        # environment does not autoescape: Material prints title and description raw into <title>,
        # <meta> and the header. Content is untrusted, so hand them over escaped.
        page.meta["title"] = str(escape(spec.title))
        page.meta["showcase_lang"] = spec.lang
        # the page in each language (site-relative): read by the language switch and the sitemap
        page.meta["showcase_alternates"] = {lang: urls.page_url(spec.route, lang) for lang in ("zh", "en")}
        if spec.description:
            page.meta["description"] = str(escape(spec.description))
        if spec.hide:
            page.meta["hide"] = list(spec.hide)
        self._look_up_output(spec, page)
        return ""

    def _look_up_output(self, spec: PageSpec, page: Page) -> None:
        """A page whose body and surroundings are what they were when its output was cached is
        printed from the cache through a template that prints it as it was."""
        uri = page.file.src_uri
        self.output_keys.pop(uri, None)
        self.cached_output.pop(uri, None)
        if spec.key is None or self.output_cache is None:
            return
        errors = [d.format(spec.lang) for d in self.serve_errors]
        key = digest_of(self.site_digest, spec.key, errors)
        self.output_keys[uri] = key
        found = self.output_cache.get(key)
        if found is not None:
            self.cached_output[uri], scripts = found
            self.outputs_reused += 1
            if scripts is not None:
                self.page_scripts[page.file.dest_uri] = scripts
            page.meta["template"] = CACHED_TEMPLATE

    @_guarded("生成页面", "making a page")
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return html
        page.toc = get_toc(spec.sections)
        return spec.content

    @_guarded("生成页面", "making a page")
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        spec = self.specs.get(page.file.src_uri)
        with working_on(self.page_sources.get(spec.route, page.file.src_uri) if spec else page.file.src_uri):
            return self._page_context(context, spec, page, config)

    def _page_context(self, context, spec: PageSpec | None, page: Page, config: MkDocsConfig):
        cached = self.cached_output.get(page.file.src_uri)
        if cached is not None:
            context["showcase_cached"] = cached
            return context
        lang = spec.lang if spec else "zh"
        route = spec.route if spec else urls.split(page.url)[1]
        current = urls.page_url(route, lang)
        alternates = page.meta.get("showcase_alternates") or {other: urls.counterpart(current, other) for other in ("zh", "en")}
        context["showcase"] = self._chrome(lang, route, alternates, lambda url: urls.relative(url, current), config)
        # the head's og:* tags and schema.org JSON-LD (render/sharing.py; main.html's site_meta)
        context["showcase"]["share"] = self.sharing.head(spec) if spec else None
        return context

    def _chrome(self, lang, route: str, alternates: dict[str, str], link, config: MkDocsConfig) -> dict:
        """What the theme overrides print around a page in `lang`: header, navigation, language
        switch, search box, labels; `link` turns a site URL into the href this page uses."""
        assert self.renderer is not None
        chrome = {
            "lang": lang,
            "errors": [d.format(lang) for d in self.serve_errors],
            "errors_title": self.renderer.strings.get("serve_errors_title", lang),
            "site_name": self.renderer.site_name(lang),
            "home": link(urls.page_url(urls.HOME, lang)),
            "alternates": [
                {"lang": other, "name": self.renderer.strings.get(f"language_{other}", lang),
                 "url": link(url), "current": other == lang}
                for other, url in alternates.items()
            ],
            "nav": [{"title": title, "url": link(urls.page_url(item_route, lang)),
                     "active": item_route == route or (item_route and route.startswith(item_route))}
                    for title, item_route in self.renderer.nav(lang)],
            # search: the header's search box and its labels (None: no box)
            "search": self._search_ui(lang),
            # the header's other labels: 长辈模式 / large text (site_templates/strings/large_text.yaml)
            "ui": self._ui_labels(lang),
            "share": None,
        }
        self._speak(lang, config)
        return chrome

    def _ui_labels(self, lang) -> dict:
        """The header's other labels in `lang`: the same on every page, so made once per build."""
        key = ("ui", lang)
        if key not in self._search_labels:
            self._search_labels[key] = {name: self.renderer.strings.get(name, lang) for name in self.renderer.strings.table
                                        if name.startswith(("large_text_", "header_"))}
        return self._search_labels[key]

    def _speak(self, lang, config: MkDocsConfig) -> None:
        """Material prints config.site_name (header, title, drawer) and config.copyright (footer);
        pages render one at a time, so setting them in the page's language is safe."""
        config.site_name = self.renderer.site_name(lang)
        config.copyright = self.renderer.strings.get("footer_credit", lang)

    @event_priority(-100)  # after every other plugin: what is kept is what is written
    @_guarded("生成页面", "making a page")
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        uri = page.file.src_uri
        # the page is printed: its body is not needed again (5,000 cases: hundreds of megabytes)
        page.content = ""
        spec = self.specs.get(uri)
        if spec is not None:
            spec.html = spec.content = ""
        if self.cached_output.pop(uri, None) is not None:
            return output
        scripts = None
        if not self.serving:  # the inline scripts the policy allows (publish/headers.py), read as the page is written
            from .publish.headers import InlineCodeError, page_scripts

            try:
                scripts = self.page_scripts[page.file.dest_uri] = page_scripts(output, page.file.dest_uri)
            except InlineCodeError as exc:
                raise PluginError(str(exc)) from None
        key = self.output_keys.get(uri)
        if key is not None and self.output_cache is not None:
            self.output_cache.put(key, (output, scripts))  # (a preview's are never used by a build: site_digest)
        return output

    # --- the 404 pages -----------------------------------------------------------------------
    def _not_found_chrome(self, lang, config: MkDocsConfig) -> dict:
        """A 404 page is served at whatever address was missed: its links are absolute (from the
        site's path, as MkDocs makes them for 404.html), its language switch goes home."""
        from urllib.parse import urlsplit

        base = urlsplit(config.site_url or "/").path
        base = base if base.endswith("/") else base + "/"
        homes = {other: urls.page_url(urls.HOME, other) for other in ("zh", "en")}
        chrome = self._chrome(lang, NOT_FOUND_ROUTE, homes, lambda url: base + url, config)
        chrome["not_found"] = {key: self.renderer.strings.get(key, lang) for key in self.renderer.strings.table
                               if key.startswith("not_found_")}
        return chrome

    def on_template_context(self, context, template_name: str, config: MkDocsConfig):
        if template_name == "404.html" and self.renderer is not None:
            context["showcase"] = self._not_found_chrome("zh", config)
        return context

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """The Chinese 404 is MkDocs' own 404.html; the English one is the same template in English,
        at en/404.html, which the shipped nginx configuration serves for misses under /en/."""
        if template_name == "404.html" and self.renderer is not None and self._theme is not None:
            from mkdocs.commands.build import get_context
            from urllib.parse import urlsplit

            env, files, nav = self._theme
            context = get_context(nav, files, config, base_url=urlsplit(config.site_url or "/").path)
            context["showcase"] = self._not_found_chrome("en", config)
            english = env.get_template("404.html").render(context)
            target = Path(config.site_dir) / "en" / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(english, encoding="utf-8")
            self._speak("zh", config)  # the site's name and footer back in Chinese
        return output

    # --- search ------------------------------------------------------------------------------
    def _search_ui(self, lang):
        """The header box's labels, the same on every page of a language: made once per build."""
        if not self.config.search or self.renderer is None:
            return None
        if lang not in self._search_labels:
            from .search import ui_labels

            # preview: the box looks for the note that the index is being refreshed (_build_search)
            self._search_labels[lang] = {"labels": ui_labels(self.renderer.strings, lang), "preview": self.serving}
        return self._search_labels[lang]

    def _build_search(self, config: MkDocsConfig) -> None:
        """The search index (started when the pages were made, search/job.py) goes into the
        folder being built, so it is swapped in with the pages it describes; a failure fails the
        build and the last good site stays.

        While previewing, the pages are not kept waiting for it: if Pagefind has not finished, the
        last index is written with a note ("refreshing", which the search box reads), and the new
        index replaces it in the served folder as soon as it is made."""
        from .search import SearchIndexError
        from .search.index import write_files

        job, self.search_job = self.search_job, None
        if job is None:
            return
        if self.serving and not job.done():
            self._search_generation += 1
            if self._last_search_files is not None:
                write_files(self._last_search_files, Path(config.site_dir), live=False)
            marker = Path(config.site_dir) / "pagefind" / "refreshing"
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text("", encoding="utf-8")
            self._deferred_search = (job, self._search_generation)
            return
        try:
            counts = job.finish(Path(config.site_dir))
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        if self.serving:
            self._last_search_files = job.result[0]
        log.info("搜索索引：%s%s / search index: %s%s", "，".join(f"{k} {v} 条" for k, v in counts.items()),
                 "（未变，沿用）" if job.from_cache else "",
                 ", ".join(f"{k} {v} records" for k, v in counts.items()), " (unchanged, reused)" if job.from_cache else "")

    def _finish_search_later(self, site_dir: Path) -> None:
        """Write a preview's deferred index into the served folder once Pagefind is done, unless
        a newer build has come since (its own index follows)."""
        deferred, self._deferred_search = self._deferred_search, None
        if deferred is None:
            return
        import threading

        job, generation = deferred
        job.begin(background=True)

        def finish() -> None:
            from .search import SearchIndexError

            try:
                job.wait()
            except SearchIndexError as exc:
                log.error("%s", exc)
                return
            with self._swap_lock:
                if generation != self._search_generation or not site_dir.is_dir():
                    return
                from .search.index import write_files

                write_files(job.result[0], site_dir)  # replaces pagefind/, the note with it
                self._last_search_files = job.result[0]
            log.info("搜索索引已更新 / search index refreshed")

        threading.Thread(target=finish, name="search-refresh", daemon=True).start()

    # --- output ------------------------------------------------------------------------------
    def _publishing_rules(self, config: MkDocsConfig) -> None:
        """The site's HTTP headers (cache rules, a Content-Security-Policy with the hashes of the
        inline scripts the pages hold, the tile hosts) into site/.deploy/, and a .gz beside each
        large text asset (generator/publish/)."""
        from .publish import SiteHeaders, precompress
        from .publish.headers import InlineCodeError

        site = Path(config.site_dir)
        tiles = set()
        if self.renderer and self.renderer.maps is not None:
            tiles = set().union(*(provider.origins for provider in self.renderer.maps.providers))
        try:
            headers = SiteHeaders.compute(site, tiles, config.site_url or "", scanned=self.page_scripts)
        except InlineCodeError as exc:
            raise PluginError(str(exc)) from None
        headers.write(site)
        compressed = precompress(site)
        log.info("发布规则：内联脚本 %d 个（按哈希允许），预压缩文件 %d 个 / publishing rules: %d inline scripts allowed by hash, %d files pre-compressed",
                 len(headers.script_hashes), compressed, len(headers.script_hashes), compressed)

    @_guarded("完成网站", "finishing the site")
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.config.search:
            self._build_search(config)
        self._remove_unmade()
        if not self.serving:  # a preview is never published: no rules to work out after each save
            self._publishing_rules(config)
        log.info("页面输出：%d 个未变，沿用 / page output: %d unchanged, reused", self.outputs_reused, self.outputs_reused)
        for cache in (self.page_cache, self.output_cache):
            if cache is not None:
                cache.finish()
        if not (self.config.atomic_output and self.building_dir and self.final_site_dir):
            self._finish_search_later(Path(config.site_dir))
            return
        readable_by_others(Path(self.building_dir))
        final = Path(self.final_site_dir)
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        with self._swap_lock:
            if final.exists():
                os.replace(final, old)
            os.replace(self.building_dir, final)
        if old.exists():
            self._keep_tree(old)
        self._finish_search_later(final)
        config.site_dir = self.final_site_dir
        self.building_dir = None

    def on_build_error(self, error: Exception) -> None:
        for cache in (self.page_cache, self.output_cache):
            if cache is not None:
                cache.abandon()
        if self.building_dir:
            self._keep_tree(Path(self.building_dir))  # half written, yet as good a start as any for the next build
            self.building_dir = None

    # --- the folder tree the next build starts from -------------------------------------------
    # Making folders is what writing a site costs most here (ext4: ~0.9 ms a folder, 2,000 pages
    # each in its own): the build starts from the folder tree of the site it replaced, kept in the
    # cache folder, rewrites every file it makes, then removes what it did not make. The published
    # site is never written to; a failed build leaves it as it was.
    def _tree(self) -> Path:
        return self.cache_dir / "site-tree"

    def _reuse_tree(self) -> None:
        """Called once MkDocs has emptied the (new, empty) folder being built: put the kept tree
        in its place, and note what it holds."""
        self._tree_before = None
        if not (self.config.atomic_output and self.building_dir):
            return
        building, kept = Path(self.building_dir), self._tree()
        try:
            os.rmdir(building)  # empty: MkDocs has just cleaned it
        except OSError:
            return
        try:
            os.rename(kept, building)
        except OSError:  # none kept (first build), another build took it, or another file system
            building.mkdir()
            os.chmod(building, 0o777 & ~_umask())
            return
        self._tree_before = _snapshot(building)

    def _remove_unmade(self) -> None:
        """Remove what the kept tree held that this build did not write (a deleted case's page,
        an old search index file), and folders left empty."""
        before, self._tree_before = getattr(self, "_tree_before", None), None
        if not before or not self.building_dir:
            return
        building = Path(self.building_dir)
        files, folders = before
        for relative, identity in files.items():
            path = building / relative
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if (info.st_ino, info.st_mtime_ns) == identity:
                path.unlink()
        for relative in sorted(folders, key=lambda f: f.count("/"), reverse=True):
            try:
                os.rmdir(building / relative)
            except OSError:
                pass  # not empty

    def _keep_tree(self, folder: Path) -> None:
        """Keep a replaced (or failed) site's folder tree for the next build to start from."""
        try:
            self._tree().parent.mkdir(parents=True, exist_ok=True)
            os.rename(folder, self._tree())
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)

    def on_serve(self, server, config: MkDocsConfig, builder):
        for path in (self.content_dir, self.templates_dir, DATA_DIR):
            if path.exists():
                server.watch(str(path))
        _notice_saves_at_once(server)
        return server

