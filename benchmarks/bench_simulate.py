"""Throughput of the simulation engine (`wfm.simulation.engine.simulate`), next to Ciw, and numba's start-up.

Run from the project root (needs ``pip install -e .``; Ciw only for the comparison, ``pip install ciw``)::

    python benchmarks/bench_simulate.py            # 5 repeats
    python benchmarks/bench_simulate.py --quick    # 3 repeats, a shorter Ciw run

Case 1, a plan's week: one 24/7 queue, 672 quarter hours with a night trough, a morning and an afternoon
peak and a Monday-heavy week (400,000 contacts expected, AHT 190-220 s), staffed interval by interval with the
Erlang C requirement for 80 % within 20 s (``wfm.erlang.required_agents``: about 310 agents at the peak),
the agents as on-duty windows (agent i works while the requirement exceeds i). Four replications per call;
exponential handle times, then lognormal (CV 1), then Erlang A (patience 180 s) and forecast error (CV 0.1).

Case 2, the same model in both simulators: M/M/300, 270 Erlangs, AHT 300 s (0.9 contacts per second),
first come first served. wfm simulates a week (about 545,000 contacts); Ciw (``ciw.create_network`` with
``ciw.dists.Exponential`` arrivals and services, ``number_of_servers=[300]``, ``simulate_until_max_time``)
a shorter horizon, since it is pure Python. Contacts per second = contacts simulated / wall time (median).
Both estimates of the service level and ASA are printed beside Erlang C as a sanity check.

Start-up: in fresh interpreters, with an empty numba cache (``NUMBA_CACHE_DIR`` set to a new temporary
folder) and then with that cache filled: the import of numba, of the engine, and the first call (which
compiles the kernel, or loads it from the cache).

This is a script that prints figures, not a test: nothing fails if the goal (1,000,000 contacts per second
on one core) is missed. Quote the MEDIAN.
"""

from __future__ import annotations

from measure import keep_to_one_thread

keep_to_one_thread()  # before numpy is imported

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from measure import benchmark_parser, max_rss_mib, measure, pin_to_one_cpu, repeats_of

GOAL_CONTACTS_PER_S = 1_000_000
SEED = 20261130
ROOT = Path(__file__).resolve().parents[1]


def plan_week() -> tuple[Any, Any]:
    """Case 1: the workload and agents of a 24/7 week sized with Erlang C (see the module docstring)."""
    from wfm import erlang
    from wfm.simulation.engine import Agents, Workload

    interval_s = 900.0
    starts = np.arange(7 * 96) * interval_s
    hour = (starts % 86400.0) / 3600.0
    day = (starts // 86400.0).astype(np.int64)
    shape = 0.4 + np.exp(-((hour - 10.5) ** 2) / 8.0) + 0.8 * np.exp(-((hour - 15.5) ** 2) / 8.0)
    weekday = np.array([1.15, 1.05, 1.0, 1.0, 0.95, 0.8, 0.6])[day]
    volume = shape * weekday
    volume *= 400_000 / volume.sum()
    aht = 190.0 + 30.0 * np.exp(-((hour - 14.0) ** 2) / 8.0)
    need = erlang.required_agents(volume * aht / interval_s, aht, service_level=0.8, answer_within_s=20.0)
    level = np.asarray(need, dtype=np.int64)
    agent, start, end = [], [], []
    for i in range(int(level.max())):
        on = np.concatenate(([False], level > i, [False]))
        opens, closes = np.flatnonzero(on[1:-1] & ~on[:-2]), np.flatnonzero(on[1:-1] & ~on[2:])
        agent.append(np.full(opens.size, i))
        start.append(starts[opens])
        end.append(starts[closes] + interval_s)
    agents = Agents(np.concatenate(agent).astype(np.int64), np.concatenate(start), np.concatenate(end))
    return Workload(starts, interval_s, volume, aht, day), agents


def mmc_week(hours: float) -> tuple[Any, Any]:
    """Case 2 for wfm: M/M/300 at 270 Erlangs for ``hours`` hours, hourly intervals, agents on to the end."""
    from wfm.simulation.engine import Workload, constant_agents

    n = int(hours)
    workload = Workload(np.arange(n) * 3600.0, 3600.0, np.full(n, 0.9 * 3600.0), np.full(n, 300.0),
                        np.zeros(n, dtype=np.int64))
    return workload, constant_agents(300, 0.0, n * 3600.0 + 3600.0)


def run_ciw(hours: float, seed: int) -> tuple[float, int, float, float]:
    """(wall seconds, completed contacts, service level within 20 s, ASA) of Ciw's M/M/300 for ``hours``."""
    import ciw

    network = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(rate=0.9)],
                                 service_distributions=[ciw.dists.Exponential(rate=1.0 / 300.0)],
                                 number_of_servers=[300])
    ciw.seed(seed)
    t0 = time.perf_counter()
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(hours * 3600.0)
    wall = time.perf_counter() - t0
    waits = np.array([r.waiting_time for r in sim.get_all_records()])
    return wall, int(waits.size), float(np.mean(waits <= 20.0)), float(waits.mean())


