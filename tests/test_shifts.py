"""wfm.shifts: shift rules (defaults, parsing, validation), the shrinkage split, the local-time
timeline (closed hours, DST) and the shifts and tours a schedule may use."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from wfm.errors import WfmError
from wfm.shifts import (
    BreakRule,
    ShiftRules,
    build_timeline,
    generate_candidates,
    shift_types,
    split_shrinkage,
)

UTC = timezone.utc


def _utc_intervals(first: datetime, count: int, minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` intervals from aware `first`, stepping in real time; UTC starts and offsets."""
    starts, offsets = [], []
    t = first.astimezone(UTC)
    for _ in range(count):
        local = t.astimezone(first.tzinfo)
        starts.append(np.datetime64(t.replace(tzinfo=None), "s"))
        offsets.append(int(local.utcoffset().total_seconds()))
        t += timedelta(minutes=minutes)
    return np.array(starts), np.array(offsets)


def _business_week(open_h: float, close_h: float, days: int, minutes: int = 15, tz: str = "America/Chicago"):
    """Open `open_h`-`close_h` local on `days` consecutive days from Mon 2026-11-30 (no DST change)."""
    zone = ZoneInfo(tz)
    starts, offsets = [], []
    for d in range(days):
        day = datetime(2026, 11, 30, tzinfo=zone) + timedelta(days=d)
        t = day + timedelta(hours=open_h)
        while t < day + timedelta(hours=close_h):
            starts.append(np.datetime64(t.astimezone(UTC).replace(tzinfo=None), "s"))
            offsets.append(int(t.utcoffset().total_seconds()))
            t += timedelta(minutes=minutes)
    return np.array(starts), np.array(offsets)


# --- rules -------------------------------------------------------------------------------------


def test_default_rules_are_the_issue_defaults() -> None:
    rules = ShiftRules()
    assert rules.full_time_hours == (8.0, 9.0)
    assert rules.part_time_hours == (4.0,)
    eight = rules.breaks_for(8.0)
    assert [(b.name, b.minutes, b.paid, b.window_in_shift_h(8.0)) for b in eight] == [
        ("break 1", 15, True, (1.5, 2.5)),
        ("lunch", 30, False, (3.5, 5.0)),
        ("break 2", 15, True, (5.5, 7.0)),
    ]
    assert [b.window_in_shift_h(9.0) for b in rules.breaks_for(9.0)] == [(1.5, 2.5), (3.5, 5.0), (6.5, 8.0)]
    four = rules.breaks_for(4.0)
    assert [(b.minutes, b.paid) for b in four] == [(15, True)]
    assert rules.paid_hours(8.0) == 7.5  # the unpaid lunch is off the clock
    assert rules.phone_hours(8.0) == 7.0
    assert rules.paid_hours(4.0) == 4.0
    assert rules.paid_break_fraction() == pytest.approx(0.5 / 7.5)
    assert rules.tours and rules.days_per_week == 5 and rules.consecutive_days_off


