"""Shift rules, the local-time timeline of a planning week, and the shifts and tours a schedule may use.

Pure library code: no I/O. ``wfm.schedule`` builds the integer program from what this module
generates; ``wfm.seats`` reads the resulting timeline.

Vocabulary (as planners use it):

* **interval** - one row of the requirement (15 or 30 minutes), a real UTC instant;
* **shift** - one agent's working day: a start (local wall clock), a length in hours measured
  from start to end in real time, and breaks placed inside windows relative to the start;
* **tour** - one agent's working week: the same start time and shift length on a fixed pattern
  of days (default 5 days on with the 2 days off consecutive, counted cyclically over the week,
  so Sunday + Monday off is a valid pattern; a closed day is always a day off and the run is
  counted over the open days); the number of tours is the headcount to roster;
* **shrinkage the schedule models** - paid breaks: the schedule places them explicitly, so they
  must not also be taken off as shrinkage. See :func:`split_shrinkage`.

Time model. The intervals are real instants (UTC) with the UTC offset in force at each; the
rules (earliest/latest start, break windows, days) are local. The timeline runs from local
midnight of the first interval's day to local midnight after the last interval's day in steps
of one interval; intervals listed in the requirement are *open*, the rest *closed*. A shift
that starts at local 08:00 covers the next ``length`` real hours, so on a 25-hour fall-back day
it is still 8 hours long (and ends at 15:00 local on the clock if the change falls inside it).
A start time that does not exist on a spring-forward day (02:30) is read as Python's zoneinfo
reads it (fold=0): the offset before the change applies, so it starts at 03:30 local. A start
time that occurs twice on a fall-back day starts at its first occurrence.

Closed time. Only intervals with a requirement row are open. By default a shift must lie
entirely in open time (the centre is staffed only when it is open). With
``allow_closed_time = true`` a shift may run into closed intervals: that time is paid and counts
for seats but covers nothing. A closed interval's UTC offset is taken from the next open
interval (or the last one at the end of the week), which is exact for 24/7 queues and for
business hours where the offset changes overnight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import time
from itertools import combinations
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from wfm.config import show_value
from wfm.errors import WfmError

if TYPE_CHECKING:  # scipy.sparse is imported when candidates are generated, not to parse rules
    import scipy.sparse as sp

__all__ = [
    "BreakRule",
    "ShiftRules",
    "DEFAULT_BREAKS",
    "ShrinkageSplit",
    "split_shrinkage",
    "Timeline",
    "build_timeline",
    "ShiftType",
    "BreakSlots",
    "Candidates",
    "generate_candidates",
]

_DAY_S = 86_400
MAX_SHIFT_H = 16.0  # longest shift length, hours
MAX_COST_PER_HOUR = 1_000_000.0  # largest cost_per_paid_hour, any currency
MAX_UNDERSTAFFING_WEIGHT = 1000.0  # paid hours per agent-hour short; beyond it tolerances decide
MAX_TIME_LIMIT_S = 86_400.0  # a day


# --- Strict value checks (TOML tables and direct construction alike) ----------------------------


def _number(value: Any, key: str) -> float:
    """An int or float as a float: never a bool (``True`` is an int in Python) or a string.
    NaN is never a setting; infinity is left to each setting's range check."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real) or math.isnan(value):
        raise WfmError(f"{key} must be a number, got {show_value(value)}")
    return float(value)


def _whole(value: Any, key: str) -> int:
    """A whole number: an int, or a float with an integral value (15.0); never a bool or a string."""
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, Real) or not math.isfinite(value)
            or value != int(value)):
        raise WfmError(f"{key} must be a whole number, got {show_value(value)}")
    return int(value)


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise WfmError(f"{key} must be true or false, got {show_value(value)}")
    return bool(value)


