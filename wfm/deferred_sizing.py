"""One deferred queue of a forecast (e-mail, social, back office) sized for ``wfm size``: its targets checked
against its handle time and open hours, its week as the cycle that repeats (:func:`deferred_cycle_s`), and
:func:`wfm.deferred.required_agents` on its rows. Pure library code: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from wfm.errors import ConfigError

if TYPE_CHECKING:
    from wfm.config import Settings, Targets
    from wfm.forecast import Forecast

__all__ = ["DeferredSizing", "size_deferred", "deferred_cycle_s"]


@dataclass(frozen=True)
class DeferredSizing:
    """One deferred queue's staffing per row (its rows in time order), the rows its team works, the due and
    arrived work curves and the measures (:class:`wfm.deferred_curves.DeferredMeasures`)."""

    agents: NDArray[np.int64]
    open_: NDArray[np.bool_]
    due_s: NDArray[np.float64]
    arrived_s: NDArray[np.float64]
    measures: Any


def size_deferred(forecast: Forecast, rows: NDArray[np.int64], targets: Targets, settings: Settings) -> DeferredSizing:
    """One deferred queue sized by :func:`wfm.deferred.required_agents` (rows: the queue's, in time order)."""
    from wfm import deferred
    from wfm.config import open_hours_range
    from wfm.staffing import _where as where_in

    name = forecast.queue_names[int(forecast.queue[rows[0]])]
    where = f"queue {name!r}"
    aht = forecast.aht_s[rows]
    worked = forecast.volume[rows] > 0
    if worked.any() and aht[worked].max() > targets.answer_within_s:
        i = int(rows[np.flatnonzero(worked)[np.argmax(aht[worked])]])
        raise ConfigError(f"{where_in(forecast, i)}: the response target {targets.answer_within_s:g} s is shorter than "
                          f"the handle time {forecast.aht_s[i]:g} s; an item cannot be answered before it is worked "
                          + ("(--answer-within applies to every queue, this one too: leave it out and give the voice "
                             "queues' answer time in wfm.toml, [targets] or [channels.voice] answer_within_s)"
                             if "answer_within_s" in settings.overrides else f"(set answer_within_s for {where})"))
    local = forecast.local_start[rows]
    if targets.open_hours is None:
        open_ = np.ones(rows.size, dtype=bool)
    else:
        start, end = open_hours_range(targets.open_hours, "open_hours")
        seconds = (local - local.astype("datetime64[D]")).astype(np.int64)
        open_ = (seconds >= start) & (seconds < end) if start < end else (seconds >= start) | (seconds < end)
    if not open_.any() and worked.any():
        raise ConfigError(f"{forecast.path}: {where}: its open hours {targets.open_hours} hold none of the forecast's "
                          "intervals, so nobody can work it")
    days = local.astype("datetime64[D]")
    day_ids, day = np.unique(days, return_inverse=True)
    try:
        result = deferred.required_agents(
            forecast.interval_start[rows].astype(np.int64), float(forecast.interval_s[rows[0]]),
            forecast.volume[rows], aht, open_, response_within_s=targets.answer_within_s,
            level=targets.service_level, clock=targets.response_clock, max_occupancy=targets.max_occupancy,
            day=day.astype(np.int64), min_staff=targets.min_staff, day_labels=[str(d) for d in day_ids],
            cycle_s=deferred_cycle_s(forecast, rows))
    except ConfigError as error:
        raise ConfigError(f"{forecast.path}: {where}: {error}") from None
    return DeferredSizing(result.agents, open_, result.due_s, result.arrived_s, result.measures)


def deferred_cycle_s(forecast: Forecast, rows: NDArray[np.int64]) -> float:
    """The elapsed seconds from a deferred queue's first interval (``rows``, in time order) to its start in the next
    cycle: its local days rounded up to whole weeks (a week's plan repeats week after week; the days without
    intervals are closed), the time from its last interval's end to that start counted on the local clock (a week
    with a change of clock in it lasts 167 or 169 hours). See :mod:`wfm.deferred_curves`."""
    step = np.timedelta64(int(forecast.interval_s[rows[0]]), "s")
    local = forecast.local_start[rows]
    first_day = local[0].astype("datetime64[D]")
    n_days = int((local[-1].astype("datetime64[D]") - first_day).astype(np.int64)) + 1
    again = local[0] + np.timedelta64(7 * -(-n_days // 7), "D")  # the first interval's start, whole weeks on
    span = forecast.interval_start[rows[-1]] + step - forecast.interval_start[rows[0]]
    return float((span + (again - (local[-1] + step))) / np.timedelta64(1, "s"))
