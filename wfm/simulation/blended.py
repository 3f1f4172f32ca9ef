"""Simulating a blended team (``wfm plan --simulate``, ``wfm simulate --plan``): the team's agents answer its
real-time queue first and work its deferred queues (email, social, back office) first in, first out when no
real-time contact waits (:class:`wfm.simulation.engine.DeferredWorkload`), and the result is set beside the
plan's own evaluation: for the real-time queue the formula with the agents the plan leaves it, for each
deferred queue the backlog model with the capacity the plan gives it (:mod:`wfm.deferred`).

As in the plan (:mod:`wfm.blending`: ``DeferredLoad.workable``), a deferred queue's items are started only in
the intervals the team works it: its open rows (``open_hours``, default every listed row) that are intervals of
the team (its real-time queue's rows, or the open rows of a deferred lead). An item arriving outside them waits
for the queue's next such interval, and one in hand when it ends is finished.

Per deferred queue and day (counted by the day an item arrives): the share answered within the response time
(``service_level``), the mean response (``mean_response_s``) and the items waiting at the day's last row
(``backlog``), each with a 95 % interval over the replications: the share and the mean response pooled over
them (items in time over items judged, responses over items finished; the ratio estimator's delta-method
interval, :func:`wfm.simulation.compare.band`), the backlog their mean (Student's t); the share's never narrower
than Wilson's score interval on the day's items at the dispersion the days show, as for the real-time service
level in :mod:`wfm.simulation.compare`, so a day every replication answers in full is not the point [1, 1]).
The team is simulated as one run over the week (its deferred backlog carries over the nights); a real-time
caller still waiting at the queue's closing time is not answered in the morning, as for a queue simulated on its
own (:mod:`wfm.simulation.engine`: the queue closes at the end of each run of consecutive intervals).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from wfm.reprs import compact_repr
from wfm.simulation.compare import Band, band, dispersion

if TYPE_CHECKING:
    from wfm.plan import DeferredOutcome
    from wfm.staffing import Requirement

__all__ = ["DeferredCheck", "DEFERRED_MEASURES", "deferred_workload", "deferred_check", "plan_formula"]

DEFERRED_MEASURES = ("service_level", "mean_response_s", "backlog")
"""The deferred measures compared per day, in output order (and the JSON keys)."""


@dataclass(frozen=True, repr=False)
class DeferredCheck:
    """One deferred queue of a blended team: simulated per day (mean, 95 % interval) beside the plan's model."""

    __repr__ = compact_repr  # fields, with arrays as their shapes

    queue: str
    team: str
    days: tuple[str, ...]
    by_day: dict[str, Band]
    formula_by_day: dict[str, NDArray[np.float64]]
    unfinished: float  # mean per replication: items no agent was left to start

    def flagged(self, measure: str) -> NDArray[np.bool_]:
        """Days where the plan's figure is outside the simulated 95 % interval."""
        b, value = self.by_day[measure], self.formula_by_day[measure]
        with np.errstate(invalid="ignore"):
            outside = (value < b.ci_low - 1e-9) | (value > b.ci_high + 1e-9)
        return outside & np.isfinite(b.ci_low) & np.isfinite(value)


def deferred_workload(requirement: Requirement, q: int, origin_s: int, workload_type: Any,
                      team: NDArray[np.int64]) -> Any:
    """The deferred queue ``q``'s rows as the engine's DeferredWorkload, on the roster's clock origin (UTC
    epoch seconds), worked only where the plan works it: its open rows that are intervals of the team, whose
    forecast rows are ``team`` (:func:`wfm.blending.team_rows`; the definition of :func:`wfm.blending.worked_rows`)."""
    from wfm.blending import worked_rows

    f = requirement.forecast
    t = requirement.targets[q]
    rows = np.flatnonzero(f.queue == q)
    starts = (f.interval_start[rows].astype(np.int64) - origin_s).astype(np.float64)
    aht = np.where(f.aht_s[rows] > 0, f.aht_s[rows], 1.0)
    workable = worked_rows(requirement, q, f.interval_start[np.asarray(team, dtype=np.int64)])
    return workload_type(starts, float(f.interval_s[rows[0]]), f.volume[rows], aht, requirement.open_[rows].copy(),
                         t.answer_within_s, t.response_clock, workable)


