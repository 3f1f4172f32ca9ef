"""wfm.deferred_levels: one level of agents per day for deferred work, the fewest agent-intervals in all."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from wfm import deferred, deferred_levels
from wfm.deferred_curves import _CEIL_SLACK, _processed, _queue

HOUR = 3600
MONDAY = 1_767_571_200  # 2026-01-05 00:00 UTC


def _three_days(volume_open: np.ndarray) -> tuple[np.ndarray, ...]:
    """Three days of hourly rows, open 08:00-19:00; ``volume_open``: the 33 open hours' items."""
    start = MONDAY + HOUR * np.arange(72, dtype=np.int64)
    open_ = (np.arange(72) % 24 >= 8) & (np.arange(72) % 24 < 19)
    volume = np.zeros(72)
    volume[open_] = volume_open
    return start, open_, np.arange(72) // 24, volume, np.full(72, 600.0)


_MONDAY_ONLY = np.array([20, 0, 2, 0, 10, 0, 0, 0, 0, 2, 1] + [0] * 22, dtype=float)
"""Items on Monday only: nothing is carried round the cycle (Wednesday leaves nothing to the next Monday)."""


def test_work_that_must_be_done_by_the_third_day_is_worked_on_the_second_not_all_at_once(monkeypatch) -> None:
    """Items answered within 22 open hours: Monday's are due on Wednesday. Day by day, Monday and Tuesday need
    nobody and Wednesday 4 agents (44 agent-hours); 1 agent on Tuesday does all that is due (11)."""
    start, open_, day, volume, aht = _three_days(_MONDAY_ONLY)
    kw = dict(response_within_s=22 * HOUR, level=1.0, clock="open", max_occupancy=1.0, day=day)
    req = deferred.required_agents(start, HOUR, volume, aht, open_, **kw)
    assert [int(req.agents[open_ & (day == d)].max()) for d in range(3)] == [0, 1, 0]
    assert deferred.share_within(req.measures, volume, day).min() == 1.0
    monkeypatch.setattr(deferred, "level_by_day", deferred_levels._least_level_each_day)
    old = deferred.required_agents(start, HOUR, volume, aht, open_, **kw)
    assert [int(old.agents[open_ & (day == d)].max()) for d in range(3)] == [0, 0, 4]


def _brute_force(q, due, open_rows, open_days, k, floor, top) -> int:
    """The fewest agent-intervals of any levels 0..top per day that keep the work done at or above ``due``."""
    days = np.unique(open_days)
    best = None
    for levels in itertools.product(range(top + 1), repeat=days.size):
        agents = np.zeros(q.work.size)
        agents[open_rows] = np.maximum(np.array(levels)[np.searchsorted(days, open_days)], floor)
        done = _processed(q.arrived, np.where(q.open_, agents * k, 0.0))
        if np.all(done[open_rows] >= due - _CEIL_SLACK * (q.arrived[-1] + 1.0)):
            best = int(agents.sum()) if best is None else min(best, int(agents.sum()))
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(30))
def test_the_levels_are_the_fewest_in_all_and_never_more_than_day_by_day(seed: int) -> None:
    rng = np.random.default_rng(seed)
    days, per, closed = int(rng.integers(2, 5)), int(rng.integers(2, 6)), int(rng.integers(0, 4))
    rows = days * (per + closed)
    start = MONDAY + HOUR * np.arange(rows, dtype=np.int64)
    open_ = np.arange(rows) % (per + closed) < per
    day = np.arange(rows) // (per + closed)
    volume = np.where(open_ | (rng.random(rows) < 0.5), rng.gamma(2.0, 3.0, rows).round(1), 0.0)
    q = _queue(start, HOUR, volume, np.full(rows, 600.0), open_, float(HOUR), "open")
    open_rows = np.flatnonzero(open_)
    lag = int(rng.integers(1, 2 * per + 1))  # work due ``lag`` open rows after it arrives (a deadline's due curve)
    arrived = q.arrived[open_rows]
    due = np.r_[np.zeros(lag), arrived[:-lag]][:open_rows.size]
    floor = rng.choice([0, 0, 1], size=open_rows.size) if seed % 3 == 0 else np.zeros(open_rows.size, dtype=np.int64)
    if seed % 2:  # work carried in from the cycle before, due over the first rows, and no more left to the next
        carry = float(rng.uniform(0.0, 0.5)) * float(arrived[-1])
        q = q._replace(arrived=q.arrived + carry)
        due = np.r_[carry * np.arange(1, lag + 1) / lag, arrived[:-lag] + carry][:open_rows.size]
        due[-1] = max(due[-1], float(arrived[-1]))
    k = HOUR * 0.85
    day_by_day = deferred_levels._least_level_each_day(q, due, open_rows, day[open_rows], k, floor)
    fewest = deferred_levels.level_by_day(q, due, open_rows, day[open_rows], k, floor)
    assert fewest.sum() <= day_by_day.sum()
    top = int(max(day_by_day.max(), fewest.max())) + 2  # the fewest may take a day higher than either does
    assert fewest.sum() == _brute_force(q, due, open_rows, day[open_rows], k, floor, top)
    for d in range(days):  # one level a day, at least the minimum staffing
        levels = fewest[open_rows][day[open_rows] == d] - floor[day[open_rows] == d]
        assert np.unique(fewest[open_rows][(day[open_rows] == d) & (floor == 0)]).size <= 1
        assert levels.min() >= 0
    if fewest.sum() == day_by_day.sum():  # where day by day is the fewest too, the same staffing
        assert np.array_equal(fewest, day_by_day)


@pytest.mark.parametrize("limit", ["_MAX_CELLS", "_MAX_CELLS_IN_ALL"])
def test_tables_over_their_budget_take_the_day_by_day_levels(monkeypatch, limit: str) -> None:
    start, open_, day, volume, aht = _three_days(_MONDAY_ONLY)
    kw = dict(response_within_s=22 * HOUR, level=1.0, clock="open", max_occupancy=1.0, day=day)
    fewest = deferred.required_agents(start, HOUR, volume, aht, open_, **kw).agents
    monkeypatch.setattr(deferred_levels, limit, 1)
    day_by_day = deferred.required_agents(start, HOUR, volume, aht, open_, **kw).agents
    monkeypatch.setattr(deferred, "level_by_day", deferred_levels._least_level_each_day)
    assert np.array_equal(day_by_day, deferred.required_agents(start, HOUR, volume, aht, open_, **kw).agents)
    assert fewest.sum() < day_by_day.sum()
