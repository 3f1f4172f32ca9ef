"""wfm.simulation.engine: the simulated steady state against Erlang C and Erlang A, handle-time variability,
chat concurrency, a plan with breaks and shift ends checked contact by contact, determinism and bad input.

Statistical checks use a fixed seed, so they are deterministic; each asserts that the formula lies inside the
simulation's confidence interval across replications. There are about 40 such comparisons here, so each uses
a 99.9 % interval (Bonferroni: the chance that some true agreement falls outside is about 4 %) rather than
the 95 % one the reports show. To show that a check can fail, the steady-state tests also assert that the
interval is narrower than the formula's change for one agent more, so a simulation one agent off would be
caught.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from wfm import erlang
from wfm.simulation.engine import Agents, Workload, constant_agents, simulate, simulate_trace
from wfm.simulation.steady import SteadyState, handle_time_variability, steady_state

LEVEL = 0.999


def _assert_agrees(result: SteadyState, measures: tuple[str, ...]) -> None:
    for name in measures:
        sim, formula = result.simulated[name], result.formula[name]
        assert sim.contains(formula), f"{name}: formula {formula:.5g} outside the simulation's {sim}"


def _assert_resolves_one_agent(result: SteadyState, one_more: float) -> None:
    """The service level's interval is narrower than the formula's step from N to N + 1 agents."""
    step = abs(one_more - result.formula["service_level"])
    assert result.simulated["service_level"].half_width < step, (result.simulated["service_level"], step)


# (agents, traffic in Erlangs, AHT s, hours, replications)
ERLANG_C_CASES = [
    pytest.param(1, 0.7, 180.0, 200, 20, id="1 agent"),
    pytest.param(10, 8.0, 300.0, 200, 20, id="10 agents"),
    pytest.param(100, 90.0, 300.0, 100, 20, id="100 agents"),
    pytest.param(500, 480.0, 300.0, 200, 20, id="500 agents", marks=pytest.mark.slow),
]


@pytest.mark.slow  # simulates long runs: run by CI, skipped by -m 'not slow'
@pytest.mark.parametrize(("agents", "traffic", "aht", "hours", "replications"), ERLANG_C_CASES)
def test_steady_state_agrees_with_erlang_c(agents: int, traffic: float, aht: float, hours: int,
                                           replications: int) -> None:
    result = steady_state(agents, traffic, aht, answer_within_s=20.0, hours=hours, replications=replications,
                          seed=101, level=LEVEL)
    _assert_agrees(result, ("service_level", "asa_s", "occupancy"))
    assert result.simulated["abandon_rate"].mean == 0.0
    _assert_resolves_one_agent(result, float(erlang.service_level(agents + 1, traffic, aht, 20.0)))


ERLANG_A_CASES = [
    pytest.param(1, 0.9, 180.0, 200, 20, id="1 agent"),
    pytest.param(10, 10.0, 300.0, 200, 20, id="10 agents"),
    pytest.param(100, 100.0, 300.0, 100, 20, id="100 agents"),
    pytest.param(500, 500.0, 300.0, 200, 20, id="500 agents", marks=pytest.mark.slow),
]


@pytest.mark.slow  # simulates long runs: run by CI, skipped by -m 'not slow'
@pytest.mark.parametrize(("agents", "traffic", "aht", "hours", "replications"), ERLANG_A_CASES)
def test_steady_state_agrees_with_erlang_a(agents: int, traffic: float, aht: float, hours: int,
                                           replications: int) -> None:
    from wfm import erlang_a

    result = steady_state(agents, traffic, aht, answer_within_s=20.0, patience_s=120.0, hours=hours,
                          replications=replications, seed=202, level=LEVEL)
    _assert_agrees(result, ("service_level", "asa_s", "abandon_rate", "occupancy"))
    more = erlang_a.measures(agents + 1, traffic, aht, 120.0, 20.0)
    _assert_resolves_one_agent(result, float(more.service_level))


def test_chat_concurrency_is_a_larger_server_pool() -> None:
    """10 chat agents holding 3 conversations each answer like Erlang C with 30 servers."""
    result = steady_state(10, 26.0, 600.0, answer_within_s=60.0, concurrency=3, hours=200, replications=20,
                          seed=303, level=LEVEL)
    _assert_agrees(result, ("service_level", "asa_s", "occupancy"))
    _assert_resolves_one_agent(result, float(erlang.service_level(31, 26.0, 600.0, 60.0)))
    # and not like 10 servers, nor like 10 agents x 3 at one third of the handle time
    assert not result.simulated["service_level"].contains(float(erlang.service_level(29, 26.0, 600.0, 60.0)))


def test_lognormal_handle_times_with_cv_1_agree_with_exponential() -> None:
    """One agent (M/G/1): the probability of waiting is the load and the mean wait depends only on the handle
    time's mean and variance (Pollaczek-Khinchine), so a lognormal with CV 1 gives Erlang C's figures.
    With more agents the wait depends on more than two moments and the lognormal's is somewhat shorter (about
    5 % here); the service level stays within a percentage point."""
    one = steady_state(1, 0.7, 180.0, answer_within_s=0.0, aht_cv=1.0, hours=400, replications=20, seed=404,
                       level=LEVEL)
    _assert_agrees(one, ("service_level", "asa_s", "occupancy"))  # service level with t = 0: 1 - P(wait)
    results = handle_time_variability(replications=20, hours=100)
    exponential, lognormal = results["exponential"], results["lognormal cv 1"]
    assert abs(lognormal.simulated["service_level"].mean - exponential.simulated["service_level"].mean) < 0.01
    assert 0.85 < lognormal.simulated["asa_s"].mean / exponential.simulated["asa_s"].mean < 1.02


def test_lognormal_handle_times_with_cv_half_beat_erlang_c() -> None:
    """Less variable handle times than exponential: a higher service level and a shorter wait than Erlang C
    predicts for the same staffing (Erlang C is conservative there)."""
    results = handle_time_variability(replications=20, hours=100)
    low = results["lognormal cv 0.5"]
    sl, asa = low.simulated["service_level"], low.simulated["asa_s"]
    print(f"\nErlang C service level {low.formula['service_level']:.1%}, simulated with lognormal CV 0.5 "
          f"{sl.mean:.1%} ({sl.ci_low:.1%}-{sl.ci_high:.1%}); ASA {low.formula['asa_s']:.1f} s vs {asa.mean:.1f} s")
    assert sl.ci_low > low.formula["service_level"]
    assert asa.ci_high < low.formula["asa_s"]
    _assert_agrees(results["exponential"], ("service_level", "asa_s", "occupancy"))


# --- A plan with breaks and shift ends, contact by contact ---------------------------------------------------

HOUR = 3600.0


def _day_plan(absent: float = 0.0) -> tuple[Workload, Agents]:
    """07:00-21:00 in quarter hours with a morning and an afternoon peak, Erlang A (patience 180 s); 30 agents
    on 8-hour shifts starting every half hour from 06:45, each with a 15-minute break and a 30-minute lunch at
    staggered times (windows cut by the breaks); the last shifts are cut at 21:00 with contacts in hand."""
    starts = np.arange(7 * HOUR, 21 * HOUR, 900.0)
    hour = starts / HOUR
    volume = 20.0 + 45.0 * np.exp(-((hour - 10.5) ** 2) / 3.0) + 35.0 * np.exp(-((hour - 15.5) ** 2) / 4.0)
    aht = np.where(hour < 12, 300.0, 360.0)
    workload = Workload(starts, 900.0, volume, aht, np.zeros(starts.size, dtype=np.int64), patience_s=180.0)
    agent, start, end = [], [], []
    for a in range(30):
        shift_start = 6.75 * HOUR + (a % 14) * 0.5 * HOUR
        shift_end = min(shift_start + 8 * HOUR, 21 * HOUR)
        break_at = shift_start + 2 * HOUR + (a % 4) * 900.0
        lunch_at = shift_start + 4 * HOUR + (a % 3) * 900.0
        edges = [shift_start, break_at, break_at + 900.0, lunch_at, lunch_at + 1800.0, shift_end]
        for w0, w1 in zip(edges[0::2], edges[1::2]):
            agent.append(a)
            start.append(w0)
            end.append(w1)
    return workload, Agents(np.array(agent), np.array(start), np.array(end), absent_probability=absent)


def _outside(a: float, b: float, windows: list[tuple[float, float]]) -> float:
    """Seconds of [a, b) outside every window."""
    inside = sum(max(0.0, min(b, w1) - max(a, w0)) for w0, w1 in windows)
    return (b - a) - inside


def test_plan_with_breaks_every_contact_consistent() -> None:
    workload, agents = _day_plan()
    trace, result = simulate_trace(workload, agents, answer_within_s=20.0, seed=7, replication=3)
    assert np.array_equal(result.offered, simulate(workload, agents, answer_within_s=20.0, replications=4,
                                                   seed=7).offered[3:])
    answered = np.isfinite(trace.answer_s)
    assert np.all(np.diff(trace.arrival_s) >= 0)
    # every contact answered, abandoned or still waiting when the last window closed, and counted once
    assert result.offered.sum() == trace.arrival_s.size
    assert result.offered.sum() == result.answered.sum() + result.abandoned.sum() + result.unfinished.sum()
    assert result.answered.sum() == answered.sum() and np.all(result.answered_within <= result.answered)
    wait = trace.answer_s[answered] - trace.arrival_s[answered]
    assert np.all(wait >= 0) and np.all(wait <= trace.patience_s[answered])
    assert np.isclose(result.wait_answered_s.sum(), wait.sum())
    assert result.answered_within.sum() == np.sum(wait <= 20.0)
    # first come, first served: answer times never go back in arrival order
    assert np.all(np.diff(trace.answer_s[answered]) >= 0)
    assert (trace.agent >= 0).sum() == answered.sum()
    windows: dict[int, list[tuple[float, float]]] = {}
    for a, s, e in zip(agents.agent.tolist(), agents.start_s.tolist(), agents.end_s.tolist()):
        windows.setdefault(a, []).append((s, e))
    overrun = after_close = 0.0
    for a, own in windows.items():
        mine = np.flatnonzero(trace.agent == a)
        begin, finish = trace.answer_s[mine], trace.answer_s[mine] + trace.handle_s[mine]
        assert np.all(begin[1:] >= finish[:-1]), "an agent held two contacts at once"
        assert all(any(w0 <= b < w1 for w0, w1 in own) for b in begin), "a contact started off duty"
        overrun += sum(_outside(b, f, own) for b, f in zip(begin.tolist(), finish.tolist()))
        after_close += float(np.sum(np.maximum(0.0, finish - np.maximum(begin, 21 * HOUR))))
    assert result.overrun_s[0] > after_close > 0  # contacts in hand at breaks and at the last shift ends
    assert math.isclose(result.overrun_s[0], overrun, rel_tol=1e-9)
    # on the interval clock: all but the overtime after 21:00, past the last interval
    assert math.isclose(result.overrun_by_interval_s.sum(), overrun - after_close, rel_tol=1e-9)
    # busy and on-duty time on the interval clock; every window and contact lies inside 07:00-21:00 but
    # the first shifts start at 06:45, and contacts in hand at 21:00 run past the last interval
    on_duty = np.array([sum(max(0.0, min(s + 900.0, w1) - max(s, w0)) for own in windows.values() for w0, w1 in own)
                        for s in workload.interval_start_s])
    assert np.allclose(result.on_duty_s[0], on_duty)
    handled = trace.handle_s[answered].sum()
    assert result.busy_s.sum() <= handled + 1e-6
    assert result.busy_s.sum() > handled - 4 * HOUR
    on_duty_busy = result.busy_s[0] - result.overrun_by_interval_s[0]
    assert np.all(on_duty_busy <= result.on_duty_s[0] * (1 + 1e-12) + 1e-6)  # occupancy never above 1
    assert np.all(result.busy_s[0] <= result.on_duty_s[0] + result.overrun_by_interval_s[0] + 1e-6)
    assert result.abandoned.sum() > 0


def test_contacts_after_the_last_shift_are_unfinished() -> None:
    """Without patience, contacts still waiting when the last window closes are neither answered nor lost."""
    workload = Workload(np.array([0.0, 900.0]), 900.0, np.array([30.0, 30.0]), np.array([200.0, 200.0]),
                        np.zeros(2, dtype=np.int64))
    result = simulate(workload, constant_agents(3, 0.0, 900.0), answer_within_s=20.0, replications=5, seed=1)
    assert np.all(result.unfinished >= result.offered[:, 1])
    assert np.all(result.answered[:, 1] == 0) and result.abandoned.sum() == 0
    assert np.all(result.offered.sum(1) == result.answered.sum(1) + result.unfinished)
    assert np.all(result.overrun_s > 0)
    nobody = simulate(workload, Agents(np.zeros(0, np.int64), np.zeros(0), np.zeros(0)), answer_within_s=20.0,
                      replications=2, seed=1)
    assert np.array_equal(nobody.unfinished, nobody.offered.sum(1)) and nobody.on_duty_s.sum() == 0


def test_nobody_is_answered_after_closing() -> None:
    """The queue closes at the end of each run of consecutive intervals: a caller still waiting then is not
    answered by the agents still on duty (here until 03:00) nor by the next open period's (09:00-10:00)."""
    workload = Workload(np.array([0.0, 900.0, 9 * HOUR]), 900.0, np.array([60.0, 60.0, 5.0]),
                        np.full(3, 300.0), np.array([0, 0, 1]))  # 20 Erlangs on 8 agents until 00:30
    agents = Agents(np.arange(16) % 8, np.repeat([0.0, 9 * HOUR], 8), np.repeat([3 * HOUR, 10 * HOUR], 8))
    trace, result = simulate_trace(workload, agents, answer_within_s=20.0, seed=3)
    answered = np.isfinite(trace.answer_s)
    first = trace.arrival_s < 1800.0
    assert np.all(trace.answer_s[answered & first] < 1800.0)
    assert trace.unfinished == np.sum(first & ~answered) > 20  # left waiting at 00:30, none abandoned
    assert result.abandoned.sum() == 0 and np.all(answered[~first])


