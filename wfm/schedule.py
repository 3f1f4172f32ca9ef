"""Shift and tour scheduling as an integer program (HiGHS, through its ``highspy`` bindings).

Pure library code: no I/O, no printing. One queue per call: for several queues call
:func:`schedule` once per queue (each queue gets its own agents; no multi-skill pooling).

Input. ``required[i]`` is the unrounded number of agents interval ``i`` needs *on shift and not
on break*: the Erlang C requirement (agents on the phones) divided by ``1 - remaining``, where
``remaining`` is the shrinkage the schedule does not model (absence, training, meetings; see
:func:`wfm.shifts.split_shrinkage`). Breaks and lunch are placed explicitly, so they are not also
taken off as shrinkage. Nothing is rounded beforehand: the only rounding is to whole agents on
each tour (or shift) and whole breaks.

Model::

    minimise   sum_z cost_z x_z  +  W sum_t (g_t v_t + w_t)          paid hours (or cost) + penalty
    subject to
      y_j - sum_z M_jz x_z = 0                   daily shift j is worked by the tours through it
      sum_j A_tj y_j - sum_g sum_i c_gi a_g,t-i + v_t + w_t >= hi_t   coverage, open interval t
      s_f,q - s_f,q-1 + b_f,q - sum_{j in f: e_j = q} y_j = 0        break backlog of family f
      s_f,q - sum_{j in f: e_j <= q < l_j} y_j <= 0                  (opened, not yet closed)
      a_g,q - sum_{f in g} b_f,q = 0                                  breaks of one duration at q
      x_z, a_g,q integer >= 0;  y, b, s >= 0;  0 <= v_t <= delta;  0 <= w_t <= hi_t - delta

* ``x_z`` agents on tour z (a start time, a length and a pattern of days); without tours the
  daily shifts ``y_j`` themselves are the integer columns;
* ``A_tj = 1`` if daily shift j is on duty in interval t. Shifts are placed on a timeline of
  real (UTC) intervals, so shifts crossing midnight, a DST change or (cyclic week) the end of
  the week are handled like any other;
* breaks use the implicit formulation of Bechtold & Jacobs (1990). A break *family* f holds the
  breaks of one duration whose windows have one width (break 1 of the 8, 9 and 4 h shifts; the
  lunches of the 8 and 9 h shifts; break 2 of the 8 and 9 h shifts): their windows
  ``[e_j, l_j]`` (earliest and latest break start) are translates of each other, so breaks can be
  matched to shifts first-in first-out, which is possible exactly when the backlog ``s`` of
  shifts whose window has opened but whose break is not placed stays between 0 and the number of
  windows still open. That is O(positions) rows per family instead of one variable per (shift,
  break, position) as in Aykin (1996);
* ``b_f,q`` (breaks of family f starting at q) may be fractional; their total ``a_g,q`` per
  duration g is integer. With whole shifts and whole totals, assigning breaks to shifts is a
  transportation problem on a bipartite graph (totally unimodular), so a whole assignment
  exists; it is found after the solve by earliest-deadline-first matching;
* ``c_gi`` is the fraction of an interval a break of duration g started ``i`` intervals earlier
  takes (a 15-minute break takes half of a 30-minute interval), and ``delta`` the resulting step
  of agents on the phones (1, or 0.5 for 15-minute breaks on 30-minute intervals);
* under-coverage: ``hi_t`` is the requirement rounded up to the step and ``g_t`` the fraction of
  the last step it needs; ``v_t`` (at most one step, priced at ``g_t W``) and ``w_t`` (the rest,
  priced at ``W``) price exactly ``W max(r_t - c_t, 0)`` at every whole coverage ``c_t``, with a
  far tighter LP relaxation than ``c_t + u_t >= r_t`` (see :func:`_shortfall_terms`). ``W`` is
  ``understaffing_weight`` paid hours at the cheapest rate per agent-hour short; ``cost_z`` is the
  tour's paid hours per week times its cost per paid hour (1 when no costs are given).

Size for a 24/7 week of 15-minute intervals, default rules (8, 9, 4 h; starts every 30 min;
5 days on, 2 consecutive off): 1,008 tours, 1,008 daily shifts, 3 break families, 2 durations:
about 8,800 variables (2,400 integer), 7,100 rows, 61,000 non-zeros (``Schedule.model``).

Solving (:func:`_solve`): LP relaxation (the lower bound), RENS around the LP optimum with
break totals relaxed, a tour stage and a neighbourhood only if that leaves the gap open, exact
break placement for the chosen plan, then, on a small model whose gap is still open, the whole
MIP started from that plan. Every stage is a HiGHS solve (``highspy``) that ends on its gap or on
a node limit, never on the clock, so the same input gives the same plan on a fast and a slow
machine; the time limit is a safety net whose firing ``Schedule.time_limit_hit`` reports.
``Schedule.lower_bound`` is the best proven bound (the LP relaxation, or HiGHS's dual bound if
the whole MIP ran) and ``Schedule.gap = (objective - lower_bound) / objective``.
"""

from __future__ import annotations

import heapq
import math
import time as _time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from wfm._highs import HighsResult
from wfm._highs import solve as highs_solve
from wfm.errors import WfmError
from wfm.shifts import (
    Candidates,
    ShiftRules,
    Timeline,
    build_timeline,
    generate_candidates,
)

__all__ = [
    "BreakPlacement",
    "Shift",
    "Tour",
    "ModelSize",
    "Schedule",
    "schedule",
    "roster",
]

_EPOCH = datetime(1970, 1, 1)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --- Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakPlacement:
    """``count`` agents of one shift take break ``name`` starting at ``start_local`` (local wall clock)."""

    name: str
    start_local: datetime
    start_utc: np.datetime64
    minutes: float
    paid: bool
    count: int


@dataclass(frozen=True)
class Shift:
    """``count`` agents work from ``start_local`` to ``end_local`` on local day ``day``.

    ``length_h`` is real time from start to end (breaks included), ``paid_h`` per agent excludes
    unpaid breaks. ``breaks`` says how many of the agents take each break when.
    """

    day: date
    start_local: datetime
    end_local: datetime
    start_utc: np.datetime64
    end_utc: np.datetime64
    length_h: float
    paid_h: float
    part_time: bool
    count: int
    breaks: tuple[BreakPlacement, ...] = ()


