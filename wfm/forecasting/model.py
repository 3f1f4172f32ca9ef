"""The forecast model on a queue's day × slot matrix (see :mod:`wfm.forecasting.grid`), numpy only.

The contact-centre structure: a day's total = weekly level (with a damped trend) × the weekday's share of the week
(a robust two-way fit, :func:`_weekday_shape`) × its calendar factor (the business days around the turn of the
month, the first business day after a holiday: :mod:`wfm.forecasting.calendar`; the level and shares are fitted on
calendar-adjusted totals); each interval = the day's total × the weekday's intraday profile (the weighted mean of
its days' shares of the day, shrunk toward the other weekdays' as far as their differences are noise); handle time
per interval = the volume-weighted mean of the same weekday-slot over its last weeks, at the level since a lasting
step in it. Beside it, always, two baselines: seasonal naive (the same weekday a week earlier, or the last one
listed) and the mean of the last four listed same weekdays. Days not listed (NaN rows) and days excluded by the
caller (special days, outliers) take no part in any estimate. A weekday-slot is open when one of the last four
listed same weekdays had volume in it; a weekday none of whose slots is open is closed.

The prediction interval is negative binomial around the forecast, Var = μ + c μ², with ``c`` estimated here
(:func:`dispersion`) by the method of moments from the model's own errors on the last weeks of the history, each
week of a longer horizon from errors about that far ahead (:func:`dispersion_by_week`; Poisson when they show no
overdispersion); its ends are in :mod:`wfm.forecasting.prediction_interval`. Which slots and days are open, and
which past days were open the hours their weekday is now, is :mod:`wfm.forecasting.open_hours`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wfm import exact
from wfm.forecasting import open_hours
from wfm.forecasting.handle_time import AhtStep, aht_step, pooled_aht
from wfm.times import weekday


@dataclass(frozen=True)
class Params:
    """The model's settings: the defaults were chosen on the bank backtest's 16 weeks before its last four
    (benchmarks/bench_forecast_backtest.py prints both windows; the last four weeks are out of sample)."""

    dow_weeks: int = 30
    """Weeks whose same-weekday totals give the day-of-week shape."""
    level_weeks: int = 10
    """Weeks of deseasonalised daily totals the level and trend are fitted on."""
    halflife_days: float = 14.0
    """Half-life of the weights of those days (the latest counts most)."""
    damping: float = 0.98
    """Daily damping of the trend (0: no trend; 1: a straight line). The bank backtest is indifferent to it
    (0.5-0.98 within 0.01 point at leads of one to four weeks: trend_t keeps its slopes near 0); a clear trend
    is carried, fading over weeks, as a synthetic trend with known truth needs (at 0.5 it stopped after a day)."""
    huber: float = 1.0
    """Huber's tuning constant (in robust standard deviations) for the level's reweighting."""
    trend_t: float = 4.0
    """The trend's slope is shrunk by max(0, 1 - (trend_t / t)²), t its t statistic: kept when clear."""
    profile_weeks: int = 30
    """Listed same weekdays whose shares of the day make the intraday profile."""
    profile_halflife_weeks: float = 15.0
    """Half-life of those days' weights in the profile (the latest weeks count most; each day's shares weigh the
    same whatever its total, so a busy day does not impose its shape)."""
    aht_weeks: int = 10
    """Listed same weekdays pooled for the handle time (volume-weighted)."""
    dispersion_weeks: int = 3
    """One-week-ahead backtests on the history's last weeks that estimate the overdispersion."""
    month_start: int = 4
    """Business days from each month's first with their own day-total factor (:mod:`wfm.forecasting.calendar`;
    0 and ``month_end`` 0: no calendar factors)."""
    month_end: int = 1
    """Business days back from each month's last with their own factor."""
    calendar_t: float = 0.5
    """Each calendar factor's log is shrunk by max(0, 1 - (calendar_t / t)²), t its t statistic against the
    noise of ordinary days (as the trend's slope): kept when clear, dropped when within the noise."""
    calendar_min_months: int = 3
    """First business days of a month the history must hold before any calendar factor is estimated."""
    after_closure: bool = True
    """Whether the first business day after a closed one (a holiday) has its own factor."""


