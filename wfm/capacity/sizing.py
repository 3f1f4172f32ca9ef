"""Required FTE per period: the profile week scaled to each period's volume and handle time, sized by
:func:`wfm.staffing.size` (the Erlang engine, per interval, with the queue's targets and shrinkage).

For queue q and period p with volume V (contacts in the whole period), AHT a and D calendar days, and a profile
of W weeks with interval volumes v_i, handle times h_i (weekly volume V_w = sum v_i / W, mean handle time
h = sum v_i h_i / sum v_i):

    volume of interval i   v_i x (V x 7 / D) / V_w          the period's volume spread evenly over its days,
                                                            shaped by the profile's week
    handle time            h_i x a / h                      the profile's intraday AHT pattern, at the period's level
    staff_i                wfm.size: Erlang C (or A) agents for the targets / (1 - shrinkage), unrounded
    required FTE           sum_i staff_i x interval hours / (paid hours per FTE week x W)

which is wfm's FTE (``wfm size``'s per-queue FTE: staff hours over paid hours per FTE week and weeks covered).
Because Erlang staffing has economies of scale, the FTE is not proportional to the workload: twice the volume
needs less than twice the agents. All periods of a real-time queue are sized in one call: the profile is repeated
once per period, each copy moved W weeks after the one before, so it is one vectorised sizing. A deferred queue's
copies are sized one period at a time, in steady state: the period's week repeated, the middle copy kept, with as
many copies either side as the response time spans (one on the elapsed clock, as it is at most a week; on the open
clock, the copies its open hours take): its backlog at the start is what its own week leaves, its work due after its
end is done in the copies after it, so that no period's work is carried into another's and none is lost.

Without ``--profile`` the :func:`default_profile` shape is used.

Sources: the workload-to-FTE chain as in G. Koole, *Call Center Optimization* (2013), ch. 5 and 11
(long-term capacity planning); wfm's own sizing in :mod:`wfm.staffing`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wfm import exact
from wfm.erlang import MAX_TRAFFIC_ERLANGS, erlangs_text
from wfm.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

    from wfm.capacity.inputs import Volumes
    from wfm.config import Settings, Targets
    from wfm.forecast import Forecast

__all__ = ["default_profile", "required_fte", "DEFAULT_PROFILE_TEXT"]

DEFAULT_PROFILE_TEXT = ("Mon-Fri 08:00-20:00 and Sat 09:00-17:00 in 30-minute intervals, closed Sunday; "
                        "midday double peak (11:00 and 14:30); a day's volume Monday 1.13, Tuesday 1.03, "
                        "Wednesday 0.98, Thursday 0.95, Friday 0.91, Saturday 0.45 of an average weekday's; "
                        "one AHT all week")

_DAY_WEIGHTS = (1.15, 1.05, 1.0, 0.97, 0.93, 0.55)  # Monday .. Saturday, times the day's curve (Saturday's is shorter)
_DAY_HOURS = ((8, 20),) * 5 + ((9, 17),)


def default_profile() -> Forecast:
    """The documented default week (:data:`DEFAULT_PROFILE_TEXT`), queue ``default``, in UTC.

    Interval weight at mid-hour t: 0.35 + exp(-((t - 11) / 1.6)^2) + 0.8 exp(-((t - 14.5) / 1.8)^2), times the
    day's weight; the handle time is 1 s everywhere (it is scaled to each period's AHT)."""
    from wfm.forecast import Forecast

    monday = np.datetime64("2024-01-01T00:00:00", "s")  # a Monday; only the shape matters
    starts, weights = [], []
    for day, ((opens, closes), weight) in enumerate(zip(_DAY_HOURS, _DAY_WEIGHTS)):
        half_hours = np.arange(opens * 2, closes * 2)
        mid = (half_hours + 0.5) / 2
        shape = 0.35 + np.exp(-(((mid - 11) / 1.6) ** 2)) + 0.8 * np.exp(-(((mid - 14.5) / 1.8) ** 2))
        starts.append(monday + np.timedelta64(day * 86400, "s") + (half_hours * 1800).astype("timedelta64[s]"))
        weights.append(weight * shape)
    volume = np.concatenate(weights)
    n = volume.size
    return Forecast(path="<default profile>", source_sha256="", queue_names=("default",),
                    queue=np.zeros(n, dtype=np.int32), interval_start=np.concatenate(starts),
                    utc_offset_s=np.zeros(n, dtype=np.int32), interval_s=np.full(n, 1800.0),
                    volume=volume / volume.sum() * 1000.0, aht_s=np.ones(n), tz=None, warnings=())


def _weeks(forecast: Forecast, rows: NDArray[np.int64]) -> int:
    """Whole weeks the rows' local days span (as wfm size's FTE counts them)."""
    days = forecast.local_start[rows].astype("datetime64[D]").astype(np.int64)
    return max(1, math.ceil((int(days.max()) - int(days.min()) + 1) / 7))


def profile_warnings(profile: Forecast, volumes: Volumes) -> list[str]:
    """A warning for each profile queue the volumes use that is not whole weeks: whole weeks from its first listed
    day, then part of one that ends before a weekday its whole weeks list (a profile of 10 days from a Monday ends
    with Monday to Wednesday of a second week). It is read as :func:`_weeks` weeks, the days it does not list
    closed, so each period's volume is spread on too few days. A weekday missing inside the weeks (a holiday) is
    not warned of, nor are a Monday-to-Friday centre's weeks (its weekends are not listed in any week)."""
    from wfm.times import WEEKDAYS, weekday

    notes = []
    for source in sorted({_profile_queue(profile, name, volumes.path) for name in volumes.queues}):
        rows = np.flatnonzero(profile.queue == source)
        days = np.unique(profile.local_start[rows].astype("datetime64[D]")).astype(np.int64)
        span = int(days[-1] - days[0]) + 1
        whole, rest = divmod(span, 7)
        if not whole or not rest:
            continue
        offset = (weekday(days) - weekday(days[0])) % 7  # place in the profile's own week
        if np.any(offset[days < days[0] + 7 * whole] > offset[-1]):  # its whole weeks list days its last one lacks
            listed = ", ".join(WEEKDAYS[d] for d in weekday(days[days >= days[0] + 7 * whole]).tolist())
            notes.append(f"{profile.path}: queue {profile.queue_names[source]!r}: the profile is not whole weeks: its "
                         f"{span} days end with part of a week ({listed}); it is read as {_weeks(profile, rows)} "
                         "weeks, the days it does not list closed; give whole weeks")
    return notes


