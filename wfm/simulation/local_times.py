"""The local wall-clock times of a plan folder's ``shifts.csv`` as instants (UTC epoch seconds).

``shifts.csv`` (wfm.report.plan_documents.shift_columns) gives each shift's local start and end
(``2026-11-01T01:15``, without a UTC offset), its length in real hours (``length_h``, breaks included) and its
breaks as local clock times (``lunch 01:30x2``: two of the shift's agents take lunch at 01:30). A local time is
matched to every instant whose local time it is, with the UTC offset in force at an instant read as the plan's
timeline reads it (:mod:`wfm.scheduling.timeline`): the offset of the forecast interval containing the instant;
in a gap between intervals, the next interval's; before the first or after the last interval, the first's or
the last's. A time skipped by a spring-forward change is read with the offset before the change (Python's
zoneinfo, fold=0), as the timeline reads a start time.

On a fall-back night a local time in the repeated hour names two instants an hour apart:

  * a shift's start is the one from which its length ends at its local end time (a shift lasts hours, so its
    start and end are never both in the repeated hour); without a ``length_h`` column, the first;
  * a break's start, in a shift that spans the change, carries its UTC offset (``lunch 01:30-05:00x2``), which
    names the instant. A time without one (a plan folder written before wfm gave offsets, or a hand-edited
    file) is one that puts the break inside its shift and, where the plan's break rule (summary.json) gives a
    window, inside the window (hours from the shift's start, or from its end where negative, as
    :class:`wfm.scheduling.rules.BreakRule` says). Where both instants still fit (a window that holds the
    repeated hour twice), :func:`break_instants` keeps both, earliest first, for the caller to choose by the
    plan's ``coverage.csv``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wfm.errors import InputError
from wfm.scheduling.rules import MAX_SHIFT_H
from wfm.times import offset_text

if TYPE_CHECKING:
    from wfm.forecast import Forecast

__all__ = ["Clock", "NONE", "BreakItems", "local_seconds", "shift_instants", "break_instants"]

NONE = 1 << 62
"""Padding for "no instant" in candidate arrays (after every real instant, and far from overflowing)."""

_DAY = 86_400


@dataclass(frozen=True)
class Clock:
    """The UTC offsets in force over a scheduled unit's forecast intervals."""

    ends: NDArray[np.int64]  # each interval's end, UTC epoch seconds, in time order
    offsets: NDArray[np.int64]  # each interval's UTC offset, seconds
    distinct: NDArray[np.int64]  # the distinct offsets, largest first (so their instants come earliest first)

    @classmethod
    def of(cls, forecast: Forecast, rows: NDArray[np.int64]) -> Clock:
        """The clock of the forecast rows ``rows`` (one queue's, in time order)."""
        start = forecast.interval_start[rows].astype("datetime64[s]").astype(np.int64)
        offsets = forecast.utc_offset_s[rows].astype(np.int64)
        return cls(start + forecast.interval_s[rows].astype(np.int64), offsets, np.unique(offsets)[::-1])

    def offset_at(self, utc: NDArray[np.int64]) -> NDArray[np.int64]:
        """The UTC offset in force at each instant: the first interval ending after it (clipped to the last)."""
        return self.offsets[np.minimum(np.searchsorted(self.ends, utc, side="right"), self.ends.size - 1)]

    def local(self, utc: NDArray[np.int64]) -> NDArray[np.int64]:
        """Local wall-clock time of each instant, as naive epoch seconds."""
        return utc + self.offset_at(utc)

    def instants(self, local: NDArray[np.int64]) -> NDArray[np.int64]:
        """Shape (n, k) for the k distinct offsets: the instants whose local time is each of ``local`` (naive
        epoch seconds), earliest first, padded with NONE; a time skipped by a spring-forward change gets the
        instant with the offset before the change."""
        local = np.asarray(local, dtype=np.int64)
        found = local[:, None] - self.distinct[None, :]
        fits = self.offset_at(found) == self.distinct[None, :]
        skipped = ~fits.any(axis=1)
        # The earliest reading lies before the change, so the offset in force there is the one before it.
        found[:, 0] = np.where(skipped, local - self.offset_at(found[:, 0]), found[:, 0])
        fits[:, 0] |= skipped
        return np.sort(np.where(fits, found, NONE), axis=1)


_LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?")
"""A local date and time as shifts.csv writes it (2026-11-30T08:00), seconds allowed: no UTC offset, which numpy
would take and convert to UTC, and none of numpy's "today", "now" or blank (NaT)."""


def local_seconds(texts: list[str], where: Callable[[int], str]) -> NDArray[np.int64]:
    """Local date-times ("2026-11-30T08:00") as naive epoch seconds; a one-line InputError naming ``where(i)`` (the
    file, row and column of the i-th) for the first that is not one."""
    for i, text in enumerate(texts):
        ok = _LOCAL.fullmatch(text) is not None
        if ok:
            try:
                np.datetime64(text, "s")
            except ValueError:  # month 13, hour 25
                ok = False
        if not ok:
            raise InputError(f"{where(i)}: expected a local date and time such as 2026-11-30T08:00, got {text!r}")
    return np.array(texts, dtype="datetime64[s]").astype(np.int64)


