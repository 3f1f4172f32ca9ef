"""wfm.forecasting.calendar: business days, month positions, and calendar factors recovered from a synthetic
history whose truth is known."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from wfm.forecasting.calendar import Calendar, business_days, estimate
from wfm.forecasting.model import Params, point_forecast

WEEKDAYS = np.array([True] * 5 + [False] * 2)
TRUE_START = np.array([1.12, 1.08, 1.04, 1.0])  # the month's first three business days busier
TRUE_END = 1.10  # and its last
TRUE_AFTER = 1.25  # and the first business day after a holiday


def _days(first: str, n: int) -> np.ndarray:
    return np.datetime64(first) + np.arange(n).astype("timedelta64[D]")


def test_business_days_count_open_weekdays_and_skip_closed_ones():
    days = _days("2003-08-25", 14)  # Mon 25 Aug .. Sun 7 Sep 2003; Labor Day Mon 1 Sep closed
    closed = days == np.datetime64("2003-09-01")
    cal = business_days(days, WEEKDAYS, closed)
    pos = dict(zip(days.astype(str), cal.position.tolist()))
    assert pos["2003-08-29"] == -1 and pos["2003-08-28"] == -2  # Fri 29 Aug: the month's last business day
    assert pos["2003-08-30"] == 0 and pos["2003-09-01"] == 0  # a weekend day and a holiday are no business days
    assert [pos[f"2003-09-0{d}"] for d in (2, 3, 4, 5)] == [1, 2, 3, 4]  # Tue 2 Sep is the first
    assert cal.after[days == np.datetime64("2003-09-02")].all() and cal.after.sum() == 1


def test_business_days_of_a_24_7_queue_are_calendar_days():
    days = _days("2026-10-28", 8)
    cal = business_days(days, np.ones(7, dtype=bool), np.zeros(8, dtype=bool))
    assert cal.position.tolist() == [-4, -3, -2, -1, 1, 2, 3, 4]


def _history(weeks: int, seed: int, holidays: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(volume (days, 4 slots), true day totals, listed) of a Monday-Friday queue from Mon 2003-03-03 with the
    calendar effects above, Poisson counts; holidays not listed."""
    rng = np.random.default_rng(seed)
    days = _days("2003-03-03", 7 * weeks)
    closed = np.isin(days, np.array(holidays, dtype="datetime64[D]"))
    cal = business_days(days, WEEKDAYS, closed)
    f = np.ones(days.size)
    p = cal.position
    f[(p > 0) & (p <= 4)] = TRUE_START[p[(p > 0) & (p <= 4)] - 1]
    f[p == -1] = TRUE_END
    f[cal.after] *= TRUE_AFTER
    weekday = (days.astype(np.int64) + 3) % 7
    listed = (weekday < 5) & ~closed
    total = np.where(listed, 20000.0 * np.array([1.2, 1.05, 1.0, 0.95, 0.9, 0, 0])[weekday] * f, 0.0)
    profile = np.array([0.2, 0.3, 0.3, 0.2])
    volume = rng.poisson(total[:, None] * profile[None, :]).astype(float)
    volume[~listed] = np.nan
    return volume, total, listed


def test_month_position_factors_are_recovered():
    volume, _total, listed = _history(26, seed=5)
    weeks = volume.shape[0] // 7
    totals = np.nan_to_num(volume).sum(axis=1).reshape(weeks, 7)
    cal = business_days(_days("2003-03-03", 7 * weeks), WEEKDAYS, ~listed & (np.arange(7 * weeks) % 7 < 5))
    f = estimate(totals, listed.reshape(weeks, 7), cal.cells(7 * weeks, (weeks, 7)), 4, 1, keep_t=0.0,
                 min_months=3)
    assert np.allclose(f.start, TRUE_START, atol=0.015)
    assert np.allclose(f.end, [TRUE_END], atol=0.015)
    # shrunk toward 1 by the t statistic, and all 1 on too short a history
    shrunk = estimate(totals, listed.reshape(weeks, 7), cal.cells(7 * weeks, (weeks, 7)), 4, 1, keep_t=5.0,
                      min_months=3)
    assert 1.0 < shrunk.start[0] < f.start[0]
    short = estimate(totals[:8], listed.reshape(weeks, 7)[:8], cal.cells(56, (8, 7)), 4, 1, keep_t=0.5,
                     min_months=3)
    assert np.all(short.start == 1.0) and np.all(short.end == 1.0) and short.after == 1.0


def test_point_forecast_of_a_month_start_week_follows_the_calendar():
    volume, total, _listed = _history(30, seed=11)
    first = np.datetime64("2003-03-03")
    origin = int((np.datetime64("2003-08-25") - first).astype(np.int64))  # the week before 1 Sep (no holiday)
    horizon = 14
    truth = total[origin:origin + horizon]
    with_calendar = point_forecast(volume, volume * 0 + 300, origin, horizon, Params(), first).volume.sum(axis=1)
    without = point_forecast(volume, volume * 0 + 300, origin, horizon,
                             replace(Params(), month_start=0, month_end=0), first).volume.sum(axis=1)
    open_days = truth > 0
    err_with = np.abs(with_calendar - truth)[open_days].sum() / truth.sum()
    err_without = np.abs(without - truth)[open_days].sum() / truth.sum()
    assert err_with < 0.015 < err_without
    assert with_calendar[5:12].sum() > 0  # the weekend stays closed, the weekdays open
    assert np.all(with_calendar[[5, 6, 12, 13]] == 0)


