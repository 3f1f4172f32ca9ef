"""wfm.capacity.run: attrition from the plan's start, headcount at each period's end, flows that balance."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from wfm.capacity.inputs import read_volumes
from wfm.capacity.run import plan_from_requirement
from wfm.capacity.settings import CapacitySettings

MONTHS = "period,volume,aht\n" + "".join(f"2027-{m:02d},20000,300\n" for m in range(1, 7))
WEEKS = "period,volume,aht\n" + "".join(f"2027-W{w:02d},5000,300\n" for w in range(1, 17))
# 40 agents cover the first months; the need rises to 60, so classes start in the plan
RISING_MONTHS = (30.0, 30.0, 40.0, 55.0, 60.0, 60.0)
RISING_WEEKS = tuple([30.0] * 6 + [40.0] * 4 + [55.0] * 6)


def _plan(write_csv, text, required, **settings):
    volumes = read_volumes(write_csv(text, name="volumes.csv"))
    capacity = CapacitySettings(**{"headcount": 40, "training_weeks": 3, "lead_time_weeks": 2, **settings})
    return volumes, plan_from_requirement(volumes, np.array([required], dtype=np.float64), capacity)


def test_attrition_starts_on_the_first_day_not_its_monday(write_csv):
    """1 January 2027 is a Friday: the week of Monday 28 December counts 3 days, so the headcount on 31 January
    is 100 x 0.5 ** (31 / 365.25) = 94.29 and January's leavers 5.71 (not 93.57 and 5.67 before the fix, a week's
    survival in the first week and the 28-31 December leavers in no period)."""
    _, plan = _plan(write_csv, MONTHS, (20.0,) * 6, headcount=100, attrition=(0.5,))
    assert round(float(plan.headcount[0]), 2) == 94.29
    assert round(float(plan.attrition[0]), 2) == 5.71
    assert plan.headcount[0] == pytest.approx(100 * 0.5 ** (31 / 365.25), rel=1e-12)
    # every month's end: 28 February (a Sunday), 31 March (a Wednesday, mid-week), ... 30 June
    days = np.cumsum([31, 28, 31, 30, 31, 30])
    assert plan.headcount == pytest.approx(100 * 0.5 ** (days / 365.25), rel=1e-12)
    assert plan.in_training.tolist() == [0.0] * 6


def _by_hand(plan, plan_day: int, ends: np.ndarray, rate: float, training_weeks: int):
    """The headcount and trainees at each period's end from the classes, by the survival function alone: an agent
    on the payroll on day a is still there on day b with probability (1 - rate) ** ((b - a) / 365.25)."""
    epoch = dt.date(1970, 1, 1)

    def kept(since):
        return (1.0 - rate) ** ((ends - since) / 365.25)

    headcount = plan.settings.headcount * kept(plan_day)
    trainees = np.zeros(ends.size)
    for k in plan.classes:
        day = (k.start - epoch).days
        present = kept(day) * k.agents * (ends > day)
        headcount = headcount + present
        trainees = trainees + present * (ends <= day + 7 * training_weeks)
    return headcount, trainees


@pytest.mark.slow  # six capacity plans (HiGHS): run by CI, skipped by -m 'not slow'
@pytest.mark.parametrize("text, required, start", [
    (MONTHS, RISING_MONTHS, None),  # a Friday
    (MONTHS, RISING_MONTHS, dt.date(2026, 12, 16)),  # a Wednesday, a lead-in month before the forecast
    (MONTHS, RISING_MONTHS, dt.date(2026, 12, 28)),  # a Monday
    (MONTHS, RISING_MONTHS, dt.date(2026, 12, 31)),  # a Thursday: a one-day lead-in month ending mid-week
    (WEEKS, RISING_WEEKS, None),  # Monday 4 January 2027: ISO weeks are the grid's weeks
    (WEEKS, RISING_WEEKS, dt.date(2026, 12, 19)),  # a Saturday: a 2-day first week in the lead-in week 2026-W51
], ids=["months-fri", "months-wed-lead-in", "months-mon-lead-in", "months-thu-one-day", "weeks-mon",
       "weeks-sat-lead-in"])
def test_headcount_and_trainees_at_each_period_end_by_hand(write_csv, text, required, start):
    volumes, plan = _plan(write_csv, text, required, attrition=(0.3,), start=start)
    assert plan.classes, "the rising requirement needs classes"
    plan_day = (plan.start - dt.date(1970, 1, 1)).days
    lead = len(plan.periods) - len(volumes.periods)
    ends = np.r_[[_end(label) for label in plan.periods[:lead]], volumes.end_day].astype(np.int64)
    headcount, trainees = _by_hand(plan, plan_day, ends, 0.3, plan.settings.training_weeks)
    assert plan.headcount == pytest.approx(headcount, rel=1e-12)
    assert plan.in_training == pytest.approx(trainees, rel=1e-12, abs=1e-12)


def _end(label: str) -> int:
    from wfm.capacity.inputs import parse_period

    return parse_period(label)[2]


@pytest.mark.slow  # 24 capacity plans
@pytest.mark.parametrize("text, required", [(MONTHS, RISING_MONTHS), (WEEKS, RISING_WEEKS)], ids=["months", "weeks"])
@pytest.mark.parametrize("attrition", [(0.3,), (0.5,), tuple(np.linspace(0.01, 0.06, 12))],
                         ids=["annual-0.3", "annual-0.5", "monthly"])
@pytest.mark.parametrize("start", [None, dt.date(2026, 12, 2), dt.date(2026, 12, 19), dt.date(2026, 12, 31)],
                         ids=["first-day", "wed", "sat", "thu"])
def test_headcount_flows_balance_in_every_period(write_csv, text, required, attrition, start):
    """headcount at a period's end = headcount at its start (the previous period's end, or the plan's start)
    + agents starting in it - leavers in it, for an annual rate or a monthly curve, from any weekday."""
    _, plan = _plan(write_csv, text, required, attrition=attrition, start=start)
    opening = np.r_[plan.settings.headcount, plan.headcount[:-1]]
    assert plan.headcount == pytest.approx(opening + plan.hires_starting - plan.attrition, rel=0, abs=1e-9)
    assert (plan.attrition > 0).all() and (plan.in_training <= plan.headcount + 1e-12).all()
    assert plan.hires_starting.sum() > 0


def test_no_attrition_keeps_everyone(write_csv):
    _, plan = _plan(write_csv, MONTHS, RISING_MONTHS, attrition=(0.0,))
    assert plan.attrition == pytest.approx(np.zeros(6), abs=1e-12)
    assert plan.headcount == pytest.approx(40 + np.cumsum(plan.hires_starting))


def test_the_first_week_counts_its_days_from_the_start(write_csv):
    """Starting on the Monday (28 December) or on Friday 1 January with the same headcount: on 31 January the
    first has lost 35 days of leavers, the second 31."""
    _, monday = _plan(write_csv, MONTHS, (20.0,) * 6, headcount=100, attrition=(0.4,), start=dt.date(2026, 12, 28))
    _, friday = _plan(write_csv, MONTHS, (20.0,) * 6, headcount=100, attrition=(0.4,))
    assert monday.periods[0] == "2026-12" and friday.periods[0] == "2027-01"
    assert monday.headcount[1] == pytest.approx(100 * 0.6 ** (35 / 365.25), rel=1e-12)
    assert friday.headcount[0] == pytest.approx(100 * 0.6 ** (31 / 365.25), rel=1e-12)


def test_payroll_pays_each_day_its_own_headcount(write_csv):
    """No hiring needed: each month's payroll is the sum over its days of 100 x 0.5 ** (day / 365.25) (the headcount
    at each day's end) at 3,200 a month of 365.25 / 12 days. The week's end-of-week headcount for every day of it
    had paid 0.3-0.5 % too little at this attrition."""
    _, plan = _plan(write_csv, MONTHS, (20.0,) * 6, headcount=100, attrition=(0.5,), cost_per_fte_month=3200.0)
    day = np.arange(1, 182)  # 1 January .. 30 June 2027, day 1 the first day's end
    paid = 100 * 0.5 ** (day / 365.25) * 3200 / (365.25 / 12)
    month_ends = np.cumsum([31, 28, 31, 30, 31, 30])
    expected = [paid[a:b].sum() for a, b in zip(np.r_[0, month_ends[:-1]], month_ends)]
    assert plan.cost == pytest.approx(expected, rel=1e-12)


def test_an_erlang_a_queue_bills_the_contacts_it_handles(tmp_path):
    """per_handled_contact bills offered less the callers who abandon at the required staffing, as wfm plan bills
    handled contacts (it billed every offered contact)."""
    from wfm.capacity.run import make_capacity_plan
    from wfm.capacity.sizing import default_profile, sized_periods
    from wfm.config import load_settings

    volumes_path = tmp_path / "volumes.csv"
    volumes_path.write_text(MONTHS)
    config = tmp_path / "wfm.toml"
    config.write_text('[targets]\nmodel = "erlang-a"\npatience_s = 60\nmax_abandon_rate = 0.1\n'
                      '[contract]\nprice_model = "per_handled_contact"\nrate = 2.0\n')
    settings = load_settings(config)
    volumes = read_volumes(volumes_path)
    _, share = sized_periods(volumes, default_profile(), settings)
    assert np.all((share > 0.9) & (share < 1.0))  # some abandon, fewer than the cap allows
    plan = make_capacity_plan(volumes, CapacitySettings(headcount=40, training_weeks=3, lead_time_weeks=2), settings)
    assert plan.revenue == pytest.approx(np.round(2.0 * volumes.volume[0] * share[0], 2), abs=0.006)
