"""The entry points: :func:`schedule` chooses shifts (or weekly tours) and break times for one
queue's requirement; :func:`roster` reads shifts given by hand into the same :class:`Schedule`.

Pure library code: no I/O, no printing. One queue per call: for several queues call
:func:`schedule` once per queue (each queue gets its own agents; no multi-skill pooling).

Input. ``required[i]`` is the unrounded number of agents interval ``i`` needs *on shift and not
on break*: the Erlang C requirement (agents on the phones) divided by ``1 - remaining``, where
``remaining`` is the shrinkage the schedule does not model (absence, training, meetings; see
:func:`wfm.scheduling.shrinkage.split_shrinkage`). Breaks and lunch are placed explicitly, so they
are not also taken off as shrinkage. Nothing is rounded beforehand: the only rounding is to whole
agents on each tour (or shift) and whole breaks.

The stages: :mod:`~wfm.scheduling.timeline`, :mod:`~wfm.scheduling.candidates`,
:mod:`~wfm.scheduling.model`, :mod:`~wfm.scheduling.stages` (the solve), then
:mod:`~wfm.scheduling.solution` (the plan read back).
"""

from __future__ import annotations

import dataclasses
import time as _time
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm.errors import ConfigError, expect_flag, expect_number
from wfm.exact import dot as exact_dot
from wfm.scheduling.candidates import generate_candidates
from wfm.scheduling.deferred_load import DeferredLoad, check_deferred, deferred_results
from wfm.scheduling.model import build_model
from wfm.scheduling.rostering import tour_records
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.solution import (
    ModelSize,
    Schedule,
    Shift,
    assign_breaks,
    fields_from_shifts,
    shift_records,
)
from wfm.scheduling.stages import Clock, solve_in_stages
from wfm.scheduling.timeline import Timeline, build_timeline

__all__ = ["schedule", "roster"]


# --- Input checks --------------------------------------------------------------------------------


def _check_required(required: ArrayLike, n: int) -> NDArray[np.float64]:
    req = np.asarray(required, dtype=np.float64)
    if req.shape != (n,):
        raise ValueError(f"required has shape {req.shape}, expected one value per interval ({n})")
    bad = np.flatnonzero(~np.isfinite(req) | (req < 0))
    if bad.size:
        raise ValueError(f"interval {int(bad[0])}: required agents must be a finite number >= 0, got {req[bad[0]]}")
    return req


# --- The entry points ----------------------------------------------------------------------------


