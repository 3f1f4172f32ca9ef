"""Deferred work (email, social media, back office): the least staffing that answers a share ``level`` of the
items within ``response_within_s`` (:func:`required_agents`), and the one line said when no staffing
can. Pure vectorised math, no I/O.

The model (a deterministic fluid approximation of one first-in first-out queue), its clocks, the
cumulative curves W (work arrived) and P (work done) with W_i, P_i at row ends, the rows as one cycle of
length T that repeats (a week's plan, week after week: the work a cycle leaves is the next one's first), and
what a staffing delivers in the steady state (:func:`measures`, :func:`share_within`, importable from here too)
are in :mod:`wfm.deferred_curves`.

Sizing. One agent does k = interval_s x max_occupancy seconds of work per interval. For a deadline D, work
arriving at tau is due by tau + D, so by the end e_j of open row j

    due_j = min(W(t_j - D), W_j),   t_j = the start of the next open time after row j (e_j on the open clock):
                                          work due while the team is closed is due before it closes, once it
                                          has arrived. After the last open row the next open time is the
                                          first one of the next cycle, T later, and W runs on over the cycles,
                                          W(tau + T) = W(tau) + W_n: due_j < 0 in the first rows is the work of
                                          the cycle before that is due in them.

(A team that works only some of the open rows, ``works`` in :func:`required_agents`, is sized the same way
over the rows it works: t_j is the next row it works, and the open rows it does not work still count on the
open clock.)

The carry. A cycle may leave the next all the work not yet due at its end, b = W_n - due_n at the response time
R (the last open row's due), and it starts with the same b left by the one before: the work at [-b, 0) of its
axis, first in line, due as above. Sizing counts the work done from there: due~_j = max(due_j + b, 0), with
due~_n = W_n at the last open row (a cycle leaves the next no more than it was left: B(b) <= b forces
C_n >= W_n, the work that arrives), and W~_j = W_j + b; every staffing below (greedy, levels, day by day) meets
due~ with the carry available from the start. A staffing that meets it leaves at most b, so in its steady state
it is left at most b too and, the fluid being monotone in the work left to it, meets every deadline there; its
own steady state often carries less (:attr:`DeferredRequirement.carry_s`), and the due curve returned is counted
from that carry. b is R's for every D tried (a D with its own b would not even be monotone: at D = T, a whole cycle
late, it is D = 0 again).

If capacity could be stored, N_j = ceil(max_{i<=j} due_i / k) cumulative agents would do. It cannot: an
agent with nothing to work on idles, and the rounded-up capacity is lost where it exceeds the work that has
arrived. The just-in-time staffing is therefore the greedy one,

    a_j = max(0, ceil((due_j - P_{j-1}) / k)),   P_j = min(W_j, P_{j-1} + k a_j),

(on due~ and W~ from the carry) which is pointwise least for that due curve: for any staffing N' meeting every
due_i and any row s where the greedy ran dry (P_s = W_s, or s = start, P = 0), P'_j <= W_s + k (N'_j - N'_s),
so N'_j >= N'_s + ceil((due_j - W_s) / k), which is the greedy's N_j for the last such s, by induction. (Least
given the carry b; a staffing left less in its steady state may need less, by the rounding.) Between two rows
where it runs dry the greedy is the closed form N_j = N_s + ceil((due_j - W_s) / k); it can run dry only where
W_j - due_j < k, and those rows are found with a vectorised look-ahead and pointer doubling (no loop over rows).
``min_staff`` is then applied in open rows. D = R (smaller if the linear in-interval curve misses a deadline by a
hair: the largest D, log-scale bisection, for which every day's share within R is at least ``level``). A longer D
is not tried with level < 1: the work of a cycle is the same whatever D is, and a longer one only puts it later (in
a cycle it let the levels idle for days and then spike: 0, 0, 2, 2, 8 for 3, 2, 3, 2, 2), and in 960 random cases
and the samples it never saved an agent-interval (without the cycle its saving was the work left after the
forecast's end). The best any staffing can do is P_j = W_j in every open row (D = 0); below the target on some
day, that is a ConfigError.

Below level 1 the staffing is then searched against the target itself (:mod:`wfm.deferred_search`). A due curve
fixed in advance has to say which items may be late, and first in, first out none says it well: the items a level
answers late are the tail of the backlog it opens with and those that queue behind it until it catches up, which
follow from the level. The curve at R asks for the whole night's backlog within R of opening: social media at 50 %
within 10 minutes took 50-57 agents a day in the sample program week and answered 92 %, where 4-9 meet the target.
(A second curve that left the night's earlier items late, tried when time passes unworked on the elapsed clock, is
gone: it never applied on the open clock, where closed time has no length, and the search found as few
agent-intervals without it, in 1,000 random cases and the samples, and faster: 0.48 s for a year of e-mail at 80 %
within 1 h, 0.99 s with it.) The search measures every day's share exactly (:func:`wfm.deferred_curves._within`) for
one level per day, from the staffing above, and its levels are kept when they take fewer agent-intervals (they never
take more), with the due curve at D capped by the work P_j they do by each open row's end,

    due_j = min(W(t_j - D), P_j)      (counted from their carry, as above),

the items they answer in time due by their deadlines and the others no sooner than they answer them: a staffing
that keeps up with it answers in time every item these levels do, and one exactly on it is checked to meet the
target (else the curve is P itself).

Two consequences to know. At level 1 the staffing is least for the due curve (above), which is the target itself
but for the carry it assumes (all the work not yet due at the cycle's end) and, with R not a multiple of
interval_s, the rounding: W(tau - R) bends inside intervals while P is linear there, so level 1 needs D rounded
down to the interval grid (R = 4 h 7 min sizes as 4 h). A staffing whose own steady state carries less, or whose
linear work-done curve meets the target between the grid's points, may take fewer agents: in small random cases
one level a day with fewer agent-intervals met 100 % in about a quarter of them (6 % fewer in all). Below level 1
the staffing meets the target on every day with one level a day and a steady state (it does the cycle's work); it
is the least such staffing whenever each day's least level with every other day doing all its work meets the
target together (a bound no staffing goes below: 816 of 1,000 small random cases), and otherwise one where no day
can lose an agent and no exchange of an agent with a neighbouring day pays. Against an exhaustive search over
every combination of levels it was the least in 998 of those 1,000 cases, 0.01 % over in all (the due curve
alone: above it in 602, 25 % over in all, up to 5.3 times).

Sources: D. V. Lindley, "The theory of queues with a single server", Proc. Cambridge Philos. Soc. 48 (1952);
G. F. Newell, *Applications of Queueing Theory* (2nd ed., 1982): cumulative arrival and departure curves and
the fluid approximation; G. Koole, *Call Center Optimization* (2013): planning email and back-office work
first in first out against a response-time target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

# The names marked F401 are not used here: they stay importable from wfm.deferred, as before the split.
from wfm.deferred_curves import (
    _BACKLOG_DUST,  # noqa: F401
    _CEIL_SLACK,
    _TIME_TOLERANCE,  # noqa: F401
    CLOCKS,
    DeferredMeasures,
    _arrived_at,
    _before,
    _evaluate,
    _float_row,  # noqa: F401
    _items_at,  # noqa: F401
    _queue,
    _share_below,  # noqa: F401
    _share_within,
    _steady,
    _times,  # noqa: F401
    measures,
    share_within,
)
from wfm.deferred_levels import level_by_day
from wfm.deferred_search import least_levels
from wfm.errors import ConfigError

__all__ = ["DeferredMeasures", "measures", "share_within", "DeferredRequirement", "required_agents", "CLOCKS"]

_SHARE_TOLERANCE = 1e-12  # a share that equals the level in decimal meets it
_BISECTION_STEPS = 40
_D_RTOL = 1e-6  # the sizing deadline is searched to this relative precision
_LOOKAHEAD = 8  # rows looked ahead first when finding where the greedy staffing runs dry (doubles)


@dataclass(frozen=True)
class DeferredRequirement:
    """The least staffing that meets the target, per row, and what it delivers."""

    agents: NDArray[np.int64]  # the least whole agents (0 in closed rows and rows not worked)
    # Both curves count the work carried in from the cycle before first (carry_s, there at the start): due_s the
    # cumulative seconds of work due by the row's end (non-decreasing; all but carry_s of it by the last row worked,
    # so a cycle leaves no more than it was left), arrived_s carry_s plus the seconds of work arrived by the row's end
    due_s: NDArray[np.float64]
    arrived_s: NDArray[np.float64]
    effective_response_s: float  # the deadline D the due curve uses (s on the clock)
    measures: DeferredMeasures  # what ``agents`` deliver
    just_in_time_agents: NDArray[np.int64]  # the least cumulative staffing on the due curve (spiky; see level_by_day)
    carry_s: float = 0.0  # seconds of work ``agents`` leave at the cycle's end, carried into its start (steady state)


# --- The least staffing ---------------------------------------------------------------------------------


def _need(work: NDArray[np.float64], k: float) -> NDArray[np.float64]:
    """Whole agent-intervals (of k seconds of work each) that do ``work`` seconds; 0 for none."""
    return np.maximum(np.ceil(work / k - _CEIL_SLACK), 0.0)


def _dry_rows(due: NDArray[np.float64], arrived: NDArray[np.float64], k: float) -> NDArray[np.intp]:
    """The rows (open-row positions) where the greedy staffing runs the queue dry (P_j = W_j < the capacity),
    so that the next run starts afresh from W_j (module docstring).

    Only rows with W_j - due_j < k can. Node 0 is the start (W = 0), node i the i-th such row as a start;
    for each node the look-ahead finds the first later such row where a run from it runs dry (its next
    node), then pointer doubling keeps the nodes reached from the start."""
    tight = np.flatnonzero(arrived - due < k)
    m = tight.size
    if m == 0:
        return tight
    due_t, arrived_t = due[tight], arrived[tight]
    value = np.concatenate(([0.0], arrived_t))  # W at each node
    end = m + 1
    nxt = np.full(m + 2, end)
    first = np.arange(m + 1)  # node i looks at tight rows i, i + 1, ... (those after it)
    pending = np.arange(m + 1)
    band = _LOOKAHEAD
    while pending.size:
        pos = first[pending, None] + np.arange(band)
        inside = pos < m
        pos_c = np.minimum(pos, m - 1)
        v = value[pending, None]
        dry = inside & (v + k * _need(due_t[pos_c] - v, k) > arrived_t[pos_c])
        hit = dry.any(axis=1)
        nxt[pending[hit]] = pos[hit, dry[hit].argmax(axis=1)] + 1
        first[pending] += band
        pending = pending[~hit & (first[pending] < m)]
        band *= 2
    reached, jump = np.zeros(1, dtype=np.intp), nxt
    while jump[0] != end:  # reached: the nodes fewer than 2^b steps from the start; jump: 2^b steps
        reached = np.union1d(reached, jump[reached])
        jump = jump[jump]
    nodes = reached[(reached > 0) & (reached < end)]
    return tight[nodes - 1]


def _least_agents(due: NDArray[np.float64], arrived: NDArray[np.float64], k: float) -> NDArray[np.float64]:
    """Cumulative agents N_j over the open rows: the greedy just-in-time staffing (module docstring)."""
    dry = _dry_rows(due, arrived, k)
    if dry.size == 0:
        return _need(due, k)
    from_w = _before(arrived[dry])  # each dry row's run starts from the previous dry row's W
    n_dry = np.cumsum(_need(due[dry] - from_w, k))
    run = np.searchsorted(dry, np.arange(due.size), side="left") - 1  # the last dry row before j
    started = run >= 0
    base_w = np.where(started, arrived[dry[run]], 0.0)
    base_n = np.where(started, n_dry[run], 0.0)
    return base_n + _need(due - base_w, k)


class _Staffing(NamedTuple):
    deadline_s: float
    agents: NDArray[np.int64]
    due: NDArray[np.float64]  # over the open rows, on the cycle's work axis (negative: the cycle before's work)
    carry: float  # the most work the due curve lets a cycle leave to the next: W_n - due at the last row worked, at R
    measures: DeferredMeasures
    shares: NDArray[np.float64]  # per day
    ok: bool


def required_agents(interval_start_s: ArrayLike, interval_s: float, volume: ArrayLike, aht_s: ArrayLike,
                    open_: ArrayLike, *, response_within_s: float, level: float, clock: str,
                    max_occupancy: float, day: NDArray[np.int64], min_staff: int | ArrayLike = 0,
                    day_labels: Sequence[str] | None = None, works: ArrayLike | None = None,
                    cycle_s: float | None = None) -> DeferredRequirement:
    """The least whole agents per row so that, on every day (``day``: the caller's local-day id per row,
    0..k-1), a share ``level`` (0-1] of the items is answered within ``response_within_s`` seconds on
    ``clock``; each agent does ``interval_s x max_occupancy`` seconds of work per interval; at least
    ``min_staff`` (a number or one per row) in the rows worked. Model and method: module docstring.

    ``works`` (bool per row, default ``open_``): the rows in which the team can work, e.g. a blended team
    that works only its real-time queue's hours (:mod:`wfm.blending`). Only open rows are worked (``works &
    open_``); ``open_`` alone sets the "open" clock, so an open row the team does not work still counts on
    it. The due curve is then that of the rows worked: work due while the team does not work is due by the
    end of the last row it works before (the last row of the cycle's worked before the first of the next).

    ``cycle_s``: elapsed seconds from the first row's start to its start in the next cycle, the rows repeating
    week after week (default: their span rounded up to whole weeks); see :mod:`wfm.deferred_curves`.

    Raises ConfigError (one line, naming the day by ``day_labels[id]`` or its id) when no staffing can
    meet the target on some day, e.g. work arriving overnight on the elapsed clock.
    """
    q = _queue(interval_start_s, interval_s, volume, aht_s, open_, response_within_s, clock, cycle_s)
    n, r = q.work.size, float(response_within_s)
    if not 0.0 < level <= 1.0:
        raise ValueError(f"level must be a fraction in (0, 1], got {level!r}")
    if not 0.0 < max_occupancy <= 1.0:
        raise ValueError(f"max_occupancy must be a fraction in (0, 1], got {max_occupancy!r}")
    days = np.asarray(day)
    if days.shape != (n,) or not np.issubdtype(days.dtype, np.integer) or (n and days.min() < 0):
        raise TypeError(f"day must be a 1-D integer array of {n} ids >= 0")
    floor_staff = np.broadcast_to(np.asarray(min_staff), (n,))
    if not np.issubdtype(floor_staff.dtype, np.integer) or np.any(floor_staff < 0):
        raise ValueError("min_staff must be whole numbers >= 0")
    if day_labels is not None and n and len(day_labels) <= days.max():
        raise ValueError(f"day_labels has {len(day_labels)} labels for day ids up to {days.max()}")
    if works is None:
        worked = q.open_
    else:
        worked = np.asarray(works)
        if worked.shape != (n,) or worked.dtype != np.bool_:
            raise TypeError(f"works must be a 1-D bool array of {n} values, got {worked.dtype} of shape {worked.shape}")
        worked = worked & q.open_
    k = q.interval_s * float(max_occupancy)
    open_rows = np.flatnonzero(worked)  # the rows worked
    arrived_open = q.arrived[open_rows]
    # t_j: the clock time the team next works after row j (after the last row worked, the first in the next cycle).
    # On the open clock with every open row worked, the next one starts where row j ends (closed rows have no
    # length).
    first_start = float(q.start[open_rows[0]]) if open_rows.size else 0.0
    next_open = np.append(q.start[open_rows[1:]], q.cycle + first_start)
    target = level - _SHARE_TOLERANCE
    total = float(q.arrived[-1]) if n else 0.0

    def due_at(deadline_s: float) -> NDArray[np.float64]:
        """The due curve over the rows worked, on the cycle's work axis (module docstring)."""
        return np.minimum(_arrived_at(q, next_open - deadline_s), arrived_open)

    def staffed(deadline_s: float) -> _Staffing:
        due = due_at(deadline_s)
        # The work a cycle may leave to the next: what is not yet due at its end with the target's own response time,
        # whatever deadline_s is tried (a longer one with its own carry would work the whole cycle a cycle late)
        carry = total - float(due_at(r)[-1]) if due.size else 0.0
        agents = np.zeros(n, dtype=np.int64)
        agents[open_rows] = np.maximum(
            np.diff(_least_agents(_carried(due, carry, total), arrived_open + carry, k), prepend=0.0).astype(np.int64),
            floor_staff[open_rows])
        m = _evaluate(q, agents.astype(np.float64) * k, r)
        shares = _share_within(m.service_level, q.volume, days)
        # Any staffing that keeps up with the due curve does the work no later than working exactly on it
        # (the scheduler's cumulative constraints may do just that, with fractional agents): check that too.
        exact = np.zeros(n)
        exact[open_rows] = np.diff(_carried(due, carry, total), prepend=0.0)
        on_curve = _share_within(_evaluate(q, np.maximum(exact, 0.0), r).service_level, q.volume, days)
        ok = bool(np.all(shares >= target) and np.all(on_curve >= target))
        return _Staffing(deadline_s, agents, due, carry, m, shares, ok)

    best = _share_within(_evaluate(q, np.where(worked, q.arrived[-1] + 1.0 if n else 0.0, 0.0), r).service_level,
                         q.volume, days)
    if np.any(best < target):
        d = int(np.flatnonzero(best < target)[0])
        idle = int(np.count_nonzero(q.open_ & ~worked))
        raise ConfigError(_unreachable(level, r, day_labels[d] if day_labels is not None else str(d),
                                       float(best[d]), clock, q.interval_s, idle, int(np.count_nonzero(q.open_))))

    def _levels(due: NDArray[np.float64], carry: float) -> NDArray[np.int64]:
        """level_by_day on the due curve (cycle's work axis) from a carry: the carried work first in line."""
        return level_by_day(q._replace(arrived=q.arrived + carry), _carried(due, carry, total), open_rows,
                            days[open_rows], k, floor_staff[open_rows])

    def rostered(st: _Staffing) -> tuple[NDArray[np.int64], DeferredMeasures]:
        """The level staffing per day on ``st``'s due curve where it meets the target, else the just-in-time one."""
        if open_rows.size:
            level_agents = _levels(st.due, st.carry)
            level_measures = _evaluate(q, level_agents.astype(np.float64) * k, r)
            if np.all(_share_within(level_measures.service_level, q.volume, days) >= target):
                return level_agents, level_measures
        return st.agents, st.measures

    def _from_levels(levels: NDArray[np.int64]) -> _Staffing | None:
        """A staffing found by the search, with the due curve at the deadline used capped by the work it does at
        each row's end (it answers in time every item it is sized to: module docstring), or that work itself when
        a staffing exactly on the capped curve would miss the target; None if it misses the target."""
        capacity = np.where(q.open_, levels.astype(np.float64) * k, 0.0)
        if float(capacity.sum()) < total:  # (the search keeps a steady state: it does the cycle's work)
            return None
        m = _evaluate(q, capacity, r)
        shares = _share_within(m.service_level, q.volume, days)
        if np.any(shares < target):
            return None
        done = _steady(q, capacity)[0][open_rows]
        for due in (np.minimum(due_at(chosen.deadline_s), done), done):
            carry = total - float(due[-1])
            curve = _carried(due, carry, total)
            exact = np.zeros(n)
            exact[open_rows] = np.diff(curve, prepend=0.0)
            if np.all(_share_within(_evaluate(q, np.maximum(exact, 0.0), r).service_level, q.volume, days) >= target):
                break
        jit = np.zeros(n, dtype=np.int64)
        jit[open_rows] = np.diff(_least_agents(curve, arrived_open + carry, k), prepend=0.0).astype(np.int64)
        return _Staffing(chosen.deadline_s, jit, due, carry, m, shares, True)

    chosen = staffed(r)
    if not chosen.ok:  # a shorter deadline; D = 0 (P_j = W_j in every open row) is the best there is
        low = staffed(min(r, q.interval_s) / 1000.0)
        chosen = _bisect(staffed, low, chosen) if low.ok else staffed(0.0)
    agents, measured = rostered(chosen)

    if level < 1.0 and open_rows.size:
        # Below 100 % the due curve says which items may be late before the staffing does, and FIFO it seldom says
        # it well: search one level per day against the target itself (wfm.deferred_search), kept when it takes
        # fewer agent-intervals, with the due curve at the deadline capped by the work it does (module docstring)
        found = least_levels(q, r, open_rows, days, k, floor_staff[open_rows], target, agents)
        if int(found.agents.sum()) < int(agents.sum()):
            searched = _from_levels(found.agents)
            if searched is not None:
                chosen, agents, measured = searched, found.agents, searched.measures
    carry = _steady(q, np.where(q.open_, agents.astype(np.float64) * k, 0.0))[1]  # what the staffing carries
    due_s = np.zeros(n)
    due_s[open_rows] = _carried(chosen.due, carry, total)
    return DeferredRequirement(agents, np.maximum.accumulate(due_s) if n else due_s, q.arrived + carry,
                               chosen.deadline_s, measured, chosen.agents, carry)


def _carried(due: NDArray[np.float64], carry: float, total: float) -> NDArray[np.float64]:
    """The due curve (on the cycle's work axis, per row worked) counted from the start of the work a cycle is left,
    ``carry`` seconds of it: due + carry, at least 0 (what was due earlier was done in the cycle before), and the
    whole cycle's work at its last row worked, so that it leaves the next no more than it was left."""
    out = np.maximum(due + carry, 0.0)
    if out.size:
        out[-1] = max(float(out[-1]), total)
    return out


def _bisect(staffed: Callable[[float], _Staffing], lo: _Staffing, hi: _Staffing) -> _Staffing:
    """The staffing at the largest deadline found between ``lo`` (meets the target) and ``hi`` (does not),
    bisecting on a log scale."""
    for _ in range(_BISECTION_STEPS):
        if hi.deadline_s <= lo.deadline_s * (1.0 + _D_RTOL):
            break
        mid = staffed(float(np.sqrt(lo.deadline_s * hi.deadline_s)))
        lo, hi = (mid, hi) if mid.ok else (lo, mid)
    return lo


def _unreachable(level: float, r: float, day: str, share: float, clock: str, interval_s: float, idle: int = 0,
                 n_open: int = 0) -> str:
    """The one line for a target no staffing meets (the caller prefixes the queue's name); ``idle`` of the
    ``n_open`` open rows are not worked (``works``)."""
    head = f"cannot answer {level * 100:g}% within {r / 3600:g} h on {day}: {share:.1%} at most, because "
    if idle:
        return head + (f"the team does not work {idle} of the queue's {n_open} open intervals, and work waits "
                       "through them; count the response time only in the hours the team works "
                       '(response_clock = "open", with open_hours set to them) or lower the target')
    if clock == "elapsed":
        return head + ("work arrives while the team is closed; count the response time in open hours "
                       '(response_clock = "open") or lower the target')
    return head + (f"work that arrives while the team is closed is worked through the first open interval "
                   f"({interval_s / 60:g} min), longer than the response time; lower the target or lengthen "
                   "the response time")