def test_from_mapping_reads_a_toml_style_table() -> None:
    rules = ShiftRules.from_mapping(
        {
            "full_time_hours": [8, 10],
            "part_time_hours": [],
            "start_step_minutes": 15,
            "earliest_start": "06:00",
            "latest_start": time(20, 0),
            "breaks": [
                {"name": "coffee", "minutes": 15, "paid": True, "window_h": [2, 3]},
                {"name": "lunch", "minutes": 45, "paid": False, "window_h": [4, 6], "min_shift_h": 8},
            ],
            "cost_per_paid_hour": {"8": 20.0, "10": 22},
            "tours": False,
            "time_limit_s": 5,
            "max_part_time_share": 0.2,
        },
        source="plan.toml [schedule]",
    )
    assert rules.lengths_h == (8.0, 10.0)
    assert rules.part_time_hours == ()
    assert rules.earliest_start == time(6, 0) and rules.latest_start == time(20, 0)
    assert [b.name for b in rules.breaks_for(10.0)] == ["coffee", "lunch"]
    assert rules.paid_hours(10.0) == pytest.approx(9.25)
    assert rules.cost_for(8.0) == 20.0 and rules.cost_for(10.0) == 22.0
    assert not rules.tours and rules.time_limit_s == 5.0


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"shift_lenghts": [8]}, "unknown key 'shift_lenghts'"),
        ({"full_time_hours": "eight"}, "full_time_hours must be a number"),
        ({"start_step_minutes": 7.5}, "start_step_minutes must be a whole number"),
        ({"tours": "yes"}, "tours must be true or false"),
        ({"start_flex_minutes": -30}, "start_flex_minutes must be a whole number of minutes from 0 to 720"),
        ({"earliest_start": "6 am"}, "earliest_start must be a local time"),
        ({"breaks": [{"minutes": 15, "paid": True, "window_h": [1, 2], "colour": "red"}]},
         "unknown key 'colour' in breaks[0]"),
        ({"breaks": [{"minutes": 15, "window_h": [1, 2]}]}, "breaks[0] is missing 'paid'"),
        ({"breaks": [{"minutes": 15, "paid": True, "window_h": [1, 2]},
                     {"minutes": 30, "paid": False, "window_h": [1.5, 3]}]}, "overlap"),
        ({"breaks": [{"minutes": 15, "paid": True, "window_h": [7.5, 9]}]}, "outside the 8 h shift"),
        ({"breaks": [{"minutes": 45, "paid": True, "window_h": [2, 2.5]}]}, "does not fit its window"),
        ({"cost_per_paid_hour": {"7": 20.0}}, "not one of"),
        ({"full_time_hours": [], "part_time_hours": []}, "no shift lengths"),
        ({"days_per_week": 8}, "days_per_week must be a whole number from 1 to 7"),
        # a bool is not a number, a string is not a number (issue 6)
        ({"full_time_hours": [True]}, "full_time_hours must be a number, got true"),
        ({"understaffing_weight": True}, "understaffing_weight must be a number, got true"),
        ({"days_per_week": True}, "days_per_week must be a whole number, got true"),
        ({"start_step_minutes": "30"}, 'start_step_minutes must be a whole number, got "30"'),
        ({"start_flex_minutes": math.inf}, "start_flex_minutes must be a whole number, got inf"),
        ({"max_part_time_share": math.nan}, "max_part_time_share must be a number, got nan"),
        ({"breaks": [{"minutes": math.nan, "paid": True, "window_h": [1, 2]}]}, "breaks[0].minutes must be a number, got nan"),
        ({"cost_per_paid_hour": {"8": "20"}}, 'cost_per_paid_hour.8 must be a number, got "20"'),
        ({"cost_per_paid_hour": {"nan": 20}}, 'cost_per_paid_hour key "nan" is not a shift length'),
        # values outside a sane range (issue 6)
        ({"understaffing_weight": 1e300}, "understaffing_weight must be paid hours more than 0 and at most 1000, got 1e+300"),
        ({"time_limit_s": math.inf}, "time_limit_s must be seconds more than 0 and at most 86,400, got inf"),
        ({"full_time_hours": [30]}, "full_time_hours must be shift lengths of more than 0 and at most 16 hours, got 30"),
        ({"part_time_hours": [-4]}, "part_time_hours must be shift lengths of more than 0 and at most 16 hours, got -4"),
        ({"start_step_minutes": 0}, "start_step_minutes must be a whole number of minutes from 1 to 1440, got 0"),
        ({"cost_per_paid_hour": {"8": 1e300}}, "cost_per_paid_hour for 8 h shifts must be more than 0 and at most"),
        ({"breaks": [{"minutes": 15, "paid": True, "window_h": [1, math.inf]}]}, "window_h must be hours from -24 to 24"),
    ],
)
def test_from_mapping_rejects_bad_tables_with_one_line_naming_the_source(table, fragment) -> None:
    with pytest.raises(WfmError) as err:
        ShiftRules.from_mapping(table, source="plan.toml [schedule]")
    message = str(err.value)
    assert message.startswith("plan.toml [schedule]: ")
    assert fragment in message
    assert "\n" not in message


