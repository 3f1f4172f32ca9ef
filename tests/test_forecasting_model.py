"""wfm.forecasting: the model against a synthetic history whose truth is known."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import BANK_DATA
from forecasting_synth import bank_history, synth
from forecasting_synth import load as _load

from wfm.forecast import forecast_from_records
from wfm.forecasting import grid
from wfm.forecasting.backtest import backtest
from wfm.forecasting.model import dispersion, dispersion_by_week, point_forecast
from wfm.forecasting.outliers import outlier_days
from wfm.forecasting.run import forecast


def test_point_forecast_is_near_the_truth_and_closed_days_stay_closed():
    text, mean, _days, _keep = synth(weeks=9, missing=())
    h = grid.histories(_load(text))[0]
    origin = h.n_days - 5  # forecast the last listed week (Mon-Fri) from the history before it
    pt = point_forecast(h.volume, h.aht, origin, 7)
    assert pt.open.sum(axis=1).tolist() == [48, 48, 48, 48, 48, 0, 0]
    truth = mean[-7:-2].sum(axis=1)
    assert np.allclose(pt.volume.sum(axis=1)[:5], truth, rtol=0.05)
    assert np.allclose(pt.aht[0, 32:80], 300 + 30 * np.sin((np.arange(32, 80) + 0.5) / 4 / 3), atol=3)


def test_forecast_wape_near_the_poisson_floor_and_interval_covers_nominal():
    text, mean, _days, keep = synth(weeks=12, seed=3)
    f = _load(text)
    b = backtest(f, weeks=4)
    r = b.total.record()
    floor = np.sqrt(2 / np.pi) * np.sqrt(mean[keep][-20:]).sum() / mean[keep][-20:].sum()
    assert r["model_wape"] < floor * 1.15
    assert r["model_wape"] < r["seasonal_naive_wape"]
    assert 0.74 <= r["coverage"] <= 0.88


def test_missing_day_is_neither_zero_nor_an_error_and_is_not_listed():
    text, *_ = synth(weeks=8, missing=("2026-10-12", "2026-10-26"))
    result = forecast(_load(text), 7)
    q = result.queues[0]
    local = q.interval_start + q.utc_offset_s.astype("timedelta64[s]")
    weekdays = set(((local.astype("datetime64[D]").astype(np.int64) + 3) % 7).tolist())
    assert weekdays == {0, 1, 2, 3, 4}  # weekend closed, learnt from history
    monday = local.astype("datetime64[D]") == np.datetime64("2026-11-02")
    assert abs(q.volume[monday].sum() - 4000 * 1.2) < 4000 * 1.2 * 0.06  # the missing Mondays did not drag it down


def test_special_days_closed_and_factor():
    text, *_ = synth(weeks=8)
    plain = forecast(_load(text), 7).queues[0]
    special = forecast(_load(text), 7, special_days={__import__("datetime").date(2026, 11, 2): 0.0,
                                                      __import__("datetime").date(2026, 11, 3): 1.5}).queues[0]
    day = lambda q: (q.interval_start + q.utc_offset_s.astype("timedelta64[s]")).astype("datetime64[D]")  # noqa: E731
    assert not (day(special) == np.datetime64("2026-11-02")).any()
    tue = np.datetime64("2026-11-03")
    assert special.volume[day(special) == tue].sum() == pytest.approx(1.5 * plain.volume[day(plain) == tue].sum())


def test_dst_week_has_an_hour_more_on_the_fall_back_day():
    starts, offsets = grid.future_starts(np.datetime64("2026-11-01"), 2, 900, "America/New_York", 0)
    local_day = (starts + offsets.astype("timedelta64[s]")).astype("datetime64[D]")
    assert (local_day == np.datetime64("2026-11-01")).sum() == 100
    assert (local_day == np.datetime64("2026-11-02")).sum() == 96


def test_backtest_flags_outliers_from_the_past_only_and_scores_them():
    """A day at three times its level in an evaluated week: the week's forecast could not have known it, so it
    is scored (its error counts) and named; the later weeks' fits leave it out."""
    import csv
    import io

    text = synth(weeks=8)[0]
    spike = "2026-10-21"  # a Wednesday in the third-last week
    rows = list(csv.DictReader(io.StringIO(text)))
    for r in rows:
        if r["interval_start"].startswith(spike):
            r["volume"] = str(3 * int(r["volume"]))
    result = backtest(forecast_from_records(rows), weeks=3)
    daily = result.daily[0]
    day = np.flatnonzero(daily.days == np.datetime64(spike))[0]
    assert not np.isnan(daily.actual[day])  # scored
    assert daily.actual[day] > 2.5 * daily.forecast["model"][day]  # the forecast made before it did not foresee it
    notes = [n for n in result.warnings if spike in n]
    assert len(notes) == 1 and "left out of the fits after it, scored like any other day" in notes[0]


def _flat_rows(days: np.ndarray, hours_by_weekday: dict[int, tuple[int, int]], per_slot: float,
               queue: str = "q", offset: str = "+00:00") -> list[str]:
    """CSV rows of a flat queue (``per_slot`` contacts every quarter hour of each weekday's open hours)."""
    rows = []
    for day in days:
        wd = int((day.astype(np.int64) + 3) % 7)
        if wd in hours_by_weekday:
            start, end = hours_by_weekday[wd]
            for k in range(start * 4, end * 4):
                rows.append(f"{queue},{day}T{k // 4:02d}:{k % 4 * 15:02d}:00{offset},{per_slot:g},300")
    return rows


def test_a_short_saturday_does_not_tilt_the_long_weekdays_profile():
    """Mon-Fri 08-20 and Sat 09-13, every open quarter hour 100 contacts: each weekday's own profile is flat, and
    the common profile is taken among weekdays open the same hours, so Monday stays flat (the all-weekday mean
    put 109 into Monday's 09-13 and 94 elsewhere)."""
    days = np.datetime64("2026-09-07") + np.arange(35).astype("timedelta64[D]")
    hours = {**{wd: (8, 20) for wd in range(5)}, 5: (9, 13)}
    history = _load("queue,interval_start,volume,aht\n" + "\n".join(_flat_rows(days, hours, 100)) + "\n")
    q = forecast(history, 7).queues[0]
    local = q.interval_start + q.utc_offset_s.astype("timedelta64[s]")
    monday = local.astype("datetime64[D]") == np.datetime64("2026-10-12")
    saturday = local.astype("datetime64[D]") == np.datetime64("2026-10-17")
    assert monday.sum() == 48 and saturday.sum() == 16
    assert np.allclose(q.volume[monday], 100.0, rtol=1e-9) and np.allclose(q.volume[saturday], 100.0, rtol=1e-9)


