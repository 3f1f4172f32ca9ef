"""wfm.scheduling.candidates: the shifts and tours a schedule may use, on the interval grid and
the local clock (start steps, breaks on the grid, open hours, days off, DST, late openings)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from open_hours import business_week, utc_intervals

from wfm.errors import WfmError
from wfm.scheduling.candidates import generate_candidates, shift_types
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.timeline import build_timeline


def test_an_hourly_week_gets_hourly_starts_by_default() -> None:
    starts, offsets = business_week(8, 18, 5, minutes=60)
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
    plan = make_plan(load_forecast(write_csv("\n".join(rows) + "\n")), Settings(), time_limit_s=60)
    (queue,) = plan.queues
    assert queue.schedule.headcount > 0 and plan.rules.start_step_minutes is None
    assert all(t.start.minute == 0 for t in queue.schedule.tours)


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


def test_shifts_stay_inside_open_hours_unless_closed_time_is_allowed() -> None:
    starts, offsets = business_week(8, 22, days=1)
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
    starts, offsets = business_week(0, 24, days=7)
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60, cyclic=True)
    cand = generate_candidates(tl, rules, tours=True)
    assert _patterns(cand) == {tuple(d for d in range(7) if d not in (first, (first + 1) % 7)) for first in range(7)}
    assert (1, 2, 3, 4, 5) in _patterns(cand)  # Sunday + Monday off counts as consecutive


def test_a_closed_day_is_a_day_off_and_the_other_day_off_floats() -> None:
    starts, offsets = business_week(8, 18, days=6)  # Mon-Sat open, Sunday closed
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
    starts, offsets = business_week(8, 18, days=6)  # Mon-Sat open
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
    starts, offsets = business_week(8, 18, days=4)  # Mon-Thu open
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60)
    cand = generate_candidates(tl, rules, tours=True)
    assert _patterns(cand) == {(0, 1, 2, 3)}


def test_a_day_too_short_for_a_shift_is_a_day_off_for_that_shift_only() -> None:
    weekdays = business_week(8, 20, days=5)
    saturday = business_week(8, 14, days=6)  # Saturday 08-14: a 4 h shift fits, an 8 h one does not
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
    starts, offsets = utc_intervals(datetime(2026, 11, 1, tzinfo=zone), 100, 15)
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(full_time_hours=(4,), part_time_hours=(), breaks=(), tours=False, cyclic=False)
    cand = generate_candidates(tl, rules, tours=False)
    utc_start = {int(t): np.datetime64(int(tl.utc_s[s]), "s") for t, s in zip(cand.tod_s, cand.start)}
    assert utc_start[3600] == np.datetime64("2026-11-01T05:00:00")  # 01:00 EDT
    assert utc_start[8 * 3600] == np.datetime64("2026-11-01T13:00:00")  # 08:00 EST
    # spring forward (2026-03-08): 02:30 does not exist; read as zoneinfo does, 03:30 EDT
    starts, offsets = utc_intervals(datetime(2026, 3, 8, tzinfo=zone), 92, 15)
    tl = build_timeline(starts, offsets, 900)
    assert tl.n == 92  # a 23-hour day
    cand = generate_candidates(tl, rules, tours=False)
    real = [np.datetime64(int(tl.utc_s[s]), "s") for s in cand.start]
    assert np.datetime64("2026-03-08T07:30:00") in real  # 03:30 EDT (02:30 and 03:30 alike)
    assert len(set(real)) == len(real)  # one daily shift per real start


def test_candidate_counts_for_a_24_7_week() -> None:
    zone = ZoneInfo("America/New_York")
    starts, offsets = utc_intervals(datetime(2026, 11, 30, tzinfo=zone), 7 * 96, 15)
    tl = build_timeline(starts, offsets, 900)
    cand = generate_candidates(tl, ShiftRules(), tours=True)
    # 48 half-hourly start times x 3 lengths x 7 day-off patterns; each on every day (cyclic week)
    assert cand.tour_type.size == 48 * 3 * 7
    assert cand.start.size == 48 * 3 * 7
    assert math.isclose(cand.member.sum(), 5 * cand.tour_type.size)


def _late_sunday_week():
    """Mon-Sat open 08:00-18:00, Sunday 10:00-18:00 (America/Chicago)."""
    week = business_week(8, 18, days=6)
    sunday = business_week(10, 18, days=7)
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
