"""Build the site the way a user does (`mkdocs build` with the project's mkdocs.yml), pointed at
a content folder of the test's choosing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def copy_content(dest: Path) -> Path:
    """A private copy of the bundled sample content that a test may break."""
    target = dest / "cases"
    shutil.copytree(ROOT / "cases", target)
    return target


def build(content: Path, site_dir: Path, cache_dir: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHOWCASE_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1",
           "SHOWCASE_CACHE_DIR": str(cache_dir or site_dir.parent / "cache")}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def page_file(site: Path, url: str) -> Path:
    return site / url / "index.html" if url.endswith("/") or url == "" else site / url


def resolve(page_url: str, href: str) -> str:
    """Site-relative URL that a relative link on `page_url` points to."""
    return urljoin("http://x/" + page_url, href).removeprefix("http://x/")


_TAG = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", _TAG.sub(" ", html)).strip()


def configured_tile_host(host: str | None) -> bool:
    """A host of a tile server that mkdocs.yml names (its {s} subdomains included): the only
    third-party hosts the site may contact."""
    from generator.maps.config import providers
    from mkdocs.utils.yaml import yaml_load

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml_load(handle)
    options = next((p["showcase"] for p in config.get("plugins", []) if isinstance(p, dict) and "showcase" in p), {}) or {}
    hosts = {p.host for p in providers(options.get("map_tiles"), environ={})[0]}
    # "{s}" was filled with "a"; any sibling subdomain of the same server counts
    return bool(host) and any(host == h or host.split(".", 1)[-1] == h.split(".", 1)[-1] for h in hosts)
