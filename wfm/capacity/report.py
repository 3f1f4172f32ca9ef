"""The capacity plan as CSV columns (:data:`wfm.capacity.CSV_COLUMNS`), a JSON document and terminal tables.

FTE, headcount and leavers are expected values, written to 0.01; cost to the cent. A lead-in period (before the
forecast begins) has an empty ``required_fte`` and ``gap_fte``; ``cost`` is empty without a cost per FTE-month.
With a ``[contract]`` (only then), ``revenue`` and ``margin`` follow as the last two columns (see
:mod:`wfm.capacity.margin` for when they are empty); the first nine columns never change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from wfm.capacity import CSV_COLUMNS
from wfm.cost import cents

if TYPE_CHECKING:
    from rich.console import Console

    from wfm.capacity.run import CapacityPlan

__all__ = ["capacity_columns", "capacity_document", "print_capacity", "total_margin"]


def _blank(values: np.ndarray, rounded: Callable[[float], float] | None = None) -> np.ndarray:
    """The values rounded as shown, None for NaN (an empty cell): ``rounded`` (money: :func:`wfm.cost.cents`, to
    the cent as wfm rounds money), by default to 0.01 by :func:`_shown`."""
    as_shown = rounded or (lambda v: _shown(v, 2))
    out = np.empty(values.size, dtype=object)
    out[:] = [None if math.isnan(v) else as_shown(v) for v in values.astype(np.float64).tolist()]
    return out


def _shown(value: float, decimals: int) -> float:
    """``value`` to ``decimals`` as Python's round and format take it, the nearest of the value itself (numpy's
    round scales by 10^decimals first, which can go the other way: 1.115 to 1.12, formatted 1.11); never -0.0."""
    return round(value, decimals) + 0.0


def capacity_columns(plan: CapacityPlan) -> dict[str, np.ndarray]:
    """One row per period, in CSV_COLUMNS order, then ``revenue`` and ``margin`` with a contract."""
    columns = {
        "period": np.array(plan.periods, dtype=object),
        "required_fte": _blank(plan.required_fte),
        "productive_fte": _blank(plan.productive_fte),
        "headcount": _blank(plan.headcount),
        "attrition": _blank(plan.attrition),
        "hires_starting": plan.hires_starting,
        "in_training": _blank(plan.in_training),
        "gap_fte": _blank(_rounded_gap(plan, 2)),
        "cost": _blank(plan.cost, cents),
    }
    assert tuple(columns) == CSV_COLUMNS
    if plan.revenue is not None and plan.margin is not None:
        columns["revenue"] = _blank(plan.revenue, cents)
        columns["margin"] = _blank(plan.margin, cents)
    return columns


def _rounded_gap(plan: CapacityPlan, decimals: int) -> np.ndarray:
    """gap_fte as the columns beside it show it: productive less required, each rounded as shown (:func:`_shown`;
    their difference read 0.32 beside a gap of 0.33)."""
    return np.array([_shown(_shown(p, decimals) - _shown(r, decimals), decimals)
                     for p, r in zip(plan.productive_fte.tolist(), plan.required_fte.tolist(), strict=True)])


def period_total(values: np.ndarray | None, every: np.ndarray | None = None) -> float | None:
    """The sum of the money figures that are there, each to the cent as its period shows it (:func:`_blank`), so
    that the total is the sum of the periods' in every output (None when none is there, or when one of the periods
    ``every`` flags has none: a margin total leaving out a period not covered would flatter the plan)."""
    if values is None or np.isnan(values).all() or (every is not None and np.isnan(values[every]).any()):
        return None
    return cents(sum(v for v in _blank(values, cents).tolist() if v is not None))


def total_margin(plan: CapacityPlan) -> float | None:
    """The margin over the forecast's periods, None unless every one of them has a margin. The lead-in periods
    (no volume, no revenue) are left out, like their payroll."""
    return period_total(plan.margin, plan.forecast)


def capacity_document(plan: CapacityPlan, inputs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON form: the settings used, one record per period, the classes and the periods not covered."""
    from wfm.report.documents import records

    c = plan.settings
    periods = records(capacity_columns(plan))
    contract = plan.contract
    for record, by_queue in zip(periods, plan.required_by_queue.T):
        record["required_fte_by_queue"] = {q: None if np.isnan(v) else round(float(v), 4)
                                           for q, v in zip(plan.queues, by_queue)}
    return {
        "period_kind": plan.kind,
        "start": plan.start.isoformat(),
        "weeks": plan.weeks,
        "profile": plan.profile,
        "inputs": inputs or {},
        "settings": {
            "headcount": c.headcount,
            "headcount_by_site": dict(c.headcount_by_site),
            "attrition": c.attrition[0] if c.annual else list(c.attrition),
            "attrition_basis": "annual" if c.annual else "monthly",
            "training_weeks": c.training_weeks,
            "ramp_start": c.ramp_start,
            "ramp_weeks": c.ramp_weeks,
            "class_min": c.class_min,
            "class_max": c.class_max,
            "max_classes_per_week": c.max_classes_per_week,
            "lead_time_weeks": c.lead_time_weeks,
            "cost_per_fte_month": c.cost_per_fte_month,
            "cost_per_hire": c.cost_per_hire,
            "cost_per_class": c.cost_per_class,
        },
        **({"contract": {"price_model": contract.price_model, "rate": contract.rate,
                         "target_service_level": contract.target_service_level,
                         "assumption": "the target service level is met in every period the plan covers (no penalty)"}}
           if contract is not None else {}),
        "covered": plan.covered,
        "total": {
            "hires": int(plan.hires_starting.sum()),
            "classes": sum(k.classes for k in plan.classes),
            "cost": period_total(plan.cost),
            **({"revenue": period_total(plan.revenue), "margin": total_margin(plan)} if contract is not None else {}),
        },
        "periods": periods,
        "classes": [{"start": k.start.isoformat(), "period": k.period, "agents": k.agents, "classes": k.classes,
                     "training_ends": k.training_ends.isoformat(),
                     "fully_productive": k.fully_productive.isoformat()} for k in plan.classes],
        "shortfalls": [{"period": s.period, "required_fte": round(s.required_fte, 4),
                        "best_productive_fte": round(s.best_fte, 4), "reason": s.reason} for s in plan.shortfalls],
        "solver": {"status": plan.solver_status, "gap": round(plan.solver_gap, 6)},
    }


