"""One stage of the staged solver (:mod:`wfm.scheduling.stages`) as a HiGHS solve of the whole
model: the time limit as a safety net (:class:`Clock`), the deterministic node limit of each stage
(:func:`node_limit`), the solve itself (:func:`run_stage`) and a plan priced with its breaks (and
deferred work) placed at their best (:func:`price_plan`). Pure library code: no I/O.
"""

from __future__ import annotations

import time as _time

import numpy as np
from numpy.typing import NDArray

from wfm.scheduling.highs import HighsResult
from wfm.scheduling.highs import solve as highs_solve
from wfm.scheduling.model import Model

__all__ = ["Clock", "node_limit", "price_plan", "run_stage"]


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
# Seconds a solve the plan cannot do without (pricing a candidate plan) still gets once the time
# limit has run out, so that a plan is always returned.
_LAST_RESORT_S = 1.0


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
                "raise --time-limit (time_limit_s) for a reproducible one")


def node_limit(model: Model, name: str) -> int | None:
    """``_NODE_LIMITS[name]``; with a minimum per tour (semi-integer tour columns, whose nodes are
    slower) at most ``_SEMI_NODE_LIMIT``."""
    limit = _NODE_LIMITS.get(name)
    if limit is not None and model.min_per_tour > 1:
        return min(limit, _SEMI_NODE_LIMIT)
    return limit


def run_stage(model: Model, clock: Clock, name: str, integrality: NDArray[np.int8], lb: NDArray[np.float64],
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
                      mip_gap=gap, node_limit=node_limit(model, name), start=start)
    if res.time_limit_hit:
        clock.stopped.append(name)
    return res


def price_plan(model: Model, clock: Clock, z: NDArray[np.float64], needed: bool) -> HighsResult | None:
    """The whole model's LP with the plan columns fixed at ``z``: its breaks (and deferred work)
    placed at their best, and its objective. None if left out for the time limit (``needed``: runs
    even then, see :func:`run_stage`)."""
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[model.plan_cols] = ub[model.plan_cols] = model.whole_tours(z)  # a rounding may break the minimum per tour
    # with bands a MIP (whole daily starts): stopped within _PRICING_GAP, the plan's own is small
    gap = _PRICING_GAP if model.start_cols is not None else 0.0
    return run_stage(model, clock, "pricing", model.integrality(False, False), lb, ub, gap, needed=needed)
