"""The capacity plan end to end: required FTE per period (:mod:`wfm.capacity.sizing`), the periods laid on a grid
of weeks (Monday to Sunday), the hiring plan and projection (:mod:`wfm.capacity.model`), and the figures per
period.

The grid starts on the Monday of the plan's start (``start``, default the first period's first day; the headcount
is as of that day) and ends with the week holding the last period's last day. Attrition starts on the plan's
start: a first week that starts after its Monday counts only its days from the start (a plan from Friday 1
January loses three days' leavers in the week of Monday 28 December, not seven). Within a week everyone employed
leaves at one constant daily rate, which gives the headcount on any day of it. Classes start on Mondays, at the
earliest ``lead_time_weeks`` after the plan's start. Periods between the plan's start and the first forecast
period (when ``start`` is earlier) are shown with no requirement: classes that must start before the forecast
begins appear there.

Per period:

    required_fte     the sum over queues of the Erlang FTE (no requirement before the forecast begins)
    productive_fte   the productive FTE of the period's weakest week (weeks overlapping it; figures as of each
                     week's end), so gap_fte >= 0 means every week of the period is covered
    headcount        agents on the payroll at the period's end (its last day), trainees included
    attrition        expected leavers in the period: the headcount at its start (the previous period's end, or
                     the plan's start) + hires_starting - the headcount at its end, so the flows balance
    hires_starting   agents starting a class in the period (on its Mondays)
    in_training      agents in a class at the period's end
    gap_fte          productive_fte - required_fte
    cost             payroll (each day's headcount / (365.25 / 12) x cost per FTE-month) + cost per hire x hires +
                     cost per class x classes; empty without a cost per FTE-month
    revenue, margin  with a ``[contract]`` only: the contract's revenue for the period and revenue - cost, the
                     target service level assumed met where the period is covered (:mod:`wfm.capacity.margin`)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wfm import exact
from wfm.capacity import model
from wfm.capacity.inputs import Volumes, period_containing
from wfm.errors import ConfigError
from wfm.report.numbers import plural

if TYPE_CHECKING:
    from wfm.capacity.settings import CapacitySettings
    from wfm.config import Settings
    from wfm.cost import Contract
    from wfm.forecast import Forecast

__all__ = ["CapacityPlan", "ClassStart", "Shortfall", "make_capacity_plan", "plan_from_requirement"]

_EPOCH = dt.date(1970, 1, 1)


def _paid_headcount_days(first: NDArray[np.int64], stop: NDArray[np.int64], survival: NDArray[np.float64],
                         counted: NDArray[np.int64]) -> NDArray[np.float64]:
    """(periods, weeks): the days of pay of the period's days ``first`` .. ``stop`` - 1 of each week (days from its
    Monday; none where stop <= first), per agent employed at the week's end. Agents leave at the week's constant
    daily rate q = survival ** (1 / counted), and each day is paid for the headcount at its end (every figure is as
    of its end): day t (0 = Monday) holds the week's end x q ** (t - 6), so a week pays a little more than its
    end-of-week headcount x its days (0.3 % a year at 30 % attrition)."""
    a = np.clip(first, 0, 7)
    n = np.maximum(np.clip(stop, 0, 7) - a, 0).astype(np.float64)
    q = (survival ** (1.0 / np.maximum(counted, 1)))[None, :]
    flat = np.abs(q - 1.0) < 1e-15
    ratio = np.where(flat, 0.5, q)
    geometric = ratio ** (a - 6) * (1.0 - ratio ** n) / (1.0 - ratio)  # sum of q ** (t - 6), t = a .. a + n - 1
    return np.where(flat, n, geometric)


def _date(day: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(day))


@dataclass(frozen=True)
class ClassStart:
    """One start week's classes: ``classes`` classes with ``agents`` agents in all."""

    start: dt.date  # a Monday
    period: str
    agents: int
    classes: int
    training_ends: dt.date  # the first day of the ramp
    fully_productive: dt.date


@dataclass(frozen=True)
class Shortfall:
    """A period no hiring plan covers."""

    period: str
    required_fte: float
    best_fte: float  # the most productive FTE any plan reaches in the period's weakest week
    reason: str

    def __str__(self) -> str:
        return (f"{self.period}: {self.required_fte:,.1f} FTE required, at most {self.best_fte:,.1f} productive "
                f"(short {self.required_fte - self.best_fte:,.1f}); {self.reason}")