def _numbers(value: Any, key: str) -> tuple[float, ...]:
    """A list of numbers (or one number) as a tuple of floats."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_number(v, key) for v in value)
    return (_number(value, key),)


def _parse_time(value: Any, key: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        parts = value.strip().split(":")
        try:
            if len(parts) in (2, 3) and all(p.isascii() and p.isdigit() for p in parts):
                return time(*(int(p) for p in parts))
        except ValueError:
            pass
    raise WfmError(f"{key} must be a local time like \"06:00\", got {show_value(value)}")


# --- Rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakRule:
    """One break (or lunch) that every shift of a matching length takes; the solver places it.

    name         label used in reports, e.g. ``"break 1"``, ``"lunch"``.
    minutes      duration in minutes.
    paid         paid breaks are paid time (and are the shrinkage the schedule models);
                 an unpaid lunch is off the clock: it lengthens the shift but is not paid.
    window_h     (earliest start, latest end) of the break in hours from the shift start; a
                 negative number counts back from the shift end (``-2.5`` = 2.5 h before the end).
                 The break lies entirely inside the window. The solver may start it at any
                 interval boundary in the window (every 15 minutes on a 15-minute requirement).
    min_shift_h  the rule applies to shifts with ``min_shift_h <= length < max_shift_h`` hours.
    max_shift_h
    """

    name: str
    minutes: float
    paid: bool
    window_h: tuple[float, float]
    min_shift_h: float = 0.0
    max_shift_h: float = math.inf

    def __post_init__(self) -> None:
        """Ranges: minutes in (0, 1440]; window_h two finite hours in [-24, 24];
        0 <= min_shift_h < max_shift_h (min finite, max may be infinite)."""
        set_ = object.__setattr__
        if not isinstance(self.name, str) or not self.name:
            raise WfmError(f"a break needs a non-empty name, got {show_value(self.name)}")
        where = f"break '{self.name}'"
        window = self.window_h
        if not isinstance(window, (list, tuple)) or len(window) != 2:
            raise WfmError(f"{where}: window_h must be two numbers [start, end] in hours, got {show_value(window)}")
        set_(self, "window_h", tuple(_number(x, f"{where}: window_h") for x in window))
        set_(self, "minutes", _number(self.minutes, f"{where}: minutes"))
        set_(self, "paid", _flag(self.paid, f"{where}: paid"))
        set_(self, "min_shift_h", _number(self.min_shift_h, f"{where}: min_shift_h"))
        set_(self, "max_shift_h", _number(self.max_shift_h, f"{where}: max_shift_h"))
        if not 0 < self.minutes <= 24 * 60:
            raise WfmError(f"{where}: minutes must be more than 0 and at most 1440, got {show_value(self.minutes)}")
        if not all(-24 <= x <= 24 for x in self.window_h):
            raise WfmError(f"{where}: window_h must be hours from -24 to 24, got {show_value(list(self.window_h))}")
        if not (0 <= self.min_shift_h < self.max_shift_h and math.isfinite(self.min_shift_h)):
            raise WfmError(f"{where}: need 0 <= min_shift_h < max_shift_h, got {show_value(self.min_shift_h)} "
                           f"and {show_value(self.max_shift_h)}")

    def applies_to(self, length_h: float) -> bool:
        return self.min_shift_h <= length_h < self.max_shift_h

    def window_in_shift_h(self, length_h: float) -> tuple[float, float]:
        """The window as (start, end) hours after the shift start for a shift of ``length_h`` hours."""
        a, b = self.window_h
        return (a if a >= 0 else length_h + a, b if b >= 0 else length_h + b)


DEFAULT_BREAKS: tuple[BreakRule, ...] = (
    # Full-time shifts (6 h and longer): two paid 15-minute breaks and one unpaid 30-minute lunch.
    # For an 8 h shift: break 1 in hours 1.5-2.5, lunch in 3.5-5, break 2 in 5.5-7.
    BreakRule("break 1", 15, True, (1.5, 2.5), min_shift_h=6.0),
    BreakRule("lunch", 30, False, (3.5, 5.0), min_shift_h=6.0),
    BreakRule("break 2", 15, True, (-2.5, -1.0), min_shift_h=6.0),
    # Part-time shifts (4 h to under 6 h): one paid 15-minute break in hours 1.5-2.5.
    BreakRule("break", 15, True, (1.5, 2.5), min_shift_h=4.0, max_shift_h=6.0),
)


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
      days_per_week          working days per tour (default 5), 1 to 7.
      part_time_days_per_week  for part-time tours; default: ``days_per_week``.
      consecutive_days_off   days off are consecutive, counted cyclically (Sun + Mon counts);
                             off: any combination of days. A day the shift cannot be worked
                             (closed, or open too briefly) is always a day off and the run is
                             counted over the other days: open Mon-Sat, a 5-day tour has Sunday
                             and any one other day off.
      start_flex_minutes     on a day a tour's start time does not fit the open hours (a later
                             opening on Sunday, an earlier close on Saturday), its shift starts at
                             the nearest start that fits within this many minutes (default 60; 0:
                             the same start every day, and such days are days off; at most 720).

    Cost and solver
      cost_per_paid_hour     ``((length_h, cost), ...)`` or a mapping; missing lengths cost 1.
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
      max_part_time_share    at most this fraction (0 to 1) of the headcount on part-time
                             shifts/tours.
      time_limit_s           safety net per solve, seconds (default 60), more than 0 and at most
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
    days_per_week: int = 5
    part_time_days_per_week: int | None = None
    consecutive_days_off: bool = True
    start_flex_minutes: int = 60
    cost_per_paid_hour: tuple[tuple[float, float], ...] = ()
    understaffing_weight: float = 8.0
    weight_by_service_level: bool = True
    max_part_time_share: float | None = None
    time_limit_s: float = 60.0
    mip_gap: float = 0.01

    # -- construction and validation ------------------------------------------------------------

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for key in ("full_time_hours", "part_time_hours"):
            set_(self, key, _numbers(getattr(self, key), key))
        set_(self, "breaks", tuple(self.breaks))
        for i, rule in enumerate(self.breaks):
            if not isinstance(rule, BreakRule):
                raise WfmError(f"breaks[{i}] must be a break rule, got {show_value(rule)}")
        cost = self.cost_per_paid_hour
        pairs = cost.items() if isinstance(cost, Mapping) else cost
        set_(self, "cost_per_paid_hour", tuple(sorted(
            (_number(k, "cost_per_paid_hour length"), _number(v, f"cost_per_paid_hour for {show_value(k)} h"))
            for k, v in pairs)))
        set_(self, "earliest_start", _parse_time(self.earliest_start, "earliest_start"))
        set_(self, "latest_start", _parse_time(self.latest_start, "latest_start"))
        for key in ("start_step_minutes", "part_time_days_per_week"):
            if getattr(self, key) is not None:
                set_(self, key, _whole(getattr(self, key), key))
        for key in ("days_per_week", "start_flex_minutes"):
            set_(self, key, _whole(getattr(self, key), key))
        for key in ("understaffing_weight", "time_limit_s", "mip_gap"):
            set_(self, key, _number(getattr(self, key), key))
        if self.max_part_time_share is not None:
            set_(self, "max_part_time_share", _number(self.max_part_time_share, "max_part_time_share"))
        for key in ("allow_closed_time", "cyclic", "tours", "consecutive_days_off", "weight_by_service_level"):
            set_(self, key, _flag(getattr(self, key), key))
        self._validate()

    def _validate(self) -> None:
        """The ranges, each in the class docstring; types are already checked."""
        lengths = self.lengths_h
        if not self.full_time_hours and not self.part_time_hours:
            raise WfmError("no shift lengths: give full_time_hours and/or part_time_hours")
        if len(set(lengths)) != len(lengths):
            raise WfmError(f"shift lengths must be distinct across full- and part-time, got {list(lengths)}")
        for key in ("full_time_hours", "part_time_hours"):
            for h in getattr(self, key):
                if not 0 < h <= MAX_SHIFT_H:
                    raise WfmError(f"{key} must be shift lengths of more than 0 and at most {MAX_SHIFT_H:g} hours, "
                                   f"got {show_value(h)}")
        step = self.start_step_minutes
        if step is not None and not 0 < step <= 24 * 60:
            raise WfmError(f"start_step_minutes must be a whole number of minutes from 1 to 1440, got {step}")
        if not 0 <= self.start_flex_minutes <= 12 * 60:
            raise WfmError(f"start_flex_minutes must be a whole number of minutes from 0 to 720, got {self.start_flex_minutes}")
        for key in ("days_per_week", "part_time_days_per_week"):
            value = getattr(self, key)
            if value is not None and not 1 <= value <= 7:
                raise WfmError(f"{key} must be a whole number from 1 to 7, got {value}")
        if not 0 < self.understaffing_weight <= MAX_UNDERSTAFFING_WEIGHT:
            raise WfmError(f"understaffing_weight must be paid hours more than 0 and at most "
                           f"{MAX_UNDERSTAFFING_WEIGHT:g}, got {show_value(self.understaffing_weight)}")
        if self.max_part_time_share is not None and not 0 <= self.max_part_time_share <= 1:
            raise WfmError(f"max_part_time_share must be a fraction from 0 to 1, got {show_value(self.max_part_time_share)}")
        if not 0 < self.time_limit_s <= MAX_TIME_LIMIT_S:
            raise WfmError(f"time_limit_s must be seconds more than 0 and at most {MAX_TIME_LIMIT_S:,.0f}, "
                           f"got {show_value(self.time_limit_s)}")
        if not 0 <= self.mip_gap < 1:
            raise WfmError(f"mip_gap must be a fraction in [0, 1), got {show_value(self.mip_gap)}")
        for length, cost in self.cost_per_paid_hour:
            if length not in lengths:
                raise WfmError(f"cost_per_paid_hour names a {length:g} h shift, which is not one of {list(lengths)}")
            if not 0 < cost <= MAX_COST_PER_HOUR:
                raise WfmError(f"cost_per_paid_hour for {length:g} h shifts must be more than 0 and at most "
                               f"{MAX_COST_PER_HOUR:,.0f}, got {show_value(cost)}")
        for length in lengths:
            spans = []
            for rule in self.breaks_for(length):
                a, b = rule.window_in_shift_h(length)
                if not (0 <= a and b <= length):
                    raise WfmError(
                        f"break '{rule.name}' window {a:g}-{b:g} h lies outside the {length:g} h shift"
                    )
                if b - a < rule.minutes / 60 - 1e-9:
                    raise WfmError(
                        f"break '{rule.name}' ({rule.minutes:g} min) does not fit its window {a:g}-{b:g} h "
                        f"of the {length:g} h shift"
                    )
                spans.append((a, b, rule.name))
            spans.sort()
            for (a1, b1, n1), (a2, b2, n2) in zip(spans, spans[1:]):
                if a2 < b1 - 1e-9:
                    raise WfmError(
                        f"break windows '{n1}' ({a1:g}-{b1:g} h) and '{n2}' ({a2:g}-{b2:g} h) overlap in the "
                        f"{length:g} h shift; an agent could take both at once"
                    )
            if self.paid_hours(length) <= 0:
                raise WfmError(f"the unpaid breaks take the whole {length:g} h shift")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "[schedule]") -> ShiftRules:
        """Rules from a plain mapping such as a TOML ``[schedule]`` table.

        Keys are the field names; times as ``"HH:MM"`` strings or TOML local times; ``breaks`` as
        a list of tables with keys ``name``, ``minutes``, ``paid``, ``window_h`` (two numbers)
        and optionally ``min_shift_h`` / ``max_shift_h`` (a given list replaces the defaults;
        ``[]`` means no breaks); ``cost_per_paid_hour`` as a table ``{"8" = 25.0, "4" = 27.5}``.
        Unknown keys, wrong types (a bool or a string is not a number) and values out of range
        raise :class:`WfmError` with one line naming ``source`` (e.g. ``"wfm.toml [schedule]"``)
        and the key. Errors found later against the forecast (:meth:`start_step_s`,
        :func:`shift_types`) name ``source`` too.
        """
        try:
            rules = cls(**_parse_rules_mapping(data))
        except WfmError as exc:
            raise WfmError(f"{source}: {exc}") from None
        object.__setattr__(rules, "_source", source)  # not a field: not compared, not in asdict()
        return rules

    _source = "[schedule]"  # where the rules came from, for errors found against the forecast

    def start_step_s(self, interval_s: int) -> int:
        """Seconds between allowed shift start times on a grid of ``interval_s``-second intervals.

        ``start_step_minutes`` when set: it must be a multiple of the interval (else a
        :class:`WfmError` naming the setting). By default 30 minutes when the interval divides 30
        minutes (5, 10, 15, 30 ...), else the interval itself: an hourly forecast starts shifts on
        the hour, a 45-minute one every 45 minutes.
        """
        interval_s = int(interval_s)
        if self.start_step_minutes is None:
            return 1800 if 1800 % interval_s == 0 else interval_s
        step = self.start_step_minutes * 60
        if step % interval_s:
            raise WfmError(
                f"{self._source}: start_step_minutes must be a multiple of the {interval_s // 60}-minute interval "
                f"of the forecast, got {self.start_step_minutes} (leave it out to follow the interval)"
            )
        return step

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

        ``length_h`` defaults to the first full-time length (the first length if none).
        For the default rules and an 8 h shift: 30 min / 7.5 h = 6.67 %.
        """
        if length_h is None:
            length_h = self.lengths_h[0]
        paid_breaks = sum(r.minutes for r in self.breaks_for(length_h) if r.paid) / 60
        return paid_breaks / self.paid_hours(length_h)

    def cost_for(self, length_h: float) -> float:
        """Cost of one paid hour on a shift of ``length_h`` hours (1 when no costs are given)."""
        return dict(self.cost_per_paid_hour).get(length_h, 1.0)

    def tour_days(self, length_h: float) -> int:
        if self.is_part_time(length_h) and self.part_time_days_per_week is not None:
            return self.part_time_days_per_week
        return self.days_per_week


