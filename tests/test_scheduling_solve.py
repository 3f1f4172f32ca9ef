"""wfm.scheduling.solve: the shift/tour integer program on hand-checkable cases, breaks, midnight and DST,
tours, the time limit, a realistic week, evaluation against wfm.erlang, and a property test."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import sys
import time as time_module
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wfm import erlang
from wfm.errors import WfmError
from wfm.scheduling.evaluation import evaluate
from wfm.scheduling.rules import BreakRule, ShiftRules
from wfm.scheduling.shrinkage import split_shrinkage
from wfm.scheduling.solve import roster, schedule

pytestmark = pytest.mark.slow  # solves schedules with HiGHS: run by CI, skipped by -m 'not slow'

SAMPLES = Path(__file__).resolve().parent.parent / "sample_forecasts"
NO_BREAKS_8H = dict(full_time_hours=(8,), part_time_hours=(), breaks=())


def _utc_intervals(first: datetime, count: int, minutes: int = 15) -> tuple[np.ndarray, np.ndarray]:
    """`count` intervals from aware `first`, stepping in real time: UTC starts and UTC offsets."""
    starts, offsets = [], []
    t = first.astimezone(UTC)
    for _ in range(count):
        starts.append(np.datetime64(t.replace(tzinfo=None), "s"))
        offsets.append(int(t.astimezone(first.tzinfo).utcoffset().total_seconds()))
        t += timedelta(minutes=minutes)
    return np.array(starts), np.array(offsets)


def _day(hours: float, open_at: str = "2026-11-30T08:00", minutes: int = 15) -> tuple[np.ndarray, np.ndarray]:
    """One stretch of `hours` open hours at UTC offset 0."""
    n = round(hours * 60 / minutes)
    starts = np.datetime64(open_at, "s") + np.arange(n) * np.timedelta64(minutes * 60, "s")
    return starts, np.zeros(n, dtype=np.int64)


def _load_sample(name: str, queue: str | None = None):
    starts, offsets, volume, aht = [], [], [], []
    with (SAMPLES / name).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if queue is not None and row["queue"] != queue:
                continue
            t = datetime.fromisoformat(row["interval_start"])
            starts.append(np.datetime64(t.astimezone(UTC).replace(tzinfo=None), "s"))
            offsets.append(int(t.utcoffset().total_seconds()))
            volume.append(float(row["volume"]))
            aht.append(float(row["aht"]))
    return np.array(starts), np.array(offsets), np.array(volume), np.array(aht)


def _local(plan, i: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=int(plan.interval_start[i].astype(np.int64) + plan.utc_offset_s[i]))


# --- optimum known by hand -----------------------------------------------------------------------


def test_flat_requirement_of_three_for_eight_hours_takes_three_shifts() -> None:
    starts, offsets = _day(8)
    plan = schedule(starts, offsets, 900, np.full(32, 3.0), ShiftRules(**NO_BREAKS_8H), tours=False)
    assert plan.headcount == 3
    assert [(s.count, s.start_local.time(), s.end_local.time()) for s in plan.shifts] == [(3, time(8), time(16))]
    assert plan.paid_hours == 24.0 and plan.objective == 24.0
    assert plan.optimal and plan.gap == 0.0 and plan.lower_bound == pytest.approx(24.0)
    assert np.all(plan.on_phones == 3) and plan.coverage == 1.0 and plan.efficiency == 1.0


def test_a_holiday_week_whose_days_no_full_time_tour_meets_says_so() -> None:
    """Four open days and weekly hours of at least 37.5: 8 h shifts fit every day, yet the error said "no
    full-time shift (8 h) fits the open hours" and told the user to shorten them."""
    days = [_day(10, f"2026-11-{d:02d}T08:00")[0] for d in (30,)] + [
        _day(10, f"2026-12-{d:02d}T08:00")[0] for d in (1, 2, 4)]  # Thursday closed
    starts = np.concatenate(days)
    for band in (0, 120):  # with start-time bands too
        rules = ShiftRules(full_time_hours=(8,), part_time_hours=(4,), breaks=(), start_band_minutes=band,
                           weekly_hours={"full_time": (37.5, 40)})
        with pytest.raises(WfmError) as caught:
            schedule(starts, np.zeros(starts.size, dtype=np.int64), 900, np.full(starts.size, 2.0), rules)
        message = str(caught.value)
        assert "full-time shifts (8 h) fit the open hours, but no full-time tour meets days_per_week and " \
               "weekly_hours on the days this week is open" in message, band
        assert "give this week days_per_week and weekly_hours" in message


