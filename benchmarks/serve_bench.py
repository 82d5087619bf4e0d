#!/usr/bin/env python3
"""Time "save a case's YAML → its page shows the change" with the real `showcase serve`.

Copies the bundled sample content plus N synthetic cases into a temporary folder (the same
content as build_bench.py), starts `showcase serve` on it (SHOWCASE_CONTENT_DIR and
SHOWCASE_CACHE_DIR pointed into that folder, a free port) and waits for its first build to be
served. Then, --edits times: gives one case a new Chinese title (writes its YAML file) and times
until the served case page, fetched over HTTP every 20 ms, contains it. With --browser, the same
again in a real tab (Playwright, Debian's /usr/bin/chromium): the case page is open, MkDocs'
livereload reloads it after the rebuild, and the time runs until its <h1> shows the new title.

    .venv/bin/python benchmarks/serve_bench.py --cases 0              # the sample
    .venv/bin/python benchmarks/serve_bench.py --cases 1000 --browser
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import ROOT, case_to_edit, prepare, retitle, scratch_folder  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# as tests/browser/conftest.py launches it
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
POLL = 0.020  # seconds between two looks at the page


from tests.helpers import fetch, free_port  # noqa: E402  (the tests' own: a free port, a page or None)


@contextmanager
def showcase_serve(content: Path, cache_dir: Path, log: Path):
    """`showcase serve` (the installed script, MkDocs underneath) on a free port, its output in
    `log`; yields the base URL and the process, and stops it with SIGTERM on leaving."""
    port = free_port()
    env = {**os.environ, "SHOWCASE_CONTENT_DIR": str(content), "SHOWCASE_CACHE_DIR": str(cache_dir),
           "NO_MKDOCS_2_WARNING": "1"}
    showcase = Path(sys.executable).with_name("showcase")
    with open(log, "wb") as output:
        server = subprocess.Popen([str(showcase), "serve", "--content", str(content), "-a", f"127.0.0.1:{port}"],
                                  cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}/", server
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until(predicate, seconds: float, what: str, server: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        if server is not None and server.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
            raise SystemExit(f"{what}: `showcase serve` stopped (exit code {server.returncode})\n{tail}")
        time.sleep(POLL)
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
    raise SystemExit(f"{what}: not within {seconds:.0f} s\n{tail}")


def summary(label: str, times: list[float]) -> str:
    return (f"{label}: edits={len(times)} min={min(times):.2f}s median={statistics.median(times):.2f}s "
            f"max={max(times):.2f}s  ({' '.join(f'{t:.2f}' for t in times)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=0, help="synthetic cases besides the sample (default 0)")
    parser.add_argument("--edits", type=int, default=5, help="saves to time (default 5), and as many again with --browser")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--browser", action="store_true", help="also time the save in a Chromium tab reloaded by livereload")
    parser.add_argument("--timeout", type=float, default=120, help="seconds one save may take to show (default 120)")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds to wait after a change showed before the next save (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (with serve.log) and print its path")
    args = parser.parse_args()

    if args.browser and not Path(CHROMIUM).exists():
        raise SystemExit("Chromium is missing: run scripts/setup.sh --browser (installs Debian's chromium)")
    with scratch_folder("showcase-serve-bench-", args.keep) as workdir:
        content = prepare(workdir, args.cases, args.seed)
        case_file = case_to_edit(content, args.cases)
        case_id = case_file.stem
        log = workdir / "serve.log"
        started = time.perf_counter()
        with showcase_serve(content, workdir / "cache", log) as (base, server):
            url = f"{base}cases/{case_id}/"
            # the first build: MkDocs serves nothing before it is done
            wait_until(lambda: fetch(url), 300 + args.cases, "the first build", server, log)
            first = time.perf_counter() - started
            print(f"cases={args.cases} case={case_id} first_build_served={first:.1f}s", flush=True)
            time.sleep(args.settle)

            http_times = []
            for k in range(1, args.edits + 1):
                title = f"保存计时{k}号{time.time_ns() % 1_000_000}"
                start = time.perf_counter()
                retitle(case_file, title)
                wait_until(lambda: title in (fetch(url) or ""), args.timeout, f"http edit {k}", server, log)
                http_times.append(time.perf_counter() - start)
                print(f"  http edit {k}: {http_times[-1]:.2f}s", flush=True)
                time.sleep(args.settle)
            print(summary("http", http_times), flush=True)

            if args.browser:
                from playwright.sync_api import sync_playwright

                browser_times = []
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    try:
                        page = browser.new_page()
                        page.goto(url, wait_until="load")
                        for k in range(1, args.edits + 1):
                            title = f"浏览器计时{k}号{time.time_ns() % 1_000_000}"
                            start = time.perf_counter()
                            retitle(case_file, title)
                            page.wait_for_function(
                                "t => { const h = document.querySelector('h1'); return !!h && h.textContent.includes(t); }",
                                arg=title, polling=int(POLL * 1000), timeout=args.timeout * 1000)
                            browser_times.append(time.perf_counter() - start)
                            print(f"  browser edit {k}: {browser_times[-1]:.2f}s", flush=True)
                            time.sleep(args.settle)
                    finally:
                        browser.close()
                print(summary("browser", browser_times), flush=True)
        if args.keep:
            print(f"server output: {log}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
