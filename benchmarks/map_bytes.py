#!/usr/bin/env python3
"""Bytes a page transfers before and after its map loads, on a 375 px wide phone screen.

Builds the sample site (or takes --site), serves it locally, opens the page in headless Chromium
and counts every response body from this site: first after the page has loaded (map not yet in
view), then after scrolling to the map and waiting for it (Leaflet, the map's script and the
district boundaries). Tiles come from the configured tile servers and are not counted (blocked
here: no internet). Raw bytes are what a server without compression sends; gzip is what a
typical static host sends.

    .venv/bin/python benchmarks/map_bytes.py
    .venv/bin/python benchmarks/map_bytes.py --page map/
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def build(out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SHOWCASE_CACHE_DIR": str(out.parent / "cache")}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
                   check=True, env=env, cwd=ROOT, capture_output=True)


def measure(site: Path, page_path: str) -> None:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    bodies: list[tuple[str, int, int]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 375, "height": 667}, device_scale_factor=2)
        page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort())

        def on_response(response):
            if urlparse(response.url).hostname == "127.0.0.1" and response.status == 200:
                body = response.body()
                bodies.append((response.url.removeprefix(base), len(body), len(gzip.compress(body, 9))))

        page.on("response", on_response)
        page.goto(base + page_path, wait_until="networkidle")
        page.wait_for_timeout(500)
        before = list(bodies)
        page.locator(".sc-map").scroll_into_view_if_needed()
        page.wait_for_selector(".sc-map.sc-map--ready", timeout=15000)
        page.wait_for_function("() => document.querySelector('.sc-map').dataset.boundaries", timeout=15000)
        page.wait_for_timeout(500)
        after = bodies[len(before):]
        browser.close()
    httpd.shutdown()

    def total(items):
        return sum(i[1] for i in items), sum(i[2] for i in items)

    print(f"page: /{page_path} at 375×667")
    raw, gz = total(before)
    print(f"before the map (page load):  {raw / 1024:8.1f} KB raw  {gz / 1024:7.1f} KB gzip  ({len(before)} files)")
    raw2, gz2 = total(after)
    print(f"the map, when scrolled to:   {raw2 / 1024:8.1f} KB raw  {gz2 / 1024:7.1f} KB gzip  ({len(after)} files)")
    for url, size, zipped in after:
        print(f"    {url:<58} {size / 1024:7.1f} KB  {zipped / 1024:6.1f} KB gzip")
    print(f"total:                       {(raw + raw2) / 1024:8.1f} KB raw  {(gz + gz2) / 1024:7.1f} KB gzip (tiles not counted)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already built site (default: build the sample)")
    parser.add_argument("--page", default="cases/changning-ningjuli/")
    args = parser.parse_args()
    if args.site:
        measure(args.site, args.page)
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site)
        measure(site, args.page)


if __name__ == "__main__":
    main()
