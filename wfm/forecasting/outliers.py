"""Days that are outliers of a queue's history: off their weekday's level beyond its ratio and the counting noise,
alone or in a run that came back (a campaign, an outage), as opposed to a run that lasts (a level change the model
follows). Used by the forecast and the backtest to leave such days out of the fit; numpy only."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

OUTLIER_RATIO = 1.6
"""A day is off its weekday's level when its total is more than this many times above or below the median of the same
weekday's totals around it (:func:`outlier_days`)."""
OUTLIER_Z = 3.29
"""...and farther from it than this many standard deviations of the counting noise (Poisson; the normal's
two-sided 0.1 % point): a quiet queue's days are not flagged for their noise (:func:`outlier_days`)."""
RUN_DAYS = 3
"""Listed days in a row off the same way from which they may be a level change rather than outliers."""
RUN_REFERENCE_WEEKS = 4
"""Weeks before a run of off days whose same weekdays are the level the run is judged against."""


def outlier_days(volume: np.ndarray, ratio: float = OUTLIER_RATIO) -> np.ndarray:
    """bool (days,): listed days whose total is more than ``ratio`` times above or below the median of the same
    weekday's listed totals within four weeks either side (at least two of them) and farther from it than the
    counting noise allows (:data:`OUTLIER_Z`), unless :data:`RUN_DAYS` or more listed days in a row are off the same
    way (a day or two between them not off) and have not come back (:func:`_lasting`): a level change, kept for the
    model's level and its level-shift test (:func:`_level_shift`). A run that came back (a three-day campaign, an
    outage) is outliers, as a single day is: kept, its days had made the weekday shape of the next 30 weeks
    (Wednesday to Friday at three times their level for three days put them 5-7 % above the truth and Monday and
    Tuesday 8 % below six weeks on), with no warning.

    The noise test: on Anscombe's (1948) scale A(x) = 2 √(x + 3/8) a Poisson count has variance about 1 whatever its
    mean, and the median of the n totals in the window about π / 2n (the sample median of a normal), so a day is off
    only when |A(total) - A(median)| > :data:`OUTLIER_Z` · √(1 + π / 2n). The ratio alone flagged a queue of 5
    contacts a day on a count of 8 (1.3 of its Poisson standard deviations): 15 of 60 days of such a queue, 18 at
    2.8 a day, each left out with a warning. A busy queue's days pass the noise test at far smaller ratios, so
    there the ratio decides, as before."""
    n_days = volume.shape[0]
    weeks = -(-n_days // 7)
    totals = np.full(7 * weeks, np.nan)
    totals[:n_days] = np.where(np.isnan(volume[:, 0]), np.nan, np.nansum(volume, axis=1))
    grid = totals.reshape(weeks, 7)
    padded = np.concatenate([np.full((4, 7), np.nan), grid, np.full((4, 7), np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 9, axis=0)  # (weeks, 7, 9)
    enough = (~np.isnan(windows)).sum(axis=2) >= 3  # the day itself and two others: a median of three
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(windows, axis=2)
    # off by the ratio, and by more than the counting noise: on Anscombe's scale 2 sqrt(x + 3/8) a Poisson count has
    # variance 1, the median of n of them about pi / 2n (that of a normal sample's median)
    values = (~np.isnan(windows)).sum(axis=2)
    with np.errstate(invalid="ignore"):
        gap = np.abs(np.sqrt(grid + 0.375) - np.sqrt(median + 0.375)) * 2
    beyond_noise = gap > OUTLIER_Z * np.sqrt(1 + np.pi / (2 * np.maximum(values, 1)))
    high, low = (grid > ratio * median) & beyond_noise, (grid * ratio < median) & beyond_noise
    direction = np.where(enough & (median > 0), high.astype(int) - low.astype(int), 0).reshape(-1)[:n_days]
    # a run of RUN_DAYS or more listed days off in the same direction that lasts is a level change (a campaign that
    # stays, a migration, a seasonal ramp), not outliers: kept in the fit; one that came back is outliers. A run may
    # skip a day or two not off (RUN_DAYS - 1 at most): after a step, a day whose centred window already holds more
    # days of the new level than of the old is not off, and would cut the step into runs judged apart
    listed = ~np.isnan(totals[:n_days])
    rows = np.flatnonzero(listed)
    seq = direction[listed]
    off = np.flatnonzero(seq != 0)  # positions among the listed days
    new_run = np.r_[True, (seq[off][1:] != seq[off][:-1]) | (np.diff(off) > RUN_DAYS - 1)][:off.size]
    bounds = np.flatnonzero(np.r_[new_run, True])  # into off: each run's first off day, and the end
    flag = np.ones(off.size, dtype=bool)
    for b, e in itertools.pairwise(bounds):  # the few runs of off days, not a loop over days
        if e - b >= RUN_DAYS and _lasting(totals[:n_days], rows[off[b:e]], int(seq[off[b]])):
            flag[b:e] = False
    flagged = np.zeros(n_days, dtype=bool)
    flagged[rows[off[flag]]] = True
    return flagged


def _lasting(totals: np.ndarray, run: np.ndarray, sign: int) -> bool:
    """Whether a run of listed days off their weekdays' level the same way (``run``: their rows; ``sign``: 1 above,
    -1 below) is a level change: unless the listed days of the week after its last are back. Each day, of the run and
    after it, is set against its reference, the median of its weekday's listed totals in the
    :data:`RUN_REFERENCE_WEEKS` weeks before the run; a day after it is back when its ratio to that reference is
    nearer 1 than the run's (median) ratio is, on a log scale (below the geometric midpoint of the two levels: 1.3
    after a run at 3, or 0.9 after a run at 0.4); more than half of them back, the run came back. A run with no
    listed day after it (the history's last days), or none with a reference, may be a new level: it is kept."""
    first, last = int(run[0]), int(run[-1])
    after = np.arange(last + 1, min(last + 8, totals.size))
    after = after[~np.isnan(totals[after])]
    if not after.size:
        return True
    days = np.concatenate([run, after])
    back = days[:, None] - 7 * np.arange(1, (days[-1] - first) // 7 + RUN_REFERENCE_WEEKS + 2)[None, :]
    inside = (back >= max(first - 7 * RUN_REFERENCE_WEEKS, 0)) & (back < first)
    before = np.where(inside, totals[np.clip(back, 0, None)], np.nan)
    has = np.asarray((~np.isnan(before)).any(axis=1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        reference = np.nanmedian(np.where(has[:, None], before, 0.0), axis=1)
        ratio = totals[days] / reference  # inf or NaN where the reference is 0: not judged
    judged = has & np.isfinite(ratio) & (reference > 0)
    in_run, later = judged[:run.size], judged[run.size:]
    if not in_run.any() or not later.any():
        return True
    midpoint = math.sqrt(float(np.median(ratio[:run.size][in_run])))  # the levels' geometric midpoint (1 and the run's)
    after_ratio = ratio[run.size:][later]
    came_back = after_ratio < midpoint if sign > 0 else after_ratio > midpoint
    return 2 * int(came_back.sum()) <= after_ratio.size
