#!/usr/bin/env python3
"""Time the printed case collection (PDF) of N cases, with a cold and a warm image cache.

The content is the bundled sample plus synthetic bilingual cases from build_bench.py (imported, not
copied), topped up to N cases in all; each synthetic case gets `--photos` distinct generated photos
(2400×1600 JPEG), so that the cold run really encodes images. Cold: an empty media cache, so the
photos go through the media pipeline first. Warm: the same export again with that cache (what an
export after a site build costs). Prints seconds for preparing the job (media) and for the PDF,
pages, file size and peak memory.

    .venv/bin/python benchmarks/export_bench.py                 # 100 cases, both languages
    .venv/bin/python benchmarks/export_bench.py --cases 300 --languages zh --keep
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import ROOT, scratch_folder, synthetic_case  # noqa: E402  (puts the project on sys.path too)

import yaml  # noqa: E402


def photo(path: Path, seed: int) -> None:
    """A distinct 2400×1600 photo-sized JPEG: coloured shapes, so every file has its own digest."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (2400, 1600), tuple(rng.randint(120, 230) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randint(0, 2300), rng.randint(0, 1500)
        draw.rectangle((x, y, x + rng.randint(40, 600), y + rng.randint(40, 400)),
                       fill=tuple(rng.randint(0, 255) for _ in range(3)))
    image.save(path, "JPEG", quality=88)


def prepare_content(workdir: Path, total: int, photos: int, seed: int) -> tuple[Path, int]:
    """The sample content plus synthetic cases up to `total` cases; returns the folder and the
    number of synthetic cases."""
    content = workdir / "cases"
    shutil.copytree(ROOT / "cases", content)
    sample = len(list((content / "excellent").glob("*.yaml")))
    synthetic = max(0, total - sample)
    rng = random.Random(seed)
    for index in range(synthetic):
        data = synthetic_case(index, rng)
        if photos:
            folder = content / "excellent" / data["id"]
            folder.mkdir()
            data["media"] = []
            for n in range(photos):
                photo(folder / f"photo-{n + 1}.jpg", seed * 100_000 + index * 10 + n)
                data["media"].append({"file": f"photo-{n + 1}.jpg", "kind": "photo",
                                      "caption": {"zh": f"示意照片 {n + 1}", "en": f"Illustrative photo {n + 1}"},
                                      "credit": {"zh": "基准测试生成", "en": "Generated for the benchmark"}})
        (content / "excellent" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content, synthetic


def run(content: Path, cache: Path, out: Path, languages: str) -> dict:
    from generator.collection import load_collection
    from generator.export import ExportJob, Selection
    from generator.export.pdf import write_pdf

    start = time.perf_counter()
    collection, diagnostics = load_collection(content)
    if collection is None:
        raise SystemExit("\n".join(d.format("en") for d in diagnostics))
    loaded = time.perf_counter()
    job = ExportJob.prepare(collection, Selection(), languages, cache_dir=cache)
    prepared = time.perf_counter()
    write_pdf(job, out)
    done = time.perf_counter()
    from pypdf import PdfReader

    return {"cases": len(job.cases), "load": loaded - start, "media": prepared - loaded, "pdf": done - prepared,
            "total": done - start, "pages": len(PdfReader(str(out)).pages), "bytes": out.stat().st_size,
            "encoded": job.media.processed if job.media else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100, help="cases in the collection, sample included (default 100)")
    parser.add_argument("--photos", type=int, default=2, help="generated photos per synthetic case (default 2)")
    parser.add_argument("--languages", choices=("zh", "en", "both"), default="both")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (and the PDF) and print its path")
    args = parser.parse_args()

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with scratch_folder("showcase-export-bench-", args.keep) as workdir:
        content, synthetic = prepare_content(workdir, args.cases, args.photos, args.seed)
        print(f"content: {args.cases} cases ({synthetic} synthetic with {args.photos} photos each), languages={args.languages}")
        for label in ("cold", "warm"):
            result = run(content, workdir / "cache", workdir / f"collection-{label}.pdf", args.languages)
            print(f"{label}: cases={result['cases']} pages={result['pages']} size={result['bytes'] / 1e6:.1f}MB "
                  f"photos_encoded={result['encoded']} load={result['load']:.2f}s media={result['media']:.2f}s "
                  f"pdf={result['pdf']:.2f}s total={result['total']:.2f}s "
                  f"pdf_per_case={result['pdf'] / result['cases'] * 1000:.0f}ms")
        same = (workdir / "collection-cold.pdf").read_bytes() == (workdir / "collection-warm.pdf").read_bytes()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"cold and warm PDFs identical: {same}; peak_rss={peak_mb:.0f}MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
