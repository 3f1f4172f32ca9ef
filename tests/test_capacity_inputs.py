"""wfm.capacity.inputs: VOLUMES.csv read and checked, one line per problem naming file, row and column."""

from __future__ import annotations

import datetime as dt

import pytest

from wfm.capacity.inputs import parse_period, period_containing, read_volumes
from wfm.errors import InputError


def _day(text: str) -> int:
    return (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days


def test_months_and_weeks():
    assert parse_period("2027-02")[1:] == (_day("2027-02-01"), _day("2027-03-01"), "2027-02")
    assert parse_period("2027-12")[2] == _day("2028-01-01")
    assert parse_period("2027-w05")[1:] == (_day("2027-02-01"), _day("2027-02-08"), "2027-W05")
    assert parse_period("2026-W53")[0] == "week"  # 2026 has 53 ISO weeks
    assert period_containing("week", _day("2027-01-01"))[2] == "2026-W53"
    assert period_containing("month", _day("2026-11-17"))[2] == "2026-11"


def test_reads_queues_and_periods(write_csv):
    path = write_csv("Queue,Period,Calls,AHT,note\nsales,2027-01,100,300,x\nsales,2027-02,0,,\n"
                     "care,2027-02,50,400,\ncare,2027-01,60,410,\n")
    v = read_volumes(path)
    assert v.kind == "month" and v.periods == ("2027-01", "2027-02") and v.queues == ("sales", "care")
    assert v.volume.tolist() == [[100, 0], [60, 50]] and v.aht_s.tolist() == [[300, 0], [410, 400]]
    assert v.days.tolist() == [31, 28]


@pytest.mark.parametrize("text, message", [
    ("period,volume\n2027-01,5\n", "row 1: missing column 'aht'"),
    ("period,volume,aht\n2027-13,5,300\n", "row 2, column 'period': expected a month from 1900-01 to 2199-12, got '2027-13'"),
    ("period,volume,aht\n2027-W53,5,300\n", "row 2, column 'period': expected an ISO week that exists"),
    ("period,volume,aht\nJan 2027,5,300\n", "row 2, column 'period': expected a period such as 2027-01"),
    ("period,volume,aht\n2027-01,-3,300\n", "row 2, column 'volume': expected a finite number >= 0, got '-3'"),
    ("period,volume,aht\n2027-01,5,0\n", "row 2, column 'aht': expected a finite number > 0, got '0'"),
    ("period,volume,aht\n2027-01,nan,300\n", "row 2, column 'volume'"),
    ("period,volume,aht\n2027-01,5,300\n2027-W06,5,300\n", "row 3, column 'period': expected a month such as 2027-01"),
    ("period,volume,aht\n2027-01,5,300\n2027-03,5,300\n", "periods missing between 2027-01 and 2027-03"),
    ("period,volume,aht\n2027-01,5,300\n2027-01,5,300\n", "row 3, column 'period': 2027-01 is listed twice"),
    ("queue,period,volume,aht\na,2027-01,5,300\nb,2027-02,5,300\na,2027-02,5,300\n", "queue 'b' has no row for 2027-01"),
    ("period,volume,aht\n", "no rows after the header"),
    ("", "the file is empty"),
])
def test_bad_input_is_one_line_naming_where(write_csv, text, message):
    path = write_csv(text, name="volumes.csv")
    with pytest.raises(InputError) as error:
        read_volumes(path)
    assert message in str(error.value) and str(error.value).startswith(str(path))
    assert "\n" not in str(error.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_volumes(tmp_path / "none.csv")
