"""Tests of the forecast loader: formats, daylight saving, validation messages and warnings."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
import textwrap
import threading
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from conftest import slow_after
from hypothesis import given, settings
from hypothesis import strategies as st

from wfm.errors import ForecastWarning, WfmError
from wfm.forecast import (
    ALLOWED_INTERVAL_MINUTES,
    COLUMN_ALIASES,
    DEFAULT_QUEUE,
    MAX_COLUMNS,
    MAX_LINE_BYTES,
    REQUIRED_COLUMNS,
    Forecast,
    forecast_from_records,
    format_local,
    load_forecast,
    select,
)
from wfm.forecast import reading as forecast_reading

BANK_DATA = Path(__file__).parents[1].parent / "shared" / "data" / "bank_calls_5min_2003.csv"


def write(tmp_path: Path, text: str, name: str = "forecast.csv") -> str:
    """Write a CSV (indentation removed) and return its path as a string."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return str(path)


def load_error(path: str, **options) -> str:
    """The WfmError message from loading ``path``: one line that starts with the file name."""
    with pytest.raises(WfmError) as raised:
        load_forecast(path, **options)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def utc(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[s]")


# --- Happy paths ------------------------------------------------------------------------------


def test_offsets_give_utc_instants_and_local_offsets(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,volume,aht
        2026-12-01T08:00:00-06:00,12,300
        2026-12-01T08:15:00-06:00,20,240
        2026-12-01T08:30:00-06:00,0,0
        """,
    )
    forecast = load_forecast(path)
    assert isinstance(forecast, Forecast)
    assert forecast.path == path
    assert forecast.n_rows == 3
    assert forecast.queue_names == (DEFAULT_QUEUE,)
    assert forecast.queue.dtype == np.int32 and not forecast.queue.any()
    assert forecast.interval_start.dtype == np.dtype("datetime64[s]")
    np.testing.assert_array_equal(
        forecast.interval_start, utc("2026-12-01T14:00", "2026-12-01T14:15", "2026-12-01T14:30")
    )
    assert forecast.utc_offset_s.dtype == np.int32
    np.testing.assert_array_equal(forecast.utc_offset_s, -6 * 3600)
    np.testing.assert_array_equal(
        forecast.local_start, utc("2026-12-01T08:00", "2026-12-01T08:15", "2026-12-01T08:30")
    )
    np.testing.assert_array_equal(forecast.interval_s, 900.0)
    np.testing.assert_array_equal(forecast.volume, [12, 20, 0])
    np.testing.assert_array_equal(forecast.aht_s, [300, 240, 0])
    np.testing.assert_allclose(forecast.traffic_erlangs, [12 * 300 / 900, 20 * 240 / 900, 0])
    assert forecast.interval_minutes == {DEFAULT_QUEUE: 15}
    assert forecast.tz is None
    assert forecast.warnings == ()


@pytest.mark.parametrize(
    ("text", "expected_utc", "offset_s"),
    [
        ("2026-12-01T08:00:00Z", "2026-12-01T08:00", 0),
        ("2026-12-01T08:00:00z", "2026-12-01T08:00", 0),
        ("2026-12-01 08:00:00Z", "2026-12-01T08:00", 0),
        ("2026-12-01T08:00Z", "2026-12-01T08:00", 0),
        ("2026-12-01T08:00:00.000Z", "2026-12-01T08:00", 0),
        ("2026-12-01T08:00:00+0530", "2026-12-01T02:30", 19800),
        ("2026-12-01T08:00:00+05:30", "2026-12-01T02:30", 19800),
        ("2026-12-01 08:00:00 +05:45", "2026-12-01T02:15", 20700),
        ("2026-12-01T08:00:00-06", "2026-12-01T14:00", -21600),
        ("  2026-12-01T08:00:00-06:00  ", "2026-12-01T14:00", -21600),
    ],
)
def test_timestamp_formats(tmp_path, text, expected_utc, offset_s):
    path = write(tmp_path, f"interval_start,volume,aht\n{text},1,100\n")
    forecast = load_forecast(path, interval_minutes=15)
    np.testing.assert_array_equal(forecast.interval_start, utc(expected_utc))
    np.testing.assert_array_equal(forecast.utc_offset_s, [offset_s])


def test_naive_times_with_zone(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,volume,aht
        2026-12-01 08:00,10,300
        2026-12-01 08:30,10,300
        2026-07-01 08:00,10,300
        """,
    )
    forecast = load_forecast(path, tz="America/Chicago")
    assert forecast.tz == "America/Chicago"
    np.testing.assert_array_equal(
        forecast.interval_start, utc("2026-07-01T13:00", "2026-12-01T14:00", "2026-12-01T14:30")
    )
    np.testing.assert_array_equal(forecast.utc_offset_s, [-5 * 3600, -6 * 3600, -6 * 3600])
    assert forecast.interval_minutes == {DEFAULT_QUEUE: 30}


def test_zone_is_not_used_when_the_file_has_offsets_and_a_zone_that_disagrees_is_warned_of(tmp_path):
    """The offsets win (so tz can be a configured default); a zone that disagrees with one of them was ignored
    without a word, and a user who meant the file's times to be the zone's planned on another clock."""
    from wfm.errors import ForecastWarning

    path = write(tmp_path, "interval_start,volume,aht\n2026-12-01T08:00:00-06:00,1,100\n")
    with pytest.warns(ForecastWarning) as caught:
        forecast = load_forecast(path, tz="Europe/London", interval_minutes=30)
    assert forecast.tz is None
    np.testing.assert_array_equal(forecast.utc_offset_s, [-21600])
    assert [str(w.message) for w in caught] == list(forecast.warnings) == [
        f"{path}: row 2, column 'interval_start': '2026-12-01T08:00:00-06:00' carries the UTC offset -06:00, not "
        "Europe/London's +00:00 (1 of 1 rows differ from Europe/London): the file's offsets place its times, so the "
        "time zone Europe/London (--tz, tz in wfm.toml, or tz= in Python) is not used; give the times in "
        "Europe/London's local time (naive, or with its offsets) to plan on its clock"]


def test_a_zone_that_agrees_with_every_offset_is_silent_and_one_row_off_is_named(tmp_path):
    """Across the autumn change, America/Chicago agrees with -05:00 before it and -06:00 after: nothing to say. A
    second queue keeping -05:00 after the change (another site) is named by its first row off the zone. A UTC export
    read with Europe/London agrees in winter (+00:00), not in summer (+01:00)."""
    chicago = ("queue,interval_start,volume,aht\n"
               "a,2026-10-31T08:00:00-05:00,1,100\na,2026-11-02T08:00:00-06:00,1,100\n")
    winter = "interval_start,volume,aht\n2026-12-01T08:00:00Z,1,100\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning at all
        assert load_forecast(write(tmp_path, chicago), tz="America/Chicago", interval_minutes=30).warnings == ()
        assert load_forecast(write(tmp_path, winter, "w.csv"), tz="Europe/London", interval_minutes=30).warnings == ()
    two_sites = write(tmp_path, chicago + "b,2026-10-31T08:00:00-05:00,1,100\nb,2026-11-02T08:00:00-05:00,1,100\n",
                      "two.csv")
    (note,) = load_forecast(two_sites, tz="America/Chicago", interval_minutes=30).warnings
    assert note.startswith(f"{two_sites}: row 5, column 'interval_start': '2026-11-02T08:00:00-05:00' carries the "
                           "UTC offset -05:00, not America/Chicago's -06:00 (1 of 4 rows differ from America/Chicago)")
    summer = write(tmp_path, winter.replace("2026-12-01", "2026-07-01"), "s.csv")
    (note,) = load_forecast(summer, tz="Europe/London", interval_minutes=30).warnings
    assert "carries the UTC offset +00:00, not Europe/London's +01:00 (1 of 1 rows" in note


@pytest.mark.parametrize("column", sorted(COLUMN_ALIASES))
def test_every_alias_is_accepted(tmp_path, column):
    for alias in COLUMN_ALIASES[column]:
        names = {
            "interval_start": "interval_start",
            "volume": "volume",
            "aht": "aht",
            "queue": "queue",
        }
        names[column] = f"  {alias.upper()} "
        path = write(
            tmp_path,
            f"{names['interval_start']},{names['queue']},{names['volume']},{names['aht']}\n"
            "2026-12-01T08:00:00Z,sales,4,100\n"
            "2026-12-01T08:15:00Z,sales,5,100\n",
        )
        forecast = load_forecast(path)
        assert forecast.queue_names == ("sales",), alias
        np.testing.assert_array_equal(forecast.volume, [4, 5])
        np.testing.assert_array_equal(forecast.aht_s, [100, 100])
        assert forecast.warnings == ()


def test_headings_with_spaces_or_hyphens_match_the_alias_with_underscores(tmp_path):
    """A spreadsheet's "Interval Start" was "missing column 'interval_start' ... found 'Interval Start'"."""
    path = write(tmp_path, "Queue, Interval  Start ,Volume,Avg-Handle-Time,Volume Lo\n"
                           "sales,2026-12-01T08:00:00Z,4,100,3\nsales,2026-12-01T08:15:00Z,5,100,4\n")
    forecast = load_forecast(path)
    np.testing.assert_array_equal(forecast.volume, [4, 5])
    assert forecast.queue_names == ("sales",) and forecast.warnings == ()
    # a heading read so never competes with one matched as it is: "Handle Time" beside "AHT" stays ignored
    both = write(tmp_path, "interval_start,volume,AHT,Handle Time,Media Type\n2026-12-01T08:00:00Z,4,100,4000,chat\n",
                 "both.csv")
    forecast = load_forecast(both, interval_minutes=15)
    assert forecast.warnings == (f"{both}: ignoring unknown columns 'Handle Time', 'Media Type'",)
    assert forecast.aht_s.tolist() == [100] and forecast.queue_channels == (None,)  # only required ones read so
    twins = write(tmp_path, "interval start,interval-start,volume,aht\n", "twins.csv")
    assert load_error(twins) == (f"{twins}: row 1: columns 'interval start' and 'interval-start' both give "
                                 "interval_start; expected one of them")
    # the header's line, after blank lines and rows of empty fields
    late = tmp_path / "late.csv"
    late.write_text("\n,,\nwhen,volume,aht\n", encoding="utf-8")
    assert load_error(str(late)).startswith(f"{late}: row 3: missing column 'interval_start'")


def test_headings_with_spaces_match_in_a_workbook_too(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Interval Start", "Volume", "AHT"])
    workbook.active.append([datetime(2026, 12, 1, 8), 4, 100])
    workbook.save(tmp_path / "week.xlsx")
    forecast = load_forecast(tmp_path / "week.xlsx", tz="UTC", interval_minutes=15)
    assert forecast.volume.tolist() == [4] and forecast.interval_start.tolist() == [datetime(2026, 12, 1, 8)]


def test_a_semicolon_or_tab_separated_file_is_named_as_such(tmp_path):
    """A semicolon-separated export (the spreadsheet's choice where the decimal separator is a comma) was "missing
    column 'interval_start' ... found columns 'queue;interval_start;volume;aht'"."""
    semi = write(tmp_path, "queue;interval_start;volume;aht\nsales;2026-12-01T08:00:00Z;10;300,5\n", "semi.csv")
    assert load_error(semi) == (
        f"{semi}: row 1: the file looks semicolon-separated (header 'queue;interval_start;volume;aht'); expected "
        "comma-separated columns: save it with commas between fields and a point as the decimal separator (300.5, "
        "not 300,5)")
    # a heading with a comma of its own, capitals and spaces, a tab-separated file
    noted = write(tmp_path, "Queue;Interval Start;Volume;AHT (sec, avg)\nsales;2026-12-01T08:00:00Z;10;300,5\n",
                  "noted.csv")
    assert "row 1: the file looks semicolon-separated (header 'Queue;Interval Start;Volume;AHT (sec,...')" \
        in load_error(noted)
    tab = write(tmp_path, "interval_start\tvolume\taht\n2026-12-01T08:00:00Z\t10\t300\n", "tab.csv")
    assert "row 1: the file looks tab-separated" in load_error(tab)
    # a comma-separated header missing a column is still reported as such
    short = write(tmp_path, "interval_start,volume;aht\n2026-12-01T08:00:00Z,10\n", "short.csv")
    assert "row 1: missing column 'volume'" in load_error(short)


def test_alias_table_is_lower_case_and_unambiguous():
    aliases = [alias for names in COLUMN_ALIASES.values() for alias in names]
    assert all(alias == alias.lower().strip() for alias in aliases)
    assert all(" " not in alias and "-" not in alias for alias in aliases)  # as headings are read
    assert len(aliases) == len(set(aliases))
    assert all(COLUMN_ALIASES[column][0] == column for column in COLUMN_ALIASES)
    assert set(REQUIRED_COLUMNS) < set(COLUMN_ALIASES)


def test_allowed_interval_lengths_divide_a_day():
    assert ALLOWED_INTERVAL_MINUTES[:5] == (1, 2, 3, 4, 5)
    assert {5, 15, 30, 60, 1440} <= set(ALLOWED_INTERVAL_MINUTES)
    assert 7 not in ALLOWED_INTERVAL_MINUTES


def test_queues_are_sorted_and_rows_sorted_by_queue_then_time(tmp_path):
    path = write(
        tmp_path,
        """
        start,skill,calls,aht
        2026-12-01T08:30:00Z,support,3,200
        2026-12-01T08:15:00Z,sales,2,100
        2026-12-01T08:00:00Z,support,1,200
        2026-12-01T08:00:00Z,sales,1,100
        2026-12-01T08:00:00Z,billing,7,50
        2026-12-01T09:00:00Z,billing,8,50
        """,
    )
    forecast = load_forecast(path)
    assert forecast.queue_names == ("billing", "sales", "support")
    np.testing.assert_array_equal(forecast.queue, [0, 0, 1, 1, 2, 2])
    np.testing.assert_array_equal(forecast.volume, [7, 8, 1, 2, 1, 3])
    np.testing.assert_array_equal(
        forecast.interval_start,
        utc("2026-12-01T08:00", "2026-12-01T09:00", "2026-12-01T08:00", "2026-12-01T08:15",
            "2026-12-01T08:00", "2026-12-01T08:30"),
    )  # fmt: skip
    assert forecast.interval_minutes == {"billing": 60, "sales": 15, "support": 30}
    np.testing.assert_array_equal(forecast.interval_s, [3600, 3600, 900, 900, 1800, 1800])


def test_fractional_volume_and_blank_handle_time_at_zero_volume(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,volume,aht
        2026-12-01T08:00:00Z,2.75,+310.5
        2026-12-01T08:15:00Z,0,
        2026-12-01T08:30:00Z,0.0,0
        2026-12-01T08:45:00Z, .5 ,1e2
        """,
    )
    forecast = load_forecast(path)
    np.testing.assert_array_equal(forecast.volume, [2.75, 0, 0, 0.5])
    np.testing.assert_array_equal(forecast.aht_s, [310.5, 0, 0, 100])
    np.testing.assert_allclose(forecast.traffic_erlangs, [2.75 * 310.5 / 900, 0, 0, 50 / 900])


def test_header_with_byte_order_mark_and_blank_lines(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        b"\xef\xbb\xbfinterval_start,volume,aht\r\n"
        b"2026-12-01T08:00:00Z,1,100\r\n\r\n"
        b"2026-12-01T08:15:00Z,2,100\r\n"
    )
    forecast = load_forecast(path)
    assert forecast.path == str(path)
    np.testing.assert_array_equal(forecast.volume, [1, 2])


def test_rows_of_empty_fields_are_skipped_like_blank_lines(tmp_path):
    """A spreadsheet's export ends in rows of empty fields (``,,,``): one was refused as "row 4, column 'queue':
    expected a queue name, got ''". They are skipped wherever they are, as blank lines are (and before the header);
    messages still name the rows' lines in the file."""
    path = tmp_path / "export.csv"
    path.write_bytes(b",,,\r\nqueue,interval_start,volume,aht\r\nsales,2026-12-01T08:00:00Z,10,300\r\n,,,\r\n"
                     b"sales,2026-12-01T08:15:00Z,12,300\r\n\"\",,,\r\n,,,\r\n")
    forecast = load_forecast(path)
    np.testing.assert_array_equal(forecast.volume, [10, 12])
    assert forecast.warnings == ()
    bad = write(tmp_path, "queue,interval_start,volume,aht\nsales,2026-12-01T08:00:00Z,10,300\n,,,\n\n"
                          "sales,2026-12-01T08:15:00Z,-1,300\n,,,\n", "bad.csv")
    assert load_error(bad) == f"{bad}: row 5, column 'volume': expected a finite number >= 0, got '-1'"
    empty = write(tmp_path, "interval_start,volume,aht\n,,\n,,\n", "empty.csv")
    assert "the file has a header but no data rows" in load_error(empty)
    # a row with something in another column is not empty: refused as before, naming its line
    noted = write(tmp_path, "interval_start,volume,aht,note\n2026-12-01T08:00:00Z,10,300,\n,,,\n,,,total\n",
                  "noted.csv")
    assert load_error(noted) == f"{noted}: row 4, column 'volume': expected a finite number >= 0, got ''"
    # records made in code are not a file's export: a record of None is refused
    with pytest.raises(WfmError, match="row 3, column 'volume': .* got None or NaN"):
        forecast_from_records([{"interval_start": "2026-12-01T08:00:00Z", "volume": 1, "aht": 300},
                               {"interval_start": None, "volume": None, "aht": None}])


def test_given_interval_with_a_gap_reports_it(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,volume,aht
        2026-12-01T08:00:00Z,1,100
        2026-12-01T08:15:00Z,1,100
        2026-12-01T08:45:00Z,1,100
        """,
    )
    forecast = load_forecast(path, interval_minutes=15)
    assert forecast.interval_minutes == {DEFAULT_QUEUE: 15}
    assert forecast.warnings == (
        f"{path}: queue 'default': 1 interval missing within a day, the first at "
        "2026-12-01T08:30:00+00:00",
    )


def test_format_local_and_select(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,queue,volume,aht
        2026-12-01T08:00:00-06:00,a,1,100
        2026-12-01T08:15:00-06:00,a,2,100
        2026-12-01T08:00:00+05:30,b,3,100
        2026-12-01T08:15:00+05:30,b,4,100
        """,
    )
    forecast = load_forecast(path)
    np.testing.assert_array_equal(
        format_local(forecast.interval_start, forecast.utc_offset_s),
        ["2026-12-01T08:00:00-06:00", "2026-12-01T08:15:00-06:00",
         "2026-12-01T08:00:00+05:30", "2026-12-01T08:15:00+05:30"],
    )  # fmt: skip
    only_b = select(forecast, forecast.volume > 2)
    assert only_b.queue_names == ("b",)
    np.testing.assert_array_equal(only_b.queue, [0, 0])
    np.testing.assert_array_equal(only_b.volume, [3, 4])
    assert only_b.interval_minutes == {"b": 15}
    with pytest.raises(ValueError):
        select(forecast, [True])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(-62_135_596_800 + 86_400, 253_402_300_799 - 86_400), min_size=1, max_size=40),
    st.lists(st.sampled_from([-43_200, -18_000, -12_600, -17_762, 0, 19_800, 20_700, 50_400]), min_size=1,
             max_size=40),
)
def test_format_local_matches_iso_text_of_each_instant(seconds, offsets):
    """Years 0001-9999, offsets with minutes and odd seconds (local mean time), any order: the text is the
    local wall time from numpy and the offset as +-HH:MM, instant by instant."""
    n = min(len(seconds), len(offsets))
    starts = np.array(seconds[:n], dtype="datetime64[s]")
    offs = np.array(offsets[:n], dtype=np.int32)
    expected = [
        str(np.datetime_as_string(t + np.timedelta64(int(o), "s"), unit="s"))
        + ("-" if o < 0 else "+") + f"{abs(int(o)) // 3600:02d}:{abs(int(o)) // 60 % 60:02d}"
        for t, o in zip(starts, offs)
    ]
    assert format_local(starts, offs).tolist() == expected


@settings(max_examples=25, deadline=None)
@given(
    offset_minutes=st.integers(-12 * 60, 14 * 60).map(lambda m: m - m % 15),
    first=st.integers(0, 2_000_000).map(lambda k: k * 900),
    shuffle_seed=st.integers(0, 1000),
)
def test_formatted_starts_load_back_to_the_same_instants(
    tmp_path_factory, offset_minutes, first, shuffle_seed
):
    starts = np.datetime64("2000-01-01T00:00:00", "s") + np.arange(
        first, first + 8 * 900, 900
    ).astype("timedelta64[s]")
    offsets = np.full(len(starts), offset_minutes * 60, dtype=np.int32)
    order = np.random.default_rng(shuffle_seed).permutation(len(starts))
    lines = [
        f"{text},{volume},120" for text, volume in zip(format_local(starts, offsets)[order], order)
    ]
    path = tmp_path_factory.mktemp("roundtrip") / "forecast.csv"
    path.write_text("interval_start,volume,aht\n" + "\n".join(lines) + "\n")
    forecast = load_forecast(path)
    np.testing.assert_array_equal(forecast.interval_start, starts)
    np.testing.assert_array_equal(forecast.utc_offset_s, offsets)
    np.testing.assert_array_equal(forecast.volume, np.arange(len(starts)))


# --- Daylight saving --------------------------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")


def write_week(
    tmp_path: Path, first_day: datetime, *, with_offsets: bool
) -> tuple[str, np.ndarray]:
    """A 24/7 week of 15-minute intervals in New York starting at local midnight of first_day.

    Starts are written as local time with offsets, or naive (the repeated fall-back hour then
    appears twice, in time order). Returns the path and the UTC starts in time order.
    """
    begin = first_day.replace(tzinfo=NEW_YORK).astimezone(UTC)
    end = (first_day + timedelta(days=7)).replace(tzinfo=NEW_YORK).astimezone(UTC)
    instants = []
    moment = begin
    while moment < end:
        instants.append(moment)
        moment += timedelta(minutes=15)
    path = tmp_path / "week.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["interval_start", "volume", "aht"])
        for i, instant in enumerate(instants):
            local = instant.astimezone(NEW_YORK)
            text = local.isoformat() if with_offsets else local.replace(tzinfo=None).isoformat(" ")
            writer.writerow([text, 10 + i % 7, 300])
    expected = np.array(
        [instant.replace(tzinfo=None) for instant in instants], dtype="datetime64[s]"
    )
    return str(path), expected


def intervals_per_local_day(forecast: Forecast) -> dict[str, int]:
    days, counts = np.unique(forecast.local_start.astype("datetime64[D]"), return_counts=True)
    return {str(day): int(count) for day, count in zip(days, counts)}


@pytest.mark.parametrize("with_offsets", [False, True], ids=["naive+tz", "offsets"])
@pytest.mark.parametrize(
    ("first_day", "change_day", "intervals_that_day"),
    [
        (datetime(2026, 10, 29), "2026-11-01", 100),  # fall back: 01:00-01:59 twice
        (datetime(2026, 3, 5), "2026-03-08", 92),  # spring forward: 02:00-02:59 skipped
    ],
    ids=["fall-back", "spring-forward"],
)
def test_week_across_daylight_saving_change(
    tmp_path, with_offsets, first_day, change_day, intervals_that_day
):
    path, expected_utc = write_week(tmp_path, first_day, with_offsets=with_offsets)
    forecast = load_forecast(path, tz=None if with_offsets else "America/New_York")
    assert forecast.tz == (None if with_offsets else "America/New_York")
    np.testing.assert_array_equal(forecast.interval_start, expected_utc)
    np.testing.assert_array_equal(np.diff(forecast.interval_start).astype(int), 900)
    np.testing.assert_array_equal(forecast.interval_s, 900.0)
    per_day = intervals_per_local_day(forecast)
    assert len(per_day) == 7
    assert per_day.pop(change_day) == intervals_that_day
    assert set(per_day.values()) == {96}
    assert forecast.interval_minutes == {DEFAULT_QUEUE: 15}
    assert forecast.warnings == ()
    volume = 10 + np.arange(forecast.n_rows) % 7
    np.testing.assert_array_equal(forecast.volume, volume)
    np.testing.assert_allclose(forecast.traffic_erlangs, volume * 300 / 900)
    expected_offsets = [
        int(
            instant.astype(datetime)
            .replace(tzinfo=UTC)
            .astimezone(NEW_YORK)
            .utcoffset()
            .total_seconds()
        )
        for instant in expected_utc
    ]
    np.testing.assert_array_equal(forecast.utc_offset_s, expected_offsets)


def test_ambiguous_time_listed_once_is_the_earlier_instant(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,volume,aht
        2026-11-01 00:00,1,100
        2026-11-01 01:00,1,100
        2026-11-01 02:00,1,100
        """,
    )
    forecast = load_forecast(path, tz="America/New_York")
    np.testing.assert_array_equal(
        forecast.interval_start, utc("2026-11-01T04:00", "2026-11-01T05:00", "2026-11-01T07:00")
    )
    np.testing.assert_array_equal(forecast.utc_offset_s, [-4 * 3600, -4 * 3600, -5 * 3600])
    assert forecast.warnings == (
        f"{path}: queue 'default': 1 interval missing within a day, the first at "
        "2026-11-01T01:00:00-05:00",  # the repeated 01:00 hour, on standard time
    )


def test_ambiguous_time_is_counted_per_queue(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,queue,volume,aht
        2026-11-01 01:30,a,1,100
        2026-11-01 01:30,b,2,100
        2026-11-01 01:30,a,3,100
        2026-11-01 02:00,a,4,100
        """,
    )  # queue a's 02:00: its two 01:30s alone, an hour apart, are not a 30-minute queue
    forecast = load_forecast(path, tz="America/New_York", interval_minutes=30)
    np.testing.assert_array_equal(forecast.queue, [0, 0, 0, 1])
    np.testing.assert_array_equal(forecast.volume, [1, 3, 4, 2])
    np.testing.assert_array_equal(
        forecast.interval_start, utc("2026-11-01T05:30", "2026-11-01T06:30", "2026-11-01T07:00", "2026-11-01T05:30")
    )


def test_a_queue_listed_newest_first_has_the_later_repeated_hour_first(tmp_path):
    """A file listed newest first (as many exports sort) has the winter-time 01:00 before the summer-time one: the
    first listed was taken as the earlier instant, so the two hours' volumes were swapped, silently."""
    path, expected_utc = write_week(tmp_path, datetime(2026, 10, 29), with_offsets=False)
    header, *lines = Path(path).read_text().splitlines()
    Path(path).write_text("\n".join([header, *reversed(lines)]) + "\n")
    forecast = load_forecast(path, tz="America/New_York")
    np.testing.assert_array_equal(forecast.interval_start, expected_utc)  # every interval once, in time order
    np.testing.assert_array_equal(forecast.volume, 10 + np.arange(forecast.n_rows) % 7)  # each with its volume
    # per queue: b is listed newest first in the same file as a, oldest first
    mixed = write(tmp_path, """
        interval_start,queue,volume,aht
        2026-11-01 00:30,a,1,100
        2026-11-01 02:00,b,14,100
        2026-11-01 01:00,a,2,100
        2026-11-01 01:30,b,13,100
        2026-11-01 01:30,a,3,100
        2026-11-01 01:00,b,12,100
        2026-11-01 01:00,a,4,100
        2026-11-01 01:30,b,11,100
        2026-11-01 01:30,a,5,100
        2026-11-01 01:00,b,10,100
        2026-11-01 02:00,a,6,100
        2026-11-01 00:30,b,9,100
        """, "mixed.csv")
    forecast = load_forecast(mixed, tz="America/New_York")
    np.testing.assert_array_equal(forecast.volume, [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14])
    np.testing.assert_array_equal(forecast.utc_offset_s, [-4 * 3600] * 3 + [-5 * 3600] * 3 + [-4 * 3600] * 3
                                  + [-5 * 3600] * 3)


def test_a_naive_datetime_with_fold_1_is_the_later_reading_of_a_repeated_time():
    """PEP 495's fold=1 on a naive datetime (the second 01:00 when clocks fall back, as zoneinfo reads it) was lost
    in the record's text: 01:00 and 01:30 with fold=1 were placed at summer time, an hour early."""
    chicago = ZoneInfo("America/Chicago")
    starts = [datetime(2026, 11, 1, 1, 0, fold=1), datetime(2026, 11, 1, 1, 30, fold=1), datetime(2026, 11, 1, 2, 0)]
    expected = [int(start.replace(tzinfo=chicago).timestamp()) for start in starts]  # 07:00, 07:30, 08:00 UTC
    forecast = forecast_from_records([{"interval_start": start, "volume": 10 * i, "aht": 300}
                                      for i, start in enumerate(starts, 1)], tz="America/Chicago", interval_minutes=30)
    assert forecast.interval_start.astype(np.int64).tolist() == expected
    assert forecast.utc_offset_s.tolist() == [-6 * 3600] * 3
    # both readings given, in any order, each by its fold; fold=0 alone keeps the order rule (a naive pandas series)
    both = [datetime(2026, 11, 1, 1, 0, fold=1), datetime(2026, 11, 1, 1, 0), datetime(2026, 11, 1, 1, 30),
            datetime(2026, 11, 1, 1, 30)]
    forecast = forecast_from_records([{"Start": start, "volume": i, "aht": 300} for i, start in enumerate(both, 1)],
                                     tz=chicago, interval_minutes=30)
    assert forecast.volume.tolist() == [2, 3, 1, 4]  # 01:00 CDT, 01:30 CDT, 01:00 CST, 01:30 CST
    assert forecast.utc_offset_s.tolist() == [-5 * 3600] * 2 + [-6 * 3600] * 2


def test_nonexistent_local_time_is_an_error(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,volume,aht
        2026-03-08 01:30,1,100
        2026-03-08 02:30,1,100
        2026-03-08 03:30,1,100
        """,
    )
    message = load_error(path, tz="America/New_York")
    assert "row 3, column 'interval_start'" in message
    assert "exists in America/New_York" in message
    assert "'2026-03-08 02:30'" in message


def test_ambiguous_time_three_times_is_a_duplicate(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,volume,aht
        2026-11-01 01:00,1,100
        2026-11-01 01:00,1,100
        2026-11-01 01:00,1,100
        """,
    )
    message = load_error(path, tz="America/New_York")
    assert "rows 3 and 4, column 'interval_start'" in message
    assert "2026-11-01T01:00:00-05:00 twice in queue 'default'" in message


# --- Errors -----------------------------------------------------------------------------------

HEADER = "interval_start,volume,aht\n"
GOOD = "2026-12-01T08:00:00Z,1,100\n"


@pytest.mark.parametrize(
    ("body", "where", "found"),
    [
        (
            "2026-12-01T08:15:00Z,-3,100\n",
            "row 3, column 'volume'",
            "expected a finite number >= 0, got '-3'",
        ),
        ("2026-12-01T08:15:00Z,nan,100\n", "row 3, column 'volume'", "got 'nan'"),
        ("2026-12-01T08:15:00Z,inf,100\n", "row 3, column 'volume'", "got 'inf'"),
        ("2026-12-01T08:15:00Z,1e999,100\n", "row 3, column 'volume'", "got '1e999'"),
        ("2026-12-01T08:15:00Z,twelve,100\n", "row 3, column 'volume'", "got 'twelve'"),
        ("2026-12-01T08:15:00Z,,100\n", "row 3, column 'volume'", "got ''"),
        ("2026-12-01T08:15:00Z,1,\n", "row 3, column 'aht'", "got ''"),
        (
            "2026-12-01T08:15:00Z,1,0\n",
            "row 3, column 'aht'",
            "expected a finite number of seconds > 0",
        ),
        ("2026-12-01T08:15:00Z,0,-5\n", "row 3, column 'aht'", "got '-5'"),
        ("2026-12-01T08:15:00Z,0,NaN\n", "row 3, column 'aht'", "got 'NaN'"),
        ("2026-12-01T08:15:00Z,1,5 min\n", "row 3, column 'aht'", "got '5 min'"),
        ("01/12/2026 08:15,1,100\n", "row 3, column 'interval_start'", "got '01/12/2026 08:15'"),
        ("2026-02-30T08:15:00Z,1,100\n", "row 3, column 'interval_start'", "a real calendar date"),
        ("2026-12-01T24:00:00Z,1,100\n", "row 3, column 'interval_start'", "a real calendar date"),
        (
            "2026-12-01T08:15:00+25:00,1,100\n",
            "row 3, column 'interval_start'",
            "got '2026-12-01T08:15:00+25:00'",
        ),
        (
            "2026-12-01T08:15:00,1,100\n",
            "row 3, column 'interval_start'",
            "expected a UTC offset like the first row",
        ),
    ],
)
def test_bad_values_name_file_row_and_column(tmp_path, body, where, found):
    path = write(tmp_path, HEADER + GOOD + body + "2026-12-01T08:30:00Z,1,100\n")
    message = load_error(path)
    assert where in message
    assert found in message


def test_first_offending_row_is_reported(tmp_path):
    rows = [
        f"2026-12-{1 + i // 96:02d}T{(i % 96) // 4:02d}:{15 * (i % 4):02d}:00Z,"
        f"{-1 if i in (500, 700) else 1},100"
        for i in range(1000)
    ]
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    assert "row 502, column 'volume'" in load_error(path)


def test_error_rows_count_blank_lines_in_the_file(tmp_path):
    path = write(tmp_path, HEADER + GOOD + "\n\n" + "2026-12-01T08:15:00Z,x,100\n")
    assert "row 5, column 'volume'" in load_error(path)


def test_column_name_in_messages_is_the_files_heading(tmp_path):
    path = write(tmp_path, "Timestamp,Calls,AHT\n2026-12-01T08:00:00Z,-1,100\n")
    assert "row 2, column 'Calls': expected a finite number >= 0, got '-1'" in load_error(path)


def test_mixed_naive_after_offset_rows(tmp_path):
    path = write(tmp_path, HEADER + "2026-12-01 08:00,1,100\n2026-12-01T08:15:00-06:00,1,100\n")
    message = load_error(path, tz="America/Chicago")
    assert "row 3, column 'interval_start': expected no UTC offset like the first row" in message


def test_naive_times_without_zone_ask_for_tz(tmp_path):
    path = write(tmp_path, HEADER + "2026-12-01 08:00,1,100\n")
    message = load_error(path)
    assert "row 2, column 'interval_start'" in message
    assert "'2026-12-01 08:00' without one" in message
    assert "--tz ZONE" in message


def test_unknown_zone(tmp_path):
    path = write(tmp_path, HEADER + "2026-12-01 08:00,1,100\n")
    message = load_error(path, tz="America/Chicagoo")
    assert "unknown time zone 'America/Chicagoo'" in message


def test_empty_file(tmp_path):
    path = write(tmp_path, "")
    assert "the file is empty" in load_error(path)


def test_header_only(tmp_path):
    path = write(tmp_path, HEADER)
    assert "no data rows" in load_error(path)


def test_missing_file(tmp_path):
    path = str(tmp_path / "absent.csv")
    assert "cannot read the file" in load_error(path)


def test_missing_column_lists_the_columns_found(tmp_path):
    path = write(tmp_path, "interval_start,calls,notes\n2026-12-01T08:00:00Z,1,x\n")
    message = load_error(path)
    assert "row 1: missing column 'aht'" in message
    assert "handle_time" in message
    assert "found columns 'interval_start', 'calls', 'notes'" in message
    assert "join the date and time" not in message


def test_separate_date_and_time_columns_are_told_to_be_joined(tmp_path):
    path = write(tmp_path, "Date,Time,volume,aht\n2026-12-01,08:00,1,100\n")  # a common ACD export
    assert load_error(path).endswith("found columns 'Date', 'Time', 'volume', 'aht'; join the date and time into one "
                                     "interval_start, such as 2026-12-01T08:00:00-06:00")


def test_two_columns_for_the_same_field(tmp_path):
    path = write(tmp_path, "interval_start,volume,calls,aht\n2026-12-01T08:00:00Z,1,1,100\n")
    assert "columns 'volume' and 'calls' both give volume" in load_error(path)


def test_ragged_row(tmp_path):
    path = write(tmp_path, HEADER + GOOD + GOOD.replace(",100", "") + GOOD)
    message = load_error(path)
    assert "row 3: expected 3 fields like the header, got 2" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        HEADER.replace("aht", "aht,queue").encode() + b"2026-12-01T08:00:00Z,1,100,caf\xe9\n"
    )
    message = load_error(str(path))
    assert "row 2: expected UTF-8 text" in message


