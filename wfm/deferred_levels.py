"""The staffing a planner rosters for deferred work (:mod:`wfm.deferred`): one level of agents per local day over
its open rows, that keeps the work done at or above a due curve, with the fewest agent-intervals in all.

The model is :mod:`wfm.deferred_curves`'s: W and P, the work arrived and done by each row's end (W counting the
work carried in from the cycle before, there from the start: :mod:`wfm.deferred` passes W + b and the due curve
from b, and asks for the cycle's own W_n by the last row, so that it leaves no more than it was left), and
P_j = min(W_j, P_{j-1} + c_j) with c_j = k max(L_d, f_j) the capacity of row j on day d (k seconds of work per
agent per row, L_d the day's level, f_j the row's minimum staffing). Within a day of m rows, from the work done
x before it, with C_p the day's capacity up to its p-th row (the Lindley recursion unrolled):

    P_p = min(x + C_p, M_p + C_p),    M_p = min_{i <= p} (W_i - C_i),

so a level L meets the day's due rows (P_p >= due_p) iff x >= need(L) = max_p (due_p - C_p) and
M_p + C_p >= due_p for every p (which does not depend on x), and leaves y = min(x + C_m, M_m + C_m) to the day
after. The fewest agent-intervals from day d on, as a function U_d(x) of the work done before it, is a
non-increasing step function:

    U_d(x) = min over the levels L that meet day d from x of  sum_j max(L, f_j) + U_{d+1}(y(L, x)),   U_{D+1} = 0,

computed backwards, each U_d as its steps (the work done from which each cost is reached); then forwards from
x = 0, each day the least level that reaches U_d(x). That least-level choice is the day-by-day answer (the least
level meeting each day in turn, days in order; :func:`_least_level_each_day`) wherever that one is also the
fewest in total, and in random trials it always was: only the staffings it did not make fewest change. It
differs where more agents early save more later: work that must be done by the third day can be worked on the
second instead of all at once on the third (levels 0, 1, 0 instead of 0, 0, 4). The answer is checked against
the due curve by the model itself; should the check fail (rounding at a boundary), or the tables outgrow their
budget (_MAX_CELLS, _MAX_CELLS_IN_ALL: a large queue whose response time spans days, where U has thousands of
steps a day and working ahead saved 0.02 %), the day-by-day answer is used.

Levels above the one that keeps up with every row from the least work done a day can start from (the day
before's due work) change nothing but the cost, so each day's table runs from 0 to that bound (:func:`_enough`);
in the backward pass only the levels that meet the day from the most work it can start from, up to the least
that meets it from the least and reaches U_{d+1}'s last step, are tried. Dynamic programming over a monotone
state: R. Bellman, *Dynamic Programming* (1957); the fluid queue: G. F. Newell, *Applications of Queueing
Theory* (2nd ed., 1982).
"""

from __future__ import annotations

from functools import partial

import numpy as np
from numpy.typing import NDArray

from wfm.deferred_curves import _CEIL_SLACK, _START, _Before, _processed, _processed_from, _Queue

_MAX_CELLS = 1_000_000
"""The most levels x rows, or levels x steps of U, one day may take, and the most rows x rows of its level bound;
beyond, the day-by-day answer (a day of thousands of 1-minute rows)."""
_MAX_CELLS_IN_ALL = 6_000_000
"""The most levels x steps of U the whole backward pass may take (about 0.5 s here), foreseen from each day's
cells times the days still to go; beyond, the day-by-day answer. U's steps grow with the volume and with the days
a response time spans (a queue of 90 agents whose items are due two open days later: 240 levels x 800 steps a
day), where working ahead saved 0.02 % of the agent-intervals; the budget keeps such a year within about 0.1 s
of day by day."""


def level_by_day(q: _Queue, due: NDArray[np.float64], open_rows: NDArray[np.intp], open_days: NDArray[np.int64],
                 k: float, floor_staff: NDArray[np.int64]) -> NDArray[np.int64]:
    """Agents per row (0 outside ``open_rows``): on each local day (``open_days``, one per open row, in order) one
    level over its open rows, at least ``floor_staff`` in each, keeping the work done at or above ``due`` (per open
    row) with the fewest agent-intervals in all (module docstring). The just-in-time staffing
    (:func:`wfm.deferred._least_agents`) meets the same due curve with the least cumulative capacity, but works
    each item as late as the target allows: spikes of agents just before the deadlines. The level one answers
    the same items sooner."""
    slack = _CEIL_SLACK * (q.arrived[-1] + 1.0)
    fewest = _fewest_levels(q, due - slack, open_rows, open_days, k, floor_staff)
    if fewest is not None:
        done = _processed(q.arrived, np.where(q.open_, fewest.astype(np.float64) * k, 0.0))
        if np.all(done[open_rows] >= due - slack):
            return fewest
    return _least_level_each_day(q, due, open_rows, open_days, k, floor_staff)


