"""Rendering pages on every core: the renderer's work is pure (a page from its job), so after the
Collection is loaded the build forks workers that inherit it (nothing is pickled but each page's
result) and hands each a share of the pages.

Used by `build` only: `serve` runs the preview server's threads, and forking a threaded process
is not safe. Where fork is unavailable, or there is too little to share, the pages are made here.
"""

from __future__ import annotations

import multiprocessing
import os

MIN_PER_WORKER = 64  # below this, starting workers costs more than it saves

_WORK: tuple | None = None  # (function, items) for the forked workers, which inherit it


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def fork_map(function, items: list, workers: int) -> list:
    """[function(item) for item in items], in order, shared among `workers` forked processes."""
    global _WORK
    workers = min(workers, len(items) // MIN_PER_WORKER)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    _WORK = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run, range(len(items)), chunksize=max(1, len(items) // (workers * 16)))
    finally:
        _WORK = None


def _run(index: int):
    function, items = _WORK
    return function(items[index])
