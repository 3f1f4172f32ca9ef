"""Speed and memory of loading a large forecast CSV (`wfm.forecast.load_forecast`).

Run from the project root (needs only ``pip install -e .``)::

    python benchmarks/bench_forecast.py            # 5 repeats
    python benchmarks/bench_forecast.py --quick    # 3 repeats

Writes, into a temporary directory, a 1,750,000-row CSV: 50 queues ``q01``..``q50`` x one
year of 15-minute intervals (35,040 per queue, 2026-01-01T00:00:00+00:00 onwards, offsets
``+00:00``), columns ``queue,interval_start,volume,aht``, rows grouped by queue. Then times
``load_forecast(path)`` and prints seconds, rows/s and peak memory.

This is a script that prints figures, not a test. The machine it runs on is usually shared and
noisy, so quote the MEDIAN, not the best run; min/max are printed to show the spread.
"""

from __future__ import annotations

from measure import keep_to_one_thread

keep_to_one_thread()  # before numpy is imported

import dataclasses
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from measure import benchmark_parser, max_rss_mib, measure, repeats_of

N_QUEUES = 50
INTERVALS_PER_QUEUE = 365 * 96  # 35,040 fifteen-minute intervals
N_ROWS = N_QUEUES * INTERVALS_PER_QUEUE
SEED = 20260101


def arrow_pool_peak_mib() -> float | None:
    """Peak of pyarrow's default memory pool, if the loader used pyarrow (tracemalloc misses it)."""
    pa = sys.modules.get("pyarrow")
    if pa is None:
        return None
    return pa.default_memory_pool().max_memory() / (1024 * 1024)


def write_csv(path: Path) -> None:
    """A year of 15-minute intervals for 50 queues, with plausible volume and AHT."""
    rng = np.random.default_rng(SEED)
    start = np.datetime64("2026-01-01T00:00:00", "s")
    stamps = start + np.arange(INTERVALS_PER_QUEUE) * np.timedelta64(15, "m")
    iso = [s + "+00:00" for s in np.datetime_as_string(stamps, unit="s").tolist()]
    hour = (np.arange(INTERVALS_PER_QUEUE) % 96) / 4 + 0.125
    day = np.arange(INTERVALS_PER_QUEUE) // 96
    shape = 0.05 + np.exp(-0.5 * ((hour - 11) / 2.5) ** 2) + 0.8 * np.exp(-0.5 * ((hour - 15) / 2.5) ** 2)
    weekly = np.array([1.0, 0.95, 0.92, 0.9, 0.88, 0.6, 0.4])[(day + 3) % 7]  # 2026-01-01 is a Thursday
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("queue,interval_start,volume,aht\n")
        for q in range(1, N_QUEUES + 1):
            name = f"q{q:02d}"
            scale = rng.uniform(5.0, 250.0)
            volume = np.round(rng.poisson(scale * shape * weekly * 10) / 10, 1)
            aht = np.rint(rng.uniform(240, 600) + rng.normal(0, 15, INTERVALS_PER_QUEUE)).astype(np.int64)
            fh.writelines(
                f"{name},{t},{v},{a}\n" for t, v, a in zip(iso, volume.tolist(), aht.tolist())
            )


def describe(forecast: Any) -> str:
    """Names, dtypes and lengths of the numpy array fields of the returned Forecast."""
    if dataclasses.is_dataclass(forecast):
        items = [(f.name, getattr(forecast, f.name)) for f in dataclasses.fields(forecast)]
    else:
        items = list(getattr(forecast, "__dict__", {}).items())
    arrays = [(k, v) for k, v in items if isinstance(v, np.ndarray)]
    if not arrays:
        return f"{type(forecast).__name__} (no numpy array fields found)"
    parts = [f"{k}: {v.dtype}[{len(v):,}]" for k, v in arrays]
    lengths = {len(v) for _, v in arrays if v.ndim == 1}
    note = "" if N_ROWS in lengths else f"  (no 1-D field of length {N_ROWS:,})"
    return f"{type(forecast).__name__}(" + ", ".join(parts) + ")" + note


def main() -> None:
    parser = benchmark_parser(__doc__, "3 repeats instead of 5")
    args = parser.parse_args()
    repeats = repeats_of(args, default=5, quick=3)

    from wfm.forecast import load_forecast

    print(f"bench_forecast: numpy {np.__version__}, python {sys.version.split()[0]}, {repeats} repeats")
    print("(noisy machine: quote the medians)")
    with tempfile.TemporaryDirectory(prefix="wfm-bench-") as tmp:
        path = Path(tmp) / "forecast_50q_year_15min.csv"
        t0 = time.perf_counter()
        write_csv(path)
        size_mib = path.stat().st_size / (1024 * 1024)
        print(f"wrote {N_ROWS:,} rows ({N_QUEUES} queues x {INTERVALS_PER_QUEUE:,}), {size_mib:.1f} MiB "
              f"in {time.perf_counter() - t0:.1f} s")
        rss_before = max_rss_mib()
        print(f"process max RSS before loading: {rss_before:.1f} MiB")

        m = measure(lambda: load_forecast(path), repeats)
        forecast = m.pop("result")

    rate = N_ROWS / max(m["median"], 1e-9)
    print("\nload_forecast(path)")
    print(
        f"  time   median {m['median']:.3f} s  (min {m['min']:.3f}, max {m['max']:.3f})"
        f"   cpu/wall {m['cpu_over_wall']:.2f}"
    )
    print(f"  rate   {rate:,.0f} rows/s, {size_mib / m['median']:.1f} MiB/s (median)")
    print(f"  memory tracemalloc peak {m['peak_mib']:.1f} MiB ({m['peak_mib'] / size_mib:.1f}x the file)")
    arrow = arrow_pool_peak_mib()
    if arrow is not None:
        print(f"         pyarrow pool peak {arrow:.1f} MiB (not seen by tracemalloc)")
    print(f"         process max RSS {max_rss_mib():.1f} MiB (was {rss_before:.1f} MiB before loading)")
    print(f"  result {describe(forecast)}")


if __name__ == "__main__":
    main()
