"""The capacity model: a weekly projection of headcount and productive FTE, and the least-cost hiring plan.

Pure and vectorised: numpy arrays in, arrays out; no dates, files or settings objects (``wfm.capacity.run`` maps
periods and dates onto weeks). Weeks are numbered 0..W-1; every figure of a week is as of its end.

Attrition (the survival convention: an annual rate r is the share of a cohort gone after a year, so r < 1)::

    weekly survival     s_w = (1 - r) ** (d_w / 365.25)             one annual rate
                        s_w = (1 - a_m) ** (d_w / days in month m)  a monthly curve, m the month of the week's Thursday
                        d_w = 7, but in a first week that starts after its Monday only the days from the start
    still employed      G_w = s_0 s_1 ... s_w                       of those on the payroll at the plan's start
                        G_w / G_(k-1) = s_k ... s_w                 of a class that started in week k

A class that starts in week k with n agents trains for T weeks (weeks k .. k+T-1, productivity 0), then ramps:
in its i-th week after training (i = 0 .. R-1) each agent is ``ramp_start + (1 - ramp_start) i / R`` productive
(50 % -> 100 % over R = 4 weeks: 50, 62.5, 75, 87.5 %, then 100 %). So, linear in the class sizes n_k::

    productive_w  = H0 G_w + sum_k n_k (G_w / G_(k-1)) p(w - k)     p: 0 in training, the ramp, then 1
    headcount_w   = H0 G_w + sum_(k <= w) n_k G_w / G_(k-1)
    leavers_w     = headcount_(w-1) + hires_w - headcount_w
    in_training_w = sum_(w-T < k <= w) n_k G_w / G_(k-1)

Agents are counted as expected values (fractions of a person), the way capacity plans in spreadsheets count them.
Everyone on the payroll is paid, day by day: the payroll of a week is the sum of its days' headcounts (each as of
the day's end, agents leaving at the week's constant daily rate: headcount_w x q ** (t - 6) on day t, q = s_w ** (1 /
d_w)) at the cost per FTE-month (a month being 365.25 / 12 days).

The hiring plan is an integer program over the candidate start weeks k (after the hiring lead time, early
enough to be productive within the horizon)::

    minimise    sum_k n_k (payroll of one hire from week k to the horizon's end + cost_per_hire) + y_k cost_per_class
    subject to  productive_w >= target_w                          every week w
                class_min y_k <= n_k <= class_max y_k             whole classes within the size limits
                0 <= y_k <= max_classes_per_week, y_k, n_k whole

where target_w is the largest requirement of the periods week w overlaps (a week straddling two months must
serve both), capped at what the largest possible hiring (every candidate week, as many full classes as allowed)
gives in that week. Every coefficient of n_k is >= 0, so that largest hiring is at least as
productive as any other plan in every week: a period it cannot cover no plan covers, and with the cap the
program is always feasible; it then brings the uncoverable periods as close as any plan can and covers all the
others, at the least cost. Solved with HiGHS (:func:`wfm.scheduling.highs.solve`, the pinned ``highspy`` the
schedule uses, not scipy's own copy, whose version moves with scipy) by branch and bound, which
stops when the plan is proven within MIP_GAP (0.01 %) of the least cost or after NODE_LIMIT nodes (a count, not
the clock: the same input gives the same plan); the gap it proved is reported. Survival makes every coefficient a
different real number, so proving the last fraction of a percent can take long: on the 12-month sample the
bound stops about 0.4 % under a plan found in the first second, about one agent-month in 240 (50,000 nodes
raise the bound by 0.02 points and find no cheaper plan).

Sources: the cohort-survival (stock-flow) projection and the ramp as in G. Koole, *Call Center Optimization*
(2013), ch. 11 (long-term planning); B. Cleveland, *Call Center Management on Fast Forward* (3rd ed., 2012),
ch. 6 (attrition, training and the hiring plan); the constant-hazard conversion between annual and weekly
attrition from the survival function S(t) = (1 - r) ** t.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wfm import exact
from wfm.times import DAYS_PER_MONTH

__all__ = ["Cohorts", "Projection", "cohorts", "project", "weekly_survival", "ramp", "solve_hiring",
           "DAYS_PER_MONTH", "TOLERANCE"]

MIP_GAP = 1e-4
"""The solver stops once the plan is proven within this fraction of the least cost."""
NODE_LIMIT = 5_000
"""... or after this many branch-and-bound nodes (a count, never the clock, so reruns give the same plan)."""
TIME_LIMIT_S = 600.0
"""A safety net only, far above what NODE_LIMIT takes (a 5-year weekly plan: about 40 s on a quiet machine), so
that a busy machine still stops on the node count; when it fires anyway the status says so and the command warns
that reruns may differ."""
TOLERANCE = 1e-6
"""FTE a week's coverage is checked to: the solver's feasibility tolerance, far below the 0.01 FTE printed."""


def weekly_survival(annual: float | None, monthly: NDArray[np.float64] | None = None,
                    month_of_week: NDArray[np.int64] | None = None,
                    days_in_month: NDArray[np.int64] | None = None, weeks: int = 0,
                    days: NDArray[np.int64] | None = None) -> NDArray[np.float64]:
    """s_w for each week: from one annual rate, or from twelve monthly rates (``month_of_week``: 0 = January,
    of each week's Thursday; ``days_in_month`` of that month). ``days``: the days of each week the plan counts
    (default 7 each; a first week that starts after its Monday counts only its days from the start)."""
    if monthly is None:
        assert annual is not None
        counted = np.full(weeks, 7.0) if days is None else np.asarray(days, dtype=np.float64)
        return (1.0 - annual) ** (counted / 365.25)
    assert month_of_week is not None and days_in_month is not None
    counted = np.full(len(month_of_week), 7.0) if days is None else np.asarray(days, dtype=np.float64)
    return (1.0 - monthly[month_of_week]) ** (counted / days_in_month)


def ramp(training_weeks: int, ramp_start: float, ramp_weeks: int, weeks: int) -> NDArray[np.float64]:
    """p(j), j = 0 .. weeks-1: an agent's productivity in the j-th week after the class started."""
    j = np.arange(weeks, dtype=np.float64)
    i = j - training_weeks
    ramping = ramp_start + (1.0 - ramp_start) * i / max(ramp_weeks, 1)
    return np.where(i < 0, 0.0, np.where(i < ramp_weeks, ramping, 1.0))


@dataclass(frozen=True)
class Cohorts:
    """The projection's linear pieces: week w's figures are base[w] + matrix[w] @ n (n: agents per start week)."""

    survival: NDArray[np.float64]  # (W,) G_w
    starts: NDArray[np.int64]  # (K,) candidate start weeks
    productive: NDArray[np.float64]  # (W, K) G_w / G_(k-1) p(w - k)
    employed: NDArray[np.float64]  # (W, K) G_w / G_(k-1) for w >= k
    training: NDArray[np.float64]  # (W, K) the employed still in training


def cohorts(survival: NDArray[np.float64], starts: NDArray[np.int64], training_weeks: int, ramp_start: float,
            ramp_weeks: int) -> Cohorts:
    """The matrices of :class:`Cohorts` for weekly survival ``survival`` (s_w) and candidate ``starts``."""
    weeks = survival.size
    g = np.cumprod(survival).astype(np.float64)
    g_before = np.r_[1.0, g][starts]  # G_(k-1)
    w = np.arange(weeks)[:, None]
    age = w - starts[None, :]  # weeks since the class started, minus 1 at the end of week w
    employed = np.where(age >= 0, g[:, None] / g_before[None, :], 0.0)
    p = ramp(training_weeks, ramp_start, ramp_weeks, weeks)
    productive = employed * p[np.clip(age, 0, weeks - 1)]
    training = np.where(age < training_weeks, employed, 0.0)
    return Cohorts(g, starts, productive, employed, training)


@dataclass(frozen=True)
class Projection:
    """Week by week, for a hiring plan."""

    productive: NDArray[np.float64]
    headcount: NDArray[np.float64]
    leavers: NDArray[np.float64]
    in_training: NDArray[np.float64]
    hires: NDArray[np.float64]  # agents starting a class in each week


def project(model: Cohorts, headcount: float, hires: NDArray[np.float64]) -> Projection:
    """The projection for ``hires`` agents at each of ``model.starts`` (the formulas of the module docstring)."""
    n = np.asarray(hires, dtype=np.float64)
    tenured = headcount * model.survival
    employed = tenured + exact.matvec(model.employed, n)
    weeks = model.survival.size
    starting = np.zeros(weeks)
    np.add.at(starting, model.starts, n)
    before = np.r_[headcount, employed[:-1]]
    return Projection(productive=tenured + exact.matvec(model.productive, n), headcount=employed,
                      leavers=before + starting - employed, in_training=exact.matvec(model.training, n), hires=starting)


@dataclass(frozen=True)
class Hiring:
    """The solved plan: agents and classes per candidate start week, and the solver's word on it."""

    hires: NDArray[np.float64]  # (K,) whole agents
    classes: NDArray[np.int64]  # (K,)
    objective: float
    status: str
    target: NDArray[np.float64]  # (W,) the productive FTE each week had to reach (capped at the reachable)
    gap: float = 0.0  # proven, HiGHS's mip_gap: (cost - bound) / cost, so the least cost is >= (1 - gap) x cost


def solve_hiring(model: Cohorts, headcount: float, required: NDArray[np.float64], *, class_min: int,
                 class_max: int, max_classes: int, hire_cost: NDArray[np.float64], class_cost: float,
                 node_limit: int = NODE_LIMIT, time_limit_s: float = TIME_LIMIT_S) -> Hiring:
    """The least-cost plan with ``required[w]`` productive FTE in every week w (NaN or 0: no requirement), capped
    at what the largest hiring reaches (see the module docstring). ``hire_cost[k]``: the cost of one agent
    hired in start week k (payroll to the horizon's end plus the cost per hire)."""
    import scipy.sparse as sp

    from wfm.scheduling.highs import solve

    k = model.starts.size
    need = np.nan_to_num(np.asarray(required, dtype=np.float64), nan=0.0)
    tenured = headcount * model.survival
    most = tenured + exact.matvec(model.productive, np.full(k, float(class_max * max_classes)))
    target = np.minimum(need, most)
    rows = np.flatnonzero(target > tenured)  # weeks the tenured agents alone do not cover
    if k == 0 or rows.size == 0:
        return Hiring(np.zeros(k), np.zeros(k, dtype=np.int64), 0.0, "no hiring needed", target)
    eye = np.eye(k)
    a = np.vstack([np.hstack([model.productive[rows], np.zeros((rows.size, k))]),  # productive_w >= target_w
                   np.hstack([eye, -class_min * eye]),  # n_k >= class_min y_k
                   np.hstack([eye, -class_max * eye])])  # n_k <= class_max y_k
    row_lb = np.r_[target[rows] - tenured[rows], np.zeros(k), np.full(k, -np.inf)]
    row_ub = np.r_[np.full(rows.size + k, np.inf), np.zeros(k)]
    cost = np.r_[np.asarray(hire_cost, dtype=np.float64), np.full(k, float(class_cost))]
    result = solve(cost, sp.csr_array(a), row_lb, row_ub, np.zeros(2 * k),
                   np.r_[np.full(k, float(class_max * max_classes)), np.full(k, float(max_classes))],
                   np.ones(2 * k, dtype=np.int8), time_limit_s=time_limit_s, mip_gap=MIP_GAP, node_limit=node_limit)
    if result.x is None:
        from wfm.errors import SolverError

        raise SolverError(f"the hiring plan's integer program found no plan ({result.stop})")
    x = np.round(result.x) + 0.0  # + 0.0: never -0.0
    objective = exact.dot(cost, x)
    gap = (result.objective - result.dual_bound) / abs(result.objective) if result.objective else 0.0  # HiGHS's
    status = {"optimal": "optimal", "node limit": f"stopped after {node_limit:,} node{'s' * (node_limit != 1)}",
              "time limit": "stopped by the time limit"}.get(result.stop, f"stopped: {result.stop}")
    return Hiring(hires=x[:k], classes=x[k:].astype(np.int64), objective=objective, status=status, target=target,
                  gap=max(gap, 0.0))
