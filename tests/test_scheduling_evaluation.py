"""wfm.scheduling.evaluation: what a roster delivers, interval by interval, by Erlang C."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest

from wfm import erlang
from wfm.scheduling.evaluation import evaluate
from wfm.scheduling.solution import BreakPlacement, Shift
from wfm.scheduling.solve import roster


def _day(hours: float, open_at: str = "2026-11-30T08:00") -> tuple[np.ndarray, np.ndarray]:
    """`hours` of 15-minute intervals at UTC offset 0."""
    n = round(hours * 4)
    return np.datetime64(open_at, "s") + np.arange(n) * np.timedelta64(900, "s"), np.zeros(n, dtype=np.int64)


def _ten_agents_with_lunch():
    starts, offsets = _day(8)
    t0 = starts[0]
    lunch = BreakPlacement("lunch", datetime(2026, 11, 30, 12), t0 + np.timedelta64(4 * 3600, "s"), 30, False, 4)
    shifts = [
        Shift(day=date(2026, 11, 30), start_local=datetime(2026, 11, 30, 8),
              end_local=datetime(2026, 11, 30, 16), start_utc=t0, end_utc=t0 + np.timedelta64(8 * 3600, "s"),
              length_h=8, paid_h=7.5, part_time=False, count=10, breaks=(lunch,)),
    ]
    return roster(starts, offsets, 900, np.full(32, 8.0), shifts)


def test_evaluation_matches_erlang_for_a_hand_built_roster() -> None:
    traffic = np.linspace(4.0, 7.5, 32)
    aht = np.full(32, 300.0)
    plan = _ten_agents_with_lunch()
    assert plan.on_shift.tolist() == [10.0] * 32
    assert plan.on_phones[16:18].tolist() == [6.0, 6.0]  # 4 of 10 at lunch 12:00-12:30
    ev = evaluate(plan, traffic, aht, 20, remaining_shrinkage=0.1)
    available = plan.on_phones * 0.9
    assert np.array_equal(ev.available, available)
    assert np.allclose(ev.service_level, erlang.service_level(available, traffic, aht, 20), rtol=1e-12)
    assert np.allclose(ev.asa_s, erlang.average_speed_of_answer(available, traffic, aht))
    assert np.allclose(ev.occupancy, erlang.occupancy(available, traffic))
    volume = traffic * 900 / aht
    assert ev.service_level_week == pytest.approx((volume * ev.service_level).sum() / volume.sum())
    assert ev.required_hours == pytest.approx(32 * 8 * 0.9 * 0.25)
    assert ev.efficiency == pytest.approx(ev.required_hours / 75.0)
    assert ev.under_staffed.tolist() == (available < 7.2).tolist()


def test_overloaded_intervals_give_zero_service_level_and_infinite_asa() -> None:
    plan = _ten_agents_with_lunch()
    traffic = np.full(32, 6.5)  # above the 6 on the phones during lunch, below the 10 otherwise
    ev = evaluate(plan, traffic, 300.0, 20)
    assert ev.service_level[16:18].tolist() == [0.0, 0.0] and np.isinf(ev.asa_s[16:18]).all()
    assert ev.occupancy[16:18].tolist() == [1.0, 1.0]
    assert np.allclose(ev.service_level[:16], erlang.service_level(10, 6.5, 300.0, 20))
    assert ev.days.tolist() == [date(2026, 11, 30)]
    assert ev.service_level_by_day[0] == pytest.approx(ev.service_level.mean())  # equal volumes


def test_zero_traffic_is_fully_served_and_bad_arguments_are_errors() -> None:
    plan = _ten_agents_with_lunch()
    ev = evaluate(plan, np.zeros(32), 300.0, 20)
    assert np.all(ev.service_level == 1.0) and np.isnan(ev.service_level_week)
    with pytest.raises(ValueError, match="remaining_shrinkage must be a fraction"):
        evaluate(plan, np.ones(32), 300.0, 20, remaining_shrinkage=1.0)
    with pytest.raises(ValueError, match="traffic_erlangs must be finite"):
        evaluate(plan, np.full(32, -1.0), 300.0, 20)