@dataclass(frozen=True)
class CapacityPlan:
    """The plan per period (``periods`` in time order, forecast periods after any lead-in periods)."""

    kind: str  # "month" or "week"
    periods: tuple[str, ...]
    forecast: NDArray[np.bool_]  # the period is in VOLUMES.csv (False: a lead-in period before it)
    queues: tuple[str, ...]
    required_by_queue: NDArray[np.float64]  # (queues, periods); NaN in lead-in periods
    required_fte: NDArray[np.float64]  # NaN in lead-in periods
    productive_fte: NDArray[np.float64]
    headcount: NDArray[np.float64]
    attrition: NDArray[np.float64]
    hires_starting: NDArray[np.int64]
    in_training: NDArray[np.float64]
    cost: NDArray[np.float64]  # NaN without a cost per FTE-month
    classes: tuple[ClassStart, ...]
    shortfalls: tuple[Shortfall, ...]
    settings: CapacitySettings
    start: dt.date
    weeks: int
    solver_status: str
    solver_gap: float  # proven, HiGHS's mip_gap: the least-cost plan costs at least (1 - gap) x this plan's cost
    profile: str
    contract: Contract | None = None  # with it, revenue and margin per period (else None)
    revenue: NDArray[np.float64] | None = None  # to the cent; NaN in lead-in periods
    margin: NDArray[np.float64] | None = None  # to the cent; NaN: lead-in, no cost, or the period not covered

    @property
    def gap_fte(self) -> NDArray[np.float64]:
        return self.productive_fte - self.required_fte

    @property
    def covered(self) -> bool:
        """Every period's requirement is met in every week."""
        return not self.shortfalls


def make_capacity_plan(volumes: Volumes, capacity: CapacitySettings, settings: Settings,
                       profile: Forecast | None = None) -> CapacityPlan:
    """Size ``volumes`` on ``profile`` (default: :func:`wfm.capacity.sizing.default_profile`) with ``settings``'
    targets, then plan the hiring with ``capacity``. Warns (:class:`wfm.errors.UnusedSettingWarning`) of a
    ``[queues.NAME]`` section that names no queue of ``volumes``, and (:class:`wfm.errors.ForecastWarning`) of a
    profile that is not whole weeks."""
    from wfm.capacity.sizing import default_profile, profile_warnings, sized_periods
    from wfm.errors import warn_forecast, warn_unused

    warn_unused(settings.unknown_queue_warnings(volumes.queues))  # the sections are the volumes' queues
    shape = profile if profile is not None else default_profile()
    warn_forecast(profile_warnings(shape, volumes))
    required, handled_share = sized_periods(volumes, shape, settings)
    hours = None
    if settings.contract is not None:
        hours = np.array([settings.targets_for(q, _profile_channel(shape, q, volumes.path)).paid_hours_per_fte_week
                          for q in volumes.queues])
    return plan_from_requirement(volumes, required, capacity, profile=shape.path, contract=settings.contract,
                                 paid_hours_per_fte_week=hours, handled_share=handled_share)


def _profile_channel(shape: Forecast, queue: str, volumes_path: str) -> str | None:
    """The channel the profile gives the queue (as :func:`wfm.capacity.sizing.required_fte` sizes it)."""
    from wfm.capacity.sizing import _profile_queue

    return shape.channel_of(_profile_queue(shape, queue, volumes_path))


