"""The simulation beside the formulas: per interval and per day, each simulated measure's mean over the
replications with a 95 % confidence interval, next to what the queueing formula predicts for the same agents.

Simulated, per replication r (counted by the interval a contact arrives in; a day pools its intervals):

    service_level  = answered within the answer time / offered        (out of all offered, as Erlang A's)
    asa_s          = total wait of the answered / answered
    abandon_rate   = abandoned / offered
    occupancy      = agent-seconds handling contacts while on duty / agent-seconds on duty (present agents)

The interval estimate is the mean of the replications' values and its 95 % confidence interval
mean +- t(0.975, R - 1) x s / sqrt(R) (Student's t; replications are independent). A replication without
contacts (or answered contacts, for the ASA) in an interval gives no value there; fewer than two values
give no interval.

The formula (wfm.queueing: Erlang C, or Erlang A for a queue with patience; chat as concurrency servers per
agent) is evaluated with the *expected* agents available in each interval: the on-duty agent-seconds of the
roster in the interval / interval length x (1 - the probability that an agent is absent). A measure is
*flagged* where the formula falls outside the simulation's confidence interval: there, the steady-state
assumptions (staff appearing and vanishing on interval boundaries, no breaks or shift ends inside an
interval, exponential handle times, the forecast exactly right) do not hold for this plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

MEASURES = ("service_level", "asa_s", "abandon_rate", "occupancy")
"""The measures compared, in output order (and the JSON keys)."""
FLAGGED_MEASURES = ("service_level", "asa_s", "abandon_rate")
"""The measures whose disagreement flags an interval. Occupancy is compared but does not flag: the simulated
one leaves out the work done past a shift's or break's end (the overrun), which the formula cannot see."""


_RANGE = {"service_level": (0.0, 1.0), "asa_s": (0.0, np.inf), "abandon_rate": (0.0, 1.0), "occupancy": (0.0, 1.0)}


@dataclass(frozen=True)
class Band:
    """Mean and 95 % confidence interval across replications, one value per interval or day (NaN: none)."""

    mean: NDArray[np.float64]
    ci_low: NDArray[np.float64]
    ci_high: NDArray[np.float64]


@dataclass(frozen=True)
class Check:
    """One queue: the simulated measures and the formula's, per interval and per day."""

    queue: str
    rows: NDArray[np.int64]  # the forecast rows (intervals), in time order
    day: NDArray[np.int64]  # day number of each interval (into ``days``)
    days: tuple[str, ...]  # local dates
    available: NDArray[np.float64]  # expected agents available per interval (the formula's input)
    intervals: dict[str, Band]
    formula: dict[str, NDArray[np.float64]]
    by_day: dict[str, Band]
    formula_by_day: dict[str, NDArray[np.float64]]
    overrun_s: float  # mean per replication: seconds worked past the end of on-duty windows
    unfinished: float  # mean per replication: contacts still waiting when the last agent left
    replications: int
    notes: tuple[str, ...] = field(default=())

    def flagged_intervals(self, per_day: bool = False) -> NDArray[np.bool_]:
        """Intervals (or days) where any of FLAGGED_MEASURES disagrees."""
        return np.any([self.flagged(m, per_day) for m in FLAGGED_MEASURES], axis=0)

    def flagged(self, measure: str, per_day: bool = False) -> NDArray[np.bool_]:
        """Where the formula is outside the simulation's confidence interval (never where either is NaN)."""
        band = self.by_day[measure] if per_day else self.intervals[measure]
        value = self.formula_by_day[measure] if per_day else self.formula[measure]
        with np.errstate(invalid="ignore"):
            outside = (value < band.ci_low - 1e-12) | (value > band.ci_high + 1e-12)
        return outside & np.isfinite(band.ci_low) & np.isfinite(value)