@pytest.mark.parametrize("full_time", [(8,), ()])
def test_open_hours_no_full_time_shift_fits_under_the_part_time_limit_are_one_clear_error(full_time) -> None:
    # open four hours: only the 4 h part-time shift fits, and the default 40 % part-time limit leaves room for
    # no part-timer beside no full-timer; the solver would return an empty plan without saying why
    starts, offsets = _day(4)
    rules = ShiftRules(full_time_hours=full_time, part_time_hours=(4,), breaks=(), tours=False)
    with pytest.raises(WfmError, match=r"max_part_time_share = 0.4 .* lift the limit \(max_part_time_share = 1\)"):
        schedule(starts, offsets, 900, np.full(16, 2.0), rules)
    lifted = schedule(starts, offsets, 900, np.full(16, 2.0), dataclasses.replace(rules, max_part_time_share=1.0))
    assert lifted.headcount == 2
    assert schedule(starts, offsets, 900, np.zeros(16), rules).headcount == 0  # nothing needed: no error


def test_staircase_is_covered_exactly_at_its_agent_hours() -> None:
    # 08-12: 2 agents, 12-16: 4, 16-20: 2 -> 32 agent-hours; 8 h and 4 h shifts tile it exactly
    starts, offsets = _day(12)
    need = np.repeat([2.0, 4.0, 2.0], 16)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(4,), breaks=(), tours=False)
    plan = schedule(starts, offsets, 900, need, rules)
    assert plan.paid_hours == 32.0
    assert np.array_equal(plan.on_phones, need)
    assert plan.optimal and plan.short.sum() == 0.0


def test_fractional_requirement_is_rounded_once_in_whole_people() -> None:
    # 2.2 agents needed all day: two agents leave 0.2 short per interval (cheap), three cost 8 h more
    starts, offsets = _day(8)
    plan = schedule(starts, offsets, 900, np.full(32, 2.2), ShiftRules(**NO_BREAKS_8H, understaffing_weight=4),
                    tours=False)
    assert plan.headcount == 2
    assert plan.short == pytest.approx(np.full(32, 0.2))
    # penalty: 32 intervals x 0.2 agents x 0.25 h x weight 4 = 6.4 paid hours, below an 8 h shift
    assert plan.objective == pytest.approx(16.0 + 6.4)
    assert plan.optimal
    # at weight 8 the shortfall costs 12.8 paid hours: a third 8 h shift is cheaper
    dearer = schedule(starts, offsets, 900, np.full(32, 2.2), ShiftRules(**NO_BREAKS_8H, understaffing_weight=8),
                      tours=False)
    assert dearer.headcount == 3 and dearer.short.sum() == 0 and dearer.objective == pytest.approx(24.0)


# --- breaks --------------------------------------------------------------------------------------


