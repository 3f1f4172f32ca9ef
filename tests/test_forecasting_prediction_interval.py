"""wfm.forecasting.prediction_interval: the interval's ends are the count quantiles of their tails, checked with the
CDF itself (tiny to absurd means), by hypothesis, and against scipy.stats."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.forecasting.prediction_interval import interval


def test_poisson_interval_when_no_overdispersion():
    lo, hi = interval(np.array([0.0, 100.0]), 0.0, 0.8)
    assert (lo[0], hi[0]) == (0.0, 0.0)
    assert 85 <= lo[1] <= 88 and 112 <= hi[1] <= 115


MEANS = np.array([1e-9, 0.3, 1.0, 2.0, 7.5, 100.0, 2_345.6, 1e6, 1e9, 1e12])
"""Means of an interval's contacts, tiny to absurd."""


def _count_cdf(mean, c):
    """k -> the CDF at k of the count the interval is drawn from: negative binomial with Var = mu + c mu^2 (the
    incomplete beta), Poisson at c <= 1e-9 (the upper incomplete gamma), as wfm.forecasting.prediction_interval.interval says."""
    from scipy import special

    if c > 1e-9:
        return lambda k: special.betainc(1 / c, k + 1.0, (1 / c) / (1 / c + mean))
    return lambda k: special.gammaincc(k + 1.0, mean)


@pytest.mark.parametrize("c", [0.0, 1e-6, 0.05, 1.0, 1e3])
@pytest.mark.parametrize("level", [0.5, 0.8, 0.999])
def test_interval_ends_are_the_smallest_counts_whose_cdf_reaches_each_tail(c, level):
    """The definition of a count's quantile, checked with the CDF itself: cdf(k - 1) < q <= cdf(k)."""
    lo, hi = interval(MEANS, c, level)
    cdf = _count_cdf(MEANS, c)
    for end, q in ((lo, (1 - level) / 2), (hi, (1 + level) / 2)):
        below = np.where(end > 0, cdf(end - 1.0), 0.0)
        held = (end == np.floor(MEANS)) | (end == np.ceil(MEANS))  # widened to hold the mean
        assert np.all(np.isfinite(end)) and np.all(end == np.round(end))
        assert np.all(((below < q) & (q <= cdf(end))) | held)
    assert np.all((lo <= MEANS) & (MEANS <= hi))
    grid = interval(MEANS.reshape(2, 5), c, level)  # a queue's day x slot grid keeps its shape
    assert grid[0].tolist() == lo.reshape(2, 5).tolist() and grid[1].tolist() == hi.reshape(2, 5).tolist()


@pytest.mark.slow  # 300 examples: run by CI, skipped by -m 'not slow'
@settings(max_examples=300, deadline=None)
@given(st.floats(1e-6, 1e7), st.sampled_from([0.0, 1e-9, 2e-9, 1e-5, 0.003, 0.1, 0.7, 3.0, 40.0, 1e4]),
       st.floats(0.01, 0.999))
def test_any_interval_end_is_the_smallest_count_whose_cdf_reaches_its_tail(mean, c, level):
    lo, hi = interval(np.array([mean]), c, level)
    cdf = _count_cdf(mean, c)
    for end, q in ((lo[0], (1 - level) / 2), (hi[0], (1 + level) / 2)):
        held = end in (np.floor(mean), np.ceil(mean))  # widened to hold the mean
        assert held or ((cdf(end - 1.0) if end > 0 else 0.0) < q <= cdf(end))


@pytest.mark.parametrize("c", [0.0, 1e-8, 1.0, 1e3])
def test_interval_of_a_mean_past_whole_floats_ends_and_reaches_its_tail(c):
    """Past 2**53 whole counts are no longer distinct floats: the search for the smallest count reaching a tail
    halved a range whose ends could not move, for ever (a forecast of 1e16 contacts an interval hung)."""
    mean = np.array([1e15, 1e16, 1e17, 1e300])
    lo, hi = interval(mean, c, 0.999)
    cdf = _count_cdf(mean[:3], c)
    assert np.all(np.isfinite(lo) & np.isfinite(hi)) and np.all((lo <= mean) & (mean <= hi))
    assert np.all(cdf(hi[:3]) >= 0.9995) and np.all((lo[:3] == 0) | (cdf(lo[:3]) >= 0.0005))  # 1e300: cdf is NaN


@pytest.mark.slow  # imports scipy.stats (1-2 s)
def test_interval_ends_are_scipy_stats_quantiles():
    """The same numbers as scipy.stats' poisson.ppf and nbinom.ppf (Boost), which the interval used before."""
    import warnings

    from scipy import stats

    rng = np.random.default_rng(7)
    usual = np.exp(rng.uniform(np.log(1e-3), np.log(2e5), 20_000))
    huge = np.exp(rng.uniform(np.log(1e8), np.log(1e12), 500))  # where a first guess can be off
    cases = [(usual, c) for c in (0.0, 1e-6, 0.01, 0.3, 5.0)] + [(huge, c) for c in (0.0, 1.5e-9, 1e-7, 1e3, 1e6)]
    for mean, c in cases:
        for level in (0.5, 0.8, 0.95, 0.999):
            q_lo, q_hi = (1 - level) / 2, (1 + level) / 2
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                if c > 1e-9:
                    n = 1 / c
                    lo, hi = stats.nbinom.ppf(q_lo, n, n / (n + mean)), stats.nbinom.ppf(q_hi, n, n / (n + mean))
                else:
                    lo, hi = stats.poisson.ppf(q_lo, mean), stats.poisson.ppf(q_hi, mean)
            got = interval(mean, c, level)
            known = np.isfinite(lo) & np.isfinite(hi)  # scipy.stats gives NaN for some huge means
            assert known.mean() > 0.5
            # past 1e12 the CDF moves by less than a float's spacing over dozens of counts: equal to 1e-12
            rtol = 0.0 if mean is usual else 1e-12
            np.testing.assert_allclose(got[0][known], np.minimum(lo, np.floor(mean))[known], rtol=rtol, atol=0)
            np.testing.assert_allclose(got[1][known], np.maximum(hi, np.ceil(mean))[known], rtol=rtol, atol=0)
