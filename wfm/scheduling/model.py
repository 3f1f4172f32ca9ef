"""The schedule as an integer program: its columns, rows and costs, built with array operations.

Pure library code: no I/O. One queue per model. The break families' columns and rows are built in
:mod:`wfm.scheduling.break_families`, deferred work's in :mod:`wfm.scheduling.deferred_rows`, the
start-time bands' in :mod:`wfm.scheduling.bands`.

Model::

    minimise   sum_z cost_z x_z  +  W sum_t (g_t v_t + w_t)          paid hours (or cost) + penalty
                 [ + W sum_q sum_t k_t e_q,t ]                         (deferred work late)
    subject to
      y_j - sum_z M_jz x_z = 0                   daily shift j is worked by the tours through it
      sum_j A_tj y_j - sum_g sum_i c_gi a_g,t-i + v_t + w_t >= hi_t   coverage, open interval t
                                              [ - o_t = hi_t ]        (with deferred work)
      s_f,q - s_f,q-1 + b_f,q - sum_{j in f: e_j = q} y_j = 0        break backlog of family f
      s_f,q - sum_{j in f: e_j <= q < l_j} y_j <= 0                  (opened, not yet closed)
      a_g,q - sum_{f in g} b_f,q = 0                                  breaks of one duration at q
      x_z, a_g,q integer >= 0;  y, b, s >= 0;  0 <= v_t <= delta;  0 <= w_t <= hi_t - delta
    and, only when deferred loads q are given (:mod:`wfm.scheduling.deferred_load`):
      sum_q d_q,t - o_t + (1 - g_t) v_t <= hi_t - r_t                 deferred work in spare time
      D_q,t - D_q,t-1 - d_q,t = 0                                     done so far (D_q,-1 = 0)
      D_q,t + e_q,t >= due_q,t                                        deadline (soft)
      d, e, o >= 0;  0 <= D_q,t <= arrived_q,t                        not before it arrives

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
  far tighter LP relaxation than ``c_t + u_t >= r_t`` (see :func:`shortfall_terms`). ``W`` is
  ``understaffing_weight`` paid hours at the cheapest rate per agent-hour short; ``cost_z`` is the
  tour's paid hours per week times its cost per paid hour (1 when no costs are given);
* deferred work (a blended team: email or back office done by the agents of the real-time queue
  whenever its response target allows): ``d_q,t`` agents work on load q in open interval t,
  ``D_q,t`` is the work done by its end (agent-intervals; the running total replaces the
  cumulative sums, so each row has 2-3 non-zeros instead of t), ``e_q,t`` the work due but not yet
  done (lateness, agent-intervals, so the model is always feasible), priced like an agent short
  (``W``) for every interval it lasts: ``k_t`` intervals from the end of t to the end of the next
  open interval (1 in open hours; 49 from a 20:00 close to 08:15 with 15-minute intervals, so work
  cannot be put off overnight for the price of one interval; from the last open interval, to the
  end of the first of the next week when the plan is cyclic, else to the end of the last day).
  Real-time comes first: with ``o_t`` the agents on the phones above ``hi_t``, the rows price
  exactly ``W max(r_t - (c_t - sum_q d_q,t), 0)`` at every whole coverage ``c_t``, so deferred
  work takes the time above the *unrounded* requirement free (``o_t`` plus the ``hi_t - r_t`` of
  an agent the rounding leaves idle) and time taken from the real-time queue costs what the same
  shortfall would. (Writing
  ``c_t - sum_q d_q,t + v_t + w_t >= hi_t`` instead would charge ``g_t W`` for work done in that
  idle fraction.) Without deferred loads none of these columns or rows exist and the coverage
  row is the ``>=`` row above.

Size for a 24/7 week of 15-minute intervals, default rules (8, 9, 4 h; starts every 30 min;
5 days on, 2 consecutive off): 1,008 tours, 1,008 daily shifts, 3 break families, 2 durations:
about 8,800 variables (2,400 integer), 7,100 rows, 61,000 non-zeros (``Schedule.model``). Deferred
work adds, per open interval, 4 continuous columns, 3 rows and about 9 non-zeros for one load and
3, 2 and 6 for each further one: on that week 2,700 columns, 2,000 rows and 6,000 non-zeros for one
load (+10 % non-zeros); on a Mon-Fri 08:00-20:00 week of 15-minute intervals (240 open) 960, 720
and 2,200 (+15 %, on 4,000 variables and 14,000 non-zeros).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import NoReturn

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from wfm.errors import ConfigError
from wfm.scheduling.bands import add_band_rows
from wfm.scheduling.break_families import BreakFamily, BreakGroup, add_break_rows, break_columns
from wfm.scheduling.candidates import Candidates
from wfm.scheduling.deferred_load import DeferredLoad
from wfm.scheduling.deferred_rows import DeferredColumns, add_deferred_rows
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.timeline import Timeline

__all__ = ["DeferredColumns", "Model", "SEMI_INTEGER", "build_model", "shortfall_terms"]

SEMI_INTEGER = 3  # HiGHS's kSemiInteger: 0, or a whole number from the column's lower to its upper bound


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
class Model:
    """The integer program (``minimise c @ x``, ``row_lb <= a @ x <= row_ub``, ``lb <= x <= ub``)
    and where its plan, break and shortfall columns are."""

    c: NDArray[np.float64]
    lb: NDArray[np.float64]
    ub: NDArray[np.float64]
    a: sp.csr_array
    row_lb: NDArray[np.float64]
    row_ub: NDArray[np.float64]
    plan_cols: slice  # the integer plan columns: tours, or daily shifts without tours
    break_cols: NDArray[np.int64]  # integer break totals a_g,q
    y_col: int
    families: list[BreakFamily]
    groups: list[BreakGroup]
    plan_cover: sp.csr_array  # agents on shift per open interval per unit of each plan column
    break_cover: sp.csr_array  # agents on break per open interval per unit of each break total
    r_open: NDArray[np.float64]  # requirement per open interval
    weight: NDArray[np.float64]  # objective cost of one agent short per open interval
    part_time_row: NDArray[np.float64] | None  # coefficients on the plan columns (<= 0), if any
    deferred: DeferredColumns | None = None  # the deferred-work columns, when deferred loads are given
    # With start-time bands: the daily-shift columns y, integer in every MIP (a tour's start on
    # each day is one of them), and their coverage; None without bands (y follows from the tours)
    start_cols: slice | None = None
    shift_cover: sp.csr_array | None = None
    # ShiftRules.min_agents_per_tour: in a MIP each tour column is 0 or at least this many (HiGHS's
    # semi-integer columns, 0 or lb..ub: exact, no binaries of ours); 1 without the rule
    min_per_tour: int = 1
    cost_unit: float = 1.0  # what one unit of the objective costs: the cheapest cost per paid hour (1: paid hours)

    def integrality(self, plan: bool, breaks: bool) -> NDArray[np.int8]:
        """Integer columns: the plan columns (``plan``; semi-integer, type 3, with a minimum per tour),
        the break totals (``breaks``) and, with start-time bands, always the daily shifts (whole
        agents start at each time)."""
        out = np.zeros(self.c.size, dtype=np.int8)
        if plan:
            out[self.plan_cols] = SEMI_INTEGER if self.min_per_tour > 1 else 1
        if breaks:
            out[self.break_cols] = 1
        if self.start_cols is not None:
            out[self.start_cols] = 1
        return out

    def semi_bounds(self, lb: NDArray[np.float64], ub: NDArray[np.float64], integrality: NDArray[np.int8]
                    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int8]]:
        """Bounds (and integrality) for a MIP: a semi-integer tour column is 0 or from its lower to
        its upper bound, so a stage's box [lo, hi] becomes "0, or max(lo, minimum) .. max(hi,
        minimum)" (a box [0, 1] or [1, 1] with a minimum of 2: 0 or 2), the upper bound finite (HiGHS
        needs one, ``tour_cap``). A column the stage fixes at 0 or at a count of at least the
        minimum stays a plain integer."""
        semi = integrality == SEMI_INTEGER
        if not semi.any():
            return lb, ub, integrality
        lb, ub, integrality = lb.copy(), ub.copy(), integrality.copy()
        m = float(self.min_per_tour)
        fixed = semi & (ub <= lb) & ((ub <= 0) | (lb >= m))  # at 0, or at a count the rule allows
        integrality[fixed] = 1
        semi &= ~fixed
        ub[semi] = np.maximum(np.minimum(ub[semi], self.tour_cap), m)
        lb[semi] = np.maximum(lb[semi], m)
        return lb, ub, integrality

    @property
    def tour_cap(self) -> float:
        """An upper bound on agents per tour no plan needs to pass: twice the largest requirement,
        plus the minimum per tour."""
        return float(2 * math.ceil(float(self.r_open.max(initial=0.0))) + self.min_per_tour)

    def whole_tours(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        """Tour counts ``z`` (whole) that keep the minimum per tour: a tour below it is raised to it
        if it has more than half of it, else left out. Unchanged without the rule."""
        z = np.rint(z)
        if self.min_per_tour <= 1:
            return z
        small = (z > 0) & (z < self.min_per_tour)
        return np.where(small, np.where(2 * z > self.min_per_tour, float(self.min_per_tour), 0.0), z)

    @property
    def fixed_plan_cols(self) -> NDArray[np.int64]:
        """The columns a chosen plan fixes: the plan columns, and with bands the daily shifts."""
        cols = np.arange(self.plan_cols.start, self.plan_cols.stop)
        if self.start_cols is not None:
            cols = np.concatenate([cols, np.arange(self.start_cols.start, self.start_cols.stop)])
        return cols

    def on_shift(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Agents on shift per open interval for the whole plan in ``x``."""
        if self.start_cols is not None and self.shift_cover is not None:
            return self.shift_cover @ np.rint(x[self.start_cols])
        return self.plan_cover @ np.rint(x[self.plan_cols])


