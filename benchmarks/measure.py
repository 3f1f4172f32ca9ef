"""Shared timing and memory measurement for the benchmark scripts (not a test module).

The machine these run on is shared and noisy: quote the median of repeated runs, not the best one.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def keep_to_one_thread() -> None:
    """Keep BLAS/OpenMP pools to one thread: call before numpy is imported (one core per benchmark)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def benchmark_parser(doc: str | None, quick_help: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: ``--quick`` (``quick_help``) and ``--repeats N``."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--repeats", type=int, default=None, help="override the number of repeats")
    return parser


def repeats_of(args: argparse.Namespace, default: int, quick: int) -> int:
    """The number of repeats asked for: ``--repeats``, else ``quick`` with ``--quick``, else ``default``."""
    return int(args.repeats or (quick if args.quick else default))


def pin_to_one_cpu() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity on this OS)"


def max_rss_mib() -> float:
    """Process high-water RSS (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def measure(fn: Callable[[], Any], repeats: int) -> dict[str, Any]:
    """Run `fn` `repeats` times untraced for timing, then once under tracemalloc for memory.

    Timing and memory come from separate runs because tracemalloc slows every Python-level
    allocation and would distort the timings. numpy reports its array buffers to tracemalloc,
    so the traced peak covers the temporaries of a vectorised implementation (Arrow's own memory
    pool is not seen by it).
    """
    fn()  # warm-up: imports, lazy initialisation, page faults of the first allocation
    walls, cpus = [], []
    result = None
    for _ in range(repeats):
        result = None
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    del result
    gc.collect()
    tracemalloc.start()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "cpu_over_wall": statistics.median(c / w for c, w in zip(cpus, walls) if w > 0),
        "peak_mib": peak / (1024 * 1024),
        "result": result,
    }
