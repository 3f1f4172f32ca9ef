"""The staged solver: the integer program of :mod:`wfm.scheduling.model` solved as a sequence of
HiGHS solves. Pure library code: no I/O.

Solving (:func:`solve_in_stages`): LP relaxation (the lower bound), RENS around the LP optimum with
break totals relaxed, a tour stage and a neighbourhood only if that leaves the gap open, exact
break placement for the chosen plan, then, on a small model (without deferred work) whose gap is
still open, the whole MIP started from that plan. Where the LP optimum is spread thin over many
tours (a flat or nearly flat 24/7 requirement) rounding and LP dives take the place of RENS, the
tour stage and the neighbourhood. Every stage is a HiGHS solve (``highspy``) or a fixed number of
them that ends on its gap, on a node limit or on a count of LP solves, never on the clock, so the
same input gives the same plan on a fast and a slow machine; the time limit is a safety net whose
firing ``Schedule.time_limit_hit`` reports.
``Schedule.lower_bound`` is the best proven bound (the LP relaxation, or HiGHS's dual bound if
the whole MIP ran) and ``Schedule.gap = (objective - lower_bound) / objective``.

This module holds the sequence and the break placement; one stage's HiGHS solve and the time limit
are in :mod:`wfm.scheduling.stage_run`, the tour stage in :mod:`wfm.scheduling.tour_stage`, the
stages for a spread LP optimum in :mod:`wfm.scheduling.spread_stages`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wfm.errors import SolverError
from wfm.exact import dot as exact_dot
from wfm.scheduling.highs import HighsResult
from wfm.scheduling.highs import solve as highs_solve
from wfm.scheduling.model import Model
from wfm.scheduling.spread_stages import is_spread, spread_stages, systematic_roundings
from wfm.scheduling.stage_run import Clock, price_plan, run_stage
from wfm.scheduling.tour_stage import tour_stage, tour_target

__all__ = ["Clock", "SolveResult", "solve_in_stages"]


# The whole MIP runs only on a model with at most this many non-zeros: its root node alone takes
# about 2 s at 8,500 (a 30-minute business-hours week), 15 s at 23,000 (a 15-minute one) and 20 s at
# 61,000 (a 24/7 week of 15-minute intervals), where a single node can take a minute. With deferred
# work it is left out: its running totals make the root far slower (12 s instead of 0.7 s on a
# 15-minute business-hours week, 2.4 s for 50 nodes of a single day) and on the weeks tried it never
# improved the plan: their LP bound is weak (deferred work fills the fractions of an agent the
# relaxation staffs), so no stage proves the gap anyway.
_WHOLE_MIP_MAX_NONZEROS = 20_000


@dataclass
class SolveResult:
    """What the stages found: ``x`` (whole plan columns and break totals), the best proven
    ``lower_bound``, the LP relaxation's value and the stages that ran (``status``)."""

    x: NDArray[np.float64]
    lower_bound: float
    lp_value: float
    status: str
    proven: bool  # the MIP stage proved its plan within the gap target of its own bound
    time_limit_hit: bool = False  # the safety net stopped a stage or left one out


def _lp_relaxation(model: Model, clock: Clock) -> HighsResult:
    """The LP relaxation by HiGHS's interior point method with crossover (a vertex, about three
    times faster than dual simplex on these models); dual simplex if that fails. Both end on
    their own convergence tests; only the time limit can stop them early (then SolverError)."""
    res = HighsResult(None, math.inf, -math.inf, "not run", 0)
    for method in ("ipm", "simplex"):
        res = highs_solve(model.c, model.a, model.row_lb, model.row_ub, model.lb, model.ub,
                          time_limit_s=clock.left(), lp_method=method)
        if res.x is not None or res.time_limit_hit:
            break
    if res.x is None:
        raise SolverError(
            f"the LP relaxation did not solve within the time limit of {clock.limit_s:g} s "
            f"(HiGHS: {res.stop}); raise --time-limit (time_limit_s) or use a coarser start_step_minutes"
        )
    return res