def _fewest_levels(q: _Queue, due: NDArray[np.float64], open_rows: NDArray[np.intp], open_days: NDArray[np.int64],
                   k: float, floor_staff: NDArray[np.int64]) -> NDArray[np.int64] | None:
    """:func:`level_by_day` by dynamic programming (module docstring), ``due`` with its slack taken off already;
    None when the tables outgrow _MAX_CELLS or _MAX_CELLS_IN_ALL."""
    days = np.split(np.arange(open_days.size), np.flatnonzero(np.diff(open_days)) + 1) if open_days.size else []
    tables = []
    low, high = [], []  # the least and the most work done before each day that any staffing meeting the curve has
    x_low = x_high = 0.0
    for where in days:
        arrived, e, floor = q.arrived[open_rows[where]], due[where], floor_staff[where].astype(np.float64)
        if arrived.size * arrived.size > _MAX_CELLS:
            return None
        top = _enough(arrived, e, floor, k, x_low)
        if (top + 1) * arrived.size > _MAX_CELLS:
            return None
        agents = np.maximum(np.arange(top + 1, dtype=np.float64)[:, None], floor[None, :])
        capacity = k * np.cumsum(agents, axis=1)  # C_p per level
        m = np.minimum.accumulate(arrived[None, :] - capacity, axis=1)
        meets = np.all(m + capacity >= e[None, :], axis=1)
        need = np.max(e[None, :] - capacity, axis=1)
        tables.append((agents.sum(axis=1), capacity[:, -1], m[:, -1] + capacity[:, -1], need, meets))
        low.append(x_low)
        high.append(x_high)
        x_low, x_high = max(float(e[-1]), 0.0), float(arrived[-1])
    steps: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = [(np.zeros(0), np.zeros(0))] * len(days)
    from_, cost_on = np.array([-np.inf]), np.array([0.0])  # U_{D+1}: nothing more to pay, whatever is done
    budget = _MAX_CELLS_IN_ALL
    for d in range(len(days) - 1, -1, -1):
        steps[d] = (from_, cost_on)
        cost, capacity_end, most, need, meets = tables[d]
        # The levels that can be chosen: those meeting the day from the most work done it can start from, up to the
        # least that meets it from the least and reaches U_{d+1}'s last step (from there on, more only costs more)
        usable = meets & (need <= high[d])
        enough = meets & (need <= low[d]) & (np.minimum(low[d] + capacity_end, most) >= from_[-1])
        if enough.any():
            usable[int(np.argmax(enough)) + 1:] = False
        cost, capacity_end, most, need = cost[usable], capacity_end[usable], most[usable], need[usable]
        cells = cost.size * from_.size
        budget -= cells
        if cells > _MAX_CELLS or budget < cells * d:  # this day's cells on each day still to go would outrun it
            return None
        # level L reaches step i of U_{d+1} (y >= from_i) from x >= from_i - C_m, if M_m + C_m >= from_i at all
        start = np.maximum(need[:, None], from_[None, :] - capacity_end[:, None])
        total = cost[:, None] + cost_on[None, :]
        ok = from_[None, :] <= most[:, None]
        start, total = np.maximum(start[ok], low[d]), total[ok]  # no day starts below low[d]: one step there
        kept = start <= high[d]  # nor above high[d]
        start, total = start[kept], total[kept]
        order = np.lexsort((total, start))
        start, total = start[order], total[order]
        best = total < np.minimum.accumulate(np.r_[np.inf, total])[:-1]  # each step costs less than all before
        from_, cost_on = start[best], total[best]
        if from_.size == 0:  # cannot happen (the day's top level meets it from its least work): a broken invariant
            return None
    out = np.zeros(q.work.size, dtype=np.int64)
    x = 0.0
    for d, where in enumerate(days):
        cost, capacity_end, most, need, meets = tables[d]
        after = np.minimum(x + capacity_end, most)
        later_from, later_cost = steps[d]
        step = np.searchsorted(later_from, after, side="right") - 1
        total = np.where(meets & (x >= need) & (step >= 0), cost + later_cost[np.maximum(step, 0)], np.inf)
        level = int(np.argmin(total))  # the least level of the fewest in all
        if not np.isfinite(total[level]):
            return None
        out[open_rows[where]] = np.maximum(level, floor_staff[where])
        x = float(after[level])
    return out


