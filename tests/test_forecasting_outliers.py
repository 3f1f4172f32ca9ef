"""wfm.forecasting.outliers: days off their weekday's level, against histories whose outliers are known."""

from __future__ import annotations

import numpy as np
import pytest
from forecasting_synth import load, synth

from wfm.forecasting import grid
from wfm.forecasting.outliers import outlier_days


def test_outlier_day_is_flagged():
    v = np.full((28, 4), 10.0)
    v[15] = 40.0
    v[[5, 6, 12, 13, 19, 20, 26, 27]] = np.nan
    flagged = outlier_days(v)
    assert flagged.tolist() == [d == 15 for d in range(28)]


def test_an_outlier_is_flagged_in_three_weeks_of_history():
    v = np.full((21, 4), 10.0)
    v[[5, 6, 12, 13, 19, 20]] = np.nan
    v[9] = 40.0  # the second Wednesday: a median of three same weekdays sees it
    assert outlier_days(v).tolist() == [d == 9 for d in range(21)]
    assert not outlier_days(v[:14]).any()  # two weeks: a median of two cannot tell which is off


@pytest.mark.parametrize("level", [2.7, 5.0])
def test_a_quiet_queues_counting_noise_is_no_outlier_but_a_real_one_is(level: float) -> None:
    """A queue of a few contacts a day (Poisson, its true mean known): the fixed ratio of 1.6 flagged a day of 8 at a
    mean of 5, 1.3 Poisson standard deviations, so a tester saw 11 of 60 days flagged and left out at 5 a day and 20
    at 2.7, each with a warning. A day must also be beyond the counting noise: over four seeds (240 days) at most one
    is flagged; a day of 40 contacts still is."""
    flagged = 0
    for seed in range(1, 5):
        text = synth(weeks=12, missing=(), level=level, seed=seed)[0]
        h = grid.histories(load(text))[0]
        flagged += int(outlier_days(h.volume).sum())
    assert flagged <= 1, flagged
    volume = h.volume.copy()
    volume[37] = 0.0
    volume[37, 40] = 40.0  # a Wednesday of 40 contacts
    assert np.flatnonzero(outlier_days(volume)).tolist() == [37]
