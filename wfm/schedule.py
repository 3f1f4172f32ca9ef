"""Shift and tour scheduling as an integer program (scipy.optimize.milp / HiGHS), and its evaluation.

Pure library code: no I/O, no printing. One queue per call; for several queues call
:func:`schedule` once per queue (each queue gets its own agents; no multi-skill pooling).

Input. ``required[i]`` is the unrounded number of agents interval ``i`` needs *on shift and not
on break*: the Erlang C requirement (agents on the phones) divided by ``1 - remaining``, where
``remaining`` is the shrinkage the schedule does not model (absence, training, meetings; see
:func:`wfm.shifts.split_shrinkage`). Breaks and lunch are placed explicitly, so they are not also
taken off as shrinkage. Nothing is rounded beforehand: the only rounding is the integer number of
agents on each tour (or shift).

Model (one integer program; sizes for a 24/7 week of 15-minute intervals with the default rules,
30-minute start times and tours: about 2,000 tour columns, 1,000 daily shifts, 6,700 break
positions; see ``Schedule.model``)::

    minimise   sum_z cost_z x_z  +  W sum_t u_t                      (paid hours or cost + penalty)
    subject to
      y_j = sum_z M_jz x_z                       daily shift j is worked by the tours through it
      sum_j A_tj y_j - sum_g sum_i c_gi a_g,t-i + u_t >= r_t         coverage, open interval t
      s_f,q = s_f,q-1 + sum_{j in f: e_j = q} y_j - b_f,q            break backlog of family f
      0 <= s_f,q <= sum_{j in f: e_j <= q < l_j} y_j                 (opened, not yet closed)
      a_g,q = sum_{f in g} b_f,q                                      breaks of one duration at q
      x_z, a_g,q integer >= 0;  y, b, s >= 0;  0 <= u_t <= r_t

* ``x_z`` agents on tour z (a start time, a length and a pattern of days; in daily mode the
  daily shifts themselves are the integer columns);
* ``A_tj = 1`` if daily shift j is on duty during interval t (timeline slots, so shifts that
  cross midnight or the end of a cyclic week are handled like any other);
* breaks use the implicit formulation of Bechtold & Jacobs (1990): a break *family* f is one
  break of one shift length, e.g. "lunch of the 8 h shifts"; its windows ``[e_j, l_j]`` (earliest
  and latest break start) are translates of each other, so a family's breaks can be matched to
  its shifts first-in first-out, and that is possible exactly when the backlog ``s`` of shifts
  whose window has opened but whose break is not yet placed stays between 0 and the number of
  windows still open. This needs O(positions) rows per family instead of one variable per
  (shift, break, position) as in Aykin (1996);
* ``b_f,q`` breaks of family f starting at q may be fractional; their sum ``a_g,q`` over the
  families of one duration g (all 15-minute breaks, all 30-minute lunches) is integer. With
  integer ``y`` and ``a`` the break-to-shift assignment is a transportation problem on a
  bipartite graph (totally unimodular), so an integer assignment exists; it is found after the
  solve by earliest-deadline-first matching;
* ``c_gi`` is the fraction of interval ``t`` a break of duration g started ``i`` intervals
  earlier takes (a 15-minute break takes half of a 30-minute interval);
* ``u_t`` is under-coverage (agents short), priced at ``W = understaffing_weight`` paid hours at the
  cheapest rate per agent-hour; ``cost_z`` is the tour's paid hours per week times the cost per
  paid hour of its length (1 when no costs are given, so the objective is paid hours).

The solver stops at the time limit or once the plan is proven within ``mip_gap`` of the optimum
and returns the best plan found; ``Schedule.lower_bound`` is HiGHS's dual bound (at least the LP
relaxation's objective) and ``Schedule.gap = (objective - lower_bound) / objective``.
"""

from __future__ import annotations