def test_direct_construction_is_as_strict_as_a_table() -> None:
    with pytest.raises(WfmError, match="^tours must be true or false, got 1$"):
        ShiftRules(tours=1)
    with pytest.raises(WfmError, match="^full_time_hours must be a number, got true$"):
        ShiftRules(full_time_hours=(True,))
    with pytest.raises(WfmError, match="minutes must be a number, got true"):
        BreakRule("coffee", True, True, (1, 2))
    assert ShiftRules(days_per_week=4.0).days_per_week == 4  # a whole float is a whole number
    assert ShiftRules(breaks=(BreakRule("b", 15, True, (1, 2), max_shift_h=math.inf),)).breaks[0].max_shift_h == math.inf


def test_default_start_step_follows_the_interval() -> None:
    """Issue 6: an hourly forecast could not be planned with default settings."""
    rules = ShiftRules()
    assert rules.start_step_minutes is None
    assert [rules.start_step_s(m * 60) for m in (5, 15, 30, 45, 60, 120)] == [1800, 1800, 1800, 2700, 3600, 7200]
    assert ShiftRules(start_step_minutes=15).start_step_s(900) == 900
    assert ShiftRules(start_step_minutes=120).start_step_s(3600) == 7200
    with pytest.raises(WfmError) as err:
        ShiftRules.from_mapping({"start_step_minutes": 30}, "wfm.toml [schedule]").start_step_s(3600)
    assert str(err.value).startswith(
        "wfm.toml [schedule]: start_step_minutes must be a multiple of the 60-minute interval of the forecast, got 30")


def test_an_hourly_week_gets_hourly_starts_by_default() -> None:
    starts, offsets = _business_week(8, 18, 5, minutes=60)
    tl = build_timeline(starts, offsets, 3600)
    cand = generate_candidates(tl, ShiftRules(), tours=True)
    assert cand.tour_tod_s.size and set((cand.tour_tod_s % 3600).tolist()) == {0}
    with pytest.raises(WfmError, match=r"^\[schedule\]: start_step_minutes must be a multiple of the 60-minute"):
        generate_candidates(tl, ShiftRules(start_step_minutes=30), tours=True)


def test_an_hourly_forecast_plans_with_default_settings(write_csv) -> None:
    from wfm.config import Settings
    from wfm.forecast import load_forecast
    from wfm.plan import make_plan

    rows = ["interval_start,volume,aht"]
    for day in range(5):
        for hour in range(8, 18):
            t = datetime(2026, 11, 30, hour) + timedelta(days=day)
            rows.append(f"{t:%Y-%m-%dT%H:%M:%S}Z,{30 if 10 <= hour < 16 else 15},300")
    plan = make_plan(load_forecast(write_csv("\n".join(rows) + "\n")), Settings(), time_limit_s=10)
    (queue,) = plan.queues
    assert queue.schedule.headcount > 0 and plan.rules.start_step_minutes is None
    assert all(t.start.minute == 0 for t in queue.schedule.tours)


def test_break_windows_counted_back_from_the_end() -> None:
    rule = BreakRule("late", 15, True, (-2.0, -1.0))
    assert rule.window_in_shift_h(8.0) == (6.0, 7.0)
    assert rule.window_in_shift_h(10.0) == (8.0, 9.0)