def test_patience_runs_out_while_the_queue_is_open() -> None:
    """Erlang A with nobody on duty after 01:00 until closing at 04:00: a caller whose patience runs out before
    closing abandons; one still waiting at closing is unfinished."""
    starts = np.arange(0.0, 4 * HOUR, 900.0)
    workload = Workload(starts, 900.0, np.full(starts.size, 10.0), np.full(starts.size, 300.0),
                        np.zeros(starts.size, dtype=np.int64), patience_s=60.0)
    trace, result = simulate_trace(workload, constant_agents(5, 0.0, HOUR), answer_within_s=20.0, seed=2)
    late = trace.interval >= 4  # from 01:00: nobody starts a contact any more
    gave_up = trace.arrival_s + trace.patience_s <= 4 * HOUR
    assert not np.any(np.isfinite(trace.answer_s[late]))
    assert result.abandoned[0, 4:].sum() == np.sum(late & gave_up) > 100
    assert trace.unfinished == np.sum(late & ~gave_up)


def test_overrun_through_a_break_counts_only_the_break() -> None:
    """One agent, windows [0, 100) and [110, 1000): a contact answered at 0 that lasts past 100 works through
    the 10 s break (overrun 10 s, or less if it ends inside the break) and the agent carries on."""
    workload = Workload(np.array([0.0]), 50.0, np.array([1.0]), np.array([400.0]), np.zeros(1, dtype=np.int64))
    own = [(0.0, 100.0), (110.0, 1000.0)]
    agents = Agents(np.array([0, 0]), np.array([0.0, 110.0]), np.array([100.0, 1000.0]))
    overruns = []
    for seed in range(300):
        trace, result = simulate_trace(workload, agents, answer_within_s=20.0, seed=seed)
        mine = trace.agent == 0
        expected = sum(_outside(a, a + h, own) for a, h in zip(trace.answer_s[mine], trace.handle_s[mine]))
        assert math.isclose(result.overrun_s[0], expected, abs_tol=1e-9)
        overruns.append(result.overrun_s[0])
    assert any(math.isclose(x, 10.0) for x in overruns)  # the whole break worked, the contact carried on
    assert any(0.0 < x < 10.0 for x in overruns)  # a contact ended inside the break