STARTUP = """
import json, time
t0 = time.perf_counter()
import numba
t1 = time.perf_counter()
import numpy as np
from wfm.simulation.engine import Workload, constant_agents, simulate
t2 = time.perf_counter()
w = Workload(np.array([0.0]), 900.0, np.array([50.0]), np.array([100.0]), np.zeros(1, dtype=np.int64))
simulate(w, constant_agents(5, 0.0, 900.0), answer_within_s=20.0, replications=1, seed=1)
t3 = time.perf_counter()
simulate(w, constant_agents(5, 0.0, 900.0), answer_within_s=20.0, replications=1, seed=2)
t4 = time.perf_counter()
print(json.dumps({"numba": t1 - t0, "engine": t2 - t1, "first": t3 - t2, "second": t4 - t3}))
"""


def startup() -> None:
    print("start-up (fresh interpreters; seconds, wall)")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
        for label in ("empty numba cache", "filled numba cache", "filled numba cache"):
            out = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, check=True)
            t = json.loads(out.stdout)
            print(f"  {label:<19} import numba {t['numba']:.2f}   import engine (numpy, numba) {t['engine']:.2f}"
                  f"   first simulate {t['first']:.2f}   second {t['second'] * 1000:.1f} ms")


def report(label: str, contacts: int, m: dict[str, Any], goal: bool = False) -> float:
    rate = contacts / max(m["median"], 1e-9)
    print(f"  {label}")
    print(f"    time   median {m['median']:.3f} s  (min {m['min']:.3f}, max {m['max']:.3f})   cpu/wall "
          f"{m['cpu_over_wall']:.2f}   {contacts:,} contacts")
    print(f"    rate   {rate:,.0f} contacts/s (median)   tracemalloc peak {m['peak_mib']:.1f} MiB")
    if goal:
        verdict = "MET" if rate >= GOAL_CONTACTS_PER_S else "NOT MET"
        print(f"    goal   >= {GOAL_CONTACTS_PER_S:,} contacts/s on one core: {verdict}")
    return rate


def main() -> None:
    args = benchmark_parser(__doc__, "3 repeats and a 2-hour Ciw run (default 6 hours)").parse_args()
    repeats = repeats_of(args, 5, 3)
    print(f"bench_simulate: {pin_to_one_cpu()}, {repeats} repeats, python {sys.version.split()[0]}")
    startup()
    import numba

    from wfm import erlang
    from wfm.simulation.engine import simulate

    print(f"numba {numba.__version__}, numpy {np.__version__}")
    workload, agents = plan_week()
    print(f"case 1: a plan's week, {workload.volume.sum():,.0f} contacts expected per replication, "
          f"{agents.n_agents} agents at the peak, {agents.agent.size:,} windows, 4 replications per call")
    variants = [("exponential handle times", {}), ("lognormal handle times, CV 1", {"aht_cv": 1.0}),
                ("Erlang A (patience 180 s), forecast error CV 0.1", {"volume_cv": 0.1, "patience": 180.0})]
    for label, options in variants:
        w = workload
        if "patience" in options:
            from dataclasses import replace

            w = replace(workload, patience_s=options["patience"])
        kwargs = {k: v for k, v in options.items() if k != "patience"}
        m = measure(lambda: simulate(w, agents, answer_within_s=20.0, replications=4, seed=SEED, **kwargs), repeats)
        report(label, int(m["result"].offered.sum()), m, goal=not options)
    print("case 2: M/M/300, 270 Erlangs, AHT 300 s")
    workload2, agents2 = mmc_week(168)
    m = measure(lambda: simulate(workload2, agents2, answer_within_s=20.0, replications=1, seed=SEED), repeats)
    result = m["result"]  # the same seed in every call: the same contacts
    wfm_rate = report("wfm, one week", int(result.offered.sum()), m, goal=True)
    kept = slice(1, None)
    sl = result.answered_within[:, kept].sum() / result.offered[:, kept].sum()
    asa = result.wait_answered_s[:, kept].sum() / result.answered[:, kept].sum()
    formula = erlang.measures(300, 270.0, 300.0, 20.0)
    print(f"    check  service level {sl:.4f}, ASA {asa:.2f} s; Erlang C {float(formula.service_level):.4f}, "
          f"{float(formula.asa_s):.2f} s")
    try:
        import ciw
    except ImportError:
        print("  Ciw: not installed (pip install ciw), comparison skipped")
        print(f"process max RSS {max_rss_mib():.0f} MiB")
        return
    hours = 2.0 if args.quick else 6.0
    runs = [run_ciw(hours, SEED + k) for k in range(min(repeats, 3))]
    walls = [r[0] for r in runs]
    rates = [r[1] / r[0] for r in runs]
    print(f"  Ciw {ciw.__version__}, {hours:g} hours, {len(runs)} runs")
    print(f"    time   median {statistics.median(walls):.2f} s  (min {min(walls):.2f}, max {max(walls):.2f})"
          f"   {runs[0][1]:,} contacts in the first run")
    ciw_rate = statistics.median(rates)
    print(f"    rate   {ciw_rate:,.0f} contacts/s (median)")
    print(f"    check  service level {statistics.mean(r[2] for r in runs):.4f}, ASA "
          f"{statistics.mean(r[3] for r in runs):.2f} s (mean of the runs, each from an empty system: noisy)")
    print(f"  ratio  wfm / Ciw = {wfm_rate / ciw_rate:,.0f}x")
    print(f"process max RSS {max_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