def plan_from_requirement(volumes: Volumes, required: NDArray[np.float64], capacity: CapacitySettings,
                          profile: str = "", contract: Contract | None = None,
                          paid_hours_per_fte_week: NDArray[np.float64] | None = None,
                          handled_share: NDArray[np.float64] | None = None) -> CapacityPlan:
    """The hiring plan for a requirement already sized: ``required`` FTE per queue and period of ``volumes``.
    With ``contract``, the revenue and margin per period (``paid_hours_per_fte_week`` per queue, default 40;
    ``handled_share`` of the offered contacts per queue and period billed per contact or minute, default all)."""
    c = capacity
    first_day = int(volumes.start_day[0])
    start = c.start or _date(first_day)
    plan_day = (start - _EPOCH).days
    if plan_day > first_day:
        raise ConfigError(f"the plan's start {start} (--start, or start in [capacity]) is after the first period "
                          f"{volumes.periods[0]} of {volumes.path}; "
                          "the plan starts on or before it")
    lead: list[tuple[int, int, str]] = []
    day = plan_day
    while day < first_day:
        lead.append(period_containing(volumes.kind, day))
        day = lead[-1][1]
    if len(lead) > 260:
        raise ConfigError(f"the plan's start {start} (--start, or start in [capacity]) is more than five years "
                          f"before {volumes.periods[0]}")
    starts = np.r_[np.array([p[0] for p in lead], dtype=np.int64), volumes.start_day]
    ends = np.r_[np.array([p[1] for p in lead], dtype=np.int64), volumes.end_day]
    labels = tuple(p[2] for p in lead) + volumes.periods
    in_forecast = np.r_[np.zeros(len(lead), dtype=bool), np.ones(len(volumes.periods), dtype=bool)]
    by_queue = np.concatenate([np.full((len(volumes.queues), len(lead)), np.nan), required], axis=1)
    need = np.where(in_forecast, by_queue.sum(axis=0), np.nan)

    week0 = plan_day - (_date(plan_day).weekday())  # the Monday of the start
    end_day = int(ends[-1])
    weeks = -(-(end_day - week0) // 7)
    monday = week0 + 7 * np.arange(weeks, dtype=np.int64)
    if c.training_weeks >= weeks:
        raise ConfigError(f"training_weeks ({c.training_weeks}) is not shorter than the horizon: {plural(weeks, 'week')} from "
                          f"{start} to {_date(end_day - 1)}")
    first_class = -(-(plan_day + 7 * c.lead_time_weeks - week0) // 7)  # the first Monday after the lead time
    if first_class + c.training_weeks >= weeks:
        raise ConfigError(f"lead_time_weeks ({c.lead_time_weeks}) + training_weeks ({c.training_weeks}) from {start} "
                          f"reach beyond the horizon's end {_date(end_day - 1)}: no class could work in it")
    candidates = np.arange(first_class, weeks - c.training_weeks, dtype=np.int64)

    # the days of each week from the plan's start: 7, fewer in a first week starting after its Monday
    counted = monday + 7 - np.maximum(monday, plan_day)
    if c.annual:
        survival = model.weekly_survival(c.attrition[0], weeks=weeks, days=counted)
    else:
        thursday = (monday + 3).astype("datetime64[D]")
        month = thursday.astype("datetime64[M]")
        days_in = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(np.int64)
        survival = model.weekly_survival(None, np.array(c.attrition), (month.astype(np.int64) % 12), days_in,
                                         days=counted)
    cohorts = model.cohorts(survival, candidates, c.training_weeks, c.ramp_start, c.ramp_weeks)

    # overlap[m, w]: days of week w in period m, from the plan's start on
    lo = np.maximum(starts, plan_day)[:, None]
    overlap = np.clip(np.minimum(ends[:, None], monday[None, :] + 7) - np.maximum(lo, monday[None, :]), 0, 7)
    in_period = overlap > 0
    need_week = np.nanmax(np.where(in_period & in_forecast[:, None], need[:, None], np.nan), axis=0,
                          initial=-np.inf)
    need_week = np.where(np.isfinite(need_week), need_week, 0.0)
    pay = _paid_headcount_days(np.maximum(lo, monday[None, :]) - monday[None, :],
                               np.minimum(ends[:, None], monday[None, :] + 7) - monday[None, :], survival, counted)
    paid_days = pay.sum(axis=0)  # (weeks,): per agent employed at a week's end, the days of pay it takes
    rate = c.cost_per_fte_month if c.cost_per_fte_month is not None else 1.0  # agent-months without a cost
    hire_cost = rate * exact.matmul(paid_days, cohorts.employed) / model.DAYS_PER_MONTH + c.cost_per_hire
    hiring = model.solve_hiring(cohorts, c.headcount, need_week, class_min=c.class_min, class_max=c.class_max,
                                max_classes=c.max_classes_per_week, hire_cost=hire_cost, class_cost=c.cost_per_class)
    week = model.project(cohorts, c.headcount, hiring.hires)

    last_week = np.array([int(np.flatnonzero(row)[-1]) for row in in_period])
    productive = np.array([week.productive[row].min() for row in in_period])
    period_of_class = np.searchsorted(ends, monday[candidates], side="right")
    starting = np.bincount(period_of_class, weights=hiring.hires, minlength=len(labels))
    hires = starting.round().astype(np.int64)
    # headcount and trainees at the period's end (its last day): everyone employed in a week leaves at the
    # week's constant daily rate survival ** (1 / counted), so the end-of-week figure is wound back over the
    # days of the period's last week after the period's end
    after_end = monday[last_week] + 7 - ends
    back = survival[last_week] ** (-after_end / counted[last_week])
    headcount = week.headcount[last_week] * back
    in_training = week.in_training[last_week] * back
    # leavers in the period: the headcount at its start plus the agents starting in it, less that at its end
    leavers = np.r_[c.headcount, headcount[:-1]] + starting - headcount
    classes = np.bincount(period_of_class, weights=hiring.classes, minlength=len(labels))
    cost = (rate * exact.matvec(pay, week.headcount) / model.DAYS_PER_MONTH + c.cost_per_hire * hires
            + c.cost_per_class * classes)

    starts_list = []
    for i in np.flatnonzero(hiring.hires > 0):
        k = int(candidates[i])
        starts_list.append(ClassStart(
            start=_date(int(monday[k])), period=labels[int(period_of_class[i])], agents=int(hiring.hires[i]),
            classes=int(hiring.classes[i]), training_ends=_date(int(monday[k]) + 7 * c.training_weeks),
            fully_productive=_date(int(monday[k]) + 7 * (c.training_weeks + c.ramp_weeks))))

    most = c.headcount * cohorts.survival + exact.matvec(cohorts.productive, np.full(
        candidates.size, float(c.class_max * c.max_classes_per_week)))
    productive_from = _date(int(monday[first_class]) + 7 * c.training_weeks)
    shortfalls = []
    for m in np.flatnonzero(in_forecast & (productive < need - model.TOLERANCE)):
        best = float(most[in_period[m]].min())
        if best >= need[m] - model.TOLERANCE:  # the solver's plan, not the hiring's limits, is short: a bug
            raise AssertionError(f"the hiring plan leaves {labels[m]} short though a plan covering it exists")
        if int(ends[m]) <= (productive_from - _EPOCH).days:
            reason = (f"no new agent works before {productive_from} (hiring lead time {c.lead_time_weeks} + "
                      f"training {c.training_weeks} weeks from {start})")
        else:
            reason = (f"even {c.max_classes_per_week} class(es) of {c.class_max} starting every week from "
                      f"{_date(int(monday[first_class]))} fall short (raise class_max or max_classes_per_week, or "
                      "start earlier)")
        shortfalls.append(Shortfall(labels[m], float(need[m]), best, reason))

    plan_cost = cost if c.has_cost else np.full(len(labels), np.nan)
    revenue = margin = None
    if contract is not None:
        from wfm.capacity.margin import period_margin, period_revenue

        queues = len(volumes.queues)
        pad = np.full((queues, len(lead)), np.nan)
        hours = (np.full(queues, 40.0) if paid_hours_per_fte_week is None
                 else np.asarray(paid_hours_per_fte_week, dtype=np.float64))
        handled = volumes.volume * (1.0 if handled_share is None else handled_share)  # offered less abandoned
        sales = period_revenue(contract, volumes.kind, ends - starts, np.concatenate([pad, handled], axis=1),
                               np.concatenate([pad, volumes.aht_s], axis=1), productive, by_queue, hours)
        sales = np.where(in_forecast, sales, np.nan)  # no volume before the forecast: no revenue figure
        covered = in_forecast & (productive >= need - model.TOLERANCE)
        revenue, margin = period_margin(contract, sales, plan_cost, covered)

    return CapacityPlan(
        kind=volumes.kind, periods=labels, forecast=in_forecast, queues=volumes.queues, required_by_queue=by_queue,
        required_fte=need, productive_fte=productive, headcount=headcount,
        attrition=leavers, hires_starting=hires, in_training=in_training,
        cost=plan_cost, classes=tuple(starts_list),
        shortfalls=tuple(shortfalls), settings=c, start=start, weeks=weeks, solver_status=hiring.status, solver_gap=hiring.gap,
        profile=profile, contract=contract, revenue=revenue, margin=margin)

