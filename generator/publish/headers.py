"""The HTTP headers of the published site, worked out once by the build and written in one place.

Every target serves the same folder with the same rules:
- caching: a file whose name carries a hash of its content (the site's own scripts and stylesheet,
  Material's bundles, Leaflet and the district boundaries under a versioned folder, image copies,
  Pagefind's index fragments) never changes under its name, so it is cached for a year and
  `immutable`; everything else (pages, the sitemap, the search entry files, downloads, a page's map
  data) is revalidated on every visit, so a deploy reaches readers at once;
- security: a Content-Security-Policy made from the site itself (`'self'`, the map tile hosts the
  configuration names, and the hash of every inline script the pages hold: Material writes a few
  small ones, and the large-text switch is one), and the usual companions;
- content types, including the ones Pagefind's files need.

`SiteHeaders.compute(site_dir, tile_origins)` reads the built folder; `write()` puts the rules into
`<site>/.deploy/headers.json` (the one place) and turns them into what each target needs
(`nginx.conf` beside it, included by the shipped `deploy/nginx.conf`; the uploader of
`showcase publish` asks `headers_for(path)`). Nothing here knows MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

DEPLOY_DIR = ".deploy"  # inside the site folder; never served (nginx) and never uploaded (publish)
RULES_FILE = "headers.json"

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # may be stored, but asked again (ETag / Last-Modified) before every use


@dataclass(frozen=True)
class CacheRule:
    name: str
    pattern: str  # a regular expression searched in the site path (no leading slash)
    cache_control: str
    why: str

    def matches(self, site_path: str) -> bool:
        return re.search(self.pattern, site_path) is not None


# First match wins; the patterns match only names the build itself makes from a content hash
# (a photo named by a person never gets its hash suffix from anywhere but the build: it is
# published as <stem>.<hash>-<size>.<fmt>).
CACHE_RULES: tuple[CacheRule, ...] = (
    CacheRule("site-assets", r"(^|/)(javascripts|stylesheets)/[^/]+\.[0-9a-f]{10}\.(js|css)$", IMMUTABLE,
              "the site's own scripts and stylesheet bundle, named by their content's hash (generator/render/assets.py)"),
    CacheRule("theme-bundles", r"(^|/)assets/(javascripts|stylesheets)/([^/]+/)?[^/]+\.[0-9a-f]{8}\.min\.(js|css)(\.map)?$", IMMUTABLE,
              "Material's bundles, named by their hash"),
    CacheRule("map-assets", r"(^|/)assets/(vendor|maps)/[0-9a-f]{10}/", IMMUTABLE,
              "Leaflet and the district boundaries, in a folder named by their versions' hash (generator/maps/assets.py)"),
    CacheRule("images", r"(^|/)media/.+\.[0-9a-f]{10}-([0-9]+|thumb)\.(webp|jpg)$", IMMUTABLE,
              "photo copies, named by the hash of the original and the encoder settings (generator/media/)"),
    CacheRule("search-fragments", r"(^|/)pagefind/((fragment|index|filter)/[^/]+_[0-9a-f]{7,}\.pf_(fragment|index|filter)|[^/]+_[0-9a-f]{7,}\.pf_meta)$",
              IMMUTABLE, "Pagefind's index files, named by their hash"),
    CacheRule("everything-else", r"", REVALIDATE,
              "pages, the sitemap, robots.txt, the search entry files (pagefind.js, pagefind-entry.json, wasm), "
              "a page's map data, downloads, videos, the icon: asked again on every visit"),
)

# Content types, also for the files a web server or an object store does not know (Pagefind's).
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".pagefind": "application/octet-stream",  # Pagefind's WebAssembly, gzip-compressed by Pagefind itself
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".mp4": "video/mp4",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".gz": "application/gzip",
}

# Text worth compressing: what a server gzips on the fly, and what the build pre-compresses.
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".geojson", ".xml", ".txt", ".csv", ".map", ".svg"}

_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
# a start tag, its attributes read with their quoting (a title holding " onclick=" inside an
# attribute's value is text, not an attribute)
_TAG = re.compile(r"""<[a-zA-Z][^\s/>]*((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*/?>""")
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_HANDLER_NAME = re.compile(r"\son[a-z]+\s*=")


def _may_hold_code(html: str) -> bool:
    """A quick look before the careful one (inline_code): twice as fast as one case-insensitive
    pattern, which matters at thousands of pages."""
    low = html.lower()
    return "javascript:" in low or _HANDLER_NAME.search(low) is not None


class InlineCodeError(Exception):
    """A page holds code no hash can allow (an event-handler attribute, a javascript: link): under
    the policy it would not run, so the build stops instead of publishing a broken page."""


def content_type(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def cache_rule(site_path: str) -> CacheRule:
    path = site_path.lstrip("/")
    if path.endswith(".gz"):  # a pre-compressed copy is cached like the file it stands for
        path = path[:-3]
    return next(rule for rule in CACHE_RULES if rule.matches(path))


def script_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_scripts(html: str) -> list[str]:
    """The inline scripts a browser would run (JSON data blocks and external scripts are not)."""
    found = []
    for attributes, body in _INLINE_SCRIPT.findall(html):
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else "") in _EXECUTABLE_TYPES:
            found.append(body)
    return found


def inline_code(html: str) -> list[str]:
    """Attributes that would run code: event handlers (onclick=…) and javascript: addresses."""
    found = []
    for tag in _TAG.finditer(html):
        for name, value in _ATTRIBUTE.findall(tag.group(1)):
            value = html_unescape(value.strip("\"'")).strip().lower()
            if name.lower().startswith("on") or (name.lower() in ("href", "src", "action", "formaction") and value.startswith("javascript:")):
                found.append(f"{name}={value[:40]}")
    return found


def page_scripts(html: str, where: str) -> list[str]:
    """The hashes of a page's inline scripts, for the policy; InlineCodeError when the page holds
    code no hash can allow."""
    if _may_hold_code(html) and inline_code(html):
        raise InlineCodeError(f"{where}: 页面含有事件属性（on…=）或 javascript: 链接，在内容安全策略下不会执行；请改为外部脚本 / "
                              f"{where}: the page holds an event-handler attribute (on…=) or a javascript: link, which "
                              "the Content-Security-Policy would block; move it into a script file")
    return sorted({script_hash(code) for code in inline_scripts(html)}) if "<script" in html else []


def policy(script_hashes: list[str], tiles: list[str]) -> str:
    """The Content-Security-Policy: the site's own files, plus tiles from the configured hosts.
    Pagefind compiles its WebAssembly ('wasm-unsafe-eval'; never 'unsafe-eval' or 'unsafe-inline').
    No inline styles either: the pages hold no style attribute, and Leaflet, Material and the
    site's scripts style through the DOM, which the policy allows (tests/nginx/test_csp_browser.py)."""
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'wasm-unsafe-eval'", *script_hashes]),
        ("style-src", ["'self'"]),
        ("img-src", ["'self'", "data:", *tiles]),
        ("font-src", ["'self'"]),
        ("connect-src", ["'self'"]),
        ("media-src", ["'self'"]),
        ("worker-src", ["'self'"]),
        ("manifest-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'self'"]),
    ]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives)