@dataclass(frozen=True)
class Point:
    """A forecast of ``horizon`` days × slots from an origin day (arrays of shape (horizon, slots))."""

    volume: np.ndarray
    aht: np.ndarray
    open: np.ndarray
    naive: np.ndarray
    mean4: np.ndarray
    aht_step: AhtStep | None = None
    """A lasting step in the handle time that the forecast's handle time follows
    (:func:`wfm.forecasting.handle_time.aht_step`), or None."""


def _by_week(matrix: np.ndarray, origin: int) -> np.ndarray:
    """Rows ``[0, origin)`` as (weeks, 7, ...) with the last row's last column the day before ``origin``;
    the front is padded with NaN days. Column j is one weekday: that of day ``origin + j`` (mod 7)."""
    weeks = -(-origin // 7)
    pad = 7 * weeks - origin
    out = np.full((7 * weeks, *matrix.shape[1:]), np.nan)
    out[pad:] = matrix[:origin]
    return out.reshape(weeks, 7, *matrix.shape[1:])


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), 0.0)


def _robust_line(t: np.ndarray, y: np.ndarray, w: np.ndarray, c: float, t_keep: float) -> tuple[float, float]:
    """(value at t = 0, slope) of a Huber-weighted least-squares line through (t, y) with prior weights ``w``
    (a few reweighting passes, residual scale by the MAD); the slope is shrunk by ``max(0, 1 - t_keep² / t²)``
    (t its t statistic) about the weighted centre. With fewer than seven points: the robust mean, no slope."""
    if w.sum() <= 0:
        return 0.0, 0.0
    fit_slope = t.size >= 7 and float(np.ptp(t)) > 0
    rw = w.copy()
    tm = ym = slope = scale = 0.0
    for _ in range(6):
        sw = rw.sum()
        tm, ym = float((rw * t).sum() / sw), float((rw * y).sum() / sw)
        stt = float((rw * (t - tm) ** 2).sum())
        slope = float((rw * (t - tm) * (y - ym)).sum() / stt) if fit_slope and stt > 1e-12 else 0.0
        resid = y - ym - slope * (t - tm)
        scale = 1.4826 * float(np.median(np.abs(resid)))
        if scale <= 1e-9 * max(abs(ym), 1.0):
            break
        z = np.abs(resid) / scale
        rw = w * np.where(z > c, c / np.maximum(z, 1e-12), 1.0)
    if slope != 0.0 and scale > 0:
        stt = float((rw * (t - tm) ** 2).sum())
        var = scale * scale * float((rw * rw * (t - tm) ** 2).sum()) / (stt * stt)
        t2 = slope * slope / var if var > 0 else np.inf
        slope *= max(0.0, 1.0 - t_keep * t_keep / t2)
    return ym - slope * tm, slope


SHIFT_BEFORE = 5
"""Days before a level shift, at least: a week of business days."""
SHIFT_AFTER = 10
"""Days after it, at least: two weeks of business days (one unusual week, the quiet days between Christmas and New
Year, a campaign, is no new level; it had set the level of a four-week forecast, 30 % below)."""
SHIFT_FIT = 0.6
"""A step is a level shift when it leaves at most this share of the line's absolute residuals..."""
SHIFT_SIZE = 4.0
"""...and the step is at least this many robust standard deviations of the days about it."""
SHIFT_TREND_DAYS = 20
"""Days since a level shift (four weeks of business days) before a trend is fitted to them again."""


