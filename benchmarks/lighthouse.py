#!/usr/bin/env python3
"""Lighthouse (mobile) on the built site: accessibility, and the other categories for the record.

Serves a built site (default: site/, made by `make build`) behind nginx with the shipped
deploy/nginx.conf (headers, Content-Security-Policy, gzip: what readers get; `--server python`
for a plain gzip server instead), and runs Lighthouse 12 from npm (benchmarks/lighthouse/package.json and its
lock; installed here with `npm ci` on first use) in Debian's Chromium (CHROME_PATH), on the
pages the accessibility issue names, in both languages, normal and large-text mode:

    .venv/bin/python benchmarks/lighthouse.py                      # home, a case, /map/, /cases/; zh and en
    .venv/bin/python benchmarks/lighthouse.py --site /tmp/site --pages / /about/ --categories accessibility
    .venv/bin/python benchmarks/lighthouse.py --json scores.json   # every figure, and the failing audits

Prints a table (page, language, mode, score per category) and, for any accessibility score under
100, the failing audits with the elements they name. Exits 1 when an accessibility score is under
100. A script, not a test: one Lighthouse run takes 10-20 s, and the figures are recorded in the
README.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "lighthouse"
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = ["/", "/cases/changning-ningjuli/", "/map/", "/cases/"]
TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".geojson", ".mjs")


def install() -> None:
    if CLI.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is missing: install Debian's nodejs and npm (apt-get install nodejs npm)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text, and the site's 404 page for a miss."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if path.is_file() and path.suffix in TEXT_TYPES and accepts:
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@contextlib.contextmanager
def stand_in_tiles(site: Path):
    """No internet here: the configured tile hosts (site/.deploy/headers.json) are pointed at a
    local HTTPS server that answers every tile with a blank 256 px PNG, so a map page is measured
    as a reader with a network would load it (a refused tile is a console error, which costs
    best practices). Yields Chromium flags; none when the site names no tile host."""
    import ssl
    import struct
    import zlib

    hosts = json.loads((site / ".deploy" / "headers.json").read_text(encoding="utf-8")).get("tile_hosts", [])
    if not hosts:
        yield ""
        return

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    def blank(size: int) -> bytes:
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + b"\xee" * size for _ in range(size)))) + chunk(b"IEND", b""))

    tiles = {1: blank(256), 2: blank(512)}  # AutoNavi's scale=1|2

    class Tile(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self):
            png = tiles[2 if "scale=2" in self.path else 1]
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(png)

    with tempfile.TemporaryDirectory() as tmp:
        key, cert = Path(tmp) / "key.pem", Path(tmp) / "cert.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=tiles",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tile)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        port = httpd.server_address[1]
        rules = ",".join(f"MAP {host.split('://', 1)[1]} 127.0.0.1:{port}" for host in hosts)
        try:
            yield f' --host-resolver-rules="{rules}" --ignore-certificate-errors'
        finally:
            httpd.shutdown()


def run(url: str, categories: list[str], flags: str = "") -> dict:
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = ["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={out}",
                   f"--only-categories={','.join(categories)}", "--form-factor=mobile",
                   "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" + flags]
        result = subprocess.run(command, env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True)
        if result.returncode != 0 or not out.exists():
            raise RuntimeError(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def failing(report: dict, category: str = "accessibility") -> list[str]:
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) and audit.get("score") not in (1, None):
            items = (audit.get("details") or {}).get("items") or []
            targets = [str((item.get("node") or {}).get("selector", "") or item.get("url", "") or item.get("description", ""))
                       for item in items][:5]
            lines.append(f"    {category}/{ref['id']}: {audit['title']} {targets}")
    return lines


@contextlib.contextmanager
def served(site: Path, server: str):
    if server == "python":
        httpd, base = serve(site)
        try:
            yield base
        finally:
            httpd.shutdown()
        return
    sys.path.insert(0, str(ROOT))
    from tests.nginx.server import nginx_serving

    with nginx_serving(site) as running:
        yield running.url.rstrip("/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (default: site/, from make build)")
    parser.add_argument("--pages", nargs="+", default=PAGES, help="Chinese routes; each is also run under /en")
    parser.add_argument("--categories", default="accessibility,best-practices,seo,performance")
    parser.add_argument("--no-large-text", action="store_true", help="skip the large-text runs")
    parser.add_argument("--json", type=Path, help="write every score and failing audit here")
    parser.add_argument("--real-tiles", action="store_true",
                        help="ask the real tile hosts (with internet) instead of a local stand-in answering blank tiles")
    parser.add_argument("--server", choices=["nginx", "python"], default="nginx",
                        help="nginx with deploy/nginx.conf (default), or a plain Python server with gzip")
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        sys.exit(f"{args.site} has no index.html: run `make build` first")
    install()
    categories = args.categories.split(",")
    if "accessibility" not in categories:
        categories.insert(0, "accessibility")
    stack = contextlib.ExitStack()
    base = stack.enter_context(served(args.site, args.server))
    flags = "" if args.real_tiles else stack.enter_context(stand_in_tiles(args.site))
    modes = ["normal"] + ([] if args.no_large_text else ["large-text"])
    rows, record, below = [], [], False
    try:
        for page in args.pages:
            for lang, prefix in (("zh", ""), ("en", "/en")):
                for mode in modes:
                    # ?large-text=1 switches the mode on before the first paint and remembers it, as
                    # the header's switch does (site_templates/overrides/main.html)
                    url = f"{base}{prefix}{page}" + ("?large-text=1" if mode == "large-text" else "")
                    report = run(url, categories, flags)
                    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in categories}
                    problems = [line for c in categories if c != "performance" and scores[c] < 100 for line in failing(report, c)]
                    below |= scores["accessibility"] < 100
                    rows.append((page, lang, mode, scores, problems))
                    record.append({"page": page, "lang": lang, "mode": mode, "scores": scores, "failing": problems})
                    print(f"{prefix + page:32} {lang}  {mode:10} " + "  ".join(f"{c} {s}" for c, s in scores.items()), flush=True)
                    for line in problems:
                        print(line, flush=True)
    finally:
        stack.close()
    if args.json:
        args.json.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