PERMISSIONS = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
               "magnetometer=(), microphone=(), payment=(), usb=()")


@dataclass
class SiteHeaders:
    csp: str
    script_hashes: list[str]
    tile_hosts: list[str]
    base_path: str = "/"  # the site's path under its host: "/showcase/" for https://example.gov.cn/showcase/
    not_found: dict[str, str] = field(default_factory=dict)  # lang -> the 404 page, site path

    @property
    def security(self) -> dict[str, str]:
        """On every response, 404s included."""
        return {
            "Content-Security-Policy": self.csp,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "X-Frame-Options": "SAMEORIGIN",
            "Permissions-Policy": PERMISSIONS,
        }

    def headers_for(self, site_path: str) -> dict[str, str]:
        """Every header a response with this file carries (what an object store is given per file)."""
        return {"Content-Type": content_type(site_path),  # a .gz asked for by its own name is a gzip file
                "Cache-Control": cache_rule(site_path).cache_control, **self.security}

    @classmethod
    def compute(cls, site_dir: Path, tile_origins, site_url: str = "", scanned: dict[str, list[str]] | None = None) -> "SiteHeaders":
        """From the built folder, the tile servers' origins (TileProvider.origins) and site_url.
        `scanned`: pages already looked at as they were written (site path -> page_scripts()),
        which are not read again."""
        hashes: set[str] = set()
        scanned = scanned or {}
        for path in sorted(site_dir.rglob("*.html")):
            where = path.relative_to(site_dir).as_posix()
            if DEPLOY_DIR in path.relative_to(site_dir).parts:
                continue
            known = scanned.get(where)
            hashes.update(known if known is not None else page_scripts(path.read_text(encoding="utf-8", errors="replace"), where))
        ordered = sorted(hashes)
        tiles = sorted(tile_origins)
        base = urlsplit(site_url).path if site_url else "/"
        base = base if base.endswith("/") else base + "/"
        not_found = {lang: path for lang, path in (("zh", "404.html"), ("en", "en/404.html")) if (site_dir / path).is_file()}
        return cls(policy(ordered, tiles), ordered, tiles, base, not_found)

    def to_json(self) -> dict:
        return {
            "about": "The HTTP headers of this site, written by the build (generator/publish/headers.py). "
                     "deploy/nginx.conf includes nginx.conf beside this file; `showcase publish` uploads with these.",
            "base_path": self.base_path,
            "security_headers": self.security,
            "script_hashes": self.script_hashes,
            "tile_hosts": self.tile_hosts,
            "cache_rules": [{"name": r.name, "pattern": r.pattern, "cache_control": r.cache_control, "why": r.why}
                            for r in CACHE_RULES],
            "content_types": CONTENT_TYPES,
            "not_found": self.not_found,
        }

    @classmethod
    def from_json(cls, data: dict) -> "SiteHeaders":
        return cls(data["security_headers"]["Content-Security-Policy"], list(data["script_hashes"]),
                   list(data["tile_hosts"]), data.get("base_path", "/"), dict(data.get("not_found") or {}))

    @classmethod
    def read(cls, site_dir: Path) -> "SiteHeaders":
        return cls.from_json(json.loads((site_dir / DEPLOY_DIR / RULES_FILE).read_text(encoding="utf-8")))

    def write(self, site_dir: Path) -> None:
        from .nginx import nginx_snippet

        folder = site_dir / DEPLOY_DIR
        folder.mkdir(exist_ok=True)
        (folder / RULES_FILE).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (folder / "nginx.conf").write_text(nginx_snippet(self), encoding="utf-8")


def precompress(site_dir: Path, minimum: int = 1024) -> int:
    """A `.gz` beside each compressible site asset (not pages: a server compresses those on the
    fly, and there are thousands), at the highest level and with no timestamp, so the same site
    gives the same bytes; nginx serves them with gzip_static. Returns how many were written."""
    import gzip

    written = 0
    for folder in ("assets", "javascripts", "stylesheets", "pagefind"):
        root = site_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() not in COMPRESSIBLE or not path.is_file() or path.suffix == ".map":
                continue
            data = path.read_bytes()
            if len(data) < minimum:
                continue
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            if len(packed) < len(data) * 0.9:
                target = path.with_name(path.name + ".gz")
                target.write_bytes(packed)
                os.utime(target, (path.stat().st_atime, path.stat().st_mtime))
                written += 1
    return written
