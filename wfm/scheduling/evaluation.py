"""What a schedule delivers: the agents available in every interval and the service level, ASA
and occupancy they give by Erlang C, per day and for the week.

Pure library code: no I/O. ``available = on the phones x (1 - remaining shrinkage)``: the
schedule already took breaks and lunch off the phones, so only the shrinkage it does not model
(absence, training, meetings) is applied here (see :func:`wfm.scheduling.shrinkage.split_shrinkage`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wfm import queueing
from wfm.reprs import compact_repr
from wfm.scheduling.solution import Schedule

__all__ = ["Evaluation", "evaluate"]


@dataclass(frozen=True, repr=False)
class Evaluation:
    """What a schedule delivers, per interval, per local day and for the week.

    Per interval (agents may be fractional):
      on_shift       agents scheduled (on shift, on break or not)
      on_phones      on shift and not on break
      available      on_phones x (1 - remaining shrinkage): expected agents taking contacts
      required       agents needed on the phones (``Schedule.required x (1 - remaining)``
                     unless given): the Erlang C requirement
      staffing_gap   available - required (positive: over-staffed, negative: under-staffed)
      over_staffed, under_staffed   boolean masks (more than 1e-9 agents either way)
      service_level  fraction answered within ``answer_within_s`` with ``available`` agents (Erlang C)
      asa_s          average speed of answer, seconds (inf when overloaded)
      occupancy      fraction of the available agents' time handling contacts
      volume         contacts offered (given, or traffic x interval / AHT)
    Per local day (``days``): ``volume_by_day``, ``service_level_by_day`` (volume-weighted).
    Week: ``service_level`` (volume-weighted), ``required_hours`` (agent-hours on the phones),
    ``paid_hours``, ``efficiency`` = required_hours / paid_hours, ``occupancy_week``.
    """

    __repr__ = compact_repr  # fields, with arrays as their shapes

    interval_start: NDArray[np.datetime64]
    day: NDArray[np.datetime64]
    on_shift: NDArray[np.float64]
    on_phones: NDArray[np.float64]
    available: NDArray[np.float64]
    required: NDArray[np.float64]
    staffing_gap: NDArray[np.float64]
    over_staffed: NDArray[np.bool_]
    under_staffed: NDArray[np.bool_]
    service_level: NDArray[np.float64]
    asa_s: NDArray[np.float64]
    occupancy: NDArray[np.float64]
    volume: NDArray[np.float64]
    days: NDArray[np.datetime64]
    volume_by_day: NDArray[np.float64]
    service_level_by_day: NDArray[np.float64]
    service_level_week: float
    occupancy_week: float
    required_hours: float
    paid_hours: float
    efficiency: float
    abandon_rate: NDArray[np.float64] | None = None
    """Per interval, the fraction of offered contacts that abandon (Erlang A; NaN under Erlang C)."""

    @property
    def over_staffed_intervals(self) -> int:
        return int(self.over_staffed.sum())

    @property
    def under_staffed_intervals(self) -> int:
        return int(self.under_staffed.sum())


def evaluate(
    plan: Schedule,
    traffic_erlangs: ArrayLike,
    aht_s: ArrayLike,
    answer_within_s: float,
    *,
    volume: ArrayLike | None = None,
    remaining_shrinkage: ArrayLike = 0.0,
    required_on_phones: ArrayLike | None = None,
    patience_s: float | None = None,
    concurrency: int = 1,
) -> Evaluation:
    """Service level, ASA, occupancy and staffing gaps the plan's available agents give.

    traffic_erlangs, aht_s   per interval of the plan (same order as ``plan.interval_start``)
    answer_within_s          service-level target time, seconds
    volume                   contacts per interval for the volume weighting (default traffic x
                             interval / AHT)
    remaining_shrinkage      the shrinkage the schedule does not model (fraction, scalar or per
                             interval); breaks are already out of ``on_phones``
    required_on_phones       the Erlang C requirement (agents on the phones); default
                             ``plan.required x (1 - remaining_shrinkage)``

    patience_s               callers' mean patience, seconds, for a queue sized with Erlang A (None: Erlang C)
    concurrency              conversations one agent holds at once (chat): each available agent is that many
                             servers (see wfm.staffing._concurrent)

    Available agents may be fractional; the queueing models evaluate them as they are.
    """
    n = plan.required.size
    a = np.broadcast_to(np.asarray(traffic_erlangs, dtype=np.float64), (n,))
    aht = np.broadcast_to(np.asarray(aht_s, dtype=np.float64), (n,))
    rem = np.broadcast_to(np.asarray(remaining_shrinkage, dtype=np.float64), (n,))
    if not np.all((rem >= 0) & (rem < 1)):
        raise ValueError("remaining_shrinkage must be a fraction in [0, 1)")
    if not np.all(np.isfinite(a) & (a >= 0)):
        raise ValueError("traffic_erlangs must be finite and >= 0")
    available = plan.on_phones * (1.0 - rem)
    if required_on_phones is None:
        need = plan.required * (1.0 - rem)
    else:
        need = np.broadcast_to(np.asarray(required_on_phones, dtype=np.float64), (n,)).copy()
    if volume is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            vol = np.where(aht > 0, a * plan.interval_s / np.where(aht > 0, aht, 1.0), 0.0)
    else:
        vol = np.broadcast_to(np.asarray(volume, dtype=np.float64), (n,)).copy()
    safe_aht = np.where(aht > 0, aht, 1.0)
    delivered = queueing.delivered(available * concurrency, a, safe_aht, answer_within_s, patience_s is not None,
                                   np.inf if patience_s is None else patience_s)
    sl, asa, occ = delivered.service_level, delivered.asa_s, delivered.occupancy
    gap = available - need

    tl = plan.timeline
    day_idx = tl.day[tl.index]
    days = tl.dates
    vol_day = np.bincount(day_idx, weights=vol, minlength=tl.n_days)
    sl_num = np.bincount(day_idx, weights=vol * sl, minlength=tl.n_days)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl_day = np.where(vol_day > 0, sl_num / np.where(vol_day > 0, vol_day, 1.0), np.nan)
    total_vol = float(vol.sum())
    sl_week = float((vol * sl).sum() / total_vol) if total_vol > 0 else float("nan")
    avail_h = float(available.sum())
    occ_week = min(float(a.sum()) / (avail_h * concurrency), 1.0) if avail_h > 0 else float("nan")
    step_h = plan.interval_s / 3600
    required_h = float(need.sum()) * step_h
    return Evaluation(
        interval_start=plan.interval_start,
        day=days[day_idx],
        on_shift=plan.on_shift,
        on_phones=plan.on_phones,
        available=available,
        required=need,
        staffing_gap=gap,
        over_staffed=gap > 1e-9,
        under_staffed=gap < -1e-9,
        service_level=sl,
        asa_s=asa,
        occupancy=occ,
        volume=vol,
        days=days,
        volume_by_day=vol_day,  # type: ignore[arg-type]  # whole contacts stay ints in summary.json
        service_level_by_day=sl_day,
        service_level_week=sl_week,
        occupancy_week=occ_week,
        required_hours=required_h,
        paid_hours=plan.paid_hours,
        efficiency=required_h / plan.paid_hours if plan.paid_hours > 0 else 0.0,
        abandon_rate=delivered.abandon_rate,
    )
