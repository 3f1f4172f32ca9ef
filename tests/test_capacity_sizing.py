"""wfm.capacity.sizing: the profile week scaled to each period and sized; the default week as documented."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from conftest import SAMPLES

import wfm
from wfm.capacity.inputs import read_volumes
from wfm.capacity.sizing import DEFAULT_PROFILE_TEXT, default_profile, sized_periods
from wfm.errors import UnusedSettingWarning


def test_the_default_week_has_the_day_volumes_its_description_gives() -> None:
    profile = default_profile()
    days = profile.local_start.astype("datetime64[D]")
    totals = np.array([profile.volume[days == d].sum() for d in np.unique(days)])
    described = [float(x) for x in re.findall(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur)day (\d\.\d+)", DEFAULT_PROFILE_TEXT)]
    assert len(described) == 6
    assert totals / totals[:5].mean() == pytest.approx(described, abs=0.005)


def _volumes(tmp_path, volumes: list[float]):
    path = tmp_path / "volumes.csv"
    path.write_text("queue,period,volume,aht\n" + "".join(f"care,2027-{m + 1:02d},{v:g},300\n"
                                                          for m, v in enumerate(volumes)))
    return read_volumes(path)


@pytest.mark.slow  # sizes a deferred period: run by CI, skipped by -m 'not slow'
def test_a_deferred_queues_period_is_sized_on_its_own_week(tmp_path) -> None:
    """Its backlog at the end of one period's copy of the week is not carried into the next period's: a month of
    ten times the work before an ordinary month left the ordinary month 32 % heavier."""
    settings = wfm.Settings(queue_values={"care": {"channel": "email", "answer_within_s": 4 * 3600,
                                                   "service_level": 0.9}})
    alone, _ = sized_periods(_volumes(tmp_path, [40_000]), default_profile(), settings)
    after_a_peak, _ = sized_periods(_volumes(tmp_path, [40_000, 400_000, 40_000]), default_profile(), settings)
    assert after_a_peak[0, 2] == pytest.approx(alone[0, 0], rel=1e-12)
    assert after_a_peak[0, 0] == pytest.approx(alone[0, 0], rel=1e-12)
    assert after_a_peak[0, 1] > 5 * alone[0, 0]


def test_queue_sections_are_checked_against_the_volumes_queues(tmp_path) -> None:
    from wfm.capacity.run import make_capacity_plan
    from wfm.capacity.settings import CapacitySettings

    volumes = _volumes(tmp_path, [20_000, 20_000])
    capacity = CapacitySettings(headcount=40, training_weeks=3, lead_time_weeks=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # care is a queue of the volumes, though the default profile's is "default"
        make_capacity_plan(volumes, capacity, wfm.Settings(queue_values={"care": {"service_level": 0.9}}))
    with pytest.warns(UnusedSettingWarning, match=r"^\[queues\.cares\] matches no queue in the forecast \(did you mean 'care'\?\)$"):
        make_capacity_plan(volumes, capacity, wfm.Settings(queue_values={"cares": {"service_level": 0.9}}))


@pytest.mark.slow  # sizes six deferred weeks: run by CI, skipped by -m 'not slow'
@pytest.mark.parametrize(("hours", "clock"), [(4, "elapsed"), (48, "elapsed"), (72, "elapsed"), (168, "elapsed"),
                                              (72, "open"), (168, "open")])
def test_a_deferred_queue_is_sized_for_all_of_its_work_whatever_its_response_time(tmp_path, hours: int,
                                                                                  clock: str) -> None:
    """In steady state every item is worked: the FTE is at least the work's own (a lone week sized from an empty
    backlog dropped the work due after its end: at 3 days, 11.9 FTE for 20,000 items a month of 400 s, whose work
    alone is 18.6 FTE; on the open clock a week of open hours spans two weeks, past three copies: 1.3 FTE)."""
    volumes = tmp_path / "volumes.csv"
    volumes.write_text("queue,period,volume,aht\n" + "".join(f"care,2027-{m:02d},20000,400\n" for m in (1, 2, 3)))
    settings = wfm.Settings(targets=wfm.Targets(shrinkage=0.3),
                            queue_values={"care": {"channel": "email", "answer_within_s": hours * 3600,
                                                   "service_level": 0.9, "response_clock": clock}})
    fte, handled = sized_periods(read_volumes(volumes), default_profile(), settings)
    days = np.array([31, 28, 31])
    work = 20_000 * 400 / 3600 * 7 / days / (40 * (1 - 0.3))  # FTE of the work alone, per period
    assert np.all(fte[0] >= work * (1 - 1e-9)) and np.all(handled == 1.0)
    assert np.all(fte[0] <= work * 1.6)  # and not far above it


def test_a_period_whose_copy_has_no_open_time_takes_no_more_copies(tmp_path) -> None:
    """Open hours (22:00-06:00, the open clock) that hold none of the default week's intervals: a period without work
    is 0 FTE at once (it asked for 86,400 copies either side, 9 GB, before the open-hours error); one with work is
    that error."""
    settings = wfm.Settings(queue_values={"care": {"channel": "email", "answer_within_s": 86_400, "service_level": 0.9,
                                                   "response_clock": "open", "open_hours": "22:00-06:00"}})
    fte, _ = sized_periods(_volumes(tmp_path, [0]), default_profile(), settings)
    assert fte.tolist() == [[0.0]]
    with pytest.raises(wfm.ConfigError, match="open hours"):
        sized_periods(_volumes(tmp_path, [0, 40_000]), default_profile(), settings)


def test_a_profile_that_is_not_whole_weeks_is_warned_of(tmp_path) -> None:
    """A 10-day profile from a Monday lists Monday to Wednesday twice: read as two weeks, its volume spread on ten
    days, each interval sized at 1.4 times its traffic, silently. A week of weekdays, or two, is whole."""
    from wfm.capacity.sizing import profile_warnings

    def profile(days: int) -> wfm.Forecast:
        rows = [f"2026-11-{30 + d:02d}" if d == 0 else f"2026-12-{d:02d}" for d in range(days)]
        path = tmp_path / f"p{days}.csv"
        path.write_text("interval_start,volume,aht\n" + "".join(
            f"{day}T{h:02d}:00:00Z,10,300\n" for day in rows for h in range(8, 18)))
        return wfm.load_forecast(path)

    volumes = _volumes(tmp_path, [20_000])
    ten = profile(10)
    assert profile_warnings(ten, volumes) == [
        f"{ten.path}: queue 'default': the profile is not whole weeks: its 10 days end with part of a week (Mon, Tue, "
        "Wed); it is read as 2 weeks, the days it does not list closed; give whole weeks"]
    assert profile_warnings(profile(7), volumes) == profile_warnings(profile(14), volumes) == []
    # whole weeks with a holiday inside (the 8-week sample lacks Thanksgiving), and weekdays only: no warning
    sales = tmp_path / "sales.csv"
    sales.write_text("queue,period,volume,aht\nsales,2027-01,20000,300\nsupport,2027-01,9000,400\n")
    assert profile_warnings(wfm.load_forecast(SAMPLES / "history_8w_15min.csv"), read_volumes(sales)) == []
    assert profile_warnings(wfm.load_forecast(SAMPLES / "retail_voice_week_15min.csv"), volumes) == []
