"""Strict value checks for shift rules, in code and from TOML alike: a number is an int or a float,
never a bool or a string, and NaN is never a setting (numpy scalars and 0-d arrays are their value,
:func:`wfm.targets.one_value`); lists of days, weekday names and weekly-hour
bounds in their one accepted shape. Each raises :class:`~wfm.errors.ConfigError` with one line
naming the setting. Ranges are checked by :class:`~wfm.scheduling.rules.ShiftRules` itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import time
from typing import Any

import numpy as np

from wfm.config import one_value, real_number, show_value
from wfm.errors import ConfigError, reject_unknown
from wfm.times import WEEKDAYS

__all__ = ["as_day_counts", "as_days_off_sets", "as_flag", "as_number", "as_numbers", "as_pair", "as_time",
           "as_weekly_hours", "as_whole"]



def as_number(value: Any, key: str) -> float:
    """An int or float as a float: never a bool (``True`` is an int in Python) or a string.
    NaN is never a setting; infinity is left to each setting's range check."""
    number = real_number(value)
    if number is None:
        raise ConfigError(f"{key} must be a number, got {show_value(value)}")
    return number


def as_whole(value: Any, key: str) -> int:
    """A whole number: an int, or a float with an integral value (15.0); never a bool or a string."""
    number = real_number(value)
    if number is None or not math.isfinite(number) or not number.is_integer():
        raise ConfigError(f"{key} must be a whole number, got {show_value(value)}")
    return int(number)


def as_pair(value: Any, key: str, shape: str) -> tuple[float, float]:
    """Two numbers, from a list, a tuple or a 1-d numpy array of two (``shape`` says which two, for the message:
    ``"[start, end] in hours"``)."""
    pair = value.tolist() if isinstance(value, np.ndarray) and value.ndim == 1 else value
    if not isinstance(pair, (list, tuple)) or len(pair) != 2:
        raise ConfigError(f"{key} must be two numbers {shape}, got {show_value(value)}")
    return as_number(pair[0], key), as_number(pair[1], key)


def as_flag(value: Any, key: str) -> bool:
    """True or false: a bool, a numpy bool or a 0-d array of one; never a number (1) or a string."""
    value = one_value(value)
    if not isinstance(value, bool):
        raise ConfigError(f"{key} must be true or false, got {show_value(value)}")
    return value


def as_numbers(value: Any, key: str) -> tuple[float, ...]:
    """A list of numbers (or one number) as a tuple of floats; a 0-d array is one number."""
    value = one_value(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(as_number(v, key) for v in value)
    return (as_number(value, key),)


def as_day_counts(value: Any, key: str) -> int | tuple[int, ...]:
    """Working days a week: one whole number (a 0-d array too), or a non-empty list of them (sorted, distinct)."""
    value = one_value(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        if len(value) == 0:
            raise ConfigError(f"{key} must be a whole number from 1 to 7 or a list of them, got []")
        return tuple(sorted({as_whole(v, key) for v in value}))
    return as_whole(value, key)


_WEEKLY_KINDS = ("full_time", "part_time")


def as_days_off_sets(value: Any) -> tuple[tuple[str, ...], ...]:
    """``fixed_days_off`` as sets of weekday names (``"Mon"`` .. ``"Sun"``, any case; a full name
    such as ``"saturday"`` too): a list of lists, or one list for a single set."""
    if not isinstance(value, (list, tuple)):
        raise ConfigError(f'fixed_days_off must be a list of lists of days such as [["Sat", "Sun"]], got {show_value(value)}')
    if value and all(isinstance(v, str) for v in value):
        value = [value]
    out = []
    for days in value:
        if not isinstance(days, (list, tuple)) or not days:
            raise ConfigError(f'fixed_days_off must be a list of non-empty lists of days such as [["Sat", "Sun"]], '
                              f"got {show_value(days)}")
        names = []
        for day in days:
            text = day.strip().lower() if isinstance(day, str) else ""
            known = [w for w, full in zip(WEEKDAYS, _WEEKDAY_NAMES, strict=True) if text in (w.lower(), full.lower())]
            if not known:
                raise ConfigError(f"fixed_days_off: {show_value(day)} is not a day of the week (Mon .. Sun)")
            name = known[0]
            names.append(name)
        if len(set(names)) >= 7:
            raise ConfigError(f"fixed_days_off {show_value(list(days))} leaves no working day")
        out.append(tuple(sorted(set(names), key=WEEKDAYS.index)))
    return tuple(out)


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def as_weekly_hours(value: Any) -> tuple[tuple[str, tuple[float, float]], ...]:
    """``weekly_hours`` as ``(("full_time", (least, most)), ...)`` from a mapping or those pairs."""
    pairs = value.items() if isinstance(value, Mapping) else value
    if not isinstance(pairs, (list, tuple)) and not isinstance(value, Mapping):
        raise ConfigError(f"weekly_hours must be a table such as {{full_time = [37.5, 40]}}, got {show_value(value)}")
    out = []
    pairs = list(pairs)
    if not all(isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in pairs):
        raise ConfigError(f"weekly_hours must be a table such as {{full_time = [37.5, 40]}}, got {show_value(value)}")
    reject_unknown((kind for kind, _ in pairs), _WEEKLY_KINDS, "weekly_hours")
    for kind, bounds in pairs:
        out.append((kind, as_pair(bounds, f"weekly_hours.{kind}", "[least, most]")))
    return tuple(sorted(out))


def as_time(value: Any, key: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        parts = value.strip().split(":")
        try:
            if len(parts) in (2, 3) and all(p.isascii() and p.isdigit() for p in parts):
                hour, minute, *second = (int(p) for p in parts)
                return time(hour, minute, second[0] if second else 0)
        except ValueError:
            pass
    raise ConfigError(f"{key} must be a local time like \"06:00\", got {show_value(value)}")
