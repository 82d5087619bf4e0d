#!/usr/bin/env python3
"""Image pipeline benchmark.

1. Time to process N 12-megapixel photos (4000×3000 JPEG, phone-like, with EXIF GPS) cold (empty
   cache) and warm (nothing changed), through the same publish_media the build uses.
2. Bytes a case page with six of those photos transfers on a 375 px wide phone screen (DPR 2 and
   3), scrolled from top to bottom in headless Chromium so every lazy image loads.

    .venv/bin/python benchmarks/media_bench.py --photos 200
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHOTOS = ROOT / ".cache" / "bench-photos-v3"  # generated once, reused by later runs


@functools.lru_cache(maxsize=1)
def _texture() -> Image.Image:
    """Detail at every scale: noise made at several resolutions and enlarged, so that it survives
    downscaling the way a real scene's texture does (pixel noise would average away)."""
    w, h = 4400, 3300
    image = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    for scale, weight in ((40, 0.45), (12, 0.3), (4, 0.2), (1, 0.08)):
        size = (w // scale, h // scale)
        layer = Image.merge("RGB", [Image.effect_noise(size, 70) for _ in range(3)])
        image = Image.blend(image, layer.resize((w, h), Image.Resampling.BICUBIC), weight)
    return image


def make_photo(index: int) -> bytes:
    """A 12 MP JPEG that compresses like a photo, each one different (window, colour cast), with
    EXIF GPS; every fifth one is stored rotated, as phones do."""
    x, y = (index * 37) % 400, (index * 53) % 300
    image = _texture().crop((x, y, x + 4000, y + 3000))
    tint = Image.new("RGB", image.size, ((index * 37) % 255, (index * 91) % 255, (index * 53) % 255))
    image = Image.blend(image, tint, 0.3)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, float(index % 60)), 3: "E", 4: (121.0, 25.0, 0.0)}
    exif[0x0112] = 6 if index % 5 == 0 else 1
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def photos(count: int) -> list[Path]:
    PHOTOS.mkdir(parents=True, exist_ok=True)
    out = []
    for index in range(count):
        path = PHOTOS / f"photo-{index:03d}.jpg"
        if not path.exists():
            path.write_bytes(make_photo(index))
        out.append(path)
    return out


def content_with(photos_: list[Path], work: Path, per_case: int = 6) -> Path:
    content = work / "cases"
    shutil.copytree(ROOT / "cases", content)
    template = (content / "excellent" / "changning-ningjuli.yaml").read_text(encoding="utf-8")
    for start in range(0, len(photos_), per_case):
        group = photos_[start:start + per_case]
        entry_id = f"bench-photos-{start // per_case:03d}"
        items = "".join(f"  - {{file: {p.name}, alt: 照片 {i}, caption: 照片说明 {i}}}\n" for i, p in enumerate(group, 1))
        text = re.sub(r"^id: .*$", f"id: {entry_id}", template, count=1, flags=re.M)
        text = re.sub(r"^media:\n(?:  .*\n|    .*\n)+", "media:\n" + items, text, count=1, flags=re.M)
        (content / "excellent" / f"{entry_id}.yaml").write_text(text, encoding="utf-8")
        folder = content / "excellent" / entry_id
        folder.mkdir()
        for p in group:
            os.link(p, folder / p.name) if hasattr(os, "link") else shutil.copy(p, folder / p.name)
    return content


def time_pipeline(content: Path, cache: Path) -> None:
    from generator.collection import load_collection
    from generator.diagnostics import Diagnostics
    from generator.media import publish_media

    collection, diagnostics = load_collection(content)
    assert collection is not None, [d.format("en") for d in diagnostics]
    for label in ("cold (empty cache)", "warm (nothing changed)"):
        start = time.perf_counter()
        result = publish_media(collection, cache, Diagnostics())
        elapsed = time.perf_counter() - start
        print(f"{label:<24} {elapsed:7.2f} s   processed {result.processed:4d}   from cache {result.cached:4d}")


def page_bytes(content: Path, work: Path, case: str) -> None:
    from playwright.sync_api import sync_playwright

    site = work / "site"
    env = {**os.environ, "SHOWCASE_CONTENT_DIR": str(content), "SHOWCASE_CACHE_DIR": str(work / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
                   check=True, env=env, cwd=ROOT, capture_output=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for dpr in (2, 3):
            page = browser.new_page(viewport={"width": 375, "height": 667}, device_scale_factor=dpr)
            page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort())
            sizes: list[tuple[str, int]] = []
            page.on("response", lambda r: sizes.append((r.url, len(r.body()))) if r.status == 200 and "127.0.0.1" in r.url else None)
            page.goto(base + f"cases/{case}/", wait_until="networkidle")
            height = page.evaluate("document.body.scrollHeight")
            for y in range(0, height, 300):
                page.evaluate(f"window.scrollTo(0, {y})")
                page.wait_for_timeout(120)
            page.wait_for_load_state("networkidle")
            photos_ = [(u, n) for u, n in sizes if "/media/" in u]
            other = sum(n for u, n in sizes if "/media/" not in u)
            originals = sum(p.stat().st_size for p in (content / "excellent" / case).iterdir())
            print(f"375 px, DPR {dpr}: six photos {sum(n for _, n in photos_) / 1024:7.1f} KB in {len(photos_)} files "
                  f"(originals: {originals / 2**20:.1f} MB); everything else {other / 1024:6.1f} KB (map not scrolled into view counts only if loaded)")
            for url, n in photos_:
                print(f"      {url.rsplit('/', 1)[-1]:<28} {n / 1024:6.1f} KB")
            page.close()
        browser.close()
    httpd.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=200)
    args = parser.parse_args()
    start = time.perf_counter()
    originals = photos(args.photos)
    print(f"{len(originals)} photos of 4000×3000 ({sum(p.stat().st_size for p in originals) / 2**20:.0f} MB) ready in {time.perf_counter() - start:.1f} s; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="media-bench-") as tmp:
        work = Path(tmp)
        content = content_with(originals, work)
        time_pipeline(content, work / "pipeline-cache")
        page_bytes(content, work, "bench-photos-000")


if __name__ == "__main__":
    main()
