"""What `wfm validate` reports of a loaded forecast, per queue: its first and last interval, how many intervals and
how many missing within a day, the interval length, days, contacts, handle time and busiest interval. Pure: the
table (:func:`wfm.report.tables.print_overview`) and the CSV and JSON (:mod:`wfm.report.documents`) read it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wfm.forecast.intervals import missing_within_days
from wfm.forecast.model import Forecast, format_local


@dataclass(frozen=True)
class QueueOverview:
    """One queue of a forecast as loaded. ``first_start`` and ``last_start`` are local times with their UTC offset
    (``2026-12-01T08:00:00-06:00``); ``aht_s`` is weighted by volume (0 without contacts)."""

    queue: str
    channel: str | None
    first_start: str
    last_start: str
    intervals: int
    missing_intervals: int  # within a day, as the loader's gap warning counts them
    interval_minutes: int
    days: int
    volume: float
    aht_s: float
    peak_volume: float


def overview(forecast: Forecast) -> tuple[QueueOverview, ...]:
    """Each queue of ``forecast``, in its order."""
    missing = missing_within_days(forecast)
    days = forecast.local_start.astype("datetime64[D]")
    minutes = forecast.interval_minutes
    out = []
    for q, name in enumerate(forecast.queue_names):
        rows = np.flatnonzero(forecast.queue == q)
        volume = forecast.volume[rows]
        total = float(volume.sum())
        first, last = format_local(forecast.interval_start[rows[[0, -1]]], forecast.utc_offset_s[rows[[0, -1]]])
        out.append(QueueOverview(
            queue=name, channel=forecast.channel_of(q), first_start=str(first), last_start=str(last),
            intervals=int(rows.size), missing_intervals=int(missing[q]), interval_minutes=int(minutes[name]),
            days=int(np.unique(days[rows]).size), volume=total,
            aht_s=float((volume * forecast.aht_s[rows]).sum() / total) if total > 0 else 0.0,
            peak_volume=float(volume.max())))
    return tuple(out)
