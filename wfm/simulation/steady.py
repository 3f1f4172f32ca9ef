"""The simulation in steady state beside the formula: a constant staff working one long stretch of constant
traffic, where Erlang C (or Erlang A) is exact for exponential handle times. What the engine's tests check,
and the figures the README quotes (``python -m wfm.simulation.steady`` prints them).

The stretch is ``hours`` one-hour intervals at a constant rate; the agents stay on duty for ``tail_hours``
more, so every contact is answered or abandons (no end effect). The first ``warmup_hours`` are left out (the
run starts empty; the relaxation time of an M/M/N queue is a few handle times away from critical load).
Each replication gives one value of each measure over the remaining intervals, pooled:

    service_level  answered within the answer time / offered       asa_s         wait of the answered / answered
    abandon_rate   abandoned / offered                              occupancy     busy / on duty (agent-seconds)

(with ``answer_within_s = 0`` the service level is the share answered without waiting, 1 - P(wait))

and the interval is Student's t over the replications (independent): mean +- t(1 - (1 - level) / 2, R - 1) s /
sqrt(R). The formula is wfm.erlang.measures (patience inf) or wfm.erlang_a.measures with ``agents x
concurrency`` servers (a chat agent is ``concurrency`` servers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MEASURES = ("service_level", "asa_s", "abandon_rate", "occupancy")


@dataclass(frozen=True)
class Estimate:
    """A measure's mean over the replications and its confidence interval."""

    mean: float
    ci_low: float
    ci_high: float

    def contains(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high

    @property
    def half_width(self) -> float:
        return (self.ci_high - self.ci_low) / 2.0


def estimate(values: NDArray[np.float64], level: float = 0.95) -> Estimate:
    """Mean and Student-t confidence interval at ``level`` of independent replications' values."""
    from scipy.special import stdtrit  # Student's t quantile (scipy.stats.t.ppf is this function)

    x = np.asarray(values, dtype=np.float64)
    mean = float(x.mean())
    if x.size < 2:
        return Estimate(mean, math.nan, math.nan)
    half = float(stdtrit(x.size - 1, 0.5 + level / 2.0) * x.std(ddof=1) / math.sqrt(x.size))
    return Estimate(mean, mean - half, mean + half)


@dataclass(frozen=True)
class SteadyState:
    """Simulated measures (with their intervals) and the formula's, for one staffing."""

    simulated: dict[str, Estimate]
    formula: dict[str, float]
    contacts: int  # contacts simulated, all replications


def steady_state(agents: int, traffic_erlangs: float, aht_s: float, *, answer_within_s: float,
                 patience_s: float = math.inf, concurrency: int = 1, aht_cv: float | None = None,
                 hours: int = 100, warmup_hours: int = 5, tail_hours: int = 10, replications: int = 20,
                 seed: int = 0, level: float = 0.95) -> SteadyState:
    """Simulate ``agents`` agents answering ``traffic_erlangs`` (arrival rate x AHT) for ``hours`` and set the
    result beside the formula (see the module docstring). Times in seconds; ``level`` of the intervals."""
    from wfm import erlang, erlang_a
    from wfm.simulation.engine import Workload, constant_agents, simulate

    rate_per_hour = traffic_erlangs / aht_s * 3600.0
    workload = Workload(
        interval_start_s=np.arange(hours, dtype=np.float64) * 3600.0, interval_s=3600.0, volume=np.full(hours, rate_per_hour),
        aht_s=np.full(hours, float(aht_s)), day=np.zeros(hours, dtype=np.int64), patience_s=patience_s,
        concurrency=concurrency,
    )
    staff = constant_agents(agents, 0.0, (hours + tail_hours) * 3600.0)
    result = simulate(workload, staff, answer_within_s=answer_within_s, replications=replications, seed=seed,
                      aht_cv=aht_cv)
    kept = slice(warmup_hours, None)

    def pooled(x: NDArray[np.generic]) -> NDArray[np.float64]:
        return x[:, kept].sum(axis=1).astype(np.float64)

    offered, answered = pooled(result.offered), pooled(result.answered)
    simulated = {
        "service_level": estimate(pooled(result.answered_within) / offered, level),
        "asa_s": estimate(pooled(result.wait_answered_s) / answered, level),
        "abandon_rate": estimate(pooled(result.abandoned) / offered, level),
        "occupancy": estimate(pooled(result.busy_s) / pooled(result.on_duty_s), level),
    }
    servers = agents * concurrency
    if math.isinf(patience_s):
        c = erlang.measures(servers, traffic_erlangs, aht_s, answer_within_s)
        formula = {"service_level": float(c.service_level), "asa_s": float(c.asa_s), "abandon_rate": 0.0,
                   "occupancy": float(c.occupancy)}
    else:
        a = erlang_a.measures(servers, traffic_erlangs, aht_s, patience_s, answer_within_s)
        formula = {"service_level": float(a.service_level), "asa_s": float(a.asa_s),
                   "abandon_rate": float(a.abandon_probability), "occupancy": float(a.occupancy)}
    return SteadyState(simulated, formula, int(result.offered.sum()))


def handle_time_variability(agents: int = 24, traffic_erlangs: float = 20.0, aht_s: float = 300.0,
                            answer_within_s: float = 20.0, *, hours: int = 200, replications: int = 20,
                            seed: int = 9) -> dict[str, SteadyState]:
    """The same staffing with exponential handle times and lognormal ones of coefficient of variation 1 and
    0.5: ``{"exponential": ..., "lognormal cv 1": ..., "lognormal cv 0.5": ...}`` (same arrivals in each)."""
    cases = {"exponential": None, "lognormal cv 1": 1.0, "lognormal cv 0.5": 0.5}
    return {name: steady_state(agents, traffic_erlangs, aht_s, answer_within_s=answer_within_s, aht_cv=cv,
                               hours=hours, replications=replications, seed=seed)
            for name, cv in cases.items()}


def main() -> None:
    """Print the handle-time variability figures (service level and ASA, simulated and Erlang C)."""
    agents, traffic, aht, within = 24, 20.0, 300.0, 20.0
    results = handle_time_variability(agents, traffic, aht, within)
    print(f"{agents} agents, {traffic:g} Erlangs, AHT {aht:g} s, answered within {within:g} s "
          f"(200 h x 20 replications each, 95 % intervals):")
    first = next(iter(results.values()))
    print(f"  Erlang C                service level {first.formula['service_level']:.1%}   "
          f"ASA {first.formula['asa_s']:.1f} s")
    for name, r in results.items():
        sl, asa = r.simulated["service_level"], r.simulated["asa_s"]
        print(f"  simulated, {name:<17} service level {sl.mean:.1%} ({sl.ci_low:.1%}-{sl.ci_high:.1%})   "
              f"ASA {asa.mean:.1f} s ({asa.ci_low:.1f}-{asa.ci_high:.1f})")


if __name__ == "__main__":
    main()
