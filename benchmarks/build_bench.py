#!/usr/bin/env python3
"""Time a full site build on N synthetic cases, against Hugo building the same cases.

Copies the bundled sample content into a temporary folder, adds N valid bilingual excellent
cases, and runs the real MkDocs build in this process (the first build also pays for importing
MkDocs and the generator). Each build is cold: an empty cache folder and an empty site folder.
Prints wall seconds (min and median of --repeat builds), pages per second and peak memory: this
process's, and apart from it its largest child's (image or page workers, Pagefind; a forked
worker's peak includes the pages it shares with this process, so the two are not to be added).

The reference is Hugo (Debian's package, `scripts/setup.sh --bench`): the same cases, each a page
with the same title, summary and Markdown body in Chinese (/cases/<id>/) and English
(/en/cases/<id>/), and a list page per language, laid out by the minimal templates of
benchmarks/hugo/. `hugo --quiet` runs as often as our build, interleaved with it (ours, Hugo,
ours, Hugo…) so both meet the same machine noise; the line ends with ours/Hugo for the minima and
the medians. Hugo runs from a small helper process, so its memory stays out of our figures.

--incremental then times two more builds on the caches the last cold build left, in this process
(no interpreter start, modules already imported): one with nothing changed, and one after a
synthetic case's Chinese title was edited (the first sample case's when there are none).

    .venv/bin/python benchmarks/build_bench.py --cases 1000 --repeat 3
    .venv/bin/python benchmarks/build_bench.py --cases 1000 --profile     # where our time goes
    .venv/bin/python benchmarks/build_bench.py --cases 0 --incremental
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.reference import reference  # noqa: E402

HUGO_TEMPLATE = ROOT / "benchmarks" / "hugo"
HUGO_INSTALL_HINT = "install it with scripts/setup.sh --bench (or: sudo apt-get install hugo)"

WORDS_ZH = "社区 服务 空间 更新 居民 党群 邻里 文化 健康 养老 托育 绿地 街道 便民 共享 治理 规划 设计 参与 生活".split()
WORDS_EN = "community service space renewal residents neighbourhood culture health elderly childcare green street shared planning design participation life".split()


def synthetic_case(index: int, rng: random.Random) -> dict:
    ref = reference()
    district = rng.choice(ref.districts.terms)
    title_zh = "".join(rng.sample(WORDS_ZH, 3)) + f"示范项目{index}"
    para_zh = "".join(rng.choices(WORDS_ZH, k=60)) + "。"
    para_en = " ".join(rng.choices(WORDS_EN, k=60)).capitalize() + "."
    return {
        "id": f"bench-{index:05d}",
        "illustrative": True,
        "title": {"zh": title_zh, "en": f"Demonstration project {index}"},
        "district": district.key,
        "street": {"zh": f"第{index % 40}街道", "en": f"Subdistrict {index % 40}"},
        "year": rng.choice([2022, 2023, 2024, 2025]),
        "award": rng.choice(["city", "district"]),
        "types": rng.sample([t.key for t in ref.case_types], 2),
        "services": rng.sample([s.key for s in ref.services], 4),
        "construction": rng.choice(["new", "renewal"]),
        "status": "completed",
        "completed": f"{rng.choice([2022, 2023, 2024])}-{rng.randint(1, 12):02d}",
        "floor_area_m2": rng.randint(80, 15000),
        "location": {"lat": round(rng.uniform(31.0, 31.4), 5), "lon": round(rng.uniform(121.2, 121.6), 5)},
        "summary": {"zh": para_zh[:80], "en": para_en[:200]},
        "body": {"zh": "\n\n".join([para_zh] * 4), "en": "\n\n".join([para_en] * 4)},
        "participation": [{"kind": "consultation", "date": "2024-03", "participants": rng.randint(10, 200),
                           "summary": {"zh": "听取居民意见。", "en": "Residents were consulted."}}],
        "sources": [{"document": "plan-2024", "section": "任务10"}],
    }


def prepare(workdir: Path, cases: int, seed: int) -> Path:
    """The bundled sample content plus `cases` synthetic excellent cases."""
    content = workdir / "cases"
    shutil.copytree(ROOT / "cases", content)
    rng = random.Random(seed)
    for index in range(cases):
        data = synthetic_case(index, rng)
        (content / "excellent" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content


_TITLE_ZH = re.compile(r"^(title:[ \t]*\n[ \t]+zh:[ \t]*)(.+)$", re.M)


def retitle(case_file: Path, title_zh: str) -> None:
    """Give a case a new Chinese title, changing only that line of its YAML (a block-style
    `title:` with `zh:` first, as prepare() and the sample cases write it), and save it."""
    text = case_file.read_text(encoding="utf-8")
    edited, count = _TITLE_ZH.subn(lambda m: m[1] + title_zh, text, count=1)
    if not count:
        raise SystemExit(f"{case_file}: no block-style `title:` with `zh:` first to edit")
    case_file.write_text(edited, encoding="utf-8")


def case_to_edit(content: Path, synthetic: int) -> Path:
    """A synthetic case in the middle of the collection, or the first sample case when there are none."""
    if synthetic:
        return content / "excellent" / f"bench-{synthetic // 2:05d}.yaml"
    return sorted((content / "excellent").glob("*.yaml"))[0]


@contextmanager
def scratch_folder(prefix: str, keep: bool):
    """A temporary folder for one benchmark run, removed afterwards unless `keep` (then its path
    is printed)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
        if keep:
            print(f"kept: {folder}")
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def plugins_with(**showcase_options) -> list:
    """mkdocs.yml's plugins with these options of the showcase plugin changed."""
    from mkdocs.utils.yaml import yaml_load

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        plugins = yaml_load(handle)["plugins"]
    return [{"showcase": {**p["showcase"], **showcase_options}} if isinstance(p, dict) and "showcase" in p else p
            for p in plugins]