def _days(requirement: Requirement, q: int) -> tuple[NDArray[np.int64], NDArray[np.datetime64], NDArray[np.int64],
                                                   NDArray[np.intp]]:
    """Queue ``q``'s rows, its local days, each row's day number and each day's last row."""
    f = requirement.forecast
    rows = np.flatnonzero(f.queue == q)
    days, day = np.unique(f.local_start[rows].astype("datetime64[D]"), return_inverse=True)
    return rows, days, day, np.flatnonzero(np.r_[day[1:] != day[:-1], True])


def plan_formula(requirement: Requirement, q: int, outcome: DeferredOutcome) -> dict[str, NDArray[np.float64]]:
    """The plan's own figures per day for deferred queue ``q``: share in time, mean response (volume-weighted),
    backlog at the day's last row."""
    rows, days, day, last_row = _days(requirement, q)
    volume = requirement.forecast.volume[rows]
    weight = np.bincount(day, weights=volume, minlength=days.size)
    mean = np.asarray(outcome.mean_response_s, dtype=np.float64)
    never = np.bincount(day, weights=(np.isnan(mean) & (volume > 0)).astype(np.float64), minlength=days.size) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        response = np.bincount(day, weights=np.nan_to_num(mean) * volume,
                               minlength=days.size) / np.where(weight > 0, weight, np.nan)
    response[never] = np.nan  # some of the day's items are never answered (capacity below the week's work): no mean
    return {"service_level": np.asarray(outcome.service_level_by_day, dtype=np.float64),
            "mean_response_s": response, "backlog": np.asarray(outcome.backlog, dtype=np.float64)[last_row]}


def deferred_check(requirement: Requirement, q: int, team: str, result: Any,
                   formula_by_day: dict[str, NDArray[np.float64]]) -> DeferredCheck:
    """Bands per day of the simulated deferred queue ``q`` (``result``: the engine's DeferredResult) beside the
    plan's figures per day (NaN where the plan does not say)."""
    _, days, day, last_row = _days(requirement, q)
    n_days = days.size

    def per_day(x: NDArray[Any]) -> NDArray[np.float64]:
        return np.stack([np.bincount(day, weights=np.asarray(r, dtype=np.float64), minlength=n_days) for r in x])

    with np.errstate(invalid="ignore", divide="ignore"):
        arrived, finished = per_day(result.arrived), per_day(result.finished)
        judged = arrived - per_day(result.censored)  # an item whose target is after the run's end is not judged
        share = np.where(judged > 0, per_day(result.answered_within) / np.where(judged > 0, judged, 1), np.nan)
        response = np.where(finished > 0, per_day(result.response_s) / np.where(finished > 0, finished, 1), np.nan)
    backlog = np.asarray(result.backlog, dtype=np.float64)[:, last_row]
    formula = {name: np.asarray(formula_by_day.get(name, np.full(n_days, np.nan)), dtype=np.float64)
               for name in DEFERRED_MEASURES}
    phi = max(dispersion(share, judged, "binomial") or 1.0, 1.0)
    return DeferredCheck(
        queue=requirement.forecast.queue_names[q], team=team, days=tuple(str(d) for d in days),
        by_day={"service_level": band(share, 0.0, 1.0, weights=judged, variance="binomial", dispersion=phi),
                "mean_response_s": band(response, 0.0, weights=finished),
                "backlog": band(backlog, 0.0)},
        formula_by_day=formula, unfinished=float(np.mean(result.unfinished)),
    )
