"""wfm.scheduling.seats: peak agents on site, shared seats during breaks, absence and the buffer."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.seats import seats
from wfm.scheduling.solution import BreakPlacement, Shift
from wfm.scheduling.solve import roster, schedule

T0 = np.datetime64("2026-11-30T08:00:00", "s")
HOUR = np.timedelta64(3600, "s")


def _shift(start_h: float, length_h: float, count: int, day: int = 0, breaks: tuple = ()) -> Shift:
    start = T0 + np.timedelta64(int((day * 24 + start_h - 8) * 3600), "s")
    local = datetime(2026, 11, 30) + timedelta(days=day, hours=start_h)
    return Shift(day=local.date(), start_local=local, end_local=local, start_utc=start,
                 end_utc=start + np.timedelta64(int(length_h * 3600), "s"), length_h=length_h, paid_h=length_h,
                 part_time=length_h < 6, count=count, breaks=breaks)


def _two_days():
    """Open 08:00-20:00 (UTC offset 0) on Mon 30 Nov and Tue 1 Dec 2026, 15-minute intervals."""
    day = T0 + np.arange(48) * np.timedelta64(900, "s")
    starts = np.concatenate([day, day + 24 * HOUR])
    return starts, np.zeros(starts.size, dtype=np.int64)


def test_seats_are_the_peak_on_site_per_day_and_for_the_week() -> None:
    starts, offsets = _two_days()
    lunch = BreakPlacement("lunch", datetime(2026, 11, 30, 12), T0 + 4 * HOUR, 30, False, 5)
    shifts = [
        _shift(8, 8, 5, breaks=(lunch,)),  # Mon 08-16, all 5 at lunch 12:00-12:30
        _shift(12, 8, 4),  # Mon 12-20: 9 on shift 12:00-16:00
        _shift(8, 8, 3, day=1),  # Tue: 3
    ]
    plan = roster(starts, offsets, 900, np.zeros(starts.size), shifts)
    s = seats(plan)
    assert s.peak_on_site_by_day.tolist() == [9.0, 3.0]
    assert s.seats_by_day.tolist() == [9, 3] and s.seats == 9
    assert s.peak_at_local == datetime(2026, 11, 30, 12, 0)
    # agents on lunch give their seat up with shared seats: 12:00-12:30 drops to 4, peak is 9 at 12:30
    shared = seats(plan, shared_seats=True)
    assert shared.on_site[plan.timeline.index[16]] == 4.0
    assert shared.seats == 9 and shared.peak_at_local == datetime(2026, 11, 30, 12, 30)


def test_shared_seats_lower_the_peak_when_it_falls_in_a_break() -> None:
    starts, offsets = _two_days()
    lunch = BreakPlacement("lunch", datetime(2026, 11, 30, 12), T0 + 4 * HOUR, 30, False, 2)
    shifts = [_shift(8, 8, 10, breaks=(lunch,)), _shift(12, 1, 5)]  # 15 on site 12:00-13:00
    plan = roster(starts, offsets, 900, np.zeros(starts.size), shifts)
    assert seats(plan).seats == 15
    assert seats(plan, shared_seats=True).seats == 15  # 12:30-13:00 has all 15 on the phones
    lunch_all = BreakPlacement("lunch", datetime(2026, 11, 30, 12), T0 + 4 * HOUR, 60, False, 10)
    plan = roster(starts, offsets, 900, np.zeros(starts.size), [_shift(8, 8, 10, breaks=(lunch_all,)), _shift(12, 1, 5)])
    assert seats(plan, shared_seats=True).seats == 10  # 12:00-13:00: 5 on the phones only; else 10


def test_absence_and_buffer() -> None:
    starts, offsets = _two_days()
    plan = roster(starts, offsets, 900, np.zeros(starts.size), [_shift(8, 8, 20)])
    assert seats(plan, absent_fraction=0.1).peak_on_site == pytest.approx(18.0)
    assert seats(plan, absent_fraction=0.1).seats == 18
    assert seats(plan, buffer_fraction=0.1).seats == 22
    assert seats(plan, buffer_seats=3).seats == 23
    assert seats(plan, absent_fraction=0.15, buffer_fraction=0.05, buffer_seats=1).seats == 19  # 17 x 1.05 + 1
    assert seats(plan, buffer_seats=3).seats_by_day.tolist() == [23, 0]  # nobody on Tuesday: no seats


@pytest.mark.slow
def test_seats_of_a_solved_schedule_and_bad_arguments() -> None:
    starts, offsets = _two_days()
    need = np.tile(np.repeat([2.0, 4.0, 2.0], 16), 2)
    plan = schedule(starts, offsets, 900, need, ShiftRules(full_time_hours=(8,), part_time_hours=(4,), tours=False),
                    mip_gap=0.05)
    s = seats(plan)
    assert s.seats == int(np.ceil(plan.on_shift.max()))
    assert seats(plan, shared_seats=True).peak_on_site <= s.peak_on_site
    for bad in (dict(absent_fraction=1.0), dict(buffer_fraction=-0.1), dict(buffer_seats=1.5)):
        with pytest.raises(ValueError):
            seats(plan, **bad)


def test_shared_seats_count_the_peak_instant_inside_an_interval() -> None:
    """30-minute intervals, 10 agents 08-16 whose 15-minute breaks all fall at 12:00-12:15: the 12:00 interval
    averages 5 on the phones, but from 12:15 all 10 are back in their seats. A second group on 12:00-12:30
    makes 15 at 12:15-12:30 (the average said 10)."""
    day = T0 + np.arange(24) * np.timedelta64(1800, "s")
    starts, offsets = day, np.zeros(day.size, dtype=np.int64)
    brk = BreakPlacement("break", datetime(2026, 11, 30, 12), T0 + 4 * HOUR, 15, True, 10)
    shifts = [_shift(8, 8, 10, breaks=(brk,)), _shift(12, 0.5, 5)]
    plan = roster(starts, offsets, 1800, np.zeros(starts.size), shifts)
    noon = int(plan.timeline.index[8])
    assert plan.timeline_on_phones[noon] == 10.0  # 5 of the 10 on average, and the 5 of the half-hour shift
    shared = seats(plan, shared_seats=True)
    assert shared.on_site[noon] == 15.0 and shared.seats == 15
