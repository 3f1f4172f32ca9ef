"""Time helpers shared by every stage: the epoch, weekday and month names (locale-independent), and
local wall-clock times kept as epoch seconds.

wfm keeps instants as UTC epoch seconds and local wall-clock times as "local epoch seconds" (UTC
seconds + the UTC offset in force), so a local day is ``local_s // 86400`` whatever the zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

EPOCH = datetime(1970, 1, 1)
"""Naive 1970-01-01 00:00: local epoch seconds + EPOCH is the local wall-clock datetime."""

SECONDS_PER_DAY = 86_400

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Short weekday names, Monday first (``date.weekday()`` order), whatever the locale."""

DAYS_PER_MONTH = 365.25 / 12
"""The average month, in days: a rate per month (a seat, an FTE's salary or overhead, a seat billed per month)
is spread over the days it pays for at this rate, by every stage (a plan's weekly cost, the capacity plan's
payroll and revenue), so a month costs the same wherever it is priced."""

WEEKS_PER_MONTH = DAYS_PER_MONTH / 7
"""The average month in weeks, 4.348: a rate per month is this many weeks' cost."""

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_datetime(local_s: int) -> datetime:
    """The naive local wall-clock datetime of local epoch seconds."""
    return EPOCH + timedelta(seconds=int(local_s))


def day_label(day: np.datetime64 | date, year: bool = False) -> str:
    """'Mon 30 Nov' (locale-independent), with the year when ``year``."""
    d: date = np.asarray(day, dtype="datetime64[D]").item()
    text = f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"
    return f"{text} {d.year}" if year else text


def duration_text(seconds: float) -> str:
    """A response time as a planner writes it: ``4 h``, ``90 min`` or ``45 s``."""
    if seconds >= 3600 and seconds % 900 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def offset_text(seconds: int) -> str:
    """ISO 8601 UTC offset such as -06:00 or +05:30 for an offset in seconds east of UTC (seconds beyond the
    minute, as in local mean time, are dropped)."""
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def offset_seconds(text: str) -> int | None:
    """Seconds east of UTC of an ISO 8601 UTC offset, Z, +HH:MM, +HHMM or +HH (the inverse of
    :func:`offset_text`); None when out of range (beyond +-18:00, the scheduler's timeline, or a minute over 59)."""
    if text in ("Z", "z"):
        return 0
    hours, minutes = int(text[1:3]), int(text[3:].lstrip(":") or 0)
    if minutes > 59 or hours * 60 + minutes > 18 * 60:  # the scheduler's timeline allows +-18 h
        return None
    sign = -1 if text[0] == "-" else 1
    return sign * (hours * 3600 + minutes * 60)


def weekday(days: np.ndarray | np.datetime64 | int) -> np.ndarray:
    """Monday = 0 ... Sunday = 6 of ``days``: datetime64 dates, or whole days since 1970-01-01 (a Thursday)."""
    d = np.asarray(days)
    if np.issubdtype(d.dtype, np.datetime64):
        d = d.astype("datetime64[D]").astype(np.int64)
    return (d + 3) % 7
