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
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from wfm.errors import SolverError
from wfm.scheduling.highs import HighsResult
from wfm.scheduling.highs import dive as highs_dive
from wfm.scheduling.highs import solve as highs_solve
from wfm.scheduling.model import SEMI_INTEGER, Model, shortfall_terms

__all__ = ["Clock", "SolveResult", "solve_in_stages"]


# Deterministic work limits: every MIP stage stops once its plan is proven within its gap or after
# this many branch-and-bound nodes, never on the clock. On the benchmark weeks and the samples RENS
# needs 1-21 nodes and the other stages 1-25, so the limits only end a runaway search. The whole
# MIP, started from the plan already found, rarely closes in its tree a gap its root did not (on
# issue 6's flat week, 30-minute intervals, its root and 50 nodes take about 3 s and 10,000 nodes
# gain 0.3 %), so it gets few.
_NODE_LIMITS = {"RENS": 500, "tour stage": 500, "neighbourhood": 500, "break placement": 200, "whole MIP": 50,
                "pricing": 20}  # pricing is a MIP only with start-time bands (whole daily starts)
_PRICING_GAP = 0.002
_SEMI_NODE_LIMIT = 100
# A spread LP optimum (_is_spread): at least this many plan columns fractional, and more of them
# than the agents it staffs. RENS's box then holds most of the model, so rounding and tour dives
# (_spread_stages) take the place of RENS, the tour stage and the neighbourhood. A requirement that
# is flat (or nearly) over a 24/7 week of 15-minute intervals (1,008 tours) leaves the LP
# indifferent between start times and day-off patterns: it shares 12.6 to 113 agents out over
# 233-255 tours, and each of those MIPs spent 8-15 s at its root alone (HiGHS's dual simplex solves
# the degenerate LP from scratch in 15,000-30,000 iterations where its interior point method needs
# 16, then its sub-MIP heuristics solve it again) and 0.3-2 s per node, so the stages ran into the
# time limit. The samples' LPs have 8-149 fractional tours, at most 0.75 per agent staffed.
_SPREAD_MIN_FRACTIONAL = 100
# Systematic roundings of a spread LP optimum tried (offsets (k + 0.5) / n, k < n), then, while the
# gap is open, at most this many tour dives in each of two chains (_spread_stages).
_ROUNDINGS = 8
_TOUR_DIVES = 4
# Simplex iterations one tour dive may take in all (deterministic); a 24/7 week needs 3,000-10,000.
_DIVE_ITERATIONS = 100_000
# The whole MIP runs only on a model with at most this many non-zeros: its root node alone takes
# about 2 s at 8,500 (a 30-minute business-hours week), 15 s at 23,000 (a 15-minute one) and 20 s at
# 61,000 (a 24/7 week of 15-minute intervals), where a single node can take a minute. With deferred
# work it is left out: its running totals make the root far slower (12 s instead of 0.7 s on a
# 15-minute business-hours week, 2.4 s for 50 nodes of a single day) and on the weeks tried it never
# improved the plan: their LP bound is weak (deferred work fills the fractions of an agent the
# relaxation staffs), so no stage proves the gap anyway.
_WHOLE_MIP_MAX_NONZEROS = 20_000
# Seconds a solve the plan cannot do without (pricing a candidate plan) still gets once the time
# limit has run out, so that a plan is always returned.
_LAST_RESORT_S = 1.0


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


class Clock:
    """The time limit, a safety net: seconds left of ``limit_s`` since ``t0`` (wall clock,
    ``_time.perf_counter``, read once before each stage), the stages it stopped and those it left
    out. Nothing else reads the clock: which stages run and which results are used depend only on
    gaps and node counts, so the plan is the same on a fast and a slow machine unless this fires."""

    def __init__(self, limit_s: float, t0: float) -> None:
        self.limit_s = limit_s
        self.t0 = t0
        self.stopped: list[str] = []  # stages HiGHS ended at the time limit
        self.left_out: list[str] = []  # optional stages not run because the time was up

    def left(self) -> float:
        """Seconds left (negative once the limit has passed)."""
        return self.limit_s - (_time.perf_counter() - self.t0)

    @property
    def fired(self) -> bool:
        return bool(self.stopped or self.left_out)

    def note(self) -> str:
        """The status's warning when the safety net fired, else ''."""
        if not self.fired:
            return ""
        parts = [f"limit {self.limit_s:g} s"]
        if self.stopped:
            parts.append("cut short: " + ", ".join(dict.fromkeys(self.stopped)))
        if self.left_out:
            parts.append("left out: " + ", ".join(dict.fromkeys(self.left_out)))
        return (f"; the time limit stopped the solve ({'; '.join(parts)}): the plan may differ between runs, "
                "raise time_limit_s for a reproducible one")