def _level_shift(t: np.ndarray, y: np.ndarray, noiseless: bool = False) -> float | None:
    """The first day (``t``, days from the origin) after a lasting step in the deseasonalised daily totals ``y``, or
    None. A line through a step (volume down 40 % for good) has a clear slope, which the trend kept and carried on:
    six weeks later the forecast was still falling, 15-26 % below the new level. A step is found when two levels,
    split where they fit best (medians; at least :data:`SHIFT_BEFORE` days before and :data:`SHIFT_AFTER` after),
    leave at most :data:`SHIFT_FIT` of the absolute residuals a line does (a steady trend, which a line fits, is no
    step), and the levels are :data:`SHIFT_SIZE` robust standard deviations apart (noise is no step either). With
    ``noiseless`` (handle time), days without noise (a handle time exported as a fixed figure) step when their
    levels differ at all; not for volume, whose days of a quiet queue are mostly 0 with no spread about them. One
    matrix of candidate splits, no loop: the backtests fit hundreds of forecasts."""
    n = t.size
    if n < SHIFT_BEFORE + SHIFT_AFTER:
        return None
    order = np.argsort(t, kind="stable")
    t, y = t[order], y[order]
    k = np.arange(SHIFT_BEFORE, n - SHIFT_AFTER + 1)[:, None]  # each split: the first day after it
    at = np.arange(n)[None, :]
    left = np.where(at < k, y[None, :], np.nan)
    right = np.where(at >= k, y[None, :], np.nan)
    before, after = _row_medians(left, k[:, 0]), _row_medians(right, n - k[:, 0])
    fits = np.nansum(np.abs(left - before[:, None]), axis=1) + np.nansum(np.abs(right - after[:, None]), axis=1)
    best = int(np.argmin(fits))
    tc, yc = t - t.mean(), y - y.mean()
    slope = float((tc * yc).sum() / (tc * tc).sum()) if float((tc * tc).sum()) > 0 else 0.0
    line = float(np.abs(yc - slope * tc).sum())
    split = int(k[best, 0])
    resid = np.concatenate([y[:split] - before[best], y[split:] - after[best]])
    scale = 1.4826 * float(np.median(np.abs(resid)))
    step = abs(after[best] - before[best])
    if fits[best] <= SHIFT_FIT * line and step >= SHIFT_SIZE * scale and (
            scale > 0 or (noiseless and step > 1e-9 * max(abs(before[best]), 1e-12))):
        return float(t[split])
    return None


