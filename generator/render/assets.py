"""URLs of the site's own static files (assets/) that change when the files do.

A file under a fixed name may be served from a browser's or a CDN's cache for days after a
deploy: a reader would get yesterday's script with today's pages. The site's scripts are published
under names that carry a hash of their content (`javascripts/search.3a69d54ba9.js`), and the
stylesheets are joined into one file named by its hash, which also saves the reader three requests
on every page (the site's CSS is kept in one file per feature for its editors). A name, not a
`?v=` query: a CDN set to ignore query strings (Tencent Cloud's and Alibaba Cloud's CDNs offer
it) would otherwise keep serving the old file for as long as it is cached, a year for these
(generator/publish/headers.py). Files the build writes per page (a map's data) keep `?v=` and
are revalidated like the page.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

_DIGITS = 10


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:_DIGITS]


SCRIPTS = "javascripts"  # the folder of docs_dir whose files are published under hashed names


def hashed_name(site_path: str, version: str) -> str:
    """`javascripts/search.js` -> `javascripts/search.<version>.js`"""
    path = PurePosixPath(site_path)
    return str(path.with_name(f"{path.stem}.{version}{path.suffix}"))


class AssetVersions:
    """Content hashes of the files under docs_dir (assets/), read once per build."""

    def __init__(self, docs_dir: Path | None):
        self.docs_dir = docs_dir.resolve() if docs_dir else None
        self._versions: dict[str, str | None] = {}
        self._generated: set[str] = set()
        self._digest: bytes | None = None

    def hashed_scripts(self) -> list[tuple[str, str, Path]]:
        """(site path, published name, file) of every script in docs_dir's javascripts/: the build
        publishes each under its hashed name instead of its own."""
        if self.docs_dir is None or not (self.docs_dir / SCRIPTS).is_dir():
            return []
        found = []
        for path in sorted((self.docs_dir / SCRIPTS).iterdir()):
            if path.is_file() and path.suffix == ".js":
                site_path = f"{SCRIPTS}/{path.name}"
                found.append((site_path, hashed_name(site_path, self.version(site_path) or ""), path))
        return found

    def address(self, site_path: str) -> tuple[str, str]:
        """(path, query) to ask for the file by: a script of docs_dir under its hashed name, a file
        the build writes with ?v=<hash>, anything else (a folder) as it is."""
        version = self.version(site_path)
        if version is None:
            return site_path, ""
        if site_path in self._generated:
            return site_path, f"?v={version}"
        if PurePosixPath(site_path).parent == PurePosixPath(SCRIPTS) and site_path.endswith(".js"):
            return hashed_name(site_path, version), ""
        return site_path, f"?v={version}"

    def published(self, site_path: str) -> str:
        """The site path of the file as published, for templates that make it relative themselves."""
        path, query = self.address(site_path)
        return path + query

    def add(self, site_path: str, content: bytes) -> None:
        """A file the build writes itself (a map's script): its version is its content's hash."""
        self._versions[site_path] = digest(content)
        self._generated.add(site_path)

    def digest(self) -> bytes:
        """One digest of docs_dir's files: what the hashed names and ?v= of its files follow."""
        if self.docs_dir is None:
            return b""
        if self._digest is None:
            from .fingerprint import files_digest

            self._digest = files_digest(self.docs_dir)
        return self._digest

    def version(self, site_path: str) -> str | None:
        """The file's hash, or None when site_path is neither a file of docs_dir nor added (a
        folder, say)."""
        if site_path not in self._versions:
            self._versions[site_path] = None
            if self.docs_dir is not None:
                path = (self.docs_dir / site_path).resolve()
                if path.is_relative_to(self.docs_dir) and path.is_file():
                    self._versions[site_path] = digest(path.read_bytes())
        return self._versions[site_path]


def stylesheet_bundle(docs_dir: Path, extra_css: list[str]) -> tuple[list[str], str | None, bytes | None]:
    """Join the stylesheets of `extra_css` that are files in docs_dir's `stylesheets/` folder
    (beside each other, so relative url()s keep working) into one, in their order. Returns the new
    extra_css (the bundle where the first of them stood), the bundle's site path and its bytes;
    the list unchanged and None when there is nothing to join."""
    local = [entry for entry in extra_css
             if PurePosixPath(entry).parent == PurePosixPath("stylesheets") and (docs_dir / entry).is_file()]
    if not local:
        return list(extra_css), None, None
    content = b"".join(b"/* " + entry.encode("utf-8") + b" */\n" + (docs_dir / entry).read_bytes().rstrip() + b"\n"
                       for entry in local)
    name = f"stylesheets/showcase.{digest(content)}.css"
    bundled, placed = [], False
    for entry in extra_css:
        if entry not in local:
            bundled.append(entry)
        elif not placed:
            bundled.append(name)
            placed = True
    return bundled, name, content