def test_part_time_can_be_turned_off_and_lengths_must_fit_the_grid() -> None:
    rules = ShiftRules(part_time_hours=())
    assert rules.lengths_h == (8.0, 9.0)
    with pytest.raises(WfmError, match="multiple of the 30-minute interval"):
        shift_types(ShiftRules(start_step_minutes=15), 1800)
    with pytest.raises(WfmError, match="not a whole number of 30-minute intervals"):
        shift_types(ShiftRules(full_time_hours=(7.75,), part_time_hours=()), 1800)


def test_a_fifteen_minute_break_on_a_thirty_minute_grid_takes_half_an_interval() -> None:
    eight = shift_types(ShiftRules(), 1800)[0]
    coefs = [b.coef for b in eight.breaks]
    assert coefs == [(0.5,), (1.0,), (0.5,)]
    # break 1 in hours 1.5-2.5 may start at 1.5 or 2.0 h (2.5 h would end outside the window)
    assert (eight.breaks[0].first, eight.breaks[0].last) == (3, 4)


# --- shrinkage -----------------------------------------------------------------------------------


def test_split_shrinkage_takes_the_paid_breaks_out_once() -> None:
    split = split_shrinkage(0.30, ShiftRules())
    assert split.modelled == pytest.approx(1 / 15)  # 30 min paid breaks / 7.5 paid hours
    assert split.remaining == pytest.approx(0.25)  # 1 - 0.7 / (14/15)
    # shrinkages multiply: (1 - total) = (1 - modelled)(1 - remaining)
    assert (1 - split.modelled) * (1 - split.remaining) == pytest.approx(1 - split.total)
    assert split_shrinkage(0.2, 0.2).remaining == 0.0
    assert split_shrinkage(0.35, ShiftRules(), length_h=4.0).modelled == pytest.approx(0.25 / 4)


def test_split_shrinkage_rejects_breaks_above_the_total() -> None:
    with pytest.raises(WfmError, match=r"total shrinkage 5\.0% is less than the 6\.7%"):
        split_shrinkage(0.05, ShiftRules())
    with pytest.raises(WfmError):
        split_shrinkage(1.0, ShiftRules())


# --- timeline ------------------------------------------------------------------------------------


def test_timeline_of_business_hours_runs_midnight_to_midnight_local() -> None:
    starts, offsets = _business_week(8, 22, days=2)
    tl = build_timeline(starts, offsets, 900)
    assert tl.n_days == 2 and tl.n == 2 * 96
    assert tl.open.sum() == starts.size
    first_local = datetime(1970, 1, 1) + timedelta(seconds=int(tl.local_s[0]))
    assert first_local == datetime(2026, 11, 30, 0, 0)
    assert np.all(tl.open[tl.index])
    assert str(tl.dates[1]) == "2026-12-01"


def test_timeline_over_the_fall_back_change_has_a_25_hour_day() -> None:
    zone = ZoneInfo("America/New_York")
    starts, offsets = _utc_intervals(datetime(2026, 10, 26, tzinfo=zone), 7 * 96 + 4, 15)
    tl = build_timeline(starts, offsets, 900)
    assert tl.n_days == 7 and tl.n == 676
    assert np.bincount(tl.day).tolist() == [96] * 6 + [100]


def test_rejects_unsorted_or_off_grid_intervals() -> None:
    starts, offsets = _business_week(8, 10, days=1)
    with pytest.raises(WfmError, match="strictly increasing"):
        build_timeline(starts[::-1], offsets, 900)
    with pytest.raises(WfmError, match="grid"):
        build_timeline(starts + np.timedelta64(60, "s"), offsets, 900)


# --- candidates ----------------------------------------------------------------------------------


def test_shifts_stay_inside_open_hours_unless_closed_time_is_allowed() -> None:
    starts, offsets = _business_week(8, 22, days=1)
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), tours=False)
    cand = generate_candidates(tl, rules, tours=False)
    local_h = (tl.local_s[cand.start] % 86400) / 3600
    assert local_h.min() == 8.0 and local_h.max() == 14.0  # 14:00 + 8 h = 22:00 closing
    loose = generate_candidates(tl, ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(),
                                               allow_closed_time=True, cyclic=False), tours=False)
    assert loose.start.size > cand.start.size


