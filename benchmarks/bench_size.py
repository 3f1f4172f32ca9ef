"""End-to-end speed of `wfm size` on 200,000 intervals, side by side with pyworkforce, and startup cost.

Run from the project root (after ``pip install -e .``; ``pip install pyworkforce`` for the
comparison, which is skipped cleanly without it)::

    python benchmarks/bench_size.py              # both cases; wfm 5 runs, pyworkforce 3 runs of 2,000 intervals
    python benchmarks/bench_size.py --quick      # wfm 3 runs, pyworkforce 1 run of 500, startup 5 runs (~40 s)
    python benchmarks/bench_size.py --case large # one case only; --one-cpu pins this process and its children

What it does, in a temporary directory:

1. Writes, per case, a forecast CSV of 200,000 intervals: 25 queues x 8,000 quarter hours, Monday to
   Friday 07:00-21:00 local time (56 quarter hours a day) from Monday 2026-01-05, queues spread over
   four zones (America/New_York, America/Chicago, America/Los_Angeles, Europe/London) with the UTC
   offset of each day (so DST changes). Volumes follow the intraday and day-of-week shape of a large
   bank's real 5-minute call counts (the mean quarter-hour profile per weekday of
   ``../shared/data/bank_calls_5min_2003.csv``, read in place, never copied; a built-in double-peak
   shape when the file is absent) with +-10 % noise per interval, one decimal. Two cases, because
   pyworkforce's time per interval grows with the traffic while wfm's does not:
   ``large``: every queue bank-sized (peak 0.5-1.5 x the bank's ~970 contacts per quarter hour, AHT
   240-360 s: about 200 Erlangs per interval on average); ``mixed``: queue peaks 3-400 contacts per
   quarter hour, log-uniform, AHT 180-600 s (about 19 Erlangs on average).
2. Times ``wfm size FILE -f csv -o OUT`` (80 % in 30 s, occupancy <= 85 %, shrinkage 30 %) as a
   subprocess, end to end: interpreter start, imports, load, sizing, local-time formatting, CSV write; and the
   peak memory (resident set) of one ``-f csv`` and one ``-f json`` run.
   One warm-up run, then the repeats: median wall time and median CPU (user + sys of the child, from
   ``resource.getrusage(RUSAGE_CHILDREN)`` deltas). Every run may cache its bytecode, as a user's
   does (PYTHONDONTWRITEBYTECODE, where the environment sets it, is dropped for the runs).
3. Times the script a pyworkforce user would write for the same job (pandas, which pyworkforce
   depends on, reads the CSV; one ``ErlangC(...).required_positions(service_level=0.8,
   max_occupancy=0.85)`` per interval with aht, asa (= the answer time, 30 s) and interval in
   minutes as its docs say; zero-volume intervals, which ErlangC refuses, get 0 agents; pandas writes
   the 200,000-row result CSV). pyworkforce sizes one interval at a time in pure Python, so the
   script sizes a seeded random sample (2,000 intervals) and the total is EXTRAPOLATED: the run's
   wall (CPU) time, minus the sample's sizing wall (CPU) time, plus the per-interval wall (CPU) time
   x 200,000. Interpreter start, imports, reading and writing the full file are measured, not
   extrapolated (the unsized rows of the written result repeat the sample's answers).
4. Compares wfm's and pyworkforce's agents and staff on the sample and explains each disagreement.
   Also the FLOOR: a bare interpreter that imports only the libraries `wfm size` needs (numpy, pyarrow,
   typer; and again with scipy.special) and exits, timed like wfm; pyworkforce's total over it is
   the most any program on those libraries could reach, were its own work free.
5. Startup: median CPU (and wall) of ``wfm --help`` and ``wfm calc --volume 100 --aht 180`` over 10
   runs, next to a bare ``python -c pass``; where valgrind is installed, also the instructions each executes
   (``valgrind --tool=callgrind``: a count that does not depend on what else the machine is doing, for comparing
   two versions on a noisy machine; one run each, about 10 s); whether ``python -X importtime -m wfm calc ...`` imports
   pyarrow or matplotlib (and through which modules); the top imports of ``wfm size``.

This script prints figures and asserts nothing about time: speed goals live here, never in tests.
The machine is usually shared and noisy: quote the MEDIANS, compared on the same machine; when it is
busy, wall time runs well above CPU time, and the CPU figures are the steadier ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from measure import pin_to_one_cpu  # benchmarks/measure.py (the script's folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
BANK_DATA = ROOT.parent / "shared" / "data" / "bank_calls_5min_2003.csv"

N_QUEUES = 25
INTERVALS_PER_QUEUE = 8_000
N_ROWS = N_QUEUES * INTERVALS_PER_QUEUE  # 200,000
SLOTS_PER_DAY = 56  # quarter hours 07:00-20:45
FIRST_DAY = datetime(2026, 1, 5)  # a Monday
ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London")
SEED = 20260105
BANK_PEAK_FALLBACK = 972.0  # the bank's mean-Monday peak, contacts per quarter hour

SERVICE_LEVEL, ANSWER_WITHIN_S, MAX_OCCUPANCY, SHRINKAGE = 0.8, 30.0, 0.85, 0.3
INTERVAL_MIN = 15
TARGET_FLAGS = ["--service-level", str(SERVICE_LEVEL), "--answer-within", f"{ANSWER_WITHIN_S:g}",
                "--max-occupancy", str(MAX_OCCUPANCY), "--shrinkage", str(SHRINKAGE)]
GOAL_RATIO = 100.0  # issue 7: wfm at least 100x faster end to end
GOAL_STARTUP_CPU_S = 0.3  # issue 7: `wfm --help` and `wfm calc` under 0.3 s of CPU


# --- the forecast file -----------------------------------------------------------------------------


def bank_shape() -> tuple[np.ndarray, float, str]:
    """(5 x 56) mean quarter-hour volume per weekday (Mon..Fri) scaled to a peak of 1, the bank's peak
    (contacts per quarter hour in that mean profile), and where the shape came from.

    From the bank's 5-minute counts (07:00-21:00, the 21:00 count dropped), summed to quarter hours;
    read in place from ../shared/data. Without the file: a built-in double-peak shape and the bank's
    peak as measured once (972 contacts per quarter hour, Monday 10:15)."""
    if BANK_DATA.is_file():
        sums = np.zeros((5, SLOTS_PER_DAY))
        days: list[set[str]] = [set() for _ in range(5)]
        with BANK_DATA.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                stamp = datetime.fromisoformat(row["DateTime"].replace("Z", "+00:00"))
                slot = (stamp.hour - 7) * 4 + stamp.minute // 15
                if 0 <= slot < SLOTS_PER_DAY and stamp.weekday() < 5:
                    sums[stamp.weekday(), slot] += float(row["Calls"])
                    days[stamp.weekday()].add(row["DateTime"][:10])
        if all(days):
            shape = sums / np.array([len(d) for d in days])[:, None]
            return shape / shape.max(), float(shape.max()), f"bank data shape ({BANK_DATA.name}, read in place)"
    hour = 7 + (np.arange(SLOTS_PER_DAY) + 0.5) / 4
    day = 0.08 + np.exp(-0.5 * ((hour - 10.5) / 1.6) ** 2) + 0.75 * np.exp(-0.5 * ((hour - 14.5) / 2.0) ** 2)
    shape = np.array([1.0, 0.93, 0.9, 0.88, 0.84])[:, None] * day[None, :]
    return shape / shape.max(), BANK_PEAK_FALLBACK, "built-in double-peak shape (bank data not found)"


def weekday_slots(zone: ZoneInfo, n: int) -> list[str]:
    """The first n local quarter-hour starts, Mon-Fri 07:00-20:45 from FIRST_DAY, as ISO text with
    the zone's UTC offset on that day (no DST change happens between 07:00 and 21:00)."""
    out: list[str] = []
    day = FIRST_DAY
    while len(out) < n:
        if day.weekday() < 5:
            offset = day.replace(hour=12, tzinfo=zone).strftime("%z")
            suffix = f"{offset[:3]}:{offset[3:]}"
            date = day.strftime("%Y-%m-%d")
            out.extend(f"{date}T{7 + k // 4:02d}:{15 * (k % 4):02d}:00{suffix}" for k in range(SLOTS_PER_DAY))
        day += timedelta(days=1)
    return out[:n]


