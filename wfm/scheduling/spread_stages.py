"""The stages of the staged solver (:mod:`wfm.scheduling.stages`) for a spread LP optimum
(:func:`is_spread`): systematic roundings of the LP optimum, then tour dives
(:func:`spread_stages`), in place of RENS, the tour stage and the neighbourhood. Pure library code:
no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from wfm.errors import SolverError
from wfm.scheduling.highs import dive as highs_dive
from wfm.scheduling.model import Model
from wfm.scheduling.stage_run import Clock, price_plan
from wfm.scheduling.tour_stage import tour_model, tour_target

__all__ = ["is_spread", "spread_stages", "systematic_roundings"]


# A spread LP optimum (is_spread): at least this many plan columns fractional, and more of them
# than the agents it staffs. RENS's box then holds most of the model, so rounding and tour dives
# (spread_stages) take the place of RENS, the tour stage and the neighbourhood. A requirement that
# is flat (or nearly) over a 24/7 week of 15-minute intervals (1,008 tours) leaves the LP
# indifferent between start times and day-off patterns: it shares 12.6 to 113 agents out over
# 233-255 tours, and each of those MIPs spent 8-15 s at its root alone (HiGHS's dual simplex solves
# the degenerate LP from scratch in 15,000-30,000 iterations where its interior point method needs
# 16, then its sub-MIP heuristics solve it again) and 0.3-2 s per node, so the stages ran into the
# time limit. The samples' LPs have 8-149 fractional tours, at most 0.75 per agent staffed.
_SPREAD_MIN_FRACTIONAL = 100
# Systematic roundings of a spread LP optimum tried (offsets (k + 0.5) / n, k < n), then, while the
# gap is open, at most this many tour dives in each of two chains (spread_stages).
_ROUNDINGS = 8
_TOUR_DIVES = 4
# Simplex iterations one tour dive may take in all (deterministic); a 24/7 week needs 3,000-10,000.
_DIVE_ITERATIONS = 100_000


def is_spread(z_lp: NDArray[np.float64]) -> bool:
    """Whether the LP optimum's plan columns are spread out: at least ``_SPREAD_MIN_FRACTIONAL`` of
    them fractional and more of them than the agents the LP staffs. A requirement that is flat (or
    nearly) over a 24/7 week leaves the LP indifferent between many start times and day-off
    patterns, and its optimum shares each agent out over several tours."""
    fractional = int(np.count_nonzero(np.abs(z_lp - np.rint(z_lp)) > 1e-6))
    return fractional >= _SPREAD_MIN_FRACTIONAL and fractional > float(z_lp.sum())


def spread_stages(model: Model, clock: Clock, x_lp: NDArray[np.float64],
                  open_gap: Callable[[float], bool], stages: list[str]) -> tuple[NDArray[np.float64], float]:
    """A plan near a spread LP optimum (:func:`is_spread`) without a branch-and-bound search:

    1. Rounding: ``_ROUNDINGS`` systematic roundings of the LP's plan columns, each with its breaks
       placed by an LP (:func:`price_plan`); the best is kept. Column k gets as many agents as the
       running sum of the LP's values crosses whole numbers (plus an offset) at k. The plan
       columns are ordered by shift type, days-off pattern and start, so the agents the LP shares
       out over neighbouring start times land evenly over the day and the week, and every run of
       columns gets the LP's total to within one agent. On a flat 24/7 week of 27 agents on
       shift: 0.6 % from the LP bound in 0.4 s.
    2. Only while the gap is open, tour dives: the plan columns alone
       (:func:`~wfm.scheduling.tour_stage.tour_model`) covering the requirement plus the break
       load of a plan, made whole by LP diving
       (:func:`wfm.scheduling.highs.dive`) and priced as in 1. With few agents the breaks need
       whole relief agents where the LP shares out fractions, so each dive covers the break load
       of the plan before it: two chains of up to ``_TOUR_DIVES`` dives, one from the LP
       optimum's break load (best where closed hours shape the week), one from the best
       rounding's (best on a flat 24/7 week), each ending early once a dive returns the plan it
       started from. On a flat 24/7 week of 3 agents on shift: 16 % from the LP bound in 4 s,
       where 90 s of RENS left 22 %.

    Every step is an LP or a choice made from LP values, so the plan is the same on every
    machine. Returns the best plan (plan columns whole, break totals as its LP placed them) and
    its objective; SolverError if there is none.
    """
    plan = model.plan_cols
    z_lp = x_lp[plan]
    best_x, value = systematic_roundings(model, clock, z_lp)
    stages.append("rounding")
    if best_x is None:  # every rounding broke the part-time share: round up
        priced = price_plan(model, clock, np.ceil(z_lp - 1e-7), needed=True)
        if priced is None or priced.x is None:
            raise SolverError(f"no plan found within the time limit of {clock.limit_s:g} s; "
                              "raise --time-limit (time_limit_s)")
        best_x, value = priced.x, priced.objective
    n_plan = plan.stop - plan.start
    for start in (x_lp, best_x):  # two chains of dives: from the LP's break load, and from the rounding's
        last = start
        for _ in range(_TOUR_DIVES):
            if not open_gap(value):
                break
            left = clock.left()
            if left <= 0 or clock.fired:
                clock.left_out.append("tour dives")
                break
            c, a, row_lb, row_ub, lb, ub, _ = tour_model(model, tour_target(model, last))
            dived = highs_dive(c, a, row_lb, row_ub, lb, ub, np.arange(n_plan), time_limit_s=left,
                               iteration_limit=_DIVE_ITERATIONS)
            if dived.time_limit_hit:
                clock.stopped.append("tour dives")
            if dived.z is None or np.array_equal(dived.z, last[plan]):
                break  # no plan, or the plan it started from: this chain has settled
            priced = price_plan(model, clock, dived.z, needed=False)
            if priced is None or priced.x is None:
                break
            if "tour dives" not in stages:
                stages.append("tour dives")
            last = priced.x
            if priced.objective < value - 1e-9:
                best_x, value = priced.x, priced.objective
    return best_x, value


def systematic_roundings(model: Model, clock: Clock,
                         z_lp: NDArray[np.float64]) -> tuple[NDArray[np.float64] | None, float]:
    """The best of ``_ROUNDINGS`` systematic roundings of the LP's plan columns, each priced by
    :func:`price_plan` (None, inf if none could be priced). Column k gets as many agents as the running
    sum of the LP's values crosses whole numbers (plus an offset) at k: the columns are ordered by
    shift type, days-off pattern and start, so agents the LP shares out over neighbouring starts
    land evenly over the day and the week, and every run of columns gets the LP's total to within
    one agent."""
    best_x: NDArray[np.float64] | None = None
    value = math.inf
    running = np.cumsum(z_lp)
    for k in range(_ROUNDINGS):
        offset = (k + 0.5) / _ROUNDINGS
        z = np.diff(np.floor(running + offset + 1e-9), prepend=np.floor(offset))
        priced = price_plan(model, clock, z, needed=best_x is None)
        if priced is not None and priced.x is not None and priced.objective < value - 1e-9:
            best_x, value = priced.x, priced.objective
    return best_x, value
