"""The local-time timeline of a planning week: every interval from local midnight to local
midnight, open or closed, on which shifts are placed.

Pure library code: no I/O.

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

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wfm.times import SECONDS_PER_DAY

__all__ = ["Timeline", "build_timeline"]


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
    raise ValueError("interval_start must be UTC datetime64 values")


def build_timeline(interval_start: Any, utc_offset_s: Any, interval_s: float) -> Timeline:
    """The timeline of a requirement given as UTC interval starts and their UTC offsets."""
    utc = _to_epoch_seconds(interval_start)
    offset = np.asarray(utc_offset_s)
    if utc.ndim != 1 or utc.size == 0:
        raise ValueError("the requirement needs at least one interval (a 1-D array of interval starts)")
    if offset.ndim == 0:  # one offset for every interval (a zone without daylight saving, or UTC)
        offset = np.full(utc.shape, offset)
    if offset.shape != utc.shape:
        raise ValueError(f"utc_offset_s has {offset.size} values for {utc.size} intervals")
    if not np.all(np.isfinite(offset)) or np.any(offset % 60 != 0) or np.any(np.abs(offset) > 18 * 3600):
        raise ValueError("utc_offset_s must be whole minutes within +-18 h")
    offset = offset.astype(np.int64)
    step = float(interval_s)
    if not (step > 0 and step == int(step) and SECONDS_PER_DAY % int(step) == 0):
        raise ValueError(f"interval_s must be a whole number of seconds dividing a day, got {interval_s}")
    step_i = int(step)
    if np.any(np.diff(utc) <= 0):
        bad = int(np.flatnonzero(np.diff(utc) <= 0)[0]) + 1
        raise ValueError(f"interval {bad}: interval starts must be strictly increasing (no duplicates)")
    first_day = int((utc[0] + offset[0]) // SECONDS_PER_DAY)
    start = first_day * SECONDS_PER_DAY - int(offset[0])
    last_day = int(-(-(utc[-1] + step_i + offset[-1]) // SECONDS_PER_DAY))  # ceil
    end = last_day * SECONDS_PER_DAY - int(offset[-1])
    rel = utc - start
    if np.any(rel % step_i) or (end - start) % step_i:
        raise ValueError(f"interval starts are not on the {step_i // 60}-minute grid of the local day")
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
        day=local // SECONDS_PER_DAY - first_day,
        first_day=first_day,
        n_days=last_day - first_day,
        open=is_open,
        index=index,
    )