def test_blank_queue_name(tmp_path):
    path = write(
        tmp_path,
        "interval_start,queue,volume,aht\n"
        "2026-12-01T08:00:00Z,a,1,100\n"
        "2026-12-01T08:00:00Z, ,1,100\n",
    )
    assert "row 3, column 'queue': expected a queue name, got ' '" in load_error(path)


@pytest.mark.parametrize(("name", "shown"), [("a\x1b[31mRED", "'a\\x1b[31mRED'"), ("tab\there", "'tab\\there'")])
def test_queue_name_with_control_characters(tmp_path, name: str, shown: str):
    # an escape code would colour a table piped to a file, a line break split its rows
    quoted = '"' + name + '"'
    path = write(tmp_path, "interval_start,queue,volume,aht\n2026-12-01T08:00:00Z,a,1,100\n"
                           f"2026-12-01T08:00:00Z,{quoted},1,100\n")
    assert load_error(path).endswith(f"row 3, column 'queue': expected a queue name without control characters "
                                     f"(tabs, line breaks, escape codes), got {shown}")


def test_queue_names_that_differ_only_in_case_are_two_queues_with_a_warning(tmp_path):
    path = write(tmp_path, "interval_start,queue,volume,aht\n2026-12-01T08:00:00Z,Sales,1,100\n"
                           "2026-12-01T08:00:00Z,sales,2,100\n2026-12-01T08:00:00Z,support,3,100\n")
    forecast = load_forecast(path, interval_minutes=15)
    assert forecast.queue_names == ("Sales", "sales", "support")
    assert [w for w in forecast.warnings if "case" in w] == [
        f"{path}: queues 'Sales' and 'sales' differ only in case: they are sized and planned as separate queues, "
        "and a [queues.NAME] section applies to the one it names exactly"]