def shift_instants(rows: list[dict[str, str]], clock: Clock,
                   cell: Callable[[dict[str, str], str], str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each shifts.csv row's start and end instants (UTC epoch seconds): the start whose ``length_h`` real hours
    later is the local end; without a length that fits, the first instant of each (module docstring). ``cell``
    names a row's column in a message (the file, row and column)."""
    start_local = local_seconds([r["start"] for r in rows], lambda i: cell(rows[i], "start"))
    end_local = local_seconds([r["end"] for r in rows], lambda i: cell(rows[i], "end"))
    starts, ends = clock.instants(start_local), clock.instants(end_local)
    hours = np.array([_hours(r.get("length_h") or "") for r in rows], dtype=np.float64)
    length_s = np.where(np.isfinite(hours), np.round(hours * 3600.0), 0.0).astype(np.int64)
    real = starts != NONE
    fits = real & np.isfinite(hours)[:, None] & (clock.local(np.where(real, starts, 0) + length_s[:, None])
                                                  == end_local[:, None])
    pick = np.argmax(fits, axis=1)
    matched = fits.any(axis=1)
    start = np.where(matched, starts[np.arange(len(rows)), pick], starts[:, 0])
    end = np.where(matched, start + length_s, ends[:, 0])
    bad = np.flatnonzero(end <= start)
    if bad.size:
        row = rows[int(bad[0])]
        raise InputError(f"{cell(row, 'end')}: the shift {row['start']} - {row['end']} does not end after it starts")
    long = np.flatnonzero(end - start > MAX_SHIFT_H * 3600)  # a week long: one agent's windows overlapped, exit 70
    if long.size:
        row = rows[int(long[0])]
        raise InputError(f"{cell(row, 'end')}: the shift {row['start']} - {row['end']} lasts "
                         f"{(end[long[0]] - start[long[0]]) / 3600:,g} h; a plan's shifts last at most {MAX_SHIFT_H:g} h")
    return start, end


def _hours(text: str) -> float:
    """A shift's ``length_h``, or NaN where it is no length a plan's shift can have (a hand-edited file)."""
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if 0 < value <= MAX_SHIFT_H else math.nan  # 1e308 h: numpy's overflow warnings on stderr


@dataclass(frozen=True)
class BreakItems:
    """Every break time of a unit's shifts (``break 1 09:30x2``: one item), with its possible instants."""

    shift: NDArray[np.int64]  # the shifts.csv row (of the unit's rows) it belongs to
    name: tuple[str, ...]  # the break's name
    count: NDArray[np.int64]  # agents of the shift taking it then
    seconds: NDArray[np.float64]  # its length, seconds
    instants: NDArray[np.int64]  # (items, m): its possible starts, UTC epoch seconds, earliest first, NONE padded

    @property
    def choices(self) -> NDArray[np.int64]:
        """How many instants each item may start at (2 on a fall-back night when shifts.csv cannot tell)."""
        return np.sum(self.instants != NONE, axis=1)


def break_instants(shift: list[int], name: list[str], clock_s: list[int], count: list[int], seconds: list[float],
                   start: NDArray[np.int64], end: NDArray[np.int64], windows: list[tuple[float, float] | None],
                   clock: Clock, where: Callable[[int], str], offsets: list[int | None] | None = None) -> BreakItems:
    """The instants each break item may start at: its local clock time (``clock_s`` seconds after local
    midnight) on the shift's start day or a later one, inside the shift [start, end) and, where ``windows``
    gives one (hours from the shift's start, negative from its end), inside that window; the window is
    ignored for an item it would leave without an instant (a hand-edited file). Where ``offsets`` gives the
    item's UTC offset (shifts.csv writes it in a shift that spans a change), only the instant with that offset.
    An item with no instant inside its shift is a one-line InputError naming ``where(i)`` (the i-th item's file,
    row and column)."""
    k = np.asarray(shift, dtype=np.int64)
    length = np.asarray(seconds, dtype=np.float64)
    if k.size == 0:
        return BreakItems(k, (), np.zeros(0, dtype=np.int64), length, np.zeros((0, 1), dtype=np.int64))
    s, e = start[k], end[k]
    first_day = clock.local(s) // _DAY * _DAY
    days = int(np.max(-(-(e - s) // _DAY))) + 1  # the local days a shift can reach
    local = first_day[:, None] + np.arange(days)[None, :] * _DAY + np.asarray(clock_s, dtype=np.int64)[:, None]
    found = clock.instants(local.ravel()).reshape(k.size, -1)
    inside = (found != NONE) & (found >= s[:, None]) & (found + length[:, None] <= e[:, None])
    if offsets is not None and any(o is not None for o in offsets):  # the instant the offset names, alone
        free = np.array([o is None for o in offsets])
        named = local - np.array([o or 0 for o in offsets], dtype=np.int64)[:, None]  # (items, days)
        per_day = found.reshape(k.size, days, -1)  # each local day's readings
        inside &= free[:, None] | (per_day == named[:, :, None]).reshape(k.size, -1)
    lo = np.array([w[0] if w is not None else -np.inf for w in windows]) * 3600.0
    hi = np.array([w[1] if w is not None else np.inf for w in windows]) * 3600.0
    lo = np.where(lo >= 0, s + lo, e + lo)
    hi = np.where(hi >= 0, s + hi, e + hi)
    in_window = inside & (found >= lo[:, None]) & (found + length[:, None] <= hi[:, None])
    keep = np.where(in_window.any(axis=1)[:, None], in_window, inside)
    lost = np.flatnonzero(~keep.any(axis=1))
    if lost.size:
        i = int(lost[0])
        given = offsets[i] if offsets is not None else None
        offset = "" if given is None else offset_text(given)
        raise InputError(f"{where(i)}: the break {name[i]!r} at {clock_s[i] // 3600:02d}:{clock_s[i] // 60 % 60:02d}"
                         f"{offset} is not inside its shift" + (" at that UTC offset" if offset else ""))
    return BreakItems(k, tuple(name), np.asarray(count, dtype=np.int64), length,
                      np.sort(np.where(keep, found, NONE), axis=1))