_RULE_KEYS = tuple(f.name for f in fields(ShiftRules))
_BREAK_KEYS = ("name", "minutes", "paid", "window_h", "min_shift_h", "max_shift_h")




def _parse_break(data: Any, i: int) -> BreakRule:
    where = f"breaks[{i}]"
    if not isinstance(data, Mapping):
        raise WfmError(f"{where} must be a table with keys {', '.join(_BREAK_KEYS)}, got {show_value(data)}")
    unknown = sorted(set(data) - set(_BREAK_KEYS))
    if unknown:
        raise WfmError(f"unknown key '{unknown[0]}' in {where}; expected one of: {', '.join(_BREAK_KEYS)}")
    missing = [k for k in ("minutes", "paid", "window_h") if k not in data]
    if missing:
        raise WfmError(f"{where} is missing '{missing[0]}'")
    window = data["window_h"]
    if not isinstance(window, (list, tuple)) or len(window) != 2:
        raise WfmError(f"{where}.window_h must be two numbers [start_h, end_h], got {show_value(window)}")
    name = data.get("name", f"break {i + 1}")
    if not isinstance(name, str):
        raise WfmError(f"{where}.name must be a string, got {show_value(name)}")
    return BreakRule(
        name=name,
        minutes=_number(data["minutes"], f"{where}.minutes"),
        paid=_flag(data["paid"], f"{where}.paid"),
        window_h=(_number(window[0], f"{where}.window_h"), _number(window[1], f"{where}.window_h")),
        min_shift_h=_number(data.get("min_shift_h", 0.0), f"{where}.min_shift_h"),
        max_shift_h=_number(data.get("max_shift_h", math.inf), f"{where}.max_shift_h"),
    )


