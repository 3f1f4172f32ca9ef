"""wfm.scheduling: blended teams, deferred work (DeferredLoad) placed in the real-time queue's troughs
by cumulative-capacity constraints; the plan without deferred work unchanged; bad loads rejected."""

from __future__ import annotations

import time

import numpy as np
import pytest
from open_hours import business_week

from wfm.scheduling import stages
from wfm.scheduling.candidates import generate_candidates
from wfm.scheduling.deferred_load import DeferredLoad
from wfm.scheduling.model import build_model
from wfm.scheduling.rules import ShiftRules
from wfm.scheduling.solution import ModelSize
from wfm.scheduling.solve import roster, schedule
from wfm.scheduling.timeline import build_timeline

NO_BREAKS_8H = dict(full_time_hours=(8,), part_time_hours=(), breaks=(), tours=False)


def _local_hours(starts: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Local hour of day and local day number of each interval."""
    local = starts.astype("datetime64[s]").astype(np.int64) + offsets
    return (local % 86400) / 3600, local // 86400


def _two_peaks(hour: np.ndarray) -> np.ndarray:
    """Real-time agents: a morning peak at 10:00, an evening peak at 17:00, a trough at midday (3)."""
    return 3 + 9 * np.exp(-((hour - 10) / 1.3) ** 2) + 8 * np.exp(-((hour - 17) / 1.3) ** 2)


def _same_day(work: np.ndarray, day: np.ndarray) -> DeferredLoad:
    """Work arriving ``work[i]`` agent-intervals per interval, each day's due by that day's close."""
    arrived = np.cumsum(work)
    last = np.r_[day[1:] != day[:-1], True]
    day_no = np.cumsum(np.r_[0, day[1:] != day[:-1]])
    due = np.where(last, arrived, np.r_[0.0, arrived[last]][day_no])
    return DeferredLoad("email", due, arrived)


def _one_day_8h() -> tuple[np.ndarray, np.ndarray]:
    """08:00-16:00 at UTC offset 0 in 15-minute intervals (32)."""
    starts = np.datetime64("2026-11-30T08:00", "s") + np.arange(32) * np.timedelta64(900, "s")
    return starts, np.zeros(32, dtype=np.int64)


# --- hand-checkable cases ------------------------------------------------------------------------


def test_deferred_work_fills_the_fraction_of_an_agent_the_requirement_leaves_idle() -> None:
    # 2.5 agents needed all day: 3 agents (24 paid hours) leave half an agent idle in every interval,
    # 16 agent-intervals in all. 16 agent-intervals of email due by the close fit in it for free;
    # no fourth agent, no penalty, nothing late.
    starts, offsets = _one_day_8h()
    arrived = np.full(32, 16.0)
    due = np.r_[np.zeros(31), 16.0]
    plan = schedule(starts, offsets, 900, np.full(32, 2.5), ShiftRules(**NO_BREAKS_8H),
                    deferred=[DeferredLoad("email", due, arrived)])
    (worked,) = plan.deferred_worked
    assert plan.paid_hours == 24.0 and plan.objective == pytest.approx(24.0)
    assert worked.sum() == pytest.approx(16.0) and np.all(worked <= 0.5 + 1e-9)
    assert plan.deferred_late[0] == pytest.approx(0.0, abs=1e-6)
    assert plan.short.sum() == 0.0  # about the real-time requirement alone


def test_deferred_work_is_not_done_before_it_arrives() -> None:
    # 4 agent-intervals arrive at 12:00 (interval 16), due by the close: the half agent idle in
    # every interval does them in the afternoon, never in the morning
    starts, offsets = _one_day_8h()
    arrived = np.r_[np.zeros(16), np.full(16, 4.0)]
    due = np.r_[np.zeros(31), 4.0]
    plan = schedule(starts, offsets, 900, np.full(32, 2.5), ShiftRules(**NO_BREAKS_8H),
                    deferred=[DeferredLoad("back office", due, arrived)])
    (worked,) = plan.deferred_worked
    assert np.all(worked[:16] == 0.0)
    assert worked.sum() == pytest.approx(4.0)
    assert plan.paid_hours == 24.0 and plan.deferred_late[0] == pytest.approx(0.0, abs=1e-6)


def test_a_load_is_worked_only_where_it_is_workable() -> None:
    # As in the first test, 16 agent-intervals due by the close, but the queue is open only in the afternoon
    # (a blended team's e-mail with shorter hours than its voice queue): the half agent idle in the morning
    # may not do it, so a fourth agent is scheduled (8 more paid hours), and nothing is done before.
    starts, offsets = _one_day_8h()
    arrived = np.full(32, 16.0)
    due = np.r_[np.zeros(31), 16.0]
    afternoon = np.arange(32) >= 16
    plan = schedule(starts, offsets, 900, np.full(32, 2.5), ShiftRules(**NO_BREAKS_8H),
                    deferred=[DeferredLoad("email", due, arrived, afternoon)])
    (worked,) = plan.deferred_worked
    assert np.all(worked[~afternoon] == 0.0)
    assert worked.sum() == pytest.approx(16.0)
    assert plan.deferred_late[0] == pytest.approx(0.0, abs=1e-6)
    assert plan.paid_hours == 32.0


def test_a_whole_extra_agent_is_scheduled_for_a_whole_agent_of_work() -> None:
    # 3 agents of real-time work and one agent's worth of email (1 agent-interval per interval,
    # due within the hour): the fourth agent is hired, and does the email as it comes in
    starts, offsets = _one_day_8h()
    arrived = np.cumsum(np.ones(32))
    due = np.r_[np.zeros(4), arrived[:-4]]
    plan = schedule(starts, offsets, 900, np.full(32, 3.0), ShiftRules(**NO_BREAKS_8H),
                    deferred=[DeferredLoad("email", due, arrived)])
    (worked,) = plan.deferred_worked
    assert plan.paid_hours == 32.0 and plan.headcount == 4
    assert np.all(np.cumsum(worked) >= due - 1e-6) and np.all(np.cumsum(worked) <= arrived + 1e-6)
    assert np.all(plan.on_phones - worked >= 3.0 - 1e-6)  # real-time first


def test_work_that_does_not_pay_to_do_in_time_is_reported_late() -> None:
    # Open 16:00-24:00, not cyclic: 10 agent-intervals arrive and fall due in the last interval,
    # when both agents are busy with real-time work. Another 8 h agent would cost 8 paid hours for
    # one agent-interval of it; leaving it late costs W = 8 x 0.25 = 2 per agent-interval (one
    # interval to the end of the day), as does each agent taken off the real-time queue for it.
    starts = np.datetime64("2026-11-30T16:00", "s") + np.arange(32) * np.timedelta64(900, "s")
    offsets = np.zeros(32, dtype=np.int64)
    arrived = due = np.r_[np.zeros(31), 10.0]
    rules = ShiftRules(**NO_BREAKS_8H, cyclic=False)
    plan = schedule(starts, offsets, 900, np.full(32, 2.0), rules, deferred=[DeferredLoad("email", due, arrived)])
    (worked,) = plan.deferred_worked
    assert plan.paid_hours == 16.0
    assert np.all(worked[:-1] == 0.0) and worked[-1] <= 2.0 + 1e-9  # at most the agents there are
    assert plan.deferred_late[0] == pytest.approx(10.0 - worked.sum()) and plan.deferred_late[0] >= 8.0 - 1e-6
    assert plan.objective == pytest.approx(16.0 + 2.0 * 10.0)  # late or taken from real-time: W each
    assert plan.short.sum() == 0.0  # short is about the agents on the phones, before deferred work


def test_the_deferred_work_is_placed_afresh_for_the_plans_own_whole_breaks() -> None:
    # The LP relaxation rounded (whole shifts and break totals, as the break placement stage starts
    # from) leaves the deferred work where the fractional plan had room for it, which the whole one
    # may not have; the stages re-place it for the plan they price (stages._priced)
    starts, offsets = business_week(8, 20, 1)
    hour, _ = _local_hours(starts, offsets)
    arrived = np.cumsum(np.ones(starts.size))
    tl = build_timeline(starts, offsets, 900)
    rules = ShiftRules(tours=False)
    r_slot = np.zeros(tl.n)
    r_slot[tl.index] = _two_peaks(hour)
    load = DeferredLoad("email", np.r_[np.zeros(starts.size - 1), arrived[-1]], arrived)
    model = build_model(tl, generate_candidates(tl, rules, False), r_slot, rules, False, None, (load,))
    clock = stages.Clock(60.0, time.perf_counter())
    rounded = stages._round_breaks(model, stages._lp_relaxation(model, clock).x)

    def violation(x: np.ndarray) -> float:
        rows = model.a @ x
        return float(np.max(np.maximum(model.row_lb - rows, 0.0) + np.maximum(rows - model.row_ub, 0.0)))

    assert violation(rounded) > 0.1  # the rounding alone is not a plan
    priced, objective = stages._priced(model, clock, rounded)
    assert violation(priced) < 1e-6
    assert np.array_equal(priced[model.plan_cols], np.rint(rounded[model.plan_cols]))
    assert np.array_equal(priced[model.break_cols], rounded[model.break_cols])
    assert objective == pytest.approx(float(model.c @ priced))


# --- a blended week ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_blended_team_does_deferred_work_in_the_trough_and_needs_fewer_hours() -> None:
    starts, offsets = business_week(8, 20, 5)
    hour, day = _local_hours(starts, offsets)
    realtime = _two_peaks(hour)
    work = np.ones(starts.size)  # one agent's worth of email arrives in every interval, due the same day
    load = _same_day(work, day)

    # No part-time limit: with 40 % (the default) full-time shifts span the trough and the solver may place the
    # email anywhere the real-time requirement leaves room (it is free there), so "in the trough" is not forced.
    rules = ShiftRules(max_part_time_share=None)
    blended = schedule(starts, offsets, 900, realtime, rules, deferred=[load])
    (worked,) = blended.deferred_worked
    done = np.cumsum(worked)
    assert np.all(done >= load.due - 1e-6), "every day's email is done by the close"
    assert blended.deferred_late[0] == pytest.approx(0.0, abs=1e-6)
    assert np.all(done <= load.arrived + 1e-6), "never before it arrives"
    assert np.all(worked <= blended.on_phones + 1e-9)
    trough = (hour >= 12.5) & (hour < 14.5)
    peaks = (np.abs(hour - 10.25) <= 0.5) | (np.abs(hour - 17.25) <= 0.5)
    assert worked[trough].mean() > 2 * worked[peaks].mean()

    # A dedicated email team: the same work as its own just-in-time requirement, scheduled alone
    alone = schedule(starts, offsets, 900, realtime, rules)
    dedicated = schedule(starts, offsets, 900, work, rules)
    assert blended.paid_hours < alone.paid_hours + dedicated.paid_hours - 40
    assert alone.deferred_worked == () and alone.deferred_late == ()


# --- without deferred work -----------------------------------------------------------------------


def test_without_deferred_loads_the_plan_is_the_one_pinned_before_they_existed() -> None:
    starts, offsets = business_week(8, 20, 1)
    hour, _ = _local_hours(starts, offsets)
    # the rules of the day the plan was pinned: no part-time limit (the default since is 0.4)
    plans = [schedule(starts, offsets, 900, _two_peaks(hour), ShiftRules(max_part_time_share=None), tours=False, **extra)
             for extra in ({}, {"deferred": ()})]
    for plan in plans:
        assert plan.paid_hours == 96.5
        assert plan.objective == pytest.approx(98.07865793655915, rel=1e-12)
        assert plan.model == ModelSize(variables=346, integer_variables=92, constraints=265, nonzeros=1747,
                                       tour_candidates=0, shift_candidates=33)
        assert [(str(s.start_utc), s.length_h, s.count) for s in plan.shifts] == [
            ("2026-11-30T14:00:00", 4.0, 5), ("2026-11-30T14:30:00", 4.0, 2), ("2026-11-30T15:00:00", 4.0, 1),
            ("2026-11-30T15:00:00", 9.0, 1), ("2026-11-30T15:30:00", 4.0, 2), ("2026-11-30T15:30:00", 8.0, 1),
            ("2026-11-30T15:30:00", 9.0, 1), ("2026-11-30T20:30:00", 4.0, 3), ("2026-11-30T21:00:00", 4.0, 1),
            ("2026-11-30T22:00:00", 4.0, 4)]
        assert plan.deferred_worked == () and plan.deferred_late == ()
    assert np.array_equal(plans[0].on_phones, plans[1].on_phones)
    given = roster(starts, offsets, 900, _two_peaks(hour), plans[0].shifts)
    assert given.deferred_worked == () and given.deferred_late == ()


# --- bad input -----------------------------------------------------------------------------------


def test_a_load_of_the_wrong_length_is_rejected() -> None:
    starts, offsets = _one_day_8h()
    load = DeferredLoad("email", np.zeros(31), np.ones(31))
    with pytest.raises(ValueError, match="'email' has 31 intervals, expected one value per requirement interval"):
        schedule(starts, offsets, 900, np.full(32, 2.0), ShiftRules(**NO_BREAKS_8H), deferred=[load])
    with pytest.raises(ValueError, match="due has 3 values but arrived has 4"):
        DeferredLoad("email", np.zeros(3), np.ones(4))
    with pytest.raises(ValueError, match="1-D array"):
        DeferredLoad("email", np.zeros((2, 2)), np.ones((2, 2)))


def test_curves_that_decrease_or_fall_due_before_arriving_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"'email': due: interval 2: the cumulative curve decreases \(3 -> 2\)"):
        DeferredLoad("email", np.array([1.0, 3.0, 2.0]), np.array([5.0, 5.0, 5.0]))
    with pytest.raises(ValueError, match="arrived: interval 1: the cumulative curve decreases"):
        DeferredLoad("email", np.zeros(3), np.array([2.0, 1.0, 3.0]))
    with pytest.raises(ValueError, match=r"interval 1: due \(2 agent-intervals\) is more than has arrived \(1\)"):
        DeferredLoad("email", np.array([0.0, 2.0, 2.0]), np.array([1.0, 1.0, 3.0]))
    with pytest.raises(ValueError, match="finite number >= 0"):
        DeferredLoad("email", np.array([0.0, np.nan]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="finite number >= 0"):
        DeferredLoad("email", np.array([-1.0, 0.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="needs a name"):
        DeferredLoad("", np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"'email': workable must be 2 bools \(one per requirement interval\)"):
        DeferredLoad("email", np.zeros(2), np.zeros(2), np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="workable must be 2 bools"):
        DeferredLoad("email", np.zeros(2), np.zeros(2), np.ones(2))


def test_a_queue_given_twice_is_rejected() -> None:
    starts, offsets = _one_day_8h()
    load = DeferredLoad("email", np.zeros(32), np.ones(32))
    with pytest.raises(ValueError, match="'email' is given twice"):
        schedule(starts, offsets, 900, np.full(32, 2.0), ShiftRules(**NO_BREAKS_8H), deferred=[load, load])