def _fte(value: float) -> str:
    return "" if np.isnan(value) else f"{value:,.1f}"


def print_capacity(console: Console, plan: CapacityPlan) -> None:
    """The plan per period, then the classes to start."""
    from wfm.report.tables import compact_table

    kind = "months" if plan.kind == "month" else "ISO weeks"
    first = int(np.flatnonzero(plan.forecast)[0])
    pnl = plan.revenue is not None and plan.margin is not None
    table = compact_table(
        f"Capacity plan, {plan.periods[first]} to {plan.periods[-1]} ({kind}), from {plan.start}",
        ["Period", "Required\nFTE", "Productive\nFTE", "Gap\nFTE", "Headcount", "Leavers", "Hires\nstarting",
         "In\ntraining", "Cost", *(["Revenue", "Margin"] if pnl else [])])
    gaps = _rounded_gap(plan, 1)  # the gap of the two FTE columns as shown
    for m, period in enumerate(plan.periods):
        gap = float(gaps[m])
        money = [plan.cost[m]] + ([plan.revenue[m], plan.margin[m]] if pnl else [])  # type: ignore[index]
        table.add_row(period, _fte(plan.required_fte[m]), _fte(plan.productive_fte[m]),
                      "" if np.isnan(gap) else f"{gap:+,.1f}", _fte(plan.headcount[m]), _fte(plan.attrition[m]),
                      str(int(plan.hires_starting[m])) if plan.hires_starting[m] else "", _fte(plan.in_training[m]),
                      *("" if np.isnan(v) else f"{v:,.0f}" for v in money))
    console.print(table)
    if plan.classes:
        classes = compact_table("Classes to start", ["Start (Monday)", "Period", "Agents", "Classes",
                                                     "Training ends", "Fully productive"], left=2)
        for k in plan.classes:
            classes.add_row(str(k.start), k.period, str(k.agents), str(k.classes), str(k.training_ends),
                            str(k.fully_productive))
        console.print(classes)
    hires = int(plan.hires_starting.sum())
    total_cost, revenue = period_total(plan.cost), period_total(plan.revenue)
    cost = "" if total_cost is None else f"; cost {total_cost:,.0f}"
    if revenue is not None:
        cost += f", revenue {revenue:,.0f}"
    margin = total_margin(plan)
    if margin is not None:
        cost += f", margin {margin:,.0f}"
        if not np.all(plan.forecast):  # the two totals cover different periods: say so, as the HTML page does
            lead_in = float(np.nansum(plan.cost[~plan.forecast]))
            cost += (f" over the forecast's periods (the cost includes {lead_in:,.0f} of payroll before "
                     "the forecast begins, which has no revenue)")
    verdict = "every period covered" if plan.covered else f"{len(plan.shortfalls)} period(s) not covered"
    proof = "least cost" if plan.solver_gap <= 1e-4 else f"within {plan.solver_gap:.2%} of the least cost"
    console.print(f"Hiring: {hires} agent(s) in {sum(k.classes for k in plan.classes)} class(es){cost} ({proof}); "
                  f"{verdict}.", markup=False)
