#!/usr/bin/env python3
"""Time a full site build on N synthetic cases.

Copies the bundled sample content into a temporary folder, adds N valid bilingual excellent
cases, and runs the real MkDocs build in this
process. Prints wall seconds, pages per second and peak memory.

    .venv/bin/python benchmarks/build_bench.py --cases 1000
    .venv/bin/python benchmarks/build_bench.py --cases 1000 --profile   # where the time goes
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.reference import reference  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100, help="number of synthetic cases (default 100)")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    parser.add_argument("--repeat", type=int, default=1, help="build this many times; report min and median (the machine is noisy)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--downloads", action="store_true",
                        help="also make the downloads (PDF, Word… of the whole collection; off by default, "
                             "see export_bench.py; with --repeat the later builds take them from the cache)")
    args = parser.parse_args()

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.ERROR)
    with scratch_folder("showcase-bench-", args.keep) as workdir:
        content = prepare(workdir, args.cases, args.seed)
        profiler = cProfile.Profile() if args.profile else None
        times = []
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            build(content, workdir / "site", workdir / "cache", downloads=args.downloads)
            if profiler:
                profiler.disable()
            times.append(time.perf_counter() - start)
        seconds, median = min(times), statistics.median(times)
        pages = sum(1 for _ in (workdir / "site").rglob("index.html"))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"cases={args.cases} downloads={'on' if args.downloads else 'off'} pages={pages} builds={len(times)} wall_min={seconds:.2f}s wall_median={median:.2f}s "
              f"pages/s={pages / seconds:.0f} peak_rss={peak_mb:.0f}MB")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