def test_absent_agents_take_no_contacts() -> None:
    workload, agents = _day_plan()
    absent = Agents(agents.agent, agents.start_s, agents.end_s, absent_probability=0.5)
    trace, result = simulate_trace(workload, absent, answer_within_s=20.0, seed=11)
    present = np.flatnonzero(trace.present)
    assert 0 < present.size < 30
    assert np.all(np.isin(trace.agent[trace.agent >= 0], present))
    full = simulate_trace(workload, agents, answer_within_s=20.0, seed=11)[1]
    mask = np.isin(agents.agent, present)
    expected = sum(max(0.0, min(21 * HOUR, e) - max(7 * HOUR, s)) for s, e in zip(agents.start_s[mask],
                                                                                   agents.end_s[mask]))
    assert math.isclose(result.on_duty_s.sum(), expected)
    assert result.on_duty_s.sum() < full.on_duty_s.sum()
    assert np.array_equal(result.offered, full.offered)  # the same arrivals: common random numbers


def test_same_seed_same_results_other_seed_other_results() -> None:
    workload, agents = _day_plan(absent=0.1)
    kwargs = {"answer_within_s": 20.0, "replications": 3, "aht_cv": 0.8, "volume_cv": 0.1}
    one, two = simulate(workload, agents, seed=5, **kwargs), simulate(workload, agents, seed=5, **kwargs)
    other = simulate(workload, agents, seed=6, **kwargs)
    for name in one.__dataclass_fields__:
        assert np.array_equal(getattr(one, name), getattr(two, name)), name
    assert not np.array_equal(one.offered, other.offered)
    assert not np.array_equal(one.offered[0], one.offered[1])  # replications differ