def _profile_queue(profile: Forecast, queue: str, volumes_path: str) -> int:
    if queue in profile.queue_names:
        return profile.queue_names.index(queue)
    if len(profile.queue_names) == 1:
        return 0
    raise InputError(f"{volumes_path}: queue {queue!r} has no profile: {profile.path} has the queues "
                     f"{', '.join(profile.queue_names)}; name the queue alike, or give a profile with one queue")


def required_fte(volumes: Volumes, profile: Forecast, settings: Settings) -> NDArray[np.float64]:
    """Required FTE, shape (queues, periods), for ``volumes`` on ``profile`` with ``settings``' targets."""
    return sized_periods(volumes, profile, settings)[0]


def _copies(profile: Forecast, rows: NDArray[np.int64], source: int, path: str, name: str, weeks: int,
            volume_factor: NDArray[np.float64], aht_factor: NDArray[np.float64]) -> Forecast:
    """The profile queue's rows (``rows``, of queue ``source``) once per factor, each copy ``weeks`` weeks after the
    one before, its volumes times ``volume_factor`` and its handle times times ``aht_factor``: a forecast of queue
    ``name``."""
    n, k = rows.size, volume_factor.size
    shift = (np.arange(k, dtype=np.int64) * weeks * 7 * 86400).astype("timedelta64[s]")
    return dataclasses.replace(
        profile,
        path=path,
        queue_names=(name,),
        queue_channels=(profile.channel_of(source),) if profile.queue_channels else (),
        queue=np.zeros(n * k, dtype=np.int32),
        input_row=np.arange(n * k, dtype=np.int64),  # the copies in their own order
        interval_start=(profile.interval_start[rows][None, :] + shift[:, None]).ravel(),
        utc_offset_s=np.tile(profile.utc_offset_s[rows], k),
        interval_s=np.tile(profile.interval_s[rows], k),
        volume=(profile.volume[rows][None, :] * volume_factor[:, None]).ravel(),
        aht_s=(profile.aht_s[rows][None, :] * aht_factor[:, None]).ravel(),
    )


