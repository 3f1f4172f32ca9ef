"""wfm.report.numbers: figures for people, and a missed target never shown equal to its target."""

from __future__ import annotations

import math

from wfm.report.numbers import figure_apart, pct_apart, target_pct


def test_a_missed_target_reads_differently_from_the_target() -> None:
    assert pct_apart(0.553, 0.8) == "55.3%"  # one decimal when that already differs
    assert pct_apart(0.79996, 0.8) == "79.996%"  # not "80.0%" below the target 80 %
    assert pct_apart(0.04026, 0.04) == "4.03%"  # abandonment: not "4.0%" above 4.0 %
    assert pct_apart(0.925 - 1e-12, 0.925) != target_pct(0.925)
    assert figure_apart(20.04, 20.0) == "20.04" and figure_apart(1234.5, 20.0) == "1,234.5"
    assert pct_apart(0.9256, 0.9258) == "92.56%"  # not "92.6%" below 92.58 %: on the side it misses on
    assert pct_apart(0.0372, 0.0371) == "3.72%"  # not "3.7%" above 3.71 %
    assert pct_apart(0.8 - 4e-12, 0.8) == "79.9999999996%"  # a miss by more than the 1e-12 tolerance reads as one
    assert figure_apart(20.0 + 1e-14, 20.0) == "20.000000000000"  # at most 12 decimals
    assert figure_apart(math.inf, 20.0) == "inf"


def test_targets_are_shown_as_set() -> None:
    assert [target_pct(t) for t in (0.8, 0.925, 0.955, 0.005, 0.0)] == ["80%", "92.5%", "95.5%", "0.5%", "0%"]


def test_figures_apart_never_read_the_same() -> None:
    from wfm.report.numbers import figures_apart

    assert figures_apart(80.04, 79.996) == ("80.04", "80.00")
    assert figures_apart(99.966, 100.0) == ("99.97", "100.00")
    assert figures_apart(96.0, 94.9) == ("96.0", "94.9")  # apart already: as they are
    assert figures_apart(5.0, 5.0) == ("5.0", "5.0")  # equal figures stay equal
    assert figures_apart(1_234.56, 1_234.58) == ("1,234.56", "1,234.58")


def test_round_against_never_carries_a_miss_up_to_its_target() -> None:
    from wfm.report.numbers import round_against

    assert round_against(0.79997, 0.8) == 0.79997 and round_against(0.79, 0.8) == 0.79
    assert round_against(0.80003, 0.8) == 0.8  # met: 4 places, as before
    assert round_against(0.8 - 1e-13, 0.8) == 0.8  # within the slack (2e-13 at 0.8): met
    assert round_against(0.8 - 5e-13, 0.8) == 0.799999999999  # beyond it: a miss, shown as one
    assert round_against(0.79999, None) == 0.8  # no target to read it against