def test_minus_zero_is_zero(tmp_path):
    path = write(tmp_path, HEADER + "2026-12-01T08:00:00Z,-0,-0\n2026-12-01T08:15:00Z,1,100\n")
    forecast = load_forecast(path)
    assert [str(x) for x in forecast.volume] == ["0.0", "1.0"] and str(forecast.aht_s[0]) == "0.0"


def test_duplicate_interval_names_both_rows(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,queue,volume,aht
        2026-12-01T08:00:00-06:00,a,1,100
        2026-12-01T08:15:00-06:00,a,1,100
        2026-12-01T08:00:00-06:00,b,1,100
        2026-12-01T09:15:00-05:00,a,1,100
        """,
    )
    message = load_error(path)
    assert "rows 3 and 5, column 'interval_start'" in message
    assert "2026-12-01T08:15:00-06:00 twice in queue 'a'" in message


def test_mixed_interval_lengths(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "2026-12-01T08:00:00Z,1,100\n2026-12-01T08:15:00Z,1,100\n2026-12-01T08:35:00Z,1,100\n",
    )
    message = load_error(path)
    assert (
        "rows 3 and 4, column 'interval_start': mixed interval lengths in queue 'default'"
        in message
    )
    assert "a multiple of 15 minutes apart, got 20 minutes" in message


def test_one_row_off_a_queues_grid_is_refused_not_read_as_a_shorter_interval(tmp_path):
    """A 30-minute queue with one stray row at 16:45 was read as a 15-minute queue: every volume offered in half
    the time, twice the traffic (the multi-queue sample's sales plan: 293 heads became 500, exit 0)."""
    rows = [f"2026-12-01T{h:02d}:{m:02d}:00Z,10,300\n" for h in range(8, 17) for m in (0, 30)]
    path = write(tmp_path, HEADER + "".join(rows) + "2026-12-01T16:45:00Z,20,300\n")
    message = load_error(path)
    assert message == (f"{path}: rows 19 and 20, column 'interval_start': queue 'default' has starts 15 minutes "
                       "apart where it most often has 30 minutes (17 of its 18 steps within a day; 1 of its 19 rows "
                       "off that grid): a row off the queue's grid? Its interval length would be read as 15 "
                       "minutes, every volume offered in that time; move the row onto the queue's 30-minute grid or "
                       "remove it")
    with pytest.raises(WfmError, match="has starts 30 minutes apart .* interval given is 15 minutes"):
        load_forecast(path, interval_minutes=15)  # nor is it when 15 minutes is given
    with pytest.raises(WfmError, match="row 20, column .interval_start.: .*on the 30-minute grid"):
        load_forecast(path, interval_minutes=30)
    assert load_forecast(write(tmp_path, HEADER + "".join(rows), "clean.csv")).interval_minutes == {"default": 30}
    # a queue open one interval a day steps a day at a time: its hour on Saturday is not off its grid
    daily = [f"2026-11-{d:02d}T09:00:00Z,5,300\n" for d in (23, 24, 25, 26, 27)] + ["2026-11-28T10:00:00Z,5,300\n"]
    path = write(tmp_path, HEADER + "".join(daily) + "2026-11-28T09:00:00Z,5,300\n", "daily.csv")
    assert load_forecast(path).interval_minutes == {"default": 60}
    # a night queue, one hour each side of midnight: its day runs from the end of its daily closure
    nights = [f"2026-11-{d:02d}T23:00:00Z,5,300\n2026-11-{d + 1:02d}T00:00:00Z,5,300\n" for d in range(2, 16)]
    assert load_forecast(write(tmp_path, HEADER + "".join(nights), "night.csv")).interval_minutes == {"default": 60}
    # a sparse export of 5-minute rows (the empty ones left out) has many rows off a 10-minute grid, not a few
    rng = np.random.default_rng(7)
    sparse = [f"2026-11-{2 + d:02d}T{s // 12:02d}:{5 * (s % 12):02d}:00Z,1,300\n" for d in range(14)
              for s in range(96, 240) if rng.random() < 0.05]
    assert load_forecast(write(tmp_path, HEADER + "".join(sparse), "sparse.csv")).interval_minutes == {"default": 5}


def _day_of_slots(day: str, minutes: int, volume: int) -> list[str]:
    """One day's rows every ``minutes`` from 08:00 to 17:00 (excluded), at UTC-06:00."""
    return [f"{day}T{m // 60:02d}:{m % 60:02d}:00-06:00,{volume},300\n" for m in range(480, 1020, minutes)]


def test_days_listed_at_a_longer_step_are_refused_not_read_as_a_shorter_interval(tmp_path):
    """Two exports merged, a Monday at 15 minutes and Tuesday to Friday at 30: 18 of the 108 rows (the Monday's :15
    and :45) are off the 30-minute grid, too many to be stray rows, so the queue was read as 15-minute, each half
    hour's 50 calls offered in 15 minutes (16.7 Erlangs, 21 agents, against Monday's 12 for the same calls a day),
    with only a warning of 68 missing intervals; exit 0."""
    def week(days_at: dict[str, int], closed: tuple[str, ...] = ()) -> list[str]:
        return [row for day, minutes in days_at.items() for row in _day_of_slots(day, minutes, 25 * minutes // 15)
                if row[11:16] not in closed]

    merged = write(tmp_path, HEADER + "".join(week({"2026-11-30": 15, "2026-12-01": 30, "2026-12-02": 30,
                                                    "2026-12-03": 30, "2026-12-04": 30})), "merged.csv")
    assert load_error(merged) == (
        f"{merged}: rows 38 and 39, column 'interval_start': queue 'default' is listed every 30 minutes on 4 of its "
        "days (the first 2026-12-01) but has starts 15 minutes apart (the first on 2026-11-30): two exports of "
        "different interval lengths merged? Read as 15 minutes, each 30-minute volume would be offered in 15 "
        "minutes; list every day at one interval length (for a sparse 15-minute export, its empty intervals left "
        "out, pass --interval 15)")
    assert load_forecast(merged, interval_minutes=15).interval_minutes == {"default": 15}  # as given
    # found by review: a closed lunch hour (or one interval missing) hid the 30-minute days, and one such day among
    # five at 15 minutes (a sixth of the rows) passed as chance
    lunch = week({"2026-11-30": 15, "2026-12-01": 30, "2026-12-02": 30}, closed=("12:00", "12:15", "12:30", "12:45"))
    assert "listed every 30 minutes on 2 of its days" in load_error(write(tmp_path, HEADER + "".join(lunch), "l.csv"))
    one_day = week({f"2026-12-{d:02d}": 15 for d in range(1, 6)} | {"2026-12-07": 30})
    assert "every 30 minutes on 1 of its days (the first 2026-12-07)" in load_error(
        write(tmp_path, HEADER + "".join(one_day), "one_day.csv"))
    # a 30-minute queue whose grid moves from :15 and :45 to :00 and :30 overnight: its shortest step, 23:45 to
    # 00:00, lies across days (an internal error, AssertionError, before the fix)
    moved = [f"2026-12-01T{h:02d}:{m}:00Z,10,300\n" for h in range(24) for m in (15, 45)] + [
        f"2026-12-02T{h:02d}:{m}:00Z,10,300\n" for h in range(24) for m in ("00", "30")]
    path = write(tmp_path, HEADER + "".join(moved), "moved.csv")
    assert load_error(path) == (
        f"{path}: rows 49 and 50, column 'interval_start': queue 'default' has starts 30 minutes apart within its "
        "days, but 15 minutes apart from 2026-12-01 to the next day: its grid moves between days (2 of its days at 30 "
        "minutes), so it would be read as 15 minutes, each volume offered in part of its time; list every day on "
        "one grid")
    # found by the second review: a quiet 30-minute queue (half its half hours empty, left out) whose Friday fell on
    # the hours with a gap (a fifth of a short file's rows) was refused; and a 15-minute queue's Saturday of nine
    # hourly callbacks (eight steps of an hour) is no merged day either
    quiet = [f"2026-12-0{d}T{8 + s // 2:02d}:{30 * (s % 2):02d}:00-05:00,3,300\n" for d, day in enumerate(
        ("#.#####..#.....##.", ".#.###....#..##..#", "..#..#.#.###.##..#", "###.#....######.#.", "..#.#.#...#.#.#.#."),
        start=1) for s, mark in enumerate(day) if mark == "#"]
    assert load_forecast(write(tmp_path, HEADER + "".join(quiet), "quiet.csv")).interval_minutes == {"default": 30}
    callbacks = week({f"2026-12-{d:02d}": 15 for d in range(7, 12)}) + [
        f"2026-12-12T{h:02d}:00:00-06:00,2,300\n" for h in range(9, 18)]
    assert load_forecast(write(tmp_path, HEADER + "".join(callbacks), "cb.csv")).interval_minutes == {"default": 15}
    # a gappy 15-minute export may have a short day on the 30-minute grid by chance: four to seven steps of it, at
    # most a tenth of the rows
    chance = week({f"2026-12-{d:02d}": 15 for d in range(1, 11)}, closed=("09:15",)) + [
        f"2026-12-11T{h}:00-06:00,50,300\n" for h in ("08:00", "08:30", "09:00", "09:30", "10:00", "11:00")]
    assert load_forecast(write(tmp_path, HEADER + "".join(chance), "chance.csv")).interval_minutes == {"default": 15}
    # and a day at a longer step needs five rows to say so: a short day of four rows at 30 minutes is a gappy day
    short_day = _day_of_slots("2026-12-01", 15, 25)[:20] + [  # 4 of 24 rows
        f"2026-12-03T{h}:00-06:00,50,300\n" for h in ("08:00", "08:30", "09:00", "09:30")]
    assert load_forecast(write(tmp_path, HEADER + "".join(short_day), "short.csv")).interval_minutes == {"default": 15}


def test_an_interval_given_shorter_than_a_queues_steps_is_refused_not_read_as_gaps(tmp_path):
    """interval_minutes = 15 (the README's wfm.toml example) on the 30-minute multi-queue sample offered each half
    hour's volume in 15 minutes: billing 08:00 11.05 -> 22.1 Erlangs, peak agents 219 -> 435, exit 0, and only a
    warning of missing intervals (which --quiet hides)."""
    sample = Path(__file__).parents[1] / "sample_forecasts" / "multi_queue_30min.csv"
    with pytest.raises(WfmError) as raised:
        load_forecast(sample, interval_minutes=15)
    assert str(raised.value) == (
        f"{sample}: rows 274 and 275, column 'interval_start': queue 'billing' has starts 30 minutes apart (130 of "
        "its 130 steps within a day; 0 of its 136 rows off that grid), but the interval given is 15 minutes "
        "(interval_minutes=15): each 30-minute volume would be offered in 15 minutes, doubling its traffic; give "
        "--interval 30 (interval_minutes=30 in Python), or drop interval_minutes=15 to infer each queue's interval")
    with pytest.raises(WfmError, match=r"\(--interval 15m\): .* or drop --interval 15m to infer"):
        load_forecast(sample, interval_minutes=15, names={"interval_minutes": "--interval 15m"})
    assert set(load_forecast(sample, interval_minutes=30).interval_minutes.values()) == {30}
    hours = [f"2026-12-0{d}T{h:02d}:00:00Z,10,300\n" for d in (1, 2) for h in range(8, 18)]
    with pytest.raises(WfmError, match="has starts 60 minutes apart .* 4 times its traffic; give --interval 60"):
        load_forecast(write(tmp_path, HEADER + "".join(hours), "hours.csv"), interval_minutes=15)
    # a 30-minute queue at :15 and :45 is on a 30-minute grid all the same
    quarter = [f"2026-12-01T{h:02d}:{m}:00Z,10,300\n" for h in range(8, 17) for m in (15, 45)]
    with pytest.raises(WfmError, match="has starts 30 minutes apart"):
        load_forecast(write(tmp_path, HEADER + "".join(quarter), "quarter.csv"), interval_minutes=15)
    # a 15-minute export with a few slots missing (most steps 15 minutes) loads, the gaps warned of
    slots = [f"2026-12-01T{s // 4:02d}:{15 * (s % 4):02d}:00Z,10,300\n" for s in range(32, 72) if s % 7]
    sparse = load_forecast(write(tmp_path, HEADER + "".join(slots), "gaps.csv"), interval_minutes=15)
    assert sparse.interval_minutes == {"default": 15} and "missing within a day" in sparse.warnings[0]
    # a sparse export of 5-minute rows (the empty ones left out): many rows off the grid of its usual step
    rng = np.random.default_rng(7)
    rows = [f"2026-11-{2 + d:02d}T{s // 12:02d}:{5 * (s % 12):02d}:00Z,1,300\n" for d in range(14)
            for s in range(96, 240) if rng.random() < 0.05]
    assert load_forecast(write(tmp_path, HEADER + "".join(rows), "sparse.csv"),
                         interval_minutes=5).interval_minutes == {"default": 5}
    # a queue open one interval a day has no steps within a day: nothing to judge the length by
    daily = [f"2026-11-{d:02d}T09:00:00Z,5,300\n" for d in (23, 24, 25, 26, 27)]
    assert load_forecast(write(tmp_path, HEADER + "".join(daily), "daily.csv"),
                         interval_minutes=15).interval_minutes == {"default": 15}


def test_a_length_given_is_kept_for_gappy_exports_and_queues_open_a_few_intervals_a_day(tmp_path):
    """Found by review of the check above: a 15-minute export with 60 % of its slots left out (most steps longer
    than 15 minutes, the usual one 15 all the same) was refused as being 15 minutes apart, 'give --interval 15';
    a queue open at 09:00 and 17:00 was told to give --interval 480; a 30-minute queue at :15 and :45 was told to
    give --interval 30, which the grid from midnight then refused."""
    rng = np.random.default_rng(3)
    slots = [f"2026-11-{23 + d:02d}T{s // 4:02d}:{15 * (s % 4):02d}:00Z,10,300\n" for d in range(5)
             for s in range(32, 72) if rng.random() < 0.4]
    gappy = load_forecast(write(tmp_path, HEADER + "".join(slots), "gappy.csv"), interval_minutes=15)
    assert gappy.interval_minutes == {"default": 15} and "missing within a day" in gappy.warnings[0]
    callbacks = [f"callback,2026-11-{d:02d}T{h:02d}:00:00Z,3,300\n" for d in (23, 24, 25, 26, 27) for h in (9, 17)]
    voice = [f"voice,2026-11-23T{s // 4:02d}:{15 * (s % 4):02d}:00Z,10,300\n" for s in range(32, 72)]
    both = load_forecast(write(tmp_path, "queue,interval_start,volume,aht\n" + "".join(callbacks + voice), "cb.csv"),
                         interval_minutes=15)
    assert both.interval_minutes == {"callback": 15, "voice": 15}
    quarter = [f"2026-12-01T{h:02d}:{m}:00Z,10,300\n" for h in range(8, 17) for m in (15, 45)]
    message = load_error(write(tmp_path, HEADER + "".join(quarter), "quarter.csv"), interval_minutes=15)
    assert "has starts 30 minutes apart" in message and "--interval 30" not in message
    assert message.endswith("drop interval_minutes=15 to infer each queue's interval (its starts are off the "
                            "30-minute grid from midnight that a length given needs)")


def test_a_heading_read_loosely_names_only_a_required_column(tmp_path):
    """'Media Type' (an ignored column before) was read as the channel once headings with spaces matched, so a
    file of 'Phone' rows that loaded was refused; 'Interval Start' still gives interval_start."""
    path = write(tmp_path, "Interval Start,volume,aht,Media Type\n2026-12-01T08:00:00Z,10,300,Phone\n"
                           "2026-12-01T08:30:00Z,10,300,Phone\n")
    forecast = load_forecast(path)
    assert forecast.channel_of(0) is None and any("Media Type" in w for w in forecast.warnings)  # no channel column


def test_a_stray_row_in_a_queue_off_the_hour_is_refused_too(tmp_path):
    """A 30-minute queue at :15 and :45 is on a 30-minute grid: a stray row at :30 was not counted as off it (the
    grid was measured from midnight, where every row is off it), and the queue was read as 15-minute."""
    rows = [f"2026-12-01T{h:02d}:{m}:00Z,10,300\n" for h in range(8, 17) for m in (15, 45)]
    path = write(tmp_path, HEADER + "".join(rows) + "2026-12-01T17:00:00Z,20,300\n")
    assert "has starts 15 minutes apart where it most often has 30 minutes" in load_error(path)


def test_inferred_interval_must_divide_a_day(tmp_path):
    path = write(tmp_path, HEADER + "2026-12-01T08:00:00Z,1,100\n2026-12-01T08:07:00Z,1,100\n")
    message = load_error(path)
    assert "rows 2 and 3, column 'interval_start'" in message
    assert "got 7 minutes" in message


def test_single_row_queue_takes_the_interval_the_other_queues_agree_on(tmp_path):
    rows = ("2026-12-01T08:00:00Z,a,1,100\n2026-12-01T08:15:00Z,a,1,100\n"
            "2026-12-01T09:00:00Z,c,1,100\n2026-12-01T09:15:00Z,c,1,100\n")
    agreed = write(tmp_path, "interval_start,queue,volume,aht\n" + rows + "2026-12-01T08:00:00Z,b,1,100\n")
    assert load_forecast(agreed).interval_minutes == {"a": 15, "b": 15, "c": 15}
    off_grid = write(tmp_path, "interval_start,queue,volume,aht\n" + rows + "2026-12-01T08:05:00Z,b,1,100\n")
    assert "row 6, column 'interval_start': expected a start on the 15-minute grid of the file's other queues" \
        in load_error(off_grid)  # no --interval was given: the message does not name one


def test_single_row_queue_needs_interval_when_nothing_says_it(tmp_path):
    alone = write(tmp_path, "interval_start,queue,volume,aht\n2026-12-01T08:00:00Z,b,1,100\n")
    message = load_error(alone)
    assert "row 2, column 'interval_start': queue 'b' has a single row" in message and "--interval" in message
    assert load_forecast(alone, interval_minutes=15).interval_minutes == {"b": 15}
    disagree = write(
        tmp_path,
        "interval_start,queue,volume,aht\n"
        "2026-12-01T08:00:00Z,a,1,100\n2026-12-01T08:15:00Z,a,1,100\n"
        "2026-12-01T08:00:00Z,c,1,100\n2026-12-01T08:30:00Z,c,1,100\n"
        "2026-12-01T08:00:00Z,b,1,100\n",
    )
    message = load_error(disagree)
    assert "row 6, column 'interval_start': queue 'b' has a single row" in message
    assert "differ: 15 minutes, 30 minutes" in message


@pytest.mark.parametrize("minutes", [0, 7, 25, 2880, -15])
def test_interval_option_must_divide_a_day(tmp_path, minutes):
    path = write(tmp_path, HEADER + GOOD)
    assert (
        f"an interval of {minutes} minutes (--interval or interval_minutes): expected an interval length in minutes "
        "that divides 1440"
        in load_error(path, interval_minutes=minutes)
    )


def test_interval_option_must_match_the_data(tmp_path):
    path = write(tmp_path, HEADER + "2026-12-01T08:00:00Z,1,100\n2026-12-01T08:15:00Z,1,100\n")
    message = load_error(path, interval_minutes=30)
    assert "row 3, column 'interval_start': expected a start on the 30-minute grid" in message
    assert "got '2026-12-01T08:15:00Z'" in message


# --- Warnings ---------------------------------------------------------------------------------


def test_unknown_columns_are_named_in_a_warning(tmp_path):
    path = write(
        tmp_path, "interval_start,volume,aht,Notes,agent\n2026-12-01T08:00:00Z,1,100,x,y\n"
    )
    forecast = load_forecast(path, interval_minutes=15)
    assert forecast.warnings == (f"{path}: ignoring unknown columns 'Notes', 'agent'",)


def test_gaps_within_a_day_warn_once_per_queue_but_closed_nights_do_not(tmp_path):
    rows = []
    for day in ("2026-12-04", "2026-12-07"):  # Friday, then Monday: the weekend is closed
        for hour in range(8, 17):
            for minute in (0, 30):
                for queue in ("sales", "support"):
                    gap = (
                        queue == "sales"
                        and day == "2026-12-07"
                        and (hour, minute) in {(10, 0), (10, 30), (14, 30)}
                    )
                    if not gap:
                        rows.append(f"{day}T{hour:02d}:{minute:02d}:00-06:00,{queue},5,200")
    path = write(tmp_path, "interval_start,queue,volume,aht\n" + "\n".join(rows) + "\n")
    forecast = load_forecast(path)
    assert forecast.warnings == (
        f"{path}: queue 'sales': 3 intervals missing within a day, "
        "the first at 2026-12-07T10:00:00-06:00",
    )
    assert forecast.interval_minutes == {"sales": 30, "support": 30}



def test_handle_times_in_minutes_are_warned_of_per_queue(tmp_path):
    """The retail sample with its AHT divided by 60 (minutes, as pyworkforce takes them) was sized at a peak of 2
    agents, exit 0, without a word."""
    sample = Path(__file__).parents[1] / "sample_forecasts" / "retail_voice_week_15min.csv"
    rows = list(csv.DictReader(sample.open(encoding="utf-8")))
    minutes = [row | {"aht": str(float(row["aht"]) / 60) if row["aht"] else ""} for row in rows]
    with pytest.warns(ForecastWarning) as caught:
        forecast = forecast_from_records(minutes, name="minutes")
    message = ("minutes: queue 'default': a mean handle time of 5.61 s (weighted by volume) is implausibly short; "
               "aht is in seconds: if the file gives minutes, multiply it by 60")
    assert forecast.warnings == (message,) and [str(w.message) for w in caught] == [message]
    assert forecast_from_records(rows, name="seconds").warnings == ()
    # per queue, weighted by volume: a short call in a busy queue, a queue without contacts, 15 s itself
    path = write(tmp_path, "interval_start,queue,volume,aht\n"
                 "2026-12-01T08:00:00Z,a,1,2\n2026-12-01T08:15:00Z,a,9,300\n"
                 "2026-12-01T08:00:00Z,b,10,4\n2026-12-01T08:15:00Z,b,1,40\n"
                 "2026-12-01T08:00:00Z,c,0,\n2026-12-01T08:15:00Z,c,0,0\n"
                 "2026-12-01T08:00:00Z,d,5,15\n2026-12-01T08:15:00Z,d,5,15\n")
    assert load_forecast(path).warnings == (
        f"{path}: queue 'b': a mean handle time of 7.27 s (weighted by volume) is implausibly short; aht is in "
        "seconds: if the file gives minutes, multiply it by 60",)

# --- Odd inputs: pipes, limits, extreme values ------------------------------------------------

ROWS = HEADER + GOOD + "2026-12-01T08:15:00Z,2,100\n" + "2026-12-01T08:30:00Z,3,100\n"

LOADER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))  # a runaway read fails, not the host
from wfm.errors import WfmError
from wfm.forecast import load_forecast
try:
    forecast = load_forecast(sys.argv[1])
except WfmError as error:
    print("error:", error)
else:
    print(forecast.path, forecast.n_rows, forecast.source_sha256)
"""


def run_loader(arg: str, stdin: bytes | None = None) -> str:
    """load_forecast(arg) in a fresh Python, given 20 s: its one line of output."""
    done = subprocess.run(
        [sys.executable, "-c", LOADER, arg],
        input=stdin,
        capture_output=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode().strip()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_source_sha256_is_of_the_bytes_read(tmp_path):
    path = write(tmp_path, ROWS)
    forecast = load_forecast(path)
    assert forecast.source_sha256 == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert select(forecast, forecast.volume > 1).source_sha256 == forecast.source_sha256


def test_dash_reads_standard_input_once(monkeypatch):
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(ROWS.encode())))
    forecast = load_forecast("-")
    assert forecast.path == "<stdin>"
    np.testing.assert_array_equal(forecast.volume, [1, 2, 3])
    assert forecast.source_sha256 == sha256(ROWS)


def test_errors_in_standard_input_name_it(monkeypatch):
    text = ROWS.replace(",2,", ",-2,")
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(text.encode())))
    with pytest.raises(WfmError, match=r"^<stdin>: row 3, column 'volume': expected a finite"):
        load_forecast("-")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/stdin").exists(), reason="no /dev/stdin")
@pytest.mark.parametrize("arg", ["-", "/dev/stdin"])
def test_piped_standard_input(arg):
    name = "<stdin>" if arg == "-" else arg
    assert run_loader(arg, stdin=ROWS.encode()) == f"{name} 3 {sha256(ROWS)}"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_fifo_is_opened_once(tmp_path):
    fifo = tmp_path / "forecast.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as pipe:
                pipe.write(ROWS.encode())
        except OSError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        assert run_loader(str(fifo)) == f"{fifo} 3 {sha256(ROWS)}"
    finally:
        if writer.is_alive():  # the loader never opened the FIFO: let the writer's open return
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(timeout=5)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_binary_input_fails_at_once():
    assert run_loader("/dev/zero") == (
        "error: /dev/zero: row 1: expected UTF-8 text, got a NUL byte; is this a CSV file?"
    )


def test_nul_byte_names_its_row(tmp_path):
    path = tmp_path / "nul.csv"
    text = f"{HEADER[:-1]},note\n{GOOD[:-1]},\n2026-12-01T08:15:00Z,1,100,a\0\n"
    path.write_bytes(text.encode())
    assert load_error(str(path)).endswith(
        "row 3: expected UTF-8 text, got a NUL byte; is this a CSV file?"
    )


def test_utf16_is_named(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(ROWS.encode("utf-16"))
    assert "row 1: expected UTF-8 text, got UTF-16" in load_error(str(path))


def test_line_over_the_limit_names_its_row(tmp_path):
    rows = [f"2026-12-01T08:00:00Z,1,100,{i}" for i in range(40_000)]  # past the first chunk
    long_row = "2026-12-01T08:15:00Z,1,100," + "x" * (2 << 20)
    path = write(tmp_path, "interval_start,volume,aht,note\n" + "\n".join(rows + [long_row]) + "\n")
    assert load_error(path).endswith(
        f"row {len(rows) + 2}: expected a line of at most {MAX_LINE_BYTES:,} bytes, got a longer "
        "one; is this a CSV file?"
    )


def test_line_at_the_limit_is_read(tmp_path):
    start = "2026-12-01T08:00:00Z,1,100,"
    path = write(
        tmp_path,
        "interval_start,volume,aht,note\n" + start + "x" * (MAX_LINE_BYTES - len(start)) + "\n",
    )
    assert load_forecast(path, interval_minutes=15).n_rows == 1


@pytest.mark.parametrize("column", ["note", "aht"])
def test_field_over_128_kib_before_an_error(tmp_path, column):
    # The csv module, which finds an error's line, refuses fields over 128 KiB by default.
    big = {"aht": "100", "note": ""} | {column: "x" * (200 << 10)}
    path = write(
        tmp_path,
        "interval_start,volume,aht,note\n"
        f"2026-12-01T08:00:00Z,1,{big['aht']},{big['note']}\n"
        "2026-12-01T08:15:00Z,-1,100,\n",
    )
    assert "row 3, column 'volume': expected a finite number >= 0, got '-1'" in load_error(path)


def test_too_many_columns(tmp_path):
    extra = MAX_COLUMNS - 3
    wide = write(tmp_path, HEADER[:-1] + "".join(f",x{i}" for i in range(extra)) + "\n"
                 + GOOD[:-1] + "," * extra + "\n", name="wide.csv")  # fmt: skip
    assert load_forecast(wide, interval_minutes=15).n_rows == 1
    path = write(tmp_path, HEADER[:-1] + "".join(f",x{i}" for i in range(100_000)) + "\n" + GOOD)
    assert load_error(path).endswith(
        f"row 1: expected a header of at most {MAX_COLUMNS:,} columns, got 100,003"
    )


def test_unknown_columns_are_not_kept(tmp_path):
    # Only the known columns are converted: text that is not UTF-8 elsewhere does not matter.
    path = tmp_path / "forecast.csv"
    path.write_bytes(b"interval_start,note,volume,aht\n2026-12-01T08:00:00Z,caf\xe9,1,100\n")
    forecast = load_forecast(path, interval_minutes=15)
    assert forecast.warnings == (f"{path}: ignoring unknown columns 'note'",)


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(forecast_reading, "MAX_INPUT_BYTES", len(ROWS) - 1)
    expected = f"expected a file of at most {len(ROWS) - 1:,} bytes, got a larger one"
    assert expected in load_error(write(tmp_path, ROWS))
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(ROWS.encode())))
    with pytest.raises(WfmError, match=f"^<stdin>: {expected}"):
        load_forecast("-")


@pytest.mark.parametrize(
    "start",
    [
        "9999-12-31T23:45:00-06:00",
        "0001-01-01T00:00:00Z",
        "1899-12-31T23:59:00Z",
        "2200-01-01T00:00Z",
    ],
)
def test_dates_outside_the_supported_years(tmp_path, start):
    path = write(tmp_path, HEADER + GOOD + f"{start},1,100\n")
    assert load_error(path).endswith(
        "row 3, column 'interval_start': expected a date from 1900-01-01 to 2199-12-31, "
        f"got {start!r}"
    )


def test_first_and_last_supported_dates(tmp_path):
    path = write(
        tmp_path, HEADER + "1900-01-01T00:00:00,1,100\n2199-12-31T23:45:00,1,100\n"
    )
    forecast = load_forecast(path, tz="America/Chicago", interval_minutes=15)
    np.testing.assert_array_equal(
        forecast.local_start, utc("1900-01-01T00:00", "2199-12-31T23:45")
    )


def test_local_mean_time_offsets_are_refused(tmp_path):
    path = write(tmp_path, HEADER + "1930-06-01 08:00,1,100\n1930-06-01 08:15,1,100\n")
    assert load_error(path, tz="Europe/Amsterdam").endswith(
        "row 2, column 'interval_start': expected a time when Europe/Amsterdam was a whole number "
        "of minutes off UTC, got '1930-06-01 08:00', when it was +01:19:32 (local mean time); "
        "give UTC offsets in the file instead"
    )


def test_traffic_over_the_sizing_limit(tmp_path):
    path = write(
        tmp_path,
        """
        interval_start,queue,volume,aht
        2026-12-01T08:00:00Z,b,1e20,300
        2026-12-01T08:15:00Z,b,1,300
        2026-12-01T08:00:00Z,a,3e6,300
        2026-12-01T08:15:00Z,a,3000001,300
        """,
    )
    assert load_error(path).endswith(
        "row 2, columns 'volume' and 'aht': 1e+20 contacts x 300 s in 15 minutes is 3.333333333e+19 "
        "Erlangs; wfm sizes at most 1,000,000 Erlangs"
    )
    at_limit = write(tmp_path, HEADER + "2026-12-01T08:00:00Z,3e6,300\n", name="at_limit.csv")
    forecast = load_forecast(at_limit, interval_minutes=15)
    np.testing.assert_array_equal(forecast.traffic_erlangs, [1e6])


def test_huge_and_tiny_values_give_no_numpy_warnings(tmp_path):
    path = write(
        tmp_path,
        HEADER + "2026-12-01T08:00:00Z,1e-320,300\n" + "2026-12-01T08:15:00Z,0,1e300\n"
        "2026-12-01T08:30:00Z,1e-300,1e-300\n" + "2026-12-01T08:45:00Z,1e-320,1e300\n",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        forecast = load_forecast(path)
        traffic = forecast.traffic_erlangs
    assert np.all(np.isfinite(traffic)) and traffic.max() < 1e-20
    huge = write(tmp_path, HEADER + "2026-12-01T08:00:00Z,1e300,1e300\n", name="huge.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        message = load_error(huge, interval_minutes=15)
    assert message.endswith(
        "row 2, columns 'volume' and 'aht': 1e+300 contacts x 1e+300 s in 15 minutes is more "
        "than 1e+308 Erlangs; wfm sizes at most 1,000,000 Erlangs"
    )


# --- Real data --------------------------------------------------------------------------------


def test_bank_call_volumes(tmp_path):
    if not BANK_DATA.exists():
        pytest.skip(f"{BANK_DATA} is not available")
    path = tmp_path / "bank.csv"
    with BANK_DATA.open(newline="") as source, path.open("w", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(["interval_start", "volume", "aht"])
        for row in csv.DictReader(source):
            writer.writerow([row["DateTime"], row["Calls"], 300])
    forecast = load_forecast(path)
    assert forecast.n_rows == 27_716
    assert forecast.interval_minutes == {DEFAULT_QUEUE: 5}
    np.testing.assert_array_equal(forecast.utc_offset_s, 0)
    per_day = intervals_per_local_day(forecast)
    assert len(per_day) == 164
    assert set(per_day.values()) == {169}  # 07:00 to 21:00 inclusive, every 5 minutes
    assert forecast.warnings == ()  # the published data has no gaps within a day
    assert forecast.volume.min() >= 0
    np.testing.assert_allclose(forecast.traffic_erlangs, forecast.volume)  # 300 s / 300 s


@pytest.mark.parametrize("minutes", slow_after(1, [15, 5, 30]))  # 0.2 s each
def test_sparse_exports_of_the_bank_calls_keep_their_interval(minutes):
    """The merged-export and stray-row checks on real shapes: the bank's calls summed into 5 to 30 minutes, thinned
    to a quiet queue's (every contact to 1 in 2,000 kept) and exported with the empty intervals left out, load at
    their own interval, whatever gaps the thinning leaves."""
    if not BANK_DATA.exists():
        pytest.skip(f"{BANK_DATA} is not available")
    with BANK_DATA.open(newline="") as source:
        rows = list(csv.DictReader(source))[:40 * 169]  # 40 days
    seconds = np.array([r["DateTime"].rstrip("Z") for r in rows], dtype="datetime64[s]").astype(np.int64)
    slot, calls = np.unique(seconds // (60 * minutes) * (60 * minutes), return_inverse=True)
    totals = np.bincount(calls, weights=[float(r["Calls"]) for r in rows])
    rng = np.random.default_rng(minutes)
    for keep in (1, 60, 2000):
        volume = rng.poisson(totals / keep)
        listed = volume > 0
        forecast = forecast_from_records(
            [{"interval_start": f"{start}Z", "volume": int(v), "aht": 300}
             for start, v in zip(slot[listed].astype("datetime64[s]"), volume[listed])], name=f"1 in {keep}")
        assert forecast.interval_minutes == {DEFAULT_QUEUE: minutes}, keep


def test_an_offset_beyond_18_hours_is_refused_where_it_is_written(tmp_path):
    path = write(tmp_path, HEADER + "2026-12-01T08:00:00+19:00,1,100\n2026-12-01T08:15:00+19:00,1,100\n")
    assert "row 2, column 'interval_start': expected a UTC offset from -18:00 to +18:00" in load_error(path)
    assert load_forecast(write(tmp_path, HEADER + "2026-12-01T08:00:00+14:00,1,100\n"), interval_minutes=15)


def test_a_queue_open_across_midnight_has_no_gap_between_nights(tmp_path):
    """Open 18:00 to 02:00 every day: the closure from 02:00 to 18:00 is its day's boundary, as the night is a
    daytime queue's; a slot missing inside a night is still a gap."""
    def night(day: int, hour: int) -> str:
        date = f"2026-12-{day + (1 if hour < 2 else 0):02d}"
        return f"{date}T{hour:02d}:00:00-06:00"

    hours = [18, 19, 20, 21, 22, 23, 0, 1]
    rows = [f"{night(day, hour)},5,200" for day in range(1, 8) for hour in hours]
    path = write(tmp_path, "interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    assert load_forecast(path).warnings == ()
    rows.remove(f"{night(3, 0)},5,200")  # midnight of the third night
    path = write(tmp_path, "interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    assert load_forecast(path).warnings == (f"{path}: queue 'default': 1 interval missing within a day, the first at "
                                            "2026-12-04T00:00:00-06:00",)


@pytest.mark.parametrize(("days", "hole"), [(1, range(40, 64)), (7, range(12, 16))])
def test_a_hole_at_the_same_time_every_day_of_a_24_hour_queue_is_a_gap(tmp_path, days, hole):
    """One day 00:00-24:00 without 10:00-16:00, or a 24/7 week without 03:00-04:00 every day (an export that drops
    it): missing intervals, not a night queue's closure."""
    rows = [f"2026-12-{1 + d:02d}T{k // 4:02d}:{15 * (k % 4):02d}:00-06:00,5,200"
            for d in range(days) for k in range(96) if k not in hole]
    path = write(tmp_path, "interval_start,volume,aht\n" + "\n".join(rows) + "\n")
    (warning,) = load_forecast(path).warnings
    assert f"{len(hole) * days} intervals missing within a day" in warning


def test_a_queue_with_two_rows_a_day_takes_the_files_interval_not_the_step_between_them(tmp_path):
    """A callback queue at 09:00 and 17:00 beside a 15-minute queue was read as of 8-hour intervals, silently: its
    traffic 32 times too low. It takes the 15 minutes, as a single-row queue does, with a warning that says so (the
    ambiguity is real: rows 2 hours apart may be 2-hour intervals); so do rows 7 hours apart (not a divisor of a day),
    rows across a change of clock, and a row a day not at midnight. Alone it keeps 8 hours, with a warning; a row a
    day at midnight is a day long, as before; a queue at 09:00 and 09:15 beside 30-minute queues keeps its 15."""
    header = "queue,interval_start,volume,aht\n"
    sales = [f"sales,2026-{m:02d}-{d:02d}T09:{k:02d}:00{o},40,300\n" for m, d, o in
             ((10, 31, "-05:00"), (11, 1, "-06:00"), (11, 2, "-06:00")) for k in (0, 15, 30)]
    note = ("{path}: queue 'cb' is listed at most twice a day, at times hours apart: read as 15-minute intervals like "
            "the file's other queues, the time between its rows not listed (closed); if its rows are longer intervals, "
            "load the queue from a file of its own with --interval")
    for name, hours in (("eight", (9, 17)), ("seven", (9, 16)), ("once", (9,))):
        callback = [f"cb,2026-{m:02d}-{d:02d}T{h:02d}:00:00{o},5,300\n" for m, d, o in
                    ((10, 31, "-05:00"), (11, 1, "-06:00"), (11, 2, "-06:00")) for h in hours]  # across the change
        path = write(tmp_path, header + "".join(sales + callback), f"{name}.csv")
        both = load_forecast(path)
        assert both.interval_minutes == {"sales": 15, "cb": 15} and both.warnings == (note.format(path=path),), name
    alone = load_forecast(write(tmp_path, header + "".join(f"cb,2026-12-0{d}T{h:02d}:00:00-06:00,5,300\n"
                                                            for d in (1, 2) for h in (9, 17)), "a.csv"))
    assert alone.interval_minutes == {"cb": 480}
    assert alone.warnings[0] == (f"{tmp_path / 'a.csv'}: queue 'cb' is listed at most twice a day, at times hours "
                                 "apart: its interval length is read as 480 minutes, the shortest step between its "
                                 "rows; if its rows are shorter intervals, pass --interval MINUTES (interval_minutes= "
                                 "in Python)")
    daily = [f"bo,2026-12-0{d}T00:00:00-06:00,5,300\n" for d in range(1, 6)]  # a day's total: a day long
    week = [f"sales,2026-12-0{d}T09:{k:02d}:00-06:00,40,300\n" for d in range(1, 6) for k in (0, 15, 30)]
    once = load_forecast(write(tmp_path, header + "".join(week + daily), "d.csv"))
    assert once.interval_minutes == {"sales": 15, "bo": 1440}
    half = [f"q{k},2026-12-01T{h:02d}:{m:02d}:00-06:00,40,300\n" for k in (1, 2) for h in (9, 10) for m in (0, 30)]
    pair = [f"p,2026-12-0{d}T09:{m:02d}:00-06:00,5,300\n" for d in (1, 2) for m in (0, 15)]
    kept = load_forecast(write(tmp_path, header + "".join(half + pair), "k.csv"))
    assert kept.interval_minutes == {"q1": 30, "q2": 30, "p": 15}


def test_a_24_hour_queue_without_its_midnight_row_has_a_gap(tmp_path):
    """A 24/7 queue missing 00:00 (or 23:00) was never warned of: steps across midnight were never gaps. A hole of
    under two hours there is; a closed weekend is not."""
    rows = [f"2026-12-0{d}T{h:02d}:00:00-06:00,10,300\n" for d in (1, 2) for h in range(24) if (d, h) != (2, 0)]
    path = write(tmp_path, HEADER + "".join(rows))
    assert load_forecast(path).warnings == (f"{path}: queue 'default': 1 interval missing within a day, the first at "
                                            "2026-12-02T00:00:00-06:00",)
    weekdays = [f"2026-12-{d:02d}T{h:02d}:00:00-06:00,10,300\n" for d in (4, 7) for h in range(24)]  # Fri, Mon
    assert load_forecast(write(tmp_path, HEADER + "".join(weekdays), "w.csv")).warnings == ()