def _steady(copies: Callable[[NDArray[np.float64], NDArray[np.float64]], Forecast], volume_factor: float,
            aht_factor: float, n: int, targets: Targets, settings: Settings,
            side: int = 1) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(staff, handled) per row of a deferred queue's period in steady state: ``copies(volume factors, handle-time
    factors)`` (the profile week once per factor, :func:`_copies`) at the period's factors, ``side`` copies either
    side of the middle one, which is kept; more copies when the response time spans more (on the open clock, the
    copies' open hours)."""
    from wfm.staffing import size

    forecast = copies(np.full(2 * side + 1, volume_factor), np.full(2 * side + 1, aht_factor))
    r = size(forecast, settings, warn_unused_sections=False)
    middle = slice(side * n, (side + 1) * n)
    span = (forecast.interval_start[n] - forecast.interval_start[0]) / np.timedelta64(1, "s")  # a copy's length
    copy_s = (float(np.sum(forecast.interval_s[middle][r.open_[middle]])) if targets.response_clock == "open"
              else float(span))  # the time one copy adds to the response clock
    # no open time in a copy (a period without work, hours holding no interval of the profile): no response clock
    # runs through it, and more copies would change nothing
    wanted = max(1, math.ceil(targets.answer_within_s / copy_s)) if copy_s > 0 else side
    if wanted <= side:
        return r.staff_exact[middle], r.handled[middle]
    return _steady(copies, volume_factor, aht_factor, n, targets, settings, wanted)


def sized_periods(volumes: Volumes, profile: Forecast,
                  settings: Settings) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(required FTE, the share of offered contacts handled), each (queues, periods): the share is below 1 for an
    Erlang A queue, whose callers who abandon at the required staffing are not handled (1 without contacts)."""
    from wfm.staffing import size

    periods = len(volumes.periods)
    fte = np.zeros((len(volumes.queues), periods))
    handled_share = np.ones((len(volumes.queues), periods))
    for q, name in enumerate(volumes.queues):
        source = _profile_queue(profile, name, volumes.path)
        rows = np.flatnonzero(profile.queue == source)
        weeks = _weeks(profile, rows)
        v, h = profile.volume[rows], profile.aht_s[rows]
        weekly = float(v.sum()) / weeks
        if not weekly > 0:
            raise InputError(f"{profile.path}: queue {profile.queue_names[source]!r} has no volume; a profile needs "
                             "contacts to give the week its shape")
        mean_aht = exact.dot(v, h) / float(v.sum())
        volume_factor = volumes.volume[q] * 7.0 / volumes.days / weekly  # (periods,)
        aht_factor = np.where(volumes.volume[q] > 0, volumes.aht_s[q] / mean_aht, 1.0)
        n = rows.size
        path = f"{volumes.path} (queue {name!r} on the profile {profile.path})"
        tiled = _copies(profile, rows, source, path, name, weeks, volume_factor, aht_factor)
        traffic = (tiled.volume * tiled.aht_s / tiled.interval_s).reshape(periods, n).max(axis=1)
        over = np.flatnonzero(~(traffic <= MAX_TRAFFIC_ERLANGS))
        if over.size:  # named by its period (a row of the volumes file), not by an interval of the tiled profile
            k = int(over[0])
            raise InputError(f"{volumes.path}: period {volumes.periods[k]} (queue {name!r}): its volume, spread on the "
                             f"profile week of {profile.path}, is {erlangs_text(float(traffic[k]))} Erlangs in its "
                             f"busiest interval; wfm sizes at most {MAX_TRAFFIC_ERLANGS:,.0f} Erlangs: check its "
                             "volume and aht")
        targets = settings.targets_for(name, tiled.channel_of(0))
        if targets.deferred:
            # each period in its steady state, apart from the others: its week repeated, the middle copy kept, with
            # enough copies either side for the response time (it starts with the backlog its own week leaves, and
            # its work due after its end is done in the copies after it), so no period's backlog runs into another's
            copies = functools.partial(_copies, profile, rows, source, path, name, weeks)
            parts = [_steady(copies, volume_factor[p], aht_factor[p], n, targets, settings) for p in range(periods)]
            staff_exact = np.concatenate([staff for staff, _ in parts])
            handled_exact = np.concatenate([handled for _, handled in parts])
            paid_hours = targets.paid_hours_per_fte_week
        else:  # interval by interval: every period in one vectorised call
            requirement = size(tiled, settings, warn_unused_sections=False)
            staff_exact, handled_exact = requirement.staff_exact, requirement.handled
            paid_hours = requirement.targets[0].paid_hours_per_fte_week
        staff_hours = (staff_exact * tiled.interval_s / 3600.0).reshape(periods, n).sum(axis=1)
        fte[q] = staff_hours / (paid_hours * weeks)
        offered = tiled.volume.reshape(periods, n).sum(axis=1)
        handled = handled_exact.reshape(periods, n).sum(axis=1)
        handled_share[q] = np.divide(handled, offered, out=np.ones(periods), where=offered > 0)
    return fte, handled_share
