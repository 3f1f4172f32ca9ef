"""Deferred work below 100 %: one level of agents per day that meets the share target itself, with as few
agent-intervals as the search finds (:func:`least_levels`), every staffing tried measured by the model's own shares
(:func:`wfm.deferred_curves._within`). :mod:`wfm.deferred` sizes a due curve first and passes its staffing here as
the start. Pure vectorised math, no I/O.

Why a search. Below 100 % a due curve has to say in advance which items may be late, and first in, first out no
curve fixed in advance says it well: the items a level answers late are the tail of the backlog it opens with and
the items that queue behind it until it catches up (the night's work and the early morning's), and which and how
many follow from the level itself. So the levels are searched, and the target decides: day d's share within R,

    S_d(L) = items of day d answered within R / items of day d,

for levels L (one per day with rows worked; agents max(L_d, f_j) in its rows, f_j the minimum staffing), in the
steady state of the cycle (:mod:`wfm.deferred_curves`), with capacity for the cycle's work (else there is no
steady state: the backlog grows every cycle). Every S_d only grows with any day's level: more capacity in any row
leaves the work done P at least as high at every time and the carried backlog no larger (the Lindley recursion is
monotone), so no item is answered later. The steps, from the start's levels:

1. Can a day lose an agent, the others as they are? If none can, step 4.
2. A lower bound per day. lb_d is the least level of day d that meets the target on every day when every other day
   does all its work as it arrives (the best there is: P_j = W_j at their rows' ends). By monotonicity every
   staffing that meets the target has L_d >= lb_d on every day. With the other days doing all their work, a day's
   level changes the work done only from its own rows to the end of the next day's first row (P = W again there),
   so days three apart are bisected at once, one evaluation of the cycle per step, and each bound is exact. If the
   bounds together meet the target they are the answer, the least one-level-per-day staffing there is.
3. Else the days about each day the bounds miss keep the start's level (widened until the target holds), the
   others their bound, and each of the former in turn, the others fixed, is lowered as far as every day's share
   still meets the target (bisection between its bound and its level). Lowering a day never lets another go
   lower, so after one pass no day can lose an agent.
4. Exchanges: one agent more on a day, or on both its neighbours, where the neighbours, or the day, can then lose
   more (a day whose late items the next day's level answers, a backlog that holds the next day up), kept where it
   takes fewer agent-intervals; then step 3's descent about them, until no exchange pays (at most four rounds).

Days three apart (exchanges: five) are tried at once, a missed day laid at the days tried about it; a change that
misses together with the others is undone day by day, and every staffing kept is measured to meet the target on
every day. The result never takes more agent-intervals than the start. It is the least one-level-per-day
staffing when the bounds meet the target (``Levels.least``); otherwise no day can lose an agent and no exchange
of one agent pays, which is not always the least in all. Against an exhaustive search over every combination of
levels, on 1,000 small random cases (2-4 days, either clock, 50-95 % within 10 min to 8 h; the bounds met the
target together in 816) it found the least in 998, 0.01 % over in all (tests/test_deferred_search.py).

Sources: D. V. Lindley, "The theory of queues with a single server", Proc. Cambridge Philos. Soc. 48 (1952): the
recursion, whose work done only grows with the capacity; G. F. Newell, *Applications of Queueing Theory* (2nd ed.,
1982): the fluid model and its cumulative curves.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from wfm.deferred_curves import _BACKLOG_DUST, _pieces, _Queue, _share_within, _within

__all__ = ["Levels", "least_levels"]

_ROUNDS = 4  # rounds of exchanges at most


class Levels(NamedTuple):
    """What :func:`least_levels` found."""

    agents: NDArray[np.int64]  # per row: max(level of its day, minimum staffing) in the rows worked, else 0
    least: bool  # the per-day lower bounds met the target together: no one-level-per-day staffing has fewer
    bound: int  # agent-intervals of the per-day lower bounds (0 when they were not needed)


def _groups(count: int, apart: int) -> list[NDArray[np.intp]]:
    """Days 0..count-1 (round a cycle) in groups whose members are at least ``apart`` apart both ways round: blocks
    of ``apart`` days, a day of each block in each group, the ``count % apart`` days over spread one a block (one
    group more); each day its own group when there are too few blocks for that."""
    index = np.arange(count)
    blocks, extra = divmod(count, apart)
    if blocks < max(extra, 1):
        return [index[i:i + 1] for i in range(count)]
    sizes = np.full(blocks, apart)
    sizes[:extra] += 1
    position = index - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return [index[position == g] for g in range(int(position.max()) + 1)]


def least_levels(q: _Queue, response_within_s: float, worked_rows: NDArray[np.intp], day: NDArray[np.int64],
                 k: float, floor: NDArray[np.int64], target: float, start: NDArray[np.int64]) -> Levels:
    """One level per day over ``worked_rows`` (``day``: the local-day id of every row) whose share of each day's
    items answered within ``response_within_s`` is at least ``target``, each agent doing ``k`` seconds of work a
    row, at least ``floor`` (per row worked) in each row worked; ``start``: agents per row of a staffing that meets
    the target (one level per day, or any: its highest row a day above the minimum is taken). Module docstring."""
    n = q.work.size
    open_days, of_row = np.unique(day[worked_rows], return_inverse=True)  # the days with rows worked
    count = open_days.size
    pieces = _pieces(q, response_within_s)
    floor_f = floor.astype(np.float64)
    total = float(q.arrived[-1]) if n else 0.0
    rows_per = np.bincount(of_row, minlength=count)

    def capacity(levels: NDArray[np.int64], best: NDArray[np.bool_] | None = None) -> NDArray[np.float64]:
        cap = np.zeros(n)
        cap[worked_rows] = k * np.maximum(levels[of_row], floor_f)
        if best is not None:  # those days do all their work as it arrives
            cap[worked_rows[best[of_row]]] = total + 1.0
        return cap

    def misses(cap: NDArray[np.float64]) -> NDArray[np.intp]:
        """The days (ids) whose share within R is below the target; all of them when the capacity is below the
        cycle's work (no steady state: the backlog would grow every cycle)."""
        if float(cap.sum()) < total - _BACKLOG_DUST * (total + float(cap.sum())):
            return np.arange(int(day.max()) + 1)
        return np.flatnonzero(_share_within(_within(q, pieces, cap), q.volume, day) < target)

    def day_cost(levels: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.bincount(of_row, np.maximum(levels[of_row], floor), minlength=count).astype(np.int64)

    def touched(missed: NDArray[np.intp], tried: NDArray[np.intp], behind: int, ahead: int) -> NDArray[np.bool_]:
        """Per day tried: whether a missed day lies from the ``behind``-th day worked before it to the ``ahead``-th
        after it (round the cycle)."""
        if count <= behind + ahead:
            return np.full(tried.size, missed.size > 0)
        lo, hi = open_days[(tried - behind) % count], open_days[(tried + ahead) % count]
        e = missed[:, None]
        return np.asarray(np.where(lo <= hi, (e >= lo) & (e <= hi), (e >= lo) | (e <= hi)).any(axis=0))

    def bisect(tried: NDArray[np.intp], fails: NDArray[np.int64], meets: NDArray[np.int64], first: NDArray[np.int64],
               levels: NDArray[np.int64], best: NDArray[np.bool_] | None, behind: int, ahead: int) -> NDArray[np.int64]:
        """The least level of each day tried, above ``fails`` (known to miss) and at most ``meets`` (known to meet),
        all at once with the other days at ``levels`` (or doing all their work, ``best``); ``first`` tried first."""
        fails, meets = fails.copy(), meets.copy()
        trial = levels.copy()
        mid = np.clip(first, fails + 1, meets)
        while True:
            active = meets - fails > 1
            if not active.any():
                return meets
            trial[tried] = np.where(active, mid, meets)
            bad = touched(misses(capacity(trial, best)), tried, behind, ahead)
            meets = np.where(active & ~bad, mid, meets)
            fails = np.where(active & bad, mid, fails)
            mid = (fails + meets) // 2

    def settle(trial: NDArray[np.int64], levels: NDArray[np.int64], tried: NDArray[np.intp],
               changed: NDArray[np.bool_], span: tuple[int, ...], behind: int, ahead: int) -> NDArray[np.bool_]:
        """Undo, day tried by day tried, the changes that miss the target together (``changed`` per day tried, each
        having moved the days ``tried + span``), in ``trial``, in place; the changes kept."""
        changed = changed.copy()
        while changed.any():
            missed = misses(capacity(trial))
            if missed.size == 0:
                break
            undo = touched(missed, tried, behind, ahead) & changed
            if not undo.any():
                undo = changed
            for offset in span:
                at = (tried[undo] + offset) % count
                trial[at] = levels[at]
            changed &= ~undo
        return changed

    def descend(levels: NDArray[np.int64], may: NDArray[np.bool_], bound: NDArray[np.int64]) -> NDArray[np.int64]:
        """Each day in ``may`` lowered as far as the target holds, the others fixed (days three apart at once)."""
        for group in _groups(count, 3):
            tried = group[may[group] & (levels[group] > bound[group])]
            if tried.size == 0:
                continue
            trial = levels.copy()
            trial[tried] = bisect(tried, bound[tried] - 1, levels[tried], levels[tried] - 1, levels, None, 1, 2)
            settle(trial, levels, tried, trial[tried] < levels[tried], (0,), 1, 2)
            levels = trial
        return levels

    # The start's level per day: its highest row above the minimum staffing (0 where none is).
    high = np.zeros(count, dtype=np.int64)
    np.maximum.at(high, of_row, np.where(start[worked_rows] > floor, start[worked_rows], 0))
    levels = high.copy()
    bound = np.zeros(count, dtype=np.int64)
    least, bound_cost = False, 0
    # 1. Can a day lose an agent? (one evaluation a group of days)
    droppable = np.zeros(count, dtype=bool)
    for tried in _groups(count, 3):
        tried = tried[levels[tried] > 0]
        if tried.size:
            trial = levels.copy()
            trial[tried] -= 1
            droppable[tried] = ~touched(misses(capacity(trial)), tried, 1, 2)
    if droppable.any():
        # 2. Bounds: each day bisected with every other day doing all its work (days three apart at once, exact).
        for tried in _groups(count, 3):
            others = np.ones(count, dtype=bool)
            others[tried] = False
            bound[tried] = bisect(tried, np.full(tried.size, -1), high[tried], high[tried] // 2, high, others, 1, 1)
        bound_cost = int(day_cost(bound).sum())
        missed = misses(capacity(bound))
        if missed.size == 0:
            levels, least = bound, True
        else:  # 3. the days about each missed day keep the start's level (widened until the target holds); descent
            before = (np.searchsorted(open_days, missed, side="right") - 1) % count  # the day worked at or before
            keep = np.zeros(count, dtype=bool)
            keep[before] = keep[(before + 1) % count] = True
            index, reach = np.arange(count), 1
            while not keep.all():
                if misses(capacity(np.where(keep, high, bound))).size == 0:
                    break
                gap = (index[:, None] - np.flatnonzero(keep)[None, :]) % count
                keep |= np.minimum(gap, count - gap).min(axis=1) <= reach
                reach *= 2
            levels = descend(np.where(keep, high, bound), keep, bound)

    # 4. Exchanges: one agent more on a day (its neighbours lowered) or on both its neighbours (the day lowered), each
    # tried with the least drop that pays and kept where it takes fewer agent-intervals; then the descent about them.
    if not least and count >= 3:
        where = np.ones(count, dtype=bool)  # the days about which exchanges are tried
        for _ in range(_ROUNDS):
            moved = np.zeros(count, dtype=bool)
            for centre_raised in (True, False):
                for centres in _groups(count, 5):
                    centres = centres[where[centres]]
                    if centres.size == 0:
                        continue
                    left, right = (centres - 1) % count, (centres + 1) % count
                    raised = np.concatenate([centres] if centre_raised else [left, right])
                    lower = np.concatenate((left, right)) if centre_raised else centres
                    trial = levels.copy()
                    trial[raised] += 1
                    extra = (day_cost(trial) - day_cost(levels))[raised].reshape(-1, centres.size).sum(axis=0)
                    per_level = rows_per[lower].reshape(-1, centres.size).sum(axis=0)
                    drop = np.tile(extra // np.maximum(per_level, 1) + 1, lower.size // max(centres.size, 1))
                    can = trial[lower] - drop >= bound[lower]
                    if not can.any():
                        continue
                    lower, drop = lower[can], drop[can]
                    probe = trial.copy()
                    probe[lower] -= drop
                    fine = ~touched(misses(capacity(probe)), lower, 1, 2)
                    trial[lower[fine]] -= drop[fine]
                    triple = np.stack((left, centres, right))
                    pays = day_cost(trial)[triple].sum(axis=0) < day_cost(levels)[triple].sum(axis=0)
                    for row in triple:  # where it does not pay, as before
                        trial[row[~pays]] = levels[row[~pays]]
                    kept = settle(trial, levels, centres, pays, (-1, 0, 1), 2, 3)
                    if kept.any():
                        moved[triple[:, kept].ravel()] = True
                        levels = trial
            if not moved.any():
                break
            where = np.zeros(count, dtype=bool)
            for offset in (-2, -1, 0, 1, 2):
                where[(np.flatnonzero(moved) + offset) % count] = True
            levels = descend(levels, where, bound)
    agents = np.zeros(n, dtype=np.int64)
    agents[worked_rows] = np.maximum(levels[of_row], floor)
    return Levels(agents, least, bound_cost)