def _parse_rules_mapping(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise WfmError(f"the schedule rules must be a table of key = value pairs, got {show_value(data)}")
    unknown = sorted(set(data) - set(_RULE_KEYS))
    if unknown:
        raise WfmError(f"unknown key '{unknown[0]}'; expected one of: {', '.join(_RULE_KEYS)}")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("full_time_hours", "part_time_hours"):
            out[key] = _numbers(value, key)
        elif key in ("start_step_minutes", "days_per_week", "start_flex_minutes"):
            out[key] = _whole(value, key)
        elif key == "part_time_days_per_week":
            out[key] = None if value is None else _whole(value, key)
        elif key in ("earliest_start", "latest_start"):
            out[key] = _parse_time(value, key)
        elif key in ("allow_closed_time", "cyclic", "tours", "consecutive_days_off", "weight_by_service_level"):
            out[key] = _flag(value, key)
        elif key in ("understaffing_weight", "time_limit_s", "mip_gap"):
            out[key] = _number(value, key)
        elif key == "max_part_time_share":
            out[key] = None if value is None else _number(value, key)
        elif key == "breaks":
            if not isinstance(value, (list, tuple)):
                raise WfmError(f"breaks must be a list of tables, got {show_value(value)}")
            out[key] = tuple(_parse_break(b, i) for i, b in enumerate(value))
        elif key == "cost_per_paid_hour":
            if not isinstance(value, Mapping):
                raise WfmError('cost_per_paid_hour must be a table of shift length = cost, e.g. {"8" = 25.0}, '
                               f"got {show_value(value)}")
            pairs = []
            for k, v in value.items():
                try:
                    length = float(k)
                except (TypeError, ValueError):
                    length = math.nan
                if not math.isfinite(length):
                    raise WfmError(f"cost_per_paid_hour key {show_value(k)} is not a shift length in hours")
                pairs.append((length, _number(v, f"cost_per_paid_hour.{k}")))
            out[key] = tuple(pairs)
    return out


# --- Shrinkage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShrinkageSplit:
    """A total shrinkage split into the part the schedule models and the remainder (fractions 0-1).

    (1 - total) = (1 - modelled) (1 - remaining): shrinkages multiply, they do not add.
    """

    total: float
    modelled: float
    remaining: float


def split_shrinkage(total: float, rules: ShiftRules | float, length_h: float | None = None) -> ShrinkageSplit:
    """Split a total shrinkage into the part the schedule models and the part it does not.

    The schedule places paid breaks explicitly, so that part of the shrinkage must not be taken
    off again. With ``modelled`` = paid break time / paid time of a shift (from ``rules`` for
    ``length_h``, default the first full-time length, or given directly as a fraction):

        remaining = 1 - (1 - total) / (1 - modelled)

    ``remaining`` (absence, training, meetings, ...) is what the requirement is grossed up by
    (``required = agents on the phones / (1 - remaining)``) and what evaluation takes off the
    agents on the phones. Example: 30 % total with the default 8 h shift (2 x 15 min paid breaks
    in 7.5 paid hours, 6.67 %) leaves 1 - 0.7 / 0.9333 = 25 %.

    Raises :class:`WfmError` if the breaks alone exceed the total.
    """
    total = float(total)
    if not (0.0 <= total < 1.0):
        raise WfmError(f"total shrinkage must be a fraction in [0, 1), got {total:g}")
    modelled = rules.paid_break_fraction(length_h) if isinstance(rules, ShiftRules) else float(rules)
    if not (0.0 <= modelled < 1.0):
        raise WfmError(f"modelled shrinkage must be a fraction in [0, 1), got {modelled:g}")
    if modelled > total + 1e-12:
        raise WfmError(
            f"total shrinkage {total:.1%} is less than the {modelled:.1%} the scheduled paid breaks "
            "already take; raise the shrinkage or shorten the breaks"
        )
    remaining = max(0.0, 1.0 - (1.0 - total) / (1.0 - modelled))
    return ShrinkageSplit(total=total, modelled=modelled, remaining=remaining)


# --- Timeline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """Every interval from local midnight before the first requirement row to local midnight after
    the last, open or closed. Slot ``i`` starts at ``start_s + i * interval_s`` (UTC epoch seconds).

    utc_s      slot start, UTC epoch seconds (int64)
    offset_s   UTC offset in force (seconds; for closed slots, that of the next open slot)
    local_s    local wall-clock time of the slot start, as epoch seconds (utc_s + offset_s)
    day        local day of the slot, 0 = first day
    open       the slot has a requirement row
    index      the slot of each requirement row, in input order
    """

    start_s: int
    interval_s: int
    utc_s: NDArray[np.int64]
    offset_s: NDArray[np.int64]
    local_s: NDArray[np.int64]
    day: NDArray[np.int64]
    first_day: int
    n_days: int
    open: NDArray[np.bool_]
    index: NDArray[np.int64]

    @property
    def n(self) -> int:
        return int(self.utc_s.size)

    @property
    def dates(self) -> NDArray[np.datetime64]:
        """The local dates of the days, ``datetime64[D]``."""
        return np.datetime64(self.first_day, "D") + np.arange(self.n_days)


def _to_epoch_seconds(interval_start: Any) -> NDArray[np.int64]:
    arr = np.asarray(interval_start)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[s]").astype(np.int64)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    raise WfmError("interval_start must be UTC datetime64 values")


def build_timeline(interval_start: Any, utc_offset_s: Any, interval_s: float) -> Timeline:
    """The timeline of a requirement given as UTC interval starts and their UTC offsets."""
    utc = _to_epoch_seconds(interval_start)
    offset = np.asarray(utc_offset_s)
    if utc.ndim != 1 or utc.size == 0:
        raise WfmError("the requirement needs at least one interval (a 1-D array of interval starts)")
    if offset.shape != utc.shape:
        raise WfmError(f"utc_offset_s has {offset.size} values for {utc.size} intervals")
    if not np.all(np.isfinite(offset)) or np.any(offset % 60 != 0) or np.any(np.abs(offset) > 18 * 3600):
        raise WfmError("utc_offset_s must be whole minutes within +-18 h")
    offset = offset.astype(np.int64)
    step = float(interval_s)
    if not (step > 0 and step == int(step) and _DAY_S % int(step) == 0):
        raise WfmError(f"interval_s must be a whole number of seconds dividing a day, got {interval_s}")
    step_i = int(step)
    if np.any(np.diff(utc) <= 0):
        bad = int(np.flatnonzero(np.diff(utc) <= 0)[0]) + 1
        raise WfmError(f"interval {bad}: interval starts must be strictly increasing (no duplicates)")
    first_day = int((utc[0] + offset[0]) // _DAY_S)
    start = first_day * _DAY_S - int(offset[0])
    last_day = int(-(-(utc[-1] + step_i + offset[-1]) // _DAY_S))  # ceil
    end = last_day * _DAY_S - int(offset[-1])
    rel = utc - start
    if np.any(rel % step_i) or (end - start) % step_i:
        raise WfmError(f"interval starts are not on the {step_i // 60}-minute grid of the local day")
    n = (end - start) // step_i
    index = rel // step_i
    slots = np.arange(n, dtype=np.int64)
    utc_all = start + slots * step_i
    nxt = np.minimum(np.searchsorted(index, slots, side="left"), index.size - 1)
    offset_all = offset[nxt]
    offset_all[index] = offset
    local = utc_all + offset_all
    is_open = np.zeros(n, dtype=bool)
    is_open[index] = True
    return Timeline(
        start_s=start,
        interval_s=step_i,
        utc_s=utc_all,
        offset_s=offset_all,
        local_s=local,
        day=local // _DAY_S - first_day,
        first_day=first_day,
        n_days=last_day - first_day,
        open=is_open,
        index=index,
    )


# --- Shift types and candidates -----------------------------------------------------------------


@dataclass(frozen=True)
class BreakSlots:
    """A break rule on the interval grid of one shift length.

    first, last  earliest and latest break start, in intervals after the shift start
    coef         fraction of each interval from the break start that the break takes
                 (a 15-minute break on a 30-minute grid takes half of one interval)
    """

    rule: BreakRule
    first: int
    last: int
    coef: tuple[float, ...]

    @property
    def key(self) -> tuple[float, ...]:
        """Breaks with equal keys reduce coverage identically (same duration on the grid)."""
        return self.coef


@dataclass(frozen=True)
class ShiftType:
    """One shift length on the interval grid."""

    length_h: float
    slots: int
    paid_h: float
    phone_h: float
    part_time: bool
    cost_per_hour: float
    tour_days: int
    breaks: tuple[BreakSlots, ...]


@dataclass(frozen=True)
class Candidates:
    """The daily shifts (and, with tours, the weekly tours) a schedule may use.

    Daily shifts, one entry each (``J``): ``start`` slot on the timeline, ``type`` index into
    ``types``, local ``day``. Tours (``Z``, empty without tours): ``tour_type``, ``tour_tod_s``
    (local start time, seconds after midnight), ``tour_days`` (Z x 7 bool, day 0 = first day)
    and ``member`` (J x Z sparse 0/1: tour z works daily shift j).
    """

    types: tuple[ShiftType, ...]
    start: NDArray[np.int64]
    type: NDArray[np.int64]
    day: NDArray[np.int64]
    tod_s: NDArray[np.int64]
    tour_type: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    tour_tod_s: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    tour_days: NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 7), bool))
    member: sp.csr_array | None = None


def shift_types(rules: ShiftRules, interval_s: int) -> tuple[ShiftType, ...]:
    """The rules' shift lengths on an interval grid of ``interval_s`` seconds."""
    step_h = interval_s / 3600
    rules.start_step_s(interval_s)  # a set start step must be a multiple of the interval
    types = []
    for length in rules.lengths_h:
        slots = length / step_h
        if abs(slots - round(slots)) > 1e-9:
            raise WfmError(f"{rules._source}: shift length {length:g} h is not a whole number of "
                           f"{interval_s // 60}-minute intervals")
        slots = int(round(slots))
        breaks = []
        for rule in rules.breaks_for(length):
            a, b = rule.window_in_shift_h(length)
            dur = rule.minutes / 60
            first = math.ceil(a / step_h - 1e-9)
            last = math.floor((b - dur) / step_h + 1e-9)
            if last < first:
                raise WfmError(
                    f"break '{rule.name}' ({rule.minutes:g} min) cannot start on the {interval_s // 60}-minute "
                    f"grid inside its window {a:g}-{b:g} h of the {length:g} h shift"
                )
            n_cov = math.ceil(dur / step_h - 1e-9)
            coef = tuple(min(1.0, max(0.0, dur / step_h - i)) for i in range(n_cov))
            breaks.append(BreakSlots(rule, first, last, coef))
        types.append(
            ShiftType(
                length_h=length,
                slots=slots,
                paid_h=rules.paid_hours(length),
                phone_h=rules.phone_hours(length),
                part_time=rules.is_part_time(length),
                cost_per_hour=rules.cost_for(length),
                tour_days=rules.tour_days(length),
                breaks=tuple(breaks),
            )
        )
    return tuple(types)


def _start_times(rules: ShiftRules, interval_s: int) -> NDArray[np.int64]:
    """Allowed local start times, seconds after midnight, on the start-step grid."""
    step = rules.start_step_s(interval_s)
    tod = np.arange(0, _DAY_S, step, dtype=np.int64)
    e = rules.earliest_start
    lt = rules.latest_start
    lo = e.hour * 3600 + e.minute * 60 + e.second
    hi = lt.hour * 3600 + lt.minute * 60 + lt.second
    keep = (tod >= lo) & (tod <= hi) if lo <= hi else (tod >= lo) | (tod <= hi)
    return tod[keep]


def _start_slots(tl: Timeline, days: NDArray[np.int64], tod: NDArray[np.int64]) -> NDArray[np.int64]:
    """The timeline slot where a shift starting at local ``tod`` on ``day`` starts (-1: none).

    First slot whose local time is the target; for a time skipped by a spring-forward change, the
    offset before the change applies (zoneinfo's fold=0 reading).
    """
    target = (tl.first_day + days) * _DAY_S + tod
    running = np.maximum.accumulate(tl.local_s)
    s = np.searchsorted(running, target, side="left")
    inside = s < tl.n
    s_c = np.minimum(s, tl.n - 1)
    exact = inside & (tl.local_s[s_c] == target)
    # Not found exactly: either in a spring-forward gap or off the end of the timeline.
    before = np.maximum(s_c - 1, 0)
    guess_utc = target - tl.offset_s[before]
    rel = guess_utc - tl.start_s
    g = rel // tl.interval_s
    ok_guess = (rel % tl.interval_s == 0) & (g >= 0) & (g < tl.n) & inside & (s > 0)
    out = np.where(exact, s_c, np.where(ok_guess, g, -1))
    valid = out >= 0
    out[valid & (tl.day[np.maximum(out, 0)] != days)] = -1  # must start on its own local day
    return out.astype(np.int64)


def _shift_fits(tl: Timeline, start: NDArray[np.int64], slots: int, rules: ShiftRules) -> NDArray[np.bool_]:
    """Whether shifts starting at ``start`` and ``slots`` intervals long are allowed."""
    n = tl.n
    end = start + slots  # exclusive, unrolled
    fits = start >= 0
    if not rules.cyclic:
        fits &= end <= n
    if slots > n:
        return np.zeros_like(fits)
    open2 = np.concatenate([tl.open, tl.open]).astype(np.int64)
    csum = np.concatenate([[0], np.cumsum(open2)])
    s = np.maximum(start, 0)
    n_open = csum[np.minimum(end, 2 * n)] - csum[s]
    if rules.allow_closed_time:
        fits &= n_open > 0
    else:
        fits &= n_open == slots
    return fits


def _tour_patterns(days_on: int, consecutive_off: bool, available: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Weekly patterns of working days (P x 7 bool), day 0 = first day of the week.

    ``available[d]`` says whether the shift can be worked on day ``d`` at all (a day the centre
    is closed, or open too briefly for the shift, is not). Unavailable days are always days off,
    and a tour works ``min(days_on, available days)`` days. With ``consecutive_off`` the days off
    taken on available days form one run, counted cyclically over the available days: in a week
    open Monday to Saturday, 5-day tours have Sunday off and one more day, any of Monday to
    Saturday; in a 24/7 week, two consecutive days (Sunday + Monday counts).
    """
    days = np.flatnonzero(available)
    work = min(days_on, days.size)
    if work == 0:
        return np.zeros((0, 7), dtype=bool)
    off = days.size - work
    if off == 0:
        chosen = [tuple(range(days.size))]
    elif consecutive_off:
        chosen = [tuple(i for i in range(days.size) if (i - first) % days.size >= off) for first in range(days.size)]
    else:
        chosen = list(combinations(range(days.size), work))
    pats = np.zeros((len(chosen), 7), dtype=bool)
    for i, c in enumerate(chosen):
        pats[i, days[list(c)]] = True
    return pats


def _flex_starts(shift_idx: NDArray[np.int64], tods: NDArray[np.int64], flex_s: int) -> NDArray[np.int64]:
    """``shift_idx`` (days x start times; -1 where the shift does not fit) with each -1 replaced by
    the day's nearest fitting start within ``flex_s`` seconds (the later one on a tie), so a tour
    can start an hour later on the day the centre opens late. Loops over 7 days only."""
    out = shift_idx.copy()
    for d in range(shift_idx.shape[0]):
        fits = np.flatnonzero(shift_idx[d] >= 0)
        holes = np.flatnonzero(shift_idx[d] < 0)
        if fits.size == 0 or holes.size == 0:
            continue
        later = np.minimum(np.searchsorted(tods[fits], tods[holes]), fits.size - 1)
        earlier = np.maximum(later - 1, 0)
        dist_later = np.abs(tods[fits[later]] - tods[holes])
        dist_earlier = np.abs(tods[fits[earlier]] - tods[holes])
        pick = np.where(dist_later <= dist_earlier, later, earlier)
        dist = np.minimum(dist_later, dist_earlier)
        ok = dist <= flex_s
        out[d, holes[ok]] = shift_idx[d, fits[pick[ok]]]
    return out


def generate_candidates(tl: Timeline, rules: ShiftRules, tours: bool) -> Candidates:
    """Every allowed daily shift and, with ``tours``, every allowed weekly tour.

    A tour (start time, length, pattern of days) is allowed when its shift is allowed on every
    working day; days of the week beyond the requirement are closed. Loops run over shift
    lengths and patterns only; days and start times are vectorised.
    """
    import scipy.sparse as sp

    types = shift_types(rules, tl.interval_s)
    tods = _start_times(rules, tl.interval_s)
    n_days = 7 if tours else tl.n_days
    if tours and tl.n_days > 7:
        raise WfmError(
            f"weekly tours need at most one week of intervals, got {tl.n_days} local days; "
            "schedule each week separately or use daily shifts (tours = false)"
        )
    days = np.arange(n_days, dtype=np.int64)
    dd, tt = np.meshgrid(days, tods, indexing="ij")  # (days, tods)
    dd, tt = dd.ravel(), tt.ravel()
    in_horizon = dd < tl.n_days
    base_slot = np.full(dd.shape, -1, dtype=np.int64)
    base_slot[in_horizon] = _start_slots(tl, dd[in_horizon], tt[in_horizon])

    starts, tys, dys, tds = [], [], [], []
    grids = []  # per type: slot per (day, tod) or -1
    for k, st in enumerate(types):
        ok = _shift_fits(tl, base_slot, st.slots, rules)
        slot = np.where(ok, base_slot, -1)
        grids.append(slot.reshape(n_days, tods.size))
        starts.append(slot[ok])
        tys.append(np.full(int(ok.sum()), k, dtype=np.int64))
        dys.append(dd[ok])
        tds.append(tt[ok])
    start = np.concatenate(starts)
    typ = np.concatenate(tys)
    day = np.concatenate(dys)
    tod = np.concatenate(tds)
    # One daily shift per (start slot, type): a start time skipped by a DST change maps onto
    # the next one's slot.
    key = start * len(types) + typ
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    cand = dict(types=types, start=start[first], type=typ[first], day=day[first], tod_s=tod[first])
    if not tours:
        return Candidates(**cand)

    # Tours: the shift index per (type, day, tod) grid cell, then every pattern over 7 days.
    index_of = np.full(key.shape, -1, dtype=np.int64)
    index_of[:] = inverse
    offs = np.cumsum([0] + [int((g >= 0).sum()) for g in grids])
    t_type, t_tod, t_days, rows, cols = [], [], [], [], []
    z = 0
    for k, st in enumerate(types):
        g = grids[k]
        shift_idx = np.full(g.shape, -1, dtype=np.int64)
        shift_idx[g >= 0] = index_of[offs[k]:offs[k + 1]]  # same (day, tod) order as above
        flexed = _flex_starts(shift_idx, tods, rules.start_flex_minutes * 60) if rules.start_flex_minutes else shift_idx
        pats = _tour_patterns(st.tour_days, rules.consecutive_days_off, np.any(g >= 0, axis=1))
        for pat in pats:
            works = flexed[pat]  # (days_on, tods)
            # every working day covered, and at its own start on at least one (else it is another tour)
            valid = np.all(works >= 0, axis=0) & np.any(shift_idx[pat] >= 0, axis=0)
            nv = int(valid.sum())
            if nv == 0:
                continue
            t_type.append(np.full(nv, k, dtype=np.int64))
            t_tod.append(tods[valid])
            t_days.append(np.repeat(pat[None, :], nv, axis=0))
            rows.append(works[:, valid].T.ravel())
            cols.append(np.repeat(np.arange(z, z + nv, dtype=np.int64), works.shape[0]))
            z += nv
    if z == 0:
        raise WfmError(
            "no weekly tour fits the open hours: every tour needs its shift on each of its working days; "
            "allow closed time, change the shift lengths or start times, or use daily shifts (tours = false)"
        )
    rows_a = np.concatenate(rows)
    cols_a = np.concatenate(cols)
    # Keep only the daily shifts some tour uses.
    used = np.unique(rows_a)
    remap = np.full(uniq.size, -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    member = sp.csr_array(
        (np.ones(rows_a.size), (remap[rows_a], cols_a)), shape=(used.size, z)
    )
    return Candidates(
        types=types,
        start=cand["start"][used],
        type=cand["type"][used],
        day=cand["day"][used],
        tod_s=cand["tod_s"][used],
        tour_type=np.concatenate(t_type),
        tour_tod_s=np.concatenate(t_tod),
        tour_days=np.concatenate(t_days, axis=0),
        member=member,
    )