@dataclass(frozen=True)
class Tour:
    """``count`` agents work ``length_h``-hour shifts starting at local ``start`` on ``days``
    (``starts``: the start on each of ``days``; it differs from ``start`` only on a day the usual
    start does not fit the open hours, see ``ShiftRules.start_flex_minutes``)."""

    start: time
    length_h: float
    days: tuple[date, ...]
    days_off: tuple[date, ...]
    part_time: bool
    count: int
    paid_h_per_week: float
    starts: tuple[time, ...] = ()

    @property
    def day_starts(self) -> tuple[tuple[date, time], ...]:
        """(day, start) for each working day."""
        return tuple(zip(self.days, self.starts or (self.start,) * len(self.days)))

    @property
    def pattern(self) -> str:
        """Working weekdays, e.g. ``"Mon Tue Wed Thu Fri"``, with a day's own start where it
        differs: ``"Tue Wed Thu Fri Sat 09:00"``."""
        return " ".join(_WEEKDAYS[d.weekday()] + ("" if t == self.start else f" {t:%H:%M}")
                        for d, t in self.day_starts)


@dataclass(frozen=True)
class ModelSize:
    """Size of the integer program: columns (and how many integer), rows, non-zeros, and the number
    of tour and daily-shift candidates it chose from."""

    variables: int
    integer_variables: int
    constraints: int
    nonzeros: int
    tour_candidates: int
    shift_candidates: int


@dataclass(frozen=True)
class Schedule:
    """A plan and how well it covers the requirement.

    Per requirement interval (input order; agents, whole or fractional):
      required    the requirement as given (agents on shift and not on break)
      on_shift    agents on shift (scheduled), break or not
      on_break    agents on break (a 15-minute break on a 30-minute interval counts 0.5)
      on_phones   on_shift - on_break
      short       max(required - on_phones, 0)

    The plan: ``tours`` (empty for daily shifts), ``shifts`` (one entry per distinct daily shift,
    with break placements), ``headcount`` (agents to roster: the number of tours; for daily
    shifts the peak number of shifts on one day), ``shifts_per_day`` per local date in ``days``,
    ``paid_hours`` (week total), ``cost`` (paid hours at their cost per hour).

    The solve (objective units: paid hours, or cost when costs are given): ``objective`` (cost +
    understaffing penalty), ``lower_bound`` (best proven bound: the LP relaxation, raised by
    HiGHS's dual bound when the whole MIP ran), ``gap`` = (objective - lower_bound) / objective,
    ``optimal`` (proven within ``mip_gap`` of the optimum), ``status`` (the stages that ran),
    ``time_limit_hit`` (the time limit, a safety net, stopped a stage or left one out: the plan
    may then differ between runs and on another machine; the status says which),
    ``solve_seconds`` (building and solving, wall clock), ``lp_relaxation`` (the LP relaxation's
    objective; None for :func:`roster`), ``model`` (size of the integer program).

    ``timeline`` and ``timeline_on_shift`` / ``timeline_on_phones`` cover every interval of the
    week, open or closed (for seats and reports).
    """

    interval_start: NDArray[np.datetime64]
    utc_offset_s: NDArray[np.int64]
    interval_s: int
    required: NDArray[np.float64]
    on_shift: NDArray[np.float64]
    on_break: NDArray[np.float64]
    on_phones: NDArray[np.float64]
    short: NDArray[np.float64]
    tours: tuple[Tour, ...]
    shifts: tuple[Shift, ...]
    headcount: int
    days: NDArray[np.datetime64]
    shifts_per_day: NDArray[np.int64]
    paid_hours: float
    cost: float
    objective: float
    lower_bound: float
    gap: float
    optimal: bool
    status: str
    time_limit_hit: bool
    solve_seconds: float
    lp_relaxation: float | None
    model: ModelSize | None
    rules: ShiftRules
    timeline: Timeline
    timeline_on_shift: NDArray[np.float64]
    timeline_on_phones: NDArray[np.float64]

    @property
    def required_hours(self) -> float:
        """Requirement in agent-hours, as given."""
        return float(self.required.sum()) * self.interval_s / 3600

    @property
    def coverage(self) -> float:
        """Fraction of the required agent-intervals covered: sum min(on_phones, required) / sum required."""
        total = float(self.required.sum())
        if total == 0:
            return 1.0
        return float(np.minimum(self.on_phones, self.required).sum()) / total

    @property
    def efficiency(self) -> float:
        """Required agent-hours (as given) / paid hours. With remaining shrinkage 0 this is the
        schedule efficiency of :func:`wfm.evaluation.evaluate`; otherwise see ``wfm.evaluation.Evaluation.efficiency``."""
        return self.required_hours / self.paid_hours if self.paid_hours > 0 else 0.0

    @property
    def headcount_for_tours(self) -> int:
        """Agents needed if each works ``rules.days_per_week`` of the shifts (daily mode: at least
        the total shifts of the week over days per week; the tour count with tours)."""
        if self.tours:
            return self.headcount
        return max(self.headcount, math.ceil(int(self.shifts_per_day.sum()) / self.rules.days_per_week))


# --- Input checks --------------------------------------------------------------------------------


def _check_required(required: ArrayLike, n: int) -> NDArray[np.float64]:
    req = np.asarray(required, dtype=np.float64)
    if req.shape != (n,):
        raise WfmError(f"required has shape {req.shape}, expected one value per interval ({n})")
    bad = np.flatnonzero(~np.isfinite(req) | (req < 0))
    if bad.size:
        raise WfmError(f"interval {int(bad[0])}: required agents must be a finite number >= 0, got {req[bad[0]]}")
    return req


# --- Building the integer program ----------------------------------------------------------------


class _Triplets:
    """Accumulates COO entries and row bounds of the constraint matrix."""

    def __init__(self) -> None:
        self.rows: list[NDArray[np.int64]] = []
        self.cols: list[NDArray[np.int64]] = []
        self.vals: list[NDArray[np.float64]] = []
        self.lb: list[NDArray[np.float64]] = []
        self.ub: list[NDArray[np.float64]] = []
        self.n_rows = 0

    def block(self, n: int, lb: ArrayLike, ub: ArrayLike) -> int:
        first = self.n_rows
        self.n_rows += n
        self.lb.append(np.broadcast_to(np.asarray(lb, dtype=np.float64), (n,)))
        self.ub.append(np.broadcast_to(np.asarray(ub, dtype=np.float64), (n,)))
        return first

    def add(self, rows: ArrayLike, cols: ArrayLike, vals: ArrayLike) -> None:
        r = np.asarray(rows, dtype=np.int64).ravel()
        c = np.asarray(cols, dtype=np.int64).ravel()
        v = np.broadcast_to(np.asarray(vals, dtype=np.float64), r.shape).ravel()
        self.rows.append(r)
        self.cols.append(c)
        self.vals.append(v)

    def matrix(self, n_cols: int) -> tuple[sp.csr_array, NDArray[np.float64], NDArray[np.float64]]:
        a = sp.csr_array(
            (np.concatenate(self.vals), (np.concatenate(self.rows), np.concatenate(self.cols))),
            shape=(self.n_rows, n_cols),
        )
        a.sum_duplicates()
        return a, np.concatenate(self.lb), np.concatenate(self.ub)


