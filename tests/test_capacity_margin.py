"""wfm.capacity.margin: the contract's revenue and the margin per period, to the cent on a small case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest

from wfm.capacity.inputs import read_volumes
from wfm.capacity.report import capacity_columns, capacity_document, total_margin
from wfm.capacity.run import plan_from_requirement
from wfm.capacity.settings import CapacitySettings
from wfm.cost import Contract

MONTHS = "period,volume,aht\n2027-01,1000,300\n2027-02,2000,360\n"
# 10 agents, no attrition, no hiring needed: 10 productive FTE in both months; payroll 3,000 per FTE-month
# of 365.25 / 12 days: January 3000 x 10 x 31 / 30.4375 = 30,554.41, February x 28 / 30.4375 = 27,597.54
CAPACITY = CapacitySettings(headcount=10, attrition=(0.0,), training_weeks=2, lead_time_weeks=1,
                            cost_per_fte_month=3000)


def _plan(write_csv, contract, text=MONTHS, required=(5.0, 5.0), capacity=CAPACITY, hours=None):
    volumes = read_volumes(write_csv(text, name="volumes.csv"))
    return plan_from_requirement(volumes, np.array([required]), capacity, contract=contract,
                                 paid_hours_per_fte_week=None if hours is None else np.array([hours]))


@pytest.mark.parametrize("contract, revenue, margin", [
    # 1,000 and 2,000 contacts at 4.10
    (Contract("per_handled_contact", 4.10), [4100.00, 8200.00], [-26454.41, -19397.54]),
    # 1,000 x 300 s = 5,000 min and 2,000 x 360 s = 12,000 min at 0.85
    (Contract("per_minute", 0.85), [4250.00, 10200.00], [-26304.41, -17397.54]),
    # 10 FTE x 37.5 h x 31/7 weeks x 32.50 = 53,973.21; x 28/7 weeks = 48,750.00
    (Contract("per_paid_hour", 32.50), [53973.21, 48750.00], [23418.80, 21152.46]),
    # 10 seats x 3,500 for each calendar month
    (Contract("per_seat_month", 3500), [35000.00, 35000.00], [4445.59, 7402.46]),
    # the target met exactly: no penalty; a bonus from 80 % (at the target) of 2 % of the fee: 4,100 + 82
    (Contract("per_handled_contact", 4.10, penalty_per_point=0.05, bonus_above=0.80, bonus=0.02),
     [4100.00, 8200.00], [-26372.41, -19233.54]),
])
def test_margin_to_the_cent(write_csv, contract, revenue, margin):
    plan = _plan(write_csv, contract, hours=37.5)
    assert np.round(plan.cost, 2).tolist() == [30554.41, 27597.54]
    assert plan.revenue is not None and plan.margin is not None
    assert plan.revenue.tolist() == revenue
    assert plan.margin.tolist() == margin
    columns = capacity_columns(plan)
    assert list(columns)[-2:] == ["revenue", "margin"] and columns["margin"].tolist() == margin
    total = capacity_document(plan)["total"]
    assert total["revenue"] == round(sum(revenue), 2) and total["margin"] == round(sum(margin), 2)


def test_iso_week_is_seven_days_of_a_month(write_csv):
    weeks = "period,volume,aht\n" + "".join(f"2027-W{w:02d},500,300\n" for w in range(1, 11))
    plan = _plan(write_csv, Contract("per_seat_month", 3500), text=weeks, required=[5.0] * 10)
    # 10 seats x 3,500 x 7 / 30.4375 = 8,049.28; payroll 3,000 x 10 x 7 / 30.4375 = 6,899.38
    assert plan.revenue is not None and plan.margin is not None
    assert set(plan.revenue.tolist()) == {8049.28} and set(plan.margin.tolist()) == {1149.90}


def test_no_margin_without_cost_or_cover_or_volume(write_csv):
    no_cost = _plan(write_csv, Contract("per_handled_contact", 4.10), capacity=dataclasses.replace(CAPACITY, cost_per_fte_month=None))
    assert no_cost.revenue is not None and no_cost.margin is not None
    assert no_cost.revenue.tolist() == [4100.0, 8200.0] and np.isnan(no_cost.margin).all()
    assert total_margin(no_cost) is None

    short = _plan(write_csv, Contract("per_handled_contact", 4.10), required=(5.0, 500.0))
    assert not short.covered and short.margin is not None and short.revenue is not None
    assert short.margin[0] == round(4100.0 - round(short.cost[0], 2), 2)  # hires for February paid in January
    assert math.isnan(short.margin[1]) and short.revenue[1] == 8200.0
    assert total_margin(short) is None  # a total leaving out the period not covered would flatter the plan

    early = _plan(write_csv, Contract("per_seat_month", 3500),
                  capacity=dataclasses.replace(CAPACITY, start=dt.date(2026, 12, 1)))
    assert early.periods[0] == "2026-12" and early.revenue is not None and early.margin is not None
    assert math.isnan(early.revenue[0]) and math.isnan(early.margin[0])  # no forecast, no revenue figure
    assert early.revenue[1:].tolist() == [35000.0, 35000.0]


def test_without_a_contract_nothing_changes(write_csv):
    plan = _plan(write_csv, None)
    assert plan.revenue is None and plan.margin is None
    assert "revenue" not in capacity_columns(plan)
    document = capacity_document(plan)
    assert "revenue" not in document["total"] and "contract" not in document
    assert all("margin" not in p for p in document["periods"])


def test_printed_totals_say_the_margin_leaves_out_the_lead_in_payroll(write_csv):
    """The table's last line gives the total cost (lead-in payroll included) and the margin (over the forecast's
    periods alone): when they cover different periods the line says so, and by how much, as the HTML page does,
    so that a reader does not take the margin for revenue - cost."""
    import io

    from rich.console import Console

    from wfm.capacity.report import print_capacity

    early = _plan(write_csv, Contract("per_seat_month", 3500),
                  capacity=dataclasses.replace(CAPACITY, start=dt.date(2026, 12, 1)))
    out = io.StringIO()
    print_capacity(Console(file=out, width=300), early)
    last = out.getvalue().strip().splitlines()[-1]
    # December 2026: 10 FTE x 3,000 x 31 / 30.4375 = 30,554.41 of payroll before the forecast's January
    assert "cost 88,706, revenue 70,000, margin 11,848 over the forecast's periods" in last
    assert "includes 30,554 of payroll before the forecast begins" in last

    on_time = _plan(write_csv, Contract("per_seat_month", 3500))  # no lead-in: the line is as before
    out = io.StringIO()
    print_capacity(Console(file=out, width=300), on_time)
    assert "cost 58,152, revenue 70,000, margin 11,848 (least cost)" in out.getvalue()
