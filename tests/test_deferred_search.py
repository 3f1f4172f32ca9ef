"""wfm.deferred_search: below 100 %, one level of agents per day searched against the share target itself. Checked
against an exhaustive search over every combination of levels that reads nothing but wfm.deferred.measures (small
random cases on either clock), and on the sample program week, where the due curve at the deadline staffed social
media at 50 % within 10 minutes with six times the least."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SAMPLES, slow_after
from deferred_least import Exhaustive

from wfm import deferred
from wfm.config import load_settings
from wfm.deferred_search import _groups
from wfm.errors import ConfigError
from wfm.forecast import load_forecast
from wfm.staffing import size

EPOCH = 1_764_547_200  # 2025-12-01T00:00:00Z


def _case(seed: int) -> dict:
    """A small random deferred queue of 2-4 days (15-, 30- or 60-minute rows; open hours, a night with or without
    work, a peak; either clock; a target of 50-95 % within 10 min to 8 h; sometimes a minimum staffing, sometimes a
    cycle of just its days), the first of its draws that some staffing can meet."""
    for draw in range(50):
        rng = np.random.default_rng([seed, draw])
        interval = float(rng.choice([900.0, 1800.0, 3600.0]))
        per_day = int(86_400 // interval)
        days = int(rng.choice([2, 3, 3, 4]))
        n = days * per_day
        hour = (np.arange(n) % per_day) * interval / 3600.0
        opens, closes = [(8, 20), (7, 19), (9, 17), (0, 24), (6, 22)][int(rng.integers(0, 5))]
        open_ = (hour >= opens) & (hour < closes)
        peak = 1.5 * np.exp(-(((hour - rng.uniform(9, 17)) / 1.5) ** 2)) * (rng.random() < 0.4)
        shape = 1.0 + 0.8 * np.sin((hour - 6) / 24 * 2 * np.pi) + peak
        night = float(rng.choice([0.0, 0.1, 0.3, 0.6]))
        volume = np.where(open_, 1.0, night) * shape * rng.uniform(0.5, 6.0) * interval / 900.0
        volume *= rng.uniform(0.6, 1.4, n) * np.repeat(rng.uniform(0.4, 1.3, days), per_day)
        case = dict(start=EPOCH + (np.arange(n) * interval).astype(np.int64), interval=interval,
                    volume=np.round(volume) if rng.random() < 0.3 else volume, aht=rng.uniform(120.0, 600.0, n),
                    open_=open_, day=np.arange(n) // per_day,
                    r=float(rng.choice([600.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0])),
                    level=float(rng.choice([0.5, 0.6, 0.7, 0.8, 0.9, 0.95])), clock=str(rng.choice(deferred.CLOCKS)),
                    occupancy=float(rng.choice([0.85, 1.0])), cycle_s=None if rng.random() < 0.6 else float(n * interval),
                    min_staff=0 if rng.random() < 0.8 else int(rng.integers(1, 3)))
        try:
            case["req"] = _size(case)
        except ConfigError:
            continue
        return case
    raise AssertionError("no reachable draw")


def _size(case: dict) -> deferred.DeferredRequirement:
    return deferred.required_agents(case["start"], case["interval"], case["volume"], case["aht"], case["open_"],
                                    response_within_s=case["r"], level=case["level"], clock=case["clock"],
                                    max_occupancy=case["occupancy"], day=case["day"], cycle_s=case["cycle_s"],
                                    min_staff=case["min_staff"])


def _levels(search: Exhaustive, agents: np.ndarray) -> list[int]:
    levels = []
    for rows in search.rows:
        assert np.unique(agents[rows][agents[rows] > search.case["min_staff"]]).size <= 1  # one level a day
        levels.append(int(agents[rows].max()) if agents[rows].max() > search.case["min_staff"] else 0)
    return levels


@pytest.mark.parametrize("seed", slow_after(6, range(60)))
def test_below_100_percent_no_day_can_lose_an_agent_and_the_bounds_when_met_are_the_answer(seed: int) -> None:
    """Every day meets the target with a level a day that does the cycle's work; one agent fewer on any day misses
    the target; it takes no fewer agent-intervals than the exhaustive least, and exactly as many where each day's
    least level with the others doing all their work (the bounds) meets the target together."""
    case = _case(seed)
    req, search = case["req"], Exhaustive(case)
    levels = _levels(search, req.agents)
    assert search.cost(levels) == int(req.agents.sum()) and search.meets(levels)
    for d, level in enumerate(levels):
        if level > 0:
            assert not search.meets(levels[:d] + [level - 1] + levels[d + 1:]), d
    least, _, bounds_meet = search.least(levels)
    assert int(req.agents.sum()) >= least
    if bounds_meet:
        assert int(req.agents.sum()) == least


@pytest.mark.slow  # 200 exhaustive searches: run by CI, skipped by -m 'not slow'
def test_below_100_percent_is_the_least_one_level_per_day_staffing_in_all_but_a_few_random_cases() -> None:
    """Against the exhaustive least: at most 2 of 200 cases above it, 0.2 % of the agent-intervals in all (none
    here; the due curve at the deadline was above it in 118, 24 % over in all, up to 3.7 times)."""
    above, total, least_total = 0, 0, 0
    for seed in range(200):
        case = _case(1000 + seed)
        search = Exhaustive(case)
        cost = int(case["req"].agents.sum())
        least = search.least(_levels(search, case["req"].agents))[0]
        above += cost > least
        total, least_total = total + cost, least_total + least
    assert above <= 2 and total <= 1.002 * least_total, (above, total / least_total)


def _program_week(tmp_path, channel: str, lines: str):
    path = tmp_path / "wfm.toml"
    path.write_text(f"[channels.{channel}]\n{lines}", encoding="utf-8")
    forecast = load_forecast(SAMPLES / "program_week_15min.csv")
    return forecast, size(forecast, load_settings(path), warn_unused_sections=False)


@pytest.mark.parametrize(("queue", "lines", "least", "was"), [
    ("care_social", 'service_level = 0.5\nanswer_within_s = 600\nresponse_clock = "open"\nopen_hours = "08:00-20:00"',
     2544, 15792),
    ("care_social", 'service_level = 0.9\nanswer_within_s = 3600\nresponse_clock = "open"\nopen_hours = "08:00-20:00"',
     3072, 4032),
    ("care_email", 'service_level = 0.8\nanswer_within_s = 3600\nresponse_clock = "open"\nopen_hours = "08:00-20:00"',
     8880, 14352),
    ("care_social", 'service_level = 0.5\nanswer_within_s = 600\nopen_hours = "08:00-20:00"', 2688, 15840),
])
def test_the_program_week_is_staffed_with_the_least_levels(tmp_path, queue: str, lines: str, least: int,
                                                           was: int) -> None:
    """The sample program week's social media at 50 % within 10 minutes in open hours (the defect: 50-57 agents a
    day, 15,792 agent-intervals, 92 % delivered; now 9, 9, 9, 8, 7, 7, 4), at the sample's own 90 % within 1 hour,
    e-mail at 80 % within 1 hour, and social at 50 % within 10 minutes on the elapsed clock: one level a day, the
    least there is (exhaustive search)."""
    channel = "social" if queue == "care_social" else "email"
    forecast, requirement = _program_week(tmp_path, channel, lines)
    rows = np.flatnonzero(forecast.queue == forecast.queue_names.index(queue))
    targets = requirement.targets[forecast.queue_names.index(queue)]
    day = np.unique(forecast.local_start[rows].astype("datetime64[D]"), return_inverse=True)[1]
    case = dict(start=forecast.interval_start[rows].astype(np.int64), interval=900.0, volume=forecast.volume[rows],
                aht=forecast.aht_s[rows], open_=requirement.open_[rows], day=day, r=targets.answer_within_s,
                level=targets.service_level, clock=targets.response_clock, occupancy=targets.max_occupancy,
                cycle_s=None, min_staff=0)
    search = Exhaustive(case)
    levels = _levels(search, requirement.agents[rows])
    assert search.meets(levels) and int(requirement.agents[rows].sum()) == least < was
    assert search.least(levels)[0] == least


def test_the_due_curve_of_a_searched_staffing_is_kept_and_a_staffing_exactly_on_it_meets_the_target(tmp_path) -> None:
    """The due curve handed on (to the schedule's cumulative constraints) for a staffing the search found: the work
    due by the deadline, capped by the work the staffing does; the staffing keeps up with it, and a staffing that
    does exactly that work by each interval's end meets the target every day."""
    forecast, requirement = _program_week(tmp_path, "social", 'service_level = 0.5\nanswer_within_s = 600\n'
                                          'response_clock = "open"\nopen_hours = "08:00-20:00"')
    q = forecast.queue_names.index("care_social")
    rows = np.flatnonzero(forecast.queue == q)
    due, open_ = requirement.due_work_s[rows], requirement.open_[rows]
    worked = requirement.occupancy[rows] * requirement.agents[rows] * 900.0
    assert np.all(np.cumsum(worked) >= due - 1e-6) and np.all(np.diff(due) >= 0.0)
    day = np.unique(forecast.local_start[rows].astype("datetime64[D]"), return_inverse=True)[1]
    exact = deferred.measures(forecast.interval_start[rows].astype(np.int64), 900.0, forecast.volume[rows],
                              forecast.aht_s[rows], open_, np.diff(due, prepend=0.0), response_within_s=600,
                              clock="open")
    assert deferred.share_within(exact, forecast.volume[rows], day).min() >= 0.5


@pytest.mark.parametrize("apart", [3, 5])
def test_days_tried_at_once_are_apart_round_the_cycle(apart: int) -> None:
    for count in range(1, 60):
        groups = _groups(count, apart)
        assert np.array_equal(np.sort(np.concatenate(groups)), np.arange(count))
        for group in groups:
            if group.size > 1:
                gaps = np.diff(np.r_[group, group[0] + count])
                assert gaps.min() >= apart, (count, group)
