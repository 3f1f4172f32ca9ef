"""The tour stage of the staged solver (:mod:`wfm.scheduling.stages`): the plan columns alone
covering the agents on shift a plan needs per open interval (:func:`tour_target`), shortfall priced
as in the whole model (:func:`tour_model`), solved as a small MIP (:func:`tour_stage`). The tour
dives of :mod:`wfm.scheduling.spread_stages` solve the same model by LP diving. Pure library code:
no I/O.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from wfm.scheduling.highs import solve as highs_solve
from wfm.scheduling.model import SEMI_INTEGER, Model, shortfall_terms
from wfm.scheduling.stage_run import Clock, node_limit

__all__ = ["tour_model", "tour_stage", "tour_target"]


def tour_target(model: Model, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Agents on shift per open interval that ``x`` needs: the requirement plus its break load (and
    the deferred work it places there)."""
    beta = model.break_cover @ x[model.break_cols]
    if model.deferred is not None:
        beta = beta + np.sum([x[model.deferred.worked(q)] for q in range(model.deferred.n_loads)], axis=0)
    return model.r_open + beta


def tour_model(model: Model, target: NDArray[np.float64]) -> tuple[
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


def tour_stage(model: Model, clock: Clock, target: NDArray[np.float64], gap: float,
               support: NDArray[np.bool_] | None = None) -> NDArray[np.float64] | None:
    """The plan columns alone covering ``target`` agents on shift per open interval (the
    requirement plus the break load and deferred work the LP relaxation placed there), shortfall
    priced as in the whole model (:func:`tour_model`): a small MIP HiGHS solves well. None if
    there is no plan (or the time limit has run out)."""
    left = clock.left()
    if left <= 0 or clock.fired:
        clock.left_out.append("tour stage")
        return None
    c, a, row_lb, row_ub, lb, ub, integrality = tour_model(model, target)
    if model.min_per_tour > 1 and support is not None:
        # a minimum per tour: semi-integer tour columns, only those the LP staffs (all of them
        # take 60 s and more on a 24/7 week)
        n_plan = support.size
        integrality[:n_plan] = np.where(support, SEMI_INTEGER, 1)
        lb[:n_plan] = np.where(support, model.min_per_tour, 0.0)
        ub[:n_plan] = np.where(support, model.tour_cap, 0.0)
    res = highs_solve(c, a, row_lb, row_ub, lb, ub, integrality, time_limit_s=left, mip_gap=gap,
                      node_limit=node_limit(model, "tour stage"))
    if res.time_limit_hit:
        clock.stopped.append("tour stage")
    return None if res.x is None else np.rint(res.x[:model.plan_cover.shape[1]])
