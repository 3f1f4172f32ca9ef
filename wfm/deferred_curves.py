"""Deferred work (email, social media, back office): the fluid model of one first-in first-out queue on its
clock, and what a staffing delivers per row (:func:`measures`, :func:`share_within`); the least staffing
that meets a target is sized in :mod:`wfm.deferred`. Pure vectorised math, no I/O.

The model is a deterministic FLUID approximation of one first-in first-out queue. Rows i = 0..n-1 are the
queue's intervals in time order (gaps between them are closed, with no arrivals); items arrive spread
uniformly over their interval, ``w_i = volume_i x AHT_i`` seconds of work; the team works only in open rows,
``c_i`` seconds of work per interval (``capacity_s``; ``agents x interval_s x max_occupancy`` when sizing),
at a uniform rate whenever there is work. It ignores:
  * randomness: arrivals and handle times are their means, with no Poisson variation within or between
    intervals, so a target met here is met on average, with no margin for bursts;
  * the kink in the processing rate inside an interval: the true fluid works at full rate until the backlog
    clears and then at the arrival rate; here the work done in an interval is spread evenly over it (the
    interval-end values are exact, the in-between linear).

The clock (``clock``) on which response times, the target and the sizing deadline are counted:
  "elapsed"  real seconds (time while the team is closed counts);
  "open"     open seconds only: closed rows and gaps have zero length, so everything that arrives while the
             team is closed is stamped at the start of the next open time.

Cumulative curves (Newell 1982): W(tau) work arrived and P(tau) work done by clock time tau. At row ends,
with W_i = sum_{j<=i} w_j and C_i = sum_{j<=i} c_j, the Lindley recursion B_i = max(0, B_{i-1} + w_i - c_i)
(Lindley 1952) for the backlog B_i = W_i - P_i has the closed form

    P_i = C_i + min(0, min_{s<=i} (W_s - C_s))                          (np.minimum.accumulate)

FIFO: the work at position u (0 <= u <= W_n) arrives at T_W(u) = W^-1(u) and is finished at T_P(u) = P^-1(u);
its response is the horizontal distance r(u) = T_P(u) - T_W(u) between the two curves. Both are piecewise
linear in u with breakpoints at the W_i and P_i, so on each segment between consecutive breakpoints r is
linear (limits taken from inside the segment: flat curves make the inverses jump). The share of a segment
with r <= R is then its linear crossing and the integral of r its trapezoid, exactly. Items, not seconds,
are counted: a segment in arrival row i weighs (its length / AHT_i) items. Responses within
R + 1e-9 x (T + R) (rounding) count as within.

The rows are one cycle that repeats (a plan week, week after week): the cycle lasts T on the clock, the rows'
span H plus the time until its first row comes round again (``cycle_s``: by default the span rounded up to whole
weeks, the days without rows closed; on the open clock closed time has no length, so T = H). Nothing of the
cycle is known to be left over "for later": the work a cycle leaves undone is the next cycle's first work, so it
is carried into the cycle's start, first in line, with its deadlines. In the steady state the carried backlog b
is the one the cycle leaves: B_n(b) = max(b + W_n - C_n, M) with M = max over s of the work arrived minus the
capacity after row s (Lindley unrolled; M >= 0), so for C_n >= W_n the least fixed point is b = M = B_n(0), the
backlog one cycle leaves from an empty start; P is then the closed form above started from b, on the work axis
u in [-b, W_n). The last b of the cycle's own work, not done by H, is done in the next cycle at
T + P^-1(u - W_n), so its response is exact too. With C_n < W_n there is no steady state (the backlog grows by
W_n - C_n every cycle): the cycle is measured as the second one from an empty start (carry b = B_n(0)), and the
work neither it nor the carry into the next reaches is never answered in the model: late, with no response
(mean_response_s NaN for its rows).

Sources: D. V. Lindley, "The theory of queues with a single server", Proc. Cambridge Philos. Soc. 48 (1952);
G. F. Newell, *Applications of Queueing Theory* (2nd ed., 1982): cumulative arrival and departure curves and
the fluid approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm.channels import RESPONSE_CLOCKS as CLOCKS

__all__ = ["DeferredMeasures", "measures", "share_within", "CLOCKS"]

_TIME_TOLERANCE = 1e-9  # x (cycle + R): a response that equals R up to rounding is within R
_CEIL_SLACK = 1e-9  # due / k = 4.000000000000001 agent-intervals of work is 4 agents (wfm.deferred, deferred_levels)
_BACKLOG_DUST = 1e-12  # x (arrived + capacity): a backlog this small is rounding
WEEK_S = 7 * 86_400  # the default cycle is whole weeks of this many seconds


@dataclass(frozen=True)
class DeferredMeasures:
    """What a staffing delivers, per row (arrays of the rows' length)."""

    service_level: NDArray[np.float64]  # share of the row's arriving items answered within R (1 if none arrive)
    mean_response_s: NDArray[np.float64]  # mean response of the row's arrivals, s on the clock (NaN if none, or if
    # some of them are never answered: capacity below the work arriving per cycle)
    backlog: NDArray[np.float64]  # items waiting at the row's end (arrived, not finished; the carried ones too)
    worked_s: NDArray[np.float64]  # seconds of work done in the row
    occupancy: NDArray[np.float64]  # worked_s / capacity_s (0 when the capacity is 0)


class _Queue(NamedTuple):
    """The validated rows on the chosen clock."""

    start: NDArray[np.float64]  # clock time of each row's start (s from the first row's start)
    length: NDArray[np.float64]  # clock length of each row (0 for closed rows on the open clock)
    horizon: float  # clock time of the last row's end (H)
    cycle: float  # clock time from the first row's start to its start in the next cycle (T >= H; = H on the open clock)
    interval_s: float
    volume: NDArray[np.float64]
    aht_s: NDArray[np.float64]  # 1 where no items arrive (never used there)
    open_: NDArray[np.bool_]
    work: NDArray[np.float64]  # w_i, seconds of work arriving
    arrived: NDArray[np.float64]  # W_i, cumulative, at row ends


# --- Input checks and the clock ------------------------------------------------------------------------


def _float_row(name: str, values: ArrayLike, n: int) -> NDArray[np.float64]:
    x = np.asarray(values, dtype=np.float64)
    if x.shape != (n,):
        raise ValueError(f"{name} must be a 1-D array of {n} values (one per row), got shape {x.shape}")
    return x


def _queue(interval_start_s: ArrayLike, interval_s: float, volume: ArrayLike, aht_s: ArrayLike,
           open_: ArrayLike, response_within_s: float, clock: str, cycle_s: float | None = None) -> _Queue:
    starts = np.asarray(interval_start_s)
    if starts.ndim != 1 or not np.issubdtype(starts.dtype, np.integer):
        raise TypeError("interval_start_s must be a 1-D array of integer epoch seconds")
    n = starts.size
    opened = np.asarray(open_)
    if opened.shape != (n,) or opened.dtype != np.bool_:
        raise TypeError(f"open_ must be a 1-D bool array of {n} values, got {opened.dtype} of shape {opened.shape}")
    vol = _float_row("volume", volume, n)
    aht = _float_row("aht_s", aht_s, n)
    length = float(interval_s)
    if not (np.isfinite(length) and length > 0.0):
        raise ValueError(f"interval_s must be finite and > 0 seconds, got {interval_s!r}")
    if np.any(np.diff(starts) < length):
        raise ValueError("interval_start_s must increase by at least interval_s from row to row")
    if not np.all(np.isfinite(vol) & (vol >= 0.0)):
        raise ValueError("volume must be finite and >= 0")
    arriving = vol > 0.0
    if not np.all(np.isfinite(aht[arriving]) & (aht[arriving] > 0.0)):
        raise ValueError("aht_s must be finite and > 0 where items arrive")
    r = float(response_within_s)
    if not (np.isfinite(r) and r > 0.0):
        raise ValueError(f"response_within_s must be finite and > 0 seconds, got {response_within_s!r}")
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {CLOCKS}, got {clock!r}")
    if clock == "elapsed":
        start = (starts - starts[0]).astype(np.float64) if n else np.zeros(0)
        row_length = np.full(n, length)
    else:
        row_length = np.where(opened, length, 0.0)
        start = np.concatenate(([0.0], np.cumsum(row_length)[:-1])) if n else np.zeros(0)
    horizon = float(start[-1] + row_length[-1]) if n else 0.0
    span = float(starts[-1] - starts[0]) + length if n else 0.0  # elapsed seconds from the first start to the last end
    cycle: float
    if cycle_s is None:
        cycle = float(WEEK_S * max(math.ceil(span / WEEK_S - 1e-12), 1))
    else:
        cycle = float(cycle_s)
        if not (np.isfinite(cycle) and cycle >= span):
            raise ValueError(f"cycle_s must be finite and at least the rows' span, {span:g} s, got {cycle_s!r}")
    if clock == "open":
        cycle = horizon  # closed time has no length: the next cycle's first open row follows the last at once
    aht = np.where(arriving, aht, 1.0)
    work = vol * aht
    return _Queue(start, row_length, horizon, cycle, length, vol, aht, opened, work, np.cumsum(work))


def _before(cumulative: NDArray[np.float64]) -> NDArray[np.float64]:
    """The cumulative value at each row's start: the previous row's end (0 for the first row), exactly."""
    return np.concatenate(([0.0], cumulative[:-1]))


def _arrived_at(q: _Queue, tau: NDArray[np.float64]) -> NDArray[np.float64]:
    """W(tau): work arrived by clock time tau, right-continuous (on the open clock, what arrived while
    closed is all there at the next open time), on the cycle repeated: W(tau + T) = W(tau) + W_n (negative
    before the cycle's start: the cycle before's work, counted back from its end)."""
    n = q.work.size
    tau = np.asarray(tau, dtype=np.float64)
    turns = np.floor(tau / q.cycle) if q.cycle > 0.0 else np.zeros(tau.shape)
    tau = tau - turns * q.cycle
    end = q.start + q.length
    i = np.searchsorted(end, tau, side="right")  # rows ended by tau; row i (if any) has not
    j = np.minimum(i, n - 1)
    span = q.length[j]
    part = np.clip((tau - q.start[j]) / np.where(span > 0.0, span, 1.0), 0.0, 1.0)
    part = np.where((i < n) & (span > 0.0), part, 0.0)
    return np.where(i > 0, q.arrived[np.maximum(i - 1, 0)], 0.0) + q.work[j] * part + turns * q.arrived[-1]


# --- What a staffing delivers -------------------------------------------------------------------------


def _processed(arrived: NDArray[np.float64], capacity: NDArray[np.float64]) -> NDArray[np.float64]:
    """P_i, work done by each row's end: the Lindley recursion in closed form (module docstring)."""
    return _processed_from(arrived, capacity, _START)[0]


class _Before(NamedTuple):
    """What the rows before a window leave to :func:`_processed_from`: the cumulative capacity, the lowest
    min(slack, 0) and the most work done (-inf before any capacity), all at the last of them."""

    capacity_end: float
    low: float
    done: float


_START = _Before(0.0, 0.0, -np.inf)


def _processed_from(arrived: NDArray[np.float64], capacity: NDArray[np.float64],
                    before: _Before) -> tuple[NDArray[np.float64], _Before]:
    """:func:`_processed` of a window of rows (``arrived`` cumulative from the first row of all) given what the
    rows before it leave, and what it leaves to the next window: a day at a time, linear in the horizon, and the
    same floats as one pass over every row (the cumulative sums run on from ``before`` in the same order)."""
    capacity_end = np.cumsum(np.r_[before.capacity_end, capacity])[1:]
    slack = arrived - capacity_end
    low = np.minimum.accumulate(np.r_[before.low, np.minimum(slack, 0.0)])[1:]
    backlog = slack - low
    backlog[backlog <= _BACKLOG_DUST * (arrived + capacity_end)] = 0.0
    done = np.where(capacity > 0.0, arrived - backlog, -np.inf)  # nothing is done in a row without capacity
    best = np.maximum.accumulate(np.r_[before.done, done])[1:]
    after = _Before(float(capacity_end[-1]), float(low[-1]), float(best[-1])) if arrived.size else before
    return np.minimum(np.maximum(best, 0.0), arrived), after


def _times(u: NDArray[np.float64], row: NDArray[np.intp], cumulative: NDArray[np.float64],
           amount: NDArray[np.float64], q: _Queue) -> NDArray[np.float64]:
    """Clock time at which a curve (``cumulative`` at row ends, ``amount`` per row, > 0 in ``row``) reaches
    u, the curve taken linear over the row."""
    share = np.clip((u - (cumulative[row] - amount[row])) / amount[row], 0.0, 1.0)
    return q.start[row] + q.length[row] * share


def _share_below(r_lo: NDArray[np.float64], r_hi: NDArray[np.float64], lo_in: NDArray[np.bool_],
                 hi_in: NDArray[np.bool_], limit: float) -> NDArray[np.float64]:
    """The fraction of a segment where r, linear from r_lo to r_hi, is within the limit (ends' verdicts
    given: they may cross the limit only where r_lo != r_hi)."""
    step = np.where(lo_in != hi_in, r_hi - r_lo, 1.0)
    x = np.clip((limit - r_lo) / step, 0.0, 1.0)
    return np.where(lo_in & hi_in, 1.0, np.where(lo_in == hi_in, 0.0, np.where(lo_in, x, 1.0 - x)))


def _steady(q: _Queue, capacity: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """P_i at row ends in the steady state, on the cycle's work axis (the carried work at [-b, 0)), and the carry b:
    the backlog one cycle leaves from an empty start (module docstring). b = 0 leaves P as from an empty start."""
    first = _processed(q.arrived, capacity)
    carry = float(q.arrived[-1] - first[-1]) if first.size else 0.0
    if carry <= 0.0:
        return first, 0.0
    return _processed(q.arrived + carry, capacity) - carry, carry


def _evaluate(q: _Queue, capacity: NDArray[np.float64], response_within_s: float) -> DeferredMeasures:
    n = q.work.size
    capacity = np.where(q.open_, capacity, 0.0)
    done, carry = _steady(q, capacity)
    worked = np.diff(done, prepend=-carry)
    occupancy = np.divide(worked, capacity, out=np.zeros(n), where=capacity > 0.0)
    level, mean = np.ones(n), np.full(n, np.nan)
    total = float(q.arrived[-1]) if n else 0.0
    if n and total > 0.0:
        # Work at u <= reach is done within the cycle; at u >= tail (the last ``carry`` of it) in the next one, as the
        # carried work at u - W_n is in this one; in between (only with capacity below the work arriving) never.
        reach, tail = float(done[-1]), total - carry
        if tail - reach <= _BACKLOG_DUST * (total + float(capacity.sum())):
            reach = tail  # the steady state: what the cycle leaves is what it was left, up to rounding
        u = np.unique(np.concatenate(([0.0, total, reach, tail, reach + total], q.arrived, done, done + total)))
        u = u[(u >= 0.0) & (u <= total)]
        lo, hi = u[:-1], u[1:]
        width = hi - lo
        mid = 0.5 * (lo + hi)
        row_w = np.searchsorted(q.arrived, lo, side="right")  # the arrival row of each segment
        now, later = mid < reach, (mid > tail) & (mid - total < reach)  # done in this cycle, in the next
        shift = np.where(later, total, 0.0)  # the position the work has in the cycle it is done in
        row_p = np.minimum(np.searchsorted(done, mid - shift, side="right"), n - 1)  # its processing row
        did = np.where(worked > 0.0, worked, 1.0)  # > 0 in every answered segment's row
        arrive_lo = _times(lo, row_w, q.arrived, q.work, q)
        arrive_hi = _times(hi, row_w, q.arrived, q.work, q)
        answered = now | later
        turn = np.where(later, q.cycle, np.where(now, 0.0, np.nan))  # never answered: no time
        end_lo = _times(lo - shift, row_p, done, did, q) + turn
        end_hi = _times(hi - shift, row_p, done, did, q) + turn
        r_lo = np.maximum(end_lo - arrive_lo, 0.0)
        r_hi = np.maximum(end_hi - arrive_hi, 0.0)
        limit = response_within_s + _TIME_TOLERANCE * (q.cycle + response_within_s)
        lo_in, hi_in = answered & (r_lo <= limit), answered & (r_hi <= limit)
        within = width * _share_below(np.nan_to_num(r_lo), np.nan_to_num(r_hi), lo_in, hi_in, limit)
        items = np.bincount(row_w, width, minlength=n)
        arriving = items > 0.0
        level[arriving] = np.minimum(np.bincount(row_w, within, minlength=n)[arriving] / items[arriving], 1.0)
        mean[arriving] = np.bincount(row_w, width * 0.5 * (r_lo + r_hi), minlength=n)[arriving] / items[arriving]
    # items done by each row's end, counted from the cycle's own first (negative: the carried ones not yet done)
    items_done = np.where(done >= 0.0, _items_at(q, np.maximum(done, 0.0)), _items_at(q, done + total) - q.volume.sum())
    backlog = np.maximum(np.cumsum(q.volume) - items_done, 0.0)
    return DeferredMeasures(level, mean, backlog, worked, occupancy)


class _At(NamedTuple):
    """Where clock times fall on the cycle, to read P there (:func:`_located`)."""

    before: NDArray[np.intp]  # the last row ended by then (0 if none)
    any_before: NDArray[np.bool_]  # whether a row has ended by then
    row: NDArray[np.intp]  # the row going on then (the last row if none)
    part: NDArray[np.float64]  # the share of that row gone by (0 if none is going on)
    turns: NDArray[np.float64]  # whole cycles gone by


class _Pieces(NamedTuple):
    """The arriving work of each row cut where its deadlines cross a row's start or end (:func:`_pieces`): per
    piece its arrival row, its work positions u0 < u1 and where its two deadlines fall."""

    rows: NDArray[np.intp]  # the rows with work arriving
    row: NDArray[np.intp]  # each piece's position in ``rows``
    u0: NDArray[np.float64]
    u1: NDArray[np.float64]
    at0: _At  # the deadline of u0
    at1: _At  # the deadline of u1, taken from the left (at a cycle's start: the cycle before's end)


def _located(q: _Queue, tau: NDArray[np.float64], from_left: NDArray[np.bool_]) -> _At:
    """Where clock times ``tau`` (any number of cycles on) fall; a time at a cycle's start taken ``from_left`` is
    the cycle before's end."""
    n = q.work.size
    turns = np.floor(tau / q.cycle)
    tau = tau - turns * q.cycle
    wrap = from_left & (tau <= 0.0) & (turns > 0.0)
    turns = np.where(wrap, turns - 1.0, turns)
    tau = np.where(wrap, q.cycle, tau)
    i = np.searchsorted(q.start + q.length, tau, side="right")  # rows ended by tau; row i (if any) has not
    j = np.minimum(i, n - 1)
    span = q.length[j]
    part = np.where((i < n) & (span > 0.0), np.clip((tau - q.start[j]) / np.where(span > 0.0, span, 1.0), 0.0, 1.0),
                    0.0)
    return _At(np.maximum(i - 1, 0), i > 0, j, part, turns)


def _pieces(q: _Queue, response_within_s: float) -> _Pieces:
    """The pieces :func:`_within` reads (they depend on the queue and R, not on the staffing). The deadlines of row
    i's work run linearly over [s_i + R, s_i + l_i + R]; the row starts and ends strictly inside that span cut it,
    so that P is linear over each piece. Rows last interval_s and start at least that far apart, so on the cycle
    (and the next) a span of interval_s holds at most one start and one end: three are looked at."""
    limit = response_within_s + _TIME_TOLERANCE * (q.cycle + response_within_s)
    rows = np.flatnonzero(q.work > 0.0) if q.cycle > 0.0 else np.zeros(0, dtype=np.intp)  # no open time: none
    first = q.start[rows] + limit
    length = q.length[rows]
    bounds = np.unique(np.concatenate((q.start, q.start + q.length, [0.0, q.cycle])))
    bounds = np.concatenate((bounds, bounds[1:] + q.cycle))  # and the next cycle's
    first_in = first - np.floor(first / q.cycle) * q.cycle if rows.size else first
    at = np.searchsorted(bounds, first_in, side="right")[:, None] + np.arange(3)
    cut = bounds[np.minimum(at, bounds.size - 1)]
    inside = (at < bounds.size) & (cut < (first_in + length)[:, None])
    f = np.where(inside, (cut - first_in[:, None]) / np.where(length > 0.0, length, 1.0)[:, None], 1.0)
    f = np.concatenate((np.zeros((rows.size, 1)), f, np.ones((rows.size, 1))), axis=1)  # the pieces' ends, 0..1
    real = f[:, 1:] > f[:, :-1]
    row = np.broadcast_to(np.arange(rows.size)[:, None], real.shape)[real]
    f0, f1 = f[:, :-1][real], f[:, 1:][real]
    w, w0 = q.work[rows][row], (q.arrived[rows] - q.work[rows])[row]
    tau0, tau1 = first[row] + f0 * length[row], first[row] + f1 * length[row]
    return _Pieces(rows, row, w0 + f0 * w, w0 + f1 * w, _located(q, tau0, np.zeros(tau0.shape, dtype=bool)),
                   _located(q, tau1, length[row] > 0.0))


def _within(q: _Queue, pieces: _Pieces, capacity: NDArray[np.float64]) -> NDArray[np.float64]:
    """The share of each row's arriving work answered within R (1 where none arrives): :func:`_evaluate`'s
    service_level to rounding (about 1e-13), at about a quarter of its cost, for searches that try many staffings
    (:mod:`wfm.deferred_search`).

    P is non-decreasing and continuous, so the work at u is answered within R iff P(T_W(u) + R) >= u: done by its
    deadline (with _evaluate's rounding allowance on R). Over a piece of an arrival row (:func:`_pieces`) both
    T_W(u) + R and P there are linear in u, so g(u) = P(T_W(u) + R) - u is linear and the part with g >= 0 is cut
    at its crossing, exactly; P runs on past the cycle's end as P(tau + T) = P(tau) + W_n (the steady state). On the
    open clock the work that arrives while closed arrives at one instant, where g falls with u. With capacity below
    the cycle's work (no steady state: the module docstring) the work at u in (reach, W_n - b) and beyond
    reach + W_n is never answered, and P is read no further than the next cycle's end."""
    n = q.work.size
    capacity = np.where(q.open_, capacity, 0.0)
    done, carry = _steady(q, capacity)
    out = np.ones(n)
    total = float(q.arrived[-1]) if n else 0.0
    if total <= 0.0:
        return out
    if q.cycle <= 0.0:  # no open time at all (the open clock): nothing is answered
        return np.where(q.work > 0.0, 0.0, 1.0)
    reach, tail = float(done[-1]), total - carry
    if tail - reach <= _BACKLOG_DUST * (total + float(capacity.sum())):
        reach = tail  # the steady state
    steady = reach >= tail
    slope = np.diff(done, prepend=-carry)

    def p_at(at: _At) -> NDArray[np.float64]:  # P there, on the cycle's work axis
        p = np.where(at.any_before, done[at.before], -carry) + slope[at.row] * at.part + at.turns * total
        return p if steady else np.where(at.turns >= 2.0, reach + total, p)

    u0, u1 = pieces.u0, pieces.u1
    g0, g1 = p_at(pieces.at0) - u0, p_at(pieces.at1) - u1
    in0, in1 = g0 >= 0.0, g1 >= 0.0
    cross = u0 + (u1 - u0) * np.clip(g0 / np.where(in0 != in1, g0 - g1, 1.0), 0.0, 1.0)
    lo = np.where(in0 | ~in1, u0, cross)  # the part of the piece answered in time
    hi = np.where(in0, np.where(in1, u1, cross), np.where(in1, u1, u0))
    answered = hi - lo
    if not steady:
        for never_lo, never_hi in ((reach, tail), (reach + total, np.inf)):
            answered -= np.clip(np.minimum(hi, never_hi) - np.maximum(lo, never_lo), 0.0, None)
    rows = pieces.rows
    out[rows] = np.clip(np.bincount(pieces.row, answered, minlength=rows.size) / q.work[rows], 0.0, 1.0)
    return out


def _items_at(q: _Queue, u: NDArray[np.float64]) -> NDArray[np.float64]:
    """Items among the first u seconds of work (FIFO order): the rows' items, each of its row's AHT."""
    rows = np.flatnonzero(q.work > 0.0)
    if rows.size == 0:
        return np.zeros(u.shape)
    ends, work, aht = q.arrived[rows], q.work[rows], q.aht_s[rows]
    items_before = _before(np.cumsum(q.volume[rows]))
    k = np.minimum(np.searchsorted(ends, u, side="left"), rows.size - 1)
    return items_before[k] + np.clip(u - (ends[k] - work[k]), 0.0, work[k]) / aht[k]


def measures(interval_start_s: ArrayLike, interval_s: float, volume: ArrayLike, aht_s: ArrayLike,
             open_: ArrayLike, capacity_s: ArrayLike, *, response_within_s: float,
             clock: str = "elapsed", cycle_s: float | None = None) -> DeferredMeasures:
    """What ``capacity_s`` seconds of work per row deliver, FIFO (see the module docstring for the model).

    interval_start_s  int64 UTC epoch seconds of each row's start, increasing by at least interval_s
    interval_s        seconds, the length of every row
    volume            items arriving in each row (spread uniformly over it), >= 0
    aht_s             seconds of work per item in each row, > 0 where items arrive
    open_             bool per row: the team works in it (items may also arrive in closed rows, and wait)
    capacity_s        seconds of work the team can do in each row (ignored in closed rows)
    response_within_s R, the response-time target, seconds on ``clock`` ("elapsed" or "open")
    cycle_s           elapsed seconds from the first row's start to its start in the next cycle, the rows
                      repeating (at least their span; default: the span rounded up to whole weeks); the
                      steady state is measured, the backlog a cycle leaves carried into its start
    """
    q = _queue(interval_start_s, interval_s, volume, aht_s, open_, response_within_s, clock, cycle_s)
    capacity = _float_row("capacity_s", capacity_s, q.work.size)
    if not np.all(np.isfinite(capacity) & (capacity >= 0.0)):
        raise ValueError("capacity_s must be finite and >= 0")
    return _evaluate(q, capacity, float(response_within_s))


def share_within(measures: DeferredMeasures, volume: ArrayLike, group: NDArray[np.int64]) -> NDArray[np.float64]:
    """The share of items answered within R per group (ids 0..k-1, e.g. local days; k = max id + 1),
    weighted by ``volume``; 1.0 for a group without arrivals."""
    n = measures.service_level.size
    vol = _float_row("volume", volume, n)
    ids = np.asarray(group)
    if ids.shape != (n,) or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"group must be a 1-D integer array of {n} ids")
    if n and ids.min() < 0:
        raise ValueError("group ids must be >= 0")
    return _share_within(measures.service_level, vol, ids)


def _share_within(level: NDArray[np.float64], volume: NDArray[np.float64],
                  ids: NDArray[np.int64]) -> NDArray[np.float64]:
    k = int(ids.max()) + 1 if ids.size else 0
    total = np.bincount(ids, volume, minlength=k)
    within = np.bincount(ids, volume * level, minlength=k)
    return np.minimum(np.divide(within, total, out=np.ones(k), where=total > 0.0), 1.0)
