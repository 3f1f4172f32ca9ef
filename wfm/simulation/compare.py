"""The simulation beside the formulas: per interval and per day, each simulated measure's mean over the
replications with a 95 % confidence interval, next to what the queueing formula predicts for the same agents.

Simulated, per replication r (counted by the interval a contact arrives in; a day pools its intervals):

    service_level  = answered within the answer time / offered        (out of all offered, as Erlang A's)
    asa_s          = total wait of the answered / answered
    abandon_rate   = abandoned / offered
    occupancy      = agent-seconds handling contacts while on duty / agent-seconds on duty (present agents)

The estimate is the pooled ratio over the R independent replications, m = sum_r x_r / sum_r n_r (x_r the
numerator, n_r the contacts offered or answered, or the seconds on duty, of replication r): the share of all
simulated contacts answered in time, as Erlang's service level is a long-run share of contacts. The mean of the
replications' own ratios is not: a replication with fewer contacts is a lighter one, so it weighed light
intervals as much as busy ones and ran above Erlang (0.786 against 0.772 exact, 24 agents on 20 Erlangs) by more
than its interval as R grew. Its 95 % confidence interval is the ratio estimator's (delta method; W. G.
Cochran, *Sampling Techniques*, 3rd ed., 1977, sec. 6.3-6.4): m +- t(0.975, R - 1) x se,
se^2 = sum_r (x_r - m n_r)^2 / (R - 1) / (R nbar^2), nbar = sum_r n_r / R (a replication without contacts is a
draw with x = n = 0), widened where it is narrower than the sampling uncertainty of the contacts behind it (a
floor; below). On a constant Erlang C day (24 or 27 agents on 20 Erlangs, 20 replications, 1,000 seeds) the day
bands covered the simulation's own expectation in 93.6-94.7 % (service level) and 91.6-91.8 % (ASA) of the
seeds: a day's ASA over 20 replications is right-skewed (one replication's burst of waiting), and a symmetric
interval misses high a little more often than 2.5 %. (On the log and logit scales the day bands covered
92.3-94.7 %, but near 100 % the logit interval excluded a formula's 100.0 % that the simulation's 99.99 %
meets.) Fewer than two replications with contacts (answered contacts, for the ASA) in an interval give no
interval.

**The floor.** Student's t alone collapses to a point wherever every replication gives the same value (a light
interval where all 20 answered every contact in time: [100 %, 100 %], ASA [0, 0]), and it is too narrow where
the values are rare events, mostly 100 % or 0 s with one replication's burst of waiting: then the mean and s are
low together. On a constant Erlang C load (where the formula is exact) the t interval missed the formula in
15-65 % of the intervals at the 95 % level. So each flagged measure's interval is at least the score interval of
its contacts, with the extra-binomial (extra-Poisson) variation the replications show across the queue's
intervals:

    service level, abandonment (shares p of n offered)   Var(m) = phi p (1 - p) / n_h      quasi-binomial
    ASA (seconds of wait per answered contact)           Var(m) = phi_w a / n_h             quasi-Poisson

where n_h = sum_r n_r (the contacts behind the pooled ratio), and the dispersion phi (phi_w, in seconds) is
Pearson's X^2 over its degrees of freedom, pooled over the queue's intervals (days, for the day bands) where the
replications differ:
phi = sum_i sum_r n_ir (v_ir - m_i)^2 / V(m_i) / sum_i (R_i - 1), V(p) = p (1 - p) or V(a) = a. Contacts in a
queue share its congestion, so their outcomes are positively correlated and phi exceeds 1 (phi_w exceeds
E[W^2] / E[W] of one wait): on the constant loads below phi was 4-85 and phi_w 200-31,000 s. The floor interval is
the set of values the mean is within 1.96 standard errors of, each standard error taken at the value itself
(the score interval), so it never collapses at 0 or 1:

    shares   Wilson's interval with n = n_h / phi: (m + z^2/2n +- z sqrt(m (1 - m) / n + z^2/4n^2)) / (1 + z^2/n)
    ASA      a + c +- sqrt(2 a c + c^2), c = z^2 phi_w / (2 n_h)  (the Poisson score interval; [0, z^2 phi_w / n_h]
             when no one waited)

with z = 1.96; the interval shown is the union of the delta-method (Student) and the score interval. Where the
replications vary as much as the queue's contacts do, the delta-method interval is the wider one and is
unchanged (every heavy interval of a busy queue); where they agree, the score interval shows what 20 x n contacts can and cannot rule
out. phi is at least 1 (binomial: contacts independent) and is 1 when no interval's replications differ;
phi_w, when no contact of the queue waited in any replication, is 2 x the queue's mean handle time (an M/M/N
wait is 0 or exponential with mean AHT / (N - A), so E[W^2] / E[W] = 2 AHT / (N - A), at most 2 AHT once
N - A >= 1). Occupancy (not flagged) keeps Student's interval. By construction the band is at least as wide
as Student's, so it misses the truth at most as often; on constant Erlang C loads in 15-minute and hourly
intervals (20 replications; 22-34 agents on 20 Erlangs, 8-29 agents on 5-20 Erlangs) it missed the formula in
0-5 % of the intervals (each measure), the t interval in 6-65 %; with Erlang A (patience 120 s) in 1-5 %
against 4-12 %. It is conservative (about 1 % on most of those loads): the union of two 95 % intervals.

Sources: E. B. Wilson, "Probable inference, the law of succession, and statistical inference", JASA 22 (1927),
209-212 (the score interval for a proportion); P. McCullagh and J. A. Nelder, *Generalized Linear Models*
(2nd ed., 1989), sec. 4.5 and ch. 9 (over-dispersed binomial and Poisson data, quasi-likelihood, the dispersion
estimated by Pearson's X^2 / df); E. L. Korn and B. I. Graubard, "Confidence intervals for proportions with small
expected number of positive counts estimated from survey data", Survey Methodology 24 (1998), 193-201 (an
interval for a proportion on the effective sample size n / design effect, for rare events).

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

from wfm.reprs import compact_repr

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


@dataclass(frozen=True, repr=False)
class Check:
    """One queue: the simulated measures and the formula's, per interval and per day."""

    __repr__ = compact_repr  # fields, with arrays as their shapes

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


