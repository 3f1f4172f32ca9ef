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
