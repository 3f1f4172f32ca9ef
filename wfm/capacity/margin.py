"""The contract's revenue and the margin per period of a capacity plan (``[contract]`` in wfm.toml).

For a forecast period p with V contacts handled (all queues: those offered, less the callers of an Erlang A
queue who abandon at the required staffing, as ``wfm plan`` bills them), handle time a_q per queue, D calendar
days and the plan's productive FTE P (that of the period's weakest week, as in the table)::

    per_handled_contact   revenue = V x rate
    per_minute            revenue = sum over queues of V_q x a_q / 60 x rate
    per_paid_hour         revenue = P x paid hours per FTE week x D / 7 x rate
    per_seat_month        revenue = P (as seats) x months x rate     months: 1 for a calendar month,
                                                                     7 / (365.25 / 12) for an ISO week
    margin                = revenue + bonus - cost                   bonus = bonus x revenue, only where
                                                                     bonus_above <= the target (no column shows it)

The paid hours per FTE week are those of each queue's targets (``paid_hours_per_fte_week``), weighted by the
queues' required FTE in the period when they differ. A week is 7 / (365.25 / 12) of a month, the month the
plan's payroll is counted in, so a seat-month price equal to the cost per FTE-month earns what a week's payroll
costs.

**Assumption**: a capacity plan sizes agents, not a service level, so a period the plan covers (productive FTE
at least the requirement in every week) is priced at the target service level exactly: no penalty, and no
bonus unless ``bonus_above`` is at or below the target (see :func:`wfm.cost.penalty`). A period not covered has
revenue but no margin (its service level, and so its penalty, is not known); nor has a period without a cost
(no cost per FTE-month) or a lead-in period before the forecast begins (no volume, no revenue). Every figure is
rounded to the cent, and the margin is computed from the rounded revenue and cost so that the printed figures
add up.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from wfm import exact
from wfm.capacity.model import DAYS_PER_MONTH
from wfm.cost import Contract, cents_array, penalty

__all__ = ["period_revenue", "period_margin", "months_in_period"]


def months_in_period(kind: str, days: NDArray[np.int64]) -> NDArray[np.float64]:
    """Months billed per seat in each period: 1 for a calendar month, 7 / (365.25 / 12) for an ISO week."""
    days = np.asarray(days, dtype=np.int64)
    return np.where(kind == "month", 1.0, days / DAYS_PER_MONTH)


def period_revenue(contract: Contract, kind: str, days: NDArray[np.int64], volume: NDArray[np.float64],
                   aht_s: NDArray[np.float64], productive_fte: NDArray[np.float64],
                   required_by_queue: NDArray[np.float64], paid_hours_per_fte_week: NDArray[np.float64]
                   ) -> NDArray[np.float64]:
    """Revenue per period (module docstring), unrounded. ``volume``, ``aht_s`` and ``required_by_queue`` are
    (queues, periods); ``days`` and ``productive_fte`` (periods,); ``paid_hours_per_fte_week`` (queues,)."""
    volume = np.asarray(volume, dtype=np.float64)
    model = contract.price_model
    if model == "per_handled_contact":
        units = volume.sum(axis=0)
    elif model == "per_minute":
        units = (volume * np.asarray(aht_s, dtype=np.float64)).sum(axis=0) / 60.0
    else:
        productive = np.asarray(productive_fte, dtype=np.float64)
        if model == "per_paid_hour":
            hours = np.asarray(paid_hours_per_fte_week, dtype=np.float64)
            need = np.nan_to_num(np.asarray(required_by_queue, dtype=np.float64), nan=0.0)
            total = need.sum(axis=0)
            weighted = np.divide(exact.matmul(hours, need), total, out=np.full(total.shape, float(hours.mean())), where=total > 0)
            units = productive * weighted * np.asarray(days, dtype=np.float64) / 7.0
        else:  # per_seat_month
            units = productive * months_in_period(kind, days)
    return contract.rate * units


def period_margin(contract: Contract, revenue: NDArray[np.float64], cost: NDArray[np.float64],
                  covered: NDArray[np.bool_]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(revenue, margin) to the cent; NaN where there is no figure (module docstring): the revenue NaN where it
    is NaN (a lead-in period), the margin also where the cost is NaN or the period is not covered."""
    rounded = cents_array(revenue)
    at_target = np.array([penalty(float(r), contract.target_service_level, contract) if np.isfinite(r) else np.nan
                          for r in rounded])
    margin = cents_array(rounded - cents_array(at_target) - cents_array(cost))
    margin = np.where(np.asarray(covered, dtype=bool), margin, np.nan)
    return rounded, margin