@dataclass
class _Family:
    """Breaks of one duration whose windows have one width: translates of each other in time,
    so they can be matched to their shifts first-in first-out (one backlog chain). Break 1 of
    the 8 h, 9 h and 4 h shifts form one family; so do the lunches of the 8 h and 9 h shifts."""

    coef: tuple[float, ...]
    width: int  # latest - earliest break start, intervals
    shifts: NDArray[np.int64]  # daily shift of each member
    brk: NDArray[np.int64]  # index of the break within its shift type, per member
    e: NDArray[np.int64]  # earliest break start (unrolled slot), per member
    l: NDArray[np.int64]  # latest break start
    qmin: int
    b_col: int = 0
    s_col: int = 0

    @property
    def size(self) -> int:
        return int(self.l.max()) - self.qmin + 1


@dataclass
class _Group:
    """All families of one break duration: their total per start position is an integer."""

    coef: tuple[float, ...]
    families: list[int]
    qmin: int
    qmax: int
    a_col: int = 0

    @property
    def size(self) -> int:
        return self.qmax - self.qmin + 1


@dataclass
class _Model:
    c: NDArray[np.float64]
    lb: NDArray[np.float64]
    ub: NDArray[np.float64]
    a: sp.csr_array
    row_lb: NDArray[np.float64]
    row_ub: NDArray[np.float64]
    plan_cols: slice  # the integer plan columns: tours, or daily shifts without tours
    break_cols: NDArray[np.int64]  # integer break totals a_g,q
    y_col: int
    families: list[_Family]
    groups: list[_Group]
    plan_cover: sp.csr_array  # agents on shift per open interval per unit of each plan column
    break_cover: sp.csr_array  # agents on break per open interval per unit of each break total
    r_open: NDArray[np.float64]  # requirement per open interval
    weight: NDArray[np.float64]  # objective cost of one agent short per open interval
    part_time_row: NDArray[np.float64] | None  # coefficients on the plan columns (<= 0), if any

    def integrality(self, plan: bool, breaks: bool) -> NDArray[np.int8]:
        out = np.zeros(self.c.size, dtype=np.int8)
        if plan:
            out[self.plan_cols] = 1
        if breaks:
            out[self.break_cols] = 1
        return out


def _coverage_step(cand: Candidates) -> float:
    """The step delta of agents on the phones in one interval: 1, or a fraction when a break
    takes part of an interval (0.5 for 15-minute breaks on 30-minute intervals)."""
    denominators = [1]
    for st in cand.types:
        for bs in st.breaks:
            denominators += [Fraction(c).limit_denominator(3600).denominator for c in bs.coef]
    return 1.0 / math.lcm(*denominators)