def test_a_queue_listed_with_no_contacts_is_forecast_open_at_zero():
    """A queue whose listed rows are all 0 (a new line not yet live) stays in the forecast, its listed
    intervals at 0 contacts, rather than vanishing; a listed weekday that is always 0 likewise."""
    days = np.datetime64("2026-09-07") + np.arange(21).astype("timedelta64[D]")
    rows = _flat_rows(days, {wd: (8, 10) for wd in range(5)}, 0, queue="new")
    rows += _flat_rows(days, {**{wd: (8, 10) for wd in range(5)}, 5: (8, 10)}, 0, queue="old")
    busy = _flat_rows(days, {wd: (8, 10) for wd in range(5)}, 50, queue="old")
    rows = [r for r in rows if not r.startswith("old,") or r.split(",")[1][:10] in {
        str(d) for d in days if (d.astype(np.int64) + 3) % 7 == 5}] + busy
    result = forecast(_load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"), 7)
    new, old = {q.queue: q for q in result.queues}["new"], {q.queue: q for q in result.queues}["old"]
    assert new.volume.size == 5 * 8 and np.all(new.volume == 0.0) and np.all(new.aht == 0.0)
    local = old.interval_start + old.utc_offset_s.astype("timedelta64[s]")
    saturday = ((local.astype("datetime64[D]").astype(np.int64) + 3) % 7) == 5
    assert saturday.sum() == 8 and np.all(old.volume[saturday] == 0.0)
    assert np.allclose(old.volume[~saturday], 50.0, rtol=1e-9)  # the zero Saturday does not drag the level


def test_a_history_exported_in_utc_is_slotted_by_the_zone_clock():
    """A Chicago centre open 08-20 local, exported with Z times across the clock change of 1 November: with the
    zone, every day's first slot is 08:00 local, before and after the change."""
    rows = []
    for day in np.datetime64("2026-10-19") + np.arange(21).astype("timedelta64[D]"):
        if (day.astype(np.int64) + 3) % 7 < 5:
            offset = 5 if day < np.datetime64("2026-11-01") else 6  # CDT, then CST
            for k in range(48):
                utc = day.astype("datetime64[s]") + np.timedelta64(8 * 3600 + 900 * k + 3600 * offset, "s")
                rows.append(f"q,{utc}Z,100,300")
    history = _load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    h = grid.histories(history, tz="America/Chicago")[0]
    listed = ~np.isnan(h.volume[:, 0])
    open_slots = {tuple(np.flatnonzero(~np.isnan(h.aht[d])).tolist()) for d in np.flatnonzero(listed)}
    assert open_slots == {tuple(range(32, 80))} and h.last_offset_s == -6 * 3600
    naive = grid.histories(history)[0]  # the file's own offsets (UTC): the hours move with the change
    assert len({tuple(np.flatnonzero(~np.isnan(naive.aht[d])).tolist())
                for d in np.flatnonzero(~np.isnan(naive.volume[:, 0]))}) > 1


def test_a_grid_at_half_past_keeps_its_phase():
    """Hourly intervals at half past (a UTC-hourly export seen from India, or a centre opening at 08:30):
    slotted by their phase, and the future stepped on the same grid."""
    rows = [f"q,{day}T{h:02d}:30:00+05:30,60,300" for day in np.datetime64("2026-09-07") + np.arange(21)
            .astype("timedelta64[D]") for h in range(8, 18)]
    h = grid.histories(_load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"))[0]
    assert h.phase_s == 1800 and np.flatnonzero(~np.isnan(h.aht[0])).tolist() == list(range(8, 18))
    starts, offs = grid.future_starts(np.datetime64("2026-09-28"), 1, 3600, "Asia/Kolkata", 0, h.phase_s)
    local = starts + offs.astype("timedelta64[s]")
    assert str(local[0]) == "2026-09-28T00:30:00" and len(local) == 24


def test_a_weekday_the_centre_stopped_opening_is_closed_and_a_holiday_does_not_close_one():
    """Eight weeks, Saturdays open only in the first three: four weeks without one close Saturdays (the last
    four listed Saturdays are weeks old). A Monday missing in the last weeks (a holiday) keeps Mondays open."""
    days = np.datetime64("2026-09-07") + np.arange(56).astype("timedelta64[D]")
    hours = {**{wd: (8, 12) for wd in range(5)}, 5: (9, 12)}
    rows = [r for r in _flat_rows(days, hours, 40)
            if not (r.split(",")[1][:10] >= "2026-09-28" and (np.datetime64(r.split(",")[1][:10]).astype(np.int64)
                                                                 + 3) % 7 == 5)
            and not r.split(",")[1].startswith("2026-10-26")]
    q = forecast(_load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"), 7).queues[0]
    local = q.interval_start + q.utc_offset_s.astype("timedelta64[s]")
    assert sorted(set(((local.astype("datetime64[D]").astype(np.int64) + 3) % 7).tolist())) == [0, 1, 2, 3, 4]


def test_a_utc_export_forecast_with_the_zone_keeps_the_centre_hours():
    """The Chicago 08-20 centre exported with Z times (four weeks, across the clock change): forecast with the
    zone, every day opens at 08:00 local and closes at 19:45, at its flat level, before and after the change."""
    rows = []
    for day in np.datetime64("2026-10-12") + np.arange(28).astype("timedelta64[D]"):
        if (day.astype(np.int64) + 3) % 7 < 5:
            offset = 5 if day < np.datetime64("2026-11-01") else 6
            rows += [f"q,{day.astype('datetime64[s]') + np.timedelta64((8 + offset) * 3600 + 900 * k, 's')}Z,100,300"
                     for k in range(48)]
    q = forecast(_load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"), 7, tz="America/Chicago").queues[0]
    local = q.interval_start + q.utc_offset_s.astype("timedelta64[s]")
    minutes = ((local - local.astype("datetime64[D]")).astype(np.int64) // 60).reshape(5, 48)
    assert np.all(minutes[:, 0] == 8 * 60) and np.all(minutes[:, -1] == 19 * 60 + 45)
    assert np.allclose(q.volume, 100.0, rtol=1e-9)


def test_a_two_hour_grid_from_nine_is_forecast_on_its_own_grid():
    rows = [f"q,{day}T{h:02d}:00:00+00:00,800,300" for day in np.datetime64("2026-09-07") + np.arange(21)
            .astype("timedelta64[D]") for h in range(9, 21, 2)]
    q = forecast(_load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"), 1).queues[0]
    assert [str(t)[11:16] for t in q.interval_start] == ["09:00", "11:00", "13:00", "15:00", "17:00", "19:00"]
    assert np.allclose(q.volume, 800.0, rtol=1e-9)


def _hours_changed(before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]], weeks_after: int,
                   weeks: int = 10) -> tuple[object, np.ndarray]:
    """A flat queue (the day's 480 contacts spread evenly over its open quarter hours) whose hours change from
    ``before`` to ``after`` ``weeks_after`` weeks before the history ends; (forecast result, local starts)."""
    days = np.datetime64("2026-09-07") + np.arange(7 * weeks).astype("timedelta64[D]")
    change = days[-7 * weeks_after]
    rows = []
    for day in days:
        hours = after if day >= change else before
        wd = int((day.astype(np.int64) + 3) % 7)
        if wd in hours:
            rows += _flat_rows(np.array([day]), hours, 480 / (4 * (hours[wd][1] - hours[wd][0])))
    result = forecast(_load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"), 7)
    q = result.queues[0]
    return result, q.interval_start + q.utc_offset_s.astype("timedelta64[s]")


def test_new_longer_hours_take_their_share_of_the_day_at_once():
    """09-17 then 08-20 from two weeks before the end: the profile is pooled over the days open the new hours, so
    each quarter hour gets 480 / 48 = 10 (pooled over ten weeks, the new evening got 2-3 and midday 14)."""
    result, local = _hours_changed({wd: (9, 17) for wd in range(5)}, {wd: (8, 20) for wd in range(5)}, 2)
    q = result.queues[0]
    monday = local.astype("datetime64[D]") == local.astype("datetime64[D]").min()
    assert monday.sum() == 48 and np.allclose(q.volume[monday], 10.0, rtol=1e-9)


def test_shorter_hours_close_the_dropped_slots_after_two_weeks_but_not_after_one_short_day():
    """08-20 then 09-17: after two weeks the forecast lists 09-17 only and puts the whole day there (it listed
    08-20 for four weeks, a fifth of the day in closed hours, and called the last Friday a partial day). One week
    on the new hours is not yet a change (an early close, an outage): the old hours stay listed."""
    long, short = {wd: (8, 20) for wd in range(5)}, {wd: (9, 17) for wd in range(5)}
    result, local = _hours_changed(long, short, 2)
    q = result.queues[0]
    hours = (local - local.astype("datetime64[D]")).astype("timedelta64[h]").astype(int)
    assert hours.min() == 9 and hours.max() == 16 and q.volume.size == 5 * 32
    assert np.allclose(q.volume, 15.0, rtol=1e-9) and not result.warnings
    result, local = _hours_changed(long, short, 1)
    hours = (local - local.astype("datetime64[D]")).astype("timedelta64[h]").astype(int)
    assert hours.min() == 8 and hours.max() == 19


def test_a_weekday_missing_twice_in_a_row_is_forecast_open_with_a_note():
    """Saturdays given up two weeks ago stay open for four weeks (two holidays in a row on one weekday are no
    closure), and the planner is told how to close them."""
    days = np.datetime64("2026-09-07") + np.arange(70).astype("timedelta64[D]")
    hours = {**{wd: (8, 12) for wd in range(5)}, 5: (9, 12)}
    rows = [r for r in _flat_rows(days, hours, 40)
            if not (r.split(",")[1][:10] >= "2026-10-26" and (np.datetime64(r.split(",")[1][:10]).astype(np.int64)
                                                                 + 3) % 7 == 5)]
    result = forecast(_load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"), 7)
    assert result.warnings == ["<records>: queue 'q': forecast open on Sat as within the last four weeks, though the "
                               "history lists neither of the last two; if the centre no longer opens then, mark those "
                               "dates closed in [forecast.special_days]"]


def test_a_clear_trend_is_carried_over_a_four_week_horizon():
    """+4 % of the first week's level each week for twelve weeks: four weeks ahead the forecast stays within 3 %
    of the truth each week (with a trend damped by half a day it fell 5-10 % behind)."""
    text, mean, days, keep = synth(weeks=16, seed=5, trend=0.04, missing=())
    cut = 7 * 12
    history = _load("\n".join(text.splitlines()[: 1 + int(keep[:cut].sum()) * mean.shape[1]]) + "\n")
    q = forecast(history, 28).queues[0]
    local_day = (q.interval_start + q.utc_offset_s.astype("timedelta64[s]")).astype("datetime64[D]")
    for week in range(4):
        inside = (local_day >= days[cut + 7 * week]) & (local_day < days[cut + 7 * week] + 7)
        truth = mean[cut + 7 * week: cut + 7 * week + 7][keep[cut + 7 * week: cut + 7 * week + 7]].sum()
        assert abs(q.volume[inside].sum() / truth - 1) < 0.03, week


def test_the_clock_a_queue_is_forecast_on_is_said_when_it_may_be_wrong():
    """A summer history with fixed offsets and no zone is forecast an hour off after the autumn change, and a
    second site's queue in a file read with one zone is laid out on that zone's clock: both are said. A UTC export
    read with a zone is what --tz is for: nothing to say."""
    days = np.datetime64("2026-06-01") + np.arange(21).astype("timedelta64[D]")
    hours = {wd: (9, 17) for wd in range(5)}
    london = _flat_rows(days, hours, 10, queue="uk", offset="+01:00")
    new_york = _flat_rows(days, hours, 10, queue="us", offset="-04:00")
    history = _load("queue,interval_start,volume,aht\n" + "\n".join(london + new_york) + "\n")
    assert forecast(history, 7).warnings == [
        f"<records>: queue '{q}': its times carry the UTC offset {o} and no --tz (or [forecast] tz) names the zone: "
        "the forecast keeps that offset on every day; give --tz (such as America/Chicago) if the centre's clock "
        "changes for daylight saving time" for q, o in (("uk", "+01:00"), ("us", "-04:00"))]
    assert forecast(history, 7, tz="Europe/London").warnings == [
        "<records>: queue 'us': 480 intervals carry UTC offsets that are not Europe/London's: the queue is forecast "
        "on Europe/London's clock (a queue in another zone needs its own file and --tz)"]
    utc = _load("queue,interval_start,volume,aht\n" + "\n".join(_flat_rows(days, hours, 10)) + "\n")
    assert forecast(utc, 7, tz="Europe/London").warnings == []
    assert forecast(utc, 7).warnings == []  # UTC days that do not cross midnight: nothing says it is not UTC's clock
    # A centre open 07:00-21:00 in New York, exported in UTC (12:00-02:00 the next day) and read without a zone: its
    # evening fell on the next UTC day and nothing said so (a review found a Saturday of 2 rows in the forecast)
    late = (_flat_rows(days, {wd: (12, 24) for wd in range(5)}, 10)
            + _flat_rows(days, {wd: (0, 2) for wd in range(1, 6)}, 10))
    evening = _load("queue,interval_start,volume,aht\n" + "\n".join(sorted(late, key=lambda r: r.split(",")[1])) + "\n")
    assert forecast(evening, 7).warnings == [
        "<records>: queue 'q': its times are UTC (+00:00) and no --tz (or [forecast] tz) names the zone, and its days "
        "run across midnight UTC (from 12:00 UTC): the forecast lays it out on UTC days and hours; give --tz (such as "
        "America/New_York) to forecast on the centre's clock"]
    assert forecast(evening, 7, tz="America/New_York").warnings == []


@pytest.mark.slow  # forecasts weeks: run by CI, skipped by -m 'not slow'
def test_the_fall_back_hour_does_not_count_double_in_the_weeks_after():
    """A 24/7 queue, 10 contacts every UTC hour, laid out in New York across 1 November: that night's 01:00 holds
    two hours. Averaged into its slot, the Sundays after are forecast 10 at 01:00 (their sum put 11.4 there)."""
    starts = np.datetime64("2026-10-04T04:00") + np.arange(24 * 42 + 1).astype("timedelta64[h]")  # whole local days
    rows = [f"q,{s}:00Z,10,300" for s in starts.astype(str)]
    history = _load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    q = forecast(history, 7, tz="America/New_York").queues[0]
    assert q.volume.size == 24 * 7 and np.allclose(q.volume, 10.0, rtol=1e-9)
    assert np.allclose(q.aht, 300.0, rtol=1e-12)  # the handle time of the averaged hour too (it read 600)


def test_an_export_of_busy_intervals_only_keeps_its_hours():
    """A quiet last quarter hour listed only when it had calls (every other week, and neither of the last two):
    the centre did not close earlier, so it is still forecast (it was cut, and the plan staffed nobody there)."""
    days = np.datetime64("2026-09-07") + np.arange(56).astype("timedelta64[D]")
    rows = [r for r in _flat_rows(days, {wd: (8, 12) for wd in range(5)}, 4)
            if not (r.split(",")[1][11:16] == "11:45"
                    and ((np.datetime64(r.split(",")[1][:10]) - days[0]).astype(int) // 7) % 2 == 1)]
    rows = [r for r in rows if not (r.split(",")[1][11:16] == "11:45" and r.split(",")[1][:10] >= "2026-10-19")]
    q = forecast(_load("queue,interval_start,volume,aht\n" + "\n".join(rows) + "\n"), 7).queues[0]
    local = (q.interval_start + q.utc_offset_s.astype("timedelta64[s]")).astype(str)
    assert sum(t.endswith("11:45:00") for t in local) == 5


def _weekday_history(profiles: np.ndarray, per_day: float, weeks: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(volume, aht) matrices of ``weeks`` Mon-Fri weeks from Monday 2026-09-07 (weekends not listed), each
    weekday's counts Poisson around ``per_day`` × its row of ``profiles`` (5, slots)."""
    rng = np.random.default_rng(seed)
    volume = np.full((7 * weeks, profiles.shape[1]), np.nan)
    for week in range(weeks):
        volume[7 * week:7 * week + 5] = rng.poisson(per_day * profiles)
    return volume, np.where(np.isnan(volume), np.nan, 300.0)


def _double_peak(morning: float, afternoon: float) -> np.ndarray:
    x = (np.arange(48) + 0.5) / 4 + 8  # quarter hours 08:00-20:00
    p = np.exp(-((x - morning) / 1.5) ** 2) + 0.8 * np.exp(-((x - afternoon) / 2.0) ** 2) + 0.2
    return p / p.sum()


@pytest.mark.parametrize("weeks", [1, 2, 6])
def test_weekdays_of_one_shape_share_their_profile(weeks):
    """Five weekdays with one true intraday shape and 1,500 contacts a day: each weekday's own mean of its days
    is noisy, and the profile used pools them (the noise of 5 × as many days); a fixed 30 % blend (the model
    before) left 70 % of each weekday's own noise, and two days alike must not pass for a noiseless shape."""
    true = _double_peak(11, 15)
    own_error, model_error = [], []
    for seed in range(5):
        volume, aht = _weekday_history(np.tile(true, (5, 1)), 1500, weeks + 1, seed)
        origin = 7 * weeks
        pt = point_forecast(volume, aht, origin, 5)
        shares = volume[:origin] / volume[:origin].sum(axis=1, keepdims=True)
        own = np.array([np.nanmean(shares[d::7], axis=0) for d in range(5)])
        model = pt.volume / pt.volume.sum(axis=1, keepdims=True)
        own_error.append(np.abs(own - true).sum())
        model_error.append(np.abs(model - true).sum())
    assert sum(model_error) < 0.5 * sum(own_error)  # perfect pooling: 1 / √5 = 0.45


def test_a_weekday_with_its_own_shape_keeps_it():
    """Monday peaks at 09:00, Tuesday to Friday at 11:00 and 15:00; with 20,000 contacts a day the difference is
    far beyond the noise, so Monday's forecast keeps its own shape (a fixed 30 % blend toward the weekdays' mean
    moved it a quarter of the way to theirs)."""
    monday, others = _double_peak(9, 14), _double_peak(11, 15)
    volume, aht = _weekday_history(np.vstack([monday, np.tile(others, (4, 1))]), 20000, 7, 1)
    pt = point_forecast(volume, aht, 7 * 6, 5)
    forecast_monday = pt.volume[0] / pt.volume[0].sum()
    assert np.abs(forecast_monday - monday).sum() < 0.05 * np.abs(others - monday).sum()


def _hours(profile_24h: np.ndarray, start: int, end: int) -> np.ndarray:
    """A 24-hour quarter-hour profile cut to [start, end) o'clock, the callers of the hours cut moving to the first
    and last hour left (the new hours' shape is not the old one cut off), renormalised."""
    p = profile_24h.copy()
    cut_morning, cut_evening = p[: 4 * start].sum(), p[4 * end:].sum()
    p[: 4 * start] = 0.0
    p[4 * end:] = 0.0
    p[4 * start:4 * start + 4] += cut_morning / 4
    p[4 * end - 4:4 * end] += cut_evening / 4
    return p / p.sum()


def test_after_the_hours_shrink_the_longer_days_before_do_not_shape_the_new_ones():
    """Mon-Fri 08-20 for 24 weeks, then 09-17 for ten (the edge hours' callers call at the new edges): Monday's
    forecast shape is the new one. Pooling every day that covered the new hours (the longer ones too) kept the
    old shape for months: 16:00-17:00 forecast 26 % short."""
    x = (np.arange(96) + 0.5) / 4
    wide = np.where((x >= 8) & (x < 20), np.exp(-((x - 11) / 2) ** 2) + 0.8 * np.exp(-((x - 15) / 2.5) ** 2) + 0.2,
                    0.0)
    wide /= wide.sum()
    narrow = _hours(wide, 9, 17)
    rng = np.random.default_rng(0)
    weeks = 34
    volume = np.full((7 * weeks, 96), np.nan)
    aht = np.full((7 * weeks, 96), np.nan)  # a listed day's slots without a row: volume 0, handle time NaN
    for week in range(weeks):
        new_hours = week >= 24
        volume[7 * week:7 * week + 5] = rng.poisson(2000 * (narrow if new_hours else wide), size=(5, 96))
        aht[7 * week:7 * week + 5, 36:68] = 300.0
        if not new_hours:
            aht[7 * week:7 * week + 5, 32:80] = 300.0
    pt = point_forecast(volume, aht, 7 * weeks, 5)
    monday = pt.volume[0] / pt.volume[0].sum()
    assert np.abs(monday - narrow).sum() < 0.05
    assert pt.volume[0, 64:68].sum() == pytest.approx(2000 * narrow[64:68].sum(), rel=0.06)


def test_a_saturday_whose_hours_doubled_is_forecast_at_its_new_size():
    """Saturday 09-13 for 22 weeks, then 09-17 with twice the contacts for eight: its day total is the new one
    (averaging 30 weeks of Saturdays of either length forecast 768 of 1,200)."""
    weekday, weeks = _double_peak(11, 15), 30
    volume = np.full((7 * weeks, 48), np.nan)
    rng = np.random.default_rng(2)
    for week in range(weeks):
        volume[7 * week:7 * week + 5] = rng.poisson(2000 * weekday, size=(5, 48))
        short = week < 22
        saturday = np.zeros(48)
        saturday[4:20 if short else 36] = 1.0
        volume[7 * week + 5] = rng.poisson((600 if short else 1200) * saturday / saturday.sum())
    aht = np.where(volume > 0, 300.0, np.nan)  # a row where there were contacts
    pt = point_forecast(volume, aht, 7 * weeks, 7)
    assert pt.volume[5].sum() == pytest.approx(1200, rel=0.04)


def test_a_quiet_queue_pools_its_weekdays_and_days_without_contacts_do_not_count():
    """Five weekdays of one shape at 0.7 contacts a day (half the days have none): each weekday's own shape is a
    handful of contacts, so the profile is near the pooled one (error 0.58 against the pooled counts' 0.50);
    counting the empty days as days of evidence kept each weekday's spikes (0.90)."""
    true = _double_peak(11, 15)
    pooled_error, model_error = 0.0, 0.0
    for seed in range(10):
        volume, aht = _weekday_history(np.tile(true, (5, 1)), 0.7, 30, seed)
        aht = np.full_like(volume, 300.0)  # every row listed, most with 0 contacts
        aht[np.isnan(volume)] = np.nan
        pt = point_forecast(volume, aht, 7 * 30, 5)
        counts = np.nansum(volume[: 7 * 30], axis=0)
        pooled_error += np.abs(counts / counts.sum() - true).sum()
        model = pt.volume[:5] / pt.volume[:5].sum(axis=1, keepdims=True)
        model_error += np.abs(model - true).sum(axis=1).mean()
    assert model_error < 1.25 * pooled_error


def test_a_weekday_with_one_contact_in_its_history_is_not_forecast_into_one_interval():
    """Two weeks of a queue taking about three contacts a day; Monday's only listed day had one contact, at 10:00:
    next Monday's forecast is spread over the open hours, not all of it at 10:00 (a one-hot profile has no
    Poisson variance of its own, so the floor is taken from the weekdays' common shape)."""
    rng = np.random.default_rng(5)
    volume = rng.poisson(3 * _double_peak(11, 15), size=(14, 48)).astype(float)
    volume[5:7] = np.nan
    volume[12:14] = np.nan
    volume[0] = np.nan  # the first Monday a holiday
    volume[7] = 0.0
    volume[7, 8] = 1.0
    aht = np.where(np.isnan(volume), np.nan, 300.0)
    pt = point_forecast(volume, aht, 14, 1)
    assert pt.volume[0].sum() > 0
    assert pt.volume[0].max() < 0.5 * pt.volume[0].sum()


def test_new_longer_hours_of_a_queue_closed_over_lunch_take_their_share_at_once() -> None:
    """Mon-Fri 09-16 closed 12-13 for 26 weeks, then 09-18 for four: the new 16-18 hours are a quarter of the open
    slots and of the forecast day. Judging a day's hours by its span (lunch included) found no day "open the same
    hours", pooled the 26 short weeks too and forecast 16-18 at 5.6 % of the day."""
    weeks_before, weeks_after = 26, 4
    days = 7 * (weeks_before + weeks_after)
    volume, aht = np.full((days, 96), np.nan), np.full((days, 96), np.nan)
    for d in range(days):
        if d % 7 >= 5:
            continue  # the weekend not listed
        close = 16 if d < 7 * weeks_before else 18
        open_slots = [s for s in range(36, 4 * close) if not 48 <= s < 52]
        volume[d] = 0.0
        volume[d, open_slots] = 10.0
        aht[d, open_slots] = 300.0
    monday = point_forecast(volume, aht, days, 7).volume[0]
    assert monday[64:72].sum() / monday.sum() == pytest.approx(0.25, abs=1e-9)


@pytest.mark.parametrize("slots_added", [4, 1])
def test_an_hour_more_in_the_evening_takes_its_share_at_once(slots_added: int) -> None:
    """Mon-Fri 07:00-21:00 for 20 weeks, then open to 22:00 (or 21:15) for three: a day before the change spans 56 of
    the 60 slots open now, over the 0.9 that made it "the same hours", so the 20 short weeks put 0 into the new
    hour's share, and 150 calls a quarter hour were forecast at 27 (the bank's calls, a review found)."""
    weeks_before, weeks_after = 20, 3
    days = 7 * (weeks_before + weeks_after)
    volume, aht = np.full((days, 96), np.nan), np.full((days, 96), np.nan)
    for d in range(days):
        if d % 7 >= 5:
            continue
        close = 84 if d < 7 * weeks_before else 84 + slots_added
        volume[d] = 0.0  # listed (a day's matrix row), its closed slots without a handle time
        volume[d, 28:close] = 150.0
        aht[d, 28:close] = 300.0
    monday = point_forecast(volume, aht, days, 7).volume[0]
    assert np.allclose(monday[84:84 + slots_added], 150.0, rtol=0.02)
    assert monday[28:84 + slots_added] == pytest.approx(np.full(56 + slots_added, monday[28]), rel=1e-9)


def test_a_full_grid_export_is_forecast_as_the_open_hours_alone() -> None:
    """Mon-Fri 08-18 and Sat 09-13 in quarter hours, exported either as the open intervals alone or as every
    interval of the day with 0 in closed hours (the usual ACD export): the same forecast. The full grid made every
    weekday look open around the clock, blended Saturday with the weekdays and forecast Saturday contacts at 08:00
    and after 13:00, which it never had."""
    rng = np.random.default_rng(3)
    weeks, slots = 12, 96
    days = 7 * weeks
    hours = np.zeros((7, slots), dtype=bool)
    hours[:5, 32:72] = True
    hours[5, 36:52] = True
    mean = np.where(hours, 12.0, 0.0)[np.arange(days) % 7]
    counts = rng.poisson(mean).astype(float)
    sunday = (np.arange(days) % 7 == 6)[:, None]
    sparse = np.where(sunday, np.nan, counts)  # (matrices: a listed day's rows not listed are 0 with no AHT)
    sparse_aht = np.where(mean > 0, 300.0, np.nan)
    grid = counts  # every slot of every day listed, Sundays too (all 0)
    grid_aht = np.where(counts > 0, 300.0, 0.0)
    a, b = point_forecast(sparse, sparse_aht, days, 7), point_forecast(grid, grid_aht, days, 7)
    np.testing.assert_allclose(b.volume, a.volume, rtol=1e-12)
    assert np.array_equal(b.open, a.open) and not np.any(b.volume[~hours]) and not b.open[6].any()


def test_a_full_grid_of_a_24_7_queue_keeps_its_quiet_night_open() -> None:
    """Days of 30 contacts a quarter hour, nights of 0.15: many night slots have no contact for four weeks running,
    yet the queue is open around the clock (a first reading of full grids closed 116 of its 672 intervals)."""
    rng = np.random.default_rng(8)
    days, slots = 7 * 8, 96
    mean = np.where((np.arange(slots) >= 32) & (np.arange(slots) < 80), 30.0, 0.15)[None, :].repeat(days, axis=0)
    counts = rng.poisson(mean).astype(float)
    pt = point_forecast(counts, np.where(counts > 0, 300.0, 0.0), days, 7)
    assert pt.open.all()


def test_the_library_names_its_parameters_not_the_commands_flags():
    """backtest and forecast named wfm backtest's and wfm forecast's flags (--weeks, --lead, --horizon,
    --interval-level, --fallback) when called from Python."""
    from wfm.errors import ConfigError

    history = _load(synth(weeks=8)[0])
    for call, message in [
        (lambda: backtest(history, weeks=0), r"^weeks: expected a positive number of weeks, got 0$"),
        (lambda: backtest(history, lead_days=3), r"^lead_days: expected at least a week \(7 days\), got 3 days$"),
        (lambda: backtest(history, level=1.5), r"^level: expected a fraction above 0 and at most 0.999, got 1.5$"),
        (lambda: forecast(history, 0), r"^horizon_days: expected a positive number of days, got 0$"),
        (lambda: forecast(history, 7, level=0.0), r"^level: expected a fraction above 0 and at most 0.999"),
        (lambda: forecast(history, 7, fallback="naive"), r"^fallback: expected None or 'baseline', got 'naive'$"),
    ]:
        with pytest.raises(ConfigError, match=message):
            call()


def _weekly_walk(weeks: int, step: float, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """(days, 96) volume and handle time of a Mon-Fri 08-20 queue whose weekly level wanders as a random walk (log
    steps of sd ``step``), Poisson counts: the further ahead, the further the level may have gone."""
    rng = np.random.default_rng(seed)
    level = 40.0 * np.exp(np.cumsum(rng.normal(0.0, step, weeks)))
    volume, aht = np.full((7 * weeks, 96), np.nan), np.full((7 * weeks, 96), np.nan)
    for d in range(7 * weeks):
        if d % 7 < 5:
            volume[d] = 0.0
            volume[d, 32:80] = rng.poisson(level[d // 7], 48)
            aht[d, 32:80] = 300.0
    return volume, aht


def test_the_interval_widens_with_the_lead_as_the_errors_do() -> None:
    """One-week-ahead errors set every week's width, so an 80 % interval ten weeks ahead covered 69 % of the bank's
    actuals. Each week's c now grows with its lead as the errors do, whatever the horizon asked for."""
    volume, aht = _weekly_walk(30, 0.08)
    c = dispersion_by_week(volume, aht, 7 * 30, 7 * 8)  # from Monday, the history ending on Friday
    end = 7 * 30 - 2  # the day after the history's last listed day: the errors are those of the weeks before it
    assert c.shape == (8,) and c[0] == dispersion(volume, aht, end)
    assert np.all(np.diff(c) > 0) and c[-1] > 2 * c[0] > 0  # the wandering level: wider further ahead
    assert dispersion_by_week(volume, aht, 7 * 30, 7 * 3).tolist() == c[:3].tolist()  # a week's c: any horizon
    assert dispersion_by_week(volume, aht, end, 7 * 8).tolist() == c.tolist()  # --start Saturday or Monday: alike
    steady, aht = _weekly_walk(30, 0.0)
    assert np.all(dispersion_by_week(steady, aht, 7 * 30, 7 * 8) < 0.01)  # Poisson counts: no width to add
    short = dispersion_by_week(volume[:21], aht[:21], 21, 7 * 8)  # no fit of 14 days a week ahead: week 1's
    assert short.tolist() == [dispersion(volume[:21], aht[:21], 19)] * 8


@pytest.mark.slow  # backtests 16 weeks on the bank's history: run by CI, skipped by -m 'not slow'
def test_ten_weeks_ahead_the_80_percent_interval_still_covers_about_80_percent() -> None:
    if not BANK_DATA.exists():
        pytest.skip(f"{BANK_DATA} is not available")
    history = bank_history(BANK_DATA)
    far = backtest(history, weeks=16, lead_days=70, level=0.8).total.record()["coverage"]
    assert 0.75 <= far <= 0.92  # it was 0.686 with one-week-ahead widths


def test_a_lasting_drop_is_a_new_level_not_a_trend_to_carry_on() -> None:
    """Volume down 40 % for good two weeks before the forecast (calls moved to chat, say): a line through the step has
    a clear slope, which the trend kept and carried, so weeks later the forecast still fell, 15-26 % below the new
    level on the bank's calls (a review). The level since the step, without a trend through it, is the new level."""
    weeks = 14
    volume, aht = _weekly_walk(weeks, 0.0)
    volume[7 * (weeks - 2):] = np.round(volume[7 * (weeks - 2):] * 0.6)  # two weeks at the new level
    pt = point_forecast(volume, aht, 7 * weeks, 7 * 6)
    new_day = 0.6 * 40.0 * 48
    week_totals = pt.volume.reshape(6, 7, -1).sum(axis=(1, 2)) / 5
    assert np.allclose(week_totals, new_day, rtol=0.03), week_totals / new_day
    steady_trend, aht = _weekly_walk(weeks, 0.0)
    steady_trend *= (1 + 0.03 * np.arange(7 * weeks) / 7)[:, None]  # +3 % a week: a line, no step
    grown = point_forecast(steady_trend, aht, 7 * weeks, 7 * 2).volume.reshape(2, 7, -1).sum(axis=(1, 2))
    assert grown[1] > grown[0] * 1.015  # the trend is still carried


@pytest.mark.parametrize("factor", [0.7, 0.8, 1.2, 1.3])
def test_one_unusual_week_is_no_new_level(factor: float) -> None:
    """A last week 20-30 % off (the days between Christmas and New Year, a campaign), under the outlier ratio: a
    level shift after five days made it the level of the whole four-week forecast (a review: x0.7 forecast 30 %
    below). It moves the forecast no more than the line through it did before there were level shifts."""
    weeks = 12
    volume, aht = _weekly_walk(weeks, 0.0)
    base = point_forecast(volume, aht, 7 * weeks, 28).volume.sum()
    volume[7 * (weeks - 1):] = np.round(volume[7 * (weeks - 1):] * factor)
    moved = point_forecast(volume, aht, 7 * weeks, 28).volume.sum() / base
    assert abs(moved - 1) < 0.6 * abs(factor - 1), moved



def _scaled(text: str, days: dict[str, float]) -> str:
    """The synthetic history's CSV with each listed date's volumes scaled by its factor."""
    lines = text.splitlines()
    out = [lines[0]]
    for row in lines[1:]:
        q, s, v, a = row.split(",")
        out.append(f"{q},{s},{round(int(v) * days.get(s[:10], 1.0))},{a}")
    return "\n".join(out) + "\n"


def test_a_three_day_spike_that_came_back_is_outliers_not_a_level_change() -> None:
    """Wednesday to Friday at three times their level, then back (a tester's report): the run of three was kept as a
    level change, and its days made the weekday shape of the next 30 weeks, six weeks on Monday and Tuesday 8 % below
    the truth and Wednesday to Friday 5-7 % above, unflagged. A run that came back is outliers, flagged and left out;
    one still going at the history's end may be a new level and is kept."""
    text, _mean, days, _keep = synth(weeks=12, missing=())
    spike = {"2026-10-14": 3.0, "2026-10-15": 3.0, "2026-10-16": 3.0}
    result = forecast(_load(_scaled(text, spike)), 7)
    assert [n.split(": ")[2][:10] for n in result.warnings if "outlier" in n] == sorted(spike)
    q = result.queues[0]
    local = (q.interval_start + q.utc_offset_s.astype("timedelta64[s]")).astype("datetime64[D]")
    forecast_days = days[-1] + 1 + np.arange(5).astype("timedelta64[D]")  # Monday to Friday after the history
    totals = np.array([q.volume[local == d].sum() for d in forecast_days])
    truth = 4000.0 * np.array([1.2, 1.05, 1.0, 0.95, 0.9])  # the synthetic history's true day means
    assert np.allclose(totals, truth, rtol=0.03), totals / truth - 1
    volume = grid.histories(_load(_scaled(text, spike)))[0].volume
    assert outlier_days(volume).sum() == 3
    end = {str(d): 3.0 for d in days[-5:-2]}  # the same three days, the history's last: perhaps a new level
    assert not outlier_days(grid.histories(_load(_scaled(text, end)))[0].volume).any()
    lasting = {str(d): 1.8 for d in days[-17:]}  # a step lasting two weeks and more: a level change, not outliers
    assert not outlier_days(grid.histories(_load(_scaled(text, lasting)))[0].volume).any()


def test_a_silent_week_followed_by_the_usual_level_is_outliers_not_a_drop() -> None:
    """A week listed with no contacts in the middle of the history (an export that lost it), then the usual level: its
    days are outliers, each named and left out, and the forecast is the truth's; the warning of a run of silent days
    (which says the forecast takes them as a drop) is for a run still going at the history's end."""
    text, _mean, days, _keep = synth(weeks=12, missing=())
    lost = {str(d): 0.0 for d in days[35:40]}  # Monday to Friday of the sixth week
    result = forecast(_load(_scaled(text, lost)), 7)
    assert sum("outlier" in n for n in result.warnings) == 5 and not any("no contacts" in n for n in result.warnings)
    q = result.queues[0]
    truth = 4000.0 * (1.2 + 1.05 + 1.0 + 0.95 + 0.9)
    assert abs(q.volume.sum() / truth - 1) < 0.03


@pytest.mark.parametrize("where", ["middle", "end"])
def test_days_kept_off_their_level_do_not_shape_the_weekdays(where: str) -> None:
    """Days off their level that are not left out: a surge under the outlier ratio in the middle of the history
    (Wednesday to Friday at 1.5 times, two weeks running), or a spike at its end (three times: perhaps a new level).
    The weekday shape was a plain mean of each weekday's totals, so those weekdays came out high and the others low
    for 30 weeks: up to 5-6 % and 8-9 % off the truth (seeds 1-8); the robust two-way fit leaves them to their week's
    level and its weights (within 1.6 %)."""
    text, _mean, days, _keep = synth(weeks=12, missing=())
    chosen = np.r_[days[38:41], days[45:48]] if where == "middle" else days[-5:-2]  # Wednesday to Friday
    history = _load(_scaled(text, {str(d): 1.5 if where == "middle" else 3.0 for d in chosen}))
    h = grid.histories(history)[0]
    assert not outlier_days(h.volume).any()  # kept in the fit
    day = point_forecast(h.volume, h.aht, h.n_days, 7).volume.sum(axis=1)[2:]  # from Saturday: Monday to Friday
    shape = day / day.sum() * 5
    truth = np.array([1.2, 1.05, 1.0, 0.95, 0.9]) / 1.02
    assert np.allclose(shape, truth, rtol=0.025), shape / truth - 1


def test_a_lasting_step_in_handle_time_is_followed_and_said() -> None:
    """Handle time 30 % longer for the history's last three weeks (a new system, say): the forecast pooled ten weeks
    of it, so it said 327 s where the queue now takes 390 s (a tester's report), with no word. The daily handle time
    goes through the volume's level-shift test; after a step the weekday-slot pattern is scaled to the level since,
    and a warning names the step. A history without one is forecast as before, and the backtest reports the model's
    handle-time error after the volume's figures."""
    text, _mean, days, _keep = synth(weeks=12, missing=())
    step = str(days[-21])  # a Monday, three weeks before the history's end
    lines = text.splitlines()
    rows = [lines[0]] + [f"{q},{s},{v},{float(a) * (1.3 if s[:10] >= step else 1.0):.1f}"
                         for q, s, v, a in (r.split(",") for r in lines[1:])]
    result = forecast(_load("\n".join(rows) + "\n"), 7)
    q = result.queues[0]
    slot = ((q.interval_start - q.interval_start.astype("datetime64[D]")).astype(np.int64) // 900).astype(float)
    truth = 1.3 * (300 + 30 * np.sin((slot + 0.5) / 4 / 3))  # synth's handle time per quarter hour, 30 % longer
    assert np.allclose(q.aht, truth, rtol=0.005), (q.aht / truth).min()
    (note,) = [n for n in result.warnings if "handle time" in n]
    assert f"on {step} and has stayed there" in note
    plain = forecast(_load(text), 7)
    assert not [n for n in plain.warnings if "handle time" in n]
    assert np.allclose(plain.queues[0].aht, truth / 1.3, rtol=0.005)
    record = backtest(_load(text), weeks=2).total.record()
    assert list(record)[-3:] == ["coverage", "aht_wape", "aht_bias"] and record["aht_wape"] < 0.001


def test_a_trending_queues_interval_is_not_too_wide_a_month_ahead() -> None:
    """A queue growing 2 % a week (synthetic, Poisson about a known mean): the damped trend leaves part of the growth
    uncarried, a bias that grows with the lead, so the 13-week errors are large; the weeks between had their c on the
    line from week 1's to week 13's, and four weeks ahead the 80 % interval covered 89 % (a tester saw 94.6 %). c is
    now measured at 2, 4 and 8 weeks too."""
    text = synth(weeks=26, trend=0.02, missing=(), seed=1)[0]
    coverage = backtest(_load(text), weeks=4, lead_days=28).total.record()["coverage"]
    assert 0.75 <= coverage <= 0.86, coverage


def test_the_interval_widths_by_lead_are_the_isotonic_regression_of_those_measured() -> None:
    """The max-min formula (numpy, no scipy.optimize import) against scipy's pool-adjacent-violators."""
    from scipy.optimize import isotonic_regression

    from wfm.forecasting.model import _increasing

    rng = np.random.default_rng(7)
    for n in range(1, 8):
        for _ in range(50):
            y = rng.normal(size=n)
            assert np.allclose(_increasing(y), isotonic_regression(y).x, rtol=0, atol=1e-12)
    assert _increasing(np.array([3.0, 1.0, 2.0, 5.0, 4.0])).tolist() == [2.0, 2.0, 2.0, 4.5, 4.5]


def test_a_quiet_queues_days_of_no_contacts_are_no_step_in_its_level() -> None:
    """0.3 contacts a day: most days 0, so the spread about the levels is 0 and any difference passed the step test
    once days without noise could step (meant for a handle time exported as a fixed figure): 9 of 400 such series
    had a step near their first week. Volume needs spread; handle time without any steps at a difference."""
    from wfm.forecasting.model import _level_shift

    rng = np.random.default_rng(3)
    t = np.arange(-70, 0).astype(float)
    assert not any(_level_shift(t, rng.poisson(0.3, 70).astype(float)) is not None for _ in range(400))
    fixed = np.r_[np.full(55, 300.0), np.full(15, 390.0)]  # a handle time exported as a whole figure, then a step
    assert _level_shift(t, fixed, noiseless=True) == -15.0 and _level_shift(t, fixed) is None
