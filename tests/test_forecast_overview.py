"""wfm.forecast.overview: what `wfm validate` reports per queue, against the rows it is made of."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from wfm.forecast import forecast_from_records, load_forecast
from wfm.forecast.overview import QueueOverview, overview


def test_each_queue_from_its_rows() -> None:
    rows = [("a", "2026-12-01T08:00:00-05:00", 10, 300), ("a", "2026-12-01T08:30:00-05:00", 30, 100),
            ("a", "2026-12-01T10:00:00-05:00", 0, 0),  # two half hours missing within the day before it
            ("a", "2026-12-02T08:00:00-05:00", 5, 200), ("b", "2026-12-01T09:00:00+00:00", 1, 60)]
    forecast = forecast_from_records([dict(zip(("queue", "interval_start", "volume", "aht"), r)) for r in rows],
                                     interval_minutes=30)
    a, b = overview(forecast)
    assert a == QueueOverview(queue="a", channel=None, first_start="2026-12-01T08:00:00-05:00",
                              last_start="2026-12-02T08:00:00-05:00", intervals=4, missing_intervals=2,
                              interval_minutes=30, days=2, volume=45.0, aht_s=(10 * 300 + 30 * 100 + 5 * 200) / 45,
                              peak_volume=30.0)
    assert (b.first_start, b.intervals, b.missing_intervals, b.aht_s) == ("2026-12-01T09:00:00+00:00", 1, 0, 60.0)


def test_a_queue_without_contacts_has_no_handle_time_and_a_channel_is_kept() -> None:
    forecast = forecast_from_records([{"interval_start": f"2026-12-01T0{h}:00:00Z", "volume": 0, "aht": 0,
                                       "channel": "chat"} for h in (8, 9)])
    (only,) = overview(forecast)
    assert (only.volume, only.aht_s, only.peak_volume, only.channel) == (0.0, 0.0, 0.0, "chat")


def test_the_dst_sample_has_a_day_of_100_intervals_and_two_offsets() -> None:
    (week,) = overview(load_forecast(SAMPLES / "dst_247_week_15min.csv"))
    assert (week.first_start, week.last_start) == ("2026-10-26T00:00:00-04:00", "2026-11-01T23:45:00-05:00")
    assert (week.intervals, week.days, week.missing_intervals) == (96 * 6 + 100, 7, 0)
    assert week.volume == pytest.approx(37_974)