def _plan_objective(model: Model, x: NDArray[np.float64]) -> float:
    """Objective of the plan and whole break totals in ``x``: cost + weight x agent-intervals short
    of the real-time requirement (deferred work left out: see :func:`_priced`)."""
    z = np.rint(x[model.plan_cols])
    covered = model.on_shift(x) - model.break_cover @ np.rint(x[model.break_cols])
    short = np.maximum(model.r_open - covered, 0.0)
    value = exact_dot(model.c[model.plan_cols], z) + exact_dot(model.weight, short)
    if model.plan_cols.start != model.y_col and model.shift_cover is not None:
        # tours: the daily shifts' own cost (premiums), if any
        ys = slice(model.y_col, model.y_col + model.shift_cover.shape[1])
        value += exact_dot(model.c[ys], np.rint(x[ys]))
    return value


def _priced(model: Model, clock: Clock, x: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """The plan and whole break totals in ``x`` and their objective. Without deferred work that is
    :func:`_plan_objective` and ``x`` as it is. With it, the deferred work is placed afresh for
    that coverage by an LP (plan columns and break totals fixed: HiGHS's presolve leaves little
    else), since ``x``'s own may have been placed for other breaks (:func:`_round_breaks`); the
    objective then includes the real-time agents the work takes and the work late. Should that LP
    fail (only if the time limit cut it short) the plan is priced with no deferred work done."""
    if model.deferred is None:
        return x, _plan_objective(model, x)
    fixed = np.concatenate([model.fixed_plan_cols, model.break_cols])
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[fixed] = ub[fixed] = np.rint(x[fixed])
    res = run_stage(model, clock, "deferred work", model.integrality(False, False), lb, ub, 0.0, needed=True)
    if res is not None and res.x is not None:
        return res.x, res.objective
    out = x.copy()
    out[fixed] = lb[fixed]
    out[model.deferred.columns] = 0.0
    for q, due in enumerate(model.deferred.due):
        out[model.deferred.late(q)] = due
    return out, _plan_objective(model, out) + math.fsum(exact_dot(model.weight, due) for due in model.deferred.due)


def _round_breaks(model: Model, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``x`` with whole break totals: each family's cumulative placements rounded to the nearest
    integer. With whole shifts the FIFO conditions C(q) <= B(q) <= O(q) have integer bounds, so
    the rounded placements keep them: always a valid placement, found without a search."""
    out = x.copy()
    out[model.fixed_plan_cols] = np.rint(x[model.fixed_plan_cols])
    for g in model.groups:
        total = np.zeros(g.size)
        for fi in g.families:
            fam = model.families[fi]
            placed = np.floor(np.cumsum(x[fam.b_col:fam.b_col + fam.size]) + 0.5)
            total[fam.qmin - g.qmin:fam.qmin - g.qmin + fam.size] += np.diff(placed, prepend=0.0)
        out[g.a_col:g.a_col + g.size] = total
    return out


def solve_in_stages(model: Model, clock: Clock, gap_target: float) -> SolveResult:
    """LP relaxation, RENS, (if needed) tour stage and neighbourhood, break placement, then (if
    the gap is still open and the model is small) the whole MIP; for a spread LP optimum, rounding
    and tour dives in place of RENS, the tour stage and the neighbourhood. Every stage is a HiGHS
    solve (:func:`wfm.scheduling.highs.solve`) or LP dive (:func:`wfm.scheduling.highs.dive`).

    HiGHS's primal heuristics do badly on the whole week with integer breaks (for a 24/7 week
    its first plan comes after 15-50 s; in 150 s it is still 3 % from the bound), yet integer
    breaks are easy once the shifts are fixed and nearly free (relaxing them changes the optimum
    by a fraction of a paid hour). Hence:

    1. LP relaxation of the whole model: the lower bound.
    2. RENS (Berthold 2014): the whole model with break totals continuous and each plan column
       boxed between the floor and the ceiling of its LP value, solved to within ``gap_target``
       of the LP bound (the box holds the LP optimum). On a 24/7 week: 0.8 % in about 8 s.
    3. Only if that leaves the gap open: a tour stage, the plan columns alone covering the
       requirement plus the break load (and deferred work) beta_t the LP placed (see
       :func:`~wfm.scheduling.tour_stage.tour_stage`), then a neighbourhood: RENS's box widened
       to +-1 around the tour stage's plan. The best of these and of the LP optimum rounded (each
       priced with its breaks placed by an LP) is kept.
    2-3'. Instead, if the LP optimum is spread (:func:`~wfm.scheduling.spread_stages.is_spread`:
       at least ``spread_stages._SPREAD_MIN_FRACTIONAL`` plan columns fractional, more than the agents it
       staffs), :func:`~wfm.scheduling.spread_stages.spread_stages`: systematic roundings of the
       LP optimum, then (while the gap is open) tour dives. There RENS's box holds most of the
       model: its root alone took 8-15 s on a flat 24/7 week of 15-minute intervals and each
       node 0.3-2 s, its gap to the LP bound could not close (a few agents need whole relief
       agents for their breaks), so the search ran until the time limit and the stages after it
       were left out.
    4. Break placement: plan columns fixed, break totals integer, started from the rounded
       placement of :func:`_round_breaks` (always valid); the better of the two is kept. With
       deferred work, each plan with whole breaks has its deferred work placed afresh by an LP
       (:func:`_priced`) before it is compared or returned.
    5. If the plan is still not within ``gap_target`` of the bound and the model has at most
       ``_WHOLE_MIP_MAX_NONZEROS`` non-zeros and no deferred work: the whole MIP, started from
       that plan, for at most ``stage_run._NODE_LIMITS["whole MIP"]`` nodes. Its plan is used if better and
       its dual bound (valid however it stopped) raises the lower bound. On small instances, where
       the LP bound is weak, its root's cuts often prove the plan (a 30-minute business-hours
       queue: 0.2 s).

    Determinism. A cron job must get the same plan from the same forecast, so every stage ends on
    its gap, on its node limit (``_NODE_LIMITS`` in :mod:`~wfm.scheduling.stage_run`) or after a
    fixed number of LP solves and dives (``_ROUNDINGS``, ``_TOUR_DIVES``, ``_DIVE_ITERATIONS`` in
    :mod:`~wfm.scheduling.spread_stages`), counts that do not depend on the machine's speed, and
    whether a stage runs depends only on gaps, the LP optimum and the model's size. The time limit
    is a safety net (:class:`~wfm.scheduling.stage_run.Clock`): if it stops a stage, that stage's
    best plan so far is used, the optional stages after it are left out, and the status says that
    the plan may then differ between runs (``SolveResult.time_limit_hit``).
    """
    lp = _lp_relaxation(model, clock)
    lp_value = lp.objective
    x_lp = lp.x
    assert x_lp is not None
    plan = model.plan_cols
    z_lp = x_lp[plan]
    brk = x_lp[model.break_cols]
    whole = x_lp[model.fixed_plan_cols]
    if (np.all(np.abs(whole - np.rint(whole)) < 1e-6) and np.all(np.abs(brk - np.rint(brk)) < 1e-6)
            and np.array_equal(model.whole_tours(z_lp), np.rint(z_lp))):
        return SolveResult(x_lp, lp_value, lp_value, "LP relaxation has an integer optimum", True)
    stages = ["LP relaxation"]

    def open_gap(value: float) -> bool:
        return value - lp_value > gap_target * abs(value)

    def stage(name: str, res: HighsResult | None) -> HighsResult | None:
        """Note a stage that ran in the status (with its node limit if it stopped there)."""
        if res is not None:
            stages.append(name + (" (node limit)" if res.stop == "node limit" else ""))
        return res

    relaxed: NDArray[np.float64] | None = None
    value = math.inf
    banded = model.start_cols is not None
    spread = is_spread(z_lp)
    if spread and not banded:
        # 2-3. A spread LP optimum: rounding, then tour dives while the gap is open
        relaxed, value = spread_stages(model, clock, x_lp, open_gap, stages)
    elif not spread:
        # 2. RENS: every plan column between the floor and the ceiling of its LP value
        lb, ub = model.lb.copy(), model.ub.copy()
        fix = model.fixed_plan_cols  # with bands the daily shifts too
        lb[fix], ub[fix] = np.floor(x_lp[fix] + 1e-7), np.ceil(x_lp[fix] - 1e-7)
        if model.min_per_tour > 1:  # a tour the LP staffs with under half the minimum stays out
            ub[plan] = np.where(z_lp < model.min_per_tour / 2, 0.0, ub[plan])
        # the box holds the LP optimum: its gap is to the LP bound
        rens = stage("RENS", run_stage(model, clock, "RENS", model.integrality(True, False), lb, ub, gap_target))
        if rens is not None and rens.x is not None:
            relaxed, value = rens.x, rens.objective

    # 3. Only if RENS left the gap open: the tour stage, then a neighbourhood of its plan
    if banded and (relaxed is None or open_gap(value)):
        # Bands: no tour stage (a tour's coverage is not fixed); the LP optimum rounded up and to
        # nearest, each with its daily starts and breaks placed by a small MIP
        # (with a spread LP optimum straight away: RENS's box would hold most of the model)
        stages.append("rounding")
        if spread:
            relaxed, value = systematic_roundings(model, clock, z_lp)
        for candidate in (np.ceil(z_lp - 1e-7), np.rint(z_lp)):
            priced = price_plan(model, clock, candidate, needed=relaxed is None)
            if priced is not None and priced.x is not None and priced.objective < value:
                relaxed, value = priced.x, priced.objective
        if relaxed is None:
            raise SolverError(f"no plan found within the time limit of {clock.limit_s:g} s; "
                              "raise --time-limit (time_limit_s)")
    elif not spread and (relaxed is None or open_gap(value)):
        z_tour = tour_stage(model, clock, tour_target(model, x_lp), gap_target, support=z_lp > 1e-6)
        if "tour stage" not in clock.left_out:
            stages.append("tour stage")
        if z_tour is None:
            z_tour = np.rint(z_lp)
        # The tour stage's plan and the LP optimum rounded (to nearest, and up), each with its
        # breaks placed by an LP (deterministic): the fallback, and the mark to beat
        for candidate in (z_tour, np.rint(z_lp), np.ceil(z_lp - 1e-7)):
            # needed while there is no plan at all: then it runs even after the time limit
            priced = price_plan(model, clock, candidate, needed=relaxed is None)
            if priced is not None and priced.x is not None and priced.objective < value:
                relaxed, value = priced.x, priced.objective
        if relaxed is None:
            raise SolverError(f"no plan found within the time limit of {clock.limit_s:g} s; "
                              "raise --time-limit (time_limit_s)")
        # (not with a minimum per tour: its semi-integer columns make this search slow on a
        # 24/7 week, 40 s and more, where the tour stage's plan, rounded to the rule, is near)
        if open_gap(value) and model.min_per_tour <= 1:
            used = (z_lp > 1e-6) | (z_tour > 0)
            lb, ub = model.lb.copy(), model.ub.copy()
            lb[plan] = np.where(used, np.minimum(np.maximum(z_tour - 1.0, 0.0), np.floor(z_lp + 1e-7)), 0.0)
            ub[plan] = np.where(used, np.maximum(z_tour + 1.0, np.ceil(z_lp - 1e-7)), 0.0)
            # Asked for 1.5 x the target: proving the target itself takes several times longer
            # on a 24/7 week for a plan rarely better.
            near = stage("neighbourhood", run_stage(model, clock, "neighbourhood", model.integrality(True, False),
                                                    lb, ub, 1.5 * gap_target, start=relaxed))
            if near is not None and near.x is not None and near.objective < value:
                relaxed, value = near.x, near.objective
    assert relaxed is not None

    # 4. Break placement for that plan: HiGHS started from the rounded placement, or the rounding
    best_x, best_obj = _priced(model, clock, _round_breaks(model, relaxed))
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[model.fixed_plan_cols] = ub[model.fixed_plan_cols] = np.rint(relaxed[model.fixed_plan_cols])
    fixed = stage("break placement", run_stage(model, clock, "break placement", model.integrality(True, True),
                                               lb, ub, 1e-4, start=best_x))
    if fixed is not None and fixed.x is not None:
        x_fixed, obj_fixed = _priced(model, clock, fixed.x)
        if obj_fixed < best_obj - 1e-9:
            best_x, best_obj = x_fixed, obj_fixed
    bound = lp_value
    proven = False

    # 5. The whole MIP from that plan, on a small model without deferred work whose gap is still open
    if (best_obj - bound > gap_target * abs(best_obj) and model.a.nnz <= _WHOLE_MIP_MAX_NONZEROS
            and model.deferred is None):
        full = stage("whole MIP", run_stage(model, clock, "whole MIP", model.integrality(True, True),
                                            model.lb, model.ub, gap_target, start=best_x))
        if full is not None:
            if full.x is not None:
                x_full, obj_full = _priced(model, clock, full.x)
                if obj_full < best_obj - 1e-9:
                    best_x, best_obj = x_full, obj_full
            bound = max(bound, full.dual_bound)
            proven = full.stop == "optimal"
    status = ", ".join(stages) + clock.note()
    return SolveResult(best_x, min(bound, best_obj), lp_value, status, proven, clock.fired)
