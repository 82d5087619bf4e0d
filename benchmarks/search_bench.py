#!/usr/bin/env python3
"""Compare the two search engines on the sample content plus N synthetic bilingual cases.

Builds the same content four times (benchmarks/build_bench.py makes the synthetic cases):
  none      no search at all (the baseline build time)
  material  Material's search plugin, lang zh + en, jieba with the programme's words as user
            dictionary (generator/search/words.txt and every name in the content)
  pagefind  the site's search: Pagefind's extended build, Chinese one token per character and
            the next (generator/search/)
  pf-jieba  the same without the pair tokens: Pagefind's own jieba segmentation at
            indexing and the browser's at query time (what the extended build does by itself)
and reports, for each: build time, index bytes on disk per language, bytes transferred before the
first results of a typical query in headless Chromium (raw, and gzip as a server would send it),
query latency once loaded (median over several queries, typing to results on screen), and how
many of the programme's words that the content contains are found on a page that contains them.

    .venv/bin/python benchmarks/search_bench.py --cases 1000
    .venv/bin/python benchmarks/search_bench.py --cases 100 --keep     # keep the built sites

--query-words measures the site's search alone, word by word (the budget of issue 18: a query of
up to six Chinese characters, or an English word or phrase, costs at most 150 KB gzip before its
first results, cold cache, and answers within 100 ms once loaded). It builds the site once with the
sample content plus N synthetic cases and, for each word of ZH_WORDS and EN_WORDS (the programme's
own words, 2-6 characters, that the content holds), opens a fresh browser context (empty cache;
every request to another host is refused), loads a page, opens the search box and types the word.
It records the gzip size (each response body gzipped as a server would send it, or as it is when
already gzip) of everything that finished loading between opening the box and the first results
on screen (Resource Timing, read in the page) and, when a glossary term's definition came first
(it needs only the glossary's small file), also until Pagefind's results were on screen; then the
latency of the same query again, the index loaded (typing to Pagefind's results on screen, median
of three). Prints each word, then the median and the worst for each language.

    .venv/bin/python benchmarks/search_bench.py --cases 1000 --query-words
    .venv/bin/python benchmarks/search_bench.py --cases 1000 --query-words --site /tmp/kept/site   # a site built before
    PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE=2000 .venv/bin/python benchmarks/search_bench.py --query-words  # Pagefind's option

Material's Chinese segmentation needs jieba: `.venv/bin/pip install jieba` (or `pip install -e .[bench]`).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import logging
import os
import shutil
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_bench import plugins_with, prepare, scratch_folder  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TYPICAL = {"zh": "人民坊", "en": "Renminfang"}
LATENCY = {"zh": ["生活圈", "社区服务", "华阳街道", "党群服务", "示范项目", "嵌入式", "长宁", "六艺亭"],
           "en": ["community", "Huayang", "street renewal", "elderly care", "Changning", "life circle", "design", "service"]}
START = {"zh": "about/", "en": "en/about/"}
VARIANTS = ("none", "material", "pagefind", "pf-jieba")
# --query-words: the programme's own words of 2-6 characters (cases/, generator/search/words.txt)
ZH_WORDS = ["社区生活圈", "党群服务中心", "人民坊", "六艺亭", "一图三会", "十全十美", "一站式服务中心", "为老服务",
            "养老服务", "嵌入式", "街区烟火气", "长宁区", "华阳街道", "生活圈", "会客厅", "邻里中心", "宁聚里", "北虹之星",
            "沪派江南", "复兴岛", "掌中宝", "殷行街道", "宜川路街道", "汇龙湖", "数字地图", "十周年", "实施行动指南",
            "设计竞赛", "美好生活", "市民驿站", "城市更新", "家门口", "优秀案例", "行动方案", "便民服务"]
EN_WORDS = ["Renminfang", "life circle", "Liuyiting", "Changning", "Huayang", "Jiangwan citizens station", "elderly care",
            "Renminfang competition", "street vitality", "Ningjuli", "Beihong Star", "Fuxing Island", "Pengpu",
            "digital map", "tenth anniversary", "implementation guide", "Huilong Lake", "neighbourhood centre",
            "design competition", "Shanghai-style Jiangnan"]
BUDGET_KB, BUDGET_MS = 150, 100


# --- building ---------------------------------------------------------------------------------
def build(variant: str, content: Path, site: Path, cache: Path, user_dict: Path) -> float:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    import generator.search.records as records

    # downloads (exports of the collection) are not what is compared here
    plugins = plugins_with(content_dir=str(content), cache_dir=str(cache), downloads=[],
                           search=variant in ("pagefind", "pf-jieba"))
    if variant == "material":
        # the separator must split at the zero-width spaces the plugin puts between jieba's words
        plugins.append({"search": {"lang": ["zh", "en"], "jieba_dict_user": str(user_dict),
                                   "separator": r"[\s\u200b\-]+"}})
    split_han, index_lang = records.split_han, records.INDEX_LANG
    if variant == "pf-jieba":
        records.split_han = lambda html: html  # leave Chinese to Pagefind's own segmenter
        records.INDEX_LANG = {}
    try:
        start = time.perf_counter()
        mkdocs_build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), plugins=plugins))
        return time.perf_counter() - start
    finally:
        records.split_han, records.INDEX_LANG = split_han, index_lang


def _hand_kept_words() -> list[str]:
    from generator.search import WORDS_FILE

    return [w for line in WORDS_FILE.read_text(encoding="utf-8").splitlines() if (w := line.split("#", 1)[0].strip())]


def write_user_dict(content: Path, path: Path) -> list[str]:
    from generator.collection import load_collection
    from generator.search import WORDS_FILE, dictionary_words

    collection, _ = load_collection(content)
    words = dictionary_words(collection, WORDS_FILE)
    # jieba's format: word, frequency; a high frequency makes it keep the word whole
    path.write_text("".join(f"{w} 20000\n" for w in words), encoding="utf-8")
    return words


# --- bytes on disk ----------------------------------------------------------------------------
def disk_bytes(variant: str, site: Path) -> dict[str, int]:
    if variant == "material":
        index = site / "search" / "search_index.json"
        if not index.exists():
            return {}
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        size = {lang: len(json.dumps([d for d in docs if d["location"].startswith("en/") == (lang == "en")],
                                     ensure_ascii=False).encode()) for lang in ("zh", "en")}
        size["total"] = index.stat().st_size
        return size
    bundle = site / "pagefind"
    if not bundle.exists():
        return {}
    size = {"total": sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())}
    from generator.search.records import INDEX_LANG

    name = {lang: INDEX_LANG.get(lang, lang) if variant == "pagefind" else lang for lang in ("zh", "en")}
    for lang in ("zh", "en"):
        size[lang] = sum(p.stat().st_size for folder in ("index", "filter") for p in (bundle / folder).glob(f"{name[lang]}_*"))
    size["fragments"] = sum(p.stat().st_size for p in (bundle / "fragment").glob("*"))
    size["chunks_zh"] = len(list((bundle / "index").glob(f"{name['zh']}_*")))
    return size


# --- the browser ------------------------------------------------------------------------------
@contextmanager
def serve(site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args, **kwargs):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


UI = {
    "material": {"open": "input.md-search__input", "input": "input.md-search__input",
                 "list": ".md-search-result__list", "hit": ".md-search-result__item"},
    "pagefind": {"open": ".sc-search__open", "input": "#sc-search-input", "list": "#sc-search-results",
                 "hit": ".sc-search__hit"},
}
UI["pf-jieba"] = UI["pagefind"]

MEASURE = """async ([q, inputSel, listSel]) => {
  const input = document.querySelector(inputSel), list = document.querySelector(listSel);
  const t0 = performance.now();
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (list.children.length) { observer.disconnect(); resolve(performance.now() - t0); }
    });
    observer.observe(list, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 5000);
  });
  input.value = q;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: q.slice(-1)}));
  return await done;
}"""


def is_search(variant: str, url: str) -> bool:
    if variant == "material":
        return "search_index.json" in url or "/workers/search" in url or "/lunr/" in url
    return "/pagefind/" in url


def browser_measure(variant: str, site: Path, browser, words: list[str]) -> dict:
    out: dict = {}
    with serve(site) as base:
        for lang in ("zh", "en"):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            responses = []

            def collect(response):
                try:
                    body = response.body()
                except Exception:
                    return
                responses.append((response.url, body, time.perf_counter()))

            page.on("response", collect)
            page.goto(base + START[lang])
            page.wait_for_load_state("networkidle")
            loaded = time.perf_counter()
            ui = UI[variant]
            page.click(ui["open"])
            page.fill(ui["input"], TYPICAL[lang])
            page.keyboard.press("End")  # Material's box searches on key-up
            page.wait_for_selector(ui["hit"], timeout=30000)
            first = time.perf_counter()
            page.wait_for_timeout(200)
            searched = [(u, b) for u, b, t in responses if t <= first and is_search(variant, u)]
            out[lang] = {
                "bytes_raw": sum(len(b) for _, b in searched),
                "bytes_gzip": sum(min(len(b), len(gzip.compress(b, 6))) for _, b in searched),
                "at_page_load": sum(len(b) for u, b, t in responses if t <= loaded and is_search(variant, u)),
                "requests": len(searched),
                "first_results_s": first - loaded,
                "files": [(u.split("/pagefind/", 1)[-1] if "/pagefind/" in u else u.rsplit("/", 1)[-1],
                           min(len(b), len(gzip.compress(b, 6)))) for u, b in searched],
            }
            times = []
            for query in LATENCY[lang]:
                page.evaluate(MEASURE, ["", ui["input"], ui["list"]])  # clear
                ms = page.evaluate(MEASURE, [query, ui["input"], ui["list"]])
                if ms is not None:
                    times.append(ms)
            out[lang]["latency_ms"] = statistics.median(times) if times else None
            if lang == "zh" and variant != "material":
                out["words_found"] = words_found(page, variant, words)
            page.close()
    return out


def words_found(page, variant: str, words: list[str]) -> str:
    """Programme words (in the content) found on a page that contains them, in the top three."""
    lookup = ("(q) => window.showcaseSearch.query(q)" if variant == "pagefind" else
              """async (q) => { const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
                 const r = await pf.search(q); return {top: await Promise.all(r.results.slice(0, 3).map(x => x.data()))}; }""")
    found = missed = 0
    misses = []
    for word in words:
        result = page.evaluate(lookup, word)
        if any(word in hit["content"].replace("\u200b", "") for hit in result["top"][:3]):
            found += 1
        else:
            missed += 1
            misses.append(word)
    return f"{found}/{found + missed}" + (f" (missed e.g. {', '.join(misses[:4])})" if misses else "")


SETTLE = """async ([q, inputSel]) => {
  const input = document.querySelector(inputSel), box = document.querySelector(".md-search-result");
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => { observer.disconnect(); setTimeout(resolve, 30); });
    observer.observe(box, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(); }, 2000);
  });
  input.value = q;
  input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: "End"}));
  await done;
}"""


def material_words_found(site: Path, browser, words: list[str]) -> str:
    """The same check through Material's box: the first three results' text contains the word."""
    found = 0
    misses = []
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + START["zh"])
        page.click(UI["material"]["open"])
        for word in words:
            page.evaluate(SETTLE, ["", UI["material"]["input"]])
            page.evaluate(SETTLE, [word, UI["material"]["input"]])
            texts = page.eval_on_selector_all(".md-search-result__item", "els => els.slice(0, 3).map(e => e.textContent)")
            if any(word in t.replace("\u200b", "") for t in texts):
                found += 1
            else:
                misses.append(word)
        page.close()
    return f"{found}/{len(words)}" + (f" (missed e.g. {', '.join(misses[:4])})" if misses else "")


# --- word by word (--query-words) ------------------------------------------------------------
FIRST_RESULTS = """async (word) => {
  // type the word into the open box; the time the first result is on screen, and what loaded before
  const input = document.querySelector("#sc-search-input"), list = document.querySelector("#sc-search-results");
  const status = document.querySelector("#sc-search-status"), hint = status.textContent;
  // Pagefind's results on screen (after a glossary term's definition, which can come first)
  const full = new Promise((resolve) => {
    document.querySelector("[data-sc-search]").addEventListener("sc-search-results", () => resolve(performance.now()), {once: true});
    setTimeout(() => resolve(null), 30000);
  });
  const done = new Promise((resolve) => {
    const check = () => list.children.length || status.textContent !== hint;
    const observer = new MutationObserver(() => {
      if (check()) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(list.parentNode, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 30000);
  });
  input.value = word;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  const at = await done;
  const hits = list.children.length;
  return {at, hits, full: await full};
}"""

WARM = """async (word) => {
  // typing to Pagefind's results on screen (the box's sc-search-results event), the index loaded
  const root = document.querySelector("[data-sc-search]"), input = document.querySelector("#sc-search-input");
  const t0 = performance.now();
  const done = new Promise((resolve) => {
    const listen = (event) => {
      if (event.detail.query === word.trim()) { root.removeEventListener("sc-search-results", listen); resolve(performance.now() - t0); }
    };
    root.addEventListener("sc-search-results", listen);
    setTimeout(() => resolve(null), 10000);
  });
  input.value = word;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  return await done;
}"""

CLEAR = """() => { const input = document.querySelector("#sc-search-input");
  input.value = ""; input.dispatchEvent(new Event("input", {bubbles: true})); }"""

RESOURCES = """(since) => performance.getEntriesByType("resource")
  .filter((r) => r.startTime >= since).map((r) => ({name: r.name, end: r.responseEnd}))"""


def gzip_size(body: bytes) -> int:
    """What a server sends: a body that is gzip already (Pagefind's files) as it is, else gzipped."""
    return len(body) if body[:2] == b"\x1f\x8b" else len(gzip.compress(body, 6))


def word_measure(base: str, browser, lang: str, word: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # a cold cache
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    bodies: dict[str, bytes] = {}

    def collect(response):
        try:
            bodies[response.url] = response.body()
        except Exception:
            pass

    page = context.new_page()
    page.on("response", collect)
    page.goto(base + START[lang])
    page.wait_for_selector(".sc-search:not([hidden])")
    page.wait_for_load_state("networkidle")
    opened = page.evaluate("performance.now()")
    page.click(".sc-search__open")
    first = page.evaluate(FIRST_RESULTS, word)
    page.wait_for_timeout(300)  # the bodies of the responses seen in the page
    resources = page.evaluate(RESOURCES, opened)
    fetched = [r for r in resources if first["at"] is not None and r["end"] <= first["at"]]
    size = sum(gzip_size(bodies.get(r["name"], b"")) for r in fetched)
    pagefind = [r for r in resources if first["full"] is not None and r["end"] <= first["full"]]
    size_full = sum(gzip_size(bodies.get(r["name"], b"")) for r in pagefind)
    times = []
    for _ in range(3):
        page.evaluate(CLEAR)
        ms = page.evaluate(WARM, word)
        if ms is not None:
            times.append(ms)
    context.close()
    return {"word": word, "gzip": size, "gzip_full": size_full, "requests": len(fetched), "hits": first["hits"],
            "first_ms": None if first["at"] is None else first["at"] - opened,
            "warm_ms": statistics.median(times) if times else None,
            "files": [(r["name"].split("/pagefind/", 1)[-1], gzip_size(bodies.get(r["name"], b""))) for r in fetched]}


def query_words(site: Path, files: bool = False, only: list[str] | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    text = {lang: "".join(p.read_text(encoding="utf-8") for p in site.rglob("index.html")
                          if p.relative_to(site).as_posix().startswith("en/") == (lang == "en")) for lang in ("zh", "en")}
    out: dict = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for lang, words in (("zh", ZH_WORDS), ("en", EN_WORDS)):
            rows = []
            for word in words:
                if only and word not in only:
                    continue
                if word.lower() not in text[lang].lower():
                    print(f"  {lang} {word}: not in the content, skipped", flush=True)
                    continue
                row = word_measure(base, browser, lang, word)
                rows.append(row)
                warm = "-" if row["warm_ms"] is None else f"{row['warm_ms']:.0f} ms"
                also = "" if row["gzip_full"] == row["gzip"] else f" (Pagefind's results after {kb(row['gzip_full'])})"
                print(f"  {lang} {word}: {kb(row['gzip'])} in {row['requests']} files before the first results{also}"
                      f" ({row['hits']} shown, {row['first_ms'] or 0:.0f} ms cold), {warm} warm", flush=True)
                if files:
                    for name, size in row["files"]:
                        print(f"      {kb(size):>10}  {name}")
            out[lang] = rows
        browser.close()
    return out


def report_words(cases: int, results: dict) -> None:
    print(f"\nSearch word by word, sample content + {cases} synthetic cases (budget {BUDGET_KB} KB gzip, {BUDGET_MS} ms warm)")
    for lang, rows in results.items():
        if not rows:
            continue
        sizes = [r["gzip"] for r in rows]
        warm = [r["warm_ms"] for r in rows if r["warm_ms"] is not None]
        worst = max(rows, key=lambda r: r["gzip"])
        slowest = max(rows, key=lambda r: r["warm_ms"] or 0)
        over = [r["word"] for r in rows if r["gzip"] > BUDGET_KB * 1024 or (r["warm_ms"] or 0) > BUDGET_MS]
        full = [r["gzip_full"] for r in rows]
        worst_full = max(rows, key=lambda r: r["gzip_full"])
        print(f"{lang}: {len(rows)} words; before first results median {kb(statistics.median(sizes))}, "
              f"worst {kb(worst['gzip'])} ({worst['word']}); warm latency median {statistics.median(warm):.0f} ms, "
              f"worst {slowest['warm_ms']:.0f} ms ({slowest['word']}); over budget: {', '.join(over) or 'none'}")
        if full != sizes:  # a glossary term's definition came first
            print(f"    until Pagefind's results too: median {kb(statistics.median(full))}, worst {kb(worst_full['gzip_full'])}"
                  f" ({worst_full['word']}); over {BUDGET_KB} KB: "
                  f"{', '.join(r['word'] for r in rows if r['gzip_full'] > BUDGET_KB * 1024) or 'none'}")


# --- main -------------------------------------------------------------------------------------
def kb(n) -> str:
    return "-" if n is None else f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--only", nargs="*", choices=VARIANTS, help="measure these variants only")
    parser.add_argument("--files", action="store_true",
                        help="also list every search file fetched before the first results, with its gzip size")
    parser.add_argument("--query-words", action="store_true",
                        help="the site's search only, word by word (ZH_WORDS, EN_WORDS): bytes before the first "
                             "results (cold) and latency (warm), each word, median and worst")
    parser.add_argument("--site", type=Path, help="--query-words: measure this built site instead of building one")
    parser.add_argument("--word", action="append", help="--query-words: only this word (repeat for more)")
    parser.add_argument("--words", type=int, default=200,
                        help="check at most this many programme words (the hand-kept list first, then names "
                             "spread evenly over the rest); each is a query in the browser")
    args = parser.parse_args()

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.ERROR)
    try:
        import jieba  # noqa: F401
        jieba.setLogLevel(logging.ERROR)
    except ImportError:
        print("note: jieba is not installed: Material's index will not segment Chinese (pip install jieba)")
    if args.query_words:
        if args.site:
            report_words(args.cases, query_words(args.site, args.files, args.word))
            return 0
        with scratch_folder("showcase-search-bench-", args.keep) as work:
            content = prepare(work, args.cases, args.seed)
            seconds = build("pagefind", content, work / "site", work / "cache", work / "unused")
            print(f"built: {seconds:.1f} s ({args.cases} synthetic cases)", flush=True)
            report_words(args.cases, query_words(work / "site", args.files, args.word))
        return 0
    with scratch_folder("showcase-search-bench-", args.keep) as work:
        content = prepare(work, args.cases, args.seed)
        user_dict = work / "jieba-user-dict.txt"
        words = write_user_dict(content, user_dict)
        cache = work / "cache"
        build("none", content, work / "warm", cache, user_dict)  # fills the image cache: builds compare search only
        shutil.rmtree(work / "warm")
        variants = args.only or list(VARIANTS)
        results: dict[str, dict] = {}
        for variant in variants:
            site = work / variant
            seconds = build(variant, content, site, cache, user_dict)
            results[variant] = {"build_s": seconds, "disk": disk_bytes(variant, site)}
            print(f"built {variant}: {seconds:.1f} s", flush=True)

        from playwright.sync_api import sync_playwright

        text = "".join(p.read_text(encoding="utf-8") for p in (work / variants[0]).rglob("index.html")
                       if not p.relative_to(work / variants[0]).as_posix().startswith("en/"))
        present_words = [w for w in words if w in text]
        if len(present_words) > args.words:
            kept = set(_hand_kept_words())
            first = [w for w in present_words if w in kept]
            rest = [w for w in present_words if w not in kept]
            step = max(1, len(rest) // max(1, args.words - len(first)))
            present_words = (first + rest[::step])[:args.words]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for variant in variants:
                if variant == "none":
                    continue
                results[variant]["browser"] = browser_measure(variant, work / variant, browser, present_words)
                if variant == "material":
                    results[variant]["browser"]["words_found"] = material_words_found(work / variant, browser, present_words)
            browser.close()

        report(args.cases, results, args.files)
    return 0


def report(cases: int, results: dict, files: bool = False) -> None:
    base = results.get("none", {}).get("build_s")
    print(f"\nSearch engines on the sample content + {cases} synthetic bilingual cases")
    rows = [("", [v for v in results])]
    def row(name, fn):
        rows.append((name, [fn(results[v]) for v in results]))
    row("build time", lambda r: f"{r['build_s']:.1f} s")
    row("  of which search", lambda r: "-" if base is None or "browser" not in r else f"{r['build_s'] - base:+.1f} s")
    row("index on disk, zh", lambda r: kb(r["disk"].get("zh")))
    row("index on disk, en", lambda r: kb(r["disk"].get("en")))
    row("search files on disk, total", lambda r: kb(r["disk"].get("total")))
    for lang in ("zh", "en"):
        q = TYPICAL[lang]
        row(f"first results for {q!r}: bytes raw", lambda r, l=lang: kb(r.get("browser", {}).get(l, {}).get("bytes_raw")))
        row("  gzip", lambda r, l=lang: kb(r.get("browser", {}).get(l, {}).get("bytes_gzip")))
        row("  of which at page load", lambda r, l=lang: kb(r.get("browser", {}).get(l, {}).get("at_page_load")))
        row("  requests", lambda r, l=lang: str(r.get("browser", {}).get(l, {}).get("requests", "-")))
        row("  time to first results", lambda r, l=lang: "-" if "browser" not in r else f"{r['browser'][l]['first_results_s'] * 1000:.0f} ms")
        row(f"latency after loading, {lang} (median)", lambda r, l=lang: "-" if "browser" not in r or r["browser"][l]["latency_ms"] is None
            else f"{r['browser'][l]['latency_ms']:.0f} ms")
    row("programme words found (zh)", lambda r: r.get("browser", {}).get("words_found", "-").split(" (")[0])
    width = max(len(name) for name, _ in rows)
    cols = [max(len(str(cells[i])) for _, cells in rows) for i in range(len(rows[0][1]))]
    for name, cells in rows:
        print(name.ljust(width) + "  " + "  ".join(str(c).rjust(w) for c, w in zip(cells, cols)))
    print("\nprogramme words (generator/search/words.txt + names in the content) that the content contains,")
    print("found on a page that contains them among the first three results:")
    for variant, r in results.items():
        if "browser" in r:
            print(f"  {variant}: {r['browser'].get('words_found', '-')}")
    if files:
        for variant, r in results.items():
            for lang in ("zh", "en"):
                fetched = r.get("browser", {}).get(lang, {}).get("files", [])
                if fetched:
                    print(f"\n{variant}, {lang}: files fetched before the first results (gzip)")
                    for name, size in fetched:
                        print(f"  {kb(size):>10}  {name}")


if __name__ == "__main__":
    raise SystemExit(main())