def _row_medians(rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The median of each row's ``counts`` numbers, the rest NaN (sorted last): 0.1 ms where nanmedian took 2."""
    ordered = np.sort(rows, axis=1)
    at = np.arange(rows.shape[0])
    return (ordered[at, (counts - 1) // 2] + ordered[at, counts // 2]) / 2


def point_forecast(volume: np.ndarray, aht: np.ndarray, origin: int, horizon: int,
                   params: Params = Params(), first_day: np.datetime64 | None = None,
                   closed: np.ndarray | None = None) -> Point:
    """The model and both baselines for days ``origin .. origin + horizon - 1`` from rows before ``origin``
    of the (days, slots) matrices (NaN rows: not listed or excluded). ``first_day`` (datetime64[D], the date
    of row 0) enables the calendar factors; without it they are all 1. ``closed``: bool per row from row 0,
    the days the centre was or will be closed (holidays: not listed in the history, or special days closed;
    default: the rows NaN before ``origin``), which do not count as business days."""
    x = _by_week(volume, origin)  # (W, 7, S)
    a = _by_week(aht, origin)
    weeks = x.shape[0]
    listed = ~np.isnan(x[:, :, 0])  # (W, 7)
    xz = np.nan_to_num(x)
    totals = xz.sum(axis=2)  # (W, 7), 0 where not listed

    last4 = open_hours.last_listed(listed, open_hours.LOOKBACK_OPEN)
    # open: a row listed for the slot on one of the last four same weekdays (0 calls included: a quiet slot of a
    # small queue is open); histories that list only busy slots fall back to "had calls"
    present = open_hours.rows_open(~np.isnan(a) | (xz > 0), xz, listed, last4)
    spans = open_hours.day_spans(present, listed)
    open_slot = (present & last4[:, :, None]).any(axis=0) & ~open_hours.hours_given_up(present, listed, spans)  # (7, S)
    last1 = open_hours.last_listed(listed, 1)
    naive = (xz * last1[:, :, None]).sum(axis=0)
    mean4 = _safe_div((xz * last4[:, :, None]).sum(axis=0), last4.sum(axis=0)[:, None] * np.ones_like(naive))

    # day-of-week shape: each weekday's factor in a robust two-way fit (week level × weekday) of the listed totals of
    # the last dow_weeks weeks (the days open the hours the weekday is forecast open: a Saturday whose hours doubled
    # is not averaged with its short days); their plain mean tells which weekdays are busy
    same_hours = open_hours.same_hours(listed, present, spans, open_slot)
    window = (open_hours.last_days(same_hours, listed, params.dow_weeks)
              & (np.arange(weeks)[:, None] >= weeks - params.dow_weeks))
    day_mean = _safe_div((totals * window).sum(axis=0), window.sum(axis=0).astype(float))
    open_day = open_slot.any(axis=1) & open_hours.listed_lately(listed)  # listed: forecast, even at 0 contacts
    busy = open_day & (day_mean > 0)  # with contacts: the level, the shape and the common profile
    h = np.arange(horizon)
    cal_hist, cal_future = _calendar(totals, listed, busy, origin, horizon, params, first_day, closed)
    totals = _safe_div(totals, cal_hist)  # calendar-adjusted: the level and shape of an ordinary day
    shape = _weekday_shape(totals, window, busy)

    # level and trend: robust (Huber) weighted least squares on deseasonalised daily totals of the last
    # level_weeks weeks; the slope is shrunk toward 0 by its own t statistic (kept when clearly there, dropped
    # when the week-to-week swings are noise that reverts)
    t = (np.arange(weeks)[:, None] * 7 + np.arange(7)[None, :] - 7 * weeks).astype(float)  # day - origin
    y = _safe_div(totals, np.broadcast_to(shape, totals.shape))
    use = listed & busy[None, :] & (t >= -7 * params.level_weeks)
    shift = _level_shift(t[use], y[use])
    trend_t = params.trend_t
    if shift is not None:  # a lasting step (a channel moved, an IVR deflecting calls): the level since it, no trend
        use &= t >= shift  # through it, nor one of the days since until they are SHIFT_TREND_DAYS (a slope of ten
        if use.sum() < SHIFT_TREND_DAYS:  # days of noise, kept at t 4, carried the new level down 6 % in six weeks)
            trend_t = math.inf
    base_w = np.where(use, 0.5 ** ((-t - 1) / params.halflife_days), 0.0)
    level, slope = _robust_line(t[use], y[use], base_w[use], params.huber, trend_t)
    phi = params.damping
    damped = h.astype(float) if phi >= 1 else phi * (1 - phi ** h) / (1 - phi) if phi > 0 else np.zeros(horizon)
    day_total = np.maximum(level + slope * damped, 0.0) * shape[h % 7]  # (H,)
    day_total = day_total * cal_future

    # intraday profile per weekday: the weighted mean of the shares of the day of the last profile_weeks listed
    # same weekdays that were open (nearly) the hours the forecast is, so that new opening hours are not diluted by
    # weeks before them; the weights halve every profile_halflife_weeks back
    edges = open_hours.same_edges(same_hours, listed, spans, open_slot)
    pool = open_hours.last_days(edges, listed, params.profile_weeks)
    age = (weeks - 1 - np.arange(weeks)).astype(float)[:, None]
    share_weight = (pool * 0.5 ** (age / params.profile_halflife_weeks))[:, :, None]
    contacts = (xz * open_slot).sum(axis=2)  # (W, 7), in the open slots
    shares = _safe_div(xz * open_slot, contacts[:, :, None])  # (W, 7, S)
    mean_share = (shares * share_weight).sum(axis=0)  # (7, S)
    profile = _safe_div(mean_share, mean_share.sum(axis=1, keepdims=True))
    if busy.any():  # toward the mean profile of the weekdays open the same hours, as far as the data allow
        profile = _shrunk_profile(profile, shares, contacts, share_weight, open_slot, busy)
    # handle time: volume-weighted over the last aht_weeks of those same weekdays; after a lasting step in it, the
    # days before the step scaled to the level since
    aht_pool = open_hours.last_days(same_hours, listed, params.aht_weeks)
    handle = np.nan_to_num(a) * aht_pool[:, :, None]
    aht_slot = pooled_aht(xz * aht_pool[:, :, None], handle)
    step = aht_step(xz, handle, aht_pool, aht_slot, t)
    lasting = None
    if step is not None:
        scale, lasting = step
        aht_slot = pooled_aht(xz * aht_pool[:, :, None], handle * scale[:, :, None])

    col = h % 7
    is_open = open_slot[col] & open_day[col][:, None]
    return Point(volume=np.where(is_open, day_total[:, None] * profile[col], 0.0),
                 aht=np.where(is_open, aht_slot[col], 0.0), open=is_open,
                 naive=np.where(is_open, naive[col], 0.0), mean4=np.where(is_open, mean4[col], 0.0),
                 aht_step=lasting)


SHAPE_HUBER = 1.345
"""Huber's tuning constant (in robust standard deviations of the relative residuals) of the weekday shape's fit: the
usual one, 95 % efficient at normal errors (Holland & Welsch 1977). On the bank's backtest WAPE 5.80 % tuning and
5.95 % test window, against 5.80 % and 5.96 % for the plain mean; 2 and 3 gave 5.80 % and 5.97 % on both."""


def _weekday_shape(totals: np.ndarray, window: np.ndarray, busy: np.ndarray) -> np.ndarray:
    """(7,): each weekday's share of the week, mean 1 over the ``busy`` weekdays (0 on the others), from the
    (weeks, 7) day totals in ``window``: the two-way multiplicative fit total[w, d] ≈ L_w · s_d (week level × weekday
    factor), by alternating weighted ratio estimates (L_w = Σ_d u·total / Σ_d u·s_d, s_d = Σ_w u·total / Σ_w u·L_w)
    with Huber weights u on the relative residuals, their scale the MAD (Huber 1964; the robust two-way table of
    Mosteller & Tukey 1977, ch. 9). A plain mean of each weekday's
    totals let one unusual week shape the next 30: three days at three times their level, kept, put those weekdays
    5-7 % high and the others 8 % low; here such a week's level absorbs what its days share, and what one weekday
    alone does is down-weighted. The week levels also take out the drift between weeks, so weekdays missing in
    different weeks (holidays) are compared at the same level. Starts from the plain means; the weights are 1 when
    the residuals have no spread (a flat history: the plain shape)."""
    cells = window & busy[None, :]
    plain = _safe_div((totals * window).sum(axis=0), window.sum(axis=0).astype(float))
    if not busy.any():
        return np.zeros(7)
    s = np.where(busy, plain, 0.0)
    s = s / s[busy].mean()
    u = cells.astype(float)
    for _ in range(8):  # a few passes over a (weeks, 7) table, not a loop over days
        level = _safe_div((u * totals).sum(axis=1), (u * s[None, :]).sum(axis=1))  # (W,)
        fit = level[:, None] * s[None, :]
        resid = _safe_div(totals - fit, fit)
        scale = 1.4826 * float(np.median(np.abs(resid[cells]))) if cells.any() else 0.0
        if scale <= 1e-9:
            break
        z = np.abs(resid) / scale
        u = cells * np.where(z > SHAPE_HUBER, SHAPE_HUBER / np.maximum(z, 1e-12), 1.0)
        s = np.where(busy, _safe_div((u * totals).sum(axis=0), (u * level[:, None]).sum(axis=0)), 0.0)
        s = s / s[busy].mean()
    return s


def _shrunk_profile(profile: np.ndarray, shares: np.ndarray, contacts: np.ndarray, weight: np.ndarray,
                    open_slot: np.ndarray, busy: np.ndarray) -> np.ndarray:
    """(7, S): each weekday's profile blended toward the mean profile of the k weekdays open the same hours
    (:func:`_partners`, itself included) by the empirical Bayes (James-Stein) weight B = σ² / (σ² + τ²) (Efron &
    Morris 1975, "Data analysis using Stein's estimator and its generalizations", JASA 70(350)), averaged over the
    open slots: σ² the sampling variance of the weekday's weighted mean shares; τ² the squared distance from its
    profile to the common one less the part of it that is noise, σ²(1 - 2/k) + Σ σⱼ² / k² over the group (0 when
    within it). σ² is the days' weighted variance about the mean over n - 1, n = (Σw)² / Σw² the effective
    number of days with contacts, and never below the Poisson variance of shares, Σ w² p (1 - p) / T over (Σw)²
    (T a day's contacts, p the common profile's shares): one day, two alike, or a day of one contact, do not pass
    for a noiseless shape. Weekdays whose shapes differ keep their own; weekdays that differ only by noise share
    one. ``shares``: each day's shares of its open slots, (weeks, 7, S); ``contacts``: each day's contacts in
    them, (weeks, 7); ``weight``: each day's weight in ``profile``, (weeks, 7, 1)."""
    w = weight[:, :, 0] * (contacts > 0)  # a day without contacts has no shares to average
    total_weight = w.sum(axis=0)  # (7,)
    days = _safe_div(total_weight ** 2, (w * w).sum(axis=0))
    n_open = np.maximum(open_slot.sum(axis=1), 1)
    spread = (w[:, :, None] * (shares - profile[None]) ** 2).sum(axis=0) * open_slot  # (7, S)
    between_days = _safe_div(spread.sum(axis=1) / n_open, total_weight * np.maximum(days - 1, 0.0))
    group = _partners(open_slot, busy).astype(float)  # (7, 7)
    k = group.sum(axis=1)
    common = _safe_div(exact.matmul(group, profile), k[:, None])
    p = _safe_div(common * open_slot, (common * open_slot).sum(axis=1, keepdims=True))
    binomial = (p * (1 - p) * open_slot).sum(axis=1) / n_open  # p (1 - p), slot mean
    poisson = _safe_div(binomial * _safe_div(w * w, contacts).sum(axis=0), total_weight ** 2)
    sampling = np.maximum(between_days, poisson)  # σ², (7,)
    noise = sampling * (1 - _safe_div(np.full(7, 2.0), k)) + _safe_div(exact.matvec(group, sampling), k * k)
    excess = ((profile - common) ** 2 * open_slot).sum(axis=1) / n_open - noise  # τ²
    toward = _safe_div(sampling, sampling + np.maximum(excess, 0.0))[:, None]
    blended = ((1 - toward) * profile + toward * common) * open_slot
    return _safe_div(blended, blended.sum(axis=1, keepdims=True))


def _partners(open_slot: np.ndarray, busy: np.ndarray) -> np.ndarray:
    """bool (7, 7): the busy weekdays open (nearly) the same slots as each busy weekday, itself included: their
    open slots overlap by at least ``open_hours.SAME_HOURS`` of the slots either has open (Jaccard). A short Saturday's
    profile, concentrated in its few hours, is not blended into the long weekdays', nor theirs into it."""
    slots = open_slot.astype(float)
    both = exact.matmul(slots, slots.T)
    either = slots.sum(axis=1)[:, None] + slots.sum(axis=1)[None, :] - both
    return np.asarray((_safe_div(both, either) >= open_hours.SAME_HOURS) & busy[None, :] & busy[:, None])


def _calendar(totals: np.ndarray, listed: np.ndarray, open_day: np.ndarray, origin: int, horizon: int,
              params: Params, first_day: np.datetime64 | None,
              closed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The calendar factors of the history's days, (weeks, 7) as :func:`_by_week` lays them out, and of the
    horizon's, (horizon,); all 1 without ``first_day`` or with no calendar effect in ``params``."""
    weeks = totals.shape[0]
    if first_day is None or params.month_start + params.month_end == 0 or not open_day.any():
        return np.ones((weeks, 7)), np.ones(horizon)
    from wfm.forecasting.calendar import business_days, estimate

    n = 7 * weeks + horizon
    day0 = np.asarray(first_day, "datetime64[D]") + np.timedelta64(origin - 7 * weeks, "D")  # the date of cell (0, 0)
    days = day0 + np.arange(n).astype("timedelta64[D]")
    weekday_open = np.zeros(7, dtype=bool)
    weekday_open[weekday(days[:7])] = open_day  # open_day is by column; columns by weekday
    if closed is not None:  # the caller's: the days the history did not list, and special days closed
        rows = np.arange(n) + origin - 7 * weeks
        inside = (rows >= 0) & (rows < len(closed))
        shut = np.where(inside, np.asarray(closed, bool)[np.clip(rows, 0, max(len(closed) - 1, 0))], False)
    else:
        shut = np.zeros(n, dtype=bool)
        shut[:7 * weeks] = ~listed.reshape(-1)
    cal = business_days(days, weekday_open, shut)
    hist = cal.cells(7 * weeks, (weeks, 7))
    f = estimate(totals, listed & open_day[None, :], hist, params.month_start, params.month_end,
                 params.calendar_t, params.calendar_min_months, params.after_closure)
    return f.of(hist), f.of(cal.tail(7 * weeks))


def dispersion(volume: np.ndarray, aht: np.ndarray, origin: int, params: Params = Params(),
               first_day: np.datetime64 | None = None, closed: np.ndarray | None = None,
               lead_weeks: int = 1) -> float:
    """``c`` of Var = μ + c μ² from ``lead_weeks``-week-ahead forecasts of the history's last
    ``params.dispersion_weeks`` weeks (each made ``lead_weeks`` weeks before the week, from the history before
    it). Weeks too early to be forecast so far ahead are left out: one week ahead, with fewer than 7 days before;
    further ahead, with fewer than :data:`FIT_DAYS`, the least history the model forecasts from."""
    excess, scale = 0.0, 0.0
    ahead = 7 * (lead_weeks - 1)
    for back in range(1, params.dispersion_weeks + 1):  # a few whole-week fits, not a loop over intervals
        start = origin - 7 * back
        if start - ahead < (7 if lead_weeks == 1 else FIT_DAYS):
            break
        pt = point_forecast(volume, aht, start - ahead, ahead + 7, params, first_day, closed)
        actual = volume[start:start + 7]
        predicted, is_open = pt.volume[ahead:], pt.open[ahead:]
        ok = is_open & ~np.isnan(actual) & (predicted > 0)
        mu, r = predicted[ok], actual[ok] - predicted[ok]
        excess += float((r * r - mu).sum())
        scale += float((mu * mu).sum())
    return max(excess / scale, 0.0) if scale > 0 else 0.0


FIT_DAYS = 14
"""Days of history the model forecasts from, at least (``wfm forecast`` takes a baseline with fewer)."""
FAR_WEEKS = 13
"""The longest lead whose errors are measured for the interval: a quarter; weeks further ahead take its width."""
LEAD_WEEKS = (2, 4, 8)
"""The leads (weeks) between 1 and :data:`FAR_WEEKS` whose errors are measured too (:func:`dispersion_by_week`)."""


def dispersion_by_week(volume: np.ndarray, aht: np.ndarray, origin: int, horizon_days: int,
                       params: Params = Params(), first_day: np.datetime64 | None = None,
                       closed: np.ndarray | None = None) -> np.ndarray:
    """``c`` for each week of a horizon of ``horizon_days`` (float, one per week, the last perhaps partial): the
    forecast's error grows with the lead (the level drifts), so one-week-ahead errors alone made the far weeks'
    intervals too narrow (an 80 % interval covered 69 % ten weeks ahead on the bank's history). ``c`` is measured one
    week ahead and at the leads of :data:`LEAD_WEEKS` and L = :data:`FAR_WEEKS` (or as far as the history allows:
    fits from :data:`FIT_DAYS` days), each from the errors that far ahead (:func:`dispersion`); made non-decreasing in the lead
    by isotonic regression (:func:`_increasing`; a few weeks of errors are noisy) and never below week 1's; the weeks
    between on the lines joining them, the weeks beyond L at L's. One line from week 1 straight to week 13 had assumed
    the variance grows in proportion to the lead, as a random walk's does; a trend the damping leaves partly
    uncarried adds a bias growing with the lead, faster than that in ``c``, so the 13th week's errors made the 4th
    week's interval far too wide (a queue growing 2 % a week: 80 % intervals covered 89 % four weeks ahead and 95 %
    eight; now 81 % and 81 %; the bank's last 16 weeks 84.8 % and 87.3 %, now 81.6 % and 87.0 %). Every lead is
    measured whatever the horizon, so a week's ``c`` does not depend on the horizon asked for and ``wfm backtest
    --lead`` checks the width a longer forecast gives that week. The errors are those of the weeks before the
    history's last listed day, wherever the forecast starts after it: a Monday start after a closed weekend measures
    the weeks a Saturday start does, and a start after a gap no empty weeks."""
    weeks = max(-(-horizon_days // 7), 1)
    listed = np.flatnonzero(~np.isnan(volume[:max(origin, 0), 0]))
    end = int(listed[-1]) + 1 if listed.size else origin
    first = dispersion(volume, aht, end, params, first_day, closed)
    far = min(FAR_WEEKS, (end - FIT_DAYS) // 7)  # the longest lead with a week's errors from FIT_DAYS days' fits
    if weeks == 1 or far <= 1:
        return np.full(weeks, first)
    ladder = sorted({lead for lead in (*LEAD_WEEKS, far) if 1 < lead <= far})
    measured = np.array([dispersion(volume, aht, end, params, first_day, closed, lead_weeks=lead) for lead in ladder])
    c = np.maximum(_increasing(measured), first)
    return np.interp(np.arange(1, weeks + 1, dtype=float), np.array([1, *ladder], dtype=float), np.r_[first, c])


def _increasing(y: np.ndarray) -> np.ndarray:
    """The non-decreasing sequence nearest ``y`` in least squares (isotonic regression), by the max-min formula:
    value i = max over j <= i of min over k >= i of mean(y[j..k]) (Barlow, Bartholomew, Bremner & Brunk 1972,
    Statistical Inference under Order Restrictions, thm. 1.4): a handful of leads, one matrix of segment means.
    Not scipy.optimize.isotonic_regression: importing scipy.optimize took 0.22 s of a 0.56 s `wfm forecast`."""
    n = y.size
    sums = np.r_[0.0, np.cumsum(y)]
    j, i, k = np.ix_(np.arange(n), np.arange(n), np.arange(n))  # segment start, position, segment end
    with np.errstate(invalid="ignore", divide="ignore"):  # k < j: no segment (masked below)
        means = (sums[k + 1] - sums[j]) / (k - j + 1)  # mean(y[j..k]), (n, 1, n)
    lowest = np.where((k >= i) & (j <= i), means, np.inf).min(axis=2)  # (j, i): min over k >= i
    return np.where(j[:, :, 0] <= i[:, :, 0], lowest, -np.inf).max(axis=0)