def test_day_after_a_holiday_factor_is_recovered_and_applied():
    holidays = ("2003-05-26", "2003-07-04", "2003-09-01", "2003-04-18", "2003-06-19")
    volume, _total, listed = _history(36, seed=2, holidays=holidays)
    first = np.datetime64("2003-03-03")
    weeks = volume.shape[0] // 7
    days = _days("2003-03-03", 7 * weeks)
    closed = np.isin(days, np.array(holidays, dtype="datetime64[D]"))
    cal = business_days(days, WEEKDAYS, closed)
    totals = np.nan_to_num(volume).sum(axis=1).reshape(weeks, 7)
    f = estimate(totals, listed.reshape(weeks, 7), cal.cells(7 * weeks, (weeks, 7)), 4, 1, keep_t=0.0, min_months=3)
    assert abs(f.after - TRUE_AFTER) < 0.03
    # a forecast knows the holiday only when told: closed marks Mon 13 Oct 2003 (a made-up closure)
    origin = int((np.datetime64("2003-10-06") - first).astype(np.int64))
    shut = np.zeros(origin + 14, dtype=bool)
    shut[:origin] = closed[:origin]
    told = shut.copy()
    told[int((np.datetime64("2003-10-13") - first).astype(np.int64))] = True
    pt_told = point_forecast(volume, volume * 0 + 300, origin, 14, Params(), first, told)
    pt_plain = point_forecast(volume, volume * 0 + 300, origin, 14, Params(), first, shut)
    tuesday = 8  # Tue 14 Oct, the first business day after the closure
    ratio = pt_told.volume[tuesday].sum() / pt_plain.volume[tuesday].sum()
    assert abs(ratio - TRUE_AFTER) < 0.06
    assert np.allclose(pt_told.volume[[9, 10, 11]], pt_plain.volume[[9, 10, 11]])


def test_calendar_off_without_dates():
    volume, _total, _listed = _history(20, seed=3)
    plain = point_forecast(volume, volume * 0 + 300, 98, 7)
    off = point_forecast(volume, volume * 0 + 300, 98, 7, replace(Params(), month_start=0, month_end=0,
                                                                    after_closure=False), np.datetime64("2003-03-03"))
    assert np.allclose(plain.volume, off.volume)
    assert isinstance(business_days(_days("2003-03-03", 0), WEEKDAYS, np.zeros(0, bool)), Calendar)


def test_factors_within_the_noise_are_dropped_and_clear_ones_kept():
    """A queue with no calendar effect but 5 % day-to-day noise: with keep_t = 1 every factor whose mean is within
    one standard error is exactly 1 and none strays past the noise; a 30 % effect on the same noise is kept whole
    to within its shrinkage 1 - 1/t²."""
    rng = np.random.default_rng(3)
    weeks = 26
    days = _days("2003-03-03", 7 * weeks)
    listed = ((days.astype(np.int64) + 3) % 7) < 5
    cal = business_days(days, WEEKDAYS, ~listed)
    noise = np.exp(rng.normal(0.0, 0.05, days.size))
    flat = np.where(listed, 20000.0 * noise, 0.0).reshape(weeks, 7)
    grid = cal.cells(7 * weeks, (weeks, 7))
    f = estimate(flat, listed.reshape(weeks, 7), grid, 4, 1, keep_t=1.0, min_months=3)
    logs = np.log(np.concatenate([f.start, f.end]))
    assert np.all(np.abs(logs) < 0.05) and np.sum(logs == 0.0) >= 1
    raw = estimate(flat, listed.reshape(weeks, 7), grid, 4, 1, keep_t=0.0, min_months=3)
    assert np.all(np.abs(logs) <= np.abs(np.log(np.concatenate([raw.start, raw.end]))) + 1e-12)
    busy = flat * np.where(grid.position == 1, 1.3, 1.0)
    kept = estimate(busy, listed.reshape(weeks, 7), grid, 4, 1, keep_t=1.0, min_months=3)
    assert 1.25 < kept.start[0] < 1.36


def test_shrinkage_is_the_t_statistic_rule():
    from wfm.forecasting.calendar import _shrunk

    # means 0.1 over 4 days and 0.01 over 4 days, noise variance 0.0016: t = 0.1 / 0.02 = 5 and 0.5
    out = _shrunk(np.array([0.4, 0.04, 0.0]), np.array([4, 4, 0]), 0.0016, 1.0)
    assert np.allclose(out, [0.1 * (1 - 1 / 25), 0.0, 0.0])
    assert np.allclose(_shrunk(np.array([0.4]), np.array([4]), 0.0016, 0.0), [0.1])
