"""Where a plan's intervals go on the charts' time axes, in numbers only (numpy, no matplotlib): the local
days and each interval's time in them (:class:`ChartDays`, :func:`layout`), the vertices of a step line
(:func:`step_vertices`), whole-hour ticks on a day's axis (:func:`clock_ticks`) and each interval's place on
a week of days side by side (:func:`week_hours`).

Times are local wall-clock times; a day on which the clocks go back is 25 hours wide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from wfm.report.html import QueueCoverage

__all__ = ["ChartDays", "layout", "step_vertices", "hour_step", "clock_ticks", "week_hours"]


@dataclass(frozen=True, eq=False)
class ChartDays:
    """Where each interval goes on the charts.

    ``elapsed_s`` is the time since local midnight in real seconds: equal to the wall clock except
    after the clocks go back, where it keeps counting (a repeated 01:00 becomes 02:00 elapsed), so
    every day's intervals are increasing and a 25-hour day is 25 hours wide.
    """

    days: np.ndarray  # datetime64[D], unique local days in order
    day_index: np.ndarray  # per interval: index into days
    clock_s: np.ndarray  # per interval: local wall-clock seconds since midnight
    elapsed_s: np.ndarray  # per interval: real seconds since local midnight (see above)
    shifts: tuple[tuple[tuple[float, float], ...], ...]  # per day: (elapsed h, hours repeated so far)
    first_h: int  # axis range common to all days, whole hours of elapsed time
    last_h: int


def layout(q: QueueCoverage) -> ChartDays:
    start = q.local_start
    day = start.astype("datetime64[D]")
    days, day_index = np.unique(day, return_inverse=True)
    clock = (start - day).astype(np.int64).astype(np.float64)
    elapsed = clock.copy()
    shifts: list[tuple[tuple[float, float], ...]] = []
    for k in range(days.size):
        rows = np.flatnonzero(day_index == k)
        c = clock[rows]
        back = np.maximum(c[:-1] + q.interval_s - c[1:], 0.0)  # > 0 where the wall clock repeats
        shift = np.concatenate(([0.0], np.cumsum(back)))
        elapsed[rows] = c + shift
        steps = np.flatnonzero(back > 0) + 1
        shifts.append(tuple((float(elapsed[rows][i] / 3600), float(shift[i] / 3600)) for i in steps))
    if start.size:
        first_h = int(math.floor(elapsed.min() / 3600))
        last_h = int(math.ceil((elapsed.max() + q.interval_s) / 3600 - 1e-9))
    else:
        first_h, last_h = 0, 24
    return ChartDays(days, day_index, clock, elapsed, tuple(shifts), first_h, max(last_h, first_h + 1))


def step_vertices(
    start_h: np.ndarray, length_h: float, values: np.ndarray, breaks: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of a step line over intervals [start, start + length): two per interval, with a NaN
    break wherever the next interval does not start where this one ends (closed hours) and before
    every interval flagged in ``breaks``."""
    n = start_h.size
    if n == 0:
        return np.empty(0), np.empty(0)
    end_h = start_h + length_h
    x = np.column_stack((start_h, end_h))
    y = np.column_stack((values, values))
    gap = np.zeros(n, dtype=bool)
    gap[:-1] = np.abs(start_h[1:] - end_h[:-1]) > 1e-6
    if breaks is not None:
        gap[:-1] |= breaks[1:]
    cut = np.flatnonzero(gap)
    x = np.insert(x.ravel(), 2 * (cut + 1), np.nan)
    y = np.insert(y.ravel(), 2 * (cut + 1), np.nan)
    return x, y


def hour_step(span_h: int, max_ticks: int) -> int:
    """The fewest hours between ticks (1, 2, 3, 4, 6, 12 or 24) that put at most ``max_ticks`` on ``span_h``."""
    return next((s for s in (1, 2, 3, 4, 6, 12) if span_h / s <= max_ticks), 24)


def _clock_text(hours: float) -> str:
    minutes = int(round(hours * 60)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clock_ticks(
    first_h: int, last_h: int, shifts: tuple[tuple[float, float], ...], step: int
) -> dict[float, str]:
    """Ticks for an elapsed-hours axis at whole wall-clock hours that are multiples of ``step``:
    {elapsed hours: "HH:MM"}. After the clocks go back, the wall clock is behind elapsed time."""
    ticks: dict[float, str] = {}
    for elapsed in range(first_h, last_h):  # none at the right edge: it would touch the next panel's first
        repeated = 0.0
        for at, total in shifts:
            if elapsed >= at - 1e-9:
                repeated = total
        wall = elapsed - repeated
        if abs(wall - round(wall)) < 1e-9 and round(wall) % step == 0:
            ticks[float(elapsed)] = "24:00" if round(wall) == 24 else _clock_text(wall)
    return ticks


def week_hours(layout: ChartDays) -> np.ndarray:
    """Each interval's start on a week axis: the days side by side, each ``last_h - first_h`` hours wide."""
    span = layout.last_h - layout.first_h
    return layout.day_index * span + (layout.elapsed_s / 3600 - layout.first_h)