def whole_week_rules(rules: ShiftRules, tl: Timeline) -> ShiftRules:
    """``rules``, not cyclic unless the timeline is a whole week: a plan repeats week after week (Sunday night's
    shift running on into Monday morning) only when it covers seven days; a partial week's last night would
    otherwise wrap onto its first day (a Saturday-Sunday forecast counted Sunday night's agents on Saturday
    morning)."""
    if rules.cyclic and tl.n_days != 7:
        return dataclasses.replace(rules, cyclic=False)
    return rules


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
    deferred: Sequence[DeferredLoad] = (),
    premiums: Sequence[Any] = (),
) -> Schedule:
    """Choose shifts (or weekly tours) and break times that cover ``required`` at least cost.

    interval_start  UTC start of each open interval (``datetime64``), strictly increasing;
                    intervals not listed are closed (nobody needed, see ``ShiftRules``)
    utc_offset_s    the UTC offset in force at each interval, seconds (local = UTC + offset); one
                    number for every interval, or one per interval
    interval_s      interval length in seconds (900 or 1800 usual)
    required        unrounded agents needed on shift and not on break, per interval
                    (Erlang C agents on the phones / (1 - shrinkage the schedule does not model))
    rules           shift rules (default ``ShiftRules()``)
    tours           weekly tours (default ``rules.tours``) or independent daily shifts
    time_limit_s    time limit for building and solving, seconds (default ``rules.time_limit_s``):
                    a safety net. Every stage stops on its gap or on a node or LP count, so the
                    same input gives the same plan on any machine; if the limit fires instead, the best
                    plan found by then is returned with ``Schedule.time_limit_hit`` set
    mip_gap         stop once the plan is proven within this fraction of the optimum
                    (default ``rules.mip_gap``); ``Schedule.optimal`` says whether it was
    priority        relative cost of an agent short, per interval (> 0; default 1 everywhere):
                    the understaffing weight is multiplied by it, so intervals where a missing
                    agent hurts the service level most are covered first (see
                    :func:`wfm.staffing.shortfall_priority`)
    deferred        deferred work the same agents do (a blended team: email, back office), one
                    :class:`~wfm.scheduling.deferred_load.DeferredLoad` per queue: placed in the
                    agents' time above ``required`` (the troughs), never before it arrives, and by
                    its deadline where the plan allows; ``Schedule.deferred_worked`` says when, and
                    ``Schedule.deferred_late`` how far behind its deadlines each load fell. Work
                    still due is priced like real-time agents short: ``understaffing_weight`` per
                    agent-interval per interval it is late (times ``priority`` there). Default:
                    none (the plan covers ``required`` alone)

    premiums        shift premiums (``wfm.cost.Premium``: ``multiplier`` and ``hours_inside(start, end)``
                    in local time): a paid hour inside a premium's window costs ``multiplier`` times
                    as much, so the solver weighs night and weekend hours at their price.
                    ``Schedule.objective`` includes them; ``paid_hours`` does not change

    Raises ConfigError for rules that do not fit the intervals, SolverError when not
    even the LP relaxation solves within the time limit.
    """
    t0 = _time.perf_counter()
    rules = rules or ShiftRules()
    if not isinstance(rules, ShiftRules):
        raise TypeError(f"rules must be a ShiftRules (ShiftRules.from_mapping reads a [schedule] table), got "
                        f"{type(rules).__name__}")
    if np.ndim(interval_s) != 0:
        raise TypeError(f"interval_s must be one number of seconds (the forecast's interval), got an array of shape "
                        f"{np.shape(interval_s)}")
    expect_number(interval_s, "interval_s")
    tours = rules.tours if tours is None else expect_flag(tours, "tours")
    time_limit = rules.time_limit_s if time_limit_s is None else expect_number(time_limit_s, "time_limit_s")
    gap_target = rules.mip_gap if mip_gap is None else expect_number(mip_gap, "mip_gap")
    if not time_limit > 0:
        raise ConfigError(f"time_limit_s must be > 0 seconds, got {time_limit}")
    if not 0 <= gap_target < 1:
        raise ConfigError(f"mip_gap must be a fraction in [0, 1), got {gap_target}")

    tl = build_timeline(interval_start, utc_offset_s, interval_s)
    rules = whole_week_rules(rules, tl)
    req = _check_required(required, tl.index.size)
    loads = check_deferred(deferred, req.size)
    r_slot = np.zeros(tl.n)
    r_slot[tl.index] = req
    cand = generate_candidates(tl, rules, tours)
    if cand.start.size == 0:
        raise ConfigError(
            "no shift fits the open hours with these rules: check the shift lengths, start times and "
            "allow_closed_time"
        )
    prio_slot = None
    if priority is not None:
        prio = np.asarray(priority, dtype=np.float64)
        if prio.shape != req.shape or not np.all(np.isfinite(prio) & (prio > 0)):
            raise ValueError(f"priority must hold one positive number per interval ({req.size}), got shape {prio.shape}")
        prio_slot = np.ones(tl.n)
        prio_slot[tl.index] = prio
    extra_cost = (_premium_hours(tl, cand, premiums) * np.array([st.cost_per_hour for st in cand.types])[cand.type]
                  if premiums else None)  # per daily shift: its premium hours at its rate
    model = build_model(tl, cand, r_slot, rules, tours, prio_slot, loads, shift_extra_cost=extra_cost)
    sol = solve_in_stages(model, Clock(time_limit, t0), gap_target)
    x = sol.x
    if tours:
        x_tour = np.rint(x[model.plan_cols]).astype(np.int64)
        if model.start_cols is not None:  # start-time bands: the daily starts are columns of their own
            y = np.rint(x[model.start_cols]).astype(np.int64)
        else:
            assert cand.member is not None  # tours have their membership matrix
            y = np.rint(cand.member @ x_tour.astype(np.float64)).astype(np.int64)
    else:
        x_tour = np.zeros(0, dtype=np.int64)
        y = np.rint(x[model.plan_cols]).astype(np.int64)
    placements = assign_breaks(model, cand, y, x)
    planned_tours, groups = tour_records(tl, cand, x_tour, y) if tours else ((), {})
    shifts = shift_records(tl, cand, y, placements, groups)

    covered = fields_from_shifts(tl, req, shifts, rules)
    premium_cost = 0.0 if extra_cost is None else exact_dot(extra_cost, y)
    per_day = np.zeros(tl.n_days, dtype=np.int64)
    np.add.at(per_day, cand.day[y > 0], y[y > 0])
    worked, late = deferred_results(model, x, loads)
    if loads:  # real-time agents short once the deferred work is taken off, and the work late
        diverted = np.maximum(req - covered["on_phones"] + np.sum(worked, axis=0), 0.0)
        behind = np.sum([np.maximum(load.due - np.cumsum(d), 0.0) for load, d in zip(loads, worked)], axis=0)
        objective = covered["cost"] + premium_cost + model.cost_unit * exact_dot(model.weight, diverted + behind)
    else:  # the model's own pricing, in money (the model's objective is in units of the cheapest paid hour)
        objective = covered["cost"] + premium_cost + model.cost_unit * exact_dot(model.weight, covered["short"])
    bound = min(sol.lower_bound * model.cost_unit, objective)
    gap = (objective - bound) / objective if objective > 0 else 0.0
    return Schedule(
        **covered,
        tours=planned_tours,
        headcount=int((x_tour * cand.tour_agents).sum()) if tours else int(per_day.max(initial=0)),
        shifts_per_day=per_day,
        objective=objective,
        lower_bound=bound,
        gap=float(gap),
        optimal=bool(sol.proven or gap <= gap_target + 1e-12),
        status=sol.status,
        time_limit_hit=sol.time_limit_hit,
        solve_seconds=_time.perf_counter() - t0,
        lp_relaxation=sol.lp_value * model.cost_unit,
        model=ModelSize(
            variables=int(model.c.size),
            integer_variables=int(model.integrality(True, True).sum()),
            constraints=int(model.a.shape[0]),
            nonzeros=int(model.a.nnz),
            tour_candidates=int(cand.tour_type.size),
            shift_candidates=int(cand.start.size),
        ),
        deferred_worked=worked,
        deferred_late=late,
        unworkable_days=_unworkable_days(tl, cand, model, r_slot, tours),
    )


