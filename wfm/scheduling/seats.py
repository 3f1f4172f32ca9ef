"""Seats a schedule needs: the peak number of agents on site at once, plus a buffer.

Pure library code, no I/O. Works on any :class:`wfm.scheduling.solution.Schedule` (solved or
built with :func:`wfm.scheduling.solve.roster`), over every interval of its timeline, open or
closed, so agents on a shift that runs into closed time still hold a seat.

    on site   = agents on shift x (1 - absent_fraction)          (default: breaks keep their seat)
              = agents on the phones x (1 - absent_fraction)      (``shared_seats``: an agent on
                                                                   break frees the seat)
    seats     = ceil(peak on site x (1 + buffer_fraction) + buffer_seats)

``absent_fraction`` is the part of the scheduled agents not on site (sickness, leave, off-site
training): the off-site share of the shrinkage the schedule does not model. Per local day and
for the whole week.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from wfm.reprs import compact_repr
from wfm.scheduling.solution import Schedule, most_on_phones
from wfm.times import SECONDS_PER_DAY, local_datetime

__all__ = ["Seats", "SiteSeats", "seats", "site_seats"]


@dataclass(frozen=True, repr=False)
class Seats:
    """Seats needed per local day and for the week.

    days                 local dates
    peak_on_site_by_day  peak agents on site during each day (may be fractional)
    seats_by_day         seats each day needs, buffer included (whole seats)
    peak_on_site         peak over the week
    seats                seats the week needs (the busiest day's)
    peak_at_local        local wall-clock start of the (first) peak interval
    on_site              agents on site per timeline interval (``Schedule.timeline``)
    """

    __repr__ = compact_repr  # fields, with arrays as their shapes

    days: NDArray[np.datetime64]
    peak_on_site_by_day: NDArray[np.float64]
    seats_by_day: NDArray[np.int64]
    peak_on_site: float
    seats: int
    peak_at_local: datetime | None
    on_site: NDArray[np.float64]


def _with_buffer(peak: NDArray[np.float64], buffer_fraction: float, buffer_seats: int) -> NDArray[np.int64]:
    need = peak * (1.0 + buffer_fraction) + buffer_seats
    seats = np.ceil(need - 1e-9)  # 12.0000000001 agents is 12 seats
    return np.where(peak > 0, np.maximum(seats, 0), 0).astype(np.int64)


def seats(
    plan: Schedule,
    *,
    absent_fraction: float = 0.0,
    buffer_fraction: float = 0.0,
    buffer_seats: int = 0,
    shared_seats: bool = False,
) -> Seats:
    """Seats needed by ``plan``: peak agents on site at once plus a buffer, per day and for the week.

    absent_fraction  fraction of scheduled agents not on site (0-1)
    buffer_fraction  extra seats as a fraction of the peak (e.g. 0.1 for 10 %)
    buffer_seats     extra seats as a count (added after the fraction)
    shared_seats     agents on break do not hold a seat (hot-desking during breaks)

    A day with nobody on site needs no seats, buffer or not.
    """
    if not (0.0 <= absent_fraction < 1.0):
        raise ValueError(f"absent_fraction must be a fraction in [0, 1), got {absent_fraction}")
    if not (buffer_fraction >= 0.0 and math.isfinite(buffer_fraction)):
        raise ValueError(f"buffer_fraction must be >= 0, got {buffer_fraction}")
    if isinstance(buffer_seats, bool) or not float(buffer_seats).is_integer() or buffer_seats < 0:
        raise ValueError(f"buffer_seats must be a whole number >= 0, got {buffer_seats}")
    tl = plan.timeline
    present = most_on_phones(plan) if shared_seats else plan.timeline_on_shift
    on_site = np.asarray(present, dtype=np.float64) * (1.0 - absent_fraction)
    peak_by_day = np.zeros(tl.n_days)
    np.maximum.at(peak_by_day, tl.day, on_site)
    seats_by_day = _with_buffer(peak_by_day, buffer_fraction, int(buffer_seats))
    peak = float(on_site.max(initial=0.0))
    at = None
    if peak > 0:
        slot = int(np.argmax(on_site))
        at = local_datetime(tl.local_s[slot])
    return Seats(
        days=tl.dates,
        peak_on_site_by_day=peak_by_day,
        seats_by_day=seats_by_day,
        peak_on_site=peak,
        seats=int(seats_by_day.max(initial=0)),
        peak_at_local=at,
        on_site=on_site,
    )


@dataclass(frozen=True, repr=False)
class SiteSeats:
    """Seats of one site shared by several queues: the peak of the sum of their agents on site, not the
    sum of their peaks (queues busy at different hours share seats).

    site                 the site's name
    queues               the queues seated there
    days                 local dates
    peak_on_site_by_day  peak agents on site, all its queues together, during each day
    seats_by_day         seats each day needs, buffer included
    peak_on_site         peak over the week
    seats                seats the week needs (the busiest day's)
    """

    __repr__ = compact_repr  # fields, with arrays as their shapes

    site: str
    queues: tuple[str, ...]
    days: NDArray[np.datetime64]
    peak_on_site_by_day: NDArray[np.float64]
    seats_by_day: NDArray[np.int64]
    peak_on_site: float
    seats: int


def site_seats(site: str, queues: tuple[str, ...], schedules: list[Schedule], queue_seats: list[Seats], *,
               buffer_fraction: float = 0.0, buffer_seats: int = 0) -> SiteSeats:
    """Seats of a site: agents on site summed over its queues at every instant, then the peak.

    Each queue's agents on site are constant over each slot of its own timeline (queues may have
    different interval lengths), so the sum can only peak at a slot start of some queue: the sum is
    evaluated at every such instant (UTC) and its local day is that of the queue whose slot starts there.
    """
    starts = np.concatenate([s.timeline.utc_s for s in schedules])
    local_day = np.concatenate([
        (s.timeline.local_s // SECONDS_PER_DAY).astype(np.int64) for s in schedules])
    instants, first = np.unique(starts, return_index=True)
    day = local_day[first]
    total = np.zeros(instants.size)
    for sched, seat in zip(schedules, queue_seats):
        tl = sched.timeline
        slot = np.searchsorted(tl.utc_s, instants, side="right") - 1
        inside = (slot >= 0) & (instants < tl.utc_s[np.maximum(slot, 0)] + tl.interval_s)
        total += np.where(inside, seat.on_site[np.maximum(slot, 0)], 0.0)
    first_day = int(day.min()) if day.size else 0
    n_days = int(day.max()) - first_day + 1 if day.size else 0
    peak_by_day = np.zeros(n_days)
    np.maximum.at(peak_by_day, day - first_day, total)
    seats_by_day = _with_buffer(peak_by_day, buffer_fraction, int(buffer_seats))
    return SiteSeats(
        site=site,
        queues=queues,
        days=np.datetime64(first_day, "D") + np.arange(n_days),
        peak_on_site_by_day=peak_by_day,
        seats_by_day=seats_by_day,
        peak_on_site=float(total.max(initial=0.0)),
        seats=int(seats_by_day.max(initial=0)),
    )
