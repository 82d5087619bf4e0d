"""Build the site the way a user does (`mkdocs build` with the project's mkdocs.yml), pointed at
a content folder of the test's choosing."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def copy_content(dest: Path) -> Path:
    """A private copy of the bundled sample content that a test may break."""
    target = dest / "cases"
    shutil.copytree(ROOT / "cases", target)
    return target


def build(content: Path, site_dir: Path, cache_dir: Path | None = None, *,
          allow_internal_error: bool = False) -> subprocess.CompletedProcess:
    """`mkdocs build`. A build that fails is often what a test wants; one that fails with an
    internal error (generator/guard.py: a bug, not the content) fails the test, whatever it wanted."""
    from generator.guard import INTERNAL_ERROR_MARK

    env = {**os.environ, "SHOWCASE_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1",
           "SHOWCASE_CACHE_DIR": str(cache_dir or site_dir.parent / "cache")}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    if not allow_internal_error:
        log = result.stdout + result.stderr
        assert INTERNAL_ERROR_MARK not in log and "Traceback (most recent call last)" not in log, log[-4000:]
    return result


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
    hosts = {h for p in providers(options.get("map_tiles"), environ={})[0] for h in p.hosts}  # both languages' URLs
    # "{s}" was filled with "a"; any sibling subdomain of the same server counts
    return bool(host) and any(host == h or host.split(".", 1)[-1] == h.split(".", 1)[-1] for h in hosts)


# --- `showcase serve` in the background ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    return None


@contextmanager
def showcase_serve(content: Path, cache_dir: Path, env: dict | None = None):
    """`showcase serve` through the installed script on a free port; yields the base URL and
    stops the server (SIGTERM, as a service manager would) on leaving."""
    port = free_port()
    env = {**os.environ, "SHOWCASE_CONTENT_DIR": str(content), "SHOWCASE_CACHE_DIR": str(cache_dir),
           "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    showcase = Path(sys.executable).with_name("showcase")
    server = subprocess.Popen([str(showcase), "serve", "--content", str(content), "-a", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=20)


def map_data(script: str) -> dict:
    """The data a map script registers (generator/maps/elements.py: map_data_script): one JSON
    object on the script's first line, before folium's part."""
    import json

    first, _, rest = script.partition("\n")
    match = re.fullmatch(r'ShowcaseMaps\.data\("(\w+)", (\{.*\})\);', first)
    assert match, "a map script starts with its data line"
    assert "ShowcaseMaps.data(" not in rest.replace(f'ShowcaseMaps.data("{match[1]}")', ""), "one data line a map"
    return json.loads(match[2])