def _shortfall_terms(r: NDArray[np.float64], delta: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Coverage target ``hi`` (r rounded up to the step) and fraction ``g`` of the last step needed.

    With coverage c a multiple of delta, the agents short are u = max(r - c, 0) and the convex
    hull of {(c, u)} is u >= max(r - c, g (hi - c), 0), g = (r - (hi - delta)) / delta. Writing
    c + v + w >= hi with 0 <= v <= delta priced at g W and w >= 0 priced at W gives exactly that
    cost at every c, and a much tighter LP relaxation than c + u >= r (a mixed-integer rounding
    strengthening: it prices a fraction of an agent short as what it costs in whole agents).
    """
    steps = np.ceil(r / delta - 1e-9)
    hi = steps * delta
    g = np.clip((r - (hi - delta)) / delta, 0.0, 1.0)
    g = np.where(hi > 0, g, 0.0)
    return hi, g


def _build_model(tl: Timeline, cand: Candidates, r_slot: NDArray[np.float64], rules: ShiftRules,
                 tours: bool, priority_slot: NDArray[np.float64] | None = None) -> _Model:
    """The integer program of the module docstring, built with array operations (loops run over
    shift types, break families and break durations only)."""
    n = tl.n
    n_shift = cand.start.size
    n_tour = cand.tour_type.size if tours else 0
    open_slots = np.flatnonzero(tl.open)
    n_open = open_slots.size
    open_row = np.full(n, -1, dtype=np.int64)
    open_row[open_slots] = np.arange(n_open)
    step_h = tl.interval_s / 3600

    # Columns: tours | daily shifts | per family (b, s) | per duration a | shortfall v, w
    col = 0
    x_col = col
    col += n_tour
    y_col = col
    col += n_shift
    members: dict[tuple[tuple[float, ...], int], list[tuple[NDArray[np.int64], int]]] = {}
    for k, st in enumerate(cand.types):
        js = np.flatnonzero(cand.type == k)
        if js.size == 0:
            continue
        for bi, bs in enumerate(st.breaks):
            members.setdefault((bs.coef, bs.last - bs.first), []).append((js, bi))
    families: list[_Family] = []
    for (coef, width), parts in members.items():
        js = np.concatenate([p[0] for p in parts])
        brk = np.concatenate([np.full(p[0].size, p[1], dtype=np.int64) for p in parts])
        first = np.concatenate(
            [np.full(p[0].size, cand.types[int(cand.type[p[0][0]])].breaks[p[1]].first) for p in parts]
        )
        e = cand.start[js] + first
        fam = _Family(coef, width, js, brk, e, e + width, int(e.min()))
        fam.b_col = col
        col += fam.size
        fam.s_col = col
        col += fam.size
        families.append(fam)
    groups: dict[tuple[float, ...], _Group] = {}
    for fi, fam in enumerate(families):
        qmax = int(fam.l.max())
        if fam.coef in groups:
            g = groups[fam.coef]
            g.families.append(fi)
            g.qmin, g.qmax = min(g.qmin, fam.qmin), max(g.qmax, qmax)
        else:
            groups[fam.coef] = _Group(fam.coef, [fi], fam.qmin, qmax)
    group_list = list(groups.values())
    for g in group_list:
        g.a_col = col
        col += g.size
    u_col = col
    col += 2 * n_open
    n_cols = col

    c = np.zeros(n_cols)
    lb = np.zeros(n_cols)
    ub = np.full(n_cols, np.inf)
    cost_h = np.array([st.paid_h * st.cost_per_hour for st in cand.types])
    if tours:
        c[x_col:x_col + n_tour] = cost_h[cand.tour_type] * cand.tour_days.sum(axis=1)
        plan_cols = slice(x_col, x_col + n_tour)
    else:
        c[y_col:y_col + n_shift] = cost_h[cand.type]
        plan_cols = slice(y_col, y_col + n_shift)
    # Under-coverage in two parts (see _shortfall_terms): v, at most one coverage step, priced
    # at g W; w, the rest, priced at W.
    cheapest = min(st.cost_per_hour for st in cand.types)
    weight = rules.understaffing_weight * cheapest * step_h * (
        np.ones(n_open) if priority_slot is None else priority_slot[open_slots])
    delta = _coverage_step(cand)
    hi, g_frac = _shortfall_terms(r_slot[open_slots], delta)
    c[u_col:u_col + n_open] = weight * g_frac
    ub[u_col:u_col + n_open] = np.where(g_frac > 0, delta, 0.0)
    c[u_col + n_open:] = weight
    ub[u_col + n_open:] = np.maximum(hi - delta, 0.0)

    m = _Triplets()
    # Tours -> daily shifts: y_j - sum_z M_jz x_z = 0
    if tours:
        r0 = m.block(n_shift, 0.0, 0.0)
        m.add(r0 + np.arange(n_shift), y_col + np.arange(n_shift), 1.0)
        coo = cand.member.tocoo()
        m.add(r0 + coo.row, x_col + coo.col, -coo.data)

    # Coverage per open interval: on shift - on break + v + w >= hi
    r_cov = m.block(n_open, hi, np.inf)
    m.add(r_cov + np.arange(n_open), u_col + np.arange(n_open), 1.0)
    m.add(r_cov + np.arange(n_open), u_col + n_open + np.arange(n_open), 1.0)
    cov_r, cov_j = [], []
    for k, st in enumerate(cand.types):
        js = np.flatnonzero(cand.type == k)
        slots = (cand.start[js, None] + np.arange(st.slots)[None, :]) % n
        rows = open_row[slots]
        keep = rows >= 0
        cov_r.append(rows[keep])
        cov_j.append(np.broadcast_to(js[:, None], slots.shape)[keep])
    cov_r_a, cov_j_a = np.concatenate(cov_r), np.concatenate(cov_j)
    m.add(r_cov + cov_r_a, y_col + cov_j_a, 1.0)
    shift_cover = sp.csr_array((np.ones(cov_r_a.size), (cov_r_a, cov_j_a)), shape=(n_open, n_shift))
    plan_cover = (shift_cover @ cand.member).tocsr() if tours else shift_cover
    for g in group_list:
        q = np.arange(g.qmin, g.qmax + 1)
        for i, ci in enumerate(g.coef):
            rows = open_row[(q + i) % n]
            keep = rows >= 0
            m.add(r_cov + rows[keep], g.a_col + (q - g.qmin)[keep], -ci)

    # Break families: s_q = s_q-1 + opened at q - b_q, and s_q <= windows still open at q
    for fam in families:
        size = fam.size
        idx = np.arange(size)
        r_flow = m.block(size, 0.0, 0.0)
        m.add(r_flow + idx, fam.s_col + idx, 1.0)
        m.add(r_flow + idx[1:], fam.s_col + idx[:-1], -1.0)
        m.add(r_flow + idx, fam.b_col + idx, 1.0)
        m.add(r_flow + (fam.e - fam.qmin), y_col + fam.shifts, -1.0)
        r_cap = m.block(size, -np.inf, 0.0)
        m.add(r_cap + idx, fam.s_col + idx, 1.0)
        if fam.width > 0:
            rows = (fam.e - fam.qmin)[:, None] + np.arange(fam.width)[None, :]
            m.add(r_cap + rows, np.broadcast_to(y_col + fam.shifts[:, None], rows.shape), -1.0)

    # Breaks of one duration: a_g,q = sum_f b_f,q
    for g in group_list:
        r_agg = m.block(g.size, 0.0, 0.0)
        m.add(r_agg + np.arange(g.size), g.a_col + np.arange(g.size), 1.0)
        for fi in g.families:
            fam = families[fi]
            idx = np.arange(fam.size)
            m.add(r_agg + (fam.qmin - g.qmin) + idx, fam.b_col + idx, -1.0)

    # At most a share of the headcount on part-time tours (or shifts)
    share = rules.max_part_time_share
    part = np.array([st.part_time for st in cand.types])
    part_time_row = None
    if share is not None and part.any():
        r_pt = m.block(1, -np.inf, 0.0)
        kinds = cand.tour_type if tours else cand.type
        part_time_row = np.where(part[kinds], 1.0 - share, -share)
        m.add(np.full(kinds.size, r_pt), plan_cols.start + np.arange(kinds.size), part_time_row)

    a, row_lb, row_ub = m.matrix(n_cols)
    break_cols = np.concatenate([np.arange(g.a_col, g.a_col + g.size) for g in group_list] or [np.zeros(0, np.int64)])
    break_cols = break_cols.astype(np.int64)
    break_cover = (-a[r_cov:r_cov + n_open][:, break_cols]).tocsr()
    return _Model(
        c, lb, ub, a, row_lb, row_ub, plan_cols, break_cols, y_col, families, group_list,
        plan_cover=plan_cover, break_cover=break_cover,
        r_open=r_slot[open_slots].copy(), weight=weight, part_time_row=part_time_row,
    )


# --- Solving -------------------------------------------------------------------------------------

# Deterministic work limits: every MIP stage stops once its plan is proven within its gap or after
# this many branch-and-bound nodes, never on the clock. On the benchmark weeks and the samples RENS
# needs 1-21 nodes and the other stages 1-23, so the limits only end a runaway search. The whole
# MIP, started from the plan already found, rarely closes in its tree a gap its root did not (on
# issue 6's flat week, 30-minute intervals, its root and 50 nodes take about 3 s and 10,000 nodes
# gain 0.3 %), so it gets few.
_NODE_LIMITS = {"RENS": 500, "tour stage": 500, "neighbourhood": 500, "break placement": 200, "whole MIP": 50}
# The whole MIP runs only on a model with at most this many non-zeros: its root node alone takes
# about 2 s at 8,500 (a 30-minute business-hours week), 15 s at 23,000 (a 15-minute one) and 20 s at
# 61,000 (a 24/7 week of 15-minute intervals), where a single node can take a minute.
_WHOLE_MIP_MAX_NONZEROS = 20_000
# Seconds a solve the plan cannot do without (pricing a candidate plan) still gets once the time
# limit has run out, so that a plan is always returned.
_LAST_RESORT_S = 1.0


@dataclass
class _Solution:
    x: NDArray[np.float64]
    lower_bound: float
    lp_value: float
    status: str
    proven: bool  # the MIP stage proved its plan within the gap target of its own bound
    time_limit_hit: bool = False  # the safety net stopped a stage or left one out


class _Clock:
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


def _run(model: _Model, clock: _Clock, name: str, integrality: NDArray[np.int8], lb: NDArray[np.float64],
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
    res = highs_solve(model.c, model.a, model.row_lb, model.row_ub, lb, ub, integrality, time_limit_s=left,
                      mip_gap=gap, node_limit=_NODE_LIMITS.get(name), start=start)
    if res.time_limit_hit:
        clock.stopped.append(name)
    return res


def _lp_relaxation(model: _Model, clock: _Clock) -> HighsResult:
    """The LP relaxation by HiGHS's interior point method with crossover (a vertex, about three
    times faster than dual simplex on these models); dual simplex if that fails. Both end on
    their own convergence tests; only the time limit can stop them early (then WfmError)."""
    res = HighsResult(None, math.inf, -math.inf, "not run", 0)
    for method in ("ipm", "simplex"):
        res = highs_solve(model.c, model.a, model.row_lb, model.row_ub, model.lb, model.ub,
                          time_limit_s=clock.left(), lp_method=method)
        if res.x is not None or res.time_limit_hit:
            break
    if res.x is None:
        raise WfmError(
            f"the LP relaxation did not solve within the time limit of {clock.limit_s:g} s "
            f"(HiGHS: {res.stop}); raise time_limit_s or use a coarser start_step_minutes"
        )
    return res


def _tour_stage(model: _Model, clock: _Clock, target: NDArray[np.float64], gap: float) -> NDArray[np.float64] | None:
    """The plan columns alone, covering ``target`` agents on shift per open interval (the
    requirement plus the break load the LP relaxation placed there), shortfall priced as in the
    whole model. No break structure: a small MIP HiGHS solves well. None if there is no plan
    (or the time limit has run out)."""
    left = clock.left()
    if left <= 0 or clock.fired:
        clock.left_out.append("tour stage")
        return None
    cover = model.plan_cover
    n_open, n_plan = cover.shape
    hi, g = _shortfall_terms(target, 1.0)  # agents on shift are whole
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
    res = highs_solve(c, sp.vstack(rows).tocsr(), np.concatenate(lo), np.concatenate(up), np.zeros(c.size), ub,
                      integrality, time_limit_s=left, mip_gap=gap, node_limit=_NODE_LIMITS["tour stage"])
    if res.time_limit_hit:
        clock.stopped.append("tour stage")
    return None if res.x is None else np.rint(res.x[:n_plan])


def _plan_objective(model: _Model, x: NDArray[np.float64]) -> float:
    """Objective of the plan and whole break totals in ``x``: cost + weight x agent-intervals short."""
    z = np.rint(x[model.plan_cols])
    covered = model.plan_cover @ z - model.break_cover @ np.rint(x[model.break_cols])
    short = np.maximum(model.r_open - covered, 0.0)
    return float(model.c[model.plan_cols] @ z + model.weight @ short)


def _round_breaks(model: _Model, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``x`` with whole break totals: each family's cumulative placements rounded to the nearest
    integer. With whole shifts the FIFO conditions C(q) <= B(q) <= O(q) have integer bounds, so
    the rounded placements keep them: always a valid placement, found without a search."""
    out = x.copy()
    out[model.plan_cols] = np.rint(x[model.plan_cols])
    for g in model.groups:
        total = np.zeros(g.size)
        for fi in g.families:
            fam = model.families[fi]
            placed = np.floor(np.cumsum(x[fam.b_col:fam.b_col + fam.size]) + 0.5)
            total[fam.qmin - g.qmin:fam.qmin - g.qmin + fam.size] += np.diff(placed, prepend=0.0)
        out[g.a_col:g.a_col + g.size] = total
    return out