def _coverage_step(cand: Candidates) -> float:
    """The step delta of agents on the phones in one interval: 1, or a fraction when a break
    takes part of an interval (0.5 for 15-minute breaks on 30-minute intervals)."""
    denominators = [1]
    for st in cand.types:
        for bs in st.breaks:
            denominators += [Fraction(c).limit_denominator(3600).denominator for c in bs.coef]
    return 1.0 / math.lcm(*denominators)


def shortfall_terms(r: NDArray[np.float64], delta: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
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


def _no_full_time_error(rules: ShiftRules, cand: Candidates, shifts_fit: bool = False) -> NoReturn:
    """The part-time limit holds part-timers to a share of a headcount that has no full-timers: nobody.
    ``shifts_fit``: full-time shifts fit the open hours, and it is their weeks (tours) that none can work."""
    full = ", ".join(f"{h:g}" for h in sorted(rules.full_time_hours))
    none = f"no full-time shift ({full} h) fits the open hours" if full else "there are no full-time shifts"
    remedy = "allow shorter full-time shifts (full_time_hours)"
    if shifts_fit:  # a holiday week: four open days, and weekly_hours or days_per_week asks for five
        none = (f"full-time shifts ({full} h) fit the open hours, but no full-time tour meets days_per_week and "
                "weekly_hours on the days this week is open")
        remedy = "give this week days_per_week and weekly_hours its open days can meet"
    raise ConfigError(
        f"{rules._source}: {none}, and max_part_time_share = {rules.max_part_time_share:g} lets part-timers be "
        f"only that share of a headcount with full-timers in it, so nobody could be scheduled: {remedy} or lift the "
        "limit (max_part_time_share = 1)")


def build_model(tl: Timeline, cand: Candidates, r_slot: NDArray[np.float64], rules: ShiftRules,
                tours: bool, priority_slot: NDArray[np.float64] | None = None,
                deferred: tuple[DeferredLoad, ...] = (), shift_extra_cost: NDArray[np.float64] | None = None) -> Model:
    """The integer program of the module docstring, built with array operations (loops run over
    shift types, break families, break durations and deferred loads only). ``deferred``: loads
    already checked against the requirement (one value per open interval, in order). ``shift_extra_cost``: the
    premiums' cost of each daily shift (its extra paid hours at its rate), or None."""
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
    band = cand.band_steps if tours else 0
    n_types = len(cand.types)
    chain_len = cand.start_tods.size + 2 * band
    band_col = col
    if band:  # backlog S per (day, type, position on the day's start grid widened by the band)
        col += 7 * n_types * chain_len
    families, group_list, col = break_columns(cand, col)
    u_col = col
    col += 2 * n_open
    spare_col = col
    if deferred:  # agents above hi o, then per load: worked d, done so far D, late e
        col += n_open * (1 + 3 * len(deferred))
    n_cols = col

    c = np.zeros(n_cols)
    lb = np.zeros(n_cols)
    ub = np.full(n_cols, np.inf)
    # the objective in paid hours at the cheapest rate (cost_unit): the same plan whatever the currency
    # (in cents or in dollars), as the stages' tolerances are in objective units
    unit = min(st.cost_per_hour for st in cand.types)
    cost_h = np.array([st.paid_h * st.cost_per_hour / unit for st in cand.types])
    if tours:
        c[x_col:x_col + n_tour] = cost_h[cand.tour_type] * cand.tour_day_counts.sum(axis=1)
        plan_cols = slice(x_col, x_col + n_tour)
    else:
        c[y_col:y_col + n_shift] = cost_h[cand.type]
        plan_cols = slice(y_col, y_col + n_shift)
    if shift_extra_cost is not None:  # premiums: the paid hours a daily shift adds, at its rate
        extra_cost = shift_extra_cost / unit
        if tours and cand.member is not None:  # on the tours working it (their daily shifts stay free)
            c[x_col:x_col + n_tour] += cand.member.T @ extra_cost
        else:  # daily shifts, or tours with start-time bands: on the daily shift itself
            c[y_col:y_col + n_shift] += extra_cost
    # Under-coverage in two parts (see shortfall_terms): v, at most one coverage step, priced
    # at g W; w, the rest, priced at W.
    weight = rules.understaffing_weight * step_h * (  # paid hours at the cheapest rate per agent-hour short
        np.ones(n_open) if priority_slot is None else priority_slot[open_slots])
    delta = _coverage_step(cand)
    hi, g_frac = shortfall_terms(r_slot[open_slots], delta)
    c[u_col:u_col + n_open] = weight * g_frac
    ub[u_col:u_col + n_open] = np.where(g_frac > 0, delta, 0.0)
    c[u_col + n_open:spare_col] = weight
    ub[u_col + n_open:spare_col] = np.maximum(hi - delta, 0.0)

    m = _Triplets()
    if band:
        add_band_rows(m, cand, x_col, y_col, band_col, band, chain_len)
    # Tours -> daily shifts: y_j - sum_z M_jz x_z = 0
    elif tours:
        r0 = m.block(n_shift, 0.0, 0.0)
        m.add(r0 + np.arange(n_shift), y_col + np.arange(n_shift), 1.0)
        assert cand.member is not None  # tours have their membership matrix
        coo = cand.member.tocoo()
        m.add(r0 + coo.row, x_col + coo.col, -coo.data)

    # Coverage per open interval: on shift - on break + v + w >= hi (with deferred work: = hi + o)
    r_cov = m.block(n_open, hi, hi if deferred else np.inf)
    m.add(r_cov + np.arange(n_open), u_col + np.arange(n_open), 1.0)
    m.add(r_cov + np.arange(n_open), u_col + n_open + np.arange(n_open), 1.0)
    if deferred:
        m.add(r_cov + np.arange(n_open), spare_col + np.arange(n_open), -1.0)
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
    if band:  # a tour covers what its daily shifts do: no fixed coverage per tour
        plan_cover = sp.csr_array((n_open, n_tour))
    else:
        plan_cover = (shift_cover @ cand.member).tocsr() if tours else shift_cover
    for g in group_list:
        q = np.arange(g.qmin, g.qmax + 1)
        for i, ci in enumerate(g.coef):
            rows = open_row[(q + i) % n]
            keep = rows >= 0
            m.add(r_cov + rows[keep], g.a_col + (q - g.qmin)[keep], -ci)

    add_break_rows(m, families, group_list, y_col)

    # At most a share of the headcount on part-time tours (or shifts)
    share = rules.max_part_time_share
    part = np.array([st.part_time for st in cand.types])
    part_time_row = None
    if share is not None and part.any():
        kinds = cand.tour_type if tours else cand.type
        if share < 1 and kinds.size and part[kinds].all() and (float(np.max(r_slot, initial=0.0)) > 0 or deferred):
            _no_full_time_error(rules, cand, tours and cand.full_time_fits)
        r_pt = m.block(1, -np.inf, 0.0)
        part_time_row = np.where(part[kinds], 1.0 - share, -share) * (cand.tour_agents if tours else 1)
        m.add(np.full(kinds.size, r_pt), plan_cols.start + np.arange(kinds.size), part_time_row)

    cols = None
    if deferred:  # o (agents above hi), then per load: worked d, done so far D, late e
        cols = DeferredColumns(spare_col, spare_col + n_open, n_open, tuple(load.due for load in deferred))
        # Work still due at the end of open interval t stays late until the end of the next open
        # interval: overnight, or (cyclic) over the weekend into the next week's first open interval;
        # (not cyclic) the last one until the end of the last day
        after = np.append(open_slots[1:], open_slots[0] + n if rules.cyclic else max(n - 1, open_slots[-1] + 1))
        add_deferred_rows(m, c, ub, cols, deferred, headroom=np.maximum(hi - r_slot[open_slots], 0.0),
                          v_col=u_col, v_coef=np.where(ub[u_col:u_col + n_open] > 0, 1.0 - g_frac, 0.0),
                          late_cost=weight * (after - open_slots))

    a, row_lb, row_ub = m.matrix(n_cols)
    break_cols = np.concatenate([np.arange(g.a_col, g.a_col + g.size) for g in group_list] or [np.zeros(0, np.int64)])
    break_cols = break_cols.astype(np.int64)
    break_cover = (-a[r_cov:r_cov + n_open][:, break_cols]).tocsr()
    return Model(
        c, lb, ub, a, row_lb, row_ub, plan_cols, break_cols, y_col, families, group_list,
        plan_cover=plan_cover, break_cover=break_cover,
        r_open=r_slot[open_slots].copy(), weight=weight, part_time_row=part_time_row, deferred=cols,
        start_cols=slice(y_col, y_col + n_shift) if band else None, shift_cover=shift_cover,
        min_per_tour=rules.min_agents_per_tour if tours else 1,
        cost_unit=unit,
    )