def test_breaks_take_agents_off_the_phones_inside_their_windows() -> None:
    starts, offsets = _day(8)
    # weight 4: the hour of breaks left short (4 paid hours) is cheaper than a second agent (7.5)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), tours=False, understaffing_weight=4)
    plan = schedule(starts, offsets, 900, np.ones(32), rules)
    (shift,) = plan.shifts
    assert shift.count == 1 and shift.paid_h == 7.5
    names = [b.name for b in shift.breaks]
    assert names == ["break 1", "lunch", "break 2"]
    for b, (lo, hi) in zip(shift.breaks, [(1.5, 2.5), (3.5, 5.0), (5.5, 7.0)]):
        offset_h = (b.start_local - shift.start_local).total_seconds() / 3600
        assert lo <= offset_h and offset_h + b.minutes / 60 <= hi
    # coverage net of breaks: on break exactly during the break intervals (15 + 30 + 15 minutes)
    assert plan.on_break.sum() == 4
    on_break_at = {_local(plan, i) for i in np.flatnonzero(plan.on_break)}
    expected = set()
    for b in shift.breaks:
        expected |= {b.start_local + timedelta(minutes=15 * k) for k in range(int(b.minutes // 15))}
    assert on_break_at == expected
    assert np.array_equal(plan.on_phones, plan.on_shift - plan.on_break)


def test_breaks_go_where_the_requirement_dips() -> None:
    # Two agents 08-16; the requirement drops to 1 exactly where their breaks can fit
    starts, offsets = _day(8)
    need = np.full(32, 2.0)
    need[[6, 7]] = 1  # break 1 (window 09:30-10:30)
    need[[14, 15, 16, 17]] = 1  # two lunches (window 11:30-13:00)
    need[[22, 23]] = 1  # break 2 (window 13:30-15:00)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), tours=False)
    plan = schedule(starts, offsets, 900, need, rules)
    assert plan.headcount == 2 and plan.paid_hours == 15.0
    assert np.array_equal(plan.on_phones, need)
    assert plan.short.sum() == 0 and plan.optimal


def test_fifteen_minute_breaks_on_thirty_minute_intervals_count_half() -> None:
    starts, offsets = _day(8, minutes=30)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), tours=False)
    plan = schedule(starts, offsets, 1800, np.full(16, 2.0), rules)
    assert set(np.unique(plan.on_break)) <= {0.0, 0.5, 1.0, 1.5, 2.0}
    # each agent: 1 h of breaks = 2 thirty-minute intervals, the 15-minute ones half an interval each
    assert plan.on_break.sum() == pytest.approx(2.0 * plan.headcount)
    assert 0.5 in plan.on_break


# --- midnight, tours and DST ---------------------------------------------------------------------


def _week_247(first: datetime, minutes: int = 15):
    return _utc_intervals(first, 7 * 24 * 60 // minutes + (4 if first.month == 10 else 0), minutes)


def test_night_shifts_cross_midnight_and_the_week_wraps() -> None:
    zone = ZoneInfo("America/New_York")
    starts, offsets = _week_247(datetime(2026, 11, 30, tzinfo=zone))
    local_h = ((starts.astype(np.int64) + offsets) % 86400) / 3600
    need = np.where((local_h >= 22) | (local_h < 6), 2.0, 0.0)
    rules = ShiftRules(**NO_BREAKS_8H)
    plan = schedule(starts, offsets, 900, need, rules)
    assert {s.start_local.time() for s in plan.shifts} == {time(22, 0)}
    assert all(s.end_local.date() == s.start_local.date() + timedelta(days=1) for s in plan.shifts)
    # every night covered, Monday 00:00-06:00 by the Sunday-night shift (the week repeats)
    assert np.all(plan.on_phones[need > 0] >= 2)
    # 7 nights x 2 agents = 14 agent-nights need 3 tours of 5 nights (15 agent-nights)
    assert plan.headcount == 3 and plan.paid_hours == 3 * 5 * 8
    for tour in plan.tours:
        assert len(tour.days) == 5 and tour.start == time(22, 0)
        off = sorted((d - tour.days[0]).days % 7 for d in tour.days_off)
        weekday_off = sorted(d.weekday() for d in tour.days_off)
        assert weekday_off in ([w, w + 1] for w in range(6)) or weekday_off == [0, 6], off


@pytest.mark.slow
def test_tours_work_five_days_with_two_consecutive_days_off() -> None:
    zone = ZoneInfo("America/Chicago")
    starts, offsets = _week_247(datetime(2026, 11, 30, tzinfo=zone))
    local = starts.astype(np.int64) + offsets
    hour = (local % 86400) / 3600
    weekday = ((local // 86400) + 3) % 7  # 1970-01-01 was a Thursday
    need = np.where((hour >= 8) & (hour < 20), np.where(weekday < 5, 6.0, 3.0), 0.0)
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60)
    plan = schedule(starts, offsets, 900, need, rules, mip_gap=0.05)
    assert plan.tours and plan.headcount == sum(t.count for t in plan.tours)
    for tour in plan.tours:
        assert len(tour.days) == 5 and len(tour.days_off) == 2
        a, b = sorted(d.weekday() for d in tour.days_off)
        assert b - a == 1 or (a, b) == (0, 6)
    # shifts per day add up to the tours working that day
    per_day = {d: 0 for d in plan.days.tolist()}
    for tour in plan.tours:
        for d in tour.days:
            per_day[d] += tour.count
    assert list(per_day.values()) == plan.shifts_per_day.tolist()
    assert plan.coverage > 0.95


def test_a_shift_over_the_fall_back_change_is_eight_real_hours() -> None:
    zone = ZoneInfo("America/New_York")
    starts, offsets = _week_247(datetime(2026, 10, 26, tzinfo=zone))
    assert starts.size == 676
    local = starts.astype(np.int64) + offsets
    hour = (local % 86400) / 3600
    day = (local // 86400) - (local[0] // 86400)
    # 2 agents 08:00-16:00 local every day, and on Sunday Nov 1 also 1 agent for the first 8 real
    # hours of the day (00:00 EDT to 07:00 EST: 32 intervals)
    need = np.where((hour >= 8) & (hour < 16), 2.0, 0.0)
    sunday = np.flatnonzero(day == 6)
    need[sunday[:32]] = 1.0
    rules = ShiftRules(**NO_BREAKS_8H, tours=False, cyclic=False)
    plan = schedule(starts, offsets, 900, need, rules)
    assert plan.short.sum() == 0 and plan.paid_hours == 7 * 2 * 8 + 8
    by_start = {s.start_local: s for s in plan.shifts}
    night = by_start[datetime(2026, 11, 1, 0, 0)]
    assert night.end_utc - night.start_utc == np.timedelta64(8 * 3600, "s")
    assert night.end_local == datetime(2026, 11, 1, 7, 0)  # the clock went back an hour
    day_shift = by_start[datetime(2026, 11, 1, 8, 0)]
    assert day_shift.start_utc == np.datetime64("2026-11-01T13:00:00")  # 08:00 EST
    assert day_shift.end_local == datetime(2026, 11, 1, 16, 0)
    assert all(s.end_utc - s.start_utc == np.timedelta64(8 * 3600, "s") for s in plan.shifts)


@pytest.mark.slow
def test_shifts_never_run_into_closed_hours() -> None:
    starts, offsets, volume, aht = _load_sample("retail_voice_week_15min.csv")
    need = erlang.required_agents(volume * aht / 900, aht, service_level=0.8, answer_within_s=20) / 0.75
    plan = schedule(starts, offsets, 900, need, ShiftRules(), tours=False, time_limit_s=60)
    closed = ~plan.timeline.open
    assert plan.timeline_on_shift[closed].sum() == 0
    assert all(s.start_local.time() >= time(8) for s in plan.shifts)


# --- solver limits, options and errors -----------------------------------------------------------


@pytest.mark.slow
def test_time_limit_is_honoured_and_the_gap_reported() -> None:
    starts, offsets, volume, aht = _load_sample("dst_247_week_15min.csv")
    need = erlang.required_agents(volume * aht / 900, aht, service_level=0.8, answer_within_s=20) / 0.75
    # a gap of 0 takes minutes (550 s of CPU here); the LP relaxation 1.5-2 s, well within the 15 s
    plan = schedule(starts, offsets, 900, need, ShiftRules(), time_limit_s=15, mip_gap=0.0)
    assert plan.solve_seconds < 15 + 5.0  # plus building the records
    assert 0 < plan.gap < 1 and plan.gap == pytest.approx((plan.objective - plan.lower_bound) / plan.objective)
    assert "the time limit stopped" in plan.status and "may differ between runs" in plan.status
    assert plan.time_limit_hit  # the safety net fired: reported, never silent
    assert plan.lower_bound <= plan.objective
    assert plan.lp_relaxation == pytest.approx(plan.lower_bound, rel=1e-6)
    assert not plan.optimal
    assert plan.model.tour_candidates == 48 * 3 * 7


# --- reproducible solves: the plan never depends on the clock (issue 6) ---------------------------


def _flat_week() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Issue 6's flat week: one queue open 09:00-17:00 every day at 30 minutes (UTC), 20 calls of
    300 s per interval: 6 agents on the phones for 80 % in 20 s, so 8 on shift over the 25 %
    remaining shrinkage (what ``wfm plan`` derives with the default targets)."""
    day = np.datetime64("2026-11-30T09:00", "s") + np.arange(16) * np.timedelta64(1800, "s")
    starts = (day[None, :] + np.arange(7)[:, None] * np.timedelta64(86400, "s")).ravel()
    return starts, np.zeros(starts.size, dtype=np.int64), np.full(starts.size, 8.0)


@pytest.fixture(scope="module")
def flat_week_plan():
    starts, offsets, need = _flat_week()
    return schedule(starts, offsets, 1800, need, ShiftRules(), time_limit_s=600)


def _assert_same_plan(plan, reference) -> None:
    """The same tours, shifts and breaks, coverage, objective, bound and solver status (all of
    which summary.json and the CSVs carry)."""
    assert plan.tours == reference.tours and plan.shifts == reference.shifts
    assert np.array_equal(plan.on_phones, reference.on_phones)
    assert (plan.objective, plan.lower_bound, plan.gap, plan.optimal) == (
        reference.objective, reference.lower_bound, reference.gap, reference.optimal)
    assert plan.status == reference.status


@pytest.mark.slow
def test_flat_week_gets_one_plan_whatever_the_time_limit(flat_week_plan) -> None:
    # Issue 6: headcount 17 idle and 16 under load with 120 s, every second of it used. (How fast it solves is
    # measured in benchmarks/, not here: a busy machine is no failure.)
    starts, offsets, need = _flat_week()
    modest = schedule(starts, offsets, 1800, need, ShiftRules(), time_limit_s=60)
    for plan in (flat_week_plan, modest):
        assert not plan.time_limit_hit and "time limit" not in plan.status
        assert plan.lp_relaxation <= plan.lower_bound <= plan.objective and 0 < plan.gap < 0.05
    _assert_same_plan(modest, flat_week_plan)
    assert modest.headcount == flat_week_plan.headcount


@pytest.mark.slow
def test_a_slow_machine_gets_the_same_plan(flat_week_plan, monkeypatch) -> None:
    """The clock the scheduler reads (``_time.perf_counter`` in wfm's modules) runs ever faster:
    each reading jumps 0.5 s further ahead of real time than the one before (0, 0.5, 1.5, 3,
    5 ... s ahead), as on a machine slowing down, yet the 300 s time limit is never reached.
    Every stage stops on its gap or on a node count, so plan, bound and status are those of the
    unhurried 600 s solve. (While a stage's use depended on the time left, as before issue 6,
    this run got other tours.)"""
    starts, offsets, need = _flat_week()
    real = time_module.perf_counter
    readings = itertools.count()
    ahead = [0.0]

    def slowing_clock() -> float:
        ahead[0] += 0.5 * next(readings)
        return real() + ahead[0]

    for module in [m for name, m in sys.modules.items() if name.startswith("wfm.")]:
        if getattr(module, "_time", None) is time_module:
            monkeypatch.setattr(module, "_time", SimpleNamespace(perf_counter=slowing_clock))
    slow = schedule(starts, offsets, 1800, need, ShiftRules(), time_limit_s=300)
    assert ahead[0] >= 10, "the clock was hardly read: the test no longer simulates a slow machine"
    assert not slow.time_limit_hit, f"the simulated slowness reached the time limit: {slow.status}"
    _assert_same_plan(slow, flat_week_plan)


# --- flat requirements: a 24/7 week's LP optimum spread over many tours ----------------------------


def _flat_247(agents: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 24/7 week of 15-minute intervals from Monday 00:00 at UTC-5 that needs ``agents`` on the
    phones in every interval: ``agents / 0.75`` on shift over the 25 % shrinkage left (a small
    queue held at a minimum staffing, a back office at one level)."""
    starts = np.datetime64("2026-11-30T05:00:00", "s") + np.arange(672) * np.timedelta64(900, "s")
    return starts, np.full(672, -18000), np.full(672, agents / 0.75)


@pytest.mark.slow
def test_a_flat_24_7_week_solves_within_one_percent_of_its_bound() -> None:
    # Before, RENS ran until the time limit every time (1.5 % from the bound after 90 s) and the
    # stages after it were left out: the clock chose the plan.
    starts, offsets, need = _flat_247(20)
    plan = schedule(starts, offsets, 900, need, ShiftRules(), time_limit_s=300)
    assert not plan.time_limit_hit and "time limit" not in plan.status
    assert plan.status == "LP relaxation, rounding, break placement"  # the LP optimum rounded, within the gap
    assert plan.lower_bound == pytest.approx(plan.lp_relaxation) and 0 < plan.gap < 0.01 and plan.optimal
    assert plan.short.sum() * 0.25 < 0.005 * plan.paid_hours  # not bought with agents short


@pytest.mark.slow
@pytest.mark.parametrize(("agents", "worst_gap"), [(2, 0.18), (5, 0.09)])
def test_a_flat_24_7_week_of_a_few_agents_gets_one_plan_whatever_the_time_limit(agents, worst_gap) -> None:
    # A few agents need whole relief agents for their breaks where the LP shares out fractions, so
    # no stage can prove a gap near the LP bound; the rounding and tour dives end on their own
    # counts instead. Before, 90 s of RENS left 22 % and 10.5 % and the stages after it were left out.
    starts, offsets, need = _flat_247(agents)
    plan = schedule(starts, offsets, 900, need, ShiftRules(), time_limit_s=300)
    assert not plan.time_limit_hit and "time limit" not in plan.status
    assert plan.status == "LP relaxation, rounding, tour dives, break placement"
    assert plan.lower_bound == pytest.approx(plan.lp_relaxation) and 0 < plan.gap < worst_gap
    if agents == 2:
        _assert_same_plan(schedule(starts, offsets, 900, need, ShiftRules(), time_limit_s=60), plan)


@pytest.mark.slow
@pytest.mark.parametrize(("days", "open_h", "agents"), [
    (7, (8, 20), [10] * 7),  # every day 08:00-20:00 at one level
    (5, (8, 18), [12, 10, 10, 9, 8]),  # a back office, Monday to Friday, one level a day
])
def test_a_flat_business_hours_week_solves_near_its_bound(days, open_h, agents) -> None:
    per_day = (open_h[1] - open_h[0]) * 4
    day = np.datetime64("2026-11-30T00:00", "s") + open_h[0] * 3600 + np.arange(per_day) * np.timedelta64(900, "s")
    starts = (day[None, :] + np.arange(days)[:, None] * np.timedelta64(86400, "s")).ravel()
    need = np.repeat(np.asarray(agents, dtype=np.float64) / 0.75, per_day)
    plan = schedule(starts, np.full(starts.size, -21600), 900, need, ShiftRules(), time_limit_s=300)
    assert not plan.time_limit_hit and "time limit" not in plan.status
    assert plan.status.startswith("LP relaxation, RENS")  # closed nights: the LP optimum is not spread
    assert 0 <= plan.gap < 0.02


def test_part_time_share_and_costs_shape_the_plan() -> None:
    starts, offsets = _day(12)
    need = np.repeat([2.0, 4.0, 2.0], 16)
    no_pt = ShiftRules(full_time_hours=(8,), part_time_hours=(4,), breaks=(), tours=False, max_part_time_share=0.0)
    plan = schedule(starts, offsets, 900, need, no_pt)
    assert all(not s.part_time for s in plan.shifts)
    costly_pt = ShiftRules(full_time_hours=(8,), part_time_hours=(4,), breaks=(), tours=False,
                           cost_per_paid_hour={8: 10.0, 4: 30.0})
    plan = schedule(starts, offsets, 900, need, costly_pt)
    assert all(not s.part_time for s in plan.shifts) and plan.cost == pytest.approx(320.0)


def test_bad_input_raises_one_line_errors() -> None:
    starts, offsets = _day(8)
    with pytest.raises(ValueError, match="one value per interval"):
        schedule(starts, offsets, 900, np.ones(5))
    with pytest.raises(ValueError, match="interval 3: required agents"):
        schedule(starts, offsets, 900, np.where(np.arange(32) == 3, -1.0, 1.0))
    with pytest.raises(WfmError, match="no shift fits"):
        schedule(starts[:8], offsets[:8], 900, np.ones(8), ShiftRules(**NO_BREAKS_8H), tours=False)
    with pytest.raises(WfmError, match="multiple of the 30-minute interval"):
        s30, o30 = _day(8, minutes=30)
        schedule(s30, o30, 1800, np.ones(16), ShiftRules(start_step_minutes=15))


# --- a realistic week, evaluation and multi-queue ------------------------------------------------


@pytest.mark.slow
def test_retail_week_is_covered_and_evaluated() -> None:
    starts, offsets, volume, aht = _load_sample("retail_voice_week_15min.csv")
    traffic = volume * aht / 900
    on_phones_needed = erlang.required_agents(traffic, aht, service_level=0.8, answer_within_s=20)
    split = split_shrinkage(0.30, ShiftRules())
    need = on_phones_needed / (1 - split.remaining)
    plan = schedule(starts, offsets, 900, need, ShiftRules(), time_limit_s=120)
    covered = np.minimum(plan.on_phones, need).sum() / need.sum()
    assert covered >= 0.95 and plan.coverage == pytest.approx(covered)
    assert plan.gap <= 0.02 and plan.lower_bound <= plan.objective
    ev = evaluate(plan, traffic, aht, 20, volume=volume, remaining_shrinkage=split.remaining,
                  required_on_phones=on_phones_needed)
    assert 0.5 < ev.efficiency <= 1.0
    assert ev.efficiency == pytest.approx(on_phones_needed.sum() * 0.25 / plan.paid_hours)
    assert ev.service_level_week == pytest.approx((ev.service_level * volume).sum() / volume.sum())
    assert ev.service_level_week > 0.7
    assert len(ev.days) == 7 and np.all(np.isfinite(ev.service_level_by_day))
    assert ev.over_staffed_intervals + ev.under_staffed_intervals <= need.size
    assert np.array_equal(ev.available, plan.on_phones * (1 - split.remaining))
    # the reported plan is a real roster: recomputing it from its shifts gives the same coverage
    again = roster(starts, offsets, 900, need, plan.shifts)
    assert np.array_equal(again.on_phones, plan.on_phones)
    assert again.paid_hours == plan.paid_hours


@pytest.mark.slow
def test_queues_are_scheduled_one_call_each() -> None:
    plans = {}
    for queue in ("sales", "support", "billing"):
        starts, offsets, volume, aht = _load_sample("multi_queue_30min.csv", queue)
        need = erlang.required_agents(volume * aht / 1800, aht, service_level=0.8, answer_within_s=20) / 0.8
        plans[queue] = schedule(starts, offsets, 1800, need, ShiftRules(), tours=False, mip_gap=0.02)
        assert plans[queue].coverage > 0.97 and plans[queue].gap <= 0.02
        # with tours, Sunday is closed, so every tour has Sunday and one of Mon-Sat off
        weekly = schedule(starts, offsets, 1800, need, ShiftRules(), tours=True, mip_gap=0.02)
        patterns = {tuple(d.weekday() for d in t.days) for t in weekly.tours}
        assert patterns <= {tuple(d for d in range(6) if d != off) for off in range(6)}
    assert plans["sales"].headcount > plans["support"].headcount > plans["billing"].headcount


# --- property: the plan covers what it reports, and the reported figures add up ------------------


@pytest.mark.slow  # 25 small solves
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    need=st.lists(st.floats(min_value=0.0, max_value=4.0, allow_nan=False), min_size=24, max_size=40),
    with_breaks=st.booleans(),
)
def test_property_coverage_plus_shortfall_meets_the_requirement(need: list[float], with_breaks: bool) -> None:
    req = np.array(need)
    starts, offsets = _day(len(req) / 4)
    breaks = (BreakRule("break", 15, True, (1.0, 2.5), min_shift_h=4),) if with_breaks else ()
    rules = ShiftRules(full_time_hours=(4,), part_time_hours=(2,), breaks=breaks, tours=False,
                       start_step_minutes=15, time_limit_s=10)
    plan = schedule(starts, offsets, 900, req, rules)
    assert np.all(plan.on_phones + plan.short >= req - 1e-9)
    assert np.all(plan.short >= 0) and np.all(plan.on_phones >= 0)
    assert np.all(plan.on_break <= plan.on_shift)
    assert plan.lower_bound <= plan.objective + 1e-6
    weight = rules.understaffing_weight * 0.25  # paid hours per agent short for one 15-minute interval
    assert plan.objective == pytest.approx(plan.paid_hours + weight * plan.short.sum())
    again = roster(starts, offsets, 900, req, plan.shifts, rules)
    assert np.array_equal(again.on_phones, plan.on_phones)
    # never worse than no plan at all (everything short)
    assert plan.objective <= weight * req.sum() + 1e-6


def test_priority_raises_the_cost_of_being_short_where_it_is_given() -> None:
    # One agent needed for 4 h. A 4 h shift costs 4 paid hours; being short all along costs
    # weight x 4 agent-hours = 2 at weight 0.5: cheaper to leave it short...
    starts, offsets = _day(4)
    rules = ShiftRules(full_time_hours=(4,), part_time_hours=(), breaks=(), tours=False, understaffing_weight=0.5)
    need = np.ones(16)
    assert schedule(starts, offsets, 900, need, rules).headcount == 0
    # ...unless a shortage there costs four times as much (8 > 4)
    plan = schedule(starts, offsets, 900, need, rules, priority=np.full(16, 4.0))
    assert plan.headcount == 1 and plan.short.sum() == 0
    assert plan.objective == pytest.approx(4.0)


@pytest.mark.parametrize("priority", [np.ones(3), np.zeros(16), np.full(16, np.nan)])
def test_priority_must_be_positive_per_interval(priority) -> None:
    starts, offsets = _day(4)
    with pytest.raises(ValueError, match="priority must hold one positive number per interval"):
        schedule(starts, offsets, 900, np.ones(16), ShiftRules(tours=False), priority=priority)


def test_tours_start_later_on_the_day_the_centre_opens_late() -> None:
    zone = ZoneInfo("America/Chicago")
    week = _week_247(datetime(2026, 11, 30, tzinfo=zone))
    local = week[0].astype(np.int64) + week[1]
    hour = (local % 86400) / 3600
    sunday = ((local // 86400) + 3) % 7 == 6
    open_ = np.where(sunday, (hour >= 10) & (hour < 18), (hour >= 8) & (hour < 18))
    starts, offsets = week[0][open_], week[1][open_]
    rules = ShiftRules(full_time_hours=(8,), part_time_hours=(), breaks=(), start_step_minutes=60, cyclic=False)
    plan = schedule(starts, offsets, 900, np.full(starts.size, 4.0), rules)
    assert plan.tours and {s.day.weekday() for s in plan.shifts} == set(range(7))
    on_day = {(s.day, s.start_local.time()) for s in plan.shifts}
    for tour in plan.tours:  # each day's start is a real shift; only Sunday may differ, and says so
        for day, start in zip(tour.days, tour.starts):
            assert (day, start) in on_day
            if start != tour.start:
                assert day.weekday() == 6 and f"Sun {start:%H:%M}" in tour.pattern
    assert all(t.starts.count(t.start) >= 1 for t in plan.tours)


@pytest.mark.slow
def test_the_plan_does_not_depend_on_the_currency_of_the_costs() -> None:
    """One cost for every shift length is the problem without costs, in other units: the same plan (at 25 an hour
    it gave 5,695 paid hours against 5,737.5 and 40 under-staffed intervals against 23)."""
    import wfm

    forecast = wfm.load_forecast(str(SAMPLES / "retail_voice_week_15min.csv"))
    plans = {rate: wfm.make_plan(forecast, wfm.Settings(schedule=ShiftRules(
        cost_per_paid_hour={8: rate, 9: rate, 4: rate} if rate else ()))) for rate in (None, 25.0, 0.01)}
    base = plans[None].queues[0].schedule
    for rate in (25.0, 0.01):
        other = plans[rate].queues[0].schedule
        assert [(s.start_utc, s.length_h, s.count) for s in other.shifts] == \
               [(s.start_utc, s.length_h, s.count) for s in base.shifts]
        assert other.objective == pytest.approx(rate * base.objective, rel=1e-9)
        assert other.lower_bound == pytest.approx(rate * base.lower_bound, rel=1e-6)
        assert other.lp_relaxation == pytest.approx(rate * base.lp_relaxation, rel=1e-6)  # in money, as the bound
