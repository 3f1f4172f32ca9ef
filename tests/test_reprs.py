"""wfm.reprs: results that hold arrays read in a notebook as their fields, not as every interval."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from wfm.forecasting.run import QueueForecast, Result
from wfm.plan import QueuePlan
from wfm.reprs import compact_repr
from wfm.scheduling.deferred_load import DeferredLoad
from wfm.scheduling.evaluation import Evaluation
from wfm.scheduling.seats import Seats, SiteSeats
from wfm.simulation.blended import DeferredCheck
from wfm.simulation.compare import Check
from wfm.simulation.run import SimulationReport


@dataclass(frozen=True, repr=False)
class _Week:
    __repr__ = compact_repr

    queue: str
    agents: np.ndarray
    grid: np.ndarray
    notes: tuple[str, ...]
    misses: tuple[str, ...]
    note: str
    hidden: int = field(default=0, repr=False)


def test_arrays_long_sequences_and_long_values_are_summarised() -> None:
    week = _Week("sales", np.zeros(2016, dtype=np.int64), np.ones((7, 96)), ("a", "b", "c", "d"), ("x",), "n" * 300)
    text = repr(week)
    assert text.startswith("_Week(queue='sales', agents=<int64 array of 2,016>, grid=<float64 array of 7 x 96>, "
                           "notes=<tuple of 4 str>, misses=('x',), note='nnn")
    assert text.endswith("...)") and "hidden" not in text and len(text) < 250
    assert "agents=<float64 array of one value>" in repr(_Week("q", np.ones(()), np.ones(0), (), (), ""))


def test_a_deferred_load_of_a_week_reads_in_a_line() -> None:
    week = np.linspace(0.0, 500.0, 7 * 96)
    text = repr(DeferredLoad("email", week, week))
    assert text.startswith("DeferredLoad(name='email', due=<float64 array of 672>, arrived=<float64 array of 672>")
    assert len(text) < 300  # was 19,000 characters


@pytest.mark.parametrize("result", [QueuePlan, Evaluation, Seats, SiteSeats, DeferredLoad, SimulationReport, Check,
                                    DeferredCheck, QueueForecast, Result])
def test_the_results_that_hold_arrays_use_it(result) -> None:
    assert result.__repr__ is compact_repr


@pytest.mark.slow  # a solved week (the session's DST plan)
def test_a_queue_plan_reads_in_a_few_lines(dst_plan) -> None:
    queue = dst_plan.queues[0]
    assert len(repr(queue)) < 2_000 and len(repr(queue.evaluation)) < 1_500  # were 67,134 and 59,587 characters
    assert len(repr(queue.seats)) < 500 and all(len(repr(site)) < 500 for site in dst_plan.sites)  # Seats was 4,800
    assert repr(queue).startswith(f"QueuePlan(queue={queue.queue!r}, targets=Targets(")