def _solve(model: _Model, clock: _Clock, gap_target: float) -> _Solution:
    """LP relaxation, RENS, (if needed) tour stage and neighbourhood, break placement, then (if
    the gap is still open and the model is small) the whole MIP. Every stage is a HiGHS solve
    (:func:`wfm._highs.solve`).

    HiGHS's primal heuristics do badly on the whole week with integer breaks (for a 24/7 week
    its first plan comes after 15-50 s; in 150 s it is still 3 % from the bound), yet integer
    breaks are easy once the shifts are fixed and nearly free (relaxing them changes the optimum
    by a fraction of a paid hour). Hence:

    1. LP relaxation of the whole model: the lower bound.
    2. RENS (Berthold 2014): the whole model with break totals continuous and each plan column
       boxed between the floor and the ceiling of its LP value, solved to within ``gap_target``
       of the LP bound (the box holds the LP optimum). On a 24/7 week: 0.8 % in about 8 s.
    3. Only if that leaves the gap open: a tour stage, the plan columns alone covering the
       requirement plus the break load beta_t the LP placed (see :func:`_tour_stage`), then a
       neighbourhood: RENS's box widened to +-1 around the tour stage's plan. The best of these
       and of the LP optimum rounded (each priced with its breaks placed by an LP) is kept.
    4. Break placement: plan columns fixed, break totals integer, started from the rounded
       placement of :func:`_round_breaks` (always valid); the better of the two is kept.
    5. If the plan is still not within ``gap_target`` of the bound and the model has at most
       ``_WHOLE_MIP_MAX_NONZEROS`` non-zeros: the whole MIP, started from that plan, for at most
       ``_NODE_LIMITS["whole MIP"]`` nodes. Its plan is used if better and its dual bound (valid
       however it stopped) raises the lower bound. On small instances, where the LP bound is
       weak, its root's cuts often prove the plan (a 30-minute business-hours queue: 0.2 s).

    Determinism. A cron job must get the same plan from the same forecast, so every stage ends on
    its gap or on its node limit (``_NODE_LIMITS``), counts that do not depend on the machine's
    speed, and whether a stage runs depends only on gaps and the model's size. The time limit is
    a safety net (:class:`_Clock`): if it stops a stage, that stage's best plan so far is used,
    the optional stages after it are left out, and the status says that the plan may then differ
    between runs (``_Solution.time_limit_hit``).
    """
    lp = _lp_relaxation(model, clock)
    lp_value = lp.objective
    x_lp = lp.x
    assert x_lp is not None
    plan = model.plan_cols
    z_lp = x_lp[plan]
    brk = x_lp[model.break_cols]
    if np.all(np.abs(z_lp - np.rint(z_lp)) < 1e-6) and np.all(np.abs(brk - np.rint(brk)) < 1e-6):
        return _Solution(x_lp, lp_value, lp_value, "LP relaxation has an integer optimum", True)
    stages = ["LP relaxation"]

    def open_gap(value: float) -> bool:
        return value - lp_value > gap_target * abs(value)

    def stage(name: str, res: HighsResult | None) -> HighsResult | None:
        """Note a stage that ran in the status (with its node limit if it stopped there)."""
        if res is not None:
            stages.append(name + (" (node limit)" if res.stop == "node limit" else ""))
        return res

    # 2. RENS: every plan column between the floor and the ceiling of its LP value
    relaxed, value = None, np.inf
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[plan], ub[plan] = np.floor(z_lp + 1e-7), np.ceil(z_lp - 1e-7)
    # the box holds the LP optimum: its gap is to the LP bound
    rens = stage("RENS", _run(model, clock, "RENS", model.integrality(True, False), lb, ub, gap_target))
    if rens is not None and rens.x is not None:
        relaxed, value = rens.x, rens.objective

    # 3. Only if RENS left the gap open: the tour stage, then a neighbourhood of its plan
    if relaxed is None or open_gap(value):
        beta = model.break_cover @ x_lp[model.break_cols]
        z_tour = _tour_stage(model, clock, model.r_open + beta, gap_target)
        if "tour stage" not in clock.left_out:
            stages.append("tour stage")
        if z_tour is None:
            z_tour = np.rint(z_lp)
        # The tour stage's plan and the LP optimum rounded (to nearest, and up), each with its
        # breaks placed by an LP (deterministic): the fallback, and the mark to beat
        for candidate in (z_tour, np.rint(z_lp), np.ceil(z_lp - 1e-7)):
            lb, ub = model.lb.copy(), model.ub.copy()
            lb[plan] = ub[plan] = candidate
            # needed while there is no plan at all: then it runs even after the time limit
            priced = _run(model, clock, "pricing", model.integrality(False, False), lb, ub, 0.0,
                          needed=relaxed is None)
            if priced is not None and priced.x is not None and priced.objective < value:
                relaxed, value = priced.x, priced.objective
        if relaxed is None:
            raise WfmError(f"no plan found within the time limit of {clock.limit_s:g} s; raise time_limit_s")
        if open_gap(value):
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

    # 4. Break placement for that plan: HiGHS started from the rounded placement, or the rounding
    z = np.rint(relaxed[plan])
    best_x = _round_breaks(model, relaxed)
    best_obj = _plan_objective(model, best_x)
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[plan] = ub[plan] = z
    fixed = stage("break placement", _run(model, clock, "break placement", model.integrality(True, True), lb, ub,
                                          1e-4, start=best_x))
    if fixed is not None and fixed.x is not None and _plan_objective(model, fixed.x) < best_obj - 1e-9:
        best_x, best_obj = fixed.x, _plan_objective(model, fixed.x)
    bound = lp_value
    proven = False

    # 5. The whole MIP from that plan, on a small model whose gap is still open
    if best_obj - bound > gap_target * abs(best_obj) and model.a.nnz <= _WHOLE_MIP_MAX_NONZEROS:
        full = stage("whole MIP", _run(model, clock, "whole MIP", model.integrality(True, True), model.lb, model.ub,
                                       gap_target, start=best_x))
        if full is not None:
            if full.x is not None and _plan_objective(model, full.x) < best_obj - 1e-9:
                best_x, best_obj = full.x, _plan_objective(model, full.x)
            bound = max(bound, full.dual_bound)
            proven = full.stop == "optimal"
    status = ", ".join(stages) + clock.note()
    return _Solution(best_x, min(bound, best_obj), lp_value, status, proven, clock.fired)