import heapq
import math
from fractions import Fraction
import time as _time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from wfm import erlang
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
    "Evaluation",
    "evaluate",
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
    """``count`` agents work ``length_h``-hour shifts starting at local ``start`` on ``days``."""

    start: time
    length_h: float
    days: tuple[date, ...]
    days_off: tuple[date, ...]
    part_time: bool
    count: int
    paid_h_per_week: float

    @property
    def pattern(self) -> str:
        """Working weekdays, e.g. ``"Mon-Fri"`` style ``"Mon Tue Wed Thu Fri"``."""
        return " ".join(_WEEKDAYS[d.weekday()] for d in self.days)


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

    The solve: ``objective`` (cost + understaffing penalty), ``lower_bound`` (HiGHS's dual bound),
    ``gap`` = (objective - lower_bound) / objective, ``optimal`` (proven within ``mip_gap``),
    ``status`` (solver message), ``solve_seconds`` (model building and solving, wall clock),
    ``lp_relaxation`` (LP relaxation objective when asked for, else None), ``model`` (size).

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
        schedule efficiency of :func:`evaluate`; otherwise see ``Evaluation.efficiency``."""
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
                 tours: bool) -> _Model:
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
    weight = rules.understaffing_weight * cheapest * step_h
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
    for k, st in enumerate(cand.types):
        js = np.flatnonzero(cand.type == k)
        slots = (cand.start[js, None] + np.arange(st.slots)[None, :]) % n
        rows = open_row[slots]
        keep = rows >= 0
        m.add(r_cov + rows[keep], np.broadcast_to(y_col + js[:, None], slots.shape)[keep], 1.0)
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
    if share is not None and part.any():
        r_pt = m.block(1, -np.inf, 0.0)
        kinds = cand.tour_type if tours else cand.type
        vals = np.where(part[kinds], 1.0 - share, -share)
        m.add(np.full(kinds.size, r_pt), plan_cols.start + np.arange(kinds.size), vals)

    a, row_lb, row_ub = m.matrix(n_cols)
    break_cols = np.concatenate([np.arange(g.a_col, g.a_col + g.size) for g in group_list] or [np.zeros(0, np.int64)])
    return _Model(c, lb, ub, a, row_lb, row_ub, plan_cols, break_cols.astype(np.int64), y_col, families, group_list)


# --- Solving -------------------------------------------------------------------------------------


@dataclass
class _Solution:
    x: NDArray[np.float64]
    lower_bound: float
    lp_value: float
    status: str
    proven: bool  # the MIP stage proved its plan within the gap target of its own bound


def _milp(model: _Model, integrality: NDArray[np.int8], lb: NDArray[np.float64], ub: NDArray[np.float64],
          time_limit: float, gap: float) -> Any:
    return milp(
        model.c,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        constraints=LinearConstraint(model.a, model.row_lb, model.row_ub),
        options={"time_limit": max(time_limit, 0.05), "mip_rel_gap": gap, "presolve": True, "disp": False},
    )


def _solve(model: _Model, time_limit: float, gap_target: float, t0: float) -> _Solution:
    """LP relaxation, RENS, break placement, then (time permitting) the whole MIP.

    1. LP relaxation of the whole model: the lower bound, and the point the next stage rounds.
    2. RENS (Berthold 2014): the MIP with every plan column boxed between the floor and the
       ceiling of its LP value (columns at 0 in the LP stay at 0) and break totals continuous:
       a small MIP that HiGHS solves well. The whole week with integer breaks is a hard MIP for
       HiGHS's primal heuristics (for a 24/7 week it finds its first plan only after 15-50 s).
    3. Plan columns fixed at the RENS plan, break totals integer: the exact break placement for
       that plan. Once the shifts are whole, whole breaks cost next to nothing more.
    4. If the plan is not yet proven within ``gap_target`` of the LP bound and time remains:
       the whole MIP, exactly, for the time that is left. Its plan is kept if better and its
       dual bound raises the lower bound. This is what proves optimality on small instances,
       where the LP bound is weak; on large ones the gap is usually closed before it is needed.
    """

    def left() -> float:
        return time_limit - (_time.perf_counter() - t0)

    lp = _milp(model, model.integrality(False, False), model.lb, model.ub, left(), 0.0)
    if lp.x is None or lp.status != 0:
        raise WfmError(
            f"the LP relaxation did not solve within the time limit of {time_limit:g} s "
            f"({str(lp.message).strip()}); raise time_limit_s or use a coarser start_step_minutes"
        )
    lp_value = float(lp.fun)
    x_lp = lp.x
    plan = model.plan_cols
    z_lp = x_lp[plan]
    brk = x_lp[model.break_cols]
    if np.all(np.abs(z_lp - np.rint(z_lp)) < 1e-6) and np.all(np.abs(brk - np.rint(brk)) < 1e-6):
        return _Solution(x_lp, lp_value, lp_value, "LP relaxation has an integer optimum", True)

    # 2. RENS on the plan columns, breaks continuous (break placement needs a moment at the end)
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[plan] = np.floor(z_lp + 1e-7)
    ub[plan] = np.ceil(z_lp - 1e-7)
    reserve = min(max(1.0, 0.1 * time_limit), 0.5 * max(left(), 0.0))
    rens = _milp(model, model.integrality(True, False), lb, ub, left() - reserve, gap_target)
    z = np.rint(rens.x[plan]) if rens.x is not None else np.rint(z_lp)

    # 3. Break placement for that plan
    lb, ub = model.lb.copy(), model.ub.copy()
    lb[plan] = ub[plan] = z
    fixed = _milp(model, model.integrality(True, True), lb, ub, max(left(), 1.0), 1e-4)
    if fixed.x is None:
        raise WfmError(f"no break placement found within the time limit of {time_limit:g} s; raise time_limit_s")
    best_x, best_obj = fixed.x, float(fixed.fun)
    bound = lp_value
    status = "LP relaxation, RENS, break placement"
    proven = False

    # 4. The whole MIP with the time that is left
    if best_obj - bound > gap_target * abs(best_obj) and left() > 1.0:
        full = _milp(model, model.integrality(True, True), model.lb, model.ub, left(), gap_target)
        if full.x is not None and float(full.fun) < best_obj - 1e-9:
            best_x, best_obj = full.x, float(full.fun)
            status += ", whole MIP (improved the plan)"
        else:
            status += ", whole MIP"
        if full.mip_dual_bound is not None and np.isfinite(full.mip_dual_bound):
            bound = max(bound, float(full.mip_dual_bound))
        proven = full.status == 0
        if full.status != 0:
            status += f" stopped: {str(full.message).strip()}"
    return _Solution(best_x, min(bound, best_obj), lp_value, status, proven)


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


def _tour_records(tl: Timeline, cand: Candidates, x: NDArray[np.int64]) -> tuple[Tour, ...]:
    dates = np.datetime64(tl.first_day, "D") + np.arange(7)
    out = []
    for z in np.flatnonzero(x > 0).tolist():
        st = cand.types[int(cand.tour_type[z])]
        tod = int(cand.tour_tod_s[z])
        mask = cand.tour_days[z]
        out.append(
            Tour(
                start=time(tod // 3600, (tod % 3600) // 60),
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
    time_limit_s    time limit for building and solving, seconds (default ``rules.time_limit_s``);
                    the best plan found by then is returned
    mip_gap         stop once the plan is proven within this fraction of the optimum
                    (default ``rules.mip_gap``); ``Schedule.optimal`` says whether it was

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
    model = _build_model(tl, cand, r_slot, rules, tours)
    sol = _solve(model, time_limit, gap_target, t0)
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

    on_shift_tl, on_break_tl = _coverage(tl, shifts, rules.cyclic)
    on_shift_tl = np.rint(on_shift_tl * 1e9) / 1e9  # whole agents; drop float dust
    on_break_tl = np.rint(on_break_tl * 1e9) / 1e9
    on_phones_tl = on_shift_tl - on_break_tl
    idx = tl.index
    short = np.maximum(req - on_phones_tl[idx], 0.0)

    per_day = np.zeros(tl.n_days, dtype=np.int64)
    np.add.at(per_day, cand.day[y > 0], y[y > 0])
    paid = float(sum(sh.paid_h * sh.count for sh in shifts))
    cost = float(sum(sh.paid_h * sh.count * rules.cost_for(sh.length_h) for sh in shifts))
    cheapest = min(rules.cost_for(h) for h in rules.lengths_h)
    objective = cost + rules.understaffing_weight * cheapest * float(short.sum()) * tl.interval_s / 3600
    bound = min(sol.lower_bound, objective)
    gap = (objective - bound) / objective if objective > 0 else 0.0
    headcount = int(x_tour.sum()) if tours else int(per_day.max(initial=0))
    return Schedule(
        interval_start=tl.utc_s[idx].astype("datetime64[s]"),
        utc_offset_s=tl.offset_s[idx].copy(),
        interval_s=tl.interval_s,
        required=req,
        on_shift=on_shift_tl[idx],
        on_break=on_break_tl[idx],
        on_phones=on_phones_tl[idx],
        short=short,
        tours=tour_records,
        shifts=shifts,
        headcount=headcount,
        days=tl.dates,
        shifts_per_day=per_day,
        paid_hours=paid,
        cost=cost,
        objective=objective,
        lower_bound=bound,
        gap=float(gap),
        optimal=bool(sol.proven or gap <= gap_target + 1e-12),
        status=sol.status,
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
    :func:`evaluate` and :func:`wfm.seats.seats` can be applied to it. Only ``start_utc``,
    ``end_utc``, ``count``, ``paid_h``, ``length_h`` and the breaks' ``start_utc``/``minutes``/
    ``count`` are read. No solve: objective, bound and gap are NaN.
    """
    rules = rules or ShiftRules()
    tl = build_timeline(interval_start, utc_offset_s, interval_s)
    req = _check_required(required, tl.index.size)
    shifts = tuple(shifts)
    on_shift_tl, on_break_tl = _coverage(tl, shifts, rules.cyclic)
    on_phones_tl = on_shift_tl - on_break_tl
    idx = tl.index
    per_day = np.zeros(tl.n_days, dtype=np.int64)
    for sh in shifts:
        d = (np.datetime64(sh.day, "D").astype(np.int64) - tl.first_day)
        if 0 <= d < tl.n_days:
            per_day[d] += sh.count
    paid = float(sum(sh.paid_h * sh.count for sh in shifts))
    cost = float(sum(sh.paid_h * sh.count * rules.cost_for(sh.length_h) for sh in shifts))
    nan = float("nan")
    return Schedule(
        interval_start=tl.utc_s[idx].astype("datetime64[s]"),
        utc_offset_s=tl.offset_s[idx].copy(),
        interval_s=tl.interval_s,
        required=req,
        on_shift=on_shift_tl[idx],
        on_break=on_break_tl[idx],
        on_phones=on_phones_tl[idx],
        short=np.maximum(req - on_phones_tl[idx], 0.0),
        tours=(),
        shifts=shifts,
        headcount=int(per_day.max(initial=0)),
        days=tl.dates,
        shifts_per_day=per_day,
        paid_hours=paid,
        cost=cost,
        objective=nan,
        lower_bound=nan,
        gap=nan,
        optimal=False,
        status="given roster (not solved)",
        solve_seconds=0.0,
        lp_relaxation=None,
        model=None,
        rules=rules,
        timeline=tl,
        timeline_on_shift=on_shift_tl,
        timeline_on_phones=on_phones_tl,
    )


# --- Evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """What a schedule delivers, per interval, per local day and for the week.

    Per interval (agents may be fractional):
      on_shift       agents scheduled (on shift, on break or not)
      on_phones      on shift and not on break
      available      on_phones x (1 - remaining shrinkage): expected agents taking contacts
      required       agents needed on the phones (``Schedule.required x (1 - remaining)``
                     unless given): the Erlang C requirement
      staffing_gap   available - required (positive: over-staffed, negative: under-staffed)
      over_staffed, under_staffed   boolean masks (more than 1e-9 agents either way)
      service_level  fraction answered within ``answer_within_s`` with ``available`` agents (Erlang C)
      asa_s          average speed of answer, seconds (inf when overloaded)
      occupancy      fraction of the available agents' time handling contacts
      volume         contacts offered (given, or traffic x interval / AHT)
    Per local day (``days``): ``volume_by_day``, ``service_level_by_day`` (volume-weighted).
    Week: ``service_level`` (volume-weighted), ``required_hours`` (agent-hours on the phones),
    ``paid_hours``, ``efficiency`` = required_hours / paid_hours, ``occupancy_week``.
    """

    interval_start: NDArray[np.datetime64]
    day: NDArray[np.datetime64]
    on_shift: NDArray[np.float64]
    on_phones: NDArray[np.float64]
    available: NDArray[np.float64]
    required: NDArray[np.float64]
    staffing_gap: NDArray[np.float64]
    over_staffed: NDArray[np.bool_]
    under_staffed: NDArray[np.bool_]
    service_level: NDArray[np.float64]
    asa_s: NDArray[np.float64]
    occupancy: NDArray[np.float64]
    volume: NDArray[np.float64]
    days: NDArray[np.datetime64]
    volume_by_day: NDArray[np.float64]
    service_level_by_day: NDArray[np.float64]
    service_level_week: float
    occupancy_week: float
    required_hours: float
    paid_hours: float
    efficiency: float

    @property
    def over_staffed_intervals(self) -> int:
        return int(self.over_staffed.sum())

    @property
    def under_staffed_intervals(self) -> int:
        return int(self.under_staffed.sum())


def evaluate(
    plan: Schedule,
    traffic_erlangs: ArrayLike,
    aht_s: ArrayLike,
    answer_within_s: float,
    *,
    volume: ArrayLike | None = None,
    remaining_shrinkage: ArrayLike = 0.0,
    required_on_phones: ArrayLike | None = None,
) -> Evaluation:
    """Service level, ASA, occupancy and staffing gaps the plan's available agents give.

    traffic_erlangs, aht_s   per interval of the plan (same order as ``plan.interval_start``)
    answer_within_s          service-level target time, seconds
    volume                   contacts per interval for the volume weighting (default traffic x
                             interval / AHT)
    remaining_shrinkage      the shrinkage the schedule does not model (fraction, scalar or per
                             interval); breaks are already out of ``on_phones``
    required_on_phones       the Erlang C requirement (agents on the phones); default
                             ``plan.required x (1 - remaining_shrinkage)``

    Available agents may be fractional; wfm.erlang evaluates them as they are.
    """
    n = plan.required.size
    a = np.broadcast_to(np.asarray(traffic_erlangs, dtype=np.float64), (n,))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=np.float64), (n,))
    rem = np.broadcast_to(np.asarray(remaining_shrinkage, dtype=np.float64), (n,))
    if not np.all((rem >= 0) & (rem < 1)):
        raise WfmError("remaining_shrinkage must be a fraction in [0, 1)")
    if not np.all(np.isfinite(a) & (a >= 0)):
        raise WfmError("traffic_erlangs must be finite and >= 0")
    available = plan.on_phones * (1.0 - rem)
    if required_on_phones is None:
        need = plan.required * (1.0 - rem)
    else:
        need = np.broadcast_to(np.asarray(required_on_phones, dtype=np.float64), (n,)).copy()
    if volume is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            vol = np.where(aht > 0, a * plan.interval_s / np.where(aht > 0, aht, 1.0), 0.0)
    else:
        vol = np.broadcast_to(np.asarray(volume, dtype=np.float64), (n,)).copy()
    safe_aht = np.where(aht > 0, aht, 1.0)
    sl = np.asarray(erlang.service_level(available, a, safe_aht, answer_within_s), dtype=np.float64)
    asa = np.asarray(erlang.average_speed_of_answer(available, a, safe_aht), dtype=np.float64)
    occ = np.asarray(erlang.occupancy(available, a), dtype=np.float64)
    gap = available - need

    tl = plan.timeline
    day_idx = tl.day[tl.index]
    days = tl.dates
    vol_day = np.bincount(day_idx, weights=vol, minlength=tl.n_days)
    sl_num = np.bincount(day_idx, weights=vol * sl, minlength=tl.n_days)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl_day = np.where(vol_day > 0, sl_num / np.where(vol_day > 0, vol_day, 1.0), np.nan)
    total_vol = float(vol.sum())
    sl_week = float((vol * sl).sum() / total_vol) if total_vol > 0 else float("nan")
    avail_h = float(available.sum())
    occ_week = min(float(a.sum()) / avail_h, 1.0) if avail_h > 0 else float("nan")
    step_h = plan.interval_s / 3600
    required_h = float(need.sum()) * step_h
    return Evaluation(
        interval_start=plan.interval_start,
        day=days[day_idx],
        on_shift=plan.on_shift,
        on_phones=plan.on_phones,
        available=available,
        required=need,
        staffing_gap=gap,
        over_staffed=gap > 1e-9,
        under_staffed=gap < -1e-9,
        service_level=sl,
        asa_s=asa,
        occupancy=occ,
        volume=vol,
        days=days,
        volume_by_day=vol_day,
        service_level_by_day=sl_day,
        service_level_week=sl_week,
        occupancy_week=occ_week,
        required_hours=required_h,
        paid_hours=plan.paid_hours,
        efficiency=required_h / plan.paid_hours if plan.paid_hours > 0 else 0.0,
    )
