"""wfm.report.simulation: a figure flagged outside the simulated band never reads as inside it."""

from __future__ import annotations

import math

from wfm.report.simulation import _apart, _band_and_formula


def test_a_flagged_formula_and_the_bound_it_crosses_read_apart() -> None:
    # the README's blended example: 99.97 % upper bound against a formula of 100 % read "100.0%" and "100.0%*"
    assert _band_and_formula(0.998, 0.994, 0.99966, 1.0, flagged=True) == ("99.8% (99.4%-99.97%)", "100.00%")
    assert _band_and_formula(0.998, 0.994, 0.99966, 1.0, flagged=False) == ("99.8% (99.4%-100.0%)", "100.0%")
    assert _band_and_formula(0.90, 0.8004, 0.95, 0.79996, flagged=True) == ("90.0% (80.04%-95.0%)", "80.00%")
    assert _band_and_formula(0.90, 0.85, 0.95, math.nan, flagged=True) == ("90.0% (85.0%-95.0%)", "-")


def test_a_flagged_mean_without_its_band_reads_apart_from_the_formula() -> None:
    assert _apart(0.031, 0.034, flagged=True, percent=False) == ("0.031 s", "0.034 s")  # both read "0.0 s" before
    assert _apart(0.031, 0.034, flagged=False, percent=False) == ("0.0 s", "0.0 s")
    assert _apart(0.0501, 0.0504, flagged=True) == ("5.01%", "5.04%")
    assert _apart(math.inf, 2.0, flagged=True, percent=False) == ("∞", "2.0 s")  # unbounded, as wfm size shows it
    assert _apart(math.nan, 2.0, flagged=True, percent=False) == ("-", "2.0 s")  # no answered contact: no mean
