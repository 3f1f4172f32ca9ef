"""Shift rules: the shapes of shift and tour a schedule may use, their breaks, and what they cost.

Pure library code: no I/O. :class:`ShiftRules` and :class:`BreakRule` (:mod:`wfm.scheduling.breaks`, re-exported
here) check their values when they are built, in code or from a TOML ``[schedule]`` table (:meth:`ShiftRules.from_mapping`, read by
:mod:`wfm.scheduling.rules_parsing`), with the value checks below: a number is an int or a float,
never a bool or a string, and NaN is never a setting. Each range is in the class docstring.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from wfm.config import show_value
from wfm.errors import ConfigError
from wfm.scheduling.breaks import DEFAULT_BREAKS, BreakRule, check_distinct_names
from wfm.scheduling.rule_values import (
    as_day_counts,
    as_days_off_sets,
    as_flag,
    as_number,
    as_numbers,
    as_time,
    as_weekly_hours,
    as_whole,
)
from wfm.times import SECONDS_PER_DAY, WEEKDAYS, weekday

__all__ = ["BreakRule", "ShiftRules", "DEFAULT_BREAKS"]

MAX_SHIFT_H = 16.0  # longest shift length, hours
MAX_COST_PER_HOUR = 1_000_000.0  # largest cost_per_paid_hour, any currency
MAX_UNDERSTAFFING_WEIGHT = 1000.0  # paid hours per agent-hour short; beyond it tolerances decide
MAX_TIME_LIMIT_S = float(SECONDS_PER_DAY)  # a day
DEFAULT_MAX_PART_TIME_SHARE = 0.4
"""At most 40 % of a queue's headcount part-time by default. Part-timers cover the peaks cheaply, but a centre
needs a full-time core for its long opening hours, for training and coaching time and for a stable team
(part-time agents leave more often); 40 % is the upper end of what centres commonly run with. Measured on the
samples it costs 0.3-9 % paid hours against no limit (the README says where). Set 1 to lift it."""
TOUR_ONLY = ("part_time_days_per_week", "weekly_hours", "consecutive_days_off", "fixed_days_off",
             "every_other_weekend_off", "start_band_minutes", "start_flex_minutes", "min_agents_per_tour")
"""[schedule] settings of weekly tours alone: independent daily shifts (tours = false, --daily) have no week
(days_per_week is not among them: it also turns daily shifts into a headcount)."""


# --- Rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftRules:
    """The shapes of shift and tour a schedule may use, and what they cost.

    Shifts
      full_time_hours        shift lengths in hours, start to end (real time, breaks included),
                             each more than 0 and at most 16 hours.
      part_time_hours        part-time lengths; ``()`` turns part-time off.
      start_step_minutes     start-time granularity, whole minutes from 1 to 1440 (15 or 30 usual);
                             must be a multiple of the forecast's interval. ``None`` (the default):
                             30 minutes when the interval divides 30 minutes, else the interval
                             (so an hourly forecast starts shifts on the hour); see
                             :meth:`start_step_s`.
      earliest_start         earliest local start time of a shift (``"06:00"`` or a ``datetime.time``).
      latest_start           latest local start time; if earlier than ``earliest_start`` the
                             window wraps midnight (e.g. 22:00-06:00 for a night crew).
      breaks                 :class:`BreakRule`\\ s; each applies to the shift lengths it names.
                             Windows of the breaks of one shift must not overlap.
      allow_closed_time      let shifts run into closed intervals (paid, covering nothing);
                             off by default: shifts lie entirely in open time.
      cyclic                 the plan repeats week after week: a shift late on the last day runs
                             on into the first day's early hours (needed for 24/7 weeks). Off:
                             shifts must end by the end of the last day.

    Tours (weekly patterns)
      tours                  schedule weekly tours (one start time and length on a fixed set of
                             days); off: independent daily shifts.
      days_per_week          working days per full-time tour (default 5), 1 to 7, or a list of
                             them (``[4, 5]``: a week of 4 or of 5 days).
      part_time_days_per_week  the same for part-time tours (``[2, 3, 4, 5]``); default:
                             ``days_per_week``.
      weekly_hours           paid hours a week a tour may have, ``{full_time = [37.5, 40],
                             part_time = [16, 30]}`` (either key optional; default: no bound).
                             With ``full_time_hours = [8, 10]`` and ``days_per_week = [4, 5]`` a
                             full-time week is 5 x 8 h (37.5 paid) or 4 x 10 h (38 paid), never
                             4 x 8 h or 5 x 10 h. A tour's hours count the days it works (a closed
                             day is a day off). Bounds no tour can meet are an error.
      consecutive_days_off   days off are consecutive, counted cyclically (Sun + Mon counts);
                             off: any combination of days. A day the shift cannot be worked
                             (closed, or open too briefly) is always a day off and the run is
                             counted over the other days: open Mon-Sat, a 5-day tour has Sunday
                             and any one other day off.
      every_other_weekend_off  every agent has every other weekend off: a tour works no Saturday
                             or Sunday, or is a pair of weeks (one with the weekend off, one that
                             works it) two agents work in turn, swapping every week; only pairs with
                             at most six days in a row across the swap and (consecutive_days_off) no
                             lone day off (wfm.scheduling.candidates.tour_weeks). Default false.
      fixed_days_off         sets of weekdays, e.g. ``[["Sat", "Sun"], ["Sun", "Mon"]]``: every tour
                             has all the days of one of the sets off (with ``consecutive_days_off``
                             its days off still form one run). Default ``[]``: no such rule.
      start_band_minutes     a tour's start may differ from day to day within a band this wide,
                             centred on its start: 60 lets a 09:00 tour start at 08:30, 09:00 or
                             09:30 on each working day (on the start-time grid, within the day and
                             the earliest/latest start). Default 0: the same start every day. At
                             most 1440 (a day). With a band, ``start_flex_minutes`` is not used.
      start_flex_minutes     on a day a tour's start time does not fit the open hours (a later
                             opening on Sunday, an earlier close on Saturday), its shift starts at
                             the nearest start that fits within this many minutes (default 60; 0:
                             the same start every day, and such days are days off; at most 720).

    Cost and solver
      cost_per_paid_hour     ``((length_h, cost), ...)`` or a mapping, for every shift length.
                             With none given, the schedule minimises paid hours. Each cost is
                             more than 0 and at most 1,000,000 per hour (any currency).
      understaffing_weight   cost of one under-covered agent-hour (agent on the phones short
                             of the requirement), in paid hours at the cheapest rate (default 8:
                             raise it for a plan that meets the target everywhere at more paid
                             hours, lower it for a leaner plan that misses on the hardest days);
                             more than 0 and at most 1000 (beyond that the solver's tolerances,
                             not the plan, decide).
      weight_by_service_level  raise the weight where an agent short costs the day's service
                             level more than average (``wfm.staffing.shortfall_priority``: quiet
                             days, small queues' peaks); used by ``wfm.plan``.
      min_agents_per_tour    a simpler roster: every weekly tour worked by none or at least this
                             many agents (default 1: any; semi-integer tour columns in every
                             stage of the solve; its price in paid hours is in the README).
      max_part_time_share    at most this fraction (0 to 1) of the headcount on part-time
                             shifts/tours; default 0.4 (DEFAULT_MAX_PART_TIME_SHARE, the reason there);
                             1 lifts the limit.
      time_limit_s           safety net per solve, seconds (default 300), more than 0 and at most
                             86,400 (a day): the stages stop on their gap first; one they cut
                             short still yields its best plan.
      mip_gap                stop once the plan is proven within this fraction, in [0, 1), of the
                             optimum.

    Numbers are ints or floats, never bools or strings; NaN is rejected everywhere, infinity
    everywhere but a break's ``max_shift_h``.
    """

    full_time_hours: tuple[float, ...] = (8.0, 9.0)
    part_time_hours: tuple[float, ...] = (4.0,)
    start_step_minutes: int | None = None  # None: 30 minutes, or the interval (start_step_s)
    earliest_start: time = time(0, 0)
    latest_start: time = time(23, 59)
    breaks: tuple[BreakRule, ...] = DEFAULT_BREAKS
    allow_closed_time: bool = False
    cyclic: bool = True
    tours: bool = True
    days_per_week: int | tuple[int, ...] = 5
    part_time_days_per_week: int | tuple[int, ...] | None = None
    weekly_hours: tuple[tuple[str, tuple[float, float]], ...] = ()  # or a mapping {full_time = [lo, hi]}
    consecutive_days_off: bool = True
    fixed_days_off: tuple[tuple[str, ...], ...] = ()
    every_other_weekend_off: bool = False
    start_band_minutes: int = 0
    start_flex_minutes: int = 60
    cost_per_paid_hour: tuple[tuple[float, float], ...] = ()
    understaffing_weight: float = 8.0
    weight_by_service_level: bool = True
    max_part_time_share: float | None = DEFAULT_MAX_PART_TIME_SHARE
    min_agents_per_tour: int = 1
    time_limit_s: float = 300.0
    mip_gap: float = 0.01

    if TYPE_CHECKING:  # what the constructor takes and converts (see the class docstring), for type checkers: wider
        # than the fields it stores (a list for a tuple, "07:00" for a time, a mapping for pairs)
        def __init__(
            self, full_time_hours: float | Sequence[float] | NDArray[Any] = ...,
            part_time_hours: float | Sequence[float] | NDArray[Any] = ...,
            start_step_minutes: int | None = ..., earliest_start: time | str = ..., latest_start: time | str = ...,
            breaks: Sequence[BreakRule] = ..., allow_closed_time: bool = ..., cyclic: bool = ..., tours: bool = ...,
            days_per_week: int | Sequence[int] | NDArray[Any] = ...,
            part_time_days_per_week: int | Sequence[int] | NDArray[Any] | None = ...,
            weekly_hours: Mapping[str, Sequence[float]] | Sequence[tuple[str, Sequence[float]]] = ...,
            consecutive_days_off: bool = ..., fixed_days_off: Sequence[str] | Sequence[Sequence[str]] = ...,
            every_other_weekend_off: bool = ..., start_band_minutes: int = ..., start_flex_minutes: int = ...,
            cost_per_paid_hour: Mapping[float, float] | Sequence[tuple[float, float]] = ...,
            understaffing_weight: float = ..., weight_by_service_level: bool = ...,
            max_part_time_share: float | None = ..., min_agents_per_tour: int = ..., time_limit_s: float = ...,
            mip_gap: float = ...,
        ) -> None: ...

    # -- construction and validation ------------------------------------------------------------

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for key in ("full_time_hours", "part_time_hours"):
            set_(self, key, as_numbers(getattr(self, key), key))
        set_(self, "breaks", tuple(self.breaks))
        for i, rule in enumerate(self.breaks):
            if not isinstance(rule, BreakRule):
                raise ConfigError(f"breaks[{i}] must be a break rule, got {show_value(rule)}")
        check_distinct_names(self.breaks)
        cost = self.cost_per_paid_hour
        pairs = cost.items() if isinstance(cost, Mapping) else cost
        set_(self, "cost_per_paid_hour", tuple(sorted(
            (as_number(k, "cost_per_paid_hour length"), as_number(v, f"cost_per_paid_hour for {show_value(k)} h"))
            for k, v in pairs)))
        set_(self, "earliest_start", as_time(self.earliest_start, "earliest_start"))
        set_(self, "latest_start", as_time(self.latest_start, "latest_start"))
        if self.start_step_minutes is not None:
            set_(self, "start_step_minutes", as_whole(self.start_step_minutes, "start_step_minutes"))
        for key in ("days_per_week", "part_time_days_per_week"):
            if getattr(self, key) is not None:
                set_(self, key, as_day_counts(getattr(self, key), key))
        set_(self, "weekly_hours", as_weekly_hours(self.weekly_hours))
        set_(self, "fixed_days_off", as_days_off_sets(self.fixed_days_off))
        for key in ("start_band_minutes", "start_flex_minutes", "min_agents_per_tour"):
            set_(self, key, as_whole(getattr(self, key), key))
        for key in ("understaffing_weight", "time_limit_s", "mip_gap"):
            set_(self, key, as_number(getattr(self, key), key))
        if self.max_part_time_share is not None:
            set_(self, "max_part_time_share", as_number(self.max_part_time_share, "max_part_time_share"))
        for key in ("allow_closed_time", "cyclic", "tours", "consecutive_days_off", "weight_by_service_level",
                    "every_other_weekend_off"):
            set_(self, key, as_flag(getattr(self, key), key))
        self._validate()

    def _validate(self) -> None:
        """The ranges, each in the class docstring; types are already checked."""
        lengths = self.lengths_h
        if not self.full_time_hours and not self.part_time_hours:
            raise ConfigError("no shift lengths: give full_time_hours and/or part_time_hours")
        if len(set(lengths)) != len(lengths):
            raise ConfigError(f"shift lengths must be distinct across full- and part-time, got {list(lengths)}")
        for key in ("full_time_hours", "part_time_hours"):
            for h in getattr(self, key):
                if not 0 < h <= MAX_SHIFT_H:
                    raise ConfigError(f"{key} must be shift lengths of more than 0 and at most {MAX_SHIFT_H:g} hours, "
                                   f"got {show_value(h)}")
        step = self.start_step_minutes
        if step is not None and not 0 < step <= 24 * 60:
            raise ConfigError(f"start_step_minutes must be a whole number of minutes from 1 to 1440, got {step}")
        if not 0 <= self.start_flex_minutes <= 12 * 60:
            raise ConfigError(f"start_flex_minutes must be a whole number of minutes from 0 to 720, got {self.start_flex_minutes}")
        if not 1 <= self.min_agents_per_tour <= 1000:
            raise ConfigError(f"min_agents_per_tour must be a whole number from 1 to 1000, got {self.min_agents_per_tour}")
        if not 0 <= self.start_band_minutes <= 24 * 60:
            raise ConfigError(f"start_band_minutes must be a whole number of minutes from 0 to 1440 (a day), "
                              f"got {self.start_band_minutes}")
        for key in ("days_per_week", "part_time_days_per_week"):
            value = getattr(self, key)
            for days in (value,) if isinstance(value, int) else value or ():
                if not 1 <= days <= 7:
                    raise ConfigError(f"{key} must be a whole number from 1 to 7 (or a list of them), got {days}")
        for days_off in self.fixed_days_off:
            most = 7 - len(days_off)
            for key in ("days_per_week", "part_time_days_per_week"):
                value = getattr(self, key)
                if value is not None and min((value,) if isinstance(value, int) else value) > most:
                    raise ConfigError(f"fixed_days_off {show_value(list(days_off))} leaves {most} working days, "
                                      f"fewer than {key} = {show_value(value)}")
        for kind, (lo, hi) in self.weekly_hours:
            if not 0 < lo <= hi <= 7 * 24:
                raise ConfigError(f"weekly_hours.{kind} must be [least, most] paid hours with 0 < least <= most "
                                  f"<= 168, got {show_value([lo, hi])}")
            kind_lengths = self.full_time_hours if kind == "full_time" else self.part_time_hours
            if kind_lengths and not any(self.day_options(h) for h in kind_lengths):
                reach = sorted({round(self.paid_hours(h) * d, 2) for h in kind_lengths for d in self._days_for(h)})
                raise ConfigError(f"weekly_hours.{kind} = {show_value([lo, hi])}: no {kind.replace('_', '-')} week "
                                  f"reaches it (the shift lengths and days per week give {show_value(reach)} paid h)")
        if not 0 < self.understaffing_weight <= MAX_UNDERSTAFFING_WEIGHT:
            raise ConfigError(f"understaffing_weight must be paid hours more than 0 and at most "
                           f"{MAX_UNDERSTAFFING_WEIGHT:g}, got {show_value(self.understaffing_weight)}")
        if self.max_part_time_share is not None and not 0 <= self.max_part_time_share <= 1:
            raise ConfigError(f"max_part_time_share must be a fraction from 0 to 1, got {show_value(self.max_part_time_share)}")
        if not 0 < self.time_limit_s <= MAX_TIME_LIMIT_S:
            raise ConfigError(f"time_limit_s must be seconds more than 0 and at most {MAX_TIME_LIMIT_S:,.0f}, "
                           f"got {show_value(self.time_limit_s)}")
        if not 0 <= self.mip_gap < 1:
            raise ConfigError(f"mip_gap must be a fraction in [0, 1), got {show_value(self.mip_gap)}")
        for length, cost in self.cost_per_paid_hour:
            if length not in lengths:
                raise ConfigError(f"cost_per_paid_hour names a {length:g} h shift, which is not one of {list(lengths)}")
            if not 0 < cost <= MAX_COST_PER_HOUR:
                raise ConfigError(f"cost_per_paid_hour for {length:g} h shifts must be more than 0 and at most "
                               f"{MAX_COST_PER_HOUR:,.0f}, got {show_value(cost)}")
        given = [length for length, _ in self.cost_per_paid_hour]
        missing = [length for length in lengths if given and length not in given]
        if missing:  # a length left out would cost 1 an hour: next to 25 it would take every shift
            raise ConfigError(f"cost_per_paid_hour gives no cost for {' and '.join(f'{x:g} h' for x in missing)} "
                              f"shifts; give every shift length ({', '.join(f'{x:g}' for x in lengths)} h) a cost, "
                              "or none")
        for length in lengths:
            spans = []
            for rule in self.breaks_for(length):
                a, b = rule.window_in_shift_h(length)
                if not (0 <= a and b <= length):
                    raise ConfigError(
                        f"break '{rule.name}' window {a:g}-{b:g} h lies outside the {length:g} h shift"
                    )
                if b - a < rule.minutes / 60 - 1e-9:
                    raise ConfigError(
                        f"break '{rule.name}' ({rule.minutes:g} min) does not fit its window {a:g}-{b:g} h "
                        f"of the {length:g} h shift"
                    )
                spans.append((a, b, rule.name))
            spans.sort()
            for (a1, b1, n1), (a2, b2, n2) in pairwise(spans):
                if a2 < b1 - 1e-9:
                    raise ConfigError(
                        f"break windows '{n1}' ({a1:g}-{b1:g} h) and '{n2}' ({a2:g}-{b2:g} h) overlap in the "
                        f"{length:g} h shift; an agent could take both at once"
                    )
            if self.paid_hours(length) <= 0:
                raise ConfigError(f"the unpaid breaks take the whole {length:g} h shift")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "[schedule]") -> ShiftRules:
        """Rules from a plain mapping such as a TOML ``[schedule]`` table.

        Keys are the field names; times as ``"HH:MM"`` strings or TOML local times; ``breaks`` as
        a list of tables with keys ``name``, ``minutes``, ``paid``, ``window_h`` (two numbers)
        and optionally ``min_shift_h`` / ``max_shift_h`` (a given list replaces the defaults;
        ``[]`` means no breaks); ``cost_per_paid_hour`` as a table ``{"8" = 25.0, "4" = 27.5}``.
        Unknown keys, wrong types (a bool or a string is not a number) and values out of range
        raise :class:`~wfm.errors.ConfigError` with one line naming ``source`` (e.g. ``"wfm.toml [schedule]"``)
        and the key. Errors found later against the forecast (:meth:`start_step_s`,
        :func:`~wfm.scheduling.candidates.shift_types`) name ``source`` too.
        """
        from wfm.scheduling.rules_parsing import parse_rules_mapping  # it imports this module

        try:
            rules = cls(**parse_rules_mapping(data))
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None
        if not rules.tours and rules.tour_rules_set():  # the table contradicts itself: a rule that would do nothing
            raise ConfigError(f"{source}: {rules.tour_rules_set()[0]} applies to weekly tours, and tours = false plans "
                              "daily shifts; leave it out or set tours = true")
        object.__setattr__(rules, "_source", source)  # not a field: not compared, not in asdict()
        return rules

    _source = "[schedule]"  # where the rules came from, for errors found against the forecast

    def tour_rules_set(self) -> tuple[str, ...]:
        """The :data:`TOUR_ONLY` settings that differ from their defaults: rules daily shifts do not follow."""
        default = _default_rules()
        return tuple(key for key in TOUR_ONLY if getattr(self, key) != getattr(default, key))

    def start_step_s(self, interval_s: int) -> int:
        """Seconds between allowed shift start times on a grid of ``interval_s``-second intervals.

        ``start_step_minutes`` when set: it must be a multiple of the interval (else a
        :class:`~wfm.errors.ConfigError` naming the setting). By default 30 minutes when the interval divides 30
        minutes (5, 10, 15, 30 ...), else the interval itself: an hourly forecast starts shifts on
        the hour, a 45-minute one every 45 minutes.
        """
        interval_s = int(interval_s)
        if self.start_step_minutes is None:
            return 1800 if 1800 % interval_s == 0 else interval_s
        step = self.start_step_minutes * 60
        if step % interval_s:
            raise ConfigError(
                f"{self._source}: start_step_minutes must be a multiple of the {interval_s // 60}-minute interval "
                f"of the forecast, got {self.start_step_minutes} (leave it out to follow the interval)"
            )
        return step

    def start_band_steps(self, interval_s: int) -> int:
        """How many start steps a tour's start may move either way (``start_band_minutes`` / 2 on
        the start-step grid); 0 without a band. A band narrower than two start steps allows no
        move: a ConfigError naming the setting."""
        if self.start_band_minutes == 0:
            return 0
        step = self.start_step_s(interval_s)
        steps = (self.start_band_minutes * 60 // 2) // step
        if steps == 0:
            raise ConfigError(
                f"{self._source}: start_band_minutes = {self.start_band_minutes} lets no start move: a start can "
                f"only move by whole start steps of {step // 60} minutes, so the band must be at least "
                f"{2 * step // 60} minutes (or 0 for none)")
        return int(steps)

    # -- derived figures ------------------------------------------------------------------------

    @property
    def lengths_h(self) -> tuple[float, ...]:
        """All shift lengths, full-time first, in hours."""
        return self.full_time_hours + self.part_time_hours

    def is_part_time(self, length_h: float) -> bool:
        return length_h in self.part_time_hours

    def breaks_for(self, length_h: float) -> tuple[BreakRule, ...]:
        """The breaks a shift of ``length_h`` hours takes, in the order of their windows."""
        rules = [r for r in self.breaks if r.applies_to(length_h)]
        return tuple(sorted(rules, key=lambda r: r.window_in_shift_h(length_h)))

    def paid_hours(self, length_h: float) -> float:
        """Paid hours of one shift: its length less its unpaid breaks."""
        return length_h - sum(r.minutes for r in self.breaks_for(length_h) if not r.paid) / 60

    def phone_hours(self, length_h: float) -> float:
        """Hours of one shift on the phones: its length less all its breaks."""
        return length_h - sum(r.minutes for r in self.breaks_for(length_h)) / 60

    def paid_break_fraction(self, length_h: float | None = None) -> float:
        """The shrinkage the schedule models for one shift: paid break time / paid time.

        ``length_h`` defaults to the shortest full-time length (the shortest length if none), whatever the order
        they are listed in (``[9, 8]`` took 9 h, ``[8, 9]`` 8 h: two plans of one week). For the default rules and
        an 8 h shift: 30 min / 7.5 h = 6.67 %.
        """
        if length_h is None:
            length_h = min(self.full_time_hours or self.part_time_hours)
        paid_breaks = sum(r.minutes for r in self.breaks_for(length_h) if r.paid) / 60
        return paid_breaks / self.paid_hours(length_h)

    def cost_for(self, length_h: float) -> float:
        """Cost of one paid hour on a shift of ``length_h`` hours (1 when no costs are given: paid hours)."""
        return dict(self.cost_per_paid_hour).get(length_h, 1.0)

    def _days_for(self, length_h: float) -> tuple[int, ...]:
        value = self.days_per_week
        if self.is_part_time(length_h) and self.part_time_days_per_week is not None:
            value = self.part_time_days_per_week
        return (value,) if isinstance(value, int) else value

    def day_options(self, length_h: float) -> tuple[int, ...]:
        """Working days a week a tour of ``length_h`` hours may have: ``days_per_week`` (or
        ``part_time_days_per_week``) whose paid hours meet ``weekly_hours`` (all when unbounded)."""
        bounds = dict(self.weekly_hours).get("part_time" if self.is_part_time(length_h) else "full_time")
        days = self._days_for(length_h)
        if bounds is None:
            return days
        return tuple(d for d in days if self.meets_weekly_hours(length_h, d))

    def meets_weekly_hours(self, length_h: float, days: int) -> bool:
        """Whether a tour working ``days`` shifts of ``length_h`` hours meets ``weekly_hours``."""
        bounds = dict(self.weekly_hours).get("part_time" if self.is_part_time(length_h) else "full_time")
        if bounds is None:
            return True
        paid = self.paid_hours(length_h) * days
        return bounds[0] - 1e-9 <= paid <= bounds[1] + 1e-9

    def days_off_sets(self, first_day: int) -> NDArray[np.bool_]:
        """``fixed_days_off`` on a week whose day 0 is ``first_day`` (days since 1970-01-01, a
        Thursday): S x 7 bool, True where the set has that day of the week off."""
        names = [WEEKDAYS[w] for w in weekday(first_day + np.arange(7))]
        return np.array([[name in days_off for name in names] for days_off in self.fixed_days_off],
                        dtype=bool).reshape(-1, 7)

    @property
    def most_days_per_week(self) -> int:
        """The most working days a full-time tour may have."""
        return max(self._days_for(self.lengths_h[0]))


@functools.cache
def _default_rules() -> ShiftRules:
    return ShiftRules()
