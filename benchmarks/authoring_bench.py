#!/usr/bin/env python3
"""Time the authoring commands as staff run them (the installed `showcase` script, a subprocess
each time) on the sample content plus N synthetic cases:

- `showcase check` over the whole content folder;
- `showcase import --dry-run` and a real import of a workbook with N case rows;
- `showcase translations --format csv`.

    .venv/bin/python benchmarks/authoring_bench.py --cases 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_bench import prepare  # noqa: E402

SHOWCASE = Path(sys.executable).with_name("showcase")


def run(*args: str) -> float:
    env = {**os.environ, "SHOWCASE_LANG": "en", "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([str(SHOWCASE), *args], capture_output=True, text=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def workbook(template: Path, rows: int) -> Path:
    book = openpyxl.load_workbook(template)
    for name in ("案例", "人民坊", "大事记", "媒体"):
        book[name].delete_rows(2, 1)
    sheet = book["案例"]
    headers = {str(c.value).splitlines()[-1].rstrip(" *"): c.column for c in sheet[1] if c.value}
    districts = ["浦东新区", "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区"]
    for index in range(rows):
        values = {"Title": f"导入测试睦邻中心{index}", "District": districts[index % len(districts)], "Year": 2025,
                  "Case type 1": "社区嵌入式服务设施", "Service 1": "为老服务", "Service 2": "生活服务",
                  "Summary": "一句话摘要。", "Summary (English)": "One-line summary."}
        for header, value in values.items():
            sheet.cell(index + 2, headers[header], value)
    path = template.with_name(f"rows-{rows}.xlsx")
    book.save(path)
    return path


def report(name: str, times: list[float]) -> None:
    print(f"{name:<34} min {min(times):6.2f} s   median {statistics.median(times):6.2f} s   (n={len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=200, help="case rows in the imported workbook")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="authoring-bench-") as tmp:
        work = Path(tmp)
        content = prepare(work, args.cases, seed=1)
        template = work / "template.xlsx"
        run("template", "xlsx", str(template))
        book = workbook(template, args.rows)
        print(f"content: sample + {args.cases} synthetic cases; workbook: {args.rows} case rows")
        report("check (whole content folder)", [run("check", "--content", str(content)) for _ in range(args.repeat)])
        report("translations --format csv", [run("translations", "--content", str(content), "--format", "csv") for _ in range(args.repeat)])
        report(f"import --dry-run ({args.rows} rows)", [run("import", str(book), "--content", str(content), "--dry-run") for _ in range(args.repeat)])
        times = []
        for attempt in range(args.repeat):
            fresh = work / f"import-{attempt}"
            shutil.copytree(content, fresh / "cases")
            times.append(run("import", str(book), "--content", str(fresh / "cases")))
        report(f"import, writing ({args.rows} rows)", times)
        report("showcase --help (start-up)", [run("--help") for _ in range(args.repeat)])


if __name__ == "__main__":
    main()