# --- Reading the solution ------------------------------------------------------------------------


def _assign_breaks(model: _Model, cand: Candidates, y: NDArray[np.int64],
                   x: NDArray[np.float64]) -> list[tuple[int, int, int, int]]:
    """Integer break placements (shift, break index, start slot unrolled, count) matching the
    solver's integer totals per duration, by earliest-deadline-first matching per duration.

    Any shift left without a break (only possible if the solution violates its own constraints
    beyond tolerance) gets it at its latest position, so the reported coverage is always that of a
    real, rule-abiding plan.
    """
    out: list[tuple[int, int, int, int]] = []
    for g in model.groups:
        avail = np.rint(x[g.a_col:g.a_col + g.size]).astype(np.int64)
        items_e, items_l, items_j, items_b = [], [], [], []
        for fi in g.families:
            fam = model.families[fi]
            used = y[fam.shifts] > 0
            items_e.append(fam.e[used])
            items_l.append(fam.l[used])
            items_j.append(fam.shifts[used])
            items_b.append(fam.brk[used])
        e = np.concatenate(items_e)
        l = np.concatenate(items_l)
        js = np.concatenate(items_j)
        bs = np.concatenate(items_b)
        order = np.argsort(e, kind="stable")
        e, l, js, bs = e[order], l[order], js[order], bs[order]
        remaining = y[js].copy()
        heap: list[tuple[int, int]] = []
        ptr = 0
        busy = np.flatnonzero(avail > 0) + g.qmin
        # Only positions where breaks start or windows open matter.
        events = np.union1d(busy, e)
        for q in events.tolist():
            while ptr < e.size and e[ptr] <= q:
                heapq.heappush(heap, (int(l[ptr]), ptr))
                ptr += 1
            need = int(avail[q - g.qmin]) if g.qmin <= q <= g.qmax else 0
            while heap and heap[0][0] < q:  # overdue (should not happen)
                _, it = heapq.heappop(heap)
                out.append((int(js[it]), int(bs[it]), int(l[it]), int(remaining[it])))
                remaining[it] = 0
            while need > 0 and heap:
                _, it = heap[0]
                take = int(min(need, remaining[it]))
                out.append((int(js[it]), int(bs[it]), q, take))
                remaining[it] -= take
                need -= take
                if remaining[it] == 0:
                    heapq.heappop(heap)
        for it in np.flatnonzero(remaining > 0):
            out.append((int(js[it]), int(bs[it]), int(l[it]), int(remaining[it])))
    return out


def _local_datetime(local_s: int) -> datetime:
    return _EPOCH + timedelta(seconds=int(local_s))


def _offset_at(tl: Timeline, slot: int) -> int:
    return int(tl.offset_s[min(max(slot, 0), tl.n - 1)])