def _patterns(cand) -> set[tuple[int, ...]]:
    return {tuple(np.flatnonzero(row)) for row in cand.tour_days}


def test_tours_in_a_24_7_week_have_two_consecutive_days_off_counted_cyclically() -> None:
    starts, offsets = _business_week(0, 24, days=7)
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60, cyclic=True)
    cand = generate_candidates(tl, rules, tours=True)
    assert _patterns(cand) == {tuple(d for d in range(7) if d not in (first, (first + 1) % 7)) for first in range(7)}
    assert (1, 2, 3, 4, 5) in _patterns(cand)  # Sunday + Monday off counts as consecutive


def test_a_closed_day_is_a_day_off_and_the_other_day_off_floats() -> None:
    starts, offsets = _business_week(8, 18, days=6)  # Mon-Sat open, Sunday closed
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60)
    cand = generate_candidates(tl, rules, tours=True)
    assert np.all(cand.tour_days.sum(axis=1) == 5)
    assert not cand.tour_days[:, 6].any()  # nobody works the closed Sunday
    # Sunday and any one of Monday-Saturday off (a Mon-Fri-only rule would starve Saturday)
    assert _patterns(cand) == {tuple(d for d in range(6) if d != off) for off in range(6)}
    # membership: each tour works one daily shift per working day
    assert np.all(np.asarray(cand.member.sum(axis=0)).ravel() == 5)


def test_consecutive_days_off_run_over_the_open_days() -> None:
    starts, offsets = _business_week(8, 18, days=6)  # Mon-Sat open
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60, days_per_week=4)
    cand = generate_candidates(tl, rules, tours=True)
    # 4 of the 6 open days, the 2 open days off adjacent among Mon..Sat (Sat + Mon adjacent too)
    assert _patterns(cand) == {tuple(d for d in range(6) if d not in (first, (first + 1) % 6)) for first in range(6)}
    free = generate_candidates(tl, ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(),
                                              start_step_minutes=60, days_per_week=4, consecutive_days_off=False),
                               tours=True)
    assert len(_patterns(free)) == 15  # any 4 of 6


def test_a_week_open_fewer_days_than_a_tour_works_every_open_day() -> None:
    starts, offsets = _business_week(8, 18, days=4)  # Mon-Thu open
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60)
    cand = generate_candidates(tl, rules, tours=True)
    assert _patterns(cand) == {(0, 1, 2, 3)}


def test_a_day_too_short_for_a_shift_is_a_day_off_for_that_shift_only() -> None:
    weekdays = _business_week(8, 20, days=5)
    saturday = _business_week(8, 14, days=6)  # Saturday 08-14: a 4 h shift fits, an 8 h one does not
    sat = saturday[0] >= np.datetime64("2026-12-05T00:00")
    starts = np.concatenate([weekdays[0], saturday[0][sat]])
    offsets = np.concatenate([weekdays[1], saturday[1][sat]])
    tl = build_timeline(starts, offsets, 900)
    cand = generate_candidates(tl, ShiftRules(full_time_hours=(8,), part_time_hours=(4,), breaks=(),
                                              start_step_minutes=60), tours=True)
    full = cand.tour_days[[not cand.types[k].part_time for k in cand.tour_type]]
    part = cand.tour_days[[cand.types[k].part_time for k in cand.tour_type]]
    assert {tuple(np.flatnonzero(r)) for r in full} == {(0, 1, 2, 3, 4)}
    assert (1, 2, 3, 4, 5) in {tuple(np.flatnonzero(r)) for r in part}


