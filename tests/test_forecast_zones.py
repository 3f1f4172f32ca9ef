"""wfm.forecast.zones: wall-clock times in an IANA zone, in every year the loader accepts (to 2199).

The reference is Python's zoneinfo, which continues a zone's daylight-saving rule past the transitions its file
lists; pyarrow's database stops at 2037 and kept standard time all year from 2038 on.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.errors import InputError
from wfm.forecast import load_forecast
from wfm.forecast.zones import offset_at, utc_offsets
from wfm.forecasting.grid import offsets as grid_offsets
from wfm.times import EPOCH

ZONES = ("America/Chicago", "Europe/London", "Australia/Sydney", "America/Santiago", "Asia/Kolkata")


def _zoneinfo_offset(utc_s: int, tz: str) -> int:
    return int(datetime.fromtimestamp(utc_s, ZoneInfo(tz)).utcoffset().total_seconds())  # type: ignore[union-attr]


def _write(tmp_path, rows: list[tuple[str, str]], name: str = "f.csv"):
    path = tmp_path / name
    path.write_text("queue,interval_start,volume,aht\n" + "".join(f"{q},{t},10,180\n" for q, t in rows))
    return path


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("year", [1971, 2037, 2038, 2199])
def test_utc_offsets_are_zoneinfos_in_a_year_either_side_of_2038(year: int, tz: str) -> None:
    """pyarrow's zone database stops at 2037; a year from each side of it, and the loader's first and last."""
    _check_utc_offsets(int(datetime(year, 1, 1).timestamp()), tz)


@pytest.mark.slow  # 60 examples of a year: run by CI, skipped by -m 'not slow'
@settings(max_examples=60, deadline=None)
@given(st.integers(int(datetime(1971, 1, 1).timestamp()), int(datetime(2199, 12, 1).timestamp())),
       st.sampled_from(ZONES))
def test_utc_offsets_are_zoneinfos_in_every_year(utc_s: int, tz: str) -> None:
    _check_utc_offsets(utc_s, tz)


def _check_utc_offsets(utc_s: int, tz: str) -> None:
    """Offsets over a year and more from ``utc_s``, 8 h apart, as zoneinfo gives them."""
    instants = utc_s + np.arange(0, 400 * 86_400, 86_400 // 3, dtype=np.int64)[:1200]  # a year and more, 8 h apart
    instants = instants[instants < int(datetime(2200, 1, 1).timestamp())]
    expected = [_zoneinfo_offset(s, tz) for s in instants.tolist()]
    assert utc_offsets(instants, tz).tolist() == expected
    assert grid_offsets(instants.astype("datetime64[s]"), tz, 0).tolist() == expected  # wfm forecast's grid
    assert offset_at(int(instants[0]), tz) == expected[0]


def test_2040_summer_is_daylight_time(tmp_path) -> None:
    """A naive 2040-07-01T08:00 in America/Chicago is 13:00 UTC (-05:00); it was placed at -06:00."""
    path = _write(tmp_path, [("a", "2040-07-01T08:00"), ("b", "2040-01-15T08:00"), ("c", "2100-07-01T08:00"),
                             ("d", "2036-07-01T08:00")])
    forecast = load_forecast(path, tz="America/Chicago", interval_minutes=15)
    assert [forecast.queue_names[q] for q in forecast.queue] == ["a", "b", "c", "d"]
    assert (forecast.utc_offset_s // 3600).tolist() == [-5, -6, -5, -5]
    assert str(forecast.interval_start[0]) == "2040-07-01T13:00:00"


def test_a_2040_time_the_clocks_skip_is_refused_and_a_repeated_one_is_read_in_order(tmp_path) -> None:
    skipped = _write(tmp_path, [("a", "2040-03-11T01:45"), ("a", "2040-03-11T02:30")])  # clocks go 02:00 -> 03:00
    with pytest.raises(InputError, match=r"row 3, column 'interval_start': .*exists in America/Chicago \(clocks skip"):
        load_forecast(skipped, tz="America/Chicago", interval_minutes=15)
    repeated = _write(tmp_path, [("a", "2040-11-04T01:30"), ("a", "2040-11-04T01:45"), ("a", "2040-11-04T01:30"),
                                 ("a", "2040-11-04T01:45")], "r.csv")  # 02:00 CDT -> 01:00 CST: 01:xx twice
    forecast = load_forecast(repeated, tz="America/Chicago", interval_minutes=15)
    assert (forecast.utc_offset_s // 3600).tolist() == [-5, -5, -6, -6]
    assert [str(t)[11:16] for t in forecast.interval_start] == ["06:30", "06:45", "07:30", "07:45"]  # UTC


@pytest.mark.slow  # 40 examples, each a file loaded: run by CI, skipped by -m 'not slow'
@settings(max_examples=40, deadline=None)
@given(st.datetimes(min_value=datetime(2030, 1, 1), max_value=datetime(2199, 12, 31)).map(
    lambda d: d.replace(minute=d.minute // 15 * 15, second=0, microsecond=0)), st.sampled_from(ZONES))
def test_naive_times_are_placed_as_zoneinfo_places_them(tmp_path_factory, clock: datetime, tz: str) -> None:
    zone = ZoneInfo(tz)
    utc = clock.replace(tzinfo=zone).timestamp()  # the earlier reading of a repeated time (fold 0)
    exists = datetime.fromtimestamp(utc, zone).replace(tzinfo=None) == clock
    path = _write(tmp_path_factory.mktemp("z"), [("a", clock.isoformat(timespec="minutes"))])
    if not exists:
        with pytest.raises(InputError, match="clocks skip this time"):
            load_forecast(path, tz=tz, interval_minutes=15)
        return
    forecast = load_forecast(path, tz=tz, interval_minutes=15)
    assert int(forecast.interval_start[0].astype(np.int64)) == int(utc)
    assert EPOCH + timedelta(seconds=int(forecast.interval_start[0].astype(np.int64) + forecast.utc_offset_s[0])) == clock


def test_a_2040_file_with_the_zones_own_offsets_is_not_warned_of(tmp_path) -> None:
    path = _write(tmp_path, [("a", "2040-07-01T08:00:00-05:00"), ("a", "2040-12-03T08:00:00-06:00")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_forecast(path, tz="America/Chicago", interval_minutes=15).warnings == ()
    off = _write(tmp_path, [("a", "2040-07-01T08:00:00-06:00")], "off.csv")
    with pytest.warns(UserWarning, match="carries the UTC offset -06:00, not America/Chicago's -05:00"):
        load_forecast(off, tz="America/Chicago", interval_minutes=15)


def test_a_skipped_time_is_named_also_when_the_file_holds_a_repeated_one(tmp_path) -> None:
    """A year of naive times holds both DST changes: the skipped 02:00 is the error (the repeated 01:00 made the
    search for it raise pyarrow's own ArrowInvalid: an internal error, exit 70)."""
    path = _write(tmp_path, [("a", "2026-03-08T02:00"), ("a", "2026-11-01T01:00")])
    with pytest.raises(InputError, match=r"row 2, column 'interval_start': .*exists in America/Chicago \(clocks skip"):
        load_forecast(path, tz="America/Chicago", interval_minutes=30)