def _node_limit(model: Model, name: str) -> int | None:
    """``_NODE_LIMITS[name]``; with a minimum per tour (semi-integer tour columns, whose nodes are
    slower) at most ``_SEMI_NODE_LIMIT``."""
    limit = _NODE_LIMITS.get(name)
    if limit is not None and model.min_per_tour > 1:
        return min(limit, _SEMI_NODE_LIMIT)
    return limit


def _run(model: Model, clock: Clock, name: str, integrality: NDArray[np.int8], lb: NDArray[np.float64],
         ub: NDArray[np.float64], gap: float, *, start: NDArray[np.float64] | None = None,
         needed: bool = False) -> HighsResult | None:
    """One HiGHS solve of the whole model with these column bounds: a MIP stage ``name`` (at most
    ``_NODE_LIMITS[name]`` nodes, stopping within ``gap``) or, without integer columns, an LP.

    The time left is only HiGHS's safety net. Once it has run out an optional stage is left out
    (None) and a ``needed`` one gets ``_LAST_RESORT_S`` seconds; either way the clock records it.
    """
    left = clock.left()
    if left <= 0 or clock.fired:
        if not needed:
            clock.left_out.append(name)
            return None
        left = max(left, _LAST_RESORT_S)
    lb, ub, integrality = model.semi_bounds(lb, ub, integrality)
    res = highs_solve(model.c, model.a, model.row_lb, model.row_ub, lb, ub, integrality, time_limit_s=left,
                      mip_gap=gap, node_limit=_node_limit(model, name), start=start)
    if res.time_limit_hit:
        clock.stopped.append(name)
    return res


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
            f"(HiGHS: {res.stop}); raise time_limit_s or use a coarser start_step_minutes"
        )
    return res


