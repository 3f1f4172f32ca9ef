"""Calendar effects on a queue's day totals, numpy only: the days around the turn of the month (a bank's
statements, bills and pay land there) and the first open day after a closed one (a holiday's backlog).

A *business day* is a day on one of the queue's open weekdays that is not closed (a holiday: a day the history
does not list, or a special day marked closed). A day's *month position* counts business days from the month's
first (+1, +2, ...) and back from its last (-1, -2, ...); days further inside the month have none. A business
day whose previous open weekday was closed is *after a closure*.

The effects are multiplicative factors on the day total. Each is estimated from the history as the mean log
ratio of the days concerned to the median of the same weekday one and two weeks either side (a level change
or the weekday shape is not mistaken for a calendar effect), then shrunk toward 1 by the evidence behind it:
its log by max(0, 1 - keep_t² / t²), t = the mean over its standard error, the spread of ordinary days' log
ratios over the square root of the days behind the factor (the positive-part James-Stein rule at keep_t = 1;
the trend's slope is shrunk the same way in :mod:`wfm.forecasting.model`). A factor within the noise is dropped,
a clear one kept nearly whole; with too short a history all are 1.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from wfm.times import weekday


@dataclass(frozen=True)
class Calendar:
    """Per day: ``position`` (int, see :func:`business_days`) and ``after`` (bool: the first business day after
    a closure)."""

    position: np.ndarray
    after: np.ndarray

    def cells(self, n: int, shape: tuple[int, ...]) -> Calendar:
        """The first ``n`` days reshaped to ``shape``."""
        return Calendar(self.position[:n].reshape(shape), self.after[:n].reshape(shape))

    def tail(self, n: int) -> Calendar:
        """The days from the ``n``-th on."""
        return Calendar(self.position[n:], self.after[n:])


def business_days(days: np.ndarray, open_weekday: np.ndarray, closed: np.ndarray) -> Calendar:
    """The month positions and after-closure flags of the datetime64[D] ``days`` (consecutive, ascending).
    ``open_weekday``: bool (7,), Monday first; ``closed``: bool per day (a holiday or a day not listed on an
    open weekday). Days outside ``days`` but in their first and last months count as business days by their
    weekday (the rest of a month at either end is taken as ordinary)."""
    days = np.asarray(days, "datetime64[D]")
    if days.size == 0:
        return Calendar(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool))
    first = days[0].astype("datetime64[M]").astype("datetime64[D]")
    last = (days[-1].astype("datetime64[M]") + 1).astype("datetime64[D]")
    span = first + np.arange((last - first).astype(np.int64)).astype("timedelta64[D]")
    inside = slice(int((days[0] - first).astype(np.int64)), int((days[0] - first).astype(np.int64)) + days.size)
    weekday_open = np.asarray(open_weekday, bool)[weekday(span)]
    shut = np.zeros(span.size, dtype=bool)
    shut[inside] = np.asarray(closed, bool)
    business = weekday_open & ~shut
    month = span.astype("datetime64[M]").astype(np.int64)
    starts_at = np.concatenate([[0], np.flatnonzero(np.diff(month)) + 1])
    run = np.repeat(np.arange(starts_at.size), np.diff(np.concatenate([starts_at, [span.size]])))
    before = np.cumsum(business) - business  # business days before each day, from the span's start
    k_start = before - before[starts_at][run] + 1
    k_end = np.add.reduceat(business.astype(np.int64), starts_at)[run] - k_start + 1
    position = np.where(business, np.where(k_start <= k_end, k_start, -k_end), 0)
    # after a closure: the open weekday before a business day was closed
    open_idx = np.flatnonzero(weekday_open)
    prev_shut = np.zeros(span.size, dtype=bool)
    prev_shut[open_idx[1:]] = shut[open_idx[:-1]]
    return Calendar(position[inside], (business & prev_shut)[inside])


@dataclass(frozen=True)
class Factors:
    """``start[k - 1]``: the factor of the k-th business day of a month; ``end[k - 1]``: of the k-th counted back
    from its last; ``after``: of the first business day after a closure (on top of its position's)."""

    start: np.ndarray
    end: np.ndarray
    after: float

    def of(self, cal: Calendar) -> np.ndarray:
        """The factor of each day of ``cal`` (1 on an ordinary day)."""
        f = np.ones(cal.position.shape)
        p = cal.position
        s = (p > 0) & (p <= self.start.size)
        f[s] = self.start[p[s] - 1]
        e = (p < 0) & (-p <= self.end.size)
        f[e] = self.end[-p[e] - 1]
        return f * np.where(cal.after, self.after, 1.0)


def no_factors(start: int, end: int) -> Factors:
    """All factors 1."""
    return Factors(np.ones(start), np.ones(end), 1.0)


def estimate(totals: np.ndarray, use: np.ndarray, cal: Calendar, start: int, end: int, keep_t: float,
             min_months: int, after: bool = True) -> Factors:
    """The factors of ``start`` positions from a month's start, ``end`` from its end and (when ``after``) of
    the first business day after a closure, from ``totals``: (weeks, 7) daily totals (contacts per day) laid out as consecutive
    days, ``use``: bool (weeks, 7) the days to learn from (listed, not excluded), ``cal``: their
    :class:`Calendar` as (weeks, 7) arrays. All 1 when the used days hold fewer than ``min_months`` first
    business days of a month (too short a history to tell a calendar effect from noise)."""
    none = no_factors(start, end)
    use = use & (totals > 0)
    pos = cal.position
    if start + end == 0 or int((use & (pos == 1)).sum()) < max(min_months, 1):
        return none
    weeks = totals.shape[0]
    logs = np.where(use, np.log(np.where(use, totals, 1.0)), np.nan)
    padded = np.concatenate([np.full((2, 7), np.nan), logs, np.full((2, 7), np.nan)])
    nb = np.stack([padded[k:k + weeks] for k in (0, 1, 3, 4)])  # the same weekday 2, 1 weeks before and after
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        centre = np.nanmedian(nb, axis=0)
    ok = use & ((~np.isnan(nb)).sum(axis=0) >= 2)
    r = np.where(ok, logs - np.nan_to_num(centre), 0.0)  # log ratio to the local same-weekday median
    # month positions, learnt on days not after a closure; columns 0..start-1 from the start, then the end's
    col = np.where(pos > 0, pos - 1, np.where(pos < 0, start - pos - 1, -1))
    sel = ok & ~cal.after & (((pos > 0) & (pos <= start)) | ((pos < 0) & (-pos <= end)))
    ordinary = ok & ~cal.after & ~sel
    noise = _noise_variance(r[ordinary])
    sums = np.bincount(col[sel], weights=r[sel], minlength=start + end)
    coef = _shrunk(sums, np.bincount(col[sel], minlength=start + end), noise, keep_t)
    f = Factors(np.exp(coef[:start]), np.exp(coef[start:]), 1.0)
    if not after:
        return f
    # the day after a closure: its log ratio beyond its month position's, shrunk the same way
    sel = ok & cal.after
    resid = r[sel] - np.log(f.of(Calendar(pos[sel], np.zeros(int(sel.sum()), dtype=bool))))
    coef_after = _shrunk(np.array([resid.sum()]), np.array([resid.size]), noise, keep_t)
    return Factors(f.start, f.end, float(np.exp(coef_after[0])))


def _noise_variance(r: np.ndarray) -> float:
    """The variance of an ordinary day's log ratio to its neighbours, robustly (1.4826 × MAD, squared)."""
    if r.size < 5:
        return np.inf
    mad = 1.4826 * float(np.median(np.abs(r - np.median(r))))
    return mad * mad


def _shrunk(sums: np.ndarray, counts: np.ndarray, noise: float, keep_t: float) -> np.ndarray:
    """The mean log ratio of each factor (``sums / counts``) times max(0, 1 - keep_t² / t²), t = the mean over its
    standard error sqrt(noise / count): kept when the days show it clearly, dropped when it is within their noise
    (the positive-part James-Stein rule at keep_t = 1)."""
    mean = np.divide(sums, counts, out=np.zeros(sums.size), where=counts > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t2 = np.where(counts > 0, mean * mean * counts / noise, 0.0) if noise > 0 else np.where(counts > 0, np.inf, 0.0)
        keep = np.where(t2 > 0, np.maximum(0.0, 1.0 - keep_t * keep_t / t2), 0.0)
    return mean * keep
