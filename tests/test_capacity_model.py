"""wfm.capacity.model: the projection checked by hand, the hiring program against brute force."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest
from conftest import slow_after

from wfm.capacity import model


def test_ramp_half_to_full_over_four_weeks():
    p = model.ramp(training_weeks=2, ramp_start=0.5, ramp_weeks=4, weeks=8)
    assert p.tolist() == [0, 0, 0.5, 0.625, 0.75, 0.875, 1, 1]
    assert model.ramp(1, 0.5, 0, 3).tolist() == [0, 1, 1]


def test_weekly_survival_compounds_to_the_annual_rate():
    s = model.weekly_survival(0.30, weeks=3)
    assert s[0] ** (365.25 / 7) == pytest.approx(0.70)
    monthly = np.full(12, 0.05)
    s = model.weekly_survival(None, monthly, np.array([0, 1]), np.array([31, 28]))
    assert s[0] ** (31 / 7) == pytest.approx(0.95) and s[1] ** 4 == pytest.approx(0.95)


def test_projection_by_hand():
    # 10 agents, 10 % leave every week; a class of 4 starts in week 1, trains 1 week, 50 % -> 100 % over 2 weeks
    s = np.full(5, 0.9)
    c = model.cohorts(s, np.array([1]), training_weeks=1, ramp_start=0.5, ramp_weeks=2)
    week = model.project(c, 10.0, np.array([4.0]))
    tenured = 10 * 0.9 ** np.arange(1, 6)  # 9, 8.1, 7.29, 6.561, 5.9049
    cls = np.array([0, 4 * 0.9, 4 * 0.81, 4 * 0.729, 4 * 0.6561])  # survivors at each week's end
    assert week.headcount == pytest.approx(tenured + cls)
    # week 1 training (0), week 2 first ramp week (0.5), week 3 (0.75), week 4 full
    assert week.productive == pytest.approx(tenured + cls * np.array([0, 0, 0.5, 0.75, 1]))
    assert week.in_training == pytest.approx([0, 3.6, 0, 0, 0])
    assert week.hires.tolist() == [0, 4, 0, 0, 0]
    # leavers: 10 % of those employed in the week (the start's headcount plus the week's hires)
    before = np.r_[10, week.headcount[:-1]] + week.hires
    assert week.leavers == pytest.approx(before * 0.1)


def _brute_force(c, headcount, target, sizes, hire_cost):
    """The least cost over every plan reaching ``target`` in every week (None: no plan does)."""
    best = None
    for combo in itertools.product(sizes, repeat=c.starts.size):
        n = np.array(combo, dtype=float)
        if (model.project(c, headcount, n).productive >= target - 1e-9).all():
            cost = float(hire_cost @ n)
            best = cost if best is None or cost < best else best
    return best


@pytest.mark.parametrize("seed", slow_after(2, range(1, 9)))  # seed 1 coverable by no plan, 2 by some
def test_hiring_plan_is_least_cost_and_never_short(seed):
    rng = np.random.default_rng(seed)
    weeks = 9
    s = np.full(weeks, 0.97)
    c = model.cohorts(s, np.arange(0, 6), training_weeks=2, ramp_start=0.5, ramp_weeks=1)
    need = 8.5 + np.cumsum(rng.uniform(-0.3, 0.9, weeks))
    hire_cost = np.array([c.employed[:, k].sum() for k in range(6)]) + rng.uniform(0, 0.5, 6)
    sizes = [0, 2, 3]  # class_min 2, class_max 3, one class a week
    plan = model.solve_hiring(c, 10.0, need, class_min=2, class_max=3, max_classes=1, hire_cost=hire_cost,
                              class_cost=0.0)
    produced = model.project(c, 10.0, plan.hires).productive
    expected = _brute_force(c, 10.0, need, sizes, hire_cost)
    if expected is not None:  # a plan covers every week: the solver's covers them all, at the least cost
        assert (produced >= need - model.TOLERANCE).all()
        assert plan.objective == pytest.approx(expected, rel=1e-9)
    else:  # none does: the best reaches, every week, what the largest hiring reaches, at the least cost
        most = model.project(c, 10.0, np.full(6, 3.0)).productive
        reachable = np.minimum(need, most)
        assert (produced >= reachable - model.TOLERANCE).all()
        assert plan.objective == pytest.approx(_brute_force(c, 10.0, reachable, sizes, hire_cost), rel=1e-9)
    assert set(plan.hires.tolist()) <= {0.0, 2.0, 3.0}


def _coverable(seed: int) -> bool:
    rng = np.random.default_rng(seed)
    c = model.cohorts(np.full(9, 0.97), np.arange(0, 6), training_weeks=2, ramp_start=0.5, ramp_weeks=1)
    need = 8.5 + np.cumsum(rng.uniform(-0.3, 0.9, 9))
    return _brute_force(c, 10.0, need, [0, 2, 3], np.ones(6)) is not None


@pytest.mark.slow  # brute-forces hiring plans: run by CI, skipped by -m 'not slow'
def test_brute_force_cases_include_both_kinds():
    coverable = [_coverable(seed) for seed in range(1, 9)]
    assert sum(coverable) >= 3 and not all(coverable)


def test_classes_cost_and_sizes():
    # two classes a week allowed, each 2..3 agents, a cost per class: 5 agents come as 2 classes
    s = np.ones(4)
    c = model.cohorts(s, np.array([0]), training_weeks=1, ramp_start=1.0, ramp_weeks=0)
    plan = model.solve_hiring(c, 0.0, np.array([0, 5, 5, 5.0]), class_min=2, class_max=3, max_classes=2,
                              hire_cost=np.array([1.0]), class_cost=10.0)
    assert plan.hires.tolist() == [5.0] and plan.classes.tolist() == [2]


def test_uncoverable_week_gets_the_most_possible():
    s = np.ones(4)
    c = model.cohorts(s, np.array([0]), training_weeks=1, ramp_start=1.0, ramp_weeks=0)
    plan = model.solve_hiring(c, 1.0, np.array([0, 9, 2, 2.0]), class_min=2, class_max=4, max_classes=1,
                              hire_cost=np.array([1.0]), class_cost=0.0)
    assert plan.hires.tolist() == [4.0]  # 1 + 4 = 5 of the 9 needed: as close as any plan gets


def _fourteen_weeks(seed: int) -> tuple[model.Cohorts, np.ndarray, np.ndarray]:
    """Cohorts of 14 weeks with 10 candidate start weeks, a rising need and the payroll of each start."""
    rng = np.random.default_rng(seed)
    c = model.cohorts(np.full(14, 0.99), np.arange(0, 10), training_weeks=2, ramp_start=0.5, ramp_weeks=2)
    need = 20 + np.cumsum(rng.uniform(-1, 3, 14))
    return c, need, np.array([c.employed[:, k].sum() for k in range(10)]) + rng.uniform(0, 0.5, 10)


@pytest.mark.slow  # two branch-and-bound solves
def test_a_node_limit_stops_the_search_and_its_gap_bounds_the_extra_cost():
    c, need, hire_cost = _fourteen_weeks(4)
    rules = dict(class_min=3, class_max=7, max_classes=2, hire_cost=hire_cost, class_cost=5.0)
    least = model.solve_hiring(c, 20.0, need, **rules)
    stopped = model.solve_hiring(c, 20.0, need, **rules, node_limit=1)
    assert least.status == "optimal" and least.gap <= model.MIP_GAP
    assert stopped.status == "stopped after 1 node" and stopped.gap > 0.001
    assert stopped.objective - least.objective <= stopped.gap * stopped.objective + 1e-9  # the proven bound holds
    assert (model.project(c, 20.0, stopped.hires).productive >= stopped.target - model.TOLERANCE).all()


@pytest.mark.slow  # a new interpreter
def test_the_hiring_plan_is_solved_by_the_pinned_highspy_not_scipys_copy():
    """scipy.optimize.milp solved it with the HiGHS built into scipy, whose version moves with scipy's (the schedule
    pins highspy so that a plan stays the same); importing scipy.optimize also took 0.45 s of `wfm capacity`."""
    script = ("import sys, numpy as np\n"
              "from wfm.capacity import model\n"
              "c = model.cohorts(np.ones(4), np.array([0]), training_weeks=1, ramp_start=1.0, ramp_weeks=0)\n"
              "plan = model.solve_hiring(c, 0.0, np.array([0, 5, 5, 5.0]), class_min=2, class_max=3, max_classes=2,\n"
              "                          hire_cost=np.array([1.0]), class_cost=10.0)\n"
              "print(plan.hires.tolist(), 'highspy' in sys.modules, 'scipy.optimize' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[5.0]", "True", "False"]
