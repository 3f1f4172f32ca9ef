"""wfm.forecasting.prediction_interval: each end of the interval is the count whose tail left out is nearest the
nominal tail (a quantile of the mid-distribution function), checked with the CDF itself (tiny to absurd means), by
hypothesis, against scipy.stats, and for its coverage of Poisson counts."""

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


def _ends(cdf):
    """(below, above): k -> P(X < k) + P(X = k) / 2 and k -> P(X <= k) + P(X = k + 1) / 2, the mid-distribution
    functions whose quantiles the lower and the upper end are (0 below k = 0)."""
    def at(k):
        return np.where(k >= 0, cdf(np.maximum(k, 0.0)), 0.0)

    return (lambda k: (at(k) + at(k - 1.0)) / 2), (lambda k: (at(k) + at(k + 1.0)) / 2)


@pytest.mark.parametrize("c", [0.0, 1e-6, 0.05, 1.0, 1e3])
@pytest.mark.parametrize("level", [0.5, 0.8, 0.999])
def test_interval_ends_leave_out_the_tail_nearest_the_nominal_one(c, level):
    """The definition, checked with the CDF itself: the lower end is the smallest k with below(k) >= q_lo, the upper
    the smallest k with above(k) >= q_hi (each end the count whose tail left out is nearest the nominal tail)."""
    lo, hi = interval(MEANS, c, level)
    below, above = _ends(_count_cdf(MEANS, c))
    for end, q, f in ((lo, (1 - level) / 2, below), (hi, (1 + level) / 2, above)):
        held = (end == np.floor(MEANS)) | (end == np.ceil(MEANS))  # widened to hold the mean
        assert np.all(np.isfinite(end)) and np.all(end == np.round(end))
        assert np.all((((end == 0) | (f(end - 1.0) < q)) & (q <= f(end))) | held)
    assert np.all((lo <= MEANS) & (MEANS <= hi))
    grid = interval(MEANS.reshape(2, 5), c, level)  # a queue's day x slot grid keeps its shape
    assert grid[0].tolist() == lo.reshape(2, 5).tolist() and grid[1].tolist() == hi.reshape(2, 5).tolist()


@pytest.mark.slow  # 300 examples: run by CI, skipped by -m 'not slow'
@settings(max_examples=300, deadline=None)
@given(st.floats(1e-6, 1e7), st.sampled_from([0.0, 1e-9, 2e-9, 1e-5, 0.003, 0.1, 0.7, 3.0, 40.0, 1e4]),
       st.floats(0.01, 0.999))
def test_any_interval_end_leaves_out_the_tail_nearest_the_nominal_one(mean, c, level):
    lo, hi = interval(np.array([mean]), c, level)
    below, above = _ends(_count_cdf(mean, c))
    for end, q, f in ((lo[0], (1 - level) / 2, below), (hi[0], (1 + level) / 2, above)):
        held = end in (np.floor(mean), np.ceil(mean))  # widened to hold the mean
        assert held or ((end == 0 or f(end - 1.0) < q) and q <= f(end))


@pytest.mark.parametrize("c", [0.0, 1e-8, 1.0, 1e3])
def test_interval_of_a_mean_past_whole_floats_ends_and_reaches_its_tail(c):
    """Past 2**53 whole counts are no longer distinct floats: the search for the smallest count reaching a tail
    halved a range whose ends could not move, for ever (a forecast of 1e16 contacts an interval hung)."""
    mean = np.array([1e15, 1e16, 1e17, 1e300])
    lo, hi = interval(mean, c, 0.999)
    cdf = _count_cdf(mean[:3], c)
    assert np.all(np.isfinite(lo) & np.isfinite(hi)) and np.all((lo <= mean) & (mean <= hi))
    # a count's probability is below 1e-7 there: each end leaves out the nominal tail (1e300: the CDF is NaN)
    assert np.allclose(cdf(hi[:3]), 0.9995, atol=1e-6) and np.all((lo[:3] == 0) | np.isclose(cdf(lo[:3]), 0.0005,
                                                                                               atol=1e-6))


@pytest.mark.slow  # imports scipy.stats (1-2 s)
def test_interval_ends_are_scipy_stats_quantiles():
    """The same numbers as scipy.stats' (Boost) gives: from the plain quantile k (poisson.ppf, nbinom.ppf, which the
    interval used before), the lower end is k + 1 when P(X < k) + P(X = k) / 2 is short of its tail, the upper end
    k - 1 when P(X <= k - 1) + P(X = k) / 2 reaches its tail."""
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
                    law = stats.nbinom(n, n / (n + mean))
                else:
                    law = stats.poisson(mean)
                lo, hi = law.ppf(q_lo), law.ppf(q_hi)
                lo = lo + ((law.cdf(lo) + law.cdf(lo - 1)) / 2 < q_lo)
                hi = hi - ((hi > 0) & ((law.cdf(hi - 1) + law.cdf(hi)) / 2 >= q_hi))
            got = interval(mean, c, level)
            known = np.isfinite(lo) & np.isfinite(hi)  # scipy.stats gives NaN for some huge means
            assert known.mean() > 0.5
            # past 1e12 the CDF moves by less than a float's spacing over dozens of counts: equal to 1e-12
            rtol = 0.0 if mean is usual else 1e-12
            np.testing.assert_allclose(got[0][known], np.minimum(lo, np.floor(mean))[known], rtol=rtol, atol=0)
            np.testing.assert_allclose(got[1][known], np.maximum(hi, np.ceil(mean))[known], rtol=rtol, atol=0)


def test_an_80_percent_interval_covers_80_percent_of_poisson_counts() -> None:
    """The plain quantiles leave out at most the nominal tail at either end, so an 80 % interval of whole counts
    covered 92 % of Poisson counts of mean 1-3, 87 % of 3-10 and 82 % of 30-100 (a tester's backtest of a queue of
    about 2 contacts a slot: 91 %). Each end leaving out the tail nearest the nominal one: 84 %, 81 % and 80 %, the
    exact coverage averaged over means spread evenly on a log scale (below about 1.5 the lower end is 0 and no
    interval of whole counts can leave a tail out there)."""
    from scipy import special

    for (a, b), (low, high) in (((1.0, 3.0), (0.80, 0.86)), ((3.0, 10.0), (0.79, 0.82)), ((30.0, 100.0), (0.79, 0.81))):
        mean = np.exp(np.linspace(np.log(a), np.log(b), 400))
        lo, hi = interval(mean, 0.0, 0.8)
        covered = special.gammaincc(hi + 1.0, mean) - np.where(lo > 0, special.gammaincc(lo, mean), 0.0)
        assert low <= covered.mean() <= high, (a, b, covered.mean())