def test_arrivals_poisson_per_interval_with_gaps() -> None:
    starts = np.array([0.0, 900.0, 3600.0, 7200.0])  # gaps between the second and third, third and fourth
    volume = np.array([40.0, 0.0, 10.0, 25.0])
    workload = Workload(starts, 900.0, volume, np.array([100.0, 0.0, 100.0, 100.0]), np.arange(4))
    trace, _ = simulate_trace(workload, constant_agents(50, 0.0, 9000.0), answer_within_s=20.0, seed=3)
    assert np.all(trace.arrival_s >= starts[trace.interval])
    assert np.all(trace.arrival_s < starts[trace.interval] + 900.0)
    result = simulate(workload, constant_agents(50, 0.0, 9000.0), answer_within_s=20.0, replications=400, seed=3)
    mean = result.offered.mean(axis=0)
    assert np.all(np.abs(mean - volume) <= 4 * np.sqrt(volume / 400) + 1e-12)
    assert np.all(result.offered[:, 1] == 0)
    var = result.offered[:, 0].var(ddof=1)
    assert 0.75 * 40 < var < 1.3 * 40  # Poisson: variance = mean


def test_volume_cv_is_a_per_day_gamma_factor() -> None:
    """With forecast error, a day's intervals rise and fall together: variance mean + (cv mean)^2."""
    starts = np.array([0.0, 900.0, 86400.0, 87300.0])
    workload = Workload(starts, 900.0, np.full(4, 500.0), np.full(4, 60.0), np.array([0, 0, 1, 1]))
    result = simulate(workload, constant_agents(20, 0.0, 90000.0), answer_within_s=20.0, replications=300,
                      seed=8, volume_cv=0.2)
    daily = np.concatenate([result.offered[:, :2].sum(1), result.offered[:, 2:].sum(1)])
    assert abs(daily.mean() - 1000.0) < 4 * math.sqrt((1000 + 200.0**2) / daily.size)
    assert 0.75 < daily.var(ddof=1) / (1000 + 200.0**2) < 1.3
    same_day = np.corrcoef(result.offered[:, 0], result.offered[:, 1])[0, 1]
    other_day = np.corrcoef(result.offered[:, 0], result.offered[:, 2])[0, 1]
    assert same_day > 0.8 and abs(other_day) < 0.25


