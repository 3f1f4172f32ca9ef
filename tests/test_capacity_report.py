"""wfm.capacity.report: the capacity plan's columns as written."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from wfm.capacity.report import _rounded_gap


def test_the_gap_is_the_difference_of_the_two_fte_columns_as_they_are_printed() -> None:
    """Each FTE column is printed with format's rounding (1.115 as 1.11 to two decimals); numpy's round scales first
    and took 1.115 to 1.12, a gap a cent off the columns beside it."""
    rng = np.random.default_rng(7)
    productive = np.r_[1.115, 0.0, 144.52, np.round(rng.uniform(0, 300, 2000), 3)]
    required = np.r_[0.0, 1.115, 144.2, np.round(rng.uniform(0, 300, 2000), 3)]
    plan = SimpleNamespace(productive_fte=productive, required_fte=required)
    for decimals in (1, 2):
        printed = [round(float(f"{p:.{decimals}f}") - float(f"{r:.{decimals}f}"), decimals)
                   for p, r in zip(productive.tolist(), required.tolist())]
        assert _rounded_gap(plan, decimals).tolist() == printed
    assert _rounded_gap(plan, 2)[:3].tolist() == [1.11, -1.11, 0.32]
    assert np.isnan(_rounded_gap(SimpleNamespace(productive_fte=np.array([np.nan]), required_fte=np.array([1.0])), 2)[0])


def test_every_output_shows_the_gap_of_the_columns_beside_it_and_money_to_the_cent_as_wfm_rounds_it() -> None:
    """The CSV, JSON and page take capacity_columns: the gap is the difference of the two FTE columns as written,
    rounded as they are (numpy's round took 1.115 to 1.12 beside a column written 1.11), money is to the cent as
    wfm.cost.cents rounds it, and the totals are the sums of the periods' as written."""
    from wfm.capacity.report import capacity_columns, period_total
    from wfm.cost import cents

    rng = np.random.default_rng(11)
    n = 500
    productive = np.r_[1.115, 2.675, 3.0, np.round(rng.uniform(0, 300, n - 3), 3)]
    required = np.r_[0.0, 1.0, 1.115, np.round(rng.uniform(0, 300, n - 3), 3)]
    cost = np.r_[155_372.275, np.nan, np.round(rng.uniform(0, 1e6, n - 2), 3)]
    plan = SimpleNamespace(periods=[f"p{i}" for i in range(n)], required_fte=required, productive_fte=productive,
                           headcount=productive, attrition=np.zeros(n), hires_starting=np.zeros(n, dtype=np.int64),
                           in_training=np.zeros(n), cost=cost, revenue=None, margin=None)
    columns = capacity_columns(plan)
    for p, r, gap in zip(columns["productive_fte"], columns["required_fte"], columns["gap_fte"], strict=True):
        assert gap == round(p - r, 2)
    assert columns["productive_fte"][0] == float(f"{1.115:.2f}")
    assert columns["cost"][0] == 155_372.28 and columns["cost"][1] is None  # half away from zero, as a spreadsheet
    assert period_total(cost) == cents(sum(cents(v) for v in cost.tolist() if not np.isnan(v)))