def band(values: NDArray[np.float64], low: float = -np.inf, high: float = np.inf) -> Band:
    """Mean and Student-t 95 % interval over axis 0 (replications), ignoring NaN, clipped to the measure's
    range [``low``, ``high``] (a share cannot pass 1)."""
    from scipy.stats import t as student_t

    count = np.sum(np.isfinite(values), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(values, axis=0)
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        centred = np.where(np.isfinite(values), values - mean, 0.0)
        sd = np.sqrt(np.sum(centred**2, axis=0) / np.maximum(count - 1, 1))
        half = student_t.ppf(0.975, np.maximum(count - 1, 1)) * sd / np.sqrt(np.maximum(count, 1))
    half = np.where(count > 1, half, np.nan)
    return Band(mean, np.clip(mean - half, low, high), np.clip(mean + half, low, high))


def _ratio(num: NDArray[Any], den: NDArray[Any]) -> NDArray[np.float64]:
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def on_duty_per_interval(start_s: NDArray[np.float64], end_s: NDArray[np.float64],
                         interval_start_s: NDArray[np.float64], interval_s: float) -> NDArray[np.float64]:
    """Agent-seconds on duty inside each interval, from on-duty windows: the integral of the number of agents
    on duty (a step function) between each interval's start and end, exactly."""
    times = np.concatenate((start_s, end_s))
    steps = np.concatenate((np.ones(start_s.size), -np.ones(end_s.size)))
    order = np.argsort(times, kind="stable")
    times, level = times[order], np.cumsum(steps[order])
    integral = np.concatenate(([0.0], np.cumsum(level[:-1] * np.diff(times)))) if times.size else np.zeros(0)

    def at(t: NDArray[np.float64]) -> NDArray[np.float64]:
        if times.size == 0:
            return np.zeros(t.shape)
        k = np.clip(np.searchsorted(times, t, side="right") - 1, 0, times.size - 1)
        inside = t >= times[0]
        return np.where(inside, integral[k] + level[k] * (t - times[k]), 0.0)

    return at(interval_start_s + interval_s) - at(interval_start_s)


def summarise(queue: str, rows: NDArray[np.int64], day: NDArray[np.int64], days: tuple[str, ...], counts: dict,
              available: NDArray[np.float64], formula: dict[str, NDArray[np.float64]], volume: NDArray[np.float64],
              replications: int) -> Check:
    """Bands per interval and per day from the replications' counts (``counts``: offered, answered,
    answered_within, abandoned, wait_answered_s, busy_s, overrun_by_interval_s, on_duty_s as (R, n) arrays;
    overrun_s and unfinished per replication). Occupancy is of the time on duty: work past a shift's or
    break's end is left out of it (and reported as overrun), beside the formula's measures per interval, pooled per day by volume."""
    offered = counts["offered"].astype(np.float64)
    answered = counts["answered"].astype(np.float64)
    per_interval = {
        "service_level": _ratio(counts["answered_within"].astype(np.float64), offered),
        "asa_s": _ratio(counts["wait_answered_s"], answered),
        "abandon_rate": _ratio(counts["abandoned"].astype(np.float64), offered),
        "occupancy": _ratio(counts["busy_s"] - counts["overrun_by_interval_s"], counts["on_duty_s"]),
    }
    n_days = len(days)

    def per_day(x: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.zeros((x.shape[0], n_days))
        for r in range(x.shape[0]):
            out[r] = np.bincount(day, weights=x[r], minlength=n_days)
        return out

    day_offered, day_answered = per_day(offered), per_day(answered)
    daily = {
        "service_level": _ratio(per_day(counts["answered_within"].astype(np.float64)), day_offered),
        "asa_s": _ratio(per_day(counts["wait_answered_s"]), day_answered),
        "abandon_rate": _ratio(per_day(counts["abandoned"].astype(np.float64)), day_offered),
        "occupancy": _ratio(per_day(counts["busy_s"] - counts["overrun_by_interval_s"]), per_day(counts["on_duty_s"])),
    }
    abandon = np.nan_to_num(formula["abandon_rate"], nan=0.0)
    answered_f = volume * (1.0 - abandon)
    weights = {"service_level": volume, "abandon_rate": volume, "asa_s": answered_f, "occupancy": available}
    formula_by_day = {}
    for name in MEASURES:
        value, weight = formula[name], weights[name]
        ok = np.isfinite(value) & (weight > 0)
        num = np.bincount(day[ok], weights=(value * weight)[ok], minlength=n_days)
        den = np.bincount(day[ok], weights=weight[ok], minlength=n_days)
        formula_by_day[name] = _ratio(num, den)
    if np.all(np.isnan(formula["abandon_rate"])):  # Erlang C: nobody abandons in the formula
        formula_by_day["abandon_rate"] = np.full(n_days, np.nan)
    return Check(
        queue=queue, rows=rows, day=day, days=days, available=available,
        intervals={name: band(per_interval[name], *_RANGE[name]) for name in MEASURES}, formula=formula,
        by_day={name: band(daily[name], *_RANGE[name]) for name in MEASURES}, formula_by_day=formula_by_day,
        overrun_s=float(np.mean(counts["overrun_s"])), unfinished=float(np.mean(counts["unfinished"])),
        replications=replications,
    )