def _records(tl: Timeline, cand: Candidates, y: NDArray[np.int64],
             placements: list[tuple[int, int, int, int]]) -> tuple[Shift, ...]:
    by_shift: dict[int, list[tuple[int, int, int]]] = {}
    for j, bi, q, cnt in placements:
        if cnt > 0:
            by_shift.setdefault(j, []).append((bi, q, cnt))
    dates = tl.dates
    out = []
    for j in np.flatnonzero(y > 0).tolist():
        st = cand.types[int(cand.type[j])]
        s = int(cand.start[j])
        start_utc = tl.start_s + s * tl.interval_s
        end_slot = s + st.slots
        end_utc = start_utc + st.slots * tl.interval_s
        brs = []
        for bi, q, cnt in sorted(by_shift.get(j, []), key=lambda t: (t[1], t[0])):
            rule = st.breaks[bi].rule
            b_utc = tl.start_s + q * tl.interval_s
            brs.append(
                BreakPlacement(
                    name=rule.name,
                    start_local=_local_datetime(b_utc + _offset_at(tl, q)),
                    start_utc=np.datetime64(b_utc, "s"),
                    minutes=rule.minutes,
                    paid=rule.paid,
                    count=cnt,
                )
            )
        out.append(
            Shift(
                day=dates[int(cand.day[j])].item(),
                start_local=_local_datetime(start_utc + _offset_at(tl, s)),
                end_local=_local_datetime(end_utc + _offset_at(tl, end_slot if end_slot < tl.n else tl.n - 1)),
                start_utc=np.datetime64(start_utc, "s"),
                end_utc=np.datetime64(end_utc, "s"),
                length_h=st.length_h,
                paid_h=st.paid_h,
                part_time=st.part_time,
                count=int(y[j]),
                breaks=tuple(brs),
            )
        )
    out.sort(key=lambda sh: (sh.start_utc, sh.length_h))
    return tuple(out)