def test_start_times_follow_local_clock_over_dst_changes() -> None:
    zone = ZoneInfo("America/New_York")
    # fall back (2026-11-01): 01:00-01:45 happens twice; a 01:00 start takes the first one
    starts, offsets = _utc_intervals(datetime(2026, 11, 1, tzinfo=zone), 100, 15)
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(4,), part_time_hours=(), breaks=(), tours=False, cyclic=False)
    cand = generate_candidates(tl, rules, tours=False)
    utc_start = {int(t): np.datetime64(int(tl.utc_s[s]), "s") for t, s in zip(cand.tod_s, cand.start)}
    assert utc_start[3600] == np.datetime64("2026-11-01T05:00:00")  # 01:00 EDT
    assert utc_start[8 * 3600] == np.datetime64("2026-11-01T13:00:00")  # 08:00 EST
    # spring forward (2026-03-08): 02:30 does not exist; read as zoneinfo does, 03:30 EDT
    starts, offsets = _utc_intervals(datetime(2026, 3, 8, tzinfo=zone), 92, 15)
    tl = build_timeline(starts, offsets, 900)
    assert tl.n == 92  # a 23-hour day
    cand = generate_candidates(tl, rules, tours=False)
    real = [np.datetime64(int(tl.utc_s[s]), "s") for s in cand.start]
    assert np.datetime64("2026-03-08T07:30:00") in real  # 03:30 EDT (02:30 and 03:30 alike)
    assert len(set(real)) == len(real)  # one daily shift per real start


def test_candidate_counts_for_a_24_7_week() -> None:
    zone = ZoneInfo("America/New_York")
    starts, offsets = _utc_intervals(datetime(2026, 11, 30, tzinfo=zone), 7 * 96, 15)
    tl = build_timeline(starts, offsets, 900)
    cand = generate_candidates(tl, ShiftRules(), tours=True)
    # 48 half-hourly start times x 3 lengths x 7 day-off patterns; each on every day (cyclic week)
    assert cand.tour_type.size == 48 * 3 * 7
    assert cand.start.size == 48 * 3 * 7
    assert math.isclose(cand.member.sum(), 5 * cand.tour_type.size)


def _late_sunday_week():
    """Mon-Sat open 08:00-18:00, Sunday 10:00-18:00 (America/Chicago)."""
    week = _business_week(8, 18, days=6)
    sunday = _business_week(10, 18, days=7)
    sun = sunday[0] >= np.datetime64("2026-12-06T12:00")
    return np.concatenate([week[0], sunday[0][sun]]), np.concatenate([week[1], sunday[1][sun]])


def test_a_tour_starts_up_to_an_hour_later_on_a_day_that_opens_late() -> None:
    starts, offsets = _late_sunday_week()
    tl = build_timeline(starts, offsets, 900)
    rigid = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60, start_flex_minutes=0)
    flex = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60)
    assert flex.start_flex_minutes == 60

    def sunday_tours(cand) -> set[int]:
        """Start times (hours) of the tours that work Sunday."""
        return {int(t) // 3600 for t, days in zip(cand.tour_tod_s, cand.tour_days) if days[6]}

    # without flexibility only a 10:00 tour can work Sunday; with an hour's, 09:00 and 11:00 tours too
    assert sunday_tours(generate_candidates(tl, rigid, tours=True)) == {10}
    cand = generate_candidates(tl, flex, tours=True)
    assert sunday_tours(cand) == {9, 10}  # no 11:00 tour: 11:00 fits no day, so it would be the 10:00 one
    # the 09:00 tour's Sunday shift starts at 10:00
    z = next(i for i, (t, days) in enumerate(zip(cand.tour_tod_s, cand.tour_days)) if t == 9 * 3600 and days[6])
    member = cand.member.tocsc()
    js = member.indices[member.indptr[z]:member.indptr[z + 1]]
    assert sorted(zip(cand.day[js].tolist(), (cand.tod_s[js] // 3600).tolist()))[-1] == (6, 10)
    assert sorted((cand.tod_s[js] // 3600).tolist()) == [9, 9, 9, 9, 10]
