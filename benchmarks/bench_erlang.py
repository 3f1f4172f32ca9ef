"""Throughput and memory of the vectorised Erlang C sizing (`wfm.erlang`).

Run from the project root (needs only ``pip install -e .``)::

    python benchmarks/bench_erlang.py            # 5 repeats
    python benchmarks/bench_erlang.py --quick    # 3 repeats

Case 1: 1,000,000 intervals, traffic uniform on 0.1-2,000 Erlangs, AHT uniform on 120-900 s,
target 80 % answered within 20 s, max occupancy 0.85 (seeded). Times
``required_agents`` and then ``service_level`` on its result. The goal is at least
1,000,000 intervals per second for ``required_agents`` on one core.

Case 2: 100,000 intervals of the same mix with a sprinkle (1 %) of very large traffic,
10,000-50,000 Erlangs, to check that the big intervals do not blow up time or memory.

This is a script that prints figures, not a test: nothing fails if the goal is missed.
The machine it runs on is usually shared and noisy, so quote the MEDIAN, not the best run;
min/max are printed to show the spread.
"""

from __future__ import annotations

from measure import keep_to_one_thread

keep_to_one_thread()  # before numpy is imported

import sys
from typing import Any

import numpy as np
from measure import benchmark_parser, max_rss_mib, measure, pin_to_one_cpu, repeats_of

GOAL_INTERVALS_PER_S = 1_000_000
SERVICE_LEVEL = 0.8
ANSWER_WITHIN_S = 20.0
MAX_OCCUPANCY = 0.85
SEED = 20261130


def report(label: str, n: int, m: dict[str, Any], goal: int | None = None) -> None:
    rate = n / max(m["median"], 1e-9)
    print(f"  {label}")
    print(
        f"    time   median {m['median']:.3f} s  (min {m['min']:.3f}, max {m['max']:.3f})"
        f"   cpu/wall {m['cpu_over_wall']:.2f}"
    )
    print(f"    rate   {rate:,.0f} intervals/s (median)")
    print(f"    memory tracemalloc peak {m['peak_mib']:.1f} MiB   process max RSS so far {max_rss_mib():.1f} MiB")
    if goal is not None:
        verdict = "MET" if rate >= goal else "NOT MET"
        print(f"    goal   >= {goal:,} intervals/s on one core: {verdict}")


def make_inputs(n: int, rng: np.random.Generator, big_fraction: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    traffic = rng.uniform(0.1, 2000.0, n)
    aht = rng.uniform(120.0, 900.0, n)
    if big_fraction:
        big = rng.random(n) < big_fraction
        traffic[big] = rng.uniform(10_000.0, 50_000.0, int(big.sum()))
    return traffic, aht


def sanity(erlang: Any, agents: np.ndarray, traffic: np.ndarray, aht: np.ndarray) -> None:
    """Cheap plausibility checks on the result (printed, never fatal)."""
    problems = []
    if not isinstance(agents, np.ndarray) or agents.shape != traffic.shape:
        problems.append(f"expected an array of shape {traffic.shape}, got {type(agents).__name__}")
    else:
        if agents.dtype != np.int64:
            problems.append(f"dtype {agents.dtype}, expected int64")
        if np.any(agents <= traffic):
            problems.append(f"{int(np.sum(agents <= traffic))} intervals with agents <= traffic")
        occ = traffic / agents
        if np.any(occ > MAX_OCCUPANCY + 1e-9):
            problems.append(f"{int(np.sum(occ > MAX_OCCUPANCY + 1e-9))} intervals above max occupancy")
        sl = erlang.service_level(agents, traffic, aht, ANSWER_WITHIN_S)
        short = int(np.sum(sl < SERVICE_LEVEL - 1e-9))
        if short:
            problems.append(f"{short} intervals below the {SERVICE_LEVEL:.0%} service-level target")
        # Minimality: with one agent fewer (where that is still a positive headcount) some
        # target must fail: stability (N > A), occupancy or service level.
        idx = np.flatnonzero(agents >= 2)
        fewer, a_f, aht_f = agents[idx] - 1, traffic[idx], aht[idx]
        sl_fewer = erlang.service_level(fewer, a_f, aht_f, ANSWER_WITHIN_S)
        still_ok = (sl_fewer >= SERVICE_LEVEL) & (a_f / fewer <= MAX_OCCUPANCY) & (fewer > a_f)
        not_minimal = int(np.sum(still_ok))
        if not_minimal:
            problems.append(f"{not_minimal} intervals where one agent fewer would also meet both targets")
    verdict = "; ".join(problems) if problems else "ok (int64, SL >= target, occupancy <= max, minimal)"
    print("  sanity " + verdict)


def run_case(erlang: Any, title: str, n: int, big_fraction: float, repeats: int, goal: int | None) -> None:
    rng = np.random.default_rng(SEED)
    traffic, aht = make_inputs(n, rng, big_fraction)
    print(f"\n{title}")
    print(f"  {n:,} intervals, traffic {traffic.min():.1f}-{traffic.max():,.0f} Erlangs, AHT 120-900 s")

    def sizing() -> np.ndarray:
        return erlang.required_agents(
            traffic, aht, service_level=SERVICE_LEVEL, answer_within_s=ANSWER_WITHIN_S, max_occupancy=MAX_OCCUPANCY
        )

    m = measure(sizing, repeats)
    agents = m.pop("result")
    report("required_agents(...)", n, m, goal)

    m = measure(lambda: erlang.service_level(agents, traffic, aht, ANSWER_WITHIN_S), repeats)
    m.pop("result")
    report("service_level(agents, ...)", n, m)

    try:
        sanity(erlang, agents, traffic, aht)
    except Exception as exc:  # the figures above stand; report the check's failure and move on
        print(f"  sanity check raised {type(exc).__name__}: {exc}")


def main() -> None:
    parser = benchmark_parser(__doc__, "3 repeats instead of 5")
    args = parser.parse_args()
    repeats = repeats_of(args, default=5, quick=3)

    pinned = pin_to_one_cpu()
    from wfm import erlang  # imported after pinning so any thread pool starts on one core

    print(f"bench_erlang: numpy {np.__version__}, python {sys.version.split()[0]}, {repeats} repeats, {pinned}")
    print("(noisy machine: quote the medians)")
    print(f"process max RSS before the cases: {max_rss_mib():.1f} MiB")
    run_case(erlang, "case 1: uniform traffic 0.1-2,000 Erlangs", 1_000_000, 0.0, repeats, GOAL_INTERVALS_PER_S)
    run_case(erlang, "case 2: 1 % of intervals at 10,000-50,000 Erlangs", 100_000, 0.01, repeats, None)


if __name__ == "__main__":
    main()
