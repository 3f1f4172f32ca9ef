"""wfm.scheduling.timeline: the local-time timeline of a week, closed hours and DST changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from open_hours import business_week, utc_intervals

from wfm.scheduling.timeline import build_timeline


def test_timeline_of_business_hours_runs_midnight_to_midnight_local() -> None:
    starts, offsets = business_week(8, 22, days=2)
    tl = build_timeline(starts, offsets, 900)
    assert tl.n_days == 2 and tl.n == 2 * 96
    assert tl.open.sum() == starts.size
    first_local = datetime(1970, 1, 1) + timedelta(seconds=int(tl.local_s[0]))
    assert first_local == datetime(2026, 11, 30, 0, 0)
    assert np.all(tl.open[tl.index])
    assert str(tl.dates[1]) == "2026-12-01"


def test_one_utc_offset_is_every_intervals() -> None:
    """wfm.schedule(starts, -21600, 900, required) was a ValueError ("utc_offset_s has 1 values for 36 intervals"),
    where forecast_from_arrays takes one value for all."""
    starts, offsets = business_week(8, 22, days=2)
    assert np.unique(offsets).size == 1
    one, each = build_timeline(starts, int(offsets[0]), 900), build_timeline(starts, offsets, 900)
    assert np.array_equal(one.local_s, each.local_s) and np.array_equal(one.index, each.index)
    with pytest.raises(ValueError, match="utc_offset_s has 2 values for"):
        build_timeline(starts, offsets[:2], 900)


def test_timeline_over_the_fall_back_change_has_a_25_hour_day() -> None:
    zone = ZoneInfo("America/New_York")
    starts, offsets = utc_intervals(datetime(2026, 10, 26, tzinfo=zone), 7 * 96 + 4, 15)
    tl = build_timeline(starts, offsets, 900)
    assert tl.n_days == 7 and tl.n == 676
    assert np.bincount(tl.day).tolist() == [96] * 6 + [100]


def test_rejects_unsorted_or_off_grid_intervals() -> None:
    starts, offsets = business_week(8, 10, days=1)
    with pytest.raises(ValueError, match="strictly increasing"):
        build_timeline(starts[::-1], offsets, 900)
    with pytest.raises(ValueError, match="grid"):
        build_timeline(starts + np.timedelta64(60, "s"), offsets, 900)