def _clock(seconds: int) -> time:
    """Seconds after local midnight as a wall-clock time."""
    return time(seconds // 3600, (seconds % 3600) // 60)


def _tour_records(tl: Timeline, cand: Candidates, x: NDArray[np.int64]) -> tuple[Tour, ...]:
    dates = np.datetime64(tl.first_day, "D") + np.arange(7)
    member = cand.member.tocsc()
    out = []
    for z in np.flatnonzero(x > 0).tolist():
        st = cand.types[int(cand.tour_type[z])]
        tod = int(cand.tour_tod_s[z])
        mask = cand.tour_days[z]
        js = member.indices[member.indptr[z]:member.indptr[z + 1]]
        start_of_day = dict(zip(cand.day[js].tolist(), cand.tod_s[js].tolist()))
        out.append(
            Tour(
                start=_clock(tod),
                starts=tuple(_clock(start_of_day.get(d, tod)) for d in np.flatnonzero(mask).tolist()),
                length_h=st.length_h,
                days=tuple(d.item() for d in dates[mask]),
                days_off=tuple(d.item() for d in dates[~mask]),
                part_time=st.part_time,
                count=int(x[z]),
                paid_h_per_week=st.paid_h * int(mask.sum()),
            )
        )
    out.sort(key=lambda t: (t.start, t.length_h, t.days))
    return tuple(out)


def _coverage(tl: Timeline, shifts: Sequence[Shift], cyclic: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Agents on shift and agents on break per timeline slot, from shift records (vectorised).

    Each agent-interval counts the fraction of the interval the shift (or break) overlaps; time
    past the end of the timeline wraps to its start when ``cyclic``, else it is dropped.
    """
    n, step = tl.n, tl.interval_s

    def spread(start: NDArray[np.int64], end: NDArray[np.int64], weight: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.zeros(n)
        if start.size == 0:
            return out
        rel_s = start - tl.start_s
        rel_e = end - tl.start_s
        first = rel_s // step
        last = -(-rel_e // step)  # exclusive
        count = np.maximum(last - first, 0)
        owner = np.repeat(np.arange(start.size), count)
        slot = first[owner] + (np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count))
        lo = np.maximum(rel_s[owner], slot * step)
        hi = np.minimum(rel_e[owner], (slot + 1) * step)
        frac = (hi - lo) / step * weight[owner]
        if cyclic:
            slot = slot % n
            keep = np.ones(slot.size, dtype=bool)
        else:
            keep = (slot >= 0) & (slot < n)
        np.add.at(out, slot[keep], frac[keep])
        return out

    def secs(v: np.datetime64) -> int:
        return int(np.datetime64(v, "s").astype(np.int64))

    s_start = np.array([secs(sh.start_utc) for sh in shifts], dtype=np.int64)
    s_end = np.array([secs(sh.end_utc) for sh in shifts], dtype=np.int64)
    s_w = np.array([sh.count for sh in shifts], dtype=np.float64)
    brs = [b for sh in shifts for b in sh.breaks]
    b_start = np.array([secs(b.start_utc) for b in brs], dtype=np.int64)
    b_end = b_start + np.array([round(b.minutes * 60) for b in brs], dtype=np.int64)
    b_w = np.array([b.count for b in brs], dtype=np.float64)
    return spread(s_start, s_end, s_w), spread(b_start, b_end, b_w)


# --- The entry points ----------------------------------------------------------------------------


def schedule(
    interval_start: ArrayLike,
    utc_offset_s: ArrayLike,
    interval_s: float,
    required: ArrayLike,
    rules: ShiftRules | None = None,
    *,
    tours: bool | None = None,
    time_limit_s: float | None = None,
    mip_gap: float | None = None,
    priority: ArrayLike | None = None,
) -> Schedule:
    """Choose shifts (or weekly tours) and break times that cover ``required`` at least cost.

    interval_start  UTC start of each open interval (``datetime64``), strictly increasing;
                    intervals not listed are closed (nobody needed, see ``ShiftRules``)
    utc_offset_s    the UTC offset in force at each interval, seconds (local = UTC + offset)
    interval_s      interval length in seconds (900 or 1800 usual)
    required        unrounded agents needed on shift and not on break, per interval
                    (Erlang C agents on the phones / (1 - shrinkage the schedule does not model))
    rules           shift rules (default ``ShiftRules()``)
    tours           weekly tours (default ``rules.tours``) or independent daily shifts
    time_limit_s    time limit for building and solving, seconds (default ``rules.time_limit_s``):
                    a safety net. Every stage stops on its gap or on a node limit, so the same
                    input gives the same plan on any machine; if the limit fires instead, the best
                    plan found by then is returned with ``Schedule.time_limit_hit`` set
    mip_gap         stop once the plan is proven within this fraction of the optimum
                    (default ``rules.mip_gap``); ``Schedule.optimal`` says whether it was
    priority        relative cost of an agent short, per interval (> 0; default 1 everywhere):
                    the understaffing weight is multiplied by it, so intervals where a missing
                    agent hurts the service level most are covered first (see
                    :func:`wfm.staffing.shortfall_priority`)

    Raises :class:`WfmError` for bad input, rules that do not fit the intervals, or when not
    even the LP relaxation solves within the time limit.
    """
    t0 = _time.perf_counter()
    rules = rules or ShiftRules()
    tours = rules.tours if tours is None else bool(tours)
    time_limit = rules.time_limit_s if time_limit_s is None else float(time_limit_s)
    gap_target = rules.mip_gap if mip_gap is None else float(mip_gap)
    if not time_limit > 0:
        raise WfmError(f"time_limit_s must be > 0 seconds, got {time_limit}")
    if not 0 <= gap_target < 1:
        raise WfmError(f"mip_gap must be a fraction in [0, 1), got {gap_target}")

    tl = build_timeline(interval_start, utc_offset_s, interval_s)
    req = _check_required(required, tl.index.size)
    r_slot = np.zeros(tl.n)
    r_slot[tl.index] = req
    cand = generate_candidates(tl, rules, tours)
    if cand.start.size == 0:
        raise WfmError(
            "no shift fits the open hours with these rules: check the shift lengths, start times and "
            "allow_closed_time"
        )
    prio_slot = None
    if priority is not None:
        prio = np.asarray(priority, dtype=np.float64)
        if prio.shape != req.shape or not np.all(np.isfinite(prio) & (prio > 0)):
            raise WfmError(f"priority must hold one positive number per interval ({req.size}), got shape {prio.shape}")
        prio_slot = np.ones(tl.n)
        prio_slot[tl.index] = prio
    model = _build_model(tl, cand, r_slot, rules, tours, prio_slot)
    sol = _solve(model, _Clock(time_limit, t0), gap_target)
    x = sol.x
    if tours:
        x_tour = np.rint(x[model.plan_cols]).astype(np.int64)
        y = np.rint(cand.member @ x_tour.astype(np.float64)).astype(np.int64)
    else:
        x_tour = np.zeros(0, dtype=np.int64)
        y = np.rint(x[model.plan_cols]).astype(np.int64)
    placements = _assign_breaks(model, cand, y, x)
    shifts = _records(tl, cand, y, placements)
    tour_records = _tour_records(tl, cand, x_tour) if tours else ()

    covered = _covered(tl, req, shifts, rules)
    per_day = np.zeros(tl.n_days, dtype=np.int64)
    np.add.at(per_day, cand.day[y > 0], y[y > 0])
    objective = covered["cost"] + float(model.weight @ covered["short"])  # the model's own pricing
    bound = min(sol.lower_bound, objective)
    gap = (objective - bound) / objective if objective > 0 else 0.0
    return Schedule(
        **covered,
        tours=tour_records,
        headcount=int(x_tour.sum()) if tours else int(per_day.max(initial=0)),
        shifts_per_day=per_day,
        objective=objective,
        lower_bound=bound,
        gap=float(gap),
        optimal=bool(sol.proven or gap <= gap_target + 1e-12),
        status=sol.status,
        time_limit_hit=sol.time_limit_hit,
        solve_seconds=_time.perf_counter() - t0,
        lp_relaxation=sol.lp_value,
        model=ModelSize(
            variables=int(model.c.size),
            integer_variables=int(model.integrality(True, True).sum()),
            constraints=int(model.a.shape[0]),
            nonzeros=int(model.a.nnz),
            tour_candidates=int(cand.tour_type.size),
            shift_candidates=int(cand.start.size),
        ),
    )


def _covered(tl: Timeline, req: NDArray[np.float64], shifts: tuple[Shift, ...], rules: ShiftRules) -> dict[str, Any]:
    """The :class:`Schedule` fields that follow from the shifts alone: coverage per interval
    (agents on shift, on break, on the phones, short), paid hours and cost."""
    on_shift_tl, on_break_tl = _coverage(tl, shifts, rules.cyclic)
    on_shift_tl = np.rint(on_shift_tl * 1e9) / 1e9  # whole agents; drop float dust
    on_break_tl = np.rint(on_break_tl * 1e9) / 1e9
    on_phones_tl = on_shift_tl - on_break_tl
    idx = tl.index
    return dict(
        interval_start=tl.utc_s[idx].astype("datetime64[s]"),
        utc_offset_s=tl.offset_s[idx].copy(),
        interval_s=tl.interval_s,
        required=req,
        on_shift=on_shift_tl[idx],
        on_break=on_break_tl[idx],
        on_phones=on_phones_tl[idx],
        short=np.maximum(req - on_phones_tl[idx], 0.0),
        shifts=shifts,
        days=tl.dates,
        paid_hours=float(sum(sh.paid_h * sh.count for sh in shifts)),
        cost=float(sum(sh.paid_h * sh.count * rules.cost_for(sh.length_h) for sh in shifts)),
        rules=rules,
        timeline=tl,
        timeline_on_shift=on_shift_tl,
        timeline_on_phones=on_phones_tl,
    )


def roster(
    interval_start: ArrayLike,
    utc_offset_s: ArrayLike,
    interval_s: float,
    required: ArrayLike,
    shifts: Sequence[Shift],
    rules: ShiftRules | None = None,
) -> Schedule:
    """A :class:`Schedule` for shifts given by hand (e.g. an existing roster), so that
    :func:`wfm.evaluation.evaluate` and :func:`wfm.seats.seats` can be applied to it. Only ``start_utc``,
    ``end_utc``, ``count``, ``paid_h``, ``length_h`` and the breaks' ``start_utc``/``minutes``/
    ``count`` are read. No solve: objective, bound and gap are NaN.
    """
    rules = rules or ShiftRules()
    tl = build_timeline(interval_start, utc_offset_s, interval_s)
    req = _check_required(required, tl.index.size)
    shifts = tuple(shifts)
    per_day = np.zeros(tl.n_days, dtype=np.int64)
    for sh in shifts:
        d = (np.datetime64(sh.day, "D").astype(np.int64) - tl.first_day)
        if 0 <= d < tl.n_days:
            per_day[d] += sh.count
    nan = float("nan")
    return Schedule(
        **_covered(tl, req, shifts, rules),
        tours=(),
        headcount=int(per_day.max(initial=0)),
        shifts_per_day=per_day,
        objective=nan,
        lower_bound=nan,
        gap=nan,
        optimal=False,
        status="given roster (not solved)",
        time_limit_hit=False,
        solve_seconds=0.0,
        lp_relaxation=None,
        model=None,
    )