def _enough(arrived: NDArray[np.float64], due: NDArray[np.float64], floor: NDArray[np.float64], k: float,
            done_before: float) -> int:
    """A level from which more agents change nothing on a day but its cost, for any work done before it at least
    ``done_before``: it meets every due row (P_p >= due_p needs C_p >= due_p - done_before and, for i < p,
    C_p - C_i >= due_p - W_i) and ends the day with all arrived work done (C_m >= W_m - done_before and
    C_m - C_i >= W_m - W_i). Bounds with no minimum staffing, which only adds capacity."""
    rows = arrived.size
    p = np.arange(1, rows + 1, dtype=np.float64)
    gap = p[None, :] - p[:, None]  # p - i
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = max(
            float(np.max((due - done_before) / p)),
            float(np.max(np.where(gap > 0, (due[None, :] - arrived[:, None]) / gap, 0.0))),
            (float(arrived[-1]) - done_before) / rows,
            float(np.max(np.where(p < rows, (arrived[-1] - arrived) / (rows - p), 0.0))),
            0.0,
        ) / k
    return int(max(np.ceil(bound), floor.max(initial=0.0))) + 1


def _day_meets(level: int, arrived: NDArray[np.float64], local: NDArray[np.intp], floor: NDArray[np.int64],
               due: NDArray[np.float64], k: float, before: _Before) -> bool:
    """Whether ``level`` agents (at least ``floor``) on a day's open rows (``local`` in its window of rows) keep the
    work done at or above ``due`` there, from what the days before leave."""
    trial = np.zeros(arrived.size, dtype=np.int64)
    trial[local] = np.maximum(level, floor)
    done = _processed_from(arrived, trial.astype(np.float64) * k, before)[0]
    return bool(np.all(done[local] >= due))


def _least_level_each_day(q: _Queue, due: NDArray[np.float64], open_rows: NDArray[np.intp],
                          open_days: NDArray[np.int64], k: float, floor_staff: NDArray[np.int64]) -> NDArray[np.int64]:
    """:func:`level_by_day` day by day: on each day the least level that keeps the work done at or above the due
    curve in that day's rows, days in order (each day starting from the backlog the previous days leave). Work
    done only grows with the capacity of any row (the Lindley recursion is monotone), so each day's level is
    found by bisection, and later days never undo an earlier day's deadlines. Least day by day, not always in
    all: it works nothing ahead (levels 0, 0, 4 where 0, 1, 0 would do)."""
    n = q.work.size
    agents = np.zeros(n, dtype=np.int64)
    slack = _CEIL_SLACK * (q.arrived[-1] + 1.0)
    # Each day is tried on its own rows only (from the end of the day before to its last open row), starting from
    # what the days before leave (_processed_from): later rows have no capacity yet and cannot change work done
    # earlier, so this is the whole-horizon recursion's answer, linear in the horizon (it was one whole-horizon
    # pass per probe: a year of e-mail took seconds).
    before, first = _START, 0
    bounds = np.flatnonzero(np.diff(open_days)) + 1
    for where in np.split(np.arange(open_days.size), bounds):
        rows = open_rows[where]
        last = int(rows[-1]) + 1
        arrived, local = q.arrived[first:last], rows - first

        meets = partial(_day_meets, arrived=arrived, local=local, floor=floor_staff[where], due=due[where] - slack,
                        k=k, before=before)
        hi = 1
        while not meets(hi):
            hi *= 2
            if hi > 1 << 40:  # cannot happen: all the arrived work fits in one row at this level
                raise AssertionError("no level meets the due curve")
        lo = -1  # meets(lo) unknown below 0: bisect on (lo, hi]
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if mid >= 0 and meets(mid):
                hi = mid
            else:
                lo = mid
        agents[rows] = np.maximum(hi, floor_staff[where])
        before = _processed_from(arrived, agents[first:last].astype(np.float64) * k, before)[1]
        first = last
    return agents