CASES = {
    # name: (how queue peaks are drawn, AHT range in seconds, description)
    "large": ("bank", (240.0, 360.0),
              "bank-sized queues: each queue's peak 0.5-1.5 x the bank's (about 970 contacts per quarter hour), "
              "AHT 240-360 s"),
    "mixed": ("loguniform", (180.0, 600.0),
              "mixed queue sizes: peaks 3-400 contacts per quarter hour (log-uniform), AHT 180-600 s"),
}


def write_forecast(path: Path, shape: np.ndarray, bank_peak: float, case: str) -> dict[str, float]:
    """The 200,000-row forecast CSV of one case; returns a few facts about it."""
    how, (aht_lo, aht_hi), _ = CASES[case]
    rng = np.random.default_rng(SEED)
    n = INTERVALS_PER_QUEUE
    slot = np.arange(n) % SLOTS_PER_DAY
    weekday = (np.arange(n) // SLOTS_PER_DAY) % 5
    stamps = {z: weekday_slots(ZoneInfo(z), n) for z in ZONES}
    traffic = []
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("queue,interval_start,volume,aht\n")
        for q in range(N_QUEUES):
            if how == "bank":
                peak = bank_peak * rng.uniform(0.5, 1.5)
            else:
                peak = math.exp(rng.uniform(math.log(3.0), math.log(400.0)))
            aht_base = rng.uniform(aht_lo, aht_hi)
            volume = np.round(peak * shape[weekday, slot] * rng.uniform(0.9, 1.1, n), 1)
            aht = np.rint(aht_base * rng.uniform(0.95, 1.05, n)).astype(np.int64)
            traffic.append(volume * aht / 900.0)
            name = f"q{q + 1:02d}"
            fh.writelines(f"{name},{t},{v:g},{a}\n"
                          for t, v, a in zip(stamps[ZONES[q % len(ZONES)]], volume.tolist(), aht.tolist()))
    erlangs = np.concatenate(traffic)
    return {"traffic_mean": float(erlangs.mean()), "traffic_p50": float(np.median(erlangs)),
            "traffic_max": float(erlangs.max())}


# --- the floor: what the libraries alone cost ---

FLOORS = {
    "numpy, pyarrow (csv, compute), typer": ("numpy", "pyarrow.csv", "pyarrow.compute", "typer"),
    "the same and scipy.special (Erlang B's gammaincc)": ("numpy", "pyarrow.csv", "pyarrow.compute", "typer",
                                                          "scipy.special"),
}
"""The imports `wfm size -f csv -o FILE` cannot do without (it prints nothing on a terminal, so no rich), with
and without scipy.special (whose import clones numpy's namespace: numpy's optional sub-packages are loaded on
first use, as the console script has them, see wfm.cli.startup.numpy_extras_on_first_use)."""


def floor_script(modules: tuple[str, ...]) -> str:
    """Python source that imports ``modules`` the way the wfm console script runs (one BLAS thread, pandas
    unimportable, numpy's optional sub-packages loaded on first use, exit without the interpreter's teardown)
    and does nothing else: the time any program built
    on these libraries pays before its first line of work."""
    return ("import os, sys\n"
            "os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')\n"
            "from wfm.cli import startup\n"
            "startup.without_pandas()\n"
            "startup.numpy_extras_on_first_use()\n"
            + "".join(f"import {m}\n" for m in modules)
            + "os._exit(0)\n")


# --- running things --------------------------------------------------------------------------------


def wfm_command() -> list[str]:
    """The installed console script next to this interpreter (not a pyenv shim), else python -m wfm."""
    script = Path(sys.executable).with_name("wfm")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "wfm"]


