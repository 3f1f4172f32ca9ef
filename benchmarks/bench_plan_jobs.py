"""`wfm plan` on 50 business-hours queues, one after the other (`--jobs 1`) and in parallel processes.

Run from the project root (after ``pip install -e .``)::

    python benchmarks/bench_plan_jobs.py            # 50 queues, --jobs 1 and --jobs <CPUs>, 3 runs each
    python benchmarks/bench_plan_jobs.py --quick    # 1 run each

The forecast (a temporary file): 50 queues, ISO week 2026-W49, Monday to Friday 08:00-20:00 and Saturday
09:00-17:00 in America/New_York, 30-minute intervals; each queue's volume is a double-peak day shape scaled to
a peak of 20-400 contacts per half hour (log-uniform, seeded), with Poisson noise, AHT 240-480 s. The plan
uses the default rules (weekly tours). Prints the median wall time of each ``--jobs`` value, the speed-up and
whether the plan folders are byte-identical (they must be: every solve stops on its gap or node limits,
never on the clock). Asserts nothing about time.
"""

from __future__ import annotations

import filecmp
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from measure import benchmark_parser, repeats_of

N_QUEUES = 50


def write_forecast(path: Path) -> None:
    rng = np.random.default_rng(20261130)
    zone = ZoneInfo("America/New_York")
    lines = ["queue,interval_start,volume,aht"]
    for q in range(N_QUEUES):
        peak = math.exp(rng.uniform(math.log(20), math.log(400)))
        aht = rng.uniform(240, 480)
        for d in range(6):
            day = datetime(2026, 11, 30, tzinfo=zone) + timedelta(days=d)
            open_h, close_h = (9, 17) if d == 5 else (8, 20)
            for k in range((close_h - open_h) * 2):
                t = day + timedelta(hours=open_h, minutes=30 * k)
                h = t.hour + t.minute / 60 + 0.25
                shape = 0.3 + np.exp(-0.5 * ((h - 10.5) / 1.3) ** 2) + 0.8 * np.exp(-0.5 * ((h - 14.5) / 1.5) ** 2)
                volume = rng.poisson(peak * shape / 1.3 * (0.7 if d == 5 else 1.0))
                lines.append(f"q{q:02d},{t.isoformat()},{volume},{aht:.0f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_plan(forecast: Path, out: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wfm", "plan", str(forecast), "--out", str(out), "--jobs", str(jobs),
                    "--quiet"], check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    args = benchmark_parser(__doc__, "one run of each").parse_args()
    repeats = repeats_of(args, 3, 1)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        forecast = folder / "fifty.csv"
        write_forecast(forecast)
        times: dict[int, list[float]] = {}
        for jobs in sorted({1, max(cpus, 2)}):
            times[jobs] = [run_plan(forecast, folder / f"plan-{jobs}", jobs) for _ in range(repeats)]
        one, many = sorted(times)[0], sorted(times)[-1]
        same = not filecmp.dircmp(folder / f"plan-{one}", folder / f"plan-{many}").diff_files
    print(f"wfm plan, {N_QUEUES} business-hours queues at 30 minutes ({cpus} CPUs here), median of {repeats}:")
    for jobs, values in times.items():
        print(f"  --jobs {jobs}: {statistics.median(values):.1f} s wall")
    print(f"  speed-up {statistics.median(times[one]) / statistics.median(times[many]):.2f}x; "
          f"plan folders byte-identical: {same}")


if __name__ == "__main__":
    main()