@pytest.mark.parametrize(("change", "message"), [
    ({"replications": 0}, "replications"),
    ({"aht_cv": -0.5}, "aht_cv"),
    ({"aht_cv": 0.0}, "aht_cv"),
    ({"volume_cv": -0.1}, "volume_cv"),
    ({"seed": -1}, "seed"),
    ({"answer_within_s": -1.0}, "answer_within_s"),
])
def test_bad_options_are_value_errors(change: dict, message: str) -> None:
    workload, agents = _day_plan()
    kwargs = {"answer_within_s": 20.0, "replications": 1, "seed": 0, **change}
    with pytest.raises(ValueError, match=message):
        simulate(workload, agents, **kwargs)


def test_bad_inputs_are_value_errors() -> None:
    good = Workload(np.array([0.0, 900.0]), 900.0, np.array([1.0, 0.0]), np.array([100.0, 0.0]), np.zeros(2, np.int64))
    staff = constant_agents(1, 0.0, 1800.0)
    simulate(good, staff, answer_within_s=20.0, replications=1, seed=0)  # AHT 0 where nothing arrives is fine
    bad_workloads = [
        Workload(np.array([900.0, 0.0]), 900.0, np.ones(2), np.ones(2), np.zeros(2, np.int64)),  # unsorted
        Workload(np.array([0.0, 600.0]), 900.0, np.ones(2), np.ones(2), np.zeros(2, np.int64)),  # overlapping
        Workload(np.array([0.0]), 900.0, np.array([1.0]), np.array([0.0]), np.zeros(1, np.int64)),  # AHT 0
        Workload(np.array([0.0]), 900.0, np.array([-1.0]), np.array([9.0]), np.zeros(1, np.int64)),  # volume < 0
        Workload(np.array([0.0]), 900.0, np.array([1.0]), np.array([9.0]), np.zeros(1, np.int64), concurrency=0),
        Workload(np.array([0.0]), 900.0, np.array([1.0]), np.array([9.0]), np.zeros(1, np.int64), patience_s=0.0),
    ]
    for workload in bad_workloads:
        with pytest.raises(ValueError):
            simulate(workload, staff, answer_within_s=20.0, replications=1, seed=0)
    bad_agents = [
        Agents(np.array([0, 0]), np.array([0.0, 50.0]), np.array([100.0, 200.0])),  # one agent's windows overlap
        Agents(np.array([0]), np.array([100.0]), np.array([100.0])),  # empty window
        Agents(np.array([-1]), np.array([0.0]), np.array([100.0])),
        Agents(np.array([0]), np.array([0.0]), np.array([100.0]), absent_probability=1.5),
    ]
    for agents in bad_agents:
        with pytest.raises(ValueError):
            simulate(good, agents, answer_within_s=20.0, replications=1, seed=0)