def _unworkable_days(tl: Any, cand: Any, model: Any, r_slot: NDArray[np.float64], tours: bool) -> tuple[str, ...]:
    """The local days, with their hours (``Sat 2026-12-05 08:00-09:00 and 20:00-21:00``: each run of such
    intervals), with an open interval that needs agents and that no usable candidate
    shift covers: every daily shift the rules allow, or with tours those on a day some tour of their length works
    (with start-time bands the candidates hold every daily shift, worked or not), so the solver cannot staff it
    whatever it costs."""
    from wfm.times import SECONDS_PER_DAY, WEEKDAYS, weekday

    usable = np.ones(cand.start.size, dtype=bool)
    if tours:  # a tour's days, of each week of a pair: the days its shift type is worked on
        worked = np.zeros((len(cand.types), 7), dtype=bool)
        np.logical_or.at(worked, cand.tour_type, cand.tour_days | cand.tour_days_alt)
        usable = worked[cand.type, cand.day]
    covered = model.shift_cover[:, np.flatnonzero(usable)]
    open_slots = np.flatnonzero(tl.open)
    stranded = open_slots[(r_slot[open_slots] > 0) & (np.diff(covered.tocsr().indptr) == 0)]
    # runs of consecutive stranded slots within a day: each its local start and end (24:00 for a day's end)
    if not stranded.size:
        return ()
    new_run = np.r_[True, (np.diff(stranded) != 1) | (np.diff(tl.day[stranded]) != 0)]
    firsts, lasts = stranded[new_run], stranded[np.r_[new_run[1:], True]]

    def clock(local_s: int, end: bool = False) -> str:
        seconds = local_s % SECONDS_PER_DAY
        hours = 24 if end and seconds == 0 else seconds // 3600
        return f"{hours:02d}:{seconds // 60 % 60:02d}"

    by_day: dict[int, list[str]] = {}
    for first, last in zip(firsts.tolist(), lasts.tolist()):  # a handful of runs, not a loop over slots
        by_day.setdefault(int(tl.day[first]), []).append(
            f"{clock(int(tl.local_s[first]))}-{clock(int(tl.local_s[last]) + tl.interval_s, end=True)}")
    return tuple(f"{WEEKDAYS[weekday(tl.first_day + d)]} {tl.dates[d]} {' and '.join(runs)}"
                 for d, runs in by_day.items())


def _premium_hours(tl: Any, cand: Any, premiums: Sequence[Any]) -> NDArray[np.float64]:
    """Per daily shift, the paid hours its premiums add: sum over premiums of (multiplier - 1) x
    hours inside the window x paid / length (the unpaid lunch spread evenly). Vectorised over the daily
    shifts (:meth:`wfm.cost.Premium.hours_inside_many`), one pass per premium."""
    starts = tl.local_s[cand.start % tl.n].astype(np.int64)  # local wall clock, as the shift records give it
    length_h = np.array([st.length_h for st in cand.types], dtype=np.float64)[cand.type]
    paid_h = np.array([st.paid_h for st in cand.types], dtype=np.float64)[cand.type]
    length_s = np.rint(length_h * 3600).astype(np.int64)
    extra = sum((p.multiplier - 1.0) * p.hours_inside_many(starts, length_s) for p in premiums)
    return np.asarray(extra * paid_h / length_h, dtype=np.float64)


def roster(
    interval_start: ArrayLike,
    utc_offset_s: ArrayLike,
    interval_s: float,
    required: ArrayLike,
    shifts: Sequence[Shift],
    rules: ShiftRules | None = None,
) -> Schedule:
    """A :class:`Schedule` for shifts given by hand (e.g. an existing roster), so that
    :func:`wfm.scheduling.evaluation.evaluate` and :func:`wfm.scheduling.seats.seats` can be applied
    to it. Only ``start_utc``, ``end_utc``, ``count``, ``paid_h``, ``length_h`` and the breaks'
    ``start_utc``/``minutes``/``count`` are read. No solve: objective, bound and gap are NaN.
    """
    rules = rules or ShiftRules()
    tl = build_timeline(interval_start, utc_offset_s, interval_s)
    rules = whole_week_rules(rules, tl)
    req = _check_required(required, tl.index.size)
    shifts = tuple(shifts)
    per_day = np.zeros(tl.n_days, dtype=np.int64)
    for sh in shifts:
        d = (np.datetime64(sh.day, "D").astype(np.int64) - tl.first_day)
        if 0 <= d < tl.n_days:
            per_day[d] += sh.count
    nan = float("nan")
    return Schedule(
        **fields_from_shifts(tl, req, shifts, rules),
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
