"""Throughput of the vectorised Erlang A sizing (`wfm.erlang_a`).

Run from the project root (needs only ``pip install -e .``)::

    python benchmarks/bench_erlang_a.py            # 5 repeats
    python benchmarks/bench_erlang_a.py --quick    # 3 repeats

200,000 intervals: traffic uniform on 0.1-2,000 Erlangs, AHT uniform on 120-900 s, mean patience uniform
on 30-600 s, targets 80 % of offered answered within 20 s and at most 5 % abandoning (seeded). Times
``required_agents`` and then ``measures`` on its result. The goal is at least 200,000 intervals per second
for ``required_agents`` on one core.

pyworkforce (if installed) is looked at for an Erlang A model to time side by side; version 0.5.1 has
only Erlang C (``pyworkforce.queuing.ErlangC``), so the script says so and, for scale, times its Erlang C
sizing on a small sample against wfm.erlang_a (different models: the ratio is indicative only).

This is a script that prints figures, not a test: nothing fails if the goal is missed. The machine is
usually shared and noisy, so quote the MEDIAN; min/max show the spread.
"""

from __future__ import annotations

from measure import keep_to_one_thread

keep_to_one_thread()  # before numpy is imported

import importlib
import statistics
import sys
import time
from typing import Any

import numpy as np
from measure import benchmark_parser, max_rss_mib, measure, pin_to_one_cpu, repeats_of

GOAL_INTERVALS_PER_S = 200_000
SERVICE_LEVEL = 0.8
ANSWER_WITHIN_S = 20.0
MAX_ABANDON = 0.05
SEED = 20261201
SIZE = 200_000


def make_inputs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return rng.uniform(0.1, 2000.0, n), rng.uniform(120.0, 900.0, n), rng.uniform(30.0, 600.0, n)


def report(label: str, n: int, m: dict[str, Any], goal: int | None = None) -> None:
    rate = n / max(m["median"], 1e-9)
    print(f"  {label}")
    print(f"    time   median {m['median']:.3f} s  (min {m['min']:.3f}, max {m['max']:.3f})"
          f"   cpu/wall {m['cpu_over_wall']:.2f}")
    print(f"    rate   {rate:,.0f} intervals/s (median)")
    print(f"    memory tracemalloc peak {m['peak_mib']:.1f} MiB   process max RSS so far {max_rss_mib():.1f} MiB")
    if goal is not None:
        print(f"    goal   >= {goal:,} intervals/s on one core: {'MET' if rate >= goal else 'NOT MET'}")


def sanity(erlang_a: Any, agents: np.ndarray, a: np.ndarray, aht: np.ndarray, patience: np.ndarray) -> None:
    """Every interval meets both targets and one agent fewer would not (printed, never fatal)."""
    def meets(k: np.ndarray) -> np.ndarray:
        return ((erlang_a.service_level(k, a, aht, patience, ANSWER_WITHIN_S) >= SERVICE_LEVEL - 1e-12)
                & (erlang_a.abandon_probability(k, a, aht, patience) <= MAX_ABANDON + 1e-12))

    problems = []
    if agents.dtype != np.int64:
        problems.append(f"dtype {agents.dtype}")
    short = int(np.sum(~meets(agents)))
    if short:
        problems.append(f"{short} intervals miss a target")
    spare = int(np.sum(meets(agents - 1) & (agents > 1)))
    if spare:
        problems.append(f"{spare} intervals where one agent fewer would do")
    print("  sanity " + ("; ".join(problems) if problems else "ok (int64, both targets met, minimal)"))


def pyworkforce_side_by_side(erlang_a: Any, a: np.ndarray, aht: np.ndarray, patience: np.ndarray,
                             repeats: int) -> None:
    print("\npyworkforce")
    try:
        pyworkforce = importlib.import_module("pyworkforce")
        queuing = importlib.import_module("pyworkforce.queuing")
    except ImportError:
        print("  not installed: nothing to compare")
        return
    version = getattr(pyworkforce, "__version__", "?")
    models = [name for name in dir(queuing) if not name.startswith("_")]
    has_a = any("erlanga" in name.lower() or "abandon" in name.lower() for name in models)
    print(f"  version {version}; pyworkforce.queuing offers {', '.join(sorted(models))}")
    if has_a:
        print("  an Erlang A model seems present but is not wired into this script: time it by hand")
        return
    print("  no Erlang A (abandonment) model: only Erlang C. For scale only (different models), its Erlang C")
    print("  sizing per interval (80/20, max occupancy 1) against wfm.erlang_a (80/20 + 5 % abandon):")
    sample = 200
    erlang_c = queuing.ErlangC

    def theirs() -> None:
        for k in range(sample):
            # transactions per interval of 30 min, AHT and ASA target in the same unit (seconds)
            calls = a[k] * 1800.0 / aht[k]
            erlang_c(transactions=calls, aht=aht[k], asa=ANSWER_WITHIN_S, interval=1800).required_positions(
                service_level=SERVICE_LEVEL)

    def ours() -> None:
        erlang_a.required_agents(a[:sample], aht[:sample], patience[:sample], service_level=SERVICE_LEVEL,
                                 answer_within_s=ANSWER_WITHIN_S, max_abandon_rate=MAX_ABANDON)

    def median_time(fn) -> float:
        fn()
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    t_theirs, t_ours = median_time(theirs), median_time(ours)
    print(f"  pyworkforce ErlangC  {sample / t_theirs:,.0f} intervals/s   ({sample} intervals, median)")
    print(f"  wfm.erlang_a         {sample / t_ours:,.0f} intervals/s   (the same {sample}, one vectorised call)")
    print(f"  ratio                {t_theirs / t_ours:,.1f}x")


def main() -> None:
    parser = benchmark_parser(__doc__, "3 repeats instead of 5")
    args = parser.parse_args()
    repeats = repeats_of(args, default=5, quick=3)

    pinned = pin_to_one_cpu()
    from wfm import erlang_a

    print(f"bench_erlang_a: numpy {np.__version__}, python {sys.version.split()[0]}, {repeats} repeats, {pinned}")
    print("(noisy machine: quote the medians)")
    rng = np.random.default_rng(SEED)
    a, aht, patience = make_inputs(SIZE, rng)
    print(f"\n{SIZE:,} intervals: 0.1-2,000 Erlangs, AHT 120-900 s, patience 30-600 s, "
          f"targets {SERVICE_LEVEL:.0%}/{ANSWER_WITHIN_S:.0f} s and <= {MAX_ABANDON:.0%} abandoning")

    def sizing() -> np.ndarray:
        return erlang_a.required_agents(a, aht, patience, service_level=SERVICE_LEVEL,
                                        answer_within_s=ANSWER_WITHIN_S, max_abandon_rate=MAX_ABANDON)

    m = measure(sizing, repeats)
    agents = m.pop("result")
    report("required_agents(...)", SIZE, m, GOAL_INTERVALS_PER_S)
    m = measure(lambda: erlang_a.measures(agents, a, aht, patience, ANSWER_WITHIN_S), repeats)
    m.pop("result")
    report("measures(agents, ...) (all five, with the ASA quadrature)", SIZE, m)
    try:
        sanity(erlang_a, agents, a, aht, patience)
    except Exception as exc:
        print(f"  sanity check raised {type(exc).__name__}: {exc}")
    pyworkforce_side_by_side(erlang_a, a, aht, patience, repeats)


if __name__ == "__main__":
    main()