def build(content: Path, site_dir: Path, cache_dir: Path, downloads: bool = True) -> None:
    """The real build with the project's own mkdocs.yml, pointed at the synthetic content;
    `downloads=False` leaves out the downloads (the whole collection as PDF, Word…), which
    benchmarks/export_bench.py measures on their own."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ["SHOWCASE_CONTENT_DIR"] = str(content)
    os.environ["SHOWCASE_CACHE_DIR"] = str(cache_dir)
    overrides = {} if downloads else {"plugins": plugins_with(downloads=[])}
    mkdocs_build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), **overrides))


def images_encoded(cache_dir: Path, since_ns: int) -> int:
    """Images the build encoded: folders of the image cache whose manifest.json (written last,
    and only when the image was encoded, generator/media) is newer than `since_ns`."""
    return sum(1 for m in (cache_dir / "images").glob("*/manifest.json") if m.stat().st_mtime_ns >= since_ns)


# --- Hugo --------------------------------------------------------------------------------------------

def _front_matter(fields: dict) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"


def hugo_site(content: Path, folder: Path) -> Path:
    """benchmarks/hugo/ (config and layouts) plus, for every excellent case of `content`, a page
    per language with its title and summary (front matter) and its Markdown body."""
    shutil.copytree(HUGO_TEMPLATE, folder)
    lists = {"zh": "优秀案例", "en": "Excellent cases"}
    for lang, title in lists.items():
        section = folder / "content" / lang / "cases"
        section.mkdir(parents=True)
        (section / "_index.md").write_text(_front_matter({"title": title}), encoding="utf-8")
    for path in sorted((content / "excellent").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for lang in lists:
            page = _front_matter({"title": data["title"][lang], "summary": (data.get("summary") or {}).get(lang, "")})
            body = (data.get("body") or {}).get(lang, "")
            (folder / "content" / lang / "cases" / f"{data['id']}.md").write_text(f"{page}\n{body}\n", encoding="utf-8")
    return folder


# Runs each Hugo build for us and answers with its wall time and peak memory (wait4). Our own
# figure of the children's peak memory (RUSAGE_CHILDREN) counts every child we have waited for:
# Hugo run from here would land in it; run from this helper, it does not until the helper ends.
_RUNNER = r"""
import json, os, subprocess, sys, time
for line in sys.stdin:
    start = time.perf_counter()
    child = subprocess.Popen(json.loads(line), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    print(json.dumps({"seconds": seconds, "code": child.returncode, "maxrss_kb": usage.ru_maxrss,
                      "stderr": err[-3000:].decode("utf-8", "replace")}), flush=True)
"""


class Hugo:
    def __init__(self, binary: str, site: Path, workdir: Path):
        self.binary, self.site, self.workdir = binary, site, workdir
        version = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=60).stdout
        match = re.search(r"v(\d+\.\d+\.\d+)", version)
        self.version = match[1] if match else "?"
        self.runner = subprocess.Popen([sys.executable, "-c", _RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.times: list[float] = []
        self.peak_kb = 0
        self.destination = workdir / "hugo-public"

    def build(self) -> float:
        """One cold Hugo build into an empty destination (emptied beforehand, outside the timing)."""
        shutil.rmtree(self.destination, ignore_errors=True)
        shutil.rmtree(self.workdir / "hugo-cache", ignore_errors=True)
        command = [self.binary, "--quiet", "--source", str(self.site), "--destination", str(self.destination),
                   "--cacheDir", str(self.workdir / "hugo-cache"), "--noBuildLock"]
        self.runner.stdin.write(json.dumps(command) + "\n")
        self.runner.stdin.flush()
        answer = json.loads(self.runner.stdout.readline())
        if answer["code"] != 0:
            raise SystemExit(f"hugo failed ({answer['code']}):\n{answer['stderr']}")
        self.times.append(answer["seconds"])
        self.peak_kb = max(self.peak_kb, answer["maxrss_kb"])
        return answer["seconds"]

    def pages(self) -> int:
        return sum(1 for _ in self.destination.rglob("index.html"))

    def close(self) -> None:
        self.runner.stdin.close()
        self.runner.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100, help="number of synthetic cases (default 100)")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--profile", action="store_true", help="print the 25 most expensive functions (of our cold builds)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="build this many times (ours and Hugo's, interleaved); report min and median (the machine is noisy)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--downloads", action="store_true",
                        help="also make the downloads (PDF, Word… of the whole collection; off by default, "
                             "see export_bench.py; every cold build makes them, the --incremental builds take them from the cache)")
    parser.add_argument("--incremental", action="store_true",
                        help="after the cold builds, time a build with nothing changed and one after a synthetic "
                             "case's Chinese title was edited (both with the caches the last cold build left)")
    parser.add_argument("--no-hugo", action="store_true", help="leave Hugo out")
    args = parser.parse_args()

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.ERROR)
    binary = None if args.no_hugo else shutil.which("hugo")
    if not binary and not args.no_hugo:
        print(f"hugo: not installed, so no Hugo reference and no ratio; {HUGO_INSTALL_HINT}")
    with scratch_folder("showcase-bench-", args.keep) as workdir:
        content = prepare(workdir, args.cases, args.seed)
        site, cache = workdir / "site", workdir / "cache"
        hugo = Hugo(binary, hugo_site(content, workdir / "hugo"), workdir) if binary else None
        profiler = cProfile.Profile() if args.profile else None
        times = []
        try:
            for _ in range(max(1, args.repeat)):
                shutil.rmtree(site, ignore_errors=True)  # cold: nothing built, nothing cached
                shutil.rmtree(cache, ignore_errors=True)
                start = time.perf_counter()
                if profiler:
                    profiler.enable()
                build(content, site, cache, downloads=args.downloads)
                if profiler:
                    profiler.disable()
                times.append(time.perf_counter() - start)
                if hugo:
                    hugo.build()
            seconds, median = min(times), statistics.median(times)
            pages = sum(1 for _ in site.rglob("index.html"))
            encoded_cold = images_encoded(cache, 0)

            warm = []
            if args.incremental:
                since = time.time_ns()
                start = time.perf_counter()
                build(content, site, cache, downloads=args.downloads)
                warm.append(f"nothing_changed={time.perf_counter() - start:.2f}s images_encoded={images_encoded(cache, since)}")
                case_file = case_to_edit(content, args.cases)
                case_id = case_file.stem
                new_title = f"增量构建标题{time.time_ns() % 100_000}"
                retitle(case_file, new_title)
                since = time.time_ns()
                start = time.perf_counter()
                build(content, site, cache, downloads=args.downloads)
                elapsed = time.perf_counter() - start
                built = (site / "cases" / case_id / "index.html").read_text(encoding="utf-8")
                shown = "yes" if new_title in built else "NO"
                warm.append(f"one_title_changed={elapsed:.2f}s ({case_id}, new title on its page: {shown}) "
                            f"images_encoded={images_encoded(cache, since)}")

            # this process, and apart from it the largest child waited for (image or page workers,
            # Pagefind); read before the Hugo helper is waited for
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        finally:
            if hugo:
                hugo.close()

        line = (f"cases={args.cases} downloads={'on' if args.downloads else 'off'} pages={pages} builds={len(times)} "
                f"wall_min={seconds:.2f}s wall_median={median:.2f}s pages/s={pages / seconds:.0f} "
                f"peak_rss={peak_mb:.0f}MB children_peak_rss={children_mb:.0f}MB images_encoded={encoded_cold}")
        if hugo:
            h_min, h_median = min(hugo.times), statistics.median(hugo.times)
            line += (f" hugo={hugo.version} hugo_pages={hugo.pages()} hugo_min={h_min:.2f}s hugo_median={h_median:.2f}s "
                     f"hugo_peak_rss={hugo.peak_kb / 1024:.0f}MB ratio_min={seconds / h_min:.1f}× ratio_median={median / h_median:.1f}×")
        print(line)
        if warm:
            print("incremental: " + " | ".join(warm))
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