def timed_run(cmd: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall s, CPU s = user + sys of the child, completed process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


_PEAK_OF_CHILD = ("import resource, subprocess, sys\n"
                  "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
                  "sys.stderr.write(done.stderr.decode()[:500])\n"
                  "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                  "sys.exit(done.returncode)\n")


def peak_memory_mib(cmd: list[str], cwd: Path) -> float:
    """Peak resident memory (MiB) of one run of ``cmd``, started by a small interpreter of its own: a child's
    ru_maxrss also counts the process it was forked from (this script grows past 350 MiB once pyworkforce's
    results are in, and a wfm run then read 378 MiB whatever it used)."""
    done = subprocess.run([sys.executable, "-c", _PEAK_OF_CHILD, *cmd], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return int(done.stdout.split()[-1]) / 1024  # KiB on Linux


def repeat(cmd: list[str], cwd: Path, repeats: int, warmup: bool = True) -> dict[str, float]:
    if warmup:
        timed_run(cmd, cwd)
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu, proc = timed_run(cmd, cwd)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
        walls.append(wall)
        cpus.append(cpu)
    return {"wall": statistics.median(walls), "wall_min": min(walls), "wall_max": max(walls),
            "cpu": statistics.median(cpus), "cpu_min": min(cpus), "cpu_max": max(cpus)}


def instructions(cmd: list[str], cwd: Path) -> int | None:
    """Instructions ``cmd`` executes under ``valgrind --tool=callgrind`` (a console script is run by this
    interpreter, as valgrind follows no #! line), or None without valgrind."""
    import shutil

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    if Path(cmd[0]).name == "wfm":
        cmd = [sys.executable, *cmd]
    done = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], cwd=cwd,
                          capture_output=True, text=True)
    counts = [line.rsplit(":", 1)[1] for line in done.stderr.splitlines() if "Collected :" in line]
    return int(counts[-1]) if done.returncode == 0 and counts else None


# --- the pyworkforce user's script -----------------------------------------------------------------

PYWORKFORCE_SCRIPT = r'''
"""Size every interval of a forecast CSV with pyworkforce, as its docs show (run by bench_size.py)."""
import json, sys, time
t0 = time.perf_counter()
import numpy as np
import pandas as pd
from pyworkforce.queuing import ErlangC
t_import = time.perf_counter()

src, dst, sample_out, sample_n, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
SL, ANSWER_MIN, MAX_OCC, SHRINK, INTERVAL_MIN = 0.8, 30 / 60, 0.85, 0.3, 15

df = pd.read_csv(src)
t_read = time.perf_counter()

# pyworkforce sizes one interval per call: size a random sample, extrapolate (bench_size.py does).
rows = np.sort(np.random.default_rng(seed).choice(len(df), size=min(sample_n, len(df)), replace=False))
raw, pos, sl, occ, each = [], [], [], [], []
clock = time.process_time  # CPU per interval: a busy machine's preemptions do not count
t_size0, t_cpu0 = time.perf_counter(), clock()
for v, a in zip(df["volume"].to_numpy()[rows].tolist(), df["aht"].to_numpy()[rows].tolist()):
    s = clock()
    if v > 0:  # ErlangC refuses transactions <= 0: nobody is needed then
        r = ErlangC(transactions=v, aht=a / 60, asa=ANSWER_MIN, interval=INTERVAL_MIN,
                    shrinkage=SHRINK).required_positions(service_level=SL, max_occupancy=MAX_OCC)
        raw.append(r["raw_positions"]); pos.append(r["positions"])
        sl.append(r["service_level"]); occ.append(r["occupancy"])
    else:
        raw.append(0); pos.append(0); sl.append(1.0); occ.append(0.0)
    each.append(clock() - s)
t_size, t_size_cpu = time.perf_counter() - t_size0, clock() - t_cpu0

# The result for every row (the unsized rows repeat the sample's answers: same columns, same cost).
out = df.copy()
out["traffic_erlangs"] = (out["volume"] / INTERVAL_MIN * out["aht"] / 60).round(4)
out["agents"] = np.resize(np.array(raw), len(df))
out["service_level"] = np.resize(np.array(sl), len(df)).round(4)
out["occupancy"] = np.resize(np.array(occ), len(df)).round(4)
out["staff"] = np.resize(np.array(pos), len(df))
t_w0 = time.perf_counter()
out.to_csv(dst, index=False)
t_write = time.perf_counter() - t_w0

df.iloc[rows][["queue", "interval_start", "volume", "aht"]].assign(agents=raw, staff=pos).to_csv(sample_out, index=False)
print(json.dumps({"import": t_import - t0, "read": t_read - t_import, "size": t_size, "size_cpu": t_size_cpu,
                  "write": t_write,
                  "sample": len(rows), "rows": len(df), "each": each}))
'''


def run_pyworkforce(script: Path, src: Path, workdir: Path, sample: int, repeats: int) -> dict[str, float]:
    """Median over `repeats` runs of the user script (one warm-up run first); extrapolated totals."""
    cmd = [sys.executable, str(script), str(src), str(workdir / "pwf_out.csv"), str(workdir / "pwf_sample.csv"),
           str(sample), str(SEED)]
    timed_run(cmd, workdir)  # warm-up: page cache, .pyc files
    runs = []
    for _ in range(repeats):
        wall, cpu, proc = timed_run(cmd, workdir)
        if proc.returncode != 0:
            raise SystemExit(f"pyworkforce script failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
        stages = json.loads(proc.stdout.strip().splitlines()[-1])
        per, per_cpu = stages["size"] / stages["sample"], stages["size_cpu"] / stages["sample"]
        runs.append({
            "wall": wall, "cpu": cpu, "per_interval": per, "per_interval_cpu": per_cpu,
            "total": wall - stages["size"] + per * stages["rows"],
            "total_cpu": cpu - stages["size_cpu"] + per_cpu * stages["rows"],
            "import": stages["import"], "read": stages["read"], "write": stages["write"],
            "each": stages["each"], "rows": stages["rows"], "sample": stages["sample"],
        })
    runs.sort(key=lambda r: r["total"])
    median = runs[len(runs) // 2]
    each = np.array(median["each"])
    median["per_interval_se"] = float(each.std(ddof=1) / math.sqrt(each.size)) if each.size > 1 else float("nan")
    median["each_p50"], median["each_p99"] = float(np.median(each)), float(np.quantile(each, 0.99))
    return median


# --- agreement -------------------------------------------------------------------------------------


def pwf_service_level(agents: int, traffic: float, aht_min: float) -> float:
    """pyworkforce's own service-level formula (ErlangC.service_level), for the explanations."""
    if agents <= traffic:
        return 0.0
    inv = 1.0
    for k in range(1, agents + 1):
        inv = 1.0 + inv * k / traffic
    b = 1.0 / inv
    wait = agents * b / (agents - traffic * (1.0 - b))
    return max(0.0, 1.0 - wait * math.exp(-(agents - traffic) * (ANSWER_WITHIN_S / 60.0) / aht_min))


def agreement(wfm_csv: Path, sample_csv: Path) -> dict[str, object]:
    """Agents and staff from wfm vs pyworkforce on the sampled intervals, with each difference explained."""
    with wfm_csv.open(newline="", encoding="utf-8") as fh:
        wfm = {(r["queue"], r["interval_start"]): r for r in csv.DictReader(fh)}
    causes: dict[str, list[str]] = defaultdict(list)
    compared = agents_differ = staff_differ = 0
    with sample_csv.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            w = wfm.get((r["queue"], r["interval_start"]))
            if w is None:
                causes["row missing from wfm's output"].append(f"{r['queue']} {r['interval_start']}")
                continue
            compared += 1
            wa, pa_, ws, ps = int(w["agents"]), int(r["agents"]), int(w["staff"]), int(r["staff"])
            volume, aht = float(r["volume"]), float(r["aht"])
            traffic = volume / INTERVAL_MIN * aht / 60  # as pyworkforce computes it
            where = f"{r['queue']} {r['interval_start']} ({traffic:.4f} Erl): wfm {wa}/{ws}, pyworkforce {pa_}/{ps}"
            if wa != pa_:
                agents_differ += 1
                cap = volume * aht / (INTERVAL_MIN * 60) / MAX_OCCUPANCY  # agents at exactly 85 % occupancy
                if abs(cap - round(cap)) < 1e-9 * cap and {wa, pa_} == {round(cap), round(cap) + 1}:
                    causes["occupancy-cap tie: traffic / 0.85 is a whole number N (N agents are exactly 85 % "
                           "occupied, which meets the cap); wfm compares occupancy with 1e-12 of slack and takes N (a target "
                           "met exactly in decimal is met), pyworkforce takes ceil(A / 0.85) in floats, where the "
                           "quotient can land just above N (17 / 0.85 = 20.000000000000004 -> 21)"].append(where)
                elif abs(pwf_service_level(min(wa, pa_), traffic, aht / 60) - SERVICE_LEVEL) < 1e-6:
                    causes["service-level tie: within 1e-6 of the 80 % target at the smaller headcount"].append(where)
                else:
                    causes["other (not explained by the known causes)"].append(where)
            elif ws != ps:
                staff_differ += 1
                exact = wa / (1 - SHRINKAGE)
                if ps == math.ceil(exact) and abs(exact - round(exact)) < 1e-9:
                    causes["staff only: pyworkforce's ceil(agents / (1 - 0.3)) rounds a float just above a "
                           "whole number up (7 / 0.7 = 10.000000000000002 -> 11); wfm allows 1e-9 of slack"
                           ].append(where)
                else:
                    causes["staff only, other"].append(where)
    return {"compared": compared, "agents_differ": agents_differ, "staff_differ": staff_differ,
            "causes": dict(causes)}


# --- imports ---------------------------------------------------------------------------------------


def parse_importtime(stderr: str) -> list[tuple[str, int, int, int]]:
    """[(module, self us, cumulative us, depth)] in the order -X importtime prints them (post-order)."""
    out = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cum_us, name = line[len("import time:"):].split("|", 2)
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        out.append((name.strip(), int(self_us), int(cum_us), depth))
    return out


def import_chain(entries: list[tuple[str, int, int, int]], index: int) -> list[str]:
    """The module at `index` and the modules that imported it, innermost first."""
    chain = [entries[index][0]]
    depth = entries[index][3]
    for name, _, _, d in entries[index + 1:]:
        if d < depth:
            chain.append(name)
            depth = d
    return chain


def importtime(args: list[str], cwd: Path) -> list[tuple[str, int, int, int]]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "wfm", *args],
                          cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"wfm {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return parse_importtime(proc.stderr)


def heavy_imports(entries: list[tuple[str, int, int, int]], packages: tuple[str, ...]) -> dict[str, str | None]:
    """For each package: None when not imported, else the chain of modules that imported it first."""
    found: dict[str, str | None] = {p: None for p in packages}
    for i, (name, *_rest) in enumerate(entries):
        top = name.split(".")[0]
        if top in found and found[top] is None and name == top:
            found[top] = " <- ".join(import_chain(entries, i)[1:]) or "(top level)"
    return found


def cost_by_traffic(sample_csv: Path, each: list[float]) -> list[tuple[str, int, float]]:
    """pyworkforce's time per interval by traffic band: [(band, intervals, mean us)] (sample rows in order)."""
    with sample_csv.open(newline="", encoding="utf-8") as fh:
        erlangs = [float(r["volume"]) * float(r["aht"]) / (INTERVAL_MIN * 60) for r in csv.DictReader(fh)]
    bands = [(0, 10), (10, 50), (50, 200), (200, 500), (500, math.inf)]
    out = []
    for lo, hi in bands:
        times = [t for a, t in zip(erlangs, each) if lo <= a < hi]
        if times:
            label = f"{lo}-{hi:g} Erl" if math.isfinite(hi) else f">= {lo} Erl"
            out.append((label, len(times), 1e6 * statistics.fmean(times)))
    return out


# --- main ------------------------------------------------------------------------------------------


def run_case(case: str, work: Path, wfm: list[str], shape: np.ndarray, bank_peak: float, shape_note: str,
             repeats: int, pwf_repeats: int, sample: int, have_pwf: bool) -> Path:
    """Write the case's forecast, time wfm and pyworkforce on it, print the figures; returns the forecast."""
    forecast = work / f"forecast_{case}.csv"
    t0 = time.perf_counter()
    facts = write_forecast(forecast, shape, bank_peak, case)
    print(f"\n=== Case '{case}': {CASES[case][2]}")
    print(f"Forecast: {N_ROWS:,} intervals = {N_QUEUES} queues x {INTERVALS_PER_QUEUE:,} quarter hours "
          f"(Mon-Fri 07:00-21:00 local, {len(ZONES)} zones, offsets incl. DST), "
          f"{forecast.stat().st_size / 2**20:.1f} MiB, written in {time.perf_counter() - t0:.1f} s")
    print(f"  {shape_note}; traffic per interval: mean {facts['traffic_mean']:.0f}, median "
          f"{facts['traffic_p50']:.0f}, max {facts['traffic_max']:.0f} Erlangs")

    out = work / f"wfm_{case}.csv"
    w = repeat([*wfm, "size", str(forecast), "-f", "csv", "-o", str(out), *TARGET_FLAGS], work, repeats)
    with out.open(encoding="utf-8") as fh:
        out_rows = sum(1 for _ in fh) - 1
    print(f"wfm size -f csv -o OUT ({repeats} runs after a warm-up; subprocess, end to end):")
    print(f"  wall {w['wall']:.3f} s median (min {w['wall_min']:.3f}, max {w['wall_max']:.3f}); "
          f"CPU user+sys {w['cpu']:.3f} s median (min {w['cpu_min']:.3f}, max {w['cpu_max']:.3f}); "
          f"{out_rows:,} rows written")
    peaks = {fmt: peak_memory_mib([*wfm, "size", str(forecast), "-f", fmt, "-o", str(work / f"memory.{fmt}"),
                                   *TARGET_FLAGS], work) for fmt in ("csv", "json")}
    print(f"  peak memory (one run each): -f csv {peaks['csv']:.0f} MiB, -f json {peaks['json']:.0f} MiB "
          f"({(work / 'memory.json').stat().st_size / 2**20:.0f} MiB of JSON)")
    if not have_pwf:
        print("pyworkforce: not installed, comparison skipped (pip install pyworkforce)")
        return forecast

    from importlib.metadata import version
    script = work / "size_with_pyworkforce.py"
    script.write_text(PYWORKFORCE_SCRIPT, encoding="utf-8")
    p = run_pyworkforce(script, forecast, work, sample, pwf_repeats)
    print(f"pyworkforce {version('pyworkforce')} + pandas {version('pandas')} (a user's script: read_csv, "
          f"ErlangC per interval, to_csv; median of {pwf_repeats} run(s) after a warm-up):")
    print(f"  EXTRAPOLATED: sized a random sample of {p['sample']:,} intervals, scaled to {p['rows']:,}")
    print(f"  per interval {p['per_interval'] * 1e6:.0f} us wall, {p['per_interval_cpu'] * 1e6:.0f} us CPU "
          f"(CPU: +-{p['per_interval_se'] * 1e6:.0f} us standard error, median {p['each_p50'] * 1e6:.0f} us, "
          f"p99 {p['each_p99'] * 1e6:.0f} us); CPU by traffic: "
          + ", ".join(f"{band} {us:.0f} us (n={n})" for band, n, us in
                      cost_by_traffic(work / "pwf_sample.csv", p["each"])))
    print(f"  measured: imports {p['import']:.2f} s, read_csv {p['read']:.2f} s, to_csv of all "
          f"{p['rows']:,} rows {p['write']:.2f} s (run wall {p['wall']:.2f} s, CPU {p['cpu']:.2f} s, incl. the sample)")
    print(f"  extrapolated total: wall {p['total']:.1f} s, CPU {p['total_cpu']:.1f} s "
          f"(the run, less the sample's sizing, plus {p['rows']:,} x the per-interval time)")
    ratio, ratio_cpu = p["total"] / w["wall"], p["total_cpu"] / w["cpu"]
    print(f"RATIO pyworkforce / wfm: {ratio:.1f}x by median wall, {ratio_cpu:.1f}x by median CPU "
          f"(goal >= {GOAL_RATIO:.0f}x: {'met' if min(ratio, ratio_cpu) >= GOAL_RATIO else 'not met'}; "
          f"wfm would need <= {p['total'] / GOAL_RATIO:.2f} s wall, <= {p['total_cpu'] / GOAL_RATIO:.2f} s CPU)")

    floor = {label: repeat([sys.executable, "-c", floor_script(modules)], work, repeats)
             for label, modules in FLOORS.items()}
    print("Floor: a bare interpreter that only imports what `wfm size` needs and exits as wfm does "
          f"({repeats} runs after a warm-up, medians):")
    for label, f in floor.items():
        print(f"  {label:44s} wall {f['wall']:.3f} s, CPU {f['cpu']:.3f} s: at most {p['total'] / f['wall']:.0f}x "
              f"by wall, {p['total_cpu'] / f['cpu']:.0f}x by CPU, were wfm's own work free")

    a = agreement(out, work / "pwf_sample.csv")
    print(f"Agreement on the {a['compared']:,} sampled intervals: agents differ in {a['agents_differ']}, "
          f"staff (where agents agree) in {a['staff_differ']}")
    for cause, where in a["causes"].items():
        print(f"  {len(where)} x {cause}")
        for example in where[:2]:
            print(f"      e.g. {example}")
    return forecast


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and a smaller pyworkforce sample")
    parser.add_argument("--case", choices=[*CASES, "all"], default="all", help="which forecast (default: all)")
    parser.add_argument("--repeats", type=int, default=None, help="wfm runs per case (default 5, 3 with --quick)")
    parser.add_argument("--sample", type=int, default=None,
                        help="intervals pyworkforce sizes (default 2,000, 500 with --quick)")
    parser.add_argument("--one-cpu", action="store_true", help="pin this process and its children to one CPU")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 5)
    pwf_repeats = 1 if args.quick else 3
    sample = args.sample or (500 if args.quick else 2_000)
    startup_runs = 5 if args.quick else 10
    began = time.perf_counter()

    pinned = pin_to_one_cpu() if args.one_cpu else "not pinned"
    # Every run below (wfm, pyworkforce, the floors) may cache its bytecode, as on a user's machine: with
    # PYTHONDONTWRITEBYTECODE set (some containers set it) an editable install recompiles its modules from source
    # on every run, about 0.1 s of wfm's 100-odd modules; the warm-up run writes the cache.
    bytecode = "bytecode cached" if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is None else (
        "bytecode cached (PYTHONDONTWRITEBYTECODE dropped for the runs)")
    wfm = wfm_command()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs ({pinned}{load}, {bytecode}); "
          f"wfm command: {' '.join(wfm)}")
    print(f"Targets: {SERVICE_LEVEL:.0%} in {ANSWER_WITHIN_S:g} s, occupancy <= {MAX_OCCUPANCY:.0%}, "
          f"shrinkage {SHRINKAGE:.0%}. On a busy machine wall time exceeds CPU time: compare medians.")
    try:
        import pyworkforce  # noqa: F401 - only to know whether it is there
        have_pwf = True
    except ImportError:
        have_pwf = False

    with tempfile.TemporaryDirectory(prefix="bench_size_") as tmp:
        work = Path(tmp)
        shape, bank_peak, shape_note = bank_shape()
        forecasts = [run_case(case, work, wfm, shape, bank_peak, shape_note, repeats, pwf_repeats, sample, have_pwf)
                     for case in (CASES if args.case == "all" else [args.case])]

        # startup
        print(f"\n=== Startup ({startup_runs} runs each after a warm-up; CPU = user+sys of the child, median)")
        for label, argv in (("python -c pass", [sys.executable, "-c", "pass"]),
                            ("wfm --help", [*wfm, "--help"]),
                            ("wfm calc --volume 100 --aht 180", [*wfm, "calc", "--volume", "100", "--aht", "180"])):
            s = repeat(argv, work, startup_runs)
            goal = "" if label.startswith("python") else \
                f"  (goal < {GOAL_STARTUP_CPU_S} s CPU: {'met' if s['cpu'] < GOAL_STARTUP_CPU_S else 'not met'})"
            count = instructions(argv, work)
            counted = "" if count is None else f", {count / 1e6:,.0f} million instructions"
            print(f"  {label:33s} CPU {s['cpu']:.3f} s (min {s['cpu_min']:.3f}), wall {s['wall']:.3f} s{counted}{goal}")

        calc_imports = importtime(["calc", "--volume", "100", "--aht", "180"], work)
        heavy = heavy_imports(calc_imports, ("pyarrow", "matplotlib", "scipy", "pandas", "numpy", "rich", "typer"))
        print("`python -X importtime -m wfm calc --volume 100 --aht 180` imports:")
        for pkg, chain in heavy.items():
            print(f"  {pkg:10s} {'no' if chain is None else 'YES, via ' + chain}")

        # what `wfm size` spends on imports
        size_args = ["size", str(forecasts[0]), "-f", "csv", "-o", str(work / "imports.csv"), *TARGET_FLAGS]
        runs = [importtime(size_args, work) for _ in range(3)]
        self_us: dict[str, list[int]] = defaultdict(list)
        cum_us: dict[str, list[int]] = defaultdict(list)
        by_package: dict[str, list[int]] = defaultdict(list)
        totals = []
        for entries in runs:
            package_sum: dict[str, int] = defaultdict(int)
            for name, own, cum, depth in entries:
                self_us[name].append(own)
                if depth == 0:
                    cum_us[name].append(cum)
                package_sum[name.split(".")[0]] += own
            for pkg, us in package_sum.items():
                by_package[pkg].append(us)
            totals.append(sum(e[1] for e in entries))

        def med(values: list[int]) -> float:
            return statistics.median(values + [0] * (len(runs) - len(values)))

        print(f"\n=== `wfm size` imports (python -X importtime; wall-clock us, so inflated on a busy machine; "
              f"median of {len(runs)} runs): {statistics.median(totals) / 1e6:.3f} s in "
              f"{statistics.median(len(r) for r in runs):.0f} imports")
        print("  top 10 modules by self time:")
        for name, us in sorted(((n, med(v)) for n, v in self_us.items()), key=lambda kv: -kv[1])[:10]:
            print(f"    {us / 1000:7.1f} ms  {name}")
        print("  imported at top level, by cumulative time (the ones to make lazy):")
        for name, us in sorted(((n, med(v)) for n, v in cum_us.items()), key=lambda kv: -kv[1])[:8]:
            print(f"    {us / 1000:7.1f} ms  {name}")
        print("  by top-level package (sum of self times):")
        for pkg, us in sorted(((p, med(v)) for p, v in by_package.items()), key=lambda kv: -kv[1])[:10]:
            print(f"    {us / 1000:7.1f} ms  {pkg}")
        print("  (a module's self time also holds what -X importtime does not log under it: a garbage collection\n"
              "   that runs during its import, and imports made through a lazy __getattr__ such as\n"
              "   `from scipy import special`, which is why wfm.staffing and wfm.erlang can look heavy)")
        if "pandas" in cum_us and med(cum_us["pandas"]) > 1000:
            print(f"  note: pandas ({med(cum_us['pandas']) / 1000:.0f} ms) is imported at run time, not by wfm: "
                  "pyarrow imports it on first use (to_numpy, scalars) whenever pandas is installed")

    print(f"\n(benchmark took {time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