def _tour_target(model: Model, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Agents on shift per open interval that ``x`` needs: the requirement plus its break load (and
    the deferred work it places there)."""
    beta = model.break_cover @ x[model.break_cols]
    if model.deferred is not None:
        beta = beta + np.sum([x[model.deferred.worked(q)] for q in range(model.deferred.n_loads)], axis=0)
    return model.r_open + beta


def _tour_model(model: Model, target: NDArray[np.float64]) -> tuple[
        NDArray[np.float64], sp.csr_array, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64],
        NDArray[np.float64], NDArray[np.int8]]:
    """The plan columns alone covering ``target`` agents on shift per open interval, shortfall priced
    as in the whole model (agents on shift are whole): ``c, a, row_lb, row_ub, lb, ub, integrality``
    with the plan columns first. No break structure: a small model whose LPs HiGHS solves fast."""
    cover = model.plan_cover
    n_open, n_plan = cover.shape
    hi, g = shortfall_terms(target, 1.0)
    ident = sp.eye(n_open, format="csr")
    rows = [sp.hstack([cover, ident, ident]).tocsr()]
    lo, up = [hi], [np.full(n_open, np.inf)]
    if model.part_time_row is not None:
        rows.append(sp.csr_array(np.concatenate([model.part_time_row, np.zeros(2 * n_open)])[None, :]))
        lo.append(np.array([-np.inf]))
        up.append(np.array([0.0]))
    c = np.concatenate([model.c[model.plan_cols], model.weight * g, model.weight])
    ub = np.concatenate([np.full(n_plan, np.inf), np.where(g > 0, 1.0, 0.0), np.maximum(hi - 1.0, 0.0)])
    integrality = np.concatenate([np.ones(n_plan, dtype=np.int8), np.zeros(2 * n_open, dtype=np.int8)])
    return c, sp.vstack(rows).tocsr(), np.concatenate(lo), np.concatenate(up), np.zeros(c.size), ub, integrality


def _tour_stage(model: Model, clock: Clock, target: NDArray[np.float64], gap: float,
                support: NDArray[np.bool_] | None = None) -> NDArray[np.float64] | None:
    """The plan columns alone covering ``target`` agents on shift per open interval (the
    requirement plus the break load and deferred work the LP relaxation placed there), shortfall
    priced as in the whole model (:func:`_tour_model`): a small MIP HiGHS solves well. None if
    there is no plan (or the time limit has run out)."""
    left = clock.left()
    if left <= 0 or clock.fired:
        clock.left_out.append("tour stage")
        return None
    c, a, row_lb, row_ub, lb, ub, integrality = _tour_model(model, target)
    if model.min_per_tour > 1 and support is not None:
        # a minimum per tour: semi-integer tour columns, only those the LP staffs (all of them
        # take 60 s and more on a 24/7 week)
        n_plan = support.size
        integrality[:n_plan] = np.where(support, SEMI_INTEGER, 1)
        lb[:n_plan] = np.where(support, model.min_per_tour, 0.0)
        ub[:n_plan] = np.where(support, model.tour_cap, 0.0)
    res = highs_solve(c, a, row_lb, row_ub, lb, ub, integrality, time_limit_s=left, mip_gap=gap,
                      node_limit=_node_limit(model, "tour stage"))
    if res.time_limit_hit:
        clock.stopped.append("tour stage")
    return None if res.x is None else np.rint(res.x[:model.plan_cover.shape[1]])


def _price(model: Model, clock: Clock, z: NDArray[np.float64], needed: bool) -> HighsResult | None:
    """The whole model's LP with the plan columns fixed at ``z``: its breaks (and deferred work)
    placed at their best, and its objective. None if left out for the time limit (``needed``: runs
    even then, see :func:`_run`)."""
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[model.plan_cols] = ub[model.plan_cols] = model.whole_tours(z)  # a rounding may break the minimum per tour
    # with bands a MIP (whole daily starts): stopped within _PRICING_GAP, the plan's own is small
    gap = _PRICING_GAP if model.start_cols is not None else 0.0
    return _run(model, clock, "pricing", model.integrality(False, False), lb, ub, gap, needed=needed)


def _is_spread(z_lp: NDArray[np.float64]) -> bool:
    """Whether the LP optimum's plan columns are spread out: at least ``_SPREAD_MIN_FRACTIONAL`` of
    them fractional and more of them than the agents the LP staffs. A requirement that is flat (or
    nearly) over a 24/7 week leaves the LP indifferent between many start times and day-off
    patterns, and its optimum shares each agent out over several tours."""
    fractional = int(np.count_nonzero(np.abs(z_lp - np.rint(z_lp)) > 1e-6))
    return fractional >= _SPREAD_MIN_FRACTIONAL and fractional > float(z_lp.sum())


def _spread_stages(model: Model, clock: Clock, x_lp: NDArray[np.float64],
                   open_gap: Callable[[float], bool], stages: list[str]) -> tuple[NDArray[np.float64], float]:
    """A plan near a spread LP optimum (:func:`_is_spread`) without a branch-and-bound search:

    1. Rounding: ``_ROUNDINGS`` systematic roundings of the LP's plan columns, each with its breaks
       placed by an LP (:func:`_price`); the best is kept. Column k gets as many agents as the
       running sum of the LP's values crosses whole numbers (plus an offset) at k. The plan
       columns are ordered by shift type, days-off pattern and start, so the agents the LP shares
       out over neighbouring start times land evenly over the day and the week, and every run of
       columns gets the LP's total to within one agent. On a flat 24/7 week of 27 agents on
       shift: 0.6 % from the LP bound in 0.4 s.
    2. Only while the gap is open, tour dives: the plan columns alone (:func:`_tour_model`)
       covering the requirement plus the break load of a plan, made whole by LP diving
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
    best_x, value = _systematic_roundings(model, clock, z_lp)
    stages.append("rounding")
    if best_x is None:  # every rounding broke the part-time share: round up
        priced = _price(model, clock, np.ceil(z_lp - 1e-7), needed=True)
        if priced is None or priced.x is None:
            raise SolverError(f"no plan found within the time limit of {clock.limit_s:g} s; raise time_limit_s")
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
            c, a, row_lb, row_ub, lb, ub, _ = _tour_model(model, _tour_target(model, last))
            dived = highs_dive(c, a, row_lb, row_ub, lb, ub, np.arange(n_plan), time_limit_s=left,
                               iteration_limit=_DIVE_ITERATIONS)
            if dived.time_limit_hit:
                clock.stopped.append("tour dives")
            if dived.z is None or np.array_equal(dived.z, last[plan]):
                break  # no plan, or the plan it started from: this chain has settled
            priced = _price(model, clock, dived.z, needed=False)
            if priced is None or priced.x is None:
                break
            if "tour dives" not in stages:
                stages.append("tour dives")
            last = priced.x
            if priced.objective < value - 1e-9:
                best_x, value = priced.x, priced.objective
    return best_x, value


def _systematic_roundings(model: Model, clock: Clock,
                          z_lp: NDArray[np.float64]) -> tuple[NDArray[np.float64] | None, float]:
    """The best of ``_ROUNDINGS`` systematic roundings of the LP's plan columns, each priced by
    :func:`_price` (None, inf if none could be priced). Column k gets as many agents as the running
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
        priced = _price(model, clock, z, needed=best_x is None)
        if priced is not None and priced.x is not None and priced.objective < value - 1e-9:
            best_x, value = priced.x, priced.objective
    return best_x, value


def _plan_objective(model: Model, x: NDArray[np.float64]) -> float:
    """Objective of the plan and whole break totals in ``x``: cost + weight x agent-intervals short
    of the real-time requirement (deferred work left out: see :func:`_priced`)."""
    z = np.rint(x[model.plan_cols])
    covered = model.on_shift(x) - model.break_cover @ np.rint(x[model.break_cols])
    short = np.maximum(model.r_open - covered, 0.0)
    value = float(model.c[model.plan_cols] @ z + model.weight @ short)
    if model.plan_cols.start != model.y_col and model.shift_cover is not None:
        # tours: the daily shifts' own cost (premiums), if any
        ys = slice(model.y_col, model.y_col + model.shift_cover.shape[1])
        value += float(model.c[ys] @ np.rint(x[ys]))
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
    res = _run(model, clock, "deferred work", model.integrality(False, False), lb, ub, 0.0, needed=True)
    if res is not None and res.x is not None:
        return res.x, res.objective
    out = x.copy()
    out[fixed] = lb[fixed]
    out[model.deferred.columns] = 0.0
    for q, due in enumerate(model.deferred.due):
        out[model.deferred.late(q)] = due
    return out, _plan_objective(model, out) + sum(float(model.weight @ due) for due in model.deferred.due)


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
       :func:`_tour_stage`), then a
       neighbourhood: RENS's box widened to +-1 around the tour stage's plan. The best of these
       and of the LP optimum rounded (each priced with its breaks placed by an LP) is kept.
    2-3'. Instead, if the LP optimum is spread (:func:`_is_spread`: at least
       ``_SPREAD_MIN_FRACTIONAL`` plan columns fractional, more than the agents it staffs),
       :func:`_spread_stages`: systematic roundings of the LP optimum, then (while the gap is
       open) tour dives. There RENS's box holds most of the model: its root alone took 8-15 s on
       a flat 24/7 week of 15-minute intervals and each node 0.3-2 s, its gap to the LP bound
       could not close (a few agents need whole relief agents for their breaks), so the search
       ran until the time limit and the stages after it were left out.
    4. Break placement: plan columns fixed, break totals integer, started from the rounded
       placement of :func:`_round_breaks` (always valid); the better of the two is kept. With
       deferred work, each plan with whole breaks has its deferred work placed afresh by an LP
       (:func:`_priced`) before it is compared or returned.
    5. If the plan is still not within ``gap_target`` of the bound and the model has at most
       ``_WHOLE_MIP_MAX_NONZEROS`` non-zeros and no deferred work: the whole MIP, started from
       that plan, for at most ``_NODE_LIMITS["whole MIP"]`` nodes. Its plan is used if better and its dual bound (valid
       however it stopped) raises the lower bound. On small instances, where the LP bound is
       weak, its root's cuts often prove the plan (a 30-minute business-hours queue: 0.2 s).

    Determinism. A cron job must get the same plan from the same forecast, so every stage ends on
    its gap, on its node limit (``_NODE_LIMITS``) or after a fixed number of LP solves and dives
    (``_ROUNDINGS``, ``_TOUR_DIVES``, ``_DIVE_ITERATIONS``), counts that do not depend on the
    machine's speed, and whether a stage runs depends only on gaps, the LP optimum and the model's
    size. The time limit is
    a safety net (:class:`Clock`): if it stops a stage, that stage's best plan so far is used,
    the optional stages after it are left out, and the status says that the plan may then differ
    between runs (``SolveResult.time_limit_hit``).
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
    spread = _is_spread(z_lp)
    if spread and not banded:
        # 2-3. A spread LP optimum: rounding, then tour dives while the gap is open
        relaxed, value = _spread_stages(model, clock, x_lp, open_gap, stages)
    elif not spread:
        # 2. RENS: every plan column between the floor and the ceiling of its LP value
        lb, ub = model.lb.copy(), model.ub.copy()
        fix = model.fixed_plan_cols  # with bands the daily shifts too
        lb[fix], ub[fix] = np.floor(x_lp[fix] + 1e-7), np.ceil(x_lp[fix] - 1e-7)
        if model.min_per_tour > 1:  # a tour the LP staffs with under half the minimum stays out
            ub[plan] = np.where(z_lp < model.min_per_tour / 2, 0.0, ub[plan])
        # the box holds the LP optimum: its gap is to the LP bound
        rens = stage("RENS", _run(model, clock, "RENS", model.integrality(True, False), lb, ub, gap_target))
        if rens is not None and rens.x is not None:
            relaxed, value = rens.x, rens.objective

    # 3. Only if RENS left the gap open: the tour stage, then a neighbourhood of its plan
    if banded and (relaxed is None or open_gap(value)):
        # Bands: no tour stage (a tour's coverage is not fixed); the LP optimum rounded up and to
        # nearest, each with its daily starts and breaks placed by a small MIP
        # (with a spread LP optimum straight away: RENS's box would hold most of the model)
        stages.append("rounding")
        if spread:
            relaxed, value = _systematic_roundings(model, clock, z_lp)
        for candidate in (np.ceil(z_lp - 1e-7), np.rint(z_lp)):
            priced = _price(model, clock, candidate, needed=relaxed is None)
            if priced is not None and priced.x is not None and priced.objective < value:
                relaxed, value = priced.x, priced.objective
        if relaxed is None:
            raise SolverError(f"no plan found within the time limit of {clock.limit_s:g} s; raise time_limit_s")
    elif not spread and (relaxed is None or open_gap(value)):
        z_tour = _tour_stage(model, clock, _tour_target(model, x_lp), gap_target, support=z_lp > 1e-6)
        if "tour stage" not in clock.left_out:
            stages.append("tour stage")
        if z_tour is None:
            z_tour = np.rint(z_lp)
        # The tour stage's plan and the LP optimum rounded (to nearest, and up), each with its
        # breaks placed by an LP (deterministic): the fallback, and the mark to beat
        for candidate in (z_tour, np.rint(z_lp), np.ceil(z_lp - 1e-7)):
            # needed while there is no plan at all: then it runs even after the time limit
            priced = _price(model, clock, candidate, needed=relaxed is None)
            if priced is not None and priced.x is not None and priced.objective < value:
                relaxed, value = priced.x, priced.objective
        if relaxed is None:
            raise SolverError(f"no plan found within the time limit of {clock.limit_s:g} s; raise time_limit_s")
        # (not with a minimum per tour: its semi-integer columns make this search slow on a
        # 24/7 week, 40 s and more, where the tour stage's plan, rounded to the rule, is near)
        if open_gap(value) and model.min_per_tour <= 1:
            used = (z_lp > 1e-6) | (z_tour > 0)
            lb, ub = model.lb.copy(), model.ub.copy()
            lb[plan] = np.where(used, np.minimum(np.maximum(z_tour - 1.0, 0.0), np.floor(z_lp + 1e-7)), 0.0)
            ub[plan] = np.where(used, np.maximum(z_tour + 1.0, np.ceil(z_lp - 1e-7)), 0.0)
            # Asked for 1.5 x the target: proving the target itself takes several times longer
            # on a 24/7 week for a plan rarely better.
            near = stage("neighbourhood", _run(model, clock, "neighbourhood", model.integrality(True, False),
                                               lb, ub, 1.5 * gap_target, start=relaxed))
            if near is not None and near.x is not None and near.objective < value:
                relaxed, value = near.x, near.objective
    assert relaxed is not None

    # 4. Break placement for that plan: HiGHS started from the rounded placement, or the rounding
    best_x, best_obj = _priced(model, clock, _round_breaks(model, relaxed))
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[model.fixed_plan_cols] = ub[model.fixed_plan_cols] = np.rint(relaxed[model.fixed_plan_cols])
    fixed = stage("break placement", _run(model, clock, "break placement", model.integrality(True, True), lb, ub,
                                          1e-4, start=best_x))
    if fixed is not None and fixed.x is not None:
        x_fixed, obj_fixed = _priced(model, clock, fixed.x)
        if obj_fixed < best_obj - 1e-9:
            best_x, best_obj = x_fixed, obj_fixed
    bound = lp_value
    proven = False

    # 5. The whole MIP from that plan, on a small model without deferred work whose gap is still open
    if (best_obj - bound > gap_target * abs(best_obj) and model.a.nnz <= _WHOLE_MIP_MAX_NONZEROS
            and model.deferred is None):
        full = stage("whole MIP", _run(model, clock, "whole MIP", model.integrality(True, True), model.lb, model.ub,
                                       gap_target, start=best_x))
        if full is not None:
            if full.x is not None:
                x_full, obj_full = _priced(model, clock, full.x)
                if obj_full < best_obj - 1e-9:
                    best_x, best_obj = x_full, obj_full
            bound = max(bound, full.dual_bound)
            proven = full.stop == "optimal"
    status = ", ".join(stages) + clock.note()
    return SolveResult(best_x, min(bound, best_obj), lp_value, status, proven, clock.fired)