def band(values: NDArray[np.float64], low: float = -np.inf, high: float = np.inf, *,
         weights: NDArray[np.float64] | None = None, variance: str = "", dispersion: float = 1.0) -> Band:
    """Estimate and 95 % interval over axis 0 (replications), ignoring NaN, clipped to the measure's range
    [``low``, ``high``] (a share cannot pass 1). Without ``weights``: the mean and Student's t interval. With
    ``weights`` (what each value is a ratio over: contacts offered or answered, seconds on duty; same shape): the
    pooled ratio sum(v w) / sum(w) and its delta-method interval (module docstring); with ``variance``
    ``"binomial"`` or ``"poisson"`` too, at least the score interval of the pooled contacts with that variance
    times ``dispersion`` (the floor of the module docstring)."""
    from scipy.special import stdtrit  # Student's t quantile (scipy.stats.t.ppf is this function)

    ok = np.isfinite(values) if weights is None else np.isfinite(values) & (weights > 0)
    count = np.sum(ok, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if weights is None:
            mean = np.where(count > 0, np.nansum(values, axis=0) / np.maximum(count, 1), np.nan)
            centred = np.where(ok, values - mean, 0.0)
            se = np.sqrt(np.sum(centred**2, axis=0) / np.maximum(count - 1, 1) / np.maximum(count, 1))
            df = count - 1
        else:
            w = np.where(ok, weights, 0.0)
            x = np.where(ok, values, 0.0) * w
            replications = values.shape[0]  # every replication is a draw of (x, w), one without contacts too
            total = w.sum(axis=0)
            mean = np.where(count > 0, x.sum(axis=0) / np.where(total > 0, total, 1.0), np.nan)
            residual = x - np.nan_to_num(mean) * w
            se = np.sqrt(np.sum(residual**2, axis=0) / max(replications - 1, 1) * replications) / total
            df = np.full(count.shape, replications - 1)
        half = stdtrit(np.maximum(df, 1), 0.975) * se
    half = np.where(count > 1, half, np.nan)
    ci_low, ci_high = mean - half, mean + half
    if weights is not None and variance and dispersion > 0:
        floor_low, floor_high = score_interval(mean, total / dispersion, variance)  # the pooled contacts
        ci_low, ci_high = np.fmin(ci_low, floor_low), np.fmax(ci_high, floor_high)
        ci_low, ci_high = np.where(count > 1, ci_low, np.nan), np.where(count > 1, ci_high, np.nan)
    return Band(mean, np.clip(ci_low, low, high), np.clip(ci_high, low, high))


Z = 1.959963984540054
"""The normal quantile of the score intervals: z(0.975)."""


def score_interval(mean: NDArray[np.float64], n: NDArray[np.float64],
                   variance: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The values mu with |mean - mu| <= Z sqrt(V(mu) / n): Wilson's interval (``"binomial"``, V = mu (1 - mu),
    ``mean`` in [0, 1]) or the Poisson score interval (``"poisson"``, V = mu, ``mean`` >= 0)."""
    m = np.asarray(mean, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        if variance == "binomial":
            p = np.clip(m, 0.0, 1.0)
            c = Z**2 / n
            centre = (p + c / 2.0) / (1.0 + c)
            half = Z * np.sqrt(p * (1.0 - p) / n + c / (4.0 * n)) / (1.0 + c)
            return centre - half, centre + half
        if variance == "poisson":
            a = np.maximum(m, 0.0)
            c = Z**2 / (2.0 * n)
            root = np.sqrt(2.0 * a * c + c * c)
            return np.maximum(a + c - root, 0.0), a + c + root
    raise ValueError(f"variance must be 'binomial' or 'poisson', got {variance!r}")


def dispersion(values: NDArray[np.float64], contacts: NDArray[np.float64], variance: str) -> float | None:
    """Pearson's X^2 / df pooled over the columns (intervals or days) whose replications differ:
    sum_i sum_r n_ir (v_ir - m_i)^2 / V(m_i) / sum_i (R_i - 1), m_i the pooled ratio sum_r n_ir v_ir / sum_r n_ir,
    V(m) = m (1 - m) (``"binomial"``) or m
    (``"poisson"``); None when no column has two values and V(m_i) > 0."""
    ok = np.isfinite(values) & (contacts > 0)
    r = np.sum(ok, axis=0)
    n = np.where(ok, contacts, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.sum(np.where(ok, values, 0.0) * n, axis=0) / np.sum(n, axis=0)  # the pooled share or mean
        v = m * (1.0 - m) if variance == "binomial" else m
        use = (r > 1) & (v > 0)
        if not use.any():
            return None
        terms = np.where(ok, contacts * (np.where(ok, values, 0.0) - m) ** 2, 0.0)[:, use].sum(axis=0) / v[use]
    return float(terms.sum() / (r[use] - 1).sum())


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


_VARIANCE = {"service_level": "binomial", "abandon_rate": "binomial", "asa_s": "poisson"}
"""The flagged measures' variance functions (the floor of the module docstring); occupancy has none."""


def _bands(values: dict[str, NDArray[np.float64]], weights: dict[str, NDArray[np.float64]],
           mean_aht_s: float) -> dict[str, Band]:
    """Each measure's band (the pooled ratio over its ``weights``), the flagged ones with the floor at the
    dispersion their replications show."""
    out = {}
    for name in MEASURES:
        variance = _VARIANCE.get(name, "")
        if not variance:
            out[name] = band(values[name], *_RANGE[name], weights=weights[name])
            continue
        phi = dispersion(values[name], weights[name], variance)
        if variance == "binomial":
            phi = max(phi if phi is not None else 1.0, 1.0)
        elif not phi:  # no contact waited in any replication: at most 2 x AHT (module docstring)
            phi = 2.0 * mean_aht_s
        out[name] = band(values[name], *_RANGE[name], weights=weights[name], variance=variance, dispersion=phi)
    return out


def summarise(queue: str, rows: NDArray[np.int64], day: NDArray[np.int64], days: tuple[str, ...], counts: dict,
              available: NDArray[np.float64], formula: dict[str, NDArray[np.float64]], volume: NDArray[np.float64],
              replications: int, aht_s: NDArray[np.float64] | None = None) -> Check:
    """Bands per interval and per day from the replications' counts (``counts``: offered, answered,
    answered_within, abandoned, wait_answered_s, busy_s, overrun_by_interval_s, on_duty_s as (R, n) arrays;
    overrun_s and unfinished per replication). Occupancy is of the time on duty: work past a shift's or
    break's end is left out of it (and reported as overrun), beside the formula's measures per interval, pooled per day by volume.
    ``aht_s`` (per interval) scales the ASA's floor when no contact waited (default: busy time per answered)."""
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
        num = np.bincount(day[ok], weights=value[ok] * weight[ok], minlength=n_days)  # no inf x 0 outside ok
        den = np.bincount(day[ok], weights=weight[ok], minlength=n_days)
        formula_by_day[name] = _ratio(num, den)
        overloaded = np.isinf(value) & (weight > 0)  # an interval whose queue grows without bound: an infinite ASA
        if overloaded.any():  # is the day's too, not left out of its mean (a day at 1.6 s simulated at 1,423 s)
            formula_by_day[name][np.bincount(day[overloaded], minlength=n_days) > 0] = np.inf
    if np.all(np.isnan(formula["abandon_rate"])):  # Erlang C: nobody abandons in the formula
        formula_by_day["abandon_rate"] = np.full(n_days, np.nan)
    if aht_s is not None and np.sum(volume) > 0:
        mean_aht = float(np.sum(volume * aht_s) / np.sum(volume))
    else:
        mean_aht = float(np.sum(counts["busy_s"]) / max(float(np.sum(answered)), 1.0))
    contacts = {"service_level": offered, "abandon_rate": offered, "asa_s": answered,
                "occupancy": counts["on_duty_s"]}
    day_contacts = {"service_level": day_offered, "abandon_rate": day_offered, "asa_s": day_answered,
                    "occupancy": per_day(counts["on_duty_s"])}
    return Check(
        queue=queue, rows=rows, day=day, days=days, available=available,
        intervals=_bands(per_interval, contacts, mean_aht), formula=formula,
        by_day=_bands(daily, day_contacts, mean_aht), formula_by_day=formula_by_day,
        overrun_s=float(np.mean(counts["overrun_s"])), unfinished=float(np.mean(counts["unfinished"])),
        replications=replications,
    )
